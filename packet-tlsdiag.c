/* packet-tlsdiag.c — TLS Diagnostics post-dissector: reads Wireshark's own TCP
 * and TLS fields, feeds the core, and shows its verdicts as tree items and
 * expert infos.
 *
 * Fields are primed only on a frame's first dissection, so the analysis runs
 * once (when the frame is not yet visited) and its result — a pointer to the
 * core's handshake record — is kept in file scope; every later dissection
 * (tshark -2, the GUI's details pane, Expert Information) redraws from it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/expert.h>
#include <epan/proto_data.h>
#include <epan/prefs.h>
#include <epan/tap.h>
#include <epan/conversation.h>
#include <epan/dissectors/packet-tcp.h>
#include <wsutil/inet_addr.h>
#include <ws_version.h>

#include "packet-tlsdiag.h"
#include "core/core.h"
#include "core/proxy.h"
#include "causes/judge.h"
#include "core/tls.h"

/* 4.2 made field_info.value a pointer. */
#if WIRESHARK_VERSION_MAJOR > 4 || (WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR >= 2)
#define FI_VALUE(fi) ((fi)->value)
#else
#define FI_VALUE(fi) (&(fi)->value)
#endif

/* 4.4 moved the API to C99 types: boolean preferences are bool, and
 * tvb_get_guint8 is deprecated for tvb_get_uint8, which 4.0 lacks. */
#if WIRESHARK_VERSION_MAJOR > 4 || (WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR >= 4)
typedef bool tlsdiag_pref_bool;
#else
typedef gboolean tlsdiag_pref_bool;
#define tvb_get_uint8 tvb_get_guint8
#endif

static int proto_tlsdiag = -1;

static int hf_tlsdiag_cause = -1;
static int hf_tlsdiag_summary = -1;
static int hf_tlsdiag_outcome = -1;
static int hf_tlsdiag_handshake_frame = -1;
static int hf_tlsdiag_evidence = -1;
static int hf_tlsdiag_explanation = -1;
static int hf_tlsdiag_remedy = -1;
static int hf_tlsdiag_client = -1;
static int hf_tlsdiag_attempt_number = -1;
static int hf_tlsdiag_attempt_prev = -1;
static int hf_tlsdiag_attempt_next = -1;
static int hf_tlsdiag_attempt_delta = -1;
static int hf_tlsdiag_attempt_summary = -1;
static int hf_tlsdiag_recovered = -1;
static int hf_tlsdiag_recovered_in = -1;
static int hf_tlsdiag_history = -1;
static int hf_tlsdiag_cert_subject = -1;
static int hf_tlsdiag_cert_issuer = -1;
static int hf_tlsdiag_cert_not_after = -1;

static gint ett_tlsdiag = -1;
static gint ett_tlsdiag_cause = -1;

/* Per cause, under one name: the catalogue's severity, and (once the whole
 * capture is known) a note when the client recovered, an error when not. */
static expert_field ei_tlsdiag_cause[TLSDIAG_CAUSE_COUNT];
static expert_field ei_tlsdiag_cause_recovered[TLSDIAG_CAUSE_COUNT];
static expert_field ei_tlsdiag_cause_not_recovered[TLSDIAG_CAUSE_COUNT];

static tlsdiag_options tlsdiag_prefs;
/* The core keeps gboolean: the preference lives here, tlsdiag_init() copies it. */
static tlsdiag_pref_bool pref_client_from_proxy;

static dissector_handle_t tlsdiag_handle;
static int tlsdiag_tap = -1;
static tlsdiag_core *tlsdiag_state;

/* The fields we read. Several abbreviations have same-name twins (SSLv2,
 * X.509): every twin is wanted and read. */
typedef enum {
    F_TCP_STREAM, F_TCP_LEN, F_TCP_COMPLETENESS, F_TCP,
    F_TLS_RECORD, F_TLS_HS, F_TLS_HS_TYPE, F_SSL2_HS_TYPE, F_TLS_HS_LENGTH, F_TLS_HS_VERSION, F_TLS_SUITE,
    F_TLS_SUPPORTED_VERSION, F_TLS_GROUP, F_TLS_SNI, F_TLS_ALPN, F_TLS_SELECTED_GROUP, F_TLS_KEY_SHARE_GROUP,
    F_TLS_NAMED_CURVE, F_TLS_RANDOM, F_TLS_CCS, F_TLS_ALERT, F_TLS_ALERT_LEVEL,
    F_TLS_ALERT_DESC, F_TLS_UNKNOWN_RECORD,
    F_PROXY_V1_MAGIC, F_PROXY_VERSION, F_PROXY_SRC_V4, F_PROXY_SRC_V6, F_PROXY_SRCPORT, F_TCP_SEGMENT_COUNT,
    F_TCP_SEGMENT_DATA, F_TLS_OPAQUE_TYPE, F_TLS_CONTENT_TYPE, F_TLS_RECORD_LENGTH,
    F_QUIC_CONNECTION, F_QUIC_HEADER_FORM, F_QUIC_CLOSE_ALERT,
    F_TLS_EXT_TYPE, F_TLS_EXT_LEN, F_TLS_SESSION_ID_LEN, F_TLS_CIPHERSPEC,
    F_TLS_CERTIFICATE, F_TLS_CERTS_LENGTH, F_X509_SUBJECT, F_X509_ISSUER, F_X509_ATV, F_X509_ATTR_OID,
    F_X509_UTF8, F_X509_PRINTABLE, F_X509_TELETEX, F_X509_UNIVERSAL, F_X509_BMP, F_X509_COUNTRY,
    F_X509_NOT_BEFORE, F_X509_NOT_AFTER, F_X509_UTCTIME, F_X509_GENTIME, F_X509_SIGNATURE, F_X509_ALG_ID,
    F_X509_DNSNAME, F_PKCS1_MODULUS,
    F_COUNT
} field_id;

static const char *const field_names[F_COUNT] = {
    "tcp.stream", "tcp.len", "tcp.completeness", "tcp",
    "tls.record", "tls.handshake", "tls.handshake.type", "tls.ssl2.handshake.type", "tls.handshake.length", "tls.handshake.version",
    "tls.handshake.ciphersuite", "tls.handshake.extensions.supported_version",
    "tls.handshake.extensions_supported_group", "tls.handshake.extensions_server_name",
    "tls.handshake.extensions_alpn_str", "tls.handshake.extensions_key_share_selected_group",
    "tls.handshake.extensions_key_share_group",
    "tls.handshake.server_named_curve", "tls.handshake.random", "tls.change_cipher_spec",
    "tls.alert_message", "tls.alert_message.level", "tls.alert_message.desc",
    "tls.ignored_unknown_record",
    "proxy.v1.magic", "proxy.version", "proxy.src.ipv4", "proxy.src.ipv6", "proxy.srcport", "tcp.segment.count",
    "tcp.segment_data", "tls.record.opaque_type", "tls.record.content_type", "tls.record.length",
    "quic.connection.number", "quic.header_form", "quic.cc.error_code.tls_alert",
    "tls.handshake.extension.type", "tls.handshake.extension.len", "tls.handshake.session_id_length",
    "tls.handshake.cipherspec",
    "tls.handshake.certificate", "tls.handshake.certificates_length", "x509af.rdnSequence", "x509if.rdnSequence",
    "x509if.RelativeDistinguishedName_item_element", "x509if.oid",
    "x509sat.uTF8String", "x509sat.printableString", "x509sat.teletexString", "x509sat.universalString",
    "x509sat.bmpString", "x509sat.CountryName",
    "x509af.notBefore", "x509af.notAfter", "x509af.utcTime", "x509af.generalizedTime", "x509af.signature_element",
    "x509af.algorithm.id", "x509ce.dNSName", "pkcs1.modulus",
};

/* Newer Wireshark (4.4; 4.0 has same-name twins) gives the SSLv2 fields
 * names of their own: read those too where they exist. In 4.0 the SSLv2
 * message type is a twin of tls.handshake.type: it is told apart by its
 * description and read as F_SSL2_HS_TYPE, whose own name 4.0 lacks. */
static const char *const field_alt_names[F_COUNT] = {
    [F_SSL2_HS_TYPE] = "tls.handshake.type",
    [F_TLS_CIPHERSPEC] = "tls.ssl2.handshake.cipherspec",
};

