/* tlsdiag-x509.c — the certificates of a Certificate message, from
 * Wireshark's X.509 fields, grouped per certificate by where they lie (one
 * message's fields are one flat list): names, validity, subjectAltName,
 * signature algorithm, RSA key size.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "tlsdiag-x509.h"

#include <stdio.h>
#include <string.h>

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
    g_strlcpy(out, s->str, TLSDIAG_NAME_LEN);
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

static const guint8 oid_kp_server[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01 };
static const guint8 oid_kp_client[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02 };
static const guint8 oid_kp_any[] = { 0x55, 0x1d, 0x25, 0x00 };

/* The extendedKeyUsage extension: which uses the certificate allows. */
static guint8
read_eku(const frame_fields *ff, const field_info *cert)
{
    field_info *list = field_within(ff, F_X509_EKU_LIST, cert, 0), *kp;
    guint8 eku = 0;

    if (!list)
        return 0;
    eku = TLSDIAG_EKU_PRESENT;
    for (guint k = 0; (kp = field_within(ff, F_X509_EKU, list, k)) != NULL; k++) {
        if (oid_is(kp, oid_kp_server, sizeof oid_kp_server))
            eku |= TLSDIAG_EKU_SERVER;
        else if (oid_is(kp, oid_kp_client, sizeof oid_kp_client))
            eku |= TLSDIAG_EKU_CLIENT;
        else if (oid_is(kp, oid_kp_any, sizeof oid_kp_any))
            eku |= TLSDIAG_EKU_ANY;
    }
    return eku;
}

/* A Certificate message in this frame: fill pkt->certs (n_certs 0: an empty
 * message). Nothing when its certificates are there but not decoded. */
void
tlsdiag_read_certificates(const frame_fields *ff, tlsdiag_packet *pkt, frame_certs *fc)
{
    guint n = 0;
    field_info *cert, *fi;

    FOR_EACH_FIELD(cert, ff, F_TLS_CERTIFICATE) {
        if (n == TLSDIAG_PKT_MAX_CERTS)
            break;
        tlsdiag_cert *c = &fc->certs[n];
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
        c->eku = read_eku(ff, cert);
        n++;
    }
    if (n || (field_last(ff, F_TLS_CERTS_LENGTH) && field_uint(ff, F_TLS_CERTS_LENGTH, 1) == 0)) {
        pkt->certs = fc->certs;
        pkt->n_certs = field_count(ff, F_TLS_CERTIFICATE);
    }
}
