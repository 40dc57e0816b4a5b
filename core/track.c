/* core/track.c — follow each connection's handshake and decide its outcome.
 *
 * One tlsdiag_conn per transport conversation (O(1) hash lookup per frame), one
 * small tlsdiag_handshake per handshake, one tlsdiag_service per server. The
 * only allocations are per connection, per handshake and per failure.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/conn.h"
#include "core/convmap.h"
#include "core/frames.h"
#include "core/slab.h"
#include "core/tls.h"

#include <string.h>

/* Two bits per conversation id (tlsdiag_want): which of its later frames
 * can teach anything. Read on every frame: in the core, not behind a
 * GByteArray. */
typedef struct {
    guint8  *bits;
    guint32  len;      /* bytes */
} want_bits;

struct tlsdiag_core {
    tlsdiag_convmap conns;     /* conv id -> tlsdiag_conn* (owned), of the connections followed */
    want_bits     wants[4];    /* by a conv id's top two bits (TCP, DTLS, QUIC) */
    GHashTable   *services;    /* tlsdiag_service* -> itself (owned) */
    tlsdiag_slab  handshakes;  /* every tlsdiag_handshake */
    tlsdiag_slab  leaves;      /* their tlsdiag_leaf records */
    GStringChunk *strings;     /* SNI and ALPN text, interned */
    GStringChunk *stories;     /* every handshake's final story (core/history.c) */
    tlsdiag_retry *retry;      /* attempt chains per client and service */
    tlsdiag_judge_fn judge;    /* says why: the one hook to the judging layer */
    GHashTable   *superseded;  /* revised tlsdiag_handshake* -> its failure's verdict (owned) */
    GHashTable   *cas;         /* interned subject of a CA certificate sent in a chain -> its
                                  frame << 2 | TLSDIAG_ISSUER_SEEN_* (bounded: CA_MEMORY) */
    tlsdiag_convmap syns;      /* conv id -> tlsdiag_path* (owned) of a TCP connection not followed
                                  (yet): its SYN and SYN-ACK, until it is, or closes */
    tlsdiag_frames *shown;     /* frame -> the tlsdiag_handshake it shows */
    guint32       finished_at; /* the last frame of the first pass when open handshakes were told so */
};

/* CA certificates remembered across the capture: enough for the issuers of
 * a busy capture's servers, bounded against hostile input. */
#define CA_MEMORY 1024

static gboolean
is_grease(guint16 v)
{
    return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

static guint
service_hash(gconstpointer p)
{
    const tlsdiag_service *s = p;
    return (tlsdiag_addr_hash(2166136261u, &s->addr) ^ s->port) * 16777619u ^ s->tunnel;
}

static gboolean
service_equal(gconstpointer a, gconstpointer b)
{
    const tlsdiag_service *x = a, *y = b;
    return x->port == y->port && x->tunnel == y->tunnel && x->addr.family == y->addr.family &&
           memcmp(x->addr.bytes, y->addr.bytes, sizeof x->addr.bytes) == 0;
}

/* Handshake records are kept for the whole capture, in a slab; every
 * handshake has one, so it stays within 64 bytes. */
#define HS_PER_BLOCK 512
G_STATIC_ASSERT(sizeof(tlsdiag_handshake) <= 64);

static tlsdiag_handshake *
handshake_alloc(tlsdiag_core *core)
{
    return tlsdiag_slab_take(&core->handshakes);
}

/* A handshake's number, from 1 (the shown-frames index keeps numbers, not
 * pointers). */
static guint32
handshake_number(const tlsdiag_core *core, const tlsdiag_handshake *hs)
{
    return tlsdiag_slab_number(&core->handshakes, hs);
}

static const tlsdiag_handshake *
handshake_numbered(const tlsdiag_core *core, guint32 n)
{
    return tlsdiag_slab_at(&core->handshakes, n);
}

static void
handshakes_free(tlsdiag_core *core)
{
    const guint32 n = tlsdiag_slab_count(&core->handshakes);
    for (guint32 i = 1; i <= n; i++) {
        tlsdiag_handshake *hs = tlsdiag_slab_at(&core->handshakes, i);
        tlsdiag_verdict_free(hs->verdict);
        if (!(hs->flags & TLSDIAG_HS_STORY_FINAL))
            g_free(hs->story);
    }
    tlsdiag_slab_clear(&core->handshakes);
    tlsdiag_slab_clear(&core->leaves);
}

static void
conn_free(gpointer p)
{
    tlsdiag_conn *conn = p;
    g_free(conn->f.chain);
    g_free(conn->plain_answer);
    tlsdiag_history_reset(conn);
    g_free(conn);
}

/* Conversation ids are dense from 0 in each space (TCP's stream index,
 * Wireshark's conversation index, QUIC's connection number): what the core
 * still wants of a connection's frames costs two bits. */
tlsdiag_want
tlsdiag_core_wants(const tlsdiag_core *core, guint32 conv)
{
    const guint32 i = conv & 0x3fffffffu;
    return i / 4 < core->wants[conv >> 30].len ? (tlsdiag_want)(core->wants[conv >> 30].bits[i / 4] >> (i % 4 * 2) & 3)
                                               : TLSDIAG_WANT_ALL;
}

static void
set_want(tlsdiag_core *core, guint32 conv, tlsdiag_want want)
{
    want_bits *w = &core->wants[conv >> 30];
    const guint32 i = conv & 0x3fffffffu;
    if (i / 4 >= w->len) {
        if (want == TLSDIAG_WANT_ALL)
            return;
        const guint32 old = w->len;
        w->len = MAX(i / 4 + 1, 2 * old);
        w->bits = g_realloc(w->bits, w->len);
        memset(w->bits + old, 0, w->len - old);
    }
    w->bits[i / 4] = (guint8)((w->bits[i / 4] & ~(3u << (i % 4 * 2))) | (guint)want << (i % 4 * 2));
}

static void
retire(tlsdiag_core *core, guint32 conv)
{
    set_want(core, conv, TLSDIAG_WANT_NOTHING);
    conn_free(tlsdiag_convmap_take(&core->conns, conv));
}

tlsdiag_core *
tlsdiag_core_new(const tlsdiag_options *opt, tlsdiag_judge_fn judge)
{
    tlsdiag_options dflt;
    tlsdiag_core *core = g_new0(tlsdiag_core, 1);

    if (!opt) {
        tlsdiag_options_default(&dflt);
        opt = &dflt;
    }
    core->judge = judge;
    core->retry = tlsdiag_retry_new(opt, judge);
    core->services = g_hash_table_new_full(service_hash, service_equal, g_free, NULL);
    tlsdiag_slab_init(&core->handshakes, sizeof(tlsdiag_handshake), HS_PER_BLOCK);
    tlsdiag_slab_init(&core->leaves, sizeof(tlsdiag_leaf), HS_PER_BLOCK);
    core->strings = g_string_chunk_new(4096);
    core->stories = g_string_chunk_new(65536);
    core->superseded = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                             (GDestroyNotify)tlsdiag_verdict_free);
    core->cas = g_hash_table_new(g_direct_hash, g_direct_equal);
    core->shown = tlsdiag_frames_new();
    return core;
}

void
tlsdiag_core_free(tlsdiag_core *core)
{
    if (!core)
        return;
    tlsdiag_convmap_clear(&core->conns, conn_free);
    for (guint i = 0; i < G_N_ELEMENTS(core->wants); i++)
        g_free(core->wants[i].bits);
    g_hash_table_destroy(core->services);
    handshakes_free(core);
    g_string_chunk_free(core->strings);
    g_string_chunk_free(core->stories);
    tlsdiag_retry_free(core->retry);
    g_hash_table_destroy(core->superseded);
    g_hash_table_destroy(core->cas);
    tlsdiag_convmap_clear(&core->syns, g_free);
    tlsdiag_frames_free(core->shown);
    g_free(core);
}

static tlsdiag_service *
service_get(tlsdiag_core *core, const tlsdiag_addr *addr, guint16 port, guint32 tunnel)
{
    tlsdiag_service key;
    memset(&key, 0, sizeof key);
    key.addr = *addr;
    key.port = port;
    key.tunnel = tunnel;
    tlsdiag_service *s = g_hash_table_lookup(core->services, &key);
    if (!s) {
        s = g_memdup2(&key, sizeof key);
        g_hash_table_add(core->services, s);
    }
    return s;
}

/* FNV-1a over n bytes, text in any case alike. */
static guint32
fnv(guint32 hash, const guint8 *b, gsize n, gboolean text)
{
    for (gsize i = 0; i < n; i++)
        hash = (hash ^ (text ? g_ascii_tolower(b[i]) : b[i])) * 16777619u;
    return hash;
}

/* An HTTP proxy's CONNECT request in the head: its target ("host:port") is
 * the server behind the proxy, hashed (0: not a CONNECT). A name longer than
 * the head is told apart by its first bytes only. */
static guint32
connect_target(const tlsdiag_packet *pkt)
{
    static const char method[] = "CONNECT ";
    const guint8 *h = pkt->head;
    if (!h || pkt->head_len <= sizeof method - 1 || memcmp(h, method, sizeof method - 1) != 0)
        return 0;
    guint end = sizeof method - 1;
    while (end < pkt->head_len && h[end] > ' ' && h[end] < 0x7f)
        end++;
    const guint32 hash = fnv(2166136261u, h + sizeof method - 1, end - (sizeof method - 1), TRUE);
    return hash ? hash : 1;
}

/* A SOCKS proxy's CONNECT request, alone in its segment: its target is the
 * server behind the proxy, hashed from its address (or host name) and port
 * alike for every version (0: not one). SOCKS4: 04 01, the port, an IPv4
 * address, a user id and a NUL (4a: the address 0.0.0.x, then the host
 * name and a NUL). SOCKS5, after its greeting and the proxy's choice of
 * method: 05 01 00, an address type (1: IPv4, 3: a host name after its
 * length, 4: IPv6), the address and the port. A name longer than the head
 * is told apart by its first bytes only. */
static guint32
socks_target(const tlsdiag_packet *pkt)
{
    const guint8 *h = pkt->head, *addr, *port = NULL;
    const guint len = pkt->payload_len, have = pkt->head_len;
    guint addr_len;
    gboolean name;

    if (!h || have < 9)
        return 0;
    if (h[0] == 5 && h[1] == 1 && h[2] == 0) {
        addr_len = h[3] == 1 ? 4 : h[3] == 4 ? 16 : h[3] == 3 ? h[4] : 0;
        name = h[3] == 3;
        addr = h + 4 + name;
        if (!addr_len || len != 4u + name + addr_len + 2)
            return 0;
        if (len <= have)
            port = h + len - 2;
    } else if (h[0] == 4 && h[1] == 1 && len >= 9 && (len > have || h[len - 1] == 0)) {
        port = h + 2;
        name = !h[4] && !h[5] && !h[6] && h[7];
        addr = h + 4;
        addr_len = 4;
        if (name) {   /* after the user id's NUL */
            const guint8 *nul = memchr(h + 8, 0, have - 8);
            addr = nul ? nul + 1 : h + have;
            const guint8 *end = memchr(addr, 0, (gsize)(h + have - addr));
            addr_len = (guint)((end ? end : h + have) - addr);
        }
    } else {
        return 0;
    }
    addr_len = MIN(addr_len, (guint)(h + have - addr));
    guint32 hash = fnv(2166136261u, (const guint8 *)(name ? "N" : "A"), 1, FALSE);
    hash = fnv(hash, addr, addr_len, name);
    if (port)
        hash = fnv(hash, port, 2, FALSE);
    return hash ? hash : 1;
}

/* The status of an HTTP/1.x response at the head ("HTTP/1.1 200 OK"), 0: none. */
static guint
head_http_status(const tlsdiag_packet *pkt)
{
    const guint8 *h = pkt->head;
    if (!h || pkt->head_len < 12 || memcmp(h, "HTTP/1.", 7) != 0 || h[8] != ' ' || !g_ascii_isdigit(h[9]) ||
        !g_ascii_isdigit(h[10]) || !g_ascii_isdigit(h[11]))
        return 0;
    return (guint)(h[9] - '0') * 100 + (guint)(h[10] - '0') * 10 + (guint)(h[11] - '0');
}

/* A server this capture has seen speak TLS from a connection's first byte.
 * One that spoke it only after a plaintext exchange (STARTTLS) expects
 * plaintext first. */
static gboolean
service_speaks_tls(const tlsdiag_core *core, const tlsdiag_addr *addr, guint16 port)
{
    tlsdiag_service key;
    memset(&key, 0, sizeof key);
    key.addr = *addr;
    key.port = port;
    const tlsdiag_service *s = g_hash_table_lookup(core->services, &key);
    return s && s->tls_first;
}

/* Remember a value the server chose (bounded: the oldest is replaced). */
static void
service_remember(guint16 *vals, guint32 *frames, guint8 *n, guint16 v, guint32 frame)
{
    for (guint i = 0; i < *n; i++)
        if (vals[i] == v)
            return;
    guint slot = *n < TLSDIAG_SERVICE_MEMORY ? (*n)++ : frame % TLSDIAG_SERVICE_MEMORY;
    vals[slot] = v;
    frames[slot] = frame;
}

static gboolean
list_has(const guint16 *list, guint n, guint16 v)
{
    for (guint i = 0; i < n; i++)
        if (list[i] == v)
            return TRUE;
    return FALSE;
}

/* A bare TLS alert record (type 21, version 3.x, length 2): what a TLS server
 * sends to a plaintext client, which Wireshark then decodes as that protocol. */
static gboolean
head_is_alert(const tlsdiag_packet *pkt)
{
    const guint8 *h = pkt->head;
    return (pkt->flags & TLSDIAG_PKT_NOT_TLS) && h && pkt->head_len >= 7 && h[0] == 21 && h[1] == 3 && h[2] <= 4 && h[3] == 0 && h[4] == 2;
}

/* A TLS ClientHello record (type 22, version 3.x, message type 1) that
 * Wireshark did not decode: sent to a port it reads as another protocol
 * (whose dissector may hold it, waiting for more of its own PDU). */
static gboolean
head_is_hello(const tlsdiag_packet *pkt)
{
    const guint8 *h = pkt->head;
    return (pkt->flags & (TLSDIAG_PKT_NOT_TLS | TLSDIAG_PKT_HELD)) && h &&
           pkt->head_len >= 6 && h[0] == 22 && h[1] == 3 && h[2] <= 4 && h[5] == 1;
}

