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

/* ---- a client certificate asked for after the handshake ----------------- */

/* A frame of handshake messages read with keys: types, in order. */
static const tlsdiag_handshake *
keyed(conn_t *c, gboolean from_server, guint32 flags, const guint8 *types, guint n_types, guint32 len)
{
    static const tlsdiag_cert none[1];
    tlsdiag_packet p = pkt(c, from_server, F_TLS | flags, len);
    memcpy(p.hs_types, types, n_types);
    p.n_hs_types = n_types;
    p.certs = none;
    if (flags & TLSDIAG_PKT_APP_DATA)
        p.n_app_data = 1;
    return feed(c, &p);
}

/* A TLS 1.3 handshake over TCP read with keys, done by the server's ticket. */
static const tlsdiag_handshake *
tls13_keyed_established(conn_t *c, const tlsdiag_client_hello *ch)
{
    static const guint8 server_flight[] = { 2, 8, 11, 15, 20 }, finished[] = { 20 }, ticket[] = { 4 };
    syn(c);
    const tlsdiag_handshake *hs = client_hello(c, ch);                                      /* +4 */
    tlsdiag_packet p = pkt(c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO | TLSDIAG_PKT_CCS | TLSDIAG_PKT_APP_DATA |
                           TLSDIAG_PKT_FINISHED, 2600);                                      /* +5 */
    memcpy(p.hs_types, server_flight, sizeof server_flight);
    p.n_hs_types = sizeof server_flight;
    p.n_app_data = 4;
    p.sh_version = 0x0304;
    p.sh_suite = 0x1301;
    p.sh_group = 0x001d;
    g_assert_null(feed(c, &p));
    keyed(c, CLIENT, TLSDIAG_PKT_CCS | TLSDIAG_PKT_APP_DATA | TLSDIAG_PKT_FINISHED, finished, 1, 80); /* +6 */
    g_assert_true(keyed(c, SERVER, TLSDIAG_PKT_APP_DATA, ticket, 1, 250) == hs);               /* +7 */
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    return hs;
}

/* TLS 1.3 post-handshake authentication, read with the key log: the
 * server's CertificateRequest after the handshake, the client's answer,
 * then the server's alert, or its data. Seen without keys, or with a client
 * that did not offer it, the connection is done once established. */
