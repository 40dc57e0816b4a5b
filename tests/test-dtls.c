/* test-dtls.c — unit tests of the core and the judge on synthetic DTLS
 * frames (as tlsdiag-frame.c condenses them): cookie exchanges and
 * HelloRetryRequests continue one handshake, retransmitted flights are no
 * new handshake, a ClientHello repeated unanswered is no_server_response, an
 * ICMP unreachable ends it, a new random after a failure is a retry, and
 * after an established association a new handshake (unanswered while the
 * server holds the old one: dtls_stale_association); hellos the capture
 * cut begin and continue associations all the same.
 *
 * Frame numbers are counted by hand from the packets each test sends.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "harness.h"

#include <string.h>

#define DTLS12 0xfefd
#define DTLS13 0xfefc

/* Client 10.0.0.1:cport, server 10.0.0.2:4444 over UDP: no SYN; the
 * ClientHello begins the association (the frame reader marks it so). */
static conn_t
dtls_conn(capture_t *cap, guint16 cport)
{
    conn_t c = conn_new(cap, 0x40000000u | cport, cport);
    c.sport = 4444;
    c.syn_seen = 0;
    return c;
}

/* A DTLS 1.2 client's hello (no supported_versions). */
static tlsdiag_client_hello
dtls_hello(guint16 legacy)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    ch.legacy_version = legacy;
    ch.n_versions = 0;
    ch.n_alpn = 0;
    ch.length = 201;
    return ch;
}

static const tlsdiag_handshake *
hello(conn_t *c, tlsdiag_client_hello *ch, guint16 msg_seq, guint64 random_tail)
{
    ch->msg_seq = msg_seq;
    ch->random_tail = random_tail;
    tlsdiag_packet p = pkt(c, CLIENT, F_TLS | TLSDIAG_PKT_DTLS | TLSDIAG_PKT_CLIENT_HELLO | TLSDIAG_PKT_SYN_SEEN,
                           ch->length + 25);
    p.hello = ch;
    p.hs_types[0] = 1;
    p.n_hs_types = 1;
    return feed(c, &p);
}

static const tlsdiag_handshake *
hello_verify(conn_t *c)
{
    tlsdiag_packet p = pkt(c, SERVER, F_TLS | TLSDIAG_PKT_DTLS | TLSDIAG_PKT_HELLO_VERIFY, 48);
    p.hs_types[0] = 3;
    p.n_hs_types = 1;
    return feed(c, &p);
}

/* An ICMP destination unreachable (IPv4, code) from `from` about the client's datagram. */
static const tlsdiag_handshake *
unreachable(conn_t *c, tlsdiag_addr from, guint8 code)
{
    tlsdiag_packet p = pkt(c, SERVER, TLSDIAG_PKT_UNREACHABLE, 0);
    p.src = from;
    p.ttl = 64;
    p.icmp_family = 4;
    p.icmp_type = 3;
    p.icmp_code = code;
    return feed(c, &p);
}

/* OpenSSL's s_server: ClientHello, HelloVerifyRequest, ClientHello with the
 * cookie (message_seq 1, same random), then a DTLS 1.2 handshake. */
static void
test_cookie_exchange(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = dtls_conn(cap, 50001);
    tlsdiag_client_hello ch = dtls_hello(DTLS12);
    const tlsdiag_handshake *h = hello(&c, &ch, 0, 0x1111);                  /* 1 */
    g_assert_null(hello_verify(&c));                                         /* 2 */
    tlsdiag_client_hello ch2 = dtls_hello(DTLS12);
    g_assert_true(hello(&c, &ch2, 1, 0x1111) == h);                          /* 3 */
    g_assert_null(server_hello(&c, DTLS12, 0xc030, 0x001d));                 /* 4 */
    g_assert_null(ccs_finished(&c, CLIENT));                                 /* 5 */
    g_assert_true(ccs_finished(&c, SERVER) == h);                            /* 6 */
    assert_hs(h, TLSDIAG_OUTCOME_ESTABLISHED, 1, 6);
    /* A cookie is no HelloRetryRequest: nothing to say. */
    g_assert_null(h->verdict);
    g_assert_cmpuint(h->version, ==, DTLS12);
    char buf[256];
    assert_has(tlsdiag_handshake_summary(h, TRUE, buf, sizeof buf), "DTLS 1.2 handshake established");
    assert_has(history_text(h), "Frame 2 server: HelloVerifyRequest. Frame 3 client: ClientHello.");
    /* Established: only a new association can follow. */
    g_assert_cmpint(tlsdiag_core_wants(cap->core, c.conv), ==, TLSDIAG_WANT_HANDSHAKE);
}

