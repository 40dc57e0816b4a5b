/* core/x509.c — the parts of an X.509 certificate the judge uses, from its
 * DER bytes (core/x509.h). Every length is checked against the element that
 * holds it, so nothing is read outside [der, der + len); a part that does
 * not parse ends the reading, and what came before it is kept.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/x509.h"

#include <string.h>

/* The contents of a DER element. */
typedef struct {
    const guint8 *p;
    gsize         n;
} span;

enum { TAG_BOOLEAN = 0x01, TAG_INTEGER = 0x02, TAG_BIT_STRING = 0x03, TAG_OCTET_STRING = 0x04, TAG_OID = 0x06,
       TAG_UTF8 = 0x0c, TAG_PRINTABLE = 0x13, TAG_TELETEX = 0x14, TAG_IA5 = 0x16, TAG_UTC_TIME = 0x17,
       TAG_GENERALIZED_TIME = 0x18, TAG_UNIVERSAL = 0x1c, TAG_BMP = 0x1e, TAG_SEQUENCE = 0x30, TAG_SET = 0x31,
       TAG_VERSION = 0xa0, TAG_EXTENSIONS = 0xa3, TAG_SAN_DNS = 0x82, TAG_SAN_IP = 0x87 };

/* The next element of in: its tag and contents; in moves past it. Only
 * one-byte tags and definite lengths (DER's), up to 2^32 - 1. */
static gboolean
next(span *in, guint8 *tag, span *val)
{
    gsize len, hdr = 2;

    if (in->n < 2 || (in->p[0] & 0x1f) == 0x1f)
        return FALSE;
    len = in->p[1];
    if (len & 0x80) {
        const guint k = len & 0x7f;
        if (k == 0 || k > 4 || in->n < 2 + k)
            return FALSE;
        len = 0;
        for (guint i = 0; i < k; i++)
            len = len << 8 | in->p[2 + i];
        hdr += k;
    }
    if (len > in->n - hdr)
        return FALSE;
    *tag = in->p[0];
    val->p = in->p + hdr;
    val->n = len;
    in->p += hdr + len;
    in->n -= hdr + len;
    return TRUE;
}

/* The next element, if it has this tag (else in stays). */
static gboolean
expect(span *in, guint8 tag, span *val)
{
    span at = *in;
    guint8 t;
    if (next(&at, &t, val) && t == tag) {
        *in = at;
        return TRUE;
    }
    return FALSE;
}

static gboolean
oid_is(span oid, const guint8 *want, gsize len)
{
    return oid.n == len && memcmp(oid.p, want, len) == 0;
}

/* -- strings */

/* out[*at...] gets cp in UTF-8 when it fits with the NUL; FALSE: full. */
static gboolean
put_char(char *out, gsize size, gsize *at, gunichar cp)
{
    if (cp < 0x80) {    /* most names are ASCII */
        if (*at + 1 >= size)
            return FALSE;
        out[(*at)++] = (char)cp;
        out[*at] = '\0';
        return TRUE;
    }
    char buf[6];
    const gsize n = (gsize)g_unichar_to_utf8(cp, buf);
    if (*at + n >= size)
        return FALSE;
    memcpy(out + *at, buf, n);
    *at += n;
    out[*at] = '\0';
    return TRUE;
}

static gboolean
put_str(char *out, gsize size, gsize *at, const char *s)
{
    for (; *s; s++)
        if (!put_char(out, size, at, (guchar)*s))
            return FALSE;
    return TRUE;
}

/* A string element's characters, in UTF-8, appended to out. A NUL, or a
 * byte that its encoding gives no character, becomes U+FFFD (a NUL would
 * end the name early: "good.example\0.evil" is not good.example).
 * TeletexString is read as Latin-1, as most software does. */
