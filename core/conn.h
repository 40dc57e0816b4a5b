/* core/conn.h — internal to the core: what the tracker remembers of one
 * connection over its life, and the core's units' interfaces to each other.
 * The judge never sees it (it reads core/facts.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_CONN_H
#define TLSDIAG_CONN_H

#include "core/facts.h"

#include <string.h>

/* One side's TCP byte stream as captured (core/tcp.c). */
#define TCP_SIDE_KNOWN  0x01   /* next is set (from the SYN, an ACK of the peer, or the first data) */
#define TCP_SIDE_ACKED  0x02   /* ack is set */
#define TCP_SIDE_GAPPED 0x04   /* this side's data had a gap: Wireshark's reading after it may be broken */
#define TCP_SIDE_RESENT 0x08   /* this side sent data the capture had shown (a retransmission) */
typedef struct {
    guint32 next;              /* one past the last byte seen (a FIN counts one) */
    guint32 gap_lo, gap_hi;    /* bytes below next not seen (yet); equal: none */
    guint32 ack;               /* the highest acknowledgement this side sent */
    guint8  bits;              /* TCP_SIDE_* */
} tlsdiag_tcp_side;

/* What a segment's data is to its side's stream. */
typedef enum {
    TLSDIAG_SEG_NONE,          /* no data: a bare ACK, a RST, a SYN, or not TCP */
    TLSDIAG_SEG_NEW,           /* the next data, in order */
    TLSDIAG_SEG_AFTER_GAP,     /* beyond data the capture has not shown: lost or reordered */
    TLSDIAG_SEG_FILL,          /* reordered data filling an earlier gap */
    TLSDIAG_SEG_OLD            /* data already seen: a retransmission or a duplicate */
} tlsdiag_seg;

/* Account for a segment sent by the side `me`. */
tlsdiag_seg tlsdiag_tcp_segment(tlsdiag_tcp_side *me, tlsdiag_tcp_side *peer, const tlsdiag_packet *pkt);
/* How many bytes side s sent that the capture misses (so far): a gap, and
 * bytes the peer acknowledged beyond what was seen. */
guint32 tlsdiag_tcp_missing(const tlsdiag_tcp_side *s, const tlsdiag_tcp_side *peer);
/* Whether side s's last data is neither acknowledged by the peer in the
 * capture nor sent again: a live TCP does one or the other. */
gboolean tlsdiag_tcp_unanswered(const tlsdiag_tcp_side *s, const tlsdiag_tcp_side *peer);
/* Whether the peer acknowledged all that side s sent, and the capture
 * holds all of it. */
gboolean tlsdiag_tcp_all_acked(const tlsdiag_tcp_side *s, const tlsdiag_tcp_side *peer);

/* What one side's packets look like where the capture was taken
 * (core/path.c): a packet a device on the path sent in its name differs. */
#define PATH_SIDE_TS         0x01   /* its segments carry TCP timestamps */
#define PATH_SIDE_TTL_VARIED 0x02   /* its own TTL changed from one packet to another */
#define PATH_SIDE_ID         0x04   /* last_id is set */
#define PATH_SIDE_TSVAL      0x08   /* tsval is set */
typedef struct {
    guint32 first_frame;       /* its first packet seen, 0: none yet */
    guint16 last_id;           /* IPv4: the IP ID of its last packet with one not 0 */
    guint8  ttl;               /* the TTL (hop limit) of its first packet */
    guint8  bits;              /* PATH_SIDE_* */
    tlsdiag_clock tsval;       /* the TCP timestamp (TSval) of its first segment with one */
} tlsdiag_path_side;

/* Both sides, and how long the server took to answer the SYN. */
typedef struct {
    tlsdiag_path_side client, server;
    gint64            syn_ns;          /* the client's SYN, 0: not seen */
    guint32           syn_answer_us;   /* SYN to SYN-ACK, 0: unknown */
    guint16           syn_port;        /* the SYN's source port: the client's */
    guint8            server_first;    /* the server sent data acknowledging none of the client's (a greeting) */
    gboolean          client_data;     /* the client sent data before the connection was followed, */
    guint32           client_data_seq; /* starting at this sequence number */
    guint32           tunnel;          /* that data asked a proxy (HTTP CONNECT, SOCKS) for a target:
                                          the target (a hash), else 0 */
    guint32           syn_seq;         /* the SYN's sequence number */
} tlsdiag_path;

/* Account for a packet of side s (before any comparison with it). */
void tlsdiag_path_note(tlsdiag_path_side *s, const tlsdiag_packet *pkt);
/* Whether two TCP timestamps read from one address can be one clock. */
gboolean tlsdiag_same_clock(tlsdiag_clock earlier, tlsdiag_clock later);
/* A SYN or SYN-ACK, before the connection is followed (p is the
 * conversation's record until then). */
void tlsdiag_path_syn(tlsdiag_path *p, const tlsdiag_packet *pkt);
/* How pkt compares with the earlier packets of the side s that sent it. */
void tlsdiag_path_compare(const tlsdiag_path *p, const tlsdiag_path_side *s, const tlsdiag_packet *pkt,
                          tlsdiag_path_facts *out);

