/* test-handshakes.c — unit tests of the core and the judge, through their APIs, on
 * synthetic packets: one handshake from start to verdict: established shapes, the alerts, closes and
 * answers that end one, the evidence from other handshakes, the words, and
 * inputs that must not confuse the core.
 *
 * Every expectation is what a person reading the capture would conclude;
 * frame numbers are counted by hand from the packets each test sends.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "harness.h"

#include <string.h>

/* ---- the client's part done ----------------------------------------------- */

/* One definition for the tracker and the rules: TLS 1.3 counts the client's
 * encrypted flight, TLS <= 1.2 its Finished, an unread version either. */
static void
test_client_finished(void)
{
    tlsdiag_facts f;
    memset(&f, 0, sizeof f);
    g_assert_false(tlsdiag_client_finished(&f));
    f.client_flights = 1;
    g_assert_true(tlsdiag_client_finished(&f));        /* version unread: its flight */
    f.sh_version = 0x0303;
    g_assert_false(tlsdiag_client_finished(&f));       /* TLS 1.2: a flight is not its Finished */
    f.bits |= FACT_CLIENT_FINISH;
    g_assert_true(tlsdiag_client_finished(&f));
    f.sh_version = 0x0304;
    f.client_flights = 0;
    g_assert_false(tlsdiag_client_finished(&f));       /* TLS 1.3: no flight yet */
    f.sh_version = 0;
    g_assert_true(tlsdiag_client_finished(&f));        /* version unread: its Finished */
}

/* ---- the catalogue ---------------------------------------------------------- */

static void
test_catalogue(void)
{
    /* Which tokens must stay is tests/cause-tokens.txt's business (the
     * cause-tokens test); here every row must be whole and its token unique. */
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);

    for (int id = 0; id < TLSDIAG_CAUSE_COUNT; id++) {
        const tlsdiag_cause_info *ci = tlsdiag_cause_get((tlsdiag_cause)id);
        g_assert_nonnull(ci);
        g_assert_cmpint(ci->id, ==, id);
        g_assert_true(ci->token && ci->token[0]);
        g_assert_true(ci->title && ci->title[0]);
        g_assert_true(ci->when && ci->when[0]);
        g_assert_true(ci->explanation && ci->explanation[0]);
        g_assert_true(ci->remedy && ci->remedy[0]);
        g_assert_true(ci->wire && ci->wire[0]);
        for (const char *p = ci->token; *p; p++)
            g_assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_');
        g_assert_false(g_hash_table_contains(seen, ci->token));
        g_hash_table_add(seen, (gpointer)ci->token);
        g_assert_cmpint(ci->severity, >=, TLSDIAG_SEV_CHAT);
        g_assert_cmpint(ci->severity, <=, TLSDIAG_SEV_ERROR);
        g_assert_cmpint(ci->group, >=, TLSDIAG_GROUP_PROTOCOL);
        g_assert_cmpint(ci->group, <=, TLSDIAG_GROUP_MALFORMED);
    }
    g_assert_cmpuint(g_hash_table_size(seen), ==, TLSDIAG_CAUSE_COUNT);
    g_hash_table_destroy(seen);

    g_assert_null(tlsdiag_cause_get(TLSDIAG_CAUSE_COUNT));
    g_assert_null(tlsdiag_cause_get((tlsdiag_cause)(TLSDIAG_CAUSE_COUNT + 100)));
    g_assert_null(tlsdiag_cause_get((tlsdiag_cause)-1));
}

/* ---- established handshakes --------------------------------------------- */

static void
test_tls12_established(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 1, 50000);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);                                                     /* 1-3 */
    const tlsdiag_handshake *hs = client_hello(&c, &ch);         /* 4 */
    assert_hs(hs, TLSDIAG_OUTCOME_PENDING, 4, 0);
    g_assert_null(hs->verdict);
    g_assert_null(raw(&c, SERVER, 0, 0));                        /* 5: ACK */
    g_assert_null(server_hello(&c, 0x0303, 0xc02f, 0x001d));     /* 6 */
    g_assert_cmpuint(hs->version, ==, 0x0303);
    g_assert_cmpuint(hs->suite, ==, 0xc02f);
    /* 7: ClientKeyExchange, CCS and Finished: the client is done, the server not yet. */
    g_assert_null(ccs_finished(&c, CLIENT));
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_PENDING);
    /* 8: the server's CCS and Finished decide it. */
    g_assert_true(ccs_finished(&c, SERVER) == hs);
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 8);
    g_assert_null(hs->verdict);

    /* Data, then the encrypted close_notify and FINs: nothing changes. */
    g_assert_null(app_data(&c, CLIENT, 1));                      /* 9 */
    g_assert_null(app_data(&c, SERVER, 2));                      /* 10 */
    g_assert_null(alert(&c, CLIENT, 0, -1));                     /* 11 */
    g_assert_null(alert(&c, SERVER, 0, -1));                     /* 12 */
    g_assert_null(fin(&c, CLIENT));
    g_assert_null(fin(&c, SERVER));
    g_assert_null(rst(&c, SERVER));
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 8);
    g_assert_null(hs->verdict);
    g_assert_cmpuint(hs->version, ==, 0x0303);
    g_assert_cmpuint(hs->suite, ==, 0xc02f);
    tlsdiag_core_free(cap.core);
}

/* CCS and Finished in separate frames: neither a CCS alone nor the client's
 * Finished alone completes the handshake. The same when the capture lost
 * the segment with the ServerHello (Wireshark reads the rest of the
 * server's flight as continuation data): both sides' CCS and Finished
 * complete it, and the summary says the ServerHello was not read. */
static void
test_tls12_split_frames(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = legacy_hello(0x0303, "api.example.com");
    char buf[256];

    for (guint lost = 0; lost < 2; lost++) {
        conn_t c = conn_new(cap, 7 + lost, (guint16)(50123 + lost));
        const guint32 base = cap->frame;
        syn(&c);
        const tlsdiag_handshake *hs = client_hello(&c, &ch);                          /* 4 */
        if (lost)
            g_assert_null(raw(&c, SERVER, F_TLS, 1200));                              /* 5: the flight's rest */
        else
            g_assert_null(server_hello(&c, 0x0303, 0xc013, 0x0017));                  /* 5 */
        g_assert_null(raw(&c, CLIENT, F_TLS, 70));                                    /* 6: ClientKeyExchange */
        g_assert_null(raw(&c, CLIENT, F_TLS | TLSDIAG_PKT_CCS, 6));                   /* 7 */
        g_assert_null(raw(&c, CLIENT, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 45));        /* 8 */
        g_assert_null(raw(&c, SERVER, F_TLS | TLSDIAG_PKT_CCS, 6));                   /* 9 */
        g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_PENDING);
        g_assert_true(raw(&c, SERVER, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 45) == hs);  /* 10 */
        assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, base + 4, base + 10);
        g_assert_null(hs->verdict);
        assert_has(tlsdiag_handshake_summary(hs, TRUE, buf, sizeof buf),
                   lost ? "Wireshark read no ServerHello" : "TLS 1.2 handshake established with");
    }
}

/* A ServerHello read, whose version and suite were not (a TLS 1.3
 * draft's): the summary does not call it missing. */
static void
test_server_hello_unread_version(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = conn_new(cap, 9, 50125);
    tlsdiag_client_hello ch = modern_hello("draft.example.com");
    char buf[256];

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);
    g_assert_null(server_hello(&c, 0, 0, 0));
    g_assert_null(ccs_finished(&c, CLIENT));
    g_assert_true(ccs_finished(&c, SERVER) == hs);
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    assert_has(tlsdiag_handshake_summary(hs, TRUE, buf, sizeof buf),
               "its ServerHello's version and suite could not be read");
}

/* Abbreviated handshake: the server's ServerHello, CCS and Finished in one
 * frame, then the client's CCS and, in the next frame, Finished decide it. */
static void
test_tls12_resumption(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = conn_new(cap, 2, 50001);
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    ch.resumption = TRUE;                     /* a session ticket */

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);                              /* 4 */
    tlsdiag_packet p = pkt(&c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO | TLSDIAG_PKT_CCS |
                                       TLSDIAG_PKT_ENC_HANDSHAKE, 150);                 /* 5 */
    p.sh_version = 0x0303;
    p.sh_suite = 0xc030;
    p.sh_reneg_info = TRUE;
    g_assert_null(feed(&c, &p));
    g_assert_null(raw(&c, CLIENT, F_TLS | TLSDIAG_PKT_CCS, 6));                       /* 6 */
    g_assert_true(raw(&c, CLIENT, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 45) == hs);      /* 7 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 7);
    g_assert_cmpuint(hs->suite, ==, 0xc030);
    /* No certificate came: the offered session was resumed. */
    assert_causes(hs, "session_resumed");
}

static void
test_tls13_established(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = conn_new(cap, 3, 50002);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);             /* 4 */
    g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x001d));         /* 5 */
    g_assert_null(raw(&c, CLIENT, F_TLS | TLSDIAG_PKT_CCS, 6));      /* 6: compatibility CCS */
    g_assert_null(app_data(&c, CLIENT, 1));                          /* 7: the client's Finished */
    g_assert_null(raw(&c, SERVER, 0, 0));                            /* 8: ACK */
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_PENDING);
    g_assert_true(app_data(&c, SERVER, 2) == hs);                    /* 9: NewSessionTickets */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 9);
    g_assert_cmpuint(hs->version, ==, 0x0304);
    g_assert_cmpuint(hs->suite, ==, 0x1301);
    g_assert_null(hs->verdict);
    g_assert_null(app_data(&c, CLIENT, 1));
    g_assert_null(app_data(&c, SERVER, 1));
    g_assert_null(fin(&c, SERVER));
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 9);

    /* The client's Finished and its first request in one frame look like a
     * certificate flight without keys: the server's answer decides it. */
    conn_t d = conn_new(cap, 4, 50003);
    syn(&d);                                                         /* 13-15 */
    hs = client_hello(&d, &ch);                                      /* 16 */
    g_assert_null(server_hello(&d, 0x0304, 0x1302, 0x001d));         /* 17 */
    g_assert_null(app_data(&d, CLIENT, 2));                          /* 18 */
    g_assert_true(app_data(&d, SERVER, 1) == hs);                    /* 19 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 16, 19);
    g_assert_cmpuint(hs->suite, ==, 0x1302);
}

/* HelloRetryRequest: the second ClientHello belongs to the same handshake. */
static void
test_tls13_hello_retry(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = conn_new(cap, 5, 50004);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);             /* 4 */
    assert_hs(hs, TLSDIAG_OUTCOME_PENDING, 4, 0);
    g_assert_null(hello_retry(&c, 0x0017));                          /* 5 */
    SET_LIST(ch.groups, ch.n_groups, 0x0017);
    tlsdiag_packet p = pkt(&c, CLIENT, F_TLS | TLSDIAG_PKT_CLIENT_HELLO | TLSDIAG_PKT_CCS, 530); /* 6 */
    p.hello = &ch;
    g_assert_true(feed(&c, &p) == hs);
    assert_hs(hs, TLSDIAG_OUTCOME_PENDING, 4, 0);
    g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x0017));         /* 7 */
    g_assert_null(app_data(&c, CLIENT, 1));                          /* 8 */
    g_assert_true(app_data(&c, SERVER, 1) == hs);                    /* 9 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 9);
    /* A chat note, not a failure. */
    assert_causes(hs, "hello_retry_request");
    assert_has(evidence(hs, 0), "HelloRetryRequest in frame 5 asking for a key share for secp256r1");
}

/* A warning alert (here unrecognized_name, which old servers send and then
 * carry on) does not end the handshake. */
static void
test_warning_alert_continues(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = conn_new(cap, 6, 50005);
    tlsdiag_client_hello ch = legacy_hello(0x0303, "alias.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);             /* 4 */
    g_assert_null(alert(&c, SERVER, 1, 112));                        /* 5 */
    g_assert_null(server_hello(&c, 0x0303, 0xc013, 0x0017));         /* 6 */
    g_assert_null(ccs_finished(&c, CLIENT));                         /* 7 */
    g_assert_true(ccs_finished(&c, SERVER) == hs);                   /* 8 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 8);
    g_assert_null(hs->verdict);
}

/* ---- failures named by the alert --------------------------------------- */

/* A conversation: SYN (1-3), the ClientHello (4), the server's fatal alert (5). */
static const tlsdiag_handshake *
hello_then_alert(capture_t *cap, const tlsdiag_client_hello *ch, int desc)
{
    conn_t c = conn_new(cap, 100 + cap->frame, (guint16)(40000 + cap->frame));
    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, ch);
    assert_hs(hs, TLSDIAG_OUTCOME_PENDING, cap->frame, 0);
    g_assert_true(alert(&c, SERVER, 2, desc) == hs);
    return hs;
}

static void
test_fallback_with_scsv(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = legacy_hello(0x0302, "www.example.com");
    SET_LIST(ch.suites, ch.n_suites, 0xc013, 0xc014, 0x002f, 0x0035, 0x5600);

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 86);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "inappropriate_fallback");
    assert_has(evidence(hs, 0), "frame 4");
    assert_has(evidence(hs, 0), "frame 5");
    assert_has(evidence(hs, 0), "TLS 1.1");
    assert_has(evidence(hs, 0), "carried TLS_FALLBACK_SCSV");
    assert_has(summary(hs), "4 cipher suites + TLS_FALLBACK_SCSV");
    assert_has(summary(hs), "SNI 'www.example.com'");
    assert_has(summary(hs), "fatal alert inappropriate_fallback (86) in frame 5");
}

static void
test_fallback_without_scsv(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = legacy_hello(0x0302, "www.example.com");

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 86);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "inappropriate_fallback");
    assert_has(evidence(hs, 0), "no TLS_FALLBACK_SCSV");
    assert_has(evidence(hs, 0), "frame 4");
    assert_has(evidence(hs, 0), "frame 5");
    assert_lacks(summary(hs), "+ TLS_FALLBACK_SCSV");
}

static void
test_version_server_alert(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = legacy_hello(0x0301, "www.example.com");

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 70);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "protocol_version_mismatch");
    assert_has(evidence(hs, 0), "The client offered up to TLS 1.0 (ClientHello, frame 4)");
    assert_has(evidence(hs, 0), "server refused with protocol_version in frame 5");
    assert_has(evidence(hs, 0), "frame 4");
    assert_has(summary(hs), "fatal alert protocol_version (70)");
    g_assert_cmpuint(hs->version, ==, 0);
}

static void
test_version_client_alert(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = conn_new(cap, 8, 50006);
    tlsdiag_client_hello ch = modern_hello("old.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);             /* 4 */
    g_assert_null(server_hello(&c, 0x0301, 0x002f, 0));              /* 5 */
    g_assert_true(alert(&c, CLIENT, 2, 70) == hs);                   /* 6 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 6);
    assert_causes(hs, "protocol_version_mismatch");
    assert_has(evidence(hs, 0), "picked TLS 1.0");
    assert_has(evidence(hs, 0), "frame 5");
    assert_has(evidence(hs, 0), "TLS 1.2 to TLS 1.3");
    assert_has(evidence(hs, 0), "frame 6");
    assert_has(summary(hs), "ServerHello in frame 5 (TLS 1.0)");
    assert_has(summary(hs), "ended by the client's fatal alert protocol_version (70) in frame 6");
}

/* An SSL 3.0-only client (no extensions, no SNI) refused with handshake_failure:
 * the version, not the missing SNI, is the reason. */
static void
test_version_ssl3_only(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = legacy_hello(0x0300, NULL);
    SET_LIST(ch.suites, ch.n_suites, 0x000a, 0x0005, 0x0004);
    ch.n_groups = 0;

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 40);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "protocol_version_mismatch");
    assert_has(evidence(hs, 0), "SSL 3.0");
    assert_has(summary(hs), "3 cipher suites");
    assert_has(summary(hs), "SNI absent");
}

/* A TLS 1.1 client refused with handshake_failure: the version is the reason. */
static void
test_version_tls11_refused(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = legacy_hello(0x0302, "www.example.com");

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 40);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "protocol_version_mismatch");
    assert_has(evidence(hs, 0), "up to TLS 1.1");
    assert_has(evidence(hs, 0), "TLS 1.2 is the usual minimum");
}

/* OpenSSL 3 at its default security level answers a client offering
 * nothing newer than TLS 1.1 with internal_error; a TLS 1.2 client's
 * internal_error says nothing of the version. */
static void
test_version_internal_error(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = legacy_hello(0x0302, "www.example.com");

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 80);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "protocol_version_mismatch");
    assert_has(evidence(hs, 0), "Likely, not certain: the client offered up to TLS 1.1 (ClientHello, frame 4)");
    assert_has(evidence(hs, 0), "internal_error (80) in frame 5");
    assert_has(evidence(hs, 0), "What decides");

    tlsdiag_client_hello ch12 = legacy_hello(0x0303, "www.example.com");
    hs = hello_then_alert(cap, &ch12, 80);
    assert_causes(hs, "handshake_alert");
    assert_has(evidence(hs, 0), "internal problem");
}

/* Every earlier handshake to this server negotiated TLS 1.3; a TLS 1.2-only
 * client is then refused: the version, not the suites (a TLS 1.2 client cannot
 * offer TLS 1.3 suites). */
