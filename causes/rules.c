/* causes/rules.c — name why a handshake failed, from what the connection
 * showed and how it ended. Each rule adds a cause and its evidence; the most
 * specific cause comes first.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/conn.h"
#include "core/tls.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const tlsdiag_conn *conn;
    const tlsdiag_end  *end;
    tlsdiag_verdict    *v;
} judge_ctx;

static void
verdict_addv(tlsdiag_verdict *v, gboolean first, tlsdiag_cause cause, const char *fmt, va_list ap)
{
    for (guint i = 0; i < v->n_causes; i++)
        if (v->causes[i] == cause)
            return;
    if (v->n_causes >= TLSDIAG_MAX_CAUSES) {
        if (!first)
            return;
        g_free(v->evidence[--v->n_causes]);
    }
    guint at = first ? 0 : v->n_causes;
    memmove(&v->causes[at + 1], &v->causes[at], (v->n_causes - at) * sizeof v->causes[0]);
    memmove(&v->evidence[at + 1], &v->evidence[at], (v->n_causes - at) * sizeof v->evidence[0]);
    v->causes[at] = cause;
    v->evidence[at] = g_strdup_vprintf(fmt, ap);
    v->n_causes++;
}

void
tlsdiag_verdict_add(tlsdiag_verdict *v, gboolean first, tlsdiag_cause cause, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verdict_addv(v, first, cause, fmt, ap);
    va_end(ap);
}

static void G_GNUC_PRINTF(3, 4)
add_cause(judge_ctx *j, tlsdiag_cause cause, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verdict_addv(j->v, FALSE, cause, fmt, ap);
    va_end(ap);
}

static const char *
side(gboolean from_server)
{
    return from_server ? "server" : "client";
}

static const char *
vname(guint16 v, char *buf)
{
    return tlsdiag_version_name(v, buf, TLSDIAG_VERSION_NAME_LEN);
}

/* "TLS 1.0 only", "TLS 1.2 to TLS 1.3", "up to TLS 1.2" */
static void
offered_versions(const tlsdiag_conn *c, GString *out)
{
    char a[TLSDIAG_VERSION_NAME_LEN], b[TLSDIAG_VERSION_NAME_LEN];
    if (!c->offered_min)
        g_string_append_printf(out, "up to %s", vname(c->offered_max, a));
    else if (c->offered_min == c->offered_max)
        g_string_append_printf(out, "%s only", vname(c->offered_max, a));
    else
        g_string_append_printf(out, "%s to %s", vname(c->offered_min, a), vname(c->offered_max, b));
}

static void
suite_list(const tlsdiag_conn *c, GString *out)
{
    for (guint i = 0; i < c->n_suites; i++) {
        const char *name = tlsdiag_suite_name(c->suites[i]);
        if (i)
            g_string_append(out, ", ");
        if (name)
            g_string_append(out, name);
        else
            g_string_append_printf(out, "0x%04x", c->suites[i]);
    }
    guint more = (guint)c->n_suites_total - c->n_suites - c->n_ssl2_specs;
    if (more)
        g_string_append_printf(out, " and %u more", more);
    if (c->n_ssl2_specs)
        g_string_append_printf(out, "%s%u SSL 2.0 cipher spec%s", c->n_suites ? ", " : "", c->n_ssl2_specs,
                               c->n_ssl2_specs == 1 ? "" : "s");
}

static void
group_list(const tlsdiag_conn *c, GString *out)
{
    for (guint i = 0; i < c->n_groups; i++) {
        const char *name = tlsdiag_group_name(c->groups[i]);
        if (i)
            g_string_append(out, ", ");
        if (name)
            g_string_append(out, name);
        else
            g_string_append_printf(out, "0x%04x", c->groups[i]);
    }
    if (!c->n_groups)
        g_string_append(out, "none listed");
}

/* "fatal alert handshake_failure (40)" */
static void
alert_words(const tlsdiag_end *e, GString *out)
{
    const char *name = tlsdiag_alert_name(e->alert_desc);
    if (e->alert_desc < 0) {
        g_string_append(out, "encrypted alert");
        return;
    }
    g_string_append_printf(out, "%salert %s (%d)", e->alert_level == 2 ? "fatal " : e->alert_level == 1 ? "warning " : "",
                           name ? name : "unknown", e->alert_desc);
}

static double
ms_since_hello(const tlsdiag_conn *c, const tlsdiag_end *e)
{
    return (double)(e->ts_ns - c->hello_ts_ns) / 1e6;
}

