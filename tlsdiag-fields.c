/* tlsdiag-fields.c — the fields tlsdiag wants, by name, and the reading of
 * them (tlsdiag-fields.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "tlsdiag-fields.h"

#include <string.h>

/* Want no field that is not needed, least of all one present on every
 * packet: each costs on every packet (BENCHMARKS.md). */
static const char *const field_names[F_COUNT] = {
    /* No TCP field: each is on every packet. The stream index and what TCP
     * saw of the connection come from its conversation data; the header is
     * found after the IP header the TCP dissector's addresses point into
     * (tlsdiag-frame.c). */
    [F_TCP_SEGMENT_COUNT] = "tcp.segment.count",
    [F_TLS_RECORD] = "tls.record",
    [F_TLS_OPAQUE_TYPE] = "tls.record.opaque_type",
    [F_TLS_UNKNOWN_RECORD] = "tls.ignored_unknown_record",
    [F_TLS_ALERT] = "tls.alert_message",
    [F_TLS_HS] = "tls.handshake",
    [F_TLS_HS_TYPE] = "tls.handshake.type",
    [F_SSL2_HS_TYPE] = "tls.ssl2.handshake.type",
    /* A hello's values (suites, extensions, names, its length) are read from
     * its bytes (core/hello.c): a field per value would make each a tree
     * item on every hello. */
    [F_TLS_CIPHERSPEC] = "tls.handshake.cipherspec",
    [F_TLS_NAMED_CURVE] = "tls.handshake.server_named_curve",
    [F_QUIC_CONNECTION] = "quic.connection.number",
    [F_QUIC_HEADER_FORM] = "quic.header_form",
    [F_QUIC_CLOSE_CODE] = "quic.cc.error_code",
    [F_QUIC_CLOSE_APP] = "quic.cc.error_code.app",
    [F_QUIC_CLOSE_REASON] = "quic.cc.reason_phrase",
    [F_TLS_CERTIFICATE] = "tls.handshake.certificate",
    /* No DTLS-only field: a DTLS handshake message's header (sequence,
     * fragment offset and length) is read from the bytes its dtls.handshake
     * item starts at, a reassembled message's body from its data source. */
    /* Only on ICMP packets: an unreachable answering a DTLS ClientHello. */
    [F_ICMP_TYPE] = "icmp.type",
    [F_ICMPV6_TYPE] = "icmpv6.type",
};

/* DTLS's own name of a TLS field, read as the same field. */
static const char *const field_dtls_names[F_COUNT] = {
    [F_TLS_RECORD] = "dtls.record",
    [F_TLS_ALERT] = "dtls.alert_message",
    [F_TLS_HS] = "dtls.handshake",
    [F_TLS_HS_TYPE] = "dtls.handshake.type",
    [F_TLS_NAMED_CURVE] = "dtls.handshake.server_named_curve",
    [F_TLS_CERTIFICATE] = "dtls.handshake.certificate",
};

/* Newer Wireshark (4.4; 4.0 has same-name twins) gives the SSLv2 fields
 * names of their own: read those too where they exist. In 4.0 the SSLv2
 * message type is a twin of tls.handshake.type: it is told apart by its
 * description and read as F_SSL2_HS_TYPE, whose own name 4.0 lacks. */
static const char *const field_alt_names[F_COUNT] = {
    [F_SSL2_HS_TYPE] = "tls.handshake.type",
    [F_TLS_CIPHERSPEC] = "tls.ssl2.handshake.cipherspec",
};

/* Field ids per field_id, twins included; -1 ends a list. A field DTLS has
 * too lists TLS's ids, then from dtls_from[f] DTLS's: a frame reads only
 * one of the two (each lookup costs on every TLS frame); -1: one list for
 * both (TCP, DTLS's own). */
#define MAX_TWINS 6
static int field_ids[F_COUNT][MAX_TWINS];
static gint8 dtls_from[F_COUNT];

/* The ids a frame of ff's kind reads: [*first, end). */
static int
twins(const frame_fields *ff, field_id f, int *first)
{
    *first = ff->dtls && dtls_from[f] > 0 ? dtls_from[f] : 0;
    return ff->dtls || dtls_from[f] < 0 ? MAX_TWINS : dtls_from[f];
}

static gboolean
is_ssl2(int id)
{
    const header_field_info *hfi = proto_registrar_get_nth((guint)id);
    return strstr(hfi->abbrev, "ssl2") || (hfi->blurb && strstr(hfi->blurb, "SSLv2"));
}

