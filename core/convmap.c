/* core/convmap.c — conversation id -> pointer (core/convmap.h): linear
 * probing, at most half full, removal by moving later slots of the run
 * back (no tombstones, so a run never outlives its ids).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/convmap.h"

struct tlsdiag_convmap_slot {
    guint32  id;
    gpointer value;   /* NULL: the slot is free */
};

#define MIN_SLOTS 64

/* Ids are dense from 0 in each space: a multiplicative hash spreads
 * neighbours over the table. */
static guint32
home(const tlsdiag_convmap *m, guint32 id)
{
    const guint32 h = id * 2654435769u;
    return (h ^ h >> 15) & m->mask;
}

static tlsdiag_convmap_slot *
find(const tlsdiag_convmap *m, guint32 id)
{
    if (!m->slots)
        return NULL;
    for (guint32 i = home(m, id);; i = (i + 1) & m->mask) {
        tlsdiag_convmap_slot *s = &m->slots[i];
        if (!s->value)
            return NULL;
        if (s->id == id)
            return s;
    }
}

gpointer
tlsdiag_convmap_get(const tlsdiag_convmap *m, guint32 id)
{
    const tlsdiag_convmap_slot *s = find(m, id);
    return s ? s->value : NULL;
}

static void
insert(tlsdiag_convmap *m, guint32 id, gpointer value)
{
    guint32 i = home(m, id);
    while (m->slots[i].value)
        i = (i + 1) & m->mask;
    m->slots[i].id = id;
    m->slots[i].value = value;
    m->n++;
}

static void
grow(tlsdiag_convmap *m)
{
    tlsdiag_convmap_slot *old = m->slots;
    const guint32 n_old = old ? m->mask + 1 : 0;
    const guint32 n_new = n_old ? 2 * n_old : MIN_SLOTS;

    m->slots = g_new0(tlsdiag_convmap_slot, n_new);
    m->mask = n_new - 1;
    m->n = 0;
    for (guint32 i = 0; i < n_old; i++)
        if (old[i].value)
            insert(m, old[i].id, old[i].value);
    g_free(old);
}

void
tlsdiag_convmap_put(tlsdiag_convmap *m, guint32 id, gpointer value)
{
    tlsdiag_convmap_slot *s = find(m, id);
    if (s) {
        s->value = value;
        return;
    }
    if (!m->slots || 2 * (m->n + 1) > m->mask + 1)
        grow(m);
    insert(m, id, value);
}

gpointer
tlsdiag_convmap_take(tlsdiag_convmap *m, guint32 id)
{
    tlsdiag_convmap_slot *s = find(m, id);
    if (!s)
        return NULL;
    gpointer value = s->value;
    guint32 hole = (guint32)(s - m->slots);
    /* Each later slot of the run whose home is not between the hole and
     * itself (cyclically) would no longer be found past the hole: move it in. */
    for (guint32 j = (hole + 1) & m->mask; m->slots[j].value; j = (j + 1) & m->mask) {
        const guint32 h = home(m, m->slots[j].id);
        const gboolean stays = hole < j ? (h > hole && h <= j) : (h > hole || h <= j);
        if (!stays) {
            m->slots[hole] = m->slots[j];
            hole = j;
        }
    }
    m->slots[hole].value = NULL;
    m->n--;
    return value;
}

void
tlsdiag_convmap_foreach(const tlsdiag_convmap *m, GFunc fn, gpointer data)
{
    for (guint32 i = 0; m->slots && i <= m->mask; i++)
        if (m->slots[i].value)
            fn(m->slots[i].value, data);
}

void
tlsdiag_convmap_clear(tlsdiag_convmap *m, GDestroyNotify free_value)
{
    for (guint32 i = 0; m->slots && i <= m->mask; i++)
        if (m->slots[i].value && free_value)
            free_value(m->slots[i].value);
    g_free(m->slots);
    *m = (tlsdiag_convmap)TLSDIAG_CONVMAP_INIT;
}