static void
test_version_below_service(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = conn_new(cap, 9, 50009);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs1 = client_hello(&c, &ch);             /* 4 */
    g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x001d));          /* 5 */
    g_assert_null(app_data(&c, CLIENT, 1));                           /* 6 */
    g_assert_true(app_data(&c, SERVER, 1) == hs1);                    /* 7 */

    conn_t d = conn_new(cap, 19, 50019);
    tlsdiag_client_hello ch2 = legacy_hello(0x0303, "www.example.com");
    SET_LIST(ch2.suites, ch2.n_suites, 0xc02f, 0xc030, 0xc013);
    syn(&d);                                                          /* 8-10 */
    const tlsdiag_handshake *hs = client_hello(&d, &ch2);             /* 11 */
    g_assert_true(alert(&d, SERVER, 2, 40) == hs);                    /* 12 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 11, 12);
    g_assert_cmpuint(hs->verdict->n_causes, >=, 1);
    g_assert_cmpstr(tlsdiag_cause_get(hs->verdict->causes[0])->token, ==, "protocol_version_mismatch");
    assert_has(evidence(hs, 0), "up to TLS 1.2");
    assert_has(evidence(hs, 0), "TLS 1.3 or higher (frame 5)");
    /* The TLS 1.3 suite chosen before is no evidence against a TLS 1.2 client. */
    assert_causes(hs, "protocol_version_mismatch");
}

static void
test_suites_obsolete(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = legacy_hello(0x0303, "legacy.example.com");
    SET_LIST(ch.suites, ch.n_suites, 0x002f, 0x000a);

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 40);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "cipher_suite_mismatch");
    assert_has(evidence(hs, 0), "2 suites");
    assert_has(evidence(hs, 0), "TLS_RSA_WITH_AES_128_CBC_SHA");
    assert_has(evidence(hs, 0), "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
    assert_has(evidence(hs, 0), "AEAD");
    assert_has(summary(hs), "handshake_failure (40)");
}

/* NULL-encryption and anonymous suites only (a test client, openssl
 * s_client -cipher NULL-SHA256:@SECLEVEL=0): the suites are why, even with
 * no SNI (it used to read as missing_sni: these suites were not in the table). */
static void
test_suites_all_refusable(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = legacy_hello(0x0303, NULL);
    SET_LIST(ch.suites, ch.n_suites, 0x003b, 0x0002, 0xc006, 0x00a6, 0x00ff);

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 40);
    assert_causes(hs, "cipher_suite_mismatch");
    assert_has(evidence(hs, 0), "TLS_RSA_WITH_NULL_SHA256");
    assert_has(evidence(hs, 0), "every one of a kind current servers refuse");
}

/* A TLS 1.3 client without TLS_AES_128_GCM_SHA256, refused before any
 * ServerHello: likely a server that enables only the mandatory suite. */
static void
test_suites_tls13_without_mandatory(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    SET_LIST(ch.versions, ch.n_versions, 0x0304);
    SET_LIST(ch.suites, ch.n_suites, 0x1303);

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 40);
    assert_causes(hs, "cipher_suite_mismatch");
    assert_has(evidence(hs, 0), "Likely, not certain: the client's TLS 1.3 suites leave out TLS_AES_128_GCM_SHA256");

    /* With it, nothing points at the suites. */
    ch = modern_hello("www.example.com");
    hs = hello_then_alert(cap, &ch, 40);
    assert_causes(hs, "client_hello_rejected");
}

/* Connection 1 to the server negotiates ECDHE-RSA-AES128-GCM in frame 5; a
 * client offering only ECDSA and TLS 1.3 suites is then refused. */
static void
test_suites_evidence(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = conn_new(cap, 10, 50010);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs1 = client_hello(&c, &ch);             /* 4 */
    g_assert_null(server_hello(&c, 0x0303, 0xc02f, 0x001d));          /* 5 */
    g_assert_null(ccs_finished(&c, CLIENT));                          /* 6 */
    g_assert_true(ccs_finished(&c, SERVER) == hs1);                   /* 7 */

    conn_t d = conn_new(cap, 11, 50011);
    d.cli = v4(3);
    tlsdiag_client_hello ch2 = modern_hello("www.example.com");
    SET_LIST(ch2.suites, ch2.n_suites, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02c, 0xcca9);
    syn(&d);                                                          /* 8-10 */
    const tlsdiag_handshake *hs = client_hello(&d, &ch2);             /* 11 */
    g_assert_true(hs != hs1);
    g_assert_true(alert(&d, SERVER, 2, 40) == hs);                    /* 12 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 11, 12);
    assert_causes(hs, "cipher_suite_mismatch");
    assert_has(evidence(hs, 0), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (frame 5)");
    assert_has(evidence(hs, 0), "6 suites");
    assert_has(evidence(hs, 0), "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    /* The first connection is untouched. */
    assert_hs(hs1, TLSDIAG_OUTCOME_ESTABLISHED, 4, 7);
    g_assert_null(hs1->verdict);
}

/* The server chose ECDHE-RSA-AES128-GCM (TLS 1.2) once and TLS_AES_128_GCM
 * (TLS 1.3) later: a client offering the first is not short of suites, and
 * with an unknown suite among old ones the suites cannot be called obsolete. */
static void
test_suites_no_false_evidence(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    conn_t c = conn_new(cap, 16, 50016), d = conn_new(cap, 17, 50017), e = conn_new(cap, 18, 50018);

    syn(&c);
    client_hello(&c, &ch);                                            /* 4 */
    g_assert_null(server_hello(&c, 0x0303, 0xc02f, 0x001d));          /* 5 */
    g_assert_null(ccs_finished(&c, CLIENT));
    g_assert_nonnull(ccs_finished(&c, SERVER));                       /* 7 */
    syn(&d);
    client_hello(&d, &ch);                                            /* 11 */
    g_assert_null(server_hello(&d, 0x0304, 0x1301, 0x001d));          /* 12 */
    g_assert_null(app_data(&d, CLIENT, 1));
    g_assert_nonnull(app_data(&d, SERVER, 1));                        /* 14 */

    tlsdiag_client_hello ch2 = legacy_hello(0x0303, "www.example.com");
    SET_LIST(ch2.suites, ch2.n_suites, 0xc030, 0xc02f, 0xc013);
    syn(&e);
    const tlsdiag_handshake *hs = client_hello(&e, &ch2);             /* 18 */
    g_assert_true(alert(&e, SERVER, 2, 40) == hs);                    /* 19 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 18, 19);
    assert_causes(hs, "client_hello_rejected");

    /* Old suites plus one (GOST) not in tlsdiag's table, no groups at all
     * (five: more than a pinned list). */
    tlsdiag_client_hello ch3 = legacy_hello(0x0303, "gost.example.ru");
    SET_LIST(ch3.suites, ch3.n_suites, 0x002f, 0x0035, 0x000a, 0x0005, 0xff85);
    ch3.n_groups = 0;
    conn_t f = conn_new(cap, 24, 50024);
    f.srv = v4(99);
    syn(&f);
    hs = client_hello(&f, &ch3);                                      /* 23 */
    g_assert_true(alert(&f, SERVER, 2, 40) == hs);                    /* 24 */
    assert_causes(hs, "client_hello_rejected");
    assert_has(evidence(hs, 0), "0xff85");
    assert_has(evidence(hs, 0), "groups none listed");
}

/* Refused with handshake_failure and nothing seen to decide: what the offer
 * alone makes likely. Up to four suites is a configured list (gnutls-cli
 * -CIPHER-ALL:+AES-128-GCM offers these four); five are not. TLS 1.3 only
 * over TCP: a server without TLS 1.3 (mbedTLS 2, wolfSSL kept to TLS 1.2),
 * unless the capture shows it negotiating TLS 1.3. */
static void
test_refused_offer_alone(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello four = legacy_hello(0x0303, "www.example.com");
    SET_LIST(four.suites, four.n_suites, 0xc02b, 0xc02f, 0x009c, 0x009e);
    conn_t c = conn_new(cap, 1, 50001);
    c.srv = v4(11);
    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &four);            /* 4 */
    g_assert_true(alert(&c, SERVER, 2, 40) == hs);                    /* 5 */
    assert_causes(hs, "cipher_suite_mismatch");
    assert_has(evidence(hs, 0), "Likely, not certain: the ClientHello in frame 4 offers only "
                                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ");
    assert_has(evidence(hs, 0), "a server that enables none of them refuses a hello this way");

    tlsdiag_client_hello five = four;
    SET_LIST(five.suites, five.n_suites, 0xc02b, 0xc02f, 0x009c, 0x009e, 0xc02c);
    conn_t d = conn_new(cap, 2, 50002);
    d.srv = v4(12);
    syn(&d);
    hs = client_hello(&d, &five);                                     /* 9 */
    g_assert_true(alert(&d, SERVER, 2, 40) == hs);                    /* 10 */
    assert_causes(hs, "client_hello_rejected");

    /* TLS 1.3 only, its suites with the mandatory one: the version. */
    tlsdiag_client_hello only13 = modern_hello("www.example.com");
    SET_LIST(only13.versions, only13.n_versions, 0x0304);
    SET_LIST(only13.suites, only13.n_suites, 0x1301, 0x1302, 0x1303);
    conn_t e = tcp_conn_new(cap, 3, 50003);
    e.srv = v4(13);
    syn(&e);
    hs = client_hello(&e, &only13);                                   /* 14 */
    g_assert_true(alert(&e, SERVER, 2, 40) == hs);                    /* 15 */
    assert_causes(hs, "protocol_version_mismatch");
    assert_has(evidence(hs, 0), "Likely, not certain: the ClientHello in frame 14 offers TLS 1.3 only. A server "
                                "without TLS 1.3");
    assert_has(evidence(hs, 0), "What decides: the same client allowed TLS 1.2");

    /* A server seen negotiating TLS 1.3 has it: not the version. */
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    conn_t k = tcp_conn_new(cap, 4, 50004);
    k.srv = v4(14);
    syn(&k);
    client_hello(&k, &ch);                                            /* 19 */
    g_assert_null(server_hello(&k, 0x0304, 0x1301, 0x001d));          /* 20 */
    conn_t m = tcp_conn_new(cap, 5, 50005);
    m.srv = v4(14);
    syn(&m);
    hs = client_hello(&m, &only13);                                   /* 24 */
    g_assert_true(alert(&m, SERVER, 2, 40) == hs);                    /* 25 */
    assert_causes(hs, "client_hello_rejected");
}

/* Connection 1 negotiates x25519 in frame 5; a client offering only P-384 and
 * P-521 is then refused. */
static void
test_group_evidence(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = conn_new(cap, 12, 50012);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs1 = client_hello(&c, &ch);             /* 4 */
    g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x001d));          /* 5 */
    g_assert_null(app_data(&c, CLIENT, 1));                           /* 6 */
    g_assert_true(app_data(&c, SERVER, 1) == hs1);                    /* 7 */

    conn_t d = conn_new(cap, 13, 50013);
    tlsdiag_client_hello ch2 = modern_hello("www.example.com");
    SET_LIST(ch2.groups, ch2.n_groups, 0x0018, 0x0019);
    syn(&d);                                                          /* 8-10 */
    const tlsdiag_handshake *hs = client_hello(&d, &ch2);             /* 11 */
    g_assert_true(alert(&d, SERVER, 2, 40) == hs);                    /* 12 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 11, 12);
    assert_causes(hs, "no_common_group");
    assert_has(evidence(hs, 0), "secp384r1, secp521r1");
    assert_has(evidence(hs, 0), "x25519 (frame 5)");
}

/* TLS 1.2: the curve comes in the ServerKeyExchange, a frame after the
 * ServerHello; it is evidence all the same. */
static void
test_group_evidence_ske(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = conn_new(cap, 14, 50014);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs1 = client_hello(&c, &ch);                             /* 4 */
    g_assert_null(server_hello(&c, 0x0303, 0xc02f, 0));                               /* 5 */
    tlsdiag_packet p = pkt(&c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_DONE, 340);         /* 6 */
    p.sh_group = 0x001d;
    g_assert_null(feed(&c, &p));
    g_assert_null(ccs_finished(&c, CLIENT));                                          /* 7 */
    g_assert_true(ccs_finished(&c, SERVER) == hs1);                                   /* 8 */

    conn_t d = conn_new(cap, 15, 50015);
    tlsdiag_client_hello ch2 = modern_hello("www.example.com");
    SET_LIST(ch2.groups, ch2.n_groups, 0x0018);
    syn(&d);                                                                          /* 9-11 */
    const tlsdiag_handshake *hs = client_hello(&d, &ch2);                             /* 12 */
    g_assert_true(alert(&d, SERVER, 2, 40) == hs);                                    /* 13 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 12, 13);
    assert_causes(hs, "no_common_group");
    assert_has(evidence(hs, 0), "The client supports secp384r1;");
    assert_has(evidence(hs, 0), "x25519 (frame 6)");
}

static void
test_client_hello_rejected(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 40);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "client_hello_rejected");
    assert_has(evidence(hs, 0), "frame 4");
    assert_has(evidence(hs, 0), "SNI 'www.example.com'");
    assert_has(evidence(hs, 0), "TLS 1.2 to TLS 1.3");
    assert_has(evidence(hs, 0), "TLS_AES_128_GCM_SHA256");
    assert_has(evidence(hs, 0), "x25519");
    assert_has(evidence(hs, 0), "ALPN h2, http/1.1");
    assert_has(summary(hs), "ClientHello in frame 4 (TLS 1.2 to TLS 1.3, 10 cipher suites, SNI 'www.example.com')");
    assert_has(summary(hs), "ended by the server's fatal alert handshake_failure (40) in frame 5");
}

/* One group offered (GREASE aside) and nothing else to blame: the group,
 * likely, with what else it could be. */
static void
test_single_group_refused(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    SET_LIST(ch.groups, ch.n_groups, 0x4a4a, 0x001d);

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 40);
    assert_causes(hs, "no_common_group");
    assert_has(evidence(hs, 0), "Likely, not certain: the ClientHello in frame 4 offers a single key-exchange group, x25519");
    assert_has(evidence(hs, 0), "Otherwise the server disliked its signature algorithms or extensions.");
}

static void
test_missing_sni_alert40(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello(NULL);

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 40);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "missing_sni");
    assert_has(evidence(hs, 0), "no server_name");
    assert_has(evidence(hs, 0), "frame 4");
    assert_has(evidence(hs, 0), "frame 5");
    assert_has(summary(hs), "SNI absent");
}

static void
test_missing_sni_alert112(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello(NULL);

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 112);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "missing_sni");
    assert_has(evidence(hs, 0), "unrecognized_name in frame 5");
}

static void
test_unrecognized_name(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("nosuch.example.com");

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 112);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "unrecognized_name");
    assert_has(evidence(hs, 0), "'nosuch.example.com'");
    assert_has(evidence(hs, 0), "frame 4");
    assert_has(evidence(hs, 0), "frame 5");
}

static void
test_alpn_mismatch(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 120);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "alpn_mismatch");
    assert_has(evidence(hs, 0), "ALPN h2, http/1.1 (frame 4)");
    assert_has(evidence(hs, 0), "server");
    assert_has(evidence(hs, 0), "frame 5");
}

static void
test_alert_decode_error(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 50);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "handshake_alert");
    assert_has(evidence(hs, 0), "The server sent fatal alert decode_error (50) in frame 5");
    assert_has(evidence(hs, 0), "ClientHello (frame 4)");
    assert_has(evidence(hs, 0), "malformed");
}

