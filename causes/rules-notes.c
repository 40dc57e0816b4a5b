/* causes/rules-notes.c — what is worth saying whatever the outcome
 * (protocol version, an extra round trip, resumption, RFC 5746, weak
 * certificates), and why a renegotiation on an established connection failed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "causes/rules.h"

/* A client certificate asked for after the handshake (a renegotiation the
 * server began, or TLS 1.3 post-handshake authentication: how Apache httpd
 * and IIS ask for one for a single path), the client answered, and the
 * server ended it: with the key log, the client's Certificate says whether
 * it sent one; without, a renegotiation the server began and ended once the
 * client had answered is likely this. how: the ending, in words. */
static gboolean
late_client_cert(const tlsdiag_report *r, const char *how, tlsdiag_draft *v)
{
    const tlsdiag_facts *c = r->facts;
    const tlsdiag_end *e = r->end;
    const guint16 reneg = r->reneg;
    const guint32 start = r->hs->client_hello_frame, first = c->hs->client_hello_frame;
    const gboolean pha = (reneg & RENEG_PHA) != 0;
    const gboolean read = (reneg & (RENEG_CERT_REQUEST | RENEG_CLIENT_CERT)) == (RENEG_CERT_REQUEST | RENEG_CLIENT_CERT);

    if (!e->from_server || !(reneg & RENEG_CLIENT_FLIGHT) || (reneg & RENEG_PLAIN))
        return FALSE;
    if (!read && (pha || !(reneg & RENEG_BY_SERVER) || (reneg & RENEG_HELLO_SEEN)))
        return FALSE;
    GString *asked = g_string_new(NULL);
    if (pha)
        g_string_printf(asked, "after the TLS 1.3 handshake of frame %u, the server asked the client for a certificate "
                        "(post-handshake authentication: its CertificateRequest in frame %u, read with the key log)",
                        first, start);
    else if (read)
        g_string_printf(asked, "on the connection established by the handshake of frame %u, the %s started a "
                        "renegotiation in frame %u and the server asked in it for a client certificate (its "
                        "CertificateRequest in frame %u, read with the key log)", first,
                        (reneg & RENEG_BY_SERVER) ? "server" : "client", start, r->cert_request_frame);
    else
        g_string_printf(asked, "on the connection established by the handshake of frame %u, the server started a "
                        "renegotiation in frame %u (an encrypted handshake record, its HelloRequest); the client "
                        "answered with a new hello and, after the server's flight, with its own (all encrypted)",
                        first, start);
    if (read && (reneg & RENEG_CERT_EMPTY))
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CLIENT_CERT_REQUIRED,
                            "%c%s; the client's Certificate in frame %u was empty, and the server ended the connection "
                            "with %s in frame %u.", g_ascii_toupper(asked->str[0]), asked->str + 1,
                            r->client_cert_frame, how, e->frame);
    else if (read)
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CLIENT_CERT_REJECTED,
                            "%c%s; the client sent a certificate (frame %u) and the server ended the connection with %s "
                            "in frame %u.", g_ascii_toupper(asked->str[0]), asked->str + 1, r->client_cert_frame, how,
                            e->frame);
    else {
        /* An empty Certificate, even with the key exchange in its record,
         * makes a record of at most ~200 bytes; one with a certificate
         * rarely under ~450. */
        const guint len = r->client_flight_len;
        const gboolean sent = len >= 450;
        GString *size = g_string_new(NULL);
        if (len && (len <= 200 || sent))
            g_string_printf(size, " The first handshake record of the client's flight (frame %u) is %u bytes: %s.",
                            r->client_cert_frame, len, sent ? "long enough to hold a certificate"
                                                            : "too short to hold a certificate");
        tlsdiag_verdict_add(v, FALSE, sent ? TLSDIAG_CAUSE_CLIENT_CERT_REJECTED : TLSDIAG_CAUSE_CLIENT_CERT_REQUIRED,
                            "Likely, not certain: %s, and the server ended the connection with %s in frame %u. A server "
                            "renegotiates on its own most often to ask for a client certificate for one path (Apache "
                            "httpd's SSLVerifyClient in a <Location>, IIS): likely the client sent %s.%s What "
                            "decides: the key log shows the server's CertificateRequest and the client's Certificate; "
                            "the server's log names the reason.", asked->str, how, e->frame,
                            sent ? "one the server refused" : "none", size->str);
        tlsdiag_verdict_add(v, FALSE, sent ? TLSDIAG_CAUSE_CLIENT_CERT_REQUIRED : TLSDIAG_CAUSE_CLIENT_CERT_REJECTED,
                            sent ? "Or the client sent no certificate in that renegotiation and the server requires one."
                                 : "Or the client sent a certificate in that renegotiation and the server refused it.");
        g_string_free(size, TRUE);
    }
    g_string_free(asked, TRUE);
    v->brief = g_strdup_printf("ended by %s from the server", how);
    v->summary = g_strdup_printf("%s in frame %u on an established connection (handshake of frame %u): the server "
                                 "asked for a client certificate%s, ended by %s from the server in frame %u.",
                                 pha ? "Post-handshake authentication began" : "Renegotiation started", start, first,
                                 read ? "" : " (likely)", how, e->frame);
    return TRUE;
}

