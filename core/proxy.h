/* core/proxy.h — the PROXY protocol header, read from the start of a TCP
 * payload's bytes. Wireshark decodes PROXY v1 on any port, but on a port
 * that belongs to TLS (443) it hands a v2 header to the TLS dissector unless
 * the user turns on tcp.try_heuristic_first; reading the bytes finds both
 * either way, and wants no PROXY field on every packet.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_PROXY_H
#define TLSDIAG_PROXY_H

#include "core/core.h"

/* The source address and port of a PROXY v2 header (command PROXY, TCP or
 * UDP over IPv4 or IPv6) at the start of data; FALSE for anything else,
 * including a header cut short. */
gboolean tlsdiag_proxy_v2_source(const guint8 *data, gsize len, tlsdiag_addr *src, guint16 *port);

/* The same of a PROXY v1 line (TCP4 or TCP6, ended by CRLF within its 107
 * bytes); FALSE for UNKNOWN and anything else. */
gboolean tlsdiag_proxy_v1_source(const guint8 *data, gsize len, tlsdiag_addr *src, guint16 *port);

#endif /* TLSDIAG_PROXY_H */
