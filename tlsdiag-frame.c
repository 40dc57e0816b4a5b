/* tlsdiag-frame.c — one frame condensed for the core (a tlsdiag_packet)
 * from Wireshark's own fields: TCP from the header's bytes, TLS records and
 * handshake messages, a PROXY header, QUIC's, the certificates.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "tlsdiag-frame.h"
#include "core/proxy.h"
#include "core/tls.h"

#include <epan/conversation.h>
#include <epan/dissectors/packet-tcp.h>
#include <string.h>

/* Whose conversation data holds the TCP round trip and first sequence
 * numbers; TLS's and this plugin's own ids, among a frame's layers. */
static int proto_tcp = -1, proto_tls = -1, proto_tlsdiag_id = -1;

/* TCP connections looked up lately, by their addresses and ports (a slot
 * per port pair, either way): a later segment of one finds its data again
 * without the conversation table (about 1,100 instructions a packet), also
 * when connections interleave. */
typedef struct {
    guint8 src[16], dst[16];
    address a, b;
    guint32 pa, pb;
    conversation_t *conv;
    const struct tcp_analysis *tcpd;
} tcp_cache_entry;
static tcp_cache_entry tcp_cache[256];

void
tlsdiag_frame_init(void)
{
    proto_tcp = proto_get_id_by_filter_name("tcp");
    proto_tls = proto_get_id_by_filter_name("tls");
    proto_tlsdiag_id = proto_get_id_by_filter_name("tlsdiag");
    memset(tcp_cache, 0, sizeof tcp_cache);
}

static void
copy_addr(tlsdiag_addr *out, const address *in)
{
    memset(out, 0, sizeof *out);
    if (in->type == AT_IPv4 && in->len == 4) {
        out->family = 4;
        memcpy(out->bytes, in->data, 4);
    } else if (in->type == AT_IPv6 && in->len == 16) {
        out->family = 6;
        memcpy(out->bytes, in->data, 16);
    }
}

/* Who sent it, as the network layer says: the TTL (IPv6: hop limit) and
 * IPv4 identification of the IP header that carries the transport header
 * found at `at` in tvb. Wanting an IP field would make Wireshark build the
 * IP protocol item, its summary and host names, on every packet (about 5,000
 * instructions, BENCHMARKS.md); the header is found instead right before
 * the transport header, checked against its version, length, protocol and
 * the addresses Wireshark took from it (learn: taken from it instead). An
 * IPv6 header followed by extension headers is not found: its TTL stays
 * unknown. Returns the bytes the IP header says follow it (0: not found, or
 * a length of 0 as from TCP segmentation offload). */
static guint
read_ip(tvbuff_t *tvb, gint at, guint8 proto, gboolean learn, tlsdiag_packet *pkt)
{
    /* The bytes before the transport header, at most an IPv4 header's 60. */
    const gint before = MIN(at, 60);
    if (!tvb || before < 20 || !tvb_bytes_exist(tvb, at - before, before))
        return 0;
    const guint8 *b = tvb_get_ptr(tvb, at - before, before) + before;   /* b[-1]: the byte before `at` */
    if (pkt->src.family == 4) {
        for (gint ihl = 5; ihl <= 15 && ihl * 4 <= before; ihl++) {
            const guint8 *h = b - ihl * 4;
            if (h[0] != (0x40 | ihl) || h[9] != proto)
                continue;
            if (learn) {
                memcpy(pkt->src.bytes, h + 12, 4);
                memcpy(pkt->dst.bytes, h + 16, 4);
            } else if (memcmp(h + 12, pkt->src.bytes, 4) || memcmp(h + 16, pkt->dst.bytes, 4)) {
                continue;
            }
            pkt->ttl = h[8];
            pkt->ip_id = pntohu16(h + 4);
            pkt->flags |= TLSDIAG_PKT_IP_ID;
            guint total = pntohu16(h + 2);
            return total > (guint)ihl * 4 ? total - (guint)ihl * 4 : 0;
        }
    } else if (pkt->src.family == 6 && before >= 40) {
        const guint8 *h = b - 40;
        if ((h[0] >> 4) != 6 || h[6] != proto)
            return 0;
        if (learn) {
            memcpy(pkt->src.bytes, h + 8, 16);
            memcpy(pkt->dst.bytes, h + 24, 16);
        } else if (memcmp(h + 8, pkt->src.bytes, 16) || memcmp(h + 24, pkt->dst.bytes, 16)) {
            return 0;
        }
        pkt->ttl = h[7];
        return pntohu16(h + 4);
    }
    return 0;
}

/* The TCP header's own bytes, where the (innermost) tcp item starts:
 * sequence and acknowledgement numbers, flags and the payload's length,
 * without wanting a field for each (a field present on every packet costs
 * on every packet). The payload's length is the IP header's, as Wireshark's
 * tcp.len; where that header is not found (IPv6 extension headers, IP
 * reassembly) or says 0 (segmentation offload), it is what follows the TCP
 * header in the bytes it came in, as Wireshark does then too.
 * Returns the header length, 0 when the header is not there. */
/* Where a TCP header is: the bytes that hold it, and its offset; and
 * what its IP header says. */
typedef struct {
    tvbuff_t *tvb;
    gint      start;
    const guint8 *hdr;    /* its bytes: captured of them from hdr on (20 to 256) */
    guint     captured;
    guint8    ttl;        /* IPv4 TTL, IPv6 hop limit */
    gboolean  has_id;     /* IPv4: id is its identification */
    guint16   id;
    guint     segment;    /* bytes of the TCP segment, header included (0: unknown) */
    guint16   sport, dport;
    address   src, dst;   /* the IP header's: pinfo's may be another dissector's (below) */
} tcp_at;

/* The offset in tvb of the IP source address pinfo holds, -1: not there.
 * IPv4's points into the header it was read from; IPv6's is a copy, found
 * with the destination after it (in the first bytes: headers come first). */
static gint
source_in(tvbuff_t *tvb, const packet_info *pinfo)
{
    const gint len = tvb ? (gint)tvb_captured_length(tvb) : 0;
    const guint8 *base = len > 0 ? tvb_get_ptr(tvb, 0, len) : NULL, *src = pinfo->net_src.data;

    if (!base)
        return -1;
    if (pinfo->net_src.type == AT_IPv4)
        return src >= base && src + 4 <= base + len ? (gint)(src - base) : -1;
    if (pinfo->net_dst.type != AT_IPv6 || !pinfo->net_dst.data)
        return -1;
    for (gint i = 8; i + 32 <= MIN(len, 512); i++)
        if (base[i] == src[0] && memcmp(base + i, src, 16) == 0 && memcmp(base + i + 16, pinfo->net_dst.data, 16) == 0)
            return i;
    return -1;
}

/* Where this frame's TCP header is, found from the IP header the TCP
 * dissector's addresses were read from: wanting the tcp item itself would
 * cost about 1,200 instructions on every packet. The header after it, past IPv6 extension headers, is checked
 * against the ports TCP set; an IP datagram reassembled from fragments
 * holds it at the start of its reassembled bytes. FALSE: not a TCP segment
 * (or one this cannot find). */
