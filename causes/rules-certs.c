/* causes/rules-certs.c — what is wrong with the certificates, read from the
 * certificates themselves rather than from the alert: OpenSSL clients answer
 * unknown_ca or bad_certificate for an expired certificate, a wrong host name,
 * a self-signed one and a missing intermediate alike.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "causes/rules.h"

#include <string.h>

#define SECONDS_PER_DAY 86400.0

/* Interned: equal names are equal pointers. */
static gboolean
same_name(const char *a, const char *b)
{
    return a && b && a == b;
}

static gboolean
self_signed(const tlsdiag_cert *c)
{
    return same_name(c->subject, c->issuer);
}

static const char *
name_of(const tlsdiag_cert *c)
{
    return c->subject ? c->subject : "(a certificate Wireshark could not decode)";
}

/* RFC 6125 6.4: case-insensitive; a wildcard only as the whole left-most
 * label, standing for exactly one label. */
static gboolean
name_matches(const char *pattern, const char *host)
{
    if (!pattern || !host || !*pattern)
        return FALSE;
    if (pattern[0] == '*' && pattern[1] == '.') {
        const char *dot = strchr(host, '.');
        return dot && dot != host && strchr(pattern + 2, '.') && g_ascii_strcasecmp(dot + 1, pattern + 2) == 0;
    }
    return g_ascii_strcasecmp(pattern, host) == 0;
}

static gboolean
leaf_covers(const tlsdiag_cert *leaf, const char *host)
{
    if (leaf->n_dns) {
        for (guint i = 0; i < leaf->n_dns; i++)
            if (name_matches(leaf->dns[i], host))
                return TRUE;
        return FALSE;
    }
    return name_matches(leaf->cn, host);
}

/* "'a', 'b'", "CN 'x' (no subjectAltName)" or no name at all */
static void
leaf_names(const tlsdiag_cert *leaf, GString *out)
{
    if (!leaf->n_dns && (!leaf->cn || !*leaf->cn)) {
        g_string_append(out, "no host name (it has neither a subjectAltName nor a CN)");
        return;
    }
    if (!leaf->n_dns) {
        g_string_append_printf(out, "CN '%s' (it has no subjectAltName)", leaf->cn);
        return;
    }
    for (guint i = 0; i < leaf->n_dns; i++)
        g_string_append_printf(out, "%s'%s'", i ? ", " : "", leaf->dns[i]);
}

static void
utc_text(gint64 t, char *buf, gsize len)
{
    GDateTime *dt = g_date_time_new_from_unix_utc(t);
    char *s = dt ? g_date_time_format(dt, "%Y-%m-%d %H:%M:%S UTC") : NULL;
    g_strlcpy(buf, s ? s : "(out of range)", len);
    g_free(s);
    if (dt)
        g_date_time_unref(dt);
}

/* "; the client answered certificate_expired (45) in frame 8" */
static void
alert_said(const tlsdiag_end *e, GString *out)
{
    const char *who = e->from_server ? "server" : "client";
    if (e->kind == TLSDIAG_END_ALERT && e->alert_desc >= 0) {
        const char *name = tlsdiag_alert_name(e->alert_desc);
        g_string_append_printf(out, "; the %s answered %s (%d) in frame %u", who, name ? name : "an unknown alert",
                               e->alert_desc, e->frame);
    } else if (e->kind == TLSDIAG_END_ALERT) {
        g_string_append_printf(out, "; the %s sent an encrypted alert in frame %u", who, e->frame);
    } else {
        g_string_append_printf(out, "; the %s closed the connection (%s) in frame %u", who,
                               e->kind == TLSDIAG_END_RST ? "RST" : "FIN", e->frame);
    }
}

/* Walk the chain from the leaf along issuers. Returns the last certificate
 * reached; *missing tells whether its issuer was not sent (and it is not
 * self-signed), *disorder whether a link skipped ahead or back. */