static gboolean
put_string(char *out, gsize size, gsize *at, guint8 tag, span v)
{
    gsize i = 0;
    while (i < v.n) {
        gunichar cp = 0xfffd;
        switch (tag) {
        case TAG_UTF8: {
            if (v.p[i] && v.p[i] < 0x80) {
                cp = v.p[i++];
                break;
            }
            gunichar c = g_utf8_get_char_validated((const gchar *)v.p + i, (gssize)(v.n - i));
            if (c == (gunichar)-1 || c == (gunichar)-2 || c == 0) {
                i++;
            } else {
                i += (gsize)g_unichar_to_utf8(c, NULL);
                cp = c;
            }
            break;
        }
        case TAG_BMP:
            if (v.n - i >= 2) {
                const gunichar c = (gunichar)v.p[i] << 8 | v.p[i + 1];
                if (c && (c < 0xd800 || c > 0xdfff))
                    cp = c;
            }
            i += 2;
            break;
        case TAG_UNIVERSAL:
            if (v.n - i >= 4) {
                const gunichar c = (gunichar)v.p[i] << 24 | (gunichar)v.p[i + 1] << 16 | (gunichar)v.p[i + 2] << 8 |
                                   v.p[i + 3];
                if (c && g_unichar_validate(c))
                    cp = c;
            }
            i += 4;
            break;
        case TAG_TELETEX:
            if (v.p[i])
                cp = v.p[i];
            i++;
            break;
        default:   /* PrintableString, IA5String: ASCII */
            if (v.p[i] && v.p[i] < 0x80)
                cp = v.p[i];
            i++;
            break;
        }
        if (!put_char(out, size, at, cp))
            return FALSE;
    }
    return TRUE;
}

static gboolean
is_string_tag(guint8 tag)
{
    return tag == TAG_UTF8 || tag == TAG_PRINTABLE || tag == TAG_TELETEX || tag == TAG_IA5 || tag == TAG_UNIVERSAL ||
           tag == TAG_BMP;
}

/* -- names */

static const struct {
    guint8      len;
    guint8      oid[9];
    const char *name;
} dn_attrs[] = {
    { 3, { 0x55, 0x04, 0x03 }, "CN" }, { 3, { 0x55, 0x04, 0x06 }, "C" }, { 3, { 0x55, 0x04, 0x07 }, "L" },
    { 3, { 0x55, 0x04, 0x08 }, "ST" }, { 3, { 0x55, 0x04, 0x0a }, "O" }, { 3, { 0x55, 0x04, 0x0b }, "OU" },
    { 9, { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01 }, "emailAddress" },
};

/* "CN=good.example, O=Example" from a Name's attributes, in order; cn (when
 * not NULL) gets the first commonName. Attributes of other types, or whose
 * value is no string, are left out. */
static void
read_name(span name, char *out, char *cn)
{
    span rdn, atv, oid, val;
    gsize at = 0;
    guint8 tag;
    gboolean full = FALSE;

    out[0] = '\0';
    while (!full && expect(&name, TAG_SET, &rdn)) {
        while (!full && expect(&rdn, TAG_SEQUENCE, &atv)) {
            if (!expect(&atv, TAG_OID, &oid) || !next(&atv, &tag, &val) || !is_string_tag(tag))
                continue;
            for (guint k = 0; k < G_N_ELEMENTS(dn_attrs); k++) {
                if (!oid_is(oid, dn_attrs[k].oid, dn_attrs[k].len))
                    continue;
                full = !put_str(out, TLSDIAG_NAME_LEN, &at, at ? ", " : "") ||
                       !put_str(out, TLSDIAG_NAME_LEN, &at, dn_attrs[k].name) ||
                       !put_str(out, TLSDIAG_NAME_LEN, &at, "=") || !put_string(out, TLSDIAG_NAME_LEN, &at, tag, val);
                if (cn && k == 0 && !cn[0]) {
                    gsize c = 0;
                    put_string(cn, TLSDIAG_NAME_LEN, &c, tag, val);
                }
            }
        }
    }
}

/* -- validity */

