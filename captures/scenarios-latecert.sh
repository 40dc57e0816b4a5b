# shellcheck shell=bash
# Scenarios of a client certificate asked for after the handshake, for
# make-captures.sh (sourced by it; uses its helpers and those of
# scenarios-healthy.sh): Apache httpd 2.4 (Debian 12's apache2, mpm_event,
# mod_ssl on OpenSSL 3.0) with `SSLVerifyClient require` inside
# `<Location /secure>` only, so it asks when a request for /secure/ arrives:
# in TLS 1.2 by renegotiating (HelloRequest, then a new handshake with a
# CertificateRequest), in TLS 1.3 by post-handshake authentication (a
# CertificateRequest after the handshake, only to a client whose
# ClientHello has the post_handshake_auth extension: curl (OpenSSL),
# Python with post_handshake_auth, s_client -enable_pha, gnutls-cli
# --post-handshake-auth, tstclnt -E).  Second server stacks: openssl
# s_server -tls1_2, whose stdin command `R` renegotiates asking for a
# client certificate, and a small Python ssl server doing post-handshake
# authentication.
#
# Apache runs in the foreground (-DFOREGROUND) with a config of its own in
# $TMP/latecert (ServerRoot, pid file, session cache there too; only the
# modules it needs, from /usr/lib/apache2/modules), binds 127.0.0.1:PORT
# only, and logs to $TMP/LOGNAME-error.log (LogLevel info ssl:debug) and
# $TMP/LOGNAME-access.log (status line and client certificate per
# request).  Its children run as nobody, so its pages are in a
# world-readable directory of their own under /tmp (removed at exit).  The
# system's apache2 service is left alone: each port must be free before
# Apache starts.  What Apache says per connection: TLS 1.2 without a
# certificate "AH02261: Re-negotiation handshake failed" and "peer did not
# return a certificate" (alert handshake_failure 40), TLS 1.3 without one
# "AH02263: Re-negotiation handshake failed: Client certificate missing"
# (certificate_required 116), a certificate that is not for clients (the
# server's own, extendedKeyUsage serverAuth) "AH02276: Certificate
# Verification: Error (26): unsuitable certificate purpose"
# (unsupported_certificate 43), a TLS 1.3 client without
# post_handshake_auth "AH10158: cannot perform post-handshake
# authentication" (an HTTP 403 over a healthy connection).  Apache writes
# its key log ($TMP/latecert/LOGNAME.keys, SSLKEYLOGFILE: mod_ssl 2.4.49+)
# for the checks of the one connection whose client writes none (tstclnt);
# the committed .keys files are the clients' key logs only.
#
# Seen with these stacks: Apache, and s_server with
# -no_resumption_on_reneg, renegotiate with a full handshake (s_client
# would otherwise resume its session and get no CertificateRequest) and
# give the new handshake no session ticket; GnuTLS 3.7.9's client, when
# its first handshake got a ticket, then waits for one in the
# renegotiation too and refuses the server's ChangeCipherSpec with
# unexpected_message (10) once it has sent a certificate, so it renegotiates with
# these servers only without tickets (%NO_TICKETS); without a certificate
# the server refuses it first.  s_server's `R` asks for a certificate
# without requiring one (SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE, whatever
# -verify_return_error or -Verify say): an empty Certificate is accepted
# and the connection goes on; a certificate that fails verification is
# refused.  tstclnt -E needs -n NICKNAME: a nickname that is not in its
# database makes it answer with an empty Certificate ("Failed to load a
# suitable client certificate").
#
#   client-cert-renegotiation-tls12   Apache TLS 1.2: curl, Python,
#                                     s_client, gnutls-cli without a client
#                                     certificate, Python with the server's
#                                     own; s_server R: gnutls-cli with the
#                                     server's own
#   client-cert-post-handshake-tls13  Apache TLS 1.3: curl, Python (PHA),
#                                     s_client, gnutls-cli, tstclnt without
#                                     one, Python (PHA) with the server's
#                                     own, Python without PHA (403); the
#                                     Python PHA server: curl without one,
#                                     s_client with the server's own
#   healthy-client-cert-late          (healthy framework) the same servers
#                                     and clients with a good certificate,
#                                     and requests for / (none asked)

