/* test-retry.c — unit tests of the core and the judge, through their APIs, on
 * synthetic packets: attempt chains: retries linked per client and service, recovery, version
 * intolerance, storms, PROXY identities, the index sweep.
 *
 * Every expectation is what a person reading the capture would conclude;
 * frame numbers are counted by hand from the packets each test sends.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "harness.h"

#include <string.h>

/* ---- retry linking -------------------------------------------------------- */

static const char *
story(const tlsdiag_handshake *hs, gboolean capture_done)
{
    static char buf[512];
    return tlsdiag_attempt_story(hs, capture_done, buf, sizeof buf);
}

/* The PROXY header a load balancer sends first on its connection. */
static void
proxy_header(conn_t *c, guint8 version, guint8 orig_last)
{
    tlsdiag_packet p = pkt(c, CLIENT, TLSDIAG_PKT_PROXY | TLSDIAG_PKT_NOT_TLS, version == 1 ? 48 : 28);
    p.proxy_src = v4(orig_last);
    p.proxy_src.bytes[0] = 192;
    p.proxy_srcport = 40000;
    p.proxy_version = version;
    g_assert_null(feed(c, &p));
}

/* Seed 01: reset, fallback refused with SCSV, success at full strength. */
static void
test_retry_fallback_recovered(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello best = modern_hello("www.example.com");
    tlsdiag_client_hello fallback = legacy_hello(0x0301, "www.example.com");
    SET_LIST(fallback.suites, fallback.n_suites, 0xc013, 0xc014, 0x002f, 0x5600);

    conn_t a = conn_new(cap, 1, 50001);
    syn(&a);
    tlsdiag_handshake *h1 = (tlsdiag_handshake *)client_hello(&a, &best);     /* 4 */
    g_assert_true(rst(&a, SERVER) == h1);                                     /* 5 */
    g_assert_cmpuint(h1->attempt, ==, 1);
    g_assert_null(tlsdiag_hs_prev(h1));
    g_assert_cmpstr(h1->client, ==, "10.0.0.1");
    g_assert_null(story(h1, FALSE));

    wait_ms(cap, 500);
    conn_t b = conn_new(cap, 2, 50002);
    syn(&b);                                                                  /* 6-8 */
    const tlsdiag_handshake *h2 = client_hello(&b, &fallback);                /* 9 */
    g_assert_true(tlsdiag_hs_prev(h2) == h1);
    g_assert_true(tlsdiag_hs_next(h1) == h2);
    g_assert_cmpuint(h2->attempt, ==, 2);
    wait_ms(cap, 1);
    g_assert_true(alert(&b, SERVER, 2, 86) == h2);                            /* 10 */
    assert_causes(h2, "inappropriate_fallback");
    g_assert_null(tlsdiag_hs_recovered_by(h1));
    /* Single pass: what came before, not yet what comes after. */
    assert_has(story(h2, FALSE), "Attempt 2 from 10.0.0.1");
    assert_has(story(h2, FALSE), "attempt 1 (frame 4) failed: Connection reset right after the ClientHello");
    assert_lacks(story(h2, FALSE), "recovered");

    wait_ms(cap, 700);
    conn_t c = conn_new(cap, 3, 50003);
    syn(&c);                                                                  /* 11-13 */
    const tlsdiag_handshake *h3 = client_hello(&c, &best);                    /* 14 */
    g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x001d));                  /* 15 */
    g_assert_null(app_data(&c, CLIENT, 1));
    g_assert_true(app_data(&c, SERVER, 1) == h3);                             /* 17 */
    assert_hs(h3, TLSDIAG_OUTCOME_ESTABLISHED, 14, 17);
    g_assert_cmpuint(h3->attempt, ==, 3);
    g_assert_true(tlsdiag_hs_prev(h3) == h2 && tlsdiag_hs_next(h2) == h3 && tlsdiag_hs_first(h3) == h1);
    g_assert_true(tlsdiag_hs_recovered_by(h1) == h3 && tlsdiag_hs_recovered_by(h2) == h3);
    g_assert_null(tlsdiag_hs_recovered_by(h3));
    /* TLS 1.3 offered and got at the end: no version intolerance. */
    assert_causes(h1, "reset_after_client_hello");
    assert_has(story(h2, TRUE), "The client recovered: attempt 3 (frame 14) succeeded, 1.2 s after its first attempt.");
    assert_has(story(h1, TRUE), "Attempt 1 from 10.0.0.1");
    assert_has(story(h1, TRUE), "recovered");
    assert_has(story(h3, TRUE), "It succeeded: the client got through 1.2 s after its first attempt (frame 4).");
    g_assert_null(story(h1, FALSE));

    /* After the success a new connection starts a new chain. */
    wait_ms(cap, 1000);
    conn_t d = conn_new(cap, 4, 50004);
    syn(&d);
    const tlsdiag_handshake *h4 = client_hello(&d, &best);
    g_assert_cmpuint(h4->attempt, ==, 1);
    g_assert_null(tlsdiag_hs_prev(h4));
    g_assert_null(tlsdiag_hs_next(h3));
}

