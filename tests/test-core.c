/* test-core.c — unit tests of the tlsdiag core, through its public API only
 * (tlsdiag_core_new / _packet / _free, tlsdiag_handshake_summary and
 * tlsdiag_cause_get), with synthetic packets.
 *
 * Every expectation is what a person reading the capture would conclude;
 * frame numbers are counted by hand from the packets each test sends.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "harness.h"

#include <string.h>

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
 * Finished alone completes the handshake. */
static void
test_tls12_split_frames(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 7, 50123);
    tlsdiag_client_hello ch = legacy_hello(0x0303, "api.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);                              /* 4 */
    g_assert_null(server_hello(&c, 0x0303, 0xc013, 0x0017));                          /* 5 */
    g_assert_null(raw(&c, CLIENT, F_TLS, 70));                                        /* 6: ClientKeyExchange */
    g_assert_null(raw(&c, CLIENT, F_TLS | TLSDIAG_PKT_CCS, 6));                       /* 7 */
    g_assert_null(raw(&c, CLIENT, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 45));            /* 8 */
    g_assert_null(raw(&c, SERVER, F_TLS | TLSDIAG_PKT_CCS, 6));                       /* 9 */
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_PENDING);
    g_assert_true(raw(&c, SERVER, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 45) == hs);      /* 10 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 10);
    g_assert_null(hs->verdict);
    tlsdiag_core_free(cap.core);
}

/* Abbreviated handshake: the server's ServerHello, CCS and Finished in one
 * frame, then the client's CCS and, in the next frame, Finished decide it. */
static void
test_tls12_resumption(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 2, 50001);
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
    tlsdiag_core_free(cap.core);
}

static void
test_tls13_established(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 3, 50002);
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
    conn_t d = conn_new(&cap, 4, 50003);
    syn(&d);                                                         /* 13-15 */
    hs = client_hello(&d, &ch);                                      /* 16 */
    g_assert_null(server_hello(&d, 0x0304, 0x1302, 0x001d));         /* 17 */
    g_assert_null(app_data(&d, CLIENT, 2));                          /* 18 */
    g_assert_true(app_data(&d, SERVER, 1) == hs);                    /* 19 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 16, 19);
    g_assert_cmpuint(hs->suite, ==, 0x1302);
    tlsdiag_core_free(cap.core);
}

/* HelloRetryRequest: the second ClientHello belongs to the same handshake. */
static void
test_tls13_hello_retry(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 5, 50004);
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
    tlsdiag_core_free(cap.core);
}

/* A warning alert (here unrecognized_name, which old servers send and then
 * carry on) does not end the handshake. */
static void
test_warning_alert_continues(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 6, 50005);
    tlsdiag_client_hello ch = legacy_hello(0x0303, "alias.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);             /* 4 */
    g_assert_null(alert(&c, SERVER, 1, 112));                        /* 5 */
    g_assert_null(server_hello(&c, 0x0303, 0xc013, 0x0017));         /* 6 */
    g_assert_null(ccs_finished(&c, CLIENT));                         /* 7 */
    g_assert_true(ccs_finished(&c, SERVER) == hs);                   /* 8 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 8);
    g_assert_null(hs->verdict);
    tlsdiag_core_free(cap.core);
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
test_fallback_with_scsv(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = legacy_hello(0x0302, "www.example.com");
    SET_LIST(ch.suites, ch.n_suites, 0xc013, 0xc014, 0x002f, 0x0035, 0x5600);

    const tlsdiag_handshake *hs = hello_then_alert(&cap, &ch, 86);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "inappropriate_fallback");
    assert_has(evidence(hs, 0), "frame 4");
    assert_has(evidence(hs, 0), "frame 5");
    assert_has(evidence(hs, 0), "TLS 1.1");
    assert_has(evidence(hs, 0), "carried TLS_FALLBACK_SCSV");
    assert_has(summary(hs), "4 cipher suites + TLS_FALLBACK_SCSV");
    assert_has(summary(hs), "SNI 'www.example.com'");
    assert_has(summary(hs), "fatal alert inappropriate_fallback (86) in frame 5");
    tlsdiag_core_free(cap.core);
}

static void
test_fallback_without_scsv(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = legacy_hello(0x0302, "www.example.com");

    const tlsdiag_handshake *hs = hello_then_alert(&cap, &ch, 86);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "inappropriate_fallback");
    assert_has(evidence(hs, 0), "no TLS_FALLBACK_SCSV");
    assert_has(evidence(hs, 0), "frame 4");
    assert_has(evidence(hs, 0), "frame 5");
    assert_lacks(summary(hs), "+ TLS_FALLBACK_SCSV");
    tlsdiag_core_free(cap.core);
}

static void
test_version_server_alert(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = legacy_hello(0x0301, "www.example.com");

    const tlsdiag_handshake *hs = hello_then_alert(&cap, &ch, 70);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "protocol_version_mismatch");
    assert_has(evidence(hs, 0), "The client offered up to TLS 1.0 (ClientHello, frame 4)");
    assert_has(evidence(hs, 0), "server refused with protocol_version in frame 5");
    assert_has(evidence(hs, 0), "frame 4");
    assert_has(summary(hs), "fatal alert protocol_version (70)");
    g_assert_cmpuint(hs->version, ==, 0);
    tlsdiag_core_free(cap.core);
}

static void
test_version_client_alert(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 8, 50006);
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
    tlsdiag_core_free(cap.core);
}

/* An SSL 3.0-only client (no extensions, no SNI) refused with handshake_failure:
 * the version, not the missing SNI, is the reason. */
static void
test_version_ssl3_only(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = legacy_hello(0x0300, NULL);
    SET_LIST(ch.suites, ch.n_suites, 0x000a, 0x0005, 0x0004);
    ch.n_groups = 0;

    const tlsdiag_handshake *hs = hello_then_alert(&cap, &ch, 40);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "protocol_version_mismatch");
    assert_has(evidence(hs, 0), "SSL 3.0");
    assert_has(summary(hs), "3 cipher suites");
    assert_has(summary(hs), "SNI absent");
    tlsdiag_core_free(cap.core);
}

/* A TLS 1.1 client refused with handshake_failure: the version is the reason. */
static void
test_version_tls11_refused(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = legacy_hello(0x0302, "www.example.com");

    const tlsdiag_handshake *hs = hello_then_alert(&cap, &ch, 40);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "protocol_version_mismatch");
    assert_has(evidence(hs, 0), "up to TLS 1.1");
    assert_has(evidence(hs, 0), "TLS 1.2 is the usual minimum");
    tlsdiag_core_free(cap.core);
}

/* Every earlier handshake to this server negotiated TLS 1.3; a TLS 1.2-only
 * client is then refused: the version, not the suites (a TLS 1.2 client cannot
 * offer TLS 1.3 suites). */
static void
test_version_below_service(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 9, 50009);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs1 = client_hello(&c, &ch);             /* 4 */
    g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x001d));          /* 5 */
    g_assert_null(app_data(&c, CLIENT, 1));                           /* 6 */
    g_assert_true(app_data(&c, SERVER, 1) == hs1);                    /* 7 */

    conn_t d = conn_new(&cap, 19, 50019);
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
    tlsdiag_core_free(cap.core);
}

static void
test_suites_obsolete(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = legacy_hello(0x0303, "legacy.example.com");
    SET_LIST(ch.suites, ch.n_suites, 0x002f, 0x000a);

    const tlsdiag_handshake *hs = hello_then_alert(&cap, &ch, 40);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "cipher_suite_mismatch");
    assert_has(evidence(hs, 0), "2 suites");
    assert_has(evidence(hs, 0), "TLS_RSA_WITH_AES_128_CBC_SHA");
    assert_has(evidence(hs, 0), "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
    assert_has(evidence(hs, 0), "AEAD");
    assert_has(summary(hs), "handshake_failure (40)");
    tlsdiag_core_free(cap.core);
}

/* Connection 1 to the server negotiates ECDHE-RSA-AES128-GCM in frame 5; a
 * client offering only ECDSA and TLS 1.3 suites is then refused. */
static void
test_suites_evidence(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 10, 50010);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs1 = client_hello(&c, &ch);             /* 4 */
    g_assert_null(server_hello(&c, 0x0303, 0xc02f, 0x001d));          /* 5 */
    g_assert_null(ccs_finished(&c, CLIENT));                          /* 6 */
    g_assert_true(ccs_finished(&c, SERVER) == hs1);                   /* 7 */

    conn_t d = conn_new(&cap, 11, 50011);
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
    tlsdiag_core_free(cap.core);
}

/* The server chose ECDHE-RSA-AES128-GCM (TLS 1.2) once and TLS_AES_128_GCM
 * (TLS 1.3) later: a client offering the first is not short of suites, and
 * with an unknown suite among old ones the suites cannot be called obsolete. */
static void
test_suites_no_false_evidence(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    conn_t c = conn_new(&cap, 16, 50016), d = conn_new(&cap, 17, 50017), e = conn_new(&cap, 18, 50018);

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

    /* Old suites plus one (GOST) not in tlsdiag's table, no groups at all. */
    tlsdiag_client_hello ch3 = legacy_hello(0x0303, "gost.example.ru");
    SET_LIST(ch3.suites, ch3.n_suites, 0x002f, 0x000a, 0xff85);
    ch3.n_groups = 0;
    conn_t f = conn_new(&cap, 24, 50024);
    f.srv = v4(99);
    syn(&f);
    hs = client_hello(&f, &ch3);                                      /* 23 */
    g_assert_true(alert(&f, SERVER, 2, 40) == hs);                    /* 24 */
    assert_causes(hs, "client_hello_rejected");
    assert_has(evidence(hs, 0), "0xff85");
    assert_has(evidence(hs, 0), "groups none listed");
    tlsdiag_core_free(cap.core);
}

