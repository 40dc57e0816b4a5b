/* causes/rules-close.c — a handshake ended without an alert: by a TCP reset
 * or FIN, or by an answer that is not TLS.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "causes/rules.h"

/* Both sides had spoken when one closed without an alert: the stage it
 * reached names the likely reason. */
static void
judge_closed_mid_handshake(judge_ctx *j)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_end *e = j->end;
    const gboolean tls13 = c->sh_version >= TLSDIAG_TLS13;
    const gboolean client_done = tlsdiag_client_finished(c);
    char close[160], how[200], buf[TLSDIAG_NO_ALERT_LEN];
    const char *no_alert = words_no_alert(c, e, "without an alert", buf);
    GString *stage = g_string_new(NULL);

    if (e->quic_close)
        g_snprintf(how, sizeof how, "closed the connection with %s", words_close(e, close, sizeof close));
    else
        g_strlcpy(how, e->kind == TLSDIAG_END_RST ? "reset the connection (RST)" : "closed the connection (FIN)",
                  sizeof how);

    words_server_answer(c, stage);
    if (c->chain)
        g_string_append_printf(stage, ", its certificate in frame %u", c->chain->frame);
    else if (tls13 && (c->bits & FACT_SERVER_HELLO))
        g_string_append(stage, ", its certificate encrypted (load the key log to see it)");

    /* A client that waited: whether it had all the server sent (its TCP
     * acknowledged it) and whether that was the whole flight (its
     * ServerHelloDone, or a Finished read) tell who stopped. */
    double waited = (double)(e->ts_ns - c->last_server_payload_ns) / 1e9;
    const gboolean had_all = (c->bits & FACT_SERVER_ACKED) != 0;
    const gboolean whole = (c->bits & (FACT_SERVER_DONE | FACT_SERVER_FINISH)) != 0;
    if (!e->from_server && !client_done && waited >= 1.0) {
        GString *ev = g_string_new(NULL);
        tlsdiag_phrase(ev, "The client %s in frame %u, %.1f s after the server's last data (frame %u; %s), %s and "
                       "before its own Finished", how, e->frame, waited, c->last_server_payload_frame, stage->str,
                       no_alert);
        if (had_all && whole)
            tlsdiag_phrase(ev, ", though its TCP had acknowledged the server's whole flight (up to its %s): the "
                           "stop was the client's. Most likely it refused the server's certificate or parameters "
                           "without saying so, after a check that took time (fetching a revocation list or a "
                           "missing intermediate certificate) or a wait for a person; a scanner that only collects "
                           "the server's answer, or a client that hung, ends so too.",
                           (c->bits & FACT_SERVER_FINISH) ? "Finished" : "ServerHelloDone");
        else if (had_all && tls13)
            tlsdiag_phrase(ev, ", though its TCP had acknowledged all the server sent. Either that was the "
                           "server's whole flight and the stop was the client's (it refused the certificate "
                           "without saying so, or only collects the server's answer, as a scanner does), or the "
                           "server stopped mid-flight; the server's Finished, readable with the key log, would "
                           "tell which.");
        else if (had_all)
            tlsdiag_phrase(ev, ", though its TCP had acknowledged all the server sent, and that has no "
                           "ServerHelloDone: likely the server stopped mid-flight, and the client gave up waiting "
                           "for the rest.");
        else
            tlsdiag_phrase(ev, ": it waited and gave up, so the server's flight most likely never came whole (a "
                           "message lost, or not sent), or the client could not go on.");
        tlsdiag_verdict_add_phrases(j->v, FALSE, TLSDIAG_CAUSE_CLOSED_MID_HANDSHAKE, ev);
        g_string_free(ev, TRUE);
    } else if (!e->from_server && !client_done)
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_CLOSED_MID_HANDSHAKE,
                            "The client %s in frame %u after the server's first flight (%s), %s and before its own "
                            "Finished: most clients that end a handshake so refused the server's certificate "
                            "(browsers do it silently, and Node.js); a scanner stops there on purpose.",
                            how, e->frame, stage->str, no_alert);
    else if (e->from_server && client_done) {
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_CLOSED_MID_HANDSHAKE,
                            "The server %s in frame %u after the client's Finished, %s: likely it refused the client (a "
                            "client certificate it checks, or a late check of the client's parameters).",
                            how, e->frame, no_alert);
        /* Node.js servers (requestCert, rejectUnauthorized) check the
         * client's certificate once the handshake is done and close so. */
        rules_client_cert_by_size(j, "closed without an alert, as one that checks the certificate only once the "
                                     "handshake is done does (Node.js with requestCert and rejectUnauthorized)");
    } else if (e->from_server)
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_CLOSED_MID_HANDSHAKE,
                            "The server %s in frame %u after its own first flight (%s), before the client answered "
                            "and %s: likely an error on the server's side (a crash, a limit, a timeout).",
                            how, e->frame, stage->str, no_alert);
    else
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_CLOSED_MID_HANDSHAKE,
                            "The client %s in frame %u after its Finished, before the server's (%s), %s: the "
                            "capture shows no reason.", how, e->frame, stage->str, no_alert);
    g_string_free(stage, TRUE);
}