LCDIR=$TMP/latecert
LCWWW=                  # Apache's pages (world-readable, made by lc_setup)
LC_TO=60                # seconds each server may live (lc_server)
LCPEER=("$PY" "$LCDIR/lc-peer.py")
LCNSS=sql:$LCDIR/nssdb  # trusts the run's CA; no client certificate
LC_REQ='GET %s HTTP/1.1\r\nHost: good.example\r\nConnection: close\r\n\r\n'

write_latecert_peer() {
    cat >"$LCDIR/lc-peer.py" <<'PYEOF'
"""Python ssl peers for captures/scenarios-latecert.sh.

client HOST PORT CA VERSION KEYLOG PATH [pha] [cert=CERT,KEY]
    VERSION tls13 or tls12; handshake (SNI good.example, verified; pha:
    post_handshake_auth on, so the ClientHello offers it; cert: offered
    when the server asks), "GET PATH HTTP/1.1" (Host good.example,
    Connection: close), read the answer until the server's close_notify,
    send ours (unwrap), close.  A failure is printed, not raised.
server HOST PORT CERT KEY CA N
    TLS 1.3 only, post_handshake_auth, CERT_REQUIRED trusting CA: accept N
    connections one after the other; each: handshake (no certificate asked
    for: the client has not offered it yet), read the request to its empty
    line, then ask (verify_client_post_handshake, do_handshake: the
    CertificateRequest goes out), read the client's answer without waiting
    for more application data (non-blocking reads until its certificate is
    there, at most 5 s), answer "HTTP/1.0 200 OK" naming it, close_notify
    both ways.  A refusal (OpenSSL sends the alert) ends the connection.
"""
import select, ssl, sys
import peerlib

def client(host, port, ca, version, keylog, path, *rest):
    cert = next((r[len("cert="):].split(",") for r in rest if r.startswith("cert=")), None)
    peerlib.https_get(host, port, ca, version, keylog, path, cert=cert, pha="pha" in rest,
                      request=b"GET %s HTTP/1.1\r\nHost: good.example\r\nConnection: close\r\n\r\n")

def answer(tls):
    """Process the client's answer to the CertificateRequest: its
    Certificate (CertificateVerify) Finished, which need no application
    data after them."""
    tls.settimeout(0.0)
    for _ in range(50):
        select.select([tls], [], [], 0.1)
        try:
            tls.recv(4096)
        except ssl.SSLWantReadError:
            pass
        if tls.getpeercert():
            break
    tls.settimeout(5)
    return tls.getpeercert()

def server(host, port, cert, key, ca, n):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.load_cert_chain(cert, key)
    ctx.load_verify_locations(ca)
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.post_handshake_auth = True
    ls = peerlib.listener(host, port)
    print("listening", flush=True)
    for _ in range(int(n)):
        conn, peer = ls.accept()
        conn.settimeout(5)
        tls = None
        try:
            tls = ctx.wrap_socket(conn, server_side=True)
            print("server handshake OK:", tls.version(), "from port", peer[1], flush=True)
            req = b""
            while b"\r\n\r\n" not in req:
                data = tls.recv(4096)
                if not data:
                    break
                req += data
            print("server read:", req.split(b"\r\n", 1)[0].decode(), flush=True)
            tls.verify_client_post_handshake()
            tls.do_handshake()
            print("server sent a CertificateRequest", flush=True)
            peer_cert = answer(tls)
            if not peer_cert:
                print("server: no answer to the CertificateRequest", flush=True)
                tls.close()
                continue
            cn = dict(x[0] for x in peer_cert["subject"]).get("commonName")
            print("server: client certificate CN=%s" % cn, flush=True)
            tls.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"
                        b"hello from the python PHA server, CN=%s\n" % cn.encode())
            tls.unwrap().close()
            print("server closed cleanly", flush=True)
        except (ssl.SSLError, OSError) as e:
            print("server failed:", e, flush=True)
            (tls or conn).close()

if sys.argv[1] == "client":
    client(*sys.argv[2:])
elif sys.argv[1] == "server":
    server(*sys.argv[2:8])
else:
    sys.exit("unknown mode " + sys.argv[1])
