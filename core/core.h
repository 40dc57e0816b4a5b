/* core/core.h — the core's API: follow TLS handshakes per connection and
 * name why one failed. Pure C + GLib: it knows nothing of epan.
 *
 * The epan layer condenses each frame into a tlsdiag_packet (on its stack,
 * pointing into the frame's field values) and hands it to tlsdiag_core_packet()
 * exactly once per frame, in frame order. The core returns the handshake
 * record the frame should display, which stays valid until the core is freed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_CORE_H
#define TLSDIAG_CORE_H

#include <glib.h>

#include "causes/catalogue.h"

#define TLSDIAG_MAX_CAUSES 4

typedef struct {
    guint8 family;      /* 4, 6, or 0 when unknown */
    guint8 bytes[16];
} tlsdiag_addr;

/* What the ClientHello offered. Lists may be truncated by the caller; the
 * n_* counts are what was stored, total_suites the real number. */
#define TLSDIAG_HELLO_MAX_SUITES   128
#define TLSDIAG_HELLO_MAX_VERSIONS 16
#define TLSDIAG_HELLO_MAX_GROUPS   32
#define TLSDIAG_HELLO_MAX_ALPN     8
typedef struct {
    guint16     legacy_version;
    guint16     versions[TLSDIAG_HELLO_MAX_VERSIONS];  /* supported_versions */
    guint       n_versions;
    guint16     suites[TLSDIAG_HELLO_MAX_SUITES];
    guint       n_suites;
    guint16     groups[TLSDIAG_HELLO_MAX_GROUPS];      /* supported_groups */
    guint       n_groups;
    const char *sni;                                   /* NULL: no server_name */
    const char *alpn[TLSDIAG_HELLO_MAX_ALPN];
    guint       n_alpn;
    guint       length;                                /* handshake message bytes */
    guint       segments;                              /* TCP segments it came in, 0: unknown */
    gboolean    reneg_info;                            /* renegotiation_info extension (RFC 5746) */
    gboolean    resumption;                            /* offers a session: ticket, PSK, or a TLS <= 1.2 session id */
    gboolean    sslv2;                                 /* SSLv2-format (cipher specs) */
    gboolean    ech;                                   /* offers Encrypted Client Hello (0xfe0d) */
    gboolean    pha;                                   /* offers post-handshake authentication (TLS 1.3) */
    guint       n_ssl2_specs;                          /* its SSL 2.0 cipher specs (TLS suites are in suites) */
    /* DTLS: its message_seq, and the last 8 bytes of its random (the same
     * in a retransmission and in the hello that answers a HelloVerifyRequest
     * or HelloRetryRequest; another random is another handshake) */
    guint16     msg_seq;
    guint64     random_tail;
} tlsdiag_client_hello;

/* One certificate of a Certificate message, as Wireshark's X.509 dissector
 * decoded it. Strings point into the frame's fields (or the caller's
 * buffers) and only need to live for the call. */
#define TLSDIAG_CERT_MAX_NAMES 8
typedef enum {
    TLSDIAG_SIG_OK,           /* or unknown */
    TLSDIAG_SIG_SHA1,
    TLSDIAG_SIG_MD5           /* MD5 or MD2 */
} tlsdiag_sig_strength;

/* tlsdiag_cert.eku: what the extendedKeyUsage extension allows. */
#define TLSDIAG_EKU_PRESENT 0x01   /* the extension is there (absent: any use) */
#define TLSDIAG_EKU_SERVER  0x02   /* id-kp-serverAuth */
#define TLSDIAG_EKU_CLIENT  0x04   /* id-kp-clientAuth */
#define TLSDIAG_EKU_ANY     0x08   /* anyExtendedKeyUsage */