static const tlsdiag_cert *
walk_chain(const tlsdiag_chain *ch, gboolean *missing, gboolean *disorder)
{
    guint at = 0, steps = 0;
    *missing = *disorder = FALSE;
    while (steps++ < ch->n) {
        const tlsdiag_cert *c = &ch->certs[at];
        if (self_signed(c) || !c->issuer)
            return c;
        guint next = ch->n;
        for (guint i = 0; i < ch->n; i++)
            if (i != at && same_name(ch->certs[i].subject, c->issuer))
                next = i;
        if (next == ch->n) {
            *missing = TRUE;
            return c;
        }
        if (next != at + 1)
            *disorder = TRUE;
        at = next;
    }
    return &ch->certs[at];   /* a loop of issuers: stop */
}

/* Alerts a client sends about the server's certificates (handshake_failure
 * from old stacks, access_denied, unreadable ones), as opposed to, say,
 * protocol_version or decode_error. */
static gboolean
cert_alert(int desc)
{
    switch (desc) {
    case -1: case 40: case 42: case 43: case 44: case 45: case 46: case 48: case 49:
        return TRUE;
    default:
        return FALSE;
    }
}

static gboolean
is_alert(const tlsdiag_end *e, int desc)
{
    return e->kind == TLSDIAG_END_ALERT && e->alert_desc == desc;
}

/* "serverAuth, clientAuth" */
static void
purposes(guint8 eku, GString *out)
{
    static const struct { guint8 bit; const char *name; } names[] = {
        { TLSDIAG_EKU_SERVER, "serverAuth" }, { TLSDIAG_EKU_CLIENT, "clientAuth" }, { TLSDIAG_EKU_ANY, "any" },
    };
    for (guint i = 0; i < G_N_ELEMENTS(names); i++)
        if (eku & names[i].bit)
            g_string_append_printf(out, "%s%s", out->len ? ", " : "", names[i].name);
    if (!out->len)
        g_string_append(out, "other uses only (e-mail, code signing, ...)");
}

/* A certificate whose extendedKeyUsage does not allow the role it was sent
 * for (TLSDIAG_EKU_SERVER or _CLIENT). */
static void
judge_purpose(const tlsdiag_cert *c, guint8 role, guint32 frame, const char *said, tlsdiag_draft *v)
{
    if (!(c->eku & TLSDIAG_EKU_PRESENT) || (c->eku & (role | TLSDIAG_EKU_ANY)))
        return;
    GString *s = g_string_new(NULL);
    purposes(c->eku, s);
    tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CERT_WRONG_PURPOSE,
                        "The %s's certificate '%s' (frame %u) allows, in its extendedKeyUsage, %s, not %s%s.",
                        role == TLSDIAG_EKU_SERVER ? "server" : "client", name_of(c), frame, s->str,
                        role == TLSDIAG_EKU_SERVER ? "a TLS server (serverAuth)" : "a TLS client (clientAuth)", said);
    g_string_free(s, TRUE);
}

/* A certificate of the chain out of date at the capture time of its frame. */
static void
judge_dates(const tlsdiag_chain *ch, const char *said, tlsdiag_draft *v)
{
    char when[40], at[40];

    for (guint i = 0; i < ch->n; i++) {
        const tlsdiag_cert *c = &ch->certs[i];
        if (c->has_not_after && c->not_after < ch->ts_s) {
            utc_text(ch->ts_s, at, sizeof at);
            utc_text(c->not_after, when, sizeof when);
            tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CERT_EXPIRED,
                                "The certificate '%s' (number %u in the chain, frame %u) expired on %s, %.1f days "
                                "before this capture (%s)%s.", name_of(c), i + 1, ch->frame, when,
                                (double)(ch->ts_s - c->not_after) / SECONDS_PER_DAY, at, said);
            return;
        }
        if (c->has_not_before && c->not_before > ch->ts_s) {
            utc_text(ch->ts_s, at, sizeof at);
            utc_text(c->not_before, when, sizeof when);
            tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CERT_NOT_YET_VALID,
                                "The certificate '%s' (number %u in the chain, frame %u) is valid only from %s, "
                                "%.1f days after this capture (%s)%s.", name_of(c), i + 1, ch->frame, when,
                                (double)(c->not_before - ch->ts_s) / SECONDS_PER_DAY, at, said);
            return;
        }
    }
}