PYEOF
}

# lc_setup: the Python peer, the client certificate "tlsdiag late client"
# ($LCDIR/client.pem, .key; extendedKeyUsage clientAuth), Apache's pages
# and tstclnt's database (once per run).
lc_setup() {
    [[ -f $LCDIR/lc-peer.py ]] && return 0
    mkdir -p "$LCDIR"
    issue_leaf "$LCDIR" client "/CN=tlsdiag late client" "basicConstraints=CA:FALSE" \
        "keyUsage=critical,digitalSignature" "extendedKeyUsage=clientAuth"
    LCWWW=$(mktemp -d /tmp/tlsdiag-latecert-www.XXXXXX)
    also_on_exit "rm -rf '$LCWWW'"
    mkdir -p "$LCWWW/secure"
    echo "hello from apache, page /" >"$LCWWW/index.html"
    echo "hello from apache, page /secure/" >"$LCWWW/secure/index.html"
    chmod 755 "$LCWWW" "$LCWWW/secure"
    chmod 644 "$LCWWW/index.html" "$LCWWW/secure/index.html"
    mkdir -p "${LCNSS#sql:}"
    certutil -N -d "$LCNSS" --empty-password
    certutil -A -d "$LCNSS" -n ca -t "CT,C,C" -i "$CA"
    write_latecert_peer
}

# lc_server LOGNAME CMD...: bg_server with LC_TO.
lc_server() { SERVER_TO=$LC_TO bg_server "$@"; }

# lc_wait_log LOGNAME REGEX: until $TMP/LOGNAME.log matches (5 s), else stop.
lc_wait_log() {
    local _
    for _ in $(seq 100); do
        grep -qE -- "$2" "$TMP/$1.log" 2>/dev/null && return 0
        sleep 0.05
    done
    echo "make-captures.sh: $1.log: waited in vain for /$2/" >&2
    exit 1
}

# lc_apache LOGNAME PORT VERSION: Apache on 127.0.0.1:PORT, good.example,
# SSLProtocol TLSvVERSION only (1.2 or 1.3), trusting the run's CA for
# client certificates, SSLVerifyClient require in <Location /secure> only;
# started by SERVER (lc_server, or h_server in the healthy capture).  Its
# key log: $LCDIR/LOGNAME.keys.
lc_apache() {
    local logname=$1 port=$2 v=$3 d=$LCDIR/$1
    rm -rf "$d"; mkdir -p "$d"
    rm -f "$TMP/$logname-error.log" "$TMP/$logname-access.log" "$LCDIR/$logname.keys"
    cat >"$d/httpd.conf" <<CONF
ServerRoot $d
PidFile $d/httpd.pid
ErrorLog $TMP/$logname-error.log
LogLevel info ssl:debug
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
LoadModule socache_shmcb_module /usr/lib/apache2/modules/mod_socache_shmcb.so
LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so
User nobody
Group nogroup
ServerName localhost
Listen 127.0.0.1:$port
LogFormat "%h:%{remote}p \"%r\" %>s %{SSL_PROTOCOL}x client-cert=[%{SSL_CLIENT_S_DN}x]" lc
CustomLog $TMP/$logname-access.log lc
SSLSessionCache shmcb:$d/ssl_scache(512000)
DocumentRoot $LCWWW
DirectoryIndex index.html
<VirtualHost 127.0.0.1:$port>
    ServerName good.example
    SSLEngine on
    SSLProtocol -all +TLSv$v
    SSLCertificateFile $CERT
    SSLCertificateKeyFile $KEY
    SSLCACertificateFile $CA
    <Location /secure>
        SSLVerifyClient require
    </Location>
</VirtualHost>
CONF
    # Not the system's apache2 (or anything else) on this port.
    wait_free "$port"
    "${SERVER:-lc_server}" "$logname" env SSLKEYLOGFILE="$LCDIR/$logname.keys" \
        apache2 -f "$d/httpd.conf" -DFOREGROUND
    wait_listen "$port"
}

