/* core/retry.c — link retried handshakes of one client to one service.
 *
 * An index maps (client identity, server address and port, an HTTP proxy's
 * CONNECT target, SNI) to the latest
 * attempt. A new ClientHello that comes within the retry window after that
 * attempt failed continues its chain; anything else starts a new one. When an
 * attempt of a chain succeeds, the failed ones before it learn where the client
 * recovered, and a server that failed the best version but accepted a lower one
 * is named version-intolerant. A run of hellos whose offers keep changing is
 * a scanner's, not retries. Entries idle for longer than the window are
 * swept when the index has doubled, so memory follows the number of clients
 * active within one window and each step is O(1) amortised.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/conn.h"
#include "core/slab.h"

#include <arpa/inet.h>
#include <string.h>

#define NS_PER_S G_GINT64_CONSTANT(1000000000)
#define SWEEP_MIN 1024

typedef struct {
    tlsdiag_addr       client, server;    /* key ... */
    guint16            port;
    guint32            tunnel;            /* the target behind a proxy (a hash), 0: none */
    const char        *sni;               /* interned by the tracker: compared by pointer */
    tlsdiag_handshake *tail;              /* ... value: the latest attempt */
    gint64             tail_hello_ns;     /* when its ClientHello came */
    gint64             tail_end_ns;       /* when it failed, 0: it has not */
    gint64             last_ns;           /* last activity, for the sweep */
    /* Its texts, written once: interning them costs on every hello. The
     * client's names its address on the wire too when a PROXY header
     * stands for it: that one is written each time. */
    const char        *client_text, *service_text;
    guint32            tail_offer;        /* what the latest attempt offered (tlsdiag_facts.offer) */
} retry_entry;

/* A scanner finds out what a server accepts by trying: a run of hellos from
 * one client to one service, each soon after the one before and each
 * offering what none of the few before it did. A client that retries sends
 * the same offer again, or falls back a version or two; several programs
 * behind one address repeat theirs. Kept only while such a run goes on. */
#define PROBE_GAP_NS  NS_PER_S    /* at most this after the hello before */
#define PROBE_RECENT  8           /* offers compared: a run this long is a scan */
typedef struct {
    guint32 offers[PROBE_RECENT]; /* the run's latest offers, a ring */
    guint   n;                    /* hellos in the run */
    guint32 first_frame;          /* its first hello, and when it came */
    gint64  first_ns;
    tlsdiag_handshake *members[PROBE_RECENT - 1];   /* its hellos before it was long enough */
} probe_run;

struct tlsdiag_retry {
    tlsdiag_options opt;
    tlsdiag_judge_fn judge;      /* told of recoveries and storms */
    GHashTable     *index;       /* retry_entry* -> itself (owned) */
    guint           sweep_at;    /* sweep when the index reaches this size */
    GStringChunk   *names;       /* client and service texts */
    GHashTable     *texts;       /* text_entry* -> itself (owned): a client or service that
                                    comes back is not written again (bounded: TEXTS_MAX) */
    GHashTable     *runs;        /* retry_entry* -> probe_run* (owned): runs going on */
    tlsdiag_slab    attempts;    /* the tlsdiag_attempts of handshakes in chains */
};

/* Enough texts for the clients and services of a busy capture; a flood of
 * new addresses empties the cache rather than grow it. */
#define TEXTS_MAX 8192

/* The text of one client address or one service (address, port, SNI). */
typedef struct {
    tlsdiag_addr addr;
    guint8       service;
    guint16      port;
    const char  *sni;            /* interned by the tracker: compared by pointer */
    const char  *text;           /* in names */
} text_entry;

static guint
entry_hash(gconstpointer p)
{
    const retry_entry *e = p;
    guint h = tlsdiag_addr_hash(tlsdiag_addr_hash(2166136261u, &e->client), &e->server);
    return ((h ^ e->port) * 16777619u ^ e->tunnel) * 16777619u ^ g_direct_hash(e->sni);
}

