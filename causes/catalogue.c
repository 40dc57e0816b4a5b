/* causes/catalogue.c — the cause catalogue (token, severity, explanation, remedy, on the wire).
 *
 * Every diagnosis tlsdiag can make is one row here and nowhere else: the
 * expert infos, the docs test and the rules all read this table.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "causes/catalogue.h"

static const tlsdiag_cause_info cause_table[TLSDIAG_CAUSE_COUNT] = {
    { TLSDIAG_CAUSE_INAPPROPRIATE_FALLBACK, "inappropriate_fallback",
      "Inappropriate fallback (TLS_FALLBACK_SCSV)",
      TLSDIAG_SEV_NOTE, TLSDIAG_GROUP_SECURITY,
      "The client's earlier attempt failed (a reset, a timeout, a lost packet), so it retried at a lower "
      "TLS version and marked the retry with TLS_FALLBACK_SCSV. The server supports a better version, "
      "so it refuses the downgrade (RFC 7507): this protects against an attacker forcing clients down "
      "to weak versions (POODLE). The client normally retries at its best version and succeeds.",
      "Usually benign: look for the same client's next connection and check that it succeeded. If "
      "these errors are frequent, find out why the first attempts fail (network drops, a middlebox "
      "that cannot handle the full-strength ClientHello).",
      "A ClientHello offering a lower version than the client's best, with 0x5600 "
      "(TLS_FALLBACK_SCSV) among its cipher suites, answered by fatal alert 86. Confirm: filter "
      "tls.handshake.ciphersuite == 0x5600; the same client's earlier connection "
      "(tlsdiag.attempt.prev) failed, its next one usually succeeds." },
    { TLSDIAG_CAUSE_PROTOCOL_VERSION_MISMATCH, "protocol_version_mismatch",
      "Protocol version mismatch",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_PROTOCOL,
      "Client and server have no TLS version in common: one side offers or picks a version the other "
      "does not accept.",
      "Enable a common version: upgrade the side stuck on old versions (TLS 1.2 or 1.3), or, if it "
      "cannot be upgraded yet, allow its version on the other side for that client only.",
      "Alert 70 (protocol_version) right after the ClientHello, or after a ServerHello whose "
      "version the client rejects; or handshake_failure to a client offering only old versions. "
      "Confirm: compare the ClientHello's supported_versions (or legacy version) with the server's "
      "enabled versions (nmap --script ssl-enum-ciphers, openssl s_client -tls1_2 / -tls1_3)." },
    { TLSDIAG_CAUSE_CIPHER_SUITE_MISMATCH, "cipher_suite_mismatch",
      "Cipher suite mismatch",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SECURITY,
      "The server found no cipher suite in the ClientHello that it is configured to accept; typically "
      "an old client offering only obsolete suites (no AEAD, no forward secrecy, RC4, 3DES, export) "
      "to a server that allows only modern ones.",
      "Compare the client's offered suites with the server's cipher list (e.g. nginx ssl_ciphers, "
      "openssl ciphers -v). Update the client's TLS library or configuration; widen the server's "
      "list only if the client cannot change.",
      "Fatal alert 40 (or 71) right after the ClientHello, no ServerHello. Confirm: list the "
      "ClientHello's suites (tls.handshake.ciphersuite) and the suites the server picks for other "
      "clients in the capture; openssl s_client -cipher with one of the client's suites reproduces "
      "it." },
    { TLSDIAG_CAUSE_NO_COMMON_GROUP, "no_common_group",
      "No common key-exchange group",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SECURITY,
      "The client's supported groups / key shares (elliptic curves or finite-field groups for the "
      "(EC)DHE key exchange) and the server's configured groups do not overlap.",
      "Compare the client's supported_groups with the server's groups setting (e.g. nginx "
      "ssl_ecdh_curve, OpenSSL -groups) and enable a common one such as x25519 or secp256r1.",
      "Fatal alert 40 right after a ClientHello whose supported_groups / key_share hold none of the "
      "groups the server used for other clients. Confirm: tls.handshake.extensions_supported_group "
      "in the ClientHello against the server's key_share or ServerKeyExchange curve elsewhere; "
      "openssl s_client -groups reproduces it." },
    { TLSDIAG_CAUSE_MISSING_SNI, "missing_sni",
      "Missing SNI (no server_name in the ClientHello)",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_PROTOCOL,
      "The ClientHello carries no server_name, and the server ended the handshake right after it. "
      "Servers that host several names on one address (nginx ssl_reject_handshake, SNI-routing "
      "proxies such as nginx ssl_preread, CDNs, load balancers) cannot choose a certificate or a "
      "backend without it.",
      "Make the client send SNI: connect by host name rather than IP address, or set it explicitly "
      "(openssl s_client -servername, curl --resolve, the TLS library's server-name option). On the "
      "server, a default certificate for clients without SNI also works.",
      "A ClientHello without the server_name extension (no tls.handshake.extensions_server_name) "
      "answered by alert 112 or 40, a FIN or a RST. Confirm: the same request by host name (curl "
      "https://name/, openssl s_client -servername) succeeds." },
    { TLSDIAG_CAUSE_UNRECOGNIZED_NAME, "unrecognized_name",
      "Unrecognized server name (SNI)",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_PROTOCOL,
      "The server answered with alert unrecognized_name (112): the name the client asked for in SNI "
      "is not configured on this server.",
      "Check the name the client uses against the server's configured names (nginx server_name, "
      "virtual hosts, the load balancer's certificate list), and check DNS sends the client to the "
      "right server.",
      "Alert 112 (unrecognized_name) answering a ClientHello whose server_name is not configured. "
      "Confirm: the SNI in the ClientHello against the server's names; openssl s_client -servername "
      "with a configured name succeeds." },
    { TLSDIAG_CAUSE_ALPN_MISMATCH, "alpn_mismatch",
      "ALPN mismatch (no common application protocol)",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_PROTOCOL,
      "Alert no_application_protocol (120): the client offered application protocols in ALPN (h2, "
      "http/1.1, …) and the peer supports none of them and insists on ALPN.",
      "Enable a protocol the client offers on the server (e.g. http/1.1 beside h2), or make the "
      "client offer one the server supports.",
      "Alert 120 (no_application_protocol) right after a ClientHello with an ALPN list. Confirm: "
      "tls.handshake.extensions_alpn_str against the protocols the server offers (curl --http1.1 / "
      "--http2, openssl s_client -alpn)." },
    { TLSDIAG_CAUSE_NOT_TLS, "not_tls",
      "Not TLS on one side",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_MALFORMED,
      "One side does not speak TLS on this port: the server answered the ClientHello with something "
      "that is not TLS (often a plain HTTP error page), or the client sent plaintext to a TLS server.",
      "Check the port and the scheme: https:// to a plain HTTP port, http:// to an HTTPS port, a "
      "proxy or service listening on the wrong port, or TLS termination configured on the wrong "
      "listener.",
      "The server answers the ClientHello with readable text (HTTP/1.1 400 ...), or a plaintext "
      "request gets a bare TLS alert back. Confirm: Follow TCP Stream shows plaintext; the port and "
      "the scheme (http vs https) do not match." },
    { TLSDIAG_CAUSE_RESET_AFTER_CLIENT_HELLO, "reset_after_client_hello",
      "Connection reset right after the ClientHello",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SEQUENCE,
      "The connection was reset (TCP RST) right after the ClientHello, without a TLS alert. A TLS "
      "server would send an alert; a reset usually comes from a firewall, IPS or proxy that inspects "
      "the ClientHello (e.g. blocking by SNI), or from a service that does not speak TLS here.",
      "Capture on both sides of middleboxes to see who sends the reset (compare TTL/IP ID with the "
      "server's other packets); check firewall/IPS rules for the SNI, and that the port runs TLS.",
      "A TCP RST from the server side within milliseconds of the ClientHello, no TLS record from "
      "the server. Confirm: capture on both sides of firewalls and proxies; compare the RST's TTL "
      "and IP ID with the server's SYN-ACK to see who sent it." },
    { TLSDIAG_CAUSE_CLOSED_AFTER_CLIENT_HELLO, "closed_after_client_hello",
      "Connection closed right after the ClientHello",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SEQUENCE,
      "The server side closed the connection (TCP FIN) right after the ClientHello, without a TLS "
      "alert. Typical of proxies that route by SNI and found no route, of servers that reject the "
      "hello before their TLS library sees it, or of a service that does not speak TLS here.",
      "Check what listens on the port and its logs; for SNI-routing proxies (nginx ssl_preread, "
      "HAProxy req.ssl_sni) check the routing map for this name or for clients without SNI.",
      "A TCP FIN from the server side right after the ClientHello, no TLS record from the server. "
      "Confirm: the server's or proxy's log for that connection; try another SNI or no SNI." },
    { TLSDIAG_CAUSE_NO_SERVER_RESPONSE, "no_server_response",
      "No response to the ClientHello",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SEQUENCE,
      "The ClientHello was never answered and the client gave up. The server (or something in "
      "front of it) accepted the TCP connection but never spoke TLS: an overloaded or hung service, "
      "a proxy waiting for a backend, or a middlebox silently dropping the hello.",
      "Check the server's health and accept queue, and whether large ClientHellos are dropped on "
      "the path (MTU, middleboxes); capture closer to the server to see whether the hello arrives.",
      "The ClientHello is acknowledged at TCP level but never answered; the client gives up with "
      "FIN or RST after its timeout. Confirm: capture on the server: does the ClientHello arrive, "
      "whole? Check MTU/MSS on the path when the ClientHello is large." },
    { TLSDIAG_CAUSE_CLIENT_HELLO_REJECTED, "client_hello_rejected",
      "ClientHello rejected (reason not visible on the wire)",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_PROTOCOL,
      "The server answered the ClientHello with a fatal alert, and nothing in the capture shows "
      "which parameter it disliked: versions, suites and groups look acceptable.",
      "Compare what the client offered (versions, cipher suites, groups, signature algorithms, "
      "extensions) with the server's configuration, and read the server's log for this connection.",
      "Fatal alert 40 right after the ClientHello, although its versions, suites and groups look "
      "acceptable. Confirm: the server's log, and its signature algorithm, extension and SNI "
      "configuration; replay with openssl s_client varying one parameter at a time." },
    { TLSDIAG_CAUSE_HANDSHAKE_ALERT, "handshake_alert",
      "Fatal alert during the handshake",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_PROTOCOL,
      "A fatal TLS alert ended the handshake. The alert names what the sender objected to.",
      "Read the alert's meaning below, then the sender's log for this connection: it usually names "
      "the exact check that failed.",
      "A fatal alert during the handshake that no more specific cause explains; the alert's "
      "description is in tls.alert_message.desc. Confirm: the log of the side that sent it names "
      "the check that failed." },
    { TLSDIAG_CAUSE_VERSION_INTOLERANCE, "version_intolerance",
      "Version intolerance (server fails the best version, accepts a lower one)",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_PROTOCOL,
      "The server failed a ClientHello offering the client's best TLS version, yet accepted the "
      "same client's retry at a lower version. A correct server answers a higher version than it "
      "supports by negotiating its own best (RFC 8446 4.2.1, RFC 5246 E.1); one that resets or "
      "aborts instead is version-intolerant and pushes clients into downgrades.",
      "Upgrade or fix the server (or the middlebox in front of it) so it negotiates down instead of "
      "failing; until then clients pay a failed attempt and a weaker version on every connection.",
      "A ClientHello at the client's best version fails (RST, FIN, silence or alert) and the same "
      "client's retry offering only a lower version succeeds. Confirm: openssl s_client -tls1_3 "
      "fails where -tls1_2 succeeds, against the same server." },
    { TLSDIAG_CAUSE_LARGE_CLIENT_HELLO_DROPPED, "large_client_hello_dropped",
      "Large ClientHello dropped (spans several TCP segments)",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SEQUENCE,
      "The ClientHello was larger than one TCP segment (typically because of a post-quantum hybrid "
      "key share such as X25519MLKEM768, over 1 KB on its own) and the server side reset, closed or "
      "ignored it. Some middleboxes and old servers only read the first segment of a ClientHello.",
      "Fix or upgrade the middlebox or server so it reassembles a ClientHello over several segments; "
      "as a stopgap, clients can disable the hybrid key share (e.g. OpenSSL -groups X25519).",
      "A ClientHello over ~1400 bytes or in several TCP segments (tcp.segment.count, often a key "
      "share for X25519MLKEM768, group 0x11ec) answered by RST, FIN or nothing; a later smaller "
      "hello from the same client succeeds. Confirm: openssl s_client -groups X25519 succeeds where "
      "the default fails." },
    { TLSDIAG_CAUSE_RETRY_STORM, "retry_storm",
      "Retry storm (many failed attempts, no success)",
      TLSDIAG_SEV_WARN, TLSDIAG_GROUP_SEQUENCE,
      "The same client retried the handshake with this service more times than the retry-storm "
      "limit, each attempt soon after the previous failure, and none succeeded. The failures are "
      "not a passing glitch, and the retries add load on the server.",
      "Fix the cause named on the attempts (often the same on each); make the client back off "
      "between retries. The limit is the preference tlsdiag.retry_storm_attempts.",
      "Many ClientHellos from one client to one service, each soon after the previous failed, none "
      "successful (tlsdiag.attempt.number keeps growing). Confirm: Statistics → TLS Diagnostics → "
      "Failures by client." },
    { TLSDIAG_CAUSE_CERT_EXPIRED, "cert_expired",
      "Certificate expired",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SECURITY,
      "A certificate the server sent was past its notAfter date at the time of the capture, so the "
      "client refused it. Clients often say only unknown_ca or bad_certificate; the date is in the "
      "certificate itself.",
      "Renew the certificate (and install the renewed one, with its chain, on every server behind the "
      "name); automate renewal (ACME) and monitor expiry dates.",
      "The server's Certificate (x509af.notAfter) lies before the capture time; the client answers "
      "certificate_expired (45), or often unknown_ca (48) or bad_certificate (42). In TLS 1.3 load "
      "the key log to see the certificate. Confirm: openssl s_client -showcerts | openssl x509 "
      "-noout -dates." },
    { TLSDIAG_CAUSE_CERT_NOT_YET_VALID, "cert_not_yet_valid",
      "Certificate not yet valid",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SECURITY,
      "A certificate the server sent has a notBefore date after the time of the capture: it was issued "
      "for the future, or the clock of the machine that issued it, or of the client, is wrong.",
      "Check the clocks (NTP) of the client and of the CA that issued the certificate; reissue it with "
      "a correct start date if needed.",
      "The server's Certificate has a notBefore after the capture time; the client answers "
      "bad_certificate or certificate_expired. Confirm: the client's and the server's clocks (date, "
      "NTP), and openssl x509 -noout -dates." },
    { TLSDIAG_CAUSE_CERT_HOSTNAME_MISMATCH, "cert_hostname_mismatch",
      "Certificate does not cover the host name",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SECURITY,
      "The name the client asked for (SNI) is not among the certificate's subjectAltName DNS names "
      "(nor its CN when it has none). A wildcard covers exactly one left-most label: *.example.com "
      "covers www.example.com but not example.com or a.b.example.com (RFC 6125).",
      "Serve a certificate that lists this name (add it to the SAN), fix the server's name-to-"
      "certificate mapping (SNI), or make the client use a name the certificate covers.",
      "The SNI in the ClientHello is not among the leaf's subjectAltName DNS names "
      "(x509ce.dNSName); the client answers bad_certificate (42) or closes. Confirm: openssl "
      "s_client -servername NAME -verify_hostname NAME." },
    { TLSDIAG_CAUSE_CERT_SELF_SIGNED, "cert_self_signed",
      "Self-signed certificate",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SECURITY,
      "The server sent a single certificate whose issuer is its own subject: nobody vouches for it, and "
      "a client that has not been told to trust that exact certificate refuses it.",
      "Use a certificate from a CA the clients trust, or (for internal services) install this "
      "certificate or your private CA in the clients' trust store.",
      "A Certificate message with one certificate whose issuer equals its subject; the client "
      "answers unknown_ca (48). Confirm: openssl s_client -showcerts shows depth 0 self-signed." },
    { TLSDIAG_CAUSE_CERT_CHAIN_INCOMPLETE, "cert_chain_incomplete",
      "Incomplete certificate chain (missing intermediate)",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SECURITY,
      "The server's certificate was issued by an intermediate CA that the server did not send. "
      "Browsers may still connect (cached or fetched intermediates), but most other clients (curl, "
      "Java, Python, OpenSSL, IoT devices) cannot build a path to a trusted root and refuse it.",
      "Configure the server with the full chain: its certificate followed by the intermediate(s) "
      "(e.g. nginx ssl_certificate with fullchain.pem, Apache SSLCertificateFile with the chain).",
      "The Certificate message lacks the issuer of the leaf; the client answers unknown_ca (48) or "
      "closes. Confirm: openssl s_client -showcerts shows one certificate and 'unable to get local "
      "issuer certificate'; SSL Labs shows 'chain issues: incomplete'." },
    { TLSDIAG_CAUSE_CERT_CHAIN_OUT_OF_ORDER, "cert_chain_out_of_order",
      "Certificate chain sent out of order",
      TLSDIAG_SEV_WARN, TLSDIAG_GROUP_PROTOCOL,
      "The certificates are not sent in issuing order (each followed by the one that signed it). Many "
      "clients reorder them, but strict ones (older TLS libraries, some embedded clients) fail.",
      "Put the server's certificate first, then its issuer, then that issuer's issuer, in the chain "
      "file the server sends.",
      "The certificates in the Certificate message are not each followed by their issuer. Confirm: "
      "openssl s_client -showcerts lists them in the order sent." },
    { TLSDIAG_CAUSE_CERT_UNTRUSTED_ISSUER, "cert_untrusted_issuer",
      "Certificate from an untrusted root",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SECURITY,
      "The chain is complete up to a root CA, but the client does not trust that root (alert "
      "unknown_ca) and nothing else is wrong with the certificates: a private CA, a TLS-inspecting "
      "proxy's CA, or a trust store missing a newer root.",
      "Install the root in the client's trust store (or point the client at the right CA bundle), or "
      "serve a certificate from a CA the clients already trust.",
      "A complete chain up to a root, answered by unknown_ca (48). Confirm: openssl verify -CAfile "
      "with the client's trust store fails on the root; the same chain verifies with that root "
      "added." },
    { TLSDIAG_CAUSE_CERT_REJECTED, "cert_rejected",
      "Certificate rejected",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SECURITY,
      "The peer rejected a certificate (bad_certificate, unsupported_certificate, certificate_revoked, "
      "certificate_unknown) and nothing visible in the certificates explains why: the reason lies in "
      "checks the capture cannot show (revocation, key usage, policy, pinning).",
      "Read the rejecting side's log, and check the certificate with the same library (openssl verify, "
      "openssl s_client -verify_return_error) including revocation and key usage.",
      "A certificate alert (42, 43, 44, 45, 46) after the server's Certificate, with nothing "
      "visibly wrong in it. Confirm: openssl s_client -status (revocation), the certificate's "
      "keyUsage and extendedKeyUsage, and the rejecting side's log." },
    { TLSDIAG_CAUSE_CERT_WEAK, "cert_weak",
      "Weak certificate (SHA-1/MD5 signature or short RSA key)",
      TLSDIAG_SEV_WARN, TLSDIAG_GROUP_SECURITY,
      "A certificate in the chain is signed with SHA-1 or MD5, or has an RSA key under 2048 bits. "
      "Current clients refuse such certificates at their default security level, and they can be "
      "forged or broken.",
      "Reissue the certificate with an RSA key of at least 2048 bits (or ECDSA) and a SHA-256 (or "
      "better) signature, and replace weak intermediates.",
      "A certificate signed with sha1WithRSAEncryption / md5WithRSAEncryption (x509af.algorithm.id) "
      "or an RSA modulus under 2048 bits (pkcs1.modulus). Confirm: openssl x509 -noout -text shows "
      "the signature algorithm and the key size." },
    { TLSDIAG_CAUSE_CLIENT_CERT_REQUIRED, "client_cert_required",
      "Client certificate required but not sent",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SECURITY,
      "The server asked for a client certificate (CertificateRequest), the client sent none (an empty "
      "Certificate message), and the server ended the handshake: it requires mutual TLS.",
      "Configure the client with a certificate and key issued by a CA the server accepts (the "
      "CertificateRequest lists them), or relax the server (e.g. nginx ssl_verify_client optional).",
      "The server's CertificateRequest, an empty client Certificate "
      "(tls.handshake.certificates_length == 0), then the server's alert 40, 42 or 116, or a close. "
      "In TLS 1.3 without keys: a client flight of two encrypted records starting with a 25-byte "
      "one, then a 19-byte record from the server. Confirm: the same request with a client "
      "certificate (curl --cert) succeeds." },
    { TLSDIAG_CAUSE_CLIENT_CERT_REJECTED, "client_cert_rejected",
      "Client certificate rejected",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SECURITY,
      "The client sent a certificate and the server refused it: issued by a CA the server does not "
      "trust, expired, revoked, or not allowed for client authentication.",
      "Check the client certificate's issuer against the server's client CA list (nginx "
      "ssl_client_certificate), its dates and its extendedKeyUsage (clientAuth); read the server's log.",
      "The client's Certificate (with certificates) after a CertificateRequest, then the server's "
      "alert (48 unknown_ca, 42, 45 ...). Confirm: the client certificate's issuer against the "
      "server's client CA list (the CertificateRequest's distinguished names), its dates and "
      "extendedKeyUsage." },
    { TLSDIAG_CAUSE_ENCRYPTED_ALERT, "encrypted_alert",
      "Encrypted alert ended the handshake",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_PROTOCOL,
      "An alert that cannot be read without the session keys ended the handshake: in TLS 1.3 "
      "everything after the ServerHello is encrypted (the alert looks like a small Application Data "
      "record followed by a close), in TLS 1.2 everything after ChangeCipherSpec. Who sent it and when "
      "says what most likely happened.",
      "Load the TLS key log (SSLKEYLOGFILE from the client, tls.keylog_file in Wireshark) to read the "
      "alert, or read the log of the side that sent it.",
      "TLS 1.3: after the ServerHello, a single Application Data record of 19 bytes (2 + type + "
      "16-byte tag) followed by FIN or RST; TLS 1.2: an 'Encrypted Alert' record after "
      "ChangeCipherSpec. Confirm: load the key log (tls.keylog_file) and the alert reads as itself." },
    { TLSDIAG_CAUSE_RENEGOTIATION_REFUSED, "renegotiation_refused",
      "Renegotiation refused",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_PROTOCOL,
      "On an established TLS 1.2 (or older) connection one side started a new handshake "
      "(renegotiation: an encrypted ClientHello, or the server's HelloRequest) and the other refused it "
      "with no_renegotiation, a fatal alert or a close. Most servers, load balancers and OpenSSL 3 "
      "refuse client-initiated renegotiation by default (it was a denial-of-service and injection "
      "vector); TLS 1.3 has none.",
      "Make the client stop renegotiating (legacy clients do it to present a client certificate late: "
      "request the certificate in the first handshake instead), or allow it where the server "
      "supports it (OpenSSL -client_renegotiation, IIS/Apache settings).",
      "On an established TLS 1.2 connection, after application data: an encrypted handshake record "
      "(a ClientHello, or the server's HelloRequest), then alert no_renegotiation (100), a fatal "
      "alert or a close. Confirm: with the key log the new ClientHello and the alert are readable; "
      "openssl s_client then 'R' reproduces it." },
    { TLSDIAG_CAUSE_RENEGOTIATION_INSECURE, "renegotiation_insecure",
      "No secure renegotiation (RFC 5746)",
      TLSDIAG_SEV_WARN, TLSDIAG_GROUP_SECURITY,
      "The ClientHello carries neither the renegotiation_info extension nor "
      "TLS_EMPTY_RENEGOTIATION_INFO_SCSV, or the server does not acknowledge it: the peers cannot "
      "renegotiate securely, which leaves TLS 1.2 and older open to the 2009 renegotiation attack "
      "(CVE-2009-3555), and strict peers refuse such a handshake.",
      "Update the TLS library of the side that lacks RFC 5746 support (every library since 2010 has "
      "it); do not enable legacy/unsafe renegotiation options.",
      "A TLS 1.2 or older ClientHello without extension 0xff01 (renegotiation_info) and without "
      "suite 0x00ff, or a ServerHello without 0xff01. Confirm: openssl s_client -connect ... shows "
      "'Secure Renegotiation IS NOT supported'." },
    { TLSDIAG_CAUSE_RENEGOTIATION_SCSV_MISUSE, "renegotiation_scsv_misuse",
      "Renegotiation ClientHello with the SCSV or without renegotiation_info",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_PROTOCOL,
      "A ClientHello on an established connection (a renegotiation) must carry renegotiation_info "
      "with the previous Finished values and must not carry TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC "
      "5746 3.5); a server must abort a renegotiation that does otherwise, because it cannot tell it "
      "from an attacker splicing a handshake in front of the client's.",
      "Fix the client: it treats the renegotiation like a first handshake (often it lost its "
      "session state); upgrade its TLS library, or reconnect instead of renegotiating.",
      "A ClientHello on an established connection (readable with the key log) that carries suite "
      "0x00ff or lacks renegotiation_info, then the server's fatal alert. Confirm: the client's TLS "
      "library version; RFC 5746 3.5." },
    { TLSDIAG_CAUSE_NEW_HANDSHAKE_ON_ESTABLISHED, "new_handshake_on_established",
      "Plaintext ClientHello on an established connection",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SEQUENCE,
      "After the handshake finished, the client sent a new ClientHello in plaintext on the same TCP "
      "connection, as if it had lost its TLS state (a crashed or reset TLS layer, a proxy splicing "
      "connections, connection reuse gone wrong). The server, expecting encrypted records, aborts.",
      "Find why the client forgets its session on a live connection: connection pooling, a proxy that "
      "reuses upstream connections, an application that re-wraps the socket; open a new connection "
      "for a new handshake.",
      "After a completed handshake and application data, a plaintext ClientHello (record type 22 "
      "whose bytes start 01 00 .. .. 03) on the same TCP connection, which older Wireshark shows as "
      "an encrypted handshake message; the server answers with an encrypted fatal alert and closes. "
      "Confirm: the bytes of that record in the packet bytes pane." },
    { TLSDIAG_CAUSE_HELLO_RETRY_REQUEST, "hello_retry_request",
      "HelloRetryRequest (extra round trip)",
      TLSDIAG_SEV_CHAT, TLSDIAG_GROUP_PROTOCOL,
      "In TLS 1.3 the client guesses a key-exchange group and sends a key share for it; the server "
      "supports another of the client's groups and asks for it with a HelloRetryRequest, which costs "
      "one extra round trip before the handshake can go on.",
      "Harmless; to save the round trip, make the client's first key share a group the server "
      "prefers (or the server accept the client's first choice).",
      "A ServerHello whose random is the HelloRetryRequest value (SHA-256 of 'HelloRetryRequest'), "
      "naming a group in key_share, then a second ClientHello. Confirm: the first ClientHello's "
      "key_share groups against the group the server asked for." },
    { TLSDIAG_CAUSE_SESSION_RESUMED, "session_resumed",
      "Session resumed",
      TLSDIAG_SEV_CHAT, TLSDIAG_GROUP_PROTOCOL,
      "The client offered an earlier session (session ID, session ticket or TLS 1.3 PSK) and the "
      "server accepted it: an abbreviated handshake without certificates.",
      "Nothing to do: resumption saves a round trip and the server's signature.",
      "A ClientHello with a session ticket, a session ID (TLS 1.2) or pre_shared_key (TLS 1.3), and "
      "a server flight without Certificate (TLS 1.2: ServerHello, ChangeCipherSpec, Finished; TLS "
      "1.3: pre_shared_key in the ServerHello). Confirm: openssl s_client -sess_out / -sess_in "
      "prints 'Reused'." },
    { TLSDIAG_CAUSE_RESUMPTION_DECLINED, "resumption_declined",
      "Session resumption declined",
      TLSDIAG_SEV_NOTE, TLSDIAG_GROUP_PROTOCOL,
      "The client offered an earlier session (session ID, session ticket or TLS 1.3 PSK) and the "
      "server did a full handshake instead: the session expired, the server restarted or rotated its "
      "ticket keys, or the client reached another server behind a load balancer that does not share "
      "session caches or ticket keys.",
      "If it happens often behind a load balancer, share ticket keys (nginx ssl_session_ticket_key, "
      "HAProxy tls-ticket-keys) or session caches across the servers.",
      "The ClientHello offers a ticket, session ID or PSK, and the server answers with a full "
      "handshake (Certificate sent; no pre_shared_key in a TLS 1.3 ServerHello). Confirm: openssl "
      "s_client -sess_in prints 'New' instead of 'Reused'; check ticket-key sharing across servers." },
    { TLSDIAG_CAUSE_WEAK_PROTOCOL, "weak_protocol",
      "Weak protocol version negotiated",
      TLSDIAG_SEV_WARN, TLSDIAG_GROUP_SECURITY,
      "The handshake settled on SSL 3.0, TLS 1.0 or TLS 1.1, which are deprecated (RFC 8996) and "
      "refused by current clients and compliance rules (PCI DSS).",
      "Enable TLS 1.2 and 1.3 on both sides and disable the old versions once no client needs them.",
      "A ServerHello with version TLS 1.1, TLS 1.0 or SSL 3.0 and a completed handshake. Confirm: "
      "openssl s_client -tls1_2 against the server; the client's maximum version in its "
      "ClientHello." },
    { TLSDIAG_CAUSE_SSLV2_CLIENT_HELLO, "sslv2_client_hello",
      "SSLv2-format ClientHello",
      TLSDIAG_SEV_WARN, TLSDIAG_GROUP_SECURITY,
      "The client sent its ClientHello in the SSL 2.0 record format (cipher specs of 3 bytes). "
      "SSL 2.0 is broken and forbidden (RFC 6176); current servers refuse even the compatible form.",
      "Replace or reconfigure the client (very old Java, OpenSSL 0.9.x or scanners send it).",
      "A ClientHello in an SSLv2 record (first byte with the high bit set, 3-byte cipher specs, "
      "tls.handshake.cipherspec). Confirm: the client's software and its TLS library version." },
};

const tlsdiag_cause_info *
tlsdiag_cause_get(tlsdiag_cause id)
{
    if ((unsigned)id >= TLSDIAG_CAUSE_COUNT)
        return NULL;
    return &cause_table[id];
}
