/* test-frames.c — unit tests of the frame -> handshake index (core/frames.c)
 * that the passes after the first read.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/frames.h"

/* Across several chunks, with gaps: every added frame is found, no other. */
static void
test_lookup(void)
{
    tlsdiag_frames *frames = tlsdiag_frames_new();
    static const char what[3] = "abc";

    g_assert_null(tlsdiag_frames_get(frames, 1));
    for (guint32 f = 1; f <= 30000; f++)
        if (f % 3 == 0)
            tlsdiag_frames_add(frames, f, &what[f % 2]);
    for (guint32 f = 0; f <= 30003; f++) {
        gconstpointer got = tlsdiag_frames_get(frames, f);
        if (f % 3 == 0 && f >= 3 && f <= 30000)
            g_assert_true(got == &what[f % 2]);
        else
            g_assert_null(got);
    }
    /* A frame out of order is not kept, and changes nothing. */
    tlsdiag_frames_add(frames, 7, &what[2]);
    g_assert_null(tlsdiag_frames_get(frames, 7));
    g_assert_true(tlsdiag_frames_get(frames, 6) == &what[0]);
    tlsdiag_frames_free(frames);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/frames/lookup", test_lookup);
    return g_test_run();
}
