# shellcheck shell=bash
# Scenarios with Mozilla's NSS stack (Debian 12 libnss3-tools 3.87: the
# tstclnt client and the selfserv server) for make-captures.sh (sourced by
# it; uses its helpers and those of scenarios-healthy.sh).
#
# The NSS databases (certutil, pk12util) are made in $TMP/nss from the run's
# throwaway PKI, once per run; nothing is committed but the captures and
# their key logs.  Debian's NSS writes no key log (SSLKEYLOGFILE is
# ignored): a capture's .keys file comes from its OpenSSL (or GnuTLS) peers.
# selfserv, like gnutls-serv, binds the wildcard address (*:PORT, IPv4 and
# IPv6); only loopback traffic reaches it.
#
# tstclnt checks the server's certificate asynchronously (without -O): in
# TLS 1.2 it sends its whole flight (ClientKeyExchange, ChangeCipherSpec,
# Finished) before it refuses a certificate, then an encrypted fatal alert
# (unknown_ca for an unknown or untrusted issuer, bad_certificate for a
# wrong name), and closes.  Whether that alert reaches the wire before or
# after the server's ChangeCipherSpec + Finished is a race, about half and
# half on an idle machine: nss-cert-refused-tls12 retries each connection
# until it has the order it wants, each try recorded alone, and joins the
# chosen ones (see nss_refuse_tls12 for how the odds are tilted).
# tstclnt -Q (exit after the handshake) does not always exit at once: seen
# here, with stdin at EOF (/dev/null) a successful TLS 1.2 handshake with
# s_server stayed open until the server closed, and in TLS 1.3 against
# selfserv (no tickets) it sends its close_notify only when its stdin
# closes.  Where the handshake should succeed its stdin is a pipe closed
# after 1 s (sleep 1 |): its close_notify follows the handshake at once or,
# at the latest, when that pipe closes (both seen, in TLS 1.2 and 1.3).
#
#   nss-cert-refused-tls12     tstclnt refuses s_server's certificate (TLS
#                              1.2): unknown issuer (leaf only; leaf + CA),
#                              wrong name; the alert before the server's
#                              Finished, then twice after it
#   nss-cert-refused-tls13     the same in TLS 1.3: unknown issuer (s_server,
#                              gnutls-serv), wrong name (s_server)
#   old-client-internal-error  clients offering only TLS 1.0-1.1 (tstclnt,
#                              s_client, gnutls-cli, Python) against s_server
#                              and tstclnt against nginx: alert 80
#   nss-client-cert-required   selfserv -rr; s_client (TLS 1.2, 1.3) and
#                              gnutls-cli (TLS 1.3) send no certificate,
#                              tstclnt sends one
#   healthy-nss                (healthy framework) successful handshakes of
#                              NSS with OpenSSL, GnuTLS, nginx, curl, Python
#                              and itself

NDIR=$TMP/nss
NDB_NONE=sql:$NDIR/db-none      # trusts no CA
NDB_CA=sql:$NDIR/db-ca          # trusts the run's CA
NDB_SRV=sql:$NDIR/db-srv        # good.example's key and certificate; trusts the CA
NDB_CLI=sql:$NDIR/db-cli        # the client certificate "nss-client"; trusts the CA
NOTHER=$NDIR/other              # .pem/.key: other.example, issued by the run's CA
NPEER=("$PY" "$NDIR/nss-peer.py")