/* Why the path lost the server's segments: large ones lost while a small
 * packet of the server's (its SYN-ACK) reached the client, or sizes not
 * seen (largest 0), most likely the MTU; small ones, a filter. */
static const char *
lost_why(const tlsdiag_facts *c, guint largest)
{
    if (largest && largest < TLSDIAG_FULL_SEGMENT)
        return "Its segments were small: likely a filter or a device on the path dropping the server's answer.";
    if (largest && (c->bits & FACT_SYN_SEEN))
        return "Smaller packets did reach it (the client answered the server's SYN-ACK): likely a path MTU black "
               "hole, a hop with a smaller MTU (a tunnel, a VPN) whose ICMP 'fragmentation needed' never reaches "
               "the server, or else a filter dropping the server's answer.";
    return "Likely a path MTU black hole (full-size segments vanish where small ones pass: a hop with a smaller "
           "MTU, a tunnel or a VPN, whose ICMP 'fragmentation needed' never reaches the server), or a filter "
           "dropping the server's answer.";
}

/* Captured where the server's answer shows: it left, was sent again, and
 * the client's TCP, alive, acknowledged none of it (or only its first
 * segments). */
static void
judge_server_unacked(judge_ctx *j)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_end *e = j->end;
    char acked[96] = "never acknowledged any of them: none reached the client";

    if (c->server_acked)
        g_snprintf(acked, sizeof acked, "acknowledged the first %u and none after: the rest never reached the client",
                   c->server_acked);
    tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_SERVER_FLIGHT_LOST,
                        "The server answered the ClientHello (frame %u) with %u bytes from frame %u, in segments of "
                        "up to %u bytes, and sent them again %u time%s; the client's TCP, which went on sending "
                        "(its %s in frame %u), %s, the path lost them. %s",
                        c->hs->client_hello_frame, c->server_bytes, c->first_server_payload_frame,
                        c->server_max_payload, c->server_resent, c->server_resent == 1 ? "" : "s",
                        e->kind == TLSDIAG_END_RST ? "RST" : "FIN", e->frame, acked,
                        lost_why(c, c->server_max_payload));
}

/* Captured where the client is: a segment of the server's in frame skips
 * missing bytes that neither the capture nor the client's TCP got. when:
 * "before" or "after" the client gave up. */
static void
lost_before_capture(const tlsdiag_facts *c, guint32 frame, guint32 missing, const char *when, tlsdiag_draft *v)
{
    tlsdiag_verdict_add(v, TRUE, TLSDIAG_CAUSE_SERVER_FLIGHT_LOST,
                        "The server's segment in frame %u, %s the client gave up, shows that the server had sent %u "
                        "bytes before it that never came%s: neither this capture nor the client's TCP (its "
                        "acknowledgements stop short of them) got them, lost on the path between the server and the "
                        "capture. %s A capture on the server side shows them leave.",
                        frame, when, missing, c->server_bytes ? "" : " (none of its answer came)", lost_why(c, 0));
}

