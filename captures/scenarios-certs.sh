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
#
# Leaves are issued with `openssl ca` so notBefore/notAfter can be set
# exactly (OpenSSL 3.0's `x509 -req` only has -days).  Dates are relative to
# the time of the run: expired = notAfter 30 days ago, not yet valid =
# notBefore 30 days ahead.
#
# Every client verifies for real (s_client -verify_return_error
# -verify_hostname), so failures end in the client's own alert.

CP=

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

    # Self-signed good.example, sent alone.
    openssl req -x509 -newkey rsa:2048 -sha256 -days 365 -nodes \
        -keyout "$CP/self.key" -out "$CP/self.pem" -subj "/CN=good.example" \
        -addext "subjectAltName=DNS:good.example" 2>/dev/null
}

# cert_server LEAF [CHAIN-FILE|-] ARGS...: openssl s_server on 127.0.0.1:443
# (one connection) with $CP/LEAF.{pem,key} and an optional extra chain file.
cert_server() {
    local leaf=$1 chain=$2; shift 2
    local args=(-cert "$CP/$leaf.pem" -key "$CP/$leaf.key")
    [[ $chain != - ]] && args+=(-cert_chain "$chain")
    # -CAfile: without it s_server loads the system store; give it the test
    # root (client-certificate checks, and nothing to auto-complete a chain
    # with, since the intermediate is not in it).
    bg_server srv openssl s_server "${args[@]}" -CAfile "$CP/root.pem" \
        -accept 127.0.0.1:443 -naccept 1 -rev "$@"
    wait_listen 443
}

# cert_client_ok NAME HOST ARGS...: verifying s_client sending one line.
cert_client_ok() {
    local logname=$1 host=$2; shift 2
    line_then_eof "hello from $logname" |
        timeout 10 openssl s_client -connect 127.0.0.1:443 -CAfile "$CP/root.pem" \
            -verify_return_error -verify_hostname "$host" -servername "$host" "$@" \
            >"$TMP/$logname.log" 2>&1 || true
}

# cert_client_fail NAME HOST ARGS...: verifying s_client, handshake expected
# to fail.
cert_client_fail() {
    local logname=$1 host=$2; shift 2
    client "$logname" openssl s_client -connect 127.0.0.1:443 -CAfile "$CP/root.pem" \
        -verify_return_error -verify_hostname "$host" -servername "$host" "$@" </dev/null
}

# keylog_path NAME: the key-log file for captures/NAME.pcap (removed first).
keylog_path() { rm -f "$OUT/$1.keys"; printf '%s' "$OUT/$1.keys"; }
keylog_done() { chown --reference="$OUT" "$OUT/$1.keys"; }

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
    start_capture "$name" 443
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
# root); the client sends none (MODE none) or one from "other root"
# (MODE rejected).
client_cert() {
    local name=$1 ver=$2 mode=$3 kl=() cc=()
    make_cert_pki
    [[ $ver == -tls1_3 ]] && kl=(-keylogfile "$(keylog_path "$name")")
    [[ $mode == rejected ]] && cc=(-cert "$CP/oclient.pem" -key "$CP/oclient.key"
                                  -cert_chain "$CP/oint.pem")
    start_capture "$name" 443
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