/* A success its own client refuses at once (TLS 1.2, after both Finished
 * messages: core/track.c's refused_once_done) recovers nothing: the chain
 * goes on past it. */
static void
test_retry_refused_goes_on(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    conn_t a = tcp_conn_new(cap, 1, 50001);
    syn(&a);
    const tlsdiag_handshake *h1 = client_hello(&a, &ch);                      /* 4 */
    g_assert_true(rst(&a, SERVER) == h1);                                     /* 5 */

    wait_ms(cap, 400);
    conn_t b = tcp_conn_new(cap, 2, 50002);
    syn(&b);                                                                  /* 6-8 */
    const tlsdiag_handshake *h2 = client_hello(&b, &ch);                      /* 9 */
    g_assert_null(server_hello(&b, 0x0303, 0xc02f, 0x001d));                  /* 10 */
    g_assert_null(ccs_finished(&b, CLIENT));                                  /* 11 */
    g_assert_true(ccs_finished(&b, SERVER) == h2);                            /* 12 */
    g_assert_true(tlsdiag_hs_recovered_by(h1) == h2);
    g_assert_true(alert(&b, CLIENT, 2, 46) == h2);                            /* 13 */
    assert_hs(h2, TLSDIAG_OUTCOME_FAILED, 9, 13);
    g_assert_null(tlsdiag_hs_recovered_by(h1));

    wait_ms(cap, 300);
    conn_t c = tcp_conn_new(cap, 3, 50003);
    syn(&c);                                                                  /* 14-16 */
    const tlsdiag_handshake *h3 = client_hello(&c, &ch);                      /* 17 */
    g_assert_cmpuint(h3->attempt, ==, 3);
    g_assert_true(tlsdiag_hs_prev(h3) == h2 && tlsdiag_hs_first(h3) == h1);
    assert_has(story(h3, FALSE), "0.3 s after attempt 2 (frame 9) failed");
}

/* A failure that was provisional (the capture lacked the server's last
 * bytes, frame 6's answer) and two retries the client made meanwhile: when
 * the bytes come, the first handshake is established after all, and the
 * attempts after it form a chain of their own, numbered and timed from
 * there. */