void
judge_close(judge_ctx *j)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_end *e = j->end;
    char what[160], when[64];

    words_close(e, what, sizeof what);

    if ((c->bits & FACT_SERVER_UNACKED) && !e->from_server) {
        judge_server_unacked(j);
        return;
    }
    if ((c->bits & FACT_SERVER_GAP_LOST) && !e->from_server) {
        lost_before_capture(c, c->server_gap_frame, j->report->server_missing, "before", j->v);
        return;
    }
    if (c->server_bytes) {
        judge_closed_mid_handshake(j);
        return;
    }
    /* More than one segment (or more than a typical MSS) is what breaks
     * middleboxes that read only the first segment of a ClientHello. */
    if (c->hello_segments >= 2 || c->hello_len > TLSDIAG_LARGE_HELLO_BYTES) {
        char segs[48] = "", ms[TLSDIAG_MS_LEN];
        if (c->hello_segments >= 2)
            g_snprintf(segs, sizeof segs, " in %u TCP segments", c->hello_segments);
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_LARGE_CLIENT_HELLO_DROPPED,
                            "The ClientHello in frame %u is %u bytes%s; the %s in frame %u, %s later, without any TLS alert.",
                            c->hs->client_hello_frame, c->hello_len, segs,
                            !e->from_server ? "server never answered and the client gave up"
                            : e->kind == TLSDIAG_END_RST ? "server side reset the connection" : "server side closed the connection",
                            e->frame, words_since_hello(c, e, ms));
    }
    if (e->from_server) {
        char ms[TLSDIAG_MS_LEN];
        if (!c->sni && !(c->bits & FACT_HELLO_CUT))
            tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_MISSING_SNI,
                                "The ClientHello in frame %u has no server_name extension, and the server side closed the connection "
                                "%s (frame %u): typical of an SNI-routing proxy with no route for a client without SNI.",
                                c->hs->client_hello_frame, words_when(c, e, when, sizeof when), e->frame);
        /* The reasons it was the server itself, when they say so. */
        GString *ev = g_string_new(NULL);
        const gboolean own = j->v->sender == TLSDIAG_SENDER_SERVER && j->v->sender_reasons;
        tlsdiag_phrase(ev, "The server side sent %s in frame %u, %s after the ClientHello (frame %u%s%s%s)%s.%s",
                       what, e->frame, words_since_hello(c, e, ms), c->hs->client_hello_frame,
                       c->sni ? ", SNI '" : "", c->sni ? c->sni : "", c->sni ? "'" : "",
                       e->quic_close ? "" : ", without any TLS alert", own ? " " : "");
        if (own)
            g_string_append_len(ev, j->v->sender_reasons->str, (gssize)j->v->sender_reasons->len);
        tlsdiag_verdict_add_phrases(j->v, FALSE,
                                    e->kind == TLSDIAG_END_RST ? TLSDIAG_CAUSE_RESET_AFTER_CLIENT_HELLO
                                                               : TLSDIAG_CAUSE_CLOSED_AFTER_CLIENT_HELLO, ev);
        g_string_free(ev, TRUE);
    } else if ((c->bits & FACT_HELLO_SEQ) && !(c->bits & FACT_HELLO_ACKED) && c->hello_resent) {
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_CLIENT_HELLO_LOST,
                            "The client's TCP sent the ClientHello (frame %u) %u more time%s over %.1f s and the "
                            "server never acknowledged it; the client gave up with %s in frame %u: the hello was "
                            "lost or dropped on the way to the server (a path problem, not a slow server).",
                            c->hs->client_hello_frame, c->hello_resent, c->hello_resent == 1 ? "" : "s",
                            (double)(c->hello_resent_ns - c->hello_ts_ns) / 1e9, what, e->frame);
    } else {
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_NO_SERVER_RESPONSE,
                            "No data from the server came for %.3f s after the ClientHello (frame %u)%s; the client gave up with %s in frame %u.",
                            words_ms_since_hello(c, e) / 1000.0, c->hs->client_hello_frame,
                            (c->bits & FACT_HELLO_ACKED) ? ", though its TCP acknowledged the hello: it arrived (its "
                                                           "application never answered, or, captured on the client's "
                                                           "side, its answer was lost on the way)" : "",
                            what, e->frame);
    }
}

