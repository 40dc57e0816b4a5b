/* test-certs.c — unit tests of the core and the judge, through their APIs, on
 * synthetic packets: certificates: dates, names, chains, weak keys, client certificates.
 *
 * Every expectation is what a person reading the capture would conclude;
 * frame numbers are counted by hand from the packets each test sends.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "harness.h"

#include <string.h>

#define DAY G_GINT64_CONSTANT(86400)
#define T0_S (T0_NS / 1000000000)

static tlsdiag_cert
cert(const char *subject, const char *issuer, const char *dns)
{
    tlsdiag_cert c;
    memset(&c, 0, sizeof c);
    c.subject = subject;
    c.issuer = issuer;
    if (subject && g_str_has_prefix(subject, "CN="))
        c.cn = subject + 3;
    if (dns) {
        c.dns[0] = dns;
        c.n_dns = 1;
    }
    c.has_not_before = c.has_not_after = TRUE;
    c.not_before = T0_S - 100 * DAY;
    c.not_after = T0_S + 265 * DAY;
    c.rsa_bits = 2048;
    return c;
}

/* TLS 1.2 server flight with its certificates (frame 5 in these tests). */
static const tlsdiag_handshake *
server_flight(conn_t *c, const tlsdiag_cert *certs, guint n)
{
    tlsdiag_packet p = pkt(c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO | TLSDIAG_PKT_CERTIFICATE |
                           TLSDIAG_PKT_SERVER_DONE, 2900);
    p.sh_version = 0x0303;
    p.sh_suite = 0xc02f;
    p.sh_group = 0x001d;
    p.sh_reneg_info = TRUE;
    p.certs = certs;
    p.n_certs = n;
    return feed(c, &p);
}

/* A client of its own (10.0.0.1xx: no attempt chains) asks for SNI over
 * TCP; the TLS 1.2 server flight with these certificates (frames 4, 5), then
 * as far as UPTO: 0 nothing more, 1 the client's Finished (6), 2 the
 * server's too (7: established). */
static const tlsdiag_handshake *
tls12_until(capture_t *cap, conn_t *c, guint32 conv, const char *sni, const tlsdiag_cert *certs, guint n, guint upto)
{
    tlsdiag_client_hello ch = modern_hello(sni);
    *c = tcp_conn_new(cap, conv, (guint16)(51000 + conv));
    c->cli = v4((guint8)(100 + conv));
    syn(c);
    const tlsdiag_handshake *hs = client_hello(c, &ch);
    g_assert_true(server_flight(c, certs, n) == hs);    /* shows the leaf */
    g_assert_nonnull(tlsdiag_core_leaf(cap->core, hs));
    if (upto >= 1)
        g_assert_null(ccs_finished(c, CLIENT));
    if (upto >= 2) {
        g_assert_true(ccs_finished(c, SERVER) == hs);
        g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    }
    return hs;
}

/* The client's alert after the server's chain: the verdict. */
static const tlsdiag_handshake *
chain_refused(capture_t *cap, guint32 conv, const char *sni, const tlsdiag_cert *certs, guint n, int alert_desc)
{
    conn_t c;
    const tlsdiag_handshake *hs = tls12_until(cap, &c, conv, sni, certs, n, 0);
    g_assert_true(alert(&c, CLIENT, 2, alert_desc) == hs);
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_FAILED);
    return hs;
}

static void
test_cert_dates(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_cert chain[2] = { cert("CN=www.example.com", "CN=Issuing CA", "www.example.com"),
                              cert("CN=Issuing CA", "CN=Root CA", NULL) };

    /* Expired 30 days before the capture; the client only said unknown_ca. */
    chain[0].not_after = T0_S - 30 * DAY;
    const tlsdiag_handshake *hs = chain_refused(cap, 1, "www.example.com", chain, 2, 48);
    assert_causes(hs, "cert_expired");
    assert_has(evidence(hs, 0), "'CN=www.example.com' (number 1 in the chain, frame 5) expired on 2023-10-15 22:13:20 UTC, "
                                "30.0 days before this capture");
    assert_has(evidence(hs, 0), "the client answered unknown_ca (48) in frame 6");
    const tlsdiag_leaf *leaf = tlsdiag_core_leaf(cap->core, hs);
    g_assert_cmpstr(leaf->subject, ==, "CN=www.example.com");
    g_assert_cmpstr(leaf->issuer, ==, "CN=Issuing CA");
    g_assert_true(leaf->has_not_after);
    g_assert_cmpint(leaf->not_after, ==, T0_S - 30 * DAY);

    /* The intermediate not yet valid. */
    chain[0].not_after = T0_S + DAY;
    chain[1].not_before = T0_S + 2 * DAY;
    hs = chain_refused(cap, 2, "www.example.com", chain, 2, 42);
    assert_causes(hs, "cert_not_yet_valid");
    assert_has(evidence(hs, 0), "'CN=Issuing CA' (number 2 in the chain, frame 11) is valid only from");
    assert_has(evidence(hs, 0), "2.0 days after this capture");
}