static void
test_retry_revised_cuts_chain(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    conn_t a = tcp_conn_new(cap, 1, 50001);
    guint32 late;

    const tlsdiag_handshake *h1 = provisional_failure(&a, &ch, &late);        /* 1-7 */
    assert_hs(h1, TLSDIAG_OUTCOME_FAILED, 4, 7);
    g_assert_true(h1->flags & TLSDIAG_HS_PROVISIONAL);

    wait_ms(cap, 400);
    conn_t b = tcp_conn_new(cap, 2, 50002);
    syn(&b);                                                                  /* 8-10 */
    const tlsdiag_handshake *h2 = client_hello(&b, &ch);                      /* 11 */
    g_assert_true(rst(&b, SERVER) == h2);                                     /* 12 */
    wait_ms(cap, 300);
    conn_t c = tcp_conn_new(cap, 3, 50003);
    syn(&c);                                                                  /* 13-15 */
    const tlsdiag_handshake *h3 = client_hello(&c, &ch);                      /* 16 */
    g_assert_cmpuint(h3->attempt, ==, 3);
    g_assert_true(tlsdiag_hs_prev(h2) == h1 && tlsdiag_hs_first(h3) == h1);

    g_assert_true(late_flight(&a, late) == h1);                               /* 17: reordered */
    assert_hs(h1, TLSDIAG_OUTCOME_ESTABLISHED, 4, 17);
    g_assert_true(h1->flags & TLSDIAG_HS_REVISED);
    g_assert_cmpuint(h1->attempt, ==, 1);
    g_assert_null(tlsdiag_hs_next(h1));
    g_assert_null(tlsdiag_hs_recovered_by(h1));
    g_assert_null(tlsdiag_hs_prev(h2));
    g_assert_true(tlsdiag_hs_first(h2) == h2 && tlsdiag_hs_first(h3) == h2);
    g_assert_true(tlsdiag_hs_next(h2) == h3 && tlsdiag_hs_prev(h3) == h2);
    g_assert_cmpuint(h2->attempt, ==, 1);
    g_assert_cmpuint(h3->attempt, ==, 2);
    g_assert_cmpint(tlsdiag_hs_hello_ns(h3) - tlsdiag_hs_hello_ns(h2), ==, 300 * G_GINT64_CONSTANT(1000000));
    assert_has(story(h3, FALSE), "Attempt 2 from 10.0.0.1 to this service, 0.3 s after attempt 1 (frame 11) failed");
    g_assert_null(story(h1, TRUE));
}

/* Three failures and nothing after: the client never got through. */
static void
test_retry_never_recovers(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = legacy_hello(0x0303, "old.example.com");
    const tlsdiag_handshake *hs[3];

    for (guint i = 0; i < 3; i++) {
        conn_t c = conn_new(cap, 10 + i, (guint16)(50010 + i));
        syn(&c);
        hs[i] = client_hello(&c, &ch);
        g_assert_true(alert(&c, SERVER, 2, 70) == hs[i]);
        g_assert_cmpuint(hs[i]->attempt, ==, i + 1);
        wait_ms(cap, 800);
    }
    g_assert_true(tlsdiag_hs_prev(hs[1]) == hs[0] && tlsdiag_hs_prev(hs[2]) == hs[1] && tlsdiag_hs_next(hs[0]) == hs[1]);
    for (guint i = 0; i < 3; i++)
        g_assert_null(tlsdiag_hs_recovered_by(hs[i]));
    assert_has(story(hs[0], TRUE), "The client retried (frame 9) but never got through in this capture.");
    assert_has(story(hs[2], TRUE), "The client never got through in this capture.");
    assert_has(story(hs[2], TRUE), "attempt 2 (frame 9) failed: Protocol version mismatch");
}

/* What is not a retry: after the window, another client, another name,
 * another server port, or while the earlier attempt is still going. */
static void
test_retry_not_linked(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    tlsdiag_client_hello other_name = modern_hello("api.example.com");

    conn_t a = conn_new(cap, 20, 50020);
    syn(&a);
    const tlsdiag_handshake *h1 = client_hello(&a, &ch);
    g_assert_true(rst(&a, SERVER) == h1);

    wait_ms(cap, 30001);                       /* just past the 30 s window */
    conn_t b = conn_new(cap, 21, 50021);
    syn(&b);
    const tlsdiag_handshake *h2 = client_hello(&b, &ch);
    g_assert_cmpuint(h2->attempt, ==, 1);
    g_assert_null(tlsdiag_hs_prev(h2));
    g_assert_null(tlsdiag_hs_next(h1));

    /* h2 is still waiting for an answer: a parallel connection is no retry. */
    conn_t c = conn_new(cap, 22, 50022);
    syn(&c);
    const tlsdiag_handshake *h3 = client_hello(&c, &ch);
    g_assert_cmpuint(h3->attempt, ==, 1);
    g_assert_true(rst(&c, SERVER) == h3);

    /* Another client address, another SNI, another port: separate chains. */
    conn_t d = conn_new(cap, 23, 50023);
    d.cli = v4(9);
    syn(&d);
    g_assert_cmpuint(client_hello(&d, &ch)->attempt, ==, 1);
    conn_t e = conn_new(cap, 24, 50024);
    syn(&e);
    g_assert_cmpuint(client_hello(&e, &other_name)->attempt, ==, 1);
    conn_t f = conn_new(cap, 25, 50025);
    f.sport = 8443;
    syn(&f);
    g_assert_cmpuint(client_hello(&f, &ch)->attempt, ==, 1);

    /* Within 30 s of h3's reset, same client, name and port: a retry. */
    wait_ms(cap, 29000);
    conn_t g = conn_new(cap, 26, 50026);
    syn(&g);
    const tlsdiag_handshake *h7 = client_hello(&g, &ch);
    g_assert_cmpuint(h7->attempt, ==, 2);
    g_assert_true(tlsdiag_hs_prev(h7) == h3);
}

