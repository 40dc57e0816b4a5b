/* test-path.c — unit tests of who ended a failed handshake: the server, or
 * a device on the path in its name (its TTL, IP ID, TCP timestamps and
 * timing against the server's own packets), and of a ClientHello that never
 * reached the server.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "harness.h"

/* A client 64 hops from nothing (it is where the capture is), a server one
 * router away: its packets arrive with TTL 63, sequential IP IDs and TCP
 * timestamps. */
static conn_t
routed_conn(capture_t *cap, guint32 conv, guint16 cport)
{
    conn_t c = tcp_conn_new(cap, conv, cport);
    c.ttl[CLIENT] = 64;
    c.ttl[SERVER] = 63;
    c.ip_id[CLIENT] = 0x1000;
    c.ip_id[SERVER] = 0x5000;
    c.ts[CLIENT] = c.ts[SERVER] = TRUE;
    return c;
}

/* A reset in the server's name, as the capture saw it arrive. */
static const tlsdiag_handshake *
reset_as(conn_t *c, guint8 ttl, guint16 ip_id, gboolean ts)
{
    tlsdiag_packet p = pkt(c, SERVER, TLSDIAG_PKT_RST, 0);
    p.ttl = ttl;
    p.ip_id = ip_id;
    p.flags = (p.flags & ~TLSDIAG_PKT_TCP_TS) | (ts ? TLSDIAG_PKT_TCP_TS : 0);
    return feed(c, &p);
}

/* Written out; valid until the next call. */
static const char *
reasons(const tlsdiag_handshake *hs)
{
    static char *text;

    g_assert_nonnull(hs->verdict);
    g_free(text);
    text = tlsdiag_verdict_reasons(hs->verdict);
    return text;
}

/* iptables REJECT --reject-with tcp-reset one hop before the server. */
static void
test_injected_reset(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("blocked.example");
    conn_t c = routed_conn(cap, 1, 41001);

    syn(&c);                                                          /* 1-3 */
    const tlsdiag_handshake *hs = client_hello(&c, &ch);              /* 4 */
    g_assert_true(reset_as(&c, 64, 0, FALSE) == hs);                  /* 5 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 5);
    assert_causes(hs, "ended_by_path reset_after_client_hello");
    g_assert_cmpuint(hs->verdict->sender, ==, TLSDIAG_SENDER_PATH);
    assert_has(reasons(hs), "came 1 hop closer than the server's own packets (TTL 64 against 63 from frame 2), "
                            "with IP ID 0: most likely a device on the path");
    assert_has(evidence(hs, 0), "most likely a device on the path");
}

/* The server's own reset (SO_LINGER 0): its hop distance, its IP ID sequence. */
static void
test_server_reset(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    conn_t c = routed_conn(cap, 1, 41001);

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);              /* 4 */
    g_assert_null(raw(&c, SERVER, 0, 0));                             /* 5: ACK, IP ID 0x5001 */
    g_assert_true(rst(&c, SERVER) == hs);                             /* 6: IP ID 0x5002 */
    assert_causes(hs, "reset_after_client_hello");
    g_assert_cmpuint(hs->verdict->sender, ==, TLSDIAG_SENDER_SERVER);
    assert_has(reasons(hs), "came from the server's hop distance (TTL 63, as its packets from frame 2); its IP ID "
                            "0x5002 follows the server's last (0x5001); it carries TCP timestamps");
    assert_has(evidence(hs, 0), "most likely the server itself sent it");
}

/* On loopback every packet has TTL 64: a kernel's reset for a closed
 * socket (IP ID 0, no timestamps) is never called the path's. */
static void
test_loopback_never_path(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    conn_t c = routed_conn(cap, 1, 41001);
    c.ttl[SERVER] = 64;

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);
    g_assert_true(reset_as(&c, 64, 0, FALSE) == hs);
    g_assert_cmpuint(hs->verdict->sender, ==, TLSDIAG_SENDER_SERVER);
    assert_causes(hs, "reset_after_client_hello");
    assert_has(reasons(hs), "no TCP timestamps and IP ID 0, as a host's kernel answers for a connection it has "
                            "already closed");
}

