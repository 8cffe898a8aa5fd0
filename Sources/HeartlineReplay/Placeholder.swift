// HeartlineReplay