static void
test_alert_unknown_ca(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = conn_new(cap, 20, 50020);
    tlsdiag_client_hello ch = modern_hello("self-signed.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);             /* 4 */
    g_assert_null(server_hello(&c, 0x0303, 0xc02f, 0x001d));         /* 5 */
    g_assert_true(alert(&c, CLIENT, 2, 48) == hs);                   /* 6 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 6);
    assert_causes(hs, "handshake_alert");
    assert_has(evidence(hs, 0), "The client sent fatal alert unknown_ca (48) in frame 6");
    assert_has(evidence(hs, 0), "after the ServerHello (frame 5)");
    assert_has(summary(hs), "ServerHello in frame 5 (TLS 1.2)");
    g_assert_cmpuint(hs->version, ==, 0x0303);
    g_assert_null(fin(&c, SERVER));
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 6);
}

static void
test_alert_encrypted(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = conn_new(cap, 21, 50021);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);             /* 4 */
    g_assert_null(server_hello(&c, 0x0303, 0xc02f, 0x001d));         /* 5 */
    g_assert_null(ccs_finished(&c, CLIENT));                         /* 6 */
    g_assert_true(alert(&c, SERVER, 0, -1) == hs);                   /* 7 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 7);
    assert_causes(hs, "encrypted_alert");
    assert_has(evidence(hs, 0), "The server sent an encrypted alert in frame 7, after the client's Finished");
    assert_has(summary(hs), "encrypted alert in frame 7");
}

/* close_notify during the handshake ends it: from the server right after the
 * hello it is a refusal without a reason; from the client, giving up. */
static void
test_alert_close_notify(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = conn_new(cap, 22, 50022);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);             /* 4 */
    g_assert_true(alert(&c, SERVER, 1, 0) == hs);                    /* 5 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "client_hello_rejected");
    assert_has(summary(hs), "the server's warning alert close_notify (0) in frame 5");

    conn_t d = conn_new(cap, 23, 50023);
    syn(&d);                                                         /* 6-8 */
    hs = client_hello(&d, &ch);                                      /* 9 */
    g_assert_null(server_hello(&d, 0x0303, 0xc02f, 0x001d));         /* 10 */
    g_assert_true(alert(&d, CLIENT, 1, 0) == hs);                    /* 11 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 9, 11);
    assert_causes(hs, "handshake_alert");
    assert_has(evidence(hs, 0), "The client sent warning alert close_notify (0) in frame 11, after the ServerHello (frame 10)");
    assert_has(evidence(hs, 0), "gave up");

    /* The client gives up after a HelloRetryRequest: it is the client's doing. */
    conn_t e = conn_new(cap, 24, 50024);
    syn(&e);                                                         /* 12-14 */
    hs = client_hello(&e, &ch);                                      /* 15 */
    g_assert_null(hello_retry(&e, 0x0100));                          /* 16 */
    g_assert_true(alert(&e, CLIENT, 1, 0) == hs);                    /* 17 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 15, 17);
    assert_causes(hs, "handshake_alert hello_retry_request");
    assert_has(evidence(hs, 1), "asking for a key share for ffdhe2048");
    assert_has(evidence(hs, 0), "The client sent warning alert close_notify (0) in frame 17");
}

/* ---- failures named by how the connection ended ------------------------ */

/* SYN (1-3), ClientHello (4), server ACK (5), then `ms` later the server's
 * RST or FIN (6). */
static const tlsdiag_handshake *
hello_then_close(capture_t *cap, const char *sni, gboolean reset, double ms)
{
    conn_t c = conn_new(cap, 200 + cap->frame, (guint16)(41000 + cap->frame));
    tlsdiag_client_hello ch = modern_hello(sni);
    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);
    g_assert_null(raw(&c, SERVER, 0, 0));
    wait_ms(cap, ms);
    g_assert_true((reset ? rst(&c, SERVER) : fin(&c, SERVER)) == hs);
    g_assert_null(fin(&c, CLIENT));
    g_assert_null(rst(&c, CLIENT));
    return hs;
}

static void
test_reset_after_hello(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{

    const tlsdiag_handshake *hs = hello_then_close(cap, "blocked.example.com", TRUE, 12.5);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 6);
    assert_causes(hs, "reset_after_client_hello");
    assert_has(evidence(hs, 0), "reset (RST) in frame 6, 12.5 ms after the ClientHello (frame 4, SNI 'blocked.example.com')");
    assert_has(summary(hs), "TCP reset from the server in frame 6, 12.5 ms after the ClientHello");

    cap->frame = 100;
    hs = hello_then_close(cap, NULL, TRUE, 0.4);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 104, 106);
    assert_causes(hs, "missing_sni reset_after_client_hello");
    assert_has(evidence(hs, 0), "frame 104");
    assert_has(evidence(hs, 0), "frame 106");
    assert_has(evidence(hs, 1), "0.4 ms");
    assert_lacks(evidence(hs, 1), "SNI");
}

static void
test_closed_after_hello(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{

    const tlsdiag_handshake *hs = hello_then_close(cap, "unrouted.example.com", FALSE, 3.25);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 6);
    assert_causes(hs, "closed_after_client_hello");
    assert_has(evidence(hs, 0), "a TCP FIN in frame 6, 3.2 ms after the ClientHello (frame 4, SNI 'unrouted.example.com')");
    assert_has(summary(hs), "TCP FIN from the server in frame 6");

    cap->frame = 100;
    hs = hello_then_close(cap, NULL, FALSE, 150);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 104, 106);
    assert_causes(hs, "missing_sni closed_after_client_hello");
    assert_has(evidence(hs, 0), "no server_name");
    assert_has(evidence(hs, 1), "150.0 ms");

    /* A delay under 0.1 ms keeps the digits that make it true. */
    cap->frame = 200;
    hs = hello_then_close(cap, "unrouted.example.com", FALSE, 0.04);
    assert_has(evidence(hs, 0), "a TCP FIN in frame 206, 0.04 ms after the ClientHello");
    assert_has(summary(hs), "0.04 ms after the ClientHello");
}

static void
test_no_server_response(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = conn_new(cap, 30, 50030);
    tlsdiag_client_hello ch = modern_hello("slow.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);             /* 4 */
    g_assert_null(raw(&c, SERVER, 0, 0));                            /* 5: ACK */
    wait_ms(cap, 3000);
    g_assert_true(fin(&c, CLIENT) == hs);                            /* 6 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 6);
    assert_causes(hs, "no_server_response");
    assert_has(evidence(hs, 0), "No data from the server came for 3.000 s after the ClientHello (frame 4)");
    assert_has(evidence(hs, 0), "FIN in frame 6");
    assert_has(summary(hs), "3000.0 ms");
    g_assert_null(fin(&c, SERVER));
}

/* The server did answer (a ServerHello, or TLS bytes we cannot classify): a
 * client giving up afterwards is not "no response". */
static void
test_no_server_response_not_after_data(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    for (int variant = 0; variant < 2; variant++) {
        conn_t c = conn_new(cap, 31 + variant, (guint16)(50031 + variant));
        guint32 base = cap->frame;
        syn(&c);
        const tlsdiag_handshake *hs = client_hello(&c, &ch);
        if (variant == 0)
            g_assert_null(server_hello(&c, 0x0303, 0xc02f, 0x001d));
        else
            g_assert_null(raw(&c, SERVER, F_TLS, 1448));
        wait_ms(cap, 3000);
        g_assert_true(fin(&c, CLIENT) == hs);
        assert_hs(hs, TLSDIAG_OUTCOME_FAILED, base + 4, base + 6);
        assert_causes(hs, "closed_mid_handshake");
        assert_has(evidence(hs, 0), "3.0 s after the server's last data (frame ");
        assert_has(evidence(hs, 0), "it waited and gave up");
        assert_has(summary(hs), "TCP FIN from the client");
    }
}

/* A client that waited over a second after the server's data and closed
 * without an alert: whether its TCP had acknowledged all of that data, and
 * whether that was the server's whole flight, say whose the stop was. */
static void
test_closed_after_wait(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    static const char *const want[] = {
        "acknowledged the server's whole flight (up to its ServerHelloDone): the stop was the client's",
        "acknowledged all the server sent, and that has no ServerHelloDone: likely the server stopped mid-flight",
        "acknowledged all the server sent. Either that was the server's whole flight and the stop was the client's",
        "it waited and gave up",
    };
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    for (int variant = 0; variant < 4; variant++) {
        conn_t c = tcp_conn_new(cap, 36 + variant, (guint16)(50036 + variant));
        syn(&c);
        const tlsdiag_handshake *hs = client_hello(&c, &ch);
        if (variant == 1) {
            /* ServerHello and Certificate, no ServerHelloDone. */
            tlsdiag_packet p = pkt(&c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO | TLSDIAG_PKT_CERTIFICATE, 2000);
            p.sh_version = 0x0303;
            p.sh_suite = 0xc02f;
            p.sh_reneg_info = TRUE;
            g_assert_null(feed(&c, &p));
        } else {
            g_assert_null(server_hello(&c, variant == 2 ? 0x0304 : 0x0303, variant == 2 ? 0x1301 : 0xc02f, 0x001d));
        }
        if (variant == 3) {
            /* A segment of the server's the capture misses. */
            c.next[SERVER] += 1448;
            g_assert_null(raw(&c, SERVER, F_TLS, 500));
        }
        wait_ms(cap, 1500);
        g_assert_true(rst(&c, CLIENT) == hs);
        assert_causes(hs, "closed_mid_handshake");
        assert_has(evidence(hs, 0), "1.5 s after the server's last data");
        assert_has(evidence(hs, 0), want[variant]);
    }
}

/* ---- not TLS ------------------------------------------------------------- */

static const char http_400[] = "HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n";

static void
test_not_tls_http_answer(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = conn_new(cap, 40, 50040);
    c.sport = 80;
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);                                     /* 4 */
    g_assert_true(not_tls(&c, SERVER, http_400, sizeof http_400 - 1, 150) == hs);           /* 5 */
    g_assert_null(fin(&c, SERVER));
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "not_tls");
    assert_has(evidence(hs, 0), "frame 4");
    assert_has(evidence(hs, 0), "frame 5");
    assert_has(evidence(hs, 0), "\"HTTP/1.1 400 Bad Request\"");
    assert_has(evidence(hs, 0), "port 80");
    assert_lacks(evidence(hs, 0), "\r");
    assert_has(summary(hs), "not TLS, starting \"HTTP/1.1 400 Bad Request\"");
}

/* Once the server has spoken TLS, a segment the dissector could not read
 * (part of a record reassembled later) is not "not TLS". */
/* Plaintext to a port that is not TLS's, from a client whose server this
 * capture never saw speak TLS: ordinary plaintext, nothing to say. Closed
 * without a word on a TLS port: not TLS. */
static void
test_not_tls_plaintext_ports(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    static const char get[] = "GET / HTTP/1.1\r\nHost: www.example.com\r\n";
    conn_t c = conn_new(cap, 51, 50051);
    c.sport = 80;
    syn(&c);
    g_assert_null(not_tls(&c, CLIENT, get, sizeof get - 1, 78));
    g_assert_null(fin(&c, SERVER));
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 51), ==, TLSDIAG_WANT_ALL);   /* never followed at all */

    conn_t d = conn_new(cap, 52, 50052);
    syn(&d);
    g_assert_null(not_tls(&d, CLIENT, "EHLO x\r\n", 8, 8));
    const tlsdiag_handshake *hs = fin(&d, SERVER);
    assert_causes(hs, "not_tls");
    assert_has(evidence(hs, 0), "the server closed the connection (FIN in frame ");
}

/* An OpenSSL client whose own settings leave nothing to offer sends a
 * plaintext alert where its ClientHello was due: its failure, not the
 * server's, whatever the server answers (an alert; nginx, an HTTP 400),
 * and in no attempt chain. Only the SYN tells whose alert it is: without
 * it (a capture begun later) the alert is not named so. */
static void
test_alert_before_hello(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = tcp_conn_new(cap, 60, 50060);
    syn(&c);
    const tlsdiag_handshake *hs = alert(&c, CLIENT, 2, 80);                                  /* 4 */
    g_assert_null(alert(&c, SERVER, 2, 10));
    g_assert_null(fin(&c, SERVER));
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 0, 4);
    assert_causes(hs, "client_aborted_before_hello");
    assert_has(evidence(hs, 0), "The client's first bytes, in frame 4, are a fatal alert internal_error (80)");
    assert_has(evidence(hs, 0), "no cipher suite for the highest version it allows");
    g_assert_cmpuint(hs->attempt, ==, 0);

    /* To nginx, which answers with plain HTTP; the client's port the lower. */
    conn_t d = tcp_conn_new(cap, 61, 1023);
    d.sport = 8443;
    syn(&d);
    hs = alert(&d, CLIENT, 2, 70);
    g_assert_null(not_tls(&d, SERVER, http_400, sizeof http_400 - 1, 150));
    g_assert_null(fin(&d, SERVER));
    assert_causes(hs, "client_aborted_before_hello");
    assert_has(evidence(hs, 0), "fatal alert protocol_version (70)");
    assert_has(evidence(hs, 0), "allow no protocol version");

    conn_t e = tcp_conn_new(cap, 62, 50062);
    e.syn_seen = 0;
    char *causes = causes_of(alert(&e, CLIENT, 2, 80));
    g_assert_null(strstr(causes, "client_aborted_before_hello"));
    g_free(causes);
}

/* A TLS 1.2 handshake for sni that succeeds (from the ClientHello on). */
static const tlsdiag_handshake *
tls12_ok(conn_t *c, const char *sni)
{
    tlsdiag_client_hello ch = modern_hello(sni);
    const tlsdiag_handshake *hs = client_hello(c, &ch);
    g_assert_null(server_hello(c, 0x0303, 0xc02f, 0x001d));
    g_assert_null(ccs_finished(c, CLIENT));
    g_assert_true(ccs_finished(c, SERVER) == hs);
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    g_assert_null(hs->verdict);
    return hs;
}

/* A server that spoke TLS only after a plaintext exchange (STARTTLS) expects
 * plaintext first on its next connections too: a second session's EHLO is
 * nothing to judge. One that took a ClientHello as its client's first bytes
 * on a port that is not TLS's own still makes plaintext there not TLS. */
static void
test_not_tls_starttls_service(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    static const char banner[] = "220 mail.example.com ESMTP\r\n";
    static const char ehlo[] = "EHLO client.example\r\n";
    static const char starttls[] = "STARTTLS\r\n";

    for (guint32 conv = 61; conv <= 63; conv++) {
        conn_t c = tcp_conn_new(cap, conv, (guint16)(50000 + conv));
        c.sport = 25;
        syn(&c);
        g_assert_null(not_tls(&c, SERVER, banner, sizeof banner - 1, sizeof banner - 1));
        g_assert_null(not_tls(&c, CLIENT, ehlo, sizeof ehlo - 1, sizeof ehlo - 1));
        g_assert_null(not_tls(&c, SERVER, "250-mail.example.com", 20, 60));
        g_assert_null(not_tls(&c, CLIENT, starttls, sizeof starttls - 1, sizeof starttls - 1));
        g_assert_null(not_tls(&c, SERVER, "220 2.0.0 Ready", 15, 30));
        tls12_ok(&c, "mail.example.com");
        g_assert_null(fin(&c, CLIENT));
        g_assert_null(fin(&c, SERVER));
    }

    conn_t d = tcp_conn_new(cap, 64, 50064);
    d.sport = 4433;
    syn(&d);
    tls12_ok(&d, "mail.example.com");
    conn_t e = tcp_conn_new(cap, 65, 50065);
    e.sport = 4433;
    syn(&e);
    g_assert_null(not_tls(&e, CLIENT, "GET / HTTP/1.1\r\n", 16, 78));
    const tlsdiag_handshake *hs = fin(&e, SERVER);
    assert_causes(hs, "not_tls");
    assert_has(evidence(hs, 0), "to port 4433, where this server speaks TLS from the first byte on other connections");
}

/* Plaintext that is the service's own protocol on a TLS port is no failed
 * handshake: a success answer (HTTP 200 on 443), a client that goes on after
 * the server's answer (h2c, SSH), an answer to the server's greeting (TLS
 * servers never speak first). A ClientHello later on such a connection (an
 * upgrade) is judged as any. An answer that is neither an error nor a close
 * waits for the client's next step: a close then fails the request. */
static void
test_not_tls_plaintext_service(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    static const char get[] = "GET / HTTP/1.1\r\nHost: www.example.com\r\n";
    static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n";
    static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    static const guint8 settings[] = { 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00 };
    static const char banner[] = "220 mail.example.com ESMTP\r\n";
    static const char refused[] = "500 5.5.1 Command unrecognized\r\n";

    conn_t a = tcp_conn_new(cap, 71, 50071);
    syn(&a);
    g_assert_null(not_tls(&a, CLIENT, get, sizeof get - 1, 78));
    g_assert_null(not_tls(&a, SERVER, ok, sizeof ok - 1, 1448));
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 71), ==, TLSDIAG_WANT_HANDSHAKE);
    g_assert_null(fin(&a, SERVER));
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 71), ==, TLSDIAG_WANT_NOTHING);

    conn_t b = tcp_conn_new(cap, 72, 50072);
    syn(&b);
    g_assert_null(not_tls(&b, CLIENT, preface, sizeof preface - 1, sizeof preface - 1));
    g_assert_null(not_tls(&b, SERVER, settings, sizeof settings, sizeof settings));
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 72), ==, TLSDIAG_WANT_ALL);
    g_assert_null(not_tls(&b, CLIENT, settings, sizeof settings, sizeof settings));
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 72), ==, TLSDIAG_WANT_HANDSHAKE);
    g_assert_null(fin(&b, SERVER));
    g_assert_null(fin(&b, CLIENT));

    conn_t c = tcp_conn_new(cap, 73, 50073);
    c.sport = 465;
    syn(&c);
    g_assert_null(not_tls(&c, SERVER, banner, sizeof banner - 1, sizeof banner - 1));
    g_assert_null(not_tls(&c, CLIENT, "EHLO x\r\n", 8, 8));
    g_assert_null(not_tls(&c, SERVER, "250 mail.example.com", 20, 22));
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 73), ==, TLSDIAG_WANT_HANDSHAKE);
    tls12_ok(&c, "mail.example.com");

    for (int variant = 0; variant < 2; variant++) {
        conn_t d = tcp_conn_new(cap, 74 + variant, (guint16)(50074 + variant));
        syn(&d);
        g_assert_null(not_tls(&d, CLIENT, "EHLO x\r\n", 8, 8));
        const guint32 answer = cap->frame + 1;
        g_assert_null(not_tls(&d, SERVER, refused, sizeof refused - 1, sizeof refused - 1));
        const tlsdiag_handshake *hs = fin(&d, variant == 0 ? SERVER : CLIENT);
        assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 0, answer + 1);
        assert_causes(hs, "not_tls");
        char *said = g_strdup_printf("the server answered in plaintext in frame %u, starting \"500 5.5.1 Command "
                                     "unrecognized\"", answer);
        assert_has(evidence(hs, 0), said);
        g_free(said);
    }
}

/* TLS carried in another protocol's messages (OpenVPN's control channel):
 * that protocol's own messages between them (an acknowledgement before the
 * ServerHello) are no answer in another protocol. Without the carrier the
 * same frame is the server's plaintext answer. */