static gboolean
locate_tcp(tvbuff_t *frame, packet_info *pinfo, tcp_at *at)
{
    const gboolean v6 = pinfo->net_src.type == AT_IPv6;
    gint ip, pos;
    gboolean fragment = FALSE;

    if (pinfo->ptype != PT_TCP || !pinfo->net_src.data || (!v6 && pinfo->net_src.type != AT_IPv4))
        return FALSE;
    at->tvb = frame;
    if ((ip = source_in(frame, pinfo)) < 0) {
        /* Not in the frame's own bytes: in another source of this frame's (a decapsulation). */
        at->tvb = NULL;
        for (GSList *l = pinfo->data_src; l && ip < 0; l = l->next)
            if ((ip = source_in(get_data_source_tvb(l->data), pinfo)) >= 0)
                at->tvb = get_data_source_tvb(l->data);
        if (ip < 0)
            return FALSE;
    }
    ip -= v6 ? 8 : 12;
    if (ip < 0 || !tvb_bytes_exist(at->tvb, ip, v6 ? 40 : 20))
        return FALSE;
    const guint8 *h = tvb_get_ptr(at->tvb, ip, v6 ? 40 : 20);
    guint ip_end;     /* where its payload ends, from ip */
    if (!v6) {
        if (h[0] >> 4 != 4 || (h[0] & 0x0f) < 5 || h[9] != 6)
            return FALSE;
        set_address(&at->src, AT_IPv4, 4, h + 12);
        set_address(&at->dst, AT_IPv4, 4, h + 16);
        fragment = (pntohu16(h + 6) & 0x3fff) != 0;   /* more fragments, or an offset */
        pos = ip + (h[0] & 0x0f) * 4;
        at->ttl = h[8];
        at->has_id = TRUE;
        at->id = pntohu16(h + 4);
        ip_end = pntohu16(h + 2);
    } else {
        guint8 next = h[6];
        if (h[0] >> 4 != 6)
            return FALSE;
        set_address(&at->src, AT_IPv6, 16, h + 8);
        set_address(&at->dst, AT_IPv6, 16, h + 24);
        pos = ip + 40;
        at->ttl = h[7];
        at->has_id = FALSE;
        ip_end = 40 + pntohu16(h + 4);
        /* Extension headers: hop-by-hop, routing, fragment, AH, destination options. */
        for (guint n = 0; next != 6 && !fragment && n < 8; n++) {
            if (!tvb_bytes_exist(at->tvb, pos, 8))
                return FALSE;
            const guint8 *e = tvb_get_ptr(at->tvb, pos, 8);
            if (next == 44) {
                fragment = (pntohu16(e + 2) & 0xfff9) != 0;
                pos += 8;
            } else if (next == 0 || next == 43 || next == 60) {
                pos += (e[1] + 1) * 8;
            } else if (next == 51) {
                pos += (e[1] + 2) * 4;
            } else {
                return FALSE;
            }
            next = e[0];
        }
        if (next != 6 && !fragment)
            return FALSE;
    }
    /* The segment: to the end of the IP payload, or of the reassembled datagram. */
    at->segment = ip + ip_end > (guint)pos ? ip + ip_end - (guint)pos : 0;
    if (fragment) {
        at->tvb = tlsdiag_source_by_name(pinfo, v6 ? "Reassembled IPv6" : "Reassembled IPv4");
        pos = 0;
        at->segment = at->tvb ? tvb_reported_length(at->tvb) : 0;
    }
    at->start = pos;
    const gint captured = at->tvb ? tvb_captured_length_remaining(at->tvb, pos) : -1;
    if (captured < 20)
        return FALSE;
    /* The header and the payload's first bytes are all that is read. */
    at->captured = (guint)MIN(captured, 256);
    h = at->hdr = tvb_get_ptr(at->tvb, pos, (gint)at->captured);
    at->sport = pntohu16(h);
    at->dport = pntohu16(h + 2);
    /* One of pinfo's ports may be another dissector's: HTTP sets a CONNECT
     * tunnel's target port while TLS reads the tunnel, and an exception (a
     * frame the capture cut) leaves it so (from 4.6 the target's name as
     * the destination address too). The headers' own are read. */
    return (at->sport == pinfo->srcport || at->dport == pinfo->destport) && (h[12] >> 4) >= 5;
}

static guint
read_tcp_header(const tcp_at *tcp, tlsdiag_packet *pkt)
{
    const guint avail = MIN(tcp->captured, 60);
    const guint8 *h = tcp->hdr;
    pkt->seq = pntohu32(h + 4);
    pkt->ack = pntohu32(h + 8);
    pkt->tcp_flags = h[13];
    pkt->flags |= TLSDIAG_PKT_TCP;
    if (pkt->tcp_flags & TLSDIAG_TCP_FIN)
        pkt->flags |= TLSDIAG_PKT_FIN;
    if (pkt->tcp_flags & TLSDIAG_TCP_RST)
        pkt->flags |= TLSDIAG_PKT_RST;
    guint hdr_len = (guint)(h[12] >> 4) * 4;
    guint segment = tcp->segment;
    pkt->ttl = tcp->ttl;
    if (tcp->has_id) {
        pkt->ip_id = tcp->id;
        pkt->flags |= TLSDIAG_PKT_IP_ID;
    }
    if (segment < hdr_len)
        segment = (guint)MAX(tvb_reported_length_remaining(tcp->tvb, tcp->start), 0);
    pkt->payload_len = segment > hdr_len ? segment - hdr_len : 0;
    /* The capture's snap length may have cut the segment short: records
     * past the cut are not in the capture. */
    const gint kept = tvb_captured_length_remaining(tcp->tvb, tcp->start + (gint)hdr_len);
    if (pkt->payload_len > (guint)MAX(kept, 0)) {
        pkt->cut_len = pkt->payload_len - (guint)MAX(kept, 0);
        pkt->flags |= TLSDIAG_PKT_CUT;
    }
    /* The timestamps option (kind 8): a stack that sends it on every
     * segment and a packet without it may not be the same sender. */
    for (guint o = 20; o + 1 < MIN(hdr_len, avail);) {
        const guint8 kind = h[o], len = h[o + 1];
        if (kind == 0)
            break;
        if (kind == 1) {
            o++;
            continue;
        }
        if (kind == 8) {
            pkt->flags |= TLSDIAG_PKT_TCP_TS;
            if (len == 10 && o + 6 <= MIN(hdr_len, avail))
                pkt->tsval = pntohu32(h + o + 2);
            break;
        }
        if (len < 2)
            break;
        o += len;
    }
    return hdr_len;
}


/* The TCP dissector's data on this packet's connection: its stream index,
 * what it has seen of the connection, its round trip and first sequence
 * numbers (the fields tcp.stream and tcp.completeness, on every TCP packet,
 * would cost on every packet), and *convp its conversation. NULL: not known. */
static const struct tcp_analysis *
tcp_conversation(packet_info *pinfo, const tcp_at *tcp, conversation_t **convp)
{
    /* A SYN may begin a new connection on the same ports (the TCP dissector
     * then makes a new conversation): it always looks up. A SYN-ACK does
     * not (TCP keeps the conversation its SYN found or began). */
    const gboolean syn = (tcp->hdr[13] & (TLSDIAG_TCP_SYN | TLSDIAG_TCP_ACK)) == TLSDIAG_TCP_SYN;
    tcp_cache_entry *e = &tcp_cache[(tcp->sport ^ tcp->dport) & 0xff];
    if (e->tcpd && !syn &&
        ((tcp->sport == e->pa && tcp->dport == e->pb && addresses_equal(&tcp->src, &e->a) &&
          addresses_equal(&tcp->dst, &e->b)) ||
         (tcp->sport == e->pb && tcp->dport == e->pa && addresses_equal(&tcp->src, &e->b) &&
          addresses_equal(&tcp->dst, &e->a)))) {
        *convp = e->conv;
        return e->tcpd;
    }

    conversation_t *conv = *convp =
        find_conversation(pinfo->num, &tcp->src, &tcp->dst, CONVERSATION_TCP, tcp->sport, tcp->dport, 0);
    const struct tcp_analysis *tcpd = conv && proto_tcp >= 0 ? conversation_get_proto_data(conv, proto_tcp) : NULL;
    e->tcpd = NULL;
    if (tcpd) {
        memcpy(e->src, tcp->src.data, (size_t)tcp->src.len);
        memcpy(e->dst, tcp->dst.data, (size_t)tcp->dst.len);
        set_address(&e->a, tcp->src.type, tcp->src.len, e->src);
        set_address(&e->b, tcp->dst.type, tcp->dst.len, e->dst);
        e->pa = tcp->sport;
        e->pb = tcp->dport;
        e->conv = conv;
        e->tcpd = tcpd;
    }
    return tcpd;
}

/* The TCP handshake's round trip, as the TCP dissector measured it (0: unknown). */
static guint32
tcp_irtt_us(const struct tcp_analysis *tcpd)
{
    if (tcpd->ts_first_rtt.secs < 0)
        return 0;
    return (guint32)MIN((gint64)tcpd->ts_first_rtt.secs * 1000000 + tcpd->ts_first_rtt.nsecs / 1000, G_MAXUINT32);
}

