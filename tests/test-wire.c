/* test-wire.c — unit tests of how the core reads what the wire shows when it
 * is not a textbook handshake: TLS 1.3 ended without keys, clients that give
 * up, TCP segments lost, reordered or repeated, old version codes, SSLv2.
 * None of these may be called a failure when the handshake worked.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "harness.h"

#include <string.h>

/* openssl s_time -new: TLS 1.3 Finished flight, then at once a reset. */
static void
test_tls13_client_resets_after_finished(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello(NULL);
    conn_t c = tcp_conn_new(cap, 1, 40001);

    syn(&c);                                                          /* 1-3 */
    const tlsdiag_handshake *hs = client_hello(&c, &ch);              /* 4 */
    g_assert_null(server_hello(&c, 0x0304, 0x1302, 0x001d));          /* 5 */
    g_assert_null(raw(&c, CLIENT, F_TLS | TLSDIAG_PKT_CCS, 0));       /* 6: ACK */
    tlsdiag_packet fin = pkt(&c, CLIENT, F_TLS | TLSDIAG_PKT_CCS | TLSDIAG_PKT_APP_DATA, 80);
    fin.n_app_data = 1;
    g_assert_null(feed(&c, &fin));                                    /* 7: CCS, Finished */
    g_assert_true(rst(&c, CLIENT) == hs);                             /* 8 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 8);
    assert_causes(hs, "(no verdict)");

    /* The next connection of the same client is attempt 1: nothing failed. */
    conn_t d = tcp_conn_new(cap, 2, 40002);
    syn(&d);
    hs = client_hello(&d, &ch);
    g_assert_cmpuint(hs->attempt, ==, 1);
    g_assert_null(tlsdiag_hs_prev(hs));
}

/* openssl s_client </dev/null: Finished, close_notify (an encrypted record of
 * an alert's size), the server's tickets or its own close_notify, FINs. */
static void
test_tls13_client_close_notify(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");

    for (int answer = 0; answer < 2; answer++) {
        conn_t c = tcp_conn_new(cap, 10 + (guint32)answer, (guint16)(40010 + answer));
        guint32 f0 = cap->frame;
        syn(&c);                                                      /* +1..3 */
        const tlsdiag_handshake *hs = client_hello(&c, &ch);          /* +4 */
        g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x001d));      /* +5 */
        g_assert_null(app_data(&c, CLIENT, 1));                       /* +6: Finished */
        tlsdiag_packet cn = pkt(&c, CLIENT, F_TLS | TLSDIAG_PKT_APP_DATA | TLSDIAG_PKT_ALERT_SHAPED, 24);
        cn.n_app_data = 1;
        g_assert_null(feed(&c, &cn));                                 /* +7: close_notify */
        if (answer) {
            /* The server answers with its own close_notify. */
            tlsdiag_packet sn = pkt(&c, SERVER, F_TLS | TLSDIAG_PKT_APP_DATA | TLSDIAG_PKT_ALERT_SHAPED, 24);
            sn.n_app_data = 1;
            g_assert_true(feed(&c, &sn) == hs);                       /* +8 */
            assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, f0 + 4, f0 + 8);
        } else {
            g_assert_true(fin(&c, CLIENT) == hs);                     /* +8 */
            assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, f0 + 4, f0 + 8);
        }
    }
}