/* Another initial TTL (255 against 64) is another IP stack, whatever the hops. */
static void
test_other_ip_stack(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    conn_t c = routed_conn(cap, 1, 41001);

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);
    g_assert_true(reset_as(&c, 254, 0x7777, FALSE) == hs);
    g_assert_cmpuint(hs->verdict->sender, ==, TLSDIAG_SENDER_PATH);
    assert_has(reasons(hs), "they start from different values (255 and 64), so another IP stack sent it");
}

/* Seed 04: one name passes, another is reset on the way. */
static void
test_sni_blocked(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello good = modern_hello("good.example"), bad = modern_hello("blocked.example");
    conn_t c = routed_conn(cap, 1, 41001);

    syn(&c);                                                          /* 1-3 */
    const tlsdiag_handshake *hs = client_hello(&c, &good);            /* 4 */
    g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x001d));          /* 5 */
    g_assert_null(app_data(&c, CLIENT, 1));                           /* 6 */
    g_assert_true(app_data(&c, SERVER, 1) == hs);                     /* 7 */
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 7);

    conn_t d = routed_conn(cap, 2, 41002);
    syn(&d);                                                          /* 8-10 */
    hs = client_hello(&d, &bad);                                      /* 11 */
    g_assert_true(reset_as(&d, 64, 0, FALSE) == hs);                  /* 12 */
    assert_causes(hs, "sni_blocked ended_by_path reset_after_client_hello");
    assert_has(evidence(hs, 0), "The ClientHello in frame 11 asks for 'blocked.example'; a device on the path "
                                "ended the connection in frame 12, while a handshake for 'good.example' with the "
                                "same server (ClientHello in frame 4) succeeded");
}

/* A transparent proxy answers the whole connection: every "server" packet
 * comes from another distance than the same address on another port. */
static void
test_transparent_proxy(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    conn_t c = routed_conn(cap, 1, 41001);
    c.sport = 8443;

    syn(&c);                                                          /* 1-3 */
    client_hello(&c, &ch);                                            /* 4 */
    g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x001d));          /* 5 */
    g_assert_null(app_data(&c, CLIENT, 1));
    g_assert_nonnull(app_data(&c, SERVER, 1));                        /* 7 */

    conn_t d = routed_conn(cap, 2, 41002);
    d.ttl[SERVER] = 64;
    syn(&d);                                                          /* 8-10: SYN-ACK 9 */
    const tlsdiag_handshake *hs = client_hello(&d, &ch);              /* 11 */
    g_assert_true(fin(&d, SERVER) == hs);                             /* 12 */
    assert_causes(hs, "ended_by_path closed_after_client_hello");
    assert_has(reasons(hs), "Every server packet of this connection, from frame 9, came from 0 hops away (TTL 64), "
                            "while the same address answered on another connection from 1 (TTL 63, frame 2)");
    assert_has(reasons(hs), "else the same server was reached over another route");
}

/* The same hop difference, but the server's TCP timestamps continue one
 * clock from the first connection to the second: one TCP stack, reached
 * over a route one hop longer (ECMP, a route change), sent the alert. */
static void
test_route_change_same_clock(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    conn_t c = routed_conn(cap, 1, 41001);

    syn(&c);                                                          /* 1-3 */
    client_hello(&c, &ch);                                            /* 4 */
    g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x001d));          /* 5 */
    g_assert_null(app_data(&c, CLIENT, 1));
    g_assert_nonnull(app_data(&c, SERVER, 1));                        /* 7 */

    wait_ms(cap, 57);
    conn_t d = routed_conn(cap, 2, 41002);
    d.ttl[SERVER] = 62;
    d.ts_offset[SERVER] = c.ts_offset[SERVER];
    syn(&d);                                                          /* 8-10 */
    const tlsdiag_handshake *hs = client_hello(&d, &ch);              /* 11 */
    wait_ms(cap, 27);
    g_assert_true(alert(&d, SERVER, 2, 70) == hs);                    /* 12 */
    assert_causes(hs, "protocol_version_mismatch");
    g_assert_cmpuint(hs->verdict->sender, ==, TLSDIAG_SENDER_SERVER);
    assert_has(reasons(hs), "the same address answered on another connection from 1 hop (TTL 63, frame 2), but the "
                            "server's TCP timestamps run on one clock on both: the same server, over another route");
}

