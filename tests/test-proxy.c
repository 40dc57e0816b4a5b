/* test-proxy.c — unit tests of reading a PROXY protocol header from the
 * start of a TCP payload (core/proxy.c): v1 lines and v2 headers as HAProxy's
 * proxy-protocol.txt writes them, and what is not one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/proxy.h"

#include <string.h>

static gboolean
v1(const char *line, tlsdiag_addr *a, guint16 *port)
{
    /* A copy of exactly the line's bytes: a read past them shows in ASan. */
    guint8 *copy = g_memdup2(line, strlen(line));
    gboolean ok = tlsdiag_proxy_v1_source(copy, strlen(line), a, port);
    g_free(copy);
    return ok;
}

static void
test_v1(void)
{
    static const guint8 v4[] = { 192, 0, 2, 1 };
    static const guint8 v6[] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x05 };
    tlsdiag_addr a;
    guint16 port = 0;

    g_assert_true(v1("PROXY TCP4 192.0.2.1 198.51.100.7 56324 443\r\n", &a, &port));
    g_assert_cmpuint(a.family, ==, 4);
    g_assert_cmpmem(a.bytes, 4, v4, 4);
    g_assert_cmpuint(port, ==, 56324);
    /* TLS right after the line, in the same segment. */
    g_assert_true(v1("PROXY TCP6 2001:db8::5 2001:db8::7 65535 443\r\n\x16\x03\x01", &a, &port));
    g_assert_cmpuint(a.family, ==, 6);
    g_assert_cmpmem(a.bytes, 16, v6, 16);
    g_assert_cmpuint(port, ==, 65535);
    /* The longest addresses and ports (104 bytes with the CRLF). */
    g_assert_true(v1("PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
                     "65535 65535\r\n", &a, &port));

    static const char *const bad[] = {
        "PROXY UNKNOWN\r\n",                              /* no client to name */
        "PROXY UNKNOWN 192.0.2.1 198.51.100.7 1 2\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.7 56324 443",    /* no CRLF: cut short */
        "PROXY TCP4 192.0.2.1 198.51.100.7 56324 443\r",
        "PROXY TCP4 2001:db8::5 198.51.100.7 56324 443\r\n",
        "PROXY TCP4 192.0.2.300 198.51.100.7 56324 443\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.7 65536 443\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.7 -1 443\r\n",
        "PROXY TCP4 192.0.2.1\r\n",
        "proxy TCP4 192.0.2.1 198.51.100.7 56324 443\r\n",
        "GET / HTTP/1.1\r\n",
        "PROXY ",
        "",
    };
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
        g_assert_false(v1(bad[i], &a, &port));
    /* A CRLF beyond the 107 bytes a line may have. */
    GString *longer = g_string_new("PROXY TCP4 192.0.2.1 198.51.100.7 56324 443");
    while (longer->len < 120)
        g_string_append_c(longer, ' ');
    g_string_append(longer, "\r\n");
    g_assert_false(v1(longer->str, &a, &port));
    g_string_free(longer, TRUE);
}

static void
test_v2(void)
{
    /* Signature, version 2 PROXY, TCP over IPv4, 12 bytes of addresses. */
    static const guint8 hdr[] = { 0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
                                  0x21, 0x11, 0x00, 0x0c, 192, 0, 2, 1, 198, 51, 100, 7, 0xdc, 0x04, 0x01, 0xbb };
    static const guint8 v4[] = { 192, 0, 2, 1 };
    tlsdiag_addr a;
    guint16 port = 0;

    g_assert_true(tlsdiag_proxy_v2_source(hdr, sizeof hdr, &a, &port));
    g_assert_cmpuint(a.family, ==, 4);
    g_assert_cmpmem(a.bytes, 4, v4, 4);
    g_assert_cmpuint(port, ==, 56324);
    g_assert_false(tlsdiag_proxy_v1_source(hdr, sizeof hdr, &a, &port));
    for (gsize n = 0; n < sizeof hdr; n++) {
        guint8 *copy = g_memdup2(hdr, n);
        g_assert_false(tlsdiag_proxy_v2_source(copy, n, &a, &port));
        g_free(copy);
    }
    guint8 local[sizeof hdr];
    memcpy(local, hdr, sizeof hdr);
    local[12] = 0x20;   /* LOCAL: a health check, no client */
    g_assert_false(tlsdiag_proxy_v2_source(local, sizeof local, &a, &port));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/proxy/v1", test_v1);
    g_test_add_func("/proxy/v2", test_v2);
    return g_test_run();
}
