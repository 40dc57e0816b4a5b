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
    if (pkt->flags & TLSDIAG_PKT_TCP_TS)
        s->bits |= PATH_SIDE_TS;
}

void
tlsdiag_path_syn(tlsdiag_path *p, const tlsdiag_packet *pkt)
{
    if (!(pkt->tcp_flags & TLSDIAG_TCP_ACK)) {
        tlsdiag_path_note(&p->client, pkt);
        p->syn_ns = pkt->ts_ns;
        p->syn_port = pkt->srcport;
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