/* "right after the ClientHello (0.4 ms later)" only when it was: under a
 * second; otherwise the delay itself. */
static const char *
when_words(const tlsdiag_conn *c, const tlsdiag_end *e, char *buf, gsize len)
{
    double ms = ms_since_hello(c, e);
    if (ms < 1000.0)
        g_snprintf(buf, (gulong)len, "right after the ClientHello (%.1f ms later)", ms);
    else
        g_snprintf(buf, (gulong)len, "%.1f s after the ClientHello", ms / 1000.0);
    return buf;
}

/* The printable start of a non-TLS answer, e.g. "HTTP/1.1 400 Bad Request". */
static void
head_words(const tlsdiag_end *e, GString *out)
{
    guint n = 0;
    while (e->head && n < e->head_len && n < 40 && e->head[n] >= 0x20 && e->head[n] < 0x7f)
        n++;
    if (n >= 4)
        g_string_append_printf(out, ", starting \"%.*s\"", (int)n, (const char *)e->head);
}

/* A close the capture cannot fully explain: it lacks bytes one side sent. */
static void
missing_words(const tlsdiag_conn *c, GString *s)
{
    guint32 server = tlsdiag_tcp_missing(&c->tcp_server, &c->tcp_client);
    guint32 client = tlsdiag_tcp_missing(&c->tcp_client, &c->tcp_server);

    if (!(c->bits & CONN_PROVISIONAL))
        return;
    g_string_append(s, " At that point the capture lacked ");
    if (server)
        g_string_append_printf(s, "%u byte%s the server had sent%s", server, server == 1 ? "" : "s", client ? " and " : "");
    if (client)
        g_string_append_printf(s, "%u byte%s the client had sent", client, client == 1 ? "" : "s");
    g_string_append(s, " (lost or reordered by the capture, or still to come), so this verdict is provisional: "
                       "later frames may show the handshake finished.");
}

/* What happened, in one sentence. */
static char *
summary_sentence(const judge_ctx *j)
{
    const tlsdiag_conn *c = j->conn;
    const tlsdiag_end *e = j->end;
    GString *s = g_string_new(NULL);

    if (c->bits & CONN_HELLO_SEEN) {
        g_string_append_printf(s, "ClientHello in frame %u (", c->hs->client_hello_frame);
        offered_versions(c, s);
        g_string_append_printf(s, ", %u cipher suite%s%s, SNI %s%s%s) ", c->n_suites_total,
                               c->n_suites_total == 1 ? "" : "s",
                               (c->bits & CONN_FALLBACK_SCSV) ? " + TLS_FALLBACK_SCSV" : "",
                               c->sni ? "'" : "", c->sni ? c->sni : "absent", c->sni ? "'" : "");
        if (c->bits & CONN_SERVER_HELLO) {
            char a[TLSDIAG_VERSION_NAME_LEN];
            g_string_append_printf(s, "and ServerHello in frame %u (%s) ", c->sh_frame, vname(c->sh_version, a));
        }
    } else {
        g_string_append(s, "No ClientHello on this connection; ");
    }
    switch (e->kind) {
    case TLSDIAG_END_ALERT:
        g_string_append_printf(s, "ended by the %s's ", side(e->from_server));
        alert_words(e, s);
        g_string_append_printf(s, " in frame %u", e->frame);
        break;
    case TLSDIAG_END_RST:
    case TLSDIAG_END_FIN:
        g_string_append_printf(s, "ended by a TCP %s from the %s in frame %u, %.1f ms after the ClientHello, with no TLS alert",
                               e->kind == TLSDIAG_END_RST ? "reset" : "FIN", side(e->from_server), e->frame,
                               ms_since_hello(c, e));
        break;
    case TLSDIAG_END_NOT_TLS:
        if (c->bits & CONN_HELLO_SEEN) {
            g_string_append_printf(s, "answered in frame %u with data that is not TLS", e->frame);
            head_words(e, s);
        } else {
            g_string_append_printf(s, "the server answered the client's first bytes with a TLS ");
            alert_words(e, s);
            g_string_append_printf(s, " in frame %u", e->frame);
        }
        break;
    }
    g_string_append_c(s, '.');
    if ((c->bits & CONN_HELLO_SEEN) && !(c->bits & CONN_SYN_SEEN))
        g_string_append(s, " The capture began after the TCP handshake, so this may not be the connection's first TLS handshake.");
    missing_words(c, s);
    return g_string_free(s, FALSE);
}