static void
test_cert_hostname(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    /* Complete chains (the root sent too): only the name can be wrong. */
    tlsdiag_cert wild[2] = { cert("CN=*.example.com", "CN=Root CA", "*.example.com"),
                             cert("CN=Root CA", "CN=Root CA", NULL) };
    tlsdiag_cert cn_only[2] = { cert("CN=WWW.Example.COM", "CN=Root CA", NULL), wild[1] };
    const struct { const char *sni; const tlsdiag_cert *c; gboolean match; } cases[] = {
        { "www.example.com", wild, TRUE },   { "WWW.EXAMPLE.COM", wild, TRUE },
        { "example.com", wild, FALSE },      { "a.b.example.com", wild, FALSE },
        { "wwwexample.com", wild, FALSE },   { "www.example.com", cn_only, TRUE },
        { "mail.example.com", cn_only, FALSE },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        const tlsdiag_handshake *hs = chain_refused(cap, 10 + i, cases[i].sni, cases[i].c, 2, 48);
        /* A match leaves the untrusted root (the chain ends at a root not sent). */
        assert_causes(hs, cases[i].match ? "cert_untrusted_issuer" : "cert_hostname_mismatch");
    }
    const tlsdiag_handshake *hs = chain_refused(cap, 30, "a.b.example.com", wild, 2, 42);
    assert_has(evidence(hs, 0), "The client asked for 'a.b.example.com' (SNI, frame 46); the certificate in frame 47 "
                                "covers '*.example.com'; the client answered bad_certificate (42)");
    hs = chain_refused(cap, 31, "mail.example.com", cn_only, 2, 42);
    assert_has(evidence(hs, 0), "covers CN 'WWW.Example.COM' (it has no subjectAltName)");

    /* The leaf alone, its issuer not sent: with the name wrong, bad_certificate
     * is the name's; unknown_ca names the issuer, a root not trusted or an
     * intermediate not sent, as alternatives. */
    hs = chain_refused(cap, 33, "example.com", wild, 1, 42);
    assert_causes(hs, "cert_hostname_mismatch");
    hs = chain_refused(cap, 34, "example.com", wild, 1, 48);
    assert_causes(hs, "cert_hostname_mismatch cert_untrusted_issuer cert_chain_incomplete");

    /* A self-signed certificate naming no host (OpenSSL's default subject),
     * accepted by a client that does not check: the remark on curl belongs
     * to the name alone. */
    tlsdiag_cert anon[1] = { cert("C=AU, ST=Some-State, O=Internet Widgits Pty Ltd",
                                  "C=AU, ST=Some-State, O=Internet Widgits Pty Ltd", NULL) };
    tlsdiag_client_hello ch = modern_hello("localhost");
    conn_t c = conn_new(cap, 32, 51032);
    syn(&c);
    hs = client_hello(&c, &ch);
    g_assert_true(server_flight(&c, anon, 1) == hs);
    g_assert_null(ccs_finished(&c, CLIENT));
    g_assert_true(ccs_finished(&c, SERVER) == hs);
    assert_causes(hs, "cert_hostname_mismatch cert_self_signed");
    assert_has(evidence(hs, 0), "covers no host name (it has neither a subjectAltName nor a CN); the handshake "
                                "completed all the same (the client does not check, was told to ignore it, or refuses "
                                "only once the handshake is done, as Node.js and wget do, curl and libpq for the name, "
                                "and NSS clients such as Firefox may: then its alert or its close comes before any "
                                "data).");
    assert_has(evidence(hs, 1), "issued by itself; the handshake completed all the same (the client does not check, "
                                "was told to ignore it, or refuses only once the handshake is done, as Node.js and "
                                "wget do and NSS clients such as Firefox may: then its alert or its close comes "
                                "before any data).");
}

