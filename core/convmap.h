/* core/convmap.h — conversation id -> pointer, for the connections the
 * tracker follows (looked up on every packet). Open addressing in one
 * array of (id, pointer) slots: a lookup reads one slot, where GHashTable
 * reads its hash, key and value arrays apart. The table grows with the
 * connections open at once and never shrinks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_CONVMAP_H
#define TLSDIAG_CONVMAP_H

#include <glib.h>

typedef struct tlsdiag_convmap_slot tlsdiag_convmap_slot;

typedef struct {
    tlsdiag_convmap_slot *slots;
    guint32 mask;     /* slots - 1 (slots: a power of two; NULL: none yet) */
    guint32 n;        /* ids held */
} tlsdiag_convmap;

#define TLSDIAG_CONVMAP_INIT { NULL, 0, 0 }

/* Empty m, freeing each value with free_value (may be NULL). */
void tlsdiag_convmap_clear(tlsdiag_convmap *m, GDestroyNotify free_value);
/* The value of id, NULL: none. */
gpointer tlsdiag_convmap_get(const tlsdiag_convmap *m, guint32 id);
/* Set id's value (not NULL), replacing any. */
void tlsdiag_convmap_put(tlsdiag_convmap *m, guint32 id, gpointer value);
/* Remove id; returns its value, NULL: it had none. */
gpointer tlsdiag_convmap_take(tlsdiag_convmap *m, guint32 id);
/* Call fn(value, data) for each value, in no order; fn must not change m. */
void tlsdiag_convmap_foreach(const tlsdiag_convmap *m, GFunc fn, gpointer data);

#endif