static void
test_post_handshake_auth(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    static const guint8 cr[] = { 13 }, cert_fin[] = { 11, 20 }, cert_cv_fin[] = { 11, 15, 20 }, ticket[] = { 4 };
    tlsdiag_client_hello ch = modern_hello("good.example");
    ch.pha = TRUE;

    /* No certificate: certificate_required (Apache httpd, curl). */
    conn_t a = conn_new(cap, 1, 57001);
    const tlsdiag_handshake *first = tls13_keyed_established(&a, &ch);                     /* 4 .. 7 */
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 1), ==, TLSDIAG_WANT_LATE_AUTH);
    g_assert_null(app_data(&a, CLIENT, 1));                                                 /* 8 */
    const tlsdiag_handshake *hs = keyed(&a, SERVER, TLSDIAG_PKT_APP_DATA | TLSDIAG_PKT_CERT_REQUEST, cr, 1, 80); /* 9 */
    g_assert_nonnull(hs);
    g_assert_true(hs != first);
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 1), ==, TLSDIAG_WANT_ALL);
    g_assert_null(keyed(&a, CLIENT, TLSDIAG_PKT_APP_DATA | TLSDIAG_PKT_CERTIFICATE | TLSDIAG_PKT_FINISHED,
                        cert_fin, 2, 90));                                                  /* 10 */
    g_assert_true(alert(&a, SERVER, 2, 116) == hs);                                         /* 11 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 9, 11);
    assert_causes(hs, "client_cert_required");
    assert_has(evidence(hs, 0), "After the TLS 1.3 handshake of frame 4, the server asked the client for a certificate "
                                "(post-handshake authentication: its CertificateRequest in frame 9, read with the key "
                                "log); the client's Certificate in frame 10 was empty, and the server ended the "
                                "connection with fatal alert certificate_required (116) in frame 11.");
    g_assert_cmpuint(first->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 1), ==, TLSDIAG_WANT_NOTHING);

    /* A certificate the server refuses. */
    conn_t b = conn_new(cap, 2, 57002);
    b.cli = v4(30);
    tls13_keyed_established(&b, &ch);                                                       /* 15 .. 18 */
    g_assert_null(app_data(&b, CLIENT, 1));                                                 /* 19 */
    hs = keyed(&b, SERVER, TLSDIAG_PKT_APP_DATA | TLSDIAG_PKT_CERT_REQUEST, cr, 1, 80);    /* 20 */
    tlsdiag_cert leaf = { .subject = "CN=client" };
    tlsdiag_packet p = pkt(&b, CLIENT, F_TLS | TLSDIAG_PKT_APP_DATA | TLSDIAG_PKT_CERTIFICATE | TLSDIAG_PKT_FINISHED,
                           1400);                                                           /* 21 */
    memcpy(p.hs_types, cert_cv_fin, sizeof cert_cv_fin);
    p.n_hs_types = sizeof cert_cv_fin;
    p.certs = &leaf;
    p.n_certs = 1;
    g_assert_null(feed(&b, &p));
    g_assert_true(alert(&b, SERVER, 2, 43) == hs);                                          /* 22 */
    assert_causes(hs, "client_cert_rejected");
    assert_has(evidence(hs, 0), "the client sent a certificate (frame 21) and the server ended the connection with "
                                "fatal alert unsupported_certificate (43) in frame 22");

    /* Accepted: the server's ticket and data after the client's answer. */
    conn_t d = conn_new(cap, 3, 57003);
    d.cli = v4(31);
    tls13_keyed_established(&d, &ch);                                                       /* 26 .. 29 */
    hs = keyed(&d, SERVER, TLSDIAG_PKT_APP_DATA | TLSDIAG_PKT_CERT_REQUEST, cr, 1, 80);    /* 30 */
    g_assert_null(keyed(&d, CLIENT, TLSDIAG_PKT_APP_DATA | TLSDIAG_PKT_CERTIFICATE | TLSDIAG_PKT_FINISHED,
                        cert_fin, 2, 90));                                                  /* 31 */
    g_assert_true(keyed(&d, SERVER, TLSDIAG_PKT_APP_DATA, ticket, 1, 250) == hs);          /* 32 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 30, 32);
    g_assert_null(hs->verdict);

    /* A client that did not offer it: nothing after the handshake counts. */
    tlsdiag_client_hello plain = modern_hello("good.example");
    conn_t e = conn_new(cap, 4, 57004);
    e.cli = v4(32);
    tls13_keyed_established(&e, &plain);
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 4), ==, TLSDIAG_WANT_NOTHING);

    /* Without keys (the server's Finished unread) likewise. */
    conn_t f = conn_new(cap, 5, 57005);
    f.cli = v4(33);
    syn(&f);
    hs = client_hello(&f, &ch);
    server_hello(&f, 0x0304, 0x1301, 0x001d);
    g_assert_null(app_data(&f, CLIENT, 1));
    g_assert_true(app_data(&f, SERVER, 1) == hs);
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 5), ==, TLSDIAG_WANT_NOTHING);
}

/* A renegotiation the server began to ask for a client certificate (Apache
 * httpd for one path, TLS 1.2), ended by the server after the client's
 * answer: with keys its Certificate decides, without keys it is likely, and
 * the size of the client's first record ranks the two. */
