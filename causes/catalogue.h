/* causes/catalogue.h — the cause catalogue: one row per diagnosis tlsdiag can make.
 *
 * Pure C + GLib: no epan header. The epan layer maps severity and group onto
 * Wireshark's expert constants and registers one expert info per row.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_CAUSES_H
#define TLSDIAG_CAUSES_H

#include <glib.h>

/* One per line of causes/causes.def, in its order. */
typedef enum {
#define CAUSE(id, ...) TLSDIAG_CAUSE_##id,
#include "causes/causes.def"
#undef CAUSE
    TLSDIAG_CAUSE_COUNT
} tlsdiag_cause;

/* How much the user should care (mapped to PI_ERROR/PI_WARN/PI_NOTE/PI_CHAT). */
typedef enum {
    TLSDIAG_SEV_CHAT,
    TLSDIAG_SEV_NOTE,
    TLSDIAG_SEV_WARN,
    TLSDIAG_SEV_ERROR
} tlsdiag_severity;

/* Expert group (mapped to PI_PROTOCOL/PI_SECURITY/PI_SEQUENCE/PI_MALFORMED). */
typedef enum {
    TLSDIAG_GROUP_PROTOCOL,
    TLSDIAG_GROUP_SECURITY,
    TLSDIAG_GROUP_SEQUENCE,
    TLSDIAG_GROUP_MALFORMED
} tlsdiag_group;

typedef struct {
    tlsdiag_cause    id;
    const char      *token;       /* tlsdiag.cause value, expert abbrev suffix */
    const char      *title;       /* short plain-words name */
    tlsdiag_severity severity;
    tlsdiag_group    group;
    const char      *when;        /* when it is named, in one line (the README's table) */
    const char      *explanation; /* what it means, for someone learning TLS */
    const char      *remedy;      /* what to do about it */
    const char      *wire;        /* how it looks on the wire, and how to confirm it */
} tlsdiag_cause_info;

const tlsdiag_cause_info *tlsdiag_cause_get(tlsdiag_cause id);

#endif /* TLSDIAG_CAUSES_H */
