/* core/hello.h — a ClientHello's and a ServerHello's values, read from the
 * message body Wireshark located (reassembled, decrypted) instead of from
 * one field per value: a ClientHello's ~40 suites, ~15 extensions and their
 * lists would each become a tree item on every hello (BENCHMARKS.md).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_HELLO_H
#define TLSDIAG_HELLO_H

#include "core/core.h"

/* The hello's strings, which ch->sni and ch->alpn point into. */
typedef struct {
    char sni[256];
    char alpn[256];
} tlsdiag_hello_text;

/* Reads a ClientHello's body (after the handshake header; DTLS: with a
 * cookie after the session id) into ch and text: versions, suites, groups,
 * names, and what it offers. A field the bytes end before stays unset. */
void tlsdiag_client_hello_read(const guint8 *body, gsize len, gboolean dtls, tlsdiag_client_hello *ch,
                               tlsdiag_hello_text *text);

/* A DTLS ClientHello the capture cut (body may be NULL): what it offers is
 * not read, only the last captured bytes of its random (up to 8; the same
 * as a whole hello's when it has them all), which tell a retransmission
 * from a new hello, since a retransmission is cut at the same place. */
void tlsdiag_client_hello_read_random(const guint8 *body, gsize len, tlsdiag_client_hello *ch);

/* Reads a ServerHello's body into pkt: HELLO_RETRY (the RFC 8446 random) or
 * SERVER_HELLO, the suite, the negotiated version, the key share's group
 * (set only when it has one), renegotiation_info, an accepted PSK. */
void tlsdiag_server_hello_read(const guint8 *body, gsize len, tlsdiag_packet *pkt);

#endif