static void
test_tls_carrier(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    static const guint8 p_ack[] = { 0x00, 0x16, 0x28, 0x9a, 0xd7, 0x47, 0xbe, 0xb2, 0x4d, 0x8a, 0x1b, 0x01 };

    for (int variant = 0; variant < 2; variant++) {
        conn_t c = tcp_conn_new(cap, 91 + variant, (guint16)(50091 + variant));
        c.sport = 1194;
        syn(&c);
        tlsdiag_client_hello ch = modern_hello(NULL);
        tlsdiag_packet p = pkt(&c, CLIENT, F_TLS | TLSDIAG_PKT_CLIENT_HELLO, ch.length + 9 + 14);
        p.hello = &ch;
        p.carrier = variant == 0 ? "OpenVPN" : NULL;
        const tlsdiag_handshake *hs = feed(&c, &p);
        p = pkt(&c, SERVER, TLSDIAG_PKT_NOT_TLS, sizeof p_ack);
        p.head = p_ack;
        p.head_len = sizeof p_ack;
        p.decoded_as = "OpenVPN";
        if (variant == 1) {
            g_assert_true(feed(&c, &p) == hs);
            assert_causes(hs, "not_tls");
            continue;
        }
        g_assert_null(feed(&c, &p));
        g_assert_null(server_hello(&c, 0x0303, 0xc02f, 0x001d));
        g_assert_null(ccs_finished(&c, CLIENT));
        g_assert_true(ccs_finished(&c, SERVER) == hs);
        g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    }
}

/* A one-way capture holds only the client's packets: the SYN, its
 * acknowledgements of server bytes the capture never shows, and what it
 * sent. A handshake it went on from (its Finished, then data) is not judged
 * failed: incomplete, the capture named; one it ended with its own readable
 * fatal alert is still named by that alert. */
/* The client's side only: its SYN, its ACK, its ClientHello (ch), then an
 * ACK of server_bytes the capture does not hold. */
static const tlsdiag_handshake *
one_way_hello(conn_t *c, const tlsdiag_client_hello *ch, guint32 server_bytes)
{
    tlsdiag_packet p = pkt(c, CLIENT, 0, 0);
    p.seq = c->next[CLIENT] - 1;
    p.tcp_flags = TLSDIAG_TCP_SYN;
    g_assert_null(feed(c, &p));
    g_assert_null(raw(c, CLIENT, 0, 0));
    const tlsdiag_handshake *hs = client_hello(c, ch);
    c->next[SERVER] += server_bytes;
    g_assert_null(raw(c, CLIENT, 0, 0));
    return hs;
}

static void
test_capture_one_way(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    for (int variant = 0; variant < 2; variant++) {
        conn_t c = tcp_conn_new(cap, 81 + variant, (guint16)(50081 + variant));
        tlsdiag_client_hello ch = modern_hello("www.example.com");
        const tlsdiag_handshake *hs = one_way_hello(&c, &ch, 1500);
        if (variant == 0) {
            g_assert_null(ccs_finished(&c, CLIENT));
            g_assert_null(app_data(&c, CLIENT, 1));
            g_assert_null(app_data(&c, CLIENT, 1));
            g_assert_true(fin(&c, CLIENT) == hs);
            g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_INCOMPLETE);
            assert_causes(hs, "capture_one_way");
            assert_has(evidence(hs, 0), "None of the server's packets is in the capture, though the client "
                                        "acknowledged 1500 bytes of its");
            assert_has(evidence(hs, 0), "it sent its Finished and then encrypted data");
            assert_has(summary(hs), "the client went on as after one that succeeded");
        } else {
            g_assert_true(alert(&c, CLIENT, 2, 48) == hs);
            g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_FAILED);
            assert_causes(hs, "handshake_alert");
        }
    }
}

/* A frame the capture kept only cap bytes of (its snap length). */
static const tlsdiag_handshake *
cut_frame(conn_t *c, gboolean from_server, guint32 flags, guint32 payload_len, guint32 cut)
{
    tlsdiag_packet p = pkt(c, from_server, flags | TLSDIAG_PKT_CUT, payload_len);
    p.cut_len = cut;
    p.captured_len = 400;
    return feed(c, &p);
}

/* Frames 1-6 of a TLS 1.3 handshake captured with -s 96: its ClientHello
 * cut (4), the server's answer cut before the ServerHello's version (5),
 * the client's ChangeCipherSpec (6). Returns the handshake. */
static const tlsdiag_handshake *
cut_tls13_start(conn_t *c)
{
    syn(c);
    const tlsdiag_handshake *hs = cut_frame(c, CLIENT, F_TLS | TLSDIAG_PKT_CUT_HELLO, 517, 387);
    tlsdiag_packet p = pkt(c, SERVER, F_TLS | TLSDIAG_PKT_CUT, 1400);
    p.cut_handshake = TRUE;
    p.cut_len = 1300;
    p.captured_len = 96;
    g_assert_null(feed(c, &p));
    g_assert_null(raw(c, CLIENT, F_TLS | TLSDIAG_PKT_CCS, 6));
    return hs;
}

/* One encrypted record of a TLS 1.3 alert's size, the version unknown. */
static const tlsdiag_handshake *
alert_sized(conn_t *c, gboolean from_server)
{
    tlsdiag_packet p = pkt(c, from_server, F_TLS | TLSDIAG_PKT_APP_DATA, 24);
    p.n_app_data = 1;
    p.alert_sized = TRUE;
    return feed(c, &p);
}

/* A capture with a snap length cut the server's flights of TLS 1.2
 * handshakes: its Finished, after the client's, is in a part cut off. A
 * close or an encrypted alert after the client's own Finished may then end
 * a handshake that succeeded: not judged. A close before the client's
 * Finished, or an alert read in the clear, still fails it. */
static void
test_capture_cut(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    for (int variant = 0; variant < 4; variant++) {
        conn_t c = tcp_conn_new(cap, 91 + variant, (guint16)(50091 + variant));
        tlsdiag_client_hello ch = modern_hello("www.example.com");
        syn(&c);
        const tlsdiag_handshake *hs = client_hello(&c, &ch);                           /* 4 */
        tlsdiag_packet p = pkt(&c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO | TLSDIAG_PKT_CUT, 1300);
        p.sh_version = 0x0303;
        p.sh_suite = 0xc02f;
        p.sh_reneg_info = TRUE;
        p.cut_len = 966;
        p.captured_len = 400;
        g_assert_null(feed(&c, &p));                                                    /* 5 */
        if (variant == 3) {
            g_assert_true(fin(&c, CLIENT) == hs);                                       /* 6 */
            g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_FAILED);
            assert_causes(hs, "closed_mid_handshake");
            continue;
        }
        g_assert_null(raw(&c, CLIENT, F_TLS | TLSDIAG_PKT_CCS | TLSDIAG_PKT_ENC_HANDSHAKE, 93));  /* 6 */
        g_assert_null(cut_frame(&c, SERVER, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 456, 122));     /* 7 */
        if (variant == 0) {
            g_assert_true(rst(&c, CLIENT) == hs);                                       /* 8 */
            g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_INCOMPLETE);
            assert_causes(hs, "capture_truncated");
            assert_has(evidence(hs, 0), "The capture cut 2 of the handshake's frames to at most 400 bytes (its "
                                        "snap length, most likely; the first in frame 5, 1088 bytes of TLS cut off)");
            assert_has(evidence(hs, 0), "The client had sent its Finished, then ended the connection with a TCP "
                                        "reset (RST) in frame 8; the server's bytes cut off may hold its Finished");
            assert_has(summary(hs), "The handshake cannot be judged");
        } else if (variant == 1) {
            g_assert_true(alert(&c, CLIENT, 0, -1) == hs);                              /* 8 */
            g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_INCOMPLETE);
            assert_causes(hs, "capture_truncated");
            assert_has(evidence(hs, 0), "an encrypted alert (close_notify, or a refusal) in frame");
        } else {
            g_assert_true(alert(&c, SERVER, 2, 40) == hs);                              /* 8 */
            g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_FAILED);
            assert_causes(hs, "handshake_alert");
        }
    }
    /* A ClientHello the capture cut: what it offered is unknown, so an
     * alert is named by its meaning alone, never as a missing SNI. */
    conn_t h = tcp_conn_new(cap, 96, 50096);
    syn(&h);
    const tlsdiag_handshake *cut = cut_frame(&h, CLIENT, F_TLS | TLSDIAG_PKT_CUT_HELLO, 517, 387);
    g_assert_nonnull(cut);
    g_assert_true(alert(&h, SERVER, 2, 112) == cut);
    g_assert_cmpuint(cut->outcome, ==, TLSDIAG_OUTCOME_FAILED);
    assert_causes(cut, "handshake_alert");
    assert_has(summary(cut), "(cut by the capture to 400 bytes: what it offers is not in it) ended by the "
                             "server's fatal alert unrecognized_name (112)");

    /* The ServerHello cut before its version: a TLS 1.3 client's refusal,
     * an encrypted alert, is one record of an alert's size that Wireshark
     * shows as application data. Its first such record, before any
     * Finished, is the alert (a TLS 1.3 Finished is larger, TLS 1.2 sends
     * no data before it). */
    conn_t a = tcp_conn_new(cap, 97, 50097);
    const tlsdiag_handshake *refused = cut_tls13_start(&a);                               /* 4-6 */
    g_assert_null(alert_sized(&a, CLIENT));                                               /* 7 */
    g_assert_true(fin(&a, CLIENT) == refused);                                            /* 8 */
    assert_causes(refused, "encrypted_alert");
    const guint32 r = refused->client_hello_frame;
    char *sized = g_strdup_printf("The client sent an encrypted alert in frame %u, after the server's first "
                                  "flight (the server's answer from frame %u, which the capture cut short (its "
                                  "snap length)) and before its own Finished", r + 3, r + 1);
    assert_has(evidence(refused, 0), sized);
    assert_has(evidence(refused, 0), "Inferred without keys from its position and size.");
    g_free(sized);
    /* The same where Wireshark knew TLS 1.3 (its record type) though the
     * ServerHello's version was cut (Wireshark 4.4 reads what is left). */
    conn_t b = tcp_conn_new(cap, 100, 50100);
    const tlsdiag_handshake *shaped = cut_tls13_start(&b);                                /* 4-6 */
    tlsdiag_packet bp = pkt(&b, CLIENT, F_TLS | TLSDIAG_PKT_APP_DATA | TLSDIAG_PKT_ALERT_SHAPED, 24);
    bp.n_app_data = 1;
    g_assert_null(feed(&b, &bp));                                                         /* 7 */
    g_assert_true(fin(&b, CLIENT) == shaped);                                             /* 8 */
    assert_causes(shaped, "encrypted_alert");

    /* The server's record of an alert's size after the client's Finished
     * flight, then its close: the close is said to come after it. */
    conn_t s = tcp_conn_new(cap, 99, 50099);
    const tlsdiag_handshake *closed = cut_tls13_start(&s);                                /* 4-6 */
    tlsdiag_packet fp = pkt(&s, CLIENT, F_TLS | TLSDIAG_PKT_APP_DATA, 58);
    fp.n_app_data = 1;
    g_assert_null(feed(&s, &fp));                                                         /* 7: its Finished */
    g_assert_null(alert_sized(&s, SERVER));                                               /* 8 */
    g_assert_true(fin(&s, SERVER) == closed);                                             /* 9 */
    assert_causes(closed, "closed_mid_handshake");
    const guint32 q = closed->client_hello_frame;
    sized = g_strdup_printf("The server closed the connection (FIN) in frame %u after the client's Finished, with a "
                            "record of a TLS 1.3 alert's size before it (frame %u: likely an encrypted alert, which "
                            "Wireshark shows as application data): likely it refused the client", q + 5, q + 4);
    assert_has(evidence(closed, 0), sized);
    g_free(sized);
    sized = g_strdup_printf("with a record of a TLS 1.3 alert's size before it (frame %u:", q + 4);
    assert_has(summary(closed), sized);
    g_free(sized);

    /* The client's close_notify before it, alone (Python's check) or in its
     * Finished's segment (gnutls-cli's): the server's answered it. */
    for (int packed = 0; packed < 2; packed++) {
        conn_t d = tcp_conn_new(cap, 101 + packed, (guint16)(50101 + packed));
        const tlsdiag_handshake *done = cut_tls13_start(&d);                              /* 4-6 */
        tlsdiag_packet dp = pkt(&d, CLIENT, F_TLS | TLSDIAG_PKT_APP_DATA | (packed ? TLSDIAG_PKT_ENDS_ALERT_SHAPED : 0),
                                packed ? 82 : 58);
        dp.n_app_data = packed ? 2 : 1;
        g_assert_null(feed(&d, &dp));                                                     /* 7 */
        if (!packed)
            g_assert_null(alert_sized(&d, CLIENT));                                       /* 8 */
        g_assert_null(alert_sized(&d, SERVER));
        g_assert_true(fin(&d, SERVER) == done);
        g_assert_cmpuint(done->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    }

    /* Established all the same: the summary says what went unread. */
    conn_t c = tcp_conn_new(cap, 95, 50095);
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);                               /* 4 */
    g_assert_null(cut_frame(&c, SERVER, F_TLS, 1300, 900));                             /* 5 */
    g_assert_null(ccs_finished(&c, CLIENT));                                            /* 6 */
    g_assert_true(ccs_finished(&c, SERVER) == hs);                                      /* 7 */
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    const guint32 f = hs->client_hello_frame;
    char *want = g_strdup_printf("Handshake established (ClientHello in frame %u, done in frame %u), though the "
                                 "capture cut one of the handshake's frames to at most 400 bytes (its snap length, "
                                 "most likely; frame %u, 900 bytes of TLS cut off): Wireshark could not read the "
                                 "records in the part cut off, its ServerHello among them.", f, f + 3, f + 1);
    assert_has(summary(hs), want);
    g_free(want);

    /* Its ServerHello cut, its version is unknown: a handshake record
     * afterwards begins a renegotiation (TLS 1.3 sends none), whose answer
     * the capture cut: not judged. */
    g_assert_null(app_data(&c, CLIENT, 1));                                             /* 8 */
    tlsdiag_packet rp = pkt(&c, CLIENT, F_TLS | TLSDIAG_PKT_CUT, 300);
    rp.cut_handshake = TRUE;
    rp.cut_len = 270;
    rp.captured_len = 96;
    const tlsdiag_handshake *reneg = feed(&c, &rp);                                     /* 9 */
    g_assert_nonnull(reneg);
    g_assert_true(reneg != hs);
    g_assert_null(cut_frame(&c, SERVER, F_TLS, 1300, 1204));                            /* 10 */
    g_assert_true(fin(&c, CLIENT) == reneg);                                            /* 11 */
    g_assert_cmpuint(reneg->outcome, ==, TLSDIAG_OUTCOME_INCOMPLETE);
    assert_causes(reneg, "capture_truncated");
}

/* A connection through an HTTP proxy on port: CONNECT to target, the proxy's 200. */
static conn_t
tunnel(capture_t *cap, guint32 conv, guint16 port, const char *target)
{
    conn_t c = tcp_conn_new(cap, conv, (guint16)(50000 + conv));
    char *req = g_strdup_printf("CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", target, target);
    c.sport = port;
    syn(&c);
    g_assert_null(not_tls(&c, CLIENT, req, (guint)strlen(req), (guint32)strlen(req)));
    g_assert_null(not_tls(&c, SERVER, "HTTP/1.1 200 Connection established", 35, 39));
    g_free(req);
    return c;
}

/* Through an HTTP proxy each CONNECT target is a server of its own: what
 * one target negotiated is no evidence about another behind the same proxy
 * address and port. */
static void
test_proxy_targets_apart(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello old = legacy_hello(0x0302, "b.example");

    conn_t a = tunnel(cap, 71, 3128, "a.example:443");
    const tlsdiag_handshake *ok = tls12_ok(&a, "a.example");

    conn_t b = tunnel(cap, 72, 3128, "b.example:443");
    const tlsdiag_handshake *hs = client_hello(&b, &old);
    g_assert_true(alert(&b, SERVER, 2, 40) == hs);
    assert_causes(hs, "protocol_version_mismatch");
    assert_has(evidence(hs, 0), "versions current servers no longer accept");
    assert_lacks(evidence(hs, 0), "other handshakes to this server");

    old.sni = "a.example";
    conn_t c = tunnel(cap, 73, 3128, "a.example:443");
    hs = client_hello(&c, &old);
    g_assert_true(alert(&c, SERVER, 2, 40) == hs);
    assert_causes(hs, "protocol_version_mismatch cipher_suite_mismatch");   /* a.example chose 0xc02f */
    char *want = g_strdup_printf("other handshakes to this server in the capture negotiated TLS 1.2 or higher (frame %u)",
                                 ok->client_hello_frame + 1);
    assert_has(evidence(hs, 0), want);
    g_free(want);
}

/* Nor is a success through the proxy to another target a recovery: the
 * retry chain follows one target. */