/* With keys: the client's close_notify is readable (warning, 0). */
static void
test_tls13_close_notify_read_with_keys(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    conn_t c = tcp_conn_new(cap, 1, 40001);

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);              /* 4 */
    g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x001d));          /* 5 */
    tlsdiag_packet f = pkt(&c, CLIENT, F_TLS | TLSDIAG_PKT_APP_DATA | TLSDIAG_PKT_FINISHED, 80);
    f.n_app_data = 1;
    g_assert_null(feed(&c, &f));                                      /* 6 */
    g_assert_true(alert(&c, CLIENT, 1, 0) == hs);                     /* 7 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 7);
}

/* The server closing after the client's Finished without a word is still a refusal. */
static void
test_tls13_server_closes_after_finished(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    conn_t c = tcp_conn_new(cap, 1, 40001);

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);
    g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x001d));
    g_assert_null(app_data(&c, CLIENT, 1));
    g_assert_true(fin(&c, SERVER) == hs);                             /* 7 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 7);
}

/* A port scanner: ClientHello and FIN at once; the server answers too late. */
static void
test_client_abandons(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    conn_t c = tcp_conn_new(cap, 1, 40001);

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);              /* 4 */
    wait_ms(cap, 0.05);
    g_assert_true(fin(&c, CLIENT) == hs);                             /* 5 */
    assert_hs(hs, TLSDIAG_OUTCOME_ABANDONED, 4, 5);
    assert_causes(hs, "");
    assert_has(summary(hs), "0.05 ms after its ClientHello (frame 4), before the server could answer");
    g_assert_null(server_hello(&c, 0x0303, 0xc02f, 0x001d));          /* 6: nothing more to say */

    /* The same client's next connection is no retry. */
    conn_t d = tcp_conn_new(cap, 2, 40002);
    syn(&d);
    hs = client_hello(&d, &ch);
    g_assert_cmpuint(hs->attempt, ==, 1);

    /* On loopback the server answers first; the client's close with the
     * answer unread is a reset: abandoned too. Read and then closed without
     * a word (a FIN) is a failure, whatever the reason. */
    for (int read = 0; read < 2; read++) {
        conn_t r = tcp_conn_new(cap, 10 + (guint32)read, (guint16)(40010 + read));
        syn(&r);
        hs = client_hello(&r, &ch);
        wait_ms(cap, 1);
        g_assert_null(server_hello(&r, 0x0304, 0x1301, 0x001d));
        g_assert_true((read ? fin(&r, CLIENT) : rst(&r, CLIENT)) == hs);
        g_assert_cmpuint(hs->outcome, ==, read ? TLSDIAG_OUTCOME_FAILED : TLSDIAG_OUTCOME_ABANDONED);
        if (!read)
            assert_has(summary(hs), "without reading the server's answer");
    }

    /* Giving up after three seconds of silence is the server's failure. */
    conn_t e = tcp_conn_new(cap, 3, 40003);
    syn(&e);
    hs = client_hello(&e, &ch);
    wait_ms(cap, 3000);
    g_assert_true(fin(&e, CLIENT) == hs);
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_FAILED);
    assert_causes(hs, "no_server_response");
}

/* The server's flight in two segments, captured in the wrong order: the
 * second is "not TLS" to Wireshark (it starts mid-record), the first fills
 * the gap and shows the ServerHello. */
static void
test_reordered_server_flight(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    conn_t c = tcp_conn_new(cap, 1, 40001);
    static const guint8 middle[] = { 0x30, 0x82, 0x03, 0x1a, 0xa0, 0x03 };   /* inside a certificate */

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);              /* 4 */
    guint32 start = c.next[SERVER];
    tlsdiag_packet second = pkt_at(&c, SERVER, TLSDIAG_PKT_NOT_TLS, 1448, start + 1448);
    second.head = middle;
    second.head_len = sizeof middle;
    g_assert_null(feed(&c, &second));                                 /* 5: after a gap */
    tlsdiag_packet first = pkt_at(&c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO, 1448, start);
    first.sh_version = 0x0303;
    first.sh_suite = 0xc02f;
    first.sh_reneg_info = TRUE;
    g_assert_null(feed(&c, &first));                                  /* 6: fills it */
    c.next[SERVER] = start + 2 * 1448;
    g_assert_null(raw(&c, CLIENT, F_TLS | TLSDIAG_PKT_CCS | TLSDIAG_PKT_ENC_HANDSHAKE, 126)); /* 7 */
    g_assert_true(ccs_finished(&c, SERVER) == hs);                    /* 8 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 8);
    assert_causes(hs, "(no verdict)");
}

/* A duplicated packet and a retransmission change nothing: the alert is
 * judged once, and a repeated ClientHello is not a new handshake. */
