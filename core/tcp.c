/* core/tcp.c — each side's TCP byte stream as the capture shows it.
 *
 * Real captures lose, reorder and duplicate segments. Wireshark (with its
 * default preferences) reads the data after a gap as garbage and reads a
 * retransmission again; neither is evidence about TLS. Per side we keep the
 * next sequence number, one gap (merged when there are several) and the
 * highest acknowledgement sent, so the tracker can tell new data from old,
 * data after a gap, and a close while the capture still misses data the peer
 * acknowledged.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/conn.h"

/* Sequence numbers wrap: compare them as RFC 793 does. */
static gboolean
seq_lt(guint32 a, guint32 b)
{
    return (gint32)(a - b) < 0;
}

static gboolean
gap_open(const tlsdiag_tcp_side *s)
{
    return s->gap_lo != s->gap_hi;
}

tlsdiag_seg
tlsdiag_tcp_segment(tlsdiag_tcp_side *me, tlsdiag_tcp_side *peer, const tlsdiag_packet *pkt)
{
    if (!(pkt->flags & TLSDIAG_PKT_TCP))
        return TLSDIAG_SEG_NONE;
    if (pkt->tcp_flags & TLSDIAG_TCP_ACK) {
        if (!(me->bits & TCP_SIDE_ACKED) || seq_lt(me->ack, pkt->ack))
            me->ack = pkt->ack;
        me->bits |= TCP_SIDE_ACKED;
        /* What the peer sent before this acknowledgement is behind us. */
        if (!(peer->bits & TCP_SIDE_KNOWN)) {
            peer->next = pkt->ack;
            peer->bits |= TCP_SIDE_KNOWN;
        }
    }
    if (pkt->tcp_flags & TLSDIAG_TCP_SYN) {
        me->next = pkt->seq + 1;
        me->bits |= TCP_SIDE_KNOWN;
        return TLSDIAG_SEG_NONE;
    }
    guint32 len = pkt->payload_len + ((pkt->tcp_flags & TLSDIAG_TCP_FIN) ? 1 : 0);
    guint32 end = pkt->seq + len;
    /* A bare ACK's sequence number says where its side stands: beyond what
     * the capture showed, the bytes between were sent and not captured. */
    if (!len && (!(me->bits & TCP_SIDE_KNOWN) || !seq_lt(me->next, pkt->seq)))
        return TLSDIAG_SEG_NONE;
    if (len && (!(me->bits & TCP_SIDE_KNOWN) || (!seq_lt(me->next, pkt->seq) && seq_lt(me->next, end)))) {
        /* In order (or overlapping the end of what came before). */
        me->next = end;
        me->bits |= TCP_SIDE_KNOWN;
        return TLSDIAG_SEG_NEW;
    }
    if (seq_lt(me->next, pkt->seq)) {
        /* Bytes [next, seq) are not in the capture (yet). */
        if (!gap_open(me))
            me->gap_lo = me->next;
        me->gap_hi = pkt->seq;
        me->next = end;
        me->bits |= TCP_SIDE_GAPPED;
        return TLSDIAG_SEG_AFTER_GAP;
    }
    if (gap_open(me) && seq_lt(pkt->seq, me->gap_hi) && seq_lt(me->gap_lo, end)) {
        /* A reordered segment: it fills (part of) the gap. */
        if (!seq_lt(me->gap_lo, pkt->seq))
            me->gap_lo = seq_lt(end, me->gap_hi) ? end : me->gap_hi;
        else if (!seq_lt(end, me->gap_hi))
            me->gap_hi = pkt->seq;
        return TLSDIAG_SEG_FILL;
    }
    me->bits |= TCP_SIDE_RESENT;
    return TLSDIAG_SEG_OLD;
}

guint32
tlsdiag_tcp_missing(const tlsdiag_tcp_side *s, const tlsdiag_tcp_side *peer)
{
    guint32 n = s->gap_hi - s->gap_lo;
    if ((s->bits & TCP_SIDE_KNOWN) && (peer->bits & TCP_SIDE_ACKED) && seq_lt(s->next, peer->ack))
        n += peer->ack - s->next;
    return n;
}

gboolean
tlsdiag_tcp_unanswered(const tlsdiag_tcp_side *s, const tlsdiag_tcp_side *peer)
{
    return (s->bits & TCP_SIDE_KNOWN) && !(s->bits & TCP_SIDE_RESENT) &&
           (!(peer->bits & TCP_SIDE_ACKED) || seq_lt(peer->ack, s->next));
}

gboolean
tlsdiag_tcp_all_acked(const tlsdiag_tcp_side *s, const tlsdiag_tcp_side *peer)
{
    return (s->bits & TCP_SIDE_KNOWN) && !gap_open(s) && (peer->bits & TCP_SIDE_ACKED) && !seq_lt(peer->ack, s->next);
}
