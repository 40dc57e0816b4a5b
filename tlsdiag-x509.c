/* tlsdiag-x509.c — the certificates of a Certificate message, each read
 * from the bytes of its tls.handshake.certificate item (Wireshark located,
 * reassembled and decrypted them) by core/x509.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "tlsdiag-x509.h"

#include <string.h>

void
tlsdiag_read_certificates(const frame_fields *ff, tlsdiag_packet *pkt, frame_certs *fc, gboolean empty)
{
    guint n = 0;
    field_info *cert;

    FOR_EACH_FIELD(cert, ff, F_TLS_CERTIFICATE) {
        if (n == TLSDIAG_PKT_MAX_CERTS)
            break;
        const gboolean there = cert->ds_tvb && cert->length > 0 && tvb_bytes_exist(cert->ds_tvb, cert->start, cert->length);
        tlsdiag_x509_read(there ? tvb_get_ptr(cert->ds_tvb, cert->start, cert->length) : NULL,
                          there ? (gsize)cert->length : 0, &fc->certs[n], &fc->text[n]);
        n++;
    }
    if (n || empty) {
        pkt->certs = fc->certs;
        pkt->n_certs = field_count(ff, F_TLS_CERTIFICATE);
    }
}