static gboolean
addr_equal(const tlsdiag_addr *a, const tlsdiag_addr *b)
{
    return a->family == b->family && memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

static guint
text_hash(gconstpointer p)
{
    const text_entry *t = p;
    return (tlsdiag_addr_hash(2166136261u, &t->addr) ^ t->port ^ (guint)t->service << 16) * 16777619u ^ g_direct_hash(t->sni);
}

static gboolean
text_equal(gconstpointer a, gconstpointer b)
{
    const text_entry *x = a, *y = b;
    return x->port == y->port && x->service == y->service && x->sni == y->sni && addr_equal(&x->addr, &y->addr);
}

static gboolean
entry_equal(gconstpointer a, gconstpointer b)
{
    const retry_entry *x = a, *y = b;
    return x->port == y->port && x->tunnel == y->tunnel && x->sni == y->sni && addr_equal(&x->client, &y->client) &&
           addr_equal(&x->server, &y->server);
}

void
tlsdiag_options_default(tlsdiag_options *opt)
{
    opt->client_from_proxy = TRUE;
    opt->retry_window_s = 30;
    opt->retry_storm_attempts = 5;
}

tlsdiag_retry *
tlsdiag_retry_new(const tlsdiag_options *opt, tlsdiag_judge_fn judge)
{
    tlsdiag_retry *r = g_new0(tlsdiag_retry, 1);
    r->opt = *opt;
    r->judge = judge;
    r->index = g_hash_table_new_full(entry_hash, entry_equal, g_free, NULL);
    r->sweep_at = SWEEP_MIN;
    r->names = g_string_chunk_new(1024);
    r->texts = g_hash_table_new_full(text_hash, text_equal, g_free, NULL);
    r->runs = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    tlsdiag_slab_init(&r->attempts, sizeof(tlsdiag_attempts), 256);
    return r;
}

void
tlsdiag_retry_free(tlsdiag_retry *r)
{
    if (!r)
        return;
    g_hash_table_destroy(r->runs);
    g_hash_table_destroy(r->index);
    g_string_chunk_free(r->names);
    g_hash_table_destroy(r->texts);
    tlsdiag_slab_clear(&r->attempts);
    g_free(r);
}


static const char *
addr_text(const tlsdiag_addr *a, char *buf, gsize len)
{
    /* IPv4 by hand: inet_ntop's goes through printf (about 1,800
     * instructions an address, a tenth of a new client's cost). */
    if (a->family == 4 && len >= INET_ADDRSTRLEN) {
        char *p = buf;
        for (guint i = 0; i < 4; i++) {
            const guint v = a->bytes[i];
            if (i)
                *p++ = '.';
            if (v >= 100)
                *p++ = (char)('0' + v / 100);
            if (v >= 10)
                *p++ = (char)('0' + v / 10 % 10);
            *p++ = (char)('0' + v % 10);
        }
        *p = '\0';
        return buf;
    }
    if (a->family == 6 && inet_ntop(AF_INET6, a->bytes, buf, (socklen_t)len))
        return buf;
    return "unknown address";
}

static gboolean
use_proxy(const tlsdiag_retry *r, const tlsdiag_conn *conn)
{
    return r->opt.client_from_proxy && (conn->state & CONN_VIA_PROXY);
}

static void
entry_key(const tlsdiag_retry *r, const tlsdiag_conn *conn, retry_entry *key)
{
    memset(key, 0, sizeof *key);
    key->client = use_proxy(r, conn) ? conn->proxy_client : conn->client;
    key->server = conn->server;
    key->port = conn->server_port;
    key->tunnel = conn->path.tunnel;
    key->sni = conn->f.sni;
}

/* The text for a client's address, or for a service (with port and SNI), written once. */
static const char *
cached_text(tlsdiag_retry *r, const tlsdiag_addr *addr, gboolean service, guint16 port, const char *sni)
{
    text_entry key = { .addr = *addr, .service = (guint8)service, .port = port, .sni = sni }, *t;
    char a[INET6_ADDRSTRLEN], text[INET6_ADDRSTRLEN + 300];

    t = g_hash_table_lookup(r->texts, &key);
    if (t)
        return t->text;
    const char *at = addr_text(addr, a, sizeof a);
    if (service)
        g_snprintf(text, sizeof text, addr->family == 6 ? "[%s]:%u%s%s%s" : "%s:%u%s%s%s", at, port,
                   sni ? " (SNI " : "", sni ? sni : "", sni ? ")" : "");
    if (g_hash_table_size(r->texts) >= TEXTS_MAX)
        g_hash_table_remove_all(r->texts);
    t = g_memdup2(&key, sizeof key);
    t->text = g_string_chunk_insert(r->names, service ? text : at);
    g_hash_table_add(r->texts, t);
    return t->text;
}

/* The service's name: the one it had last if the SNI is the same (the
 * service was just looked up; its text costs no other lookup). */
static const char *
service_text(tlsdiag_retry *r, const tlsdiag_conn *conn)
{
    tlsdiag_service *s = conn->f.service;
    if (s && s->text && s->text_sni == conn->f.sni)
        return s->text;
    const char *text = cached_text(r, &conn->server, TRUE, conn->server_port, conn->f.sni);
    if (s) {
        s->text = text;
        s->text_sni = conn->f.sni;
    }
    return text;
}

static const char *
identity_text(tlsdiag_retry *r, const tlsdiag_conn *conn)
{
    char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], text[160];

    if (!use_proxy(r, conn))
        return cached_text(r, &conn->client, FALSE, 0, NULL);
    g_snprintf(text, sizeof text, "%s (from the PROXY v%u header; on the wire %s)",
               addr_text(&conn->proxy_client, a, sizeof a), conn->proxy_version,
               addr_text(&conn->client, b, sizeof b));
    return g_string_chunk_insert_const(r->names, text);
}

