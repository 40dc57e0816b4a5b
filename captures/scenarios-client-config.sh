# shellcheck shell=bash
# Clients whose own TLS settings leave nothing to offer, for
# make-captures.sh (sourced by it; uses its helpers).
#
# An OpenSSL client (Debian's OpenSSL 3.0, and Node.js's own build of it)
# that cannot build a ClientHello (no protocol version allowed: "no
# protocols available"; no cipher suite for the highest version allowed:
# "no ciphers available") sends a plaintext fatal alert where its
# ClientHello was due, then closes: protocol_version (70) or
# internal_error (80).  Java (JSSE) and GnuTLS fail the same way without
# sending a byte.  s_server answers the alert with unexpected_message;
# nginx takes a first byte that is not a handshake record for plain HTTP
# and answers "400 Bad Request".
#
#   client-aborted-before-hello  s_server -www on 443, nginx (http/1.1
#                                and h2) on 8443; a good s_client, then
#                                seven clients that give up before their
#                                ClientHello and one that sends nothing

# client-aborted-before-hello: streams, 0.3 s apart:
#   0 s_client, good (control): handshake, close_notify
#   1 s_client -tls1_2 -cipher aNULL (suites its security level forbids):
#     internal_error, "no ciphers available"
#   2 s_client -no_tls1 ... -no_tls1_3: protocol_version, "no protocols
#     available"
#   3 Python ssl, minimum TLS 1.3, maximum TLS 1.2: protocol_version,
#     "NO_PROTOCOLS_AVAILABLE"
#   4 curl --tlsv1.2 --tls-max 1.2 --ciphers aNULL: internal_error
#   5 Node.js (tls.connect, maxVersion TLSv1.2, ciphers aNULL):
#     internal_error, ERR_SSL_NO_CIPHERS_AVAILABLE
#   6 h2load to nginx, its list of TLS 1.3 suites empty: internal_error;
#     nginx answers 400
#   7 s_client -tls1_3 -ciphersuites '' to nginx: internal_error; 400
#   8 gnutls-cli with no version allowed: connects and closes, no byte
#     sent (nothing for tlsdiag to say)
scenario_client_aborted_before_hello() {
    local name=client-aborted-before-hello
    nginx_start cab-nginx "$(nginx_http "
    server {
        listen 127.0.0.1:8443 ssl http2;
        ssl_certificate $CERT;
        ssl_certificate_key $KEY;
        ssl_protocols TLSv1.2 TLSv1.3;
        location / { return 200 \"hello\n\"; }
    }")"
    bg_server cab-ossl openssl s_server -cert "$CERT" -key "$KEY" -accept 127.0.0.1:443 -www -quiet
    wait_listen 443
    wait_listen 8443
    start_capture "$name" "tcp port 443 or tcp port 8443"
    s_client_try cab-good -connect 127.0.0.1:443 -servername good.example
    sleep 0.3
    s_client_try cab-sclient-ciphers -connect 127.0.0.1:443 -servername good.example -tls1_2 -cipher aNULL
    sleep 0.3
    s_client_try cab-sclient-versions -connect 127.0.0.1:443 -servername good.example \
        -no_tls1 -no_tls1_1 -no_tls1_2 -no_tls1_3
    sleep 0.3
    client cab-python "$PY" -c '
import socket, ssl, sys
c = ssl.create_default_context(cafile=sys.argv[1])
c.minimum_version = ssl.TLSVersion.TLSv1_3
c.maximum_version = ssl.TLSVersion.TLSv1_2
s = socket.create_connection(("127.0.0.1", 443))
try:
    c.wrap_socket(s, server_hostname="good.example")
except ssl.SSLError as e:
    print("error", e)' "$CA"
    sleep 0.3
    client cab-curl curl -sS --cacert "$CA" --resolve good.example:443:127.0.0.1 --tlsv1.2 --tls-max 1.2 \
        --ciphers aNULL https://good.example/
    sleep 0.3
    client cab-node node -e '
const tls = require("tls");
const s = tls.connect({ host: "127.0.0.1", port: 443, servername: "good.example", maxVersion: "TLSv1.2",
                        ciphers: "aNULL", ca: require("fs").readFileSync(process.argv[1]) });
s.on("error", (e) => console.log("error", e.code));' "$CA"
    sleep 0.3
    client cab-h2load h2load -n 1 -c 1 --tls13-ciphers= https://127.0.0.1:8443/
    sleep 0.3
    s_client_try cab-sclient-nginx -connect 127.0.0.1:8443 -servername good.example -tls1_3 -ciphersuites ''
    sleep 0.3
    client cab-gnutls gnutls-cli --x509cafile "$CA" --priority NORMAL:-VERS-ALL -p 443 127.0.0.1
    stop_capture
    log_expect cab-good 'Verify return code: 0 \(ok\)'
    log_expect cab-sclient-ciphers 'no ciphers available'
    log_expect cab-sclient-versions 'no protocols available'
    log_expect cab-python 'error .*NO_PROTOCOLS_AVAILABLE'
    log_expect cab-curl 'no ciphers available'
    log_expect cab-node 'error ERR_SSL_NO_CIPHERS_AVAILABLE'
    log_expect cab-h2load '1 failed, 1 errored'
    log_expect cab-sclient-nginx 'no ciphers available'
    nc_want "ClientHellos" 'tls.handshake.type == 1' tcp.stream "0"
    nc_want "the clients' alerts" '(tcp.dstport == 443 || tcp.dstport == 8443) && tcp.len == 7' tcp.stream "1 2 3 4 5 6 7"
    nc_want "nginx's answers" 'http.response.code == 400' tcp.stream "6 7"
    nc_want "gnutls-cli's bytes" 'tcp.stream == 8 && tcp.dstport == 443 && tcp.len > 0' tcp.stream ""
}

ALL+=(client-aborted-before-hello)