tlsdiag_draft *
rules_renegotiation(const tlsdiag_report *r)
{
    const tlsdiag_facts *c = r->facts;
    const tlsdiag_end *e = r->end;
    const guint16 reneg = r->reneg;
    tlsdiag_draft *v = g_new0(tlsdiag_draft, 1);
    const guint32 start = r->hs->client_hello_frame;
    GString *how = g_string_new(NULL);

    if (r->outcome == TLSDIAG_OUTCOME_FAILED) {
        judge_ctx j = { r, c, e, v };
        rules_sender(&j);
    }
    if (e->kind == TLSDIAG_END_ALERT)
        words_an_alert(e, how);
    else
        g_string_append_printf(how, "a TCP %s", e->kind == TLSDIAG_END_RST ? "reset" : "FIN");

    /* A plaintext hello is a first handshake repeated (its SCSV and missing
     * renegotiation_info follow from that): one cause, whichever Wireshark
     * version could read it. */
    if (reneg & RENEG_PLAIN)
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_NEW_HANDSHAKE_ON_ESTABLISHED,
                            "After the handshake of frame %u succeeded, the client sent a plaintext ClientHello in "
                            "frame %u on the same connection, as if it had lost its TLS state%s; the %s answered with %s "
                            "in frame %u.", c->hs->client_hello_frame, start,
                            (reneg & RENEG_HELLO_SEEN) ? ""
                            : " (Wireshark shows it as an encrypted handshake message, but its bytes are a ClientHello)",
                            words_side(e->from_server), how->str, e->frame);
    else if (reneg & (RENEG_SCSV | RENEG_NO_INFO))
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_RENEGOTIATION_SCSV_MISUSE,
                            "The renegotiation ClientHello in frame %u %s: the server must refuse it (RFC 5746 3.5), "
                            "and did with %s in frame %u.", start,
                            (reneg & RENEG_SCSV) && (reneg & RENEG_NO_INFO)
                                ? "carries TLS_EMPTY_RENEGOTIATION_INFO_SCSV and no renegotiation_info"
                            : (reneg & RENEG_SCSV) ? "carries TLS_EMPTY_RENEGOTIATION_INFO_SCSV"
                                                            : "has no renegotiation_info",
                            how->str, e->frame);
    if (r->outcome == TLSDIAG_OUTCOME_INCOMPLETE) {
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CAPTURE_TRUNCATED,
                            "On the connection established by the handshake of frame %u, the %s started a new "
                            "handshake in frame %u; the capture cut the server's frames after it short (its snap "
                            "length), so whether the server accepted it (its ChangeCipherSpec) is not in the "
                            "capture. The connection ended with %s from the %s in frame %u.",
                            c->hs->client_hello_frame, (reneg & RENEG_BY_SERVER) ? "server" : "client", start,
                            how->str, words_side(e->from_server), e->frame);
        v->brief = g_strdup("the capture cut its frames short");
        v->summary = g_strdup_printf("Renegotiation started in frame %u on an established connection (handshake of "
                                     "frame %u); the capture cut the server's answer short, so it cannot be judged.",
                                     start, c->hs->client_hello_frame);
        g_string_free(how, TRUE);
        return v;
    }
    if (r->outcome == TLSDIAG_OUTCOME_FAILED && late_client_cert(r, how->str, v)) {
        g_string_free(how, TRUE);
        return v;
    }
    /* The server's own renegotiation is most often its way to a client
     * certificate; a client that refuses it never gets there. */
    const gboolean client_refused = (reneg & RENEG_BY_SERVER) && !e->from_server && !(reneg & RENEG_SERVER_FLIGHT);
    tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_RENEGOTIATION_REFUSED,
                        "On the connection established by the handshake of frame %u, the %s started a new handshake in "
                        "frame %u (%s); it ended with %s from the %s in frame %u.%s",
                        c->hs->client_hello_frame, (reneg & RENEG_BY_SERVER) ? "server" : "client", start,
                        (reneg & RENEG_BY_SERVER) ? "its HelloRequest, an encrypted handshake record"
                        : (reneg & RENEG_PLAIN) ? "a plaintext ClientHello"
                        : (reneg & RENEG_HELLO_SEEN) ? "a ClientHello, read with the session keys"
                        : "an encrypted handshake record", how->str, words_side(e->from_server), e->frame,
                        client_refused
                            ? " The client refused it. A server renegotiates on its own most often "
                              "to ask for a client certificate for one path (Apache httpd's SSLVerifyClient in a "
                              "<Location>, IIS); some clients refuse by default (Go's crypto/tls: "
                              "tls.Config.Renegotiation): let the client renegotiate, or make the server ask for the "
                              "certificate in the first handshake."
                            : "");
    v->brief = g_strdup_printf("ended by %s from the %s", how->str, words_side(e->from_server));
    v->summary = g_strdup_printf("Renegotiation started in frame %u on an established connection (handshake of frame "
                                 "%u), ended by %s from the %s in frame %u.", start, c->hs->client_hello_frame,
                                 how->str, words_side(e->from_server), e->frame);
    g_string_free(how, TRUE);
    return v;
}

