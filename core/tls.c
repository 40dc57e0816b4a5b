/* core/tls.c — TLS names and properties used to explain a failure.
 *
 * Wireshark has fuller tables, but the core must not depend on epan, and the
 * rules need properties (AEAD? forward secrecy? broken?) Wireshark doesn't keep.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/tls.h"

#include <stdio.h>
#include <stdlib.h>

const char *
tlsdiag_version_name(guint16 version, char *buf, gsize len)
{
    switch (version) {
    case 0x0002:          return "SSL 2.0";
    case TLSDIAG_SSL3:    return "SSL 3.0";
    case TLSDIAG_TLS10:   return "TLS 1.0";
    case TLSDIAG_TLS11:   return "TLS 1.1";
    case TLSDIAG_TLS12:   return "TLS 1.2";
    case TLSDIAG_TLS13:   return "TLS 1.3";
    case TLSDIAG_DTLS10:  return "DTLS 1.0";
    case TLSDIAG_DTLS12:  return "DTLS 1.2";
    case TLSDIAG_DTLS13:  return "DTLS 1.3";
    default:
        if ((version >> 8) == 0x7f)
            g_snprintf(buf, (gulong)len, "TLS 1.3 draft %u", version & 0xff);
        else if (tlsdiag_version_norm(version) == TLSDIAG_TLS13)
            g_snprintf(buf, (gulong)len, "TLS 1.3 (0x%04x)", version);
        else
            g_snprintf(buf, (gulong)len, "0x%04x", version);
        return buf;
    }
}

guint16
tlsdiag_version_norm(guint16 version)
{
    switch (version >> 8) {
    case 0x7f:      /* IETF drafts */
    case 0x7e:      /* Google's experiments (0x7e01, 0x7e02) */
    case 0xfb:      /* Facebook's (0xfb17, 0xfb1a) */
        return TLSDIAG_TLS13;
    default:
        break;
    }
    switch (version) {
    case TLSDIAG_DTLS10: return TLSDIAG_TLS11;
    case TLSDIAG_DTLS12: return TLSDIAG_TLS12;
    case TLSDIAG_DTLS13: return TLSDIAG_TLS13;
    default:             return version;
    }
}

guint16
tlsdiag_version_dtls(guint16 tls_version)
{
    switch (tls_version) {
    case TLSDIAG_TLS11: return TLSDIAG_DTLS10;
    case TLSDIAG_TLS12: return TLSDIAG_DTLS12;
    case TLSDIAG_TLS13: return TLSDIAG_DTLS13;
    default:            return tls_version;
    }
}

const char *
tlsdiag_ssl2_message_name(guint type)
{
    static const char *const names[] = {
        NULL, "CLIENT-HELLO", "CLIENT-MASTER-KEY", "CLIENT-FINISHED", "SERVER-HELLO", "SERVER-VERIFY",
        "SERVER-FINISHED", "REQUEST-CERTIFICATE", "CLIENT-CERTIFICATE",
    };
    return type < G_N_ELEMENTS(names) ? names[type] : NULL;
}

const char *
tlsdiag_handshake_type_name(guint type)
{
    switch (type) {
    case 0:  return "HelloRequest";
    case 1:  return "ClientHello";
    case 2:  return "ServerHello";
    case 3:  return "HelloVerifyRequest";
    case 4:  return "NewSessionTicket";
    case 5:  return "EndOfEarlyData";
    case 6:  return "HelloRetryRequest";
    case 8:  return "EncryptedExtensions";
    case 11: return "Certificate";
    case 12: return "ServerKeyExchange";
    case 13: return "CertificateRequest";
    case 14: return "ServerHelloDone";
    case 15: return "CertificateVerify";
    case 16: return "ClientKeyExchange";
    case 20: return "Finished";
    case 22: return "CertificateStatus";
    case 24: return "KeyUpdate";
    default: return NULL;
    }
}

typedef struct {
    int         desc;
    const char *name;
    const char *meaning;
} alert_info;

