# shellcheck shell=bash
# Scenarios with Erlang/OTP's TLS stack (OTP 25, the ssl application 10.8
# of Debian 12's erlang-base, erlang-ssl, erlang-public-key and
# erlang-crypto) for make-captures.sh (sourced by it; uses its helpers and
# those of scenarios-healthy.sh).
#
# The peer is a small Erlang module written to $TMP/erlang and compiled
# there with erlc, like the Java peer of scenarios-java.sh; it reads the
# run's throwaway PKI (PEM files) directly.  Erlang writes no key log here:
# a capture's .keys file comes from its OpenSSL (and GnuTLS, curl, Python)
# peers.  Seen with this stack: an Erlang server sends no session tickets
# (none by default); the Erlang TLS 1.3 client that refuses a certificate
# sends no ChangeCipherSpec, only its encrypted alert; an Erlang server
# requiring a client certificate refuses with certificate_required (116) in
# TLS 1.3, bad_certificate (42) for a certificate it does not trust, and
# handshake_failure (40) in TLS 1.2; when the client has already closed,
# its alert may not reach the wire (only its FIN).  An Erlang peer answers
# the other's close_notify with none of its own, only with its FIN once
# the other has sent one.
#
#   erlang-cert-refused          the Erlang client refuses s_server's
#                                certificate: unknown CA (TLS 1.3, 1.2),
#                                wrong name (TLS 1.3), unknown CA from the
#                                client port 44818 (EtherNet/IP's)
#   erlang-client-cert-required  an Erlang server requiring a client
#                                certificate; s_client and gnutls-cli send
#                                none, a self-signed one, or one from the
#                                run's CA (accepted)
#   healthy-erlang               (healthy framework) successful handshakes
#                                of Erlang with OpenSSL, GnuTLS, nginx,
#                                curl, Python and itself

EDIR=$TMP/erlang
# No erl_crash.dump in the working directory if the peer dies.
EPEER=(env ERL_CRASH_DUMP_SECONDS=0 erl -noshell -pa "$EDIR" -run erlpeer main)