/* Connection 1 negotiates x25519 in frame 5; a client offering only P-384 and
 * P-521 is then refused. */
static void
test_group_evidence(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 12, 50012);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs1 = client_hello(&c, &ch);             /* 4 */
    g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x001d));          /* 5 */
    g_assert_null(app_data(&c, CLIENT, 1));                           /* 6 */
    g_assert_true(app_data(&c, SERVER, 1) == hs1);                    /* 7 */

    conn_t d = conn_new(&cap, 13, 50013);
    tlsdiag_client_hello ch2 = modern_hello("www.example.com");
    SET_LIST(ch2.groups, ch2.n_groups, 0x0018, 0x0019);
    syn(&d);                                                          /* 8-10 */
    const tlsdiag_handshake *hs = client_hello(&d, &ch2);             /* 11 */
    g_assert_true(alert(&d, SERVER, 2, 40) == hs);                    /* 12 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 11, 12);
    assert_causes(hs, "no_common_group");
    assert_has(evidence(hs, 0), "secp384r1, secp521r1");
    assert_has(evidence(hs, 0), "x25519 (frame 5)");
    tlsdiag_core_free(cap.core);
}

/* TLS 1.2: the curve comes in the ServerKeyExchange, a frame after the
 * ServerHello; it is evidence all the same. */
static void
test_group_evidence_ske(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 14, 50014);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs1 = client_hello(&c, &ch);                             /* 4 */
    g_assert_null(server_hello(&c, 0x0303, 0xc02f, 0));                               /* 5 */
    tlsdiag_packet p = pkt(&c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_DONE, 340);         /* 6 */
    p.sh_group = 0x001d;
    g_assert_null(feed(&c, &p));
    g_assert_null(ccs_finished(&c, CLIENT));                                          /* 7 */
    g_assert_true(ccs_finished(&c, SERVER) == hs1);                                   /* 8 */

    conn_t d = conn_new(&cap, 15, 50015);
    tlsdiag_client_hello ch2 = modern_hello("www.example.com");
    SET_LIST(ch2.groups, ch2.n_groups, 0x0018);
    syn(&d);                                                                          /* 9-11 */
    const tlsdiag_handshake *hs = client_hello(&d, &ch2);                             /* 12 */
    g_assert_true(alert(&d, SERVER, 2, 40) == hs);                                    /* 13 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 12, 13);
    assert_causes(hs, "no_common_group");
    assert_has(evidence(hs, 0), "The client supports secp384r1;");
    assert_has(evidence(hs, 0), "x25519 (frame 6)");
    tlsdiag_core_free(cap.core);
}

static void
test_client_hello_rejected(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    const tlsdiag_handshake *hs = hello_then_alert(&cap, &ch, 40);
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
    tlsdiag_core_free(cap.core);
}

static void
test_missing_sni_alert40(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello(NULL);

    const tlsdiag_handshake *hs = hello_then_alert(&cap, &ch, 40);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "missing_sni");
    assert_has(evidence(hs, 0), "no server_name");
    assert_has(evidence(hs, 0), "frame 4");
    assert_has(evidence(hs, 0), "frame 5");
    assert_has(summary(hs), "SNI absent");
    tlsdiag_core_free(cap.core);
}

static void
test_missing_sni_alert112(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello(NULL);

    const tlsdiag_handshake *hs = hello_then_alert(&cap, &ch, 112);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "missing_sni");
    assert_has(evidence(hs, 0), "unrecognized_name in frame 5");
    tlsdiag_core_free(cap.core);
}

static void
test_unrecognized_name(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("nosuch.example.com");

    const tlsdiag_handshake *hs = hello_then_alert(&cap, &ch, 112);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "unrecognized_name");
    assert_has(evidence(hs, 0), "'nosuch.example.com'");
    assert_has(evidence(hs, 0), "frame 4");
    assert_has(evidence(hs, 0), "frame 5");
    tlsdiag_core_free(cap.core);
}

static void
test_alpn_mismatch(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    const tlsdiag_handshake *hs = hello_then_alert(&cap, &ch, 120);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "alpn_mismatch");
    assert_has(evidence(hs, 0), "ALPN h2, http/1.1 (frame 4)");
    assert_has(evidence(hs, 0), "server");
    assert_has(evidence(hs, 0), "frame 5");
    tlsdiag_core_free(cap.core);
}

static void
test_alert_decode_error(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    const tlsdiag_handshake *hs = hello_then_alert(&cap, &ch, 50);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "handshake_alert");
    assert_has(evidence(hs, 0), "The server sent fatal alert decode_error (50) in frame 5");
    assert_has(evidence(hs, 0), "ClientHello (frame 4)");
    assert_has(evidence(hs, 0), "malformed");
    tlsdiag_core_free(cap.core);
}

static void
test_alert_unknown_ca(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 20, 50020);
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
    tlsdiag_core_free(cap.core);
}

static void
test_alert_encrypted(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 21, 50021);
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
    tlsdiag_core_free(cap.core);
}

/* close_notify during the handshake ends it: from the server right after the
 * hello it is a refusal without a reason; from the client, giving up. */
static void
test_alert_close_notify(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 22, 50022);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);             /* 4 */
    g_assert_true(alert(&c, SERVER, 1, 0) == hs);                    /* 5 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "client_hello_rejected");
    assert_has(summary(hs), "the server's warning alert close_notify (0) in frame 5");

    conn_t d = conn_new(&cap, 23, 50023);
    syn(&d);                                                         /* 6-8 */
    hs = client_hello(&d, &ch);                                      /* 9 */
    g_assert_null(server_hello(&d, 0x0303, 0xc02f, 0x001d));         /* 10 */
    g_assert_true(alert(&d, CLIENT, 1, 0) == hs);                    /* 11 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 9, 11);
    assert_causes(hs, "handshake_alert");
    assert_has(evidence(hs, 0), "The client sent warning alert close_notify (0) in frame 11, after the ServerHello (frame 10)");
    assert_has(evidence(hs, 0), "gave up");

    /* The client gives up after a HelloRetryRequest: it is the client's doing. */
    conn_t e = conn_new(&cap, 24, 50024);
    syn(&e);                                                         /* 12-14 */
    hs = client_hello(&e, &ch);                                      /* 15 */
    g_assert_null(hello_retry(&e, 0x0100));                          /* 16 */
    g_assert_true(alert(&e, CLIENT, 1, 0) == hs);                    /* 17 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 15, 17);
    assert_causes(hs, "handshake_alert hello_retry_request");
    assert_has(evidence(hs, 1), "asking for a key share for ffdhe2048");
    assert_has(evidence(hs, 0), "The client sent warning alert close_notify (0) in frame 17");
    tlsdiag_core_free(cap.core);
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
test_reset_after_hello(void)
{
    capture_t cap;
    cap_init(&cap);

    const tlsdiag_handshake *hs = hello_then_close(&cap, "blocked.example.com", TRUE, 12.5);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 6);
    assert_causes(hs, "reset_after_client_hello");
    assert_has(evidence(hs, 0), "reset (RST) in frame 6, 12.5 ms after the ClientHello (frame 4, SNI 'blocked.example.com')");
    assert_has(summary(hs), "TCP reset from the server in frame 6, 12.5 ms after the ClientHello");

    cap.frame = 100;
    hs = hello_then_close(&cap, NULL, TRUE, 0.4);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 104, 106);
    assert_causes(hs, "missing_sni reset_after_client_hello");
    assert_has(evidence(hs, 0), "frame 104");
    assert_has(evidence(hs, 0), "frame 106");
    assert_has(evidence(hs, 1), "0.4 ms");
    assert_lacks(evidence(hs, 1), "SNI");
    tlsdiag_core_free(cap.core);
}

static void
test_closed_after_hello(void)
{
    capture_t cap;
    cap_init(&cap);

    const tlsdiag_handshake *hs = hello_then_close(&cap, "unrouted.example.com", FALSE, 3.25);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 6);
    assert_causes(hs, "closed_after_client_hello");
    assert_has(evidence(hs, 0), "a TCP FIN in frame 6, 3.2 ms after the ClientHello (frame 4, SNI 'unrouted.example.com')");
    assert_has(summary(hs), "TCP FIN from the server in frame 6");

    cap.frame = 100;
    hs = hello_then_close(&cap, NULL, FALSE, 150);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 104, 106);
    assert_causes(hs, "missing_sni closed_after_client_hello");
    assert_has(evidence(hs, 0), "no server_name");
    assert_has(evidence(hs, 1), "150.0 ms");
    tlsdiag_core_free(cap.core);
}

static void
test_no_server_response(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 30, 50030);
    tlsdiag_client_hello ch = modern_hello("slow.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);             /* 4 */
    g_assert_null(raw(&c, SERVER, 0, 0));                            /* 5: ACK */
    wait_ms(&cap, 3000);
    g_assert_true(fin(&c, CLIENT) == hs);                            /* 6 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 6);
    assert_causes(hs, "no_server_response");
    assert_has(evidence(hs, 0), "nothing for 3.000 s after the ClientHello (frame 4)");
    assert_has(evidence(hs, 0), "FIN in frame 6");
    assert_has(summary(hs), "3000.0 ms");
    g_assert_null(fin(&c, SERVER));
    tlsdiag_core_free(cap.core);
}

/* The server did answer (a ServerHello, or TLS bytes we cannot classify): a
 * client giving up afterwards is not "no response". */
static void
test_no_server_response_not_after_data(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    for (int variant = 0; variant < 2; variant++) {
        conn_t c = conn_new(&cap, 31 + variant, (guint16)(50031 + variant));
        guint32 base = cap.frame;
        syn(&c);
        const tlsdiag_handshake *hs = client_hello(&c, &ch);
        if (variant == 0)
            g_assert_null(server_hello(&c, 0x0303, 0xc02f, 0x001d));
        else
            g_assert_null(raw(&c, SERVER, F_TLS, 1448));
        wait_ms(&cap, 3000);
        g_assert_true(fin(&c, CLIENT) == hs);
        assert_hs(hs, TLSDIAG_OUTCOME_FAILED, base + 4, base + 6);
        assert_causes(hs, "");
        assert_has(summary(hs), "TCP FIN from the client");
    }
    tlsdiag_core_free(cap.core);
}

