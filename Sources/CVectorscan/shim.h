#ifndef HEARTLINE_CVECTORSCAN_SHIM_H
#define HEARTLINE_CVECTORSCAN_SHIM_H

/* Vectorscan: the portable fork of Intel's Hyperscan, same API (hs.h). */
#include <hs.h>
#include <dlfcn.h>

/* hs_scan's signature, for a scan entry chosen at run time. */
typedef hs_error_t (*heartline_hs_scan_fn)(const hs_database_t *database, const char *data, unsigned int length,
                                           unsigned int flags, hs_scratch_t *scratch, match_event_handler onEvent,
                                           void *context);

/* The AVX2 implementation of hs_scan in a "fat runtime" build of libhs (Debian's is one: it exports
 * avx2_hs_scan, corei7_hs_scan, avx512_hs_scan... beside the dispatching hs_scan), or NULL when this
 * libhs is not such a build. RTLD_DEFAULT is a null handle in glibc. */
static inline heartline_hs_scan_fn heartline_hs_avx2_scan(void) {
    return (heartline_hs_scan_fn)dlsym((void *)0, "avx2_hs_scan");
}

/* The dispatching hs_scan itself, as a pointer of the same type. */
static inline heartline_hs_scan_fn heartline_hs_dispatching_scan(void) {
    return hs_scan;
}

#endif
