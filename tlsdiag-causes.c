/* tlsdiag-causes.c — the cause catalogue (token, severity, explanation, remedy).
 *
 * Every diagnosis tlsdiag can make is one row here and nowhere else: the
 * expert infos, the docs test and the rules all read this table.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "tlsdiag-causes.h"

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
      "that cannot handle the full-strength ClientHello)." },
    { TLSDIAG_CAUSE_PROTOCOL_VERSION_MISMATCH, "protocol_version_mismatch",
      "Protocol version mismatch",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_PROTOCOL,
      "Client and server have no TLS version in common: one side offers or picks a version the other "
      "does not accept.",
      "Enable a common version: upgrade the side stuck on old versions (TLS 1.2 or 1.3), or, if it "
      "cannot be upgraded yet, allow its version on the other side for that client only." },
    { TLSDIAG_CAUSE_CIPHER_SUITE_MISMATCH, "cipher_suite_mismatch",
      "Cipher suite mismatch",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SECURITY,
      "The server found no cipher suite in the ClientHello that it is configured to accept; typically "
      "an old client offering only obsolete suites (no AEAD, no forward secrecy, RC4, 3DES, export) "
      "to a server that allows only modern ones.",
      "Compare the client's offered suites with the server's cipher list (e.g. nginx ssl_ciphers, "
      "openssl ciphers -v). Update the client's TLS library or configuration; widen the server's "
      "list only if the client cannot change." },
    { TLSDIAG_CAUSE_NO_COMMON_GROUP, "no_common_group",
      "No common key-exchange group",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SECURITY,
      "The client's supported groups / key shares (elliptic curves or finite-field groups for the "
      "(EC)DHE key exchange) and the server's configured groups do not overlap.",
      "Compare the client's supported_groups with the server's groups setting (e.g. nginx "
      "ssl_ecdh_curve, OpenSSL -groups) and enable a common one such as x25519 or secp256r1." },
    { TLSDIAG_CAUSE_MISSING_SNI, "missing_sni",
      "Missing SNI (no server_name in the ClientHello)",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_PROTOCOL,
      "The ClientHello carries no server_name, and the server ended the handshake right after it. "
      "Servers that host several names on one address (nginx ssl_reject_handshake, SNI-routing "
      "proxies such as nginx ssl_preread, CDNs, load balancers) cannot choose a certificate or a "
      "backend without it.",
      "Make the client send SNI: connect by host name rather than IP address, or set it explicitly "
      "(openssl s_client -servername, curl --resolve, the TLS library's server-name option). On the "
      "server, a default certificate for clients without SNI also works." },
    { TLSDIAG_CAUSE_UNRECOGNIZED_NAME, "unrecognized_name",
      "Unrecognized server name (SNI)",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_PROTOCOL,
      "The server answered with alert unrecognized_name (112): the name the client asked for in SNI "
      "is not configured on this server.",
      "Check the name the client uses against the server's configured names (nginx server_name, "
      "virtual hosts, the load balancer's certificate list), and check DNS sends the client to the "
      "right server." },
    { TLSDIAG_CAUSE_ALPN_MISMATCH, "alpn_mismatch",
      "ALPN mismatch (no common application protocol)",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_PROTOCOL,
      "Alert no_application_protocol (120): the client offered application protocols in ALPN (h2, "
      "http/1.1, …) and the peer supports none of them and insists on ALPN.",
      "Enable a protocol the client offers on the server (e.g. http/1.1 beside h2), or make the "
      "client offer one the server supports." },
    { TLSDIAG_CAUSE_NOT_TLS, "not_tls",
      "Not TLS on one side",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_MALFORMED,
      "One side does not speak TLS on this port: the server answered the ClientHello with something "
      "that is not TLS (often a plain HTTP error page), or the client sent plaintext to a TLS server.",
      "Check the port and the scheme: https:// to a plain HTTP port, http:// to an HTTPS port, a "
      "proxy or service listening on the wrong port, or TLS termination configured on the wrong "
      "listener." },
    { TLSDIAG_CAUSE_RESET_AFTER_CLIENT_HELLO, "reset_after_client_hello",
      "Connection reset right after the ClientHello",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SEQUENCE,
      "The connection was reset (TCP RST) right after the ClientHello, without a TLS alert. A TLS "
      "server would send an alert; a reset usually comes from a firewall, IPS or proxy that inspects "
      "the ClientHello (e.g. blocking by SNI), or from a service that does not speak TLS here.",
      "Capture on both sides of middleboxes to see who sends the reset (compare TTL/IP ID with the "
      "server's other packets); check firewall/IPS rules for the SNI, and that the port runs TLS." },
    { TLSDIAG_CAUSE_CLOSED_AFTER_CLIENT_HELLO, "closed_after_client_hello",
      "Connection closed right after the ClientHello",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SEQUENCE,
      "The server side closed the connection (TCP FIN) right after the ClientHello, without a TLS "
      "alert. Typical of proxies that route by SNI and found no route, of servers that reject the "
      "hello before their TLS library sees it, or of a service that does not speak TLS here.",
      "Check what listens on the port and its logs; for SNI-routing proxies (nginx ssl_preread, "
      "HAProxy req.ssl_sni) check the routing map for this name or for clients without SNI." },
    { TLSDIAG_CAUSE_NO_SERVER_RESPONSE, "no_server_response",
      "No response to the ClientHello",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SEQUENCE,
      "The ClientHello was never answered and the client gave up. The server (or something in "
      "front of it) accepted the TCP connection but never spoke TLS: an overloaded or hung service, "
      "a proxy waiting for a backend, or a middlebox silently dropping the hello.",
      "Check the server's health and accept queue, and whether large ClientHellos are dropped on "
      "the path (MTU, middleboxes); capture closer to the server to see whether the hello arrives." },
    { TLSDIAG_CAUSE_CLIENT_HELLO_REJECTED, "client_hello_rejected",
      "ClientHello rejected (reason not visible on the wire)",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_PROTOCOL,
      "The server answered the ClientHello with a fatal alert, and nothing in the capture shows "
      "which parameter it disliked: versions, suites and groups look acceptable.",
      "Compare what the client offered (versions, cipher suites, groups, signature algorithms, "
      "extensions) with the server's configuration, and read the server's log for this connection." },
    { TLSDIAG_CAUSE_HANDSHAKE_ALERT, "handshake_alert",
      "Fatal alert during the handshake",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_PROTOCOL,
      "A fatal TLS alert ended the handshake. The alert names what the sender objected to.",
      "Read the alert's meaning below, then the sender's log for this connection: it usually names "
      "the exact check that failed." },
    { TLSDIAG_CAUSE_VERSION_INTOLERANCE, "version_intolerance",
      "Version intolerance (server fails the best version, accepts a lower one)",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_PROTOCOL,
      "The server failed a ClientHello offering the client's best TLS version, yet accepted the "
      "same client's retry at a lower version. A correct server answers a higher version than it "
      "supports by negotiating its own best (RFC 8446 4.2.1, RFC 5246 E.1); one that resets or "
      "aborts instead is version-intolerant and pushes clients into downgrades.",
      "Upgrade or fix the server (or the middlebox in front of it) so it negotiates down instead of "
      "failing; until then clients pay a failed attempt and a weaker version on every connection." },
    { TLSDIAG_CAUSE_LARGE_CLIENT_HELLO_DROPPED, "large_client_hello_dropped",
      "Large ClientHello dropped (spans several TCP segments)",
      TLSDIAG_SEV_ERROR, TLSDIAG_GROUP_SEQUENCE,
      "The ClientHello was larger than one TCP segment (typically because of a post-quantum hybrid "
      "key share such as X25519MLKEM768, over 1 KB on its own) and the server side reset, closed or "
      "ignored it. Some middleboxes and old servers only read the first segment of a ClientHello.",
      "Fix or upgrade the middlebox or server so it reassembles a ClientHello over several segments; "
      "as a stopgap, clients can disable the hybrid key share (e.g. OpenSSL -groups X25519)." },
    { TLSDIAG_CAUSE_RETRY_STORM, "retry_storm",
      "Retry storm (many failed attempts, no success)",
      TLSDIAG_SEV_WARN, TLSDIAG_GROUP_SEQUENCE,
      "The same client retried the handshake with this service more times than the retry-storm "
      "limit, each attempt soon after the previous failure, and none succeeded. The failures are "
      "not a passing glitch, and the retries add load on the server.",
      "Fix the cause named on the attempts (often the same on each); make the client back off "
      "between retries. The limit is the preference tlsdiag.retry_storm_attempts." },
};

const tlsdiag_cause_info *
tlsdiag_cause_get(tlsdiag_cause id)
{
    if ((unsigned)id >= TLSDIAG_CAUSE_COUNT)
        return NULL;
    return &cause_table[id];
}
