/* tlsdiag-x509.h — the certificates of a Certificate message for the core
 * (tlsdiag_cert): each read from the bytes of Wireshark's certificate item
 * by core/x509.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_X509_H
#define TLSDIAG_X509_H

#include "tlsdiag-fields.h"
#include "core/core.h"
#include "core/x509.h"

/* The certificates of one frame and the names they point to (on the
 * caller's stack: nothing is allocated per frame). */
typedef struct {
    tlsdiag_cert      certs[TLSDIAG_PKT_MAX_CERTS];
    tlsdiag_cert_text text[TLSDIAG_PKT_MAX_CERTS];
} frame_certs;

/* A Certificate message in this frame: pkt->certs and n_certs (0: an empty
 * message, which empty says); nothing when its certificates are there but
 * not decoded. */
void tlsdiag_read_certificates(const frame_fields *ff, tlsdiag_packet *pkt, frame_certs *fc, gboolean empty);

#endif /* TLSDIAG_X509_H */