/* The client gave up before the server could answer, or without reading its answer. */
static char *
abandoned_sentence(const judge_ctx *j)
{
    const tlsdiag_conn *c = j->conn;
    const tlsdiag_end *e = j->end;
    GString *s = g_string_new(NULL);

    g_string_append_printf(s, "The client closed the connection with a TCP %s in frame %u, %.1f ms after its ClientHello "
                           "(frame %u), ", e->kind == TLSDIAG_END_RST ? "reset" : "FIN", e->frame,
                           ms_since_hello(c, e), c->hs->client_hello_frame);
    if (c->server_bytes)
        g_string_append_printf(s, "without reading the server's answer (frame %u; closing with data unread is what "
                               "makes a reset) and without an alert", c->first_server_payload_frame);
    else
        g_string_append(s, "before the server could answer");
    g_string_append(s, ": it abandoned the handshake (a scanner's probe, a health check or a cancelled connection), "
                       "which says nothing about the server.");
    return g_string_free(s, FALSE);
}

/* The server refused the ClientHello without naming a parameter (alert 40,
 * 71 or close_notify): look for evidence of which parameter it was. */
static void
judge_refused_hello(judge_ctx *j)
{
    const tlsdiag_conn *c = j->conn;
    const tlsdiag_service *svc = c->service;
    char a[TLSDIAG_VERSION_NAME_LEN], b[TLSDIAG_VERSION_NAME_LEN], when[64];
    GString *s = g_string_new(NULL);
    guint before = j->v->n_causes;

    /* Versions: nothing above TLS 1.1, or below what this server negotiates. */
    gboolean below_service = svc && svc->min_version && c->offered_max < svc->min_version;
    if (c->offered_max && (c->offered_max <= TLSDIAG_TLS11 || below_service)) {
        g_string_assign(s, "");
        offered_versions(c, s);
        if (below_service)
            add_cause(j, TLSDIAG_CAUSE_PROTOCOL_VERSION_MISMATCH,
                      "The client offered %s; other handshakes to this server in the capture negotiated %s or higher "
                      "(frame %u), so the server accepts nothing this old.",
                      s->str, vname(svc->min_version, a), svc->min_version_frame);
        else
            add_cause(j, TLSDIAG_CAUSE_PROTOCOL_VERSION_MISMATCH,
                      "The client offered %s, versions current servers no longer accept (TLS 1.2 is the usual minimum); "
                      "the server's refusal %s fits a version it does not enable.",
                      s->str, when_words(c, j->end, when, sizeof when));
    }

    /* Suites: the client offers only obsolete suites (judged only for TLS 1.2+
     * clients: older versions have nothing better), or none this server chose before. */
    gboolean obsolete = c->offered_max >= TLSDIAG_TLS12 && c->n_suites_total &&
                        !(c->bits & CONN_ANY_MODERN) && (c->bits & CONN_ALL_KNOWN);
    if (!c->n_suites_total) {
        add_cause(j, TLSDIAG_CAUSE_CIPHER_SUITE_MISMATCH,
                  "The ClientHello in frame %u offered no real cipher suite at all (only signalling values or GREASE).",
                  c->hs->client_hello_frame);
    }
    gboolean unseen = (c->bits & CONN_SUITE_UNSEEN) && svc && svc->n_suites;
    if (obsolete || unseen || j->end->alert_desc == TLSDIAG_ALERT_INSUFFICIENT_SECURITY) {
        g_string_assign(s, "");
        suite_list(c, s);
        if (unseen)
            g_string_append_printf(s, "; other handshakes to this server chose %s (frame %u), which this client does not offer",
                                   tlsdiag_suite_name(svc->suites[0]) ? tlsdiag_suite_name(svc->suites[0]) : "another suite",
                                   svc->suite_frames[0]);
        add_cause(j, TLSDIAG_CAUSE_CIPHER_SUITE_MISMATCH, "The client offered %u suite%s: %s%s.",
                  c->n_suites_total, c->n_suites_total == 1 ? "" : "s", s->str,
                  obsolete ? " — none of them both AEAD and forward-secret, which a modern server requires" : "");
    }

    /* Groups: none of the groups this server used before is offered. */
    if ((c->bits & CONN_GROUP_UNSEEN) && svc && svc->n_groups) {
        g_string_assign(s, "");
        group_list(c, s);
        const char *g = tlsdiag_group_name(svc->groups[0]);
        g_snprintf(b, sizeof b, "0x%04x", svc->groups[0]);
        add_cause(j, TLSDIAG_CAUSE_NO_COMMON_GROUP,
                  "The client supports %s; other handshakes to this server used %s (frame %u), which this client does not offer.",
                  s->str, g ? g : b, svc->group_frames[0]);
    }

    if (j->v->n_causes == before) {
        if (!c->sni) {
            add_cause(j, TLSDIAG_CAUSE_MISSING_SNI,
                      "The ClientHello in frame %u has no server_name extension, and the server refused it %s (frame %u).",
                      c->hs->client_hello_frame, when_words(c, j->end, when, sizeof when), j->end->frame);
        } else {
            g_string_assign(s, "");
            offered_versions(c, s);
            g_string_append_printf(s, "; %u suites: ", c->n_suites_total);
            suite_list(c, s);
            g_string_append(s, "; groups ");
            group_list(c, s);
            add_cause(j, TLSDIAG_CAUSE_CLIENT_HELLO_REJECTED,
                      "The server refused the ClientHello in frame %u for SNI '%s'. Offered: %s%s%s. Versions, suites and "
                      "groups look acceptable: compare signature algorithms and extensions with the server's configuration.",
                      c->hs->client_hello_frame, c->sni, s->str, c->alpn ? "; ALPN " : "", c->alpn ? c->alpn : "");
        }
    }
    g_string_free(s, TRUE);
}