/* A TLS record's header (a type TLS has, version 3.x, a length a record
 * can have) at the start of a payload Wireshark did not decode as TLS, or
 * holds (on a connection it reads as another protocol). */
static gboolean
head_is_record(const tlsdiag_packet *pkt)
{
    const guint8 *h = pkt->head;
    return (pkt->flags & (TLSDIAG_PKT_NOT_TLS | TLSDIAG_PKT_HELD)) && h && pkt->head_len >= 5 && h[0] >= 20 && h[0] <= 24 &&
           h[1] == 3 && h[2] <= 4 && (h[3] << 8 | h[4]) > 0 && (h[3] << 8 | h[4]) <= 16384 + 2048;
}

/* A connection's TLS seen by its records' headers only: a segment that
 * is, after any ChangeCipherSpec, one encrypted record of a TLS 1.3
 * alert's size. As the client's first answer to the server's flight, that
 * is its alert (its Finished is longer; a TLS 1.2 client answers with a
 * handshake record). */
static gboolean
head_is_enc_alert(const tlsdiag_packet *pkt)
{
    const guint8 *h = pkt->head;
    guint at = 0;

    while (at + 5 <= pkt->head_len && h[at] == 20)
        at += 5 + (guint)(h[at + 3] << 8 | h[at + 4]);
    if (at + 5 > pkt->head_len || h[at] != 23)
        return FALSE;
    const guint len = (guint)(h[at + 3] << 8 | h[at + 4]);
    return tlsdiag_tls13_alert_len(len) && at + 5 + len == pkt->payload_len;
}

/* A ClientHello Wireshark did not decode, on a connection whose path so
 * far is p (NULL: unknown). A segment held without any dissector's layer
 * may also be TLS's own first segment sent again (its reassembly goes on):
 * one that repeats data the client sent before is no new hello. */
static gboolean
hidden_hello(const tlsdiag_packet *pkt, const tlsdiag_path *p)
{
    return head_is_hello(pkt) &&
           !((pkt->flags & TLSDIAG_PKT_HELD) && p && p->client_data && p->client_data_seq == pkt->seq);
}

/* How many leading bytes of the head are printable text (a request of a
 * text protocol: HTTP, SMTP, IMAP, POP3 commands). */
static guint
printable_len(const tlsdiag_packet *pkt)
{
    guint n = 0;
    while (pkt->head && n < pkt->head_len && pkt->head[n] >= 0x20 && pkt->head[n] < 0x7f)
        n++;
    return n;
}

static gboolean
head_is_text(const tlsdiag_packet *pkt)
{
    return (pkt->flags & TLSDIAG_PKT_NOT_TLS) && printable_len(pkt) >= 4 && g_ascii_isalpha(pkt->head[0]);
}