/* TLS 1.2: a client that checks the certificate while the handshake goes
 * on (NSS's) sends its Finished, then its refusal: read with keys, a
 * certificate alert; without, an encrypted alert before the server's
 * Finished. After the server's Finished an encrypted alert is the client's
 * close_notify as likely: the handshake was established. */
static const tlsdiag_handshake *
refused_after_finished(capture_t *cap, guint32 conv, const char *sni, const tlsdiag_cert *certs, guint n, int desc)
{
    conn_t c;
    const tlsdiag_handshake *hs = tls12_until(cap, &c, conv, sni, certs, n, 1);
    g_assert_true(alert(&c, CLIENT, desc < 0 ? 0 : 2, desc) == hs);   /* 7 */
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_FAILED);
    return hs;
}

static void
test_cert_refused_after_finished(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_cert wild[2] = { cert("CN=*.example.com", "CN=Root CA", "*.example.com"),
                             cert("CN=Root CA", "CN=Root CA", NULL) };

    const tlsdiag_handshake *hs = refused_after_finished(cap, 1, "example.com", wild, 2, -1);
    assert_causes(hs, "cert_hostname_mismatch");
    assert_has(evidence(hs, 0), "covers '*.example.com'; the client sent an encrypted alert in frame 7, after its own "
                                "Finished and before the server's: most likely its refusal of the certificate");
    hs = refused_after_finished(cap, 2, "example.com", wild, 2, 42);
    assert_causes(hs, "cert_hostname_mismatch");
    assert_has(evidence(hs, 0), "the client answered bad_certificate (42) in frame 14, after its own Finished: it "
                                "checked the certificate while the handshake went on");
    hs = refused_after_finished(cap, 3, "www.example.com", wild, 2, 48);
    assert_causes(hs, "cert_untrusted_issuer");
    /* Nothing wrong to be seen, the alert unread: likely the certificate. */
    hs = refused_after_finished(cap, 4, "www.example.com", wild, 2, -1);
    assert_causes(hs, "encrypted_alert cert_rejected");
    assert_has(evidence(hs, 1), "Likely, not certain");
    /* A generic alert after the Finished names no certificate. */
    hs = refused_after_finished(cap, 5, "www.example.com", wild, 2, 40);
    assert_causes(hs, "handshake_alert");

    /* After the server's Finished: established by it. */
    conn_t c;
    tls12_until(cap, &c, 6, "www.example.com", wild, 2, 2);
}

/* The same client's refusal after the server's Finished too (the race of
 * the two is the network's), read with keys: a fatal alert as the first
 * word after the handshake refuses it. After data, or a warning, or
 * unreadable (of close_notify's size), it does not. */
static void
test_cert_refused_once_done(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_cert own[2] = { cert("CN=www.example.com", "CN=Private CA", "www.example.com"),
                            cert("CN=Private CA", "CN=Private CA", NULL) };
    conn_t c;

    const tlsdiag_handshake *hs = tls12_until(cap, &c, 1, "www.example.com", own, 2, 2);
    g_assert_true(alert(&c, CLIENT, 2, 48) == hs);   /* 8 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 8);
    g_assert_true(hs->flags & TLSDIAG_HS_REFUSED);
    assert_causes(hs, "cert_untrusted_issuer");
    assert_has(evidence(hs, 0), "the client answered unknown_ca (48) in frame 8, after both Finished messages and "
                                "before any data: it checked the certificate while the handshake went on");
    assert_has(history_text(hs), "Frame 7 server: ChangeCipherSpec, encrypted handshake message. Frame 8 client: "
                                 "fatal alert unknown_ca.");
    g_assert_null(fin(&c, CLIENT));   /* judged: nothing more */

    /* The client's request first: an alert after it is not the handshake's. */
    hs = tls12_until(cap, &c, 2, "www.example.com", own, 2, 2);
    g_assert_null(app_data(&c, CLIENT, 1));
    g_assert_null(alert(&c, CLIENT, 2, 20));
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    /* The server's greeting, received, before the client's alert: the same. */
    hs = tls12_until(cap, &c, 3, "www.example.com", own, 2, 2);
    g_assert_null(app_data(&c, SERVER, 1));
    g_assert_null(alert(&c, CLIENT, 2, 48));
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    /* Without keys: as close_notify. A close_notify read: a close. */
    hs = tls12_until(cap, &c, 4, "www.example.com", own, 2, 2);
    g_assert_null(alert(&c, CLIENT, 0, -1));
    g_assert_null(alert(&c, CLIENT, 1, 0));
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    g_assert_false(hs->flags & TLSDIAG_HS_REFUSED);
}