/* Two clients interleaved: each chain follows its own client. */
static void
test_retry_two_clients(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    conn_t a1 = conn_new(cap, 30, 50030), b1 = conn_new(cap, 31, 50031);
    conn_t a2 = conn_new(cap, 32, 50032), b2 = conn_new(cap, 33, 50033);
    b1.cli = b2.cli = v4(7);

    syn(&a1);
    const tlsdiag_handshake *ha1 = client_hello(&a1, &ch);
    syn(&b1);
    const tlsdiag_handshake *hb1 = client_hello(&b1, &ch);
    g_assert_true(rst(&a1, SERVER) == ha1);
    g_assert_true(rst(&b1, SERVER) == hb1);
    wait_ms(cap, 500);
    syn(&a2);
    const tlsdiag_handshake *ha2 = client_hello(&a2, &ch);
    syn(&b2);
    const tlsdiag_handshake *hb2 = client_hello(&b2, &ch);
    g_assert_null(server_hello(&a2, 0x0304, 0x1301, 0x001d));
    g_assert_null(app_data(&a2, CLIENT, 1));
    g_assert_true(app_data(&a2, SERVER, 1) == ha2);
    g_assert_true(rst(&b2, SERVER) == hb2);

    g_assert_true(tlsdiag_hs_prev(ha2) == ha1 && tlsdiag_hs_prev(hb2) == hb1);
    g_assert_cmpstr(hb2->client, ==, "10.0.0.7");
    g_assert_true(tlsdiag_hs_recovered_by(ha1) == ha2);
    g_assert_null(tlsdiag_hs_recovered_by(hb1));
    g_assert_null(tlsdiag_hs_recovered_by(hb2));
}

/* Behind a load balancer every connection comes from its address: the
 * PROXY header names the client; a preference can ignore it. */
static void
test_retry_proxy_identity(void)
{
    for (int use_proxy = 1; use_proxy >= 0; use_proxy--) {
        capture_t cap;
        tlsdiag_options opt;
        tlsdiag_options_default(&opt);
        g_assert_true(opt.client_from_proxy);
        opt.client_from_proxy = use_proxy;
        cap.core = tlsdiag_core_new(&opt, tlsdiag_judge);
        cap.frame = 0;
        cap.now_ns = T0_NS;
        tlsdiag_client_hello ch = modern_hello("www.example.com");
        conn_t a = conn_new(&cap, 40, 50040), b = conn_new(&cap, 41, 50041), c = conn_new(&cap, 42, 50042);

        syn(&a);
        proxy_header(&a, 2, 20);                                      /* 192.0.0.20 */
        const tlsdiag_handshake *ha = client_hello(&a, &ch);
        g_assert_true(rst(&a, SERVER) == ha);
        syn(&b);
        proxy_header(&b, 2, 30);                                      /* another client */
        const tlsdiag_handshake *hb = client_hello(&b, &ch);
        g_assert_true(rst(&b, SERVER) == hb);
        syn(&c);
        proxy_header(&c, 2, 20);                                      /* the first one again */
        const tlsdiag_handshake *hc = client_hello(&c, &ch);

        if (use_proxy) {
            g_assert_cmpstr(ha->client, ==, "192.0.0.20 (from the PROXY v2 header; on the wire 10.0.0.1)");
            g_assert_cmpuint(hb->attempt, ==, 1);
            g_assert_true(tlsdiag_hs_prev(hc) == ha);
        } else {
            g_assert_cmpstr(ha->client, ==, "10.0.0.1");
            g_assert_true(tlsdiag_hs_prev(hb) == ha);
            g_assert_true(tlsdiag_hs_prev(hc) == hb);
            g_assert_cmpuint(hc->attempt, ==, 3);
        }
        tlsdiag_core_free(cap.core);
    }
}