/* Whether the peer had sent data before this segment: its acknowledgement
 * number against the peer's first sequence number as the TCP dissector saw
 * it (its SYN). Returns the bytes beyond the SYN and one more (a FIN or a
 * single byte: the two cannot be told apart, and a byte is no request), -1
 * when unknown. */
static gint64
tcp_peer_sent(const struct tcp_analysis *tcpd, const tlsdiag_packet *pkt)
{
    /* static_flags 0x01: base_seq is set (packet-tcp.c's TCP_S_BASE_SEQ_SET). */
    if (!tcpd->rev || !(tcpd->rev->static_flags & 0x01) || !(pkt->tcp_flags & TLSDIAG_TCP_ACK))
        return -1;
    guint32 acked = pkt->ack - tcpd->rev->base_seq;
    return acked > 2 ? acked - 2 : 0;
}

/* Whether TCP kept bytes of this segment for reassembly: a multi-segment
 * PDU of this direction that this frame added to, or began after the PDUs
 * it completed, holds the segment's last byte and waits for more. (Wanting
 * tcp.segment_data, the item TCP adds then, would copy every such segment:
 * the most costly field on bulk data.) TCP keys its PDUs by relative
 * sequence numbers, or by raw ones when those are chosen: both are tried,
 * and only a PDU this frame touched counts. */
static gboolean
tcp_held(const struct tcp_analysis *tcpd, const packet_info *pinfo, const tlsdiag_packet *pkt)
{
    const tcp_flow_t *flow = tcpd->fwd;

    if (!flow || !flow->multisegment_pdus || !pkt->payload_len)
        return FALSE;
    for (int raw = (flow->static_flags & 0x01) ? 0 : 1; raw < 2; raw++) {
        const guint32 end = (raw ? pkt->seq : pkt->seq - flow->base_seq) + pkt->payload_len;
        const struct tcp_multisegment_pdu *msp = wmem_tree_lookup32_le(flow->multisegment_pdus, end - 1);
        /* Distances from the PDU's start, unsigned: right across a wrap. */
        if (msp && msp->last_frame == pinfo->num && end - msp->seq < msp->nxtpdu - msp->seq)
            return TRUE;
    }
    return FALSE;
}

/* The first bytes of the TCP payload, found after the TCP header: the
 * payload as a field (tcp.payload) would copy every segment's bytes. */
static const guint8 *
payload_head(const tcp_at *tcp, guint hdr_len, guint32 payload_len, guint max, guint *len)
{
    if (!payload_len || !hdr_len || tcp->captured <= hdr_len)
        return NULL;
    *len = MIN(MIN(tcp->captured - hdr_len, payload_len), max);
    return tcp->hdr + hdr_len;
}

/* The protocol of one of pinfo->layers. */
static int
layer_at(wmem_list_frame_t *l)
{
    return (int)GPOINTER_TO_UINT(wmem_list_frame_data(l));
}

/* The last layer above TCP of the frame, other than this one: the
 * protocol Wireshark decoded its payload as (TCP's own: a segment added to
 * a reassembly, or nothing took it). */
static int
payload_layer(packet_info *pinfo)
{
    for (wmem_list_frame_t *l = pinfo->layers ? wmem_list_tail(pinfo->layers) : NULL; l; l = wmem_list_frame_prev(l))
        if (layer_at(l) != proto_tlsdiag_id)
            return layer_at(l);
    return proto_tcp;
}

/* The dissector a port of the connection is registered to, the lower port
 * first as TCP tries them (NULL: none). */
static dissector_handle_t
port_dissector(packet_info *pinfo)
{
    static dissector_table_t ports;
    dissector_handle_t h;

    if (!ports)
        ports = find_dissector_table("tcp.port");
    guint32 low = MIN(pinfo->srcport, pinfo->destport), high = MAX(pinfo->srcport, pinfo->destport);
    if (ports && ((h = dissector_get_uint_handle(ports, low)) || (h = dissector_get_uint_handle(ports, high))))
        return h;
    return NULL;
}

/* The protocol other than TLS Wireshark reads the payload as: its layer,
 * else the port's (NULL: none). */
static const char *
decoded_as(packet_info *pinfo, int layer)
{
    dissector_handle_t h;

    if (layer != proto_tcp && layer != proto_tls)
        return proto_get_protocol_short_name(find_protocol_by_id(layer));
    return (h = port_dissector(pinfo)) ? dissector_handle_get_protocol_short_name(h) : NULL;
}

/* The protocol whose messages carry the frame's TLS records, its short
 * name (NULL: TLS right on TCP): the layer below TLS's. */
static const char *
tls_carrier(packet_info *pinfo)
{
    wmem_list_frame_t *l = pinfo->layers ? wmem_list_tail(pinfo->layers) : NULL;
    /* Down past the post-dissectors' layers to TLS's, then past TLS's. */
    while (l && layer_at(l) != proto_tls)
        l = wmem_list_frame_prev(l);
    while (l && layer_at(l) == proto_tls)
        l = wmem_list_frame_prev(l);
    const int below = l ? layer_at(l) : proto_tcp;
    return below == proto_tcp ? NULL : proto_get_protocol_short_name(find_protocol_by_id(below));
}

/* Whether TCP reassembles this connection's payload for TLS: the
 * conversation's dissector says so (TLS's heuristic, STARTTLS), else the
 * port's. A segment TLS asked TCP to hold lists TLS as its layer in
 * Wireshark 4.0 and no layer above TCP in newer versions. */
static gboolean
tls_reassembles(packet_info *pinfo, conversation_t *conv)
{
    dissector_handle_t h = conv ? conversation_get_dissector(conv, pinfo->num) : NULL;
    if (!h)
        h = port_dissector(pinfo);
    return h && dissector_handle_get_protocol_index(h) == proto_tls;
}

/* A PROXY protocol header (v1 or v2) at the start of the payload, read
 * from its bytes whether Wireshark decoded it (v1 always, v2 with
 * tcp.try_heuristic_first) or gave it to TLS as "Continuation Data" on a TLS
 * port. A v1 line is at most 107 bytes. */
static void
read_proxy(const tcp_at *tcp, guint hdr_len, tlsdiag_packet *pkt)
{
    const guint8 *head;
    guint len;

    if (!(head = payload_head(tcp, hdr_len, pkt->payload_len, 107, &len)))
        return;
    if (tlsdiag_proxy_v1_source(head, len, &pkt->proxy_src, &pkt->proxy_srcport))
        pkt->proxy_version = 1;
    else if (tlsdiag_proxy_v2_source(head, len, &pkt->proxy_src, &pkt->proxy_srcport))
        pkt->proxy_version = 2;
    else
        return;
    pkt->flags |= TLSDIAG_PKT_PROXY;
}

/* TLS handshake message types (RFC 8446 4; DTLS's HelloVerifyRequest, RFC 6347 4.2.1). */
enum { HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2, HS_HELLO_VERIFY = 3, HS_CERTIFICATE = 11, HS_CERT_REQUEST = 13,
       HS_SERVER_DONE = 14, HS_FINISHED = 20 };

/* The frame's records, counted by the content type in each header's first
 * byte (wanting the type as a field would make an item of every record's).
 * An opaque record is TLS 1.3's encrypted one; its header says
 * application_data whatever it holds. */
enum { TLS_CHANGE_CIPHER_SPEC = 20, TLS_ALERT = 21, TLS_HANDSHAKE = 22, TLS_APPLICATION_DATA = 23, TLS_HEARTBEAT = 24, TLS_LAST_TYPE = 26 };
typedef struct {
    guint records, typed, ccs, handshake, app_data, heartbeat, opaque;
    guint last_opaque_len, last_app_len;
} record_counts;

/* A record's length is read from its header: TLS's after the type and
 * version, DTLS's after the epoch and sequence number too. */