/* The leaf does not cover the name the client asked for (SNI). */
static gboolean
judge_name(const tlsdiag_facts *conn, const char *said, tlsdiag_draft *v)
{
    const tlsdiag_cert *leaf = &conn->chain->certs[0];

    if (!conn->sni || !leaf->subject || leaf_covers(leaf, conn->sni))
        return FALSE;
    GString *s = g_string_new(NULL);
    leaf_names(leaf, s);
    tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CERT_HOSTNAME_MISMATCH,
                        "The client asked for '%s' (SNI, frame %u); the certificate in frame %u covers %s%s.",
                        conn->sni, conn->hs->client_hello_frame, conn->chain->frame, s->str, said);
    g_string_free(s, TRUE);
    return TRUE;
}

/* No SNI: clients leave it out when they connect by IP address (or by a
 * one-label name such as localhost); a leaf without an IP address in its
 * subjectAltName fails every client that checks the address it used,
 * which answers with a generic certificate alert: bad_certificate (OpenSSL,
 * GnuTLS, Python) or certificate_unknown (Java). TRUE when said. */
static gboolean
judge_name_unsent(const tlsdiag_facts *conn, const tlsdiag_end *e, const char *said, tlsdiag_draft *v)
{
    const tlsdiag_cert *leaf = &conn->chain->certs[0];

    if (conn->sni || (conn->bits & FACT_HELLO_CUT) || !leaf->subject || leaf->n_ip ||
        !(is_alert(e, TLSDIAG_ALERT_BAD_CERTIFICATE) || is_alert(e, 46)))
        return FALSE;
    GString *s = g_string_new(NULL);
    leaf_names(leaf, s);
    tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CERT_HOSTNAME_MISMATCH,
                        "Likely, not certain: the ClientHello in frame %u has no SNI, which clients leave out when they "
                        "connect by IP address (or by a one-label name such as localhost), and the certificate in frame "
                        "%u covers %s and no IP address: a client that checks the address it connected to refuses it%s. "
                        "What decides: the address or name the client used (its log says 'IP address mismatch', 'No "
                        "subject alternative names matching IP address').",
                        conn->hs->client_hello_frame, conn->chain->frame, s->str, said);
    g_string_free(s, TRUE);
    return TRUE;
}

/* A leaf whose issuer was not sent: an intermediate the server must send,
 * or a root the client does not trust. The capture rarely decides; both are
 * named, first the one its other handshakes point to. */
static void
judge_leaf_only(const tlsdiag_facts *conn, const char *said, tlsdiag_draft *v)
{
    const tlsdiag_chain *ch = conn->chain;
    const tlsdiag_cert *leaf = &ch->certs[0];
    gboolean root_first = conn->issuer_seen == TLSDIAG_ISSUER_SEEN_ROOT;
    char seen[160] = "";

    if (conn->issuer_seen)
        g_snprintf(seen, sizeof seen, "; this capture shows '%s' as %s in frame %u", leaf->issuer,
                   root_first ? "a self-signed root" : "an intermediate (issued by another CA)", conn->issuer_seen_frame);
    tlsdiag_verdict_add(v, FALSE, root_first ? TLSDIAG_CAUSE_CERT_UNTRUSTED_ISSUER : TLSDIAG_CAUSE_CERT_CHAIN_INCOMPLETE,
                        "The server sent %u certificate%s (frame %u) and none is the issuer of '%s'%s%s. If '%s' is "
                        "%s.", ch->n, ch->n == 1 ? "" : "s", ch->frame, name_of(leaf), said, seen, leaf->issuer,
                        root_first ? "a root, as it seems, the client does not trust it"
                                   : "an intermediate, the server must also send it");
    tlsdiag_verdict_add(v, FALSE, root_first ? TLSDIAG_CAUSE_CERT_CHAIN_INCOMPLETE : TLSDIAG_CAUSE_CERT_UNTRUSTED_ISSUER,
                        "Or '%s' is %s. What decides: its own certificate (self-signed: a root; else an intermediate "
                        "the server must send); openssl s_client -showcerts against the server shows the chain it sends.",
                        leaf->issuer, root_first ? "an intermediate the server did not send"
                                                 : "itself a root the client does not trust");
}

/* The chain: one self-signed certificate; a leaf whose issuer was not sent;
 * or a complete chain to a root the client does not trust, said with a
 * certificate alert and nothing else wrong. OpenSSL says unknown_ca (48) for
 * an unknown issuer, GnuTLS bad_certificate (42). */