static void
test_proxy_targets_chains(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    conn_t b1 = tunnel(cap, 81, 3128, "b.example:443");
    const tlsdiag_handshake *first = client_hello(&b1, &ch);
    g_assert_true(alert(&b1, SERVER, 2, 40) == first);

    conn_t a = tunnel(cap, 82, 3128, "a.example:443");
    const tlsdiag_handshake *ok = tls12_ok(&a, "www.example.com");
    g_assert_cmpuint(ok->attempt, ==, 1);
    g_assert_null(tlsdiag_hs_recovered_by(first));

    conn_t b2 = tunnel(cap, 83, 3128, "b.example:443");
    const tlsdiag_handshake *again = client_hello(&b2, &ch);
    g_assert_cmpuint(again->attempt, ==, 2);
    g_assert_true(tlsdiag_hs_prev(again) == first);
}

/* A connection through a SOCKS proxy on port 1080 to an IPv4 address (or,
 * ipv4 NULL, a host name) and port: SOCKS5 (greeting, the proxy's choice of
 * method, the CONNECT request, its success reply), or SOCKS4 (4a for a
 * name: 0.0.0.1, then the name), user id "u". */
static conn_t
socks_tunnel(capture_t *cap, guint32 conv, guint version, const char *host, const guint8 *ipv4, guint16 port)
{
    conn_t c = tcp_conn_new(cap, conv, (guint16)(50000 + conv));
    guint8 req[64];
    guint n = 0;
    c.sport = 1080;
    syn(&c);
    if (version == 5) {
        g_assert_null(not_tls(&c, CLIENT, "\x05\x01\x00", 3, 3));
        g_assert_null(not_tls(&c, SERVER, "\x05\x00", 2, 2));
        req[n++] = 5, req[n++] = 1, req[n++] = 0;
        if (ipv4) {
            req[n++] = 1;
            memcpy(req + n, ipv4, 4);
            n += 4;
        } else {
            req[n++] = 3, req[n++] = (guint8)strlen(host);
            memcpy(req + n, host, strlen(host));
            n += (guint)strlen(host);
        }
        req[n++] = (guint8)(port >> 8), req[n++] = (guint8)port;
    } else {
        static const guint8 socks4a[4] = { 0, 0, 0, 1 };
        req[n++] = 4, req[n++] = 1, req[n++] = (guint8)(port >> 8), req[n++] = (guint8)port;
        memcpy(req + n, ipv4 ? ipv4 : socks4a, 4);
        n += 4;
        req[n++] = 'u', req[n++] = 0;
        if (!ipv4) {
            memcpy(req + n, host, strlen(host) + 1);
            n += (guint)strlen(host) + 1;
        }
    }
    g_assert_null(not_tls(&c, CLIENT, req, n, n));
    if (version == 5)
        g_assert_null(not_tls(&c, SERVER, "\x05\x00\x00\x01\x7f\x00\x00\x01\x01\xbb", 10, 10));
    else
        g_assert_null(not_tls(&c, SERVER, "\x00\x5a\x01\xbb\x7f\x00\x00\x01", 8, 8));
    return c;
}

/* Through a SOCKS proxy too, the retry chain follows one target: a success
 * to another target is no recovery (SOCKS5 by name, SOCKS4 by address,
 * SOCKS4a by name); one target asked for in SOCKS4 and then SOCKS5 is one. */
static void
test_socks_targets_chains(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    static const guint8 ip_a[4] = { 192, 0, 2, 10 }, ip_b[4] = { 192, 0, 2, 11 };
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    for (guint v = 0; v < 3; v++) {
        const guint version = v == 0 ? 5 : 4;
        const guint8 *a_ip = v == 1 ? ip_a : NULL, *b_ip = v == 1 ? ip_b : NULL;
        const guint32 conv = 101 + 10 * v;
        wait_ms(cap, 60000);   /* each round its own chains */

        conn_t b1 = socks_tunnel(cap, conv, version, "b.example", b_ip, 443);
        const tlsdiag_handshake *first = client_hello(&b1, &ch);
        g_assert_true(alert(&b1, SERVER, 2, 40) == first);

        conn_t a = socks_tunnel(cap, conv + 1, version, "a.example", a_ip, 443);
        const tlsdiag_handshake *ok = tls12_ok(&a, "www.example.com");
        g_assert_cmpuint(ok->attempt, ==, 1);
        g_assert_null(tlsdiag_hs_recovered_by(first));

        conn_t b2 = socks_tunnel(cap, conv + 2, version, "b.example", b_ip, 443);
        const tlsdiag_handshake *again = client_hello(&b2, &ch);
        g_assert_cmpuint(again->attempt, ==, 2);
        g_assert_true(tlsdiag_hs_prev(again) == first);
        g_assert_true(alert(&b2, SERVER, 2, 40) == again);
        if (v == 1) {   /* the same address and port in SOCKS5 */
            conn_t b3 = socks_tunnel(cap, conv + 3, 5, NULL, b_ip, 443);
            const tlsdiag_handshake *third = client_hello(&b3, &ch);
            g_assert_cmpuint(third->attempt, ==, 3);
            g_assert_true(tlsdiag_hs_prev(third) == again);
        }
    }
}

/* A proxy on a port TLS servers use (8443): its 200 to a CONNECT opens the
 * tunnel, and the handshake in it is judged as any; a plaintext request it
 * answers otherwise is still not TLS. */
static void
test_proxy_on_tls_port(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t a = tunnel(cap, 91, 8443, "a.example:443");
    const tlsdiag_handshake *hs = tls12_ok(&a, "a.example");
    g_assert_cmpuint(hs->client_hello_frame, ==, 6);

    conn_t b = tcp_conn_new(cap, 92, 50092);
    b.sport = 8443;
    syn(&b);
    g_assert_null(not_tls(&b, CLIENT, "CONNECT b.example:443 HTTP/1.1", 30, 60));
    hs = not_tls(&b, SERVER, "HTTP/1.1 407 Proxy Authentication Required", 42, 120);
    assert_causes(hs, "not_tls");
}

static void
test_not_tls_after_server_tls(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    static const guint8 cert_bytes[] = { 0x30, 0x82, 0x05, 0x1c, 0x30, 0x82, 0x04, 0x04, 0xa0, 0x03 };
    conn_t c = conn_new(cap, 43, 50043);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);                               /* 4 */
    g_assert_null(raw(&c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO, 1448));           /* 5 */
    g_assert_null(not_tls(&c, SERVER, cert_bytes, sizeof cert_bytes, 1448));           /* 6 */
    g_assert_null(ccs_finished(&c, CLIENT));                                           /* 7 */
    g_assert_true(ccs_finished(&c, SERVER) == hs);                                     /* 8 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 8);
    g_assert_null(hs->verdict);
}

/* The client speaks plaintext; the server's TLS stack answers with a bare
 * alert, seen either as undissected bytes or as a TLS alert record. */
static void
test_not_tls_plaintext_client(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    static const guint8 alert_bytes[] = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a };
    static const char get[] = "GET / HTTP/1.1\r\nHost: www.example.com\r\n";

    for (int variant = 0; variant < 2; variant++) {
        conn_t c = conn_new(cap, 41 + variant, (guint16)(50041 + variant));
        guint32 base = cap->frame;
        syn(&c);
        g_assert_null(not_tls(&c, CLIENT, get, sizeof get - 1, 78));
        g_assert_null(raw(&c, SERVER, 0, 0));
        const tlsdiag_handshake *hs = variant == 0
            ? not_tls(&c, SERVER, alert_bytes, sizeof alert_bytes, sizeof alert_bytes)
            : alert(&c, SERVER, 2, 10);
        assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 0, base + 6);
        assert_causes(hs, "not_tls");
        assert_has(evidence(hs, 0), "The client sent plaintext in frame ");
        assert_has(evidence(hs, 0), ", starting \"GET / HTTP/1.1\", to port 443, where TLS is the rule; the server "
                                    "answered with a TLS fatal alert unexpected_message (10)");
        assert_has(summary(hs), "\"GET / HTTP/1.1\") where a ClientHello was due");
        g_assert_null(fin(&c, SERVER));
        g_assert_null(fin(&c, CLIENT));
        assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 0, base + 6);
    }
}

/* ---- captures that began mid-connection ------------------------------ */

static void
test_midstream_hello(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 50, 50050);
    c.syn_seen = 0;
    tlsdiag_client_hello ch = legacy_hello(0x0302, "www.example.com");
    SET_LIST(ch.suites, ch.n_suites, 0xc013, 0x002f, 0x5600);

    const tlsdiag_handshake *hs = client_hello(&c, &ch);             /* 1 */
    assert_hs(hs, TLSDIAG_OUTCOME_PENDING, 1, 0);
    g_assert_true(alert(&c, SERVER, 2, 86) == hs);                   /* 2 */
    assert_hs(hs, TLSDIAG_OUTCOME_INCOMPLETE, 1, 2);
    assert_causes(hs, "inappropriate_fallback");
    assert_has(summary(hs), "capture began after the TCP handshake");

    /* Without the TCP handshake a hello that completes is still established. */
    conn_t d = conn_new(&cap, 51, 50051);
    d.syn_seen = 0;
    tlsdiag_client_hello ch2 = modern_hello("www.example.com");
    hs = client_hello(&d, &ch2);                                     /* 3 */
    g_assert_null(server_hello(&d, 0x0303, 0xc02f, 0x001d));         /* 4 */
    g_assert_null(ccs_finished(&d, CLIENT));                         /* 5 */
    g_assert_true(ccs_finished(&d, SERVER) == hs);                   /* 6 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 3, 6);
    g_assert_null(hs->verdict);
    tlsdiag_core_free(cap.core);
}

static void
test_midstream_no_hello(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    char buf[256];

    /* First TLS frame: a ServerHello. */
    conn_t c = conn_new(cap, 52, 50052);
    c.syn_seen = 0;
    g_assert_null(raw(&c, CLIENT, 0, 0));                            /* 1: ACK */
    const tlsdiag_handshake *hs = server_hello(&c, 0x0303, 0xc02f, 0x001d); /* 2 */
    assert_hs(hs, TLSDIAG_OUTCOME_INCOMPLETE, 0, 2);
    g_assert_null(hs->verdict);
    assert_has(tlsdiag_handshake_summary(hs, TRUE, buf, sizeof buf), "capture began after");
    g_assert_null(ccs_finished(&c, CLIENT));
    g_assert_null(ccs_finished(&c, SERVER));
    g_assert_null(app_data(&c, CLIENT, 1));
    g_assert_null(alert(&c, SERVER, 2, 40));
    g_assert_null(rst(&c, SERVER));
    assert_hs(hs, TLSDIAG_OUTCOME_INCOMPLETE, 0, 2);

    /* First TLS frame: application data. */
    conn_t d = conn_new(cap, 53, 50053);
    d.syn_seen = 0;
    hs = app_data(&d, SERVER, 1);                                    /* 8 */
    assert_hs(hs, TLSDIAG_OUTCOME_INCOMPLETE, 0, 8);
    g_assert_null(hs->verdict);
    g_assert_null(app_data(&d, CLIENT, 3));
    g_assert_null(app_data(&d, SERVER, 1));
    g_assert_null(alert(&d, CLIENT, 0, -1));
    g_assert_null(fin(&d, CLIENT));
    assert_hs(hs, TLSDIAG_OUTCOME_INCOMPLETE, 0, 8);
}

/* ---- bad or odd input ---------------------------------------------------- */

/* Frames with no TLS and no payload are not remembered: here the client's SYN
 * comes from a port below the server's, so a connection allocated from it
 * would guess the roles wrong and miss the server's alert to the plaintext client. */
static void
test_input_no_tls(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    static const guint8 alert_bytes[] = { 0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28 };
    conn_t c = conn_new(cap, 60, 1000);
    c.sport = 8443;

    g_assert_null(raw(&c, CLIENT, 0, 0));                            /* 1: SYN */
    g_assert_null(raw(&c, SERVER, 0, 0));                            /* 2 */
    g_assert_null(raw(&c, CLIENT, 0, 0));                            /* 3 */
    g_assert_null(raw(&c, CLIENT, 0, 0));                            /* 4: keep-alive */
    const tlsdiag_handshake *hs = not_tls(&c, SERVER, alert_bytes, sizeof alert_bytes, 7); /* 5 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 0, 5);
    assert_causes(hs, "not_tls");
    assert_has(evidence(hs, 0), "port 8443");
    assert_has(evidence(hs, 0), "fatal alert handshake_failure (40)");
}

static void
test_input_not_tls_short_head(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    static const guint8 alert_bytes[] = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a };

    /* No ClientHello yet: too little to recognise an alert, so nothing. */
    conn_t c = conn_new(cap, 61, 50061);
    syn(&c);
    g_assert_null(not_tls(&c, SERVER, NULL, 0, 7));
    g_assert_null(not_tls(&c, SERVER, alert_bytes, 3, 7));
    g_assert_null(not_tls(&c, SERVER, alert_bytes, 6, 7));
    g_assert_null(not_tls(&c, SERVER, alert_bytes, 0, 7));

    /* After a ClientHello: not TLS all the same, with nothing to quote. */
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    const guint8 *heads[2] = { NULL, alert_bytes };
    for (int variant = 0; variant < 2; variant++) {
        conn_t d = conn_new(cap, 62 + variant, (guint16)(50062 + variant));
        guint32 base = cap->frame;
        syn(&d);
        const tlsdiag_handshake *hs = client_hello(&d, &ch);
        g_assert_true(not_tls(&d, SERVER, heads[variant], variant ? 3 : 0, 40) == hs);
        assert_hs(hs, TLSDIAG_OUTCOME_FAILED, base + 4, base + 5);
        assert_causes(hs, "not_tls");
        assert_lacks(evidence(hs, 0), "starting");
        assert_has(summary(hs), "not TLS");
    }
}

/* A hello with no cipher suite at all, answered with decode_error. */
static void
test_input_zero_suites(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    ch.n_suites = 0;

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 50);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "handshake_alert");
    assert_has(summary(hs), "0 cipher suites");
}

/* Only GREASE values: the client offers no real suite, so the server can have
 * none in common with it. */
static void
test_input_grease_only_suites(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    SET_LIST(ch.suites, ch.n_suites, 0x0a0a, 0x1a1a);

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 40);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_has(summary(hs), "0 cipher suites");
    assert_causes(hs, "cipher_suite_mismatch");
    assert_has(evidence(hs, 0), "no real cipher suite");
}

/* 128 suites (the most a hello can carry here): all are counted, and the last
 * one is read. */
static void
test_input_128_suites(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    static const guint16 obsolete[] = { 0x002f, 0x0035, 0x000a, 0x0005, 0x003c, 0x003d, 0xc013, 0xc014 };
    tlsdiag_client_hello ch = legacy_hello(0x0303, "www.example.com");
    ch.n_suites = TLSDIAG_HELLO_MAX_SUITES;

    /* All obsolete and known. */
    for (guint i = 0; i < TLSDIAG_HELLO_MAX_SUITES; i++)
        ch.suites[i] = obsolete[i % G_N_ELEMENTS(obsolete)];
    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 40);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "cipher_suite_mismatch");
    assert_has(evidence(hs, 0), "128 suites");
    assert_has(evidence(hs, 0), "and 120 more");
    assert_has(summary(hs), "128 cipher suites");

    /* The same with one modern suite, the 128th. */
    ch.suites[TLSDIAG_HELLO_MAX_SUITES - 1] = 0xc02f;
    hs = hello_then_alert(cap, &ch, 40);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 9, 10);
    assert_causes(hs, "client_hello_rejected");
    assert_has(evidence(hs, 0), "128 suites");
}

static void
test_input_unknown_alert(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    const tlsdiag_handshake *hs = hello_then_alert(cap, &ch, 200);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "handshake_alert");
    assert_has(evidence(hs, 0), "fatal alert unknown (200) in frame 5");
    assert_has(evidence(hs, 0), "does not know");
}

