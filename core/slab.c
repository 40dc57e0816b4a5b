/* core/slab.c — records of one size in blocks (core/slab.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/slab.h"

void
tlsdiag_slab_init(tlsdiag_slab *slab, gsize size, guint per_block)
{
    slab->blocks = g_ptr_array_new_with_free_func(g_free);
    slab->size = size;
    slab->per_block = per_block;
    slab->used = 0;
}

void
tlsdiag_slab_clear(tlsdiag_slab *slab)
{
    if (slab->blocks)
        g_ptr_array_free(slab->blocks, TRUE);
    slab->blocks = NULL;
    slab->used = 0;
}

gpointer
tlsdiag_slab_take(tlsdiag_slab *slab)
{
    GPtrArray *blocks = slab->blocks;
    if (!blocks->len || slab->used == slab->per_block) {
        g_ptr_array_add(blocks, g_malloc0(slab->size * slab->per_block));
        slab->used = 0;
    }
    return (guint8 *)g_ptr_array_index(blocks, blocks->len - 1) + slab->size * slab->used++;
}

guint32
tlsdiag_slab_count(const tlsdiag_slab *slab)
{
    return slab->blocks->len ? (slab->blocks->len - 1) * slab->per_block + slab->used : 0;
}

guint32
tlsdiag_slab_number(const tlsdiag_slab *slab, gconstpointer record)
{
    for (guint b = slab->blocks->len; b-- > 0;) {
        const guintptr at = (guintptr)record - (guintptr)g_ptr_array_index(slab->blocks, b);
        if (at < slab->size * slab->per_block)
            return (guint32)(b * slab->per_block + at / slab->size + 1);
    }
    return 0;
}

gpointer
tlsdiag_slab_at(const tlsdiag_slab *slab, guint32 n)
{
    if (!n-- || n >= tlsdiag_slab_count(slab))
        return NULL;
    return (guint8 *)g_ptr_array_index(slab->blocks, n / slab->per_block) + slab->size * (n % slab->per_block);
}