static void
judge_chain(const tlsdiag_facts *conn, const tlsdiag_end *e, const char *said, guint before, gboolean name_unsent,
            tlsdiag_draft *v)
{
    const tlsdiag_chain *ch = conn->chain;
    const tlsdiag_cert *leaf = &ch->certs[0];
    gboolean missing, disorder;
    const tlsdiag_cert *top = walk_chain(ch, &missing, &disorder);

    if (ch->n == 1 && self_signed(leaf)) {
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CERT_SELF_SIGNED,
                            "The server sent one certificate, '%s' (frame %u), issued by itself%s.",
                            name_of(leaf), ch->frame, said);
        return;
    }
    /* A close without a word (a FIN or RST; or, once the handshake is done,
     * core/track.c's unused_close) names the missing issuer only where this
     * capture shows it as an intermediate (as rules_cert_established). */
    if (missing && top == leaf && ch->n_sent == ch->n &&
        ((conn->bits & FACT_CLOSED_UNUSED) || e->kind != TLSDIAG_END_ALERT)) {
        if (v->n_causes == before && conn->issuer_seen == TLSDIAG_ISSUER_SEEN_INTERMEDIATE && !conn->probe_n)
            judge_leaf_only(conn, said, v);
        return;
    }
    /* Only when the client said so: a silent close proves no missing issuer.
     * Nor does a refusal something certain explains (a name, a date),
     * unless its alert names the issuer (unknown_ca): a leaf sent alone is
     * as often one from a private root the client trusts. */
    if (missing && top == leaf && ch->n_sent == ch->n && e->kind == TLSDIAG_END_ALERT) {
        if (v->n_causes == before || is_alert(e, TLSDIAG_ALERT_UNKNOWN_CA))
            judge_leaf_only(conn, said, v);
        return;
    }
    gboolean to_root = self_signed(top) || (missing && top != leaf);
    gboolean untrusted_alert = is_alert(e, TLSDIAG_ALERT_UNKNOWN_CA) || is_alert(e, TLSDIAG_ALERT_BAD_CERTIFICATE) ||
                               is_alert(e, 46);
    if (v->n_causes == before && untrusted_alert && top->issuer && to_root && ch->n_sent == ch->n)
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CERT_UNTRUSTED_ISSUER,
                            "%s chain in frame %u leads to the root '%s'%s, and the certificates are in date%s: the "
                            "client does not trust that root%s.%s", name_unsent ? "Or: the" : "The", ch->frame,
                            top->issuer, self_signed(top) ? " (sent by the server)" : " (not sent, as usual)",
                            conn->sni ? " and cover the name" : "", said,
                            is_alert(e, TLSDIAG_ALERT_BAD_CERTIFICATE)
                                ? " (GnuTLS clients say bad_certificate for an issuer they do not know, where OpenSSL "
                                  "says unknown_ca.)" : "");
}

