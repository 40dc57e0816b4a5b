/* core/hello.c — hello messages read from their bytes (core/hello.h). Every
 * read is bounded by the vector it is in (RFC 8446 4.1.2, 4.1.3, 4.2); a
 * vector that overruns its container ends the reading there.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/hello.h"

#include <string.h>

/* A bounded view of bytes. */
typedef struct {
    const guint8 *p;
    gsize         left;
} reader;

static gboolean
take(reader *r, gsize n, reader *out)
{
    if (n > r->left)
        return FALSE;
    if (out) {
        out->p = r->p;
        out->left = n;
    }
    r->p += n;
    r->left -= n;
    return TRUE;
}

static gboolean
uint_be(reader *r, guint size, guint32 *v)
{
    reader b;
    if (!take(r, size, &b))
        return FALSE;
    *v = 0;
    for (guint i = 0; i < size; i++)
        *v = *v << 8 | b.p[i];
    return TRUE;
}

/* A vector with a size-byte length in front. */
static gboolean
vector(reader *r, guint size, reader *out)
{
    guint32 n;
    return uint_be(r, size, &n) && take(r, n, out);
}

static guint
uint16s(reader v, guint16 *out, guint max)
{
    guint32 x;
    guint n = 0;
    while (n < max && uint_be(&v, 2, &x))
        out[n++] = (guint16)x;
    return n;
}

/* A name as Wireshark shows an ASCII string: a byte above 0x7f becomes
 * U+FFFD, and a NUL ends it. Returns the end of the text in out. */
static char *
ascii(reader v, char *out, char *end)
{
    for (gsize i = 0; i < v.left && v.p[i]; i++) {
        if (v.p[i] < 0x80 && out + 1 < end) {
            *out++ = (char)v.p[i];
        } else if (v.p[i] >= 0x80 && out + 3 < end) {
            memcpy(out, "\xef\xbf\xbd", 3);
            out += 3;
        }
    }
    *out = '\0';
    return out;
}

/* Extension types (IANA). */
enum { EXT_SERVER_NAME = 0, EXT_SUPPORTED_GROUPS = 10, EXT_ALPN = 16, EXT_SESSION_TICKET = 35,
       EXT_PRE_SHARED_KEY = 41, EXT_SUPPORTED_VERSIONS = 43, EXT_POST_HANDSHAKE_AUTH = 49, EXT_KEY_SHARE = 51,
       EXT_ECH = 0xfe0d,
       EXT_RENEGOTIATION_INFO = 0xff01 };

/* The version, random and session id every hello starts with. */
static gboolean
hello_start(reader *r, guint16 *version, reader *random, guint *sid_len)
{
    guint32 v;
    reader sid;
    if (!uint_be(r, 2, &v) || !take(r, 32, random) || !vector(r, 1, &sid))
        return FALSE;
    *version = (guint16)v;
    *sid_len = (guint)sid.left;
    return TRUE;
}

static void
client_extension(guint32 type, reader data, tlsdiag_client_hello *ch, tlsdiag_hello_text *text)
{
    reader list, item;
    guint32 name_type;

    switch (type) {
    case EXT_SERVER_NAME:   /* the last name, as Wireshark's last field */
        if (!vector(&data, 2, &list))
            break;
        while (uint_be(&list, 1, &name_type) && vector(&list, 2, &item)) {
            ascii(item, text->sni, text->sni + sizeof text->sni);
            ch->sni = text->sni;
        }
        break;
    case EXT_ALPN: {
        char *at = text->alpn, *end = text->alpn + sizeof text->alpn;
        if (!vector(&data, 2, &list))
            break;
        ch->n_alpn = 0;
        while (ch->n_alpn < TLSDIAG_HELLO_MAX_ALPN && at + 1 < end && vector(&list, 1, &item)) {
            ch->alpn[ch->n_alpn++] = at;
            at = ascii(item, at, end) + 1;
        }
        break;
    }
    case EXT_SUPPORTED_VERSIONS:
        if (vector(&data, 1, &list))
            ch->n_versions = uint16s(list, ch->versions, TLSDIAG_HELLO_MAX_VERSIONS);
        break;
    case EXT_SUPPORTED_GROUPS:
        if (vector(&data, 2, &list))
            ch->n_groups = uint16s(list, ch->groups, TLSDIAG_HELLO_MAX_GROUPS);
        break;
    case EXT_RENEGOTIATION_INFO:
        ch->reneg_info = TRUE;
        break;
    case EXT_ECH:
        ch->ech = TRUE;
        break;
    case EXT_POST_HANDSHAKE_AUTH:
        ch->pha = TRUE;
        break;
    default:
        break;
    }
}