write_erlang_peer() {
    mkdir -p "$EDIR"
    cat >"$EDIR/erlpeer.erl" <<'ERLEOF'
%% Erlang/OTP ssl peers for captures/scenarios-erlang.sh.
%%
%%   erlpeer server PORT CERT KEY VERSIONS need|none CA N
%%       listen on 127.0.0.1:PORT; accept N connections one after the
%%       other; each: handshake (need: verify_peer, fail_if_no_peer_cert,
%%       trusting CA), then answer each line with "echo: LINE"; a request
%%       line "GET ..." gets, after its headers, a minimal HTTP/1.0 200 and
%%       the server closes (close_notify); otherwise it closes when the
%%       client does.
%%   erlpeer client HOST PORT CA SNI VERSIONS line|http|none N [OPT=VALUE...]
%%       N connections, one after the other; each: handshake (verify_peer
%%       against CA, SNI as given, which the host-name check uses too);
%%       line: one line, its answer, close; http: "GET /", read the answer
%%       until the server closes; none: close right after the handshake.
%%       OPTs: sport=PORT (bind the client's source port), cert=CERT,KEY.
%%
%% VERSIONS: comma-separated ssl names (tlsv1.3,tlsv1.2).  Every line of
%% output begins "server I:" or "client I:".
-module(erlpeer).
-export([main/1]).

main(Args) ->
    try run(Args)
    catch C:R -> say("crashed: ~p:~p", [C, R])
    end,
    timer:sleep(100),
    erlang:halt(0).

run(["server", Port, Cert, Key, Vs, Need, Ca, N]) ->
    {ok, _} = application:ensure_all_started(ssl),
    Verify = case Need of
                 "need" -> [{verify, verify_peer}, {fail_if_no_peer_cert, true}, {cacertfile, Ca}];
                 _ -> [{verify, verify_none}]
             end,
    {ok, L} = ssl:listen(list_to_integer(Port),
                         [{ip, {127, 0, 0, 1}}, {reuseaddr, true}, {certfile, Cert}, {keyfile, Key},
                          {versions, versions(Vs)}, {mode, binary}, {packet, line}, {active, false}
                          | Verify]),
    say("server listening on 127.0.0.1:~s", [Port]),
    server(L, 1, list_to_integer(N));
run(["client", Host, Port, Ca, Sni, Vs, Mode, N | Opts]) ->
    {ok, _} = application:ensure_all_started(ssl),
    Extra = lists:append([opt(O) || O <- Opts]),
    Base = [{versions, versions(Vs)}, {verify, verify_peer}, {cacertfile, Ca},
            {server_name_indication, case Sni of "none" -> disable; _ -> Sni end},
            {mode, binary}, {packet, line}, {active, false} | Extra],
    [client(I, Host, list_to_integer(Port), Base, Sni, Mode) || I <- lists:seq(1, list_to_integer(N))];
run(_) ->
    say("usage: see the comment at the top of erlpeer.erl", []).

versions(Vs) -> [list_to_atom(V) || V <- string:tokens(Vs, ",")].

opt("sport=" ++ P) -> [{port, list_to_integer(P)}, {reuseaddr, true}];
opt("cert=" ++ CK) -> [C, K] = string:tokens(CK, ","), [{certfile, C}, {keyfile, K}].

say(F, A) -> io:format(F ++ "~n", A).

%% one line: {tls_alert, {Name, Text}} as "alert Name (first line of Text)"
reason({tls_alert, {Name, Text}}) ->
    [First | _] = string:split(Text, "\n"),
    io_lib:format("alert ~p (~s)", [Name, First]);
reason(R) ->
    re:replace(io_lib:format("~p", [R]), "\\s+", " ", [global, {return, list}]).

describe(S) ->
    {ok, I} = ssl:connection_information(S, [protocol, selected_cipher_suite]),
    #{cipher := C} = proplists:get_value(selected_cipher_suite, I),
    io_lib:format("~s ~s", [proplists:get_value(protocol, I), C]).

server(_, I, N) when I > N -> ok;
server(L, I, N) ->
    case ssl:transport_accept(L, 20000) of
        {ok, T} ->
            case ssl:handshake(T, 10000) of
                {ok, S} ->
                    say("server ~b: handshake OK: ~s", [I, describe(S)]),
                    serve(I, S);
                {error, E} ->
                    say("server ~b: handshake failed: ~s", [I, reason(E)])
            end;
        {error, E} ->
            say("server ~b: accept failed: ~s", [I, reason(E)])
    end,
    server(L, I + 1, N).

serve(I, S) ->
    case ssl:recv(S, 0, 10000) of
        {ok, <<"GET ", _/binary>> = Line} ->
            say("server ~b: got: ~s", [I, string:trim(Line)]),
            headers(S),
            Body = io_lib:format("hello from erlang ~s~n", [proto(S)]),
            ssl:send(S, ["HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ",
                         integer_to_list(iolist_size(Body)), "\r\nConnection: close\r\n\r\n", Body]),
            ssl:close(S),
            say("server ~b: answered the GET, closed", [I]);
        {ok, Line} ->
            say("server ~b: got: ~s", [I, string:trim(Line)]),
            ssl:send(S, ["echo: ", Line]),
            serve(I, S);
        {error, closed} ->
            ssl:close(S),
            say("server ~b: client closed, closed", [I]);
        {error, E} ->
            ssl:close(S),
            say("server ~b: ~s", [I, reason(E)])
    end.

headers(S) ->
    case ssl:recv(S, 0, 5000) of
        {ok, <<"\r\n">>} -> ok;
        {ok, <<"\n">>} -> ok;
        {ok, _} -> headers(S);
        _ -> ok
    end.

proto(S) ->
    {ok, [{protocol, P}]} = ssl:connection_information(S, [protocol]),
    P.

client(I, Host, Port, Opts, Sni, Mode) ->
    case ssl:connect(Host, Port, Opts, 10000) of
        {ok, S} ->
            say("client ~b: handshake OK: ~s", [I, describe(S)]),
            talk(I, S, Sni, Mode);
        {error, E} ->
            say("client ~b: handshake failed: ~s", [I, reason(E)])
    end.

talk(I, S, _, "none") ->
    ssl:close(S),
    say("client ~b: closed", [I]);
talk(I, S, _, "line") ->
    ssl:send(S, io_lib:format("hello from erlang ~b~n", [I])),
    case ssl:recv(S, 0, 5000) of
        {ok, Line} -> say("client ~b: got: ~s", [I, string:trim(Line)]);
        {error, E} -> say("client ~b: ~s", [I, reason(E)])
    end,
    ssl:close(S),
    say("client ~b: closed", [I]);
talk(I, S, Sni, "http") ->
    ssl:send(S, ["GET / HTTP/1.1\r\nHost: ", Sni, "\r\nConnection: close\r\n\r\n"]),
    read_all(I, S).

read_all(I, S) ->
    case ssl:recv(S, 0, 5000) of
        {ok, Line} -> say("client ~b: got: ~s", [I, string:trim(Line)]), read_all(I, S);
        {error, closed} -> ssl:close(S), say("client ~b: server closed", [I]);
        {error, E} -> ssl:close(S), say("client ~b: ~s", [I, reason(E)])
    end.
ERLEOF
}

# The Python client of healthy-erlang: the Erlang server answers close_notify
# with none of its own (it waits for the client's FIN), so healthy-peer.py's
# line client, which waits for one, cannot be used; this one sends a GET,
# which the server answers and closes.
write_erlang_py() {
    cat >"$EDIR/get.py" <<'PYEOF'
"""get.py HOST PORT CA KEYLOG PATH: TLS 1.3, "GET PATH HTTP/1.0", read until
the server's close_notify, close without one."""
import sys
import peerlib
host, port, ca, keylog, path = sys.argv[1:6]
peerlib.https_get(host, port, ca, "tls13", keylog, path, reply_close=False)
PYEOF
}

# erlang_setup: the peer, compiled, and the client certificates (once per
# run): client.pem from the run's CA, self.pem self-signed.
erlang_setup() {
    [[ -f $EDIR/erlpeer.beam ]] && return 0
    make_other_ca
    write_erlang_peer
    write_erlang_py
    erlc -o "$EDIR" "$EDIR/erlpeer.erl"
    issue_leaf "$EDIR" client "/CN=tlsdiag erlang client" "basicConstraints=CA:FALSE" \
        "keyUsage=critical,digitalSignature" "extendedKeyUsage=clientAuth"
    openssl req -x509 -newkey rsa:2048 -sha256 -days 3650 -nodes -keyout "$EDIR/self.key" \
        -out "$EDIR/self.pem" -subj "/CN=tlsdiag self-signed client" \
        -addext "extendedKeyUsage=clientAuth" 2>/dev/null
}

# ------------------------------------------------------------ failures ---

# e_refuse LABEL KEYS CA SNI VERSION [OPT...]: s_server (srv-LABEL, one
# connection, VERSION only, its key log appended to KEYS) on 127.0.0.1:443
# and the Erlang client (cli-LABEL, a line if the handshake succeeded).
e_refuse() {
    local label=$1 keys=$2 ca=$3 sni=$4 v=$5; shift 5
    s_server "srv-$label" -accept 127.0.0.1:443 -naccept 1 "-tls1_${v#tlsv1.}" -keylogfile "$keys"
    wait_listen 443
    client "cli-$label" "${EPEER[@]}" client 127.0.0.1 443 "$ca" "$sni" "$v" line 1 "$@"
    stop_servers
    wait_free 443
}

# The Erlang client refuses openssl s_server's certificate four times, one
# s_server (-naccept 1) each, its key log: (a) TLS 1.3, trusting only an
# unrelated CA: unknown_ca; (b) the same in TLS 1.2: a plaintext unknown_ca;
# (c) TLS 1.3, trusting the CA but with SNI other.example (the certificate
# is for good.example): handshake_failure (hostname_check_failed); (d) as
# (a) from the client port 44818, EtherNet/IP's (ENIP).  Wireshark 4.0 tries
# the lower port's dissector first, so with the server on 443 it still reads
# that connection as TLS (no ENIP in it).
scenario_erlang_cert_refused() {
    local name=erlang-cert-refused keys other=$TMP/pki/other-ca.pem p
    erlang_setup
    keys=$(keylog_path $name)
    start_capture $name 443
    e_refuse untrusted13 "$keys" "$other" good.example tlsv1.3
    e_refuse untrusted12 "$keys" "$other" good.example tlsv1.2
    e_refuse name13 "$keys" "$CA" other.example tlsv1.3
    e_refuse enip "$keys" "$other" good.example tlsv1.3 sport=44818
    stop_capture
    keylog_done $name
    log_expect cli-untrusted13 '^client 1: handshake failed: alert unknown_ca'
    log_expect cli-untrusted12 '^client 1: handshake failed: alert unknown_ca'
    log_expect cli-name13 '^client 1: handshake failed: alert handshake_failure'
    log_expect cli-name13 'hostname_check_failed'
    log_expect cli-enip '^client 1: handshake failed: alert unknown_ca'
    log_expect srv-untrusted13 'alert unknown ca'
    log_expect srv-untrusted12 'alert unknown ca'
    log_expect srv-name13 'alert handshake failure'
    log_expect srv-enip 'alert unknown ca'
    # Wireshark 4.0 tries the lower port first: 443, so the connection from
    # 44818 is read as TLS too, with no ENIP in it.
    capture_want "ClientHellos" "$(capture_fields 'tls.handshake.type == 1' frame.number | wc -w)" 4
    capture_want "ClientHellos from 44818" \
        "$(capture_fields 'tls.handshake.type == 1 && tcp.srcport == 44818' tcp.srcport)" 44818
    capture_want "ENIP frames" "$(capture_fields 'enip' frame.number)" ""
    # No ChangeCipherSpec from the client; its alerts, read with the key log.
    capture_want "client CCS" "$(capture_fields 'tcp.dstport == 443 && tls.record.content_type == 20' frame.number \
        "$keys")" ""
    p=$(capture_fields 'tcp.dstport == 443 && tls.alert_message' tls.alert_message.desc "$keys")
    capture_want "client alerts (with the key log)" "$p" "48 48 40 48"
}

# An Erlang server (TLS 1.2 and 1.3, verify_peer, fail_if_no_peer_cert,
# trusting the run's CA; one connection after the other) and six clients:
# s_client TLS 1.3 without a certificate, stdin held open 1 s; the same
# with stdin at EOF (it closes right after its Finished); s_client TLS 1.3
# with a self-signed certificate, closing at once; s_client TLS 1.2
# without a certificate (stdin held open); gnutls-cli TLS 1.3 only without
# a certificate (stdin held open); s_client TLS 1.3 with a certificate from
# the run's CA (accepted), closing at once.  The server logs each
# connection ("handshake OK", or "handshake failed: alert NAME").  Key log:
# s_client's and gnutls-cli's.
scenario_erlang_client_cert_required() {
    local name=erlang-client-cert-required keys
    erlang_setup
    keys=$(keylog_path $name)
    start_capture $name 443
    bg_server srv "${EPEER[@]}" server 443 "$CERT" "$KEY" tlsv1.3,tlsv1.2 need "$CA" 6
    wait_listen 443
    sleep 1 | timeout 10 openssl s_client -CAfile "$CA" -connect 127.0.0.1:443 -servername good.example \
        -tls1_3 -keylogfile "$keys" >"$TMP/cli-openssl13.log" 2>&1 || true
    client cli-openssl13-eof openssl s_client -CAfile "$CA" -connect 127.0.0.1:443 \
        -servername good.example -tls1_3 -keylogfile "$keys" </dev/null
    client cli-openssl13-self openssl s_client -CAfile "$CA" -connect 127.0.0.1:443 \
        -servername good.example -tls1_3 -keylogfile "$keys" -cert "$EDIR/self.pem" -key "$EDIR/self.key" </dev/null
    sleep 1 | timeout 10 openssl s_client -CAfile "$CA" -connect 127.0.0.1:443 -servername good.example \
        -tls1_2 -keylogfile "$keys" >"$TMP/cli-openssl12.log" 2>&1 || true
    sleep 1 | SSLKEYLOGFILE=$keys timeout 10 gnutls-cli -p 443 --x509cafile "$CA" \
        --sni-hostname good.example --verify-hostname good.example \
        --priority NORMAL:-VERS-ALL:+VERS-TLS1.3 127.0.0.1 >"$TMP/cli-gnutls13.log" 2>&1 || true
    client cli-openssl13-cert openssl s_client -CAfile "$CA" -connect 127.0.0.1:443 \
        -servername good.example -tls1_3 -keylogfile "$keys" -cert "$EDIR/client.pem" -key "$EDIR/client.key" </dev/null
    stop_capture
    keylog_done $name
    sed 's/^/    srv: /' "$TMP/srv.log" | grep -E 'srv: server [0-9]' || true
    log_expect srv '^server 1: handshake failed: alert certificate_required'
    log_expect srv '^server 3: handshake failed: alert bad_certificate'
    log_expect srv '^server 4: handshake failed: alert handshake_failure'
    log_expect srv '^server 6: handshake OK: tlsv1\.3'
    log_expect cli-openssl13 'alert certificate required'
    log_expect cli-openssl12 'alert handshake failure'
    log_expect cli-openssl13-cert '^New, TLSv1\.3'
    log_expect cli-gnutls13 'TLS1\.3'
    capture_want "ClientHellos" "$(capture_fields 'tls.handshake.type == 1' frame.number | wc -w)" 6
    # The server's alerts, read with the key log, where the client waited
    # (streams 0, 3, 4) and where it was accepted (5).  Streams 1 and 2
    # (the client closed at once) vary: seen here, only the server's FIN.
    capture_want "server alerts in streams 0, 3, 4 (with the key log)" \
        "$(capture_fields 'tcp.srcport == 443 && tls.alert_message && tcp.stream in {0,3,4}' \
            tls.alert_message.desc "$keys")" "116 40 116"
    capture_want "server alerts in stream 5 (with the key log)" \
        "$(capture_fields 'tcp.srcport == 443 && tls.alert_message && tcp.stream == 5' tls.alert_message.desc \
            "$keys")" ""
    log "server alerts in streams 1, 2 (with the key log):" \
        "$(capture_fields 'tcp.srcport == 443 && tls.alert_message && tcp.stream in {1,2}' \
            tls.alert_message.desc "$keys")"
}

# ------------------------------------------------------------- healthy ---

# e_client LOGNAME VERSION MODE [OPT...]: the Erlang client (SNI
# good.example, verified) to 127.0.0.1:HP, one connection; it must succeed.
e_client() {
    local logname=$1 v=$2 mode=$3; shift 3
    client "$logname" "${EPEER[@]}" client 127.0.0.1 "$HP" "$CA" good.example "$v" "$mode" 1 "$@"
    h_expect "$logname" 1 "^client 1: handshake OK: ${v//./\\.} "
}

# e_sline LOGNAME V: s_client (TLS 1.V, key log) sending one line to the
# Erlang server; it must succeed and get the echo.
e_sline() {
    local logname=$1 v=$2
    s_client_line "$logname" -connect "127.0.0.1:$HP" -servername good.example "-tls1_$v" -keylogfile "$HK"
    h_expect "$logname" 1 "^New, TLSv1\\.$v, Cipher is [A-Z]"
    h_expect "$logname" 1 'Verify return code: 0 \(ok\)'
    h_expect "$logname" 1 "echo: hello from $logname$"
}

# 24. Erlang/OTP 25's ssl: the Erlang client (a line, or a GET to nginx)
# against s_server -rev (TLS 1.3, 1.2), gnutls-serv --echo (TLS 1.3; it
# asks for a client certificate, the client sends none) and nginx (TLS
# 1.3); the Erlang server (no client certificate, no tickets) with
# s_client (a line; TLS 1.3, 1.2), gnutls-cli (TLS 1.3, stdin at EOF: its
# Finished and close_notify in one segment), curl (a GET; TLS 1.3, 1.2),
# Python ssl (a line, TLS 1.3) and the Erlang client (a line; TLS 1.3,
# 1.2).  Key log from every peer but Erlang.
h_shape_erlang() {
    local v
    erlang_setup
    s_server erl-ossl-srv -accept "127.0.0.1:$HP" -naccept 2 -keylogfile "$HK"
    wait_listen "$HP"
    for v in 1.3 1.2; do
        e_client "erl-ossl-$v" "tlsv$v" line
        h_expect "erl-ossl-$v" 1 '^client 1: got: 1 gnalre morf olleh$'
    done
    h_stop
    h_gnutls_serv erl-gnutls-srv --echo --priority "$(gnutls_prio 1.3)"
    e_client erl-gnutls-1.3 tlsv1.3 line
    h_expect erl-gnutls-1.3 1 '^client 1: got: hello from erlang 1$'
    h_stop
    h_nginx erl-nginx
    e_client erl-nginx-1.3 tlsv1.3 http
    h_expect erl-nginx-1.3 1 '^client 1: got: hello from nginx TLSv1\.3 HTTP/1\.1 / '
    h_expect erl-nginx-1.3 1 '^client 1: server closed$'
    h_stop

    h_server erl-srv "${EPEER[@]}" server "$HP" "$CERT" "$KEY" tlsv1.3,tlsv1.2 none "$CA" 8
    wait_listen "$HP"
    for v in 3 2; do
        e_sline "erl-srv-sclient-1.$v" "$v"
    done
    SSLKEYLOGFILE=$HK client erl-srv-gnutls-1.3 gnutls-cli --x509cafile="$CA" -p "$HP" \
        --sni-hostname=good.example --verify-hostname=good.example \
        --priority "$(gnutls_prio 1.3)" 127.0.0.1 </dev/null
    h_expect erl-srv-gnutls-1.3 1 'Description: \(TLS1\.3-X\.509\)'
    h_expect erl-srv-gnutls-1.3 1 'Handshake was completed'
    for v in 1.3 1.2; do
        SSLKEYLOGFILE=$HK client "erl-srv-curl-$v" curl -sS --cacert "$CA" \
            --resolve "good.example:$HP:127.0.0.1" --tlsv"$v" --tls-max "$v" \
            "https://good.example:$HP/curl-$v"
        h_expect "erl-srv-curl-$v" 1 "^hello from erlang tlsv$v$"
    done
    client erl-srv-py "$PY" "$EDIR/get.py" 127.0.0.1 "$HP" "$CA" "$HK" /python
    h_expect erl-srv-py 1 '^client handshake OK: TLSv1\.3'
    h_expect erl-srv-py 1 '^client got: HTTP/1\.0 200 OK'
    h_expect erl-srv-py 1 '^client: the server closed \(close_notify\)'
    for v in 1.3 1.2; do
        e_client "erl-erl-$v" "tlsv$v" line
        h_expect "erl-erl-$v" 1 '^client 1: got: echo: hello from erlang 1$'
    done
    h_stop
    h_expect erl-srv 8 '^server [0-9]: handshake OK: tlsv1\.[23] '
    h_expect erl-srv 5 '^server [0-9]: client closed, closed$'
    h_expect erl-srv 3 '^server [0-9]: answered the GET, closed$'
    # gnutls-cli's Finished and close_notify in one frame (read with keys).
    h_check 1 1 'tls.handshake.type == 20 && tls.alert_message.desc == 0'
    # The Erlang server sends no tickets (streams 4-11, read with keys):
    # the only NewSessionTickets are s_server's and gnutls-serv's (0-3).
    h_check '=0' 1 'tcp.stream >= 4 && tls.handshake.type == 4'
    h_check 1 1 'tcp.stream < 4 && tls.handshake.type == 4'
}

scenario_healthy_erlang() { healthy erlang erlang; }

ALL+=(erlang-cert-refused erlang-client-cert-required healthy-erlang)