/* A reset sooner after the ClientHello than the server's SYN-ACK took. */
static void
test_too_fast(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    conn_t c = routed_conn(cap, 1, 41001);

    tlsdiag_packet s = pkt(&c, CLIENT, 0, 0);                         /* 1: SYN */
    s.seq = c.next[CLIENT] - 1;
    s.tcp_flags = TLSDIAG_TCP_SYN;
    g_assert_null(feed(&c, &s));
    wait_ms(cap, 20);
    s = pkt(&c, SERVER, 0, 0);                                        /* 2: SYN-ACK, 20 ms later */
    s.seq = c.next[SERVER] - 1;
    s.tcp_flags |= TLSDIAG_TCP_SYN;
    g_assert_null(feed(&c, &s));
    g_assert_null(raw(&c, CLIENT, 0, 0));                             /* 3 */
    const tlsdiag_handshake *hs = client_hello(&c, &ch);              /* 4 */
    wait_ms(cap, 1);
    g_assert_true(rst(&c, SERVER) == hs);                             /* 5 */
    g_assert_cmpuint(hs->verdict->sender, ==, TLSDIAG_SENDER_PATH);
    assert_has(reasons(hs), "came 1.00 ms after the ClientHello, sooner than the server can answer from where "
                            "this capture was taken (its SYN-ACK took 20.00 ms after the SYN)");
}

/* The ClientHello resent, never acknowledged: said before the client gives
 * up, and named when it does. */
static void
test_hello_lost(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("blocked.example");
    conn_t c = routed_conn(cap, 1, 41001);

    syn(&c);                                                          /* 1-3 */
    guint32 seq = c.next[CLIENT];
    const tlsdiag_handshake *hs = client_hello(&c, &ch);              /* 4 */
    wait_ms(cap, 200);
    tlsdiag_packet again = pkt_at(&c, CLIENT, F_TLS, ch.length + 9, seq);
    g_assert_null(feed(&c, &again));                                  /* 5: one loss is no news */
    wait_ms(cap, 400);
    again = pkt_at(&c, CLIENT, F_TLS, ch.length + 9, seq);
    g_assert_true(feed(&c, &again) == hs);                            /* 6 */
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_PENDING);
    g_assert_cmpuint(hs->outcome_frame, ==, 6);
    assert_causes(hs, "client_hello_lost");
    assert_has(evidence(hs, 0), "has sent the ClientHello (frame 4) 2 more times over 0.6 s (the last in frame 6) "
                                "and the server never acknowledged it");
    wait_ms(cap, 3000);
    g_assert_true(fin(&c, CLIENT) == hs);                             /* 7 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 7);
    assert_causes(hs, "client_hello_lost");
    assert_has(evidence(hs, 0), "sent the ClientHello (frame 4) 2 more times over 0.6 s and the server never "
                                "acknowledged it; the client gave up with a TCP FIN in frame 7");
}

/* Acknowledged but never answered: the server's own silence. */
static void
test_hello_acked_unanswered(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    conn_t c = routed_conn(cap, 1, 41001);

    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);              /* 4 */
    g_assert_null(raw(&c, SERVER, 0, 0));                             /* 5: its ACK */
    wait_ms(cap, 3000);
    g_assert_true(fin(&c, CLIENT) == hs);                             /* 6 */
    assert_causes(hs, "no_server_response");
    assert_has(evidence(hs, 0), "No data from the server came for 3.000 s after the ClientHello (frame 4), though its "
                                "TCP acknowledged the hello: it arrived (its application never answered, or, captured "
                                "on the client's side, its answer was lost on the way)");
    g_assert_cmpuint(hs->verdict->sender, ==, TLSDIAG_SENDER_CLIENT);
}

/* A server flight of one segment of payload len: ServerHello and the
 * encrypted rest (TLS 1.3), sent at seq. */
static tlsdiag_packet
flight_at(conn_t *c, guint32 len, guint32 seq)
{
    tlsdiag_packet p = pkt_at(c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO | TLSDIAG_PKT_CCS | TLSDIAG_PKT_APP_DATA,
                              len, seq);
    p.n_app_data = 4;
    p.sh_version = 0x0304;
    p.sh_suite = 0x1301;
    p.sh_group = 0x001d;
    return p;
}

/* Captured at the server: its flight leaves and leaves again, the client's
 * TCP acknowledges none of it and gives up: lost on the path (an MTU black
 * hole when the segments were full-size). */
