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

tlsdiag_draft *
rules_storm(const tlsdiag_report *r)
{
    const tlsdiag_handshake *hs = r->hs, *first = tlsdiag_hs_first(hs);
    tlsdiag_draft *d;

    if (!hs->verdict)
        return NULL;
    d = tlsdiag_verdict_reopen(hs->verdict);
    tlsdiag_verdict_add(d, FALSE, TLSDIAG_CAUSE_RETRY_STORM,
                        "This is failed attempt %u of %s to this service in %.1f s (the first in frame %u), "
                        "each within %u s of the previous failure; none succeeded.",
                        hs->attempt, hs->client, seconds(tlsdiag_hs_hello_ns(first), r->ts_ns),
                        first->client_hello_frame, r->window_s);
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