/* Sorted by code: looked up with bsearch. */
static const alert_info alert_table[] = {
    {   0, "close_notify", "the sender closed the connection; during a handshake this means it gave up without saying why" },
    {  10, "unexpected_message", "a message arrived out of order: one side does not follow the handshake it negotiated (a bug, or a middlebox rewriting the stream)" },
    {  20, "bad_record_mac", "a record failed its integrity check: data corrupted in transit or a key mismatch (often a middlebox or a broken TLS implementation)" },
    {  21, "decryption_failed", "a record could not be decrypted (obsolete alert, treat as bad_record_mac)" },
    {  22, "record_overflow", "a record was longer than allowed" },
    {  30, "decompression_failure", "TLS compression failed (obsolete)" },
    {  40, "handshake_failure", "the sender could not agree on parameters it accepts: version, cipher suite, group, signature algorithm or another setting" },
    {  41, "no_certificate", "SSL 3.0 only: no certificate was available" },
    {  42, "bad_certificate", "a certificate was corrupt or its signature did not verify" },
    {  43, "unsupported_certificate", "a certificate was of a type the sender does not support" },
    {  44, "certificate_revoked", "a certificate was revoked by its issuer" },
    {  45, "certificate_expired", "a certificate has expired or is not yet valid" },
    {  46, "certificate_unknown", "a certificate was rejected for an unspecified reason" },
    {  47, "illegal_parameter", "a field in a handshake message was out of range or inconsistent with other fields" },
    {  48, "unknown_ca", "the certificate chain did not lead to a CA the sender trusts (also sent by many clients for expired, self-signed or wrong-host certificates)" },
    {  49, "access_denied", "the peer's identity was valid but access policy refused it" },
    {  50, "decode_error", "a message could not be decoded: a length or field was malformed (a broken or non-conforming TLS implementation, or corruption)" },
    {  51, "decrypt_error", "a handshake signature or the Finished check failed (wrong key, middlebox tampering, or a TLS implementation bug)" },
    {  60, "export_restriction", "an export-grade negotiation was attempted (obsolete)" },
    {  70, "protocol_version", "the sender does not support the protocol version the peer offered or chose" },
    {  71, "insufficient_security", "the sender requires stronger parameters (cipher suites) than the peer offered" },
    {  80, "internal_error", "the sender hit an internal problem unrelated to the peer (out of memory, a misconfiguration, a missing key)" },
    {  86, "inappropriate_fallback", "the client signalled a fallback retry (TLS_FALLBACK_SCSV) but the server supports a higher version" },
    {  90, "user_canceled", "the sender's application canceled the handshake" },
    { 100, "no_renegotiation", "the sender refuses to renegotiate on this connection" },
    { 109, "missing_extension", "a mandatory extension was missing from the peer's hello" },
    { 110, "unsupported_extension", "the peer's hello carried an extension the sender did not ask for or cannot accept" },
    { 111, "certificate_unobtainable", "a certificate could not be fetched from the URL given" },
    { 112, "unrecognized_name", "the server has no configuration for the server name (SNI) the client asked for" },
    { 113, "bad_certificate_status_response", "the OCSP response sent with the certificate was invalid" },
    { 114, "bad_certificate_hash_value", "a certificate hash did not match" },
    { 115, "unknown_psk_identity", "the pre-shared key identity the client offered is unknown to the server" },
    { 116, "certificate_required", "the server requires a client certificate and the client sent none" },
    { 120, "no_application_protocol", "none of the application protocols offered in ALPN is supported" },
    { 121, "ech_required", "the server requires Encrypted Client Hello" },
};

static int
cmp_alert(const void *key, const void *elem)
{
    return *(const int *)key - ((const alert_info *)elem)->desc;
}

static const alert_info *
alert_lookup(int desc)
{
    return bsearch(&desc, alert_table, G_N_ELEMENTS(alert_table), sizeof alert_table[0], cmp_alert);
}

const char *
tlsdiag_alert_name(int desc)
{
    const alert_info *a = alert_lookup(desc);
    return a ? a->name : NULL;
}

const char *
tlsdiag_alert_meaning(int desc)
{
    const alert_info *a = alert_lookup(desc);
    return a ? a->meaning : NULL;
}

#define A  (TLSDIAG_SUITE_KNOWN | TLSDIAG_SUITE_AEAD)
#define P  (TLSDIAG_SUITE_KNOWN | TLSDIAG_SUITE_PFS)
#define AP (TLSDIAG_SUITE_KNOWN | TLSDIAG_SUITE_AEAD | TLSDIAG_SUITE_PFS)
#define K  TLSDIAG_SUITE_KNOWN
#define B  (TLSDIAG_SUITE_KNOWN | TLSDIAG_SUITE_BROKEN)
#define BP (TLSDIAG_SUITE_KNOWN | TLSDIAG_SUITE_BROKEN | TLSDIAG_SUITE_PFS)
#define S  (TLSDIAG_SUITE_KNOWN | TLSDIAG_SUITE_SCSV)

typedef struct {
    guint16     code;
    guint8      flags;
    const char *name;
} suite_info;

/* Sorted by code: looked up with bsearch. Every suite of the IANA registry
 * (made by tools/suite-table.py); a suite not in it is never called obsolete. */
