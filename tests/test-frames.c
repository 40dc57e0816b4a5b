/* test-frames.c — unit tests of the core's indexes: frame -> handshake
 * (core/frames.c), which the passes after the first read, conversation
 * -> connection (core/convmap.c), which every packet looks up, and the
 * numbered records handshakes are kept in (core/slab.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/convmap.h"
#include "core/frames.h"
#include "core/slab.h"

/* Across several chunks, with gaps: every added frame is found, no other. */
static void
test_lookup(void)
{
    tlsdiag_frames *frames = tlsdiag_frames_new();

    g_assert_cmpuint(tlsdiag_frames_get(frames, 1), ==, 0);
    for (guint32 f = 1; f <= 30000; f++)
        if (f % 3 == 0)
            tlsdiag_frames_add(frames, f, f * 7 + 1);
    for (guint32 f = 0; f <= 30003; f++) {
        guint32 got = tlsdiag_frames_get(frames, f);
        if (f % 3 == 0 && f >= 3 && f <= 30000)
            g_assert_cmpuint(got, ==, f * 7 + 1);
        else
            g_assert_cmpuint(got, ==, 0);
    }
    /* A frame out of order is not kept, and changes nothing. */
    tlsdiag_frames_add(frames, 7, 5);
    g_assert_cmpuint(tlsdiag_frames_get(frames, 7), ==, 0);
    g_assert_cmpuint(tlsdiag_frames_get(frames, 6), ==, 6 * 7 + 1);
    tlsdiag_frames_free(frames);
}

/* Frames far apart: a chunk keeps each as its distance from its first
 * frame in 16 bits, so a frame 64 Ki or more on starts another; a frame
 * at such a distance from one kept is not taken for it. */
static void
test_lookup_sparse(void)
{
    /* 65545 is 64 Ki - 1 after 10: the last a chunk from 10 holds. */
    static const guint32 kept[] = { 10, 65545, 65546, 200000, 200001, G_MAXUINT32 - 1, G_MAXUINT32 };
    static const guint32 not_kept[] = { 0, 9, 11, 65544, 65547, 65546 + 65535, 65546 + 65536, 199999,
                                        200000 + 65536, G_MAXUINT32 - 2 };
    tlsdiag_frames *frames = tlsdiag_frames_new();

    for (guint i = 0; i < G_N_ELEMENTS(kept); i++)
        tlsdiag_frames_add(frames, kept[i], i + 1);
    for (guint i = 0; i < G_N_ELEMENTS(kept); i++)
        g_assert_cmpuint(tlsdiag_frames_get(frames, kept[i]), ==, i + 1);
    for (guint i = 0; i < G_N_ELEMENTS(not_kept); i++)
        g_assert_cmpuint(tlsdiag_frames_get(frames, not_kept[i]), ==, 0);
    tlsdiag_frames_free(frames);
}

/* Records across blocks: each is zeroed, found by its number and numbered
 * back; a pointer that is not one of the slab's has no number. */
static void
test_slab(void)
{
    typedef struct { guint64 a; guint32 b; } record;
    tlsdiag_slab slab;
    record *r[40], outside;

    tlsdiag_slab_init(&slab, sizeof(record), 16);
    g_assert_cmpuint(tlsdiag_slab_count(&slab), ==, 0);
    g_assert_null(tlsdiag_slab_at(&slab, 1));
    for (guint i = 0; i < G_N_ELEMENTS(r); i++) {
        r[i] = tlsdiag_slab_take(&slab);
        g_assert_true(r[i]->a == 0 && r[i]->b == 0);
        r[i]->a = i;
    }
    g_assert_cmpuint(tlsdiag_slab_count(&slab), ==, G_N_ELEMENTS(r));
    for (guint i = 0; i < G_N_ELEMENTS(r); i++) {
        g_assert_cmpuint(tlsdiag_slab_number(&slab, r[i]), ==, i + 1);
        g_assert_true(tlsdiag_slab_at(&slab, i + 1) == r[i]);
    }
    g_assert_null(tlsdiag_slab_at(&slab, 0));
    g_assert_null(tlsdiag_slab_at(&slab, G_N_ELEMENTS(r) + 1));
    g_assert_cmpuint(tlsdiag_slab_number(&slab, &outside), ==, 0);
    tlsdiag_slab_clear(&slab);
}

static guint convmap_freed;

static void
count_free(gpointer p)
{
    (void)p;
    convmap_freed++;
}

/* Puts, replacements and removals in a random order, over dense ids (as
 * TCP stream indexes are), ids in other spaces (the top bits) and id 0:
 * after each step the map holds what a GHashTable holds. Removals move
 * later slots back, across the table's wrap too. */
static void
test_convmap(void)
{
    tlsdiag_convmap m = TLSDIAG_CONVMAP_INIT;
    GHashTable *model = g_hash_table_new(g_direct_hash, g_direct_equal);
    GRand *rand = g_rand_new_with_seed(16);
    static char values[4];

    g_assert_null(tlsdiag_convmap_get(&m, 0));
    g_assert_null(tlsdiag_convmap_take(&m, 0));
    for (guint step = 0; step < 200000; step++) {
        /* Few ids at first, then many: the table grows, and runs form. */
        const guint32 span = step < 100000 ? 300 : 5000;
        guint32 id = g_rand_int_range(rand, 0, (gint32)span);
        if (g_rand_boolean(rand))
            id |= (guint32)g_rand_int_range(rand, 1, 4) << 30;
        gpointer key = GUINT_TO_POINTER(id);
        if (g_rand_int_range(rand, 0, 3)) {
            gpointer v = &values[g_rand_int_range(rand, 0, 4)];
            tlsdiag_convmap_put(&m, id, v);
            g_hash_table_insert(model, key, v);
        } else {
            g_assert_true(tlsdiag_convmap_take(&m, id) == g_hash_table_lookup(model, key));
            g_hash_table_remove(model, key);
        }
        g_assert_cmpuint(m.n, ==, g_hash_table_size(model));
        if (step % 1000 == 0)
            for (guint32 i = 0; i < span; i++)
                for (guint32 space = 0; space < 4; space++) {
                    const guint32 probe = i | space << 30;
                    g_assert_true(tlsdiag_convmap_get(&m, probe) == g_hash_table_lookup(model, GUINT_TO_POINTER(probe)));
                }
    }
    const guint held = m.n;
    tlsdiag_convmap_clear(&m, count_free);
    g_assert_cmpuint(convmap_freed, ==, held);
    g_assert_cmpuint(m.n, ==, 0);
    g_assert_null(tlsdiag_convmap_get(&m, 1));
    g_rand_free(rand);
    g_hash_table_destroy(model);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/frames/lookup", test_lookup);
    g_test_add_func("/frames/lookup-sparse", test_lookup_sparse);
    g_test_add_func("/frames/convmap", test_convmap);
    g_test_add_func("/frames/slab", test_slab);
    return g_test_run();
}