static void
test_server_flight_unacked(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    static const guint32 sizes[] = { 1421, 300 };

    for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
        conn_t c = routed_conn(cap, 1 + i, (guint16)(42001 + i));
        const guint32 f0 = cap->frame;
        syn(&c);                                                          /* +1 .. +3 */
        const tlsdiag_handshake *hs = client_hello(&c, &ch);              /* +4 */
        const guint32 first = c.next[SERVER];
        tlsdiag_packet p = flight_at(&c, sizes[i], first);
        c.next[SERVER] = first + sizes[i];
        g_assert_null(feed(&c, &p));                                      /* +5 */
        for (guint k = 0; k < 3; k++) {                                   /* +6 .. +8: sent again */
            wait_ms(cap, 200 << k);
            p = flight_at(&c, sizes[i], first);
            g_assert_null(feed(&c, &p));
        }
        wait_ms(cap, 3000);
        p = pkt(&c, CLIENT, TLSDIAG_PKT_FIN, 0);                          /* +9: acknowledging none of it */
        p.ack = first;
        g_assert_true(feed(&c, &p) == hs);
        assert_hs(hs, TLSDIAG_OUTCOME_FAILED, f0 + 4, f0 + 9);
        assert_causes(hs, "server_flight_lost");
        char *want = g_strdup_printf("with %u bytes from frame %u, in segments of up to %u bytes, and sent them "
                                     "again 3 times; the client's TCP, which went on sending (its FIN in frame %u), "
                                     "never acknowledged any of them", sizes[i], f0 + 5, sizes[i], f0 + 9);
        assert_has(evidence(hs, 0), want);
        g_free(want);
        assert_has(evidence(hs, 0), i ? "Its segments were small: likely a filter"
                                      : "Smaller packets did reach it (the client answered the server's SYN-ACK): "
                                        "likely a path MTU black hole");
    }

    /* The ServerHello's own small segment came (gnutls-serv in TLS 1.3),
     * the rest of the flight did not. */
    conn_t c = routed_conn(cap, 3, 42003);
    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);
    tlsdiag_packet p = pkt(&c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO | TLSDIAG_PKT_CCS, 166);
    p.sh_version = 0x0304;
    p.sh_suite = 0x1301;
    p.sh_group = 0x001d;
    g_assert_null(feed(&c, &p));
    g_assert_null(raw(&c, CLIENT, 0, 0));                              /* its ACK of the 166 bytes */
    const guint32 rest = c.next[SERVER];
    p = pkt(&c, SERVER, F_TLS | TLSDIAG_PKT_APP_DATA, 1365);
    p.n_app_data = 4;
    g_assert_null(feed(&c, &p));
    for (guint k = 0; k < 2; k++) {
        wait_ms(cap, 200 << k);
        p = pkt_at(&c, SERVER, F_TLS | TLSDIAG_PKT_APP_DATA, 1365, rest);
        p.n_app_data = 4;
        g_assert_null(feed(&c, &p));
    }
    wait_ms(cap, 3000);
    p = pkt(&c, CLIENT, TLSDIAG_PKT_FIN, 0);
    p.ack = rest;
    g_assert_true(feed(&c, &p) == hs);
    assert_causes(hs, "server_flight_lost");
    assert_has(evidence(hs, 0), "with 1531 bytes from frame");
    assert_has(evidence(hs, 0), "and sent them again 2 times; the client's TCP, which went on sending (its FIN in "
                                "frame");
    assert_has(evidence(hs, 0), "acknowledged the first 166 and none after: the rest never reached the client");
}

/* The server's answer lost and sent again, and the client gone within a
 * second of its hello (ab drops its spare connections so on a lossy
 * path): abandoned, not a path that loses every copy. */
static void
test_server_flight_lost_once(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    conn_t c = routed_conn(cap, 1, 42101);
    syn(&c);                                                              /* 1 .. 3 */
    const tlsdiag_handshake *hs = client_hello(&c, &ch);                  /* 4 */
    const guint32 first = c.next[SERVER];
    tlsdiag_packet p = flight_at(&c, 1404, first);
    c.next[SERVER] = first + 1404;
    g_assert_null(feed(&c, &p));                                          /* 5 */
    wait_ms(cap, 200);
    p = flight_at(&c, 1404, first);
    g_assert_null(feed(&c, &p));                                          /* 6: sent again */
    wait_ms(cap, 2);
    p = pkt(&c, CLIENT, TLSDIAG_PKT_FIN, 0);                              /* 7 */
    p.ack = first;
    g_assert_true(feed(&c, &p) == hs);
    assert_hs(hs, TLSDIAG_OUTCOME_ABANDONED, 4, 7);
    assert_causes(hs, "");
    assert_has(summary(hs), "before the server's answer reached it: the server sent it from frame 5 and again, "
                            "and the client's TCP acknowledged none of it. Lost on the way");
}

