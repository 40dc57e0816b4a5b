# shellcheck shell=bash
# Certificate scenarios for make-captures.sh (sourced by it; uses its helpers).
#
# A second throwaway PKI is made lazily, once per run, under $TMP/certpki:
#
#   "tlsdiag test root"  (self-signed; the only root the clients trust)
#     "tlsdiag test intermediate"  (CA:TRUE, pathlen 0)
#       leaves: good.example (valid), expired, not yet valid, other.example,
#               *.good.example, a SHA-1 / RSA-1024 good.example
#   "other root"  (self-signed, notAfter in 2060 so it carries a
#                  generalizedTime; trusted by nobody)
#     "other intermediate"
#       leaves: good.example (server), "tlsdiag client" (client auth)
#   good.example  (self-signed, alone)
#   "private root"  (self-signed; trusted by nobody)
#     good.example  (issued directly by the root, sent alone)
#   and, under the trusted intermediate, two certificates with the wrong
#   extendedKeyUsage: "tlsdiag client serverAuth" (a client certificate
#   with serverAuth only) and good.example with clientAuth only.
#
# Leaves are issued with `openssl ca` so notBefore/notAfter can be set
# exactly (OpenSSL 3.0's `x509 -req` only has -days).  Dates are relative to
# the time of the run: expired = notAfter 30 days ago, not yet valid =
# notBefore 30 days ahead.
#
# Every client verifies for real (s_client -verify_return_error
# -verify_hostname), so failures end in the client's own alert.

CP=

# Port of cert_server and the cert clients.  The first captures (up to
# client-cert-rejected-tls13) are on 443; the later ones set
# `local CERT_PORT=$CERT_PORT2` (10443, clear of the ports other scenario
# files use; Wireshark finds TLS there heuristically).
CERT_PORT=443
CERT_PORT2=10443

# cp_date OFFSET: a date for `openssl ca -startdate/-enddate` (GeneralizedTime
# form; openssl writes UTCTime for years before 2050).
cp_date() { date -u -d "$1" +%Y%m%d%H%M%SZ; }

# cp_ca_config DIR: a minimal `openssl ca` config whose database lives in DIR.
cp_ca_config() {
    local d=$1
    mkdir -p "$d/new"
    : >"$d/index.txt"
    printf '%s\n' "unique_subject = no" >"$d/index.txt.attr"
    openssl rand -hex 16 >"$d/serial"
    cat >"$d/ca.cnf" <<CNF
[ ca ]
default_ca = cp_ca
[ cp_ca ]
dir = $d
database = $d/index.txt
new_certs_dir = $d/new
serial = $d/serial
policy = cp_policy
email_in_dn = no
preserve = yes
unique_subject = no
copy_extensions = none
default_md = sha256
[ cp_policy ]
commonName = supplied
organizationName = optional
CNF
}

# cp_csr NAME CN [KEYSPEC]: key + CSR in $CP/NAME.{key,csr}.
cp_csr() {
    local name=$1 cn=$2 keyspec=${3:-rsa:2048}
    openssl req -new -newkey "$keyspec" -nodes -keyout "$CP/$name.key" \
        -out "$CP/$name.csr" -subj "/CN=$cn" 2>/dev/null
}

# cp_issue ISSUER NAME START END EXTFILE [MD]: sign $CP/NAME.csr with the CA
# ISSUER ($CP/ISSUER.{pem,key}, database $CP/ISSUER.db) into $CP/NAME.pem.
cp_issue() {
    local issuer=$1 name=$2 start=$3 end=$4 ext=$5 md=${6:-sha256}
    openssl ca -batch -config "$CP/$issuer.db/ca.cnf" -notext -md "$md" \
        -cert "$CP/$issuer.pem" -keyfile "$CP/$issuer.key" \
        -startdate "$(cp_date "$start")" -enddate "$(cp_date "$end")" \
        -extfile "$ext" -in "$CP/$name.csr" -out "$CP/$name.pem" \
        >"$CP/$name.ca.log" 2>&1 || {
        echo "openssl ca failed for $name:" >&2; cat "$CP/$name.ca.log" >&2; exit 1; }
}

# cp_root NAME CN END: self-signed root with its own ca database.
cp_root() {
    local name=$1 cn=$2 end=$3
    cp_csr "$name" "$cn"
    cp_ca_config "$CP/$name.db"
    openssl ca -batch -config "$CP/$name.db/ca.cnf" -notext -selfsign \
        -keyfile "$CP/$name.key" -startdate "$(cp_date '-1 day')" -enddate "$end" \
        -extfile "$CP/ext-ca" -in "$CP/$name.csr" -out "$CP/$name.pem" \
        >"$CP/$name.ca.log" 2>&1 || {
        echo "openssl ca failed for $name:" >&2; cat "$CP/$name.ca.log" >&2; exit 1; }
}