void
judge_unreachable(judge_ctx *j)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_end *e = j->end;
    char ms[TLSDIAG_MS_LEN];

    tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_ICMP_UNREACHABLE,
                        "The ClientHello (frame %u) to UDP port %u was answered %s later by an ICMP%s %s (code "
                        "%u) in frame %u, from %s: %s", c->hs->client_hello_frame, c->server_port,
                        words_since_hello(c, e, ms), e->icmp_family == 6 ? "v6" : "",
                        tlsdiag_icmp_unreachable_name(e->icmp_family, e->icmp_code), e->icmp_code, e->frame,
                        e->icmp_from_server ? "the server's own address" : "another address than the server's",
                        !e->icmp_from_server ? "a router or firewall on the way refused to deliver the datagram."
                        : (e->icmp_family == 6 ? e->icmp_code == 4 : e->icmp_code == 3)
                            ? "nothing listens on that port (or a firewall there REJECTs it): no DTLS server took the hello."
                            : "the server's host refused the datagram.");
}

tlsdiag_draft *
rules_resent(const tlsdiag_report *r)
{
    const tlsdiag_facts *c = r->facts;
    tlsdiag_draft *v = g_new0(tlsdiag_draft, 1);
    const double span = (double)(c->hello_resent_ns - c->hello_ts_ns) / 1e9;

    if (c->bits & FACT_DTLS) {
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_NO_SERVER_RESPONSE,
                            "The client has sent its ClientHello (frame %u) %u more time%s over %.1f s (the last in "
                            "frame %u), each time unanswered: no DTLS answer and no ICMP error. The datagrams are "
                            "dropped on the way (a firewall that drops rather than rejects), or the server reads "
                            "and ignores them. Up to that frame the client has not given up.",
                            c->hs->client_hello_frame, c->hello_resent, c->hello_resent == 1 ? "" : "s", span,
                            r->frame);
        /* Ranked first: the earlier association from these ports, never ended. */
        if (c->stale_frame) {
            tlsdiag_verdict_add(v, TRUE, TLSDIAG_CAUSE_DTLS_STALE_ASSOCIATION,
                                "An association from the same client address and port was established in frame "
                                "%u, and nothing in the capture ended it (no alert from either side). The "
                                "client's new ClientHello (frame %u, another random) was sent %u more time%s over "
                                "%.1f s and never answered: the server most likely still holds the earlier "
                                "association and ignores a new handshake on it (OpenSSL and GnuTLS servers do, "
                                "until it expires).", c->stale_frame, c->hs->client_hello_frame, c->hello_resent,
                                c->hello_resent == 1 ? "" : "s", span);
            v->brief = g_strdup_printf("never answered; the association of frame %u on that port was never ended",
                                       c->stale_frame);
            v->summary = g_strdup_printf("DTLS ClientHello in frame %u, sent again %u times until frame %u (%.1f s "
                                         "later), never answered, from the ports of the association established "
                                         "in frame %u and never ended.", c->hs->client_hello_frame,
                                         c->hello_resent, r->frame, span, c->stale_frame);
            return v;
        }
        v->brief = g_strdup_printf("the ClientHello was sent %u more time%s over %.1f s, never answered",
                                   c->hello_resent, c->hello_resent == 1 ? "" : "s", span);
        v->summary = g_strdup_printf("DTLS ClientHello in frame %u, sent again %u times until frame %u (%.1f s "
                                     "later), never answered.", c->hs->client_hello_frame, c->hello_resent,
                                     r->frame, span);
        return v;
    }

    tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CLIENT_HELLO_LOST,
                        "The client's TCP has sent the ClientHello (frame %u) %u more times over %.1f s (the last in "
                        "frame %u) and the server never acknowledged it: it was most likely lost or dropped on the "
                        "way to the server (a path problem, not a slow server). Up to that frame the client has not "
                        "given up.", c->hs->client_hello_frame, c->hello_resent, span, r->frame);
    v->brief = g_strdup_printf("the ClientHello was sent %u more times over %.1f s, never acknowledged",
                               c->hello_resent, span);
    v->summary = g_strdup_printf("ClientHello in frame %u, sent again %u times until frame %u (%.1f s later), never "
                                 "acknowledged by the server.", c->hs->client_hello_frame, c->hello_resent, r->frame,
                                 span);
    return v;
}