/* An alert we cannot read: say who sent it at which stage, and what that
 * most likely means; in TLS 1.3 the client's flight tells whether it had been
 * asked for a certificate (an empty Certificate record is 8 bytes + type +
 * tag = 25). */
static void
judge_encrypted_alert(judge_ctx *j)
{
    const tlsdiag_conn *c = j->conn;
    const tlsdiag_end *e = j->end;
    const gboolean tls13 = c->sh_version == TLSDIAG_TLS13;
    const gboolean client_done = tls13 ? c->client_flights > 0 : (c->bits & CONN_CLIENT_FINISH) != 0;

    if (!e->from_server && !client_done) {
        add_cause(j, TLSDIAG_CAUSE_ENCRYPTED_ALERT,
                  "The client sent an encrypted alert in frame %u, after the server's first flight (ServerHello in frame %u) "
                  "and before its own Finished: most likely the client rejected the server — its certificate (expired, "
                  "wrong name, untrusted issuer) or a parameter it chose. Inferred without keys from its position%s.",
                  e->frame, c->sh_frame, tls13 ? " and size" : "");
    } else if (e->from_server && client_done) {
        add_cause(j, TLSDIAG_CAUSE_ENCRYPTED_ALERT,
                  "The server sent an encrypted alert in frame %u, after the client's Finished: most likely the "
                  "server rejected the client, most often over a client certificate that was required or not trusted. "
                  "Inferred without keys from its position%s.", e->frame, tls13 ? " and size" : "");
        if (tls13 && c->client_flight_records >= 2 && c->client_flight_first_len == 25)
            add_cause(j, TLSDIAG_CAUSE_CLIENT_CERT_REQUIRED,
                      "Likely, not certain: the client's flight after the ServerHello had %u encrypted records, the first "
                      "of an empty Certificate message's size (25 bytes), so the server had asked for a client "
                      "certificate and got none; then it sent the alert in frame %u.",
                      c->client_flight_records, e->frame);
        else if (tls13 && c->client_flight_records >= 3)
            add_cause(j, TLSDIAG_CAUSE_CLIENT_CERT_REJECTED,
                      "Likely, not certain: the client's flight after the ServerHello had %u encrypted records "
                      "(Certificate, CertificateVerify, Finished), so it sent a client certificate, and the server "
                      "answered with the alert in frame %u.", c->client_flight_records, e->frame);
    } else {
        add_cause(j, TLSDIAG_CAUSE_ENCRYPTED_ALERT,
                  "The %s sent an encrypted alert in frame %u during the handshake (ServerHello in frame %u); "
                  "without the keys neither its description nor its reason can be read.",
                  side(e->from_server), e->frame, c->sh_frame);
    }
}

