/* causes/judge.c — the judge: the tracker's one hook (tlsdiag_judge_fn).
 * It is told what happened (a tlsdiag_report) and decides why, asking the
 * rules in the order stated here; it also says, in sentences, what the
 * capture showed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "causes/judge.h"
#include "causes/rules.h"

/* A close the capture cannot fully explain: it lacks bytes one side sent. */
static void
missing_words(const tlsdiag_report *r, GString *s)
{
    const guint32 server = r->server_missing, client = r->client_missing;

    if (!(r->hs->flags & TLSDIAG_HS_PROVISIONAL))
        return;
    g_string_append(s, " At that point the capture lacked ");
    if (server)
        g_string_append_printf(s, "%u byte%s the server had sent%s", server, server == 1 ? "" : "s", client ? " and " : "");
    if (client)
        g_string_append_printf(s, "%u byte%s the client had sent", client, client == 1 ? "" : "s");
    g_string_append(s, " (lost or reordered by the capture, or still to come), so this verdict is provisional: "
                       "later frames may show the handshake finished.");
}

/* Where a packet a device on the path sent in one side's name came from. */
static const char *
path_side(const tlsdiag_end *e)
{
    return e->from_server ? "server's side (likely a device on the path, not the server)"
                          : "client's side (likely a device on the path, not the client)";
}

/* What happened, in one sentence. */
static char *
summary_sentence(const judge_ctx *j)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_end *e = j->end;
    GString *s = g_string_new(NULL);

    if ((c->bits & FACT_HIDDEN_HELLO) && c->decoded_as) {
        g_string_append_printf(s, "ClientHello in frame %u (not decoded by Wireshark, which reads this connection as "
                               "%s) ", c->hs->client_hello_frame, c->decoded_as);
    } else if (c->bits & FACT_HIDDEN_HELLO) {
        g_string_append_printf(s, "ClientHello in frame %u (not decoded by Wireshark: port %u is not one it reads as "
                               "TLS) ", c->hs->client_hello_frame, c->server_port);
    } else if (c->bits & FACT_HELLO_CUT) {
        g_string_append_printf(s, "ClientHello in frame %u (cut by the capture to %u bytes: what it offers is not "
                               "in it) ", c->hs->client_hello_frame, c->cut.captured);
        if (c->bits & FACT_SERVER_HELLO)
            g_string_append_printf(s, "and ServerHello in frame %u ", c->sh_frame);
    } else if (c->bits & FACT_PLAIN_REQUEST) {
        g_string_append_printf(s, "The client sent plaintext in frame %u (\"%s\") where a ClientHello was due, ",
                               c->plain_frame, c->plain_head);
    } else if (c->bits & FACT_HELLO_SEEN) {
        g_string_append_printf(s, "ClientHello in frame %u (", c->hs->client_hello_frame);
        words_offered(c, s);
        g_string_append_printf(s, ", %u cipher suite%s%s, SNI %s%s%s) ", c->n_suites_total,
                               c->n_suites_total == 1 ? "" : "s",
                               (c->bits & FACT_FALLBACK_SCSV) ? " + TLS_FALLBACK_SCSV" : "",
                               c->sni ? "'" : "", c->sni ? c->sni : "absent", c->sni ? "'" : "");
        if (c->bits & FACT_SERVER_HELLO) {
            char a[TLSDIAG_VERSION_NAME_LEN];
            g_string_append_printf(s, "and ServerHello in frame %u (%s) ", c->sh_frame, words_version_of(c, c->sh_version, a));
        }
    } else {
        g_string_append(s, "No ClientHello on this connection; ");
    }
    if (c->bits & FACT_CLOSED_UNUSED)
        g_string_append(s, "completed, and before any data ");
    switch (e->kind) {
    case TLSDIAG_END_ALERT:
        if (j->v->sender == TLSDIAG_SENDER_PATH) {
            g_string_append(s, "ended by ");
            words_an_alert(e, s);
            g_string_append_printf(s, " from the %s in frame %u", path_side(e), e->frame);
        } else {
            g_string_append_printf(s, "ended by the %s's ", words_side(e->from_server));
            words_alert(e, s);
            g_string_append_printf(s, " in frame %u", e->frame);
        }
        if (e->close_reason)
            g_string_append_printf(s, " (QUIC reason phrase \"%s\")", e->close_reason);
        break;
    case TLSDIAG_END_RST:
    case TLSDIAG_END_FIN: {
        char what[160], ms[TLSDIAG_MS_LEN], no_alert[TLSDIAG_NO_ALERT_LEN];
        if (!e->quic_close)
            g_strlcpy(what, e->kind == TLSDIAG_END_RST ? "a TCP reset" : "a TCP FIN", sizeof what);
        g_string_append_printf(s, "ended by %s from the %s in frame %u, %s after %s",
                               e->quic_close ? words_close(e, what, sizeof what) : what,
                               j->v->sender == TLSDIAG_SENDER_PATH ? path_side(e) : words_side(e->from_server),
                               e->frame, words_since_hello(c, e, ms),
                               (c->bits & FACT_PLAIN_REQUEST) ? "the client's request" : "the ClientHello");
        if (!e->quic_close)
            g_string_append_printf(s, ", %s", words_no_alert(c, e, "with no TLS alert", no_alert));
        break;
    }
    case TLSDIAG_END_UNREACHABLE: {
        char ms[TLSDIAG_MS_LEN];
        g_string_append_printf(s, "answered in frame %u by an ICMP%s %s from the %s, %s later",
                               e->frame, e->icmp_family == 6 ? "v6" : "",
                               tlsdiag_icmp_unreachable_name(e->icmp_family, e->icmp_code),
                               e->icmp_from_server ? "server's address" : "path", words_since_hello(c, e, ms));
        break;
    }
    case TLSDIAG_END_NOT_TLS:
        if ((c->bits & FACT_HELLO_SEEN) || ((c->bits & FACT_PLAIN_REQUEST) && e->alert_desc < 0)) {
            g_string_append_printf(s, "answered in frame %u with data that is not TLS", e->frame);
            words_head(e, s);
        } else {
            g_string_append_printf(s, "the server answered the client's first bytes with a TLS ");
            words_alert(e, s);
            g_string_append_printf(s, " in frame %u", e->frame);
        }
        break;
    }
    g_string_append_c(s, '.');
    if ((c->bits & FACT_HELLO_SEEN) && !(c->bits & FACT_SYN_SEEN))
        g_string_append(s, " The capture began after the TCP handshake, so this may not be the connection's first TLS handshake.");
    missing_words(j->report, s);
    return tlsdiag_verdict_text(s);
}

