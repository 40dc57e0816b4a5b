/* causes/rules-alert.c — a handshake ended by an alert: what the alert
 * means here, and, when it cannot be read, who sent it at which stage.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "causes/rules.h"

/* TLS 1.3 without keys, a server that ended the handshake after the
 * client's flight: what the length of the client's first encrypted record
 * says of the client's certificate, likely, with how the server answered. */
void
rules_client_cert_by_size(judge_ctx *j, const char *answer)
{
    const tlsdiag_facts *c = j->facts;
    const gboolean empty = tlsdiag_client_cert_empty(c);

    if (c->sh_version != TLSDIAG_TLS13 || (!empty && !tlsdiag_client_cert_sent(c)))
        return;
    tlsdiag_verdict_add(j->v, FALSE, empty ? TLSDIAG_CAUSE_CLIENT_CERT_REQUIRED : TLSDIAG_CAUSE_CLIENT_CERT_REJECTED,
                        "Likely, not certain: the first encrypted record of the client's flight after the ServerHello "
                        "is %u bytes, %s; the server %s. What decides: the server's log, or the key log.",
                        c->client_flight_first_len,
                        empty ? "an empty Certificate message's size, so the server had asked for a client "
                                "certificate and got none"
                              : "longer than any Finished: a Certificate, so the server had asked for one and the "
                                "client sent it",
                        answer);
}

/* The client's first bytes an alert, no ClientHello before it: its TLS
 * library gave up before the handshake began. OpenSSL's alert says which of
 * its settings left nothing to offer. */
static void
judge_alert_before_hello(judge_ctx *j)
{
    const tlsdiag_end *e = j->end;
    GString *alert = g_string_new(NULL);
    const char *why;

    words_alert(e, alert);
    switch (e->alert_desc) {
    case TLSDIAG_ALERT_PROTOCOL_VERSION:
        why = ": most likely its own settings allow no protocol version (OpenSSL's 'no protocols available': a "
              "minimum version above the maximum, or every version turned off)";
        break;
    case TLSDIAG_ALERT_INTERNAL_ERROR:
    case TLSDIAG_ALERT_HANDSHAKE_FAILURE:
        why = ": most likely its own settings leave no cipher suite for the highest version it allows (OpenSSL's "
              "'no ciphers available': TLS 1.2 suites alone for a client limited to TLS 1.0, an empty list of TLS "
              "1.3 suites for one limited to TLS 1.3, or only suites its security level forbids)";
        break;
    default:
        why = "; the alert names why, the client's error log more";
        break;
    }
    tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_CLIENT_ABORTED_BEFORE_HELLO,
                        "The client's first bytes, in frame %u, are a %s, sent where its ClientHello was due; no "
                        "ClientHello came on this connection. Its TLS library gave up before the handshake began%s. "
                        "The server never saw a handshake.", e->frame, alert->str, why);
    g_string_free(alert, TRUE);
}

/* An alert we cannot read: say who sent it at which stage, and what that
 * most likely means; in TLS 1.3 the client's flight tells whether it had been
 * asked for a certificate (tlsdiag_client_cert_empty, _sent). */
