/* core/conn.h — internal: what the core remembers about one connection and
 * one server, shared by the tracker (tlsdiag-track.c) and the rules
 * (tlsdiag-rules.c). Not part of the API the epan layer sees.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_CONN_H
#define TLSDIAG_CONN_H

#include "core/core.h"

/* What a server (address + port) did in earlier handshakes of this capture:
 * the evidence for "other clients got suite X, this one did not offer it". */
#define TLSDIAG_SERVICE_MEMORY 4
typedef struct {
    tlsdiag_addr addr;
    guint16      port;
    guint8       n_suites, n_groups;
    guint16      suites[TLSDIAG_SERVICE_MEMORY];
    guint32      suite_frames[TLSDIAG_SERVICE_MEMORY];
    guint16      groups[TLSDIAG_SERVICE_MEMORY];
    guint32      group_frames[TLSDIAG_SERVICE_MEMORY];
    guint16      min_version;        /* lowest version negotiated, 0: none yet */
    guint32      min_version_frame;
} tlsdiag_service;

/* tlsdiag_conn.bits */
#define CONN_CLIENT_KNOWN   0x00000001u
#define CONN_SYN_SEEN       0x00000002u /* the TCP handshake is in the capture */
#define CONN_HELLO_SEEN     0x00000004u
#define CONN_FALLBACK_SCSV  0x00000008u
#define CONN_RENEGO_SCSV    0x00000010u
#define CONN_ANY_MODERN     0x00000020u /* offers an AEAD + forward-secret suite */
#define CONN_ALL_KNOWN      0x00000040u /* every suite offered is in our table */
#define CONN_SERVER_HELLO   0x00000080u
#define CONN_HRR            0x00000100u
#define CONN_CERT_REQUEST   0x00000200u
#define CONN_CLIENT_CCS     0x00000400u
#define CONN_SERVER_CCS     0x00000800u
#define CONN_CLIENT_FINISH  0x00001000u /* encrypted handshake after the client's CCS */
#define CONN_SERVER_FINISH  0x00002000u
#define CONN_SERVER_TLS     0x00004000u /* the server sent a TLS record after the hello */
#define CONN_SETTLED        0x00008000u /* outcome decided for the current handshake */
#define CONN_SUITE_UNSEEN   0x00010000u /* server chose suites before; none offered here */
#define CONN_GROUP_UNSEEN   0x00020000u /* likewise for groups */
#define CONN_INCOMPLETE_SAID 0x00040000u
#define CONN_VIA_PROXY      0x00080000u /* began with a PROXY header: proxy_client is set */
#define CONN_CLIENT_CERT_EMPTY 0x00100000u /* the client's Certificate message was empty */
#define CONN_CLIENT_CERT_SENT  0x00200000u /* the client sent a certificate */
#define CONN_ENC_ALERT      0x00400000u /* an alert-shaped encrypted record: enc_alert_* */
#define CONN_RENEGO_INFO    0x00800000u /* the ClientHello has renegotiation_info */
#define CONN_RESUME_OFFERED 0x01000000u /* the ClientHello offers a session to resume */
#define CONN_SH_RENEGO_INFO 0x02000000u /* the ServerHello acknowledges RFC 5746 */
#define CONN_SH_PSK         0x04000000u /* the ServerHello accepted a PSK */
#define CONN_SERVER_CERT    0x08000000u /* the server sent a Certificate message */
#define CONN_SSLV2_HELLO    0x10000000u /* the ClientHello was in SSLv2 format */
#define CONN_CLIENT_CLOSED  0x20000000u /* TLS 1.3: after its Finished the client sent close_notify
                                           (or, without keys, a record of an alert's size) */
#define CONN_PROVISIONAL    0x40000000u /* settled as failed while the capture missed data:
                                           later frames may still show it succeeded */
#define CONN_UNREAD_SAID    0x80000000u /* PROVISIONAL: the missing bytes came, unread by Wireshark */

/* The server's certificate chain, kept from its Certificate message until
 * the handshake is settled. Strings interned. */
#define TLSDIAG_CHAIN_MAX 6
typedef struct {
    guint32      frame;
    gint64       ts_s;           /* capture time of that frame: validity is judged against it */
    guint        n;              /* certificates kept (the first TLSDIAG_CHAIN_MAX sent) */
    guint        n_sent;
    tlsdiag_cert certs[TLSDIAG_CHAIN_MAX];
} tlsdiag_chain;

/* One side's TCP byte stream as captured (tlsdiag-tcp.c). */
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

/* A ClientHello above this does not fit one segment of a typical 1500-byte MTU path. */
#define TLSDIAG_LARGE_HELLO_BYTES 1400

#define TLSDIAG_CONN_SUITES 8
#define TLSDIAG_CONN_GROUPS 6

typedef struct {
    tlsdiag_addr       client, server;
    tlsdiag_addr       proxy_client;     /* VIA_PROXY: the original client */
    guint16            client_port, server_port;
    guint8             proxy_version;
    guint32            bits;
    tlsdiag_handshake *hs;               /* current handshake */
    tlsdiag_service   *service;
    gint64             hello_ts_ns;
    const char        *sni;              /* interned; NULL: none sent */
    const char        *alpn;             /* interned "h2, http/1.1"; NULL: none */
    guint16            offered_min, offered_max; /* offered range; min 0: unknown */
    guint16            n_suites_total;   /* SSL 2.0 cipher specs included */
    guint8             n_suites, n_groups, n_ssl2_specs;
    guint16            suites[TLSDIAG_CONN_SUITES];  /* the first few, for the words */
    guint16            groups[TLSDIAG_CONN_GROUPS];
    guint16            hello_len;
    guint8             hello_segments;   /* TCP segments of the ClientHello, 0: unknown */
    guint16            sh_version, sh_suite, sh_group;
    guint32            sh_frame;
    guint32            server_bytes;     /* server payload since the ClientHello */
    guint32            first_server_payload_frame;
    guint16            client_flights;   /* client frames with encrypted records after a TLS 1.3 ServerHello */
    tlsdiag_chain     *chain;            /* the server's certificates, NULL: none seen */
    const char        *client_cert_subject, *client_cert_issuer;   /* CLIENT_CERT_SENT */
    guint32            client_cert_frame;
    guint32            enc_alert_frame;  /* ENC_ALERT: where, and from whom */
    gboolean           enc_alert_from_server;
    guint8             client_flight_records; /* encrypted records in the client's first TLS 1.3 flight */
    guint16            client_flight_first_len; /* and the length of the first one */
    GArray            *events;           /* tlsdiag_event of the open handshake, NULL: none */
    tlsdiag_handshake *reneg;            /* a renegotiation under way on an established connection */
    guint8             reneg_flags;      /* RENEG_* */
    guint32            hrr_frame;        /* HelloRetryRequest, and the group it asked for */
    guint16            hrr_group;
    tlsdiag_tcp_side   tcp_client, tcp_server;  /* each side's byte stream */
    guint32            irtt_us;          /* the TCP handshake's round trip, 0: unknown */
} tlsdiag_conn;

/* tlsdiag_conn.reneg_flags: what started a renegotiation. */
#define RENEG_BY_SERVER   0x01   /* an encrypted HelloRequest from the server */
#define RENEG_PLAIN       0x02   /* a plaintext ClientHello (the client lost its state) */
#define RENEG_HELLO_SEEN  0x04   /* its ClientHello could be read (keys loaded) */
#define RENEG_SCSV        0x08   /* ... and carried TLS_EMPTY_RENEGOTIATION_INFO_SCSV */
#define RENEG_NO_INFO     0x10   /* ... and had no renegotiation_info */
#define RENEG_DONE        0x80   /* one renegotiation judged: stop watching */

/* What ended (or may end) a handshake. */
typedef enum {
    TLSDIAG_END_ALERT,
    TLSDIAG_END_RST,
    TLSDIAG_END_FIN,
    TLSDIAG_END_NOT_TLS
} tlsdiag_end_kind;

typedef struct {
    tlsdiag_end_kind kind;
    gboolean         from_server;
    guint8           alert_level;    /* 0: unreadable */
    int              alert_desc;     /* -1: unreadable */
    guint32          frame;
    gint64           ts_ns;
    const guint8    *head;           /* NOT_TLS: first payload bytes */
    guint            head_len;
} tlsdiag_end;

/* Decide the verdict of a handshake ended by `end` with this outcome
 * (failed, incomplete, or abandoned by the client); never NULL. */
tlsdiag_verdict *tlsdiag_rules_judge(const tlsdiag_conn *conn, const tlsdiag_end *end, tlsdiag_outcome outcome);
void tlsdiag_verdict_free(tlsdiag_verdict *v);

/* Add a cause with its evidence (first: in front, as the most specific); a
 * cause already there, or a full verdict, is left as it is (when first, the
 * least specific cause makes room). */
void tlsdiag_verdict_add(tlsdiag_verdict *v, gboolean first, tlsdiag_cause cause,
                         const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* A provisional failure's missing bytes came in frame `frame`, but
 * Wireshark did not read them as TLS: say so, and how to make it. */
void tlsdiag_rules_unread(tlsdiag_verdict *v, guint32 frame);

/* Why a renegotiation on an established connection failed. */
tlsdiag_verdict *tlsdiag_rules_judge_renegotiation(const tlsdiag_conn *conn, const tlsdiag_end *end);

/* What is worth saying whatever the outcome (protocol version, an extra
 * round trip, resumption, RFC 5746, weak certificates). */
void tlsdiag_rules_notes(const tlsdiag_conn *conn, tlsdiag_outcome outcome, tlsdiag_verdict *v);

/* The handshake's story (tlsdiag-history.c): record a frame of the open
 * handshake; copy the story onto the handshake when it settles (final: and
 * stop recording; a provisional verdict keeps recording until revised). */
void tlsdiag_history_record(tlsdiag_conn *conn, gboolean from_client, const tlsdiag_packet *pkt);
void tlsdiag_history_keep(tlsdiag_conn *conn, tlsdiag_handshake *hs, gboolean final);

/* Certificates (tlsdiag-certs.c). */
tlsdiag_chain *tlsdiag_chain_new(GStringChunk *strings, const tlsdiag_packet *pkt);
/* Name what is wrong with the certificates when they ended the handshake
 * (the client refusing the server's, or the server the client's); TRUE when
 * a cause was named. */
gboolean tlsdiag_certs_judge(const tlsdiag_conn *conn, const tlsdiag_end *end, tlsdiag_verdict *v);
/* Warnings true whatever the outcome: weak signatures and keys, a chain out of order. */
void tlsdiag_certs_warn(const tlsdiag_conn *conn, tlsdiag_verdict *v);

/* Retry linking (tlsdiag-retry.c): an index of the latest attempt per client
 * and service, so each ClientHello finds the attempt it retries in O(1). */
typedef struct tlsdiag_retry tlsdiag_retry;

tlsdiag_retry *tlsdiag_retry_new(const tlsdiag_options *opt);
void tlsdiag_retry_free(tlsdiag_retry *r);
/* A new handshake's ClientHello: set its client identity, attempt number and links. */
void tlsdiag_retry_hello(tlsdiag_retry *r, const tlsdiag_conn *conn, tlsdiag_handshake *hs);
/* conn's handshake has just been settled at time ts_ns. */
void tlsdiag_retry_settled(tlsdiag_retry *r, const tlsdiag_conn *conn, gint64 ts_ns);
/* A provisional failure turned out established: it is no attempt a later
 * one retried, so the chain is cut after it. */
void tlsdiag_retry_revised(tlsdiag_handshake *hs);

#endif /* TLSDIAG_CONN_H */
