// HeartlineInput