void
rules_notes(const tlsdiag_facts *c, tlsdiag_outcome outcome, tlsdiag_draft *v)
{
    char a[TLSDIAG_VERSION_NAME_LEN];
    const guint32 hello = c->hs ? c->hs->client_hello_frame : 0;
    const gboolean up_to_12 = (c->bits & FACT_SERVER_HELLO) ? c->sh_version && c->sh_version < TLSDIAG_TLS13
                                                           : c->offered_max && c->offered_max < TLSDIAG_TLS13;

    if (c->bits & FACT_SSLV2_HELLO)
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_SSLV2_CLIENT_HELLO,
                            "The ClientHello in frame %u is in the SSL 2.0 record format.", hello);
    if (outcome == TLSDIAG_OUTCOME_ESTABLISHED && c->sh_version && c->sh_version <= TLSDIAG_TLS11)
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_WEAK_PROTOCOL,
                            "The server chose %s in its ServerHello (frame %u) and the handshake succeeded.",
                            words_version_of(c, c->sh_version, a), c->sh_frame);
    if ((c->bits & FACT_HRR) && c->hrr_frame) {
        const char *g = tlsdiag_group_name(c->hrr_group);
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_HELLO_RETRY_REQUEST,
                            "The server answered the first ClientHello with a HelloRetryRequest in frame %u asking for "
                            "a key share for %s%s; the client sent a second ClientHello: one extra round trip.",
                            c->hrr_frame, g ? g : "group", g ? "" : " (unknown)");
    }
    /* A client that offered real ECH and was refused aborts (ech_required):
     * success means accepted, or GREASE, which the wire cannot tell apart. */
    if (outcome == TLSDIAG_OUTCOME_ESTABLISHED && (c->bits & FACT_ECH_OFFERED))
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_ECH_OFFERED,
                            "The ClientHello in frame %u offers Encrypted Client Hello (extension 0xfe0d%s%s%s), and "
                            "the handshake succeeded: the server took the encrypted inner hello (the real server name is "
                            "then not in this capture), or the offer was GREASE; the two look the same on the wire.",
                            hello, c->sni ? "; outer name '" : "", c->sni ? c->sni : "", c->sni ? "'" : "");
    if (outcome == TLSDIAG_OUTCOME_ESTABLISHED && (c->bits & FACT_RESUME_OFFERED)) {
        /* TLS 1.3: the ServerHello takes the PSK; older: no Certificate, an abbreviated handshake. */
        gboolean resumed = c->sh_version == TLSDIAG_TLS13 ? (c->bits & FACT_SH_PSK) != 0
                                                          : !(c->bits & FACT_SERVER_CERT);
        if (resumed)
            tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_SESSION_RESUMED,
                                "The ClientHello in frame %u offered an earlier session and the server resumed it "
                                "(ServerHello in frame %u, no certificate sent).", hello, c->sh_frame);
        else
            tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_RESUMPTION_DECLINED,
                                "The ClientHello in frame %u offered an earlier session; the server did a full "
                                "handshake instead (ServerHello in frame %u, with its certificate).", hello, c->sh_frame);
    }
    /* RFC 5746 matters up to TLS 1.2; an SSLv2-format hello cannot carry the extension. */
    if (up_to_12 && !(c->bits & (FACT_SSLV2_HELLO | FACT_HELLO_CUT)) && (c->bits & FACT_HELLO_SEEN)) {
        gboolean offered = (c->bits & (FACT_RENEGO_INFO | FACT_RENEGO_SCSV)) != 0;
        if (!offered)
            tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_RENEGOTIATION_INSECURE,
                                "The ClientHello in frame %u has neither renegotiation_info nor "
                                "TLS_EMPTY_RENEGOTIATION_INFO_SCSV: the client does not support RFC 5746.", hello);
        else if ((c->bits & FACT_SERVER_HELLO) && !(c->bits & FACT_SH_RENEGO_INFO))
            tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_RENEGOTIATION_INSECURE,
                                "The client signalled RFC 5746 support, but the ServerHello in frame %u has no "
                                "renegotiation_info: the server does not support secure renegotiation.", c->sh_frame);
    }
    if (outcome == TLSDIAG_OUTCOME_ESTABLISHED && (c->bits & FACT_HIDDEN_HELLO))
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_NOT_DECODED,
                            "Wireshark decodes this connection as %s, not as TLS, so tlsdiag read its records by their "
                            "headers only: the server answered the ClientHello (frame %u) with TLS records in frame %u, "
                            "the client went on with records in frame %u, and the server answered again: the handshake "
                            "likely succeeded. Decode As... TLS for this connection's port shows it.",
                            c->decoded_as ? c->decoded_as : "another protocol", hello, c->hidden_server_frame,
                            c->hidden_client_frame);
    if (outcome == TLSDIAG_OUTCOME_ESTABLISHED && (c->bits & FACT_CERT_UNCONFIRMED) &&
        (c->bits & (FACT_CLIENT_CERT_EMPTY | FACT_CLIENT_CERT_SENT)))
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CLIENT_CERT_UNCONFIRMED,
                            "The server asked for a client certificate and the client's Certificate (frame %u) %s%s%s; "
                            "the client then closed without sending data, and the server closed without a word (no "
                            "ticket, data or alert): a server that refused the certificate may close so once the "
                            "client has gone, as one that took it. What decides: the server's log, or a client that "
                            "sends a request before closing.",
                            c->client_cert_frame, (c->bits & FACT_CLIENT_CERT_SENT) ? "carried '" : "was empty",
                            (c->bits & FACT_CLIENT_CERT_SENT) && c->client_cert_subject ? c->client_cert_subject : "",
                            (c->bits & FACT_CLIENT_CERT_SENT) ? "'" : "");
    else if (outcome == TLSDIAG_OUTCOME_ESTABLISHED && (c->bits & FACT_CERT_UNCONFIRMED))
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CLIENT_CERT_UNCONFIRMED,
                            "The server asked for a client certificate: the first encrypted record of the client's "
                            "flight is %u bytes, %s. The client then closed without sending data, and the server sent "
                            "no ticket or data: without keys the capture cannot show whether it accepted the "
                            "certificate (its close_notify) or refused it (an alert of the same size, or none once "
                            "the client had gone). What decides: the key log, the server's log, or a client that "
                            "sends a request before closing.",
                            c->client_flight_first_len,
                            tlsdiag_client_cert_empty(c) ? "an empty Certificate message's size"
                                                         : "longer than any Finished: a Certificate");
    if (outcome == TLSDIAG_OUTCOME_ESTABLISHED)
        rules_cert_established(c, v);
    rules_cert_warnings(c, v);
}