static void
judge_alert(judge_ctx *j)
{
    const tlsdiag_conn *c = j->conn;
    const tlsdiag_end *e = j->end;
    gboolean before_sh = !(c->bits & CONN_SERVER_HELLO);
    char a[TLSDIAG_VERSION_NAME_LEN], b[TLSDIAG_VERSION_NAME_LEN];
    GString *s = g_string_new(NULL);

    if (e->alert_desc < 0) {
        judge_encrypted_alert(j);
        g_string_free(s, TRUE);
        return;
    }
    switch (e->alert_desc) {
    case TLSDIAG_ALERT_INAPPROPRIATE_FALLBACK:
        g_string_assign(s, "");
        offered_versions(c, s);
        if (c->bits & CONN_FALLBACK_SCSV)
            add_cause(j, TLSDIAG_CAUSE_INAPPROPRIATE_FALLBACK,
                      "The ClientHello in frame %u offered %s and carried TLS_FALLBACK_SCSV: the client was retrying after an "
                      "earlier attempt failed. The server supports a higher version and refused the downgrade in frame %u.",
                      c->hs->client_hello_frame, s->str, e->frame);
        else
            add_cause(j, TLSDIAG_CAUSE_INAPPROPRIATE_FALLBACK,
                      "The server sent inappropriate_fallback in frame %u, but the ClientHello in frame %u (%s) carries no "
                      "TLS_FALLBACK_SCSV: something on the path may have altered it.",
                      e->frame, c->hs->client_hello_frame, s->str);
        break;
    case TLSDIAG_ALERT_PROTOCOL_VERSION:
        g_string_assign(s, "");
        offered_versions(c, s);
        if (!e->from_server && !before_sh)
            add_cause(j, TLSDIAG_CAUSE_PROTOCOL_VERSION_MISMATCH,
                      "The server picked %s in its ServerHello (frame %u); the client offered %s and refused it with "
                      "protocol_version in frame %u.",
                      vname(c->sh_version, a), c->sh_frame, s->str, e->frame);
        else
            add_cause(j, TLSDIAG_CAUSE_PROTOCOL_VERSION_MISMATCH,
                      "The client offered %s (ClientHello, frame %u); the %s refused with protocol_version in frame %u%s%s.",
                      s->str, c->hs->client_hello_frame, side(e->from_server), e->frame,
                      c->service && c->service->min_version ? "; other handshakes to this server negotiated " : "",
                      c->service && c->service->min_version ? vname(c->service->min_version, b) : "");
        break;
    case TLSDIAG_ALERT_UNRECOGNIZED_NAME:
        if (!c->sni)
            add_cause(j, TLSDIAG_CAUSE_MISSING_SNI,
                      "The ClientHello in frame %u has no server_name extension; the server answered unrecognized_name in frame %u.",
                      c->hs->client_hello_frame, e->frame);
        else
            add_cause(j, TLSDIAG_CAUSE_UNRECOGNIZED_NAME,
                      "The client asked for '%s' (SNI, frame %u); the server has no such name configured and answered "
                      "unrecognized_name in frame %u.",
                      c->sni, c->hs->client_hello_frame, e->frame);
        break;
    case TLSDIAG_ALERT_NO_APPLICATION_PROTOCOL:
        add_cause(j, TLSDIAG_CAUSE_ALPN_MISMATCH,
                  "The client offered ALPN %s (frame %u); the %s supports none of them and sent no_application_protocol in frame %u.",
                  c->alpn ? c->alpn : "(none)", c->hs->client_hello_frame, side(e->from_server), e->frame);
        break;
    case TLSDIAG_ALERT_HANDSHAKE_FAILURE:
    case TLSDIAG_ALERT_INSUFFICIENT_SECURITY:
    case TLSDIAG_ALERT_CLOSE_NOTIFY:
        if (e->from_server && before_sh) {
            judge_refused_hello(j);
            break;
        }
        /* fall through */
    default: {
        const char *meaning = tlsdiag_alert_meaning(e->alert_desc);
        alert_words(e, s);
        if (before_sh)
            g_string_append_printf(s, " in frame %u, in answer to the ClientHello (frame %u)", e->frame, c->hs->client_hello_frame);
        else
            g_string_append_printf(s, " in frame %u, after the ServerHello (frame %u)", e->frame, c->sh_frame);
        add_cause(j, TLSDIAG_CAUSE_HANDSHAKE_ALERT, "The %s sent %s: %s.", side(e->from_server), s->str,
                  meaning ? meaning : e->alert_desc < 0 ? "its description cannot be read without the session keys"
                                                        : "an alert this version of tlsdiag does not know");
        break;
    }
    }
    g_string_free(s, TRUE);
}