/* How long a connection's silence must last, the capture going on, before
 * it says something: a live TCP acknowledges data, or sends it again, well
 * within that (delayed ACKs wait under 0.5 s, the first retransmission
 * timeout is 1 s: RFC 6298). */
#define UNFINISHED_QUIET_S 3.0

/* The capture ended with the handshake open: say where the capture's view
 * of its connection stops, and, when the capture went on long after, why
 * the rest may be missing (ranked: TCP data neither acknowledged nor sent
 * again means packets the capture did not keep). */
tlsdiag_draft *
rules_unfinished(const tlsdiag_report *r)
{
    tlsdiag_draft *v = g_new0(tlsdiag_draft, 1);
    const double after = (double)(r->capture_ns - r->ts_ns) / 1e9;
    const char *what = (r->facts->bits & FACT_DTLS) ? "association" : "connection";

    if (r->facts->bits & FACT_ONE_WAY) {
        judge_ctx j = { r, r->facts, NULL, v };
        rules_one_way(&j);
        return v;
    }

    if (r->frame == r->capture_frame)
        v->summary = g_strdup_printf("The capture ended before this handshake finished: its %s's last frame, %u, "
                                     "is the capture's last.", what, r->frame);
    else if (after < UNFINISHED_QUIET_S)
        v->summary = g_strdup_printf("The capture ended before this handshake finished: its %s's last frame is %u, "
                                     "%.1f s before the capture's last (%u).", what, r->frame, after, r->capture_frame);
    else if (r->unanswered)
        v->summary = g_strdup_printf(
            "The capture has no end of this handshake: nothing of its connection after frame %u, though the capture "
            "goes on %.1f s longer (to frame %u), and %s last data was neither acknowledged in it nor sent again, "
            "so the rest of the connection is likely not in the capture (a capture filter, or packets that took "
            "another path).", r->frame, after, r->capture_frame,
            r->unanswered == UNANSWERED_CLIENT ? "the client's" : r->unanswered == UNANSWERED_SERVER ? "the server's"
                                                                                                      : "each side's");
    else
        v->summary = g_strdup_printf(
            "The capture has no end of this handshake: nothing of its %s after frame %u, though the capture goes on "
            "%.1f s longer (to frame %u): either the rest of it is not in the capture (a capture filter, or packets "
            "that took another path), or both sides fell silent mid-handshake.", what, r->frame, after,
            r->capture_frame);
    if (r->facts->cut.frames) {
        GString *s = g_string_new(v->summary);
        g_string_append(s, " The capture also cut ");
        words_cut(r->facts, s);
        g_string_append(s, ": Wireshark could not read the records in the part cut off.");
        g_free(v->summary);
        v->summary = g_string_free(s, FALSE);
    }
    return v;
}

/* The client spoke plaintext where a ClientHello was due: the server
 * answered in plaintext (nginx: "400 The plain HTTP request was sent to
 * HTTPS port"), with a TLS alert, or closed without a word (OpenSSL). */