/* ---- not TLS ------------------------------------------------------------- */

static const char http_400[] = "HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n";

static void
test_not_tls_http_answer(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 40, 50040);
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
    tlsdiag_core_free(cap.core);
}

/* Once the server has spoken TLS, a segment the dissector could not read
 * (part of a record reassembled later) is not "not TLS". */
static void
test_not_tls_after_server_tls(void)
{
    static const guint8 cert_bytes[] = { 0x30, 0x82, 0x05, 0x1c, 0x30, 0x82, 0x04, 0x04, 0xa0, 0x03 };
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 43, 50043);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);                               /* 4 */
    g_assert_null(raw(&c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO, 1448));           /* 5 */
    g_assert_null(not_tls(&c, SERVER, cert_bytes, sizeof cert_bytes, 1448));           /* 6 */
    g_assert_null(ccs_finished(&c, CLIENT));                                           /* 7 */
    g_assert_true(ccs_finished(&c, SERVER) == hs);                                     /* 8 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 8);
    g_assert_null(hs->verdict);
    tlsdiag_core_free(cap.core);
}

/* The client speaks plaintext; the server's TLS stack answers with a bare
 * alert, seen either as undissected bytes or as a TLS alert record. */
static void
test_not_tls_plaintext_client(void)
{
    static const guint8 alert_bytes[] = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a };
    static const char get[] = "GET / HTTP/1.1\r\nHost: www.example.com\r\n";
    capture_t cap;
    cap_init(&cap);

    for (int variant = 0; variant < 2; variant++) {
        conn_t c = conn_new(&cap, 41 + variant, (guint16)(50041 + variant));
        guint32 base = cap.frame;
        syn(&c);
        g_assert_null(not_tls(&c, CLIENT, get, sizeof get - 1, 78));
        g_assert_null(raw(&c, SERVER, 0, 0));
        const tlsdiag_handshake *hs = variant == 0
            ? not_tls(&c, SERVER, alert_bytes, sizeof alert_bytes, sizeof alert_bytes)
            : alert(&c, SERVER, 2, 10);
        assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 0, base + 6);
        assert_causes(hs, "not_tls");
        assert_has(evidence(hs, 0), "never sent a ClientHello");
        assert_has(evidence(hs, 0), "port 443");
        assert_has(evidence(hs, 0), "fatal alert unexpected_message (10)");
        assert_has(summary(hs), "No ClientHello on this connection");
        g_assert_null(fin(&c, SERVER));
        g_assert_null(fin(&c, CLIENT));
        assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 0, base + 6);
    }
    tlsdiag_core_free(cap.core);
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
test_midstream_no_hello(void)
{
    capture_t cap;
    cap_init(&cap);
    char buf[256];

    /* First TLS frame: a ServerHello. */
    conn_t c = conn_new(&cap, 52, 50052);
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
    conn_t d = conn_new(&cap, 53, 50053);
    d.syn_seen = 0;
    hs = app_data(&d, SERVER, 1);                                    /* 8 */
    assert_hs(hs, TLSDIAG_OUTCOME_INCOMPLETE, 0, 8);
    g_assert_null(hs->verdict);
    g_assert_null(app_data(&d, CLIENT, 3));
    g_assert_null(app_data(&d, SERVER, 1));
    g_assert_null(alert(&d, CLIENT, 0, -1));
    g_assert_null(fin(&d, CLIENT));
    assert_hs(hs, TLSDIAG_OUTCOME_INCOMPLETE, 0, 8);
    tlsdiag_core_free(cap.core);
}

/* ---- bad or odd input ---------------------------------------------------- */

/* Frames with no TLS and no payload are not remembered: here the client's SYN
 * comes from a port below the server's, so a connection allocated from it
 * would guess the roles wrong and miss the server's alert to the plaintext client. */
static void
test_input_no_tls(void)
{
    static const guint8 alert_bytes[] = { 0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28 };
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 60, 1000);
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
    tlsdiag_core_free(cap.core);
}

static void
test_input_not_tls_short_head(void)
{
    static const guint8 alert_bytes[] = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a };
    capture_t cap;
    cap_init(&cap);

    /* No ClientHello yet: too little to recognise an alert, so nothing. */
    conn_t c = conn_new(&cap, 61, 50061);
    syn(&c);
    g_assert_null(not_tls(&c, SERVER, NULL, 0, 7));
    g_assert_null(not_tls(&c, SERVER, alert_bytes, 3, 7));
    g_assert_null(not_tls(&c, SERVER, alert_bytes, 6, 7));
    g_assert_null(not_tls(&c, SERVER, alert_bytes, 0, 7));

    /* After a ClientHello: not TLS all the same, with nothing to quote. */
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    const guint8 *heads[2] = { NULL, alert_bytes };
    for (int variant = 0; variant < 2; variant++) {
        conn_t d = conn_new(&cap, 62 + variant, (guint16)(50062 + variant));
        guint32 base = cap.frame;
        syn(&d);
        const tlsdiag_handshake *hs = client_hello(&d, &ch);
        g_assert_true(not_tls(&d, SERVER, heads[variant], variant ? 3 : 0, 40) == hs);
        assert_hs(hs, TLSDIAG_OUTCOME_FAILED, base + 4, base + 5);
        assert_causes(hs, "not_tls");
        assert_lacks(evidence(hs, 0), "starting");
        assert_has(summary(hs), "not TLS");
    }
    tlsdiag_core_free(cap.core);
}

/* A hello with no cipher suite at all, answered with decode_error. */
static void
test_input_zero_suites(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    ch.n_suites = 0;

    const tlsdiag_handshake *hs = hello_then_alert(&cap, &ch, 50);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "handshake_alert");
    assert_has(summary(hs), "0 cipher suites");
    tlsdiag_core_free(cap.core);
}

/* Only GREASE values: the client offers no real suite, so the server can have
 * none in common with it. */
static void
test_input_grease_only_suites(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    SET_LIST(ch.suites, ch.n_suites, 0x0a0a, 0x1a1a);

    const tlsdiag_handshake *hs = hello_then_alert(&cap, &ch, 40);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_has(summary(hs), "0 cipher suites");
    assert_causes(hs, "cipher_suite_mismatch");
    assert_has(evidence(hs, 0), "no real cipher suite");
    tlsdiag_core_free(cap.core);
}

/* 128 suites (the most a hello can carry here): all are counted, and the last
 * one is read. */
static void
test_input_128_suites(void)
{
    static const guint16 obsolete[] = { 0x002f, 0x0035, 0x000a, 0x0005, 0x003c, 0x003d, 0xc013, 0xc014 };
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = legacy_hello(0x0303, "www.example.com");
    ch.n_suites = TLSDIAG_HELLO_MAX_SUITES;

    /* All obsolete and known. */
    for (guint i = 0; i < TLSDIAG_HELLO_MAX_SUITES; i++)
        ch.suites[i] = obsolete[i % G_N_ELEMENTS(obsolete)];
    const tlsdiag_handshake *hs = hello_then_alert(&cap, &ch, 40);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "cipher_suite_mismatch");
    assert_has(evidence(hs, 0), "128 suites");
    assert_has(evidence(hs, 0), "and 120 more");
    assert_has(summary(hs), "128 cipher suites");

    /* The same with one modern suite, the 128th. */
    ch.suites[TLSDIAG_HELLO_MAX_SUITES - 1] = 0xc02f;
    hs = hello_then_alert(&cap, &ch, 40);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 9, 10);
    assert_causes(hs, "client_hello_rejected");
    assert_has(evidence(hs, 0), "128 suites");
    tlsdiag_core_free(cap.core);
}

static void
test_input_unknown_alert(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    const tlsdiag_handshake *hs = hello_then_alert(&cap, &ch, 200);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "handshake_alert");
    assert_has(evidence(hs, 0), "fatal alert unknown (200) in frame 5");
    assert_has(evidence(hs, 0), "does not know");
    tlsdiag_core_free(cap.core);
}

static void
test_input_close_before_hello(void)
{
    capture_t cap;
    cap_init(&cap);

    conn_t c = conn_new(&cap, 70, 50070);
    syn(&c);
    g_assert_null(fin(&c, CLIENT));
    g_assert_null(fin(&c, SERVER));
    g_assert_null(rst(&c, SERVER));

    conn_t d = conn_new(&cap, 71, 50071);
    d.syn_seen = 0;
    g_assert_null(rst(&d, SERVER));
    g_assert_null(fin(&d, CLIENT));
    g_assert_null(raw(&d, CLIENT, TLSDIAG_PKT_RST | TLSDIAG_PKT_FIN, 0));

    /* A normal connection afterwards is judged as usual. */
    conn_t e = conn_new(&cap, 72, 50072);
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    syn(&e);                                                     /* 10-12 */
    const tlsdiag_handshake *hs = client_hello(&e, &ch);         /* 13 */
    g_assert_true(rst(&e, SERVER) == hs);                        /* 14 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 13, 14);
    assert_causes(hs, "reset_after_client_hello");
    tlsdiag_core_free(cap.core);
}

/* A frame flagged ClientHello whose hello could not be read. */
static void
test_input_hello_flag_without_hello(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 73, 50073);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    syn(&c);
    g_assert_null(raw(&c, CLIENT, F_TLS | TLSDIAG_PKT_CLIENT_HELLO, 300));   /* 4 */
    g_assert_null(rst(&c, SERVER));                                          /* 5 */
    const tlsdiag_handshake *hs = client_hello(&c, &ch);                     /* 6 */
    assert_hs(hs, TLSDIAG_OUTCOME_PENDING, 6, 0);
    tlsdiag_core_free(cap.core);
}