static void
judge_close(judge_ctx *j)
{
    const tlsdiag_conn *c = j->conn;
    const tlsdiag_end *e = j->end;
    const char *what = e->kind == TLSDIAG_END_RST ? "a TCP reset (RST)" : "a TCP FIN";
    char when[64];

    if (c->server_bytes)
        return; /* the server had spoken: no rule of this kind names it */
    /* More than one segment (or more than a typical MSS) is what breaks
     * middleboxes that read only the first segment of a ClientHello. */
    if (c->hello_segments >= 2 || c->hello_len > TLSDIAG_LARGE_HELLO_BYTES) {
        char segs[48] = "";
        if (c->hello_segments >= 2)
            g_snprintf(segs, sizeof segs, " in %u TCP segments", c->hello_segments);
        add_cause(j, TLSDIAG_CAUSE_LARGE_CLIENT_HELLO_DROPPED,
                  "The ClientHello in frame %u is %u bytes%s; the %s in frame %u, %.1f ms later, without any TLS alert.",
                  c->hs->client_hello_frame, c->hello_len, segs,
                  !e->from_server ? "server never answered and the client gave up"
                  : e->kind == TLSDIAG_END_RST ? "server side reset the connection" : "server side closed the connection",
                  e->frame, ms_since_hello(c, e));
    }
    if (e->from_server) {
        if (!c->sni)
            add_cause(j, TLSDIAG_CAUSE_MISSING_SNI,
                      "The ClientHello in frame %u has no server_name extension, and the server side closed the connection "
                      "%s (frame %u): typical of an SNI-routing proxy with no route for a client without SNI.",
                      c->hs->client_hello_frame, when_words(c, e, when, sizeof when), e->frame);
        add_cause(j, e->kind == TLSDIAG_END_RST ? TLSDIAG_CAUSE_RESET_AFTER_CLIENT_HELLO : TLSDIAG_CAUSE_CLOSED_AFTER_CLIENT_HELLO,
                  "The server side sent %s in frame %u, %.1f ms after the ClientHello (frame %u%s%s%s), without any TLS alert.",
                  what, e->frame, ms_since_hello(c, e), c->hs->client_hello_frame,
                  c->sni ? ", SNI '" : "", c->sni ? c->sni : "", c->sni ? "'" : "");
    } else {
        add_cause(j, TLSDIAG_CAUSE_NO_SERVER_RESPONSE,
                  "The server sent nothing for %.3f s after the ClientHello (frame %u); the client gave up with %s in frame %u.",
                  ms_since_hello(c, e) / 1000.0, c->hs->client_hello_frame, what, e->frame);
    }
}

static void
judge_not_tls(judge_ctx *j)
{
    const tlsdiag_conn *c = j->conn;
    const tlsdiag_end *e = j->end;
    GString *s = g_string_new(NULL);

    if (c->bits & CONN_HELLO_SEEN) {
        head_words(e, s);
        add_cause(j, TLSDIAG_CAUSE_NOT_TLS,
                  "The server answered the ClientHello (frame %u) with data that is not TLS in frame %u%s: it does not speak TLS on port %u.",
                  c->hs->client_hello_frame, e->frame, s->str, c->server_port);
    } else {
        alert_words(e, s);
        add_cause(j, TLSDIAG_CAUSE_NOT_TLS,
                  "The client never sent a ClientHello; the server on port %u answered its first bytes with a TLS %s in frame %u: "
                  "the client spoke plaintext (or another protocol) to a TLS port.",
                  c->server_port, s->str, e->frame);
    }
    g_string_free(s, TRUE);
}

void
tlsdiag_rules_unread(tlsdiag_verdict *v, guint32 frame)
{
    char *s = g_strdup_printf("%s The missing bytes came later, in frame %u, but Wireshark did not read them as TLS "
                              "(to it they repeat data already acknowledged): with the TCP preference 'Reassemble "
                              "out-of-order segments' (tcp.reassemble_out_of_order) it reads them and the verdict can "
                              "be finished.", v->summary, frame);
    g_free(v->summary);
    v->summary = s;
}

