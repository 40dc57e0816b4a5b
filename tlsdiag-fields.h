/* tlsdiag-fields.h — the Wireshark fields tlsdiag reads, by name, and the
 * one way it reads them: every occurrence of a field in the frame's tree,
 * same-name twins included (SSLv2, X.509 register several fields under one
 * abbreviation), through FOR_EACH_FIELD.
 *
 * Fields are primed (wanted) only on a frame's first dissection; see
 * packet-tlsdiag.c for how that shapes the dissector.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_FIELDS_H
#define TLSDIAG_FIELDS_H

#include <wireshark.h>
#include <epan/proto.h>
#include <epan/packet_info.h>
#include "tlsdiag-compat.h"

/* The fields we read; their names are in tlsdiag-fields.c. A TLS field
 * that DTLS has too (dtls.* for tls.*) reads both: a frame carries one or
 * the other. */
typedef enum {
    F_TCP_SEGMENT_COUNT,
    F_TLS_RECORD, F_TLS_OPAQUE_TYPE, F_TLS_UNKNOWN_RECORD,
    F_TLS_ALERT,
    F_TLS_HS, F_TLS_HS_TYPE, F_SSL2_HS_TYPE, F_TLS_CIPHERSPEC,
    F_TLS_NAMED_CURVE,
    F_QUIC_CONNECTION, F_QUIC_HEADER_FORM, F_QUIC_CLOSE_CODE, F_QUIC_CLOSE_APP,
    F_QUIC_CLOSE_REASON,
    F_TLS_CERTIFICATE,
    F_ICMP_TYPE, F_ICMPV6_TYPE,
    F_COUNT
} field_id;

/* The frame's tree, whose primed fields we read, and its packet_info (its
 * data sources hold bytes no wanted item points to: a reassembled DTLS
 * message); dtls: read DTLS's names of the fields TLS and DTLS share; gen:
 * this frame's reading (field_frame()). */
typedef struct {
    proto_tree  *tree;
    packet_info *pinfo;
    gboolean     dtls;
    guint32      gen;
} frame_fields;

/* Begin reading a frame's tree: each field's items are looked up once in it
 * (a lookup is a hash lookup, and a frame asks for some fields often). */
frame_fields field_frame(proto_tree *tree, packet_info *pinfo);

/* Every occurrence of a field, twins included, in the order Wireshark made them:
 *     field_info *fi;
 *     FOR_EACH_FIELD(fi, ff, F_TLS_RECORD) { ... }  */
typedef struct {
    const frame_fields *ff;
    field_id            f;
    int                 twin, end;
    guint               i;
    GPtrArray          *items;
} field_iter;
field_iter field_iter_start(const frame_fields *ff, field_id f);
field_info *field_next(field_iter *it);
#define FOR_EACH_FIELD(fi, ff, f) \
    for (field_iter fi##_it = field_iter_start((ff), (f)); ((fi) = field_next(&fi##_it)) != NULL;)

/* Find every field's ids (once, when all protocols are registered). */
void tlsdiag_fields_resolve(void);
/* The ids to want (set_postdissector_wanted_hfids); the caller owns the
 * array. ICMP's only with icmp: they serve DTLS alone (an unreachable
 * quoting a datagram of an association followed), and a wanted id costs on
 * every packet. */
GArray *tlsdiag_fields_wanted(gboolean icmp);

guint field_count(const frame_fields *ff, field_id f);
/* The last occurrence (innermost layer), or NULL. */
field_info *field_last(const frame_fields *ff, field_id f);
guint32 field_uint(const frame_fields *ff, field_id f, guint32 dflt);
/* Up to max values, in order; returns how many. */
guint field_uints(const frame_fields *ff, field_id f, guint16 *out, guint max);
/* A field belongs to an item when it lies in the item's bytes (MATE groups fields so). */
gboolean field_inside(const field_info *in, const field_info *out);
/* The n-th (from 0) occurrence of a field inside outer, or NULL. */
field_info *field_within(const frame_fields *ff, field_id f, const field_info *outer, guint n);

#endif /* TLSDIAG_FIELDS_H */