/* Drop entries idle for longer than the window: they can link nothing more. */
static void
sweep(tlsdiag_retry *r, gint64 now_ns)
{
    GHashTableIter it;
    gpointer k;
    gint64 horizon = now_ns - (gint64)r->opt.retry_window_s * NS_PER_S;

    g_hash_table_iter_init(&it, r->index);
    while (g_hash_table_iter_next(&it, &k, NULL))
        if (((retry_entry *)k)->last_ns < horizon) {
            g_hash_table_remove(r->runs, k);
            g_hash_table_iter_remove(&it);
        }
    r->sweep_at = MAX(SWEEP_MIN, 2 * g_hash_table_size(r->index));
}

/* The links of a handshake joining a chain of more than one attempt. */
static tlsdiag_attempts *
chain_of(tlsdiag_retry *r, tlsdiag_handshake *hs, gint64 hello_ns)
{
    if (!hs->chain) {
        hs->chain = tlsdiag_slab_take(&r->attempts);
        hs->chain->first = hs;
        hs->chain->hello_ts_ns = hello_ns;
    }
    return hs->chain;
}

/* e's run going on, NULL: none (the table is empty nearly always). */
static probe_run *
run_of(const tlsdiag_retry *r, const retry_entry *e)
{
    return e && g_hash_table_size(r->runs) ? g_hash_table_lookup(r->runs, e) : NULL;
}

/* Member i of a run found to be a scan settled before it was found. */
static void
probe_found(tlsdiag_retry *r, const probe_run *run, guint i)
{
    tlsdiag_handshake *m = run->members[i];
    tlsdiag_report report = { .kind = TLSDIAG_REPORT_PROBE, .hs = m, .frame = run->first_frame,
                              .probe_n = (guint16)(i + 1) };
    tlsdiag_verdict_replace(&m->verdict, r->judge(&report));
}

/* The hello after e's latest: whether it goes on a run of changing offers
 * (facts.probe_*: its place in the run, once the run is long enough). */
static void
probe_note(tlsdiag_retry *r, const retry_entry *e, tlsdiag_conn *conn, tlsdiag_handshake *hs, gint64 now)
{
    probe_run *run = run_of(r, e);
    const guint32 offer = conn->f.offer;

    if (now - e->tail_hello_ns > PROBE_GAP_NS || offer == e->tail_offer) {
        if (run)
            g_hash_table_remove(r->runs, e);
        return;
    }
    if (!run) {
        run = g_new0(probe_run, 1);
        run->offers[0] = e->tail_offer;
        run->members[0] = e->tail;
        run->n = 1;
        run->first_frame = e->tail->client_hello_frame;
        run->first_ns = e->tail_hello_ns;
        g_hash_table_insert(r->runs, (gpointer)e, run);
    }
    for (guint i = 0; i < MIN(run->n, PROBE_RECENT); i++)
        if (run->offers[i] == offer) {
            /* An offer made again: a client's retry, or another program. */
            g_hash_table_remove(r->runs, e);
            return;
        }
    if (run->n < PROBE_RECENT - 1)
        run->members[run->n] = hs;
    run->offers[run->n++ % PROBE_RECENT] = offer;
    if (run->n < PROBE_RECENT)
        return;
    conn->f.probe_n = (guint16)MIN(run->n, G_MAXUINT16);
    conn->f.probe_first_frame = run->first_frame;
    conn->f.probe_first_ns = run->first_ns;
    if (run->n > PROBE_RECENT)
        return;
    /* The run is a scan from its first hello: say so of those settled
     * (those still open, when they settle). */
    for (guint i = 0; i < PROBE_RECENT - 1; i++)
        if (run->members[i]->outcome != TLSDIAG_OUTCOME_PENDING)
            probe_found(r, run, i);
}