/* A server that resets a TLS 1.3 ClientHello but takes the TLS 1.2 retry. */
static void
test_version_intolerance(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello best = modern_hello("www.example.com");
    tlsdiag_client_hello tls12 = legacy_hello(0x0303, "www.example.com");

    conn_t a = conn_new(cap, 50, 50050);
    syn(&a);
    const tlsdiag_handshake *h1 = client_hello(&a, &best);           /* 4 */
    g_assert_true(rst(&a, SERVER) == h1);                             /* 5 */
    assert_causes(h1, "reset_after_client_hello");
    wait_ms(cap, 300);
    conn_t b = conn_new(cap, 51, 50051);
    syn(&b);
    const tlsdiag_handshake *h2 = client_hello(&b, &tls12);          /* 9 */
    g_assert_null(server_hello(&b, 0x0303, 0xc013, 0x001d));
    g_assert_null(ccs_finished(&b, CLIENT));
    g_assert_true(ccs_finished(&b, SERVER) == h2);
    assert_causes(h1, "version_intolerance reset_after_client_hello");
    assert_has(evidence(h1, 0), "frame 4 offered up to TLS 1.3 and failed (Connection reset right after the ClientHello)");
    assert_has(evidence(h1, 0), "retry in frame 9 offered up to TLS 1.2 and the server accepted it with TLS 1.2");
    assert_causes(h2, "(no verdict)");

    /* A refused fallback is the server doing its job, not intolerance. */
    conn_t c = conn_new(cap, 52, 50052);
    c.cli = v4(3);
    syn(&c);
    const tlsdiag_handshake *h3 = client_hello(&c, &best);
    g_assert_true(alert(&c, SERVER, 2, 40) == h3);
    conn_t d = conn_new(cap, 53, 50053);
    d.cli = v4(3);
    syn(&d);
    tlsdiag_client_hello fallback = tls12;
    SET_LIST(fallback.suites, fallback.n_suites, 0xc013, 0x5600);
    const tlsdiag_handshake *h4 = client_hello(&d, &fallback);
    g_assert_true(alert(&d, SERVER, 2, 86) == h4);
    conn_t e = conn_new(cap, 54, 50054);
    e.cli = v4(3);
    syn(&e);
    const tlsdiag_handshake *h5 = client_hello(&e, &tls12);
    g_assert_null(server_hello(&e, 0x0303, 0xc013, 0x001d));
    g_assert_null(ccs_finished(&e, CLIENT));
    g_assert_true(ccs_finished(&e, SERVER) == h5);
    g_assert_true(tlsdiag_hs_recovered_by(h3) == h5 && tlsdiag_hs_recovered_by(h4) == h5);
    assert_causes(h4, "inappropriate_fallback");
}

static void
test_retry_storm(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    const tlsdiag_handshake *hs = NULL;

    for (guint i = 1; i <= 7; i++) {
        conn_t c = conn_new(cap, 60 + i, (guint16)(50060 + i));
        syn(&c);
        hs = client_hello(&c, &ch);
        wait_ms(cap, 100);
        g_assert_true(rst(&c, SERVER) == hs);
        g_assert_cmpuint(hs->attempt, ==, i);
        /* The default limit is 5: the sixth failure is the storm. */
        assert_causes(hs, i == 6 ? "reset_after_client_hello retry_storm" : "reset_after_client_hello");
        if (i == 6)
            assert_has(evidence(hs, 1), "failed attempt 6 of 10.0.0.1 to this service in 2.1 s (the first in frame 4)");
        wait_ms(cap, 300);
    }
}

