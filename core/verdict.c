/* core/verdict.c — a verdict: causes, most specific first, each with this
 * capture's evidence. Its causes come from the judge; the core only keeps it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/core.h"

#include <string.h>

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
    v->causes[at] = cause;
    v->evidence[at] = g_strdup_vprintf(fmt, ap);
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
