/* causes/rules-hello.c — the server refused the ClientHello without naming
 * a parameter (handshake_failure, insufficient_security, close_notify):
 * which of the client's offer it most likely could not take.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "causes/rules.h"

/* Suites: none real, only obsolete ones (judged only for TLS 1.2+ clients:
 * older versions have nothing better), none this server chose before, or a
 * TLS 1.3 offer without the suite every TLS 1.3 stack must have. */
static void
refused_suites(judge_ctx *j, GString *s)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_service *svc = c->service;
    gboolean obsolete = c->offered_max >= TLSDIAG_TLS12 && c->n_suites_total &&
                        !(c->bits & FACT_ANY_MODERN) && (c->bits & FACT_ALL_KNOWN);
    gboolean unseen = (c->bits & FACT_SUITE_UNSEEN) && svc && svc->n_suites;
    gboolean broken = c->offered_max >= TLSDIAG_TLS12 && (c->bits & FACT_ALL_BROKEN);

    if (!c->n_suites_total)
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_CIPHER_SUITE_MISMATCH,
                            "The ClientHello in frame %u offered no real cipher suite at all (only signalling values or GREASE).",
                            c->hs->client_hello_frame);
    if (obsolete || unseen || j->end->alert_desc == TLSDIAG_ALERT_INSUFFICIENT_SECURITY) {
        g_string_assign(s, "");
        words_suites(c, s);
        if (unseen)
            g_string_append_printf(s, "; other handshakes to this server chose %s (frame %u), which this client does not offer",
                                   tlsdiag_suite_name(svc->suites[0]) ? tlsdiag_suite_name(svc->suites[0]) : "another suite",
                                   svc->suite_frames[0]);
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_CIPHER_SUITE_MISMATCH, "The client offered %u suite%s: %s%s.",
                            c->n_suites_total, c->n_suites_total == 1 ? "" : "s", s->str,
                            broken
                                ? " — every one of a kind current servers refuse (no encryption, no authentication, "
                                  "export grade, RC4 or DES)"
                            : obsolete ? " — none of them both AEAD and forward-secret, which a modern server requires" : "");
    }
    if (c->offered_max >= TLSDIAG_TLS13 && (c->bits & FACT_TLS13_SUITES) && !(c->bits & FACT_TLS13_MANDATORY))
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_CIPHER_SUITE_MISMATCH,
                            "Likely, not certain: the client's TLS 1.3 suites leave out TLS_AES_128_GCM_SHA256, the one "
                            "every TLS 1.3 implementation must support (RFC 8446 9.1); a server that enables only that "
                            "one refuses it. Compare with the server's TLS 1.3 suites (OpenSSL -ciphersuites).");
}

/* The server refused the ClientHello without naming a parameter (alert 40,
 * 71 or close_notify): look for evidence of which parameter it was. */