static void
plain_request(judge_ctx *j, GString *s)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_end *e = j->end;

    if (e->kind == TLSDIAG_END_NOT_TLS && e->alert_desc < 0) {
        g_string_append_printf(s, "answered in plaintext in frame %u", e->frame);
        words_head(e, s);
    } else if (e->kind == TLSDIAG_END_NOT_TLS) {
        g_string_append(s, "answered with a TLS ");
        words_alert(e, s);
        g_string_append_printf(s, " in frame %u", e->frame);
    } else {
        g_string_append_printf(s, "closed the connection (%s in frame %u) without a word",
                               e->kind == TLSDIAG_END_RST ? "RST" : "FIN", e->frame);
    }
    tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_NOT_TLS,
                        "The client sent plaintext in frame %u, starting \"%s\", to port %u, where %s; the server %s: "
                        "the client spoke plaintext (http:// to an https port, or a protocol without STARTTLS) to a "
                        "TLS port.", c->plain_frame, c->plain_head, c->server_port,
                        tlsdiag_port_is_tls(c->server_port)
                            ? "TLS is the rule"
                            : "this server speaks TLS from the first byte on other connections in the capture",
                        s->str);
}

void
judge_not_tls(judge_ctx *j)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_end *e = j->end;
    GString *s = g_string_new(NULL);

    if (c->bits & FACT_HIDDEN_HELLO) {
        words_head(e, s);
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_NOT_TLS,
                            "The client sent a TLS ClientHello in frame %u to port %u, where the server speaks "
                            "plaintext: it answered in frame %u%s. The client used TLS (https://) for a plaintext "
                            "service. Wireshark reads that port as another protocol and shows the hello as plain "
                            "data: Decode As... TLS for it shows the ClientHello.",
                            c->hs->client_hello_frame, c->server_port, e->frame, s->str);
    } else if (c->bits & FACT_PLAIN_REQUEST) {
        plain_request(j, s);
    } else if (c->bits & FACT_HELLO_SEEN) {
        words_head(e, s);
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_NOT_TLS,
                            "The server answered the ClientHello (frame %u) with data that is not TLS in frame %u%s: it does not speak TLS on port %u.",
                            c->hs->client_hello_frame, e->frame, s->str, c->server_port);
    } else {
        words_alert(e, s);
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_NOT_TLS,
                            "The client never sent a ClientHello; the server on port %u answered its first bytes with a TLS %s in frame %u: "
                            "the client spoke plaintext (or another protocol) to a TLS port.",
                            c->server_port, s->str, e->frame);
    }
    g_string_free(s, TRUE);
}

/* A one-way capture: what the client did is all there is, and it is said
 * as such, with no cause of failure (the end NULL: the capture ended first). */
void
rules_one_way(judge_ctx *j)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_end *e = j->end;
    const guint32 missing = j->report->server_missing;
    const guint flights = c->client_flights;
    const gboolean went_on = flights >= 2 || (flights && (c->bits & FACT_CLIENT_FINISH));
    char closed[128];
    GString *s = g_string_new(NULL);

    if (went_on)
        g_string_append(s, "after the server's answer it sent its Finished and then encrypted data, as a client "
                           "does once the server's flight checked out: the handshake most likely succeeded");
    else if (c->bits & FACT_CLIENT_FINISH)
        g_string_append(s, "it sent its Finished and no data after it");
    else if (flights)
        g_string_append(s, "after the server's answer it sent encrypted records in one frame (its Finished, or an "
                           "alert refusing the answer: without the server's packets the capture cannot tell which) "
                           "and nothing after them");
    else
        g_string_append(s, "it sent no encrypted data after its ClientHello");
    if (!e) {
        g_string_append(s, "; nothing in the capture ends the connection");
    } else {
        if (e->kind != TLSDIAG_END_ALERT)
            words_close(e, closed, sizeof closed);
        else if (e->alert_desc >= 0)
            g_strlcpy(closed, "its close_notify", sizeof closed);
        else if (went_on)
            g_strlcpy(closed, "an encrypted alert (after its data: most likely close_notify)", sizeof closed);
        else
            g_strlcpy(closed, "an encrypted alert (before any data: likely it refused the server's answer, its "
                              "certificate most often)", sizeof closed);
        g_string_append_printf(s, ", then it ended the connection with %s in frame %u", closed, e->frame);
    }
    tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_CAPTURE_ONE_WAY,
                        "None of the server's packets is in the capture, though the client acknowledged %u byte%s "
                        "of its: the capture holds one direction of the connection only. What the client did is "
                        "all there is: %s.", missing, missing == 1 ? "" : "s", s->str);
    j->v->brief = g_strdup("only the client's side of the connection is in the capture");
    j->v->summary = g_strdup_printf("Only the client's side of this connection is in the capture (the %u byte%s the "
                                    "server sent, which the client acknowledged, are not), so the handshake cannot be "
                                    "judged%s.", missing, missing == 1 ? "" : "s",
                                    went_on ? "; the client went on as after one that succeeded" : "");
    g_string_free(s, TRUE);
}

