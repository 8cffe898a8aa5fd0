#ifndef HEARTLINE_CPCRE2_SHIM_H
#define HEARTLINE_CPCRE2_SHIM_H

/* Swift sees the 8-bit API (pcre2_*_8) only with the code unit width fixed first. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Function-like and cast macros do not import into Swift; these wrap the ones we use. */
static inline PCRE2_SIZE cpcre2_unset(void) { return PCRE2_UNSET; }
static inline PCRE2_SIZE cpcre2_zero_terminated(void) { return PCRE2_ZERO_TERMINATED; }

#endif