typedef struct {
    const char *subject;      /* "CN=good.example, O=Example", NULL: not decoded */
    const char *issuer;
    const char *cn;           /* the subject's commonName, NULL: none */
    const char *dns[TLSDIAG_CERT_MAX_NAMES];   /* subjectAltName dNSNames */
    guint       n_dns;
    gboolean    has_not_before, has_not_after;
    gint64      not_before, not_after;        /* seconds since the epoch, UTC */
    guint       rsa_bits;     /* RSA modulus size, 0: not RSA or not decoded */
    guint8      sig;          /* tlsdiag_sig_strength of the issuer's signature */
    guint8      eku;          /* TLSDIAG_EKU_*: its extended key usage */
    guint8      n_ip;         /* subjectAltName iPAddresses */
} tlsdiag_cert;

#define TLSDIAG_PKT_MAX_CERTS 8

/* What a frame carries (tlsdiag_packet.flags). */
#define TLSDIAG_PKT_SYN_SEEN         0x00000001u /* this conversation's SYN is in the capture */
#define TLSDIAG_PKT_FIN              0x00000002u
#define TLSDIAG_PKT_RST              0x00000004u
#define TLSDIAG_PKT_ENDS_ALERT_SHAPED 0x00000008u /* encrypted records, the last of an alert's size
                                                    (unpadded) after others: a close_notify sent with them */
#define TLSDIAG_PKT_CLIENT_HELLO     0x00000010u
#define TLSDIAG_PKT_SERVER_HELLO     0x00000020u
#define TLSDIAG_PKT_HELLO_RETRY      0x00000040u /* ServerHello with the HRR random */
#define TLSDIAG_PKT_CERTIFICATE      0x00000080u
#define TLSDIAG_PKT_CERT_REQUEST     0x00000100u
#define TLSDIAG_PKT_SERVER_DONE      0x00000200u
#define TLSDIAG_PKT_ENC_HANDSHAKE    0x00000400u /* handshake record we cannot read */
#define TLSDIAG_PKT_CCS              0x00000800u
#define TLSDIAG_PKT_APP_DATA         0x00001000u /* also TLS 1.3's opaque records */
#define TLSDIAG_PKT_ALERT            0x00002000u
#define TLSDIAG_PKT_TLS              0x00004000u /* any TLS record at all */
#define TLSDIAG_PKT_NOT_TLS          0x00008000u /* payload Wireshark found not to be TLS */
#define TLSDIAG_PKT_PROXY            0x00010000u /* a PROXY protocol header (proxy_* below) */
#define TLSDIAG_PKT_ALERT_SHAPED     0x00020000u /* one encrypted record, of an alert's size
                                                    (2 bytes + type + AEAD tag) */
#define TLSDIAG_PKT_FINISHED         0x00080000u /* a Finished message read (keys loaded) */
#define TLSDIAG_PKT_PLAIN_HELLO      0x00040000u /* an "encrypted" handshake record that is in
                                                    fact a plaintext ClientHello */
#define TLSDIAG_PKT_TCP              0x00100000u /* a TCP segment: seq, ack and tcp_flags are set */
#define TLSDIAG_PKT_SSLV2            0x00200000u /* SSLv2-format records: hs_types are SSLv2 message types */
#define TLSDIAG_PKT_QUIC_CLOSE       0x00400000u /* a QUIC CONNECTION_CLOSE without a TLS alert: close_* */
#define TLSDIAG_PKT_ODD_RECORD       0x00800000u /* a record no handshake has here: odd_record_type */
#define TLSDIAG_PKT_IP_ID            0x01000000u /* IPv4: ip_id is set */
#define TLSDIAG_PKT_TCP_TS           0x02000000u /* the segment carries the TCP timestamps option */
#define TLSDIAG_PKT_DTLS             0x04000000u /* DTLS over UDP: conv is the UDP conversation */
#define TLSDIAG_PKT_HELLO_VERIFY     0x08000000u /* a DTLS HelloVerifyRequest (the server asks for a cookie) */
#define TLSDIAG_PKT_HELD             0x20000000u /* payload without TLS records held for reassembly by
                                                    a dissector other than TLS's: head is set */
#define TLSDIAG_PKT_UNREACHABLE      0x10000000u /* an ICMP (v6) destination unreachable quoting a datagram
                                                    of conv: icmp_*; src sent it, dst:dstport sent the datagram */