/* A name that clients check only once the handshake is done (curl, libpq):
 * their refusal is their close before any data of their own, an alert of
 * close_notify's size or a FIN, whatever the server sent meanwhile (an
 * HTTP/2 server's SETTINGS). Likely, not certain. The client's data first,
 * or the server's close, keeps it established; so does an address named as
 * SNI (a scanner's) or a name the certificate covers. */
static void
test_cert_refused_unused(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_cert own[2] = { cert("CN=good.example", "CN=Private CA", "good.example"),
                            cert("CN=Private CA", "CN=Private CA", NULL) };
    conn_t c;

    const tlsdiag_handshake *hs = tls12_until(cap, &c, 1, "wrong.example", own, 2, 2);
    assert_causes(hs, "cert_hostname_mismatch");
    g_assert_true(alert(&c, CLIENT, 0, -1) == hs);   /* 8 */
    assert_hs(hs, TLSDIAG_OUTCOME_FAILED, 4, 8);
    g_assert_true(hs->flags & TLSDIAG_HS_REFUSED);
    assert_causes(hs, "cert_hostname_mismatch");
    assert_has(evidence(hs, 0), "the client sent an encrypted alert in frame 8, its first word once the handshake was "
                                "done, before any data of its own: likely its refusal of the certificate");
    assert_has(evidence(hs, 0), "Not certain: a client that does not check and has nothing to send");
    assert_has(summary(hs), "completed, and before any data ended by the client's encrypted alert in frame 8.");
    g_assert_null(fin(&c, CLIENT));   /* judged: nothing more */

    hs = tls12_until(cap, &c, 2, "wrong.example", own, 2, 2);
    g_assert_null(raw(&c, SERVER, 0, 0));        /* a bare ACK says nothing */
    g_assert_null(app_data(&c, SERVER, 1));      /* nor the server's SETTINGS */
    g_assert_true(fin(&c, CLIENT) == hs);
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_FAILED);
    assert_has(evidence(hs, 0), "closed the connection (FIN) in frame");

    struct {
        const char *sni;
        gboolean    server_closes;
    } stays[] = { { "wrong.example", FALSE }, { "wrong.example", TRUE }, { "192.0.2.1", FALSE },
                  { "good.example", FALSE } };
    for (guint i = 0; i < G_N_ELEMENTS(stays); i++) {
        hs = tls12_until(cap, &c, 3 + i, stays[i].sni, own, 2, 2);
        if (i == 0)
            g_assert_null(app_data(&c, CLIENT, 1));
        if (stays[i].server_closes)
            g_assert_null(fin(&c, SERVER));
        g_assert_null(alert(&c, CLIENT, 0, -1));
        g_assert_null(fin(&c, CLIENT));
        g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
        g_assert_false(hs->flags & TLSDIAG_HS_REFUSED);
    }
}

/* Node.js and wget check the whole certificate once the handshake is done
 * and refuse it by closing (a FIN, no alert) before any data: watched for
 * each cause a checking client refuses (a date, a self-signed leaf, a leaf
 * whose issuer this capture shows as an intermediate). Their close_notify
 * first (a probe's, openssl s_client's) is no refusal but of a name. A chain
 * the capture finds nothing wrong with (its root may still be one the
 * client does not trust), and a client that named no host, stay
 * established. */
