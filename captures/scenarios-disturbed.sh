# shellcheck shell=bash
# Sourced by make-captures.sh: TLS handshakes over a disturbed network path.
#
# client ns -- router ns (captures/relay.py) -- server ns, built by
# captures/netpath.sh; each scenario gets fresh namespaces.  The relay
# reorders, duplicates or drops chosen TCP data segments (deterministically,
# per connection), or iptables drops every Nth data packet where it is
# received; the stacks' own retransmissions repair the damage.  tcpdump runs
# in the client namespace on its eth0 (what a client-side capture sees),
# except for the hello-dup captures, taken on the server's eth0.
#
#   sudo captures/make-captures.sh disturbed-tls13-openssl-reorder
#   KEEP_TMP=1 ...   keeps $TMP/disturbed-*-{srv,cli,relay}.log
#
# The server's first flight must span three segments (MSS 1448) so that
# segments 2 and 3 can be swapped: the server sends leaf + intermediate
# (RSA 4096) + root, about 3 KB of certificates, under make_pki's CA.

# shellcheck source-path=SCRIPTDIR source=netpath.sh
source "$HERE/netpath.sh"

# np_pki: the longer chain, made once per run next to make_pki's files.
# Sets DCERT, DKEY, DCHAIN (intermediate + root) and DFULL (all three).
np_pki() {
    local d=$TMP/pki
    DCERT=$d/dist-leaf.pem DKEY=$d/dist-leaf.key
    DCHAIN=$d/dist-chain.pem DFULL=$d/dist-full.pem
    [[ -f $DFULL ]] && return 0
    openssl req -newkey rsa:4096 -sha256 -nodes -keyout "$d/dist-int.key" \
        -out "$d/dist-int.csr" -subj "/CN=tlsdiag test intermediate" 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:TRUE,pathlen:0" \
        "keyUsage=critical,keyCertSign,cRLSign" >"$d/dist-int.ext"
    openssl x509 -req -in "$d/dist-int.csr" -CA "$CA" -CAkey "$d/ca.key" \
        -CAcreateserial -sha256 -days 3650 -extfile "$d/dist-int.ext" \
        -out "$d/dist-int.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -sha256 -nodes -keyout "$DKEY" \
        -out "$d/dist-leaf.csr" -subj "/CN=good.example" 2>/dev/null
    openssl x509 -req -in "$d/dist-leaf.csr" -CA "$d/dist-int.pem" -CAkey "$d/dist-int.key" \
        -CAcreateserial -sha256 -days 3650 -extfile "$d/server.ext" \
        -out "$DCERT" 2>/dev/null
    cat "$d/dist-int.pem" "$CA" >"$DCHAIN"
    cat "$DCERT" "$DCHAIN" >"$DFULL"
}

# disturbed_begin NAME SIDE [RELAY RULES...]: namespaces, relay, capture on
# the client's eth0 (SIDE client) or the server's (SIDE server).
disturbed_begin() {
    local name=$1 side=$2; shift 2
    np_pki
    np_up
    np_relay "$name-relay" "$@"
    if [[ $side == server ]]; then
        start_capture "$name" 443 "$NP_SRV" eth0
    else
        start_capture "$name" 443 "$NP_CLI" eth0
    fi
}

# disturbed_end NAME: stop everything, keep the key log only if written,
# say what the relay did and how the client's handshake ended.
disturbed_end() {
    local name=$1 keys=$OUT/$1.keys
    stop_capture
    np_down
    if [[ -s $keys ]]; then chown --reference="$OUT" "$keys"; else rm -f "$keys"; fi
    grep -E 'dropped|twice|held|released|retransmission' "$TMP/$name-relay.log" |
        sed 's/^ */relay /' | while read -r l; do log "$l"; done || true
    grep -hE '^(New, |Verification|Verify return)|alert|errno|Handshake was completed|Fatal error|Description:|Status:' \
        "$TMP/$name-cli.log" | sort -u | while read -r l; do log "client: $l"; done || true
    grep -hE '^CONNECTION |Protocol version:|no shared cipher|^- (Version|Description):|Error' \
        "$TMP/$name-srv.log" | sort -u | while read -r l; do log "server: $l"; done || true
}

# np_feed LINES LEN TAIL: s_client / gnutls-cli stdin: LINES lines of LEN
# characters 0.3 s apart, then EOF after TAIL seconds.
np_feed() {
    local i letters=abcdefghij
    sleep 0.3
    for ((i = 1; i <= $1; i++)); do
        printf 'line %d %s\n' "$i" "$(head -c "$2" /dev/zero | tr '\0' "${letters:i-1:1}")"
        sleep 0.3
    done
    sleep "$3"
}

