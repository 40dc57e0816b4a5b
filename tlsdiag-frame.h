/* tlsdiag-frame.h — one frame condensed for the core from Wireshark's fields.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_FRAME_H
#define TLSDIAG_FRAME_H

#include <epan/packet.h>

#include "tlsdiag-fields.h"
#include "tlsdiag-x509.h"
#include "core/core.h"
#include "core/hello.h"

/* What reading a frame fills beside its packet, on the caller's stack: the
 * packet points into it. */
typedef struct {
    tlsdiag_client_hello hello;
    tlsdiag_hello_text   text;    /* the hello's names */
    frame_certs          certs;
} frame_scratch;

/* Once per capture, when all protocols are registered. */
void tlsdiag_frame_init(void);
/* Condense the frame into pkt (its hello and certificates into fs); FALSE when it has nothing for the core (or the
 * core ignores its connection). Only on a frame's first dissection, when
 * the wanted fields are primed. */
gboolean tlsdiag_read_frame(tvbuff_t *tvb, proto_tree *tree, packet_info *pinfo, const tlsdiag_core *core, tlsdiag_packet *pkt,
                            frame_scratch *fs);

#endif /* TLSDIAG_FRAME_H */