static gboolean
is_ssl2_twin(int id)
{
    const header_field_info *hfi = proto_registrar_get_nth((guint)id);
    return hfi->blurb && strstr(hfi->blurb, "SSLv2") != NULL;
}

/* Field ids per field_id, twins included; filled once. */
#define MAX_TWINS 4
static int field_ids[F_COUNT][MAX_TWINS];
static gboolean field_ids_ready;
static int proto_tcp = -1;     /* whose conversation data holds the TCP round trip */

static void
resolve_fields(void)
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
            if (f == F_SSL2_HS_TYPE || f == F_TLS_HS_TYPE) {
                gboolean ssl2 = strstr(proto_registrar_get_nth((guint)id)->abbrev, "ssl2") || is_ssl2_twin(id);
                if (ssl2 == (f == F_SSL2_HS_TYPE))
                    field_ids[f][t++] = id;
            } else {
                field_ids[f][t++] = id;
            }
            id = proto_registrar_get_nth((guint)id)->same_name_prev_id;
        }
        while (t < MAX_TWINS)
            field_ids[f][t++] = -1;
    }
    proto_tcp = proto_get_id_by_filter_name("tcp");
    field_ids_ready = TRUE;
}

/* The frame's tree, whose primed fields we read. */
typedef struct {
    proto_tree *tree;
} frame_fields;

static guint
field_count(const frame_fields *ff, field_id f)
{
    guint n = 0;
    for (int t = 0; t < MAX_TWINS && field_ids[f][t] >= 0; t++) {
        GPtrArray *a = proto_get_finfo_ptr_array(ff->tree, field_ids[f][t]);
        n += a ? a->len : 0;
    }
    return n;
}

/* The last occurrence (innermost layer) of a field, or NULL. */
static field_info *
field_last(const frame_fields *ff, field_id f)
{
    for (int t = 0; t < MAX_TWINS && field_ids[f][t] >= 0; t++) {
        GPtrArray *a = proto_get_finfo_ptr_array(ff->tree, field_ids[f][t]);
        if (a && a->len)
            return g_ptr_array_index(a, a->len - 1);
    }
    return NULL;
}

static guint32
field_uint(const frame_fields *ff, field_id f, guint32 dflt)
{
    field_info *fi = field_last(ff, f);
    return fi ? fvalue_get_uinteger(FI_VALUE(fi)) : dflt;
}

/* Copy up to max uint values of a field into out[]; returns how many. */
static guint
field_uints(const frame_fields *ff, field_id f, guint16 *out, guint max)
{
    guint n = 0;
    for (int t = 0; t < MAX_TWINS && field_ids[f][t] >= 0; t++) {
        GPtrArray *a = proto_get_finfo_ptr_array(ff->tree, field_ids[f][t]);
        for (guint i = 0; a && i < a->len && n < max; i++)
            out[n++] = (guint16)fvalue_get_uinteger(FI_VALUE((field_info *)g_ptr_array_index(a, i)));
    }
    return n;
}

static gboolean
has_handshake_type(const frame_fields *ff, guint type)
{
    for (int t = 0; t < MAX_TWINS && field_ids[F_TLS_HS_TYPE][t] >= 0; t++) {
        GPtrArray *a = proto_get_finfo_ptr_array(ff->tree, field_ids[F_TLS_HS_TYPE][t]);
        for (guint i = 0; a && i < a->len; i++)
            if (fvalue_get_uinteger(FI_VALUE((field_info *)g_ptr_array_index(a, i))) == type)
                return TRUE;
    }
    return FALSE;
}

/* RFC 8446 4.1.3: a ServerHello with this random is a HelloRetryRequest. */
static const guint8 hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

static gboolean
is_hello_retry(const frame_fields *ff)
{
    field_info *fi = field_last(ff, F_TLS_RANDOM);
    return fi && fi->ds_tvb && fi->length == 32 && tvb_memeql(fi->ds_tvb, fi->start, hrr_random, 32) == 0;
}

static void
copy_addr(tlsdiag_addr *out, const address *in)
{
    memset(out, 0, sizeof *out);
    if (in->type == AT_IPv4 && in->len == 4) {
        out->family = 4;
        memcpy(out->bytes, in->data, 4);
    } else if (in->type == AT_IPv6 && in->len == 16) {
        out->family = 6;
        memcpy(out->bytes, in->data, 16);
    }
}

/* An address field's value through its text form: the same call on every
 * Wireshark version, and only PROXY headers (once per connection) use it. */
static gboolean
field_addr(const frame_fields *ff, field_id f, int family, tlsdiag_addr *out)
{
    field_info *fi = field_last(ff, f);
    char *text;
    gboolean ok;

    if (!fi)
        return FALSE;
    text = fvalue_to_string_repr(NULL, FI_VALUE(fi), FTREPR_DISPLAY, BASE_NONE);
    memset(out, 0, sizeof *out);
    if (family == 4) {
        ws_in4_addr a4;
        ok = text && ws_inet_pton4(text, &a4);
        if (ok)
            memcpy(out->bytes, &a4, 4);
    } else {
        ws_in6_addr a6;
        ok = text && ws_inet_pton6(text, &a6);
        if (ok)
            memcpy(out->bytes, &a6, 16);
    }
    out->family = ok ? (guint8)family : 0;
    wmem_free(NULL, text);
    return ok;
}

/* The TCP header's own bytes, where the (innermost) tcp item starts:
 * sequence and acknowledgement numbers and flags, without wanting a field
 * for each (a field present on every packet costs on every packet).
 * Returns the header length, 0 when the header is not there. */
static guint
read_tcp_header(const frame_fields *ff, tlsdiag_packet *pkt)
{
    field_info *tcp = field_last(ff, F_TCP);

    if (!tcp || !tcp->ds_tvb || !tvb_bytes_exist(tcp->ds_tvb, tcp->start, 20))
        return 0;
    pkt->seq = tvb_get_ntohl(tcp->ds_tvb, tcp->start + 4);
    pkt->ack = tvb_get_ntohl(tcp->ds_tvb, tcp->start + 8);
    pkt->tcp_flags = tvb_get_uint8(tcp->ds_tvb, tcp->start + 13);
    pkt->flags |= TLSDIAG_PKT_TCP;
    if (pkt->tcp_flags & TLSDIAG_TCP_FIN)
        pkt->flags |= TLSDIAG_PKT_FIN;
    if (pkt->tcp_flags & TLSDIAG_TCP_RST)
        pkt->flags |= TLSDIAG_PKT_RST;
    return (guint)(tvb_get_uint8(tcp->ds_tvb, tcp->start + 12) >> 4) * 4;
}

/* The TCP handshake's round trip, as the TCP dissector measured it (0:
 * unknown): read once per ClientHello from its conversation. */
static guint32
tcp_irtt_us(packet_info *pinfo)
{
    conversation_t *conv = find_conversation_pinfo(pinfo, 0);
    struct tcp_analysis *tcpd = conv && proto_tcp >= 0 ? conversation_get_proto_data(conv, proto_tcp) : NULL;

    if (!tcpd || tcpd->ts_first_rtt.secs < 0)
        return 0;
    return (guint32)MIN((gint64)tcpd->ts_first_rtt.secs * 1000000 + tcpd->ts_first_rtt.nsecs / 1000, G_MAXUINT32);
}

/* Whether the peer had sent data before this segment: its acknowledgement
 * number against the peer's first sequence number as the TCP dissector saw
 * it (its SYN). Returns the bytes beyond the SYN and one more (a FIN or a
 * single byte: the two cannot be told apart, and a byte is no request), -1
 * when unknown. Read only on the rare frames that need it. */
static gint64
tcp_peer_sent(packet_info *pinfo, const tlsdiag_packet *pkt)
{
    conversation_t *conv = find_conversation_pinfo(pinfo, 0);
    struct tcp_analysis *tcpd = conv && proto_tcp >= 0 ? conversation_get_proto_data(conv, proto_tcp) : NULL;

    /* static_flags 0x01: base_seq is set (packet-tcp.c's TCP_S_BASE_SEQ_SET). */
    if (!tcpd || !tcpd->rev || !(tcpd->rev->static_flags & 0x01) || !(pkt->tcp_flags & TLSDIAG_TCP_ACK))
        return -1;
    guint32 acked = pkt->ack - tcpd->rev->base_seq;
    return acked > 2 ? acked - 2 : 0;
}