static record_counts
count_records(const frame_fields *ff, tlsdiag_packet *pkt)
{
    const gint at = ff->dtls ? 11 : 3;
    record_counts n = { 0 };
    field_info *rec;

    FOR_EACH_FIELD(rec, ff, F_TLS_RECORD) {
        n.records++;
        if (!rec->ds_tvb || rec->length < at + 2 || !tvb_bytes_exist(rec->ds_tvb, rec->start, at + 2))
            continue;
        /* Types 20 to 26 (RFC 8446, 9147); an SSLv2-format header has none. */
        const guint8 type = tvb_get_uint8(rec->ds_tvb, rec->start);
        if (type < TLS_CHANGE_CIPHER_SPEC || type > TLS_LAST_TYPE)
            continue;
        n.typed++;
        n.ccs += type == TLS_CHANGE_CIPHER_SPEC;
        if (type == TLS_HANDSHAKE && !n.handshake++)
            pkt->first_hs_len = tvb_get_ntohs(rec->ds_tvb, rec->start + at);
        n.app_data += type == TLS_APPLICATION_DATA;
        n.heartbeat += type == TLS_HEARTBEAT;
        if (type == TLS_APPLICATION_DATA)
            n.last_app_len = tvb_get_ntohs(rec->ds_tvb, rec->start + at);
        if (type == TLS_APPLICATION_DATA && field_within(ff, F_TLS_OPAQUE_TYPE, rec, 0)) {
            n.last_opaque_len = tvb_get_ntohs(rec->ds_tvb, rec->start + at);
            if (!n.opaque++)
                pkt->first_enc_len = (guint16)n.last_opaque_len;
        }
    }
    return n;
}

/* Whether an established connection's frame may matter: a record that may
 * carry a handshake message (a renegotiation: of type handshake, or of a
 * type not readable: an SSLv2-format header, a record cut short), or a
 * fatal alert read (keys loaded, or in the clear: a refusal of the
 * handshake just done). An alert Wireshark could not decrypt is longer than
 * its two bytes. */
static gboolean
matters_once_done(const frame_fields *ff)
{
    field_info *rec;
    gboolean alert_record = FALSE;
    FOR_EACH_FIELD(rec, ff, F_TLS_RECORD) {
        if (!rec->ds_tvb || rec->length < 1 || !tvb_bytes_exist(rec->ds_tvb, rec->start, 1))
            return TRUE;
        const guint8 type = tvb_get_uint8(rec->ds_tvb, rec->start);
        if (type == TLS_HANDSHAKE || type < TLS_CHANGE_CIPHER_SPEC || type > TLS_LAST_TYPE)
            return TRUE;
        alert_record |= type == TLS_ALERT;
    }
    if (!alert_record)
        return FALSE;
    field_info *alert;
    FOR_EACH_FIELD(alert, ff, F_TLS_ALERT) {
        if (alert->length == 2 && alert->ds_tvb && tvb_bytes_exist(alert->ds_tvb, alert->start, 1) &&
            tvb_get_uint8(alert->ds_tvb, alert->start) == 2)
            return TRUE;
    }
    return FALSE;
}

/* One encrypted TLS 1.3 record of an alert's size that Wireshark did not
 * read as an alert (it could not decrypt it, or nothing of it shows). */
static gboolean
alert_shaped(const frame_fields *ff, const record_counts *n)
{
    return n->opaque == 1 && tlsdiag_tls13_alert_len(n->last_opaque_len) && !field_last(ff, F_TLS_ALERT);
}

/* A handshake record Wireshark took for encrypted (no message type in it)
 * whose bytes are a plaintext ClientHello: type 1, a length that fills the
 * item, then a 3.x version. Seed 03's client does this after it lost its
 * state on a live connection. */
static gboolean
plaintext_hello(const frame_fields *ff)
{
    field_info *hs;
    FOR_EACH_FIELD(hs, ff, F_TLS_HS) {
        if (field_within(ff, F_TLS_HS_TYPE, hs, 0) || !hs->ds_tvb || hs->length < 4 + 2 + 32 ||
            !tvb_bytes_exist(hs->ds_tvb, hs->start, 6))
            continue;
        if (tvb_get_uint8(hs->ds_tvb, hs->start) == 1 &&
            tvb_get_ntoh24(hs->ds_tvb, hs->start + 1) == (guint32)hs->length - 4 &&
            tvb_get_uint8(hs->ds_tvb, hs->start + 4) == 3)
            return TRUE;
    }
    return FALSE;
}

/* A ClientHello Wireshark decoded from the record itself, not from
 * decrypted data (newer versions decode seed 03's plaintext hello, which 4.0
 * shows as an encrypted handshake message). */
static gboolean
hello_in_plaintext(const frame_fields *ff)
{
    field_info *type, *rec;
    FOR_EACH_FIELD(type, ff, F_TLS_HS_TYPE) {
        if (fvalue_get_uinteger(FI_VALUE(type)) != HS_CLIENT_HELLO)
            continue;
        FOR_EACH_FIELD(rec, ff, F_TLS_RECORD)
            if (field_inside(type, rec))
                return TRUE;
    }
    return FALSE;
}

/* SSLv2 message types. */
enum { SSL2_CLIENT_HELLO = 1, SSL2_SERVER_HELLO = 4 };


/* An SSLv2-format ClientHello lists 3-byte cipher specs: 0x00XXXX is the TLS
 * suite XXXX, anything else an SSL 2.0 cipher. */
static void
read_cipher_specs(const frame_fields *ff, tlsdiag_client_hello *ch)
{
    field_info *fi;
    FOR_EACH_FIELD(fi, ff, F_TLS_CIPHERSPEC) {
        guint32 spec = fvalue_get_uinteger(FI_VALUE(fi));
        if (spec >> 16)
            ch->n_ssl2_specs++;
        else if (ch->n_suites < TLSDIAG_HELLO_MAX_SUITES)
            ch->suites[ch->n_suites++] = (guint16)spec;
    }
}

/* A DTLS handshake message's header (RFC 6347 4.2.2), from the bytes its
 * dtls.handshake item starts at. FALSE for a message Wireshark gave no type
 * (encrypted), or one cut short. */
typedef struct {
    guint8  type;
    guint16 seq;
    guint32 length, frag_offset, frag_length;
} dtls_header;

static gboolean
read_dtls_header(const frame_fields *ff, const field_info *hs, dtls_header *h)
{
    if (!hs->ds_tvb || hs->length < 12 || !tvb_bytes_exist(hs->ds_tvb, hs->start, 12) ||
        !field_within(ff, F_TLS_HS_TYPE, hs, 0))
        return FALSE;
    const guint8 *b = tvb_get_ptr(hs->ds_tvb, hs->start, 12);
    h->type = b[0];
    h->length = pntohu24(b + 1);
    h->seq = pntohu16(b + 4);
    h->frag_offset = pntohu24(b + 6);
    h->frag_length = pntohu24(b + 9);
    return TRUE;
}

/* The bytes Wireshark reassembled the fragmented DTLS message of item hs
 * (header h) into, when it did so in this frame: a data source of the
 * message's length that holds this fragment where it goes. (A fragment
 * sent again after its message was reassembled has none.) */
static tvbuff_t *
dtls_reassembled(const frame_fields *ff, const field_info *hs, const dtls_header *h)
{
    if (!h->frag_length || !tvb_bytes_exist(hs->ds_tvb, hs->start + 12, (gint)h->frag_length))
        return NULL;
    const guint8 *frag = tvb_get_ptr(hs->ds_tvb, hs->start + 12, (gint)h->frag_length);
    for (GSList *l = ff->pinfo->data_src; l; l = l->next) {
        tvbuff_t *tvb = get_data_source_tvb(l->data);
        if (tvb != hs->ds_tvb && tvb_reported_length(tvb) == h->length &&
            tvb_memeql(tvb, (gint)h->frag_offset, frag, h->frag_length) == 0)
            return tvb;
    }
    return NULL;
}

static gboolean
dtls_whole_in_record(const dtls_header *h)
{
    return h->frag_offset == 0 && h->frag_length >= h->length;
}