void
tlsdiag_fields_resolve(void)
{
    for (int f = 0; f < F_COUNT; f++) {
        const char *alt = field_alt_names[f];
        int id = proto_registrar_get_id_byname(field_names[f]);
        int t = 0;
        while (t < MAX_TWINS) {
            if (id < 0 && alt) {    /* the name's twins are done: the other name's */
                id = proto_registrar_get_id_byname(alt);
                alt = NULL;
            }
            if (id < 0)
                break;
            /* tls.handshake.type's SSLv2 twin belongs to F_SSL2_HS_TYPE only. */
            if ((f != F_SSL2_HS_TYPE && f != F_TLS_HS_TYPE) || is_ssl2(id) == (f == F_SSL2_HS_TYPE))
                field_ids[f][t++] = id;
            id = proto_registrar_get_nth((guint)id)->same_name_prev_id;
        }
        /* Then DTLS's, with its own twins. */
        dtls_from[f] = (gint8)(field_dtls_names[f] ? t : -1);
        for (id = field_dtls_names[f] ? proto_registrar_get_id_byname(field_dtls_names[f]) : -1;
             id >= 0 && t < MAX_TWINS; id = proto_registrar_get_nth((guint)id)->same_name_prev_id)
            field_ids[f][t++] = id;
        while (t < MAX_TWINS)
            field_ids[f][t++] = -1;
    }
}

GArray *
tlsdiag_fields_wanted(gboolean icmp)
{
    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    for (int f = 0; f < F_COUNT; f++) {
        if (!icmp && (f == F_ICMP_TYPE || f == F_ICMPV6_TYPE))
            continue;
        for (int t = 0; t < MAX_TWINS && field_ids[f][t] >= 0; t++)
            g_array_append_val(wanted, field_ids[f][t]);
    }
    return wanted;
}

/* The items of each field id in the frame being read, and the reading
 * (frame_fields.gen) they were looked up in: side by side, as they are
 * read (one cache line, not two, per field read). */
static struct {
    guint32    gen;
    GPtrArray *items;
} memo[F_COUNT][MAX_TWINS];

frame_fields
field_frame(proto_tree *tree, packet_info *pinfo)
{
    static guint32 generation;
    /* A wrapped count would meet entries of its first round: forget them. */
    if (++generation == 0) {
        memset(memo, 0, sizeof memo);
        generation = 1;
    }
    return (frame_fields){ tree, pinfo, FALSE, generation };
}

/* The items of twin t of field f in the frame (NULL: none). */
static GPtrArray *
items(const frame_fields *ff, field_id f, int t)
{
    if (memo[f][t].gen != ff->gen) {
        memo[f][t].items = proto_get_finfo_ptr_array(ff->tree, field_ids[f][t]);
        memo[f][t].gen = ff->gen;
    }
    return memo[f][t].items;
}

field_iter
field_iter_start(const frame_fields *ff, field_id f)
{
    field_iter it = { ff, f, 0, 0, 0, NULL };
    it.end = twins(ff, f, &it.twin);
    return it;
}

field_info *
field_next(field_iter *it)
{
    while (!it->items || it->i >= it->items->len) {
        if (it->twin >= it->end || field_ids[it->f][it->twin] < 0)
            return NULL;
        it->items = items(it->ff, it->f, it->twin++);
        it->i = 0;
    }
    return g_ptr_array_index(it->items, it->i++);
}

guint
field_count(const frame_fields *ff, field_id f)
{
    guint n = 0;
    int t, end = twins(ff, f, &t);
    for (; t < end && field_ids[f][t] >= 0; t++) {
        GPtrArray *a = items(ff, f, t);
        n += a ? a->len : 0;
    }
    return n;
}

field_info *
field_last(const frame_fields *ff, field_id f)
{
    int t, end = twins(ff, f, &t);
    for (; t < end && field_ids[f][t] >= 0; t++) {
        GPtrArray *a = items(ff, f, t);
        if (a && a->len)
            return g_ptr_array_index(a, a->len - 1);
    }
    return NULL;
}

guint32
field_uint(const frame_fields *ff, field_id f, guint32 dflt)
{
    field_info *fi = field_last(ff, f);
    return fi ? fvalue_get_uinteger(FI_VALUE(fi)) : dflt;
}

guint
field_uints(const frame_fields *ff, field_id f, guint16 *out, guint max)
{
    field_info *fi;
    guint n = 0;
    FOR_EACH_FIELD(fi, ff, f) {
        if (n == max)
            break;
        out[n++] = (guint16)fvalue_get_uinteger(FI_VALUE(fi));
    }
    return n;
}

gboolean
field_inside(const field_info *in, const field_info *out)
{
    return in->ds_tvb == out->ds_tvb && in->start >= out->start &&
           in->start + in->length <= out->start + out->length;
}

field_info *
field_within(const frame_fields *ff, field_id f, const field_info *outer, guint n)
{
    field_info *fi;
    FOR_EACH_FIELD(fi, ff, f)
        if (field_inside(fi, outer) && n-- == 0)
            return fi;
    return NULL;
}