#define TLSDIAG_PKT_CUT              0x40000000u /* TCP, DTLS: the capture kept only part of the payload (its
                                                    snap length): cut_len bytes of it are not in the capture */
#define TLSDIAG_PKT_CUT_HELLO        0x80000000u /* CUT: a ClientHello the capture cut; what it offers is not
                                                    read (hello is NULL; DTLS: it holds the message_seq and
                                                    random only, with CLIENT_HELLO) */

/* TCP header flags (tlsdiag_packet.tcp_flags), as on the wire. */
#define TLSDIAG_TCP_FIN 0x01
#define TLSDIAG_TCP_SYN 0x02
#define TLSDIAG_TCP_RST 0x04
#define TLSDIAG_TCP_ACK 0x10

typedef struct {
    guint32       frame;
    gint64        ts_ns;          /* capture time, ns since the epoch */
    guint32       conv;           /* transport conversation (tcp.stream) */
    tlsdiag_addr  src, dst;
    guint16       srcport, dstport;
    guint32       flags;          /* TLSDIAG_PKT_* */
    guint32       payload_len;    /* transport payload bytes */
    guint32       cut_len;        /* CUT: payload bytes not in the capture */
    guint32       captured_len;   /* CUT: the frame's bytes in the capture (its snap length, most likely) */
    gboolean      cut_handshake;  /* CUT: a handshake record whose message was cut off */
    gboolean      cut_unread;     /* CUT, NOT_TLS: given to TLS, which found no record in what is left */
    gboolean      alert_sized;    /* one application-data record of a TLS 1.3 alert's size, Wireshark not
                                     knowing the version (ALERT_SHAPED where it does) */
    /* Who sent it, as far as the network layer tells: the IPv4 TTL or IPv6
     * hop limit as it arrived (0: unknown), and the IPv4 identification */
    guint8        ttl;
    guint16       ip_id;
    /* TCP: the raw header's sequence and acknowledgement numbers and flags
     * (TLSDIAG_TCP_*), so the core can tell new data from retransmitted,
     * reordered or missing data */
    guint32       seq, ack;
    guint8        tcp_flags;
    guint32       tsval;          /* TCP_TS: the timestamps option's TSval */
    /* NOT_TLS or ALERT over TCP: data the other side had sent before this
     * segment, in bytes beyond one (0: none, or one byte or a FIN; -1:
     * unknown); 0 also when not read */
    gint64        peer_sent;
    guint         n_app_data;     /* application-data records in this frame */
    guint16       first_enc_len;  /* length of its first encrypted record (TLS 1.3's opaque) */
    guint16       first_hs_len;   /* length of its first handshake record */
    /* ALERT: level 0 when unreadable (encrypted), desc -1 likewise */
    guint8        alert_level;
    int           alert_desc;
    /* CLIENT_HELLO */
    const tlsdiag_client_hello *hello;
    guint32       irtt_us;        /* the TCP handshake's round trip (SYN to ACK), 0: unknown */
    /* SERVER_HELLO / HELLO_RETRY */
    guint16       sh_version;     /* negotiated: supported_versions if present */
    guint16       sh_suite;
    guint16       sh_group;       /* key_share selected group, or the
                                     ServerKeyExchange named curve (TLS <= 1.2) */
    gboolean      sh_reneg_info;  /* the ServerHello has renegotiation_info */
    gboolean      sh_psk;         /* the ServerHello accepts a PSK (TLS 1.3 resumption) */
    /* CERTIFICATE: the chain in the order sent; n_certs counts every
     * certificate of the message (0: an empty one, as a client without a
     * certificate sends), certs holds the first TLSDIAG_PKT_MAX_CERTS */
    const tlsdiag_cert *certs;
    guint         n_certs;
    /* Handshake message types in the frame, in order (the first few);
     * SSLv2 message types when flags has TLSDIAG_PKT_SSLV2 */
    guint8        hs_types[8];
    guint         n_hs_types;
    /* NOT_TLS, HELD: the first bytes, for the explanation (may be NULL) */
    const guint8 *head;
    guint         head_len;
    /* QUIC_CLOSE: the transport or application error code, and the reason
     * phrase (NULL: none) */
    guint64       close_code;
    gboolean      close_app;
    const char   *close_reason;
    /* NOT_TLS, HELD: the protocol other than TLS that Wireshark reads the
     * payload as (its short name, which lives as long as Wireshark), NULL:
     * none */
    const char   *decoded_as;
    /* CLIENT_HELLO over TCP: the protocol whose messages carry its records
     * (OpenVPN's control channel, TDS's prelogin), its short name as
     * decoded_as gives it; NULL: TLS right on TCP */
    const char   *carrier;
    /* ODD_RECORD: its content type (24: Heartbeat; other: not TLS's) */
    guint8        odd_record_type;
    /* PROXY: the original client a load balancer connected on behalf of */
    tlsdiag_addr  proxy_src;
    guint16       proxy_srcport;
    guint8        proxy_version;  /* 1 or 2 */
    /* UNREACHABLE: the ICMP type and code, and 4 or 6 (ICMPv6) */
    guint8        icmp_type, icmp_code, icmp_family;
} tlsdiag_packet;