static void
test_repeated_segments(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    conn_t c = tcp_conn_new(cap, 1, 40001);

    syn(&c);
    guint32 hello_seq = c.next[CLIENT];
    const tlsdiag_handshake *hs = client_hello(&c, &ch);              /* 4 */
    tlsdiag_packet again = pkt_at(&c, CLIENT, F_TLS | TLSDIAG_PKT_CLIENT_HELLO, ch.length + 9, hello_seq);
    again.hello = &ch;
    g_assert_null(feed(&c, &again));                                  /* 5: retransmitted */
    guint32 alert_seq = c.next[SERVER];
    g_assert_true(alert(&c, SERVER, 2, 40) == hs);                    /* 6 */
    tlsdiag_packet dup = pkt_at(&c, SERVER, F_TLS | TLSDIAG_PKT_ALERT, 7, alert_seq);
    dup.alert_level = 2;
    dup.alert_desc = 40;
    g_assert_null(feed(&c, &dup));                                    /* 7: duplicated */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 6);
    g_assert_cmpuint(hs->attempt, ==, 1);
}

/* The client resets while the capture still lacks the server's last bytes
 * (its ChangeCipherSpec and Finished, captured after the reset): failed
 * provisionally, then established when they come. */
static void
test_provisional_failure_revised(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    conn_t c = tcp_conn_new(cap, 1, 40001);
    guint32 late;

    const tlsdiag_handshake *hs = provisional_failure(&c, &ch, &late); /* 1-7 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 7);
    g_assert_true(hs->flags & TLSDIAG_HS_PROVISIONAL);
    assert_has(summary(hs), "At that point the capture lacked 51 bytes the server had sent");
    assert_has(summary(hs), "provisional");
    const tlsdiag_verdict *failed = hs->verdict;

    g_assert_true(late_flight(&c, late) == hs);                       /* 8: reordered */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 8);
    g_assert_true(hs->flags & TLSDIAG_HS_REVISED);
    g_assert_false(hs->flags & TLSDIAG_HS_PROVISIONAL);
    g_assert_true(tlsdiag_core_superseded(cap->core, hs) == failed);
}

/* A failure with nothing missing is final, and says nothing of provisions. */
static void
test_complete_failure_is_final(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    conn_t c = tcp_conn_new(cap, 1, 40001);

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);
    g_assert_true(rst(&c, SERVER) == hs);
    assert_causes(hs, "reset_after_client_hello");
    g_assert_false(hs->flags & TLSDIAG_HS_PROVISIONAL);
    assert_lacks(summary(hs), "provisional");
    g_assert_null(tlsdiag_core_superseded(cap->core, hs));
}

/* A TCP health check connects and closes without a byte; the TLS server
 * answers the end of the stream with an alert. No handshake, no verdict. */
static void
test_bare_connect_answered_by_alert(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = tcp_conn_new(cap, 1, 40001);
    static const guint8 decode_error[] = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x32 };

    syn(&c);
    g_assert_null(fin(&c, CLIENT));                                   /* 4 */
    tlsdiag_packet a = pkt(&c, SERVER, TLSDIAG_PKT_NOT_TLS, sizeof decode_error);
    a.head = decode_error;
    a.head_len = sizeof decode_error;
    a.peer_sent = 0;
    g_assert_null(feed(&c, &a));                                      /* 5 */
    g_assert_null(rst(&c, CLIENT));                                   /* 6 */

    /* Plaintext first (a client's GET), then the same alert: not TLS. */
    conn_t d = tcp_conn_new(cap, 2, 40002);
    syn(&d);
    g_assert_null(raw(&d, CLIENT, TLSDIAG_PKT_NOT_TLS, 78));          /* 10 */
    a = pkt(&d, SERVER, TLSDIAG_PKT_NOT_TLS, sizeof decode_error);
    a.head = decode_error;
    a.head_len = sizeof decode_error;
    a.peer_sent = 78;
    const tlsdiag_handshake *hs = feed(&d, &a);                       /* 11 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 0, 11);
    assert_causes(hs, "not_tls");
}

/* A TLS 1.3 draft version (0x7f1c, draft 28) follows TLS 1.3's rules. */
static void
test_tls13_draft_version(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    SET_LIST(ch.versions, ch.n_versions, 0x7f1c, 0x0303);
    conn_t c = tcp_conn_new(cap, 1, 40001);

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);              /* 4 */
    tlsdiag_packet sh = pkt(&c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO | TLSDIAG_PKT_APP_DATA, 2600);
    sh.n_app_data = 4;
    sh.sh_version = 0x7f1c;
    sh.sh_suite = 0x1301;
    g_assert_null(feed(&c, &sh));                                     /* 5 */
    g_assert_null(app_data(&c, CLIENT, 1));                           /* 6: Finished */
    g_assert_true(app_data(&c, SERVER, 1) == hs);                     /* 7: a ticket */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 7);
    char buf[256];
    assert_has(tlsdiag_handshake_summary(hs, TRUE, buf, sizeof buf), "TLS 1.3 draft 28 handshake established");
}

