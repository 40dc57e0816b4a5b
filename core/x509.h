/* core/x509.h — the parts of an X.509 certificate (RFC 5280) the judge
 * uses, read from its DER bytes, which Wireshark located in a Certificate
 * message (reassembled, decrypted): its names, validity, subjectAltName
 * dNSNames, the signature algorithm, the RSA key size and the extended key
 * usage. Wanting Wireshark's X.509 fields instead costs ~20 field ids on
 * every packet and an item per value of every certificate (BENCHMARKS.md).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSDIAG_X509_CORE_H
#define TLSDIAG_X509_CORE_H

#include "core/core.h"

/* The strings one certificate's tlsdiag_cert points into. */
#define TLSDIAG_NAME_LEN 256
typedef struct {
    char subject[TLSDIAG_NAME_LEN];   /* "CN=good.example, O=Example" */
    char issuer[TLSDIAG_NAME_LEN];
    char cn[TLSDIAG_NAME_LEN];
    char dns[TLSDIAG_CERT_MAX_NAMES][TLSDIAG_NAME_LEN];
} tlsdiag_cert_text;

/* Reads the certificate in der[0, len) into c, its strings into text. What
 * the bytes end before, or do not encode as DER says, stays unset; the rest
 * is kept. Strings are UTF-8: what no character encodes becomes U+FFFD, and
 * a name longer than TLSDIAG_NAME_LEN - 1 bytes is cut at a character. */
void tlsdiag_x509_read(const guint8 *der, gsize len, tlsdiag_cert *c, tlsdiag_cert_text *text);

#endif