void
words_cut(const tlsdiag_facts *c, GString *out)
{
    if (c->cut.frames == 1)
        g_string_append(out, "one of the handshake's frames");
    else
        g_string_append_printf(out, "%u of the handshake's frames", c->cut.frames);
    g_string_append_printf(out, " to at most %u bytes (its snap length, most likely; %sframe %u, %u byte%s of TLS "
                           "cut off)", c->cut.captured, c->cut.frames == 1 ? "" : "the first in ", c->cut.first_frame,
                           c->cut.bytes, c->cut.bytes == 1 ? "" : "s");
}

void
rules_truncated(judge_ctx *j)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_end *e = j->end;
    const char *ender = words_side(e->from_server), *other = words_side(!e->from_server);
    const guint64 finished = e->from_server ? FACT_SERVER_FINISH : FACT_CLIENT_FINISH;
    char closed[128];
    GString *cut = g_string_new(NULL);

    words_cut(c, cut);
    if (e->kind != TLSDIAG_END_ALERT)
        words_close(e, closed, sizeof closed);
    else if (e->alert_desc >= 0)
        g_strlcpy(closed, "its close_notify", sizeof closed);
    else
        g_strlcpy(closed, "an encrypted alert (close_notify, or a refusal)", sizeof closed);
    tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_CAPTURE_TRUNCATED,
                        "The capture cut %s, and Wireshark could not read the records in the part cut off. The %s "
                        "%s, then ended the connection with %s in frame %u; the %s's bytes cut off may hold its "
                        "Finished (then the handshake succeeded) or an alert (then it failed): the capture cannot "
                        "tell which.", cut->str, ender,
                        (c->bits & finished) ? "had sent its Finished" : "had its own frames cut too", closed,
                        e->frame, other);
    j->v->brief = g_strdup("the capture cut its frames short");
    j->v->summary = g_strdup_printf("The capture cut %s. The handshake cannot be judged: the %s ended it with %s in "
                                    "frame %u%s, and the %s's Finished may be in the part cut off.", cut->str, ender,
                                    closed, e->frame, (c->bits & finished) ? " after its Finished" : "", other);
    g_string_free(cut, TRUE);
}

/* Captured where the client is: after it gave up, a server segment shows
 * bytes the server had sent that neither the capture nor the client got.
 * What the verdict said of a silent server, or of a flight that stopped,
 * gives way. */
tlsdiag_draft *
judge_lost(const tlsdiag_report *r)
{
    tlsdiag_draft *v = tlsdiag_verdict_reopen(r->hs->verdict);

    tlsdiag_verdict_drop(v, TLSDIAG_CAUSE_NO_SERVER_RESPONSE);
    tlsdiag_verdict_drop(v, TLSDIAG_CAUSE_CLOSED_MID_HANDSHAKE);
    lost_before_capture(r->facts, r->frame, r->server_missing, "after", v);
    char *s = g_strdup_printf("%s The server had sent %u bytes that never came (frame %u shows them): lost on the "
                              "path.", v->summary, r->server_missing, r->frame);
    g_free(v->summary);
    v->summary = s;
    return v;
}
