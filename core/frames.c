/* core/frames.c — frame -> handshake, for the passes after the first
 * (core/frames.h). Frames arrive in increasing order, so an append-only
 * list in chunks searched by halving holds each in 6 bytes (its distance
 * from the chunk's first frame, and what it shows); Wireshark's per-frame
 * protocol data costs a list node and an entry, about 40. */
#include "core/frames.h"

#define CHUNK 4096

typedef struct {
    guint32       base;          /* the first frame */
    guint         n;
    guint16       after[CHUNK];  /* each frame, less base: a chunk spans less than 64 Ki frames */
    guint32       what[CHUNK];
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
    if (!c || c->n == CHUNK || frame - c->base > G_MAXUINT16) {
        c = g_new(chunk, 1);
        c->base = frame;
        c->n = 0;
        g_ptr_array_add(frames->chunks, c);
    }
    c->after[c->n] = (guint16)(frame - c->base);
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
        if (c->base <= frame)
            lo = mid;
        else
            hi = mid;
    }
    if (!frames->chunks->len)
        return 0;
    c = g_ptr_array_index(frames->chunks, lo);
    if (frame < c->base || frame - c->base > G_MAXUINT16)
        return 0;
    const guint16 after = (guint16)(frame - c->base);
    lo = 0;
    hi = c->n;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (c->after[mid] < after)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n && c->after[lo] == after ? c->what[lo] : 0;
}