/* What decided it, in one short clause for the expert infos (which sit on
 * the deciding frame, so it needs no frame number). */
static char *
brief_clause(const judge_ctx *j)
{
    const tlsdiag_end *e = j->end;
    const gboolean path = j->v->sender == TLSDIAG_SENDER_PATH;
    const char *provisional = (j->report->hs->flags & TLSDIAG_HS_PROVISIONAL) ? " (provisional: bytes missing)" : "";
    const char *name;
    char what[64];

    if (j->report->outcome == TLSDIAG_OUTCOME_ABANDONED)
        return g_strdup_printf("the client gave up with a TCP %s before the server %s",
                               e->kind == TLSDIAG_END_RST ? "reset" : "FIN",
                               (j->facts->bits & FACT_SERVER_UNACKED) ? "'s answer reached it (lost on the way)"
                                                                     : "answered");
    switch (e->kind) {
    case TLSDIAG_END_ALERT:
        name = tlsdiag_alert_name(e->alert_desc);
        if (e->alert_desc < 0)
            g_strlcpy(what, "an encrypted alert", sizeof what);
        else
            g_snprintf(what, sizeof what, "%salert %s (%d)", e->alert_level == 1 ? "warning " : "",
                       name ? name : "unknown", e->alert_desc);
        break;
    case TLSDIAG_END_RST:
    case TLSDIAG_END_FIN:
        g_strlcpy(what, e->quic_close ? "a QUIC close" : e->kind == TLSDIAG_END_RST ? "a TCP reset" : "a TCP FIN",
                  sizeof what);
        break;
    case TLSDIAG_END_UNREACHABLE:
        return g_strdup_printf("answered by an ICMP%s %s from the %s", e->icmp_family == 6 ? "v6" : "",
                               tlsdiag_icmp_unreachable_name(e->icmp_family, e->icmp_code),
                               e->icmp_from_server ? "server's address" : "path");
    default:
        return g_strdup((j->facts->bits & FACT_HELLO_SEEN) ? "answered with data that is not TLS"
                                                            : "the client's first bytes were not a ClientHello");
    }
    if (path)
        return g_strdup_printf("ended by %s, likely from the path%s", what, provisional);
    return g_strdup_printf("ended by the %s's %s%s", words_side(e->from_server),
                           g_str_has_prefix(what, "a ")    ? what + 2
                           : g_str_has_prefix(what, "an ") ? what + 3
                                                           : what,
                           provisional);
}