static void
test_cert_refused_unused_chain(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_cert full[2] = { cert("CN=good.example", "CN=Int CA", "good.example"),
                             cert("CN=Int CA", "CN=Root CA", NULL) };
    tlsdiag_cert expired[2] = { full[0], full[1] };
    tlsdiag_cert self = cert("CN=good.example", "CN=good.example", "good.example");
    conn_t c;

    expired[0].not_after = T0_S - 30 * DAY;
    /* Used: established; it shows 'CN=Int CA' as an intermediate. */
    const tlsdiag_handshake *hs = tls12_until(cap, &c, 1, "good.example", full, 2, 2);
    g_assert_null(app_data(&c, CLIENT, 1));
    g_assert_null(fin(&c, CLIENT));
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);

    const struct {
        const tlsdiag_cert *certs;
        guint               n;
        const char         *warned, *refused;
    } cases[] = { { expired, 2, "cert_expired", "cert_expired" },
                  { &self, 1, "cert_self_signed", "cert_self_signed" },
                  { full, 1, "cert_chain_incomplete", "cert_chain_incomplete cert_untrusted_issuer" } };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        hs = tls12_until(cap, &c, 2 + i, "good.example", cases[i].certs, cases[i].n, 2);
        assert_causes(hs, cases[i].warned);
        g_assert_true(fin(&c, CLIENT) == hs);
        g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_FAILED);
        g_assert_true(hs->flags & TLSDIAG_HS_REFUSED);
        assert_causes(hs, cases[i].refused);
        assert_has(evidence(hs, 0), "its first word once the handshake was done, before any data of its own: likely its refusal of the certificate, as "
                                    "clients that check it only once the handshake is done refuse it (Node.js");
    }

    tlsdiag_cert other[2] = { cert("CN=good.example", "CN=Other CA", "good.example"),
                              cert("CN=Other CA", "CN=Other Root", NULL) };
    hs = tls12_until(cap, &c, 5, "good.example", other, 2, 2);
    g_assert_null(fin(&c, CLIENT));
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    hs = tls12_until(cap, &c, 6, NULL, expired, 2, 2);
    g_assert_null(fin(&c, CLIENT));
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    assert_causes(hs, "cert_expired");
    hs = tls12_until(cap, &c, 7, "good.example", expired, 2, 2);
    g_assert_null(alert(&c, CLIENT, 0, -1));
    g_assert_null(fin(&c, CLIENT));
    g_assert_cmpuint(hs->outcome, ==, TLSDIAG_OUTCOME_ESTABLISHED);
    g_assert_false(hs->flags & TLSDIAG_HS_REFUSED);
}

/* No SNI (a client that connected by IP address): a leaf without an IP
 * address fails the client's check of the address it used; the chain's
 * untrusted root is the alternative. A leaf with an IP address, or an alert
 * that names the issuer (unknown_ca), leaves the name out. */
static void
test_cert_no_sni(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_cert chain[2] = { cert("CN=www.example.com", "CN=Root CA", "www.example.com"),
                              cert("CN=Root CA", "CN=Root CA", NULL) };

    const tlsdiag_handshake *hs = chain_refused(cap, 40, NULL, chain, 2, 42);
    assert_causes(hs, "cert_hostname_mismatch cert_untrusted_issuer");
    assert_has(evidence(hs, 0), "Likely, not certain: the ClientHello in frame 4 has no SNI, which clients leave out "
                                "when they connect by IP address");
    assert_has(evidence(hs, 0), "the certificate in frame 5 covers 'www.example.com' and no IP address");
    assert_has(evidence(hs, 1), "Or: the chain in frame 5 leads to the root 'CN=Root CA' (sent by the server), and the "
                                "certificates are in date: the client does not trust that root");
    hs = chain_refused(cap, 41, NULL, chain, 2, 46);                 /* Java's certificate_unknown */
    assert_causes(hs, "cert_hostname_mismatch cert_untrusted_issuer");
    hs = chain_refused(cap, 42, NULL, chain, 2, 48);
    assert_causes(hs, "cert_untrusted_issuer");
    chain[0].n_ip = 1;
    hs = chain_refused(cap, 43, NULL, chain, 2, 42);
    assert_causes(hs, "cert_untrusted_issuer");
}

/* TLS 1.3 without keys: the certificates are encrypted, the client's alert
 * is not (OpenSSL 3.0). Without SNI, bad_certificate may be an address the
 * certificate does not list: said so in the evidence (the certificate is
 * not there to check), not as a cause. With SNI, not said. */
