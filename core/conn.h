/* core/conn.h — internal to the core: what the tracker remembers of one
 * connection over its life, and the core's units' interfaces to each other.
 * The judge never sees it (it reads core/facts.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_CONN_H
#define TLSDIAG_CONN_H

#include "core/facts.h"

/* One side's TCP byte stream as captured (core/tcp.c). */
#define TCP_SIDE_KNOWN  0x01   /* next is set (from the SYN, an ACK of the peer, or the first data) */
#define TCP_SIDE_ACKED  0x02   /* ack is set */
#define TCP_SIDE_GAPPED 0x04   /* this side's data had a gap: Wireshark's reading after it may be broken */
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

/* tlsdiag_conn.state */
#define CONN_CLIENT_KNOWN    0x01   /* client and server are known */
#define CONN_VIA_PROXY       0x02   /* began with a PROXY header: proxy_client is set */
#define CONN_INCOMPLETE_SAID 0x04   /* told once that the capture began mid-way */

/* A connection over its life; f is its current handshake, reset in one
 * statement when the next begins. */
typedef struct {
    tlsdiag_addr       client, server;
    tlsdiag_addr       proxy_client;     /* VIA_PROXY: the original client */
    guint16            client_port, server_port;
    guint8             proxy_version;
    guint8             state;            /* CONN_* */
    guint8             reneg_flags;      /* RENEG_*: what started a renegotiation */
    guint32            irtt_us;          /* the TCP handshake's round trip, 0: unknown */
    tlsdiag_tcp_side   tcp_client, tcp_server;  /* each side's byte stream */
    GArray            *events;           /* tlsdiag_event of the open handshake, NULL: none */
    tlsdiag_handshake *reneg;            /* a renegotiation under way on an established connection */
    tlsdiag_facts      f;
} tlsdiag_conn;

/* The handshake's story (core/history.c): record a frame of the open
 * handshake; copy the story onto the handshake when it settles (final: and
 * stop recording; a provisional verdict keeps recording until revised). */
void tlsdiag_history_record(tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt);
void tlsdiag_history_keep(tlsdiag_conn *conn, tlsdiag_handshake *hs, gboolean final);

/* Retry linking (core/retry.c): an index of the latest attempt per client
 * and service, so each ClientHello finds the attempt it retries in O(1);
 * what a chain means (a recovery, a storm) it reports to the judge. */
typedef struct tlsdiag_retry tlsdiag_retry;

tlsdiag_retry *tlsdiag_retry_new(const tlsdiag_options *opt, tlsdiag_judge_fn judge);
void tlsdiag_retry_free(tlsdiag_retry *r);
/* A new handshake's ClientHello: set its client identity, attempt number and links. */
void tlsdiag_retry_hello(tlsdiag_retry *r, const tlsdiag_conn *conn, tlsdiag_handshake *hs);
/* conn's handshake has just been settled at time ts_ns. */
void tlsdiag_retry_settled(tlsdiag_retry *r, const tlsdiag_conn *conn, gint64 ts_ns);
/* A provisional failure turned out established: it is no attempt a later
 * one retried, so the chain is cut after it. */
void tlsdiag_retry_revised(tlsdiag_handshake *hs);

#endif /* TLSDIAG_CONN_H */