/* DTLS: a handshake message sent in fragments (over several datagrams)
 * counts once, in the frame of its last fragment by position; Wireshark
 * shows its type with every fragment. A retransmitted message counts again:
 * the core tells it by its message_seq. A ClientHello in fragments counts
 * where Wireshark reassembled it (its body is read there; a last fragment
 * sent again has none to read); its other fragments begin the association
 * all the same (no "capture began mid-way" for them). */
static void
dtls_whole_messages(const frame_fields *ff, tlsdiag_packet *pkt)
{
    gboolean last[G_N_ELEMENTS(pkt->hs_types)];
    guint n = 0;
    field_info *hs;
    dtls_header h;

    FOR_EACH_FIELD(hs, ff, F_TLS_HS) {
        if (!read_dtls_header(ff, hs, &h))
            continue;
        if (n == G_N_ELEMENTS(last))
            break;
        /* (A fragment the capture cut is not reassembled: its hello counts
         * at its first fragment, which begins with the random.) */
        last[n++] = h.type != HS_CLIENT_HELLO || dtls_whole_in_record(&h) ? h.frag_offset + h.frag_length == h.length
                    : (pkt->flags & TLSDIAG_PKT_CUT)                       ? h.frag_offset == 0
                                                                           : dtls_reassembled(ff, hs, &h) != NULL;
    }
    if (n != pkt->n_hs_types)
        return;
    guint kept = 0;
    for (guint i = 0; i < n; i++) {
        if (last[i])
            pkt->hs_types[kept++] = pkt->hs_types[i];
        else if (pkt->hs_types[i] == HS_CLIENT_HELLO)
            pkt->flags |= TLSDIAG_PKT_SYN_SEEN;
    }
    pkt->n_hs_types = kept;
}

/* The records of a frame: ChangeCipherSpec, encrypted handshake messages,
 * encrypted records, alerts, and the handshake message types in order
 * (SSLv2-format records carry SSLv2 message types: CLIENT-HELLO 1,
 * CLIENT-MASTER-KEY 2, SERVER-HELLO 4, ...; after the key exchange, records
 * with no type at all). */
static guint32
read_records(const frame_fields *ff, tlsdiag_packet *pkt)
{
    /* Handshake items without a readable type are encrypted (a TLS 1.2 Finished). */
    if (field_count(ff, F_TLS_HS) > field_count(ff, F_TLS_HS_TYPE)) {
        pkt->flags |= TLSDIAG_PKT_ENC_HANDSHAKE;
        if (plaintext_hello(ff))
            pkt->flags |= TLSDIAG_PKT_PLAIN_HELLO;
    }
    const record_counts n = count_records(ff, pkt);
    if (n.ccs)
        pkt->flags |= TLSDIAG_PKT_CCS;
    /* A handshake record the capture cut before its message. */
    if ((pkt->flags & TLSDIAG_PKT_CUT) && n.handshake > field_count(ff, F_TLS_HS))
        pkt->cut_handshake = TRUE;
    /* Encrypted records: application data, and TLS 1.3's opaque records
     * (decrypted or not: their outer type stays application_data). */
    pkt->n_app_data = MAX(pkt->n_app_data, n.app_data);
    if (pkt->n_app_data && alert_shaped(ff, &n))
        pkt->flags |= TLSDIAG_PKT_ALERT_SHAPED;
    /* A close_notify sent in one segment with the records before it
     * (gnutls-cli's Finished and close when it has nothing to send); where
     * Wireshark could not tell TLS 1.3, by the size alone (as alert_sized). */
    else if ((n.opaque >= 2 ? tlsdiag_tls13_record_is(n.last_opaque_len, 2, 0)
                            : !n.opaque && n.app_data >= 2 && tlsdiag_tls13_record_is(n.last_app_len, 2, 0)) &&
             !field_last(ff, F_TLS_ALERT))
        pkt->flags |= TLSDIAG_PKT_ENDS_ALERT_SHAPED;
    /* The same where Wireshark could not tell TLS 1.3 (its ServerHello
     * unread) and shows the record as application data: no TLS 1.2 suite
     * makes one that short but ChaCha20 with 3 bytes of data (padded by
     * JSSE, the size of TLS 1.2's data records: not taken). */
    pkt->alert_sized = !n.opaque && n.app_data == 1 && tlsdiag_tls13_record_is(n.last_app_len, 2, 0) &&
                       !field_last(ff, F_TLS_ALERT);
    /* An alert's level and description are its two bytes; an alert
     * Wireshark could not decrypt is longer (a MAC or tag with it). */
    field_info *alert;
    FOR_EACH_FIELD(alert, ff, F_TLS_ALERT) {
        pkt->flags |= TLSDIAG_PKT_ALERT;
        if (alert->length == 2 && alert->ds_tvb && tvb_bytes_exist(alert->ds_tvb, alert->start, 2)) {
            pkt->alert_level = tvb_get_uint8(alert->ds_tvb, alert->start);
            pkt->alert_desc = tvb_get_uint8(alert->ds_tvb, alert->start + 1);
        }
    }
    /* A Heartbeat record, or a record of no type TLS has. */
    if (n.heartbeat || field_count(ff, F_TLS_UNKNOWN_RECORD)) {
        pkt->flags |= TLSDIAG_PKT_ODD_RECORD;
        pkt->odd_record_type = n.heartbeat ? TLS_HEARTBEAT : 0;
    }
    guint16 types[G_N_ELEMENTS(pkt->hs_types)];
    guint32 seen = 0;
    field_info *fi;
    guint n_ssl2 = field_uints(ff, F_SSL2_HS_TYPE, types, G_N_ELEMENTS(types));
    if (n_ssl2) {
        pkt->flags |= TLSDIAG_PKT_SSLV2;
        pkt->n_hs_types = n_ssl2;
    } else {
        /* Every message type below 32 (all a handshake is judged by), and
         * the first few in order. */
        pkt->n_hs_types = 0;
        FOR_EACH_FIELD(fi, ff, F_TLS_HS_TYPE) {
            guint32 type = fvalue_get_uinteger(FI_VALUE(fi));
            if (type < 32)
                seen |= 1u << type;
            if (pkt->n_hs_types < G_N_ELEMENTS(types))
                types[pkt->n_hs_types++] = (guint16)type;
        }
    }
    for (guint i = 0; i < pkt->n_hs_types; i++)
        pkt->hs_types[i] = (guint8)types[i];
    if (pkt->flags & TLSDIAG_PKT_DTLS) {
        dtls_whole_messages(ff, pkt);
        seen = 0;
        for (guint i = 0; i < pkt->n_hs_types; i++)
            if (pkt->hs_types[i] < 32)
                seen |= 1u << pkt->hs_types[i];
    }
    /* SSLv2-format records after the key exchange carry no type at all. */
    if (n.records > n.typed + n_ssl2 && !n.opaque)
        pkt->n_app_data += n.records - n.typed - n_ssl2;
    if (pkt->n_app_data)
        pkt->flags |= TLSDIAG_PKT_APP_DATA;
    return seen;
}

/* The body of the frame's last handshake message of this type, as its
 * header (4 bytes; DTLS: 12) is followed by it: *len bytes of it are
 * there (DTLS: of this fragment), *length is the message's length. */
static const guint8 *
message_body(const frame_fields *ff, gboolean dtls, guint8 msg_type, gsize *len, guint *length)
{
    const gint hdr = dtls ? 12 : 4;
    field_info *type, *hs, *at = NULL;
    gint left;

    FOR_EACH_FIELD(type, ff, F_TLS_HS_TYPE)
        if (fvalue_get_uinteger(FI_VALUE(type)) == msg_type)
            at = type;
    if (!at || !at->ds_tvb)
        return NULL;
    FOR_EACH_FIELD(hs, ff, F_TLS_HS) {
        if (hs->ds_tvb != at->ds_tvb || hs->start != at->start || hs->length < hdr ||
            (left = tvb_captured_length_remaining(hs->ds_tvb, hs->start + hdr)) <= 0)
            continue;
        *length = tvb_get_ntoh24(hs->ds_tvb, hs->start + 1);
        *len = MIN((gsize)left, (gsize)(hs->length - hdr));
        return tvb_get_ptr(hs->ds_tvb, hs->start + hdr, (gint)*len);
    }
    return NULL;
}