static void
test_cert_hidden_no_sni(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    const char *const snis[] = { NULL, "www.example.com" };

    for (guint i = 0; i < G_N_ELEMENTS(snis); i++) {
        tlsdiag_client_hello ch = modern_hello(snis[i]);
        conn_t c = conn_new(cap, 50 + i, (guint16)(51050 + i));
        c.cli = v4((guint8)(150 + i));
        syn(&c);
        const tlsdiag_handshake *hs = client_hello(&c, &ch);
        g_assert_null(server_hello(&c, 0x0304, 0x1301, 0x001d));
        g_assert_true(alert(&c, CLIENT, 2, 42) == hs);
        assert_causes(hs, "cert_rejected");
        if (snis[i])
            assert_lacks(evidence(hs, 0), "no SNI");
        else
            assert_has(evidence(hs, 0), "The ClientHello has no SNI: a client that connected by IP address says this "
                                        "too when the certificate does not list that address");
    }
}

static void
test_cert_chain(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_cert self[1] = { cert("CN=www.example.com", "CN=www.example.com", "www.example.com") };
    tlsdiag_cert leaf_only[1] = { cert("CN=www.example.com", "CN=Issuing CA", "www.example.com") };
    tlsdiag_cert to_root[3] = { cert("CN=www.example.com", "CN=Issuing CA", "www.example.com"),
                                cert("CN=Issuing CA", "CN=Private Root", NULL),
                                cert("CN=Private Root", "CN=Private Root", NULL) };
    tlsdiag_cert unordered[3] = { to_root[0], to_root[2], to_root[1] };

    const tlsdiag_handshake *hs = chain_refused(cap, 1, "www.example.com", self, 1, 48);
    assert_causes(hs, "cert_self_signed");
    /* A leaf whose issuer was not sent: both causes; nothing seen of the
     * issuer yet, so the common one (a missing intermediate) first. */
    hs = chain_refused(cap, 2, "www.example.com", leaf_only, 1, 48);
    assert_causes(hs, "cert_chain_incomplete cert_untrusted_issuer");
    assert_has(evidence(hs, 0), "none is the issuer of 'CN=www.example.com'; the client answered unknown_ca (48) in "
                                "frame 12. If 'CN=Issuing CA' is an intermediate, the server must also send it");
    assert_has(evidence(hs, 1), "Or 'CN=Issuing CA' is itself a root the client does not trust. What decides:");
    hs = chain_refused(cap, 3, "www.example.com", to_root, 3, 48);
    assert_causes(hs, "cert_untrusted_issuer");
    assert_has(evidence(hs, 0), "leads to the root 'CN=Private Root' (sent by the server)");
    hs = chain_refused(cap, 4, "www.example.com", to_root, 2, 48);
    assert_has(evidence(hs, 0), "leads to the root 'CN=Private Root' (not sent, as usual)");
    hs = chain_refused(cap, 5, "www.example.com", unordered, 3, 48);
    assert_causes(hs, "cert_untrusted_issuer cert_chain_out_of_order");
    /* Nothing wrong to see: the alert is explained. */
    hs = chain_refused(cap, 6, "www.example.com", to_root, 2, 44);
    assert_causes(hs, "cert_rejected");
    assert_has(evidence(hs, 0), "with certificate_revoked (44)");
    /* A client alert that is not about certificates is judged as before. */
    hs = chain_refused(cap, 7, "www.example.com", leaf_only, 1, 47);
    assert_causes(hs, "handshake_alert");

    /* The capture has since shown both CAs: the issuer's role ranks the causes. */
    hs = chain_refused(cap, 8, "www.example.com", leaf_only, 1, 48);
    assert_causes(hs, "cert_chain_incomplete cert_untrusted_issuer");
    assert_has(evidence(hs, 0), "this capture shows 'CN=Issuing CA' as an intermediate (issued by another CA) in frame 17");
    tlsdiag_cert by_root[1] = { cert("CN=www.example.com", "CN=Private Root", "www.example.com") };
    hs = chain_refused(cap, 9, "www.example.com", by_root, 1, 48);
    assert_causes(hs, "cert_untrusted_issuer cert_chain_incomplete");
    assert_has(evidence(hs, 0), "this capture shows 'CN=Private Root' as a self-signed root in frame 17. If 'CN=Private "
                                "Root' is a root, as it seems, the client does not trust it");

    /* GnuTLS says bad_certificate where OpenSSL says unknown_ca. */
    hs = chain_refused(cap, 10, "www.example.com", to_root, 3, 42);
    assert_causes(hs, "cert_untrusted_issuer");
    assert_has(evidence(hs, 0), "GnuTLS clients say bad_certificate for an issuer they do not know");
}

