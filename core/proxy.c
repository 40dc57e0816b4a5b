/* core/proxy.c — the PROXY protocol header (HAProxy's proxy-protocol.txt:
 * v1, 2.1; v2, 2.2).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/proxy.h"

#include <arpa/inet.h>
#include <string.h>

static const guint8 v2_signature[12] = { 0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a };

gboolean
tlsdiag_proxy_v2_source(const guint8 *data, gsize len, tlsdiag_addr *src, guint16 *port)
{
    guint addr_len, family;

    if (!data || len < 16 || memcmp(data, v2_signature, sizeof v2_signature) != 0)
        return FALSE;
    if (data[12] != 0x21)              /* version 2, command PROXY (LOCAL carries no client) */
        return FALSE;
    switch (data[13] >> 4) {           /* address family; data[13] & 0xf is TCP or UDP */
    case 1: family = 4; addr_len = 4; break;
    case 2: family = 6; addr_len = 16; break;
    default: return FALSE;
    }
    guint declared = (guint)data[14] << 8 | data[15];
    if (declared < 2 * addr_len + 4 || len < 16 + 2 * addr_len + 4)
        return FALSE;
    memset(src, 0, sizeof *src);
    src->family = (guint8)family;
    memcpy(src->bytes, data + 16, addr_len);
    *port = (guint16)(data[16 + 2 * addr_len] << 8 | data[16 + 2 * addr_len + 1]);
    return TRUE;
}

/* The next space-separated word of the v1 line at *p (before end), into
 * out (NUL-terminated); FALSE when there is none or it does not fit. */
static gboolean
v1_word(const guint8 **p, const guint8 *end, char *out, gsize size)
{
    gsize n = 0;
    while (*p < end && **p != ' ' && **p != '\r') {
        if (n + 1 >= size)
            return FALSE;
        out[n++] = (char)*(*p)++;
    }
    out[n] = '\0';
    if (*p < end && **p == ' ')
        (*p)++;
    return n > 0;
}

gboolean
tlsdiag_proxy_v1_source(const guint8 *data, gsize len, tlsdiag_addr *src, guint16 *port)
{
    /* "PROXY TCP4 192.0.2.1 198.51.100.7 56324 443\r\n", at most 107 bytes. */
    char proto[8], saddr[INET6_ADDRSTRLEN], daddr[INET6_ADDRSTRLEN], sport[8];
    const guint8 *p = data + 6, *end;
    guint8 bytes[16];
    gint64 n;
    gchar *rest;

    if (!data || len < 8 || memcmp(data, "PROXY ", 6) != 0)
        return FALSE;
    end = memchr(data, '\r', MIN(len, 107));
    if (!end || (gsize)(end - data) + 1 >= len || end[1] != '\n')
        return FALSE;
    if (!v1_word(&p, end, proto, sizeof proto) || !v1_word(&p, end, saddr, sizeof saddr) ||
        !v1_word(&p, end, daddr, sizeof daddr) || !v1_word(&p, end, sport, sizeof sport))
        return FALSE;   /* UNKNOWN, or a line cut short */
    const int family = strcmp(proto, "TCP4") == 0 ? 4 : strcmp(proto, "TCP6") == 0 ? 6 : 0;
    if (!family || inet_pton(family == 4 ? AF_INET : AF_INET6, saddr, bytes) != 1)
        return FALSE;
    n = g_ascii_strtoll(sport, &rest, 10);
    if (*rest || !g_ascii_isdigit(sport[0]) || n > 65535)
        return FALSE;
    memset(src, 0, sizeof *src);
    src->family = (guint8)family;
    memcpy(src->bytes, bytes, family == 4 ? 4 : 16);
    *port = (guint16)n;
    return TRUE;
}