/* A Certificate message with no certificate (a client that has none):
 * up to TLS 1.2 its body is the list's 3-byte length, 0; TLS 1.3 puts a
 * request context (a length byte and its bytes) before it. */
static gboolean
certificates_empty(const guint8 *b, gsize len, guint length)
{
    if (length == 3)
        return len >= 3 && !b[0] && !b[1] && !b[2];
    return len >= 4 && length == 4u + b[0] && len >= length && !b[length - 3] && !b[length - 2] && !b[length - 1];
}

/* The frame's last DTLS handshake message of this type and its header. */
static field_info *
dtls_message(const frame_fields *ff, guint8 msg_type, dtls_header *h)
{
    field_info *hs, *at = NULL;
    dtls_header each;

    FOR_EACH_FIELD(hs, ff, F_TLS_HS)
        if (read_dtls_header(ff, hs, &each) && each.type == msg_type) {
            at = hs;
            *h = each;
        }
    return at;
}

/* A hello's body, in the bytes Wireshark decoded it from (reassembled,
 * decrypted); *length: its message's length. TLS: after the header of the
 * handshake message that starts with the hello's type. DTLS: after its
 * header when the message is whole in its record (to the fragment's end),
 * else in the bytes Wireshark reassembled it into (a first fragment the
 * capture cut, never reassembled: after its header). */
static const guint8 *
hello_body(const frame_fields *ff, gboolean dtls, guint8 hello, gsize *len, guint *length)
{
    if (dtls) {
        dtls_header h;
        field_info *hs = dtls_message(ff, hello, &h);
        tvbuff_t *tvb;
        gint at, left;

        if (!hs)
            return NULL;
        *length = h.length;
        if (!dtls_whole_in_record(&h) && (tvb = dtls_reassembled(ff, hs, &h))) {
            at = 0;
        } else if (dtls_whole_in_record(&h) || h.frag_offset == 0) {
            /* (Or a first fragment the capture cut: never reassembled.) */
            tvb = hs->ds_tvb;
            at = hs->start + 12;
        } else {
            return NULL;     /* a fragment: the hello is read where it is reassembled */
        }
        if ((left = tvb_captured_length_remaining(tvb, at)) <= 0)
            return NULL;
        *len = MIN((gsize)left, tvb == hs->ds_tvb ? h.frag_length : h.length);
        return tvb_get_ptr(tvb, at, (gint)*len);
    }
    return message_body(ff, FALSE, hello, len, length);
}

/* An SSLv2 message's version: after its type (CLIENT-HELLO), or after the
 * session-id-hit and certificate-type bytes (SERVER-HELLO). */
static guint16
ssl2_version(const frame_fields *ff, guint skip, guint16 dflt)
{
    field_info *type = field_last(ff, F_SSL2_HS_TYPE);
    if (!type || !type->ds_tvb || !tvb_bytes_exist(type->ds_tvb, type->start + 1 + (gint)skip, 2))
        return dflt;
    return tvb_get_ntohs(type->ds_tvb, type->start + 1 + (gint)skip);
}

static void
read_client_hello(const frame_fields *ff, tlsdiag_packet *pkt, tlsdiag_client_hello *ch, tlsdiag_hello_text *text)
{
    const gboolean dtls = (pkt->flags & TLSDIAG_PKT_DTLS) != 0;
    const guint8 *body;
    gsize len;

    memset(ch, 0, sizeof *ch);
    dtls_header h;
    if (dtls && dtls_message(ff, HS_CLIENT_HELLO, &h))
        ch->msg_seq = h.seq;
    ch->segments = field_uint(ff, F_TCP_SEGMENT_COUNT, 1);
    ch->sslv2 = field_last(ff, F_TLS_CIPHERSPEC) != NULL;
    if (ch->sslv2) {
        ch->legacy_version = ssl2_version(ff, 0, 0);
        read_cipher_specs(ff, ch);
    } else {
        body = hello_body(ff, dtls, HS_CLIENT_HELLO, &len, &ch->length);
        /* Part of it cut off by the capture: what it offers is not known,
         * and a list or extension missing from what is left is no evidence.
         * A DTLS one still begins its association (its fragments, cut, are
         * not reassembled: no body). */
        if ((pkt->flags & TLSDIAG_PKT_CUT) && (body ? len < ch->length : dtls)) {
            pkt->flags |= TLSDIAG_PKT_CUT_HELLO;
            if (!dtls)
                return;
            tlsdiag_client_hello_read_random(body, body ? len : 0, ch);
        } else if (body) {
            tlsdiag_client_hello_read(body, len, dtls, ch, text);
        }
    }
    pkt->hello = ch;
    pkt->flags |= TLSDIAG_PKT_CLIENT_HELLO;
    if (hello_in_plaintext(ff))
        pkt->flags |= TLSDIAG_PKT_PLAIN_HELLO;
}

static void
read_server_hello(const frame_fields *ff, tlsdiag_packet *pkt)
{
    const guint8 *body;
    gsize len;

    guint length;

    /* (One the capture cut: its version and extensions are not known.) */
    if ((body = hello_body(ff, (pkt->flags & TLSDIAG_PKT_DTLS) != 0, HS_SERVER_HELLO, &len, &length)) &&
        !((pkt->flags & TLSDIAG_PKT_CUT) && len < length))
        tlsdiag_server_hello_read(body, len, pkt);
    else
        pkt->flags |= TLSDIAG_PKT_SERVER_HELLO;
}

/* The frame's first record is a handshake record the capture cut within
 * its first message, a ClientHello: its type is the byte after the record's
 * and the message's headers begin (Wireshark stops before it). */
static gboolean
cut_in_client_hello(const frame_fields *ff)
{
    field_iter it = field_iter_start(ff, F_TLS_RECORD);
    const field_info *rec = field_next(&it);
    return rec && rec->ds_tvb && tvb_bytes_exist(rec->ds_tvb, rec->start, 6) &&
           tvb_get_uint8(rec->ds_tvb, rec->start) == TLS_HANDSHAKE &&
           tvb_get_uint8(rec->ds_tvb, rec->start + 5) == HS_CLIENT_HELLO;
}

/* The handshake messages of a frame, TCP, QUIC or DTLS. */
static void
read_handshake(const frame_fields *ff, tlsdiag_packet *pkt, frame_scratch *fs)
{
    /* The message types (DTLS: whole messages) of the frame, as bits. */
    const guint32 seen = read_records(ff, pkt);
#define HAS(type) ((seen >> (type)) & 1u)

    if (HAS(HS_CERTIFICATE)) {
        gsize len;
        guint length;
        const guint8 *body = message_body(ff, ff->dtls, HS_CERTIFICATE, &len, &length);
        pkt->flags |= TLSDIAG_PKT_CERTIFICATE;
        /* A chain the capture cut is not the chain the server sent. */
        if (!((pkt->flags & TLSDIAG_PKT_CUT) && body && len < length))
            tlsdiag_read_certificates(ff, pkt, &fs->certs, body && certificates_empty(body, len, length));
    }
    if (HAS(HS_CERT_REQUEST))
        pkt->flags |= TLSDIAG_PKT_CERT_REQUEST;
    if (HAS(HS_SERVER_DONE))
        pkt->flags |= TLSDIAG_PKT_SERVER_DONE;
    if (HAS(HS_FINISHED))
        pkt->flags |= TLSDIAG_PKT_FINISHED;
    if (HAS(HS_HELLO_VERIFY))
        pkt->flags |= TLSDIAG_PKT_HELLO_VERIFY;
    pkt->sh_group = (guint16)field_uint(ff, F_TLS_NAMED_CURVE, 0);

    if (pkt->flags & TLSDIAG_PKT_SSLV2) {
        for (guint i = 0; i < pkt->n_hs_types; i++) {
            if (pkt->hs_types[i] == SSL2_CLIENT_HELLO) {
                read_client_hello(ff, pkt, &fs->hello, &fs->text);
                break;
            }
            if (pkt->hs_types[i] == SSL2_SERVER_HELLO) {
                pkt->flags |= TLSDIAG_PKT_SERVER_HELLO;
                pkt->sh_version = ssl2_version(ff, 2, 0x0002);
                break;
            }
        }
    } else if (HAS(HS_CLIENT_HELLO)) {
        read_client_hello(ff, pkt, &fs->hello, &fs->text);
    } else if (HAS(HS_SERVER_HELLO)) {
        read_server_hello(ff, pkt);
    } else if ((pkt->flags & TLSDIAG_PKT_CUT) && !pkt->n_hs_types && cut_in_client_hello(ff)) {
        pkt->flags |= TLSDIAG_PKT_CUT_HELLO;
    }
#undef HAS
}