/* The client gave up before the server could answer, or without reading its answer. */
static char *
abandoned_sentence(const judge_ctx *j)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_end *e = j->end;
    GString *s = g_string_new(NULL);
    char ms[TLSDIAG_MS_LEN];

    g_string_append_printf(s, "The client closed the connection with a TCP %s in frame %u, %s after its ClientHello "
                           "(frame %u), ", e->kind == TLSDIAG_END_RST ? "reset" : "FIN", e->frame,
                           words_since_hello(c, e, ms), c->hs->client_hello_frame);
    if (c->bits & FACT_SERVER_UNACKED) {
        g_string_append_printf(s, "before the server's answer reached it: the server sent it from frame %u and again, "
                               "and the client's TCP acknowledged ", c->first_server_payload_frame);
        if (c->server_acked)
            g_string_append_printf(s, "the first %u bytes and none after", c->server_acked);
        else
            g_string_append(s, "none of it");
        g_string_append(s, ". Lost on the way, and the client did not wait for TCP to recover it: it abandoned the "
                           "handshake (a benchmark tool dropping a spare connection, a client with a short timeout). "
                           "A client on a path that keeps losing the server's answer (an MTU black hole) waits its "
                           "timeout, seconds, on every attempt.");
        return tlsdiag_verdict_text(s);
    }
    if (c->bits & FACT_CLIENT_UNACKED) {
        g_string_append(s, "before the server acknowledged the client's last flight: still on the way or lost, the "
                           "server could not have answered it, and the client did not wait for TCP to recover it: it "
                           "abandoned the handshake (a benchmark tool dropping a spare connection, a client with a "
                           "short timeout), which says nothing about the server.");
        return tlsdiag_verdict_text(s);
    }
    if (c->server_bytes)
        g_string_append_printf(s, "without reading the server's answer (frame %u; closing with data unread is what "
                               "makes a reset) and without an alert", c->first_server_payload_frame);
    else
        g_string_append(s, "before the server could answer");
    g_string_append(s, ": it abandoned the handshake (a scanner's probe, a health check or a cancelled connection), "
                       "which says nothing about the server.");
    return tlsdiag_verdict_text(s);
}

/* A provisional failure's missing bytes came, but Wireshark did not read
 * them as TLS: say so, and how to make it. */
static tlsdiag_draft *
judge_unread(const tlsdiag_report *r)
{
    tlsdiag_draft *v = tlsdiag_verdict_reopen(r->hs->verdict);
    char *s = g_strdup_printf("%s The missing bytes came later, in frame %u, but Wireshark did not read them as TLS "
                              "(to it they repeat data already acknowledged): with the TCP preference 'Reassemble "
                              "out-of-order segments' (tcp.reassemble_out_of_order) it reads them and the verdict can "
                              "be finished.", v->summary, r->frame);
    g_free(v->summary);
    v->summary = s;
    return v;
}

/* It was established though the capture cut frames of it: what was not
 * read for that. */
static char *
cut_established(const judge_ctx *j)
{
    const tlsdiag_facts *c = j->facts;
    const char *suite = tlsdiag_suite_name(c->sh_suite);
    char a[TLSDIAG_VERSION_NAME_LEN];
    GString *s = g_string_new(NULL);

    if (c->sh_version && suite)
        g_string_append_printf(s, "%s handshake established with %s", words_version_of(c, c->sh_version, a), suite);
    else
        g_string_append(s, "Handshake established");
    g_string_append_printf(s, " (ClientHello in frame %u, done in frame %u), though the capture cut ",
                           c->hs->client_hello_frame, c->hs->outcome_frame);
    words_cut(c, s);
    const gboolean ch = (c->bits & FACT_HELLO_CUT) != 0, sh = !(c->bits & FACT_SERVER_HELLO);
    g_string_append_printf(s, ": Wireshark could not read the records in the part cut off%s.",
                           ch && sh ? ", its ClientHello and ServerHello among them"
                           : ch     ? ", its ClientHello among them"
                           : sh     ? ", its ServerHello among them"
                                    : "");
    return tlsdiag_verdict_text(s);
}

/* A handshake settled. Precedence, most specific first: for a failure, a
 * device on the path when it ended it (filtering by name first), then the
 * certificates when they explain its end, else what ended it (an alert, a
 * close, an answer that is not TLS); then, whatever the outcome, what is
 * always worth saying. A success keeps a verdict only when something was said. */