/* A scanner's run: hellos within a second of each other, each offering
 * one suite fewer (as sslscan does); the eighth shows it a run, and the
 * seven before are told too; its failures make no retry storm. A client
 * alternating two offers (two programs behind one address), or changing
 * offers two seconds apart, makes no run. GREASE values drawn anew for
 * each hello change no offer. */
static void
test_retry_scan_probes(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    static const char *const sni[] = { "scan.example.com", "two.example.com", "slow.example.com" };

    for (guint variant = 0; variant < 3; variant++) {
        const tlsdiag_handshake *hs[9];
        guint32 first = 0;
        for (guint i = 0; i < 9; i++) {
            conn_t c = conn_new(cap, 70 + 10 * variant + i, (guint16)(50070 + 10 * variant + i));
            tlsdiag_client_hello ch = modern_hello(sni[variant]);
            ch.suites[0] = (guint16)(0x0a0a + 0x1010 * i);          /* GREASE */
            ch.n_suites -= variant == 1 ? i % 2 : variant == 0 ? i : 0;
            if (variant == 2)
                ch.suites[1] = (guint16)(0x1301 + i % 3);
            syn(&c);
            hs[i] = client_hello(&c, &ch);
            if (!i)
                first = hs[i]->client_hello_frame;
            wait_ms(cap, 20);
            g_assert_true(alert(&c, SERVER, 2, 40) == hs[i]);
            wait_ms(cap, variant == 2 ? 2000 : 50);
        }
        for (guint i = 0; i < 9; i++) {
            char *causes = causes_of(hs[i]);
            g_assert_true((strstr(causes, "tls_scan") != NULL) == (variant == 0));
            g_assert_true((strstr(causes, "retry_storm") != NULL) == (variant != 0 && i == 5));
            g_free(causes);
        }
        if (variant == 0) {
            char want[96];
            g_snprintf(want, sizeof want, "number 8 of a run from 10.0.0.1 to this service that began in frame %u, "
                       "0.5 s earlier", first);
            assert_has(evidence(hs[7], 0), want);
            assert_has(evidence(hs[0], 0), "the first of a run from 10.0.0.1 to this service");
            g_snprintf(want, sizeof want, "number 3 of a run from 10.0.0.1 to this service that began in frame %u:",
                       first);
            assert_has(evidence(hs[2], 0), want);
        }
    }
}

/* A hybrid post-quantum key share makes the hello span two segments; the
 * server side resets it; the next, smaller hello goes through. */
static void
test_large_client_hello(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello big = modern_hello("www.example.com");
    big.length = 1562;
    big.segments = 2;
    tlsdiag_client_hello small = modern_hello("www.example.com");

    conn_t a = conn_new(cap, 70, 50070);
    syn(&a);
    const tlsdiag_handshake *h1 = client_hello(&a, &big);            /* 4 */
    g_assert_true(rst(&a, SERVER) == h1);                             /* 5 */
    assert_causes(h1, "large_client_hello_dropped reset_after_client_hello");
    assert_has(evidence(h1, 0), "frame 4 is 1562 bytes in 2 TCP segments; the server side reset the connection in frame 5");
    wait_ms(cap, 1000);
    conn_t b = conn_new(cap, 71, 50071);
    syn(&b);
    const tlsdiag_handshake *h2 = client_hello(&b, &small);
    g_assert_null(server_hello(&b, 0x0304, 0x1301, 0x001d));
    g_assert_null(app_data(&b, CLIENT, 1));
    g_assert_true(app_data(&b, SERVER, 1) == h2);
    g_assert_true(tlsdiag_hs_recovered_by(h1) == h2);
    assert_causes(h1, "large_client_hello_dropped reset_after_client_hello");

    /* Silence: over 1400 bytes in one (large-MSS) segment, the client gives up. */
    conn_t c = conn_new(cap, 72, 50072);
    c.cli = v4(5);
    big.segments = 1;
    syn(&c);
    const tlsdiag_handshake *h3 = client_hello(&c, &big);
    wait_ms(cap, 10000);
    g_assert_true(fin(&c, CLIENT) == h3);
    assert_causes(h3, "large_client_hello_dropped no_server_response");
    assert_has(evidence(h3, 0), "is 1562 bytes; the server never answered and the client gave up");

    /* A normal-size hello that is reset is no such case. */
    conn_t d = conn_new(cap, 73, 50073);
    d.cli = v4(6);
    syn(&d);
    const tlsdiag_handshake *h4 = client_hello(&d, &small);
    g_assert_true(rst(&d, SERVER) == h4);
    assert_causes(h4, "reset_after_client_hello");
}