/* The first bytes of the TCP payload, found after the TCP header: the
 * payload as a field (tcp.payload) would copy every segment's bytes. */
static const guint8 *
payload_head(const frame_fields *ff, guint hdr_len, guint32 payload_len, guint max, guint *len)
{
    field_info *tcp = field_last(ff, F_TCP);
    gint at, left;

    if (!tcp || !tcp->ds_tvb || !payload_len || !hdr_len)
        return NULL;
    at = tcp->start + (gint)hdr_len;
    left = tvb_captured_length_remaining(tcp->ds_tvb, at);
    if (left <= 0)
        return NULL;
    *len = MIN(MIN((guint)left, payload_len), max);
    return tvb_get_ptr(tcp->ds_tvb, at, *len);
}

/* A PROXY protocol header: Wireshark's fields when it decoded one (v1
 * always, v2 with tcp.try_heuristic_first), else a v2 header it gave to TLS
 * as "Continuation Data" on a TLS port. */
static void
read_proxy(const frame_fields *ff, guint hdr_len, tlsdiag_packet *pkt)
{
    gboolean v1 = field_last(ff, F_PROXY_V1_MAGIC) != NULL;
    const guint8 *head;
    guint len;

    if (v1 || field_last(ff, F_PROXY_VERSION)) {
        if (!field_addr(ff, F_PROXY_SRC_V4, 4, &pkt->proxy_src) && !field_addr(ff, F_PROXY_SRC_V6, 6, &pkt->proxy_src))
            return;
        pkt->proxy_version = v1 ? 1 : 2;
        pkt->proxy_srcport = (guint16)field_uint(ff, F_PROXY_SRCPORT, 0);
    } else if (!field_count(ff, F_TLS_RECORD) && (head = payload_head(ff, hdr_len, pkt->payload_len, 64, &len))) {
        if (!tlsdiag_proxy_v2_source(head, len, &pkt->proxy_src, &pkt->proxy_srcport))
            return;
        pkt->proxy_version = 2;
    } else {
        return;
    }
    pkt->flags |= TLSDIAG_PKT_PROXY;
}

/* ---- certificates: Wireshark's X.509 fields, grouped per certificate by
 * where they lie (one Certificate message's fields are one flat list). ---- */

#define NAME_LEN 256
typedef struct {
    tlsdiag_cert certs[TLSDIAG_PKT_MAX_CERTS];
    char         subject[TLSDIAG_PKT_MAX_CERTS][NAME_LEN];
    char         issuer[TLSDIAG_PKT_MAX_CERTS][NAME_LEN];
} frame_certs;

static gboolean
within(const field_info *in, const field_info *out)
{
    return in->ds_tvb == out->ds_tvb && in->start >= out->start &&
           in->start + in->length <= out->start + out->length;
}

/* The n-th (from 0) occurrence of a field inside outer, or NULL. */
static field_info *
field_within(const frame_fields *ff, field_id f, const field_info *outer, guint n)
{
    for (int t = 0; t < MAX_TWINS && field_ids[f][t] >= 0; t++) {
        GPtrArray *a = proto_get_finfo_ptr_array(ff->tree, field_ids[f][t]);
        for (guint i = 0; a && i < a->len; i++) {
            field_info *fi = g_ptr_array_index(a, i);
            if (within(fi, outer) && n-- == 0)
                return fi;
        }
    }
    return NULL;
}

/* An OID field's encoded value equals oid (DER content bytes). */
static gboolean
oid_is(const field_info *fi, const guint8 *oid, guint len)
{
    return fi && fi->ds_tvb && (guint)fi->length == len && tvb_memeql(fi->ds_tvb, fi->start, oid, len) == 0;
}

static const struct {
    guint8      len;
    guint8      oid[9];
    const char *name;
} dn_attrs[] = {
    { 3, { 0x55, 0x04, 0x03 }, "CN" }, { 3, { 0x55, 0x04, 0x06 }, "C" }, { 3, { 0x55, 0x04, 0x07 }, "L" },
    { 3, { 0x55, 0x04, 0x08 }, "ST" }, { 3, { 0x55, 0x04, 0x0a }, "O" }, { 3, { 0x55, 0x04, 0x0b }, "OU" },
    { 9, { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01 }, "emailAddress" },
};

static const field_id dn_string_fields[] = {
    F_X509_UTF8, F_X509_PRINTABLE, F_X509_TELETEX, F_X509_UNIVERSAL, F_X509_BMP, F_X509_COUNTRY,
};

/* "CN=good.example, O=Example" from a name's attribute items; *cn gets the
 * commonName. Unknown attribute types are left out. */
static void
read_dn(const frame_fields *ff, const field_info *name, char *out, const char **cn)
{
    GString *s = g_string_new(NULL);
    field_info *atv;

    for (guint i = 0; (atv = field_within(ff, F_X509_ATV, name, i)) != NULL; i++) {
        field_info *oid = field_within(ff, F_X509_ATTR_OID, atv, 0), *val = NULL;
        for (guint k = 0; k < G_N_ELEMENTS(dn_string_fields) && !val; k++)
            val = field_within(ff, dn_string_fields[k], atv, 0);
        if (!val)
            continue;
        for (guint k = 0; k < G_N_ELEMENTS(dn_attrs); k++) {
            if (!oid_is(oid, dn_attrs[k].oid, dn_attrs[k].len))
                continue;
            const char *v = fvalue_get_string(FI_VALUE(val));
            g_string_append_printf(s, "%s%s=%s", s->len ? ", " : "", dn_attrs[k].name, v);
            if (cn && k == 0 && !*cn)
                *cn = v;
        }
    }
    /* Cut at a character boundary. */
    g_strlcpy(out, s->str, NAME_LEN);
    const char *end;
    if (!g_utf8_validate(out, -1, &end))
        out[end - out] = '\0';
    g_string_free(s, TRUE);
}

/* notBefore/notAfter: UTCTime as Wireshark shows it ("2026-11-23 23:46:33
 * (UTC)", or the raw "261123234633Z"), or GeneralizedTime. */
static gboolean
read_time(const frame_fields *ff, const field_info *when, gint64 *out)
{
    field_info *fi = field_within(ff, F_X509_GENTIME, when, 0);
    int y, mo, d, h, mi, sec;

    if (fi) {
        *out = (gint64)fvalue_get_time(FI_VALUE(fi))->secs;
        return TRUE;
    }
    fi = field_within(ff, F_X509_UTCTIME, when, 0);
    const char *t = fi ? fvalue_get_string(FI_VALUE(fi)) : NULL;
    if (!t)
        return FALSE;
    if (sscanf(t, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &sec) != 6) {
        if (sscanf(t, "%2d%2d%2d%2d%2d%2d", &y, &mo, &d, &h, &mi, &sec) != 6)
            return FALSE;
        y += y < 50 ? 2000 : 1900;   /* RFC 5280 4.1.2.5.1 */
    }
    GDateTime *dt = g_date_time_new_utc(y, mo, d, h, mi, sec);
    if (!dt)
        return FALSE;
    *out = g_date_time_to_unix(dt);
    g_date_time_unref(dt);
    return TRUE;
}

static const guint8 oid_sha1_rsa[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05 };
static const guint8 oid_md5_rsa[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04 };
static const guint8 oid_md2_rsa[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x02 };
static const guint8 oid_sha1_ecdsa[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01 };
static const guint8 oid_sha1_dsa[] = { 0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x03 };

static guint8
read_sig(const frame_fields *ff, const field_info *cert)
{
    field_info *sig = field_within(ff, F_X509_SIGNATURE, cert, 0);
    field_info *alg = sig ? field_within(ff, F_X509_ALG_ID, sig, 0) : NULL;

    if (oid_is(alg, oid_sha1_rsa, sizeof oid_sha1_rsa) || oid_is(alg, oid_sha1_ecdsa, sizeof oid_sha1_ecdsa) ||
        oid_is(alg, oid_sha1_dsa, sizeof oid_sha1_dsa))
        return TLSDIAG_SIG_SHA1;
    if (oid_is(alg, oid_md5_rsa, sizeof oid_md5_rsa) || oid_is(alg, oid_md2_rsa, sizeof oid_md2_rsa))
        return TLSDIAG_SIG_MD5;
    return TLSDIAG_SIG_OK;
}