void
tlsdiag_retry_hello(tlsdiag_retry *r, tlsdiag_conn *conn, tlsdiag_handshake *hs)
{
    const gint64 now = conn->f.hello_ts_ns;
    retry_entry key, *e;

    hs->attempt = 1;

    entry_key(r, conn, &key);
    e = g_hash_table_lookup(r->index, &key);
    if (!e) {
        if (g_hash_table_size(r->index) >= r->sweep_at)
            sweep(r, now);
        e = g_memdup2(&key, sizeof key);
        e->client_text = identity_text(r, conn);
        e->service_text = service_text(r, conn);
        g_hash_table_add(r->index, e);
    } else {
        probe_note(r, e, conn, hs, now);
    }
    if (e->tail_end_ns && now - e->tail_end_ns <= (gint64)r->opt.retry_window_s * NS_PER_S &&
        e->tail->attempt < G_MAXUINT16) {
        /* A retry: the previous attempt failed not long ago. */
        chain_of(r, hs, now)->prev = e->tail;
        chain_of(r, e->tail, e->tail_hello_ns)->next = hs;
        hs->attempt = (guint16)(e->tail->attempt + 1);
        hs->chain->first = e->tail->chain->first;
    }
    /* Otherwise (a first contact, a success before, a parallel connection
     * still in its handshake, or a long pause) a new chain begins here. */
    hs->client = use_proxy(r, conn) ? identity_text(r, conn) : e->client_text;
    hs->service = e->service_text;
    e->tail = hs;
    e->tail_offer = conn->f.offer;
    e->tail_hello_ns = now;
    e->tail_end_ns = 0;
    e->last_ns = now;
}

/* The chain's success: tell every failed attempt before it, and the judge
 * (a lower version that worked names the server version-intolerant). */
static void
recovered(tlsdiag_retry *r, tlsdiag_handshake *ok)
{
    for (tlsdiag_handshake *p = ok->chain ? ok->chain->prev : NULL; p; p = p->chain->prev) {
        tlsdiag_report report = { .kind = TLSDIAG_REPORT_RECOVERED, .hs = p, .other = ok };
        p->chain->recovered_by = ok;
        tlsdiag_verdict_replace(&p->verdict, r->judge(&report));
    }
}

void
tlsdiag_retry_settled(tlsdiag_retry *r, const tlsdiag_conn *conn, gint64 ts_ns)
{
    tlsdiag_handshake *hs = conn->f.hs;
    retry_entry key, *e;

    if (!hs->attempt)
        return;   /* no ClientHello seen: not an attempt anyone can link */
    if (hs->outcome == TLSDIAG_OUTCOME_ESTABLISHED) {
        recovered(r, hs);
    } else if (hs->outcome == TLSDIAG_OUTCOME_FAILED && hs->attempt == r->opt.retry_storm_attempts + 1) {
        tlsdiag_report report = { .kind = TLSDIAG_REPORT_STORM, .hs = hs, .ts_ns = ts_ns,
                                  .window_s = r->opt.retry_window_s };
        tlsdiag_verdict_replace(&hs->verdict, r->judge(&report));
    }
    entry_key(r, conn, &key);
    e = g_hash_table_lookup(r->index, &key);
    const probe_run *run = run_of(r, e);
    for (guint i = 0; run && run->n >= PROBE_RECENT && i < PROBE_RECENT - 1; i++)
        if (run->members[i] == hs)
            probe_found(r, run, i);
    if (e && e->tail == hs) {
        /* Kept only for a failure: a hello then needs no look at the attempt. */
        e->tail_end_ns = hs->outcome == TLSDIAG_OUTCOME_FAILED ? ts_ns : 0;
        e->last_ns = ts_ns;
    }
}

void
tlsdiag_retry_revised(tlsdiag_handshake *hs)
{
    tlsdiag_handshake *next = hs->chain ? hs->chain->next : NULL;
    if (!next)
        return;
    /* The attempts after it start a chain of their own. */
    hs->chain->next = NULL;
    next->chain->prev = NULL;
    for (tlsdiag_handshake *a = next; a; a = a->chain->next) {
        a->chain->first = next;
        a->attempt = a->chain->prev ? (guint16)(a->chain->prev->attempt + 1) : 1;
    }
}

void
tlsdiag_retry_refused(tlsdiag_handshake *hs)
{
    for (tlsdiag_handshake *p = hs->chain ? hs->chain->prev : NULL; p; p = p->chain->prev)
        if (p->chain->recovered_by == hs)
            p->chain->recovered_by = NULL;
}
