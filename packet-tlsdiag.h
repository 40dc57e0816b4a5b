/* packet-tlsdiag.h — registration entry points called from plugin.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PACKET_TLSDIAG_H
#define PACKET_TLSDIAG_H

void proto_register_tlsdiag(void);
void proto_reg_handoff_tlsdiag(void);

#endif /* PACKET_TLSDIAG_H */
