# shellcheck shell=bash
# GNU Wget scenarios for make-captures.sh (sourced by it; uses its helpers
# and those of scenarios-certs.sh (the certificate PKI, cert_expect,
# cp_chain) and scenarios-node.sh (NODE_REFUSE_CASES)).
#
# Debian's wget (1.21, built with GnuTLS 3.7) checks the server's
# certificate once the handshake is done, as Node.js does: GnuTLS runs the
# handshake to its end without verifying, then wget verifies the chain,
# the dates and the host name and, on a failure, closes the socket: a FIN,
# no alert.  Seen with wget 1.21.3, GnuTLS 3.7.9 and s_server (OpenSSL
# 3.0): in TLS 1.2 the client's Finished, the server's ticket and Finished,
# then the client's FIN; in TLS 1.3 the client's CCS, then its Finished
# some 40 ms later, the server's two tickets, the client's FIN (sometimes a
# RST, the second ticket unread).  s_server answers the FIN with an
# encrypted alert (OpenSSL 3.0's "unexpected eof while reading"), which
# meets the closed socket: client RST.
#
#   wget-client-refuses-tls12  wget against s_server -www, TLS 1.2, the
#                              nine cases of node-client-refuses-tls12
#   wget-client-refuses-tls13  the same in TLS 1.3
#
# wget resolves good.example and wrong.example to 127.0.0.1 with its own
# /etc/hosts (a private mount namespace); its key log (SSLKEYLOGFILE,
# GnuTLS's) is the capture's .keys.  Port $CERT_PORT2 (10443), a
# connection every 0.5 s.

# wget_client_refuses NAME VERSION: one s_server (-www, -naccept 1, TLS
# 1.VERSION only) per case of NODE_REFUSE_CASES, and wget (TLS 1.VERSION
# only, the test root its only CA, one try) fetching https://NAME:PORT/.
# Logs: wget's wgVERSION-LABEL, s_server's wsVERSION-LABEL.  wget says,
# per case: good "200 OK"; expired "has expired"; not yet valid "is not yet
# activated"; wrong.example "owner does not match hostname"; self-signed,
# the leaf alone and the untrusted chains "is not trusted" and "doesn't
# have a known issuer".
wget_client_refuses() {
    local name=$1 v=$2 CERT_PORT=$CERT_PORT2 keys c label leaf chain sni chainargs
    make_cert_pki
    printf '127.0.0.1 good.example wrong.example\n' >"$TMP/wget-hosts"
    keys=$(keylog_path "$name")
    start_capture "$name" "$CERT_PORT"
    for c in "${NODE_REFUSE_CASES[@]}"; do
        IFS=: read -r label leaf chain sni _ <<<"$c"
        chainargs=()
        [[ $chain != - ]] && chainargs=(-cert_chain "$(cp_chain "$chain")")
        bg_server "ws$v-$label" openssl s_server -cert "$CP/$leaf.pem" -key "$CP/$leaf.key" "${chainargs[@]}" \
            -CAfile "$CP/root.pem" -accept "127.0.0.1:$CERT_PORT" -naccept 1 -www "-tls1_${v#1.}"
        wait_listen "$CERT_PORT"
        # shellcheck disable=SC2016  # $0 and $@ are the inner sh's
        SSLKEYLOGFILE=$keys HOME=$TMP client "wg$v-$label" \
            unshare -m sh -c 'mount --bind "$0" /etc/hosts && exec "$@"' "$TMP/wget-hosts" \
            wget -O - --tries=1 --no-hsts --ca-certificate="$CP/root.pem" --secure-protocol="TLSv${v/./_}" \
            "https://$sni:$CERT_PORT/"
        stop_servers
        wait_free "$CERT_PORT"
        sleep 0.5
    done
    stop_capture
    keylog_done "$name"
    for c in "${NODE_REFUSE_CASES[@]}"; do
        IFS=: read -r label _ <<<"$c"
        case $label in
        good | good2) cert_expect "wg$v-$label" '200 [oO][kK]' ;;
        expired) cert_expect "wg$v-$label" 'ERROR: The certificate of .good\.example. has expired' ;;
        notyet) cert_expect "wg$v-$label" 'ERROR: The certificate of .good\.example. is not yet activated' ;;
        name) cert_expect "wg$v-$label" "The certificate's owner does not match hostname .wrong\.example." ;;
        *) cert_expect "wg$v-$label" 'ERROR: The certificate of .good\.example. is not trusted' \
            "doesn't have a known issuer" ;;
        esac
    done
    nc_want "ClientHellos" 'tls.handshake.type == 1' tcp.stream "0 1 2 3 4 5 6 7 8"
    nc_want "their names" 'tls.handshake.type == 1' tls.handshake.extensions_server_name \
        "good.example good.example good.example wrong.example good.example good.example good.example good.example good.example"
    # Every handshake is done: the client's Finished in each stream.
    nc_want "client Finished (key log)" "tcp.dstport == $CERT_PORT && tls.handshake.type == 20" tcp.stream \
        "0 1 2 3 4 5 6 7 8" "$keys"
    # No alert from the client at all (wget closes without close_notify
    # after a page too); its request only in the two good connections.
    nc_want "client alerts (key log)" "tcp.dstport == $CERT_PORT && tls.alert_message" tcp.stream "" "$keys"
    nc_want "client application data (key log)" \
        "tcp.dstport == $CERT_PORT && http.request" tcp.stream "0 8" "$keys"
}
scenario_wget_client_refuses_tls12() { wget_client_refuses wget-client-refuses-tls12 1.2; }
scenario_wget_client_refuses_tls13() { wget_client_refuses wget-client-refuses-tls13 1.3; }

ALL+=(wget-client-refuses-tls12 wget-client-refuses-tls13)