/* Three conversations at once, their frames interleaved. */
static void
test_input_interleaved(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t a = conn_new(&cap, 80, 50080), b = conn_new(&cap, 81, 50081), c = conn_new(&cap, 82, 50082);
    c.cli = v4(9);
    tlsdiag_client_hello ch = modern_hello("www.example.com"), ch_nosni = modern_hello(NULL);

    syn(&a);                                                           /* 1-3 */
    syn(&b);                                                           /* 4-6 */
    const tlsdiag_handshake *ha = client_hello(&a, &ch);               /* 7 */
    syn(&c);                                                           /* 8-10 */
    const tlsdiag_handshake *hb = client_hello(&b, &ch_nosni);         /* 11 */
    const tlsdiag_handshake *hc = client_hello(&c, &ch);               /* 12 */
    g_assert_null(server_hello(&a, 0x0304, 0x1301, 0x001d));           /* 13 */
    wait_ms(&cap, 2);
    g_assert_true(rst(&b, SERVER) == hb);                              /* 14 */
    g_assert_null(app_data(&a, CLIENT, 1));                            /* 15 */
    wait_ms(&cap, 5000);
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
    tlsdiag_core_free(cap.core);
}

static tlsdiag_addr
v6(guint8 last)
{
    tlsdiag_addr a = { .family = 6, .bytes = { 0x20, 0x01, 0x0d, 0xb8, [15] = last } };
    return a;
}

static void
test_input_ipv6(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    /* An IPv6 connection negotiates ECDHE-RSA-AES128-GCM... */
    conn_t c = conn_new(&cap, 90, 50090);
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
    conn_t d = conn_new(&cap, 91, 50091);
    d.srv = v4_like;
    syn(&d);
    hs = client_hello(&d, &ecdsa);                                   /* 11 */
    g_assert_true(alert(&d, SERVER, 2, 40) == hs);                   /* 12 */
    assert_causes(hs, "client_hello_rejected");

    conn_t e = conn_new(&cap, 92, 50092);
    e.cli = v6(1);
    e.srv = v6(2);
    e.sport = 8443;
    syn(&e);
    hs = client_hello(&e, &ecdsa);                                   /* 16 */
    g_assert_true(alert(&e, SERVER, 2, 40) == hs);                   /* 17 */
    assert_causes(hs, "client_hello_rejected");

    /* The same IPv6 server and port: the earlier handshake is evidence. */
    conn_t f = conn_new(&cap, 93, 50093);
    f.cli = v6(3);
    f.srv = v6(2);
    syn(&f);
    hs = client_hello(&f, &ecdsa);                                   /* 21 */
    g_assert_true(alert(&f, SERVER, 2, 40) == hs);                   /* 22 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 21, 22);
    assert_causes(hs, "cipher_suite_mismatch");
    assert_has(evidence(hs, 0), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (frame 5)");
    tlsdiag_core_free(cap.core);
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
test_summary_pending_and_failed(void)
{
    capture_t cap;
    cap_init(&cap);
    char buf[256];
    conn_t c = conn_new(&cap, 102, 50102);
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
    g_assert_true(tlsdiag_handshake_summary(hs, TRUE, buf, sizeof buf) == hs->verdict->summary);
    assert_has(hs->verdict->summary, "ClientHello in frame 4");
    tlsdiag_core_free(cap.core);
}

/* ---- regressions ----------------------------------------------------------- */

/* A ClientHello retransmitted by TCP and dissected again (Wireshark does so
 * when tcp.no_subdissector_on_error is off, or when it does not flag the
 * segment as a retransmission) is the same handshake: no second ClientHello
 * can come before the server answers unless a HelloRetryRequest asked for it. */
static void
test_retransmitted_hello(void)
{
    capture_t cap;
    cap_init(&cap);
    conn_t c = conn_new(&cap, 110, 50110);
    tlsdiag_client_hello ch = modern_hello("dropped.example.com");

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);             /* 4 */
    wait_ms(&cap, 200);
    const tlsdiag_handshake *again = client_hello(&c, &ch);          /* 5: retransmission */
    wait_ms(&cap, 2800);
    const tlsdiag_handshake *end = fin(&c, CLIENT);                  /* 6 */
    g_assert_true(again == hs);
    g_assert_true(end == hs);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 6);
    assert_causes(hs, "no_server_response");
    assert_has(evidence(hs, 0), "3.000 s");
    tlsdiag_core_free(cap.core);
}

/* TLS 1.3 with a client certificate: the client's flight after the
 * ServerHello is Certificate, CertificateVerify and Finished, three encrypted
 * records in one frame. Nothing the server has said shows it accepted them: a
 * reset right after must end the handshake as failed, exactly as it does
 * after a client flight of one record (the first connection). */
static void
test_tls13_client_cert_flight(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("mtls.example.com");

    conn_t c = conn_new(&cap, 111, 50111);
    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);             /* 4 */
    g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x001d));         /* 5 */
    g_assert_null(app_data(&c, CLIENT, 1));                          /* 6: Finished */
    g_assert_true(rst(&c, SERVER) == hs);                            /* 7 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 7);

    conn_t d = conn_new(&cap, 112, 50112);
    syn(&d);                                                         /* 8-10 */
    hs = client_hello(&d, &ch);                                      /* 11 */
    g_assert_null(server_hello(&d, 0x0304, 0x1301, 0x001d));         /* 12: ... CertificateRequest */
    const tlsdiag_handshake *r = app_data(&d, CLIENT, 3);            /* 13: Certificate, CertificateVerify, Finished */
    const tlsdiag_handshake *a = rst(&d, SERVER);                    /* 14 */
    g_assert_null(r);
    g_assert_true(a == hs);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 11, 14);
    tlsdiag_core_free(cap.core);
}


/* ---- retry linking -------------------------------------------------------- */

static const char *
story(const tlsdiag_handshake *hs, gboolean capture_done)
{
    static char buf[512];
    return tlsdiag_attempt_story(hs, capture_done, FALSE, buf, sizeof buf);
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
test_retry_fallback_recovered(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello best = modern_hello("www.example.com");
    tlsdiag_client_hello fallback = legacy_hello(0x0301, "www.example.com");
    SET_LIST(fallback.suites, fallback.n_suites, 0xc013, 0xc014, 0x002f, 0x5600);

    conn_t a = conn_new(&cap, 1, 50001);
    syn(&a);
    tlsdiag_handshake *h1 = (tlsdiag_handshake *)client_hello(&a, &best);     /* 4 */
    g_assert_true(rst(&a, SERVER) == h1);                                     /* 5 */
    g_assert_cmpuint(h1->attempt, ==, 1);
    g_assert_null(h1->prev);
    g_assert_cmpstr(h1->client, ==, "10.0.0.1");
    g_assert_null(story(h1, FALSE));

    wait_ms(&cap, 500);
    conn_t b = conn_new(&cap, 2, 50002);
    syn(&b);                                                                  /* 6-8 */
    const tlsdiag_handshake *h2 = client_hello(&b, &fallback);                /* 9 */
    g_assert_true(h2->prev == h1);
    g_assert_true(h1->next == h2);
    g_assert_cmpuint(h2->attempt, ==, 2);
    wait_ms(&cap, 1);
    g_assert_true(alert(&b, SERVER, 2, 86) == h2);                            /* 10 */
    assert_causes(h2, "inappropriate_fallback");
    g_assert_null(h1->recovered_by);
    /* Single pass: what came before, not yet what comes after. */
    assert_has(story(h2, FALSE), "Attempt 2 from 10.0.0.1");
    assert_has(story(h2, FALSE), "attempt 1 (frame 4) failed: Connection reset right after the ClientHello");
    assert_lacks(story(h2, FALSE), "recovered");

    wait_ms(&cap, 700);
    conn_t c = conn_new(&cap, 3, 50003);
    syn(&c);                                                                  /* 11-13 */
    const tlsdiag_handshake *h3 = client_hello(&c, &best);                    /* 14 */
    g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x001d));                  /* 15 */
    g_assert_null(app_data(&c, CLIENT, 1));
    g_assert_true(app_data(&c, SERVER, 1) == h3);                             /* 17 */
    assert_hs(h3, TLSDIAG_OUTCOME_ESTABLISHED, 14, 17);
    g_assert_cmpuint(h3->attempt, ==, 3);
    g_assert_true(h3->prev == h2 && h2->next == h3 && h3->first == h1);
    g_assert_true(h1->recovered_by == h3 && h2->recovered_by == h3);
    g_assert_null(h3->recovered_by);
    /* TLS 1.3 offered and got at the end: no version intolerance. */
    assert_causes(h1, "reset_after_client_hello");
    assert_has(story(h2, TRUE), "The client recovered: attempt 3 (frame 14) succeeded, 1.2 s after its first attempt.");
    assert_has(story(h1, TRUE), "Attempt 1 from 10.0.0.1");
    assert_has(story(h1, TRUE), "recovered");
    assert_has(story(h3, TRUE), "It succeeded: the client got through 1.2 s after its first attempt (frame 4).");
    char brief[256];
    g_assert_cmpstr(tlsdiag_attempt_story(h2, TRUE, TRUE, brief, sizeof brief), ==,
                    "Attempt 2, after attempt 1 (frame 4) failed with reset_after_client_hello; recovered in "
                    "frame 14, 1.2 s after the first attempt.");
    g_assert_cmpstr(tlsdiag_attempt_story(h2, FALSE, TRUE, brief, sizeof brief), ==,
                    "Attempt 2, after attempt 1 (frame 4) failed with reset_after_client_hello.");
    g_assert_null(tlsdiag_attempt_story(h1, FALSE, TRUE, brief, sizeof brief));

    /* After the success a new connection starts a new chain. */
    wait_ms(&cap, 1000);
    conn_t d = conn_new(&cap, 4, 50004);
    syn(&d);
    const tlsdiag_handshake *h4 = client_hello(&d, &best);
    g_assert_cmpuint(h4->attempt, ==, 1);
    g_assert_null(h4->prev);
    g_assert_null(h3->next);
    tlsdiag_core_free(cap.core);
}