static tlsdiag_draft *
judge_handshake(const tlsdiag_report *r)
{
    judge_ctx j = { r, r->facts, r->end, g_new0(tlsdiag_draft, 1) };

    if (r->end && r->outcome == TLSDIAG_OUTCOME_FAILED)
        rules_sender(&j);
    if (r->end && (r->facts->bits & FACT_ONE_WAY)) {
        rules_one_way(&j);      /* nothing of the server's to judge by */
    } else if (r->end && (r->facts->bits & FACT_CUT_UNJUDGED)) {
        rules_truncated(&j);    /* what decides is in the part the capture cut off */
    } else if (r->end && (r->facts->bits & FACT_PLAIN_REQUEST)) {
        judge_not_tls(&j);      /* however the server ended it */
    } else if (r->end && r->outcome != TLSDIAG_OUTCOME_ABANDONED && (rules_path(&j), !rules_certs(&j))) {
        switch (r->end->kind) {
        case TLSDIAG_END_ALERT:   judge_alert(&j);   break;
        case TLSDIAG_END_RST:
        case TLSDIAG_END_FIN:     judge_close(&j);   break;
        case TLSDIAG_END_NOT_TLS: judge_not_tls(&j); break;
        case TLSDIAG_END_UNREACHABLE: judge_unreachable(&j); break;
        }
    }
    rules_notes(r->facts, r->outcome, j.v);
    if (r->facts->probe_n)
        rules_probe(&j);
    if (r->facts->bits & (FACT_ONE_WAY | FACT_CUT_UNJUDGED))
        return j.v;
    if (r->end)
        j.v->brief = brief_clause(&j);
    else if (r->facts->bits & FACT_CERT_UNCONFIRMED)
        j.v->brief = g_strdup("established as far as the capture shows");
    if (r->outcome == TLSDIAG_OUTCOME_ABANDONED)
        j.v->summary = abandoned_sentence(&j);
    else if (r->end)
        j.v->summary = summary_sentence(&j);
    else if (r->outcome == TLSDIAG_OUTCOME_ESTABLISHED && r->facts->cut.frames)
        j.v->summary = cut_established(&j);
    else if (!j.v->n_causes) {
        tlsdiag_draft_free(j.v);
        return NULL;
    }
    return j.v;
}

tlsdiag_draft *
tlsdiag_judge(const tlsdiag_report *r)
{
    switch (r->kind) {
    case TLSDIAG_REPORT_HANDSHAKE:     return judge_handshake(r);
    case TLSDIAG_REPORT_RENEGOTIATION: return rules_renegotiation(r);
    case TLSDIAG_REPORT_RECOVERED:     return rules_recovered(r);
    case TLSDIAG_REPORT_STORM:         return rules_storm(r);
    case TLSDIAG_REPORT_UNREAD:        return judge_unread(r);
    case TLSDIAG_REPORT_LOST:          return judge_lost(r);
    case TLSDIAG_REPORT_RESENT:        return rules_resent(r);
    case TLSDIAG_REPORT_UNFINISHED:    return rules_unfinished(r);
    case TLSDIAG_REPORT_PROBE:         return rules_probe_found(r);
    }
    return NULL;
}

const char *
tlsdiag_handshake_summary(const tlsdiag_handshake *hs, gboolean capture_done, char *buf, gsize len)
{
    char a[TLSDIAG_VERSION_NAME_LEN];
    const char *suite = tlsdiag_suite_name(hs->suite);

    if (tlsdiag_verdict_summary(hs->verdict))
        return tlsdiag_verdict_summary(hs->verdict);
    switch (hs->outcome) {
    case TLSDIAG_OUTCOME_ESTABLISHED:
        if (hs->flags & TLSDIAG_HS_HIDDEN)   /* TLS Wireshark did not decode: records seen by their headers */
            g_snprintf(buf, (gulong)len, "Handshake likely established: TLS records went both ways, read by their "
                       "headers only (ClientHello in frame %u, done in frame %u).", hs->client_hello_frame,
                       hs->outcome_frame);
        else if (!hs->version && !hs->suite && !(hs->flags & TLSDIAG_HS_SERVER_HELLO))
            g_snprintf(buf, (gulong)len, "Handshake established, though Wireshark read no ServerHello (a segment of "
                       "it missing or out of order in the capture; ClientHello in frame %u, done in frame %u).",
                       hs->client_hello_frame, hs->outcome_frame);
        else if (!hs->version && !hs->suite)
            g_snprintf(buf, (gulong)len, "Handshake established (ClientHello in frame %u, done in frame %u); its "
                       "ServerHello's version and suite could not be read.", hs->client_hello_frame,
                       hs->outcome_frame);
        else if (suite)
            g_snprintf(buf, (gulong)len, "%s handshake established with %s (ClientHello in frame %u, done in frame %u).",
                       words_version(hs->version, a), suite, hs->client_hello_frame, hs->outcome_frame);
        else
            g_snprintf(buf, (gulong)len, "%s handshake established with suite 0x%04x (ClientHello in frame %u, done in frame %u).",
                       words_version(hs->version, a), hs->suite, hs->client_hello_frame, hs->outcome_frame);
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