tlsdiag_verdict *
tlsdiag_rules_judge_renegotiation(const tlsdiag_conn *c, const tlsdiag_end *e)
{
    tlsdiag_verdict *v = g_new0(tlsdiag_verdict, 1);
    const guint32 start = c->reneg->client_hello_frame;
    GString *how = g_string_new(NULL);

    if (e->kind == TLSDIAG_END_ALERT)
        alert_words(e, how);
    else
        g_string_append_printf(how, "a TCP %s", e->kind == TLSDIAG_END_RST ? "reset" : "FIN");

    /* A plaintext hello is a first handshake repeated (its SCSV and missing
     * renegotiation_info follow from that): one cause, whichever Wireshark
     * version could read it. */
    if (c->reneg_flags & RENEG_PLAIN)
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_NEW_HANDSHAKE_ON_ESTABLISHED,
                            "After the handshake of frame %u succeeded, the client sent a plaintext ClientHello in "
                            "frame %u on the same connection, as if it had lost its TLS state%s; the %s answered with %s "
                            "in frame %u.", c->hs->client_hello_frame, start,
                            (c->reneg_flags & RENEG_HELLO_SEEN) ? ""
                            : " (Wireshark shows it as an encrypted handshake message, but its bytes are a ClientHello)",
                            side(e->from_server), how->str, e->frame);
    else if (c->reneg_flags & (RENEG_SCSV | RENEG_NO_INFO))
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_RENEGOTIATION_SCSV_MISUSE,
                            "The renegotiation ClientHello in frame %u %s: the server must refuse it (RFC 5746 3.5), "
                            "and did with %s in frame %u.", start,
                            (c->reneg_flags & RENEG_SCSV) && (c->reneg_flags & RENEG_NO_INFO)
                                ? "carries TLS_EMPTY_RENEGOTIATION_INFO_SCSV and no renegotiation_info"
                            : (c->reneg_flags & RENEG_SCSV) ? "carries TLS_EMPTY_RENEGOTIATION_INFO_SCSV"
                                                            : "has no renegotiation_info",
                            how->str, e->frame);
    tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_RENEGOTIATION_REFUSED,
                        "On the connection established by the handshake of frame %u, the %s started a new handshake in "
                        "frame %u (%s); it ended with %s from the %s in frame %u.",
                        c->hs->client_hello_frame, (c->reneg_flags & RENEG_BY_SERVER) ? "server" : "client", start,
                        (c->reneg_flags & RENEG_PLAIN) ? "a plaintext ClientHello"
                        : (c->reneg_flags & RENEG_HELLO_SEEN) ? "a ClientHello, read with the session keys"
                        : "an encrypted handshake record", how->str, side(e->from_server), e->frame);
    v->summary = g_strdup_printf("Renegotiation started in frame %u on an established connection (handshake of frame "
                                 "%u), ended by %s from the %s in frame %u.", start, c->hs->client_hello_frame,
                                 how->str, side(e->from_server), e->frame);
    g_string_free(how, TRUE);
    return v;
}

void
tlsdiag_rules_notes(const tlsdiag_conn *c, tlsdiag_outcome outcome, tlsdiag_verdict *v)
{
    char a[TLSDIAG_VERSION_NAME_LEN];
    const guint32 hello = c->hs ? c->hs->client_hello_frame : 0;
    const gboolean up_to_12 = (c->bits & CONN_SERVER_HELLO) ? c->sh_version && c->sh_version < TLSDIAG_TLS13
                                                           : c->offered_max && c->offered_max < TLSDIAG_TLS13;

    if (c->bits & CONN_SSLV2_HELLO)
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_SSLV2_CLIENT_HELLO,
                            "The ClientHello in frame %u is in the SSL 2.0 record format.", hello);
    if (outcome == TLSDIAG_OUTCOME_ESTABLISHED && c->sh_version && c->sh_version <= TLSDIAG_TLS11)
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_WEAK_PROTOCOL,
                            "The server chose %s in its ServerHello (frame %u) and the handshake succeeded.",
                            vname(c->sh_version, a), c->sh_frame);
    if ((c->bits & CONN_HRR) && c->hrr_frame) {
        const char *g = tlsdiag_group_name(c->hrr_group);
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_HELLO_RETRY_REQUEST,
                            "The server answered the first ClientHello with a HelloRetryRequest in frame %u asking for "
                            "a key share for %s%s; the client sent a second ClientHello: one extra round trip.",
                            c->hrr_frame, g ? g : "group", g ? "" : " (unknown)");
    }
    if (outcome == TLSDIAG_OUTCOME_ESTABLISHED && (c->bits & CONN_RESUME_OFFERED)) {
        /* TLS 1.3: the ServerHello takes the PSK; older: no Certificate, an abbreviated handshake. */
        gboolean resumed = c->sh_version == TLSDIAG_TLS13 ? (c->bits & CONN_SH_PSK) != 0
                                                          : !(c->bits & CONN_SERVER_CERT);
        if (resumed)
            tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_SESSION_RESUMED,
                                "The ClientHello in frame %u offered an earlier session and the server resumed it "
                                "(ServerHello in frame %u, no certificate sent).", hello, c->sh_frame);
        else
            tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_RESUMPTION_DECLINED,
                                "The ClientHello in frame %u offered an earlier session; the server did a full "
                                "handshake instead (ServerHello in frame %u, with its certificate).", hello, c->sh_frame);
    }
    /* RFC 5746 matters up to TLS 1.2; an SSLv2-format hello cannot carry the extension. */
    if (up_to_12 && !(c->bits & CONN_SSLV2_HELLO) && (c->bits & CONN_HELLO_SEEN)) {
        gboolean offered = (c->bits & (CONN_RENEGO_INFO | CONN_RENEGO_SCSV)) != 0;
        if (!offered)
            tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_RENEGOTIATION_INSECURE,
                                "The ClientHello in frame %u has neither renegotiation_info nor "
                                "TLS_EMPTY_RENEGOTIATION_INFO_SCSV: the client does not support RFC 5746.", hello);
        else if ((c->bits & CONN_SERVER_HELLO) && !(c->bits & CONN_SH_RENEGO_INFO))
            tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_RENEGOTIATION_INSECURE,
                                "The client signalled RFC 5746 support, but the ServerHello in frame %u has no "
                                "renegotiation_info: the server does not support secure renegotiation.", c->sh_frame);
    }
    tlsdiag_certs_warn(c, v);
}