typedef enum {
    TLSDIAG_OUTCOME_PENDING,      /* not decided (yet) */
    TLSDIAG_OUTCOME_ESTABLISHED,
    TLSDIAG_OUTCOME_FAILED,
    TLSDIAG_OUTCOME_INCOMPLETE,
    TLSDIAG_OUTCOME_ABANDONED     /* the client closed before the server could answer */
} tlsdiag_outcome;

/* tlsdiag_handshake.flags */
#define TLSDIAG_HS_PROVISIONAL 0x01  /* failed while the capture missed data: may be revised */
#define TLSDIAG_HS_REVISED     0x02  /* was failed (provisionally); later frames showed it succeeded */
#define TLSDIAG_HS_STORY_FINAL 0x04  /* (the core's) its story is final, kept with the others' */
#define TLSDIAG_HS_DTLS        0x08  /* a DTLS handshake: its versions are named as DTLS's */
#define TLSDIAG_HS_FALLBACK_SCSV 0x10  /* the ClientHello carried TLS_FALLBACK_SCSV */
#define TLSDIAG_HS_UNFINISHED  0x20  /* (the core's) its verdict says only that the capture has no end of it */
#define TLSDIAG_HS_HIDDEN      0x40  /* Wireshark decoded its connection as another protocol: its records were
                                        read by their headers only */
#define TLSDIAG_HS_SERVER_HELLO 0x80 /* its ServerHello was read (a HelloRetryRequest is none) */
#define TLSDIAG_HS_REFUSED     0x100 /* was established (TLS <= 1.2); a fatal alert, the first word after both
                                        Finished messages, refused it: failed */
#define TLSDIAG_HS_RECAUSED    0x200 /* failed; a later frame (now its outcome frame) showed why, and its verdict
                                        was replaced */

/* Who most likely sent the packet that ended a failed handshake. */
typedef enum {
    TLSDIAG_SENDER_UNKNOWN,
    TLSDIAG_SENDER_SERVER,
    TLSDIAG_SENDER_CLIENT,
    TLSDIAG_SENDER_PATH       /* a device on the path, in one side's name: likely, never certain */
} tlsdiag_sender;

/* Why a handshake went as it did, as the judge writes it: a draft. Each
 * handshake keeps its verdict sealed (tlsdiag_verdict), in one allocation. */
typedef struct {
    guint8       n_causes;
    guint8       sender;                        /* tlsdiag_sender of the packet that ended it */
    guint8       causes[TLSDIAG_MAX_CAUSES];    /* tlsdiag_cause, most specific first */
    GString     *evidence[TLSDIAG_MAX_CAUSES];  /* this capture's evidence, per cause, as phrases */
    char        *summary;                       /* one sentence: what happened */
    char        *brief;                         /* what decided it, one short clause for the expert
                                                   infos ("ended by alert ... from the client"); NULL: none */
    GString     *sender_reasons;                /* why the judge thinks so, as phrases; NULL: unknown */
    guint8       watch;                         /* TLSDIAG_WATCH_*: what would change its mind, for the
                                                   tracker to look out for (not kept in the verdict) */
} tlsdiag_draft;