/* tlsdiag_conn.state */
#define CONN_CLIENT_KNOWN    0x01   /* client and server are known */
#define CONN_VIA_PROXY       0x02   /* began with a PROXY header: proxy_client is set */
#define CONN_INCOMPLETE_SAID 0x04   /* told once that the capture began mid-way */
#define CONN_PLAINTEXT       0x08   /* both sides speak another protocol: only a ClientHello can follow */
#define CONN_SERVER_CLOSED   0x10   /* the server sent a FIN or RST */
#define CONN_UNUSED_WATCHED  0x20   /* established: its judge watches for the client's close before any data */
#define CONN_UNUSED_SILENT   0x40   /* ... and only a close without a word (FIN, RST) counts */

/* A connection over its life; f is its current handshake, reset in one
 * statement when the next begins. */
typedef struct {
    tlsdiag_addr       client, server;
    tlsdiag_addr       proxy_client;     /* VIA_PROXY: the original client */
    guint16            client_port, server_port;
    guint8             proxy_version;
    guint8             state;            /* CONN_* */
    guint16            reneg_flags;      /* RENEG_*: what started a renegotiation, how far it got */
    guint32            irtt_us;          /* the TCP handshake's round trip, 0: unknown */
    guint32            last_frame;       /* its last packet the tracker saw, and when */
    gint64             last_ns;
    tlsdiag_tcp_side   tcp_client, tcp_server;  /* each side's byte stream */
    /* Established (TLS <= 1.2, TCP; or UNUSED_WATCHED): where each side's
     * bytes stood then (client, server), to tell a first word after the
     * handshake. */
    guint32            done_seq[2];
    tlsdiag_path       path;             /* each side's packets, for telling who sent the last */
    tlsdiag_path_facts enc_alert_path;   /* f.enc_alert_frame's packet against its side's before it */
    /* The open handshake's story, packed as its handshake keeps it
     * (core/history.c): in story_in, or on the heap once it outgrows that. */
    guint8            *story_heap;       /* NULL: in story_in */
    guint32            story_frame;      /* the frame of its last step */
    guint16            story_len;        /* bytes */
    guint8             story_steps;
    guint8             story_in[48];     /* most handshakes' whole story */
    tlsdiag_handshake *reneg;            /* a renegotiation under way on an established connection */
    guint32            reneg_frames[2];  /* its CertificateRequest (0: not read), the client's Certificate (or,
                                            not read, the first frame of the client's flight) */
    guint16            reneg_flight_len; /* the first handshake record of the client's flight, bytes */
    tlsdiag_end       *plain_answer;     /* the server's answer to a plaintext request, while the client's
                                            next step decides whether it was a failure */
    const char        *tls_carrier;      /* the protocol carrying its TLS records (tlsdiag_packet.carrier) */
    tlsdiag_facts      f;
} tlsdiag_conn;

/* The handshake's story (core/history.c): record a frame of the open
 * handshake; copy the story onto the handshake when it settles (a
 * provisional verdict keeps recording until revised). A final story goes
 * into stories, where every handshake's lives until the core is freed; one
 * that may still change is the handshake's own. The connection's own copy
 * stays until reset. */
void tlsdiag_history_record(tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt);
void tlsdiag_history_keep(tlsdiag_conn *conn, tlsdiag_handshake *hs, gboolean final, GStringChunk *stories);
/* Forget the open story (a new handshake begins, or the connection ends). */
void tlsdiag_history_reset(tlsdiag_conn *conn);

/* Retry linking (core/retry.c): an index of the latest attempt per client
 * and service, so each ClientHello finds the attempt it retries in O(1);
 * what a chain means (a recovery, a storm) it reports to the judge. */
typedef struct tlsdiag_retry tlsdiag_retry;

tlsdiag_retry *tlsdiag_retry_new(const tlsdiag_options *opt, tlsdiag_judge_fn judge);
void tlsdiag_retry_free(tlsdiag_retry *r);
/* A new handshake's ClientHello: set its client identity, attempt number and links. */
void tlsdiag_retry_hello(tlsdiag_retry *r, tlsdiag_conn *conn, tlsdiag_handshake *hs);
/* conn's handshake has just been settled at time ts_ns. */
void tlsdiag_retry_settled(tlsdiag_retry *r, const tlsdiag_conn *conn, gint64 ts_ns);
/* A provisional failure turned out established: it is no attempt a later
 * one retried, so the chain is cut after it. */
void tlsdiag_retry_revised(tlsdiag_handshake *hs);
/* An established handshake refused after all (TLSDIAG_HS_REFUSED): the
 * failures before it did not recover by it. Settle it again. */
void tlsdiag_retry_refused(tlsdiag_handshake *hs);

/* An address's share of a hash (FNV-1a's step, a 32-bit word at a time:
 * four dependent multiplies, not seventeen): services, attempt chains and
 * their names are looked up by address on every ClientHello. */
static inline guint
tlsdiag_addr_hash(guint h, const tlsdiag_addr *a)
{
    guint32 w[4];
    memcpy(w, a->bytes, sizeof w);
    for (guint i = 0; i < 4; i++)
        h = (h ^ w[i]) * 16777619u;
    return (h ^ a->family) * 16777619u;
}

#endif /* TLSDIAG_CONN_H */