/* Two decimal digits at s, or -1. */
static int
two_digits(const guint8 *s)
{
    return g_ascii_isdigit(s[0]) && g_ascii_isdigit(s[1]) ? (s[0] - '0') * 10 + (s[1] - '0') : -1;
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar. */
static gint64
days_from_civil(gint64 y, int m, int d)
{
    y -= m <= 2;
    const gint64 era = (y >= 0 ? y : y - 399) / 400;
    const gint64 yoe = y - era * 400;
    const gint64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* UTCTime YYMMDDhhmm[ss] and GeneralizedTime YYYYMMDDhh[mm[ss[.f...]]],
 * then Z, an offset +hhmm/-hhmm (applied) or nothing (UTC); RFC 5280 asks
 * for seconds and Z. UTCTime's YY is 19YY from 50 on (RFC 5280 4.1.2.5.1). */
static gboolean
read_time(guint8 tag, span v, gint64 *out)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    const guint8 *s = v.p, *end = v.p + v.n;
    int y, f[5] = { 0, 0, 0, 0, 0 };   /* month, day, hour, minute, second */
    guint need = 4, i;

    if (tag == TAG_UTC_TIME) {
        if (v.n < 2 || (y = two_digits(s)) < 0)
            return FALSE;
        y += y < 50 ? 2000 : 1900;
        s += 2;
    } else {
        int hi, lo;
        if (v.n < 4 || (hi = two_digits(s)) < 0 || (lo = two_digits(s + 2)) < 0)
            return FALSE;
        y = hi * 100 + lo;
        s += 4;
        need = 3;
    }
    for (i = 0; i < 5 && end - s >= 2 && g_ascii_isdigit(s[0]); i++, s += 2)
        if ((f[i] = two_digits(s)) < 0)
            return FALSE;
    if (i < need)
        return FALSE;
    if (tag == TAG_GENERALIZED_TIME && i == 5 && s < end && (*s == '.' || *s == ',')) {
        for (s++; s < end && g_ascii_isdigit(*s); s++)
            ;
    }
    gint64 offset = 0;
    if (end - s == 1 && *s == 'Z') {
        s++;
    } else if (end - s == 5 && (*s == '+' || *s == '-')) {
        const int oh = two_digits(s + 1), om = two_digits(s + 3);
        if (oh < 0 || om < 0 || oh > 23 || om > 59)
            return FALSE;
        offset = (*s == '+' ? 1 : -1) * ((gint64)oh * 3600 + om * 60);
        s += 5;
    }
    if (s != end)
        return FALSE;
    const int mo = f[0], d = f[1];
    const gboolean leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap) || f[2] > 23 || f[3] > 59 || f[4] > 59)
        return FALSE;
    *out = days_from_civil(y, mo, d) * 86400 + f[2] * 3600 + f[3] * 60 + f[4] - offset;
    return TRUE;
}

/* -- keys, signatures, extensions */