/* tlsdiag_draft.watch: an established handshake that the client's close,
 * its first word after the handshake and before any data either way, would
 * make a refusal: any close (an alert not read as fatal, a FIN, a RST) for a
 * name clients check only once the handshake is done (curl and libpq send
 * close_notify); only a FIN or a RST for the rest (Node.js and wget close
 * so, where a probe such as openssl s_client sends close_notify). */
#define TLSDIAG_WATCH_UNUSED_CLOSE 0x01
#define TLSDIAG_WATCH_SILENT_CLOSE 0x02

/* A sealed verdict: the draft's causes, and its evidence and sentences in
 * the same allocation (most handshakes of a capture keep one: every resumed
 * session has a note). Read them with the tlsdiag_verdict_* functions. A
 * handshake that succeeded has no summary. */
typedef struct {
    guint8       n_causes;
    guint8       sender;
    guint8       texts;                         /* which sentences it has (core/verdict.c) */
    guint8       causes[];                      /* n_causes of them, then where its parts end */
} tlsdiag_verdict;

/* One step of a handshake's story (tlsdiag.history). */
typedef enum {
    TLSDIAG_EV_HANDSHAKE,     /* detail: message type */
    TLSDIAG_EV_ENC_HANDSHAKE, /* a handshake message that cannot be read */
    TLSDIAG_EV_CCS,
    TLSDIAG_EV_ENCRYPTED,     /* detail: encrypted records (TLS 1.3 / QUIC) or application data */
    TLSDIAG_EV_ALERT,         /* detail: level << 8 | description; 0xffff: unreadable,
                                 0xfffe: an encrypted record of an alert's size */
    TLSDIAG_EV_NOT_TLS,
    TLSDIAG_EV_FIN,
    TLSDIAG_EV_RST,
    TLSDIAG_EV_UNREACHABLE,   /* an ICMP destination unreachable; detail: family << 12 | type << 8 | code */
    TLSDIAG_EV_CUT            /* the capture cut the rest of the frame; detail: its bytes (at most 65535) */
} tlsdiag_event_kind;

typedef struct {
    guint32 frame;
    guint8  from_server;
    guint8  kind;             /* tlsdiag_event_kind */
    guint16 detail;
} tlsdiag_event;

/* The server's leaf certificate as shown on its Certificate frame. */
typedef struct {
    guint32     frame;
    gboolean    has_not_after;
    const char *subject, *issuer;   /* interned */
    gint64      not_after;          /* seconds since the epoch */
} tlsdiag_leaf;

/* One TLS handshake: small, kept for the whole capture.
 *
 * Handshakes of one client to one service, each starting within the retry
 * window after the previous one failed, form an attempt chain (prev/next).
 * Links forward (next, recovered_by) are only known once later frames have
 * been fed: a first pass sees prev and the attempt number. Read the links
 * with tlsdiag_hs_prev() and the others: most handshakes are alone in
 * their chain and keep none. */
typedef struct tlsdiag_handshake tlsdiag_handshake;
typedef struct {
    tlsdiag_handshake *prev, *next;
    tlsdiag_handshake *first;                /* attempt 1 of the chain */
    tlsdiag_handshake *recovered_by;         /* the chain's later success, NULL: none (yet) */
    gint64             hello_ts_ns;          /* when its ClientHello came: the chain's times */
} tlsdiag_attempts;

