/* core/path.c — what each side's packets look like where the capture was
 * taken: the TTL (hop limit) they arrive with, the IPv4 identification they
 * carry, whether they carry TCP timestamps. A firewall, IPS or proxy that
 * resets or closes a connection in the server's name sends from another
 * place (another hop count, another IP stack); the judge compares the packet
 * that ended a handshake with the side's own packets (causes/rules-path.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/conn.h"

void
tlsdiag_path_note(tlsdiag_path_side *s, const tlsdiag_packet *pkt)
{
    if (!pkt->ttl)
        return;
    if (!s->first_frame) {
        s->first_frame = pkt->frame;
        s->ttl = pkt->ttl;
    } else if (pkt->ttl != s->ttl) {
        s->bits |= PATH_SIDE_TTL_VARIED;
    }
    if ((pkt->flags & TLSDIAG_PKT_IP_ID) && pkt->ip_id) {
        s->last_id = pkt->ip_id;
        s->bits |= PATH_SIDE_ID;
    }
    if (pkt->flags & TLSDIAG_PKT_TCP_TS) {
        s->bits |= PATH_SIDE_TS;
        if (!(s->bits & PATH_SIDE_TSVAL)) {
            s->bits |= PATH_SIDE_TSVAL;
            s->tsval = (tlsdiag_clock){ pkt->tsval, pkt->ts_ns };
        }
    }
}

/* RFC 7323 (5.4): a timestamp clock ticks between once a millisecond and once
 * a second. A stack that does not offset its timestamps per connection
 * (Linux's net.ipv4.tcp_timestamps=2, older kernels, Windows) shows one
 * clock on all of them; an offset chosen at random lands in the window of a
 * later reading by chance about once in 2^32 / the window. */
gboolean
tlsdiag_same_clock(tlsdiag_clock earlier, tlsdiag_clock later)
{
    if (later.ns < earlier.ns)
        return FALSE;
    const gint64 ms = (later.ns - earlier.ns) / 1000000;
    const guint32 ticks = later.tsval - earlier.tsval;    /* the clock wraps */
    return ticks <= (guint64)ms + ms / 10 + 10 && (gint64)ticks + 1 >= ms / 1000;
}

void
tlsdiag_path_syn(tlsdiag_path *p, const tlsdiag_packet *pkt)
{
    if (!(pkt->tcp_flags & TLSDIAG_TCP_ACK)) {
        tlsdiag_path_note(&p->client, pkt);
        p->syn_ns = pkt->ts_ns;
        p->syn_port = pkt->srcport;
        p->syn_seq = pkt->seq;
        return;
    }
    if (!p->server.first_frame && p->syn_ns && pkt->ts_ns >= p->syn_ns)
        p->syn_answer_us = (guint32)MIN((pkt->ts_ns - p->syn_ns) / 1000, G_MAXUINT32);
    tlsdiag_path_note(&p->server, pkt);
}

void
tlsdiag_path_compare(const tlsdiag_path *p, const tlsdiag_path_side *s, const tlsdiag_packet *pkt,
                     tlsdiag_path_facts *out)
{
    out->syn_answer_us = p->syn_answer_us;
    if (!pkt->ttl || !s->first_frame || s->first_frame == pkt->frame)
        return;
    out->bits |= PATHF_TTL | ((s->bits & PATH_SIDE_TTL_VARIED) ? PATHF_TTL_VARIED : 0) |
                 (pkt->src.family == 6 ? PATHF_IPV6 : 0) |
                 ((s->bits & PATH_SIDE_TS) ? PATHF_SIDE_TS : 0) |
                 ((pkt->flags & TLSDIAG_PKT_TCP_TS) ? PATHF_END_TS : 0);
    out->end_ttl = pkt->ttl;
    out->side_ttl = s->ttl;
    out->side_frame = s->first_frame;
    if ((pkt->flags & TLSDIAG_PKT_IP_ID) && (s->bits & PATH_SIDE_ID)) {
        out->bits |= PATHF_IDS;
        out->end_id = pkt->ip_id;
        out->side_id = s->last_id;
    }
}