/* The client refused the server's certificates. */
static gboolean
judge_server_chain(const tlsdiag_facts *conn, const tlsdiag_end *e, tlsdiag_draft *v)
{
    const tlsdiag_chain *ch = conn->chain;
    const tlsdiag_cert *leaf = &ch->certs[0];
    guint before = v->n_causes;
    GString *said = g_string_new(NULL), *s = g_string_new(NULL);

    alert_said(e, said);
    if (conn->bits & FACT_CLOSED_UNUSED)
        g_string_append(said, ", its first word once the handshake was done, before any data of its own: likely "
                              "its refusal of the certificate, as clients that check it only once the handshake is "
                              "done refuse it (Node.js and wget, for every check, with no alert; curl and libpq, PostgreSQL's "
                              "client library, for the name). Not certain: a client that does not check and has "
                              "nothing to send (a health check, openssl s_client) closes so too; the client's log "
                              "tells");
    else if ((conn->bits & FACT_CLIENT_FINISH) || conn->client_flights)
        g_string_append(said, e->alert_desc < 0
                                  ? ", after its own Finished and before the server's: most likely its refusal of the "
                                    "certificate, checked while the handshake went on (as NSS clients, Firefox and "
                                    "Thunderbird among them, do)"
                                  : (conn->bits & FACT_SERVER_FINISH)
                                  ? ", after both Finished messages and before any data: it checked the certificate "
                                    "while the handshake went on (as NSS clients, Firefox and Thunderbird among them, "
                                    "do), and refused the handshake just done"
                                  : ", after its own Finished: it checked the certificate while the handshake went on "
                                    "(as NSS clients, Firefox and Thunderbird among them, do)");

    judge_purpose(leaf, TLSDIAG_EKU_SERVER, ch->frame, said->str, v);
    judge_dates(ch, said->str, v);
    judge_name(conn, said->str, v);
    /* (Said first: the chain's own causes are the alternatives.) */
    const gboolean name_unsent = judge_name_unsent(conn, e, said->str, v);
    judge_chain(conn, e, said->str, before + name_unsent, name_unsent, v);

    /* A certificate alert the certificates do not explain. */
    if (v->n_causes == before && e->kind == TLSDIAG_END_ALERT &&
        (e->alert_desc == 42 || e->alert_desc == 43 || e->alert_desc == 44 || e->alert_desc == 45 ||
         e->alert_desc == 46)) {
        const char *meaning = tlsdiag_alert_meaning(e->alert_desc);
        g_string_assign(s, "");
        if (!conn->sni && !(conn->bits & FACT_HELLO_CUT)) {
            g_string_append(s, " The client sent no SNI, so the name it checked is not on the wire; the certificate covers ");
            leaf_names(leaf, s);
            g_string_append_c(s, '.');
        }
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CERT_REJECTED,
                            "The client rejected the certificate '%s' (frame %u) with %s (%d): %s.%s",
                            name_of(leaf), ch->frame, tlsdiag_alert_name(e->alert_desc), e->alert_desc,
                            meaning ? meaning : "", s->str);
    }
    g_string_free(said, TRUE);
    g_string_free(s, TRUE);
    return v->n_causes > before;
}

/* The server refused to go on after asking for a client certificate. */
static gboolean
judge_client_cert(const tlsdiag_facts *conn, const tlsdiag_end *e, tlsdiag_draft *v)
{
    GString *said = g_string_new(NULL);
    gboolean named = FALSE;

    alert_said(e, said);
    if (conn->bits & FACT_CLIENT_CERT_SENT) {
        tlsdiag_cert client = { .subject = conn->client_cert_subject, .eku = conn->client_cert_eku };
        judge_purpose(&client, TLSDIAG_EKU_CLIENT, conn->client_cert_frame, said->str, v);
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CLIENT_CERT_REJECTED,
                            "The client sent the certificate '%s', issued by '%s' (frame %u)%s.",
                            conn->client_cert_subject ? conn->client_cert_subject : "(not decoded)",
                            conn->client_cert_issuer ? conn->client_cert_issuer : "(not decoded)",
                            conn->client_cert_frame, said->str);
        named = TRUE;
    } else if ((conn->bits & FACT_CLIENT_CERT_EMPTY) &&
               (e->kind != TLSDIAG_END_ALERT || e->alert_desc == 40 || e->alert_desc == 42 ||
                e->alert_desc == TLSDIAG_ALERT_DECODE_ERROR || e->alert_desc == 116 || e->alert_desc < 0)) {
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CLIENT_CERT_REQUIRED,
                            "The server asked for a client certificate; the client's Certificate message (frame %u) "
                            "was empty%s.%s", conn->client_cert_frame, said->str,
                            e->alert_desc == TLSDIAG_ALERT_DECODE_ERROR
                                ? " (GnuTLS servers say decode_error for a certificate they require and did not get.)"
                                : "");
        named = TRUE;
    }
    g_string_free(said, TRUE);
    return named;
}

/* TLS 1.3 without keys: the certificates are encrypted, but the client's
 * alert is often not (OpenSSL 3.0 sends it in plaintext): the cause it names. */
