/* core/verdict.c — a verdict: causes, most specific first, each with this
 * capture's evidence. Its causes come from the judge; the core only keeps it.
 *
 * Evidence is kept as its format and arguments and written out only when
 * shown: a capture keeps a verdict per handshake that has something to say
 * (every resumed session has a note), and the sentences are mostly the same
 * prose around a few frame numbers. For the same reason a verdict is kept
 * sealed, in one allocation with its sentences.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/core.h"

#include <stddef.h>
#include <string.h>

/* A phrase ("words"): the format's address (a string literal of the rules),
 * then the arguments, in the order of its conversions: numbers as 4 bytes
 * (8 for a double), a string as a byte (0: NULL, 1: present) and its bytes
 * up to the NUL. A NULL format: the sentence written out follows instead.
 * Evidence and the sender's reasons are phrases one after the other. */
#define WORDS_FMT sizeof(const char *)
#define WORDS_TEXT_MAX 8192

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

/* Append the words of fmt and its arguments to out. */
static void
words_put(GString *out, const char *fmt, va_list ap)
{
    guint8 args[ARGS_MAX];
    gsize n = 0;
    const char *p = fmt, *end;
    va_list aq;

    va_copy(aq, ap);
    while ((p = strchr(p, '%'))) {
        const arg_kind kind = spec_parse(p, &end);
        p = end;
        if (kind == ARG_UNKNOWN || n + 8 > sizeof args)
            goto written;
        if (kind == ARG_INT) {
            gint32 v = va_arg(aq, int);
            memcpy(args + n, &v, 4);
            n += 4;
        } else if (kind == ARG_UINT) {
            guint32 v = va_arg(aq, unsigned int);
            memcpy(args + n, &v, 4);
            n += 4;
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
    g_string_append_len(out, (const char *)&fmt, WORDS_FMT);
    g_string_append_len(out, (const char *)args, (gssize)n);
    return;

written: {
        /* Beyond what is kept as arguments: the sentence itself. */
        const char *none = NULL;
        char *text = g_strdup_vprintf(fmt, ap);
        gsize len = strlen(text);
        va_end(aq);
        /* A sealed verdict's parts end within 64 KiB: cut a sentence that
         * long (no rule writes one) at a character's start. */
        if (len > WORDS_TEXT_MAX)
            for (len = WORDS_TEXT_MAX; len && (text[len] & 0xc0) == 0x80; len--)
                ;
        g_string_append_len(out, (const char *)&none, WORDS_FMT);
        g_string_append_len(out, text, (gssize)len);
        g_string_append_c(out, '\0');
        g_free(text);
    }
}

/* Write out the words at w; returns where the next words begin. */
static const char *
words_append(const char *w, GString *out)
{
    const char *p, *q, *end;
    const char *a = w + WORDS_FMT;
    char spec[SPEC_MAX + 1];

    memcpy(&p, w, WORDS_FMT);
    if (!p) {
        g_string_append(out, a);
        return a + strlen(a) + 1;
    }
    while ((q = strchr(p, '%'))) {
        const arg_kind kind = spec_parse(q, &end);
        gint32 i;
        guint32 u;
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
            memcpy(&i, a, 4);
            a += 4;
            g_string_append_printf(out, spec, (int)i);
            break;
        case ARG_UINT:
            memcpy(&u, a, 4);
            a += 4;
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
        case ARG_UNKNOWN:   /* words_put() wrote such a sentence out */
            break;
        }
    }
    g_string_append(out, p);
    return a;
}

/* Phrases (words one after the other) written out, NULL: none. */
static char *
phrases_text(const char *p, gsize len)
{
    const char *end = p + len;
    GString *s;

    if (!len)
        return NULL;
    s = g_string_new(NULL);
    while (p < end)
        p = words_append(p, s);
    return g_string_free(s, FALSE);
}

void
tlsdiag_phrase(GString *phrases, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    words_put(phrases, fmt, ap);
    va_end(ap);
}

/* A cause is kept in a byte. */
G_STATIC_ASSERT(TLSDIAG_CAUSE_COUNT <= 256);

/* Insert cause with its evidence (taken) as tlsdiag_verdict_add() says. */
static void
verdict_insert(tlsdiag_draft *d, gboolean first, tlsdiag_cause cause, GString *evidence)
{
    for (guint i = 0; i < d->n_causes; i++)
        if (d->causes[i] == cause) {
            g_string_free(evidence, TRUE);
            return;
        }
    if (d->n_causes >= TLSDIAG_MAX_CAUSES) {
        if (!first) {
            g_string_free(evidence, TRUE);
            return;
        }
        g_string_free(d->evidence[--d->n_causes], TRUE);
    }
    guint at = first ? 0 : d->n_causes;
    const guint move = d->n_causes - at;
    memmove(&d->causes[at + 1], &d->causes[at], move * sizeof d->causes[0]);
    memmove(&d->evidence[at + 1], &d->evidence[at], move * sizeof d->evidence[0]);
    d->causes[at] = (guint8)cause;
    d->evidence[at] = evidence;
    d->n_causes++;
}

void
tlsdiag_verdict_add(tlsdiag_draft *d, gboolean first, tlsdiag_cause cause, const char *fmt, ...)
{
    GString *evidence = g_string_new(NULL);
    va_list ap;
    va_start(ap, fmt);
    words_put(evidence, fmt, ap);
    va_end(ap);
    verdict_insert(d, first, cause, evidence);
}

void
tlsdiag_verdict_add_phrases(tlsdiag_draft *d, gboolean first, tlsdiag_cause cause, const GString *evidence)
{
    verdict_insert(d, first, cause, g_string_new_len(evidence->str, (gssize)evidence->len));
}

void
tlsdiag_verdict_drop(tlsdiag_draft *d, tlsdiag_cause cause)
{
    for (guint i = 0; i < d->n_causes; i++)
        if (d->causes[i] == cause) {
            g_string_free(d->evidence[i], TRUE);
            const guint move = d->n_causes - i - 1u;
            memmove(&d->causes[i], &d->causes[i + 1], move * sizeof d->causes[0]);
            memmove(&d->evidence[i], &d->evidence[i + 1], move * sizeof d->evidence[0]);
            d->n_causes--;
            return;
        }
}

char *
tlsdiag_verdict_text(GString *s)
{
    char *text = s->len ? g_strndup(s->str, s->len) : NULL;
    g_string_free(s, TRUE);
    return text;
}

static void
phrases_free(GString *p)
{
    if (p)
        g_string_free(p, TRUE);
}

void
tlsdiag_draft_free(tlsdiag_draft *d)
{
    if (!d)
        return;
    for (guint i = 0; i < d->n_causes; i++)
        phrases_free(d->evidence[i]);
    g_free(d->summary);
    g_free(d->brief);
    phrases_free(d->sender_reasons);
    g_free(d);
}

/* A sealed verdict: its header, its n_causes causes, then where each part
 * ends (16-bit, from the verdict's start, unaligned), then the parts: each
 * cause's evidence (phrases), then the sentences it has (v->texts: a bit
 * per TEXT_*), in that order. A resumed session's note is 22 bytes. */
enum { TEXT_SUMMARY, TEXT_BRIEF, TEXT_REASONS, N_TEXTS };
#define PARTS_MAX (TLSDIAG_MAX_CAUSES + N_TEXTS)

static guint
n_parts(const tlsdiag_verdict *v)
{
    return v->n_causes + (guint)__builtin_popcount(v->texts);
}

/* Part k of v and its length (0: none). */
static const char *
part_of(const tlsdiag_verdict *v, guint k, gsize *len)
{
    const guint8 *ends = v->causes + v->n_causes;
    guint16 start, end;

    if (k)
        memcpy(&start, ends + 2 * (k - 1), 2);
    else
        start = (guint16)(ends + 2 * n_parts(v) - (const guint8 *)v);
    memcpy(&end, ends + 2 * k, 2);
    *len = end - start;
    return (const char *)v + start;
}

/* Sentence t of v and its length (0: none). */
static const char *
text_part(const tlsdiag_verdict *v, guint t, gsize *len)
{
    *len = 0;
    if (!v || !(v->texts & (1u << t)))
        return NULL;
    return part_of(v, v->n_causes + (guint)__builtin_popcount(v->texts & ((1u << t) - 1)), len);
}

tlsdiag_verdict *
tlsdiag_verdict_seal(tlsdiag_draft *d)
{
    const char *part[PARTS_MAX];
    gsize len[PARTS_MAX], size;
    guint16 end[PARTS_MAX];
    guint n = 0, texts = 0;
    tlsdiag_verdict *v;

    for (guint i = 0; i < d->n_causes; i++, n++) {
        part[n] = d->evidence[i]->str;
        len[n] = d->evidence[i]->len;
    }
    const char *text[N_TEXTS] = { d->summary, d->brief, d->sender_reasons ? d->sender_reasons->str : NULL };
    const gsize text_len[N_TEXTS] = { d->summary ? strlen(d->summary) + 1 : 0, d->brief ? strlen(d->brief) + 1 : 0,
                                      d->sender_reasons ? d->sender_reasons->len : 0 };
    for (guint t = 0; t < N_TEXTS; t++)
        if (text_len[t]) {
            texts |= 1u << t;
            part[n] = text[t];
            len[n++] = text_len[t];
        }
    size = offsetof(tlsdiag_verdict, causes) + d->n_causes + 2 * n;
    /* Ends are 16-bit: a part that would not fit is left out (only absurd
     * input, as thousands of names in one certificate, writes that much). */
    for (guint k = 0; k < n; k++) {
        if (size + len[k] > G_MAXUINT16)
            len[k] = 0;
        size += len[k];
        end[k] = (guint16)size;
    }
    v = g_malloc(size);
    v->n_causes = d->n_causes;
    v->sender = d->sender;
    v->texts = (guint8)texts;
    memcpy(v->causes, d->causes, d->n_causes);
    memcpy(v->causes + d->n_causes, end, 2 * n);
    for (guint k = 0; k < n; k++)
        if (len[k])
            memcpy((char *)v + end[k] - len[k], part[k], len[k]);
    tlsdiag_draft_free(d);
    return v;
}

static const char *
text_of(const tlsdiag_verdict *v, guint t)
{
    gsize len;
    const char *s = text_part(v, t, &len);
    return len ? s : NULL;
}

static GString *
phrases_of(const char *p, gsize len)
{
    return len ? g_string_new_len(p, (gssize)len) : NULL;
}

tlsdiag_draft *
tlsdiag_verdict_reopen(const tlsdiag_verdict *v)
{
    tlsdiag_draft *d = g_new0(tlsdiag_draft, 1);
    gsize len;
    const char *p;

    d->sender = v->sender;
    d->n_causes = v->n_causes;
    memcpy(d->causes, v->causes, v->n_causes);
    for (guint i = 0; i < v->n_causes; i++) {
        p = part_of(v, i, &len);
        /* (Evidence is never left out when sealed: four causes' take at
         * most 33 KiB. Were it, the cause would stay, without.) */
        d->evidence[i] = len ? phrases_of(p, len) : g_string_new(NULL);
    }
    d->summary = g_strdup(text_of(v, TEXT_SUMMARY));
    d->brief = g_strdup(text_of(v, TEXT_BRIEF));
    p = text_part(v, TEXT_REASONS, &len);
    d->sender_reasons = phrases_of(p, len);
    return d;
}

void
tlsdiag_verdict_replace(tlsdiag_verdict **slot, tlsdiag_draft *d)
{
    if (!d)
        return;
    tlsdiag_verdict_free(*slot);
    *slot = tlsdiag_verdict_seal(d);
}

void
tlsdiag_verdict_free(tlsdiag_verdict *v)
{
    g_free(v);
}

char *
tlsdiag_verdict_evidence(const tlsdiag_verdict *v, guint i)
{
    gsize len = 0;
    const char *p = i < v->n_causes ? part_of(v, i, &len) : NULL;
    char *text = phrases_text(p, len);
    return text ? text : g_strdup("");
}

const char *
tlsdiag_verdict_summary(const tlsdiag_verdict *v)
{
    return text_of(v, TEXT_SUMMARY);
}

const char *
tlsdiag_verdict_brief(const tlsdiag_verdict *v)
{
    return text_of(v, TEXT_BRIEF);
}

char *
tlsdiag_verdict_reasons(const tlsdiag_verdict *v)
{
    gsize len;
    const char *p = text_part(v, TEXT_REASONS, &len);
    return phrases_text(p, len);
}
