/* causes/rules-chain.c — what an attempt chain means: a server that failed
 * the client's best version but took a lower one is version-intolerant; too
 * many failed attempts in a row are a storm; and the chain in words.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "causes/judge.h"
#include "causes/rules.h"

#define NS_PER_S G_GINT64_CONSTANT(1000000000)

static double
seconds(gint64 from_ns, gint64 to_ns)
{
    return (double)(to_ns - from_ns) / NS_PER_S;
}

/* From one attempt's ClientHello to another's (both in a chain). */
static double
between(const tlsdiag_handshake *from, const tlsdiag_handshake *to)
{
    return seconds(tlsdiag_hs_hello_ns(from), tlsdiag_hs_hello_ns(to));
}

/* A failure a lower-version retry cured: the server (or something in front of
 * it) could not take the ClientHello, rather than refusing a choice in it. */
static gboolean
failed_on_hello(const tlsdiag_handshake *hs)
{
    if (hs->outcome != TLSDIAG_OUTCOME_FAILED || hs->version || !hs->verdict)
        return FALSE;
    for (guint i = 0; i < hs->verdict->n_causes; i++) {
        switch (hs->verdict->causes[i]) {
        case TLSDIAG_CAUSE_RESET_AFTER_CLIENT_HELLO:
        case TLSDIAG_CAUSE_CLOSED_AFTER_CLIENT_HELLO:
        case TLSDIAG_CAUSE_NO_SERVER_RESPONSE:
        case TLSDIAG_CAUSE_LARGE_CLIENT_HELLO_DROPPED:
        case TLSDIAG_CAUSE_PROTOCOL_VERSION_MISMATCH:
        case TLSDIAG_CAUSE_CLIENT_HELLO_REJECTED:
        case TLSDIAG_CAUSE_HANDSHAKE_ALERT:
            break;
        default:
            return FALSE;
        }
    }
    return TRUE;
}

static const char *
first_cause_title(const tlsdiag_handshake *hs)
{
    const tlsdiag_cause_info *ci = hs->verdict && hs->verdict->n_causes
                                 ? tlsdiag_cause_get(hs->verdict->causes[0]) : NULL;
    return ci ? ci->title : "no cause named";
}

/* A handshake's (normalized) version, named as DTLS's in a DTLS handshake. */
static const char *
hs_version_name(const tlsdiag_handshake *hs, guint16 v, char *buf)
{
    return tlsdiag_version_name((hs->flags & TLSDIAG_HS_DTLS) ? tlsdiag_version_dtls(v) : v, buf,
                                TLSDIAG_VERSION_NAME_LEN);
}

tlsdiag_draft *
rules_recovered(const tlsdiag_report *r)
{
    const tlsdiag_handshake *p = r->hs, *ok = r->other;
    char a[TLSDIAG_VERSION_NAME_LEN], b[TLSDIAG_VERSION_NAME_LEN], c[TLSDIAG_VERSION_NAME_LEN];
    tlsdiag_draft *d;

    if (!ok->version || p->offered_max <= ok->offered_max || !failed_on_hello(p))
        return NULL;
    d = tlsdiag_verdict_reopen(p->verdict);
    tlsdiag_verdict_add(d, TRUE, TLSDIAG_CAUSE_VERSION_INTOLERANCE,
                        "The ClientHello in frame %u offered up to %s and failed (%s); the same client's "
                        "retry in frame %u offered up to %s and the server accepted it with %s.",
                        p->client_hello_frame, hs_version_name(p, p->offered_max, a),
                        first_cause_title(p), ok->client_hello_frame, hs_version_name(ok, ok->offered_max, b),
                        hs_version_name(ok, ok->version, c));
    return d;
}

static gboolean
has_cause(const tlsdiag_verdict *v, tlsdiag_cause cause)
{
    for (guint i = 0; v && i < v->n_causes; i++)
        if (v->causes[i] == cause)
            return TRUE;
    return FALSE;
}

/* (A scanner's failed probes are no retries: no storm.) */
tlsdiag_draft *
rules_storm(const tlsdiag_report *r)
{
    const tlsdiag_handshake *hs = r->hs, *first = tlsdiag_hs_first(hs);
    tlsdiag_draft *d;

    if (!hs->verdict || has_cause(hs->verdict, TLSDIAG_CAUSE_TLS_SCAN))
        return NULL;
    d = tlsdiag_verdict_reopen(hs->verdict);
    tlsdiag_verdict_add(d, FALSE, TLSDIAG_CAUSE_RETRY_STORM,
                        "This is failed attempt %u of %s to this service in %.1f s (the first in frame %u), "
                        "each within %u s of the previous failure; none succeeded.",
                        hs->attempt, hs->client, seconds(tlsdiag_hs_hello_ns(first), r->ts_ns),
                        first->client_hello_frame, r->window_s);
    return d;
}

