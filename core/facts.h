/* core/facts.h — what the tracker reports and the judge reads: the facts of
 * one handshake as the capture showed them, and the report of how it ended.
 *
 * The tracker (core/track.c) fills a tlsdiag_facts per handshake and, when
 * something is to be judged, hands a tlsdiag_report to the judge through the
 * one hook it was created with (tlsdiag_judge_fn, core/core.h). The judge
 * (causes/) decides why; it never sees the tracker's own state.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_FACTS_H
#define TLSDIAG_FACTS_H

#include "core/core.h"
#include "core/tls.h"

/* What a server (address + port; through an HTTP proxy, the proxy's
 * address and port and the CONNECT target) did in earlier handshakes of
 * this capture: the evidence for "other clients got suite X, this one did
 * not offer it". */
/* A TCP timestamp (TSval) and when the capture saw it. */
typedef struct {
    guint32 tsval;
    gint64  ns;
} tlsdiag_clock;

#define TLSDIAG_SERVICE_MEMORY 4
typedef struct {
    tlsdiag_addr addr;
    guint16      port;
    guint32      tunnel;             /* through a proxy (HTTP CONNECT, SOCKS): its target (a hash), 0: direct */
    guint8       n_suites, n_groups;
    guint16      suites[TLSDIAG_SERVICE_MEMORY];
    guint32      suite_frames[TLSDIAG_SERVICE_MEMORY];
    guint16      groups[TLSDIAG_SERVICE_MEMORY];
    guint32      group_frames[TLSDIAG_SERVICE_MEMORY];
    guint16      min_version;        /* lowest version negotiated, 0: none yet */
    guint16      max_version;        /* highest, likewise */
    guint8       tls_first;          /* it answered a ClientHello that was its client's first byte */
    guint32      min_version_frame;
    const char  *ok_sni;             /* the SNI of its last handshake that succeeded, interned; NULL: none */
    guint32      ok_sni_frame;
    /* Its name in attempt chains, "192.0.2.1:443 (SNI www.example.com)",
     * for the SNI text_sni (core/retry.c); NULL: none yet */
    const char  *text, *text_sni;
    /* Port 0 stands for the address on any port: the TTL (hop limit) of
     * its first packet in the capture, 0: none yet */
    guint8       ttl;
    guint8       has_tsval;
    guint32      ttl_frame;
    tlsdiag_clock tsval;             /* that connection's first TCP timestamp from it (has_tsval) */
} tlsdiag_service;

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

