/* core/proxy.c — the PROXY protocol v2 header (HAProxy's proxy-protocol.txt, 2.2).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/proxy.h"

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
