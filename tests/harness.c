/* harness.c — the unit tests' capture and packet builders (harness.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "harness.h"

#include <string.h>

void
cap_init(capture_t *cap)
{
    cap->core = tlsdiag_core_new(NULL, tlsdiag_judge);
    cap->frame = 0;
    cap->now_ns = T0_NS;
}

void
cap_setup(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    cap_init(cap);
}

void
cap_teardown(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_core_free(cap->core);
}

void
wait_ms(capture_t *cap, double ms)
{
    cap->now_ns += (gint64)(ms * 1e6);
}

tlsdiag_addr
v4(guint8 last)
{
    tlsdiag_addr a = { .family = 4, .bytes = { 10, 0, 0, last } };
    return a;
}

/* Client 10.0.0.1:cport, server 10.0.0.2:443, TCP handshake captured. */
conn_t
conn_new(capture_t *cap, guint32 conv, guint16 cport)
{
    conn_t c = { .cap = cap, .conv = conv, .cli = v4(1), .srv = v4(2), .cport = cport, .sport = 443,
                 .syn_seen = TLSDIAG_PKT_SYN_SEEN,
                 .ts_offset = { conv * 0x9e3779b9u, conv * 0x85ebca6bu + 0x12345678u } };
    return c;
}

conn_t
tcp_conn_new(capture_t *cap, guint32 conv, guint16 cport)
{
    conn_t c = conn_new(cap, conv, cport);
    c.tcp = TRUE;
    c.next[CLIENT] = 1000 * conv + 0xfffff000u;   /* near the wrap, as sequence numbers may be */
    c.next[SERVER] = 7000 * conv;
    return c;
}

tlsdiag_packet
pkt_at(conn_t *c, gboolean from_server, guint32 flags, guint32 payload_len, guint32 seq)
{
    guint32 next = c->next[from_server];
    tlsdiag_packet p = pkt(c, from_server, flags, payload_len);
    c->next[from_server] = next;
    p.seq = seq;
    return p;
}

/* The one builder: a frame of this connection, in either direction. */
tlsdiag_packet
pkt(conn_t *c, gboolean from_server, guint32 flags, guint32 payload_len)
{
    tlsdiag_packet p;
    memset(&p, 0, sizeof p);
    if (c->tcp) {
        flags |= TLSDIAG_PKT_TCP;
        p.seq = c->next[from_server];
        p.ack = c->next[!from_server];
        p.tcp_flags = TLSDIAG_TCP_ACK | ((flags & TLSDIAG_PKT_FIN) ? TLSDIAG_TCP_FIN : 0) |
                      ((flags & TLSDIAG_PKT_RST) ? TLSDIAG_TCP_RST : 0);
        c->next[from_server] += payload_len + ((flags & TLSDIAG_PKT_FIN) ? 1 : 0);
    }
    p.frame = ++c->cap->frame;
    p.ts_ns = c->cap->now_ns;
    p.conv = c->conv;
    p.src = from_server ? c->srv : c->cli;
    p.dst = from_server ? c->cli : c->srv;
    p.srcport = from_server ? c->sport : c->cport;
    p.dstport = from_server ? c->cport : c->sport;
    p.flags = flags | c->syn_seen | (c->ts[from_server] ? TLSDIAG_PKT_TCP_TS : 0);
    if (c->ts[from_server])
        p.tsval = c->ts_offset[from_server] + (guint32)((c->cap->now_ns - T0_NS) / 1000000);
    p.ttl = c->ttl[from_server];
    if (c->ip_id[from_server]) {
        p.ip_id = c->ip_id[from_server]++;
        p.flags |= TLSDIAG_PKT_IP_ID;
    }
    p.payload_len = payload_len;
    p.alert_desc = -1;
    p.peer_sent = -1;
    return p;
}

const tlsdiag_handshake *
feed(conn_t *c, const tlsdiag_packet *p)
{
    return tlsdiag_core_packet(c->cap->core, p);
}

const tlsdiag_handshake *
raw(conn_t *c, gboolean from_server, guint32 flags, guint32 payload_len)
{
    tlsdiag_packet p = pkt(c, from_server, flags, payload_len);
    return feed(c, &p);
}

/* SYN, SYN-ACK, ACK: nothing to show. */
void
syn(conn_t *c)
{
    tlsdiag_packet p = pkt(c, CLIENT, 0, 0);
    if (c->tcp) {
        p.seq = c->next[CLIENT] - 1;
        p.tcp_flags = TLSDIAG_TCP_SYN;
    }
    g_assert_null(feed(c, &p));
    p = pkt(c, SERVER, 0, 0);
    if (c->tcp) {
        p.seq = c->next[SERVER] - 1;
        p.tcp_flags |= TLSDIAG_TCP_SYN;
    }
    g_assert_null(feed(c, &p));
    g_assert_null(raw(c, CLIENT, 0, 0));
}