/* tlsdiag_facts.bits */
#define FACT_SYN_SEEN        G_GUINT64_CONSTANT(0x00000001) /* the TCP handshake is in the capture */
#define FACT_HELLO_SEEN      G_GUINT64_CONSTANT(0x00000002)
#define FACT_FALLBACK_SCSV   G_GUINT64_CONSTANT(0x00000004)
#define FACT_RENEGO_SCSV     G_GUINT64_CONSTANT(0x00000008)
#define FACT_ANY_MODERN      G_GUINT64_CONSTANT(0x00000010) /* offers an AEAD + forward-secret suite */
#define FACT_ALL_KNOWN       G_GUINT64_CONSTANT(0x00000020) /* every suite offered is in our table */
#define FACT_SERVER_HELLO    G_GUINT64_CONSTANT(0x00000040)
#define FACT_HRR             G_GUINT64_CONSTANT(0x00000080)
#define FACT_CERT_REQUEST    G_GUINT64_CONSTANT(0x00000100)
#define FACT_CLIENT_CCS      G_GUINT64_CONSTANT(0x00000200)
#define FACT_SERVER_CCS      G_GUINT64_CONSTANT(0x00000400)
#define FACT_CLIENT_FINISH   G_GUINT64_CONSTANT(0x00000800) /* its Finished (encrypted handshake after its CCS, or read) */
#define FACT_SERVER_FINISH   G_GUINT64_CONSTANT(0x00001000)
#define FACT_SERVER_TLS      G_GUINT64_CONSTANT(0x00002000) /* the server sent a TLS record after the hello */
#define FACT_SUITE_UNSEEN    G_GUINT64_CONSTANT(0x00004000) /* server chose suites before; none offered here */
#define FACT_GROUP_UNSEEN    G_GUINT64_CONSTANT(0x00008000) /* likewise for groups */
#define FACT_CLIENT_CERT_EMPTY G_GUINT64_CONSTANT(0x00010000) /* the client's Certificate message was empty */
#define FACT_CLIENT_CERT_SENT  G_GUINT64_CONSTANT(0x00020000) /* the client sent a certificate */
#define FACT_ENC_ALERT       G_GUINT64_CONSTANT(0x00040000) /* an alert-shaped encrypted record: enc_alert_* */
#define FACT_RENEGO_INFO     G_GUINT64_CONSTANT(0x00080000) /* the ClientHello has renegotiation_info */
#define FACT_RESUME_OFFERED  G_GUINT64_CONSTANT(0x00100000) /* the ClientHello offers a session to resume */
#define FACT_SH_RENEGO_INFO  G_GUINT64_CONSTANT(0x00200000) /* the ServerHello acknowledges RFC 5746 */
#define FACT_SH_PSK          G_GUINT64_CONSTANT(0x00400000) /* the ServerHello accepted a PSK */
#define FACT_SERVER_CERT     G_GUINT64_CONSTANT(0x00800000) /* the server sent a Certificate message */
#define FACT_SSLV2_HELLO     G_GUINT64_CONSTANT(0x01000000) /* the ClientHello was in SSLv2 format */
#define FACT_CLIENT_CLOSED   G_GUINT64_CONSTANT(0x02000000) /* TLS 1.3: after its Finished the client sent close_notify
                                            (or, without keys, a record of an alert's size) */
#define FACT_SETTLED         G_GUINT64_CONSTANT(0x04000000) /* its outcome is decided */
#define FACT_PROVISIONAL     G_GUINT64_CONSTANT(0x08000000) /* settled as failed while the capture missed data:
                                            later frames may still show it succeeded */
#define FACT_UNREAD_SAID     G_GUINT64_CONSTANT(0x10000000) /* PROVISIONAL: the missing bytes came, unread by Wireshark */
#define FACT_ALL_BROKEN      G_GUINT64_CONSTANT(0x20000000) /* every suite offered is one servers refuse (NULL, anon, export, RC4, DES) */
#define FACT_TLS13_SUITES    G_GUINT64_CONSTANT(0x40000000) /* offers a TLS 1.3 suite ... */
#define FACT_TLS13_MANDATORY G_GUINT64_CONSTANT(0x80000000) /* ... among them TLS_AES_128_GCM_SHA256 (RFC 8446 9.1) */
#define FACT_PLAIN_REQUEST   G_GUINT64_CONSTANT(0x100000000) /* the client spoke plaintext first, to a TLS port:
                                                                plain_head, plain_frame */
#define FACT_HIDDEN_HELLO    G_GUINT64_CONSTANT(0x200000000) /* the ClientHello is there, but Wireshark did not
                                                                decode it (a port it reads as another protocol) */
#define FACT_ECH_OFFERED     G_GUINT64_CONSTANT(0x400000000) /* the ClientHello offers Encrypted Client Hello */
#define FACT_HELLO_SEQ       G_GUINT64_CONSTANT(0x800000000) /* hello_end_seq is set (the ClientHello came over TCP) */
#define FACT_HELLO_ACKED     G_GUINT64_CONSTANT(0x1000000000) /* the server's TCP acknowledged all of it */
#define FACT_DTLS            G_GUINT64_CONSTANT(0x2000000000) /* DTLS over UDP; versions are kept as their TLS
                                                                 equivalents (tlsdiag_version_norm) */
#define FACT_HELLO_VERIFY    G_GUINT64_CONSTANT(0x4000000000) /* DTLS: the server asked for a cookie first */
#define FACT_DTLS_ENDED      G_GUINT64_CONSTANT(0x8000000000) /* DTLS, established: an alert ended the
                                                                 association since */
#define FACT_ONE_WAY         G_GUINT64_CONSTANT(0x10000000000) /* none of the server's packets is in the
                                                                 capture, though the client acknowledged its data */
#define FACT_SERVER_DONE     G_GUINT64_CONSTANT(0x20000000000) /* the server's ServerHelloDone: its flight is whole */
#define FACT_SERVER_ACKED    G_GUINT64_CONSTANT(0x40000000000) /* at the end the client had acknowledged all the
                                                                 server sent, and the capture holds all of it */
#define FACT_CUT_UNJUDGED    G_GUINT64_CONSTANT(0x80000000000) /* the capture cut frames of the handshake (cut_*) and
                                                                 what they held may decide how it ended */
#define FACT_HELLO_CUT       G_GUINT64_CONSTANT(0x100000000000) /* the capture cut the ClientHello: what it offers
                                                                  (versions, suites, SNI) is not known */
#define FACT_CERT_UNCONFIRMED G_GUINT64_CONSTANT(0x200000000000) /* TLS 1.3: established by the client's close
                                                                  after a certificate flight, the server having sent no
                                                                  ticket or data (with keys: nothing before its close) */
#define FACT_PHA_OFFERED     G_GUINT64_CONSTANT(0x400000000000) /* the ClientHello offers post-handshake
                                                                  authentication (TLS 1.3) */
#define FACT_TLS13_READ      G_GUINT64_CONSTANT(0x800000000000) /* TLS 1.3: the server's Finished was read (the
                                                                  key log decrypts the connection) */