static gboolean
same_endpoint(const tlsdiag_addr *a, guint16 aport, const tlsdiag_addr *b, guint16 bport)
{
    return aport == bport && a->family == b->family && memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

static void
conn_set_client(tlsdiag_conn *conn, const tlsdiag_packet *pkt, gboolean src_is_client)
{
    conn->client = src_is_client ? pkt->src : pkt->dst;
    conn->client_port = src_is_client ? pkt->srcport : pkt->dstport;
    conn->server = src_is_client ? pkt->dst : pkt->src;
    conn->server_port = src_is_client ? pkt->dstport : pkt->srcport;
    conn->state |= CONN_CLIENT_KNOWN;
}

static tlsdiag_handshake *
handshake_new(tlsdiag_core *core, tlsdiag_conn *conn, guint32 hello_frame)
{
    tlsdiag_handshake *hs = handshake_alloc(core);
    hs->client_hello_frame = hello_frame;
    conn->f.hs = hs;
    return hs;
}

/* Offered versions: supported_versions when present, else up to the legacy one. */
static void
offer_versions(tlsdiag_facts *f, const tlsdiag_client_hello *ch)
{
    for (guint i = 0; i < ch->n_versions; i++) {
        guint16 v = tlsdiag_version_norm(ch->versions[i]);
        if (is_grease(ch->versions[i]))
            continue;
        if (!f->offered_min || v < f->offered_min)
            f->offered_min = v;
        if (v > f->offered_max)
            f->offered_max = v;
    }
    if (!f->offered_max)
        f->offered_max = tlsdiag_version_norm(ch->legacy_version);
}

/* Offered suites (the signalling values apart) and groups. An SSLv2-format
 * hello's SSL 2.0 cipher specs count as offered suites. */
static void
offer_suites(tlsdiag_facts *f, const tlsdiag_client_hello *ch)
{
    f->bits |= FACT_ALL_KNOWN | FACT_ALL_BROKEN;
    for (guint i = 0; i < ch->n_suites; i++) {
        guint16 s = ch->suites[i];
        if (is_grease(s))
            continue;
        if (s == TLSDIAG_SUITE_FALLBACK_SCSV) {
            f->bits |= FACT_FALLBACK_SCSV;
            continue;
        }
        if (s == TLSDIAG_SUITE_EMPTY_RENEGO_SCSV) {
            f->bits |= FACT_RENEGO_SCSV;
            continue;
        }
        if (f->n_suites < TLSDIAG_FACT_SUITES)
            f->suites[f->n_suites++] = s;
        f->n_suites_total++;
        /* Modern: AEAD with forward secrecy, as a current server would accept. */
        const guint flags = tlsdiag_suite_flags(s);
        if ((flags & (TLSDIAG_SUITE_AEAD | TLSDIAG_SUITE_PFS)) == (TLSDIAG_SUITE_AEAD | TLSDIAG_SUITE_PFS))
            f->bits |= FACT_ANY_MODERN;
        if (!(flags & TLSDIAG_SUITE_KNOWN))
            f->bits &= ~FACT_ALL_KNOWN;
        if (!(flags & TLSDIAG_SUITE_BROKEN))
            f->bits &= ~FACT_ALL_BROKEN;
        if (tlsdiag_suite_is_tls13(s))
            f->bits |= FACT_TLS13_SUITES | (s == TLSDIAG_SUITE_TLS13_MANDATORY ? FACT_TLS13_MANDATORY : 0);
    }
    if (!f->n_suites_total)
        f->bits &= ~FACT_ALL_BROKEN;
    f->n_ssl2_specs = (guint8)MIN(ch->n_ssl2_specs, G_MAXUINT8);
    f->n_suites_total = (guint16)(f->n_suites_total + f->n_ssl2_specs);
    for (guint i = 0; i < ch->n_groups && f->n_groups < TLSDIAG_FACT_GROUPS; i++)
        if (!is_grease(ch->groups[i]))
            f->groups[f->n_groups++] = ch->groups[i];
}

/* What the ClientHello offers, as one number: its versions, suites and
 * groups in order, GREASE apart (a client draws those anew for every
 * hello), so that a client's hellos with the same offer have the same. */
static guint32
offer_hash(const tlsdiag_client_hello *ch)
{
    guint32 h = 2166136261u;
    for (guint i = 0; i < ch->n_versions; i++)
        if (!is_grease(ch->versions[i]))
            h = (h ^ ch->versions[i]) * 16777619u;
    h = (h ^ ch->legacy_version ^ (guint32)ch->n_ssl2_specs << 16) * 16777619u;
    for (guint i = 0; i < ch->n_suites; i++)
        if (!is_grease(ch->suites[i]))
            h = (h ^ ch->suites[i]) * 16777619u;
    for (guint i = 0; i < ch->n_groups; i++)
        if (!is_grease(ch->groups[i]))
            h = (h ^ (0x10000u | ch->groups[i])) * 16777619u;
    return h;
}

/* Evidence from this server's earlier handshakes, judged now: the whole
 * suite list is at hand only while the ClientHello is. */
static void
compare_with_service(tlsdiag_facts *f, const tlsdiag_client_hello *ch)
{
    const tlsdiag_service *svc = f->service;
    gboolean comparable = FALSE, any = FALSE;

    for (guint i = 0; i < svc->n_suites && !any; i++) {
        /* A TLS 1.3 suite says nothing about a client that cannot speak 1.3. */
        if (tlsdiag_suite_is_tls13(svc->suites[i]) && f->offered_max < TLSDIAG_TLS13)
            continue;
        comparable = TRUE;
        any = list_has(ch->suites, ch->n_suites, svc->suites[i]);
    }
    if (comparable && !any)
        f->bits |= FACT_SUITE_UNSEEN;
    if (svc->n_groups && ch->n_groups) {
        any = FALSE;
        for (guint i = 0; i < svc->n_groups && !any; i++)
            any = list_has(ch->groups, ch->n_groups, svc->groups[i]);
        if (!any)
            f->bits |= FACT_GROUP_UNSEEN;
    }
}

static const char *
alpn_text(tlsdiag_core *core, const tlsdiag_client_hello *ch)
{
    /* Joined by hand, not with a printf per name: this runs on every ClientHello. */
    char text[512];
    gsize n = 0;

    if (!ch->n_alpn)
        return NULL;
    for (guint i = 0; i < ch->n_alpn; i++) {
        const gsize len = strlen(ch->alpn[i]);
        if (n + 2 + len >= sizeof text)
            break;
        if (i) {
            text[n++] = ',';
            text[n++] = ' ';
        }
        memcpy(text + n, ch->alpn[i], len);
        n += len;
    }
    text[n] = '\0';
    return g_string_chunk_insert_const(core->strings, text);
}

/* The capture kept only part of the frame: records in the rest went unread. */
static void
note_cut(tlsdiag_conn *conn, const tlsdiag_packet *pkt)
{
    tlsdiag_facts *f = &conn->f;

    if (!f->cut.frames)
        f->cut.first_frame = pkt->frame;
    f->cut.frames = (guint16)MIN(f->cut.frames + 1u, G_MAXUINT16);
    f->cut.bytes += pkt->cut_len;
    f->cut.captured = MAX(f->cut.captured, pkt->captured_len);
}

static void
record_hello(tlsdiag_core *core, tlsdiag_conn *conn, const tlsdiag_packet *pkt)
{
    const tlsdiag_client_hello *ch = pkt->hello;
    const tlsdiag_facts was = conn->f;
    const gboolean dtls = (pkt->flags & TLSDIAG_PKT_DTLS) != 0, cut = (pkt->flags & TLSDIAG_PKT_CUT_HELLO) != 0;
    gboolean open = (was.bits & FACT_HELLO_SEEN) && !(was.bits & FACT_SETTLED);

    /* A hello while the last one is unanswered is a retransmission: same
     * handshake, same clock (DTLS's are told apart before). After a
     * HelloRetryRequest, or DTLS's HelloVerifyRequest, it is the same
     * handshake too, but the new hello is the one the server judges; so is
     * a DTLS hello with the same random (its answer was not captured). A
     * DTLS hello with another random begins another handshake. */
    gboolean again = open && ((was.bits & (FACT_HRR | FACT_HELLO_VERIFY)) ||
                              (dtls && ch->random_tail == was.hello_random));
    if (open && !again && !dtls)
        return;
    tlsdiag_handshake *hs = again ? was.hs : handshake_new(core, conn, pkt->frame);
    if (!again)
        tlsdiag_history_reset(conn);
    conn->tls_carrier = pkt->carrier;
    g_free(was.chain);
    conn->f = (tlsdiag_facts){
        .hs = hs,
        .service = service_get(core, &conn->server, conn->server_port, conn->path.tunnel),
        .server_port = conn->server_port,
        .bits = FACT_HELLO_SEEN | (again ? was.bits & (FACT_HRR | FACT_HELLO_VERIFY) : 0) | (dtls ? FACT_DTLS : 0) |
                (ch->reneg_info ? FACT_RENEGO_INFO : 0) | (ch->resumption ? FACT_RESUME_OFFERED : 0) |
                (ch->sslv2 ? FACT_SSLV2_HELLO : 0) | ((pkt->flags & TLSDIAG_PKT_SYN_SEEN) ? FACT_SYN_SEEN : 0) |
                (ch->ech ? FACT_ECH_OFFERED : 0) | (ch->pha ? FACT_PHA_OFFERED : 0) | (cut ? FACT_HELLO_CUT : 0),
        .hello_ts_ns = pkt->ts_ns,
        .hello_len = (guint16)MIN(ch->length, G_MAXUINT16),
        .hello_segments = (guint8)MIN(ch->segments, G_MAXUINT8),
        .sni = ch->sni ? g_string_chunk_insert_const(core->strings, ch->sni) : NULL,
        .alpn = alpn_text(core, ch),
        .hrr_frame = again ? was.hrr_frame : 0,
        .hrr_group = again ? was.hrr_group : 0,
        .hello_msg_seq = ch->msg_seq,
        .hello_random = ch->random_tail,
        /* (What the capture cut of the same handshake stays counted.) */
        .cut = again ? was.cut : (tlsdiag_cut){ 0 },
        .stale_frame = dtls && !again && (was.bits & FACT_SETTLED) && !(was.bits & FACT_DTLS_ENDED) && was.hs &&
                               was.hs->outcome == TLSDIAG_OUTCOME_ESTABLISHED
                           ? was.hs->outcome_frame
                           : 0,
    };
    if (pkt->irtt_us)
        conn->irtt_us = pkt->irtt_us;
    if (pkt->flags & TLSDIAG_PKT_TCP) {
        conn->f.bits |= FACT_HELLO_SEQ;
        conn->f.hello_end_seq = conn->tcp_client.next;
    }
    /* (A DTLS hello the capture cut offers nothing known.) */
    if (cut) {
        note_cut(conn, pkt);
    } else {
        offer_versions(&conn->f, ch);
        offer_suites(&conn->f, ch);
        conn->f.offer = offer_hash(ch);
        compare_with_service(&conn->f, ch);
    }

    hs->offered_max = conn->f.offered_max;
    if (dtls)
        hs->flags |= TLSDIAG_HS_DTLS;
    if (conn->f.bits & FACT_FALLBACK_SCSV)
        hs->flags |= TLSDIAG_HS_FALLBACK_SCSV;
    if (!again)
        tlsdiag_retry_hello(core->retry, conn, hs);
}

/* A handshake message that cannot be read: encrypted, or in a record the
 * capture cut (after a ChangeCipherSpec, a Finished all the same). */
static gboolean
unread_handshake(const tlsdiag_packet *pkt)
{
    return (pkt->flags & TLSDIAG_PKT_ENC_HANDSHAKE) || pkt->cut_handshake;
}

/* A ClientHello whose offer is not known: Wireshark did not decode it (the
 * port is another protocol's), or the capture cut it (its snap length). */
static void
record_unread_hello(tlsdiag_core *core, tlsdiag_conn *conn, const tlsdiag_packet *pkt)
{
    const gboolean cut = (pkt->flags & TLSDIAG_PKT_CUT_HELLO) != 0;
    tlsdiag_handshake *hs = handshake_new(core, conn, pkt->frame);
    if (!cut)
        hs->flags |= TLSDIAG_HS_HIDDEN;
    conn->f = (tlsdiag_facts){
        .hs = hs,
        .service = service_get(core, &conn->server, conn->server_port, conn->path.tunnel),
        .server_port = conn->server_port,
        .bits = FACT_HELLO_SEEN | (cut ? FACT_HELLO_CUT : FACT_HIDDEN_HELLO) |
                ((pkt->flags & TLSDIAG_PKT_SYN_SEEN) ? FACT_SYN_SEEN : 0),
        .hello_ts_ns = pkt->ts_ns,
        .decoded_as = pkt->decoded_as,
    };
    /* (The hello's own cut says nothing of how far either side got: no side marked.) */
    if (cut)
        note_cut(conn, pkt);
    tlsdiag_retry_hello(core->retry, conn, hs);
    /* In the story it is the ClientHello it is. */
    tlsdiag_packet told = *pkt;
    told.flags &= ~TLSDIAG_PKT_NOT_TLS;
    told.hs_types[0] = 1;
    told.n_hs_types = 1;
    tlsdiag_history_record(conn, TRUE, &told);
}

static void
record_server_hello(tlsdiag_conn *conn, const tlsdiag_packet *pkt)
{
    tlsdiag_service *svc = conn->f.service;

    conn->f.sh_version = tlsdiag_version_norm(pkt->sh_version);
    conn->f.sh_suite = pkt->sh_suite;
    conn->f.sh_frame = pkt->frame;
    if (pkt->sh_group)
        conn->f.sh_group = pkt->sh_group;
    conn->f.bits |= FACT_SERVER_HELLO;
    if (pkt->sh_reneg_info)
        conn->f.bits |= FACT_SH_RENEGO_INFO;
    if (pkt->sh_psk)
        conn->f.bits |= FACT_SH_PSK;
    if (conn->f.hs) {
        conn->f.hs->version = pkt->sh_version;
        conn->f.hs->suite = pkt->sh_suite;
        conn->f.hs->flags |= TLSDIAG_HS_SERVER_HELLO;
    }
    if (!svc)
        return;
    /* Its SYN seen and no client data before the hello: TLS from the start. */
    if (conn->path.syn_port && !conn->path.client_data)
        svc->tls_first = TRUE;
    service_remember(svc->suites, svc->suite_frames, &svc->n_suites, pkt->sh_suite, pkt->frame);
    if (pkt->sh_group)
        service_remember(svc->groups, svc->group_frames, &svc->n_groups, pkt->sh_group, pkt->frame);
    if (!svc->min_version || conn->f.sh_version < svc->min_version) {
        svc->min_version = conn->f.sh_version;
        svc->min_version_frame = pkt->frame;
    }
    if (conn->f.sh_version > svc->max_version)
        svc->max_version = conn->f.sh_version;
}

/* The verdict may still change: the capture misses data one side sent (a
 * gap, or bytes the peer acknowledged), so the frames it lacks may have
 * finished the handshake. */
static gboolean
data_missing(const tlsdiag_conn *conn)
{
    return tlsdiag_tcp_missing(&conn->tcp_server, &conn->tcp_client) ||
           tlsdiag_tcp_missing(&conn->tcp_client, &conn->tcp_server);
}

/* The packet that ended a handshake, next to the earlier packets of the
 * side it claims to come from, and (a server's) to its address on other
 * connections. Nothing when the frame that settled it is not the end's
 * (an alert-sized record judged at the close after it). */
static void
end_path(const tlsdiag_core *core, const tlsdiag_conn *conn, const tlsdiag_packet *pkt, tlsdiag_end *end)
{
    gboolean from_client = same_endpoint(&pkt->src, pkt->srcport, &conn->client, conn->client_port);
    if (end->frame != pkt->frame || from_client == end->from_server)
        return;
    tlsdiag_path_compare(&conn->path, from_client ? &conn->path.client : &conn->path.server, pkt, &end->path);
    if (!end->from_server)
        return;
    tlsdiag_service key;
    memset(&key, 0, sizeof key);
    key.addr = conn->server;
    const tlsdiag_service *host = g_hash_table_lookup(core->services, &key);
    const tlsdiag_path_side *server = &conn->path.server;
    if (host && host->ttl && host->ttl_frame != server->first_frame) {
        end->path.bits |= PATHF_HOST;
        end->path.host_ttl = host->ttl;
        end->path.host_frame = host->ttl_frame;
        if (host->has_tsval && (server->bits & PATH_SIDE_TSVAL) && tlsdiag_same_clock(host->tsval, server->tsval))
            end->path.bits |= PATHF_HOST_CLOCK;
    }
}

/* An encrypted record taken for an alert ends the handshake only when the
 * connection closes: its packet is compared with its side's earlier ones
 * now, for the judge to tell who sent it then. */
static void
note_enc_alert(const tlsdiag_core *core, tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    tlsdiag_end at = { .frame = pkt->frame, .from_server = !from_client };
    end_path(core, conn, pkt, &at);
    conn->enc_alert_path = at.path;
    conn->f.enc_alert_frame = pkt->frame;
    conn->f.enc_alert_from_server = !from_client;
}

/* None of the server's packets is in the capture (not its SYN-ACK, nor
 * any segment, all of which acknowledge), though the client acknowledged
 * data of its. */
static gboolean
server_unseen(const tlsdiag_conn *conn)
{
    return !conn->path.server.first_frame && !(conn->tcp_server.bits & TCP_SIDE_ACKED) &&
           tlsdiag_tcp_missing(&conn->tcp_server, &conn->tcp_client) > 0;
}

/* An alert read in the clear that names a reason (close_notify names none). */
static gboolean
alert_names_reason(const tlsdiag_end *end)
{
    return end->kind == TLSDIAG_END_ALERT && end->alert_desc >= 0 && end->alert_desc != TLSDIAG_ALERT_CLOSE_NOTIFY;
}

/* The capture cut frames of the handshake (its snap length), and what the
 * part cut off held may have completed it: the side that ended it had
 * sent its Finished (or its own frames were cut too), and the other
 * side's cut bytes may hold that side's Finished. Then a close, or an
 * alert unreadable without keys, may follow a handshake that succeeded.
 * An alert read in the clear, an answer that is not TLS or an ICMP error
 * still say why it failed. */
static gboolean
cut_may_decide(const tlsdiag_conn *conn, const tlsdiag_end *end)
{
    const tlsdiag_facts *f = &conn->f;

    if (!end)
        return FALSE;
    const guint8 ender = end->from_server ? TLSDIAG_CUT_SERVER : TLSDIAG_CUT_CLIENT;
    /* (The client's TLS 1.3 Finished is an encrypted flight: tlsdiag_client_finished.) */
    const gboolean finished = end->from_server ? (f->bits & FACT_SERVER_FINISH) != 0 : tlsdiag_client_finished(f);
    if (!(f->cut.sides & (ender ^ (TLSDIAG_CUT_CLIENT | TLSDIAG_CUT_SERVER))) || !(finished || (f->cut.sides & ender)))
        return FALSE;
    return end->kind == TLSDIAG_END_RST || end->kind == TLSDIAG_END_FIN ||
           (end->kind == TLSDIAG_END_ALERT && !alert_names_reason(end));
}

static gboolean
established(const tlsdiag_conn *conn)
{
    return (conn->f.bits & FACT_SETTLED) && conn->f.hs && conn->f.hs->outcome == TLSDIAG_OUTCOME_ESTABLISHED;
}

/* A TLS <= 1.2 connection over TCP that finished its handshake: only a
 * renegotiation can follow. So too where the capture did not show the
 * version (its ServerHello cut or lost): TLS 1.3 sends no handshake record
 * once its handshake is done, so one that comes begins a renegotiation. */
static gboolean
established_tls12(const tlsdiag_conn *conn)
{
    if (!established(conn) || (conn->f.bits & FACT_DTLS))
        return FALSE;
    return conn->f.sh_version ? conn->f.sh_version < TLSDIAG_TLS13 : (conn->tcp_client.bits & TCP_SIDE_KNOWN) != 0;
}

/* A client gone this soon after its ClientHello, with bytes of either side
 * not yet acknowledged, did not wait for TCP to recover them. */
#define ABANDON_UNACKED_NS G_GINT64_CONSTANT(1000000000)

/* The client closed a failed handshake without an alert. Its TCP, alive
 * to the end, left server data unacknowledged that the server had sent
 * again: it never got it. Or the capture misses server bytes the client's
 * TCP never acknowledged either: lost before either saw them. Or it had
 * all the server's data the capture shows, before the server's flight was
 * whole: a later segment of the server's may show bytes that never came
 * (server_lost). */
static void
note_client_gave_up(tlsdiag_conn *conn)
{
    const tlsdiag_tcp_side *ts = &conn->tcp_server, *tc = &conn->tcp_client;
    if (!(tc->bits & TCP_SIDE_ACKED) || !(ts->bits & TCP_SIDE_KNOWN))
        return;
    if (ts->gap_lo != ts->gap_hi && (gint32)(tc->ack - ts->gap_lo) <= 0) {
        conn->f.bits |= FACT_SERVER_GAP_LOST;
    } else if (conn->f.server_bytes && conn->f.server_resent && (gint32)(tc->ack - ts->next) < 0) {
        conn->f.bits |= FACT_SERVER_UNACKED;
        conn->f.server_acked = (gint32)(tc->ack - conn->f.server_data_seq) > 0 ? tc->ack - conn->f.server_data_seq : 0;
    } else if ((conn->f.bits & FACT_SERVER_ACKED) && !(conn->f.bits & (FACT_SERVER_DONE | FACT_SERVER_FINISH))) {
        conn->f.bits |= FACT_GAVE_UP;
    }
}

static void
settle(tlsdiag_core *core, tlsdiag_conn *conn, const tlsdiag_packet *pkt, tlsdiag_outcome outcome,
       const tlsdiag_end *how)
{
    tlsdiag_handshake *hs = conn->f.hs;
    tlsdiag_end e, *end = NULL;
    /* What was said while it was open (a ClientHello resent, or that the
     * capture had no end of it: a live capture went on) is superseded. */
    tlsdiag_verdict_free(hs->verdict);
    hs->verdict = NULL;
    if (how) {
        e = *how;
        end = &e;
        end_path(core, conn, pkt, end);
    }
    conn->f.bits |= FACT_SETTLED;
    if (tlsdiag_tcp_all_acked(&conn->tcp_server, &conn->tcp_client))
        conn->f.bits |= FACT_SERVER_ACKED;
    if (outcome == TLSDIAG_OUTCOME_FAILED && end && !end->from_server && (pkt->flags & TLSDIAG_PKT_TCP) &&
        (end->kind == TLSDIAG_END_FIN || end->kind == TLSDIAG_END_RST))
        note_client_gave_up(conn);
    /* The server's answer lost on the way, and the client gone within a
     * second of its ClientHello, too soon for TCP to recover it (a benchmark
     * tool dropping a spare connection, a short timeout). A client on a
     * path that keeps losing it, an MTU black hole, waits its timeout. */
    if (outcome == TLSDIAG_OUTCOME_FAILED && (conn->f.bits & FACT_SERVER_UNACKED) &&
        pkt->ts_ns - conn->f.hello_ts_ns < ABANDON_UNACKED_NS)
        outcome = TLSDIAG_OUTCOME_ABANDONED;
    hs->outcome_frame = pkt->frame;
    /* Without the TCP handshake this may be a later handshake on an older
     * connection: never call it failed. */
    if (outcome == TLSDIAG_OUTCOME_FAILED && !(conn->f.bits & FACT_SYN_SEEN))
        outcome = TLSDIAG_OUTCOME_INCOMPLETE;
    /* A one-way capture (asymmetric routing; a tap, SPAN port or filter
     * that sees one direction) holds nothing of what the server did: only
     * the client's own readable alert still says why it ended. The
     * server's bytes will not come: no verdict waits for them. */
    const gboolean one_way = server_unseen(conn);
    if ((outcome == TLSDIAG_OUTCOME_FAILED || outcome == TLSDIAG_OUTCOME_ABANDONED) && one_way &&
        !(end && !end->from_server && alert_names_reason(end))) {
        conn->f.bits |= FACT_ONE_WAY;
        outcome = TLSDIAG_OUTCOME_INCOMPLETE;
    }
    if (outcome == TLSDIAG_OUTCOME_FAILED && !one_way && cut_may_decide(conn, end)) {
        conn->f.bits |= FACT_CUT_UNJUDGED;
        outcome = TLSDIAG_OUTCOME_INCOMPLETE;
    }
    hs->outcome = (guint8)outcome;
    if (outcome == TLSDIAG_OUTCOME_FAILED && end && end->kind != TLSDIAG_END_NOT_TLS && !one_way &&
        !(conn->f.bits & FACT_SERVER_GAP_LOST) && data_missing(conn)) {
        conn->f.bits |= FACT_PROVISIONAL;
        hs->flags |= TLSDIAG_HS_PROVISIONAL;
    }
    tlsdiag_report r = {
        .kind = TLSDIAG_REPORT_HANDSHAKE, .hs = hs, .facts = &conn->f, .outcome = outcome, .end = end,
        .server_missing = tlsdiag_tcp_missing(&conn->tcp_server, &conn->tcp_client),
        .client_missing = tlsdiag_tcp_missing(&conn->tcp_client, &conn->tcp_server),
    };
    tlsdiag_draft *said = core->judge(&r);
    if (said && (said->watch & (TLSDIAG_WATCH_UNUSED_CLOSE | TLSDIAG_WATCH_SILENT_CLOSE)) &&
        outcome == TLSDIAG_OUTCOME_ESTABLISHED && (pkt->flags & TLSDIAG_PKT_TCP))
        conn->state |= (guint8)(CONN_UNUSED_WATCHED |
                                ((said->watch & TLSDIAG_WATCH_UNUSED_CLOSE) ? 0 : CONN_UNUSED_SILENT));
    tlsdiag_verdict_replace(&hs->verdict, said);
    if (outcome == TLSDIAG_OUTCOME_ESTABLISHED && conn->f.sni && conn->f.service) {
        conn->f.service->ok_sni = conn->f.sni;
        conn->f.service->ok_sni_frame = hs->client_hello_frame;
    }
    tlsdiag_retry_settled(core->retry, conn, pkt->ts_ns);
    /* A provisional verdict keeps the story open for the frames that may revise it. */
    const gboolean final = !(conn->f.bits & FACT_PROVISIONAL);
    tlsdiag_history_keep(conn, hs, final, core->stories);
    if (established_tls12(conn) || (conn->state & CONN_UNUSED_WATCHED)) {
        /* Its refusal may still come (refused_once_done, unused_close):
         * the story and the chain stay until the connection closes, for
         * judging it. */
        conn->done_seq[0] = conn->tcp_client.next;
        conn->done_seq[1] = conn->tcp_server.next;
    } else if (final) {
        tlsdiag_history_reset(conn);
        /* The chain was only needed to judge this handshake. */
        g_free(conn->f.chain);
        conn->f.chain = NULL;
    }
}

/* Later frames of a provisional failure showed the handshake finished: it
 * is established after all. The failure's verdict is kept aside for whoever
 * counted it (tlsdiag_core_superseded). */
static const tlsdiag_handshake *
revise(tlsdiag_core *core, tlsdiag_conn *conn, const tlsdiag_packet *pkt)
{
    tlsdiag_handshake *hs = conn->f.hs;

    conn->f.bits &= ~FACT_PROVISIONAL;
    hs->flags = (guint16)((hs->flags & ~TLSDIAG_HS_PROVISIONAL) | TLSDIAG_HS_REVISED);
    if (hs->verdict)
        g_hash_table_insert(core->superseded, hs, hs->verdict);
    hs->verdict = NULL;
    tlsdiag_retry_revised(hs);
    settle(core, conn, pkt, TLSDIAG_OUTCOME_ESTABLISHED, NULL);
    return hs;
}

const tlsdiag_verdict *
tlsdiag_core_superseded(const tlsdiag_core *core, const tlsdiag_handshake *hs)
{
    return (hs->flags & (TLSDIAG_HS_REVISED | TLSDIAG_HS_RECAUSED)) ? g_hash_table_lookup(core->superseded, hs) : NULL;
}

static const char *
intern(GStringChunk *strings, const char *s)
{
    return s ? g_string_chunk_insert_const(strings, s) : NULL;
}

/* The server's certificates of a Certificate message, strings interned. */
static tlsdiag_chain *
chain_new(GStringChunk *strings, const tlsdiag_packet *pkt)
{
    tlsdiag_chain *chain = g_new0(tlsdiag_chain, 1);

    chain->frame = pkt->frame;
    chain->ts_s = pkt->ts_ns / 1000000000;
    chain->n_sent = pkt->n_certs;
    chain->n = MIN(pkt->n_certs, TLSDIAG_CHAIN_MAX);
    for (guint i = 0; i < chain->n; i++) {
        tlsdiag_cert *c = &chain->certs[i];
        *c = pkt->certs[i];
        c->subject = intern(strings, c->subject);
        c->issuer = intern(strings, c->issuer);
        c->cn = intern(strings, c->cn);
        c->n_dns = MIN(c->n_dns, TLSDIAG_CERT_MAX_NAMES);
        for (guint k = 0; k < c->n_dns; k++)
            c->dns[k] = intern(strings, c->dns[k]);
    }
    return chain;
}

/* What earlier chains showed of this leaf's issuer, then the CA
 * certificates of this chain (all but the leaf) for later ones. */
static void
remember_cas(tlsdiag_core *core, tlsdiag_facts *f)
{
    const tlsdiag_chain *ch = f->chain;
    guint packed = GPOINTER_TO_UINT(g_hash_table_lookup(core->cas, ch->certs[0].issuer));

    f->issuer_seen = (guint8)(packed & 3);
    f->issuer_seen_frame = packed >> 2;
    for (guint i = 1; i < ch->n && g_hash_table_size(core->cas) < CA_MEMORY; i++) {
        const tlsdiag_cert *c = &ch->certs[i];
        guint role = c->subject == c->issuer ? TLSDIAG_ISSUER_SEEN_ROOT : TLSDIAG_ISSUER_SEEN_INTERMEDIATE;
        if (c->subject && !g_hash_table_contains(core->cas, c->subject))
            g_hash_table_insert(core->cas, (gpointer)c->subject, GUINT_TO_POINTER(ch->frame << 2 | role));
    }
}

/* Certificate messages: the server's chain is kept until the handshake is
 * judged, its leaf for good; of the client's, whether it was empty and whose. */
static gboolean
record_certificates(tlsdiag_core *core, tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    if (!pkt->certs)
        return FALSE;
    if (from_client) {
        conn->f.client_cert_frame = pkt->frame;
        if (!pkt->n_certs) {
            conn->f.bits |= FACT_CLIENT_CERT_EMPTY;
        } else {
            conn->f.bits |= FACT_CLIENT_CERT_SENT;
            conn->f.client_cert_subject = pkt->certs[0].subject
                ? g_string_chunk_insert_const(core->strings, pkt->certs[0].subject) : NULL;
            conn->f.client_cert_issuer = pkt->certs[0].issuer
                ? g_string_chunk_insert_const(core->strings, pkt->certs[0].issuer) : NULL;
            conn->f.client_cert_eku = pkt->certs[0].eku;
        }
        return FALSE;
    }
    if (!pkt->n_certs || conn->f.chain || !conn->f.hs || conn->f.hs->leaf)
        return FALSE;
    conn->f.chain = chain_new(core->strings, pkt);
    remember_cas(core, &conn->f);
    tlsdiag_leaf *leaf = tlsdiag_slab_take(&core->leaves);
    leaf->frame = pkt->frame;
    leaf->subject = conn->f.chain->certs[0].subject;
    leaf->issuer = conn->f.chain->certs[0].issuer;
    leaf->has_not_after = conn->f.chain->certs[0].has_not_after;
    leaf->not_after = conn->f.chain->certs[0].not_after;
    conn->f.hs->leaf = tlsdiag_slab_number(&core->leaves, leaf);
    return TRUE;
}

/* An established TLS 1.3 connection over TCP that the key log decrypts,
 * whose client offered post-handshake authentication: the server may still
 * ask it for a certificate (Apache httpd does, for one path). */
static gboolean
late_auth_watched(const tlsdiag_conn *conn)
{
    const guint64 both = FACT_PHA_OFFERED | FACT_TLS13_READ;
    return established(conn) && !(conn->f.bits & FACT_DTLS) && conn->f.sh_version >= TLSDIAG_TLS13 &&
           (conn->f.bits & both) == both;
}

/* A HelloRequest read with keys (TLS <= 1.2: message type 0). */
static gboolean
hello_request(const tlsdiag_packet *pkt)
{
    for (guint i = 0; i < pkt->n_hs_types && i < G_N_ELEMENTS(pkt->hs_types); i++)
        if (pkt->hs_types[i] == 0)
            return !(pkt->flags & TLSDIAG_PKT_SSLV2);
    return FALSE;
}

/* The renegotiation's ClientHello, read with keys or in the clear. */
static void
reneg_hello(tlsdiag_conn *conn, const tlsdiag_packet *pkt)
{
    conn->reneg_flags |= RENEG_CLIENT_HELLO;
    if (pkt->flags & TLSDIAG_PKT_PLAIN_HELLO)
        conn->reneg_flags |= RENEG_PLAIN;
    if (!(pkt->flags & TLSDIAG_PKT_CLIENT_HELLO) || !pkt->hello)
        return;
    conn->reneg_flags |= RENEG_HELLO_SEEN;
    if (!pkt->hello->reneg_info)
        conn->reneg_flags |= RENEG_NO_INFO;
    if (list_has(pkt->hello->suites, pkt->hello->n_suites, TLSDIAG_SUITE_EMPTY_RENEGO_SCSV))
        conn->reneg_flags |= RENEG_SCSV;
}

/* Whether pkt begins a renegotiation (TLS <= 1.2: the server's
 * HelloRequest, the client's new ClientHello, or a handshake record that
 * cannot be read and is no Finished) or post-handshake authentication (TLS
 * 1.3: the server's CertificateRequest, read with keys). */
static gboolean
reneg_begins(const tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    const guint32 f = pkt->flags;
    if (conn->f.sh_version >= TLSDIAG_TLS13)
        return !from_client && (f & TLSDIAG_PKT_CERT_REQUEST);
    return (from_client && (f & TLSDIAG_PKT_CLIENT_HELLO) && pkt->hello) ||
           (unread_handshake(pkt) && !(f & TLSDIAG_PKT_CCS)) || (!from_client && hello_request(pkt));
}

/* How far a renegotiation (or post-handshake authentication) got: each
 * side's flight in turn, and what the key log shows of the certificate the
 * server asked for and the client sent. */
static void
reneg_progress(tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    const guint32 f = pkt->flags;
    const gboolean handshake = unread_handshake(pkt) || (f & TLSDIAG_PKT_CLIENT_HELLO) ||
                               (pkt->n_hs_types && !(f & TLSDIAG_PKT_SSLV2));
    guint16 *rf = &conn->reneg_flags;

    if (!from_client) {
        if ((*rf & RENEG_CLIENT_HELLO) && handshake)
            *rf |= RENEG_SERVER_FLIGHT;
        if ((f & TLSDIAG_PKT_CERT_REQUEST) && !(*rf & RENEG_CERT_REQUEST)) {
            *rf |= RENEG_CERT_REQUEST;
            conn->reneg_frames[0] = pkt->frame;
        }
        return;
    }
    if (!(*rf & RENEG_CLIENT_HELLO)) {
        if (handshake)
            reneg_hello(conn, pkt);
        return;
    }
    if (!(*rf & RENEG_SERVER_FLIGHT))
        return;
    if ((handshake || (f & TLSDIAG_PKT_CCS)) && !(*rf & RENEG_CLIENT_FLIGHT)) {
        *rf |= RENEG_CLIENT_FLIGHT;
        conn->reneg_frames[1] = pkt->frame;
        conn->reneg_flight_len = pkt->first_hs_len;
    }
    if ((f & TLSDIAG_PKT_CERTIFICATE) && !(*rf & RENEG_CLIENT_CERT)) {
        *rf |= RENEG_CLIENT_CERT | (pkt->n_certs ? 0 : RENEG_CERT_EMPTY);
        conn->reneg_frames[1] = pkt->frame;
    }
}

/* The server's word after the client's answer accepts it: TLS <= 1.2 its
 * ChangeCipherSpec; post-handshake authentication its data or tickets,
 * without a fatal alert. */
static gboolean
reneg_accepted(const tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    const guint32 f = pkt->flags;
    if (from_client)
        return FALSE;
    if (!(conn->reneg_flags & RENEG_PHA))
        return (f & TLSDIAG_PKT_CCS) != 0;
    /* (Its records are all application data by their outer type; a close_notify
     * after data accepts, an alert alone does not.) */
    return (conn->reneg_flags & RENEG_CLIENT_FLIGHT) && (f & TLSDIAG_PKT_APP_DATA) &&
           (!(f & TLSDIAG_PKT_ALERT) || (pkt->alert_level == 1 && pkt->n_app_data > 1));
}

/* After a handshake succeeded: a new handshake on the same connection (TLS
 * <= 1.2, a renegotiation), or the server asking for a client certificate
 * after it (TLS 1.3, post-handshake authentication; seen with keys only).
 * The server's acceptance ends it well, an alert or a close ends it
 * badly. One per connection is followed. */
static const tlsdiag_handshake *
watch_renegotiation(tlsdiag_core *core, tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    const guint32 f = pkt->flags;
    tlsdiag_handshake *hs = conn->reneg;

    if (conn->reneg_flags & RENEG_DONE)
        return NULL;
    if (!hs) {
        if (!reneg_begins(conn, from_client, pkt))
            return NULL;
        tlsdiag_handshake *first = conn->f.hs;
        hs = conn->reneg = handshake_alloc(core);
        hs->client_hello_frame = pkt->frame;
        hs->version = first->version;
        hs->suite = first->suite;
        hs->client = first->client;
        hs->service = first->service;
        conn->reneg_flags = from_client ? 0 : RENEG_BY_SERVER;
        conn->reneg_frames[0] = conn->reneg_frames[1] = 0;
        conn->reneg_flight_len = 0;
        if (conn->f.sh_version >= TLSDIAG_TLS13)
            /* The CertificateRequest is the server's whole flight. */
            conn->reneg_flags |= RENEG_PHA | RENEG_CLIENT_HELLO;
        else if (from_client)
            reneg_hello(conn, pkt);
        reneg_progress(conn, from_client, pkt);
        return hs;
    }
    if (!from_client && (f & TLSDIAG_PKT_CUT))
        conn->reneg_flags |= RENEG_CUT;
    reneg_progress(conn, from_client, pkt);
    if (reneg_accepted(conn, from_client, pkt)) {
        hs->outcome = TLSDIAG_OUTCOME_ESTABLISHED;
    } else if (f & (TLSDIAG_PKT_ALERT | TLSDIAG_PKT_RST | TLSDIAG_PKT_FIN)) {
        tlsdiag_end end = { .kind = (f & TLSDIAG_PKT_ALERT) ? TLSDIAG_END_ALERT : (f & TLSDIAG_PKT_RST) ? TLSDIAG_END_RST : TLSDIAG_END_FIN,
                            .from_server = !from_client, .alert_level = pkt->alert_level, .alert_desc = pkt->alert_desc,
                            .frame = pkt->frame, .ts_ns = pkt->ts_ns };
        end_path(core, conn, pkt, &end);
        tlsdiag_report r = { .kind = TLSDIAG_REPORT_RENEGOTIATION, .hs = hs, .facts = &conn->f, .end = &end,
                             .reneg = conn->reneg_flags, .other = conn->f.hs,
                             .cert_request_frame = conn->reneg_frames[0], .client_cert_frame = conn->reneg_frames[1],
                             .client_flight_len = conn->reneg_flight_len };
        /* Only an alert read in the clear says it was refused when the
         * server's answer may be in a part the capture cut off. */
        if ((conn->reneg_flags & RENEG_CUT) && !alert_names_reason(&end))
            r.outcome = TLSDIAG_OUTCOME_INCOMPLETE;
        else
            r.outcome = TLSDIAG_OUTCOME_FAILED;
        hs->outcome = (guint8)r.outcome;
        tlsdiag_verdict_replace(&hs->verdict, core->judge(&r));
    } else {
        return NULL;
    }
    hs->outcome_frame = pkt->frame;
    conn->reneg_flags |= RENEG_DONE;
    return hs;
}

/* The client's first TLS 1.3 flight carried a Certificate, empty or not:
 * until the server answers, it may still refuse the client. */
static gboolean
client_cert_flight(const tlsdiag_conn *conn)
{
    return tlsdiag_client_cert_empty(&conn->f) || tlsdiag_client_cert_sent(&conn->f);
}

/* TLS 1.3 with keys: the client's Certificate was read. The server's
 * answer to it is readable too: after the client's close (close_notify or
 * FIN), that answer decides, waited for. */
static gboolean
keyed_cert(const tlsdiag_conn *conn)
{
    return conn->f.sh_version >= TLSDIAG_TLS13 && (conn->f.bits & (FACT_CLIENT_CERT_EMPTY | FACT_CLIENT_CERT_SENT));
}

static gboolean
keyed_close_after_cert(const tlsdiag_conn *conn)
{
    return keyed_cert(conn) && (conn->f.bits & FACT_CLIENT_CLOSED);
}

/* After such a flight, the client went on (its data, or JSSE's next
 * message): the server's refusal may still come, even after the client's
 * close (a server that reads lazily, JSSE's). A client that closes without
 * going on was done (a check), and the server's alert-sized answer to its
 * close_notify is its own close_notify. */
static gboolean
refusal_pending(const tlsdiag_conn *conn)
{
    return client_cert_flight(conn) && (conn->f.client_flights >= 2 || keyed_close_after_cert(conn));
}

/* Established by the client's close after such a flight, the server having
 * sent neither ticket nor data: whether it took the certificate is not on
 * the wire (its close_notify and its refusal are of one size). */
static void
note_cert_unconfirmed(tlsdiag_conn *conn)
{
    if (client_cert_flight(conn))
        conn->f.bits |= FACT_CERT_UNCONFIRMED;
}

static gboolean
is_established(const tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    /* The server's encrypted data after the client's Finished (tickets,
     * answers): it accepted the client. This holds too when Wireshark could
     * not read the ServerHello (a segment lost or reordered before it), but
     * for a lone record of a TLS 1.3 alert's size (a refusal). */
    if (!from_client && pkt->n_app_data && ((conn->f.bits & FACT_CLIENT_FINISH) || conn->f.client_flights) &&
        !(pkt->alert_sized && !conn->f.sh_version))
        return TRUE;
    /* Both sides' ChangeCipherSpec and Finished end a TLS 1.2 (or older)
     * handshake, also when the capture lost its ServerHello: TLS 1.3 sends
     * no handshake record after a ChangeCipherSpec, and reads a Finished
     * only with keys, which need the ServerHello. */
    const guint64 both = FACT_CLIENT_FINISH | FACT_SERVER_FINISH;
    if (!(conn->f.bits & FACT_SERVER_HELLO))
        return (conn->f.bits & both) == both;
    if (conn->f.sh_version >= TLSDIAG_TLS13)
        /* The client's data after its Finished flight, unless that flight
         * carried a certificate the server has yet to accept. */
        return from_client && conn->f.client_flights >= 2 && !refusal_pending(conn);
    return (conn->f.bits & both) == both;
}

static const tlsdiag_handshake *track_packet(tlsdiag_core *core, tlsdiag_conn *conn, const tlsdiag_packet *pkt);

/* After the client gave up: a server segment beyond the server's data the
 * capture showed (its first byte was server_next), which the client had
 * not acknowledged either, shows bytes the server sent that never came. */
static const tlsdiag_handshake *
server_lost(tlsdiag_core *core, tlsdiag_conn *conn, guint32 server_next, const tlsdiag_packet *pkt)
{
    if (!(pkt->flags & TLSDIAG_PKT_TCP) || (pkt->tcp_flags & TLSDIAG_TCP_SYN) ||
        (gint32)(pkt->seq - server_next) <= 0 || (gint32)(conn->tcp_client.ack - server_next) > 0)
        return NULL;
    tlsdiag_handshake *hs = conn->f.hs;
    conn->f.bits |= FACT_LOST_SAID;
    tlsdiag_report r = { .kind = TLSDIAG_REPORT_LOST, .hs = hs, .facts = &conn->f, .frame = pkt->frame,
                         .server_missing = pkt->seq - server_next };
    tlsdiag_draft *v = core->judge(&r);
    /* This frame now holds the verdict; the one counted before is kept
     * aside for whoever counted it (tlsdiag_core_superseded). */
    if (hs->verdict)
        g_hash_table_insert(core->superseded, hs, hs->verdict);
    hs->verdict = NULL;
    tlsdiag_verdict_replace(&hs->verdict, v);
    hs->outcome_frame = pkt->frame;
    hs->flags |= TLSDIAG_HS_RECAUSED;
    return hs;
}

/* Nothing more to learn: the handshake is judged, and neither a renegotiation
 * (TLS <= 1.2, until the connection closes) nor one pending can follow, nor
 * can missing data still revise a provisional failure. */
static gboolean
retirable(const tlsdiag_conn *conn, guint32 flags)
{
    /* A plaintext conversation that never offered TLS ends with its close. */
    if ((conn->state & CONN_PLAINTEXT) && !(conn->f.bits & FACT_HELLO_SEEN))
        return (flags & (TLSDIAG_PKT_FIN | TLSDIAG_PKT_RST)) != 0;
    if (!(conn->f.bits & FACT_SETTLED) || !conn->f.hs || (conn->reneg && !(conn->reneg_flags & RENEG_DONE)))
        return FALSE;
    /* A client that gave up: the server's next segments may show what it had sent. */
    if ((conn->f.bits & (FACT_GAVE_UP | FACT_LOST_SAID)) == FACT_GAVE_UP && !(conn->state & CONN_SERVER_CLOSED))
        return FALSE;
    if (conn->f.bits & FACT_PROVISIONAL)
        return (flags & (TLSDIAG_PKT_FIN | TLSDIAG_PKT_RST)) && !data_missing(conn);
    /* DTLS: no renegotiation is followed (an encrypted handshake record
     * may be a retransmitted Finished), but the client may begin again from
     * the same port, after a failure or after an association it ended (a
     * NAT keeps its mapping, a device its port): a new ClientHello is a new
     * handshake, and a retransmission of the old one must be known as such. */
    if (conn->f.bits & FACT_DTLS)
        return FALSE;
    if (conn->f.hs->outcome != TLSDIAG_OUTCOME_ESTABLISHED ||
        (conn->f.sh_version >= TLSDIAG_TLS13 && !late_auth_watched(conn) && !(conn->state & CONN_UNUSED_WATCHED)))
        return TRUE;
    return (conn->reneg_flags & RENEG_DONE) || (flags & (TLSDIAG_PKT_FIN | TLSDIAG_PKT_RST));
}

const tlsdiag_handshake *
tlsdiag_core_packet(tlsdiag_core *core, const tlsdiag_packet *pkt)
{
    tlsdiag_conn *conn;
    const tlsdiag_handshake *hs;

    if (tlsdiag_core_wants(core, pkt->conv) == TLSDIAG_WANT_NOTHING)
        return NULL;
    conn = tlsdiag_convmap_get(&core->conns, pkt->conv);
    const gboolean watched = conn && (conn->state & CONN_UNUSED_WATCHED);
    hs = track_packet(core, conn, pkt);
    /* Only frames that settle something, or close, or end a watch, change
     * what is wanted. An established TCP connection waits for a
     * renegotiation, or its close, an established DTLS association for a
     * new one; one under way wants every frame again. */
    if ((conn = tlsdiag_convmap_get(&core->conns, pkt->conv)) &&
        (hs || (pkt->flags & (TLSDIAG_PKT_FIN | TLSDIAG_PKT_RST)) || (watched && !(conn->state & CONN_UNUSED_WATCHED)))) {
        if (retirable(conn, pkt->flags))
            retire(core, pkt->conv);
        else
            set_want(core, pkt->conv,
                     conn->reneg || (conn->state & CONN_UNUSED_WATCHED) ? TLSDIAG_WANT_ALL
                     : late_auth_watched(conn)          ? TLSDIAG_WANT_LATE_AUTH
                     : established_tls12(conn) || (established(conn) && (conn->f.bits & FACT_DTLS))
                         ? TLSDIAG_WANT_HANDSHAKE
                         : TLSDIAG_WANT_ALL);
    }
    if (hs)
        tlsdiag_frames_add(core->shown, pkt->frame, handshake_number(core, hs));
    return hs;
}

typedef struct {
    tlsdiag_core *core;
    guint32       frame;
    gint64        ns;
} finish_ctx;

/* A connection whose handshake the capture leaves open: its story so far,
 * and where the capture's view of it stops. A handshake with a verdict of
 * its own (its ClientHello sent again unanswered) keeps it. */
static void
finish_conn(gpointer value, gpointer data)
{
    tlsdiag_conn *conn = value;
    const finish_ctx *x = data;
    tlsdiag_handshake *hs = conn->f.hs;

    if (!hs || hs->outcome != TLSDIAG_OUTCOME_PENDING || (conn->f.bits & FACT_SETTLED) ||
        (hs->verdict && !(hs->flags & TLSDIAG_HS_UNFINISHED)))
        return;
    tlsdiag_history_keep(conn, hs, FALSE, x->core->stories);
    if (server_unseen(conn))
        conn->f.bits |= FACT_ONE_WAY;
    tlsdiag_report r = {
        .kind = TLSDIAG_REPORT_UNFINISHED, .hs = hs, .facts = &conn->f,
        .server_missing = tlsdiag_tcp_missing(&conn->tcp_server, &conn->tcp_client),
        .frame = conn->last_frame, .ts_ns = conn->last_ns, .capture_frame = x->frame, .capture_ns = x->ns,
        .unanswered = (guint8)((tlsdiag_tcp_unanswered(&conn->tcp_client, &conn->tcp_server) ? UNANSWERED_CLIENT : 0) |
                               (tlsdiag_tcp_unanswered(&conn->tcp_server, &conn->tcp_client) ? UNANSWERED_SERVER : 0)),
    };
    tlsdiag_verdict_replace(&hs->verdict, x->core->judge(&r));
    hs->flags |= TLSDIAG_HS_UNFINISHED;
}

void
tlsdiag_core_finish(tlsdiag_core *core, guint32 last_frame, gint64 last_ns)
{
    if (core->finished_at == last_frame)
        return;
    core->finished_at = last_frame;
    finish_ctx x = { core, last_frame, last_ns };
    tlsdiag_convmap_foreach(&core->conns, finish_conn, &x);
}

const tlsdiag_leaf *
tlsdiag_core_leaf(const tlsdiag_core *core, const tlsdiag_handshake *hs)
{
    return tlsdiag_slab_at(&core->leaves, hs->leaf);
}

const tlsdiag_handshake *
tlsdiag_core_shown(const tlsdiag_core *core, guint32 frame)
{
    return handshake_numbered(core, tlsdiag_frames_get(core->shown, frame));
}

/* What the server's frame says of the handshake's progress. */
static void
note_server(tlsdiag_conn *conn, const tlsdiag_packet *pkt)
{
    const guint32 f = pkt->flags;

    if (pkt->payload_len) {
        if (!conn->f.server_bytes) {
            conn->f.first_server_payload_frame = pkt->frame;
            conn->f.server_data_seq = pkt->seq;
        }
        conn->f.server_max_payload = (guint16)MAX(conn->f.server_max_payload, MIN(pkt->payload_len, G_MAXUINT16));
        conn->f.server_bytes += pkt->payload_len;
        conn->f.last_server_payload_frame = pkt->frame;
        conn->f.last_server_payload_ns = pkt->ts_ns;
    }
    if (f & TLSDIAG_PKT_HELLO_RETRY) {
        conn->f.bits |= FACT_HRR;
        conn->f.hrr_frame = pkt->frame;
        conn->f.hrr_group = pkt->sh_group;
    }
    if (f & TLSDIAG_PKT_HELLO_VERIFY)
        conn->f.bits |= FACT_HELLO_VERIFY;
    if (f & TLSDIAG_PKT_CERTIFICATE)
        conn->f.bits |= FACT_SERVER_CERT;
    if (f & TLSDIAG_PKT_SERVER_HELLO)
        record_server_hello(conn, pkt);
    else if (pkt->sh_group && conn->f.service) /* ServerKeyExchange curve */
        service_remember(conn->f.service->groups, conn->f.service->group_frames,
                         &conn->f.service->n_groups, pkt->sh_group, pkt->frame);
    if (f & TLSDIAG_PKT_CERT_REQUEST)
        conn->f.bits |= FACT_CERT_REQUEST;
    if (f & TLSDIAG_PKT_SERVER_DONE)
        conn->f.bits |= FACT_SERVER_DONE;
    /* CCS precedes the Finished it announces, also within one frame. Up
     * to TLS 1.2, in a full handshake (the server sent its Certificate or
     * ServerHelloDone), the server's answers the client's Finished: that
     * one came, though the capture lost it or cut it off. */
    if (f & TLSDIAG_PKT_CCS) {
        conn->f.bits |= FACT_SERVER_CCS;
        if ((conn->f.bits & (FACT_SERVER_CERT | FACT_SERVER_DONE)) && conn->f.sh_version < TLSDIAG_TLS13)
            conn->f.bits |= FACT_CLIENT_CCS | FACT_CLIENT_FINISH;
    }
    if ((unread_handshake(pkt) && (conn->f.bits & FACT_SERVER_CCS)) || (f & TLSDIAG_PKT_FINISHED))
        conn->f.bits |= FACT_SERVER_FINISH;
    if ((f & TLSDIAG_PKT_FINISHED) && conn->f.sh_version >= TLSDIAG_TLS13)
        conn->f.bits |= FACT_TLS13_READ;
    if ((f & TLSDIAG_PKT_TLS) && !(f & TLSDIAG_PKT_NOT_TLS))
        conn->f.bits |= FACT_SERVER_TLS;
}

/* One encrypted record of a TLS 1.3 alert's size, which Wireshark did not
 * read as an alert: told by the record's type where Wireshark knows TLS
 * 1.3, by its size alone where not. */
static gboolean
alert_like(const tlsdiag_packet *pkt)
{
    return pkt->alert_sized || (pkt->flags & TLSDIAG_PKT_ALERT_SHAPED);
}

/* A side's encrypted records, the ServerHello's version unread: whether
 * its last is of an alert's size (an encrypted alert, most likely). */
static void
note_sized_alert(tlsdiag_facts *c, gboolean from_client, const tlsdiag_packet *pkt)
{
    if (!pkt->n_app_data || c->sh_version)
        return;
    if (alert_like(pkt)) {
        c->sized_alert_frame = pkt->frame;
        c->sized_alert_from_server = !from_client;
    } else if (c->sized_alert_from_server == !from_client) {
        c->sized_alert_frame = 0;
    }
}

/* TLS 1.3: the client's alert-sized record once it finished, its
 * close_notify most likely. */
static void
client_closed(const tlsdiag_core *core, tlsdiag_conn *conn, const tlsdiag_packet *pkt)
{
    conn->f.bits |= FACT_CLIENT_CLOSED;
    /* (After the server's alert, the client's answer: the server's ends it.) */
    if (!(conn->f.bits & FACT_ENC_ALERT))
        note_enc_alert(core, conn, TRUE, pkt);
}

/* What the client's frame says of the handshake's progress. */
static void
note_client(const tlsdiag_core *core, tlsdiag_conn *conn, const tlsdiag_packet *pkt)
{
    const guint32 f = pkt->flags;

    if (f & TLSDIAG_PKT_CCS)
        conn->f.bits |= FACT_CLIENT_CCS;
    if ((unread_handshake(pkt) && (conn->f.bits & FACT_CLIENT_CCS)) || (f & TLSDIAG_PKT_FINISHED))
        conn->f.bits |= FACT_CLIENT_FINISH;
    /* Encrypted records after the server's first flight (seen, or only
     * acknowledged in a one-way capture): the client's Finished flight, then
     * its data (early data, before any answer, is neither). */
    const gboolean answered = (conn->f.bits & FACT_SERVER_HELLO) || conn->f.server_bytes || server_unseen(conn);
    /* The version unread (the ServerHello cut or lost), a first such record
     * of a TLS 1.3 alert's size is the client's encrypted alert: a TLS 1.3
     * client's Finished is larger (53 bytes at least), and TLS 1.2 sends no
     * application data before the client's Finished. */
    if (answered && alert_like(pkt) && !conn->f.sh_version && !conn->f.client_flights &&
        !(conn->f.bits & (FACT_CLIENT_FINISH | FACT_ENC_ALERT))) {
        conn->f.bits |= FACT_ENC_ALERT;
        note_enc_alert(core, conn, TRUE, pkt);
        return;
    }
    /* (A Finished read with keys is a flight, also with the close_notify
     * sent in its segment.) */
    if (answered && pkt->n_app_data &&
        (!(f & (TLSDIAG_PKT_ALERT_SHAPED | TLSDIAG_PKT_ALERT)) || (f & TLSDIAG_PKT_FINISHED)) &&
        conn->f.client_flights < G_MAXUINT16) {
        if (!conn->f.client_flights++)
            conn->f.client_flight_first_len = pkt->first_enc_len;
    }
    /* Its Finished (or data) and its close_notify in one segment: it closed.
     * The version unread, so does a lone record of that size after its
     * flight (TLS 1.2's close_notify is an alert record; such an
     * application-data record would be 3 bytes of ChaCha20 data). */
    if ((((f & TLSDIAG_PKT_ENDS_ALERT_SHAPED) && (!conn->f.sh_version || conn->f.sh_version >= TLSDIAG_TLS13)) ||
         (pkt->alert_sized && !conn->f.sh_version)) &&
        tlsdiag_client_finished(&conn->f))
        client_closed(core, conn, pkt);
}

/* A TLS 1.3 record of an alert's size that Wireshark could not read. After
 * the client's Finished, the client's is its close_notify; the server's is
 * its answering close_notify when the client closed first with no refusal
 * pending (refusal_pending). Any other is the alert that will end the handshake if a close follows:
 * TRUE when the handshake is established by it. */
static gboolean
note_alert_shaped(const tlsdiag_core *core, tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    if (conn->f.sh_version < TLSDIAG_TLS13 || !(conn->f.bits & FACT_SERVER_HELLO))
        return FALSE;
    if (tlsdiag_client_finished(&conn->f)) {
        if (from_client) {
            client_closed(core, conn, pkt);
            return FALSE;
        }
        if ((conn->f.bits & FACT_CLIENT_CLOSED) && !refusal_pending(conn)) {
            note_cert_unconfirmed(conn);
            return TRUE;
        }
    }
    conn->f.bits |= FACT_ENC_ALERT;
    note_enc_alert(core, conn, from_client, pkt);
    return FALSE;
}

/* The client gave up on the handshake of its own accord: it closed before
 * the server could have answered, or reset the connection in that time
 * without reading what the server had sent (a reset on close means data
 * was left unread) and without a word of its own. A scanner's probe, a
 * cancelled connection: nothing about the server. "Could have" is generous:
 * twice the TCP round trip, and at least 100 ms. So too a close within a
 * second of the ClientHello while the client's last flight had not
 * reached the server (FACT_CLIENT_UNACKED): on the way or lost, and the
 * client did not wait for TCP to recover it (a benchmark tool dropping a
 * spare connection). Not when the client acknowledged server bytes the
 * capture lacks: the server had answered. (A time, not a count of copies:
 * a capture that shows each packet twice must say the same.) */
#define ABANDON_MIN_NS G_GINT64_CONSTANT(100000000)
static gboolean
abandoned(tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    const tlsdiag_tcp_side *ts = &conn->tcp_server, *tc = &conn->tcp_client;
    gint64 wait = MAX(ABANDON_MIN_NS, (gint64)conn->irtt_us * 2000);
    gboolean unread = (pkt->flags & TLSDIAG_PKT_RST) && !conn->f.client_flights &&
                      !(conn->f.bits & (FACT_CLIENT_CCS | FACT_CLIENT_FINISH));
    if (!from_client)
        return FALSE;
    if ((!conn->f.server_bytes || unread) && pkt->ts_ns - conn->f.hello_ts_ns < wait)
        return TRUE;
    /* (Before the server's first ACK of data, its SYN-ACK acknowledged only the SYN.) */
    const gboolean unacked = (ts->bits & TCP_SIDE_ACKED) ? (gint32)(ts->ack - pkt->seq) < 0
                                                         : (conn->f.bits & FACT_SYN_SEEN) != 0;
    if ((pkt->flags & TLSDIAG_PKT_TCP) && unacked && pkt->ts_ns - conn->f.hello_ts_ns < ABANDON_UNACKED_NS &&
        !tlsdiag_tcp_missing(ts, tc)) {
        conn->f.bits |= FACT_CLIENT_UNACKED;
        return TRUE;
    }
    return FALSE;
}

/* Settle the open handshake when this frame ends it. */
static const tlsdiag_handshake *
decide(tlsdiag_core *core, tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    const guint32 f = pkt->flags;
    const gboolean closing = (f & (TLSDIAG_PKT_RST | TLSDIAG_PKT_FIN | TLSDIAG_PKT_QUIC_CLOSE)) != 0;

    /* An ICMP unreachable for the client's datagram before the server
     * spoke: nothing there took it. (One about a datagram of the server's
     * says the client is gone, and one after the server answered comes
     * from elsewhere: neither decides.) */
    if (f & TLSDIAG_PKT_UNREACHABLE) {
        if (from_client || conn->f.server_bytes)
            return NULL;
        tlsdiag_end end = { .kind = TLSDIAG_END_UNREACHABLE, .from_server = TRUE, .alert_desc = -1,
                            .frame = pkt->frame, .ts_ns = pkt->ts_ns, .icmp_type = pkt->icmp_type,
                            .icmp_code = pkt->icmp_code, .icmp_family = pkt->icmp_family,
                            .icmp_from_server = same_endpoint(&pkt->src, 0, &conn->server, 0) };
        settle(core, conn, pkt, TLSDIAG_OUTCOME_FAILED, &end);
        return conn->f.hs;
    }

    /* A connection Wireshark decodes as another protocol: its TLS records
     * show by their headers only. The server answering the hello in
     * records, the client going on in records, then the server again: both
     * sides went past their first flight (likely established, said so). An
     * alert record is left to what follows. */
    if ((conn->f.bits & FACT_HIDDEN_HELLO) && head_is_record(pkt) && pkt->head[0] != 21) {
        if (!from_client && conn->f.hidden_client_frame) {
            settle(core, conn, pkt, TLSDIAG_OUTCOME_ESTABLISHED, NULL);
            return conn->f.hs;
        }
        if (!from_client) {
            conn->f.bits |= FACT_SERVER_TLS;
            if (!conn->f.hidden_server_frame)
                conn->f.hidden_server_frame = pkt->frame;
        } else if (conn->f.hidden_server_frame && !conn->f.hidden_client_frame &&
                   !(conn->f.bits & FACT_ENC_ALERT)) {
            if (head_is_enc_alert(pkt)) {
                conn->f.bits |= FACT_ENC_ALERT;
                note_enc_alert(core, conn, TRUE, pkt);
            } else {
                conn->f.hidden_client_frame = pkt->frame;
            }
        }
        return NULL;
    }

    if ((f & TLSDIAG_PKT_ALERT_SHAPED) && !(f & TLSDIAG_PKT_ALERT) && note_alert_shaped(core, conn, from_client, pkt)) {
        settle(core, conn, pkt, TLSDIAG_OUTCOME_ESTABLISHED, NULL);
        return conn->f.hs;
    }
    if (f & TLSDIAG_PKT_ALERT) {
        /* close_notify once the client finished (read with keys) is a normal
         * end; the client's after its certificate waits for the server's word. */
        if (pkt->alert_desc == TLSDIAG_ALERT_CLOSE_NOTIFY && tlsdiag_client_finished(&conn->f) && !(conn->f.bits & FACT_ENC_ALERT)) {
            if (from_client && conn->f.sh_version >= TLSDIAG_TLS13)
                conn->f.bits |= FACT_CLIENT_CLOSED;
            if (from_client && keyed_close_after_cert(conn))
                return NULL;
            settle(core, conn, pkt, TLSDIAG_OUTCOME_ESTABLISHED, NULL);
            return conn->f.hs;
        }
        /* Fatal, unreadable, or close_notify before the end: the handshake is over. */
        if (pkt->alert_level == 2 || pkt->alert_level == 0 || pkt->alert_desc == TLSDIAG_ALERT_CLOSE_NOTIFY) {
            tlsdiag_end end = { .kind = TLSDIAG_END_ALERT, .from_server = !from_client, .alert_level = pkt->alert_level,
                                .alert_desc = pkt->alert_desc, .frame = pkt->frame, .ts_ns = pkt->ts_ns, .close_reason = pkt->close_reason };
            settle(core, conn, pkt, TLSDIAG_OUTCOME_FAILED, &end);
            return conn->f.hs;
        }
    }

    if (!(f & TLSDIAG_PKT_ALERT_SHAPED) && is_established(conn, from_client, pkt)) {
        settle(core, conn, pkt, TLSDIAG_OUTCOME_ESTABLISHED, NULL);
        return conn->f.hs;
    }

    /* (On a connection Wireshark reads as another protocol, the server's
     * first bytes held by that protocol's dissector, waiting for the rest of
     * a header that never comes, are plaintext too when they are no TLS
     * record: Python's http.server answers a ClientHello on port 80 with an
     * HTML page and no status line.) */
    const gboolean held_plain = (conn->f.bits & FACT_HIDDEN_HELLO) && (f & TLSDIAG_PKT_HELD) && pkt->head_len &&
                                !head_is_record(pkt) && conn->f.server_bytes == pkt->payload_len;
    if (!from_client && ((f & TLSDIAG_PKT_NOT_TLS) || held_plain) && !(conn->f.bits & FACT_SERVER_TLS)) {
        tlsdiag_end end = { .kind = TLSDIAG_END_NOT_TLS, .from_server = TRUE, .alert_desc = -1,
                            .frame = pkt->frame, .ts_ns = pkt->ts_ns, .head = pkt->head, .head_len = pkt->head_len };
        settle(core, conn, pkt, TLSDIAG_OUTCOME_FAILED, &end);
        return conn->f.hs;
    }
    if (!closing)
        return NULL;

    if (conn->f.bits & FACT_ENC_ALERT) {
        tlsdiag_end end = { .kind = TLSDIAG_END_ALERT, .from_server = conn->f.enc_alert_from_server, .alert_desc = -1,
                            .frame = conn->f.enc_alert_frame, .ts_ns = pkt->ts_ns, .path = conn->enc_alert_path };
        settle(core, conn, pkt, TLSDIAG_OUTCOME_FAILED, &end);
        return conn->f.hs;
    }
    /* A client that offered Encrypted Client Hello, finished, and closed at
     * once behind an alert-sized record: how it ends a rejected ECH (the
     * alert is ech_required; read with keys it is named as such). */
    if (from_client && (conn->f.bits & FACT_ECH_OFFERED) && (conn->f.bits & FACT_CLIENT_CLOSED) &&
        conn->f.client_flights == 1) {
        tlsdiag_end end = { .kind = TLSDIAG_END_ALERT, .from_server = FALSE, .alert_desc = -1,
                            .frame = conn->f.enc_alert_frame, .ts_ns = pkt->ts_ns, .path = conn->enc_alert_path };
        settle(core, conn, pkt, TLSDIAG_OUTCOME_FAILED, &end);
        return conn->f.hs;
    }
    /* TLS 1.3: the client closing after its Finished flight, with no alert
     * before it, was done (openssl s_time resets at once, health checks
     * close); the server closing then, without a word, refused it. With a
     * refusal pending, it may still come after the client's FIN (not its
     * reset). */
    if (from_client && conn->f.sh_version >= TLSDIAG_TLS13 && tlsdiag_client_finished(&conn->f)) {
        if (!(f & TLSDIAG_PKT_RST) && keyed_cert(conn)) {
            conn->f.bits |= FACT_CLIENT_CLOSED;
            return NULL;
        }
        if (!(f & TLSDIAG_PKT_RST) && refusal_pending(conn))
            return NULL;
        note_cert_unconfirmed(conn);
        settle(core, conn, pkt, TLSDIAG_OUTCOME_ESTABLISHED, NULL);
        return conn->f.hs;
    }
    /* The server's close answering the client's close_notify (a server that
     * sends no tickets and no close_notify of its own). With keys, after the
     * client's Certificate: a server that refuses it may also close without
     * a word once the client has gone (Erlang's), as one that took it. */
    if (!from_client && (conn->f.bits & FACT_CLIENT_CLOSED) && (!refusal_pending(conn) || keyed_close_after_cert(conn))) {
        note_cert_unconfirmed(conn);
        settle(core, conn, pkt, TLSDIAG_OUTCOME_ESTABLISHED, NULL);
        return conn->f.hs;
    }
    tlsdiag_end end = { .kind = (f & TLSDIAG_PKT_RST) ? TLSDIAG_END_RST : TLSDIAG_END_FIN, .from_server = !from_client,
                        .alert_desc = -1, .frame = pkt->frame, .ts_ns = pkt->ts_ns, .quic_close = (f & TLSDIAG_PKT_QUIC_CLOSE) != 0, .close_app = pkt->close_app,
                        .close_code = pkt->close_code, .close_reason = pkt->close_reason };
    settle(core, conn, pkt, abandoned(conn, from_client, pkt) ? TLSDIAG_OUTCOME_ABANDONED : TLSDIAG_OUTCOME_FAILED,
           &end);
    return conn->f.hs;
}

/* What came where the ClientHello was due (a plaintext request, the
 * client's alert) was this connection's handshake, and it failed. */
static const tlsdiag_handshake *
plain_failed(tlsdiag_core *core, tlsdiag_conn *conn, const tlsdiag_packet *pkt, const tlsdiag_end *end)
{
    handshake_new(core, conn, 0);
    conn->f.server_port = conn->server_port;
    settle(core, conn, pkt, TLSDIAG_OUTCOME_FAILED, end);
    g_free(conn->plain_answer);
    conn->plain_answer = NULL;
    return conn->f.hs;
}

/* Both sides speak another protocol on this connection (HTTP or h2c on 443,
 * a greeting protocol on 465, SSH behind a port multiplexer): no TLS
 * handshake failed. Only a ClientHello (an upgrade) or the close can follow. */
static void
plaintext_agreed(tlsdiag_core *core, tlsdiag_conn *conn, const tlsdiag_packet *pkt)
{
    conn->state |= CONN_PLAINTEXT;
    conn->f.bits &= ~FACT_PLAIN_REQUEST;
    g_free(conn->plain_answer);
    conn->plain_answer = NULL;
    set_want(core, pkt->conv, TLSDIAG_WANT_HANDSHAKE);
}

/* The server's answer to a plaintext request, and what follows it: an
 * error or a close fails the request; a success, or a client that goes on
 * after the answer, shows the plaintext is the service's own protocol. */
static const tlsdiag_handshake *
plain_answered(tlsdiag_core *core, tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    const guint32 f = pkt->flags;
    const gboolean closes = (f & (TLSDIAG_PKT_FIN | TLSDIAG_PKT_RST)) != 0;

    if (from_client) {
        if (conn->plain_answer && pkt->payload_len)
            plaintext_agreed(core, conn, pkt);
        else if (conn->plain_answer && closes)
            return plain_failed(core, conn, pkt, conn->plain_answer);
        return NULL;
    }
    /* (After a gap in the server's stream, the answer's start is not in the
     * capture: what it is, is unknown.) */
    if (pkt->head_len && !conn->plain_answer && !(conn->tcp_server.bits & TCP_SIDE_GAPPED)) {
        const guint status = head_http_status(pkt);
        if (status && status < 400) {
            plaintext_agreed(core, conn, pkt);
            return NULL;
        }
        tlsdiag_end end = { .kind = TLSDIAG_END_NOT_TLS, .from_server = TRUE, .alert_desc = -1, .frame = pkt->frame,
                            .ts_ns = pkt->ts_ns, .head = pkt->head, .head_len = pkt->head_len };
        if (status || closes)
            return plain_failed(core, conn, pkt, &end);
        /* Kept as the tracker would judge it now: its packet compared with
         * the server's earlier ones, its first bytes. */
        end_path(core, conn, pkt, &end);
        end.head = (const guint8 *)g_string_chunk_insert_len(core->strings, (const char *)pkt->head,
                                                               (gssize)pkt->head_len);
        conn->plain_answer = g_memdup2(&end, sizeof end);
        return NULL;
    }
    if (closes) {
        tlsdiag_end end = { .kind = (f & TLSDIAG_PKT_RST) ? TLSDIAG_END_RST : TLSDIAG_END_FIN, .from_server = TRUE,
                            .alert_desc = -1, .frame = pkt->frame, .ts_ns = pkt->ts_ns };
        return plain_failed(core, conn, pkt, conn->plain_answer ? conn->plain_answer : &end);
    }
    return NULL;
}

/* A frame before any ClientHello on the connection. */
static const tlsdiag_handshake *
before_hello(tlsdiag_core *core, tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    const guint32 f = pkt->flags;

    if (from_client && ((f & TLSDIAG_PKT_CUT_HELLO) || hidden_hello(pkt, &conn->path))) {
        record_unread_hello(core, conn, pkt);
        return conn->f.hs;
    }
    if (conn->state & CONN_PLAINTEXT)
        return NULL;
    if (from_client && head_is_text(pkt) && !(conn->f.bits & FACT_PLAIN_REQUEST)) {
        /* An answer to the server's greeting: a TLS server never speaks first. */
        if (conn->path.server_first) {
            plaintext_agreed(core, conn, pkt);
            return NULL;
        }
        char *text = g_strndup((const char *)pkt->head, printable_len(pkt));
        conn->f.bits |= FACT_PLAIN_REQUEST | ((f & TLSDIAG_PKT_SYN_SEEN) ? FACT_SYN_SEEN : 0);
        conn->f.plain_head = g_string_chunk_insert_const(core->strings, text);
        conn->f.plain_frame = pkt->frame;
        conn->f.hello_ts_ns = pkt->ts_ns;
        g_free(text);
        /* An HTTP proxy's request: what the server is, is its target. */
        if ((conn->path.tunnel = connect_target(pkt)) != 0) {
            conn->path.client_data = TRUE;
            conn->path.client_data_seq = pkt->seq;
        }
        return NULL;
    }
    /* A proxy (on a port TLS servers use) opened the tunnel the CONNECT asked
     * for: the ClientHello comes next, through it. */
    if (!from_client && (conn->f.bits & FACT_PLAIN_REQUEST) && !conn->f.hs && conn->path.tunnel &&
        head_http_status(pkt) / 100 == 2) {
        conn->f.bits &= ~FACT_PLAIN_REQUEST;
        return NULL;
    }

    /* The client's first bytes an alert where its ClientHello was due: its
     * TLS library gave up before the handshake began (OpenSSL's, when its
     * settings leave nothing to offer). Only its SYN tells it is the
     * client's. */
    gboolean alert = (f & TLSDIAG_PKT_ALERT) || ((f & TLSDIAG_PKT_NOT_TLS) && head_is_alert(pkt));
    if (alert && from_client && !conn->f.hs && conn->path.syn_port && conn->path.syn_port == conn->client_port && pkt->peer_sent <= 0 &&
        !(conn->f.bits & FACT_PLAIN_REQUEST)) {
        tlsdiag_end end = { .kind = TLSDIAG_END_ALERT, .from_server = FALSE, .alert_level = pkt->alert_level,
                            .alert_desc = pkt->alert_desc, .frame = pkt->frame, .ts_ns = pkt->ts_ns };
        if (!(f & TLSDIAG_PKT_ALERT)) {
            end.alert_level = pkt->head[5];
            end.alert_desc = pkt->head[6];
        }
        conn->f.bits |= FACT_SYN_SEEN;
        return plain_failed(core, conn, pkt, &end);
    }
    /* A TLS alert to a client that sent something but no ClientHello:
     * plaintext to a TLS port. (A client that connected and closed without
     * a byte, a TCP health check, is answered with an alert too.) */
    if (alert && !from_client && !conn->f.hs && pkt->peer_sent) {
        tlsdiag_end end = { .kind = TLSDIAG_END_NOT_TLS, .from_server = TRUE, .alert_level = pkt->alert_level,
                            .alert_desc = pkt->alert_desc, .frame = pkt->frame, .ts_ns = pkt->ts_ns, .head = pkt->head,
                            .head_len = pkt->head_len };
        if (!(f & TLSDIAG_PKT_ALERT)) {
            end.alert_level = pkt->head[5];
            end.alert_desc = pkt->head[6];
        }
        if (f & TLSDIAG_PKT_SYN_SEEN)
            conn->f.bits |= FACT_SYN_SEEN;
        return plain_failed(core, conn, pkt, &end);
    }
    if ((conn->f.bits & FACT_PLAIN_REQUEST) && !conn->f.hs)
        return plain_answered(core, conn, from_client, pkt);
    /* Readable TLS but no ClientHello and no TCP handshake: the capture began mid-way. */
    if ((f & TLSDIAG_PKT_TLS) && !(f & (TLSDIAG_PKT_NOT_TLS | TLSDIAG_PKT_SYN_SEEN)) &&
        !(conn->state & CONN_INCOMPLETE_SAID)) {
        conn->state |= CONN_INCOMPLETE_SAID;
        tlsdiag_handshake *hs = handshake_new(core, conn, 0);
        hs->outcome = TLSDIAG_OUTCOME_INCOMPLETE;
        hs->outcome_frame = pkt->frame;
        return hs;
    }
    return NULL;
}

/* Resent this often and still not acknowledged (TCP) or answered (DTLS),
 * a ClientHello is more than a lost packet: it is said at once, before the
 * client gives up (the capture may end first). */
#define HELLO_RESENT_SAID 2

/* DTLS: the ClientHello of the current handshake again, the same message
 * (message_seq and random): a retransmission, not a new handshake. */
static gboolean
dtls_hello_again(const tlsdiag_conn *conn, const tlsdiag_packet *pkt)
{
    return (pkt->flags & TLSDIAG_PKT_DTLS) && (conn->f.bits & FACT_HELLO_SEEN) &&
           pkt->hello->msg_seq == conn->f.hello_msg_seq && pkt->hello->random_tail == conn->f.hello_random;
}

/* The client sent its ClientHello again (TCP resent it, or DTLS's timer). */
static void
count_hello_resent(tlsdiag_facts *c, const tlsdiag_packet *pkt)
{
    if (c->hello_resent < G_MAXUINT8)
        c->hello_resent++;
    c->hello_resent_ns = pkt->ts_ns;
}

/* Ask the judge what a ClientHello sent again and again without an answer
 * says, before the client gives up; this frame then holds the verdict. */
static void
judge_resent(tlsdiag_core *core, tlsdiag_facts *c, const tlsdiag_packet *pkt)
{
    tlsdiag_report r = { .kind = TLSDIAG_REPORT_RESENT, .hs = c->hs, .facts = c, .frame = pkt->frame };
    tlsdiag_verdict_replace(&c->hs->verdict, core->judge(&r));
    c->hs->flags &= (guint16)~TLSDIAG_HS_UNFINISHED;
    c->hs->outcome_frame = pkt->frame;
}

/* A DTLS ClientHello retransmitted before any answer from the server: from
 * the HELLO_RESENT_SAID-th on, the judge says so (the client's timer
 * repeats it, with growing gaps, until it gives up, which the wire never
 * shows). Returns the handshake when this frame says something of it. */
static const tlsdiag_handshake *
dtls_hello_resent(tlsdiag_core *core, tlsdiag_conn *conn, const tlsdiag_packet *pkt)
{
    tlsdiag_facts *c = &conn->f;

    if ((c->bits & FACT_SETTLED) || c->server_bytes)
        return NULL;
    tlsdiag_history_record(conn, TRUE, pkt);
    count_hello_resent(c, pkt);
    if (c->hello_resent < HELLO_RESENT_SAID)
        return NULL;
    judge_resent(core, c, pkt);
    tlsdiag_history_keep(conn, c->hs, FALSE, core->stories);
    return c->hs;
}

/* TLS <= 1.2 over TCP, established: a fatal alert read (with keys, or in
 * the clear) as the first word either side says after both Finished
 * messages, its sender having got nothing after them either. A client that
 * checks the certificate while the handshake goes on (NSS's: Firefox,
 * Thunderbird) sends its Finished, then its refusal, which may come after
 * the server's Finished. An alert after data is not the handshake's. */
static gboolean
refused_once_done(const tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    if (conn->reneg || !(pkt->flags & TLSDIAG_PKT_ALERT) || !(pkt->flags & TLSDIAG_PKT_TCP) ||
        pkt->alert_level != 2 || pkt->alert_desc <= TLSDIAG_ALERT_CLOSE_NOTIFY || pkt->n_app_data)
        return FALSE;
    return pkt->seq == conn->done_seq[!from_client] && (gint32)(pkt->ack - conn->done_seq[from_client]) <= 0;
}

/* Counted established, now failed: the attempts it recovered did not
 * recover (the retry index and the tap learn it from REFUSED); a failure
 * it revised stays taken back. */
static const tlsdiag_handshake *
refuse(tlsdiag_core *core, tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    tlsdiag_handshake *hs = conn->f.hs;

    if (hs->flags & TLSDIAG_HS_REVISED)
        g_hash_table_remove(core->superseded, hs);
    hs->flags = (guint16)((hs->flags & ~TLSDIAG_HS_REVISED) | TLSDIAG_HS_REFUSED);
    tlsdiag_retry_refused(hs);
    tlsdiag_history_record(conn, from_client, pkt);
    tlsdiag_end end = { .kind = (pkt->flags & TLSDIAG_PKT_ALERT) ? TLSDIAG_END_ALERT
                                : (pkt->flags & TLSDIAG_PKT_RST) ? TLSDIAG_END_RST
                                                                 : TLSDIAG_END_FIN,
                        .from_server = !from_client, .alert_level = pkt->alert_level,
                        .alert_desc = pkt->alert_desc, .frame = pkt->frame, .ts_ns = pkt->ts_ns };
    settle(core, conn, pkt, TLSDIAG_OUTCOME_FAILED, &end);
    return hs;
}

/* An established handshake its judge watches (TLSDIAG_WATCH_UNUSED_CLOSE):
 * the client's first word after it. Its close (an alert not read as fatal,
 * which refused_once_done judges; or its FIN or RST), before any data of
 * its own, makes it failed (FACT_CLOSED_UNUSED); its data, or the server's
 * close first, ends the watch. What the server sends meanwhile does not:
 * an HTTP/2 server's SETTINGS, TLS 1.3 tickets, a greeting, which such a
 * client has often received before it refuses. */
static const tlsdiag_handshake *
unused_close(tlsdiag_core *core, tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    const guint32 f = pkt->flags, closing = f & (TLSDIAG_PKT_FIN | TLSDIAG_PKT_RST);

    if (!(f & TLSDIAG_PKT_TCP) || (!pkt->payload_len && !closing) || (!from_client && !closing))
        return NULL;
    const gboolean silent_only = (conn->state & CONN_UNUSED_SILENT) != 0;
    conn->state &= (guint8)~(CONN_UNUSED_WATCHED | CONN_UNUSED_SILENT);
    if (!from_client || pkt->seq != conn->done_seq[0])
        return NULL;
    /* (An alert's record is the segment's only one: TLS 1.3's is of type
     * application data.) */
    const gboolean alert = (f & TLSDIAG_PKT_ALERT) && pkt->alert_level != 2 &&
                           pkt->n_app_data <= (conn->f.sh_version >= TLSDIAG_TLS13 ? 1u : 0u) && !pkt->n_hs_types;
    if (alert ? silent_only : (pkt->payload_len || !closing))
        return NULL;
    conn->f.bits |= FACT_CLOSED_UNUSED;
    return refuse(core, conn, from_client, pkt);
}

/* Follow one (trusted) frame of a connection. */
static const tlsdiag_handshake *
follow(tlsdiag_core *core, tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    const guint32 f = pkt->flags;

    const tlsdiag_handshake *closed = (conn->state & CONN_UNUSED_WATCHED) ? unused_close(core, conn, from_client, pkt)
                                                                           : NULL;
    if (closed)
        return closed;
    if (established_tls12(conn))
        return refused_once_done(conn, from_client, pkt) ? refuse(core, conn, from_client, pkt)
                                                          : watch_renegotiation(core, conn, from_client, pkt);
    if (late_auth_watched(conn))
        return watch_renegotiation(core, conn, from_client, pkt);

    /* The load balancer's header names the client it connects for. */
    if ((f & TLSDIAG_PKT_PROXY) && from_client && !(conn->f.bits & FACT_HELLO_SEEN) && pkt->proxy_src.family) {
        conn->proxy_client = pkt->proxy_src;
        conn->proxy_version = pkt->proxy_version;
        conn->state |= CONN_VIA_PROXY;
    }

    if ((f & TLSDIAG_PKT_CLIENT_HELLO) && from_client && pkt->hello && !(conn->f.bits & FACT_PROVISIONAL)) {
        if (dtls_hello_again(conn, pkt))
            return dtls_hello_resent(core, conn, pkt);
        /* A ClientHello after the server's answer to plaintext: an upgrade. */
        if (conn->plain_answer)
            plaintext_agreed(core, conn, pkt);
        record_hello(core, conn, pkt);
        tlsdiag_history_record(conn, from_client, pkt);
        return conn->f.hs;
    }

    if (!(conn->f.bits & FACT_HELLO_SEEN))
        return before_hello(core, conn, from_client, pkt);

    if ((conn->f.bits & FACT_SETTLED) && !(conn->f.bits & FACT_PROVISIONAL)) {
        /* An alert (close_notify, most likely: encrypted) ends an established
         * association: a ClientHello from the same ports then begins anew. */
        if ((conn->f.bits & FACT_DTLS) && (pkt->flags & TLSDIAG_PKT_ALERT))
            conn->f.bits |= FACT_DTLS_ENDED;
        return NULL;
    }
    tlsdiag_history_record(conn, from_client, pkt);

    gboolean shows_cert = (f & TLSDIAG_PKT_CERTIFICATE) && record_certificates(core, conn, from_client, pkt);
    if ((f & TLSDIAG_PKT_ODD_RECORD) && !conn->f.odd_record_frame) {
        conn->f.odd_record_frame = pkt->frame;
        conn->f.odd_record_type = pkt->odd_record_type;
        conn->f.odd_record_from_client = from_client;
    }
    if (pkt->flags & TLSDIAG_PKT_CUT) {
        note_cut(conn, pkt);
        conn->f.cut.sides |= from_client ? TLSDIAG_CUT_CLIENT : TLSDIAG_CUT_SERVER;
    }
    if (from_client)
        note_client(core, conn, pkt);
    else
        note_server(conn, pkt);
    note_sized_alert(&conn->f, from_client, pkt);

    /* A provisional failure waits for the proof it finished after all. */
    if (conn->f.bits & FACT_PROVISIONAL) {
        if (is_established(conn, from_client, pkt))
            return revise(core, conn, pkt);
        /* Its missing bytes came but were not read as TLS (Wireshark took
         * them for a retransmission of data the peer had acknowledged). */
        if (pkt->payload_len && !(pkt->flags & TLSDIAG_PKT_TLS) && !data_missing(conn) &&
            !(conn->f.bits & FACT_UNREAD_SAID) && conn->f.hs->verdict) {
            conn->f.bits |= FACT_UNREAD_SAID;
            tlsdiag_report r = { .kind = TLSDIAG_REPORT_UNREAD, .hs = conn->f.hs, .frame = pkt->frame };
            tlsdiag_verdict_replace(&conn->f.hs->verdict, core->judge(&r));
        }
        return NULL;
    }
    const tlsdiag_handshake *hs = decide(core, conn, from_client, pkt);
    return hs ? hs : shows_cert ? conn->f.hs : NULL;
}

/* The first packet of a server's address in the capture: the hop distance
 * other connections to it are compared with. */
static void
host_remember(tlsdiag_core *core, const tlsdiag_conn *conn)
{
    const tlsdiag_path_side *s = &conn->path.server;
    if (!s->first_frame)
        return;
    tlsdiag_service *host = service_get(core, &conn->server, 0, 0);
    if (!host->ttl) {
        host->ttl = s->ttl;
        host->ttl_frame = s->first_frame;
        host->has_tsval = (s->bits & PATH_SIDE_TSVAL) != 0;
        host->tsval = s->tsval;
    }
}

/* A connection seen for the first time: follow it if it carries TLS (or a
 * PROXY header before it), or a client did not speak TLS where it was due;
 * only those cost memory. Its SYN and SYN-ACK, kept until now, come along. */
static tlsdiag_conn *
conn_open(tlsdiag_core *core, const tlsdiag_packet *pkt)
{
    const guint32 f = pkt->flags;

    if (pkt->tcp_flags & TLSDIAG_TCP_SYN) {
        tlsdiag_path *p = tlsdiag_convmap_get(&core->syns, pkt->conv);
        if (!p) {
            p = g_new0(tlsdiag_path, 1);
            tlsdiag_convmap_put(&core->syns, pkt->conv, p);
        }
        tlsdiag_path_syn(p, pkt);
        return NULL;
    }
    gboolean plain = head_is_text(pkt) && (tlsdiag_port_is_tls(pkt->dstport) ||
                                           service_speaks_tls(core, &pkt->dst, pkt->dstport));
    tlsdiag_path *p = tlsdiag_convmap_get(&core->syns, pkt->conv);
    const gboolean hidden = hidden_hello(pkt, p);
    if (!(f & (TLSDIAG_PKT_TLS | TLSDIAG_PKT_PROXY)) && !head_is_alert(pkt) && !hidden && !plain) {
        /* (Data without TLS may be the first segment of a ClientHello.) */
        if (f & (TLSDIAG_PKT_FIN | TLSDIAG_PKT_RST)) {
            g_free(tlsdiag_convmap_take(&core->syns, pkt->conv));
        } else if (p && pkt->payload_len && pkt->srcport == p->syn_port) {
            if (!p->client_data) {
                p->client_data = TRUE;
                p->client_data_seq = pkt->seq;
                p->tunnel = connect_target(pkt);
            }
            /* SOCKS4 asks in its first data, SOCKS5 after its greeting. */
            if (!p->tunnel)
                p->tunnel = socks_target(pkt);
        } else if (p && pkt->payload_len && p->syn_port && !p->client_data && (pkt->tcp_flags & TLSDIAG_TCP_ACK) &&
                   pkt->ack == p->syn_seq + 1) {
            p->server_first = TRUE;
        }
        return NULL;
    }
    tlsdiag_conn *conn = g_new0(tlsdiag_conn, 1);
    tlsdiag_convmap_put(&core->conns, pkt->conv, conn);
    if ((f & (TLSDIAG_PKT_CLIENT_HELLO | TLSDIAG_PKT_CUT_HELLO | TLSDIAG_PKT_PROXY)) || hidden || plain)
        conn_set_client(conn, pkt, TRUE);
    else if ((f & (TLSDIAG_PKT_ALERT | TLSDIAG_PKT_NOT_TLS)) && p && p->syn_port)
        conn_set_client(conn, pkt, pkt->srcport == p->syn_port);   /* the SYN's sender is the client */
    else if (f & (TLSDIAG_PKT_ALERT | TLSDIAG_PKT_NOT_TLS))
        conn_set_client(conn, pkt, FALSE);   /* a first word from a server */
    else
        conn_set_client(conn, pkt, pkt->srcport > pkt->dstport); /* ephemeral port: client */
    if (p) {
        conn->path = *p;
        if (p->syn_port && p->syn_port != conn->client_port) {   /* the SYN came from the "server" */
            conn->path.client = p->server;
            conn->path.server = p->client;
        }
        g_free(tlsdiag_convmap_take(&core->syns, pkt->conv));
        host_remember(core, conn);
    }
    return conn;
}

static void
note_path(tlsdiag_core *core, tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt)
{
    tlsdiag_path_side *side = from_client ? &conn->path.client : &conn->path.server;
    gboolean first = !side->first_frame;

    tlsdiag_path_note(side, pkt);
    if (first && !from_client)
        host_remember(core, conn);
}

/* The client's TCP sent (part of) its ClientHello again before any answer,
 * or the server's TCP acknowledged all of it. Returns the handshake when
 * this frame has something to say of it. */
static const tlsdiag_handshake *
note_hello_delivery(tlsdiag_core *core, tlsdiag_conn *conn, gboolean from_client, tlsdiag_seg seg,
                    const tlsdiag_packet *pkt)
{
    tlsdiag_facts *c = &conn->f;

    if (!(c->bits & FACT_HELLO_SEQ) || (c->bits & FACT_SETTLED))
        return NULL;
    if (from_client && seg == TLSDIAG_SEG_OLD && pkt->payload_len && !c->server_bytes) {
        count_hello_resent(c, pkt);
        if (c->hello_resent < HELLO_RESENT_SAID || (c->bits & FACT_HELLO_ACKED))
            return NULL;
        judge_resent(core, c, pkt);
        return c->hs;
    }
    if (!from_client && (pkt->tcp_flags & TLSDIAG_TCP_ACK) && (gint32)(pkt->ack - c->hello_end_seq) >= 0)
        c->bits |= FACT_HELLO_ACKED;
    return NULL;
}

static const tlsdiag_handshake *
track_packet(tlsdiag_core *core, tlsdiag_conn *conn, const tlsdiag_packet *pkt)
{
    const guint32 f = pkt->flags;

    if (!conn && ((f & TLSDIAG_PKT_UNREACHABLE) || !(conn = conn_open(core, pkt))))
        return NULL;
    conn->last_frame = pkt->frame;
    conn->last_ns = pkt->ts_ns;

    gboolean from_client = same_endpoint(&pkt->src, pkt->srcport, &conn->client, conn->client_port);
    if ((f & TLSDIAG_PKT_CLIENT_HELLO) && !from_client && !(conn->f.bits & FACT_HELLO_SEEN)) {
        conn_set_client(conn, pkt, TRUE);
        from_client = TRUE;
    }

    tlsdiag_tcp_side *me = from_client ? &conn->tcp_client : &conn->tcp_server;
    const guint32 server_next = conn->tcp_server.next;
    tlsdiag_seg seg = tlsdiag_tcp_segment(me, from_client ? &conn->tcp_server : &conn->tcp_client, pkt);
    if (!from_client) {
        if (seg == TLSDIAG_SEG_OLD && pkt->payload_len && conn->f.server_resent < G_MAXUINT8)
            conn->f.server_resent++;
        if (seg == TLSDIAG_SEG_AFTER_GAP && !conn->f.server_gap_frame)
            conn->f.server_gap_frame = pkt->frame;
        if (f & (TLSDIAG_PKT_FIN | TLSDIAG_PKT_RST))
            conn->state |= CONN_SERVER_CLOSED;
        const tlsdiag_handshake *lost = (conn->f.bits & (FACT_GAVE_UP | FACT_LOST_SAID)) == FACT_GAVE_UP
                                            ? server_lost(core, conn, server_next, pkt)
                                            : NULL;
        if (lost)
            return lost;
    }
    const tlsdiag_handshake *resent = note_hello_delivery(core, conn, from_client, seg, pkt);
    /* Data the capture showed before (a retransmission, a duplicated
     * packet): Wireshark's second reading of it teaches nothing. Nor does
     * a bare ACK, beyond what its side's packets look like. */
    if (seg == TLSDIAG_SEG_OLD || (!pkt->payload_len && !(f & (TLSDIAG_PKT_FIN | TLSDIAG_PKT_RST)) &&
                                   (f & TLSDIAG_PKT_TCP))) {
        note_path(core, conn, from_client, pkt);
        return resent;
    }
    /* Data after a gap, or reordered, is not TLS to Wireshark only because
     * it lost the record boundaries, and so is data in a handshake the
     * capture cut (TCP could not join it to the record it continues); a
     * message of the protocol that carries the TLS records (OpenVPN's
     * acknowledgements) is that protocol's own: none is evidence of another
     * protocol. */
    tlsdiag_packet trusted;
    if ((f & TLSDIAG_PKT_NOT_TLS) &&
        (((f & TLSDIAG_PKT_TCP) && (seg != TLSDIAG_SEG_NEW || (me->bits & TCP_SIDE_GAPPED))) ||
         (conn->tls_carrier && g_strcmp0(pkt->decoded_as, conn->tls_carrier) == 0) ||
         (pkt->cut_unread && (conn->f.bits & FACT_HELLO_SEEN)))) {
        trusted = *pkt;
        trusted.flags &= ~(TLSDIAG_PKT_NOT_TLS | TLSDIAG_PKT_ODD_RECORD);
        trusted.head = NULL;
        trusted.head_len = 0;
        pkt = &trusted;
    }
    /* A record of JSSE's padded alert size is also 18 bytes of data: an
     * alert only where data cannot be (the client's first record after the
     * server's flight, before its Finished) or where a refusal is feared
     * (the server's, after a client certificate). */
    if ((f & TLSDIAG_PKT_ALERT_SHAPED) && tlsdiag_tls13_alert_padded(pkt->first_enc_len) &&
        !(from_client ? !conn->f.client_flights && !(conn->f.bits & FACT_CLIENT_FINISH) : client_cert_flight(conn))) {
        if (pkt != &trusted)
            trusted = *pkt;
        trusted.flags &= ~TLSDIAG_PKT_ALERT_SHAPED;
        pkt = &trusted;
    }
    const tlsdiag_handshake *hs = follow(core, conn, from_client, pkt);
    /* After follow: a packet that ends the handshake was compared with its
     * side's earlier packets. */
    note_path(core, conn, from_client, pkt);
    return hs;
}
