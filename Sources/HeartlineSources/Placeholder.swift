// HeartlineSources: following plain log files (in progress).