#define FACT_SERVER_UNACKED  G_GUINT64_CONSTANT(0x1000000000000) /* the server sent its data again, and the client's
                                                                   TCP, alive to the end, acknowledged none of it, or
                                                                   only its first server_acked bytes */
#define FACT_GAVE_UP         G_GUINT64_CONSTANT(0x2000000000000) /* failed: the client closed without an alert before
                                                                   the server's flight was whole, all of the server's
                                                                   data seen acknowledged: its later segments may show
                                                                   data that never came (core: watch them) */
#define FACT_LOST_SAID       G_GUINT64_CONSTANT(0x4000000000000) /* GAVE_UP: a later server segment showed it */
#define FACT_SERVER_GAP_LOST G_GUINT64_CONSTANT(0x8000000000000) /* the client closed without an alert while the
                                                                   capture missed server bytes (a gap before
                                                                   server_gap_frame) its TCP never acknowledged */
#define FACT_CLOSED_UNUSED   G_GUINT64_CONSTANT(0x10000000000000) /* established, then the client's first word was
                                                                   its close (an alert, or its FIN or RST), before
                                                                   any data either way (TLSDIAG_WATCH_UNUSED_CLOSE) */
#define FACT_CLIENT_UNACKED  G_GUINT64_CONSTANT(0x20000000000000) /* abandoned: the client closed soon while its last
                                                                   flight was not yet acknowledged by the server */

#define TLSDIAG_FACT_SUITES 8
#define TLSDIAG_FACT_GROUPS 6

/* Frames of a handshake the capture kept only part of (its snap length):
 * how many, the first, the payload bytes cut off, the sides
 * (TLSDIAG_CUT_*) and the largest frame length the capture kept. */
typedef struct {
    guint16 frames;
    guint8  sides;
    guint32 first_frame;
    guint32 bytes;
    guint32 captured;
} tlsdiag_cut;

/* One handshake, from its ClientHello to its end: what it offered, what the
 * server chose and sent, how far each side got. */