/* The RSA modulus size in bits, from the bytes of the modulus. */
static guint
read_rsa_bits(const frame_fields *ff, const field_info *cert)
{
    field_info *mod = field_within(ff, F_PKCS1_MODULUS, cert, 0);
    gint i = 0;

    if (!mod || !mod->ds_tvb || mod->length <= 0)
        return 0;
    while (i < mod->length && tvb_get_uint8(mod->ds_tvb, mod->start + i) == 0)
        i++;
    if (i == mod->length)
        return 0;
    guint8 top = tvb_get_uint8(mod->ds_tvb, mod->start + i);
    guint bits = (guint)(mod->length - i) * 8;
    while (!(top & 0x80)) {
        top <<= 1;
        bits--;
    }
    return bits;
}

/* A Certificate message in this frame: fill pkt->certs (n_certs 0: an empty
 * message). Nothing when its certificates are there but not decoded. */
static void
read_certificates(const frame_fields *ff, tlsdiag_packet *pkt, frame_certs *fc)
{
    guint n = 0, total = field_count(ff, F_TLS_CERTIFICATE);

    for (int t = 0; t < MAX_TWINS && field_ids[F_TLS_CERTIFICATE][t] >= 0; t++) {
        GPtrArray *a = proto_get_finfo_ptr_array(ff->tree, field_ids[F_TLS_CERTIFICATE][t]);
        for (guint i = 0; a && i < a->len && n < TLSDIAG_PKT_MAX_CERTS; i++) {
            const field_info *cert = g_ptr_array_index(a, i);
            tlsdiag_cert *c = &fc->certs[n];
            field_info *fi;
            memset(c, 0, sizeof *c);
            if ((fi = field_within(ff, F_X509_SUBJECT, cert, 0))) {
                read_dn(ff, fi, fc->subject[n], &c->cn);
                c->subject = fc->subject[n];
            }
            if ((fi = field_within(ff, F_X509_ISSUER, cert, 0))) {
                read_dn(ff, fi, fc->issuer[n], NULL);
                c->issuer = fc->issuer[n];
            }
            if ((fi = field_within(ff, F_X509_NOT_BEFORE, cert, 0)))
                c->has_not_before = read_time(ff, fi, &c->not_before);
            if ((fi = field_within(ff, F_X509_NOT_AFTER, cert, 0)))
                c->has_not_after = read_time(ff, fi, &c->not_after);
            for (guint k = 0; c->n_dns < TLSDIAG_CERT_MAX_NAMES &&
                              (fi = field_within(ff, F_X509_DNSNAME, cert, k)) != NULL; k++)
                c->dns[c->n_dns++] = fvalue_get_string(FI_VALUE(fi));
            c->sig = read_sig(ff, cert);
            c->rsa_bits = read_rsa_bits(ff, cert);
            n++;
        }
    }
    if (n || (field_last(ff, F_TLS_CERTS_LENGTH) && field_uint(ff, F_TLS_CERTS_LENGTH, 1) == 0)) {
        pkt->certs = fc->certs;
        pkt->n_certs = total;
    }
}

/* One encrypted record (an opaque TLS 1.3 record Wireshark could not
 * decrypt) of an alert's size: 2 bytes, the inner content type, and a 16-byte
 * AEAD tag (8 with CCM_8). Also notes the length of the frame's first
 * encrypted record. */
static gboolean
alert_shaped(const frame_fields *ff, tlsdiag_packet *pkt)
{
    guint opaque = 0, len = 0;

    for (int t = 0; t < MAX_TWINS && field_ids[F_TLS_RECORD][t] >= 0; t++) {
        GPtrArray *a = proto_get_finfo_ptr_array(ff->tree, field_ids[F_TLS_RECORD][t]);
        for (guint i = 0; a && i < a->len; i++) {
            const field_info *rec = g_ptr_array_index(a, i);
            field_info *length;
            /* Decrypted records show their inner content type. */
            if (!field_within(ff, F_TLS_OPAQUE_TYPE, rec, 0) || field_within(ff, F_TLS_CONTENT_TYPE, rec, 0) ||
                !(length = field_within(ff, F_TLS_RECORD_LENGTH, rec, 0)))
                continue;
            len = fvalue_get_uinteger(FI_VALUE(length));
            if (!opaque++)
                pkt->first_enc_len = (guint16)len;
        }
    }
    return opaque == 1 && (len == 2 + 1 + 16 || len == 2 + 1 + 8);
}

/* A handshake record Wireshark took for encrypted (no message type in it)
 * whose bytes are a plaintext ClientHello: type 1, a length that fills the
 * item, then a 3.x version. Seed 03's client does this after it lost its
 * state on a live connection. */
static gboolean
plaintext_hello(const frame_fields *ff)
{
    for (int t = 0; t < MAX_TWINS && field_ids[F_TLS_HS][t] >= 0; t++) {
        GPtrArray *a = proto_get_finfo_ptr_array(ff->tree, field_ids[F_TLS_HS][t]);
        for (guint i = 0; a && i < a->len; i++) {
            const field_info *hs = g_ptr_array_index(a, i);
            if (field_within(ff, F_TLS_HS_TYPE, hs, 0) || !hs->ds_tvb || hs->length < 4 + 2 + 32 ||
                !tvb_bytes_exist(hs->ds_tvb, hs->start, 6))
                continue;
            if (tvb_get_uint8(hs->ds_tvb, hs->start) == 1 &&
                tvb_get_ntoh24(hs->ds_tvb, hs->start + 1) == (guint32)hs->length - 4 &&
                tvb_get_uint8(hs->ds_tvb, hs->start + 4) == 3)
                return TRUE;
        }
    }
    return FALSE;
}

/* A ClientHello Wireshark decoded from the record itself, not from
 * decrypted data (newer versions decode seed 03's plaintext hello, which 4.0
 * shows as an encrypted handshake message). */
static gboolean
hello_in_plaintext(const frame_fields *ff)
{
    for (int t = 0; t < MAX_TWINS && field_ids[F_TLS_HS_TYPE][t] >= 0; t++) {
        GPtrArray *types = proto_get_finfo_ptr_array(ff->tree, field_ids[F_TLS_HS_TYPE][t]);
        for (guint i = 0; types && i < types->len; i++) {
            field_info *type = g_ptr_array_index(types, i);
            if (fvalue_get_uinteger(FI_VALUE(type)) != 1)   /* ClientHello */
                continue;
            for (int r = 0; r < MAX_TWINS && field_ids[F_TLS_RECORD][r] >= 0; r++) {
                GPtrArray *recs = proto_get_finfo_ptr_array(ff->tree, field_ids[F_TLS_RECORD][r]);
                for (guint k = 0; recs && k < recs->len; k++)
                    if (within(type, g_ptr_array_index(recs, k)))
                        return TRUE;
            }
        }
    }
    return FALSE;
}

/* How many records of this content type (TLS <= 1.2, and TLS 1.3 records
 * read with keys) the frame has; counting types is cheaper than wanting the
 * application data itself, which Wireshark would copy. */
enum { TLS_APPLICATION_DATA = 23 };
static guint
records_of_type(const frame_fields *ff, guint type)
{
    guint n = 0;
    for (int t = 0; t < MAX_TWINS && field_ids[F_TLS_CONTENT_TYPE][t] >= 0; t++) {
        GPtrArray *a = proto_get_finfo_ptr_array(ff->tree, field_ids[F_TLS_CONTENT_TYPE][t]);
        for (guint i = 0; a && i < a->len; i++)
            n += fvalue_get_uinteger(FI_VALUE((field_info *)g_ptr_array_index(a, i))) == type;
    }
    return n;
}

/* TLS extension types (IANA). */
enum { EXT_SESSION_TICKET = 35, EXT_PRE_SHARED_KEY = 41, EXT_SUPPORTED_VERSIONS = 43, EXT_RENEGOTIATION_INFO = 0xff01 };

/* Whether the frame's hello has extension type (non-empty: with data). */
static gboolean
has_extension(const frame_fields *ff, guint16 type, gboolean non_empty)
{
    guint16 types[64], lens[64];
    guint n = field_uints(ff, F_TLS_EXT_TYPE, types, G_N_ELEMENTS(types));
    guint m = field_uints(ff, F_TLS_EXT_LEN, lens, G_N_ELEMENTS(lens));

    for (guint i = 0; i < n; i++)
        if (types[i] == type && (!non_empty || (i < m && n == m && lens[i] > 0)))
            return TRUE;
    return FALSE;
}