# cp_leaf ISSUER NAME CN SAN [START END [KEYSPEC [MD]]]: server leaf.
cp_leaf() {
    local issuer=$1 name=$2 cn=$3 san=$4 start=${5:--1 day} end=${6:-+365 days}
    cp_csr "$name" "$cn" "${7:-rsa:2048}"
    printf '%s\n' "subjectAltName=$san" "basicConstraints=CA:FALSE" \
        "keyUsage=critical,digitalSignature,keyEncipherment" \
        "extendedKeyUsage=serverAuth" "subjectKeyIdentifier=hash" \
        "authorityKeyIdentifier=keyid" >"$CP/$name.ext"
    cp_issue "$issuer" "$name" "$start" "$end" "$CP/$name.ext" "${8:-sha256}"
}

# cp_eku_cert ISSUER NAME CN EKU [SAN]: a leaf whose extendedKeyUsage is
# only EKU (serverAuth, clientAuth).
cp_eku_cert() {
    local issuer=$1 name=$2 cn=$3 eku=$4 san=${5:-}
    cp_csr "$name" "$cn"
    {
        [[ -n $san ]] && echo "subjectAltName=$san"
        printf '%s\n' "basicConstraints=CA:FALSE" \
            "keyUsage=critical,digitalSignature,keyEncipherment" \
            "extendedKeyUsage=$eku" "subjectKeyIdentifier=hash" \
            "authorityKeyIdentifier=keyid"
    } >"$CP/$name.ext"
    cp_issue "$issuer" "$name" '-1 day' '+365 days' "$CP/$name.ext"
}

make_cert_pki() {
    [[ -n $CP ]] && return 0
    CP=$TMP/certpki
    mkdir -p "$CP"
    printf '%s\n' "basicConstraints=critical,CA:TRUE" \
        "keyUsage=critical,keyCertSign,cRLSign" "subjectKeyIdentifier=hash" \
        >"$CP/ext-ca"
    printf '%s\n' "basicConstraints=critical,CA:TRUE,pathlen:0" \
        "keyUsage=critical,keyCertSign,cRLSign" "subjectKeyIdentifier=hash" \
        "authorityKeyIdentifier=keyid" >"$CP/ext-int"

    # Trusted hierarchy.
    cp_root root "tlsdiag test root" "$(cp_date '+3650 days')"
    cp_csr int "tlsdiag test intermediate"
    cp_ca_config "$CP/int.db"
    cp_issue root int '-1 day' '+1825 days' "$CP/ext-int"
    cat "$CP/int.pem" >"$CP/int-chain.pem"

    cp_leaf int good good.example DNS:good.example
    cp_leaf int expired good.example DNS:good.example '-395 days' '-30 days'
    cp_leaf int notyet good.example DNS:good.example '+30 days' '+395 days'
    cp_leaf int other other.example DNS:other.example
    cp_leaf int wild '*.good.example' 'DNS:*.good.example'
    cp_leaf int weak good.example DNS:good.example '-1 day' '+365 days' rsa:1024 sha1

    # Untrusted hierarchy ("other root", notAfter 2060: GeneralizedTime).
    cp_root oroot "other root" 20600101000000Z
    cp_csr oint "other intermediate"
    cp_ca_config "$CP/oint.db"
    cp_issue oroot oint '-1 day' '+1825 days' "$CP/ext-int"
    cp_leaf oint ogood good.example DNS:good.example
    cat "$CP/oint.pem" "$CP/oroot.pem" >"$CP/ochain.pem"
    cp_csr oclient "tlsdiag client"
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
        "extendedKeyUsage=clientAuth" "subjectKeyIdentifier=hash" \
        "authorityKeyIdentifier=keyid" >"$CP/oclient.ext"
    cp_issue oint oclient '-1 day' '+365 days' "$CP/oclient.ext"

    # A private root that issues a good.example leaf directly.
    cp_root proot "private root" "$(cp_date '+3650 days')"
    cp_leaf proot pgood good.example DNS:good.example

    # Wrong extendedKeyUsage, under the trusted intermediate.
    cp_eku_cert int sclient "tlsdiag client serverAuth" serverAuth
    cp_eku_cert int cauth good.example clientAuth DNS:good.example

    # Self-signed good.example, sent alone.
    openssl req -x509 -newkey rsa:2048 -sha256 -days 365 -nodes \
        -keyout "$CP/self.key" -out "$CP/self.pem" -subj "/CN=good.example" \
        -addext "subjectAltName=DNS:good.example" 2>/dev/null
}

