/* causes/rules.h — internal to the judging layer: what a rule reads, the
 * rules causes/judge.c calls in order, and the phrases they share.
 *
 * A rule reads the facts and how the handshake ended, and adds causes with
 * tlsdiag_verdict_add(), each with this capture's evidence. Which rule is
 * asked first is decided in one place, causes/judge.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_RULES_H
#define TLSDIAG_RULES_H

#include "core/facts.h"
#include "core/tls.h"

/* A ClientHello above this does not fit one segment of a typical 1500-byte MTU path. */
#define TLSDIAG_LARGE_HELLO_BYTES 1400
/* A TCP payload this large does not pass a hop of a smaller MTU (1280 to 1500). */
#define TLSDIAG_FULL_SEGMENT 1200

typedef struct {
    const tlsdiag_report *report;
    const tlsdiag_facts  *facts;
    const tlsdiag_end    *end;
    tlsdiag_draft        *v;
} judge_ctx;

/* An open handshake whose ClientHello the client's TCP keeps sending, never
 * acknowledged (causes/rules-close.c). */
tlsdiag_draft *rules_resent(const tlsdiag_report *r);
tlsdiag_draft *rules_unfinished(const tlsdiag_report *r);
/* Who sent the packet that ended a failure (causes/rules-path.c): j->v's
 * sender, with its reasons (as phrases); a device on the path named as a
 * cause. */
void rules_sender(judge_ctx *j);
void rules_path(judge_ctx *j);
/* The certificates, when they explain the end (the client refusing the
 * server's, the server the client's); TRUE when a cause was named. */
gboolean rules_certs(const judge_ctx *j);
/* An alert ended it (causes/rules-alert.c). */
void judge_alert(judge_ctx *j);
/* TLS 1.3 without keys, the server ended it after the client's flight:
 * client_cert_required or _rejected, likely, by the length of the client's
 * first encrypted record; answer: how the server did ("closed ..."). */
void rules_client_cert_by_size(judge_ctx *j, const char *answer);
/* The server refused the ClientHello without naming a parameter. */
void judge_refused_hello(judge_ctx *j);
/* A reset or FIN ended it, or an answer that is not TLS (causes/rules-close.c). */
void judge_close(judge_ctx *j);
/* TLSDIAG_REPORT_LOST */
tlsdiag_draft *judge_lost(const tlsdiag_report *r);
void judge_not_tls(judge_ctx *j);
/* The capture holds none of the server's packets (causes/rules-close.c):
 * the cause, the brief and the summary; j->end NULL when nothing ended it. */
void rules_one_way(judge_ctx *j);
/* The capture cut frames of the handshake short, and the part cut off may
 * have completed it (causes/rules-close.c): the cause, brief and summary. */
void rules_truncated(judge_ctx *j);
/* "N of the handshake's frames to at most S bytes (...)": where the
 * capture cut the handshake's frames, for "The capture cut ...". */
void words_cut(const tlsdiag_facts *c, GString *out);
/* An ICMP destination unreachable answered the client's datagram (DTLS). */
void judge_unreachable(judge_ctx *j);
/* Worth saying whatever the outcome (causes/rules-notes.c), and the
 * certificate warnings among them (weak keys and signatures, disorder). */
void rules_notes(const tlsdiag_facts *c, tlsdiag_outcome outcome, tlsdiag_draft *v);
void rules_cert_warnings(const tlsdiag_facts *c, tlsdiag_draft *v);
/* What is wrong with the certificates of a handshake that completed anyway. */
void rules_cert_established(const tlsdiag_facts *c, tlsdiag_draft *v);
/* A renegotiation on an established connection failed. */
tlsdiag_draft *rules_renegotiation(const tlsdiag_report *r);
/* Attempt chains (causes/rules-chain.c): a failed attempt the client
 * recovered from; the attempt that makes a storm. */
tlsdiag_draft *rules_recovered(const tlsdiag_report *r);
tlsdiag_draft *rules_storm(const tlsdiag_report *r);
/* The handshake is one of a scanner's run of probes (facts.probe_n); one
 * settled before the run was seen to be one (REPORT_PROBE). */
void rules_probe(judge_ctx *j);
tlsdiag_draft *rules_probe_found(const tlsdiag_report *r);

/* Phrases (causes/words.c). */
const char *words_side(gboolean from_server);                  /* "server", "client" */
const char *words_version(guint16 v, char *buf);               /* buf: TLSDIAG_VERSION_NAME_LEN */
const char *words_version_of(const tlsdiag_facts *c, guint16 v, char *buf);  /* "DTLS 1.2" in a DTLS handshake */
void words_offered(const tlsdiag_facts *c, GString *out);      /* "TLS 1.2 to TLS 1.3" */
void words_suites(const tlsdiag_facts *c, GString *out);
void words_groups(const tlsdiag_facts *c, GString *out);
void words_alert(const tlsdiag_end *e, GString *out);          /* "fatal alert handshake_failure (40)" */
void words_an_alert(const tlsdiag_end *e, GString *out);       /* the same where an article is due: "an encrypted alert" */
double words_ms_since_hello(const tlsdiag_facts *c, const tlsdiag_end *e);
/* The time from the ClientHello to e: "3.2 ms", and with the digits that
 * make a shorter delay true, "0.04 ms" (not "0.0 ms"). */
#define TLSDIAG_MS_LEN 32
const char *words_since_hello(const tlsdiag_facts *c, const tlsdiag_end *e, char *buf);   /* buf: TLSDIAG_MS_LEN */
/* "right after the ClientHello (0.4 ms later)" only under a second. */
const char *words_when(const tlsdiag_facts *c, const tlsdiag_end *e, char *buf, gsize len);
void words_head(const tlsdiag_end *e, GString *out);           /* ", starting \"HTTP/1.1 400\"" */
/* "a TCP FIN", "a TCP reset (RST)", "a QUIC CONNECTION_CLOSE (NO_ERROR, \"bye\") instead of a TLS alert" */
const char *words_close(const tlsdiag_end *e, char *buf, gsize len);
/* The server's first answer: "ServerHello in frame 5", or, unread, "the
 * server's answer from frame 5, which the capture cut short (its snap
 * length)" (or "which Wireshark could not read as TLS"). */
void words_server_answer(const tlsdiag_facts *c, GString *out);
/* How the side that closed did so without an alert Wireshark read: none
 * ("without an alert"), or, the version unread, after a record of an
 * alert's size, "with a record of a TLS 1.3 alert's size before it (frame
 * 20: likely an encrypted alert, ...)" in buf. */
#define TLSDIAG_NO_ALERT_LEN 200
const char *words_no_alert(const tlsdiag_facts *c, const tlsdiag_end *e, const char *none, char *buf);

#endif /* TLSDIAG_RULES_H */