/* Three failures and nothing after: the client never got through. */
static void
test_retry_never_recovers(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = legacy_hello(0x0303, "old.example.com");
    const tlsdiag_handshake *hs[3];

    for (guint i = 0; i < 3; i++) {
        conn_t c = conn_new(&cap, 10 + i, (guint16)(50010 + i));
        syn(&c);
        hs[i] = client_hello(&c, &ch);
        g_assert_true(alert(&c, SERVER, 2, 70) == hs[i]);
        g_assert_cmpuint(hs[i]->attempt, ==, i + 1);
        wait_ms(&cap, 800);
    }
    g_assert_true(hs[1]->prev == hs[0] && hs[2]->prev == hs[1] && hs[0]->next == hs[1]);
    for (guint i = 0; i < 3; i++)
        g_assert_null(hs[i]->recovered_by);
    assert_has(story(hs[0], TRUE), "The client retried (frame 9) but never got through in this capture.");
    assert_has(story(hs[2], TRUE), "The client never got through in this capture.");
    assert_has(story(hs[2], TRUE), "attempt 2 (frame 9) failed: Protocol version mismatch");
    char brief[256];
    g_assert_cmpstr(tlsdiag_attempt_story(hs[0], TRUE, TRUE, brief, sizeof brief), ==,
                    "Attempt 1; the client never got through.");
    tlsdiag_core_free(cap.core);
}

/* What is not a retry: after the window, another client, another name,
 * another server port, or while the earlier attempt is still going. */
static void
test_retry_not_linked(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    tlsdiag_client_hello other_name = modern_hello("api.example.com");

    conn_t a = conn_new(&cap, 20, 50020);
    syn(&a);
    const tlsdiag_handshake *h1 = client_hello(&a, &ch);
    g_assert_true(rst(&a, SERVER) == h1);

    wait_ms(&cap, 30001);                       /* just past the 30 s window */
    conn_t b = conn_new(&cap, 21, 50021);
    syn(&b);
    const tlsdiag_handshake *h2 = client_hello(&b, &ch);
    g_assert_cmpuint(h2->attempt, ==, 1);
    g_assert_null(h2->prev);
    g_assert_null(h1->next);

    /* h2 is still waiting for an answer: a parallel connection is no retry. */
    conn_t c = conn_new(&cap, 22, 50022);
    syn(&c);
    const tlsdiag_handshake *h3 = client_hello(&c, &ch);
    g_assert_cmpuint(h3->attempt, ==, 1);
    g_assert_true(rst(&c, SERVER) == h3);

    /* Another client address, another SNI, another port: separate chains. */
    conn_t d = conn_new(&cap, 23, 50023);
    d.cli = v4(9);
    syn(&d);
    g_assert_cmpuint(client_hello(&d, &ch)->attempt, ==, 1);
    conn_t e = conn_new(&cap, 24, 50024);
    syn(&e);
    g_assert_cmpuint(client_hello(&e, &other_name)->attempt, ==, 1);
    conn_t f = conn_new(&cap, 25, 50025);
    f.sport = 8443;
    syn(&f);
    g_assert_cmpuint(client_hello(&f, &ch)->attempt, ==, 1);

    /* Within 30 s of h3's reset, same client, name and port: a retry. */
    wait_ms(&cap, 29000);
    conn_t g = conn_new(&cap, 26, 50026);
    syn(&g);
    const tlsdiag_handshake *h7 = client_hello(&g, &ch);
    g_assert_cmpuint(h7->attempt, ==, 2);
    g_assert_true(h7->prev == h3);
    tlsdiag_core_free(cap.core);
}

/* Two clients interleaved: each chain follows its own client. */
static void
test_retry_two_clients(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    conn_t a1 = conn_new(&cap, 30, 50030), b1 = conn_new(&cap, 31, 50031);
    conn_t a2 = conn_new(&cap, 32, 50032), b2 = conn_new(&cap, 33, 50033);
    b1.cli = b2.cli = v4(7);

    syn(&a1);
    const tlsdiag_handshake *ha1 = client_hello(&a1, &ch);
    syn(&b1);
    const tlsdiag_handshake *hb1 = client_hello(&b1, &ch);
    g_assert_true(rst(&a1, SERVER) == ha1);
    g_assert_true(rst(&b1, SERVER) == hb1);
    wait_ms(&cap, 500);
    syn(&a2);
    const tlsdiag_handshake *ha2 = client_hello(&a2, &ch);
    syn(&b2);
    const tlsdiag_handshake *hb2 = client_hello(&b2, &ch);
    g_assert_null(server_hello(&a2, 0x0304, 0x1301, 0x001d));
    g_assert_null(app_data(&a2, CLIENT, 1));
    g_assert_true(app_data(&a2, SERVER, 1) == ha2);
    g_assert_true(rst(&b2, SERVER) == hb2);

    g_assert_true(ha2->prev == ha1 && hb2->prev == hb1);
    g_assert_cmpstr(hb2->client, ==, "10.0.0.7");
    g_assert_true(ha1->recovered_by == ha2);
    g_assert_null(hb1->recovered_by);
    g_assert_null(hb2->recovered_by);
    tlsdiag_core_free(cap.core);
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
            g_assert_true(hc->prev == ha);
        } else {
            g_assert_cmpstr(ha->client, ==, "10.0.0.1");
            g_assert_true(hb->prev == ha);
            g_assert_true(hc->prev == hb);
            g_assert_cmpuint(hc->attempt, ==, 3);
        }
        tlsdiag_core_free(cap.core);
    }
}

/* A server that resets a TLS 1.3 ClientHello but takes the TLS 1.2 retry. */
static void
test_version_intolerance(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello best = modern_hello("www.example.com");
    tlsdiag_client_hello tls12 = legacy_hello(0x0303, "www.example.com");

    conn_t a = conn_new(&cap, 50, 50050);
    syn(&a);
    const tlsdiag_handshake *h1 = client_hello(&a, &best);           /* 4 */
    g_assert_true(rst(&a, SERVER) == h1);                             /* 5 */
    assert_causes(h1, "reset_after_client_hello");
    wait_ms(&cap, 300);
    conn_t b = conn_new(&cap, 51, 50051);
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
    conn_t c = conn_new(&cap, 52, 50052);
    c.cli = v4(3);
    syn(&c);
    const tlsdiag_handshake *h3 = client_hello(&c, &best);
    g_assert_true(alert(&c, SERVER, 2, 40) == h3);
    conn_t d = conn_new(&cap, 53, 50053);
    d.cli = v4(3);
    syn(&d);
    tlsdiag_client_hello fallback = tls12;
    SET_LIST(fallback.suites, fallback.n_suites, 0xc013, 0x5600);
    const tlsdiag_handshake *h4 = client_hello(&d, &fallback);
    g_assert_true(alert(&d, SERVER, 2, 86) == h4);
    conn_t e = conn_new(&cap, 54, 50054);
    e.cli = v4(3);
    syn(&e);
    const tlsdiag_handshake *h5 = client_hello(&e, &tls12);
    g_assert_null(server_hello(&e, 0x0303, 0xc013, 0x001d));
    g_assert_null(ccs_finished(&e, CLIENT));
    g_assert_true(ccs_finished(&e, SERVER) == h5);
    g_assert_true(h3->recovered_by == h5 && h4->recovered_by == h5);
    assert_causes(h4, "inappropriate_fallback");
    tlsdiag_core_free(cap.core);
}

static void
test_retry_storm(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    const tlsdiag_handshake *hs = NULL;

    for (guint i = 1; i <= 7; i++) {
        conn_t c = conn_new(&cap, 60 + i, (guint16)(50060 + i));
        syn(&c);
        hs = client_hello(&c, &ch);
        wait_ms(&cap, 100);
        g_assert_true(rst(&c, SERVER) == hs);
        g_assert_cmpuint(hs->attempt, ==, i);
        /* The default limit is 5: the sixth failure is the storm. */
        assert_causes(hs, i == 6 ? "reset_after_client_hello retry_storm" : "reset_after_client_hello");
        if (i == 6)
            assert_has(evidence(hs, 1), "failed attempt 6 of 10.0.0.1 to this service in 2.1 s (the first in frame 4)");
        wait_ms(&cap, 300);
    }
    tlsdiag_core_free(cap.core);
}

/* A hybrid post-quantum key share makes the hello span two segments; the
 * server side resets it; the next, smaller hello goes through. */
static void
test_large_client_hello(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello big = modern_hello("www.example.com");
    big.length = 1562;
    big.segments = 2;
    tlsdiag_client_hello small = modern_hello("www.example.com");

    conn_t a = conn_new(&cap, 70, 50070);
    syn(&a);
    const tlsdiag_handshake *h1 = client_hello(&a, &big);            /* 4 */
    g_assert_true(rst(&a, SERVER) == h1);                             /* 5 */
    assert_causes(h1, "large_client_hello_dropped reset_after_client_hello");
    assert_has(evidence(h1, 0), "frame 4 is 1562 bytes in 2 TCP segments; the server side reset the connection in frame 5");
    wait_ms(&cap, 1000);
    conn_t b = conn_new(&cap, 71, 50071);
    syn(&b);
    const tlsdiag_handshake *h2 = client_hello(&b, &small);
    g_assert_null(server_hello(&b, 0x0304, 0x1301, 0x001d));
    g_assert_null(app_data(&b, CLIENT, 1));
    g_assert_true(app_data(&b, SERVER, 1) == h2);
    g_assert_true(h1->recovered_by == h2);
    assert_causes(h1, "large_client_hello_dropped reset_after_client_hello");

    /* Silence: over 1400 bytes in one (large-MSS) segment, the client gives up. */
    conn_t c = conn_new(&cap, 72, 50072);
    c.cli = v4(5);
    big.segments = 1;
    syn(&c);
    const tlsdiag_handshake *h3 = client_hello(&c, &big);
    wait_ms(&cap, 10000);
    g_assert_true(fin(&c, CLIENT) == h3);
    assert_causes(h3, "large_client_hello_dropped no_server_response");
    assert_has(evidence(h3, 0), "is 1562 bytes; the server never answered and the client gave up");

    /* A normal-size hello that is reset is no such case. */
    conn_t d = conn_new(&cap, 73, 50073);
    d.cli = v4(6);
    syn(&d);
    const tlsdiag_handshake *h4 = client_hello(&d, &small);
    g_assert_true(rst(&d, SERVER) == h4);
    assert_causes(h4, "reset_after_client_hello");
    tlsdiag_core_free(cap.core);
}