/* An SSL 2.0 exchange: CLIENT-HELLO, SERVER-HELLO, CLIENT-MASTER-KEY, then
 * encrypted records both ways. */
static void
test_sslv2_exchange(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch;
    memset(&ch, 0, sizeof ch);
    ch.legacy_version = 0x0002;
    ch.sslv2 = TRUE;
    ch.n_ssl2_specs = 7;
    ch.length = 46;
    conn_t c = tcp_conn_new(cap, 1, 40001);

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);              /* 4 */
    tlsdiag_packet sh = pkt(&c, SERVER, F_TLS | TLSDIAG_PKT_SSLV2 | TLSDIAG_PKT_SERVER_HELLO, 900);
    sh.sh_version = 0x0002;
    sh.hs_types[0] = 4;
    sh.n_hs_types = 1;
    g_assert_null(feed(&c, &sh));                                     /* 5: SERVER-HELLO */
    tlsdiag_packet mk = pkt(&c, CLIENT, F_TLS | TLSDIAG_PKT_SSLV2, 140);
    mk.hs_types[0] = 2;
    mk.n_hs_types = 1;
    g_assert_null(feed(&c, &mk));                                     /* 6: CLIENT-MASTER-KEY */
    g_assert_null(app_data(&c, CLIENT, 1));                           /* 7: CLIENT-FINISHED */
    g_assert_true(app_data(&c, SERVER, 2) == hs);                     /* 8: SERVER-VERIFY, -FINISHED */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 8);
    assert_has(history_text(hs), "Frame 5 server: SERVER-HELLO. Frame 6 client: CLIENT-MASTER-KEY.");
}

/* A payload Wireshark holds for another protocol's reassembly. */
static const tlsdiag_handshake *
held(conn_t *c, gboolean from_server, const guint8 *head, guint32 payload_len)
{
    tlsdiag_packet p = pkt(c, from_server, TLSDIAG_PKT_HELD, payload_len);
    p.head = head;
    p.head_len = 5;
    p.decoded_as = "PMPROXY";
    return feed(c, &p);
}

static const guint8 hello_head[] = { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 };

/* A ClientHello Wireshark shows as another protocol's bytes. */
static const tlsdiag_handshake *
hidden_hello(conn_t *c)
{
    tlsdiag_packet hello = pkt(c, CLIENT, TLSDIAG_PKT_NOT_TLS, 517);
    hello.head = hello_head;
    hello.head_len = sizeof hello_head;
    hello.decoded_as = "PMPROXY";
    return feed(c, &hello);
}
static const guint8 server_flight[] = { 0x16, 0x03, 0x03, 0x00, 0x7a };
static const guint8 client_ccs[] = { 0x14, 0x03, 0x03, 0x00, 0x01 };
static const guint8 app_record[] = { 0x17, 0x03, 0x03, 0x01, 0x2a };

/* A connection Wireshark decodes as another protocol (one of its ports is
 * that protocol's): the ClientHello and the records after it are seen by
 * their headers only. The server answers, the client goes on, the server
 * answers again: likely established, and said to be an inference. */
static void
test_hidden_tls_established(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = tcp_conn_new(cap, 1, 44322);

    syn(&c);
    const tlsdiag_handshake *hs = hidden_hello(&c);                   /* 4 */
    g_assert_nonnull(hs);
    g_assert_null(held(&c, SERVER, server_flight, 1423));             /* 5: the server's flight */
    g_assert_null(held(&c, CLIENT, client_ccs, 80));                  /* 6: CCS, Finished */
    g_assert_true(held(&c, SERVER, app_record, 303) == hs);           /* 7: tickets */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 7);
    assert_causes(hs, "not_decoded");
    assert_has(evidence(hs, 0), "Wireshark decodes this connection as PMPROXY");
}

/* The same, but the server closes after its flight, before the client went
 * on: nothing says the handshake worked (as when Wireshark decodes it). */
