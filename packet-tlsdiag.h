/* packet-tlsdiag.h — registration entry points called from plugin.c, and
 * what the dissector hands to its tap (tlsdiag-stats.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PACKET_TLSDIAG_H
#define PACKET_TLSDIAG_H

#include <wireshark.h>
#include <epan/proto.h>   /* value_string (epan/value_string.h up to 4.4, wsutil/ from 4.6) */

#include "core/core.h"

void proto_register_tlsdiag(void);
void proto_reg_handoff_tlsdiag(void);
void register_tlsdiag_stats_tree(void);

#define TLSDIAG_TAP "tlsdiag"

/* tlsdiag.sender's words for a tlsdiag_sender. */
extern const value_string tlsdiag_sender_vals[];

/* Queued once on a handshake's ClientHello frame and once on the frame
 * that settled it. */
typedef struct {
    const tlsdiag_handshake *hs;
    gboolean                 settled;
    /* On the frame that revised a provisional failure to established, when
     * this pass counted the failure earlier: its verdict, to take back. */
    const tlsdiag_verdict   *undo;
    /* On the frame that refused an established handshake, when this pass
     * counted it established earlier: take that back. */
    gboolean                 undo_established;
} tlsdiag_tap_data;

#endif /* PACKET_TLSDIAG_H */
