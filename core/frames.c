/* core/frames.c — frame -> handshake, for the passes after the first
 * (core/frames.h). Frames arrive in increasing order, so an append-only
 * list in chunks searched by halving holds each in 12 bytes; Wireshark's
 * per-frame protocol data costs a list node and an entry, about 40. */
#include "core/frames.h"

#define CHUNK 4096

typedef struct {
    guint32       frame[CHUNK];
    guint32       what[CHUNK];
    guint         n;
} chunk;

struct tlsdiag_frames {
    GPtrArray *chunks;   /* chunk*, in frame order (owned) */
    guint32    last;     /* the last frame added */
};

tlsdiag_frames *
tlsdiag_frames_new(void)
{
    tlsdiag_frames *frames = g_new0(tlsdiag_frames, 1);
    frames->chunks = g_ptr_array_new_with_free_func(g_free);
    return frames;
}

void
tlsdiag_frames_free(tlsdiag_frames *frames)
{
    if (!frames)
        return;
    g_ptr_array_free(frames->chunks, TRUE);
    g_free(frames);
}

void
tlsdiag_frames_add(tlsdiag_frames *frames, guint32 frame, guint32 what)
{
    chunk *c = frames->chunks->len ? g_ptr_array_index(frames->chunks, frames->chunks->len - 1) : NULL;

    if (c && frame <= frames->last)
        return;
    if (!c || c->n == CHUNK) {
        c = g_new(chunk, 1);
        c->n = 0;
        g_ptr_array_add(frames->chunks, c);
    }
    c->frame[c->n] = frame;
    c->what[c->n++] = what;
    frames->last = frame;
}

guint32
tlsdiag_frames_get(const tlsdiag_frames *frames, guint32 frame)
{
    guint lo = 0, hi = frames->chunks->len;
    const chunk *c;

    /* The last chunk whose first frame is not after frame. */
    while (hi - lo > 1) {
        guint mid = lo + (hi - lo) / 2;
        c = g_ptr_array_index(frames->chunks, mid);
        if (c->frame[0] <= frame)
            lo = mid;
        else
            hi = mid;
    }
    if (!frames->chunks->len)
        return 0;
    c = g_ptr_array_index(frames->chunks, lo);
    lo = 0;
    hi = c->n;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (c->frame[mid] < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n && c->frame[lo] == frame ? c->what[lo] : 0;
}