/* TLS handshake message types (RFC 8446 4). */
enum { HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2, HS_CERTIFICATE = 11, HS_CERT_REQUEST = 13, HS_SERVER_DONE = 14,
       HS_FINISHED = 20 };

/* SSLv2 message types. */
enum { SSL2_CLIENT_HELLO = 1, SSL2_SERVER_HELLO = 4 };

static gboolean
has_ssl2_type(const guint16 *types, guint n, guint16 type)
{
    for (guint i = 0; i < n; i++)
        if (types[i] == type)
            return TRUE;
    return FALSE;
}

/* An SSLv2-format ClientHello lists 3-byte cipher specs: 0x00XXXX is the TLS
 * suite XXXX, anything else an SSL 2.0 cipher. */
static void
read_cipher_specs(const frame_fields *ff, tlsdiag_client_hello *ch)
{
    for (int t = 0; t < MAX_TWINS && field_ids[F_TLS_CIPHERSPEC][t] >= 0; t++) {
        GPtrArray *a = proto_get_finfo_ptr_array(ff->tree, field_ids[F_TLS_CIPHERSPEC][t]);
        for (guint i = 0; a && i < a->len; i++) {
            guint32 spec = fvalue_get_uinteger(FI_VALUE((field_info *)g_ptr_array_index(a, i)));
            if (spec >> 16)
                ch->n_ssl2_specs++;
            else if (ch->n_suites < TLSDIAG_HELLO_MAX_SUITES)
                ch->suites[ch->n_suites++] = (guint16)spec;
        }
    }
}

static gboolean read_quic(const frame_fields *ff, packet_info *pinfo, tlsdiag_packet *pkt, tlsdiag_client_hello *ch,
                          frame_certs *fc);
static void read_handshake(const frame_fields *ff, tlsdiag_packet *pkt, tlsdiag_client_hello *ch, frame_certs *fc);

/* Condense this frame into pkt; FALSE when it has nothing for the core. */
static gboolean
read_packet(proto_tree *tree, packet_info *pinfo, tlsdiag_packet *pkt, tlsdiag_client_hello *ch, frame_certs *fc)
{
    frame_fields ff = { tree };
    field_info *stream = field_last(&ff, F_TCP_STREAM);

    memset(pkt, 0, sizeof *pkt);
    pkt->frame = pinfo->num;
    pkt->ts_ns = (gint64)pinfo->abs_ts.secs * 1000000000 + pinfo->abs_ts.nsecs;
    copy_addr(&pkt->src, &pinfo->net_src);
    copy_addr(&pkt->dst, &pinfo->net_dst);
    pkt->alert_desc = -1;
    if (!stream)
        return read_quic(&ff, pinfo, pkt, ch, fc);
    pkt->conv = fvalue_get_uinteger(FI_VALUE(stream));
    /* A judged connection's bulk data: read nothing more. */
    if (tlsdiag_core_ignores(tlsdiag_state, pkt->conv))
        return FALSE;
    pkt->srcport = (guint16)pinfo->srcport;
    pkt->dstport = (guint16)pinfo->destport;
    pkt->payload_len = field_uint(&ff, F_TCP_LEN, 0);

    if (field_uint(&ff, F_TCP_COMPLETENESS, 0) & 1)
        pkt->flags |= TLSDIAG_PKT_SYN_SEEN;
    guint hdr_len = read_tcp_header(&ff, pkt);
    read_proxy(&ff, hdr_len, pkt);

    guint records = field_count(&ff, F_TLS_RECORD);
    if (records)
        pkt->flags |= TLSDIAG_PKT_TLS;
    /* Payload without TLS is "not TLS" unless it is a PROXY header or a
     * segment waiting for the rest of its record. */
    if (pkt->payload_len && (!records || field_count(&ff, F_TLS_UNKNOWN_RECORD)) &&
        !(pkt->flags & TLSDIAG_PKT_PROXY) && !field_last(&ff, F_TCP_SEGMENT_DATA)) {
        pkt->flags |= TLSDIAG_PKT_NOT_TLS;
        pkt->head = payload_head(&ff, hdr_len, pkt->payload_len, 48, &pkt->head_len);
    }
    if (pkt->flags & (TLSDIAG_PKT_NOT_TLS | TLSDIAG_PKT_ALERT))
        pkt->peer_sent = tcp_peer_sent(pinfo, pkt);
    if (!records && !pkt->head && !(pkt->flags & (TLSDIAG_PKT_FIN | TLSDIAG_PKT_RST)))
        return pkt->payload_len > 0;

    read_handshake(&ff, pkt, ch, fc);
    if (pkt->hello)
        pkt->irtt_us = tcp_irtt_us(pinfo);
    return TRUE;
}

/* QUIC: the TLS handshake rides in CRYPTO frames (Initial packets are
 * readable without keys), short-header packets are the encrypted traffic
 * after it, and a CONNECTION_CLOSE with a crypto error carries the alert. */
static gboolean
read_quic(const frame_fields *ff, packet_info *pinfo, tlsdiag_packet *pkt, tlsdiag_client_hello *ch, frame_certs *fc)
{
    field_info *conn = field_last(ff, F_QUIC_CONNECTION);
    guint16 forms[16];

    if (!conn)
        return FALSE;
    /* Its own number space beside tcp.stream. */
    pkt->conv = 0x80000000u | fvalue_get_uinteger(FI_VALUE(conn));
    if (tlsdiag_core_ignores(tlsdiag_state, pkt->conv))
        return FALSE;
    pkt->srcport = (guint16)pinfo->srcport;
    pkt->dstport = (guint16)pinfo->destport;
    /* A QUIC connection begins with its Initial: nothing came before. */
    pkt->flags = TLSDIAG_PKT_SYN_SEEN | TLSDIAG_PKT_TLS;
    guint n = field_uints(ff, F_QUIC_HEADER_FORM, forms, G_N_ELEMENTS(forms));
    for (guint i = 0; i < n; i++)
        if (forms[i] == 0)
            pkt->n_app_data++;
    if (pkt->n_app_data)
        pkt->flags |= TLSDIAG_PKT_APP_DATA;
    if (field_last(ff, F_QUIC_CLOSE_ALERT)) {
        pkt->flags |= TLSDIAG_PKT_ALERT;
        pkt->alert_level = 2;
        pkt->alert_desc = (int)field_uint(ff, F_QUIC_CLOSE_ALERT, 0);
    }
    read_handshake(ff, pkt, ch, fc);
    return TRUE;
}