static const guint8 oid_rsa[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
static const guint8 oid_sha1_rsa[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05 };
static const guint8 oid_md5_rsa[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04 };
static const guint8 oid_md2_rsa[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x02 };
static const guint8 oid_sha1_ecdsa[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01 };
static const guint8 oid_sha1_dsa[] = { 0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x03 };
static const guint8 oid_san[] = { 0x55, 0x1d, 0x11 };
static const guint8 oid_eku[] = { 0x55, 0x1d, 0x25 };
static const guint8 oid_kp_server[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01 };
static const guint8 oid_kp_client[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02 };
static const guint8 oid_kp_any[] = { 0x55, 0x1d, 0x25, 0x00 };

/* The strength of the signature algorithm (an AlgorithmIdentifier). */
static guint8
read_sig(span alg)
{
    span oid;
    if (!expect(&alg, TAG_OID, &oid))
        return TLSDIAG_SIG_OK;
    if (oid_is(oid, oid_sha1_rsa, sizeof oid_sha1_rsa) || oid_is(oid, oid_sha1_ecdsa, sizeof oid_sha1_ecdsa) ||
        oid_is(oid, oid_sha1_dsa, sizeof oid_sha1_dsa))
        return TLSDIAG_SIG_SHA1;
    if (oid_is(oid, oid_md5_rsa, sizeof oid_md5_rsa) || oid_is(oid, oid_md2_rsa, sizeof oid_md2_rsa))
        return TLSDIAG_SIG_MD5;
    return TLSDIAG_SIG_OK;
}

/* An rsaEncryption key's modulus size in bits (0: another key, or none). */
static guint
read_rsa_bits(span spki)
{
    span alg, oid, key, rsa, mod;
    if (!expect(&spki, TAG_SEQUENCE, &alg) || !expect(&alg, TAG_OID, &oid) ||
        !oid_is(oid, oid_rsa, sizeof oid_rsa) || !expect(&spki, TAG_BIT_STRING, &key) || key.n < 1 || key.p[0])
        return 0;
    key.p++;   /* no unused bits */
    key.n--;
    if (!expect(&key, TAG_SEQUENCE, &rsa) || !expect(&rsa, TAG_INTEGER, &mod))
        return 0;
    while (mod.n && !mod.p[0]) {
        mod.p++;
        mod.n--;
    }
    if (!mod.n)
        return 0;
    guint bits = (guint)mod.n * 8;
    for (guint8 top = mod.p[0]; !(top & 0x80); top <<= 1)
        bits--;
    return bits;
}

static void
read_san(span v, tlsdiag_cert *c, tlsdiag_cert_text *text)
{
    span names, name;
    guint8 tag;
    if (!expect(&v, TAG_SEQUENCE, &names))
        return;
    while (next(&names, &tag, &name)) {
        gsize at = 0;
        c->n_ip += tag == TAG_SAN_IP && c->n_ip < G_MAXUINT8;
        if (tag != TAG_SAN_DNS || c->n_dns == TLSDIAG_CERT_MAX_NAMES)
            continue;
        text->dns[c->n_dns][0] = '\0';
        put_string(text->dns[c->n_dns], TLSDIAG_NAME_LEN, &at, TAG_IA5, name);
        c->dns[c->n_dns] = text->dns[c->n_dns];
        c->n_dns++;
    }
}

static guint8
read_eku(span v)
{
    span list, oid;
    guint8 eku = TLSDIAG_EKU_PRESENT;
    if (!expect(&v, TAG_SEQUENCE, &list))
        return eku;
    while (expect(&list, TAG_OID, &oid)) {
        if (oid_is(oid, oid_kp_server, sizeof oid_kp_server))
            eku |= TLSDIAG_EKU_SERVER;
        else if (oid_is(oid, oid_kp_client, sizeof oid_kp_client))
            eku |= TLSDIAG_EKU_CLIENT;
        else if (oid_is(oid, oid_kp_any, sizeof oid_kp_any))
            eku |= TLSDIAG_EKU_ANY;
    }
    return eku;
}

static void
read_extensions(span exts, tlsdiag_cert *c, tlsdiag_cert_text *text)
{
    span list, ext, oid, flag, value;
    if (!expect(&exts, TAG_SEQUENCE, &list))
        return;
    while (expect(&list, TAG_SEQUENCE, &ext)) {
        if (!expect(&ext, TAG_OID, &oid))
            continue;
        expect(&ext, TAG_BOOLEAN, &flag);   /* critical, optional */
        if (!expect(&ext, TAG_OCTET_STRING, &value))
            continue;
        if (oid_is(oid, oid_san, sizeof oid_san))
            read_san(value, c, text);
        else if (oid_is(oid, oid_eku, sizeof oid_eku))
            c->eku = read_eku(value);
    }
}

/* -- the certificate */

void
tlsdiag_x509_read(const guint8 *der, gsize len, tlsdiag_cert *c, tlsdiag_cert_text *text)
{
    span in = { der, len }, cert, tbs, v, validity;
    guint8 tag;

    memset(c, 0, sizeof *c);
    text->cn[0] = '\0';
    if (!der || !expect(&in, TAG_SEQUENCE, &cert) || !expect(&cert, TAG_SEQUENCE, &tbs))
        return;
    expect(&tbs, TAG_VERSION, &v);   /* optional */
    if (!expect(&tbs, TAG_INTEGER, &v) || !expect(&tbs, TAG_SEQUENCE, &v))
        return;
    c->sig = read_sig(v);
    if (!expect(&tbs, TAG_SEQUENCE, &v))
        return;
    read_name(v, text->issuer, NULL);
    c->issuer = text->issuer;
    if (!expect(&tbs, TAG_SEQUENCE, &validity))
        return;
    if (next(&validity, &tag, &v) && (tag == TAG_UTC_TIME || tag == TAG_GENERALIZED_TIME)) {
        c->has_not_before = read_time(tag, v, &c->not_before);
        if (next(&validity, &tag, &v) && (tag == TAG_UTC_TIME || tag == TAG_GENERALIZED_TIME))
            c->has_not_after = read_time(tag, v, &c->not_after);
    }
    if (!expect(&tbs, TAG_SEQUENCE, &v))
        return;
    read_name(v, text->subject, text->cn);
    c->subject = text->subject;
    c->cn = text->cn[0] ? text->cn : NULL;
    if (!expect(&tbs, TAG_SEQUENCE, &v))
        return;
    c->rsa_bits = read_rsa_bits(v);
    /* The optional unique identifiers ([1], [2]), then the extensions ([3]). */
    while (next(&tbs, &tag, &v))
        if (tag == TAG_EXTENSIONS)
            read_extensions(v, c, text);
}