static void
test_input_close_before_hello(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{

    conn_t c = conn_new(cap, 70, 50070);
    syn(&c);
    g_assert_null(fin(&c, CLIENT));
    g_assert_null(fin(&c, SERVER));
    g_assert_null(rst(&c, SERVER));

    conn_t d = conn_new(cap, 71, 50071);
    d.syn_seen = 0;
    g_assert_null(rst(&d, SERVER));
    g_assert_null(fin(&d, CLIENT));
    g_assert_null(raw(&d, CLIENT, TLSDIAG_PKT_RST | TLSDIAG_PKT_FIN, 0));

    /* A normal connection afterwards is judged as usual. */
    conn_t e = conn_new(cap, 72, 50072);
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    syn(&e);                                                     /* 10-12 */
    const tlsdiag_handshake *hs = client_hello(&e, &ch);         /* 13 */
    g_assert_true(rst(&e, SERVER) == hs);                        /* 14 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 13, 14);
    assert_causes(hs, "reset_after_client_hello");
}

/* A frame flagged ClientHello whose hello could not be read. */
static void
test_input_hello_flag_without_hello(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = conn_new(cap, 73, 50073);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    g_assert_null(raw(&c, CLIENT, F_TLS | TLSDIAG_PKT_CLIENT_HELLO, 300));   /* 4 */
    g_assert_null(rst(&c, SERVER));                                          /* 5 */
    const tlsdiag_handshake *hs = client_hello(&c, &ch);                     /* 6 */
    assert_hs(hs, TLSDIAG_OUTCOME_PENDING, 6, 0);
}

/* Three conversations at once, their frames interleaved. */
static void
test_input_interleaved(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t a = conn_new(cap, 80, 50080), b = conn_new(cap, 81, 50081), c = conn_new(cap, 82, 50082);
    c.cli = v4(9);
    tlsdiag_client_hello ch = modern_hello("www.example.com"), ch_nosni = modern_hello(NULL);

    syn(&a);                                                           /* 1-3 */
    syn(&b);                                                           /* 4-6 */
    const tlsdiag_handshake *ha = client_hello(&a, &ch);               /* 7 */
    syn(&c);                                                           /* 8-10 */
    const tlsdiag_handshake *hb = client_hello(&b, &ch_nosni);         /* 11 */
    const tlsdiag_handshake *hc = client_hello(&c, &ch);               /* 12 */
    g_assert_null(server_hello(&a, 0x0304, 0x1301, 0x001d));           /* 13 */
    wait_ms(cap, 2);
    g_assert_true(rst(&b, SERVER) == hb);                              /* 14 */
    g_assert_null(app_data(&a, CLIENT, 1));                            /* 15 */
    wait_ms(cap, 5000);
    g_assert_true(fin(&c, CLIENT) == hc);                              /* 16 */
    g_assert_true(app_data(&a, SERVER, 1) == ha);                      /* 17 */

    assert_hs(ha, TLSDIAG_OUTCOME_ESTABLISHED, 7, 17);
    g_assert_null(ha->verdict);
    assert_hs(hb, TLSDIAG_OUTCOME_FAILED, 11, 14);
    assert_causes(hb, "missing_sni reset_after_client_hello");
    assert_has(evidence(hb, 1), "2.0 ms");
    assert_hs(hc, TLSDIAG_OUTCOME_FAILED, 12, 16);
    assert_causes(hc, "no_server_response");
    assert_has(evidence(hc, 0), "5.002 s");
}

static tlsdiag_addr
v6(guint8 last)
{
    tlsdiag_addr a = { .family = 6, .bytes = { 0x20, 0x01, 0x0d, 0xb8, [15] = last } };
    return a;
}

static void
test_input_ipv6(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    /* An IPv6 connection negotiates ECDHE-RSA-AES128-GCM... */
    conn_t c = conn_new(cap, 90, 50090);
    c.cli = v6(1);
    c.srv = v6(2);
    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);             /* 4 */
    g_assert_null(server_hello(&c, 0x0303, 0xc02f, 0x001d));         /* 5 */
    g_assert_null(ccs_finished(&c, CLIENT));
    g_assert_true(ccs_finished(&c, SERVER) == hs);                   /* 7 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 7);

    /* ...which is no evidence about the IPv4 server whose address has the same
     * leading bytes, nor about the same IPv6 address on another port. */
    tlsdiag_client_hello ecdsa = modern_hello("www.example.com");
    SET_LIST(ecdsa.suites, ecdsa.n_suites, 0x1301, 0xc02b);
    tlsdiag_addr v4_like = { .family = 4 };
    memcpy(v4_like.bytes, c.srv.bytes, sizeof v4_like.bytes);
    conn_t d = conn_new(cap, 91, 50091);
    d.srv = v4_like;
    syn(&d);
    hs = client_hello(&d, &ecdsa);                                   /* 11 */
    g_assert_true(alert(&d, SERVER, 2, 40) == hs);                   /* 12 */
    assert_causes(hs, "client_hello_rejected");

    conn_t e = conn_new(cap, 92, 50092);
    e.cli = v6(1);
    e.srv = v6(2);
    e.sport = 8443;
    syn(&e);
    hs = client_hello(&e, &ecdsa);                                   /* 16 */
    g_assert_true(alert(&e, SERVER, 2, 40) == hs);                   /* 17 */
    assert_causes(hs, "client_hello_rejected");

    /* The same IPv6 server and port: the earlier handshake is evidence. */
    conn_t f = conn_new(cap, 93, 50093);
    f.cli = v6(3);
    f.srv = v6(2);
    syn(&f);
    hs = client_hello(&f, &ecdsa);                                   /* 21 */
    g_assert_true(alert(&f, SERVER, 2, 40) == hs);                   /* 22 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 21, 22);
    assert_causes(hs, "cipher_suite_mismatch");
    assert_has(evidence(hs, 0), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (frame 5)");
}

/* ---- tlsdiag_handshake_summary ------------------------------------------ */

static void
test_summary_established(void)
{
    capture_t cap;
    cap_init(&cap);
    char buf[256];
    conn_t c = conn_new(&cap, 100, 50100);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);
    g_assert_null(server_hello(&c, 0x0303, 0xc02f, 0x001d));
    g_assert_null(ccs_finished(&c, CLIENT));
    g_assert_true(ccs_finished(&c, SERVER) == hs);
    const char *s = tlsdiag_handshake_summary(hs, TRUE, buf, sizeof buf);
    g_assert_true(s == buf);
    g_assert_cmpstr(s, ==, "TLS 1.2 handshake established with TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 "
                           "(ClientHello in frame 4, done in frame 7).");
    g_assert_cmpstr(tlsdiag_handshake_summary(hs, FALSE, buf, sizeof buf), ==, s);

    /* A suite not in the table is given by number. */
    conn_t d = conn_new(&cap, 101, 50101);
    syn(&d);
    hs = client_hello(&d, &ch);                                      /* 11 */
    g_assert_null(server_hello(&d, 0x0304, 0x1306, 0x001d));         /* 12 */
    g_assert_null(app_data(&d, CLIENT, 1));
    g_assert_true(app_data(&d, SERVER, 1) == hs);                    /* 14 */
    s = tlsdiag_handshake_summary(hs, TRUE, buf, sizeof buf);
    assert_has(s, "TLS 1.3");
    assert_has(s, "0x1306");
    assert_has(s, "frame 11");
    assert_has(s, "frame 14");

    /* A small buffer is not overrun. */
    char small[17];
    memset(small, 'x', sizeof small);
    s = tlsdiag_handshake_summary(hs, TRUE, small, 16);
    g_assert_cmpuint(strlen(s), ==, 15);
    g_assert_cmpint(small[16], ==, 'x');
    tlsdiag_core_free(cap.core);
}

static void
test_summary_pending_and_failed(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    char buf[256];
    conn_t c = conn_new(cap, 102, 50102);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);
    assert_hs(hs, TLSDIAG_OUTCOME_PENDING, 4, 0);
    char *done = g_strdup(tlsdiag_handshake_summary(hs, TRUE, buf, sizeof buf));
    char *going = g_strdup(tlsdiag_handshake_summary(hs, FALSE, buf, sizeof buf));
    assert_has(done, "capture ended before");
    assert_has(going, "in progress");
    g_assert_cmpstr(done, !=, going);
    g_free(done);
    g_free(going);

    /* A failed handshake: the verdict's summary. */
    g_assert_true(alert(&c, SERVER, 2, 40) == hs);
    g_assert_true(tlsdiag_handshake_summary(hs, TRUE, buf, sizeof buf) == tlsdiag_verdict_summary(hs->verdict));
    assert_has(tlsdiag_verdict_summary(hs->verdict), "ClientHello in frame 4");
}

/* The first pass is over: the capture's last frame is `frames` after the
 * last one fed, `ms` later. */
static void
capture_ends(capture_t *cap, guint32 frames, double ms)
{
    tlsdiag_core_finish(cap->core, cap->frame + frames, cap->now_ns + (gint64)(ms * 1e6));
}

/* A handshake the capture leaves open says where the capture's view of its
 * connection stops. Long before the capture's end, with the server's data
 * neither acknowledged nor sent again, the rest is likely not in the capture
 * (a capture filter that keeps only handshake records, another path). */
static void
test_unfinished_unanswered(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = tcp_conn_new(cap, 120, 50120);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    tlsdiag_packet p = pkt(&c, CLIENT, F_TLS | TLSDIAG_PKT_CLIENT_HELLO, ch.length + 9);
    p.hello = &ch;
    p.hs_types[0] = 1;                                                    /* (told in the story) */
    p.n_hs_types = 1;
    const tlsdiag_handshake *hs = feed(&c, &p);                           /* 4 */
    wait_ms(cap, 5);
    g_assert_null(server_hello(&c, 0x0303, 0xc02f, 0x001d));              /* 5 */
    capture_ends(cap, 40, 21500);
    assert_hs(hs, TLSDIAG_OUTCOME_PENDING, 4, 0);
    g_assert_cmpuint(hs->verdict->n_causes, ==, 0);
    assert_has(summary(hs), "nothing of its connection after frame 5, though the capture goes on 21.5 s longer "
                            "(to frame 45), and the server's last data was neither acknowledged");
    assert_has(summary(hs), "likely not in the capture (a capture filter");
    assert_has(history_text(hs), "Frame 4 client: ClientHello.");
}

/* The same when each side acknowledged the other: the capture cannot tell
 * a capture that kept only part of the connection from two silent peers. */
static void
test_unfinished_quiet(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = tcp_conn_new(cap, 121, 50121);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);                  /* 4 */
    g_assert_null(raw(&c, SERVER, 0, 0));                                 /* 5: its ACK */
    capture_ends(cap, 3, 30000);
    assert_has(summary(hs), "nothing of its connection after frame 5, though the capture goes on 30.0 s longer "
                            "(to frame 8): either the rest of it is not in the capture");
    assert_has(summary(hs), "or both sides fell silent mid-handshake");
    assert_lacks(summary(hs), "likely");
}

/* Near the capture's end, the capture ended first. If the first pass then
 * goes on (a live capture) and the handshake settles, the note is gone; a
 * later end says nothing of it. */
static void
test_unfinished_capture_ended(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = tcp_conn_new(cap, 122, 50122);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);                  /* 4 */
    capture_ends(cap, 0, 0);
    assert_has(summary(hs), "The capture ended before this handshake finished: its connection's last frame, 4, "
                            "is the capture's last.");
    capture_ends(cap, 2, 1200);
    assert_has(summary(hs), "its connection's last frame is 4, 1.2 s before the capture's last (6).");
    wait_ms(cap, 10);
    g_assert_null(server_hello(&c, 0x0303, 0xc02f, 0x001d));              /* 5 */
    g_assert_null(ccs_finished(&c, CLIENT));                              /* 6 */
    g_assert_true(ccs_finished(&c, SERVER) == hs);                        /* 7 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 7);
    g_assert_null(hs->verdict);
    capture_ends(cap, 5, 9000);
    g_assert_null(hs->verdict);
}

/* A one-way capture the handshake's connection outlives: said as one-way,
 * with nothing that ended it. */
static void
test_capture_one_way_open(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = tcp_conn_new(cap, 85, 50085);
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    const tlsdiag_handshake *hs = one_way_hello(&c, &ch, 2000);
    g_assert_null(ccs_finished(&c, CLIENT));
    g_assert_null(app_data(&c, CLIENT, 1));
    capture_ends(cap, 0, 0);
    assert_causes(hs, "capture_one_way");
    assert_has(evidence(hs, 0), "though the client acknowledged 2000 bytes of its");
    assert_has(evidence(hs, 0), "; nothing in the capture ends the connection.");
    assert_has(summary(hs), "Only the client's side of this connection is in the capture");
}

/* An open handshake the judge said something of (its ClientHello sent
 * again, never acknowledged) keeps that verdict, also when the capture's
 * end had been told first (a live capture went on). */
static void
test_unfinished_keeps_verdict(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = tcp_conn_new(cap, 123, 50123);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    guint32 seq = c.next[CLIENT];
    const tlsdiag_handshake *hs = client_hello(&c, &ch);                  /* 4 */
    capture_ends(cap, 0, 0);
    assert_has(summary(hs), "The capture ended before");
    for (int i = 0; i < 2; i++) {                                         /* 5, 6 */
        wait_ms(cap, 1000);
        tlsdiag_packet again = pkt_at(&c, CLIENT, F_TLS, ch.length + 9, seq);
        feed(&c, &again);
    }
    assert_causes(hs, "client_hello_lost");
    capture_ends(cap, 10, 20000);
    assert_causes(hs, "client_hello_lost");
    assert_lacks(summary(hs), "The capture has no end");
}

/* ---- regressions ----------------------------------------------------------- */

/* A ClientHello retransmitted by TCP and dissected again (Wireshark does so
 * when tcp.no_subdissector_on_error is off, or when it does not flag the
 * segment as a retransmission) is the same handshake: no second ClientHello
 * can come before the server answers unless a HelloRetryRequest asked for it. */
static void
test_retransmitted_hello(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = conn_new(cap, 110, 50110);
    tlsdiag_client_hello ch = modern_hello("dropped.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);             /* 4 */
    wait_ms(cap, 200);
    const tlsdiag_handshake *again = client_hello(&c, &ch);          /* 5: retransmission */
    wait_ms(cap, 2800);
    const tlsdiag_handshake *end = fin(&c, CLIENT);                  /* 6 */
    g_assert_true(again == hs);
    g_assert_true(end == hs);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 6);
    assert_causes(hs, "no_server_response");
    assert_has(evidence(hs, 0), "3.000 s");
}

/* TLS 1.3 with a client certificate: the client's flight after the
 * ServerHello is Certificate, CertificateVerify and Finished, three encrypted
 * records in one frame. Nothing the server has said shows it accepted them: a
 * reset right after must end the handshake as failed, exactly as it does
 * after a client flight of one record (the first connection). */
static void
test_tls13_client_cert_flight(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("mtls.example.com");

    conn_t c = conn_new(cap, 111, 50111);
    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);             /* 4 */
    g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x001d));         /* 5 */
    g_assert_null(app_data(&c, CLIENT, 1));                          /* 6: Finished */
    g_assert_true(rst(&c, SERVER) == hs);                            /* 7 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 7);

    conn_t d = conn_new(cap, 112, 50112);
    syn(&d);                                                         /* 8-10 */
    hs = client_hello(&d, &ch);                                      /* 11 */
    g_assert_null(server_hello(&d, 0x0304, 0x1301, 0x001d));         /* 12: ... CertificateRequest */
    const tlsdiag_handshake *r = app_data(&d, CLIENT, 3);            /* 13: Certificate, CertificateVerify, Finished */
    const tlsdiag_handshake *a = rst(&d, SERVER);                    /* 14 */
    g_assert_null(r);
    g_assert_true(a == hs);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 11, 14);
}

/* ---- TLS 1.3: alerts hidden in Application Data records ------------------ */

/* n encrypted records, the first first_len bytes long; alert-shaped when one
 * of 19 (35: JSSE pads every record with 16 bytes). */
static const tlsdiag_handshake *
enc_records(conn_t *c, gboolean from_server, guint n, guint16 first_len)
{
    const gboolean alert = n == 1 && (first_len == 19 || first_len == 35);
    guint32 flags = F_TLS | TLSDIAG_PKT_APP_DATA | (alert ? TLSDIAG_PKT_ALERT_SHAPED : 0);
    tlsdiag_packet p = pkt(c, from_server, flags, first_len + 5 + (n - 1) * 60);
    p.n_app_data = n;
    p.first_enc_len = first_len;
    return feed(c, &p);
}

/* A Finished of first_len bytes and the client's close_notify in one
 * segment (gnutls-cli's, when it has nothing to send). */
static const tlsdiag_handshake *
enc_records_closing(conn_t *c, guint16 first_len)
{
    tlsdiag_packet p = pkt(c, CLIENT, F_TLS | TLSDIAG_PKT_APP_DATA | TLSDIAG_PKT_ENDS_ALERT_SHAPED, first_len + 5 + 24);
    p.n_app_data = 2;
    p.first_enc_len = first_len;
    return feed(c, &p);
}