static void
judge_encrypted_alert(judge_ctx *j)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_end *e = j->end;
    const gboolean tls13 = c->sh_version == TLSDIAG_TLS13;
    const gboolean client_done = tlsdiag_client_finished(c);

    if (!e->from_server && client_done && (c->bits & FACT_ECH_OFFERED)) {
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_ECH_REJECTED,
                            "Likely, not certain: the client offered Encrypted Client Hello (ClientHello in frame %u, "
                            "outer SNI %s%s%s), finished the handshake and at once sent an encrypted record of an "
                            "alert's size (frame %u) and closed, sending no data: how a client ends a handshake whose "
                            "ECH the server did not take (alert ech_required). The key log shows the alert.",
                            c->hs->client_hello_frame, c->sni ? "'" : "", c->sni ? c->sni : "absent", c->sni ? "'" : "",
                            e->frame);
    } else if (!e->from_server && !client_done) {
        /* (The version unread, the alert is known by its size alone.) */
        GString *answer = g_string_new(NULL);
        words_server_answer(c, answer);
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_ENCRYPTED_ALERT,
                            "The client sent an encrypted alert in frame %u, after the server's first flight (%s) "
                            "and before its own Finished: most likely the client rejected the server — its certificate (expired, "
                            "wrong name, untrusted issuer) or a parameter it chose. Inferred without keys from its position%s.",
                            e->frame, answer->str, tls13 || !c->sh_version ? " and size" : "");
        g_string_free(answer, TRUE);
    } else if (e->from_server && client_done) {
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_ENCRYPTED_ALERT,
                            "The server sent an encrypted alert in frame %u, after the client's Finished: most likely the "
                            "server rejected the client, most often over a client certificate that was required or not trusted. "
                            "Inferred without keys from its position%s.", e->frame, tls13 ? " and size" : "");
        char answer[64];
        g_snprintf(answer, sizeof answer, "answered with the alert in frame %u", e->frame);
        rules_client_cert_by_size(j, answer);
    } else if (!e->from_server && c->sh_version && c->sh_version <= TLSDIAG_TLS12 && !(c->bits & FACT_SERVER_FINISH)) {
        /* (rules_certs found nothing wrong with the certificates.) */
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_ENCRYPTED_ALERT,
                            "The client sent an encrypted alert in frame %u, after its own Finished and before the "
                            "server's; without the keys neither its description nor its reason can be read.",
                            e->frame);
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_CERT_REJECTED,
                            "Likely, not certain: all the client had to object to was the server's first flight, and "
                            "clients that check the certificate while the handshake goes on (NSS's: Firefox, "
                            "Thunderbird) refuse it this way. %s The key log shows the alert.",
                            c->chain && c->chain->n
                                ? "The certificates show nothing wrong to this capture: a root the client does not "
                                  "trust, or a check the capture cannot see (revocation, pinning)."
                                : "The certificates are not in the capture.");
    } else {
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_ENCRYPTED_ALERT,
                            "The %s sent an encrypted alert in frame %u during the handshake (ServerHello in frame %u); "
                            "without the keys neither its description nor its reason can be read.",
                            words_side(e->from_server), e->frame, c->sh_frame);
    }
}

/* inappropriate_fallback: the retry after a failure, refused (RFC 7507). */
static void
judge_fallback(judge_ctx *j)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_end *e = j->end;
    GString *s = g_string_new(NULL);

    words_offered(c, s);
    if (c->bits & FACT_FALLBACK_SCSV)
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_INAPPROPRIATE_FALLBACK,
                            "The ClientHello in frame %u offered %s and carried TLS_FALLBACK_SCSV: the client was retrying after an "
                            "earlier attempt failed. The server supports a higher version and refused the downgrade in frame %u.",
                            c->hs->client_hello_frame, s->str, e->frame);
    else
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_INAPPROPRIATE_FALLBACK,
                            "The server sent inappropriate_fallback in frame %u, but the ClientHello in frame %u (%s) carries no "
                            "TLS_FALLBACK_SCSV: something on the path may have altered it.",
                            e->frame, c->hs->client_hello_frame, s->str);
    g_string_free(s, TRUE);
}

/* OpenSSL 3 at its default security level (Debian's, Ubuntu's) allows no
 * signature algorithm TLS 1.0 or 1.1 can use, and refuses a client that
 * offers nothing newer with internal_error, not protocol_version. */
static gboolean
judge_old_version_internal_error(judge_ctx *j)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_end *e = j->end;

    if (e->alert_desc != TLSDIAG_ALERT_INTERNAL_ERROR || !e->from_server || (c->bits & FACT_SERVER_HELLO) ||
        (c->bits & FACT_HELLO_CUT) || !c->offered_max || c->offered_max > TLSDIAG_TLS11)
        return FALSE;
    GString *s = g_string_new(NULL);
    words_offered(c, s);
    tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_PROTOCOL_VERSION_MISMATCH,
                        "Likely, not certain: the client offered %s (ClientHello, frame %u), and the server answered "
                        "with internal_error (80) in frame %u. OpenSSL 3 at its default security level (Debian, Ubuntu) "
                        "has no signature algorithm those versions can use and refuses such a hello this way, not with "
                        "protocol_version. Otherwise the server hit a fault of its own. What decides: the server's log "
                        "(OpenSSL: 'no suitable signature algorithm'), or the same client allowed TLS 1.2.",
                        s->str, c->hs->client_hello_frame, e->frame);
    g_string_free(s, TRUE);
    return TRUE;
}