/* The handshake messages of a frame, TCP or QUIC. */
static void
read_handshake(const frame_fields *ff, tlsdiag_packet *pkt, tlsdiag_client_hello *ch, frame_certs *fc)
{
    /* Handshake items without a readable type are encrypted (a TLS 1.2 Finished). */
    if (field_count(ff, F_TLS_HS) > field_count(ff, F_TLS_HS_TYPE)) {
        pkt->flags |= TLSDIAG_PKT_ENC_HANDSHAKE;
        if (plaintext_hello(ff))
            pkt->flags |= TLSDIAG_PKT_PLAIN_HELLO;
    }
    if (field_count(ff, F_TLS_CCS))
        pkt->flags |= TLSDIAG_PKT_CCS;
    /* Encrypted records: opaque application data, or (with keys loaded)
     * decrypted TLS 1.3 records, whose outer type stays application_data. */
    pkt->n_app_data = MAX(pkt->n_app_data, MAX(records_of_type(ff, TLS_APPLICATION_DATA), field_count(ff, F_TLS_OPAQUE_TYPE)));
    if (pkt->n_app_data)
        pkt->flags |= TLSDIAG_PKT_APP_DATA;
    if (pkt->n_app_data && alert_shaped(ff, pkt))
        pkt->flags |= TLSDIAG_PKT_ALERT_SHAPED;
    if (field_count(ff, F_TLS_ALERT)) {
        pkt->flags |= TLSDIAG_PKT_ALERT;
        pkt->alert_level = (guint8)field_uint(ff, F_TLS_ALERT_LEVEL, 0);
        pkt->alert_desc = (int)field_uint(ff, F_TLS_ALERT_DESC, (guint32)-1);
    }
    guint16 types[G_N_ELEMENTS(pkt->hs_types)];
    pkt->n_hs_types = field_uints(ff, F_TLS_HS_TYPE, types, G_N_ELEMENTS(types));
    /* SSLv2-format records carry SSLv2 message types (CLIENT-HELLO 1,
     * CLIENT-MASTER-KEY 2, SERVER-HELLO 4, ...), and after the key exchange
     * encrypted records with no type at all. */
    guint16 ssl2[G_N_ELEMENTS(pkt->hs_types)];
    guint n_ssl2 = field_uints(ff, F_SSL2_HS_TYPE, ssl2, G_N_ELEMENTS(ssl2));
    if (n_ssl2) {
        pkt->flags |= TLSDIAG_PKT_SSLV2;
        memcpy(types, ssl2, sizeof ssl2);
        pkt->n_hs_types = n_ssl2;
    }
    guint typed = field_count(ff, F_TLS_CONTENT_TYPE) + n_ssl2, records = field_count(ff, F_TLS_RECORD);
    if (records > typed && !field_count(ff, F_TLS_OPAQUE_TYPE)) {
        pkt->n_app_data += records - typed;
        pkt->flags |= TLSDIAG_PKT_APP_DATA;
    }
    for (guint i = 0; i < pkt->n_hs_types; i++)
        pkt->hs_types[i] = (guint8)types[i];
    if (has_handshake_type(ff, HS_CERTIFICATE)) {
        pkt->flags |= TLSDIAG_PKT_CERTIFICATE;
        read_certificates(ff, pkt, fc);
    }
    if (has_handshake_type(ff, HS_CERT_REQUEST))
        pkt->flags |= TLSDIAG_PKT_CERT_REQUEST;
    if (has_handshake_type(ff, HS_SERVER_DONE))
        pkt->flags |= TLSDIAG_PKT_SERVER_DONE;
    if (has_handshake_type(ff, HS_FINISHED))
        pkt->flags |= TLSDIAG_PKT_FINISHED;
    pkt->sh_group = (guint16)field_uint(ff, F_TLS_NAMED_CURVE, 0);

    if (has_handshake_type(ff, HS_CLIENT_HELLO) || has_ssl2_type(ssl2, n_ssl2, SSL2_CLIENT_HELLO)) {
        memset(ch, 0, sizeof *ch);
        ch->legacy_version = (guint16)field_uint(ff, F_TLS_HS_VERSION, 0);
        ch->length = field_uint(ff, F_TLS_HS_LENGTH, 0);
        ch->segments = field_uint(ff, F_TCP_SEGMENT_COUNT, 1);
        ch->n_versions = field_uints(ff, F_TLS_SUPPORTED_VERSION, ch->versions, TLSDIAG_HELLO_MAX_VERSIONS);
        ch->n_suites = field_uints(ff, F_TLS_SUITE, ch->suites, TLSDIAG_HELLO_MAX_SUITES);
        ch->n_groups = field_uints(ff, F_TLS_GROUP, ch->groups, TLSDIAG_HELLO_MAX_GROUPS);
        field_info *sni = field_last(ff, F_TLS_SNI);
        ch->sni = sni ? fvalue_get_string(FI_VALUE(sni)) : NULL;
        for (int t = 0; t < MAX_TWINS && field_ids[F_TLS_ALPN][t] >= 0; t++) {
            GPtrArray *a = proto_get_finfo_ptr_array(ff->tree, field_ids[F_TLS_ALPN][t]);
            for (guint i = 0; a && i < a->len && ch->n_alpn < TLSDIAG_HELLO_MAX_ALPN; i++)
                ch->alpn[ch->n_alpn++] = fvalue_get_string(FI_VALUE((field_info *)g_ptr_array_index(a, i)));
        }
        ch->reneg_info = has_extension(ff, EXT_RENEGOTIATION_INFO, FALSE);
        ch->sslv2 = field_last(ff, F_TLS_CIPHERSPEC) != NULL;
        if (ch->sslv2)
            read_cipher_specs(ff, ch);
        /* A TLS 1.3 client's session id is random filler for middleboxes. */
        ch->resumption = has_extension(ff, EXT_PRE_SHARED_KEY, FALSE) || has_extension(ff, EXT_SESSION_TICKET, TRUE) ||
                         (field_uint(ff, F_TLS_SESSION_ID_LEN, 0) && !has_extension(ff, EXT_SUPPORTED_VERSIONS, FALSE));
        pkt->hello = ch;
        pkt->flags |= TLSDIAG_PKT_CLIENT_HELLO;
        if (hello_in_plaintext(ff))
            pkt->flags |= TLSDIAG_PKT_PLAIN_HELLO;
    } else if (has_ssl2_type(ssl2, n_ssl2, SSL2_SERVER_HELLO)) {
        pkt->flags |= TLSDIAG_PKT_SERVER_HELLO;
        pkt->sh_version = (guint16)field_uint(ff, F_TLS_HS_VERSION, 0x0002);
    } else if (has_handshake_type(ff, HS_SERVER_HELLO)) {
        guint16 selected = 0;
        pkt->flags |= is_hello_retry(ff) ? TLSDIAG_PKT_HELLO_RETRY : TLSDIAG_PKT_SERVER_HELLO;
        pkt->sh_suite = (guint16)field_uint(ff, F_TLS_SUITE, 0);
        pkt->sh_reneg_info = has_extension(ff, EXT_RENEGOTIATION_INFO, FALSE);
        pkt->sh_psk = has_extension(ff, EXT_PRE_SHARED_KEY, FALSE);
        pkt->sh_version = field_uints(ff, F_TLS_SUPPORTED_VERSION, &selected, 1) ? selected
                        : (guint16)field_uint(ff, F_TLS_HS_VERSION, 0);
        /* TLS 1.3: the group of the server's key share (an HRR names it as selected_group). */
        if (field_last(ff, F_TLS_KEY_SHARE_GROUP))
            pkt->sh_group = (guint16)field_uint(ff, F_TLS_KEY_SHARE_GROUP, 0);
        else if (field_last(ff, F_TLS_SELECTED_GROUP))
            pkt->sh_group = (guint16)field_uint(ff, F_TLS_SELECTED_GROUP, 0);
    }
}

static const char *
outcome_token(guint8 outcome)
{
    switch (outcome) {
    case TLSDIAG_OUTCOME_ESTABLISHED: return "established";
    case TLSDIAG_OUTCOME_FAILED:      return "failed";
    case TLSDIAG_OUTCOME_INCOMPLETE:  return "incomplete";
    case TLSDIAG_OUTCOME_ABANDONED:   return "abandoned";
    default:                          return NULL;
    }
}

static void
add_frame(proto_tree *tree, int hf, tvbuff_t *tvb, guint32 frame)
{
    proto_item_set_generated(proto_tree_add_uint(tree, hf, tvb, 0, 0, frame));
}

/* The attempt chain: who the client is and which attempt this is on the
 * ClientHello; whether the client recovered on a failure once the whole
 * capture is known (visited). */
static void
show_attempt(tvbuff_t *tvb, proto_tree *dt, const tlsdiag_handshake *hs, gboolean hello, gboolean visited,
             const char *story)
{
    if (!hs->attempt)
        return;
    if (hello) {
        proto_item_set_generated(proto_tree_add_string(dt, hf_tlsdiag_client, tvb, 0, 0, hs->client));
        proto_item_set_generated(proto_tree_add_uint(dt, hf_tlsdiag_attempt_number, tvb, 0, 0, hs->attempt));
        if (hs->prev) {
            nstime_t delta;
            gint64 ns = hs->hello_ts_ns - hs->prev->hello_ts_ns;
            add_frame(dt, hf_tlsdiag_attempt_prev, tvb, hs->prev->client_hello_frame);
            delta.secs = (time_t)(ns / 1000000000);
            delta.nsecs = (int)(ns % 1000000000);
            proto_item_set_generated(proto_tree_add_time(dt, hf_tlsdiag_attempt_delta, tvb, 0, 0, &delta));
        }
        if (visited && hs->next)
            add_frame(dt, hf_tlsdiag_attempt_next, tvb, hs->next->client_hello_frame);
    }
    if (visited && hs->outcome == TLSDIAG_OUTCOME_FAILED) {
        proto_item_set_generated(proto_tree_add_boolean(dt, hf_tlsdiag_recovered, tvb, 0, 0, hs->recovered_by != NULL));
        if (hs->recovered_by)
            add_frame(dt, hf_tlsdiag_recovered_in, tvb, hs->recovered_by->client_hello_frame);
    }
    if (story)
        proto_item_set_generated(proto_tree_add_string(dt, hf_tlsdiag_attempt_summary, tvb, 0, 0, story));
}