static void
test_tls13_encrypted_alerts(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    /* The client rejects the server: alert-shaped record, then its FIN. */
    conn_t a = conn_new(cap, 1, 54001);
    syn(&a);
    const tlsdiag_handshake *hs = client_hello(&a, &ch);             /* 4 */
    g_assert_null(server_hello(&a, 0x0304, 0x1301, 0x001d));         /* 5 */
    g_assert_null(enc_records(&a, CLIENT, 1, 19));                   /* 6: the alert */
    g_assert_true(fin(&a, CLIENT) == hs);                            /* 7 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 7);
    assert_causes(hs, "encrypted_alert");
    /* The expert info's clause: the alert is the client's, no article. */
    g_assert_cmpstr(tlsdiag_verdict_brief(hs->verdict), ==, "ended by the client's encrypted alert");
    assert_has(evidence(hs, 0), "The client sent an encrypted alert in frame 6, after the server's first flight "
                                "(ServerHello in frame 5) and before its own Finished: most likely the client rejected the server");

    /* The server rejects the client after an empty Certificate + Finished. */
    conn_t b = conn_new(cap, 2, 54002);
    b.cli = v4(20);
    syn(&b);
    hs = client_hello(&b, &ch);                                      /* 11 */
    g_assert_null(server_hello(&b, 0x0304, 0x1301, 0x001d));         /* 12 */
    g_assert_null(enc_records(&b, CLIENT, 2, 25));                   /* 13 */
    g_assert_null(enc_records(&b, SERVER, 1, 19));                   /* 14: not a ticket, an alert */
    g_assert_true(fin(&b, SERVER) == hs);                            /* 15 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 11, 15);
    assert_causes(hs, "encrypted_alert client_cert_required");
    assert_has(evidence(hs, 0), "The server sent an encrypted alert in frame 14, after the client's Finished");
    assert_has(evidence(hs, 1), "Likely, not certain: the first encrypted record of the client's flight after the "
                                "ServerHello is 25 bytes, an empty Certificate message's size");

    /* The same, and the client answers the server's alert with an alert-sized
     * record of its own (its close_notify) before the close: the server's
     * alert, the first, ended it. */
    conn_t z = conn_new(cap, 5, 54005);
    z.cli = v4(22);
    syn(&z);
    hs = client_hello(&z, &ch);                                      /* 19 */
    g_assert_null(server_hello(&z, 0x0304, 0x1301, 0x001d));         /* 20 */
    g_assert_null(enc_records(&z, CLIENT, 2, 25));                   /* 21 */
    g_assert_null(enc_records(&z, SERVER, 1, 19));                   /* 22: the server's alert */
    g_assert_null(enc_records(&z, CLIENT, 1, 19));                   /* 23: the client's answer */
    g_assert_true(fin(&z, SERVER) == hs);                            /* 24 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 19, 24);
    assert_causes(hs, "encrypted_alert client_cert_required");
    assert_has(evidence(hs, 0), "The server sent an encrypted alert in frame 22, after the client's Finished");

    /* A client certificate was sent: Certificate, CertificateVerify, Finished. */
    conn_t c = conn_new(cap, 3, 54003);
    c.cli = v4(21);
    syn(&c);
    hs = client_hello(&c, &ch);
    server_hello(&c, 0x0304, 0x1301, 0x001d);
    g_assert_null(enc_records(&c, CLIENT, 3, 900));
    g_assert_null(enc_records(&c, SERVER, 1, 19));
    g_assert_true(rst(&c, SERVER) == hs);
    assert_causes(hs, "encrypted_alert client_cert_rejected");

    /* Finished alone, then a small record and session tickets: established. */
    conn_t d = conn_new(cap, 4, 54004);
    d.cli = v4(22);
    syn(&d);
    hs = client_hello(&d, &ch);
    server_hello(&d, 0x0304, 0x1301, 0x001d);
    g_assert_null(enc_records(&d, CLIENT, 1, 53));
    g_assert_null(enc_records(&d, SERVER, 1, 19));
    g_assert_true(enc_records(&d, SERVER, 2, 250) == hs);
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);

    /* JSSE sends each message of its flight in a segment of its own, every
     * record padded by 16 bytes. Its Certificate (46), CertificateVerify
     * (47), Finished (48) and data (49) are not yet the server's consent;
     * the server's padded alert (50) refuses the certificate. */
    conn_t j = conn_new(cap, 6, 54006);
    j.cli = v4(23);
    syn(&j);
    hs = client_hello(&j, &ch);                                      /* 44 */
    g_assert_null(server_hello(&j, 0x0304, 0x1302, 0x001d));         /* 45 */
    g_assert_null(enc_records(&j, CLIENT, 1, 832));                  /* 46 */
    g_assert_null(enc_records(&j, CLIENT, 1, 297));                  /* 47 */
    g_assert_null(enc_records(&j, CLIENT, 1, 85));                   /* 48 */
    g_assert_null(enc_records(&j, CLIENT, 1, 39));                   /* 49 */
    g_assert_null(enc_records(&j, SERVER, 1, 35));                   /* 50 */
    g_assert_true(fin(&j, SERVER) == hs);                            /* 51 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 44, 51);
    assert_causes(hs, "encrypted_alert client_cert_rejected");
    assert_has(evidence(hs, 1), "the first encrypted record of the client's flight after the ServerHello is 832 bytes, "
                                "longer than any Finished");

    /* The same flight accepted: the server's tickets establish it. */
    conn_t k = conn_new(cap, 7, 54007);
    k.cli = v4(24);
    syn(&k);
    hs = client_hello(&k, &ch);                                      /* 55 */
    server_hello(&k, 0x0304, 0x1302, 0x001d);                        /* 56 */
    g_assert_null(enc_records(&k, CLIENT, 1, 832));                  /* 57 */
    g_assert_null(enc_records(&k, CLIENT, 1, 297));                  /* 58 */
    g_assert_null(enc_records(&k, CLIENT, 1, 85));                   /* 59 */
    g_assert_null(enc_records(&k, CLIENT, 1, 39));                   /* 60 */
    g_assert_true(enc_records(&k, SERVER, 1, 1034) == hs);           /* 61 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 55, 61);

    /* An empty Certificate with the Finished, the client's data, its
     * close_notify and FIN all before the server's answer: the server's
     * padded alert after them still ends the handshake. */
    conn_t m = conn_new(cap, 8, 54008);
    m.cli = v4(25);
    syn(&m);
    hs = client_hello(&m, &ch);                                      /* 65 */
    server_hello(&m, 0x0304, 0x1301, 0x001d);                        /* 66 */
    g_assert_null(enc_records(&m, CLIENT, 2, 25));                   /* 67 */
    g_assert_null(enc_records(&m, CLIENT, 1, 20));                   /* 68 */
    g_assert_null(enc_records(&m, CLIENT, 1, 19));                   /* 69 */
    g_assert_null(fin(&m, CLIENT));                                  /* 70 */
    g_assert_null(enc_records(&m, SERVER, 1, 35));                   /* 71 */
    g_assert_true(fin(&m, SERVER) == hs);                            /* 72 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 65, 72);
    assert_causes(hs, "encrypted_alert client_cert_required");
    assert_has(evidence(hs, 0), "The server sent an encrypted alert in frame 71");

    /* A JSSE client refusing the server: its first record after the
     * server's flight is of the padded alert's size, and it closes. */
    conn_t n = conn_new(cap, 9, 54009);
    n.cli = v4(26);
    syn(&n);
    hs = client_hello(&n, &ch);                                      /* 76 */
    server_hello(&n, 0x0304, 0x1302, 0x001d);                        /* 77 */
    g_assert_null(enc_records(&n, CLIENT, 1, 35));                   /* 78 */
    g_assert_true(fin(&n, CLIENT) == hs);                            /* 79 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 76, 79);
    assert_causes(hs, "encrypted_alert");
    assert_has(evidence(hs, 0), "The client sent an encrypted alert in frame 78");

    /* The same size after the client's Finished is as likely 18 bytes of
     * data (s_time's "GET / HTTP/1.0" and blank line): the client's data,
     * or the server's answer without a client certificate, establishes. */
    conn_t o = conn_new(cap, 10, 54010);
    o.cli = v4(27);
    syn(&o);
    hs = client_hello(&o, &ch);                                      /* 83 */
    server_hello(&o, 0x0304, 0x1301, 0x001d);                        /* 84 */
    g_assert_null(enc_records(&o, CLIENT, 1, 53));                   /* 85 */
    g_assert_true(enc_records(&o, CLIENT, 1, 35) == hs);             /* 86 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 83, 86);
    conn_t q = conn_new(cap, 11, 54011);
    q.cli = v4(28);
    syn(&q);
    hs = client_hello(&q, &ch);                                      /* 90 */
    server_hello(&q, 0x0304, 0x1301, 0x001d);                        /* 91 */
    g_assert_null(enc_records(&q, CLIENT, 1, 53));                   /* 92 */
    g_assert_true(enc_records(&q, SERVER, 1, 35) == hs);             /* 93 */
    g_assert_null(fin(&q, SERVER));                                  /* 94 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 90, 93);

    /* A server that asks for a certificate and sends no tickets (gnutls-serv
     * --noticket): a client with none that closes at once, without data,
     * was done; the server's close_notify after is no refusal. */
    conn_t r = conn_new(cap, 12, 54012);
    r.cli = v4(29);
    syn(&r);
    hs = client_hello(&r, &ch);                                      /* 98 */
    server_hello(&r, 0x0304, 0x1301, 0x001d);                        /* 99 */
    g_assert_null(enc_records(&r, CLIENT, 2, 25));                   /* 100 */
    g_assert_null(enc_records(&r, CLIENT, 1, 19));                   /* 101: its close_notify */
    g_assert_true(fin(&r, CLIENT) == hs);                            /* 102 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 98, 102);
    /* A server that requires one refuses with a record of that size too. */
    assert_causes(hs, "client_cert_unconfirmed");
    g_assert_cmpstr(tlsdiag_verdict_brief(hs->verdict), ==, "established as far as the capture shows");
    assert_has(evidence(hs, 0), "the first encrypted record of the client's flight is 25 bytes, an empty Certificate "
                                "message's size");
    /* The same, the server's close_notify before the client's FIN. */
    conn_t u = conn_new(cap, 13, 54013);
    u.cli = v4(30);
    syn(&u);
    hs = client_hello(&u, &ch);                                      /* 106 */
    server_hello(&u, 0x0304, 0x1301, 0x001d);                        /* 107 */
    g_assert_null(enc_records(&u, CLIENT, 2, 25));                   /* 108 */
    g_assert_null(enc_records(&u, CLIENT, 1, 19));                   /* 109: its close_notify */
    g_assert_true(enc_records(&u, SERVER, 1, 19) == hs);             /* 110: the server's */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 106, 110);

    /* A server that sends no tickets (NSS's selfserv), a client that sends
     * its Finished and its close_notify in one segment: the server's
     * alert-sized answer is its close_notify. */
    conn_t v = conn_new(cap, 14, 54014);
    v.cli = v4(31);
    syn(&v);
    hs = client_hello(&v, &ch);                                      /* 114 */
    server_hello(&v, 0x0304, 0x1301, 0x001d);                        /* 115 */
    g_assert_null(enc_records_closing(&v, 53));                      /* 116 */
    g_assert_true(enc_records(&v, SERVER, 1, 19) == hs);             /* 117 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 114, 117);
    assert_causes(hs, "(no verdict)");    /* no certificate asked for */
    /* The same server answering the close with its FIN alone. */
    conn_t w = conn_new(cap, 15, 54015);
    w.cli = v4(32);
    syn(&w);
    hs = client_hello(&w, &ch);                                      /* 121 */
    server_hello(&w, 0x0304, 0x1301, 0x001d);                        /* 122 */
    g_assert_null(enc_records_closing(&w, 53));                      /* 123 */
    g_assert_true(fin(&w, SERVER) == hs);                            /* 124 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 121, 124);
    /* And after a lone close_notify. */
    conn_t x = conn_new(cap, 16, 54016);
    x.cli = v4(33);
    syn(&x);
    hs = client_hello(&x, &ch);                                      /* 128 */
    server_hello(&x, 0x0304, 0x1301, 0x001d);                        /* 129 */
    g_assert_null(enc_records(&x, CLIENT, 1, 53));                   /* 130 */
    g_assert_null(enc_records(&x, CLIENT, 1, 19));                   /* 131 */
    g_assert_true(fin(&x, SERVER) == hs);                            /* 132 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 128, 132);
}

/* TLS 1.3 without keys: the server closes, with no alert, right after the
 * client's flight (Node.js servers with requestCert and rejectUnauthorized
 * check the client's certificate once the handshake is done). The flight's
 * first record tells what the client gave: a certificate (longer than any
 * Finished) or an empty one; a Finished alone tells nothing more. */
static void
test_tls13_server_closes_after_client_cert(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    const struct {
        guint       n, len;
        const char *causes;
    } flights[] = { { 3, 900, "closed_mid_handshake client_cert_rejected" },
                    { 2, 25, "closed_mid_handshake client_cert_required" },
                    { 1, 53, "closed_mid_handshake" } };

    for (guint i = 0; i < G_N_ELEMENTS(flights); i++) {
        conn_t c = conn_new(cap, 1 + i, (guint16)(54101 + i));
        c.cli = v4((guint8)(30 + i));
        syn(&c);
        const tlsdiag_handshake *hs = client_hello(&c, &ch);           /* 4 */
        g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x001d));       /* 5 */
        g_assert_null(enc_records(&c, CLIENT, flights[i].n, flights[i].len));
        g_assert_true(fin(&c, SERVER) == hs);
        g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_FAILED);
        assert_causes(hs, flights[i].causes);
        assert_has(evidence(hs, 0), "The server closed the connection (FIN) in frame");
    }
}

/* A TLS 1.3 client flight read with keys: its Finished (and Certificate),
 * then close_notify, n records in all, the last the alert. */
static const tlsdiag_handshake *
keyed_flight(conn_t *c, guint n, gboolean cert, gboolean close)
{
    static const tlsdiag_cert none[1];
    tlsdiag_packet p = pkt(c, CLIENT, F_TLS | TLSDIAG_PKT_APP_DATA | TLSDIAG_PKT_FINISHED |
                           (cert ? TLSDIAG_PKT_CERTIFICATE : 0) | (close ? TLSDIAG_PKT_ALERT : 0), 60 * n);
    p.n_app_data = n;
    p.first_enc_len = cert ? 25 : 53;
    p.certs = cert ? none : NULL;
    p.alert_level = close ? 1 : 0;
    p.alert_desc = close ? 0 : -1;
    return feed(c, &p);
}

/* A TLS 1.3 server's flight read with keys, with a CertificateRequest. */
static const tlsdiag_handshake *
cert_request_flight(conn_t *c)
{
    tlsdiag_packet p = pkt(c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO | TLSDIAG_PKT_CCS | TLSDIAG_PKT_APP_DATA |
                           TLSDIAG_PKT_CERT_REQUEST, 2600);
    p.n_app_data = 5;
    p.sh_version = 0x0304;
    p.sh_suite = 0x1301;
    p.sh_group = 0x001d;
    return feed(c, &p);
}

/* The same with the key log: Finished and close_notify in one segment end
 * the handshake well; after a Certificate, the server's answer decides. */
static void
test_tls13_keyed_close(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    conn_t a = conn_new(cap, 1, 54101);
    syn(&a);
    const tlsdiag_handshake *hs = client_hello(&a, &ch);             /* 4 */
    server_hello(&a, 0x0304, 0x1301, 0x001d);                        /* 5 */
    g_assert_true(keyed_flight(&a, 2, FALSE, TRUE) == hs);           /* 6 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 6);

    /* An empty Certificate, close_notify, FIN, then the server's refusal. */
    conn_t b = conn_new(cap, 2, 54102);
    b.cli = v4(41);
    syn(&b);
    hs = client_hello(&b, &ch);                                      /* 10 */
    g_assert_null(cert_request_flight(&b));                          /* 11 */
    g_assert_null(keyed_flight(&b, 2, TRUE, FALSE));                 /* 12 */
    g_assert_null(alert(&b, CLIENT, 1, 0));                          /* 13: close_notify */
    g_assert_null(fin(&b, CLIENT));                                  /* 14 */
    g_assert_true(alert(&b, SERVER, 2, 116) == hs);                  /* 15 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 10, 15);
    assert_causes(hs, "client_cert_required");

    /* The same accepted (a certificate it did not require): its close_notify. */
    conn_t c = conn_new(cap, 3, 54103);
    c.cli = v4(42);
    syn(&c);
    hs = client_hello(&c, &ch);                                      /* 19 */
    g_assert_null(cert_request_flight(&c));                          /* 20 */
    g_assert_null(keyed_flight(&c, 3, TRUE, TRUE));                  /* 21: with its close_notify */
    g_assert_true(alert(&c, SERVER, 1, 0) == hs);                    /* 22 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 19, 22);
    assert_causes(hs, "(no verdict)");

    /* Refused or taken, a server may close without a word once the client
     * has gone (Erlang's): established, said to be undecided. The client's
     * FIN alone (no close_notify) waits for the server's word too. */
    conn_t d = conn_new(cap, 4, 54104);
    d.cli = v4(43);
    syn(&d);
    hs = client_hello(&d, &ch);                                      /* 26 */
    g_assert_null(cert_request_flight(&d));                          /* 27 */
    g_assert_null(keyed_flight(&d, 2, TRUE, FALSE));                 /* 28 */
    g_assert_null(fin(&d, CLIENT));                                  /* 29 */
    g_assert_true(fin(&d, SERVER) == hs);                            /* 30 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 26, 30);
    assert_causes(hs, "client_cert_unconfirmed");
    assert_has(evidence(hs, 0), "the client's Certificate (frame 28) was empty; the client then closed without "
                                "sending data, and the server closed without a word");
}

/* ---- tlsdiag_history ------------------------------------------------------ */

/* A ClientHello frame that names its message type, as the story tells it. */
static const tlsdiag_handshake *
story_hello(conn_t *c, const tlsdiag_client_hello *ch)
{
    tlsdiag_packet p = pkt(c, CLIENT, F_TLS | TLSDIAG_PKT_CLIENT_HELLO, 517);
    p.hello = ch;
    p.hs_types[0] = 1;
    p.n_hs_types = 1;
    return feed(c, &p);
}

static void
test_history(void)
{
    capture_t cap;
    cap_init(&cap);
    GString *story = g_string_new(NULL);
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    conn_t c = conn_new(&cap, 1, 55001);

    syn(&c);
    const tlsdiag_handshake *hs = story_hello(&c, &ch);          /* 4 */
    g_assert_false(tlsdiag_history(hs, story));                 /* not settled yet */
    g_assert_null(raw(&c, SERVER, 0, 0));                        /* 5: an ACK says nothing */
    tlsdiag_packet p = pkt(&c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO | TLSDIAG_PKT_CERTIFICATE | TLSDIAG_PKT_SERVER_DONE, 2900);
    p.sh_version = 0x0303;
    p.hs_types[0] = 2, p.hs_types[1] = 11, p.hs_types[2] = 12, p.hs_types[3] = 14;
    p.n_hs_types = 4;
    g_assert_null(feed(&c, &p));                                 /* 6 */
    g_assert_true(alert(&c, CLIENT, 2, 48) == hs);               /* 7 */
    g_assert_true(tlsdiag_history(hs, story));
    g_assert_cmpstr(story->str, ==,
                    "Frame 4 client: ClientHello. Frame 6 server: ServerHello, Certificate, ServerKeyExchange, "
                    "ServerHelloDone. Frame 7 client: fatal alert unknown_ca.");
    g_string_free(story, TRUE);
    tlsdiag_core_free(cap.core);
}

/* A story longer than a connection keeps inline, with frames far apart:
 * its first 48 steps are kept, the rest dropped. */
static void
test_history_long(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    conn_t c = conn_new(&cap, 1, 55001);
    GString *want = g_string_new("Frame 4 client: ClientHello");

    syn(&c);
    const tlsdiag_handshake *hs = story_hello(&c, &ch);                         /* 4 */
    for (guint i = 1; i <= 60; i++) {
        cap.frame += 999;
        g_assert_null(raw(&c, SERVER, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 100));  /* 4 + 1000 i */
        if (i < 48)
            g_string_append_printf(want, ". Frame %u server: encrypted handshake message", 4 + 1000 * i);
    }
    g_string_append_c(want, '.');
    g_assert_true(alert(&c, CLIENT, 2, 48) == hs);
    g_assert_cmpuint(hs->n_events, ==, 48);
    g_assert_cmpstr(history_text(hs), ==, want->str);
    g_string_free(want, TRUE);
    tlsdiag_core_free(cap.core);
}

/* ---- tlsdiag_lines -------------------------------------------------------- */

static void
collect_line(const char *line, gsize len, void *data)
{
    g_ptr_array_add(data, g_strndup(line, len));
}

static GPtrArray *
lines(const char *text, gsize width)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    tlsdiag_lines(text, width, collect_line, out);
    return out;
}

