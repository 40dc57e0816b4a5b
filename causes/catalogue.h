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

/* Order is the order of the catalogue table; tokens are a public contract. */
typedef enum {
    TLSDIAG_CAUSE_INAPPROPRIATE_FALLBACK,
    TLSDIAG_CAUSE_PROTOCOL_VERSION_MISMATCH,
    TLSDIAG_CAUSE_CIPHER_SUITE_MISMATCH,
    TLSDIAG_CAUSE_NO_COMMON_GROUP,
    TLSDIAG_CAUSE_MISSING_SNI,
    TLSDIAG_CAUSE_UNRECOGNIZED_NAME,
    TLSDIAG_CAUSE_ALPN_MISMATCH,
    TLSDIAG_CAUSE_NOT_TLS,
    TLSDIAG_CAUSE_RESET_AFTER_CLIENT_HELLO,
    TLSDIAG_CAUSE_CLOSED_AFTER_CLIENT_HELLO,
    TLSDIAG_CAUSE_NO_SERVER_RESPONSE,
    TLSDIAG_CAUSE_CLIENT_HELLO_REJECTED,
    TLSDIAG_CAUSE_HANDSHAKE_ALERT,
    TLSDIAG_CAUSE_VERSION_INTOLERANCE,
    TLSDIAG_CAUSE_LARGE_CLIENT_HELLO_DROPPED,
    TLSDIAG_CAUSE_RETRY_STORM,
    TLSDIAG_CAUSE_CERT_EXPIRED,
    TLSDIAG_CAUSE_CERT_NOT_YET_VALID,
    TLSDIAG_CAUSE_CERT_HOSTNAME_MISMATCH,
    TLSDIAG_CAUSE_CERT_SELF_SIGNED,
    TLSDIAG_CAUSE_CERT_CHAIN_INCOMPLETE,
    TLSDIAG_CAUSE_CERT_CHAIN_OUT_OF_ORDER,
    TLSDIAG_CAUSE_CERT_UNTRUSTED_ISSUER,
    TLSDIAG_CAUSE_CERT_REJECTED,
    TLSDIAG_CAUSE_CERT_WEAK,
    TLSDIAG_CAUSE_CLIENT_CERT_REQUIRED,
    TLSDIAG_CAUSE_CLIENT_CERT_REJECTED,
    TLSDIAG_CAUSE_ENCRYPTED_ALERT,
    TLSDIAG_CAUSE_RENEGOTIATION_REFUSED,
    TLSDIAG_CAUSE_RENEGOTIATION_INSECURE,
    TLSDIAG_CAUSE_RENEGOTIATION_SCSV_MISUSE,
    TLSDIAG_CAUSE_NEW_HANDSHAKE_ON_ESTABLISHED,
    TLSDIAG_CAUSE_HELLO_RETRY_REQUEST,
    TLSDIAG_CAUSE_SESSION_RESUMED,
    TLSDIAG_CAUSE_RESUMPTION_DECLINED,
    TLSDIAG_CAUSE_WEAK_PROTOCOL,
    TLSDIAG_CAUSE_SSLV2_CLIENT_HELLO,
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
    const char      *explanation; /* what it means, for someone learning TLS */
    const char      *remedy;      /* what to do about it */
    const char      *wire;        /* how it looks on the wire, and how to confirm it */
} tlsdiag_cause_info;

const tlsdiag_cause_info *tlsdiag_cause_get(tlsdiag_cause id);

#endif /* TLSDIAG_CAUSES_H */