# cert_server LEAF [CHAIN-FILE|-] ARGS...: openssl s_server on
# 127.0.0.1:$CERT_PORT (one connection) with $CP/LEAF.{pem,key} and an
# optional extra chain file.
cert_server() {
    local leaf=$1 chain=$2; shift 2
    local args=(-cert "$CP/$leaf.pem" -key "$CP/$leaf.key")
    [[ $chain != - ]] && args+=(-cert_chain "$chain")
    # -CAfile: without it s_server loads the system store; give it the test
    # root (client-certificate checks, and nothing to auto-complete a chain
    # with, since the intermediate is not in it).
    bg_server srv openssl s_server "${args[@]}" -CAfile "$CP/root.pem" \
        -accept "127.0.0.1:$CERT_PORT" -naccept 1 -rev "$@"
    wait_listen "$CERT_PORT"
}

# cert_client_ok NAME HOST ARGS...: verifying s_client sending one line.
cert_client_ok() {
    local logname=$1 host=$2; shift 2
    line_then_eof "hello from $logname" |
        timeout 10 openssl s_client -connect "127.0.0.1:$CERT_PORT" -CAfile "$CP/root.pem" \
            -verify_return_error -verify_hostname "$host" -servername "$host" "$@" \
            >"$TMP/$logname.log" 2>&1 || true
}

# cert_client_fail NAME HOST ARGS...: verifying s_client, handshake expected
# to fail.
cert_client_fail() {
    local logname=$1 host=$2; shift 2
    client "$logname" openssl s_client -connect "127.0.0.1:$CERT_PORT" -CAfile "$CP/root.pem" \
        -verify_return_error -verify_hostname "$host" -servername "$host" "$@" </dev/null
}

scenario_cert_chain_ok_tls12() {
    make_cert_pki
    start_capture cert-chain-ok-tls12 443
    cert_server good "$CP/int-chain.pem" -tls1_2
    cert_client_ok cli good.example -tls1_2
    stop_capture
}

