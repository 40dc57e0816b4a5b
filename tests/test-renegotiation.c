/* test-renegotiation.c — unit tests of the core and the judge, through their APIs, on
 * synthetic packets: a new handshake on an established connection: refused, misused, accepted.
 *
 * Every expectation is what a person reading the capture would conclude;
 * frame numbers are counted by hand from the packets each test sends.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "harness.h"

#include <string.h>

/* ---- renegotiation ---------------------------------------------------------- */

static const tlsdiag_handshake *
tls12_established(conn_t *c, const tlsdiag_client_hello *ch)
{
    syn(c);
    const tlsdiag_handshake *hs = client_hello(c, ch);
    server_hello(c, 0x0303, 0xc02f, 0x001d);
    g_assert_null(ccs_finished(c, CLIENT));
    g_assert_true(ccs_finished(c, SERVER) == hs);
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    return hs;
}

static void
test_renegotiation(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    /* Refused: an encrypted handshake record after data, then alerts. */
    conn_t a = conn_new(cap, 1, 56001);
    const tlsdiag_handshake *first = tls12_established(&a, &ch);      /* 4 .. 7 */
    g_assert_null(app_data(&a, CLIENT, 1));                           /* 8 */
    const tlsdiag_handshake *hs = raw(&a, CLIENT, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 248);   /* 9 */
    g_assert_nonnull(hs);
    g_assert_true(hs != first);
    g_assert_cmpuint(hs->client_hello_frame, ==, 9);
    g_assert_true(alert(&a, SERVER, 0, -1) == hs);                    /* 10 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 9, 10);
    assert_causes(hs, "renegotiation_refused");
    assert_has(evidence(hs, 0), "the client started a new handshake in frame 9 (an encrypted handshake record); "
                                "it ended with an encrypted alert from the server in frame 10");
    g_assert_cmpuint(first->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);

    /* Read with keys: the renegotiation ClientHello carries the SCSV and no
     * renegotiation_info (seed 03); the server must refuse. */
    tlsdiag_client_hello bad = modern_hello("www.example.com");
    bad.reneg_info = FALSE;
    SET_LIST(bad.suites, bad.n_suites, 0xc02f, 0x00ff);
    conn_t b = conn_new(cap, 2, 56002);
    b.cli = v4(30);
    tls12_established(&b, &ch);
    g_assert_null(app_data(&b, CLIENT, 1));
    hs = client_hello(&b, &bad);
    g_assert_true(alert(&b, SERVER, 2, 40) == hs);
    assert_causes(hs, "renegotiation_scsv_misuse renegotiation_refused");
    assert_has(evidence(hs, 0), "carries TLS_EMPTY_RENEGOTIATION_INFO_SCSV and no renegotiation_info: the server must refuse it");

    /* The same hello sent in plaintext (seed 03's client lost its state;
     * newer Wireshark decodes it): one cause, the lost state. */
    conn_t d = conn_new(cap, 4, 56004);
    d.cli = v4(32);
    tls12_established(&d, &ch);
    g_assert_null(app_data(&d, CLIENT, 1));
    tlsdiag_packet p = pkt(&d, CLIENT, F_TLS | TLSDIAG_PKT_CLIENT_HELLO | TLSDIAG_PKT_PLAIN_HELLO, 137);
    p.hello = &bad;
    hs = feed(&d, &p);
    g_assert_true(alert(&d, SERVER, 0, -1) == hs);
    assert_causes(hs, "new_handshake_on_established renegotiation_refused");
    assert_lacks(evidence(hs, 0), "Wireshark shows it");
}

/* A renegotiation accepted; connections retired once nothing can follow. */
static void
test_renegotiation_accepted_and_retired(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    const tlsdiag_handshake *hs;

    /* Accepted: the server's ChangeCipherSpec. */
    conn_t c = conn_new(cap, 3, 56003);
    c.cli = v4(31);
    tls12_established(&c, &ch);
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 3), ==, TLSDIAG_WANT_HANDSHAKE);
    hs = raw(&c, CLIENT, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 248);
    /* Under way: its ChangeCipherSpec, alerts and close matter. */
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 3), ==, TLSDIAG_WANT_ALL);
    g_assert_null(raw(&c, SERVER, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 2000));
    g_assert_null(raw(&c, CLIENT, F_TLS | TLSDIAG_PKT_CCS | TLSDIAG_PKT_ENC_HANDSHAKE, 300));
    g_assert_true(raw(&c, SERVER, F_TLS | TLSDIAG_PKT_CCS | TLSDIAG_PKT_ENC_HANDSHAKE, 60) == hs);
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    /* Only one renegotiation is followed per connection; after it the
     * connection is retired and its frames cost nothing. */
    g_assert_null(raw(&c, CLIENT, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 248));
    g_assert_null(app_data(&c, SERVER, 3));
    g_assert_null(alert(&c, SERVER, 0, -1));
    g_assert_null(fin(&c, SERVER));

    /* A failed connection is retired at once: nothing later (not even
     * TLS records that would look like a capture begun mid-way) counts. */
    conn_t e = conn_new(cap, 5, 56005);
    e.cli = v4(33);
    syn(&e);
    hs = client_hello(&e, &ch);
    g_assert_true(alert(&e, SERVER, 2, 40) == hs);
    g_assert_null(app_data(&e, SERVER, 1));
    g_assert_null(client_hello(&e, &ch));
    g_assert_null(rst(&e, CLIENT));
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 5), ==, TLSDIAG_WANT_NOTHING);
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 3), ==, TLSDIAG_WANT_NOTHING);       /* after its renegotiation */
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 999), ==, TLSDIAG_WANT_ALL);        /* unknown */
    conn_t f = conn_new(cap, 6, 56006);
    f.cli = v4(34);
    tls12_established(&f, &ch);
    /* TLS 1.2, open: may renegotiate; only handshake records and its close matter. */
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 6), ==, TLSDIAG_WANT_HANDSHAKE);
    g_assert_null(fin(&f, CLIENT));
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 6), ==, TLSDIAG_WANT_NOTHING);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    TEST_CAPTURE("/renegotiation/refused-and-misused", test_renegotiation);
    TEST_CAPTURE("/renegotiation/accepted-and-retired", test_renegotiation_accepted_and_retired);
    return g_test_run();
}