/* Hello number n of a run that began in first_frame (since: seconds
 * before, < 0: not said). First: that it is a probe frames the rest (a
 * refusal is the scan's answer; a close after the server's flight is the
 * scanner's own, not a refused certificate). */
static void
probe_words(tlsdiag_draft *d, guint n, const char *client, guint32 first_frame, double since)
{
    GString *ev = g_string_new(NULL);
    char when[48] = "";

    if (since >= 0)
        g_snprintf(when, sizeof when, ", %.1f s earlier", since);
    if (n == 1)
        tlsdiag_phrase(ev, "This ClientHello is the first of a run from %s to this service", client);
    else
        tlsdiag_phrase(ev, "This ClientHello is number %u of a run from %s to this service that began in frame %u%s",
                       n, client, first_frame, when);
    tlsdiag_phrase(ev, ": each came within a second of the one before and offered what none of the seven before it "
                   "did (cipher suites, versions or groups). That is how a TLS scanner (sslscan, nmap's "
                   "ssl-enum-ciphers, testssl.sh) finds out what the server accepts; a client that retries offers "
                   "the same again. Likely a scan's probe: its outcome says what the server accepts, not that its "
                   "clients fail.");
    tlsdiag_verdict_add_phrases(d, TRUE, TLSDIAG_CAUSE_TLS_SCAN, ev);
    g_string_free(ev, TRUE);
}

void
rules_probe(judge_ctx *j)
{
    const tlsdiag_facts *c = j->facts;
    probe_words(j->v, c->probe_n, c->hs->client ? c->hs->client : "the client", c->probe_first_frame,
                seconds(c->probe_first_ns, c->hello_ts_ns));
}

tlsdiag_draft *
rules_probe_found(const tlsdiag_report *r)
{
    const tlsdiag_handshake *hs = r->hs;
    tlsdiag_draft *d = hs->verdict ? tlsdiag_verdict_reopen(hs->verdict) : g_new0(tlsdiag_draft, 1);
    /* (Its failure, counted as a retry, may have made a storm.) */
    tlsdiag_verdict_drop(d, TLSDIAG_CAUSE_RETRY_STORM);
    probe_words(d, r->probe_n, hs->client ? hs->client : "the client", r->frame, -1);
    return d;
}

const char *
tlsdiag_attempt_story(const tlsdiag_handshake *hs, gboolean capture_done, char *buf, gsize len)
{
    const tlsdiag_handshake *p = tlsdiag_hs_prev(hs), *ok = tlsdiag_hs_recovered_by(hs);
    const tlsdiag_handshake *first = tlsdiag_hs_first(hs), *next = tlsdiag_hs_next(hs);
    GString *s;

    if (!hs->attempt || (hs->attempt == 1 && !(capture_done && next)))
        return NULL;
    s = g_string_new(NULL);
    g_string_append_printf(s, "Attempt %u from %s to this service", hs->attempt, hs->client);
    if (p)
        g_string_append_printf(s, ", %.1f s after attempt %u (frame %u) failed: %s",
                               between(p, hs), p->attempt, p->client_hello_frame,
                               first_cause_title(p));
    g_string_append(s, ".");
    if (hs->outcome == TLSDIAG_OUTCOME_ESTABLISHED && p) {
        g_string_append_printf(s, " It succeeded: the client got through %.1f s after its first attempt (frame %u).",
                               between(first, hs), first->client_hello_frame);
    } else if (capture_done && hs->outcome != TLSDIAG_OUTCOME_ESTABLISHED) {
        if (ok)
            g_string_append_printf(s, " The client recovered: attempt %u (frame %u) succeeded, %.1f s after "
                                   "its first attempt.", ok->attempt, ok->client_hello_frame,
                                   between(first, ok));
        else if (next)
            g_string_append_printf(s, " The client retried (frame %u) but never got through in this capture.",
                                   next->client_hello_frame);
        else
            g_string_append(s, " The client never got through in this capture.");
    }
    g_strlcpy(buf, s->str, len);
    g_string_free(s, TRUE);
    return buf;
}