/* Thousands of clients: the index is swept of idle entries and still links
 * the recent ones. */
static void
test_retry_index_sweep(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    const tlsdiag_handshake *last = NULL;

    for (guint i = 0; i < 3000; i++) {
        conn_t c = conn_new(&cap, 1000 + i, 40000);
        c.cli.bytes[2] = (guint8)(i >> 8);
        c.cli.bytes[3] = (guint8)i;
        syn(&c);
        last = client_hello(&c, &ch);
        g_assert_cmpuint(last->attempt, ==, 1);
        g_assert_true(rst(&c, SERVER) == last);
        wait_ms(&cap, 50);
    }
    conn_t again = conn_new(&cap, 9999, 40001);
    again.cli.bytes[2] = (guint8)(2999 >> 8);
    again.cli.bytes[3] = (guint8)2999;
    syn(&again);
    const tlsdiag_handshake *hs = client_hello(&again, &ch);
    g_assert_true(hs->prev == last);
    tlsdiag_core_free(cap.core);
}

/* ---- certificates --------------------------------------------------------- */

#define DAY G_GINT64_CONSTANT(86400)
#define T0_S (T0_NS / 1000000000)

static tlsdiag_cert
cert(const char *subject, const char *issuer, const char *dns)
{
    tlsdiag_cert c;
    memset(&c, 0, sizeof c);
    c.subject = subject;
    c.issuer = issuer;
    if (subject && g_str_has_prefix(subject, "CN="))
        c.cn = subject + 3;
    if (dns) {
        c.dns[0] = dns;
        c.n_dns = 1;
    }
    c.has_not_before = c.has_not_after = TRUE;
    c.not_before = T0_S - 100 * DAY;
    c.not_after = T0_S + 265 * DAY;
    c.rsa_bits = 2048;
    return c;
}

/* TLS 1.2 server flight with its certificates (frame 5 in these tests). */
static const tlsdiag_handshake *
server_flight(conn_t *c, const tlsdiag_cert *certs, guint n)
{
    tlsdiag_packet p = pkt(c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO | TLSDIAG_PKT_CERTIFICATE |
                           TLSDIAG_PKT_SERVER_DONE, 2900);
    p.sh_version = 0x0303;
    p.sh_suite = 0xc02f;
    p.sh_group = 0x001d;
    p.sh_reneg_info = TRUE;
    p.certs = certs;
    p.n_certs = n;
    return feed(c, &p);
}

/* Client hello for www.example.com, server chain, client alert: the verdict. */
static const tlsdiag_handshake *
chain_refused(capture_t *cap, guint32 conv, const char *sni, const tlsdiag_cert *certs, guint n, int alert_desc)
{
    tlsdiag_client_hello ch = modern_hello(sni);
    conn_t c = conn_new(cap, conv, (guint16)(51000 + conv));
    c.cli = v4((guint8)(100 + conv));    /* one client each: no attempt chains */
    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);
    g_assert_true(server_flight(&c, certs, n) == hs);    /* shows the leaf */
    g_assert_nonnull(hs->leaf);
    g_assert_true(alert(&c, CLIENT, 2, alert_desc) == hs);
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_FAILED);
    return hs;
}

static void
test_cert_dates(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_cert chain[2] = { cert("CN=www.example.com", "CN=Issuing CA", "www.example.com"),
                              cert("CN=Issuing CA", "CN=Root CA", NULL) };

    /* Expired 30 days before the capture; the client only said unknown_ca. */
    chain[0].not_after = T0_S - 30 * DAY;
    const tlsdiag_handshake *hs = chain_refused(&cap, 1, "www.example.com", chain, 2, 48);
    assert_causes(hs, "cert_expired");
    assert_has(evidence(hs, 0), "'CN=www.example.com' (number 1 in the chain, frame 5) expired on 2023-10-15 22:13:20 UTC, "
                                "30.0 days before this capture");
    assert_has(evidence(hs, 0), "the client answered unknown_ca (48) in frame 6");
    g_assert_cmpstr(hs->leaf->subject, ==, "CN=www.example.com");
    g_assert_cmpstr(hs->leaf->issuer, ==, "CN=Issuing CA");
    g_assert_true(hs->leaf->has_not_after);
    g_assert_cmpint(hs->leaf->not_after, ==, T0_S - 30 * DAY);

    /* The intermediate not yet valid. */
    chain[0].not_after = T0_S + DAY;
    chain[1].not_before = T0_S + 2 * DAY;
    hs = chain_refused(&cap, 2, "www.example.com", chain, 2, 42);
    assert_causes(hs, "cert_not_yet_valid");
    assert_has(evidence(hs, 0), "'CN=Issuing CA' (number 2 in the chain, frame 11) is valid only from");
    assert_has(evidence(hs, 0), "2.0 days after this capture");
    tlsdiag_core_free(cap.core);
}

static void
test_cert_hostname(void)
{
    capture_t cap;
    cap_init(&cap);
    /* Complete chains (the root sent too): only the name can be wrong. */
    tlsdiag_cert wild[2] = { cert("CN=*.example.com", "CN=Root CA", "*.example.com"),
                             cert("CN=Root CA", "CN=Root CA", NULL) };
    tlsdiag_cert cn_only[2] = { cert("CN=WWW.Example.COM", "CN=Root CA", NULL), wild[1] };
    const struct { const char *sni; const tlsdiag_cert *c; gboolean match; } cases[] = {
        { "www.example.com", wild, TRUE },   { "WWW.EXAMPLE.COM", wild, TRUE },
        { "example.com", wild, FALSE },      { "a.b.example.com", wild, FALSE },
        { "wwwexample.com", wild, FALSE },   { "www.example.com", cn_only, TRUE },
        { "mail.example.com", cn_only, FALSE },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        const tlsdiag_handshake *hs = chain_refused(&cap, 10 + i, cases[i].sni, cases[i].c, 2, 48);
        /* A match leaves the untrusted root (the chain ends at a root not sent). */
        assert_causes(hs, cases[i].match ? "cert_untrusted_issuer" : "cert_hostname_mismatch");
    }
    const tlsdiag_handshake *hs = chain_refused(&cap, 30, "a.b.example.com", wild, 2, 42);
    assert_has(evidence(hs, 0), "The client asked for 'a.b.example.com' (SNI, frame 46); the certificate in frame 47 "
                                "covers '*.example.com'; the client answered bad_certificate (42)");
    hs = chain_refused(&cap, 31, "mail.example.com", cn_only, 2, 42);
    assert_has(evidence(hs, 0), "covers CN 'WWW.Example.COM' (it has no subjectAltName)");
    tlsdiag_core_free(cap.core);
}

static void
test_cert_chain(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_cert self[1] = { cert("CN=www.example.com", "CN=www.example.com", "www.example.com") };
    tlsdiag_cert leaf_only[1] = { cert("CN=www.example.com", "CN=Issuing CA", "www.example.com") };
    tlsdiag_cert to_root[3] = { cert("CN=www.example.com", "CN=Issuing CA", "www.example.com"),
                                cert("CN=Issuing CA", "CN=Private Root", NULL),
                                cert("CN=Private Root", "CN=Private Root", NULL) };
    tlsdiag_cert unordered[3] = { to_root[0], to_root[2], to_root[1] };

    const tlsdiag_handshake *hs = chain_refused(&cap, 1, "www.example.com", self, 1, 48);
    assert_causes(hs, "cert_self_signed");
    hs = chain_refused(&cap, 2, "www.example.com", leaf_only, 1, 48);
    assert_causes(hs, "cert_chain_incomplete");
    assert_has(evidence(hs, 0), "none is the issuer of 'CN=www.example.com': unless 'CN=Issuing CA' is a root the client "
                                "trusts, the server must also send it");
    hs = chain_refused(&cap, 3, "www.example.com", to_root, 3, 48);
    assert_causes(hs, "cert_untrusted_issuer");
    assert_has(evidence(hs, 0), "leads to the root 'CN=Private Root' (sent by the server)");
    hs = chain_refused(&cap, 4, "www.example.com", to_root, 2, 48);
    assert_has(evidence(hs, 0), "leads to the root 'CN=Private Root' (not sent, as usual)");
    hs = chain_refused(&cap, 5, "www.example.com", unordered, 3, 48);
    assert_causes(hs, "cert_untrusted_issuer cert_chain_out_of_order");
    /* Nothing wrong to see: the alert is explained. */
    hs = chain_refused(&cap, 6, "www.example.com", to_root, 2, 44);
    assert_causes(hs, "cert_rejected");
    assert_has(evidence(hs, 0), "with certificate_revoked (44)");
    /* A client alert that is not about certificates is judged as before. */
    hs = chain_refused(&cap, 7, "www.example.com", leaf_only, 1, 47);
    assert_causes(hs, "handshake_alert");
    tlsdiag_core_free(cap.core);
}

