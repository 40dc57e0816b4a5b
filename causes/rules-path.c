/* causes/rules-path.c — who sent the packet that ended a failed handshake:
 * the side it claims to come from, or a device on the path in its name.
 *
 * TLS cannot tell; the network layer often can. A firewall, IPS or proxy
 * that resets or closes a connection for the server sends from another
 * place: its packets arrive with another hop count (TTL), from another IP
 * stack (another initial TTL), sooner than the server could answer, or on
 * a connection whose every server packet differs from the same address's
 * on other connections (a transparent proxy answered in its place). The
 * tracker reports the comparison (core/path.c); this is what it means. It
 * is never certain: a device can forge a TTL. Where the hop distance is the
 * same, IP ID and TCP timestamps are told as support, never as proof: a
 * host's own kernel answers for a connection it has closed with IP ID 0 and
 * no timestamps, as a middlebox does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "causes/rules.h"

static guint
initial_ttl(guint8 ttl)
{
    return ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
}

static int
hops(guint8 ttl)
{
    return (int)initial_ttl(ttl) - ttl;
}

static const char *
end_name(const tlsdiag_end *e)
{
    if (e->quic_close)
        return "CONNECTION_CLOSE";
    switch (e->kind) {
    case TLSDIAG_END_RST:   return "reset (RST)";
    case TLSDIAG_END_FIN:   return "FIN";
    case TLSDIAG_END_ALERT: return "alert";
    default:                return "answer";
    }
}

/* What IP ID and TCP timestamps add, for a packet at the side's hop distance. */
static void
support(const tlsdiag_path_facts *p, const char *side, GString *why)
{
    guint16 step = (guint16)(p->end_id - p->side_id);

    if ((p->bits & PATHF_IDS) && step >= 1 && step <= 64)
        tlsdiag_phrase(why, "; its IP ID 0x%04x follows the %s's last (0x%04x)", p->end_id, side, p->side_id);
    if ((p->bits & PATHF_END_TS) && (p->bits & PATHF_SIDE_TS))
        tlsdiag_phrase(why, "; it carries TCP timestamps like the %s's other segments", side);
    else if ((p->bits & PATHF_SIDE_TS) && (!(p->bits & PATHF_IDS) || !p->end_id))
        tlsdiag_phrase(why, "; it has no TCP timestamps and IP ID 0, as a host's kernel answers for a connection "
                             "it has already closed (and as some middleboxes do)");
}

