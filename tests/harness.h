/* harness.h — the unit tests' capture: connections, packet builders (one
 * per kind of frame), ClientHellos and assertions, shared by every test file.
 * Frames are numbered as they are fed, so a test's frame numbers can be
 * counted by hand from the packets it sends.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_TEST_HARNESS_H
#define TLSDIAG_TEST_HARNESS_H

#include "core/core.h"
#include "causes/judge.h"

#define T0_NS G_GINT64_CONSTANT(1700000000000000000) /* 2023-11-14, in ns */

#define CLIENT FALSE
#define SERVER TRUE

#define F_TLS TLSDIAG_PKT_TLS

typedef struct {
    tlsdiag_core *core;
    guint32       frame;   /* number of the last frame fed */
    gint64        now_ns;  /* timestamp of the next frame */
} capture_t;

typedef struct {
    capture_t   *cap;
    guint32      conv;
    tlsdiag_addr cli, srv;
    guint16      cport, sport;
    guint32      syn_seen; /* TLSDIAG_PKT_SYN_SEEN, or 0: the capture began mid-connection */
    gboolean     tcp;      /* frames carry sequence numbers (tcp_conn_new) */
    guint32      next[2];  /* tcp: each side's next sequence number, [CLIENT], [SERVER] */
    /* Each side's network layer as captured, [CLIENT], [SERVER]: TTL (0:
     * none), next IPv4 ID (0: none), TCP timestamps on its segments */
    guint8       ttl[2];
    guint16      ip_id[2];
    gboolean     ts[2];
    guint32      ts_offset[2];  /* each side's TSval at T0_NS (a 1 ms clock); differs per connection */
} conn_t;

void cap_init(capture_t *cap);
/* The GLib fixture: each test gets a fresh capture (a new core), freed after it. */
void cap_setup(capture_t *cap, gconstpointer data);
void cap_teardown(capture_t *cap, gconstpointer data);
#define TEST_CAPTURE(path, fn) g_test_add((path), capture_t, NULL, cap_setup, (fn), cap_teardown)
void wait_ms(capture_t *cap, double ms);
tlsdiag_addr v4(guint8 last);
/* Client 10.0.0.1:cport, server 10.0.0.2:443, TCP handshake captured. */
conn_t conn_new(capture_t *cap, guint32 conv, guint16 cport);
/* The same, its frames with sequence and acknowledgement numbers that
 * follow the bytes sent (pkt_at() sends out of order). */
conn_t tcp_conn_new(capture_t *cap, guint32 conv, guint16 cport);

/* The one builder: a frame of this connection, in either direction. */
tlsdiag_packet pkt(conn_t *c, gboolean from_server, guint32 flags, guint32 payload_len);
/* A tcp frame whose data starts at seq (reordered, retransmitted, after a
 * gap); it does not move the side's next sequence number. */
tlsdiag_packet pkt_at(conn_t *c, gboolean from_server, guint32 flags, guint32 payload_len, guint32 seq);
const tlsdiag_handshake *feed(conn_t *c, const tlsdiag_packet *p);
const tlsdiag_handshake *raw(conn_t *c, gboolean from_server, guint32 flags, guint32 payload_len);
/* SYN, SYN-ACK, ACK: nothing to show. */
void syn(conn_t *c);
const tlsdiag_handshake *client_hello(conn_t *c, const tlsdiag_client_hello *ch);
/* A server's first flight: TLS <= 1.2 with Certificate and ServerHelloDone
 * (group = the ServerKeyExchange curve); TLS 1.3 with the compatibility CCS and
 * four encrypted records (EncryptedExtensions, Certificate, CertificateVerify,
 * Finished). */
const tlsdiag_handshake *server_hello(conn_t *c, guint16 version, guint16 suite, guint16 group);
const tlsdiag_handshake *hello_retry(conn_t *c, guint16 group);
/* level 0 and desc -1: an encrypted alert. */
const tlsdiag_handshake *alert(conn_t *c, gboolean from_server, guint8 level, int desc);
const tlsdiag_handshake *fin(conn_t *c, gboolean from_server);
const tlsdiag_handshake *rst(conn_t *c, gboolean from_server);
const tlsdiag_handshake *app_data(conn_t *c, gboolean from_server, guint n);
/* ChangeCipherSpec and the encrypted Finished, in one frame. */
const tlsdiag_handshake *ccs_finished(conn_t *c, gboolean from_server);
const tlsdiag_handshake *not_tls(conn_t *c, gboolean from_server, const void *head, guint head_len,
                                 guint32 payload_len);
/* A TLS 1.2 handshake on a tcp_conn_new() connection that the client
 * resets while the capture still lacks the server's last 51 bytes (its
 * ChangeCipherSpec and Finished): failed provisionally (frames 1-7). The
 * missing bytes then come with late_flight() (they start at *late). */
const tlsdiag_handshake *provisional_failure(conn_t *c, const tlsdiag_client_hello *ch, guint32 *late);
const tlsdiag_handshake *late_flight(conn_t *c, guint32 late);

#define SET_LIST(arr, n, ...)                                          \
    do {                                                               \
        const guint16 set_list_v_[] = { __VA_ARGS__ };                 \
        G_STATIC_ASSERT(sizeof set_list_v_ <= sizeof(arr));            \
        memcpy((arr), set_list_v_, sizeof set_list_v_);                \
        (n) = G_N_ELEMENTS(set_list_v_);                               \
    } while (0)

/* A current browser: TLS 1.2-1.3, 10 suites, 3 groups, GREASE, ALPN. */
tlsdiag_client_hello modern_hello(const char *sni);
/* An old client: no supported_versions, CBC suites only. */
tlsdiag_client_hello legacy_hello(guint16 version, const char *sni);

void assert_hs(const tlsdiag_handshake *hs, tlsdiag_outcome outcome, guint32 hello_frame, guint32 outcome_frame);
/* "tok1 tok2", "" for a verdict without cause, "(no verdict)". */
char *causes_of(const tlsdiag_handshake *hs);
#define assert_causes(hs, expected)                    \
    do {                                               \
        char *causes_ = causes_of(hs);                 \
        g_assert_cmpstr(causes_, ==, (expected));      \
        g_free(causes_);                               \
    } while (0)
void text_check(const char *file, int line, const char *func, const char *text, const char *needle, gboolean want);
/* The handshake's story as tlsdiag_history() writes it ("" when none), in a
 * buffer kept until the next call. */
const char *history_text(const tlsdiag_handshake *hs);

#define assert_has(text, needle)   text_check(__FILE__, __LINE__, G_STRFUNC, (text), (needle), TRUE)
#define assert_lacks(text, needle) text_check(__FILE__, __LINE__, G_STRFUNC, (text), (needle), FALSE)
const char *evidence(const tlsdiag_handshake *hs, guint i);
const char *summary(const tlsdiag_handshake *hs);

#endif /* TLSDIAG_TEST_HARNESS_H */