/* Lost packets make both sides repeat whole flights (same message_seq):
 * retransmissions, one handshake. */
static void
test_retransmitted_flights(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = dtls_conn(cap, 50002);
    tlsdiag_client_hello ch = dtls_hello(DTLS12);
    const tlsdiag_handshake *h = hello(&c, &ch, 0, 0x2222);                  /* 1 */
    wait_ms(cap, 1);
    g_assert_null(server_hello(&c, DTLS12, 0xc02f, 0x001d));                 /* 2 */
    wait_ms(cap, 1000);
    /* The server's flight did not arrive whole: the client repeats its hello, the server its flight. */
    tlsdiag_client_hello again = dtls_hello(DTLS12);
    g_assert_null(hello(&c, &again, 0, 0x2222));                             /* 3 */
    g_assert_null(server_hello(&c, DTLS12, 0xc02f, 0x001d));                 /* 4 */
    g_assert_null(ccs_finished(&c, CLIENT));                                 /* 5 */
    g_assert_null(ccs_finished(&c, CLIENT));                                 /* 6 */
    g_assert_true(ccs_finished(&c, SERVER) == h);                            /* 7 */
    assert_hs(h, TLSDIAG_OUTCOME_ESTABLISHED, 1, 7);
    g_assert_null(h->verdict);
    g_assert_cmpuint(h->attempt, ==, 1);
}

/* Nobody answers: the client's timer repeats the hello after 1, 2 and 4 s.
 * From the second repeat on the open handshake says no_server_response,
 * with how often and for how long. */
static void
test_silent_server(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = dtls_conn(cap, 50003);
    tlsdiag_client_hello ch = dtls_hello(DTLS12);
    const tlsdiag_handshake *h = hello(&c, &ch, 0, 0x3333);                  /* 1 */
    wait_ms(cap, 1000);
    g_assert_null(hello(&c, &ch, 0, 0x3333));                                /* 2 */
    wait_ms(cap, 2000);
    g_assert_true(hello(&c, &ch, 0, 0x3333) == h);                           /* 3 */
    g_assert_cmpuint(h->outcome, ==, TLSDIAG_OUTCOME_PENDING);
    g_assert_cmpuint(h->outcome_frame, ==, 3);
    assert_causes(h, "no_server_response");
    assert_has(evidence(h, 0), "2 more times over 3.0 s (the last in frame 3)");
    wait_ms(cap, 4000);
    g_assert_true(hello(&c, &ch, 0, 0x3333) == h);                           /* 4 */
    g_assert_cmpuint(h->outcome_frame, ==, 4);
    assert_causes(h, "no_server_response");
    assert_has(evidence(h, 0), "3 more times over 7.0 s (the last in frame 4)");
    assert_has(summary(h), "sent again 3 times until frame 4");
}

/* DTLS 1.3: a HelloRetryRequest, the second hello (message_seq 1) is the
 * same handshake, which then completes. */
static void
test_hello_retry_13(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = dtls_conn(cap, 50004);
    tlsdiag_client_hello ch = dtls_hello(DTLS12);
    SET_LIST(ch.versions, ch.n_versions, DTLS13, DTLS12);
    const tlsdiag_handshake *h = hello(&c, &ch, 0, 0x4444);                  /* 1 */
    g_assert_null(hello_retry(&c, 0x0017));                                  /* 2 */
    tlsdiag_client_hello ch2 = ch;
    g_assert_true(hello(&c, &ch2, 1, 0x4444) == h);                          /* 3 */
    /* The retransmitted second hello changes nothing. */
    g_assert_null(hello(&c, &ch2, 1, 0x4444));                               /* 4 */
    tlsdiag_packet p = pkt(&c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO | TLSDIAG_PKT_APP_DATA, 1400);
    p.sh_version = DTLS13;
    p.sh_suite = 0x1301;
    p.sh_group = 0x0017;
    p.n_app_data = 4;
    g_assert_null(feed(&c, &p));                                             /* 5 */
    g_assert_null(app_data(&c, CLIENT, 1));                                  /* 6: its Finished */
    g_assert_true(app_data(&c, CLIENT, 1) == h);                             /* 7: its data */
    assert_hs(h, TLSDIAG_OUTCOME_ESTABLISHED, 1, 7);
    assert_causes(h, "hello_retry_request");
    g_assert_cmpuint(h->version, ==, DTLS13);
}