/* Which of a cause's expert infos: once the capture is known, a failure is
 * marked by whether its client recovered. */
static expert_field *
cause_expert(const tlsdiag_handshake *hs, tlsdiag_cause id, gboolean visited)
{
    if (!visited || hs->outcome != TLSDIAG_OUTCOME_FAILED || !hs->attempt || id == TLSDIAG_CAUSE_RETRY_STORM)
        return &ei_tlsdiag_cause[id];
    return hs->recovered_by ? &ei_tlsdiag_cause_recovered[id] : &ei_tlsdiag_cause_not_recovered[id];
}

static void
show_handshake(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const tlsdiag_handshake *hs)
{
    const gboolean visited = PINFO_FD_VISITED(pinfo);
    const gboolean deciding = pinfo->num == hs->outcome_frame;
    const gboolean hello = pinfo->num == hs->client_hello_frame;
    const tlsdiag_verdict *v = hs->verdict;
    const char *outcome = NULL, *story;
    char buf[256], story_buf[512], brief_buf[256], history_buf[2048];

    /* The outcome on the frame that decided it; on a later pass the
     * ClientHello also says how things ended (or that the capture ended first). */
    if (deciding)
        outcome = outcome_token(hs->outcome);
    else if (hello && visited)
        outcome = hs->outcome == TLSDIAG_OUTCOME_PENDING ? "incomplete" : outcome_token(hs->outcome);

    const gboolean cert = hs->leaf && pinfo->num == hs->leaf->frame;
    if (!deciding && !hello && !cert)
        return;

    proto_item *ti = proto_tree_add_item(tree, proto_tlsdiag, tvb, 0, 0, ENC_NA);
    proto_tree *dt = proto_item_add_subtree(ti, ett_tlsdiag);

    if (hs->client_hello_frame)
        add_frame(dt, hf_tlsdiag_handshake_frame, tvb, hs->client_hello_frame);
    if (outcome) {
        proto_item_set_generated(proto_tree_add_string(dt, hf_tlsdiag_outcome, tvb, 0, 0, outcome));
        proto_item_append_text(ti, ": %s", outcome);
    }
    if (cert) {
        const tlsdiag_leaf *leaf = hs->leaf;
        if (leaf->subject)
            proto_item_set_generated(proto_tree_add_string(dt, hf_tlsdiag_cert_subject, tvb, 0, 0, leaf->subject));
        if (leaf->issuer)
            proto_item_set_generated(proto_tree_add_string(dt, hf_tlsdiag_cert_issuer, tvb, 0, 0, leaf->issuer));
        if (leaf->has_not_after) {
            nstime_t t = { (time_t)leaf->not_after, 0 };
            proto_item_set_generated(proto_tree_add_time(dt, hf_tlsdiag_cert_not_after, tvb, 0, 0, &t));
        }
    }
    if (!deciding && !hello)
        return;
    story = tlsdiag_attempt_story(hs, visited, FALSE, story_buf, sizeof story_buf);
    show_attempt(tvb, dt, hs, hello, visited, story);
    if (!deciding && !(hello && visited))
        return;

    proto_item_set_generated(proto_tree_add_string(dt, hf_tlsdiag_summary, tvb, 0, 0,
                                                   tlsdiag_handshake_summary(hs, visited, buf, sizeof buf)));
    if (tlsdiag_history(hs, history_buf, sizeof history_buf))
        proto_item_set_generated(proto_tree_add_string(dt, hf_tlsdiag_history, tvb, 0, 0, history_buf));
    for (guint i = 0; v && i < v->n_causes; i++) {
        const tlsdiag_cause_info *info = tlsdiag_cause_get(v->causes[i]);
        proto_item *ci = proto_tree_add_string(dt, hf_tlsdiag_cause, tvb, 0, 0, info->token);
        proto_tree *ct = proto_item_add_subtree(ci, ett_tlsdiag_cause);
        proto_item_set_generated(ci);
        proto_item_append_text(ci, " (%s)", info->title);
        proto_item_set_generated(proto_tree_add_string(ct, hf_tlsdiag_evidence, tvb, 0, 0, v->evidence[i]));
        proto_item_set_generated(proto_tree_add_string(ct, hf_tlsdiag_explanation, tvb, 0, 0, info->explanation));
        proto_item_set_generated(proto_tree_add_string(ct, hf_tlsdiag_remedy, tvb, 0, 0, info->remedy));
        if (!deciding)
            continue;
        /* One expert info per cause, on the deciding frame. The dialog groups
         * by title; Wireshark keeps 240 characters of the text: the attempt
         * chain in brief comes first, else the remedy follows the evidence. */
        if (story)
            expert_add_info_format(pinfo, ci, cause_expert(hs, info->id, visited), "%s %s",
                                   tlsdiag_attempt_story(hs, visited, TRUE, brief_buf, sizeof brief_buf),
                                   v->evidence[i]);
        else
            expert_add_info_format(pinfo, ci, cause_expert(hs, info->id, visited), "%s %s", v->evidence[i],
                                   info->remedy);
        col_append_fstr(pinfo->cinfo, COL_INFO, " [tlsdiag: %s]", info->token);
    }
}

static void
tap_handshake(packet_info *pinfo, const tlsdiag_handshake *hs, gboolean settled)
{
    if (!have_tap_listener(tlsdiag_tap))
        return;
    tlsdiag_tap_data *d = wmem_new(pinfo->pool, tlsdiag_tap_data);
    d->hs = hs;
    d->settled = settled;
    /* A first pass counted the failure on an earlier frame; a later pass
     * never saw it as one. */
    d->undo = settled && !PINFO_FD_VISITED(pinfo) ? tlsdiag_core_superseded(tlsdiag_state, hs) : NULL;
    tap_queue_packet(tlsdiag_tap, pinfo, d);
}

static int
dissect_tlsdiag(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    const tlsdiag_handshake *hs;

    if (!tlsdiag_state)
        return 0;
    if (!PINFO_FD_VISITED(pinfo)) {
        tlsdiag_packet pkt;
        tlsdiag_client_hello ch;
        frame_certs fc;
        /* Fields are only there on this first pass, and only with a tree. */
        if (!tree || !read_packet(tree, pinfo, &pkt, &ch, &fc))
            return 0;
        hs = tlsdiag_core_packet(tlsdiag_state, &pkt);
        if (hs)
            p_add_proto_data(wmem_file_scope(), pinfo, proto_tlsdiag, 0, (void *)hs);
    } else {
        hs = p_get_proto_data(wmem_file_scope(), pinfo, proto_tlsdiag, 0);
    }
    if (!hs)
        return 0;
    show_handshake(tvb, pinfo, tree, hs);
    /* Once per pass: its ClientHello, and the frame that settled it. */
    if (pinfo->num == hs->client_hello_frame)
        tap_handshake(pinfo, hs, FALSE);
    if (pinfo->num == hs->outcome_frame)
        tap_handshake(pinfo, hs, TRUE);
    return tvb_captured_length(tvb);
}

static void
tlsdiag_init(void)
{
    tlsdiag_prefs.client_from_proxy = pref_client_from_proxy;
    tlsdiag_state = tlsdiag_core_new(&tlsdiag_prefs, tlsdiag_judge);
    /* Wanting fields makes Wireshark build trees: only while we are enabled. */
    if (!proto_is_protocol_enabled(find_protocol_by_id(proto_tlsdiag)))
        return;
    if (!field_ids_ready)
        resolve_fields();
    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    for (int f = 0; f < F_COUNT; f++)
        for (int t = 0; t < MAX_TWINS && field_ids[f][t] >= 0; t++)
            g_array_append_val(wanted, field_ids[f][t]);
    set_postdissector_wanted_hfids(tlsdiag_handle, wanted);
}

static void
tlsdiag_cleanup(void)
{
    set_postdissector_wanted_hfids(tlsdiag_handle, NULL);
    tlsdiag_core_free(tlsdiag_state);
    tlsdiag_state = NULL;
}