static tlsdiag_sender
sender_of(const judge_ctx *j, GString *why)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_end *e = j->end;
    const tlsdiag_path_facts *p = &e->path;
    const char *side = words_side(e->from_server);
    const int eh = hops(p->end_ttl), sh = hops(p->side_ttl);
    const char *ttl = (p->bits & PATHF_IPV6) ? "hop limit" : "TTL";

    /* An ICMP error names its sender: the server's host, or a router. */
    if (e->kind == TLSDIAG_END_UNREACHABLE) {
        tlsdiag_phrase(why, "The ICMP in frame %u came from %s.", e->frame,
                       e->icmp_from_server ? "the server's own address"
                                           : "another address than the server's: a router or firewall");
        return e->icmp_from_server ? TLSDIAG_SENDER_SERVER : TLSDIAG_SENDER_PATH;
    }
    if (!(p->bits & PATHF_TTL))
        return TLSDIAG_SENDER_UNKNOWN;
    if (initial_ttl(p->end_ttl) != initial_ttl(p->side_ttl)) {
        tlsdiag_phrase(why, "The %s in frame %u arrived with %s %u, the %s's own packets with %u (frame %u): "
                       "they start from different values (%u and %u), so another IP stack sent it, most "
                       "likely a device on the path (firewall, IPS, proxy), not the %s.",
                       end_name(e), e->frame, ttl, p->end_ttl, side, p->side_ttl, p->side_frame,
                       initial_ttl(p->end_ttl), initial_ttl(p->side_ttl), side);
        return TLSDIAG_SENDER_PATH;
    }
    if (eh != sh && !(p->bits & PATHF_TTL_VARIED)) {
        tlsdiag_phrase(why, "The %s in frame %u came %d hop%s %s than the %s's own packets (%s %u against %u "
                       "from frame %u)", end_name(e), e->frame, ABS(eh - sh), ABS(eh - sh) == 1 ? "" : "s",
                       eh < sh ? "closer" : "farther", side, ttl, p->end_ttl, p->side_ttl, p->side_frame);
        if ((p->bits & PATHF_IDS) && !p->end_id)
            tlsdiag_phrase(why, ", with IP ID 0");
        tlsdiag_phrase(why, ": most likely a device on the path (firewall, IPS, proxy) sent it, not the %s.",
                       side);
        return TLSDIAG_SENDER_PATH;
    }
    const gboolean other_route = e->from_server && (p->bits & PATHF_HOST) && hops(p->host_ttl) != sh &&
                                 !(p->bits & PATHF_TTL_VARIED);
    if (other_route && !(p->bits & PATHF_HOST_CLOCK)) {
        tlsdiag_phrase(why, "Every server packet of this connection, from frame %u, came from %d hop%s away "
                       "(%s %u), while the same address answered on another connection from %d (%s %u, "
                       "frame %u): on this connection a device in front of the server most likely answered "
                       "in its place (a transparent proxy or a load balancer), and it sent the %s in frame %u; "
                       "else the same server was reached over another route (ECMP, a route change), which the "
                       "server's TCP timestamps would show when they continue from one connection to the other.",
                       p->side_frame, sh, sh == 1 ? "" : "s", ttl, p->side_ttl, hops(p->host_ttl), ttl,
                       p->host_ttl, p->host_frame, end_name(e), e->frame);
        return TLSDIAG_SENDER_PATH;
    }
    if (e->from_server && p->syn_answer_us >= 1000 && c->hello_ts_ns && e->ts_ns > c->hello_ts_ns &&
        e->ts_ns - c->hello_ts_ns < (gint64)p->syn_answer_us * 500) {
        tlsdiag_phrase(why, "The %s in frame %u came %.2f ms after the ClientHello, sooner than the server "
                       "can answer from where this capture was taken (its SYN-ACK took %.2f ms after the SYN): "
                       "most likely a device on the path nearer to the client sent it.",
                       end_name(e), e->frame, words_ms_since_hello(c, e), p->syn_answer_us / 1000.0);
        return TLSDIAG_SENDER_PATH;
    }
    tlsdiag_phrase(why, "The %s in frame %u came from the %s's hop distance (%s %u, as its packets from "
                   "frame %u)", end_name(e), e->frame, side, ttl, p->end_ttl, p->side_frame);
    if (other_route)
        tlsdiag_phrase(why, "; the same address answered on another connection from %d hop%s (%s %u, frame %u), "
                       "but the server's TCP timestamps run on one clock on both: the same server, over another "
                       "route", hops(p->host_ttl), hops(p->host_ttl) == 1 ? "" : "s", ttl, p->host_ttl,
                       p->host_frame);
    support(p, side, why);
    if (p->bits & PATHF_TTL_VARIED)
        tlsdiag_phrase(why, ". The %s's %s varied on this connection, so this is weak evidence", side, ttl);
    tlsdiag_phrase(why, ": most likely the %s itself sent it.", side);
    return e->from_server ? TLSDIAG_SENDER_SERVER : TLSDIAG_SENDER_CLIENT;
}

void
rules_sender(judge_ctx *j)
{
    GString *why = g_string_new(NULL);
    j->v->sender = (guint8)sender_of(j, why);
    if (why->len)
        j->v->sender_reasons = why;
    else
        g_string_free(why, TRUE);
}

/* A device on the path ended it: name that first, and SNI filtering when
 * the same service accepted another name in this capture. */
void
rules_path(judge_ctx *j)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_end *e = j->end;
    const tlsdiag_service *svc = c->service;
    const GString *why = j->v->sender_reasons;

    if (j->v->sender != TLSDIAG_SENDER_PATH || !why)
        return;   /* (rules_sender() gives its reasons for the path) */
    if (e->from_server && c->sni && !c->server_bytes && svc && svc->ok_sni && g_strcmp0(svc->ok_sni, c->sni) &&
        e->kind != TLSDIAG_END_ALERT) {
        GString *ev = g_string_new(NULL);
        tlsdiag_phrase(ev, "The ClientHello in frame %u asks for '%s'; a device on the path ended the connection in "
                       "frame %u, while a handshake for '%s' with the same server (ClientHello in frame %u) "
                       "succeeded: most likely it filters by server name. ",
                       c->hs->client_hello_frame, c->sni, e->frame, svc->ok_sni, svc->ok_sni_frame);
        g_string_append_len(ev, why->str, (gssize)why->len);
        tlsdiag_verdict_add_phrases(j->v, FALSE, TLSDIAG_CAUSE_SNI_BLOCKED, ev);
        g_string_free(ev, TRUE);
    }
    tlsdiag_verdict_add_phrases(j->v, FALSE, TLSDIAG_CAUSE_ENDED_BY_PATH, why);
}