/* TLS 1.2: the client's Finished not yet acknowledged when the client
 * closes within a second of its hello, whether or not its TCP sent it
 * again: the server could not answer (ab drops a spare connection whose
 * Finished was lost). Unanswered for longer, the close is a failure. */
static void
test_client_flight_unacked(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");
    static const guint resends[] = { 0, 1, 3 };
    for (guint i = 0; i < G_N_ELEMENTS(resends); i++) {
        conn_t c = routed_conn(cap, 1 + i, (guint16)(42201 + i));
        const guint32 f0 = cap->frame;
        syn(&c);                                                          /* +1 .. +3 */
        const tlsdiag_handshake *hs = client_hello(&c, &ch);              /* +4 */
        g_assert_null(server_hello(&c, 0x0303, 0xc02f, 0x001d));          /* +5 */
        const guint32 fin_at = c.next[CLIENT];
        g_assert_null(ccs_finished(&c, CLIENT));                          /* +6: never acknowledged */
        for (guint k = 0; k < resends[i]; k++) {
            wait_ms(cap, 200 << k);
            tlsdiag_packet p = pkt_at(&c, CLIENT, F_TLS | TLSDIAG_PKT_CCS | TLSDIAG_PKT_ENC_HANDSHAKE, 51, fin_at);
            g_assert_null(feed(&c, &p));                                  /* sent again */
        }
        wait_ms(cap, 30);
        g_assert_true(fin(&c, CLIENT) == hs);
        if (i < 2) {
            assert_hs(hs, TLSDIAG_OUTCOME_ABANDONED, f0 + 4, f0 + 7 + resends[i]);
            assert_has(summary(hs), "before the server acknowledged the client's last flight: still on the way or "
                                    "lost, the server could not have answered it");
        } else {
            assert_hs(hs, TLSDIAG_OUTCOME_FAILED, f0 + 4, f0 + 10);
            assert_causes(hs, "closed_mid_handshake");
        }
    }

    /* The ClientHello itself, no ACK of the server's since its SYN-ACK:
     * given up on within a second, abandoned; after two, no answer. */
    for (guint late = 0; late < 2; late++) {
        conn_t c = routed_conn(cap, 10 + late, (guint16)(42210 + late));
        syn(&c);
        const tlsdiag_handshake *hs = client_hello(&c, &ch);
        wait_ms(cap, late ? 2000 : 198);
        g_assert_true(fin(&c, CLIENT) == hs);
        g_assert_cmpuint(hs->outcome, ==, late ? TLSDIAG_OUTCOME_FAILED : TLSDIAG_OUTCOME_ABANDONED);
        if (late)
            assert_causes(hs, "no_server_response");
    }
}

/* Captured at the client: nothing of the server's answer came and the
 * client gave up; the server's next segment shows the bytes it had sent.
 * The verdict moves to that frame, the one counted before kept aside. A
 * next segment that shows nothing missing changes nothing. */