cert_expired() {
    local name=$1 ver=$2 kl=()
    make_cert_pki
    [[ $ver == -tls1_3 ]] && kl=(-keylogfile "$(keylog_path "$name")")
    start_capture "$name" "$CERT_PORT"
    cert_server expired "$CP/int-chain.pem" "$ver"
    cert_client_fail cli good.example "$ver" "${kl[@]}"
    stop_capture
    ((${#kl[@]})) && keylog_done "$name"
    return 0
}
scenario_cert_expired_tls12() { cert_expired cert-expired-tls12 -tls1_2; }
scenario_cert_expired_tls13() { cert_expired cert-expired-tls13 -tls1_3; }

scenario_cert_not_yet_valid_tls12() {
    make_cert_pki
    start_capture cert-not-yet-valid-tls12 443
    cert_server notyet "$CP/int-chain.pem" -tls1_2
    cert_client_fail cli good.example -tls1_2
    stop_capture
}

scenario_cert_hostname_mismatch_tls12() {
    make_cert_pki
    start_capture cert-hostname-mismatch-tls12 443
    cert_server other "$CP/int-chain.pem" -tls1_2
    cert_client_fail cli good.example -tls1_2
    stop_capture
}

scenario_cert_wildcard_ok_tls12() {
    make_cert_pki
    start_capture cert-wildcard-ok-tls12 443
    cert_server wild "$CP/int-chain.pem" -tls1_2
    cert_client_ok cli www.good.example -tls1_2
    stop_capture
}

# A wildcard covers one label only: a.b.good.example does not match.
scenario_cert_wildcard_mismatch_tls12() {
    make_cert_pki
    start_capture cert-wildcard-mismatch-tls12 443
    cert_server wild "$CP/int-chain.pem" -tls1_2
    cert_client_fail cli a.b.good.example -tls1_2
    stop_capture
}

scenario_cert_self_signed_tls12() {
    make_cert_pki
    start_capture cert-self-signed-tls12 443
    cert_server self - -tls1_2
    cert_client_fail cli good.example -tls1_2
    stop_capture
}

# Only the leaf is sent; the client trusts only the root and cannot find the
# intermediate.
scenario_cert_chain_incomplete_tls12() {
    make_cert_pki
    start_capture cert-chain-incomplete-tls12 443
    cert_server good - -tls1_2
    cert_client_fail cli good.example -tls1_2
    stop_capture
}

# Complete chain leaf + "other intermediate" + "other root"; the client does
# not trust "other root".
scenario_cert_untrusted_issuer_tls12() {
    make_cert_pki
    start_capture cert-untrusted-issuer-tls12 443
    cert_server ogood "$CP/ochain.pem" -tls1_2
    cert_client_fail cli good.example -tls1_2
    stop_capture
}

# RSA-1024 leaf signed with SHA-1: accepted at security level 0 on both
# sides, so the handshake succeeds with a weak certificate.
scenario_cert_weak_tls12() {
    make_cert_pki
    start_capture cert-weak-tls12 443
    cert_server weak "$CP/int-chain.pem" -tls1_2 -cipher 'DEFAULT:@SECLEVEL=0'
    cert_client_ok cli good.example -tls1_2 -cipher 'DEFAULT:@SECLEVEL=0'
    stop_capture
}

# The leaf comes first (s_server always sends -cert first), then the root,
# then the intermediate: not in issuing order.
scenario_cert_chain_out_of_order_tls12() {
    make_cert_pki
    cat "$CP/root.pem" "$CP/int.pem" >"$CP/ooo-chain.pem"
    start_capture cert-chain-out-of-order-tls12 443
    cert_server good "$CP/ooo-chain.pem" -tls1_2
    cert_client_ok cli good.example -tls1_2
    stop_capture
}

# Server requires a client certificate (-Verify 1, trusts only the test
# root); the client sends none (MODE none), one from "other root"
# (MODE rejected) or one from the test root whose extendedKeyUsage is
# serverAuth only (MODE no-clientauth).
client_cert() {
    local name=$1 ver=$2 mode=$3 kl=() cc=()
    make_cert_pki
    [[ $ver == -tls1_3 ]] && kl=(-keylogfile "$(keylog_path "$name")")
    [[ $mode == rejected ]] && cc=(-cert "$CP/oclient.pem" -key "$CP/oclient.key"
                                  -cert_chain "$CP/oint.pem")
    [[ $mode == no-clientauth ]] && cc=(-cert "$CP/sclient.pem" -key "$CP/sclient.key"
                                       -cert_chain "$CP/int.pem")
    start_capture "$name" "$CERT_PORT"
    cert_server good "$CP/int-chain.pem" "$ver" -Verify 1 -verify_return_error
    # Stdin stays open a moment: in TLS 1.3 the client finishes its side of
    # the handshake first and must still be reading when the alert comes.
    cert_client_ok cli good.example "$ver" "${cc[@]}" "${kl[@]}"
    stop_capture
    ((${#kl[@]})) && keylog_done "$name"
    return 0
}
scenario_client_cert_required_tls12() { client_cert client-cert-required-tls12 -tls1_2 none; }
scenario_client_cert_required_tls13() { client_cert client-cert-required-tls13 -tls1_3 none; }
scenario_client_cert_rejected_tls12() { client_cert client-cert-rejected-tls12 -tls1_2 rejected; }
scenario_client_cert_rejected_tls13() { client_cert client-cert-rejected-tls13 -tls1_3 rejected; }

ALL+=(
    cert-chain-ok-tls12 cert-expired-tls12 cert-expired-tls13 cert-not-yet-valid-tls12
    cert-hostname-mismatch-tls12 cert-wildcard-ok-tls12 cert-wildcard-mismatch-tls12
    cert-self-signed-tls12 cert-chain-incomplete-tls12 cert-untrusted-issuer-tls12
    cert-weak-tls12 cert-chain-out-of-order-tls12
    client-cert-required-tls12 client-cert-required-tls13
    client-cert-rejected-tls12 client-cert-rejected-tls13
)

# ------------------------------------------- more certificate captures ---
# On $CERT_PORT2 (10443): TLS 1.3 certificate alerts from OpenSSL's client
# (plaintext) and GnuTLS's (encrypted); leaf-only and untrusted chains as
# OpenSSL and GnuTLS clients answer them; curl's host-name check after the
# handshake; clients that go on despite a bad certificate (no
# -verify_return_error); extendedKeyUsage; a client that closes after the
# server's first flight.  Each checks its client's (and where it matters the
# server's) log afterwards and stops the run if the peers did not do what
# the capture is meant to show (KEEP_TMP=1 keeps the logs).  Key logs for
# every TLS 1.3 capture and every capture with application data.

# cert_expect LOGNAME ERE...: every pattern must occur in $TMP/LOGNAME.log.
cert_expect() {
    local logname=$1 pat; shift
    for pat in "$@"; do
        grep -Eq -- "$pat" "$TMP/$logname.log" && continue
        echo "expected /$pat/ in $logname.log:" >&2
        sed 's/^/    /' "$TMP/$logname.log" >&2
        exit 1
    done
}

# cp_chain NAME|-: the chain file $CP/NAME.pem, or - for none.
cp_chain() { if [[ $1 == - ]]; then echo -; else echo "$CP/$1.pem"; fi; }

# cert_gnutls LOGNAME HOST VERSION KEYLOG|'' ARGS...: gnutls-cli, TLS
# VERSION (1.2 or 1.3) only, verifying against the test root for HOST;
# stdin at EOF.
cert_gnutls() {
    local logname=$1 host=$2 ver=$3 keys=$4 env=(); shift 4
    [[ -n $keys ]] && env=("SSLKEYLOGFILE=$keys")
    client "$logname" env "${env[@]}" gnutls-cli --x509cafile="$CP/root.pem" \
        -p "$CERT_PORT" --sni-hostname="$host" --verify-hostname="$host" \
        --priority "NORMAL:-VERS-ALL:+VERS-TLS$ver" "$@" 127.0.0.1 </dev/null
}

# cert_reject NAME STACK VERSION LEAF CHAIN|- HOST ERE...: s_server with
# $CP/LEAF.pem (and $CP/CHAIN.pem), TLS VERSION only; the client (STACK openssl: s_client
# -verify_return_error -verify_hostname; gnutls: gnutls-cli) verifies for
# HOST against the test root and is expected to refuse; its log must match
# every ERE.  Key log for TLS 1.3.
cert_reject() {
    local name=$1 stack=$2 ver=$3 leaf=$4 chain=$5 host=$6; shift 6
    local CERT_PORT=$CERT_PORT2 keys='' okl=()
    make_cert_pki
    if [[ $ver == 1.3 ]]; then keys=$(keylog_path "$name"); okl=(-keylogfile "$keys"); fi
    start_capture "$name" "$CERT_PORT"
    cert_server "$leaf" "$(cp_chain "$chain")" "-tls1_${ver#1.}"
    case $stack in
        openssl) cert_client_fail cli "$host" "-tls1_${ver#1.}" "${okl[@]}" ;;
        gnutls) cert_gnutls cli "$host" "$ver" "$keys" ;;
    esac
    stop_capture
    [[ -n $keys ]] && keylog_done "$name"
    cert_expect cli "$@"
}

# 1. TLS 1.3, OpenSSL 3.0's client: its certificate alert goes out in
# plaintext (it has not switched its write side to the handshake keys yet).
scenario_cert_expired_tls13_plainalert_openssl() {
    cert_reject cert-expired-tls13-plainalert-openssl openssl 1.3 expired int-chain \
        good.example 'verify error:num=10:certificate has expired'
}
scenario_cert_untrusted_tls13_plainalert_openssl() {
    cert_reject cert-untrusted-tls13-plainalert-openssl openssl 1.3 ogood ochain \
        good.example 'verify error:num=19:self-signed certificate in certificate chain'
}
scenario_cert_hostname_tls13_plainalert_openssl() {
    cert_reject cert-hostname-tls13-plainalert-openssl openssl 1.3 other int-chain \
        good.example 'verify error:num=62:hostname mismatch'
}

# 2. The same three with gnutls-cli (GnuTLS 3.7), which encrypts its alert.
scenario_cert_expired_tls13_gnutls() {
    cert_reject cert-expired-tls13-gnutls gnutls 1.3 expired int-chain \
        good.example 'chain uses expired certificate' 'Fatal error: Error in the certificate'
}
scenario_cert_untrusted_tls13_gnutls() {
    cert_reject cert-untrusted-tls13-gnutls gnutls 1.3 ogood ochain \
        good.example 'certificate issuer is unknown' 'Fatal error: Error in the certificate'
}
scenario_cert_hostname_tls13_gnutls() {
    cert_reject cert-hostname-tls13-gnutls gnutls 1.3 other int-chain \
        good.example 'name in the certificate does not match' \
        'Fatal error: Error in the certificate'
}

# 3a. Only the leaf, issued by the test intermediate, which the client does
# not have (it trusts the test root).
scenario_cert_leaf_only_missing_intermediate_tls12_openssl() {
    cert_reject cert-leaf-only-missing-intermediate-tls12-openssl openssl 1.2 good - \
        good.example 'verify error:num=20:unable to get local issuer certificate'
}
scenario_cert_leaf_only_missing_intermediate_tls12_gnutls() {
    cert_reject cert-leaf-only-missing-intermediate-tls12-gnutls gnutls 1.2 good - \
        good.example 'certificate issuer is unknown' 'Fatal error: Error in the certificate'
}

# 3b. Only the leaf, issued directly by "private root", which nobody trusts.
scenario_cert_leaf_only_untrusted_ca_tls12_openssl() {
    cert_reject cert-leaf-only-untrusted-ca-tls12-openssl openssl 1.2 pgood - \
        good.example 'verify error:num=20:unable to get local issuer certificate'
}
scenario_cert_leaf_only_untrusted_ca_tls12_gnutls() {
    cert_reject cert-leaf-only-untrusted-ca-tls12-gnutls gnutls 1.2 pgood - \
        good.example 'certificate issuer is unknown' 'Fatal error: Error in the certificate'
}

# 4. The complete chain good.example <- other intermediate <- other root,
# the root included; the client trusts only the test root.
scenario_cert_untrusted_full_chain_gnutls_tls12() {
    cert_reject cert-untrusted-full-chain-gnutls-tls12 gnutls 1.2 ogood ochain \
        good.example 'certificate issuer is unknown' 'Fatal error: Error in the certificate'
}
scenario_cert_untrusted_full_chain_openssl_tls12() {
    cert_reject cert-untrusted-full-chain-openssl-tls12 openssl 1.2 ogood ochain \
        good.example 'verify error:num=19:self-signed certificate in certificate chain'
}

# 5. curl (OpenSSL backend) checks the host name itself, after the
# handshake: https://wrong.example/ against nginx serving good.example.
# With http2 (ALPN h2, which curl offers), nginx sends its SETTINGS right
# after its Finished, before curl's close_notify.
cert_hostname_curl() {
    local name=$1 ver=$2 h2=${3:-} CERT_PORT=$CERT_PORT2 keys
    make_cert_pki
    cat "$CP/good.pem" "$CP/int.pem" >"$CP/good-full.pem"
    keys=$(keylog_path "$name")
    start_capture "$name" "$CERT_PORT"
    nginx_start nginx "$(nginx_http "
    server {
        listen 127.0.0.1:$CERT_PORT ssl $h2;
        server_name good.example;
        ssl_certificate $CP/good-full.pem;
        ssl_certificate_key $CP/good.key;
        ssl_protocols TLSv$ver;
        location / { return 200 \"hello from good.example\n\"; }
    }")"
    wait_listen "$CERT_PORT"
    SSLKEYLOGFILE=$keys client curl curl -sS -v --cacert "$CP/root.pem" \
        --tlsv"$ver" --tls-max "$ver" --resolve "wrong.example:$CERT_PORT:127.0.0.1" \
        "https://wrong.example:$CERT_PORT/"
    stop_capture
    keylog_done "$name"
    cert_expect curl "SSL connection using TLSv$ver" \
        "no alternative certificate subject name matches target host name 'wrong.example'"
}
scenario_cert_hostname_curl_tls12() { cert_hostname_curl cert-hostname-curl-tls12 1.2; }
scenario_cert_hostname_curl_tls13() { cert_hostname_curl cert-hostname-curl-tls13 1.3; }
scenario_cert_hostname_curl_h2() { cert_hostname_curl cert-hostname-curl-h2 1.2 http2; }

# 6. s_client without -verify_return_error: it notes the verification error
# and goes on; one line each way, close_notify both ways.
cert_established() {
    local name=$1 leaf=$2 chain=$3 err=$4 CERT_PORT=$CERT_PORT2 keys
    make_cert_pki
    keys=$(keylog_path "$name")
    start_capture "$name" "$CERT_PORT"
    cert_server "$leaf" "$(cp_chain "$chain")" -tls1_2
    line_then_eof "hello from cli" |
        timeout 10 openssl s_client -connect "127.0.0.1:$CERT_PORT" -CAfile "$CP/root.pem" \
            -verify_hostname good.example -servername good.example -tls1_2 \
            -keylogfile "$keys" >"$TMP/cli.log" 2>&1 || true
    stop_capture
    keylog_done "$name"
    cert_expect cli "verify error:num=$err:" "Verify return code: $err " 'ilc morf olleh'
}
scenario_cert_expired_established_tls12() {
    cert_established cert-expired-established-tls12 expired int-chain 10
}
scenario_cert_incomplete_established_tls12() {
    cert_established cert-incomplete-established-tls12 good - 21
}

# 7. extendedKeyUsage.  A client certificate with serverAuth only, to
# s_server -Verify 1 -verify_return_error (client_cert above) ...
scenario_client_cert_no_clientauth_tls12() {
    local CERT_PORT=$CERT_PORT2
    client_cert client-cert-no-clientauth-tls12 -tls1_2 no-clientauth
    cert_expect srv 'verify error:num=26:unsuitable certificate purpose'
    cert_expect cli 'alert unsupported certificate'
}
scenario_client_cert_no_clientauth_tls13() {
    local CERT_PORT=$CERT_PORT2
    client_cert client-cert-no-clientauth-tls13 -tls1_3 no-clientauth
    cert_expect srv 'verify error:num=26:unsuitable certificate purpose'
    cert_expect cli 'alert unsupported certificate'
}
# ... and a server leaf with clientAuth only (s_client checks the purpose
# sslserver by default).
scenario_server_cert_no_serverauth_tls12() {
    cert_reject server-cert-no-serverauth-tls12 openssl 1.2 cauth int-chain \
        good.example 'verify error:num=26:unsuitable certificate purpose'
}
scenario_server_cert_no_serverauth_tls12_gnutls() {
    cert_reject server-cert-no-serverauth-tls12-gnutls gnutls 1.2 cauth int-chain \
        good.example 'does not match the intended purpose' 'Fatal error: Error in the certificate'
}

# 8. A client that sends a real ClientHello, reads the server's whole first
# flight and closes (FIN) without answering.
write_certs_peer() {
    cat >"$TMP/certs-peer.py" <<'PYEOF'
"""closed-after-server-flight client for make-captures.sh.

[--wait S] HOST PORT CA VERSION [KEYLOG]
    Python ssl (OpenSSL) over an SSLObject/MemoryBIO pair on a socket we
    own, VERSION tls12 or tls13, verifying good.example against CA: send the
    ClientHello, feed the server's records in until the client has a flight
    of its own to send (TLS 1.2: after ServerHelloDone; TLS 1.3: after the
    server's Finished), then (S seconds later) close the socket without
    sending it (FIN).
"""
import socket, ssl, sys, time
from peerlib import first_flight

def main(host, port, ca, version, keylog=None, wait=0.0):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    v = ssl.TLSVersion.TLSv1_3 if version == "tls13" else ssl.TLSVersion.TLSv1_2
    ctx.minimum_version = ctx.maximum_version = v
    ctx.load_verify_locations(ca)
    if keylog:
        ctx.keylog_filename = keylog
    tls, inb, outb, hello = first_flight(ctx)
    sock = socket.create_connection((host, int(port)), timeout=5)
    sock.sendall(hello)
    print("sent ClientHello,", len(hello), "bytes", flush=True)
    got = 0
    for _ in range(100):
        data = sock.recv(65536)
        if not data:
            print("server closed first after", got, "bytes", flush=True)
            break
        got += len(data)
        inb.write(data)
        try:
            tls.do_handshake()
            done = True
        except ssl.SSLWantReadError:
            done = False
        if done or outb.pending:
            print("read the server's flight,", got, "bytes;", "not sending our",
                  outb.pending, "bytes; handshake", "complete" if done else "pending",
                  flush=True)
            break
    time.sleep(wait)
    sock.close()
    print("closed the socket", flush=True)

args, wait = sys.argv[1:], 0.0
if args[:1] == ["--wait"]:
    args, wait = args[2:], float(args[1])
main(*args, wait=wait)
PYEOF
}

closed_after_flight() {
    local name=$1 ver=$2 CERT_PORT=$CERT_PORT2 kl=()
    make_cert_pki
    write_certs_peer
    [[ $ver == tls13 ]] && kl=("$(keylog_path "$name")")
    start_capture "$name" "$CERT_PORT"
    cert_server good "$CP/int-chain.pem" "-tls1_${ver#tls1}"
    client cli "$PY" "$TMP/certs-peer.py" 127.0.0.1 "$CERT_PORT" "$CP/root.pem" "$ver" "${kl[@]}"
    stop_capture
    ((${#kl[@]})) && keylog_done "$name"
    cert_expect cli "read the server's flight"
    cert_expect srv 'unexpected eof while reading'
}
scenario_closed_after_server_flight_tls12() { closed_after_flight closed-after-server-flight-tls12 tls12; }
scenario_closed_after_server_flight_tls13() { closed_after_flight closed-after-server-flight-tls13 tls13; }

# 9. Clients that stop after the server's whole first flight, their TCP
# having acknowledged it, and end the connection over a second later
# without an alert. The server (Python ssl) answers each ClientHello 0.5 s
# after it came, and writes its key log. s_client and gnutls-cli are frozen
# (SIGSTOP) 0.2 s after they start, once their ClientHello is out, and
# killed 2 s later: their kernel acknowledges the server's flight, and the
# close is a reset (the flight was never read). The Python client of 8
# reads the flight and closes (FIN) 1.5 s later. TLS 1.2: s_client,
# gnutls-cli, Python; TLS 1.3: s_client, gnutls-cli.
write_slow_server() {
    cat >"$TMP/slow-server.py" <<'PYEOF'
"""Slow TLS server for make-captures.sh.

HOST PORT CERT KEY N KEYLOG
    Python ssl (OpenSSL), TLS 1.2 and 1.3: take N connections one at a
    time; start each handshake 0.5 s after the connection came (the
    ClientHello waits in the socket), and wait 5 s at most for the client.
"""
import ssl, sys, time
from peerlib import accept_one

def main(host, port, cert, key, n, keylog):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ctx.keylog_filename = keylog
    for i in range(int(n)):
        conn = accept_one(host, port)
        time.sleep(0.5)
        conn.settimeout(5)
        try:
            tls = ctx.wrap_socket(conn, server_side=True)
            print(i, "handshake done,", tls.version(), flush=True)
            tls.close()
        except (OSError, ssl.SSLError) as e:
            print(i, "handshake ended:", e, flush=True)
            conn.close()

main(*sys.argv[1:])
PYEOF
}

# stall_client LOGNAME CMD...: CMD frozen 0.2 s after it starts, killed 2 s later.
stall_client() {
    local logname=$1 pid; shift
    "$@" </dev/null >"$TMP/$logname.log" 2>&1 &
    pid=$!
    sleep 0.2
    kill -STOP "$pid"
    sleep 2
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null || true
}

scenario_client_stalls_after_server_flight() {
    local name=client-stalls-after-server-flight port=8443 v
    local gnutls=(gnutls-cli -p $port --x509cafile "$CA" --sni-hostname good.example 127.0.0.1)
    write_certs_peer
    write_slow_server
    start_capture $name $port
    bg_server srv "$PY" "$TMP/slow-server.py" 127.0.0.1 $port "$CERT" "$KEY" 5 "$(keylog_path $name)"
    wait_listen $port
    stall_client ossl-12 openssl s_client -CAfile "$CA" -connect 127.0.0.1:$port -servername good.example -tls1_2
    wait_listen $port
    stall_client gnutls-12 "${gnutls[@]}" --priority NORMAL:-VERS-ALL:+VERS-TLS1.2
    wait_listen $port
    client py-12 "$PY" "$TMP/certs-peer.py" --wait 1.5 127.0.0.1 $port "$CA" tls12
    log_expect py-12 "read the server's flight"
    wait_listen $port
    stall_client ossl-13 openssl s_client -CAfile "$CA" -connect 127.0.0.1:$port -servername good.example -tls1_3
    wait_listen $port
    stall_client gnutls-13 "${gnutls[@]}" --priority NORMAL:-VERS-ALL:+VERS-TLS1.3
    sleep 0.5
    stop_capture
    keylog_done $name
    for v in 0 1 2 3 4; do log_expect srv "^$v handshake ended"; done
}

ALL+=(
    cert-expired-tls13-plainalert-openssl cert-untrusted-tls13-plainalert-openssl
    cert-hostname-tls13-plainalert-openssl
    cert-expired-tls13-gnutls cert-untrusted-tls13-gnutls cert-hostname-tls13-gnutls
    cert-leaf-only-missing-intermediate-tls12-openssl
    cert-leaf-only-missing-intermediate-tls12-gnutls
    cert-leaf-only-untrusted-ca-tls12-openssl cert-leaf-only-untrusted-ca-tls12-gnutls
    cert-untrusted-full-chain-gnutls-tls12 cert-untrusted-full-chain-openssl-tls12
    cert-hostname-curl-tls12 cert-hostname-curl-tls13 cert-hostname-curl-h2
    cert-expired-established-tls12 cert-incomplete-established-tls12
    client-cert-no-clientauth-tls12 client-cert-no-clientauth-tls13
    server-cert-no-serverauth-tls12 server-cert-no-serverauth-tls12-gnutls
    closed-after-server-flight-tls12 closed-after-server-flight-tls13 client-stalls-after-server-flight
)

# Clients that connect by IP address, so send no SNI, to a server whose
# certificate names good.example only (no IP address in its subjectAltName;
# it sends its CA too), each checking the address it used, TLS 1.2: Python
# ssl (stream 0), s_client -verify_ip (1), gnutls-cli (2) and the JSSE
# client of scenarios-java.sh (3) refuse it with a certificate alert; curl
# (4) checks only after the handshake and closes with its close_notify.
# Then TLS 1.3, where the certificates are encrypted: Python (5; OpenSSL 3.0
# sends its alert in plaintext) and gnutls-cli (6; its alert is encrypted).
scenario_cert_ip_mismatch() {
    local py='import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[1])
ctx.maximum_version = getattr(ssl.TLSVersion, sys.argv[2])
try:
    ctx.wrap_socket(socket.create_connection(("127.0.0.1", 443)), server_hostname="127.0.0.1")
except ssl.SSLError as e:
    print(e)'
    java_setup
    start_capture cert-ip-mismatch 443
    s_server srv -accept 127.0.0.1:443 -naccept 7 -cert_chain "$CA"
    wait_listen 443
    client cli-python "$PY" -c "$py" "$CA" TLSv1_2
    s_client_try cli-openssl -connect 127.0.0.1:443 -verify_ip 127.0.0.1 -verify_return_error -tls1_2
    client cli-gnutls gnutls-cli -p 443 --x509cafile "$CA" --priority NORMAL:-VERS-ALL:+VERS-TLS1.2 127.0.0.1 \
        </dev/null
    client cli-java "${JPEER[@]}" client 127.0.0.1 443 "$JTRUST" none TLSv1.2 - check line 1
    client cli-curl curl -sS --max-time 5 --tlsv1.2 --tls-max 1.2 --cacert "$CA" https://127.0.0.1/
    client cli-python13 "$PY" -c "$py" "$CA" TLSv1_3
    client cli-gnutls13 gnutls-cli -p 443 --x509cafile "$CA" --priority NORMAL:-VERS-ALL:+VERS-TLS1.3 127.0.0.1 \
        </dev/null
    stop_capture
    log_expect cli-python 'IP address mismatch'
    log_expect cli-openssl 'IP address mismatch'
    log_expect cli-gnutls 'The name in the certificate does not match'
    log_expect cli-java 'No subject alternative names matching IP address 127\.0\.0\.1'
    log_expect cli-curl 'no alternative certificate subject name matches'
    log_expect cli-python13 'IP address mismatch'
    log_expect cli-gnutls13 'The name in the certificate does not match'
}

ALL+=(cert-ip-mismatch)
