/* core/frames.h — which handshake each frame shows, kept from the first
 * pass for the later ones (which have no fields).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_FRAMES_H
#define TLSDIAG_FRAMES_H

#include <glib.h>

typedef struct tlsdiag_frames tlsdiag_frames;

tlsdiag_frames *tlsdiag_frames_new(void);
void tlsdiag_frames_free(tlsdiag_frames *frames);
/* Frame shows what (a number, not 0; 4 bytes where a pointer takes 8, on
 * every frame that shows something): frames are added in increasing order
 * (the first pass dissects in order); one that is not is not kept. */
void tlsdiag_frames_add(tlsdiag_frames *frames, guint32 frame, guint32 what);
/* What frame shows, 0: nothing. */
guint32 tlsdiag_frames_get(const tlsdiag_frames *frames, guint32 frame);

#endif