static void
test_server_flight_lost_seen_later(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("good.example");

    conn_t c = routed_conn(cap, 1, 43001);
    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);              /* 4 */
    g_assert_null(raw(&c, SERVER, 0, 0));                             /* 5: its ACK */
    wait_ms(cap, 6000);
    g_assert_true(fin(&c, CLIENT) == hs);                             /* 6 */
    assert_causes(hs, "no_server_response");
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 1), ==, TLSDIAG_WANT_ALL);
    tlsdiag_packet p = pkt_at(&c, SERVER, 0, 0, c.next[SERVER] + 1421);  /* 7: the ACK of the FIN */
    g_assert_true(feed(&c, &p) == hs);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 7);
    assert_causes(hs, "server_flight_lost");
    assert_has(evidence(hs, 0), "The server's segment in frame 7, after the client gave up, shows that the server had "
                                "sent 1421 bytes before it that never came (none of its answer came): neither this "
                                "capture nor the client's TCP");
    assert_has(summary(hs), "The server had sent 1421 bytes that never came (frame 7 shows them)");
    g_assert_nonnull(tlsdiag_core_superseded(cap->core, hs));
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 1), ==, TLSDIAG_WANT_NOTHING);

    conn_t d = routed_conn(cap, 2, 43002);
    syn(&d);
    hs = client_hello(&d, &ch);                                        /* 11 */
    wait_ms(cap, 6000);
    g_assert_true(fin(&d, CLIENT) == hs);                              /* 12 */
    g_assert_null(raw(&d, SERVER, 0, 0));                              /* 13: nothing missing */
    g_assert_null(fin(&d, SERVER));                                    /* 14 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 11, 12);
    assert_causes(hs, "no_server_response");
    g_assert_null(tlsdiag_core_superseded(cap->core, hs));
    g_assert_cmpint(tlsdiag_core_wants(cap->core, 2), ==, TLSDIAG_WANT_NOTHING);

    /* The gap in the capture before the client gave up: the server's
     * second segment came, its first did not, and the client's TCP never
     * acknowledged it. Final at once, not provisional. */
    conn_t e = routed_conn(cap, 3, 43003);
    syn(&e);
    hs = client_hello(&e, &ch);                                        /* 18 */
    const guint32 first = e.next[SERVER];
    tlsdiag_packet q = pkt_at(&e, SERVER, F_TLS | TLSDIAG_PKT_APP_DATA, 656, first + 1448);   /* 19 */
    e.next[SERVER] = first + 1448 + 656;
    g_assert_null(feed(&e, &q));
    wait_ms(cap, 5000);
    q = pkt(&e, CLIENT, TLSDIAG_PKT_FIN, 0);                           /* 20 */
    q.ack = first;
    g_assert_true(feed(&e, &q) == hs);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 18, 20);
    g_assert_false(hs->flags & TLSDIAG_HS_PROVISIONAL);
    assert_causes(hs, "server_flight_lost");
    assert_has(evidence(hs, 0), "The server's segment in frame 19, before the client gave up, shows that the server "
                                "had sent 1448 bytes before it that never came:");

    /* The same shown by a bare ACK of the server's (of the client's data),
     * whose sequence number stands beyond the bytes that never came. */
    conn_t g = routed_conn(cap, 4, 43004);
    syn(&g);
    hs = client_hello(&g, &ch);                                        /* 24 */
    const guint32 lost = g.next[SERVER];
    q = pkt_at(&g, SERVER, 0, 0, lost + 1365);                         /* 25 */
    g_assert_null(feed(&g, &q));
    wait_ms(cap, 5000);
    q = pkt(&g, CLIENT, TLSDIAG_PKT_FIN, 0);                           /* 26 */
    q.ack = lost;
    g_assert_true(feed(&g, &q) == hs);
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 24, 26);
    g_assert_false(hs->flags & TLSDIAG_HS_PROVISIONAL);
    assert_causes(hs, "server_flight_lost");
    assert_has(evidence(hs, 0), "The server's segment in frame 25, before the client gave up, shows that the server "
                                "had sent 1365 bytes before it that never came (none of its answer came):");
    g_assert_null(tlsdiag_core_superseded(cap->core, hs));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    TEST_CAPTURE("/sender/injected-reset", test_injected_reset);
    TEST_CAPTURE("/sender/server-reset", test_server_reset);
    TEST_CAPTURE("/sender/loopback-never-path", test_loopback_never_path);
    TEST_CAPTURE("/sender/other-ip-stack", test_other_ip_stack);
    TEST_CAPTURE("/sender/sni-blocked", test_sni_blocked);
    TEST_CAPTURE("/sender/transparent-proxy", test_transparent_proxy);
    TEST_CAPTURE("/sender/route-change-same-clock", test_route_change_same_clock);
    TEST_CAPTURE("/sender/too-fast", test_too_fast);
    TEST_CAPTURE("/silence/hello-lost", test_hello_lost);
    TEST_CAPTURE("/silence/hello-acked-unanswered", test_hello_acked_unanswered);
    TEST_CAPTURE("/silence/server-flight-unacked", test_server_flight_unacked);
    TEST_CAPTURE("/silence/server-flight-lost-seen-later", test_server_flight_lost_seen_later);
    TEST_CAPTURE("/silence/server-flight-lost-once", test_server_flight_lost_once);
    TEST_CAPTURE("/silence/client-flight-unacked", test_client_flight_unacked);
    return g_test_run();
}
