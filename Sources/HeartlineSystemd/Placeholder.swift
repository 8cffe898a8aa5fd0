// HeartlineSystemd: the journal source and sd_notify (in progress).