static void
test_cert_weak_on_success(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    tlsdiag_cert chain[3] = { cert("CN=www.example.com", "CN=Issuing CA", "www.example.com"),
                              cert("CN=Issuing CA", "CN=Old Root", NULL),
                              cert("CN=Old Root", "CN=Old Root", NULL) };
    chain[0].rsa_bits = 1024;
    chain[2].sig = TLSDIAG_SIG_SHA1;      /* a root's own signature does not count */
    conn_t c = conn_new(&cap, 1, 52001);
    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);
    g_assert_true(server_flight(&c, chain, 3) == hs);
    g_assert_null(ccs_finished(&c, CLIENT));
    g_assert_true(ccs_finished(&c, SERVER) == hs);
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 7);
    g_assert_nonnull(hs->verdict);
    g_assert_cmpuint(hs->verdict->n_causes, ==, 1);
    g_assert_cmpstr(tlsdiag_cause_get(hs->verdict->causes[0])->token, ==, "cert_weak");
    assert_has(evidence(hs, 0), "'CN=www.example.com' (number 1 in the chain, frame 5) has a 1024-bit RSA key");
    char buf[256];
    assert_has(tlsdiag_handshake_summary(hs, TRUE, buf, sizeof buf), "handshake established");

    chain[0].rsa_bits = 4096;
    chain[1].sig = TLSDIAG_SIG_SHA1;
    conn_t d = conn_new(&cap, 2, 52002);
    syn(&d);
    hs = client_hello(&d, &ch);
    server_flight(&d, chain, 3);
    g_assert_null(ccs_finished(&d, CLIENT));
    g_assert_true(ccs_finished(&d, SERVER) == hs);
    assert_has(evidence(hs, 0), "'CN=Issuing CA' (number 2 in the chain, frame 12) is signed with SHA-1.");

    chain[1].sig = TLSDIAG_SIG_OK;
    conn_t e = conn_new(&cap, 3, 52003);
    syn(&e);
    hs = client_hello(&e, &ch);
    server_flight(&e, chain, 3);
    g_assert_null(ccs_finished(&e, CLIENT));
    g_assert_true(ccs_finished(&e, SERVER) == hs);
    g_assert_null(hs->verdict);
    tlsdiag_core_free(cap.core);
}

/* The client's Certificate message: empty, or one the server refuses. */
static void
test_client_certs(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("mtls.example.com");
    tlsdiag_cert server[1] = { cert("CN=mtls.example.com", "CN=Root CA", "mtls.example.com") };
    tlsdiag_cert client[1] = { cert("CN=device-17", "CN=Other CA", NULL) };

    for (guint k = 0; k < 2; k++) {
        conn_t c = conn_new(&cap, 1 + k, (guint16)(53001 + k));
        syn(&c);
        const tlsdiag_handshake *hs = client_hello(&c, &ch);                        /* 4 */
        tlsdiag_packet p = pkt(&c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO | TLSDIAG_PKT_CERTIFICATE |
                               TLSDIAG_PKT_CERT_REQUEST | TLSDIAG_PKT_SERVER_DONE, 3000);
        p.sh_version = 0x0303;
        p.sh_suite = 0xc02f;
        p.sh_reneg_info = TRUE;
        p.certs = server;
        p.n_certs = 1;
        g_assert_true(feed(&c, &p) == hs);                                          /* 5 */
        tlsdiag_packet q = pkt(&c, CLIENT, F_TLS | TLSDIAG_PKT_CERTIFICATE | TLSDIAG_PKT_CCS |
                               TLSDIAG_PKT_ENC_HANDSHAKE, k ? 1200 : 120);
        q.certs = client;
        q.n_certs = k;                                                              /* 0: empty */
        g_assert_null(feed(&c, &q));                                                /* 6 */
        g_assert_true(alert(&c, SERVER, 2, k ? 48 : 40) == hs);                     /* 7 */
        if (k) {
            assert_causes(hs, "client_cert_rejected");
            assert_has(evidence(hs, 0), "The client sent the certificate 'CN=device-17', issued by 'CN=Other CA' "
                                        "(frame 13); the server answered unknown_ca (48) in frame 14.");
        } else {
            assert_causes(hs, "client_cert_required");
            assert_has(evidence(hs, 0), "Certificate message (frame 6) was empty; the server answered "
                                        "handshake_failure (40) in frame 7.");
        }
    }
    tlsdiag_core_free(cap.core);
}

/* Certificates Wireshark could not decode: nothing invented. */
static void
test_cert_undecoded(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_cert blank[2];
    memset(blank, 0, sizeof blank);
    const tlsdiag_handshake *hs = chain_refused(&cap, 1, "www.example.com", blank, 2, 48);
    assert_causes(hs, "handshake_alert");
    g_assert_null(hs->leaf->subject);

    /* More certificates than kept: no claim about the missing issuer. */
    tlsdiag_cert many[TLSDIAG_PKT_MAX_CERTS];
    for (guint i = 0; i < G_N_ELEMENTS(many); i++)
        many[i] = cert("CN=www.example.com", "CN=Somebody", "www.example.com");
    hs = chain_refused(&cap, 2, "www.example.com", many, G_N_ELEMENTS(many), 48);
    assert_causes(hs, "handshake_alert");

    /* Names beyond ASCII (an IDN written as UTF-8 in the certificate): the
     * SNI carries the A-label, so they differ, and the text stays intact. */
    tlsdiag_cert idn[2] = { cert("CN=bücher.example", "CN=Wurzel-CA Ä", "bücher.example"),
                            cert("CN=Wurzel-CA Ä", "CN=Wurzel-CA Ä", NULL) };
    hs = chain_refused(&cap, 3, "xn--bcher-kva.example", idn, 2, 42);
    assert_causes(hs, "cert_hostname_mismatch");
    assert_has(evidence(hs, 0), "covers 'bücher.example'");
    g_assert_cmpstr(hs->leaf->issuer, ==, "CN=Wurzel-CA Ä");
    tlsdiag_core_free(cap.core);
}

/* ---- TLS 1.3: alerts hidden in Application Data records ------------------ */

/* n encrypted records, the first first_len bytes long; alert-shaped when one of 19. */
static const tlsdiag_handshake *
enc_records(conn_t *c, gboolean from_server, guint n, guint16 first_len)
{
    guint32 flags = F_TLS | TLSDIAG_PKT_APP_DATA | (n == 1 && first_len == 19 ? TLSDIAG_PKT_ALERT_SHAPED : 0);
    tlsdiag_packet p = pkt(c, from_server, flags, first_len + 5 + (n - 1) * 60);
    p.n_app_data = n;
    p.first_enc_len = first_len;
    return feed(c, &p);
}

static void
test_tls13_encrypted_alerts(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    /* The client rejects the server: alert-shaped record, then its FIN. */
    conn_t a = conn_new(&cap, 1, 54001);
    syn(&a);
    const tlsdiag_handshake *hs = client_hello(&a, &ch);             /* 4 */
    g_assert_null(server_hello(&a, 0x0304, 0x1301, 0x001d));         /* 5 */
    g_assert_null(enc_records(&a, CLIENT, 1, 19));                   /* 6: the alert */
    g_assert_true(fin(&a, CLIENT) == hs);                            /* 7 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 7);
    assert_causes(hs, "encrypted_alert");
    assert_has(evidence(hs, 0), "The client sent an encrypted alert in frame 6, after the server's first flight "
                                "(ServerHello in frame 5) and before its own Finished: most likely the client rejected the server");

    /* The server rejects the client after an empty Certificate + Finished. */
    conn_t b = conn_new(&cap, 2, 54002);
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
    assert_has(evidence(hs, 1), "Likely, not certain: the client's flight after the ServerHello had 2 encrypted records");

    /* A client certificate was sent: Certificate, CertificateVerify, Finished. */
    conn_t c = conn_new(&cap, 3, 54003);
    c.cli = v4(21);
    syn(&c);
    hs = client_hello(&c, &ch);
    server_hello(&c, 0x0304, 0x1301, 0x001d);
    g_assert_null(enc_records(&c, CLIENT, 3, 900));
    g_assert_null(enc_records(&c, SERVER, 1, 19));
    g_assert_true(rst(&c, SERVER) == hs);
    assert_causes(hs, "encrypted_alert client_cert_rejected");

    /* Finished alone, then a small record and session tickets: established. */
    conn_t d = conn_new(&cap, 4, 54004);
    d.cli = v4(22);
    syn(&d);
    hs = client_hello(&d, &ch);
    server_hello(&d, 0x0304, 0x1301, 0x001d);
    g_assert_null(enc_records(&d, CLIENT, 1, 53));
    g_assert_null(enc_records(&d, SERVER, 1, 19));
    g_assert_true(enc_records(&d, SERVER, 2, 250) == hs);
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    tlsdiag_core_free(cap.core);
}

/* ---- tlsdiag_history ------------------------------------------------------ */

