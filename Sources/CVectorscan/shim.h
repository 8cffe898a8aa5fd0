#ifndef HEARTLINE_CVECTORSCAN_SHIM_H
#define HEARTLINE_CVECTORSCAN_SHIM_H

/* Vectorscan: the portable fork of Intel's Hyperscan, same API (hs.h). */
#include <hs.h>

#endif