# lc_curl LOGNAME V KEYS URL [ARGS...]: curl (TLS 1.V only, key log KEYS;
# an OpenSSL build: its ClientHello offers post_handshake_auth), printing
# the HTTP status after the body.
lc_curl() {
    local logname=$1 v=$2 keys=$3 url=$4 port; shift 4
    port=${url#https://good.example:}; port=${port%%/*}
    SSLKEYLOGFILE=$keys client "$logname" curl -sS --cacert "$CA" --resolve "good.example:$port:127.0.0.1" \
        --tlsv"$v" --tls-max "$v" -w 'http status %{http_code}\n' "$@" "$url"
}

# lc_sclient LOGNAME PORT PATH KEYS ARGS...: s_client sending a GET for
# PATH (Connection: close) 0.3 s after start; its stdin ends 1.2 s later.
lc_sclient() {
    local logname=$1 port=$2 path=$3 keys=$4; shift 4
    # shellcheck disable=SC2059  # the format is LC_REQ
    { sleep 0.3; printf "$LC_REQ" "$path"; sleep 1.2; } |
        timeout 10 openssl s_client -CAfile "$CA" -connect "127.0.0.1:$port" -servername good.example \
            -keylogfile "$keys" "$@" >"$TMP/$logname.log" 2>&1 || true
}

# lc_gnutls LOGNAME PORT PATH KEYS ARGS...: gnutls-cli the same way.
lc_gnutls() {
    local logname=$1 port=$2 path=$3 keys=$4; shift 4
    # shellcheck disable=SC2059
    { sleep 0.3; printf "$LC_REQ" "$path"; sleep 1.2; } |
        SSLKEYLOGFILE=$keys timeout 10 gnutls-cli -p "$port" --x509cafile "$CA" \
            --sni-hostname good.example --verify-hostname good.example "$@" 127.0.0.1 \
            >"$TMP/$logname.log" 2>&1 || true
}

# lc_keys_dedup FILE: drop repeated lines (two peers may log one handshake).
lc_keys_dedup() {
    awk '!seen[$0]++' "$1" >"$1.tmp" && cat "$1.tmp" >"$1" && rm -f "$1.tmp"
}

# ------------------------------------------------------------ failures ---

# Apache, TLS 1.2 only, on 443; each client GETs /secure/ and Apache
# renegotiates (HelloRequest, then a full handshake with a
# CertificateRequest naming the run's CA): curl without a client
# certificate (stream 0), Python without (1), Python with the server's own
# certificate and key (2, serverAuth only), s_client -tls1_2 without (3),
# gnutls-cli TLS 1.2 only without (4).  Apache refuses the empty
# Certificates with handshake_failure (40) and the server's certificate
# with unsupported_certificate (43), encrypted (the renegotiation runs
# under the first handshake's keys).  Then s_server -tls1_2
# -verify_return_error -CAfile CA -no_resumption_on_reneg on 8443:
# gnutls-cli (TLS 1.2 only) with the server's own certificate sends a
# line; once s_server has it, `R` on its stdin: HelloRequest, full
# handshake with a CertificateRequest; refused with 43 (5).  Key log: the
# clients'.
scenario_client_cert_renegotiation_tls12() {
    local name=client-cert-renegotiation-tls12 keys cpid
    lc_setup
    keys=$(keylog_path $name)
    start_capture $name 'tcp port 443 or tcp port 8443'
    lc_apache apache12 443 1.2
    lc_curl cli-curl 1.2 "$keys" https://good.example:443/secure/
    client cli-py "${LCPEER[@]}" client 127.0.0.1 443 "$CA" tls12 "$keys" /secure/
    client cli-py-wrong "${LCPEER[@]}" client 127.0.0.1 443 "$CA" tls12 "$keys" /secure/ "cert=$CERT,$KEY"
    lc_sclient cli-sclient 443 /secure/ "$keys" -tls1_2
    lc_gnutls cli-gnutls 443 /secure/ "$keys" --priority NORMAL:-VERS-ALL:+VERS-TLS1.2
    stop_servers
    h_fifo_server srv-r openssl s_server -cert "$CERT" -key "$KEY" -accept 127.0.0.1:8443 -naccept 1 \
        -tls1_2 -verify_return_error -CAfile "$CA" -no_resumption_on_reneg
    wait_listen 8443
    { sleep 0.3; echo "hello from gnutls-cli"; sleep 1.5; } |
        SSLKEYLOGFILE=$keys timeout 10 gnutls-cli -p 8443 --x509cafile "$CA" --sni-hostname good.example \
            --verify-hostname good.example --priority NORMAL:-VERS-ALL:+VERS-TLS1.2 \
            --x509certfile "$CERT" --x509keyfile "$KEY" 127.0.0.1 >"$TMP/cli-r-gnutls.log" 2>&1 &
    cpid=$!
    lc_wait_log srv-r '^hello from gnutls-cli'
    sleep 0.2
    h_say R
    wait "$cpid" || true
    h_fifo_close
    stop_capture
    keylog_done $name
    log_expect cli-curl 'alert handshake failure'
    log_expect cli-py '^client failed after 0 bytes: .*SSLV3_ALERT_HANDSHAKE_FAILURE'
    log_expect cli-py-wrong '^client failed after 0 bytes: .*SSLV3_ALERT_UNSUPPORTED_CERTIFICATE'
    log_expect cli-sclient 'alert handshake failure.*SSL alert number 40'
    log_expect cli-gnutls 'Received alert \[40\]'
    log_expect cli-gnutls 'Rehandshake Failed'
    log_expect cli-r-gnutls 'Received rehandshake request'
    log_expect cli-r-gnutls 'Received alert \[43\]'
    log_expect srv-r 'verify error:num=26:unsuitable certificate purpose'
    log_expect srv-r 'tls_process_client_certificate:certificate verify failed'
    log_count apache12-error 'AH02221: Requesting connection re-negotiation' 5
    log_count apache12-error 'AH02261: Re-negotiation handshake failed' 5
    log_count apache12-error 'peer did not return a certificate' 4
    log_count apache12-error 'AH02276: Certificate Verification: Error \(26\): unsuitable certificate purpose' 1
    capture_want "ClientHellos" "$(capture_fields 'tls.handshake.type == 1' tcp.stream)" "0 1 2 3 4 5"
    capture_want "ClientHellos with the key log" \
        "$(capture_fields 'tls.handshake.type == 1' tcp.stream "$keys")" "0 0 1 1 2 2 3 3 4 4 5 5"
    capture_want "HelloRequests" "$(capture_fields 'tls.handshake.type == 0' tcp.stream "$keys")" "0 1 2 3 4 5"
    capture_want "CertificateRequests" \
        "$(capture_fields 'tls.handshake.type == 13' tcp.stream "$keys")" "0 1 2 3 4 5"
    capture_want "the clients' certificates_length" \
        "$(capture_fields 'tcp.dstport in {443,8443} && tls.handshake.type == 11' \
            tls.handshake.certificates_length "$keys" | sed -E 's/\<[1-9][0-9]*\>/N/g')" "0 0 N 0 0 N"
    capture_want "the servers' alerts" \
        "$(capture_fields 'tcp.srcport in {443,8443} && tls.alert_message' tls.alert_message.desc "$keys")" \
        "40 40 43 40 40 43"
    capture_want "their streams" \
        "$(capture_fields 'tcp.srcport in {443,8443} && tls.alert_message' tcp.stream "$keys")" "0 1 2 3 4 5"
}

# Apache, TLS 1.3 only, on 443; each client GETs /secure/ and Apache asks
# after the handshake (post-handshake CertificateRequest): curl without a
# client certificate (stream 0), Python with post_handshake_auth without
# (1), the same with the server's own certificate (2), s_client
# -enable_pha without (3), gnutls-cli --post-handshake-auth (TLS 1.3 only)
# without (4), tstclnt -E (TLS 1.3 only, -n with a nickname its database
# lacks) without (5; no key log of its own), Python WITHOUT
# post_handshake_auth (6: Apache cannot ask, answers 403 Forbidden, TLS
# ends cleanly).  Apache refuses the empty Certificates with
# certificate_required (116) and the server's certificate with
# unsupported_certificate (43).  Then the Python PHA server on 8443: curl
# without a certificate (7: certificate_required), s_client -enable_pha
# with the server's own (8: unsupported_certificate).  Key log: the
# clients' (tstclnt writes none; Apache's, kept in $TMP, checks stream 5).
scenario_client_cert_post_handshake_tls13() {
    local name=client-cert-post-handshake-tls13 keys all
    lc_setup
    keys=$(keylog_path $name)
    start_capture $name 'tcp port 443 or tcp port 8443'
    lc_apache apache13 443 1.3
    lc_curl cli-curl 1.3 "$keys" https://good.example:443/secure/
    client cli-py "${LCPEER[@]}" client 127.0.0.1 443 "$CA" tls13 "$keys" /secure/ pha
    client cli-py-wrong "${LCPEER[@]}" client 127.0.0.1 443 "$CA" tls13 "$keys" /secure/ pha "cert=$CERT,$KEY"
    lc_sclient cli-sclient 443 /secure/ "$keys" -tls1_3 -enable_pha
    lc_gnutls cli-gnutls 443 /secure/ "$keys" --priority NORMAL:-VERS-ALL:+VERS-TLS1.3 --post-handshake-auth
    # shellcheck disable=SC2059
    { sleep 0.3; printf "$LC_REQ" /secure/; sleep 1.2; } |
        timeout 10 tstclnt -h 127.0.0.1 -p 443 -d "$LCNSS" -a good.example -V tls1.3:tls1.3 \
            -E -n no-such-certificate >"$TMP/cli-nss.log" 2>&1 || true
    client cli-py-nopha "${LCPEER[@]}" client 127.0.0.1 443 "$CA" tls13 "$keys" /secure/
    stop_servers
    lc_server pysrv "${LCPEER[@]}" server 127.0.0.1 8443 "$CERT" "$KEY" "$CA" 2
    wait_listen 8443
    lc_curl cli-pysrv-curl 1.3 "$keys" https://good.example:8443/curl
    lc_sclient cli-pysrv-sclient-wrong 8443 /sclient "$keys" -tls1_3 -enable_pha -cert "$CERT" -key "$KEY"
    stop_capture
    keylog_done $name
    log_expect cli-curl 'alert certificate required'
    log_expect cli-py '^client failed after 0 bytes: .*TLSV13_ALERT_CERTIFICATE_REQUIRED'
    log_expect cli-py-wrong '^client failed after 0 bytes: .*SSLV3_ALERT_UNSUPPORTED_CERTIFICATE'
    log_expect cli-sclient 'alert certificate required.*SSL alert number 116'
    log_expect cli-gnutls 'Re-auth was performed|Successfully sent 0 certificate'
    log_expect cli-gnutls 'Received alert \[116\]'
    log_expect cli-nss 'SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT'
    log_expect cli-py-nopha '^client got: HTTP/1\.1 403 Forbidden'
    log_expect cli-py-nopha '^client closed cleanly'
    log_expect cli-pysrv-curl 'alert certificate required'
    log_expect cli-pysrv-sclient-wrong 'alert unsupported certificate.*SSL alert number 43'
    log_expect pysrv 'server failed: .*PEER_DID_NOT_RETURN_A_CERTIFICATE'
    log_expect pysrv 'server failed: .*unsuitable certificate purpose'
    log_count apache13-error 'AH02263: Re-negotiation handshake failed: Client certificate missing' 5
    log_count apache13-error 'AH02276: Certificate Verification: Error \(26\): unsuitable certificate purpose' 1
    log_count apache13-error 'AH02262: Re-negotiation handshake failed: Client verification failed' 1
    log_count apache13-error 'AH10158: cannot perform post-handshake authentication' 1
    capture_want "ClientHellos" "$(capture_fields 'tls.handshake.type == 1' tcp.stream)" "0 1 2 3 4 5 6 7 8"
    capture_want "ClientHellos offering post_handshake_auth" \
        "$(capture_fields 'tls.handshake.type == 1 && tls.handshake.extension.type == 49' tcp.stream)" \
        "0 1 2 3 4 5 7 8"
    capture_want "CertificateRequests" \
        "$(capture_fields 'tls.handshake.type == 13' tcp.stream "$keys")" "0 1 2 3 4 7 8"
    capture_want "the clients' certificates_length" \
        "$(capture_fields 'tcp.dstport in {443,8443} && tls.handshake.type == 11' \
            tls.handshake.certificates_length "$keys" | sed -E 's/\<[1-9][0-9]*\>/N/g')" "0 0 N 0 0 0 N"
    capture_want "the servers' fatal alerts" \
        "$(capture_fields 'tcp.srcport in {443,8443} && tls.alert_message.level == 2' tls.alert_message.desc \
            "$keys")" "116 116 43 116 116 116 43"
    capture_want "their streams" \
        "$(capture_fields 'tcp.srcport in {443,8443} && tls.alert_message.level == 2' tcp.stream "$keys")" \
        "0 1 2 3 4 7 8"
    capture_want "the 403" "$(capture_fields 'http.response.code == 403' tcp.stream "$keys")" "6"
    # tstclnt's connection, read with Apache's key log as well.
    all=$LCDIR/apache13-all.keys
    cat "$keys" "$LCDIR/apache13.keys" >"$all"
    capture_want "tstclnt's CertificateRequest (Apache's key log)" \
        "$(capture_fields 'tcp.stream == 5 && tls.handshake.type == 13' tcp.stream "$all")" "5"
    capture_want "tstclnt's Certificate (Apache's key log)" \
        "$(capture_fields 'tcp.stream == 5 && tcp.dstport == 443 && tls.handshake.type == 11' \
            tls.handshake.certificates_length "$all")" "0"
    capture_want "Apache's alert to tstclnt (Apache's key log)" \
        "$(capture_fields 'tcp.stream == 5 && tls.alert_message.level == 2' tls.alert_message.desc "$all")" "116"
}

# ------------------------------------------------------------- healthy ---

# lc_h_clients LABEL V: against Apache (TLS 1.V only) on HP, with the
# good client certificate: curl, Python (PHA in TLS 1.3), s_client
# (-enable_pha in TLS 1.3) and gnutls-cli (--post-handshake-auth in TLS
# 1.3; %NO_TICKETS in TLS 1.2, see the top), each GET / (no certificate
# asked for), then GET /secure/ (asked, sent, accepted), a connection each.
lc_h_clients() {
    local label=$1 v=$2 path tag py=() ossl=() gnutls=()
    if [[ $v == 1.3 ]]; then
        py=(pha) ossl=(-enable_pha) gnutls=(--post-handshake-auth)
    else
        gnutls=(--priority "NORMAL:-VERS-ALL:+VERS-TLS1.2:%NO_TICKETS")
    fi
    [[ $v == 1.3 ]] && gnutls=(--priority "$(gnutls_prio 1.3)" "${gnutls[@]}")
    for path in / /secure/; do
        tag=$label-root
        [[ $path == /secure/ ]] && tag=$label-secure
        lc_curl "$tag-curl" "$v" "$HK" "https://good.example:$HP$path" --cert "$LCDIR/client.pem" \
            --key "$LCDIR/client.key"
        h_expect "$tag-curl" 1 "^hello from apache, page $path"
        h_expect "$tag-curl" 1 '^http status 200$'
        client "$tag-py" "${LCPEER[@]}" client 127.0.0.1 "$HP" "$CA" "tls${v/./}" "$HK" "$path" "${py[@]}" \
            "cert=$LCDIR/client.pem,$LCDIR/client.key"
        h_expect "$tag-py" 1 '^client got: HTTP/1\.1 200 OK'
        h_expect "$tag-py" 1 '^client closed cleanly'
        lc_sclient "$tag-sclient" "$HP" "$path" "$HK" "-tls1_${v#1.}" "${ossl[@]}" \
            -cert "$LCDIR/client.pem" -key "$LCDIR/client.key"
        h_expect "$tag-sclient" 1 "^hello from apache, page $path"
        h_expect "$tag-sclient" 1 'Verify return code: 0 \(ok\)'
        lc_gnutls "$tag-gnutls" "$HP" "$path" "$HK" "${gnutls[@]}" \
            --x509certfile "$LCDIR/client.pem" --x509keyfile "$LCDIR/client.key"
        h_expect "$tag-gnutls" 1 "^hello from apache, page $path"
    done
}

# The late client certificate accepted: Apache TLS 1.2 (renegotiation)
# and TLS 1.3 (post-handshake authentication), curl, Python, s_client and
# gnutls-cli with "tlsdiag late client" (clientAuth, from the run's CA),
# each a GET / (nothing asked) and a GET /secure/ (asked for, sent,
# accepted: 200), a connection each (lc_h_clients); s_server -tls1_2
# -no_resumption_on_reneg with `R` once s_client's first line is there
# (renegotiation with a CertificateRequest, the certificate accepted), a
# line from the server and one from the client after it; the Python PHA
# server with curl (200).
h_shape_client_cert_late() {
    # shellcheck disable=SC2034  # H_TO: read by h_server
    local H_TO=60 SERVER=h_server cpid
    lc_setup
    lc_apache h-apache12 "$HP" 1.2
    lc_h_clients h12 1.2
    h_stop
    lc_apache h-apache13 "$HP" 1.3
    lc_h_clients h13 1.3
    h_stop
    h_expect h-apache12-access 4 '"GET /secure/ HTTP/1\.1" 200 TLSv1\.2 client-cert=\[CN=tlsdiag late client\]'
    h_expect h-apache13-access 4 '"GET /secure/ HTTP/1\.1" 200 TLSv1\.3 client-cert=\[CN=tlsdiag late client\]'
    h_expect h-apache12-error 4 'AH02221: Requesting connection re-negotiation'

    h_fifo_server h-srv-r openssl s_server -cert "$CERT" -key "$KEY" -accept "127.0.0.1:$HP" -naccept 1 \
        -tls1_2 -verify_return_error -CAfile "$CA" -no_resumption_on_reneg
    wait_listen "$HP"
    { sleep 0.3; echo "hello before renegotiation"; sleep 2; echo "hello after renegotiation"; sleep 0.6; } |
        timeout 10 openssl s_client -CAfile "$CA" -connect "127.0.0.1:$HP" -servername good.example -tls1_2 \
            -cert "$LCDIR/client.pem" -key "$LCDIR/client.key" -keylogfile "$HK" \
            >"$TMP/h-r-sclient.log" 2>&1 &
    cpid=$!
    h_wait_log h-srv-r 1 '^hello before renegotiation'
    sleep 0.2
    h_say R
    sleep 0.6
    # (s_server ends with the connection: no line to a dead reader.)
    kill -0 "${PIDS[-1]}" 2>/dev/null && h_say "hello from the server after renegotiation"
    wait "$cpid" || true
    h_fifo_close
    h_stop
    h_expect h-srv-r 1 'depth=0 CN = tlsdiag late client'
    h_expect h-srv-r 1 '^hello after renegotiation'
    h_expect h-r-sclient 1 '^hello from the server after renegotiation'

    h_server h-pysrv "${LCPEER[@]}" server 127.0.0.1 "$HP" "$CERT" "$KEY" "$CA" 1
    wait_listen "$HP"
    lc_curl h-pysrv-curl 1.3 "$HK" "https://good.example:$HP/curl" --cert "$LCDIR/client.pem" \
        --key "$LCDIR/client.key"
    h_stop
    h_expect h-pysrv-curl 1 '^hello from the python PHA server, CN=tlsdiag late client'
    # (Whether the server's unwrap reads curl's close_notify before its FIN
    # is a race: the answer curl got says it succeeded.)
    h_expect h-pysrv 1 '^server: client certificate CN=tlsdiag late client'
    # Renegotiations: 4 by Apache, 1 by s_server; certificates asked for
    # after the handshake: those 5 and 5 in TLS 1.3 (4 Apache, 1 Python);
    # every one answered with the client certificate.
    h_check '=5' 1 'tls.handshake.type == 0'
    h_check '=10' 1 'tls.handshake.type == 13'
    h_check '=10' 1 "tcp.dstport == $HP && tls.handshake.type == 11 && tls.handshake.certificates_length > 0"
    h_check '=0' 1 "tcp.dstport == $HP && tls.handshake.type == 11 && tls.handshake.certificates_length == 0"
}

scenario_healthy_client_cert_late() { healthy client-cert-late client-cert-late; }

ALL+=(client-cert-renegotiation-tls12 client-cert-post-handshake-tls13 healthy-client-cert-late)