static void
test_history(void)
{
    capture_t cap;
    cap_init(&cap);
    char buf[512];
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    conn_t c = conn_new(&cap, 1, 55001);

    syn(&c);
    tlsdiag_packet p = pkt(&c, CLIENT, F_TLS | TLSDIAG_PKT_CLIENT_HELLO, 517);       /* 4 */
    p.hello = &ch;
    p.hs_types[0] = 1;
    p.n_hs_types = 1;
    const tlsdiag_handshake *hs = feed(&c, &p);
    g_assert_null(tlsdiag_history(hs, buf, sizeof buf));        /* not settled yet */
    g_assert_null(raw(&c, SERVER, 0, 0));                        /* 5: an ACK says nothing */
    p = pkt(&c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO | TLSDIAG_PKT_CERTIFICATE | TLSDIAG_PKT_SERVER_DONE, 2900);
    p.sh_version = 0x0303;
    p.hs_types[0] = 2, p.hs_types[1] = 11, p.hs_types[2] = 12, p.hs_types[3] = 14;
    p.n_hs_types = 4;
    g_assert_null(feed(&c, &p));                                 /* 6 */
    g_assert_true(alert(&c, CLIENT, 2, 48) == hs);               /* 7 */
    g_assert_cmpstr(tlsdiag_history(hs, buf, sizeof buf), ==,
                    "Frame 4 client: ClientHello. Frame 6 server: ServerHello, Certificate, ServerKeyExchange, "
                    "ServerHelloDone. Frame 7 client: fatal alert unknown_ca.");
    /* A short buffer is cut, never overrun. */
    char small[12];
    g_assert_cmpuint(strlen(tlsdiag_history(hs, small, sizeof small)), ==, sizeof small - 1);
    tlsdiag_core_free(cap.core);
}

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
test_renegotiation(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");

    /* Refused: an encrypted handshake record after data, then alerts. */
    conn_t a = conn_new(&cap, 1, 56001);
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
                                "it ended with encrypted alert from the server in frame 10");
    g_assert_cmpuint(first->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);

    /* Read with keys: the renegotiation ClientHello carries the SCSV and no
     * renegotiation_info (seed 03); the server must refuse. */
    tlsdiag_client_hello bad = modern_hello("www.example.com");
    bad.reneg_info = FALSE;
    SET_LIST(bad.suites, bad.n_suites, 0xc02f, 0x00ff);
    conn_t b = conn_new(&cap, 2, 56002);
    b.cli = v4(30);
    tls12_established(&b, &ch);
    g_assert_null(app_data(&b, CLIENT, 1));
    hs = client_hello(&b, &bad);
    g_assert_true(alert(&b, SERVER, 2, 40) == hs);
    assert_causes(hs, "renegotiation_scsv_misuse renegotiation_refused");
    assert_has(evidence(hs, 0), "carries TLS_EMPTY_RENEGOTIATION_INFO_SCSV and no renegotiation_info: the server must refuse it");

    /* The same hello sent in plaintext (seed 03's client lost its state;
     * newer Wireshark decodes it): one cause, the lost state. */
    conn_t d = conn_new(&cap, 4, 56004);
    d.cli = v4(32);
    tls12_established(&d, &ch);
    g_assert_null(app_data(&d, CLIENT, 1));
    tlsdiag_packet p = pkt(&d, CLIENT, F_TLS | TLSDIAG_PKT_CLIENT_HELLO | TLSDIAG_PKT_PLAIN_HELLO, 137);
    p.hello = &bad;
    hs = feed(&d, &p);
    g_assert_true(alert(&d, SERVER, 0, -1) == hs);
    assert_causes(hs, "new_handshake_on_established renegotiation_refused");
    assert_lacks(evidence(hs, 0), "Wireshark shows it");

    tlsdiag_core_free(cap.core);
}

/* A renegotiation accepted; connections retired once nothing can follow. */
static void
test_renegotiation_accepted_and_retired(void)
{
    capture_t cap;
    cap_init(&cap);
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    const tlsdiag_handshake *hs;

    /* Accepted: the server's ChangeCipherSpec. */
    conn_t c = conn_new(&cap, 3, 56003);
    c.cli = v4(31);
    tls12_established(&c, &ch);
    hs = raw(&c, CLIENT, F_TLS | TLSDIAG_PKT_ENC_HANDSHAKE, 248);
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
    conn_t e = conn_new(&cap, 5, 56005);
    e.cli = v4(33);
    syn(&e);
    hs = client_hello(&e, &ch);
    g_assert_true(alert(&e, SERVER, 2, 40) == hs);
    g_assert_null(app_data(&e, SERVER, 1));
    g_assert_null(client_hello(&e, &ch));
    g_assert_null(rst(&e, CLIENT));
    g_assert_true(tlsdiag_core_ignores(cap.core, 5));
    g_assert_true(tlsdiag_core_ignores(cap.core, 3));       /* after its renegotiation */
    g_assert_false(tlsdiag_core_ignores(cap.core, 999));    /* unknown */
    conn_t f = conn_new(&cap, 6, 56006);
    f.cli = v4(34);
    tls12_established(&f, &ch);
    g_assert_false(tlsdiag_core_ignores(cap.core, 6));      /* TLS 1.2, open: may renegotiate */
    g_assert_null(fin(&f, CLIENT));
    g_assert_true(tlsdiag_core_ignores(cap.core, 6));
    tlsdiag_core_free(cap.core);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/catalogue/complete", test_catalogue);
    g_test_add_func("/established/tls12", test_tls12_established);
    g_test_add_func("/established/tls12-split-frames", test_tls12_split_frames);
    g_test_add_func("/established/tls12-resumption", test_tls12_resumption);
    g_test_add_func("/established/tls13", test_tls13_established);
    g_test_add_func("/established/tls13-hello-retry", test_tls13_hello_retry);
    g_test_add_func("/established/warning-alert", test_warning_alert_continues);
    g_test_add_func("/fallback/with-scsv", test_fallback_with_scsv);
    g_test_add_func("/fallback/without-scsv", test_fallback_without_scsv);
    g_test_add_func("/version/server-alert", test_version_server_alert);
    g_test_add_func("/version/client-alert-after-tls10", test_version_client_alert);
    g_test_add_func("/version/ssl3-only", test_version_ssl3_only);
    g_test_add_func("/version/tls11-refused", test_version_tls11_refused);
    g_test_add_func("/version/below-earlier-handshakes", test_version_below_service);
    g_test_add_func("/suites/obsolete", test_suites_obsolete);
    g_test_add_func("/suites/earlier-connection", test_suites_evidence);
    g_test_add_func("/suites/no-false-evidence", test_suites_no_false_evidence);
    g_test_add_func("/groups/earlier-connection", test_group_evidence);
    g_test_add_func("/groups/earlier-server-key-exchange", test_group_evidence_ske);
    g_test_add_func("/refused/client-hello-rejected", test_client_hello_rejected);
    g_test_add_func("/refused/missing-sni", test_missing_sni_alert40);
    g_test_add_func("/sni/missing-alert-112", test_missing_sni_alert112);
    g_test_add_func("/sni/unrecognized-name", test_unrecognized_name);
    g_test_add_func("/alpn/mismatch", test_alpn_mismatch);
    g_test_add_func("/alert/decode-error", test_alert_decode_error);
    g_test_add_func("/alert/unknown-ca-from-client", test_alert_unknown_ca);
    g_test_add_func("/alert/encrypted", test_alert_encrypted);
    g_test_add_func("/alert/close-notify", test_alert_close_notify);
    g_test_add_func("/close/reset-after-hello", test_reset_after_hello);
    g_test_add_func("/close/closed-after-hello", test_closed_after_hello);
    g_test_add_func("/close/no-server-response", test_no_server_response);
    g_test_add_func("/close/not-no-response-after-server-data", test_no_server_response_not_after_data);
    g_test_add_func("/not-tls/http-answer", test_not_tls_http_answer);
    g_test_add_func("/not-tls/plaintext-client", test_not_tls_plaintext_client);
    g_test_add_func("/not-tls/after-server-tls", test_not_tls_after_server_tls);
    g_test_add_func("/midstream/hello-without-syn", test_midstream_hello);
    g_test_add_func("/midstream/no-hello", test_midstream_no_hello);
    g_test_add_func("/input/no-tls-no-payload", test_input_no_tls);
    g_test_add_func("/input/not-tls-short-head", test_input_not_tls_short_head);
    g_test_add_func("/input/zero-suites", test_input_zero_suites);
    g_test_add_func("/input/grease-only-suites", test_input_grease_only_suites);
    g_test_add_func("/input/128-suites", test_input_128_suites);
    g_test_add_func("/input/unknown-alert", test_input_unknown_alert);
    g_test_add_func("/input/close-before-hello", test_input_close_before_hello);
    g_test_add_func("/input/hello-flag-without-hello", test_input_hello_flag_without_hello);
    g_test_add_func("/input/interleaved", test_input_interleaved);
    g_test_add_func("/input/ipv6", test_input_ipv6);
    g_test_add_func("/summary/established", test_summary_established);
    g_test_add_func("/summary/pending-and-failed", test_summary_pending_and_failed);
    g_test_add_func("/regressions/retransmitted-client-hello", test_retransmitted_hello);
    g_test_add_func("/regressions/tls13-client-cert-flight", test_tls13_client_cert_flight);
    g_test_add_func("/retry/fallback-recovered", test_retry_fallback_recovered);
    g_test_add_func("/retry/never-recovers", test_retry_never_recovers);
    g_test_add_func("/retry/not-linked", test_retry_not_linked);
    g_test_add_func("/retry/two-clients", test_retry_two_clients);
    g_test_add_func("/retry/proxy-identity", test_retry_proxy_identity);
    g_test_add_func("/retry/version-intolerance", test_version_intolerance);
    g_test_add_func("/retry/storm", test_retry_storm);
    g_test_add_func("/retry/large-client-hello", test_large_client_hello);
    g_test_add_func("/retry/index-sweep", test_retry_index_sweep);
    g_test_add_func("/certs/dates", test_cert_dates);
    g_test_add_func("/certs/hostname", test_cert_hostname);
    g_test_add_func("/certs/chain", test_cert_chain);
    g_test_add_func("/certs/weak-on-success", test_cert_weak_on_success);
    g_test_add_func("/certs/client", test_client_certs);
    g_test_add_func("/certs/undecoded", test_cert_undecoded);
    g_test_add_func("/tls13/encrypted-alerts", test_tls13_encrypted_alerts);
    g_test_add_func("/history/failure", test_history);
    g_test_add_func("/renegotiation/refused-and-misused", test_renegotiation);
    g_test_add_func("/renegotiation/accepted-and-retired", test_renegotiation_accepted_and_retired);

    return g_test_run();
}
