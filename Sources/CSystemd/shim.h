#ifndef HEARTLINE_CSYSTEMD_SHIM_H
#define HEARTLINE_CSYSTEMD_SHIM_H

/* libsystemd: the journal reader (sd-journal) and service notification (sd-daemon). */
#include <systemd/sd-journal.h>
#include <systemd/sd-daemon.h>

#endif