static void
test_cert_weak_on_success(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("www.example.com");
    tlsdiag_cert chain[3] = { cert("CN=www.example.com", "CN=Issuing CA", "www.example.com"),
                              cert("CN=Issuing CA", "CN=Old Root", NULL),
                              cert("CN=Old Root", "CN=Old Root", NULL) };
    chain[0].rsa_bits = 1024;
    chain[2].sig = TLSDIAG_SIG_SHA1;      /* a root's own signature does not count */
    conn_t c = conn_new(cap, 1, 52001);
    syn(&c);
    const tlsdiag_handshake *hs = client_hello(&c, &ch);
    g_assert_true(server_flight(&c, chain, 3) == hs);
    g_assert_null(ccs_finished(&c, CLIENT));
    g_assert_true(ccs_finished(&c, SERVER) == hs);
    assert_hs(hs, TLSDIAG_OUTCOME_ESTABLISHED, 4, 7);
    g_assert_nonnull(hs->verdict);
    g_assert_cmpuint(hs->verdict->n_causes, ==, 1);
    g_assert_cmpstr(tlsdiag_cause_get(hs->verdict->causes[0])->token, ==, "cert_weak");
    assert_has(evidence(hs, 0), "'CN=www.example.com' (number 1 in the chain, frame 5) has a 1024-bit RSA key");
    char buf[256];
    assert_has(tlsdiag_handshake_summary(hs, TRUE, buf, sizeof buf), "handshake established");

    chain[0].rsa_bits = 4096;
    chain[1].sig = TLSDIAG_SIG_SHA1;
    conn_t d = conn_new(cap, 2, 52002);
    syn(&d);
    hs = client_hello(&d, &ch);
    server_flight(&d, chain, 3);
    g_assert_null(ccs_finished(&d, CLIENT));
    g_assert_true(ccs_finished(&d, SERVER) == hs);
    assert_has(evidence(hs, 0), "'CN=Issuing CA' (number 2 in the chain, frame 12) is signed with SHA-1.");

    chain[1].sig = TLSDIAG_SIG_OK;
    conn_t e = conn_new(cap, 3, 52003);
    syn(&e);
    hs = client_hello(&e, &ch);
    server_flight(&e, chain, 3);
    g_assert_null(ccs_finished(&e, CLIENT));
    g_assert_true(ccs_finished(&e, SERVER) == hs);
    g_assert_null(hs->verdict);
}