static const suite_info suite_table[] = {
    { 0x0000, B , "TLS_NULL_WITH_NULL_NULL" },
    { 0x0001, B , "TLS_RSA_WITH_NULL_MD5" },
    { 0x0002, B , "TLS_RSA_WITH_NULL_SHA" },
    { 0x0003, B , "TLS_RSA_EXPORT_WITH_RC4_40_MD5" },
    { 0x0004, B , "TLS_RSA_WITH_RC4_128_MD5" },
    { 0x0005, B , "TLS_RSA_WITH_RC4_128_SHA" },
    { 0x0006, B , "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5" },
    { 0x0007, B , "TLS_RSA_WITH_IDEA_CBC_SHA" },
    { 0x0008, B , "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA" },
    { 0x0009, B , "TLS_RSA_WITH_DES_CBC_SHA" },
    { 0x000a, B , "TLS_RSA_WITH_3DES_EDE_CBC_SHA" },
    { 0x000b, B , "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA" },
    { 0x000c, B , "TLS_DH_DSS_WITH_DES_CBC_SHA" },
    { 0x000d, B , "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA" },
    { 0x000e, B , "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA" },
    { 0x000f, B , "TLS_DH_RSA_WITH_DES_CBC_SHA" },
    { 0x0010, B , "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA" },
    { 0x0011, BP, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA" },
    { 0x0012, BP, "TLS_DHE_DSS_WITH_DES_CBC_SHA" },
    { 0x0013, BP, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA" },
    { 0x0014, BP, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA" },
    { 0x0015, BP, "TLS_DHE_RSA_WITH_DES_CBC_SHA" },
    { 0x0016, BP, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA" },
    { 0x0017, B , "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5" },
    { 0x0018, B , "TLS_DH_anon_WITH_RC4_128_MD5" },
    { 0x0019, B , "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA" },
    { 0x001a, B , "TLS_DH_anon_WITH_DES_CBC_SHA" },
    { 0x001b, B , "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA" },
    { 0x001e, B , "TLS_KRB5_WITH_DES_CBC_SHA" },
    { 0x001f, B , "TLS_KRB5_WITH_3DES_EDE_CBC_SHA" },
    { 0x0020, B , "TLS_KRB5_WITH_RC4_128_SHA" },
    { 0x0021, B , "TLS_KRB5_WITH_IDEA_CBC_SHA" },
    { 0x0022, B , "TLS_KRB5_WITH_DES_CBC_MD5" },
    { 0x0023, B , "TLS_KRB5_WITH_3DES_EDE_CBC_MD5" },
    { 0x0024, B , "TLS_KRB5_WITH_RC4_128_MD5" },
    { 0x0025, B , "TLS_KRB5_WITH_IDEA_CBC_MD5" },
    { 0x0026, B , "TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA" },
    { 0x0027, B , "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA" },
    { 0x0028, B , "TLS_KRB5_EXPORT_WITH_RC4_40_SHA" },
    { 0x0029, B , "TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5" },
    { 0x002a, B , "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5" },
    { 0x002b, B , "TLS_KRB5_EXPORT_WITH_RC4_40_MD5" },
    { 0x002c, B , "TLS_PSK_WITH_NULL_SHA" },
    { 0x002d, BP, "TLS_DHE_PSK_WITH_NULL_SHA" },
    { 0x002e, B , "TLS_RSA_PSK_WITH_NULL_SHA" },
    { 0x002f, K , "TLS_RSA_WITH_AES_128_CBC_SHA" },
    { 0x0030, K , "TLS_DH_DSS_WITH_AES_128_CBC_SHA" },
    { 0x0031, K , "TLS_DH_RSA_WITH_AES_128_CBC_SHA" },
    { 0x0032, P , "TLS_DHE_DSS_WITH_AES_128_CBC_SHA" },
    { 0x0033, P , "TLS_DHE_RSA_WITH_AES_128_CBC_SHA" },
    { 0x0034, B , "TLS_DH_anon_WITH_AES_128_CBC_SHA" },
    { 0x0035, K , "TLS_RSA_WITH_AES_256_CBC_SHA" },
    { 0x0036, K , "TLS_DH_DSS_WITH_AES_256_CBC_SHA" },
    { 0x0037, K , "TLS_DH_RSA_WITH_AES_256_CBC_SHA" },
    { 0x0038, P , "TLS_DHE_DSS_WITH_AES_256_CBC_SHA" },
    { 0x0039, P , "TLS_DHE_RSA_WITH_AES_256_CBC_SHA" },
    { 0x003a, B , "TLS_DH_anon_WITH_AES_256_CBC_SHA" },
    { 0x003b, B , "TLS_RSA_WITH_NULL_SHA256" },
    { 0x003c, K , "TLS_RSA_WITH_AES_128_CBC_SHA256" },
    { 0x003d, K , "TLS_RSA_WITH_AES_256_CBC_SHA256" },
    { 0x003e, K , "TLS_DH_DSS_WITH_AES_128_CBC_SHA256" },
    { 0x003f, K , "TLS_DH_RSA_WITH_AES_128_CBC_SHA256" },
    { 0x0040, P , "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256" },
    { 0x0041, K , "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA" },
    { 0x0042, K , "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA" },
    { 0x0043, K , "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA" },
    { 0x0044, P , "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA" },
    { 0x0045, P , "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA" },
    { 0x0046, B , "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA" },
    { 0x0060, B , "TLS_RSA_EXPORT1024_WITH_RC4_56_MD5" },
    { 0x0061, B , "TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5" },
    { 0x0062, B , "TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA" },
    { 0x0063, BP, "TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA" },
    { 0x0064, B , "TLS_RSA_EXPORT1024_WITH_RC4_56_SHA" },
    { 0x0065, BP, "TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA" },
    { 0x0066, BP, "TLS_DHE_DSS_WITH_RC4_128_SHA" },
    { 0x0067, P , "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256" },
    { 0x0068, K , "TLS_DH_DSS_WITH_AES_256_CBC_SHA256" },
    { 0x0069, K , "TLS_DH_RSA_WITH_AES_256_CBC_SHA256" },
    { 0x006a, P , "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256" },
    { 0x006b, P , "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256" },
    { 0x006c, B , "TLS_DH_anon_WITH_AES_128_CBC_SHA256" },
    { 0x006d, B , "TLS_DH_anon_WITH_AES_256_CBC_SHA256" },
    { 0x0080, K , "TLS_GOSTR341094_WITH_28147_CNT_IMIT" },
    { 0x0081, K , "TLS_GOSTR341001_WITH_28147_CNT_IMIT" },
    { 0x0082, B , "TLS_GOSTR341094_WITH_NULL_GOSTR3411" },
    { 0x0083, B , "TLS_GOSTR341001_WITH_NULL_GOSTR3411" },
    { 0x0084, K , "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA" },
    { 0x0085, K , "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA" },
    { 0x0086, K , "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA" },
    { 0x0087, P , "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA" },
    { 0x0088, P , "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA" },
    { 0x0089, B , "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA" },
    { 0x008a, B , "TLS_PSK_WITH_RC4_128_SHA" },
    { 0x008b, B , "TLS_PSK_WITH_3DES_EDE_CBC_SHA" },
    { 0x008c, K , "TLS_PSK_WITH_AES_128_CBC_SHA" },
    { 0x008d, K , "TLS_PSK_WITH_AES_256_CBC_SHA" },
    { 0x008e, BP, "TLS_DHE_PSK_WITH_RC4_128_SHA" },
    { 0x008f, BP, "TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA" },
    { 0x0090, P , "TLS_DHE_PSK_WITH_AES_128_CBC_SHA" },
    { 0x0091, P , "TLS_DHE_PSK_WITH_AES_256_CBC_SHA" },
    { 0x0092, B , "TLS_RSA_PSK_WITH_RC4_128_SHA" },
    { 0x0093, B , "TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA" },
    { 0x0094, K , "TLS_RSA_PSK_WITH_AES_128_CBC_SHA" },
    { 0x0095, K , "TLS_RSA_PSK_WITH_AES_256_CBC_SHA" },
    { 0x0096, K , "TLS_RSA_WITH_SEED_CBC_SHA" },
    { 0x0097, K , "TLS_DH_DSS_WITH_SEED_CBC_SHA" },
    { 0x0098, K , "TLS_DH_RSA_WITH_SEED_CBC_SHA" },
    { 0x0099, P , "TLS_DHE_DSS_WITH_SEED_CBC_SHA" },
    { 0x009a, P , "TLS_DHE_RSA_WITH_SEED_CBC_SHA" },
    { 0x009b, B , "TLS_DH_anon_WITH_SEED_CBC_SHA" },
    { 0x009c, A , "TLS_RSA_WITH_AES_128_GCM_SHA256" },
    { 0x009d, A , "TLS_RSA_WITH_AES_256_GCM_SHA384" },
    { 0x009e, AP, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256" },
    { 0x009f, AP, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384" },
    { 0x00a0, A , "TLS_DH_RSA_WITH_AES_128_GCM_SHA256" },
    { 0x00a1, A , "TLS_DH_RSA_WITH_AES_256_GCM_SHA384" },
    { 0x00a2, AP, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256" },
    { 0x00a3, AP, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384" },
    { 0x00a4, A , "TLS_DH_DSS_WITH_AES_128_GCM_SHA256" },
    { 0x00a5, A , "TLS_DH_DSS_WITH_AES_256_GCM_SHA384" },
    { 0x00a6, B , "TLS_DH_anon_WITH_AES_128_GCM_SHA256" },
    { 0x00a7, B , "TLS_DH_anon_WITH_AES_256_GCM_SHA384" },
    { 0x00a8, A , "TLS_PSK_WITH_AES_128_GCM_SHA256" },
    { 0x00a9, A , "TLS_PSK_WITH_AES_256_GCM_SHA384" },
    { 0x00aa, AP, "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256" },
    { 0x00ab, AP, "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384" },
    { 0x00ac, A , "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256" },
    { 0x00ad, A , "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384" },
    { 0x00ae, K , "TLS_PSK_WITH_AES_128_CBC_SHA256" },
    { 0x00af, K , "TLS_PSK_WITH_AES_256_CBC_SHA384" },
    { 0x00b0, B , "TLS_PSK_WITH_NULL_SHA256" },
    { 0x00b1, B , "TLS_PSK_WITH_NULL_SHA384" },
    { 0x00b2, P , "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256" },
    { 0x00b3, P , "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384" },
    { 0x00b4, BP, "TLS_DHE_PSK_WITH_NULL_SHA256" },
    { 0x00b5, BP, "TLS_DHE_PSK_WITH_NULL_SHA384" },
    { 0x00b6, K , "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256" },
    { 0x00b7, K , "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384" },
    { 0x00b8, B , "TLS_RSA_PSK_WITH_NULL_SHA256" },
    { 0x00b9, B , "TLS_RSA_PSK_WITH_NULL_SHA384" },
    { 0x00ba, K , "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256" },
    { 0x00bb, K , "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256" },
    { 0x00bc, K , "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256" },
    { 0x00bd, P , "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256" },
    { 0x00be, P , "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256" },
    { 0x00bf, B , "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256" },
    { 0x00c0, K , "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256" },
    { 0x00c1, K , "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256" },
    { 0x00c2, K , "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256" },
    { 0x00c3, P , "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256" },
    { 0x00c4, P , "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256" },
    { 0x00c5, B , "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256" },
    { 0x00c6, A , "TLS_SM4_GCM_SM3" },
    { 0x00c7, A , "TLS_SM4_CCM_SM3" },
    { 0x00ff, S , "TLS_EMPTY_RENEGOTIATION_INFO_SCSV" },
    { 0x1301, AP, "TLS_AES_128_GCM_SHA256" },
    { 0x1302, AP, "TLS_AES_256_GCM_SHA384" },
    { 0x1303, AP, "TLS_CHACHA20_POLY1305_SHA256" },
    { 0x1304, AP, "TLS_AES_128_CCM_SHA256" },
    { 0x1305, AP, "TLS_AES_128_CCM_8_SHA256" },
    { 0x5600, S , "TLS_FALLBACK_SCSV" },
    { 0xc001, B , "TLS_ECDH_ECDSA_WITH_NULL_SHA" },
    { 0xc002, B , "TLS_ECDH_ECDSA_WITH_RC4_128_SHA" },
    { 0xc003, B , "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA" },
    { 0xc004, K , "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA" },
    { 0xc005, K , "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA" },
    { 0xc006, BP, "TLS_ECDHE_ECDSA_WITH_NULL_SHA" },
    { 0xc007, BP, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA" },
    { 0xc008, BP, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA" },
    { 0xc009, P , "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA" },
    { 0xc00a, P , "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA" },
    { 0xc00b, B , "TLS_ECDH_RSA_WITH_NULL_SHA" },
    { 0xc00c, B , "TLS_ECDH_RSA_WITH_RC4_128_SHA" },
    { 0xc00d, B , "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA" },
    { 0xc00e, K , "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA" },
    { 0xc00f, K , "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA" },
    { 0xc010, BP, "TLS_ECDHE_RSA_WITH_NULL_SHA" },
    { 0xc011, BP, "TLS_ECDHE_RSA_WITH_RC4_128_SHA" },
    { 0xc012, BP, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA" },
    { 0xc013, P , "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA" },
    { 0xc014, P , "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA" },
    { 0xc015, B , "TLS_ECDH_anon_WITH_NULL_SHA" },
    { 0xc016, B , "TLS_ECDH_anon_WITH_RC4_128_SHA" },
    { 0xc017, B , "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA" },
    { 0xc018, B , "TLS_ECDH_anon_WITH_AES_128_CBC_SHA" },
    { 0xc019, B , "TLS_ECDH_anon_WITH_AES_256_CBC_SHA" },
    { 0xc01a, B , "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA" },
    { 0xc01b, B , "TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA" },
    { 0xc01c, B , "TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA" },
    { 0xc01d, K , "TLS_SRP_SHA_WITH_AES_128_CBC_SHA" },
    { 0xc01e, K , "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA" },
    { 0xc01f, K , "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA" },
    { 0xc020, K , "TLS_SRP_SHA_WITH_AES_256_CBC_SHA" },
    { 0xc021, K , "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA" },
    { 0xc022, K , "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA" },
    { 0xc023, P , "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256" },
    { 0xc024, P , "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384" },
    { 0xc025, K , "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256" },
    { 0xc026, K , "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384" },
    { 0xc027, P , "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256" },
    { 0xc028, P , "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384" },
    { 0xc029, K , "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256" },
    { 0xc02a, K , "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384" },
    { 0xc02b, AP, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" },
    { 0xc02c, AP, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" },
    { 0xc02d, A , "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256" },
    { 0xc02e, A , "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384" },
    { 0xc02f, AP, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
    { 0xc030, AP, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
    { 0xc031, A , "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256" },
    { 0xc032, A , "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384" },
    { 0xc033, BP, "TLS_ECDHE_PSK_WITH_RC4_128_SHA" },
    { 0xc034, BP, "TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA" },
    { 0xc035, P , "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA" },
    { 0xc036, P , "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA" },
    { 0xc037, P , "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256" },
    { 0xc038, P , "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384" },
    { 0xc039, BP, "TLS_ECDHE_PSK_WITH_NULL_SHA" },
    { 0xc03a, BP, "TLS_ECDHE_PSK_WITH_NULL_SHA256" },
    { 0xc03b, BP, "TLS_ECDHE_PSK_WITH_NULL_SHA384" },
    { 0xc03c, K , "TLS_RSA_WITH_ARIA_128_CBC_SHA256" },
    { 0xc03d, K , "TLS_RSA_WITH_ARIA_256_CBC_SHA384" },
    { 0xc03e, K , "TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256" },
    { 0xc03f, K , "TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384" },
    { 0xc040, K , "TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256" },
    { 0xc041, K , "TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384" },
    { 0xc042, P , "TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256" },
    { 0xc043, P , "TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384" },
    { 0xc044, P , "TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256" },
    { 0xc045, P , "TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384" },
    { 0xc046, B , "TLS_DH_anon_WITH_ARIA_128_CBC_SHA256" },
    { 0xc047, B , "TLS_DH_anon_WITH_ARIA_256_CBC_SHA384" },
    { 0xc048, P , "TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256" },
    { 0xc049, P , "TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384" },
    { 0xc04a, K , "TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256" },
    { 0xc04b, K , "TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384" },
    { 0xc04c, P , "TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256" },
    { 0xc04d, P , "TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384" },
    { 0xc04e, K , "TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256" },
    { 0xc04f, K , "TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384" },
    { 0xc050, A , "TLS_RSA_WITH_ARIA_128_GCM_SHA256" },
    { 0xc051, A , "TLS_RSA_WITH_ARIA_256_GCM_SHA384" },
    { 0xc052, AP, "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256" },
    { 0xc053, AP, "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384" },
    { 0xc054, A , "TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256" },
    { 0xc055, A , "TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384" },
    { 0xc056, AP, "TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256" },
    { 0xc057, AP, "TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384" },
    { 0xc058, A , "TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256" },
    { 0xc059, A , "TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384" },
    { 0xc05a, B , "TLS_DH_anon_WITH_ARIA_128_GCM_SHA256" },
    { 0xc05b, B , "TLS_DH_anon_WITH_ARIA_256_GCM_SHA384" },
    { 0xc05c, AP, "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256" },
    { 0xc05d, AP, "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384" },
    { 0xc05e, A , "TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256" },
    { 0xc05f, A , "TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384" },
    { 0xc060, AP, "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256" },
    { 0xc061, AP, "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384" },
    { 0xc062, A , "TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256" },
    { 0xc063, A , "TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384" },
    { 0xc064, K , "TLS_PSK_WITH_ARIA_128_CBC_SHA256" },
    { 0xc065, K , "TLS_PSK_WITH_ARIA_256_CBC_SHA384" },
    { 0xc066, P , "TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256" },
    { 0xc067, P , "TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384" },
    { 0xc068, K , "TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256" },
    { 0xc069, K , "TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384" },
    { 0xc06a, A , "TLS_PSK_WITH_ARIA_128_GCM_SHA256" },
    { 0xc06b, A , "TLS_PSK_WITH_ARIA_256_GCM_SHA384" },
    { 0xc06c, AP, "TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256" },
    { 0xc06d, AP, "TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384" },
    { 0xc06e, A , "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256" },
    { 0xc06f, A , "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384" },
    { 0xc070, P , "TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256" },
    { 0xc071, P , "TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384" },
    { 0xc072, P , "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256" },
    { 0xc073, P , "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384" },
    { 0xc074, K , "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256" },
    { 0xc075, K , "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384" },
    { 0xc076, P , "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256" },
    { 0xc077, P , "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384" },
    { 0xc078, K , "TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256" },
    { 0xc079, K , "TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384" },
    { 0xc07a, A , "TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256" },
    { 0xc07b, A , "TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384" },
    { 0xc07c, AP, "TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256" },
    { 0xc07d, AP, "TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384" },
    { 0xc07e, A , "TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256" },
    { 0xc07f, A , "TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384" },
    { 0xc080, AP, "TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256" },
    { 0xc081, AP, "TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384" },
    { 0xc082, A , "TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256" },
    { 0xc083, A , "TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384" },
    { 0xc084, B , "TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256" },
    { 0xc085, B , "TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384" },
    { 0xc086, AP, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256" },
    { 0xc087, AP, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384" },
    { 0xc088, A , "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256" },
    { 0xc089, A , "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384" },
    { 0xc08a, AP, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256" },
    { 0xc08b, AP, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384" },
    { 0xc08c, A , "TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256" },
    { 0xc08d, A , "TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384" },
    { 0xc08e, A , "TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256" },
    { 0xc08f, A , "TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384" },
    { 0xc090, AP, "TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256" },
    { 0xc091, AP, "TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384" },
    { 0xc092, A , "TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256" },
    { 0xc093, A , "TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384" },
    { 0xc094, K , "TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256" },
    { 0xc095, K , "TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384" },
    { 0xc096, P , "TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256" },
    { 0xc097, P , "TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384" },
    { 0xc098, K , "TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256" },
    { 0xc099, K , "TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384" },
    { 0xc09a, P , "TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256" },
    { 0xc09b, P , "TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384" },
    { 0xc09c, A , "TLS_RSA_WITH_AES_128_CCM" },
    { 0xc09d, A , "TLS_RSA_WITH_AES_256_CCM" },
    { 0xc09e, AP, "TLS_DHE_RSA_WITH_AES_128_CCM" },
    { 0xc09f, AP, "TLS_DHE_RSA_WITH_AES_256_CCM" },
    { 0xc0a0, A , "TLS_RSA_WITH_AES_128_CCM_8" },
    { 0xc0a1, A , "TLS_RSA_WITH_AES_256_CCM_8" },
    { 0xc0a2, AP, "TLS_DHE_RSA_WITH_AES_128_CCM_8" },
    { 0xc0a3, AP, "TLS_DHE_RSA_WITH_AES_256_CCM_8" },
    { 0xc0a4, A , "TLS_PSK_WITH_AES_128_CCM" },
    { 0xc0a5, A , "TLS_PSK_WITH_AES_256_CCM" },
    { 0xc0a6, AP, "TLS_DHE_PSK_WITH_AES_128_CCM" },
    { 0xc0a7, AP, "TLS_DHE_PSK_WITH_AES_256_CCM" },
    { 0xc0a8, A , "TLS_PSK_WITH_AES_128_CCM_8" },
    { 0xc0a9, A , "TLS_PSK_WITH_AES_256_CCM_8" },
    { 0xc0aa, A , "TLS_PSK_DHE_WITH_AES_128_CCM_8" },
    { 0xc0ab, A , "TLS_PSK_DHE_WITH_AES_256_CCM_8" },
    { 0xc0ac, AP, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM" },
    { 0xc0ad, AP, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM" },
    { 0xc0ae, AP, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8" },
    { 0xc0af, AP, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8" },
    { 0xc0b0, AP, "TLS_ECCPWD_WITH_AES_128_GCM_SHA256" },
    { 0xc0b1, AP, "TLS_ECCPWD_WITH_AES_256_GCM_SHA384" },
    { 0xc0b2, AP, "TLS_ECCPWD_WITH_AES_128_CCM_SHA256" },
    { 0xc0b3, AP, "TLS_ECCPWD_WITH_AES_256_CCM_SHA384" },
    { 0xc0b4, B , "TLS_SHA256_SHA256" },
    { 0xc0b5, B , "TLS_SHA384_SHA384" },
    { 0xc0ff, A , "TLS_ECJPAKE_WITH_AES_128_CCM_8" },
    { 0xc100, K , "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC" },
    { 0xc101, K , "TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC" },
    { 0xc102, K , "TLS_GOSTR341112_256_WITH_28147_CNT_IMIT" },
    { 0xc103, AP, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L" },
    { 0xc104, AP, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_L" },
    { 0xc105, AP, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S" },
    { 0xc106, AP, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_S" },
    { 0xcc13, AP, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
    { 0xcc14, AP, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" },
    { 0xcc15, AP, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
    { 0xcca8, AP, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
    { 0xcca9, AP, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" },
    { 0xccaa, AP, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
    { 0xccab, A , "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256" },
    { 0xccac, AP, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256" },
    { 0xccad, AP, "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256" },
    { 0xccae, A , "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256" },
    { 0xd001, AP, "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256" },
    { 0xd002, AP, "TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384" },
    { 0xd003, AP, "TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256" },
    { 0xd005, AP, "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256" },
    { 0xe410, K , "TLS_RSA_WITH_ESTREAM_SALSA20_SHA1" },
    { 0xe411, K , "TLS_RSA_WITH_SALSA20_SHA1" },
    { 0xe412, P , "TLS_ECDHE_RSA_WITH_ESTREAM_SALSA20_SHA1" },
    { 0xe413, P , "TLS_ECDHE_RSA_WITH_SALSA20_SHA1" },
    { 0xe414, P , "TLS_ECDHE_ECDSA_WITH_ESTREAM_SALSA20_SHA1" },
    { 0xe415, P , "TLS_ECDHE_ECDSA_WITH_SALSA20_SHA1" },
    { 0xe416, K , "TLS_PSK_WITH_ESTREAM_SALSA20_SHA1" },
    { 0xe417, K , "TLS_PSK_WITH_SALSA20_SHA1" },
    { 0xe418, P , "TLS_ECDHE_PSK_WITH_ESTREAM_SALSA20_SHA1" },
    { 0xe419, P , "TLS_ECDHE_PSK_WITH_SALSA20_SHA1" },
    { 0xe41a, K , "TLS_RSA_PSK_WITH_ESTREAM_SALSA20_SHA1" },
    { 0xe41b, K , "TLS_RSA_PSK_WITH_SALSA20_SHA1" },
    { 0xe41c, P , "TLS_DHE_PSK_WITH_ESTREAM_SALSA20_SHA1" },
    { 0xe41d, P , "TLS_DHE_PSK_WITH_SALSA20_SHA1" },
    { 0xe41e, P , "TLS_DHE_RSA_WITH_ESTREAM_SALSA20_SHA1" },
    { 0xe41f, P , "TLS_DHE_RSA_WITH_SALSA20_SHA1" },
};

#undef A
#undef P
#undef AP
#undef K
#undef B
#undef BP
#undef S

static int
cmp_suite(const void *key, const void *elem)
{
    return (int)*(const guint16 *)key - (int)((const suite_info *)elem)->code;
}

static const suite_info *
suite_lookup(guint16 suite)
{
    return bsearch(&suite, suite_table, G_N_ELEMENTS(suite_table), sizeof suite_table[0], cmp_suite);
}

const char *
tlsdiag_suite_name(guint16 suite)
{
    const suite_info *s = suite_lookup(suite);
    return s ? s->name : NULL;
}

/* Asked for every suite of every ClientHello: one byte per code, filled
 * once (only the pages of the few code ranges in use are touched). */
static guint8 suite_flags_by_code[1 << 16];

guint
tlsdiag_suite_flags(guint16 suite)
{
    static gsize filled;

    if (g_once_init_enter(&filled)) {
        for (gsize i = 0; i < G_N_ELEMENTS(suite_table); i++)
            suite_flags_by_code[suite_table[i].code] = suite_table[i].flags;
        g_once_init_leave(&filled, 1);
    }
    return suite_flags_by_code[suite];
}

gboolean
tlsdiag_suite_is_tls13(guint16 suite)
{
    return (suite >> 8) == 0x13;
}

gboolean
tlsdiag_port_is_tls(guint16 port)
{
    switch (port) {
    case 443: case 465: case 563: case 636: case 853: case 989: case 990: case 992: case 993: case 994: case 995:
    case 4443: case 5061: case 5986: case 6697: case 8443: case 8883: case 9443: case 10443:
        return TRUE;
    default:
        return FALSE;
    }
}

const char *
tlsdiag_group_name(guint16 group)
{
    switch (group) {
    case 0x0017: return "secp256r1";
    case 0x0018: return "secp384r1";
    case 0x0019: return "secp521r1";
    case 0x001d: return "x25519";
    case 0x001e: return "x448";
    case 0x0100: return "ffdhe2048";
    case 0x0101: return "ffdhe3072";
    case 0x0102: return "ffdhe4096";
    case 0x0103: return "ffdhe6144";
    case 0x0104: return "ffdhe8192";
    case 0x0200: return "MLKEM512";
    case 0x0201: return "MLKEM768";
    case 0x0202: return "MLKEM1024";
    case 0x11eb: return "SecP256r1MLKEM768";
    case 0x11ec: return "X25519MLKEM768";
    case 0x11ed: return "SecP384r1MLKEM1024";
    case 0x6399: return "X25519Kyber768Draft00";
    default:     return NULL;
    }
}

const char *
tlsdiag_icmp_unreachable_name(guint family, guint code)
{
    if (family == 6) {
        switch (code) {
        case 0:  return "no route to destination";
        case 1:  return "administratively prohibited";
        case 3:  return "address unreachable";
        case 4:  return "port unreachable";
        case 5:  return "source address failed policy";
        case 6:  return "reject route";
        default: return "destination unreachable";
        }
    }
    switch (code) {
    case 0:  return "network unreachable";
    case 1:  return "host unreachable";
    case 2:  return "protocol unreachable";
    case 3:  return "port unreachable";
    case 9: case 10: case 13: return "administratively prohibited";
    default: return "destination unreachable";
    }
}