/* QUIC: the TLS handshake rides in CRYPTO frames (Initial packets are
 * readable without keys), short-header packets are the encrypted traffic
 * after it, and a CONNECTION_CLOSE with a crypto error carries the alert. */
static gboolean
read_quic(const frame_fields *ff, packet_info *pinfo, const tlsdiag_core *core, tlsdiag_packet *pkt,
          frame_scratch *fs)
{
    field_info *conn = field_last(ff, F_QUIC_CONNECTION);

    if (!conn)
        return FALSE;
    /* Its own number space beside tcp.stream. */
    pkt->conv = 0x80000000u | fvalue_get_uinteger(FI_VALUE(conn));
    if (tlsdiag_core_wants(core, pkt->conv) == TLSDIAG_WANT_NOTHING)
        return FALSE;
    pkt->srcport = (guint16)pinfo->srcport;
    pkt->dstport = (guint16)pinfo->destport;
    /* The datagram's first QUIC packet starts right after the UDP header. */
    field_info *first;
    FOR_EACH_FIELD(first, ff, F_QUIC_HEADER_FORM) {
        read_ip(first->ds_tvb, first->start - 8, 17, FALSE, pkt);
        break;
    }
    /* A QUIC connection begins with its Initial: nothing came before. */
    pkt->flags = TLSDIAG_PKT_SYN_SEEN | TLSDIAG_PKT_TLS;
    field_info *form;
    FOR_EACH_FIELD(form, ff, F_QUIC_HEADER_FORM)
        if (fvalue_get_uinteger(FI_VALUE(form)) == 0)   /* a short header */
            pkt->n_app_data++;
    field_info *reason = field_last(ff, F_QUIC_CLOSE_REASON), *code;
    pkt->close_reason = reason ? fvalue_get_string(FI_VALUE(reason)) : NULL;
    code = field_last(ff, F_QUIC_CLOSE_CODE);
    /* A CRYPTO_ERROR (0x0100 to 0x01ff, RFC 9001 4.8) carries the TLS alert. */
    if (code && (fvalue_get_uinteger64(FI_VALUE(code)) >> 8) == 1) {
        pkt->flags |= TLSDIAG_PKT_ALERT;
        pkt->alert_level = 2;
        pkt->alert_desc = (int)(fvalue_get_uinteger64(FI_VALUE(code)) & 0xff);
    } else if (code || (code = field_last(ff, F_QUIC_CLOSE_APP))) {
        pkt->flags |= TLSDIAG_PKT_QUIC_CLOSE;
        pkt->close_app = field_last(ff, F_QUIC_CLOSE_APP) != NULL;
        pkt->close_code = fvalue_get_uinteger64(FI_VALUE(code));
    }
    /* The frame's length stands for the bytes a side sent; a close says nothing. */
    if (!(pkt->flags & (TLSDIAG_PKT_ALERT | TLSDIAG_PKT_QUIC_CLOSE)))
        pkt->payload_len = pinfo->fd->pkt_len;
    read_handshake(ff, pkt, fs);
    return TRUE;
}

/* DTLS conversations (UDP, by Wireshark's conversation index) get a
 * number space of their own beside tcp.stream and QUIC's. */
#define DTLS_CONV(index) (0x40000000u | ((index) & 0x3fffffffu))

/* Whether a DTLS frame may begin or end an association: a handshake record
 * of epoch 0, or an alert (read from the record's header: type, version,
 * epoch). */
static gboolean
dtls_begins_or_ends(const frame_fields *ff)
{
    field_info *rec;
    FOR_EACH_FIELD(rec, ff, F_TLS_RECORD) {
        if (!rec->ds_tvb || rec->length < 5 || !tvb_bytes_exist(rec->ds_tvb, rec->start, 5))
            continue;
        const guint8 type = tvb_get_uint8(rec->ds_tvb, rec->start);
        if (type == TLS_ALERT || (type == TLS_HANDSHAKE && tvb_get_ntohs(rec->ds_tvb, rec->start + 3) == 0))
            return TRUE;
    }
    return FALSE;
}

/* DTLS: records over UDP, one conversation per address and port pair. */
static gboolean
read_dtls(const frame_fields *ff, packet_info *pinfo, const tlsdiag_core *core, tlsdiag_packet *pkt,
          frame_scratch *fs)
{
    conversation_t *conv = find_conversation_pinfo(pinfo, 0);
    field_info *rec;

    if (!conv)
        return FALSE;
    pkt->conv = DTLS_CONV(conv->conv_index);
    const tlsdiag_want want = tlsdiag_core_wants(core, pkt->conv);
    if (want == TLSDIAG_WANT_NOTHING || (want == TLSDIAG_WANT_HANDSHAKE && !dtls_begins_or_ends(ff)))
        return FALSE;
    pkt->srcport = (guint16)pinfo->srcport;
    pkt->dstport = (guint16)pinfo->destport;
    /* The datagram's first record starts right after the UDP header. */
    FOR_EACH_FIELD(rec, ff, F_TLS_RECORD) {
        read_ip(rec->ds_tvb, rec->start - 8, 17, FALSE, pkt);
        break;
    }
    pkt->flags |= TLSDIAG_PKT_DTLS | TLSDIAG_PKT_TLS;
    /* The frame's length stands for the bytes a side sent; the capture's
     * snap length may have cut it. */
    pkt->payload_len = pinfo->fd->pkt_len;
    if (pinfo->fd->cap_len < pinfo->fd->pkt_len) {
        pkt->cut_len = pinfo->fd->pkt_len - pinfo->fd->cap_len;
        pkt->captured_len = pinfo->fd->cap_len;
        pkt->flags |= TLSDIAG_PKT_CUT;
    }
    read_handshake(ff, pkt, fs);
    /* A ClientHello begins the association, as a SYN does a TCP connection. */
    if (pkt->hello)
        pkt->flags |= TLSDIAG_PKT_SYN_SEEN;
    return TRUE;
}

/* An ICMP (v6) destination unreachable quoting a UDP datagram: for the
 * core, a packet of that datagram's conversation, from the ICMP's sender to
 * the datagram's sender. Wireshark has dissected the quoted datagram (its
 * DTLS too), so the addresses are read from the bytes: the outer header's
 * before the ICMP header, the quoted ones after it. */