/* DTLS 1.0 only against a DTLS 1.2 server, after the cookie exchange. */
static void
test_version_mismatch(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = dtls_conn(cap, 50005);
    tlsdiag_client_hello ch = dtls_hello(0xfeff);
    const tlsdiag_handshake *h = hello(&c, &ch, 0, 0x5555);                  /* 1 */
    g_assert_null(hello_verify(&c));                                         /* 2 */
    g_assert_true(hello(&c, &ch, 1, 0x5555) == h);                           /* 3 */
    g_assert_true(alert(&c, SERVER, 2, 70) == h);                            /* 4 */
    assert_hs(h, TLSDIAG_OUTCOME_FAILED, 1, 4);
    assert_causes(h, "protocol_version_mismatch");
    assert_has(summary(h), "up to DTLS 1.0");
    assert_lacks(summary(h), "TLS 1.1");
}

/* Nothing listens: the server's kernel answers ICMP port unreachable. */
static void
test_port_unreachable(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = dtls_conn(cap, 50006);
    tlsdiag_client_hello ch = dtls_hello(DTLS12);
    const tlsdiag_handshake *h = hello(&c, &ch, 0, 0x6666);                  /* 1 */
    g_assert_true(unreachable(&c, c.srv, 3) == h);                           /* 2 */
    assert_hs(h, TLSDIAG_OUTCOME_FAILED, 1, 2);
    assert_causes(h, "icmp_unreachable");
    assert_has(evidence(h, 0), "port unreachable (code 3) in frame 2, from the server's own address");
    g_assert_cmpuint(h->verdict->sender, ==, TLSDIAG_SENDER_SERVER);
    assert_has(history_text(h), "Frame 2 server: ICMP port unreachable.");
}

/* A router answers for the server: the path ended it. */
static void
test_router_unreachable(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = dtls_conn(cap, 50007);
    tlsdiag_client_hello ch = dtls_hello(DTLS12);
    const tlsdiag_handshake *h = hello(&c, &ch, 0, 0x7777);                  /* 1 */
    g_assert_true(unreachable(&c, v4(9), 1) == h);                           /* 2 */
    assert_hs(h, TLSDIAG_OUTCOME_FAILED, 1, 2);
    assert_causes(h, "ended_by_path icmp_unreachable");
    assert_has(evidence(h, 1), "host unreachable (code 1) in frame 2, from another address than the server's");
    g_assert_cmpuint(h->verdict->sender, ==, TLSDIAG_SENDER_PATH);
}

/* An ICMP about a conversation with no handshake, or after the server
 * answered, decides nothing. */
static void
test_unreachable_ignored(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t idle = dtls_conn(cap, 50008);
    g_assert_null(unreachable(&idle, idle.srv, 3));                          /* 1 */
    conn_t c = dtls_conn(cap, 50009);
    tlsdiag_client_hello ch = dtls_hello(DTLS12);
    const tlsdiag_handshake *h = hello(&c, &ch, 0, 0x8888);                  /* 2 */
    g_assert_null(server_hello(&c, DTLS12, 0xc02f, 0x001d));                 /* 3 */
    g_assert_null(unreachable(&c, v4(9), 3));                                /* 4 */
    g_assert_cmpuint(h->outcome, ==, TLSDIAG_OUTCOME_PENDING);
}

/* A failed handshake, its hello repeated (the alert was lost), then the
 * client starts over on the same port with a new random: a second attempt. */