# nss_db DB [PEM KEY NICKNAME]: a new NSS database trusting the run's CA
# (CT: also for client certificates), with PEM/KEY imported as NICKNAME.
nss_db() {
    local db=$1 dir=${1#sql:}
    mkdir -p "$dir"
    certutil -N -d "$db" --empty-password
    certutil -A -d "$db" -n ca -t "CT,C,C" -i "$CA"
    [[ -n ${2:-} ]] || return 0
    openssl pkcs12 -export -in "$2" -inkey "$3" -name "$4" -passout pass:nss -out "$dir/$4.p12"
    pk12util -i "$dir/$4.p12" -d "$db" -W nss >/dev/null
}

write_nss_peer() {
    cat >"$NDIR/nss-peer.py" <<'PYEOF'
"""Python ssl clients for captures/scenarios-nss.sh.

old HOST PORT CA
    offer only TLS 1.0 and 1.1 (ciphers DEFAULT:@SECLEVEL=0), SNI
    good.example; report how the handshake ended.
get HOST PORT CA VERSION KEYLOG PATH
    VERSION tls13 or tls12; handshake (SNI good.example, verified), send
    "GET PATH HTTP/1.0", read the answer until the server's close_notify,
    send ours (unwrap), close.
"""
import socket, ssl, sys
import peerlib

def old(host, port, ca):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(ca)
    ctx.minimum_version = ssl.TLSVersion.TLSv1
    ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    sock = socket.create_connection((host, int(port)), timeout=5)
    try:
        tls = ctx.wrap_socket(sock, server_hostname="good.example")
        print("handshake OK:", tls.version(), flush=True)
        tls.close()
    except (ssl.SSLError, OSError) as e:
        print("handshake failed:", e, flush=True)
        sock.close()

if sys.argv[1] == "old":
    old(*sys.argv[2:5])
elif sys.argv[1] == "get":
    peerlib.https_get(*sys.argv[2:8])
else:
    sys.exit("unknown mode " + sys.argv[1])
PYEOF
}

# nss_setup: the certificates, databases and the Python peer (once per run).
nss_setup() {
    [[ -f $NDIR/nss-peer.py ]] && return 0
    mkdir -p "$NDIR"
    issue_leaf "$NDIR" other /CN=other.example "subjectAltName=DNS:other.example" "basicConstraints=CA:FALSE" \
        "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth"
    issue_leaf "$NDIR" nss-client "/CN=tlsdiag nss client" "basicConstraints=CA:FALSE" \
        "keyUsage=critical,digitalSignature" "extendedKeyUsage=clientAuth"
    mkdir -p "${NDB_NONE#sql:}"
    certutil -N -d "$NDB_NONE" --empty-password
    nss_db "$NDB_CA"
    nss_db "$NDB_SRV" "$CERT" "$KEY" good.example
    nss_db "$NDB_CLI" "$NDIR/nss-client.pem" "$NDIR/nss-client.key" nss-client
    write_nss_peer
}


# nss_expect N FILTER [KEYS]: exactly N frames of $CAPTURE match FILTER
# (read with the key log KEYS when given), else stop.
nss_expect() {
    local n kl=()
    [[ -n ${3:-} ]] && kl=(-o "tls.keylog_file:$3")
    n=$(tshark -r "$CAPTURE" "${kl[@]}" -Y "$2" 2>/dev/null | wc -l)
    ((n == $1)) && return 0
    echo "make-captures.sh: $(basename "$CAPTURE"): $n frames match '$2', wanted $1" >&2
    exit 1
}

# nss_alerts WANT FILTER KEYS: the alert descriptions of the frames of
# $CAPTURE matching FILTER, read with the key log KEYS, must be WANT
# (space-separated).
nss_alerts() {
    local got
    got=$(tshark -r "$CAPTURE" -o "tls.keylog_file:$3" -Y "$2" -T fields -e tls.alert_message.desc 2>/dev/null |
        tr '\n' ' ' | sed 's/ $//')
    [[ $got == "$1" ]] && return 0
    echo "make-captures.sh: $(basename "$CAPTURE"): alerts '$got' (with the key log) in '$2', wanted '$1'" >&2
    exit 1
}

# nss_refuse LOGNAME DB ARGS...: tstclnt (SNI good.example, database DB) to
# 127.0.0.1:443, refusing the certificate; stdin at EOF, no -v (its output
# would change the timing).
nss_refuse() {
    local logname=$1 db=$2; shift 2
    client "$logname" tstclnt -h 127.0.0.1 -p 443 -d "$db" -a good.example -Q "$@" </dev/null
}

# ------------------------------------------------------------ failures ---

# nss_order PCAP: where tstclnt's alert (its first record of content type
# 21) is: "before" or "after" the server's ChangeCipherSpec (+ Finished);
# "none" without either, with the alert in its own flight's segment, or
# when the capture is not whole (frame 1 not the client's SYN, or tcpdump
# dropped packets).
nss_order() {
    local a s c syn
    syn=$(tshark -r "$1" -Y 'frame.number == 1 && tcp.flags.syn == 1 && tcp.flags.ack == 0' \
        2>/dev/null | wc -l)
    if ((syn != 1)) || ! grep -q '^0 packets dropped by kernel' "$TMP/tcpdump.err"; then
        echo none
        return 0
    fi
    a=$(tshark -r "$1" -Y 'tcp.dstport == 443 && tls.record.content_type == 21' \
        -T fields -e frame.number 2>/dev/null | awk 'NR == 1')
    s=$(tshark -r "$1" -Y 'tcp.srcport == 443 && tls.record.content_type == 20' \
        -T fields -e frame.number 2>/dev/null | awk 'NR == 1')
    c=$(tshark -r "$1" -Y 'tcp.dstport == 443 && tls.record.content_type == 20' \
        -T fields -e frame.number 2>/dev/null | awk 'NR == 1')
    if [[ -z $a || -z $s || $a == "$c" ]]; then
        echo none
    elif ((a < s)); then
        echo before
    else
        echo after
    fi
}

NSS_TRIES=30
NSS_PARTS=()            # the chosen connections' pcaps, in order

# nss_refuse_tls12 LABEL WANT ERROR DB S_SERVER-ARGS...: up to NSS_TRIES
# times: s_server -tls1_2 (one connection, its key log) and tstclnt (TLS 1.2
# only, database DB) on 443, recorded alone; tstclnt must report ERROR.  The
# first try whose alert is WANT (before/after, see nss_order) is kept: its
# pcap goes to NSS_PARTS, its key-log lines to $NDIR/tls12.keys.
# Left alone, the race goes either way about half the time on an idle
# machine, but one way for dozens of tries in a row on a busy one; so both
# peers run on CPU 0, the one that should be first at nice -20 and the
# other at nice 19 (CFS then lets the first finish its work before the other
# runs).  That decided the order in every try seen; the retries stay as a
# safety net.
nss_refuse_tls12() {
    local label=$1 want=$2 err=$3 db=$4 try order seen='' snice=19 cnice=-20; shift 4
    local part=$NDIR/tls12-part-${#NSS_PARTS[@]}.pcap
    [[ $want == after ]] && snice=-20 cnice=19
    for ((try = 1; try <= NSS_TRIES; try++)); do
        rm -f "$NDIR/try.keys"
        bg_server "srv-$label" taskset -c 0 nice -n "$snice" openssl s_server -cert "$CERT" -key "$KEY" \
            -rev -accept 127.0.0.1:443 -naccept 1 -tls1_2 -keylogfile "$NDIR/try.keys" "$@"
        wait_listen 443
        OUT=$NDIR start_capture try 443     # a file of its own
        client "cli-$label" taskset -c 0 nice -n "$cnice" tstclnt -h 127.0.0.1 -p 443 -d "$db" \
            -a good.example -Q -V tls1.2:tls1.2 </dev/null
        stop_capture
        wait_free 443
        log_expect "cli-$label" "authentication of server cert failed: $err"
        order=$(nss_order "$NDIR/try.pcap")
        seen+=" $order"
        # kept for a look (KEEP_TMP=1)
        [[ $order == none ]] && cp "$NDIR/try.pcap" "$NDIR/none-$label-$try.pcap"
        if [[ $order == "$want" ]]; then
            mv "$NDIR/try.pcap" "$part"
            NSS_PARTS+=("$part")
            grep -v '^#' "$NDIR/try.keys" >>"$NDIR/tls12.keys"
            log "$label: alert $want the server's Finished at try $try ($seen )"
            return 0
        fi
    done
    echo "make-captures.sh: $label: no alert $want the server's Finished in $NSS_TRIES tries ($seen )" >&2
    exit 1
}

# tstclnt (NSS), TLS 1.2 only, SNI good.example, refuses the certificate of
# s_server -tls1_2 five times, in this order: (0) its database has no CA
# (SEC_ERROR_UNKNOWN_ISSUER), the server sends its leaf only; (1) the same,
# the server sends leaf + CA certificate (-cert_chain: the CA is known but
# not trusted, SEC_ERROR_UNTRUSTED_ISSUER); (2) it trusts the CA but the
# server's certificate is for other.example (SSL_ERROR_BAD_CERT_DOMAIN);
# (3) = (0); (4) = (2).  Each time tstclnt sends ClientKeyExchange,
# ChangeCipherSpec and Finished first, then the encrypted alert (unknown_ca
# 48, 48, bad_certificate 42).  In (0)-(2) the alert is on the wire before
# the server's ChangeCipherSpec + Finished, in (3)-(4) after them: each is
# the first of up to 30 tries with that order (see nss_refuse_tls12),
# recorded alone; the chosen tries are joined in order (mergecap -a).  The
# key log is s_server's.
scenario_nss_cert_refused_tls12() {
    local name=nss-cert-refused-tls12 keys
    nss_setup
    NSS_PARTS=()
    rm -f "$NDIR"/tls12-part-*.pcap
    echo '# SSL/TLS secrets log file, generated by OpenSSL' >"$NDIR/tls12.keys"
    nss_refuse_tls12 unknown-ca before SEC_ERROR_UNKNOWN_ISSUER "$NDB_NONE"
    nss_refuse_tls12 chain-untrusted before SEC_ERROR_UNTRUSTED_ISSUER "$NDB_NONE" -cert_chain "$CA"
    nss_refuse_tls12 wrong-name before SSL_ERROR_BAD_CERT_DOMAIN "$NDB_CA" \
        -cert "$NOTHER.pem" -key "$NOTHER.key"
    nss_refuse_tls12 unknown-ca-2 after SEC_ERROR_UNKNOWN_ISSUER "$NDB_NONE"
    nss_refuse_tls12 wrong-name-2 after SSL_ERROR_BAD_CERT_DOMAIN "$NDB_CA" \
        -cert "$NOTHER.pem" -key "$NOTHER.key"
    CAPTURE=$OUT/$name.pcap
    mergecap -F pcap -a -w "$CAPTURE" "${NSS_PARTS[@]}"
    chown --reference="$OUT" "$CAPTURE"
    keys=$(keylog_path $name)
    cp "$NDIR/tls12.keys" "$keys"
    keylog_done $name
    log "$(basename "$CAPTURE"): $(tshark -r "$CAPTURE" 2>/dev/null | wc -l) frames"
    nss_expect 5 'tls.handshake.type == 1'
    nss_expect 5 'tcp.dstport == 443 && tls.record.content_type == 21'
    nss_alerts "48 48 42 48 42" 'tcp.dstport == 443 && tls.alert_message' "$keys"
}

# tstclnt, TLS 1.3 only, SNI good.example, refuses: s_server -tls1_3
# (unknown issuer: unknown_ca), gnutls-serv TLS 1.3 only (the same; it asks
# for a client certificate, tstclnt has none), s_server -tls1_3 with the
# other.example certificate (wrong name: bad_certificate).  tstclnt sends no
# Finished and no ChangeCipherSpec, only its encrypted alert, after the
# server's whole flight.  Key log: s_server's and gnutls-serv's.
scenario_nss_cert_refused_tls13() {
    local name=nss-cert-refused-tls13 keys
    nss_setup
    keys=$(keylog_path $name)
    start_capture $name 443
    s_server srv-unknown -accept 127.0.0.1:443 -naccept 1 -tls1_3 -keylogfile "$keys"
    wait_listen 443
    nss_refuse cli-ossl "$NDB_NONE" -V tls1.3:tls1.3
    stop_servers
    wait_free 443
    SSLKEYLOGFILE=$keys bg_server gnutls gnutls-serv --port 443 --x509certfile "$CERT" \
        --x509keyfile "$KEY" --priority NORMAL:-VERS-ALL:+VERS-TLS1.3
    wait_listen 443
    nss_refuse cli-gnutls "$NDB_NONE" -V tls1.3:tls1.3
    stop_servers
    wait_free 443
    s_server srv-name -accept 127.0.0.1:443 -naccept 1 -tls1_3 -keylogfile "$keys" \
        -cert "$NOTHER.pem" -key "$NOTHER.key"
    wait_listen 443
    nss_refuse cli-name "$NDB_CA" -V tls1.3:tls1.3
    stop_capture
    keylog_done $name
    log_expect cli-ossl 'authentication of server cert failed: SEC_ERROR_UNKNOWN_ISSUER'
    log_expect cli-gnutls 'authentication of server cert failed: SEC_ERROR_UNKNOWN_ISSUER'
    log_expect cli-name 'authentication of server cert failed: SSL_ERROR_BAD_CERT_DOMAIN'
    log_expect gnutls 'Error in handshake'
    # No ChangeCipherSpec from the client, one encrypted record each.
    nss_expect 0 'tcp.dstport == 443 && tls.record.content_type == 20'
    nss_expect 3 'tcp.dstport == 443 && tls.record.opaque_type == 23'
    nss_alerts "48 48 42" 'tcp.dstport == 443 && tls.alert_message' "$keys"
}

# Clients offering only TLS 1.0 and 1.1 against OpenSSL 3.0 (SECLEVEL 1:
# no signature algorithm it may use there): s_server (defaults) answers
# each with internal_error (80), "no suitable signature algorithm", not
# protocol_version: tstclnt -V tls1.0:tls1.1, s_client -tls1_1, gnutls-cli
# (TLS 1.1 and 1.0 only), Python ssl (TLSv1-TLSv1_1, DEFAULT:@SECLEVEL=0);
# then tstclnt the same against nginx (nginx_sni: default ssl_protocols,
# TLS 1.0-1.3).
scenario_old_client_internal_error() {
    local name=old-client-internal-error n
    nss_setup
    start_capture $name 443
    s_server srv -accept 127.0.0.1:443 -naccept 4
    wait_listen 443
    nss_refuse cli-nss "$NDB_CA" -V tls1.0:tls1.1
    s_client_try cli-openssl -connect 127.0.0.1:443 -servername good.example -tls1_1
    client cli-gnutls gnutls-cli -p 443 --x509cafile "$CA" --sni-hostname good.example \
        --priority NORMAL:-VERS-ALL:+VERS-TLS1.1:+VERS-TLS1.0 127.0.0.1 </dev/null
    client cli-python "${NPEER[@]}" old 127.0.0.1 443 "$CA"
    stop_servers
    wait_free 443
    nginx_sni
    nss_refuse cli-nss-nginx "$NDB_CA" -V tls1.0:tls1.1
    stop_capture
    n=$(grep -c 'no suitable signature algorithm' "$TMP/srv.log" || true)
    ((n == 4)) || { echo "make-captures.sh: $name: s_server: $n refusals, wanted 4" >&2; exit 1; }
    grep -q 'no suitable signature algorithm' "$TMP/nginx/error.log" || {
        echo "make-captures.sh: $name: nginx did not log the refusal" >&2; exit 1; }
    log_expect cli-nss 'SSL_ERROR_INTERNAL_ERROR_ALERT'
    log_expect cli-openssl 'alert internal error'
    log_expect cli-gnutls 'Received alert \[80\]'
    log_expect cli-python 'handshake failed: .*INTERNAL_ERROR'
    log_expect cli-nss-nginx 'SSL_ERROR_INTERNAL_ERROR_ALERT'
    nss_expect 5 'tls.handshake.type == 1'
    nss_expect 5 'tcp.srcport == 443 && tls.alert_message.desc == 80'
    nss_expect 0 'tls.handshake.type == 2'
}

# selfserv -rr (requires a client certificate; TLS 1.2-1.3; trusts the
# run's CA): s_client without a certificate, TLS 1.2 then 1.3, its stdin
# held open 1 s (it reads the server's alert); s_client TLS 1.3 with stdin
# at EOF (close_notify right after its Finished; the server's alert follows
# that Finished by a fraction of a millisecond, so the two cross or s_client
# reads the alert first and sends none: it varies from run to run);
# gnutls-cli TLS 1.3 only without a certificate (stdin held open);
# tstclnt with the client certificate "nss-client": accepted; selfserv
# sends no ticket, so tstclnt -Q sends its close_notify only when its stdin
# closes, 1 s after the handshake.  selfserv logs
# error -12285 (SSL_ERROR_NO_CERTIFICATE) for each refusal; its alert is
# bad_certificate (42) in TLS 1.2 and certificate_required (116) in TLS 1.3.
# Key log: s_client's and gnutls-cli's.
scenario_nss_client_cert_required() {
    local name=nss-client-cert-required keys p
    nss_setup
    keys=$(keylog_path $name)
    start_capture $name 443
    bg_server srv selfserv -d "$NDB_SRV" -n good.example -p 443 -V tls1.2:tls1.3 -rr
    wait_listen 443
    for p in 1_2 1_3; do
        sleep 1 | timeout 10 openssl s_client -CAfile "$CA" -connect 127.0.0.1:443 \
            -servername good.example "-tls$p" -keylogfile "$keys" >"$TMP/cli-openssl-$p.log" 2>&1 || true
    done
    client cli-openssl-eof openssl s_client -CAfile "$CA" -connect 127.0.0.1:443 \
        -servername good.example -tls1_3 -keylogfile "$keys" </dev/null
    sleep 1 | SSLKEYLOGFILE=$keys timeout 10 gnutls-cli -p 443 --x509cafile "$CA" \
        --sni-hostname good.example --verify-hostname good.example \
        --priority NORMAL:-VERS-ALL:+VERS-TLS1.3 127.0.0.1 >"$TMP/cli-gnutls.log" 2>&1 || true
    sleep 1 | timeout 10 tstclnt -h 127.0.0.1 -p 443 -d "$NDB_CLI" -a good.example -n nss-client \
        -Q -v >"$TMP/cli-nss.log" 2>&1 || true
    stop_capture
    keylog_done $name
    log_expect cli-openssl-1_2 'alert bad certificate'
    log_expect cli-openssl-1_3 'alert certificate required'
    log_expect cli-openssl-eof '^New, TLSv1\.3'
    log_expect cli-gnutls 'Received alert \[116\]|certificate required'
    log_expect cli-nss 'SSL version 3\.4'
    log_expect cli-nss 'exiting with return code 0'
    p=$(grep -c 'returned error -12285' "$TMP/srv.log" || true)
    ((p == 4)) || { echo "make-captures.sh: $name: selfserv refused $p clients, wanted 4" >&2
        sed 's/^/    /' "$TMP/srv.log" >&2; exit 1; }
    nss_expect 5 'tls.handshake.type == 1'
    nss_expect 1 'tcp.srcport == 443 && tls.alert_message.desc == 42'
    nss_alerts "42 116 116 116" 'tcp.srcport == 443 && tls.alert_message.desc != 0' "$keys"
}

# ------------------------------------------------------------- healthy ---

# n_tstclnt LOGNAME V PORT [ARGS...]: tstclnt (database trusting the CA, SNI
# good.example) to 127.0.0.1:PORT, TLS 1.V only, -Q: handshake, then
# close_notify at once; it must succeed.
n_tstclnt() {
    local logname=$1 v=$2 port=$3; shift 3
    sleep 1 | timeout 10 tstclnt -h 127.0.0.1 -p "$port" -d "$NDB_CA" -a good.example \
        -V "tls1.$v:tls1.$v" -Q -v "$@" >"$TMP/$logname.log" 2>&1 || true
    h_expect "$logname" 1 "SSL version 3\\.$((v + 1)) using"
    h_expect "$logname" 1 'exiting with return code 0'
}

# n_selfserv LOGNAME [ARGS...]: selfserv with good.example on HP, TLS
# 1.2-1.3.  It answers a request (read until an empty line or the client's
# close_notify) with an HTTP/1.0 200 echoing it, then close_notify; a client
# that sent nothing gets only its close_notify.  No session tickets.
n_selfserv() {
    local logname=$1; shift
    h_server "$logname" selfserv -d "$NDB_SRV" -n good.example -p "$HP" -V tls1.2:tls1.3 "$@"
    wait_listen "$HP"
}

# n_sget LOGNAME V: s_client (TLS 1.V, key log) sending a GET to selfserv;
# it must get the answer.
n_sget() {
    local logname=$1 v=$2
    { sleep 0.3; printf 'GET /%s HTTP/1.0\r\n\r\n' "$logname"; sleep 0.7; } |
        timeout 10 openssl s_client -CAfile "$CA" -connect "127.0.0.1:$HP" -servername good.example \
            "-tls1_$v" -keylogfile "$HK" >"$TMP/$logname.log" 2>&1 || true
    h_expect "$logname" 1 "^New, TLSv1\\.$v, Cipher is [A-Z]"
    h_expect "$logname" 1 'Verify return code: 0 \(ok\)'
    h_expect "$logname" 1 '^HTTP/1\.0 200 OK'
}

# 23. Mozilla NSS (tstclnt, selfserv; Debian 12, NSS 3.87).  tstclnt (-Q:
# handshake, then close_notify, at once or up to 1 s later) in TLS 1.3 and
# 1.2 against s_server -rev, gnutls-serv --echo (asks for a client
# certificate; tstclnt has none) and nginx.  Against selfserv, TLS 1.3 and 1.2: s_client with a GET;
# gnutls-cli, TLS 1.3 with stdin at EOF (its Finished and close_notify in
# one segment) and TLS 1.2 with a GET; curl; Python with a GET; tstclnt;
# tstclnt -L 2 in TLS 1.2 (two connections, the second resumes the first's
# session id).  selfserv -r (asks for a client certificate, does not
# require one): s_client closing at once, TLS 1.3 and 1.2, and gnutls-cli
# TLS 1.3 with a GET, none with a certificate.
h_shape_nss() {
    local v
    nss_setup
    s_server nss-ossl-srv -accept "127.0.0.1:$HP" -naccept 2 -keylogfile "$HK"
    wait_listen "$HP"
    for v in 3 2; do
        n_tstclnt "nss-ossl-1.$v" "$v" "$HP"
    done
    h_stop
    h_gnutls_serv nss-gnutls-srv --echo
    for v in 3 2; do
        n_tstclnt "nss-gnutls-1.$v" "$v" "$HP"
    done
    h_stop
    h_nginx nss-nginx
    for v in 3 2; do
        n_tstclnt "nss-nginx-1.$v" "$v" "$HP"
    done
    h_stop

    n_selfserv nss-srv
    for v in 3 2; do
        n_sget "nss-srv-sclient-1.$v" "$v"
    done
    SSLKEYLOGFILE=$HK client nss-srv-gnutls-1.3 gnutls-cli --x509cafile="$CA" -p "$HP" \
        --sni-hostname=good.example --verify-hostname=good.example \
        --priority "$(gnutls_prio 1.3)" 127.0.0.1 </dev/null
    h_expect nss-srv-gnutls-1.3 1 'Description: \(TLS1\.3-X\.509\)'
    h_expect nss-srv-gnutls-1.3 1 'Handshake was completed'
    h_gnutls nss-srv-gnutls-1.2 'GET /gnutls HTTP/1.0\r\n\r\n' --priority "$(gnutls_prio 1.2)" 127.0.0.1
    h_expect nss-srv-gnutls-1.2 1 'Description: \(TLS1\.2-X\.509\)'
    h_expect nss-srv-gnutls-1.2 1 '^GET /gnutls HTTP/1\.0'
    for v in 1.3 1.2; do
        SSLKEYLOGFILE=$HK client "nss-srv-curl-$v" curl -sS --cacert "$CA" \
            --resolve "good.example:$HP:127.0.0.1" --tlsv"$v" --tls-max "$v" \
            "https://good.example:$HP/curl-$v"
        h_expect "nss-srv-curl-$v" 1 "^GET /curl-$v HTTP/1\\.1"
    done
    for v in 13 12; do
        client "nss-srv-py-$v" "${NPEER[@]}" get 127.0.0.1 "$HP" "$CA" "tls$v" "$HK" "/python-$v"
        h_expect "nss-srv-py-$v" 1 'client got: HTTP/1\.0 200 OK'
        h_expect "nss-srv-py-$v" 1 'client closed cleanly'
    done
    h_stop
    n_selfserv nss-srv-nss
    for v in 3 2; do
        n_tstclnt "nss-srv-nss-1.$v" "$v" "$HP"
    done
    n_tstclnt nss-srv-nss-resume 2 "$HP" -L 2
    h_expect nss-srv-nss-resume 1 '^1 cache hits'
    h_stop

    n_selfserv nss-srv-optcert -r
    for v in 3 2; do
        h_sclose "nss-optcert-sclient-1.$v" -connect "127.0.0.1:$HP" "-tls1_$v" -keylogfile "$HK"
    done
    h_gnutls nss-optcert-gnutls 'GET /optcert HTTP/1.0\r\n\r\n' --priority "$(gnutls_prio 1.3)" 127.0.0.1
    h_expect nss-optcert-gnutls 1 'Handshake was completed'
    h_expect nss-optcert-gnutls 1 '^GET /optcert HTTP/1\.0'
    h_stop
    # gnutls-cli's Finished and close_notify in one frame (read with keys).
    h_check 1 1 'tls.handshake.type == 20 && tls.alert_message.desc == 0'
    # The resumed TLS 1.2 connection: ServerHello + CCS, no Certificate.
    h_check '=1' 0 'tls.handshake.type == 2 && tls.change_cipher_spec && !tls.handshake.extensions.supported_version'
    # gnutls-serv (2) and selfserv -r (3) asked for a client certificate
    # (CertificateRequest; in TLS 1.3 read with the keys).
    h_check '=5' 1 'tls.handshake.type == 13'
}

scenario_healthy_nss() { healthy nss nss; }

ALL+=(nss-cert-refused-tls12 nss-cert-refused-tls13 old-client-internal-error nss-client-cert-required healthy-nss)