typedef struct {
    tlsdiag_handshake *hs;               /* its record */
    tlsdiag_service   *service;          /* what the server did for other clients */
    guint64            bits;             /* FACT_* */
    guint16            server_port;
    gint64             hello_ts_ns;
    const char        *sni;              /* interned; NULL: none sent */
    const char        *alpn;             /* interned "h2, http/1.1"; NULL: none */
    guint16            offered_min, offered_max; /* offered range; min 0: unknown */
    guint16            n_suites_total;   /* SSL 2.0 cipher specs included */
    guint8             n_suites, n_groups, n_ssl2_specs;
    guint16            suites[TLSDIAG_FACT_SUITES];  /* the first few, for the words */
    guint16            groups[TLSDIAG_FACT_GROUPS];
    guint16            hello_len;
    guint8             hello_segments;   /* TCP segments of the ClientHello, 0: unknown */
    guint32            hello_end_seq;    /* HELLO_SEQ: one past its last byte */
    guint16            hello_msg_seq;    /* DTLS: the last ClientHello's message_seq and random */
    guint64            hello_random;
    guint32            stale_frame;      /* DTLS: an earlier association from the same ports, established in
                                            this frame and not ended in the capture (0: none) */
    guint8             hello_resent;     /* segments of it (DTLS: the whole hello) the client sent again before any answer */
    gint64             hello_resent_ns;  /* the last of them */
    guint16            sh_version, sh_suite, sh_group;
    guint32            sh_frame;
    guint32            server_bytes;     /* server payload since the ClientHello */
    guint32            first_server_payload_frame, last_server_payload_frame;
    guint32            server_data_seq;  /* the TCP sequence number of the server's first payload byte */
    guint16            server_max_payload; /* its largest segment's payload */
    guint8             server_resent;    /* its data segments sent again (at most 255) */
    guint32            server_acked;     /* SERVER_UNACKED: how many of its bytes the client acknowledged */
    guint32            server_gap_frame; /* its first segment after bytes the capture missed, 0: none */
    gint64             last_server_payload_ns;
    guint16            client_flights;   /* client frames with encrypted records after the server's flight */
    guint16            client_flight_first_len; /* the length of the first encrypted record of the client's
                                                   first such flight */
    tlsdiag_chain     *chain;            /* the server's certificates, NULL: none seen */
    const char        *client_cert_subject, *client_cert_issuer;   /* CLIENT_CERT_SENT */
    guint8             client_cert_eku;  /* its TLSDIAG_EKU_* */
    guint32            client_cert_frame;
    guint32            enc_alert_frame;  /* ENC_ALERT: where, and from whom */
    gboolean           enc_alert_from_server;
    /* With the ServerHello unread (the version unknown), a side's last
     * encrypted record was of a TLS 1.3 alert's size: where (0: none), and
     * from whom */
    guint32            sized_alert_frame;
    gboolean           sized_alert_from_server;
    guint32            hrr_frame;        /* HelloRetryRequest, and the group it asked for */
    guint16            hrr_group;
    guint32            odd_record_frame; /* a Heartbeat record or a record of no TLS type, 0: none */
    guint8             odd_record_type;  /* 24: Heartbeat; 0: unknown */
    gboolean           odd_record_from_client;
    const char        *plain_head;       /* PLAIN_REQUEST: its first printable bytes, interned */
    guint32            plain_frame;
    /* HIDDEN_HELLO: what Wireshark decodes the connection as (NULL: not
     * known), and the frames whose TLS records were seen by their headers
     * only: the server's first answer, then the client's reply to it */
    const char        *decoded_as;
    guint32            hidden_server_frame, hidden_client_frame;
    guint8             issuer_seen;      /* TLSDIAG_ISSUER_SEEN_*: the leaf's issuer in earlier chains */
    guint32            issuer_seen_frame;
    guint32            offer;            /* a hash of what the ClientHello offered: versions, suites, groups
                                            (GREASE apart) */
    guint16            probe_n;          /* the ClientHello is number probe_n of a run that looks like a
                                            scanner's (core/retry.c), 0: none */
    guint32            probe_first_frame;   /* the run's first ClientHello, and when it came */
    gint64             probe_first_ns;
    tlsdiag_cut        cut;              /* the frames of it the capture kept only in part */
} tlsdiag_facts;

/* The client has finished its part of the handshake: TLS 1.3, its first
 * encrypted flight after the server's ((Certificate, CertificateVerify,)
 * Finished); TLS <= 1.2, its Finished after ChangeCipherSpec; with the
 * ServerHello unread (the version unknown), either (its encrypted records
 * after the server's flight come with or after its Finished in both). One
 * definition for the tracker and the rules. */
static inline gboolean
tlsdiag_client_finished(const tlsdiag_facts *f)
{
    const gboolean flights = f->client_flights > 0, finished = (f->bits & FACT_CLIENT_FINISH) != 0;
    if (!f->sh_version)
        return flights || finished;
    return f->sh_version >= TLSDIAG_TLS13 ? flights : finished;
}

/* What a TLS 1.3 client's flight says of its certificate, read from the
 * length of its first encrypted record without keys: an empty Certificate
 * (it was asked for one and had none), or one longer than any Finished (a
 * Certificate: it sent one). Some stacks (JSSE) send each message of the
 * flight in its own segment, so the count of records in the first one says
 * nothing. */
static inline gboolean
tlsdiag_client_cert_empty(const tlsdiag_facts *f)
{
    return f->client_flights && tlsdiag_tls13_empty_cert_len(f->client_flight_first_len);
}
static inline gboolean
tlsdiag_client_cert_sent(const tlsdiag_facts *f)
{
    return f->client_flights && f->client_flight_first_len > TLSDIAG_TLS13_FINISHED_MAX;
}