/* The client's Certificate message: empty, or one the server refuses. */
static void
test_client_certs(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_client_hello ch = modern_hello("mtls.example.com");
    tlsdiag_cert server[1] = { cert("CN=mtls.example.com", "CN=Root CA", "mtls.example.com") };
    tlsdiag_cert client[1] = { cert("CN=device-17", "CN=Other CA", NULL) };

    /* k = 0: an empty Certificate refused with handshake_failure (OpenSSL);
     * 1: a certificate refused; 2: an empty one refused with decode_error
     * (GnuTLS). */
    for (guint k = 0; k < 3; k++) {
        conn_t c = conn_new(cap, 1 + k, (guint16)(53001 + k));
        syn(&c);
        const tlsdiag_handshake *hs = client_hello(&c, &ch);                        /* 4 */
        tlsdiag_packet p = pkt(&c, SERVER, F_TLS | TLSDIAG_PKT_SERVER_HELLO | TLSDIAG_PKT_CERTIFICATE |
                               TLSDIAG_PKT_CERT_REQUEST | TLSDIAG_PKT_SERVER_DONE, 3000);
        p.sh_version = 0x0303;
        p.sh_suite = 0xc02f;
        p.sh_reneg_info = TRUE;
        p.certs = server;
        p.n_certs = 1;
        g_assert_true(feed(&c, &p) == hs);                                          /* 5 */
        tlsdiag_packet q = pkt(&c, CLIENT, F_TLS | TLSDIAG_PKT_CERTIFICATE | TLSDIAG_PKT_CCS |
                               TLSDIAG_PKT_ENC_HANDSHAKE, k == 1 ? 1200 : 120);
        q.certs = client;
        q.n_certs = k == 1;                                                         /* 0: empty */
        g_assert_null(feed(&c, &q));                                                /* 6 */
        g_assert_true(alert(&c, SERVER, 2, k == 1 ? 48 : k ? 50 : 40) == hs);       /* 7 */
        if (k == 2) {
            assert_causes(hs, "client_cert_required");
            assert_has(evidence(hs, 0), "Certificate message (frame 20) was empty; the server answered decode_error "
                                        "(50) in frame 21. (GnuTLS servers say decode_error for a certificate they "
                                        "require and did not get.)");
        } else if (k) {
            assert_causes(hs, "client_cert_rejected");
            assert_has(evidence(hs, 0), "The client sent the certificate 'CN=device-17', issued by 'CN=Other CA' "
                                        "(frame 13); the server answered unknown_ca (48) in frame 14.");
        } else {
            assert_causes(hs, "client_cert_required");
            assert_has(evidence(hs, 0), "Certificate message (frame 6) was empty; the server answered "
                                        "handshake_failure (40) in frame 7.");
        }
    }
}

/* Certificates Wireshark could not decode: nothing invented. */
static void
test_cert_undecoded(capture_t *cap, G_GNUC_UNUSED gconstpointer data)
{
    tlsdiag_cert blank[2];
    memset(blank, 0, sizeof blank);
    const tlsdiag_handshake *hs = chain_refused(cap, 1, "www.example.com", blank, 2, 48);
    assert_causes(hs, "handshake_alert");
    g_assert_null(tlsdiag_core_leaf(cap->core, hs)->subject);

    /* More certificates than kept: no claim about the missing issuer. */
    tlsdiag_cert many[TLSDIAG_PKT_MAX_CERTS];
    for (guint i = 0; i < G_N_ELEMENTS(many); i++)
        many[i] = cert("CN=www.example.com", "CN=Somebody", "www.example.com");
    hs = chain_refused(cap, 2, "www.example.com", many, G_N_ELEMENTS(many), 48);
    assert_causes(hs, "handshake_alert");

    /* Names beyond ASCII (an IDN written as UTF-8 in the certificate): the
     * SNI carries the A-label, so they differ, and the text stays intact. */
    tlsdiag_cert idn[2] = { cert("CN=bücher.example", "CN=Wurzel-CA Ä", "bücher.example"),
                            cert("CN=Wurzel-CA Ä", "CN=Wurzel-CA Ä", NULL) };
    hs = chain_refused(cap, 3, "xn--bcher-kva.example", idn, 2, 42);
    assert_causes(hs, "cert_hostname_mismatch");
    assert_has(evidence(hs, 0), "covers 'bücher.example'");
    g_assert_cmpstr(tlsdiag_core_leaf(cap->core, hs)->issuer, ==, "CN=Wurzel-CA Ä");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    TEST_CAPTURE("/certs/dates", test_cert_dates);
    TEST_CAPTURE("/certs/hostname", test_cert_hostname);
    TEST_CAPTURE("/certs/refused-after-finished", test_cert_refused_after_finished);
    TEST_CAPTURE("/certs/refused-once-done", test_cert_refused_once_done);
    TEST_CAPTURE("/certs/refused-unused", test_cert_refused_unused);
    TEST_CAPTURE("/certs/refused-unused-chain", test_cert_refused_unused_chain);
    TEST_CAPTURE("/certs/no-sni", test_cert_no_sni);
    TEST_CAPTURE("/certs/hidden-no-sni", test_cert_hidden_no_sni);
    TEST_CAPTURE("/certs/chain", test_cert_chain);
    TEST_CAPTURE("/certs/weak-on-success", test_cert_weak_on_success);
    TEST_CAPTURE("/certs/client", test_client_certs);
    TEST_CAPTURE("/certs/undecoded", test_cert_undecoded);
    return g_test_run();
}