static void
test_renegotiation_client_cert(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    static const guint8 hello_request[] = { 0 }, server_flight[] = { 2, 11, 12, 13, 14 },
                        cert_cke[] = { 11, 16 };
    tlsdiag_client_hello ch = modern_hello("good.example");

    /* With keys: an empty Certificate. */
    conn_t a = conn_new(cap, 1, 58001);
    tls12_established(&a, &ch);                                                 /* 4 .. 7 */
    g_assert_null(app_data(&a, CLIENT, 1));                                     /* 8 */
    const tlsdiag_handshake *hs = keyed(&a, SERVER, 0, hello_request, 1, 40);   /* 9 */
    g_assert_nonnull(hs);
    g_assert_cmpuint(hs->client_hello_frame, ==, 9);
    g_assert_null(client_hello(&a, &ch));                                       /* 10 */
    g_assert_null(keyed(&a, SERVER, TLSDIAG_PKT_CERTIFICATE | TLSDIAG_PKT_CERT_REQUEST | TLSDIAG_PKT_SERVER_DONE,
                        server_flight, 5, 2000));                               /* 11 */
    g_assert_null(keyed(&a, CLIENT, TLSDIAG_PKT_CERTIFICATE | TLSDIAG_PKT_CCS, cert_cke, 2, 150)); /* 12 */
    g_assert_true(alert(&a, SERVER, 2, 40) == hs);                              /* 13 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 9, 13);
    assert_causes(hs, "client_cert_required");
    assert_has(evidence(hs, 0), "On the connection established by the handshake of frame 4, the server started a "
                                "renegotiation in frame 9 and the server asked in it for a client certificate (its "
                                "CertificateRequest in frame 11, read with the key log); the client's Certificate in "
                                "frame 12 was empty");
    assert_has(summary(hs), "the server asked for a client certificate, ended by");

    /* Without keys, each side's records in turn: likely, ranked by the size
     * of the client's first record. */
    static const guint16 sizes[] = { 31, 1652, 300 };
    static const char *const expect[] = { "client_cert_required client_cert_rejected",
                                          "client_cert_rejected client_cert_required",
                                          "client_cert_required client_cert_rejected" };
    for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
        conn_t c = conn_new(cap, 2 + i, (guint16)(58002 + i));
        c.cli = v4((guint8)(30 + i));
        const guint32 f0 = cap->frame;
        tls12_established(&c, &ch);                                             /* +4 .. +7 */
        g_assert_null(app_data(&c, CLIENT, 1));                                 /* +8 */
        hs = raw(&c, SERVER, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 40);            /* +9 */
        g_assert_null(raw(&c, CLIENT, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 250)); /* +10 */
        g_assert_null(raw(&c, SERVER, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 2000));/* +11 */
        tlsdiag_packet p = pkt(&c, CLIENT, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE | TLSDIAG_PKT_CCS, sizes[i] + 100);
        p.first_hs_len = sizes[i];
        g_assert_null(feed(&c, &p));                                            /* +12 */
        g_assert_true(alert(&c, SERVER, 0, -1) == hs);                          /* +13 */
        assert_hs(hs, TLSDIAG_OUTCOME_FAILED, f0 + 9, f0 + 13);
        assert_causes(hs, expect[i]);
        assert_has(evidence(hs, 0), "Likely, not certain: on the connection established by the handshake of frame");
        if (i < 2)
            assert_has(evidence(hs, 0), i ? "is 1652 bytes: long enough to hold a certificate"
                                          : "is 31 bytes: too short to hold a certificate");
        else
            assert_lacks(evidence(hs, 0), "to hold a certificate");
    }

    /* The client refusing the server's renegotiation at once, and the
     * server refusing the client's before its flight, stay refusals. */
    conn_t r = conn_new(cap, 5, 58005);
    r.cli = v4(40);
    tls12_established(&r, &ch);
    g_assert_null(app_data(&r, CLIENT, 1));
    hs = raw(&r, SERVER, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 40);
    g_assert_true(alert(&r, CLIENT, 0, -1) == hs);
    assert_causes(hs, "renegotiation_refused");
    assert_has(evidence(hs, 0), "(its HelloRequest, an encrypted handshake record); it ended with an encrypted alert "
                                "from the client");
    assert_has(evidence(hs, 0), "some clients refuse by default (Go's crypto/tls");
    conn_t s = conn_new(cap, 6, 58006);
    s.cli = v4(41);
    tls12_established(&s, &ch);
    hs = raw(&s, CLIENT, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 250);
    g_assert_null(raw(&s, SERVER, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 2000));
    g_assert_null(raw(&s, CLIENT, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE | TLSDIAG_PKT_CCS, 400));
    g_assert_true(alert(&s, SERVER, 0, -1) == hs);
    assert_causes(hs, "renegotiation_refused");
    assert_lacks(evidence(hs, 0), "Go's");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    TEST_CAPTURE("/renegotiation/refused-and-misused", test_renegotiation);
    TEST_CAPTURE("/renegotiation/accepted-and-retired", test_renegotiation_accepted_and_retired);
    TEST_CAPTURE("/renegotiation/client-cert", test_renegotiation_client_cert);
    TEST_CAPTURE("/renegotiation/post-handshake-auth", test_post_handshake_auth);
    return g_test_run();
}