static int
expert_group(tlsdiag_group g)
{
    switch (g) {
    case TLSDIAG_GROUP_SECURITY:  return PI_SECURITY;
    case TLSDIAG_GROUP_SEQUENCE:  return PI_SEQUENCE;
    case TLSDIAG_GROUP_MALFORMED: return PI_MALFORMED;
    default:                      return PI_PROTOCOL;
    }
}

static int
expert_severity(tlsdiag_severity s)
{
    switch (s) {
    case TLSDIAG_SEV_CHAT: return PI_CHAT;
    case TLSDIAG_SEV_NOTE: return PI_NOTE;
    case TLSDIAG_SEV_WARN: return PI_WARN;
    default:               return PI_ERROR;
    }
}

void
proto_register_tlsdiag(void)
{
    static hf_register_info hf[] = {
        { &hf_tlsdiag_cause,
          { "Cause", "tlsdiag.cause", FT_STRING, BASE_NONE, NULL, 0x0,
            "Why the TLS handshake failed, as a token (inappropriate_fallback, missing_sni, ...); one item per cause, most specific first", HFILL } },
        { &hf_tlsdiag_summary,
          { "Summary", "tlsdiag.summary", FT_STRING, BASE_NONE, NULL, 0x0,
            "One sentence naming the evidence: versions, suites, names and frame numbers", HFILL } },
        { &hf_tlsdiag_outcome,
          { "Outcome", "tlsdiag.outcome", FT_STRING, BASE_NONE, NULL, 0x0,
            "How the handshake ended: established, failed or incomplete (the capture began or ended mid-way)", HFILL } },
        { &hf_tlsdiag_handshake_frame,
          { "Handshake (ClientHello) frame", "tlsdiag.handshake_frame", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "The frame holding the ClientHello of the handshake this frame belongs to", HFILL } },
        { &hf_tlsdiag_evidence,
          { "Evidence", "tlsdiag.evidence", FT_STRING, BASE_NONE, NULL, 0x0,
            "What in this capture supports the cause", HFILL } },
        { &hf_tlsdiag_explanation,
          { "Explanation", "tlsdiag.explanation", FT_STRING, BASE_NONE, NULL, 0x0,
            "What the cause means, in plain words", HFILL } },
        { &hf_tlsdiag_remedy,
          { "Remedy", "tlsdiag.remedy", FT_STRING, BASE_NONE, NULL, 0x0,
            "What to do about the cause", HFILL } },
        { &hf_tlsdiag_client,
          { "Client", "tlsdiag.client", FT_STRING, BASE_NONE, NULL, 0x0,
            "The client identity attempts are linked by: its address, or the original client's address from a "
            "PROXY protocol header (then also the address on the wire)", HFILL } },
        { &hf_tlsdiag_attempt_number,
          { "Attempt", "tlsdiag.attempt.number", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Which attempt of this client to this service (address, port, SNI) this handshake is: 1 for the first, "
            "2 for a retry within the retry window after attempt 1 failed, and so on", HFILL } },
        { &hf_tlsdiag_attempt_prev,
          { "Previous attempt", "tlsdiag.attempt.prev", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RETRANS_PREV), 0x0,
            "The ClientHello of the same client's failed attempt this handshake retries", HFILL } },
        { &hf_tlsdiag_attempt_next,
          { "Next attempt", "tlsdiag.attempt.next", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RETRANS_NEXT), 0x0,
            "The ClientHello of the same client's retry after this attempt failed (known once the whole "
            "capture is read: tshark -2, the GUI)", HFILL } },
        { &hf_tlsdiag_attempt_delta,
          { "Time since previous attempt", "tlsdiag.attempt.delta", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "Time from the previous attempt's ClientHello to this one", HFILL } },
        { &hf_tlsdiag_attempt_summary,
          { "Attempt story", "tlsdiag.attempt.summary", FT_STRING, BASE_NONE, NULL, 0x0,
            "The chain of attempts in words: how the previous attempt failed and whether the client recovered, "
            "with the time it waited", HFILL } },
        { &hf_tlsdiag_recovered,
          { "Client recovered", "tlsdiag.recovered", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "Whether a later attempt of the same client to the same service succeeded (on failed handshakes, "
            "once the whole capture is read)", HFILL } },
        { &hf_tlsdiag_history,
          { "Handshake story", "tlsdiag.history", FT_STRING, BASE_NONE, NULL, 0x0,
            "Every handshake message, ChangeCipherSpec, encrypted record, alert and FIN/RST of the handshake, in "
            "order, with the frame and who sent it (on the frame that settled it)", HFILL } },
        { &hf_tlsdiag_cert_subject,
          { "Server certificate subject", "tlsdiag.cert.subject", FT_STRING, BASE_NONE, NULL, 0x0,
            "The subject of the server's (leaf) certificate, on the frame of its Certificate message "
            "(CN, O, OU, C, ST, L, emailAddress)", HFILL } },
        { &hf_tlsdiag_cert_issuer,
          { "Server certificate issuer", "tlsdiag.cert.issuer", FT_STRING, BASE_NONE, NULL, 0x0,
            "The issuer of the server's (leaf) certificate", HFILL } },
        { &hf_tlsdiag_cert_not_after,
          { "Server certificate valid until", "tlsdiag.cert.not_after", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0x0,
            "The notAfter date of the server's (leaf) certificate", HFILL } },
        { &hf_tlsdiag_recovered_in,
          { "Recovered in", "tlsdiag.recovered_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "The ClientHello of the later attempt that succeeded", HFILL } },
    };
    static gint *ett[] = { &ett_tlsdiag, &ett_tlsdiag_cause };
    /* Three expert infos per catalogue row, built from the catalogue and
     * sharing its name: the catalogue's severity, recovered, not recovered. */
    static ei_register_info ei[3 * TLSDIAG_CAUSE_COUNT];
    static const ei_register_info ei_template = { NULL, { NULL, PI_PROTOCOL, PI_ERROR, NULL, EXPFILL } };

    for (int i = 0; i < TLSDIAG_CAUSE_COUNT; i++) {
        const tlsdiag_cause_info *info = tlsdiag_cause_get((tlsdiag_cause)i);
        expert_field *ids[3] = { &ei_tlsdiag_cause[i], &ei_tlsdiag_cause_recovered[i],
                                 &ei_tlsdiag_cause_not_recovered[i] };
        const int severity[3] = { expert_severity(info->severity), PI_NOTE, PI_ERROR };
        char *name = g_strdup_printf("tlsdiag.expert.%s", info->token);
        for (int k = 0; k < 3; k++) {
            ei_register_info *e = &ei[3 * i + k];
            *e = ei_template;
            e->ids = ids[k];
            e->eiinfo.name = name;
            e->eiinfo.group = expert_group(info->group);
            e->eiinfo.severity = severity[k];
            e->eiinfo.summary = info->title;
        }
    }

    proto_tlsdiag = proto_register_protocol("TLS Diagnostics", "TLSDIAG", "tlsdiag");
    proto_register_field_array(proto_tlsdiag, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_register_field_array(expert_register_protocol(proto_tlsdiag), ei, array_length(ei));

    tlsdiag_options_default(&tlsdiag_prefs);
    pref_client_from_proxy = tlsdiag_prefs.client_from_proxy;
    module_t *prefs = prefs_register_protocol(proto_tlsdiag, NULL);
    prefs_register_bool_preference(prefs, "client_from_proxy", "Identify clients by their PROXY header",
        "When a connection begins with a PROXY protocol header (load balancers), link its attempts by the "
        "original client address in the header rather than the address on the wire",
        &pref_client_from_proxy);
    prefs_register_uint_preference(prefs, "retry_window", "Retry window (seconds)",
        "A ClientHello from the same client to the same service at most this long after an attempt failed "
        "is a retry of it", 10, &tlsdiag_prefs.retry_window_s);
    prefs_register_uint_preference(prefs, "retry_storm_attempts", "Retry storm limit (attempts)",
        "More failed attempts than this in one chain, with no success, is a retry storm", 10,
        &tlsdiag_prefs.retry_storm_attempts);

    tlsdiag_tap = register_tap(TLSDIAG_TAP);
    register_init_routine(tlsdiag_init);
    register_cleanup_routine(tlsdiag_cleanup);
}

void
proto_reg_handoff_tlsdiag(void)
{
    tlsdiag_handle = create_dissector_handle(dissect_tlsdiag, proto_tlsdiag);
    register_postdissector(tlsdiag_handle);
}