struct tlsdiag_handshake {
    guint32            client_hello_frame;   /* 0: the capture began after it */
    guint32            outcome_frame;        /* the frame that decided the outcome */
    tlsdiag_verdict   *verdict;              /* NULL unless something is to be said */
    const char        *client;               /* client identity, "(PROXY v2 header ...)"; NULL: none */
    const char        *service;              /* "192.0.2.1:443 (SNI www.example.com)"; NULL: none */
    tlsdiag_attempts  *chain;                /* NULL: alone in its chain (so far) */
    guint8            *story;                /* what happened, ClientHello to the end: n_events
                                                tlsdiag_events packed (core/history.c); NULL: none */
    guint32            leaf;                 /* the server's certificate (tlsdiag_core_leaf()), 0: not seen */
    guint16            attempt;              /* 1 for the first of a chain, 0: no ClientHello */
    guint16            version;              /* negotiated, 0 if none */
    guint16            suite;                /* negotiated, 0 if none */
    guint16            offered_max;          /* best version the client offered */
    guint8             outcome;              /* tlsdiag_outcome */
    guint8             n_events;
    guint16            flags;                /* TLSDIAG_HS_* */
};

static inline const tlsdiag_handshake *
tlsdiag_hs_prev(const tlsdiag_handshake *hs)
{
    return hs->chain ? hs->chain->prev : NULL;
}

static inline const tlsdiag_handshake *
tlsdiag_hs_next(const tlsdiag_handshake *hs)
{
    return hs->chain ? hs->chain->next : NULL;
}

/* Attempt 1 of its chain (itself, if it is). */
static inline const tlsdiag_handshake *
tlsdiag_hs_first(const tlsdiag_handshake *hs)
{
    return hs->chain ? hs->chain->first : hs;
}

static inline const tlsdiag_handshake *
tlsdiag_hs_recovered_by(const tlsdiag_handshake *hs)
{
    return hs->chain ? hs->chain->recovered_by : NULL;
}

/* When its ClientHello came, kept for a handshake in a chain (0: not kept). */
static inline gint64
tlsdiag_hs_hello_ns(const tlsdiag_handshake *hs)
{
    return hs->chain ? hs->chain->hello_ts_ns : 0;
}

/* Settings (Wireshark preferences); tlsdiag_options_default() fills them. */
typedef struct {
    gboolean client_from_proxy;      /* identify clients by a PROXY header's source */
    guint    retry_window_s;         /* a retry starts at most this long after a failure */
    guint    retry_storm_attempts;   /* more failed attempts than this in a chain: a storm */
} tlsdiag_options;

void tlsdiag_options_default(tlsdiag_options *opt);

/* A text kept as phrases: each phrase a format (a string literal) and its
 * arguments, written out only when shown. Most of a verdict's sentences are
 * the same prose around a few numbers. */