void
judge_refused_hello(judge_ctx *j)
{
    const tlsdiag_facts *c = j->facts;
    const tlsdiag_service *svc = c->service;
    char a[TLSDIAG_VERSION_NAME_LEN], b[TLSDIAG_VERSION_NAME_LEN], when[64];
    GString *s = g_string_new(NULL);
    guint before = j->v->n_causes;

    /* Versions: nothing above TLS 1.1, or below what this server negotiates. */
    gboolean below_service = svc && svc->min_version && c->offered_max < svc->min_version;
    if (c->offered_max && (c->offered_max <= TLSDIAG_TLS11 || below_service)) {
        g_string_assign(s, "");
        words_offered(c, s);
        if (below_service)
            tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_PROTOCOL_VERSION_MISMATCH,
                                "The client offered %s; other handshakes to this server in the capture negotiated %s or higher "
                                "(frame %u), so the server accepts nothing this old.",
                                s->str, words_version_of(c, svc->min_version, a), svc->min_version_frame);
        else
            tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_PROTOCOL_VERSION_MISMATCH,
                                "The client offered %s, versions current servers no longer accept (TLS 1.2 is the usual minimum); "
                                "the server's refusal %s fits a version it does not enable.",
                                s->str, words_when(c, j->end, when, sizeof when));
    }
    refused_suites(j, s);

    /* Groups: none of the groups this server used before is offered. */
    if ((c->bits & FACT_GROUP_UNSEEN) && svc && svc->n_groups) {
        g_string_assign(s, "");
        words_groups(c, s);
        const char *g = tlsdiag_group_name(svc->groups[0]);
        g_snprintf(b, sizeof b, "0x%04x", svc->groups[0]);
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_NO_COMMON_GROUP,
                            "The client supports %s; other handshakes to this server used %s (frame %u), which this client does not offer.",
                            s->str, g ? g : b, svc->group_frames[0]);
    }

    /* Nothing seen decides: what the offer alone makes likely. TLS 1.3
     * only, over TCP, to a server not seen to negotiate it: a server without
     * it (mbedTLS 2, wolfSSL or OpenSSL kept to TLS 1.2, older appliances)
     * finds no version it knows, nor a suite (TLS 1.3's mean nothing to it),
     * and says handshake_failure as often as protocol_version. */
    const guint guessed = j->v->n_causes;
    if (guessed == before && c->offered_min >= TLSDIAG_TLS13 && (c->bits & FACT_HELLO_SEQ) &&
        !(svc && svc->max_version >= TLSDIAG_TLS13)) {
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_PROTOCOL_VERSION_MISMATCH,
                            "Likely, not certain: the ClientHello in frame %u offers TLS 1.3 only. A server without "
                            "TLS 1.3 (mbedTLS 2, wolfSSL or OpenSSL kept to TLS 1.2, older load balancers and "
                            "appliances) finds neither a version nor a suite it knows and refuses the hello %s, "
                            "with handshake_failure as often as with protocol_version. Otherwise a TLS 1.3 server had "
                            "no suite or group in common with it. What decides: the same client allowed TLS 1.2, or the server's highest version (openssl s_client -tls1_3 against it).",
                            c->hs->client_hello_frame, words_when(c, j->end, when, sizeof when));
    }
    /* One group only, and no other client's handshake to compare with: the
     * likeliest parameter (an X25519-only client, a server without it). */
    if (guessed == before && c->n_groups == 1 && c->offered_max >= TLSDIAG_TLS12) {
        g_string_assign(s, "");
        words_groups(c, s);
        tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_NO_COMMON_GROUP,
                            "Likely, not certain: the ClientHello in frame %u offers a single key-exchange group, %s, "
                            "and versions and suites look acceptable; a server that does not enable %s has no group in "
                            "common with it and refuses it %s. Otherwise the server disliked its signature algorithms "
                            "or extensions. The server's groups setting decides (OpenSSL -groups, nginx ssl_ecdh_curve).",
                            c->hs->client_hello_frame, s->str, s->str, words_when(c, j->end, when, sizeof when));
    }

    if (j->v->n_causes == before) {
        /* Up to four suites is a list someone configured (libraries offer
         * nine, rustls, to dozens): a server that enables none of it
         * refuses the same way; not one that chose one of them before. */
        const gboolean pinned = c->n_suites_total && c->n_suites_total <= 4 && !(c->bits & FACT_TLS13_MANDATORY) &&
                                !(svc && svc->n_suites && !(c->bits & FACT_SUITE_UNSEEN));
        if (pinned) {
            g_string_assign(s, "");
            words_suites(c, s);
            tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_CIPHER_SUITE_MISMATCH,
                                "Likely, not certain: the ClientHello in frame %u offers only %s, a list pinned by the "
                                "client's configuration, and the server refused it in frame %u, %s: a server that %s "
                                "refuses a hello this way. The server's cipher list decides (OpenSSL -cipher, nginx "
                                "ssl_ciphers).",
                                c->hs->client_hello_frame, s->str, j->end->frame, words_when(c, j->end, when, sizeof when),
                                c->n_suites_total == 1 ? "does not enable it"
                                : c->n_suites_total == 2 ? "enables neither" : "enables none of them");
        }
        if (!c->sni) {
            tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_MISSING_SNI,
                                "%s ClientHello in frame %u has no server_name extension, and the server refused it in frame %u, %s.%s",
                                pinned ? "Or the server wants SNI: the" : "The", c->hs->client_hello_frame, j->end->frame,
                                words_when(c, j->end, when, sizeof when),
                                pinned ? " What decides: the same client with SNI set, or the server's log." : "");
        } else if (!pinned) {
            g_string_assign(s, "");
            words_offered(c, s);
            g_string_append_printf(s, "; %u suites: ", c->n_suites_total);
            words_suites(c, s);
            g_string_append(s, "; groups ");
            words_groups(c, s);
            tlsdiag_verdict_add(j->v, FALSE, TLSDIAG_CAUSE_CLIENT_HELLO_REJECTED,
                                "The server refused the ClientHello in frame %u for SNI '%s'. Offered: %s%s%s. Versions, suites and "
                                "groups look acceptable: compare signature algorithms and extensions with the server's configuration.",
                                c->hs->client_hello_frame, c->sni, s->str, c->alpn ? "; ALPN " : "", c->alpn ? c->alpn : "");
        }
    }
    g_string_free(s, TRUE);
}