static void
test_retry_same_port(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = dtls_conn(cap, 50010);
    tlsdiag_client_hello ch = dtls_hello(DTLS12);
    const tlsdiag_handshake *h1 = hello(&c, &ch, 0, 0x9999);                 /* 1 */
    g_assert_true(alert(&c, SERVER, 2, 40) == h1);                           /* 2 */
    g_assert_cmpuint(h1->outcome, ==, TLSDIAG_OUTCOME_FAILED);
    g_assert_cmpint(tlsdiag_core_wants(cap->core, c.conv), ==, TLSDIAG_WANT_ALL);
    wait_ms(cap, 1000);
    g_assert_null(hello(&c, &ch, 0, 0x9999));                                /* 3 */
    wait_ms(cap, 500);
    tlsdiag_client_hello ch2 = dtls_hello(DTLS12);
    const tlsdiag_handshake *h2 = hello(&c, &ch2, 0, 0xaaaa);                /* 4 */
    g_assert_true(h2 != h1);
    g_assert_cmpuint(h2->client_hello_frame, ==, 4);
    g_assert_cmpuint(h2->attempt, ==, 2);
    g_assert_true(tlsdiag_hs_prev(h2) == h1);
    g_assert_null(server_hello(&c, DTLS12, 0xc02f, 0x001d));                 /* 5 */
    g_assert_null(ccs_finished(&c, CLIENT));                                 /* 6 */
    g_assert_true(ccs_finished(&c, SERVER) == h2);                           /* 7 */
    assert_hs(h2, TLSDIAG_OUTCOME_ESTABLISHED, 4, 7);
    g_assert_true(tlsdiag_hs_recovered_by(h1) == h2);
}

/* An established association, then the client begins again from the same
 * port (a NAT kept its mapping): a late copy of the old hello changes
 * nothing, a hello with a new random is a handshake of its own, followed
 * as any (every frame again), and its failure is said. */
static void
test_new_association_same_port(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = dtls_conn(cap, 50013);
    tlsdiag_client_hello ch = dtls_hello(DTLS12);
    const tlsdiag_handshake *h1 = hello(&c, &ch, 0, 0xdddd);                 /* 1 */
    g_assert_null(server_hello(&c, DTLS12, 0xc02f, 0x001d));                 /* 2 */
    g_assert_null(ccs_finished(&c, CLIENT));                                 /* 3 */
    g_assert_true(ccs_finished(&c, SERVER) == h1);                           /* 4 */
    assert_hs(h1, TLSDIAG_OUTCOME_ESTABLISHED, 1, 4);
    g_assert_cmpint(tlsdiag_core_wants(cap->core, c.conv), ==, TLSDIAG_WANT_HANDSHAKE);
    wait_ms(cap, 50);
    g_assert_null(hello(&c, &ch, 0, 0xdddd));                                /* 5 */
    assert_hs(h1, TLSDIAG_OUTCOME_ESTABLISHED, 1, 4);
    wait_ms(cap, 2000);
    tlsdiag_client_hello ch2 = dtls_hello(DTLS12);
    const tlsdiag_handshake *h2 = hello(&c, &ch2, 0, 0xeeee);                /* 6 */
    g_assert_true(h2 != h1);
    g_assert_cmpuint(h2->client_hello_frame, ==, 6);
    g_assert_cmpint(tlsdiag_core_wants(cap->core, c.conv), ==, TLSDIAG_WANT_ALL);
    g_assert_null(server_hello(&c, DTLS12, 0xc02f, 0x001d));                 /* 7 */
    g_assert_true(alert(&c, CLIENT, 2, 48) == h2);                           /* 8 */
    assert_hs(h2, TLSDIAG_OUTCOME_FAILED, 6, 8);
    assert_hs(h1, TLSDIAG_OUTCOME_ESTABLISHED, 1, 4);
    assert_has(history_text(h2), "Frame 6 client: ClientHello. Frame 8 client: fatal alert unknown_ca.");
    assert_lacks(history_text(h2), "Frame 5");
}

/* An established association, then from the same port a new ClientHello
 * sent again and again unanswered. Nothing ended the first association:
 * the server most likely still holds it (ranked first), or the datagrams
 * are dropped. After an alert ended it, only the second is said. */