static void
test_hidden_tls_server_closes(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = tcp_conn_new(cap, 1, 44322);

    syn(&c);
    const tlsdiag_handshake *hs = hidden_hello(&c);                   /* 4 */
    g_assert_null(held(&c, SERVER, server_flight, 1423));             /* 5 */
    g_assert_true(fin(&c, SERVER) == hs);                             /* 6 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 6);
    assert_causes(hs, "closed_mid_handshake");
}

/* The same, but the client answers the server's flight with a
 * ChangeCipherSpec and one record of a TLS 1.3 alert's size, then the
 * server closes: the client refused the server. */
static void
test_hidden_tls_client_alert(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    static const guint8 ccs_alert[] = { 0x14, 0x03, 0x03, 0x00, 0x01, 0x01, 0x17, 0x03, 0x03, 0x00, 0x13 };
    conn_t c = tcp_conn_new(cap, 1, 44322);

    syn(&c);
    const tlsdiag_handshake *hs = hidden_hello(&c);                   /* 4 */
    g_assert_null(held(&c, SERVER, server_flight, 1423));             /* 5 */
    tlsdiag_packet p = pkt(&c, CLIENT, TLSDIAG_PKT_HELD, 6 + 24);
    p.head = ccs_alert;
    p.head_len = sizeof ccs_alert;
    p.decoded_as = "PMPROXY";
    g_assert_null(feed(&c, &p));                                      /* 6 */
    g_assert_true(fin(&c, SERVER) == hs);                             /* 7 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 7);
    assert_causes(hs, "encrypted_alert");
    assert_has(evidence(hs, 0), "The client sent an encrypted alert in frame 6, after the server's first flight");
}

/* A large ClientHello TLS is reassembling: its first segment sent again
 * shows as held bytes without TLS's layer, starting like a hello. It repeats
 * what the client sent: no hidden hello; the hello is the decoded one. */
static void
test_hidden_hello_not_a_resend(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = tcp_conn_new(cap, 1, 40001);

    syn(&c);
    guint32 first = c.next[CLIENT];
    g_assert_null(raw(&c, CLIENT, 0, 1188));                          /* 4: TLS waits for more */
    tlsdiag_packet again = pkt_at(&c, CLIENT, TLSDIAG_PKT_HELD, 1188, first);
    again.head = hello_head;
    again.head_len = sizeof hello_head;
    g_assert_null(feed(&c, &again));                                  /* 5: the same segment */
    tlsdiag_client_hello ch = modern_hello("good.example");
    const tlsdiag_handshake *hs = client_hello(&c, &ch);              /* 6: the hello, decoded */
    g_assert_nonnull(hs);
    g_assert_cmpuint(hs->client_hello_frame, ==, 6);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    TEST_CAPTURE("/tls13/client-resets-after-finished", test_tls13_client_resets_after_finished);
    TEST_CAPTURE("/tls13/client-close-notify", test_tls13_client_close_notify);
    TEST_CAPTURE("/tls13/close-notify-read-with-keys", test_tls13_close_notify_read_with_keys);
    TEST_CAPTURE("/tls13/server-closes-after-finished", test_tls13_server_closes_after_finished);
    TEST_CAPTURE("/abandon/client-gives-up-at-once", test_client_abandons);
    TEST_CAPTURE("/tcp/reordered-server-flight", test_reordered_server_flight);
    TEST_CAPTURE("/tcp/repeated-segments", test_repeated_segments);
    TEST_CAPTURE("/tcp/provisional-failure-revised", test_provisional_failure_revised);
    TEST_CAPTURE("/tcp/complete-failure-is-final", test_complete_failure_is_final);
    TEST_CAPTURE("/tcp/bare-connect-answered-by-alert", test_bare_connect_answered_by_alert);
    TEST_CAPTURE("/versions/tls13-draft", test_tls13_draft_version);
    TEST_CAPTURE("/versions/sslv2-exchange", test_sslv2_exchange);
    TEST_CAPTURE("/hidden/established", test_hidden_tls_established);
    TEST_CAPTURE("/hidden/server-closes", test_hidden_tls_server_closes);
    TEST_CAPTURE("/hidden/client-alert", test_hidden_tls_client_alert);
    TEST_CAPTURE("/hidden/not-a-resend", test_hidden_hello_not_a_resend);
    return g_test_run();
}