const tlsdiag_handshake *
client_hello(conn_t *c, const tlsdiag_client_hello *ch)
{
    tlsdiag_packet p = pkt(c, CLIENT, F_TLS | TLSDIAG_PKT_CLIENT_HELLO, ch->length + 9);
    p.hello = ch;
    return feed(c, &p);
}

/* A server's first flight: TLS <= 1.2 with Certificate and ServerHelloDone
 * (group = the ServerKeyExchange curve); TLS 1.3 with the compatibility CCS and
 * four encrypted records (EncryptedExtensions, Certificate, CertificateVerify,
 * Finished). */
const tlsdiag_handshake *
server_hello(conn_t *c, guint16 version, guint16 suite, guint16 group)
{
    gboolean tls13 = version == 0x0304;
    tlsdiag_packet p = pkt(c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO |
                           (tls13 ? TLSDIAG_PKT_CCS | TLSDIAG_PKT_APP_DATA
                                  : TLSDIAG_PKT_CERTIFICATE | TLSDIAG_PKT_SERVER_DONE),
                           tls13 ? 2600 : 2900);
    p.n_app_data = tls13 ? 4 : 0;
    p.sh_reneg_info = !tls13;    /* a current server acknowledges RFC 5746 */
    p.sh_version = version;
    p.sh_suite = suite;
    p.sh_group = group;
    return feed(c, &p);
}

const tlsdiag_handshake *
provisional_failure(conn_t *c, const tlsdiag_client_hello *ch, guint32 *late)
{
    syn(c);
    const tlsdiag_handshake *hs = client_hello(c, ch);                              /* 4 */
    g_assert_null(server_hello(c, 0x0303, 0xc02f, 0x001d));                         /* 5 */
    g_assert_null(raw(c, CLIENT, F_TLS | TLSDIAG_PKT_CCS | TLSDIAG_PKT_ENC_HANDSHAKE, 126)); /* 6 */
    *late = c->next[SERVER];
    c->next[SERVER] += 51;                                                          /* the client has seen them */
    g_assert_true(rst(c, CLIENT) == hs);                                            /* 7 */
    return hs;
}

const tlsdiag_handshake *
late_flight(conn_t *c, guint32 late)
{
    tlsdiag_packet p = pkt_at(c, SERVER, F_TLS | TLSDIAG_PKT_CCS | TLSDIAG_PKT_ENC_HANDSHAKE, 51, late);
    return feed(c, &p);
}

const tlsdiag_handshake *
hello_retry(conn_t *c, guint16 group)
{
    tlsdiag_packet p = pkt(c, SERVER, F_TLS | TLSDIAG_PKT_HELLO_RETRY | TLSDIAG_PKT_CCS, 94);
    p.sh_version = 0x0304;
    p.sh_suite = 0x1301;
    p.sh_group = group;
    return feed(c, &p);
}

/* level 0 and desc -1: an encrypted alert. */
const tlsdiag_handshake *
alert(conn_t *c, gboolean from_server, guint8 level, int desc)
{
    tlsdiag_packet p = pkt(c, from_server, F_TLS | TLSDIAG_PKT_ALERT, desc < 0 ? 31 : 7);
    p.alert_level = level;
    p.alert_desc = desc;
    return feed(c, &p);
}

const tlsdiag_handshake *
fin(conn_t *c, gboolean from_server)
{
    return raw(c, from_server, TLSDIAG_PKT_FIN, 0);
}

const tlsdiag_handshake *
rst(conn_t *c, gboolean from_server)
{
    return raw(c, from_server, TLSDIAG_PKT_RST, 0);
}

const tlsdiag_handshake *
app_data(conn_t *c, gboolean from_server, guint n)
{
    tlsdiag_packet p = pkt(c, from_server, F_TLS | TLSDIAG_PKT_APP_DATA, 100 * n);
    p.n_app_data = n;
    return feed(c, &p);
}

/* ChangeCipherSpec and the encrypted Finished, in one frame. */
const tlsdiag_handshake *
ccs_finished(conn_t *c, gboolean from_server)
{
    return raw(c, from_server, F_TLS | TLSDIAG_PKT_CCS | TLSDIAG_PKT_ENC_HANDSHAKE, 51);
}