/* Evidence is kept as format and arguments: it reads as printf would have
 * written it, for every conversion the rules use; a conversion it does not
 * keep (a length modifier, '*') or a long argument keeps the sentence
 * written out. */
static void
test_evidence_words(void)
{
    static const char *const sni = "good.example";
    const char *none = NULL;
    char long_name[700];
    tlsdiag_draft *d = g_new0(tlsdiag_draft, 1);
    tlsdiag_verdict *v;
    char *text;
    struct { tlsdiag_cause cause; const char *want; } cases[] = {
        { TLSDIAG_CAUSE_SESSION_RESUMED, "The ClientHello in frame 45 offered an earlier session (ServerHello in frame 47)." },
        { TLSDIAG_CAUSE_WEAK_PROTOCOL, "-3, 4294967295, ff, FF, 17, 'x', 1.5, 0.125, 2e+00, 100%, [   7], [ab  ], (null), good.example." },
        { TLSDIAG_CAUSE_MISSING_SNI, "12345678901 and 5 and goo: kept written out." },
    };

    tlsdiag_verdict_add(d, FALSE, cases[0].cause, "The ClientHello in frame %u offered an earlier session (ServerHello in frame %u).", 45u, 47u);
    tlsdiag_verdict_add(d, FALSE, cases[1].cause, "%d, %u, %x, %X, %o, '%c', %.1f, %.3f, %.0e, 100%%, [%4u], [%-4s], %s, %s.",
                        -3, 4294967295u, 255u, 255u, 15u, 'x', 1.5, 0.125, 2.0, 7u, "ab", none, sni);
    tlsdiag_verdict_add(d, FALSE, cases[2].cause, "%" G_GINT64_FORMAT " and %zu and %.*s: kept written out.",
                        G_GINT64_CONSTANT(12345678901), (gsize)5, 3, sni);
    v = tlsdiag_verdict_seal(d);
    g_assert_cmpuint(v->n_causes, ==, 3);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_assert_true(v->causes[i] == cases[i].cause);
        text = tlsdiag_verdict_evidence(v, i);
        g_assert_cmpstr(text, ==, cases[i].want);
        g_free(text);
    }
    /* An argument longer than what is kept as arguments: written out too. */
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    d = tlsdiag_verdict_reopen(v);
    tlsdiag_verdict_free(v);
    tlsdiag_verdict_add(d, FALSE, TLSDIAG_CAUSE_NOT_TLS, "name %s, frame %u", long_name, 9u);
    v = tlsdiag_verdict_seal(d);
    text = tlsdiag_verdict_evidence(v, 3);
    g_assert_cmpuint(strlen(text), ==, 5 + 699 + 9);
    g_assert_true(g_str_has_suffix(text, "a, frame 9"));
    g_free(text);
    /* Past the causes: empty. */
    text = tlsdiag_verdict_evidence(v, 4);
    g_assert_cmpstr(text, ==, "");
    g_free(text);
    tlsdiag_verdict_free(v);
}

/* A sealed verdict keeps what the draft said, and says it again when
 * reopened; a sentence no rule would write (over 8 KiB of evidence, or
 * texts past 64 KiB in all) is cut, or left out, never read past. */
static void
test_verdict_sealed(void)
{
    tlsdiag_draft *d = g_new0(tlsdiag_draft, 1);
    GString *huge = g_string_new(NULL);
    tlsdiag_verdict *v;
    char *text;

    d->sender = TLSDIAG_SENDER_PATH;
    tlsdiag_verdict_add(d, FALSE, TLSDIAG_CAUSE_NOT_TLS, "frame %u", 3u);
    d->summary = g_strdup("What happened.");
    d->sender_reasons = g_string_new(NULL);
    tlsdiag_phrase(d->sender_reasons, "Why the %s", "path");
    tlsdiag_phrase(d->sender_reasons, "; TTL %u.", 63u);
    v = tlsdiag_verdict_seal(d);
    g_assert_cmpstr(tlsdiag_verdict_summary(v), ==, "What happened.");
    g_assert_null(tlsdiag_verdict_brief(v));
    text = tlsdiag_verdict_reasons(v);
    g_assert_cmpstr(text, ==, "Why the path; TTL 63.");
    g_free(text);
    g_assert_null(tlsdiag_verdict_summary(NULL));
    g_assert_null(tlsdiag_verdict_reasons(NULL));

    d = tlsdiag_verdict_reopen(v);
    tlsdiag_verdict_free(v);
    g_assert_cmpuint(d->sender, ==, TLSDIAG_SENDER_PATH);
    g_free(d->brief);
    d->brief = g_strdup("ended by the path");
    /* 3-byte characters, so that 8 KiB falls inside one. */
    for (guint i = 0; i < 4000; i++)
        g_string_append(huge, "\xe2\x80\x94");
    tlsdiag_verdict_add(d, TRUE, TLSDIAG_CAUSE_ENDED_BY_PATH, "%.*s%s", 1, "x", huge->str);
    v = tlsdiag_verdict_seal(d);
    g_assert_cmpuint(v->n_causes, ==, 2);
    g_assert_true(v->causes[0] == TLSDIAG_CAUSE_ENDED_BY_PATH);
    text = tlsdiag_verdict_evidence(v, 0);
    g_assert_cmpuint(strlen(text), ==, 1 + 2730 * 3);
    g_assert_true(g_utf8_validate(text, -1, NULL));
    g_free(text);
    text = tlsdiag_verdict_evidence(v, 1);
    g_assert_cmpstr(text, ==, "frame 3");
    g_free(text);
    g_assert_cmpstr(tlsdiag_verdict_brief(v), ==, "ended by the path");
    g_assert_cmpstr(tlsdiag_verdict_summary(v), ==, "What happened.");

    /* Texts beyond 64 KiB in all: the one that does not fit is left out. */
    d = tlsdiag_verdict_reopen(v);
    tlsdiag_verdict_free(v);
    g_string_append(huge, huge->str);
    g_string_append(huge, huge->str);
    g_string_append(huge, huge->str);   /* 96,000 bytes */
    g_free(d->summary);
    d->summary = g_string_free(huge, FALSE);
    v = tlsdiag_verdict_seal(d);
    g_assert_null(tlsdiag_verdict_summary(v));
    g_assert_cmpstr(tlsdiag_verdict_brief(v), ==, "ended by the path");
    text = tlsdiag_verdict_reasons(v);
    g_assert_cmpstr(text, ==, "Why the path; TTL 63.");
    g_free(text);
    tlsdiag_verdict_free(v);
}

static void
test_lines(void)
{
    /* One event or sentence per line, clauses at "; ", not after "e.g." or a version. */
    GPtrArray *l = lines("Frame 4 client: ClientHello. Frame 6 server: ServerHello (TLS 1.2). Then e.g. this; "
                         "and that.", 100);
    g_assert_cmpuint(l->len, ==, 4);
    g_assert_cmpstr(l->pdata[0], ==, "Frame 4 client: ClientHello.");
    g_assert_cmpstr(l->pdata[1], ==, "Frame 6 server: ServerHello (TLS 1.2).");
    g_assert_cmpstr(l->pdata[2], ==, "Then e.g. this;");
    g_assert_cmpstr(l->pdata[3], ==, "and that.");
    g_ptr_array_free(l, TRUE);

    /* A sentence longer than a line wraps at the last space that fits; nothing is lost. */
    l = lines("aaaa bbbb cccc dddd", 9);
    g_assert_cmpuint(l->len, ==, 2);
    g_assert_cmpstr(l->pdata[0], ==, "aaaa bbbb");
    g_assert_cmpstr(l->pdata[1], ==, "cccc dddd");
    g_ptr_array_free(l, TRUE);

    /* Not between a word and its number. */
    l = lines("in frame 12 of them", 9);
    g_assert_cmpuint(l->len, ==, 3);
    g_assert_cmpstr(l->pdata[0], ==, "in");
    g_assert_cmpstr(l->pdata[1], ==, "frame 12");
    g_assert_cmpstr(l->pdata[2], ==, "of them");
    g_ptr_array_free(l, TRUE);

    /* A word longer than a line is split, never inside a UTF-8 character. */
    l = lines("abcdefgh\xe2\x80\x94ij", 9);
    g_assert_cmpuint(l->len, ==, 2);
    g_assert_cmpstr(l->pdata[0], ==, "abcdefgh");
    g_assert_cmpstr(l->pdata[1], ==, "\xe2\x80\x94ij");
    g_ptr_array_free(l, TRUE);

    l = lines("", 9);
    g_assert_cmpuint(l->len, ==, 0);
    g_ptr_array_free(l, TRUE);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/catalogue/complete", test_catalogue);
    g_test_add_func("/facts/client-finished", test_client_finished);
    g_test_add_func("/established/tls12", test_tls12_established);
    TEST_CAPTURE("/established/tls12-split-frames", test_tls12_split_frames);
    TEST_CAPTURE("/established/server-hello-unread-version", test_server_hello_unread_version);
    TEST_CAPTURE("/established/tls12-resumption", test_tls12_resumption);
    TEST_CAPTURE("/established/tls13", test_tls13_established);
    TEST_CAPTURE("/established/tls13-hello-retry", test_tls13_hello_retry);
    TEST_CAPTURE("/established/warning-alert", test_warning_alert_continues);
    TEST_CAPTURE("/fallback/with-scsv", test_fallback_with_scsv);
    TEST_CAPTURE("/fallback/without-scsv", test_fallback_without_scsv);
    TEST_CAPTURE("/version/server-alert", test_version_server_alert);
    TEST_CAPTURE("/version/client-alert-after-tls10", test_version_client_alert);
    TEST_CAPTURE("/version/ssl3-only", test_version_ssl3_only);
    TEST_CAPTURE("/version/tls11-refused", test_version_tls11_refused);
    TEST_CAPTURE("/version/internal-error", test_version_internal_error);
    TEST_CAPTURE("/version/below-earlier-handshakes", test_version_below_service);
    TEST_CAPTURE("/suites/obsolete", test_suites_obsolete);
    TEST_CAPTURE("/suites/all-refusable", test_suites_all_refusable);
    TEST_CAPTURE("/suites/tls13-without-mandatory", test_suites_tls13_without_mandatory);
    TEST_CAPTURE("/suites/earlier-connection", test_suites_evidence);
    TEST_CAPTURE("/suites/no-false-evidence", test_suites_no_false_evidence);
    TEST_CAPTURE("/hello/refused-offer-alone", test_refused_offer_alone);
    TEST_CAPTURE("/groups/earlier-connection", test_group_evidence);
    TEST_CAPTURE("/groups/earlier-server-key-exchange", test_group_evidence_ske);
    TEST_CAPTURE("/refused/client-hello-rejected", test_client_hello_rejected);
    TEST_CAPTURE("/refused/single-group", test_single_group_refused);
    TEST_CAPTURE("/refused/missing-sni", test_missing_sni_alert40);
    TEST_CAPTURE("/sni/missing-alert-112", test_missing_sni_alert112);
    TEST_CAPTURE("/sni/unrecognized-name", test_unrecognized_name);
    TEST_CAPTURE("/alpn/mismatch", test_alpn_mismatch);
    TEST_CAPTURE("/alert/decode-error", test_alert_decode_error);
    TEST_CAPTURE("/alert/unknown-ca-from-client", test_alert_unknown_ca);
    TEST_CAPTURE("/alert/encrypted", test_alert_encrypted);
    TEST_CAPTURE("/alert/close-notify", test_alert_close_notify);
    TEST_CAPTURE("/close/reset-after-hello", test_reset_after_hello);
    TEST_CAPTURE("/close/closed-after-hello", test_closed_after_hello);
    TEST_CAPTURE("/close/no-server-response", test_no_server_response);
    TEST_CAPTURE("/close/not-no-response-after-server-data", test_no_server_response_not_after_data);
    TEST_CAPTURE("/close/after-a-wait", test_closed_after_wait);
    TEST_CAPTURE("/not-tls/http-answer", test_not_tls_http_answer);
    TEST_CAPTURE("/not-tls/plaintext-client", test_not_tls_plaintext_client);
    TEST_CAPTURE("/not-tls/plaintext-ports", test_not_tls_plaintext_ports);
    TEST_CAPTURE("/not-tls/plaintext-service", test_not_tls_plaintext_service);
    TEST_CAPTURE("/not-tls/starttls-service", test_not_tls_starttls_service);
    TEST_CAPTURE("/not-tls/alert-before-hello", test_alert_before_hello);
    TEST_CAPTURE("/services/proxy-targets-apart", test_proxy_targets_apart);
    TEST_CAPTURE("/services/proxy-targets-chains", test_proxy_targets_chains);
    TEST_CAPTURE("/services/proxy-on-tls-port", test_proxy_on_tls_port);
    TEST_CAPTURE("/services/socks-targets-chains", test_socks_targets_chains);
    TEST_CAPTURE("/not-tls/after-server-tls", test_not_tls_after_server_tls);
    g_test_add_func("/midstream/hello-without-syn", test_midstream_hello);
    TEST_CAPTURE("/midstream/no-hello", test_midstream_no_hello);
    TEST_CAPTURE("/input/no-tls-no-payload", test_input_no_tls);
    TEST_CAPTURE("/input/not-tls-short-head", test_input_not_tls_short_head);
    TEST_CAPTURE("/input/zero-suites", test_input_zero_suites);
    TEST_CAPTURE("/input/grease-only-suites", test_input_grease_only_suites);
    TEST_CAPTURE("/input/128-suites", test_input_128_suites);
    TEST_CAPTURE("/input/unknown-alert", test_input_unknown_alert);
    TEST_CAPTURE("/input/close-before-hello", test_input_close_before_hello);
    TEST_CAPTURE("/input/hello-flag-without-hello", test_input_hello_flag_without_hello);
    TEST_CAPTURE("/input/interleaved", test_input_interleaved);
    TEST_CAPTURE("/input/ipv6", test_input_ipv6);
    g_test_add_func("/summary/established", test_summary_established);
    TEST_CAPTURE("/summary/pending-and-failed", test_summary_pending_and_failed);
    TEST_CAPTURE("/summary/unfinished-unanswered", test_unfinished_unanswered);
    TEST_CAPTURE("/summary/unfinished-quiet", test_unfinished_quiet);
    TEST_CAPTURE("/capture/one-way", test_capture_one_way);
    TEST_CAPTURE("/capture/cut", test_capture_cut);
    TEST_CAPTURE("/capture/one-way-open", test_capture_one_way_open);
    TEST_CAPTURE("/not-tls/tls-carrier", test_tls_carrier);
    TEST_CAPTURE("/summary/unfinished-capture-ended", test_unfinished_capture_ended);
    TEST_CAPTURE("/summary/unfinished-keeps-verdict", test_unfinished_keeps_verdict);
    TEST_CAPTURE("/regressions/retransmitted-client-hello", test_retransmitted_hello);
    TEST_CAPTURE("/regressions/tls13-client-cert-flight", test_tls13_client_cert_flight);
    TEST_CAPTURE("/tls13/encrypted-alerts", test_tls13_encrypted_alerts);
    TEST_CAPTURE("/tls13/server-closes-after-client-cert", test_tls13_server_closes_after_client_cert);
    TEST_CAPTURE("/tls13/keyed-close", test_tls13_keyed_close);
    g_test_add_func("/history/failure", test_history);
    g_test_add_func("/history/long", test_history_long);
    g_test_add_func("/history/lines", test_lines);
    g_test_add_func("/verdict/evidence-words", test_evidence_words);
    g_test_add_func("/verdict/sealed", test_verdict_sealed);
    return g_test_run();
}