/* tlsdiag_cut.sides */
#define TLSDIAG_CUT_CLIENT 1
#define TLSDIAG_CUT_SERVER 2

/* tlsdiag_facts.issuer_seen: what earlier chains of the capture showed of the
 * certificate that issued this leaf. */
#define TLSDIAG_ISSUER_SEEN_INTERMEDIATE 1   /* sent, issued by another CA */
#define TLSDIAG_ISSUER_SEEN_ROOT         2   /* sent, self-signed */

/* How the packet that ended a handshake compares with the earlier packets
 * of the side it claims to come from (core/path.c), and with the same
 * server on other connections: the judge tells from it who likely sent it. */
#define PATHF_TTL        0x01   /* end_ttl and side_ttl are known */
#define PATHF_TTL_VARIED 0x02   /* the side's own TTL changed before: hop counts are weak */
#define PATHF_IDS        0x04   /* IPv4: end_id and side_id are known */
#define PATHF_SIDE_TS    0x08   /* the side's earlier segments carried TCP timestamps */
#define PATHF_END_TS     0x10   /* the end carries them */
#define PATHF_HOST       0x20   /* host_ttl: the server's address on another connection */
#define PATHF_IPV6       0x40   /* the TTLs are IPv6 hop limits */
#define PATHF_HOST_CLOCK 0x80   /* HOST: the server's TCP timestamps on this connection and on that one
                                   run on one clock: one TCP stack */
typedef struct {
    guint8  bits;           /* PATHF_* */
    guint8  end_ttl;        /* the end's TTL (hop limit) */
    guint8  side_ttl;       /* its side's first packet on this connection */
    guint8  host_ttl;
    guint16 end_id, side_id;   /* IPv4 IDs: the end's, the side's last non-zero one */
    guint32 side_frame;     /* that first packet (the SYN or SYN-ACK when captured) */
    guint32 host_frame;     /* the server address's first packet on another connection */
    guint32 syn_answer_us;  /* the server's SYN-ACK after the client's SYN, 0: unknown */
} tlsdiag_path_facts;

/* What ended (or may end) a handshake. */
typedef enum {
    TLSDIAG_END_ALERT,
    TLSDIAG_END_RST,
    TLSDIAG_END_FIN,
    TLSDIAG_END_NOT_TLS,
    TLSDIAG_END_UNREACHABLE          /* an ICMP destination unreachable answered the client's datagram */
} tlsdiag_end_kind;

typedef struct {
    tlsdiag_end_kind kind;           /* a QUIC CONNECTION_CLOSE without alert is a FIN with quic_close */
    gboolean         from_server;
    guint8           alert_level;    /* 0: unreadable */
    int              alert_desc;     /* -1: unreadable */
    guint32          frame;
    gint64           ts_ns;
    const guint8    *head;           /* NOT_TLS: first payload bytes */
    guint            head_len;
    gboolean         quic_close;     /* a QUIC CONNECTION_CLOSE: its code and reason phrase */
    gboolean         close_app;      /* an application error, not a transport one */
    guint64          close_code;
    const char      *close_reason;   /* NULL: none (QUIC's, also with an alert) */
    guint8           icmp_type, icmp_code, icmp_family;   /* UNREACHABLE */
    gboolean         icmp_from_server;                    /* UNREACHABLE: sent from the server's address */
    tlsdiag_path_facts path;         /* the packet that ended it (the tracker fills it in) */
} tlsdiag_end;

/* tlsdiag_report.reneg: a new handshake on an established connection (TLS
 * <= 1.2), or the server's CertificateRequest after a TLS 1.3 one (PHA) */
#define RENEG_BY_SERVER   0x01   /* the server's HelloRequest (encrypted, or read with keys) */
#define RENEG_PLAIN       0x02   /* a plaintext ClientHello (the client lost its state) */
#define RENEG_HELLO_SEEN  0x04   /* its ClientHello could be read (keys loaded) */
#define RENEG_SCSV        0x08   /* ... and carried TLS_EMPTY_RENEGOTIATION_INFO_SCSV */
#define RENEG_NO_INFO     0x10   /* ... and had no renegotiation_info */
#define RENEG_CUT         0x20   /* the capture cut a frame of the server's since it began: its
                                    ChangeCipherSpec may be in the part cut off */
