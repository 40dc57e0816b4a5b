/* core/slab.h — records of one size kept until the slab is freed: in
 * blocks, without a malloc header each (most of what a capture keeps is
 * such records, one or more per handshake), numbered from 1 in the order
 * they were taken.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_SLAB_H
#define TLSDIAG_SLAB_H

#include <glib.h>

typedef struct {
    GPtrArray *blocks;      /* each per_block records (owned) */
    gsize      size;        /* of a record */
    guint      per_block;
    guint      used;        /* records taken from the last block */
} tlsdiag_slab;

void tlsdiag_slab_init(tlsdiag_slab *slab, gsize size, guint per_block);
/* Frees every record. */
void tlsdiag_slab_clear(tlsdiag_slab *slab);
/* A new record, zeroed. */
gpointer tlsdiag_slab_take(tlsdiag_slab *slab);
/* How many were taken: the highest number. */
guint32 tlsdiag_slab_count(const tlsdiag_slab *slab);
/* The record's number, 0: not one of this slab's. Its block is searched
 * from the newest, where a record in use now almost always is. */
guint32 tlsdiag_slab_number(const tlsdiag_slab *slab, gconstpointer record);
/* Record n (1 to count), NULL: 0 or past the count. */
gpointer tlsdiag_slab_at(const tlsdiag_slab *slab, guint32 n);

#endif