void
judge_alert(judge_ctx *j)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_end *e = j->end;
    gboolean before_sh = !(c->bits & FACT_SERVER_HELLO);
    char a[TLSDIAG_VERSION_NAME_LEN], b[TLSDIAG_VERSION_NAME_LEN];

    if (e->alert_desc < 0) {
        judge_encrypted_alert(j);
        return;
    }
    if (!(c->bits & FACT_HELLO_SEEN) && !e->from_server) {
        judge_alert_before_hello(j);
        return;
    }
    if (judge_old_version_internal_error(j))
        return;
    GString *s = g_string_new(NULL);
    /* The alerts below are read against the ClientHello's offer: one the
     * capture cut is named by its meaning alone. */
    switch ((c->bits & FACT_HELLO_CUT) ? -1 : e->alert_desc) {
    case TLSDIAG_ALERT_INAPPROPRIATE_FALLBACK:
        judge_fallback(j);
        break;
    case TLSDIAG_ALERT_PROTOCOL_VERSION:
        g_string_assign(s, "");
        words_offered(c, s);
        if (!e->from_server && !before_sh)
            tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_PROTOCOL_VERSION_MISMATCH,
                                "The server picked %s in its ServerHello (frame %u); the client offered %s and refused it with "
                                "protocol_version in frame %u.",
                                words_version_of(c, c->sh_version, a), c->sh_frame, s->str, e->frame);
        else
            tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_PROTOCOL_VERSION_MISMATCH,
                                "The client offered %s (ClientHello, frame %u); the %s refused with protocol_version in frame %u%s%s.",
                                s->str, c->hs->client_hello_frame, words_side(e->from_server), e->frame,
                                c->service && c->service->min_version ? "; other handshakes to this server negotiated " : "",
                                c->service && c->service->min_version ? words_version_of(c, c->service->min_version, b) : "");
        break;
    case TLSDIAG_ALERT_UNRECOGNIZED_NAME:
        if (!c->sni)
            tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_MISSING_SNI,
                                "The ClientHello in frame %u has no server_name extension; the server answered unrecognized_name in frame %u.",
                                c->hs->client_hello_frame, e->frame);
        else
            tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_UNRECOGNIZED_NAME,
                                "The client asked for '%s' (SNI, frame %u); the server has no such name configured and answered "
                                "unrecognized_name in frame %u.",
                                c->sni, c->hs->client_hello_frame, e->frame);
        break;
    case TLSDIAG_ALERT_ECH_REQUIRED:
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_ECH_REJECTED,
                            "The client offered Encrypted Client Hello (ClientHello in frame %u, outer SNI %s%s%s) and "
                            "ended the handshake with ech_required (121) in frame %u: the server did not take the "
                            "encrypted inner hello and answered as the public name. The client retries with the keys "
                            "the server sent; see its next connection.", c->hs->client_hello_frame,
                            c->sni ? "'" : "", c->sni ? c->sni : "absent", c->sni ? "'" : "", e->frame);
        break;
    case TLSDIAG_ALERT_NO_APPLICATION_PROTOCOL:
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_ALPN_MISMATCH,
                            "The client offered ALPN %s (frame %u); the %s supports none of them and sent no_application_protocol in frame %u.",
                            c->alpn ? c->alpn : "(none)", c->hs->client_hello_frame, words_side(e->from_server), e->frame);
        break;
    case TLSDIAG_ALERT_HANDSHAKE_FAILURE:
    case TLSDIAG_ALERT_INSUFFICIENT_SECURITY:
    case TLSDIAG_ALERT_CLOSE_NOTIFY:
        if (e->from_server && before_sh) {
            judge_refused_hello(j);
            break;
        }
        /* fall through */
    default: {
        const char *meaning = tlsdiag_alert_meaning(e->alert_desc);
        words_alert(e, s);
        if (before_sh)
            g_string_append_printf(s, " in frame %u, in answer to the ClientHello (frame %u)", e->frame, c->hs->client_hello_frame);
        else
            g_string_append_printf(s, " in frame %u, after the ServerHello (frame %u)", e->frame, c->sh_frame);
        /* What the other side sent that the alert answers, when it is odd. */
        GString *why = g_string_new(NULL);
        if (c->odd_record_frame && c->odd_record_from_client == e->from_server)
            g_string_append_printf(why, " It answers the %s's %s in frame %u, where a handshake message was due.",
                                   words_side(!e->from_server),
                                   c->odd_record_type == 24 ? "Heartbeat record" : "record of a type TLS does not have",
                                   c->odd_record_frame);
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_HANDSHAKE_ALERT, "The %s sent %s: %s.%s", words_side(e->from_server),
                            s->str, meaning ? meaning : e->alert_desc < 0 ? "its description cannot be read without the "
                            "session keys" : "an alert this version of tlsdiag does not know", why->str);
        g_string_free(why, TRUE);
        break;
    }
    }
    g_string_free(s, TRUE);
}