const tlsdiag_handshake *
not_tls(conn_t *c, gboolean from_server, const void *head, guint head_len, guint32 payload_len)
{
    tlsdiag_packet p = pkt(c, from_server, TLSDIAG_PKT_NOT_TLS, payload_len);
    p.head = head;
    p.head_len = head_len;
    return feed(c, &p);
}

/* ---- ClientHellos ------------------------------------------------------- */

/* A current browser: TLS 1.2-1.3, 10 suites, 3 groups, GREASE, ALPN. */
tlsdiag_client_hello
modern_hello(const char *sni)
{
    tlsdiag_client_hello ch;
    memset(&ch, 0, sizeof ch);
    ch.legacy_version = 0x0303;
    SET_LIST(ch.versions, ch.n_versions, 0x3a3a, 0x0304, 0x0303);
    SET_LIST(ch.suites, ch.n_suites, 0x2a2a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
             0xcca9, 0xcca8, 0xc013);
    SET_LIST(ch.groups, ch.n_groups, 0x4a4a, 0x001d, 0x0017, 0x0018);
    ch.sni = sni;
    ch.alpn[0] = "h2";
    ch.alpn[1] = "http/1.1";
    ch.n_alpn = 2;
    ch.length = 508;
    ch.reneg_info = TRUE;
    return ch;
}

/* An old client: no supported_versions, CBC suites only. */
tlsdiag_client_hello
legacy_hello(guint16 version, const char *sni)
{
    tlsdiag_client_hello ch = modern_hello(sni);
    ch.legacy_version = version;
    ch.n_versions = 0;
    SET_LIST(ch.suites, ch.n_suites, 0xc013, 0xc014, 0x0033, 0x002f, 0x0035, 0x000a, 0x00ff);
    ch.n_alpn = 0;
    ch.length = 180;
    return ch;
}

/* ---- assertions ----------------------------------------------------------- */

void
assert_hs(const tlsdiag_handshake *hs, tlsdiag_outcome outcome, guint32 hello_frame, guint32 outcome_frame)
{
    g_assert_nonnull(hs);
    g_assert_cmpuint(hs->outcome, ==, outcome);
    g_assert_cmpuint(hs->client_hello_frame, ==, hello_frame);
    g_assert_cmpuint(hs->outcome_frame, ==, outcome_frame);
}

/* "tok1 tok2", "" for a verdict without cause, "(no verdict)". */
char *
causes_of(const tlsdiag_handshake *hs)
{
    if (!hs || !hs->verdict)
        return g_strdup("(no verdict)");
    g_assert_cmpuint(hs->verdict->n_causes, <=, TLSDIAG_MAX_CAUSES);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < hs->verdict->n_causes; i++) {
        const tlsdiag_cause_info *ci = tlsdiag_cause_get(hs->verdict->causes[i]);
        g_assert_nonnull(ci);
        char *evidence = tlsdiag_verdict_evidence(hs->verdict, i);
        g_assert_true(*evidence);
        g_free(evidence);
        g_string_append_printf(s, "%s%s", i ? " " : "", ci->token);
    }
    /* Failures have a summary sentence; successes use the generic one. */
    g_assert_true(tlsdiag_verdict_summary(hs->verdict) || hs->outcome == TLSDIAG_OUTCOME_ESTABLISHED);
    return g_string_free(s, FALSE);
}

void
text_check(const char *file, int line, const char *func, const char *text, const char *needle, gboolean want)
{
    if ((text && strstr(text, needle)) != want) {
        char *msg = g_strdup_printf("expected \"%s\" %s \"%s\"", needle, want ? "in" : "NOT in",
                                    text ? text : "(null)");
        g_assertion_message(G_LOG_DOMAIN, file, line, func, msg);
        g_free(msg);
    }
}
const char *
evidence(const tlsdiag_handshake *hs, guint i)
{
    g_assert_nonnull(hs->verdict);
    g_assert_cmpuint(i, <, hs->verdict->n_causes);
    /* Kept until the test ends: an assertion may quote it. */
    static GPtrArray *written;
    if (!written)
        written = g_ptr_array_new();
    char *text = tlsdiag_verdict_evidence(hs->verdict, i);
    g_ptr_array_add(written, text);
    return text;
}

const char *
summary(const tlsdiag_handshake *hs)
{
    g_assert_nonnull(hs->verdict);
    return tlsdiag_verdict_summary(hs->verdict);
}


const char *
history_text(const tlsdiag_handshake *hs)
{
    static GString *story;
    if (!story)
        story = g_string_new(NULL);
    g_string_truncate(story, 0);
    tlsdiag_history(hs, story);
    return story->str;
}