#define RENEG_PHA         0x40   /* TLS 1.3 post-handshake authentication: the server's CertificateRequest
                                    after the handshake (read with keys) began it */
#define RENEG_DONE        0x80   /* one renegotiation judged: stop watching */
#define RENEG_CLIENT_HELLO 0x100 /* the client's new hello was sent (it began it, or answered the server's
                                    HelloRequest) */
#define RENEG_SERVER_FLIGHT 0x200 /* the server answered that hello with handshake records (or, PHA, asked) */
#define RENEG_CLIENT_FLIGHT 0x400 /* the client answered the server's flight with handshake records */
#define RENEG_CERT_REQUEST 0x800 /* the server's CertificateRequest was read (keys): cert_request_frame */
#define RENEG_CLIENT_CERT  0x1000 /* the client's Certificate was read (keys): client_cert_frame ... */
#define RENEG_CERT_EMPTY   0x2000 /* ... and it held no certificate */

typedef enum {
    TLSDIAG_REPORT_HANDSHAKE,     /* a handshake settled: outcome, and end unless established */
    TLSDIAG_REPORT_RENEGOTIATION, /* a renegotiation on an established connection ended: end */
    TLSDIAG_REPORT_RECOVERED,     /* hs, a failed attempt, was followed by other, a success */
    TLSDIAG_REPORT_STORM,         /* hs is the failed attempt after retry_storm_attempts */
    TLSDIAG_REPORT_UNREAD,        /* hs failed provisionally; its missing bytes came in frame, unread */
    TLSDIAG_REPORT_RESENT,        /* hs is open; its ClientHello was sent again in frame, still unacknowledged
                                     (TCP) or unanswered (DTLS: hello_resent times) */
    TLSDIAG_REPORT_UNFINISHED,    /* the capture ended with hs open: its connection's last packet was frame
                                     (at ts_ns), the capture's capture_frame (at capture_ns) */
    TLSDIAG_REPORT_PROBE,         /* hs, settled, is number probe_n of a run of probes that began in frame:
                                     a scanner's, seen once the run was long enough */
    TLSDIAG_REPORT_LOST           /* hs failed, its client gave up (GAVE_UP); a server segment in frame shows
                                     server_missing bytes it had sent that never came */
} tlsdiag_report_kind;

/* tlsdiag_report.unanswered: whose last TCP data was neither acknowledged
 * in the capture nor sent again (UNFINISHED). */
#define UNANSWERED_CLIENT 0x01
#define UNANSWERED_SERVER 0x02

/* What the tracker tells the judge. */
struct tlsdiag_report {
    tlsdiag_report_kind      kind;
    tlsdiag_handshake       *hs;            /* the handshake judged; its verdict is the judge's */
    const tlsdiag_facts     *facts;         /* HANDSHAKE, RENEGOTIATION */
    tlsdiag_outcome          outcome;       /* HANDSHAKE, RENEGOTIATION */
    const tlsdiag_end       *end;           /* HANDSHAKE (NULL: established), RENEGOTIATION */
    guint32                  server_missing, client_missing; /* HANDSHAKE, UNFINISHED (server's only): bytes
                                                               each side sent that the capture lacked */
    guint16                  reneg;         /* RENEGOTIATION: RENEG_* */
    /* RENEGOTIATION: the server's CertificateRequest (RENEG_CERT_REQUEST);
     * the client's Certificate (RENEG_CLIENT_CERT), else the first frame
     * of its flight (RENEG_CLIENT_FLIGHT) and its first handshake record's
     * length (0: none) */
    guint32                  cert_request_frame, client_cert_frame;
    guint16                  client_flight_len;
    const tlsdiag_handshake *other;         /* RECOVERED: the success; RENEGOTIATION: the first handshake */
    /* RESENT, UNFINISHED: facts */
    gint64                   ts_ns;         /* STORM: when it failed; UNFINISHED */
    guint                    window_s;      /* STORM: the retry window */
    guint32                  frame;         /* UNREAD, RESENT, UNFINISHED */
    guint32                  capture_frame; /* UNFINISHED */
    gint64                   capture_ns;    /* UNFINISHED */
    guint8                   unanswered;    /* UNFINISHED: UNANSWERED_* */
    guint16                  probe_n;       /* PROBE */
};

#endif /* TLSDIAG_FACTS_H */