static const tlsdiag_handshake *
established_then_unanswered(capture_t *cap, guint16 cport, gboolean ended)
{
    conn_t c = dtls_conn(cap, cport);
    const guint32 f0 = cap->frame;                   /* frames counted from here */
    tlsdiag_client_hello ch = dtls_hello(DTLS12);
    const tlsdiag_handshake *h1 = hello(&c, &ch, 0, 0x1212);                 /* +1 */
    g_assert_null(server_hello(&c, DTLS12, 0xc02f, 0x001d));                 /* +2 */
    g_assert_null(ccs_finished(&c, CLIENT));                                 /* +3 */
    g_assert_true(ccs_finished(&c, SERVER) == h1);                           /* +4 */
    if (ended)
        g_assert_null(alert(&c, CLIENT, 1, -1));                             /* +5: encrypted close_notify */
    wait_ms(cap, 3000);
    tlsdiag_client_hello ch2 = dtls_hello(DTLS12);
    const tlsdiag_handshake *h2 = hello(&c, &ch2, 0, 0x3434);
    wait_ms(cap, 1000);
    g_assert_null(hello(&c, &ch2, 0, 0x3434));
    wait_ms(cap, 2000);
    g_assert_true(hello(&c, &ch2, 0, 0x3434) == h2);
    assert_hs(h1, TLSDIAG_OUTCOME_ESTABLISHED, f0 + 1, f0 + 4);
    g_assert_cmpuint(h2->outcome, ==, TLSDIAG_OUTCOME_PENDING);
    return h2;
}

static void
test_stale_association(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    const tlsdiag_handshake *h = established_then_unanswered(cap, 50014, FALSE);
    g_assert_cmpuint(h->client_hello_frame, ==, 5);
    assert_causes(h, "dtls_stale_association no_server_response");
    assert_has(evidence(h, 0), "established in frame 4, and nothing in the capture ended it");
    assert_has(evidence(h, 0), "new ClientHello (frame 5, another random) was sent 2 more times over 3.0 s");
    assert_has(summary(h), "from the ports of the association established in frame 4 and never ended");

    const tlsdiag_handshake *e = established_then_unanswered(cap, 50015, TRUE);
    g_assert_cmpuint(e->client_hello_frame, ==, 13);
    assert_causes(e, "no_server_response");
}

/* A server that fails a DTLS 1.2 hello but takes the same client's DTLS 1.0
 * retry: version intolerance, told in DTLS's version names. */
static void
test_version_intolerance(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t a = dtls_conn(cap, 50011);
    tlsdiag_client_hello best = dtls_hello(DTLS12);
    const tlsdiag_handshake *h1 = hello(&a, &best, 0, 0xbbbb);               /* 1 */
    g_assert_true(alert(&a, SERVER, 2, 40) == h1);                           /* 2 */
    wait_ms(cap, 300);
    conn_t b = dtls_conn(cap, 50012);
    tlsdiag_client_hello old = dtls_hello(0xfeff);
    const tlsdiag_handshake *h2 = hello(&b, &old, 0, 0xcccc);                /* 3 */
    g_assert_null(server_hello(&b, 0xfeff, 0xc014, 0x001d));                 /* 4 */
    g_assert_null(ccs_finished(&b, CLIENT));                                 /* 5 */
    g_assert_true(ccs_finished(&b, SERVER) == h2);                           /* 6 */
    g_assert_true(tlsdiag_hs_recovered_by(h1) == h2);
    assert_causes(h1, "version_intolerance client_hello_rejected");
    assert_has(evidence(h1, 0), "frame 1 offered up to DTLS 1.2 and failed");
    assert_has(evidence(h1, 0), "retry in frame 3 offered up to DTLS 1.0 and the server accepted it with DTLS 1.0");
    assert_lacks(evidence(h1, 0), " TLS 1.");
}

/* A capture with a snap length (96 bytes): the reader gives a cut hello its
 * message_seq and the random's captured bytes only. It begins the
 * association all the same; the cookie hello continues it; the ServerHello
 * and the client's last flight are cut (ClientKeyExchange read, its CCS and
 * Finished not): the server's CCS and Finished in a full handshake answer
 * the client's Finished. A new random is a new association, and an alert
 * to one is named by its meaning alone, the offer being unknown. */