static gboolean
read_icmp(const frame_fields *ff, packet_info *pinfo, const tlsdiag_core *core, tlsdiag_packet *pkt)
{
    field_info *icmp = field_last(ff, F_ICMP_TYPE);
    guint8 family = 4;

    if (!icmp) {
        icmp = field_last(ff, F_ICMPV6_TYPE);
        family = 6;
    }
    /* Destination unreachable: ICMP type 3, ICMPv6 type 1. */
    if (!icmp || !icmp->ds_tvb || fvalue_get_uinteger(FI_VALUE(icmp)) != (family == 4 ? 3u : 1u))
        return FALSE;
    tvbuff_t *tvb = icmp->ds_tvb;
    gint q = icmp->start + 8, udp;
    address qsrc, qdst;
    if (family == 4 && tvb_bytes_exist(tvb, q, 20) && (tvb_get_uint8(tvb, q) >> 4) == 4 &&
        tvb_get_uint8(tvb, q + 9) == 17) {
        udp = q + (tvb_get_uint8(tvb, q) & 0x0f) * 4;
        set_address(&qsrc, AT_IPv4, 4, tvb_get_ptr(tvb, q + 12, 4));
        set_address(&qdst, AT_IPv4, 4, tvb_get_ptr(tvb, q + 16, 4));
    } else if (family == 6 && tvb_bytes_exist(tvb, q, 40) && (tvb_get_uint8(tvb, q) >> 4) == 6 &&
               tvb_get_uint8(tvb, q + 6) == 17) {
        udp = q + 40;
        set_address(&qsrc, AT_IPv6, 16, tvb_get_ptr(tvb, q + 8, 16));
        set_address(&qdst, AT_IPv6, 16, tvb_get_ptr(tvb, q + 24, 16));
    } else {
        return FALSE;
    }
    if (!tvb_bytes_exist(tvb, udp, 4))
        return FALSE;
    guint16 qsport = tvb_get_ntohs(tvb, udp), qdport = tvb_get_ntohs(tvb, udp + 2);
    conversation_t *conv = find_conversation(pinfo->num, &qsrc, &qdst, CONVERSATION_UDP, qsport, qdport, 0);
    if (!conv)
        return FALSE;
    pkt->conv = DTLS_CONV(conv->conv_index);
    /* (An established association's datagrams say nothing of a handshake.) */
    if (tlsdiag_core_wants(core, pkt->conv) != TLSDIAG_WANT_ALL)
        return FALSE;
    memset(&pkt->src, 0, sizeof pkt->src);
    memset(&pkt->dst, 0, sizeof pkt->dst);
    pkt->src.family = pkt->dst.family = family;
    read_ip(tvb, icmp->start, family == 4 ? 1 : 58, TRUE, pkt);
    if (!pkt->ttl)
        return FALSE;   /* no outer header found (IPv6 extension headers): no sender */
    /* In the quoted datagram's conversation: from its destination side. */
    pkt->srcport = qdport;
    pkt->dstport = qsport;
    pkt->flags |= TLSDIAG_PKT_UNREACHABLE;
    pkt->icmp_family = family;
    pkt->icmp_type = (guint8)fvalue_get_uinteger(FI_VALUE(icmp));
    pkt->icmp_code = tvb_get_uint8(tvb, icmp->start + 1);
    return TRUE;
}

gboolean
tlsdiag_read_frame(tvbuff_t *tvb, proto_tree *tree, packet_info *pinfo, const tlsdiag_core *core,
                   tlsdiag_packet *pkt, frame_scratch *fs)
{
    frame_fields ff = field_frame(tree, pinfo);
    tcp_at at;
    const tcp_at *tcp = locate_tcp(tvb, pinfo, &at) ? &at : NULL;

    memset(pkt, 0, sizeof *pkt);
    pkt->frame = pinfo->num;
    pkt->ts_ns = (gint64)pinfo->abs_ts.secs * 1000000000 + pinfo->abs_ts.nsecs;
    copy_addr(&pkt->src, tcp ? &tcp->src : &pinfo->net_src);
    copy_addr(&pkt->dst, tcp ? &tcp->dst : &pinfo->net_dst);
    pkt->alert_desc = -1;
    /* (An ICMP error quoting a DTLS datagram has DTLS fields too.) */
    if (!tcp && (field_last(&ff, F_ICMP_TYPE) || field_last(&ff, F_ICMPV6_TYPE)))
        return read_icmp(&ff, pinfo, core, pkt);
    if (!tcp) {
        /* A DTLS frame: one with DTLS's records. */
        ff.dtls = TRUE;
        if (field_last(&ff, F_TLS_RECORD))
            return read_dtls(&ff, pinfo, core, pkt, fs);
        ff.dtls = FALSE;
    }
    if (!tcp)
        return read_quic(&ff, pinfo, core, pkt, fs);
    conversation_t *conv = NULL;
    const struct tcp_analysis *tcpd = tcp_conversation(pinfo, tcp, &conv);
    if (!tcpd)
        return FALSE;
    pkt->conv = tcpd->stream;
    /* A judged connection's bulk data: read nothing more. */
    const tlsdiag_want want = tlsdiag_core_wants(core, pkt->conv);
    if (want == TLSDIAG_WANT_NOTHING)
        return FALSE;
    pkt->srcport = tcp->sport;
    pkt->dstport = tcp->dport;

    if (tcpd->conversation_completeness & 1)
        pkt->flags |= TLSDIAG_PKT_SYN_SEEN;
    guint hdr_len = read_tcp_header(tcp, pkt);
    if (pkt->flags & TLSDIAG_PKT_CUT)
        pkt->captured_len = pinfo->fd->cap_len;
    /* An established connection's data and acknowledgements: nothing to
     * read unless it renegotiates, refuses or closes. */
    if (want == TLSDIAG_WANT_HANDSHAKE && !(pkt->flags & (TLSDIAG_PKT_FIN | TLSDIAG_PKT_RST)) &&
        !(pkt->payload_len && matters_once_done(&ff)))
        return FALSE;
    /* (TLS 1.3 with keys: a message read is a ticket, a key update, or the
     * CertificateRequest that matters.) */
    if (want == TLSDIAG_WANT_LATE_AUTH && !(pkt->flags & (TLSDIAG_PKT_FIN | TLSDIAG_PKT_RST)) &&
        !(pkt->payload_len && (field_last(&ff, F_TLS_HS_TYPE) || field_last(&ff, F_TLS_ALERT))))
        return FALSE;
    /* (A segment without payload has no records: most are bare ACKs.) */
    guint records = pkt->payload_len ? field_count(&ff, F_TLS_RECORD) : 0;
    read_proxy(tcp, hdr_len, pkt);

    if (records)
        pkt->flags |= TLSDIAG_PKT_TLS;
    /* Payload without TLS is "not TLS" unless it is a PROXY header or a
     * segment held for reassembly: TLS's, waiting for the rest of its
     * record, or another protocol's (HELD). A payload TCP gave no dissector
     * is held too: TCP took it into a reassembly, or for a retransmission
     * of one. */
    if (pkt->payload_len && (!records || field_count(&ff, F_TLS_UNKNOWN_RECORD)) &&
        !(pkt->flags & TLSDIAG_PKT_PROXY)) {
        const int layer = payload_layer(pinfo);
        const gboolean held = layer == proto_tcp || tcp_held(tcpd, pinfo, pkt);
        const gboolean tls_own = held && (layer == proto_tls || (layer == proto_tcp && tls_reassembles(pinfo, conv)));
        if (!records && !held && layer == proto_tls && tls_carrier(pinfo)) {
            /* TLS in another protocol's message (OpenVPN's control
             * channel) with no record of its own: part of a record split
             * across that protocol's messages, which Wireshark does not
             * join. TLS data, counted as one record it cannot place. */
            pkt->flags |= TLSDIAG_PKT_TLS;
            pkt->n_app_data = 1;
        } else if (!tls_own) {
            pkt->flags |= held ? TLSDIAG_PKT_HELD : TLSDIAG_PKT_NOT_TLS;
            /* (A payload the capture cut that TLS was given and found no
             * record in: another protocol's, or the rest of a record TCP
             * could not join to its start. The tracker tells which.) */
            pkt->cut_unread = (pkt->flags & TLSDIAG_PKT_CUT) && layer == proto_tls;
            pkt->head = payload_head(tcp, hdr_len, pkt->payload_len, 48, &pkt->head_len);
            pkt->decoded_as = decoded_as(pinfo, layer);
        }
    }
    if (pkt->flags & (TLSDIAG_PKT_NOT_TLS | TLSDIAG_PKT_ALERT))
        pkt->peer_sent = tcp_peer_sent(tcpd, pkt);
    /* No handshake to read: the core still counts its bytes, and its TTL. */
    if (!records && !(pkt->flags & TLSDIAG_PKT_NOT_TLS) && !(pkt->flags & (TLSDIAG_PKT_FIN | TLSDIAG_PKT_RST)))
        return TRUE;

    read_handshake(&ff, pkt, fs);
    if (pkt->hello) {
        pkt->irtt_us = tcp_irtt_us(tcpd);
        pkt->carrier = tls_carrier(pinfo);
    }
    return TRUE;
}