tlsdiag_verdict *
tlsdiag_rules_judge(const tlsdiag_conn *conn, const tlsdiag_end *end, tlsdiag_outcome outcome)
{
    judge_ctx j = { conn, end, g_new0(tlsdiag_verdict, 1) };

    if (outcome == TLSDIAG_OUTCOME_ABANDONED) {
        /* Nothing to blame: say what happened, and what is always worth saying. */
        tlsdiag_rules_notes(conn, outcome, j.v);
        j.v->summary = abandoned_sentence(&j);
        return j.v;
    }
    /* The certificates, when they explain it, say more than the alert. */
    if (!tlsdiag_certs_judge(conn, end, j.v)) {
        switch (end->kind) {
        case TLSDIAG_END_ALERT:   judge_alert(&j);   break;
        case TLSDIAG_END_RST:
        case TLSDIAG_END_FIN:     judge_close(&j);   break;
        case TLSDIAG_END_NOT_TLS: judge_not_tls(&j); break;
        }
    }
    tlsdiag_rules_notes(conn, TLSDIAG_OUTCOME_FAILED, j.v);
    j.v->summary = summary_sentence(&j);
    return j.v;
}

void
tlsdiag_verdict_free(tlsdiag_verdict *v)
{
    if (!v)
        return;
    for (guint i = 0; i < v->n_causes; i++)
        g_free(v->evidence[i]);
    g_free(v->summary);
    g_free(v);
}

const char *
tlsdiag_handshake_summary(const tlsdiag_handshake *hs, gboolean capture_done, char *buf, gsize len)
{
    char a[TLSDIAG_VERSION_NAME_LEN];
    const char *suite = tlsdiag_suite_name(hs->suite);

    if (hs->verdict && hs->verdict->summary)
        return hs->verdict->summary;
    switch (hs->outcome) {
    case TLSDIAG_OUTCOME_ESTABLISHED:
        if (suite)
            g_snprintf(buf, (gulong)len, "%s handshake established with %s (ClientHello in frame %u, done in frame %u).",
                       vname(hs->version, a), suite, hs->client_hello_frame, hs->outcome_frame);
        else
            g_snprintf(buf, (gulong)len, "%s handshake established with suite 0x%04x (ClientHello in frame %u, done in frame %u).",
                       vname(hs->version, a), hs->suite, hs->client_hello_frame, hs->outcome_frame);
        break;
    case TLSDIAG_OUTCOME_INCOMPLETE:
        g_snprintf(buf, (gulong)len, "The capture began after this connection's ClientHello: its handshake cannot be judged.");
        break;
    default:
        if (capture_done)
            g_snprintf(buf, (gulong)len, "The capture ended before this handshake finished.");
        else
            g_snprintf(buf, (gulong)len, "Handshake in progress.");
        break;
    }
    return buf;
}
