/* core/verdict.c — a verdict: causes, most specific first, each with this
 * capture's evidence. Its causes come from the judge; the core only keeps it.
 *
 * Evidence is kept as its format and arguments and written out only when
 * shown: a capture keeps a verdict per handshake that has something to say
 * (every resumed session has a note), and the sentences are mostly the same
 * prose around a few frame numbers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/core.h"

#include <string.h>

struct tlsdiag_words {
    const char *fmt;    /* a string literal of the rules; NULL: data holds the sentence written out */
    char        data[]; /* the arguments, in the order of fmt's conversions: numbers as 8 bytes,
                           a string as a byte (0: NULL, 1: present) and its bytes up to the NUL */
};

typedef enum { ARG_NONE, ARG_INT, ARG_UINT, ARG_DOUBLE, ARG_STRING, ARG_UNKNOWN } arg_kind;

/* The conversion at *p (a '%'): what it takes, and where the text after it
 * begins. Only what the rules use is kept as arguments (flags, width and
 * precision as digits, no length modifiers); anything else is ARG_UNKNOWN. */
#define SPEC_MAX 16
static arg_kind
spec_parse(const char *p, const char **end)
{
    const char *s = p + 1;

    while (*s && strchr("-+ #0", *s))
        s++;
    while (g_ascii_isdigit(*s))
        s++;
    if (*s == '.')
        for (s++; g_ascii_isdigit(*s); s++)
            ;
    if (!*s || s + 1 - p > SPEC_MAX) {
        *end = *s ? s + 1 : s;
        return ARG_UNKNOWN;
    }
    *end = s + 1;
    switch (*s) {
    case '%':                                       return s == p + 1 ? ARG_NONE : ARG_UNKNOWN;
    case 'd': case 'i': case 'c':                   return ARG_INT;
    case 'u': case 'x': case 'X': case 'o':         return ARG_UINT;
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': return ARG_DOUBLE;
    case 's':                                       return ARG_STRING;
    default:                                        return ARG_UNKNOWN;
    }
}

#define ARGS_MAX 512

static tlsdiag_words *
words_new(const char *fmt, va_list ap)
{
    guint8 args[ARGS_MAX];
    gsize n = 0;
    const char *p = fmt, *end;
    tlsdiag_words *w;
    va_list aq;

    va_copy(aq, ap);
    while ((p = strchr(p, '%'))) {
        const arg_kind kind = spec_parse(p, &end);
        p = end;
        if (kind == ARG_UNKNOWN || n + 8 > sizeof args)
            goto written;
        if (kind == ARG_INT) {
            gint64 v = va_arg(aq, int);
            memcpy(args + n, &v, 8);
            n += 8;
        } else if (kind == ARG_UINT) {
            guint64 v = va_arg(aq, unsigned int);
            memcpy(args + n, &v, 8);
            n += 8;
        } else if (kind == ARG_DOUBLE) {
            double v = va_arg(aq, double);
            memcpy(args + n, &v, 8);
            n += 8;
        } else if (kind == ARG_STRING) {
            const char *v = va_arg(aq, const char *);
            const gsize len = v ? strlen(v) + 1 : 0;
            if (n + 1 + len > sizeof args)
                goto written;
            args[n++] = v != NULL;
            memcpy(args + n, v ? v : "", len);
            n += len;
        }
    }
    va_end(aq);
    w = g_malloc(sizeof *w + n);
    w->fmt = fmt;
    memcpy(w->data, args, n);
    return w;

written: {
        /* Beyond what is kept as arguments: the sentence itself. */
        char *text = g_strdup_vprintf(fmt, ap);
        const gsize len = strlen(text) + 1;
        va_end(aq);
        w = g_malloc(sizeof *w + len);
        w->fmt = NULL;
        memcpy(w->data, text, len);
        g_free(text);
        return w;
    }
}

static void
words_append(const tlsdiag_words *w, GString *out)
{
    const char *p = w->fmt, *q, *end;
    const char *a = w->data;
    char spec[SPEC_MAX + 1];

    if (!p) {
        g_string_append(out, w->data);
        return;
    }
    while ((q = strchr(p, '%'))) {
        const arg_kind kind = spec_parse(q, &end);
        gint64 i;
        guint64 u;
        double d;

        g_string_append_len(out, p, q - p);
        memcpy(spec, q, (gsize)(end - q));
        spec[end - q] = '\0';
        p = end;
        switch (kind) {
        case ARG_NONE:
            g_string_append_c(out, '%');
            break;
        case ARG_INT:
            memcpy(&i, a, 8);
            a += 8;
            g_string_append_printf(out, spec, (int)i);
            break;
        case ARG_UINT:
            memcpy(&u, a, 8);
            a += 8;
            g_string_append_printf(out, spec, (unsigned int)u);
            break;
        case ARG_DOUBLE:
            memcpy(&d, a, 8);
            a += 8;
            g_string_append_printf(out, spec, d);
            break;
        case ARG_STRING:
            if (*a++) {
                g_string_append_printf(out, spec, a);
                a += strlen(a) + 1;
            } else {
                g_string_append_printf(out, spec, (const char *)NULL);
            }
            break;
        case ARG_UNKNOWN:   /* words_new() wrote such a sentence out */
            break;
        }
    }
    g_string_append(out, p);
}

/* A cause is kept in a byte. */
G_STATIC_ASSERT(TLSDIAG_CAUSE_COUNT <= 256);

static void
verdict_addv(tlsdiag_verdict *v, gboolean first, tlsdiag_cause cause, const char *fmt, va_list ap)
{
    for (guint i = 0; i < v->n_causes; i++)
        if (v->causes[i] == cause)
            return;
    if (v->n_causes >= TLSDIAG_MAX_CAUSES) {
        if (!first)
            return;
        g_free(v->evidence[--v->n_causes]);
    }
    guint at = first ? 0 : v->n_causes;
    memmove(&v->causes[at + 1], &v->causes[at], (v->n_causes - at) * sizeof v->causes[0]);
    memmove(&v->evidence[at + 1], &v->evidence[at], (v->n_causes - at) * sizeof v->evidence[0]);
    v->causes[at] = (guint8)cause;
    v->evidence[at] = words_new(fmt, ap);
    v->n_causes++;
}

void
tlsdiag_verdict_add(tlsdiag_verdict *v, gboolean first, tlsdiag_cause cause, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verdict_addv(v, first, cause, fmt, ap);
    va_end(ap);
}

char *
tlsdiag_verdict_evidence(const tlsdiag_verdict *v, guint i)
{
    GString *s = g_string_new(NULL);
    if (i < v->n_causes)
        words_append(v->evidence[i], s);
    return g_string_free(s, FALSE);
}

char *
tlsdiag_verdict_text(GString *s)
{
    char *text = s->len ? g_strndup(s->str, s->len) : NULL;
    g_string_free(s, TRUE);
    return text;
}

void
tlsdiag_verdict_free(tlsdiag_verdict *v)
{
    if (!v)
        return;
    for (guint i = 0; i < v->n_causes; i++)
        g_free(v->evidence[i]);
    g_free(v->summary);
    g_free(v->brief);
    g_free(v->sender_reasons);
    g_free(v);
}