/* Thousands of clients: the index is swept of idle entries and still links
 * the recent ones. */
static void
test_retry_index_sweep(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    const tlsdiag_handshake *last = NULL;

    for (guint i = 0; i < 3000; i++) {
        conn_t c = conn_new(cap, 1000 + i, 40000);
        c.cli.bytes[2] = (guint8)(i >> 8);
        c.cli.bytes[3] = (guint8)i;
        syn(&c);
        last = client_hello(&c, &ch);
        g_assert_cmpuint(last->attempt, ==, 1);
        g_assert_true(rst(&c, SERVER) == last);
        wait_ms(cap, 50);
    }
    conn_t again = conn_new(cap, 9999, 40001);
    again.cli.bytes[2] = (guint8)(2999 >> 8);
    again.cli.bytes[3] = (guint8)2999;
    syn(&again);
    const tlsdiag_handshake *hs = client_hello(&again, &ch);
    g_assert_true(tlsdiag_hs_prev(hs) == last);
}

/* A client's address as its text: every octet width, both extremes, and IPv6. */
static void
test_client_text(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    static const struct {
        tlsdiag_addr addr;
        const char  *text;
    } clients[] = {
        { { .family = 4, .bytes = { 0, 9, 10, 99 } }, "0.9.10.99" },
        { { .family = 4, .bytes = { 100, 199, 200, 255 } }, "100.199.200.255" },
        { { .family = 4, .bytes = { 255, 255, 255, 255 } }, "255.255.255.255" },
        { { .family = 6, .bytes = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } }, "2001:db8::1" },
    };
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    for (guint i = 0; i < G_N_ELEMENTS(clients); i++) {
        conn_t c = conn_new(cap, i + 1, 50001);
        c.cli = clients[i].addr;
        if (c.cli.family == 6)
            c.srv = (tlsdiag_addr){ .family = 6, .bytes = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 } };
        syn(&c);
        const tlsdiag_handshake *hs = client_hello(&c, &ch);
        g_assert_nonnull(hs);
        g_assert_cmpstr(hs->client, ==, clients[i].text);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    TEST_CAPTURE("/retry/fallback-recovered", test_retry_fallback_recovered);
    TEST_CAPTURE("/retry/never-recovers", test_retry_never_recovers);
    TEST_CAPTURE("/retry/revised-cuts-chain", test_retry_revised_cuts_chain);
    TEST_CAPTURE("/retry/refused-goes-on", test_retry_refused_goes_on);
    TEST_CAPTURE("/retry/not-linked", test_retry_not_linked);
    TEST_CAPTURE("/retry/two-clients", test_retry_two_clients);
    g_test_add_func("/retry/proxy-identity", test_retry_proxy_identity);
    TEST_CAPTURE("/retry/version-intolerance", test_version_intolerance);
    TEST_CAPTURE("/retry/storm", test_retry_storm);
    TEST_CAPTURE("/retry/scan-probes", test_retry_scan_probes);
    TEST_CAPTURE("/retry/large-client-hello", test_large_client_hello);
    TEST_CAPTURE("/retry/index-sweep", test_retry_index_sweep);
    TEST_CAPTURE("/retry/client-text", test_client_text);
    return g_test_run();
}
