/* causes/words.c — the phrases every rule uses: versions offered, suites,
 * groups, alerts, delays ("right after" only when it was).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "causes/rules.h"

const char *
words_side(gboolean from_server)
{
    return from_server ? "server" : "client";
}

const char *
words_version(guint16 v, char *buf)
{
    return tlsdiag_version_name(v, buf, TLSDIAG_VERSION_NAME_LEN);
}

/* A version of the facts (normalized): named as DTLS's in a DTLS handshake. */
const char *
words_version_of(const tlsdiag_facts *c, guint16 v, char *buf)
{
    return words_version((c->bits & FACT_DTLS) ? tlsdiag_version_dtls(v) : v, buf);
}

/* "TLS 1.0 only", "TLS 1.2 to TLS 1.3", "up to TLS 1.2" */
void
words_offered(const tlsdiag_facts *c, GString *out)
{
    char a[TLSDIAG_VERSION_NAME_LEN], b[TLSDIAG_VERSION_NAME_LEN];
    if (!c->offered_min)
        g_string_append_printf(out, "up to %s", words_version_of(c, c->offered_max, a));
    else if (c->offered_min == c->offered_max)
        g_string_append_printf(out, "%s only", words_version_of(c, c->offered_max, a));
    else
        g_string_append_printf(out, "%s to %s", words_version_of(c, c->offered_min, a), words_version_of(c, c->offered_max, b));
}

void
words_suites(const tlsdiag_facts *c, GString *out)
{
    for (guint i = 0; i < c->n_suites; i++) {
        const char *name = tlsdiag_suite_name(c->suites[i]);
        if (i)
            g_string_append(out, ", ");
        if (name)
            g_string_append(out, name);
        else
            g_string_append_printf(out, "0x%04x", c->suites[i]);
    }
    guint more = (guint)c->n_suites_total - c->n_suites - c->n_ssl2_specs;
    if (more)
        g_string_append_printf(out, " and %u more", more);
    if (c->n_ssl2_specs)
        g_string_append_printf(out, "%s%u SSL 2.0 cipher spec%s", c->n_suites ? ", " : "", c->n_ssl2_specs,
                               c->n_ssl2_specs == 1 ? "" : "s");
}

void
words_groups(const tlsdiag_facts *c, GString *out)
{
    for (guint i = 0; i < c->n_groups; i++) {
        const char *name = tlsdiag_group_name(c->groups[i]);
        if (i)
            g_string_append(out, ", ");
        if (name)
            g_string_append(out, name);
        else
            g_string_append_printf(out, "0x%04x", c->groups[i]);
    }
    if (!c->n_groups)
        g_string_append(out, "none listed");
}

/* "fatal alert handshake_failure (40)" */
void
words_alert(const tlsdiag_end *e, GString *out)
{
    const char *name = tlsdiag_alert_name(e->alert_desc);
    if (e->alert_desc < 0) {
        g_string_append(out, "encrypted alert");
        return;
    }
    g_string_append_printf(out, "%salert %s (%d)", e->alert_level == 2 ? "fatal " : e->alert_level == 1 ? "warning " : "",
                           name ? name : "unknown", e->alert_desc);
}

void
words_an_alert(const tlsdiag_end *e, GString *out)
{
    if (e->alert_desc < 0)
        g_string_append(out, "an ");
    words_alert(e, out);
}

double
words_ms_since_hello(const tlsdiag_facts *c, const tlsdiag_end *e)
{
    return (double)(e->ts_ns - c->hello_ts_ns) / 1e6;
}

const char *
words_since_hello(const tlsdiag_facts *c, const tlsdiag_end *e, char *buf)
{
    double ms = words_ms_since_hello(c, e);
    g_snprintf(buf, TLSDIAG_MS_LEN, ms <= 0 || ms >= 0.1 ? "%.1f ms" : ms >= 0.01 ? "%.2f ms" : "%.3f ms", ms);
    return buf;
}

/* "right after the ClientHello (0.4 ms later)" only when it was: under a
 * second; otherwise the delay itself. */
const char *
words_when(const tlsdiag_facts *c, const tlsdiag_end *e, char *buf, gsize len)
{
    double ms = words_ms_since_hello(c, e);
    char delay[TLSDIAG_MS_LEN];
    if (ms < 1000.0)
        g_snprintf(buf, (gulong)len, "right after the ClientHello (%s later)", words_since_hello(c, e, delay));
    else
        g_snprintf(buf, (gulong)len, "%.1f s after the ClientHello", ms / 1000.0);
    return buf;
}

/* The printable start of a non-TLS answer, e.g. "HTTP/1.1 400 Bad Request". */
void
words_head(const tlsdiag_end *e, GString *out)
{
    guint n = 0;
    while (e->head && n < e->head_len && n < 40 && e->head[n] >= 0x20 && e->head[n] < 0x7f)
        n++;
    if (n >= 4)
        g_string_append_printf(out, ", starting \"%.*s\"", (int)n, (const char *)e->head);
}

void
words_server_answer(const tlsdiag_facts *c, GString *out)
{
    if (c->bits & FACT_SERVER_HELLO)
        g_string_append_printf(out, "ServerHello in frame %u", c->sh_frame);
    else
        g_string_append_printf(out, "the server's answer from frame %u, which %s", c->first_server_payload_frame,
                               (c->cut.sides & TLSDIAG_CUT_SERVER) ? "the capture cut short (its snap length)"
                                                                    : "Wireshark could not read as TLS");
}

const char *
words_no_alert(const tlsdiag_facts *c, const tlsdiag_end *e, const char *none, char *buf)
{
    if (!c->sized_alert_frame || c->sized_alert_from_server != e->from_server || c->sized_alert_frame > e->frame)
        return none;
    g_snprintf(buf, TLSDIAG_NO_ALERT_LEN,
               "with a record of a TLS 1.3 alert's size before it (frame %u: likely an encrypted alert, which "
               "Wireshark shows as application data)", c->sized_alert_frame);
    return buf;
}

const char *
words_close(const tlsdiag_end *e, char *buf, gsize len)
{
    static const char *const transport[] = {
        [0x0] = "NO_ERROR", [0x1] = "INTERNAL_ERROR", [0x2] = "CONNECTION_REFUSED", [0xa] = "PROTOCOL_VIOLATION",
        [0xc] = "APPLICATION_ERROR",
    };
    char code[48];

    if (!e->quic_close) {
        g_strlcpy(buf, e->kind == TLSDIAG_END_RST ? "a TCP reset (RST)" : "a TCP FIN", len);
        return buf;
    }
    if (e->close_app)
        g_snprintf(code, sizeof code, "application error 0x%" G_GINT64_MODIFIER "x", e->close_code);
    else if (e->close_code < G_N_ELEMENTS(transport) && transport[e->close_code])
        g_strlcpy(code, transport[e->close_code], sizeof code);
    else
        g_snprintf(code, sizeof code, "error 0x%" G_GINT64_MODIFIER "x", e->close_code);
    g_snprintf(buf, (gulong)len, "a QUIC CONNECTION_CLOSE (%s%s%s%s) instead of a TLS alert", code,
               e->close_reason && *e->close_reason ? ", \"" : "", e->close_reason ? e->close_reason : "",
               e->close_reason && *e->close_reason ? "\"" : "");
    return buf;
}