void
tlsdiag_client_hello_read(const guint8 *body, gsize len, gboolean dtls, tlsdiag_client_hello *ch,
                          tlsdiag_hello_text *text)
{
    reader r = { body, len }, random, cookie, suites, comp, exts, data;
    guint sid_len = 0;
    gboolean psk = FALSE, ticket = FALSE, versions = FALSE;
    guint32 type;

    if (!hello_start(&r, &ch->legacy_version, &random, &sid_len))
        return;
    if (dtls) {
        tlsdiag_client_hello_read_random(body, len, ch);
        if (!vector(&r, 1, &cookie))
            return;
    }
    if (!vector(&r, 2, &suites))
        return;
    ch->n_suites = uint16s(suites, ch->suites, TLSDIAG_HELLO_MAX_SUITES);
    if (vector(&r, 1, &comp) && vector(&r, 2, &exts)) {
        while (uint_be(&exts, 2, &type) && vector(&exts, 2, &data)) {
            psk |= type == EXT_PRE_SHARED_KEY;
            ticket |= type == EXT_SESSION_TICKET && data.left > 0;
            versions |= type == EXT_SUPPORTED_VERSIONS;
            client_extension(type, data, ch, text);
        }
    }
    /* A TLS 1.3 client's session id is random filler for middleboxes. */
    ch->resumption = psk || ticket || (sid_len && !versions);
}

void
tlsdiag_client_hello_read_random(const guint8 *body, gsize len, tlsdiag_client_hello *ch)
{
    /* The random is the body's bytes 2 to 33, after the version. */
    const gsize end = body ? MIN(len, 34) : 0;
    ch->random_tail = 0;
    for (gsize i = MAX(end, 10) - 8; i < end; i++)
        ch->random_tail = ch->random_tail << 8 | body[i];
}

static const guint8 hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

void
tlsdiag_server_hello_read(const guint8 *body, gsize len, tlsdiag_packet *pkt)
{
    reader r = { body, len }, random, exts, data;
    guint16 version;
    guint sid_len;
    guint32 v, type;

    if (!hello_start(&r, &version, &random, &sid_len)) {
        pkt->flags |= TLSDIAG_PKT_SERVER_HELLO;
        return;
    }
    pkt->flags |= memcmp(random.p, hrr_random, 32) ? TLSDIAG_PKT_SERVER_HELLO : TLSDIAG_PKT_HELLO_RETRY;
    pkt->sh_version = version;
    if (!uint_be(&r, 2, &v))
        return;
    pkt->sh_suite = (guint16)v;
    if (!take(&r, 1, NULL) || !vector(&r, 2, &exts))
        return;
    while (uint_be(&exts, 2, &type) && vector(&exts, 2, &data)) {
        if (type == EXT_SUPPORTED_VERSIONS && uint_be(&data, 2, &v))
            pkt->sh_version = (guint16)v;
        else if (type == EXT_KEY_SHARE && uint_be(&data, 2, &v))   /* HRR: the selected group alone */
            pkt->sh_group = (guint16)v;
        pkt->sh_reneg_info |= type == EXT_RENEGOTIATION_INFO;
        pkt->sh_psk |= type == EXT_PRE_SHARED_KEY;
    }
}