# disturbed_success VERSION STACK DISTURBANCE
#   VERSION      tls13 | tls12
#   STACK        openssl: s_server -rev / s_client, one line each way
#                gnutls: gnutls-serv --echo / gnutls-cli, one line each way
#   DISTURBANCE  ok       none (the twin of the others)
#                reorder  server data segments 2 and 3 swapped (the flight)
#                dup      server data segment 1 (the ServerHello) sent twice
#                drop     server data segment 1 dropped once
#                loss     iptables nth loss each way (np_nth_loss 4: every
#                         4th data packet from the 2nd on, at the receiver);
#                         4 lines of 3 KB each way
#   [ipv6]       over 2001:db8:1::2 -> 2001:db8:2::2 instead of IPv4
disturbed_success() {
    local ver=$1 stack=$2 dist=$3 name=disturbed-$1-$2-$3${4:+-$4} rules=() lines=1 len=20 tail=0.7
    local keys=$OUT/$name.keys addr=$NP_SRV_IP back
    [[ ${4:-} == ipv6 ]] && addr="[$NP_SRV_IP6]"
    case $dist in
        ok) ;;
        reorder) rules=(--reorder s2c:2) ;;
        dup) rules=(--dup s2c:1) ;;
        drop) rules=(--drop s2c:1) ;;
        loss) lines=4 len=3000 tail=3 ;;
    esac
    rm -f "$keys"
    disturbed_begin "$name" client "${rules[@]}"
    [[ $dist == loss ]] && np_nth_loss 4
    case $stack in
        openssl)
            bg_server "$name-srv" "${NP_IN_SRV[@]}" openssl s_server -rev \
                -cert "$DCERT" -key "$DKEY" -cert_chain "$DCHAIN" \
                -accept "$addr:443" -naccept 1 "-tls1_${ver:4:1}"
            wait_listen 443 tcp "$NP_SRV"
            np_feed "$lines" "$len" "$tail" |
                timeout 15 "${NP_IN_CLI[@]}" openssl s_client -CAfile "$CA" \
                    -connect "$addr:443" -servername good.example \
                    "-tls1_${ver:4:1}" -keylogfile "$keys" >"$TMP/$name-cli.log" 2>&1 || true
            ;;
        gnutls)
            bg_server "$name-srv" "${NP_IN_SRV[@]}" gnutls-serv --echo --port 443 \
                --x509certfile "$DFULL" --x509keyfile "$DKEY"
            wait_listen 443 tcp "$NP_SRV"
            np_feed "$lines" "$len" "$tail" |
                timeout 15 "${NP_IN_CLI[@]}" env SSLKEYLOGFILE="$keys" gnutls-cli \
                    --x509cafile "$CA" --sni-hostname good.example \
                    --verify-hostname good.example \
                    --priority "NORMAL:-VERS-ALL:+VERS-TLS${ver:3:1}.${ver:4:1}" \
                    -p 443 "${addr//[][]/}" >"$TMP/$name-cli.log" 2>&1 || true
            ;;
    esac
    # s_server -rev answers each line reversed, gnutls-serv --echo as is.
    back=$(grep -cE '^line [0-9]+ |[a-j]+ [0-9]+ enil$' "$TMP/$name-cli.log" || true)
    log "client: $back of $lines line(s) came back"
    disturbed_end "$name"
}

# disturbed_failure KIND DISTURBANCE
#   KIND         cipher-mismatch: s_server TLS 1.2 ECDHE-RSA-AES128-GCM-SHA256
#                only, s_client offers only AES256-SHA: fatal alert 40
#                reset-after-client-hello: peer.py server-rst reads the
#                ClientHello and resets (SO_LINGER 0)
#   DISTURBANCE  ok
#                hello-drop: client data segment 1 dropped once (the
#                capture shows the ClientHello and its retransmission)
#                hello-dup: client data segment 1 sent twice; captured on
#                the SERVER's eth0, since the copy is made past the client
#                (a client-side capture would show only the D-SACK)
disturbed_failure() {
    local kind=$1 dist=$2 name=disturbed-$1-$2 rules=() side=client
    case $dist in
        hello-drop) rules=(--drop c2s:1) ;;
        hello-dup) rules=(--dup c2s:1) side=server ;;
    esac
    disturbed_begin "$name" "$side" "${rules[@]}"
    case $kind in
        cipher-mismatch)
            bg_server "$name-srv" "${NP_IN_SRV[@]}" openssl s_server -rev \
                -cert "$DCERT" -key "$DKEY" -cert_chain "$DCHAIN" \
                -accept "$NP_SRV_IP:443" -naccept 1 -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256
            wait_listen 443 tcp "$NP_SRV"
            client "$name-cli" "${NP_IN_CLI[@]}" openssl s_client -CAfile "$CA" \
                -connect "$NP_SRV_IP:443" -servername good.example -tls1_2 -cipher AES256-SHA \
                </dev/null
            ;;
        reset-after-client-hello)
            [[ -f $TMP/peer.py ]] || write_peer
            bg_server "$name-srv" "${NP_IN_SRV[@]}" "$PY" "$TMP/peer.py" server-rst "$NP_SRV_IP" 443
            wait_listen 443 tcp "$NP_SRV"
            client "$name-cli" "${NP_IN_CLI[@]}" openssl s_client -CAfile "$CA" \
                -connect "$NP_SRV_IP:443" -servername blocked.example </dev/null
            ;;
    esac
    disturbed_end "$name"
}

# One function per capture, scenario_disturbed_<...>, as make-captures.sh
# expects.
for _v in tls13 tls12; do
    for _s in openssl gnutls; do
        for _d in ok reorder dup drop loss; do
            eval "scenario_disturbed_${_v}_${_s}_${_d}() { disturbed_success $_v $_s $_d; }"
            ALL+=("disturbed-$_v-$_s-$_d")
        done
    done
done
# The relay's IPv6 path, once.
scenario_disturbed_tls13_openssl_reorder_ipv6() { disturbed_success tls13 openssl reorder ipv6; }
ALL+=(disturbed-tls13-openssl-reorder-ipv6)
for _k in cipher-mismatch reset-after-client-hello; do
    for _d in ok hello-drop hello-dup; do
        eval "scenario_disturbed_${_k//-/_}_${_d//-/_}() { disturbed_failure $_k $_d; }"
        ALL+=("disturbed-$_k-$_d")
    done
done
unset _v _s _d _k