static void
judge_hidden_chain(const tlsdiag_facts *conn, const tlsdiag_end *end, tlsdiag_draft *v)
{
    static const char keys[] = "Read from the alert: in TLS 1.3 the certificates are encrypted; load the key log "
                               "(tls.keylog_file) to see them and confirm.";
    const char *name = tlsdiag_alert_name(end->alert_desc);

    switch (end->alert_desc) {
    case TLSDIAG_ALERT_CERTIFICATE_EXPIRED:
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CERT_EXPIRED,
                            "The client answered the server's certificate with certificate_expired (45) in frame %u: a "
                            "certificate of the chain is out of date (expired, or not yet valid). %s", end->frame, keys);
        break;
    case TLSDIAG_ALERT_UNKNOWN_CA:
        /* OpenSSL says unknown_ca for an untrusted root, a missing intermediate and a self-signed leaf alike. */
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CERT_UNTRUSTED_ISSUER,
                            "The client answered unknown_ca (48) in frame %u: the chain does not lead to a root it "
                            "trusts. %s", end->frame, keys);
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CERT_CHAIN_INCOMPLETE,
                            "Or, as likely, the server did not send an intermediate certificate (clients say unknown_ca "
                            "for both, and for a self-signed certificate); the key log shows which.");
        break;
    default:
        /* (The generic alerts are also what a client that connected by IP
         * address says of a certificate without that address: judge_name_unsent.) */
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CERT_REJECTED,
                            "The client rejected the server's certificate with %s (%d) in frame %u: %s.%s %s",
                            name ? name : "an alert", end->alert_desc, end->frame,
                            tlsdiag_alert_meaning(end->alert_desc),
                            !conn->sni && !(conn->bits & FACT_HELLO_CUT) && (end->alert_desc == 42 || end->alert_desc == 46)
                                ? " The ClientHello has no SNI: a client that connected by IP address says this too "
                                  "when the certificate does not list that address (its log: 'IP address mismatch')."
                                : "",
                            keys);
        break;
    }
}

/* TLS 1.2: a client that checks the server's certificate while the
 * handshake goes on (NSS's, in Firefox and Thunderbird) sends its Finished
 * first, then its refusal: a certificate alert (read with keys, also after
 * the server's Finished: core/track.c's refused_once_done), or, without
 * keys, an encrypted alert before the server's Finished (the server's first
 * flight is all it had to object to; after it, one of close_notify's size
 * may be either). */
static gboolean
refused_after_finished(const tlsdiag_facts *conn, const tlsdiag_end *end)
{
    if (end->kind != TLSDIAG_END_ALERT || end->alert_level == 1 || !conn->sh_version ||
        conn->sh_version > TLSDIAG_TLS12)
        return FALSE;
    if (end->alert_desc < 0)
        return !(conn->bits & FACT_SERVER_FINISH);
    return end->alert_desc != 40 && end->alert_desc != 49 && cert_alert(end->alert_desc);
}

gboolean
rules_certs(const judge_ctx *j)
{
    const tlsdiag_facts *conn = j->facts;
    const tlsdiag_end *end = j->end;
    tlsdiag_draft *v = j->v;

    if (end->kind == TLSDIAG_END_NOT_TLS)
        return FALSE;
    if (end->from_server)
        return (conn->bits & FACT_CERT_REQUEST) && (conn->bits & (FACT_CLIENT_CERT_SENT | FACT_CLIENT_CERT_EMPTY)) &&
               judge_client_cert(conn, end, v);
    if (((conn->bits & FACT_CLIENT_FINISH) || conn->client_flights) && !refused_after_finished(conn, end) &&
        !(conn->bits & FACT_CLOSED_UNUSED))
        return FALSE;
    /* TLS 1.3 without keys: a certificate alert about certificates we cannot see. */
    if ((!conn->chain || !conn->chain->n) && conn->sh_version >= TLSDIAG_TLS13 && end->kind == TLSDIAG_END_ALERT &&
        end->alert_desc >= 42 && end->alert_desc <= 48 && end->alert_desc != 47) {
        judge_hidden_chain(conn, end, v);
        return TRUE;
    }
    /* The client ended it after seeing the chain and before its Finished. */
    if (!conn->chain || !conn->chain->n)
        return FALSE;
    if (end->kind == TLSDIAG_END_ALERT && (end->alert_level == 1 || !cert_alert(end->alert_desc)) &&
        !(conn->bits & FACT_CLOSED_UNUSED))
        return FALSE;
    return judge_server_chain(conn, end, v);
}

