/* core/tls.h — TLS vocabulary the rules need: versions, alerts, cipher
 * suite properties and group names, in words a person can read.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_TLS_H
#define TLSDIAG_TLS_H

#include <glib.h>

#define TLSDIAG_SSL3   0x0300
#define TLSDIAG_TLS10  0x0301
#define TLSDIAG_TLS11  0x0302
#define TLSDIAG_TLS12  0x0303
#define TLSDIAG_TLS13  0x0304
#define TLSDIAG_DTLS10 0xfeff      /* DTLS counts down: 1.0 is TLS 1.1's twin, 1.2 TLS 1.2's, 1.3 TLS 1.3's */
#define TLSDIAG_DTLS12 0xfefd
#define TLSDIAG_DTLS13 0xfefc

#define TLSDIAG_SUITE_FALLBACK_SCSV     0x5600
#define TLSDIAG_SUITE_EMPTY_RENEGO_SCSV 0x00ff
#define TLSDIAG_SUITE_TLS13_MANDATORY   0x1301   /* TLS_AES_128_GCM_SHA256: every TLS 1.3 stack must offer it */

enum {
    TLSDIAG_ALERT_CLOSE_NOTIFY          = 0,
    TLSDIAG_ALERT_HANDSHAKE_FAILURE     = 40,
    TLSDIAG_ALERT_BAD_CERTIFICATE       = 42,
    TLSDIAG_ALERT_CERTIFICATE_EXPIRED   = 45,
    TLSDIAG_ALERT_UNKNOWN_CA            = 48,
    TLSDIAG_ALERT_DECODE_ERROR          = 50,
    TLSDIAG_ALERT_PROTOCOL_VERSION      = 70,
    TLSDIAG_ALERT_INSUFFICIENT_SECURITY = 71,
    TLSDIAG_ALERT_INTERNAL_ERROR        = 80,
    TLSDIAG_ALERT_INAPPROPRIATE_FALLBACK = 86,
    TLSDIAG_ALERT_UNRECOGNIZED_NAME     = 112,
    TLSDIAG_ALERT_NO_APPLICATION_PROTOCOL = 120,
    TLSDIAG_ALERT_ECH_REQUIRED          = 121
};

/* Cipher suite properties, as flags. */
#define TLSDIAG_SUITE_KNOWN  0x01 /* in our table: the other flags mean something */
#define TLSDIAG_SUITE_AEAD   0x02 /* GCM, CCM, ChaCha20-Poly1305 */
#define TLSDIAG_SUITE_PFS    0x04 /* (EC)DHE key exchange, or any TLS 1.3 suite */
#define TLSDIAG_SUITE_BROKEN 0x08 /* RC4, 3DES, DES, export, NULL, anonymous */
#define TLSDIAG_SUITE_SCSV   0x10 /* signalling value, not a real suite */

/* "TLS 1.2", "TLS 1.3 draft 28", or "0x1234" for an unknown value; never
 * NULL. buf: TLSDIAG_VERSION_NAME_LEN bytes. */
#define TLSDIAG_VERSION_NAME_LEN 24
const char *tlsdiag_version_name(guint16 version, char *buf, gsize len);
/* The version a code stands for: TLS 1.3's drafts (0x7fXX) and experimental
 * codes (0x7eXX, 0xfbXX) are TLS 1.3 for every rule; a DTLS version is the
 * TLS version it is built on (DTLS 1.0: TLS 1.1). */
guint16 tlsdiag_version_norm(guint16 version);
/* The DTLS version built on a (normalized) TLS version, for the words;
 * other values unchanged. */
guint16 tlsdiag_version_dtls(guint16 tls_version);
/* "ClientHello", "Certificate", …; NULL when unknown. */
const char *tlsdiag_handshake_type_name(guint type);
/* "CLIENT-HELLO", "SERVER-HELLO", … (SSL 2.0 messages); NULL when unknown. */
const char *tlsdiag_ssl2_message_name(guint type);
/* "handshake_failure" or NULL when unknown. */
const char *tlsdiag_alert_name(int desc);
/* One sentence on what the alert usually means, or NULL. */
const char *tlsdiag_alert_meaning(int desc);
/* IANA name of a suite or NULL when not in our table. */
const char *tlsdiag_suite_name(guint16 suite);
guint tlsdiag_suite_flags(guint16 suite);
/* A TLS 1.3 suite (0x13xx): only usable by TLS 1.3 clients. */
gboolean tlsdiag_suite_is_tls13(guint16 suite);
/* A port where a TLS server is the rule (HTTPS, SMTPS, IMAPS, LDAPS, DoT, ...). */
gboolean tlsdiag_port_is_tls(guint16 port);
/* "port unreachable", "administratively prohibited", … for an ICMP (family
 * 4) or ICMPv6 (6) destination unreachable's code; never NULL. */
const char *tlsdiag_icmp_unreachable_name(guint family, guint code);
/* "x25519", "secp256r1", … or NULL. */
const char *tlsdiag_group_name(guint16 group);

/* TLS 1.3 encrypted records whose content their length gives away without
 * keys (RFC 8446 5.2): CONTENT bytes, the inner content type and a 16-byte
 * AEAD tag (8 with CCM_8). Java's JSSE pads every record with 16 zero bytes
 * more (5.4). */
#define TLSDIAG_TLS13_JSSE_PAD 16
static inline gboolean
tlsdiag_tls13_record_is(guint len, guint content, guint pad)
{
    return len == content + 1 + pad + 16 || len == content + 1 + pad + 8;
}
static inline gboolean
tlsdiag_tls13_record_of(guint len, guint content)
{
    return tlsdiag_tls13_record_is(len, content, 0) || tlsdiag_tls13_record_is(len, content, TLSDIAG_TLS13_JSSE_PAD);
}
/* An alert: level and description; padded, it is also the size of 18
 * bytes of data ("GET / HTTP/1.0" and its blank line). */
#define tlsdiag_tls13_alert_len(len) tlsdiag_tls13_record_of(len, 2)
#define tlsdiag_tls13_alert_padded(len) tlsdiag_tls13_record_is(len, 2, TLSDIAG_TLS13_JSSE_PAD)
/* An empty Certificate message: header, empty context, empty list. */
#define tlsdiag_tls13_empty_cert_len(len) tlsdiag_tls13_record_of(len, 4 + 1 + 3)
/* The longest Finished: SHA-384's, padded. A longer first record of the
 * client's flight is its Certificate. */
#define TLSDIAG_TLS13_FINISHED_MAX (4 + 48 + 1 + 16 + TLSDIAG_TLS13_JSSE_PAD)

#endif /* TLSDIAG_TLS_H */