void tlsdiag_phrase(GString *phrases, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Add a cause with its evidence (first: in front, as the most specific); a
 * cause already there, or a full verdict, is left as it is (when first, the
 * least specific cause makes room). The one way a cause enters a verdict. */
void tlsdiag_verdict_add(tlsdiag_draft *d, gboolean first, tlsdiag_cause cause,
                         const char *fmt, ...) G_GNUC_PRINTF(4, 5);
/* The same, with evidence already kept as phrases (copied). */
void tlsdiag_verdict_add_phrases(tlsdiag_draft *d, gboolean first, tlsdiag_cause cause,
                                 const GString *evidence);
/* Take cause (and its evidence) out of the draft, if it is there. */
void tlsdiag_verdict_drop(tlsdiag_draft *d, tlsdiag_cause cause);
/* A text to keep in a draft: s's at its own length (a GString holds up to
 * twice that), NULL when empty; s is freed. */
char *tlsdiag_verdict_text(GString *s);
void tlsdiag_draft_free(tlsdiag_draft *d);
/* The draft sealed (d is freed), and a draft of a sealed verdict, to say more. */
tlsdiag_verdict *tlsdiag_verdict_seal(tlsdiag_draft *d);
tlsdiag_draft *tlsdiag_verdict_reopen(const tlsdiag_verdict *v);
/* *slot becomes d sealed, freeing what it was; d NULL: *slot stays. */
void tlsdiag_verdict_replace(tlsdiag_verdict **slot, tlsdiag_draft *d);
void tlsdiag_verdict_free(tlsdiag_verdict *v);
/* The evidence of cause i, written out (g_free it). */
char *tlsdiag_verdict_evidence(const tlsdiag_verdict *v, guint i);
/* Its sentences, NULL: none (the reasons written out: g_free them). */
const char *tlsdiag_verdict_summary(const tlsdiag_verdict *v);
const char *tlsdiag_verdict_brief(const tlsdiag_verdict *v);
char *tlsdiag_verdict_reasons(const tlsdiag_verdict *v);

/* The judge (causes/judge.c): told what happened (core/facts.h), it says why.
 * Returns a draft of report->hs's verdict (a new one, or the one it had with
 * more said), or NULL when its verdict stays as it is. The tracker's one hook. */
typedef struct tlsdiag_report tlsdiag_report;
typedef tlsdiag_draft *(*tlsdiag_judge_fn)(const tlsdiag_report *report);

typedef struct tlsdiag_core tlsdiag_core;

/* opt NULL: the defaults. */
tlsdiag_core *tlsdiag_core_new(const tlsdiag_options *opt, tlsdiag_judge_fn judge);
void tlsdiag_core_free(tlsdiag_core *core);

/* Feed one frame; returns the handshake this frame shows (its ClientHello or
 * the frame that decided its outcome), or NULL when the frame has nothing. */
const tlsdiag_handshake *tlsdiag_core_packet(tlsdiag_core *core, const tlsdiag_packet *pkt);
/* What an earlier tlsdiag_core_packet() returned for frame (the passes after
 * the first), NULL: nothing. */
const tlsdiag_handshake *tlsdiag_core_shown(const tlsdiag_core *core, guint32 frame);
/* The first pass has seen frames up to last_frame (at last_ns), the
 * capture's last so far: each handshake still open gets its story kept and
 * a verdict saying where the capture's view of it stops. Does nothing when
 * called again with the same frame; again with a later one (frames came
 * since: a live capture) it says it anew. */
void tlsdiag_core_finish(tlsdiag_core *core, guint32 last_frame, gint64 last_ns);

/* The server's certificate as hs showed it (hs->leaf), NULL: none seen. */
const tlsdiag_leaf *tlsdiag_core_leaf(const tlsdiag_core *core, const tlsdiag_handshake *hs);
/* A handshake the frame just revised from failed to established: the
 * failure's verdict it had (the caller may take back what it counted), NULL
 * otherwise. Valid until the core is freed. */
const tlsdiag_verdict *tlsdiag_core_superseded(const tlsdiag_core *core, const tlsdiag_handshake *hs);

/* Which later frames of a conversation can still change anything: the
 * caller may skip the others without reading their fields. */
typedef enum {
    TLSDIAG_WANT_ALL,
    /* An established TLS <= 1.2 connection over TCP: only a renegotiation
     * can follow. Frames with a handshake record, or a record whose type is
     * not readable, and those that close it (FIN, RST). An established
     * DTLS association: only a new one can follow, from the same ports;
     * frames with a handshake record of epoch 0, and alerts (which end it). */
    TLSDIAG_WANT_HANDSHAKE,
    /* Its handshake is judged and its state retired. */
    TLSDIAG_WANT_NOTHING,
    /* An established TLS 1.3 connection over TCP that the key log decrypts,
     * whose client offered post-handshake authentication: only the
     * server's CertificateRequest can follow. Frames with a handshake
     * message or an alert read with keys, and those that close it. */
    TLSDIAG_WANT_LATE_AUTH,
} tlsdiag_want;
tlsdiag_want tlsdiag_core_wants(const tlsdiag_core *core, guint32 conv);

/* The handshake's story in words, appended to out: "Frame 4 client:
 * ClientHello. Frame 6 server: ServerHello, Certificate. …"; FALSE when
 * nothing was recorded. */
gboolean tlsdiag_history(const tlsdiag_handshake *hs, GString *out);

/* Breaks text into lines of at most width bytes for display: a line ends at
 * each sentence's or clause's end (". " before a capital, "; "), else at the
 * last space that fits (a longer word is split). Calls emit(line, length,
 * data) for each line. */
void tlsdiag_lines(const char *text, gsize width, void (*emit)(const char *line, gsize len, void *data), void *data);

#endif /* TLSDIAG_CORE_H */