static const tlsdiag_handshake *
cut_hello(conn_t *c, guint16 msg_seq, guint64 random_tail)
{
    tlsdiag_client_hello ch = { .length = 250, .msg_seq = msg_seq, .random_tail = random_tail };
    tlsdiag_packet p = pkt(c, CLIENT, F_TLS | TLSDIAG_PKT_DTLS | TLSDIAG_PKT_CLIENT_HELLO | TLSDIAG_PKT_CUT |
                                          TLSDIAG_PKT_CUT_HELLO | TLSDIAG_PKT_SYN_SEEN, 292);
    p.hello = &ch;
    p.hs_types[0] = 1;
    p.n_hs_types = 1;
    p.cut_len = 196;
    p.captured_len = 96;
    return feed(c, &p);
}

static void
test_cut(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    conn_t c = dtls_conn(cap, 50016);
    const tlsdiag_handshake *h = cut_hello(&c, 0, 0xabcd);                   /* 1 */
    g_assert_nonnull(h);
    g_assert_null(hello_verify(&c));                                         /* 2 */
    g_assert_true(cut_hello(&c, 1, 0xabcd) == h);                            /* 3 */
    tlsdiag_packet p = pkt(&c, SERVER, F_TLS | TLSDIAG_PKT_DTLS | TLSDIAG_PKT_SERVER_HELLO | TLSDIAG_PKT_CUT, 270);
    p.cut_len = 174;
    p.captured_len = 96;
    g_assert_null(feed(&c, &p));                                             /* 4: version unread */
    p = pkt(&c, SERVER, F_TLS | TLSDIAG_PKT_DTLS | TLSDIAG_PKT_CERTIFICATE | TLSDIAG_PKT_CUT, 270);
    p.cut_len = 174;
    p.captured_len = 96;
    g_assert_null(feed(&c, &p));                                             /* 5 */
    p = pkt(&c, CLIENT, F_TLS | TLSDIAG_PKT_DTLS | TLSDIAG_PKT_CUT, 175);
    p.cut_len = 79;
    p.captured_len = 96;
    g_assert_null(feed(&c, &p));                                             /* 6: CKE; CCS, Finished cut */
    g_assert_true(ccs_finished(&c, SERVER) == h);                            /* 7 */
    assert_hs(h, TLSDIAG_OUTCOME_ESTABLISHED, 1, 7);
    assert_has(summary(h), "(ClientHello in frame 1, done in frame 7), though the capture cut 5 of the "
                           "handshake's frames to at most 96 bytes (its snap length, most likely; the first in "
                           "frame 1, 819 bytes of TLS cut off)");
    assert_has(summary(h), "its ClientHello among them");
    /* An unknown offer is no evidence of a missing RFC 5746 extension. */
    assert_lacks(summary(h), "renegotiation");

    g_assert_null(alert(&c, CLIENT, 1, -1));                                 /* 8: close_notify */
    const tlsdiag_handshake *h2 = cut_hello(&c, 0, 0xbeef);                  /* 9 */
    g_assert_nonnull(h2);
    g_assert_true(h2 != h);
    g_assert_true(alert(&c, SERVER, 2, 70) == h2);                           /* 10 */
    assert_hs(h2, TLSDIAG_OUTCOME_FAILED, 9, 10);
    assert_causes(h2, "handshake_alert");
    assert_has(summary(h2), "ClientHello in frame 9 (cut by the capture to 96 bytes: what it offers is not in it)");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    TEST_CAPTURE("/dtls/cookie-exchange", test_cookie_exchange);
    TEST_CAPTURE("/dtls/retransmitted-flights", test_retransmitted_flights);
    TEST_CAPTURE("/dtls/silent-server", test_silent_server);
    TEST_CAPTURE("/dtls/hello-retry-13", test_hello_retry_13);
    TEST_CAPTURE("/dtls/version-mismatch", test_version_mismatch);
    TEST_CAPTURE("/dtls/port-unreachable", test_port_unreachable);
    TEST_CAPTURE("/dtls/router-unreachable", test_router_unreachable);
    TEST_CAPTURE("/dtls/unreachable-ignored", test_unreachable_ignored);
    TEST_CAPTURE("/dtls/retry-same-port", test_retry_same_port);
    TEST_CAPTURE("/dtls/version-intolerance", test_version_intolerance);
    TEST_CAPTURE("/dtls/new-association-same-port", test_new_association_same_port);
    TEST_CAPTURE("/dtls/stale-association", test_stale_association);
    TEST_CAPTURE("/dtls/cut", test_cut);
    return g_test_run();
}