void
rules_cert_warnings(const tlsdiag_facts *conn, tlsdiag_draft *v)
{
    const tlsdiag_chain *ch = conn->chain;
    gboolean missing, disorder;

    if (!ch || !ch->n)
        return;
    for (guint i = 0; i < ch->n; i++) {
        const tlsdiag_cert *c = &ch->certs[i];
        /* A root's self-signature is never checked: it does not weaken it. */
        gboolean weak_sig = c->sig != TLSDIAG_SIG_OK && !self_signed(c);
        gboolean weak_key = c->rsa_bits && c->rsa_bits < 2048;
        if (!weak_sig && !weak_key)
            continue;
        GString *what = g_string_new(NULL);
        if (weak_sig)
            g_string_append_printf(what, " is signed with %s", c->sig == TLSDIAG_SIG_SHA1 ? "SHA-1" : "MD5");
        if (weak_key)
            g_string_append_printf(what, "%s has a %u-bit RSA key", weak_sig ? " and" : "", c->rsa_bits);
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CERT_WEAK, "The certificate '%s' (number %u in the chain, frame %u)%s.",
                            name_of(c), i + 1, ch->frame, what->str);
        g_string_free(what, TRUE);
        break;
    }
    walk_chain(ch, &missing, &disorder);
    if (disorder)
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CERT_CHAIN_OUT_OF_ORDER,
                            "The server sent %u certificates (frame %u) with '%s' first, but they are not in "
                            "issuing order (each one followed by its issuer).", ch->n, ch->frame,
                            name_of(&ch->certs[0]));
}

void
rules_cert_established(const tlsdiag_facts *conn, tlsdiag_draft *v)
{
    /* (Settled at the server's Finished: what the client does next is not
     * known yet.) */
    static const char said[] = "; the handshake completed all the same (the client does not check, was told to ignore "
                               "it, or refuses only once the handshake is done, as Node.js and wget do and NSS clients "
                               "such as Firefox may: then its alert or its close comes before any data)";
    static const char said_name[] = "; the handshake completed all the same (the client does not check, was told to "
                                    "ignore it, or refuses only once the handshake is done, as Node.js and wget do, curl "
                                    "and libpq for the name, and NSS clients such as Firefox may: then its alert or "
                                    "its close comes before any data)";
    const tlsdiag_chain *ch = conn->chain;
    const guint before = v->n_causes;

    if (!ch || !ch->n)
        return;
    const tlsdiag_cert *leaf = &ch->certs[0];
    judge_purpose(leaf, TLSDIAG_EKU_SERVER, ch->frame, said, v);
    judge_dates(ch, said, v);
    const gboolean name = judge_name(conn, said_name, v);
    if (ch->n == 1 && self_signed(leaf))
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CERT_SELF_SIGNED,
                            "The server sent one certificate, '%s' (frame %u), issued by itself%s.",
                            name_of(leaf), ch->frame, said);
    /* A leaf-only chain is fine when its issuer is a root the client has;
     * it is incomplete when the capture shows that issuer as an intermediate. */
    gboolean missing, disorder;
    const tlsdiag_cert *top = walk_chain(ch, &missing, &disorder);
    if (missing && top == leaf && conn->issuer_seen == TLSDIAG_ISSUER_SEEN_INTERMEDIATE)
        tlsdiag_verdict_add(v, FALSE, TLSDIAG_CAUSE_CERT_CHAIN_INCOMPLETE,
                            "The server sent only '%s' (frame %u), without its issuer '%s', which this capture shows "
                            "as an intermediate in frame %u: this client had it (cached or fetched), clients "
                            "without it fail.", name_of(leaf), ch->frame, leaf->issuer, conn->issuer_seen_frame);
    /* Each of these a checking client refuses; Node.js and wget check all once
     * the handshake is done and close without a word, curl and libpq the
     * name and send close_notify: the refusal is a close before any data
     * (core/track.c's unused_close). Not watched: a scanner's probes, which
     * close so, and a client that names no host or an address (sslscan), as
     * health checks and scanners do. */
    if (v->n_causes > before && !conn->probe_n && conn->sni && !g_hostname_is_ip_address(conn->sni))
        v->watch |= name ? TLSDIAG_WATCH_UNUSED_CLOSE : TLSDIAG_WATCH_SILENT_CLOSE;
}
