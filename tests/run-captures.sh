#!/bin/bash
# Run the built tlsdiag plugin through tshark on every bundled capture and
# compare its fields with the hand-written expectations in tests/expected/.
#
#   tests/run-captures.sh PLUGIN.so             expectations, single pass and -2
#   tests/run-captures.sh --sanitize PLUGIN.so  the same with an ASan/UBSan
#       build of the plugin, plus every capture and fuzzed copies dissected in
#       full: no crash, no sanitizer report.
#
# Wireshark ignores personal plugins when run as root, so as root tshark runs
# as nobody with a private HOME holding the plugin.
set -euo pipefail

sanitize=0
if [ "${1:-}" = "--sanitize" ]; then sanitize=1; shift; fi
plugin=${1:?usage: run-captures.sh [--sanitize] PLUGIN.so}
top=$(cd "$(dirname "$0")/.." && pwd)
captures=$top/captures
expected=$top/tests/expected

work=$(mktemp -d /tmp/tlsdiag-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
ver=$(tshark --version | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
plugdir=$work/home/.local/lib/wireshark/plugins/$ver/epan
mkdir -p "$plugdir" "$work/cap"
cp "$plugin" "$plugdir/tlsdiag.so"
cp "$captures"/*.pcap "$captures"/*.keys "$work/cap/"

# Captures derived from the bundled ones (tests/derived.tsv).
"$top/tests/derived.sh" "$work/cap"

run=(env "HOME=$work/home")
if [ "$(id -u)" = 0 ]; then
    chown -R 65534:65534 "$work"
    run=(setpriv --reuid=65534 --regid=65534 --clear-groups env "HOME=$work/home")
fi
if [ $sanitize = 1 ]; then
    # tshark itself is not instrumented: preload the runtimes for the plugin.
    run+=("LD_PRELOAD=$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
          "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:log_path=$work/san"
          "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$work/san")
fi
chmod -R a+rX "$work"

tshark_as_user() { (cd "$work/cap" && "${run[@]}" tshark "$@"); }

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

# (tshark -G hangs with the sanitizer runtimes preloaded: ask the plugin itself.)
if tshark_as_user -r inappropriate-fallback.pcap -Y tlsdiag.cause -T fields -e tlsdiag.cause 2>/dev/null |
        grep -qx inappropriate_fallback; then
    pass "tshark loads the plugin and it diagnoses"
else
    fail "tshark loads the plugin and it diagnoses"
fi

if [ $sanitize = 0 ]; then
    # tshark 4.0 prints booleans as 1/0, 4.4 and later as True/False: the
    # expectations use 1/0 (a formatting change, not a dissector one).
    booleans_as_digits() { sed -E ':a; s/(^|[\t,])True([\t,]|$)/\11\2/; s/(^|[\t,])False([\t,]|$)/\10\2/; ta'; }

    # An expectation file may name its own columns ("# fields: a b c") and
    # tshark options ("# options: -o tls.keylog_file:NAME.keys").
    default_fields="frame.number tlsdiag.handshake_frame tlsdiag.outcome tlsdiag.cause"
    # X.Y/NAME.tsv: NAME's expectation from Wireshark X.Y on, where that
    # version dissects the capture differently (written by hand from its
    # dissection); the newest such X.Y not above the running version wins.
    for_version() {
        local best=$1 v
        for v in $(for d in "$expected"/[0-9]*.[0-9]*; do [ -d "$d" ] && basename "$d"; done | sort -V); do
            [ "$(printf '%s\n' "$v" "$ver" | sort -V | head -n 1)" = "$v" ] &&
                [ -f "$expected/$v/$(basename "$1")" ] && best=$expected/$v/$(basename "$1")
        done
        echo "$best"
    }
    # NAME@VARIANT.tsv: another expectation for NAME.pcap (other options).
    for exp in "$expected"/*.tsv; do
        name=$(basename "$exp" .tsv)
        exp=$(for_version "$exp")
        pcap=${name%%@*}
        fields=$(sed -n 's/^# fields: //p' "$exp")
        read -ra options <<< "$(sed -n 's/^# options: //p' "$exp")"
        cols=()
        for f in ${fields:-$default_fields}; do cols+=(-e "$f"); done
        for pass_no in 1 2; do
            opt=("${options[@]}"); [ $pass_no = 2 ] && opt+=(-2)
            got=$(tshark_as_user "${opt[@]}" -r "$pcap.pcap" -Y tlsdiag \
                    -T fields -E aggregator=, "${cols[@]}" 2>"$work/err" |
                    sed "s/^/$pass_no\t/" | booleans_as_digits) || true
            want=$(grep "^$pass_no	" "$exp" || true)
            if [ "$got" = "$want" ] && [ ! -s "$work/err" ]; then
                pass "$name (pass $pass_no)"
            else
                fail "$name (pass $pass_no)"
                diff <(echo "$want") <(echo "$got") | sed 's/^/     /' || true
                sed 's/^/     stderr: /' "$work/err"
            fi
        done
    done
    # The statistics tree (tshark -z tlsdiag,tree) against hand counts in
    # tests/expected-stats/NAME.txt ("item<TAB>count", as tests/stats-tree.sh
    # prints the tree).
    stats_items() { tshark_as_user -q "$@" -z tlsdiag,tree 2>"$work/err" | "$top/tests/stats-tree.sh"; }
    # NAME@VARIANT.txt and "# options:" as for tests/expected/.
    for exp in "$top"/tests/expected-stats/*.txt; do
        name=$(basename "$exp" .txt)
        read -ra options <<< "$(sed -n 's/^# options: //p' "$exp")"
        for opt in "" "-2"; do
            # shellcheck disable=SC2086
            got=$(stats_items "${options[@]}" $opt -r "${name%%@*}.pcap")
            if [ "$got" = "$(grep -v '^#' "$exp" | sort)" ] && [ ! -s "$work/err" ]; then
                pass "statistics: $name ${opt:-(single pass)}"
            else
                fail "statistics: $name ${opt:-(single pass)}"
                diff <(grep -v '^#' "$exp" | sort) <(echo "$got") | sed 's/^/     /' || true
            fi
        done
    done

    # The healthy corpus (captures/healthy-*.pcap): every handshake in it
    # succeeded for real, so the expectation is simple: each ClientHello ends
    # established (or abandoned, by a client that did not wait), none failed,
    # no tlsdiag expert info of error severity. Single pass and -2, with
    # Wireshark's default preferences and with out-of-order reassembly, with
    # and without the key log.
    for pcap in "$captures"/healthy-*.pcap; do
        [ -e "$pcap" ] || continue
        name=$(basename "$pcap" .pcap)
        keyopts=("")
        [ -f "$captures/$name.keys" ] && keyopts+=("-o tls.keylog_file:$name.keys")
        for keyopt in "${keyopts[@]}"; do
            for prefs in "" "-o tcp.reassemble_out_of_order:TRUE"; do
                what="healthy: $name${keyopt:+ (key log)}${prefs:+ (out-of-order reassembly)}"
                # Handshakes: ClientHellos counted once per connection or UDP conversation
                # and client random (a HelloRetryRequest's second hello keeps the random, a
                # DTLS cookie exchange's too; a retransmission is the same hello). DTLS's in
                # epoch 0 only: an association begins in plaintext, and a renegotiation read
                # with the key log is not judged. Also a connection Wireshark did not decode:
                # a payload that starts with its record header (not a copy TCP sent
                # again, which Wireshark does not decode).
                # shellcheck disable=SC2086
                hellos=$(tshark_as_user $keyopt $prefs -r "$name.pcap" -Y 'tls.handshake.type == 1 ||
                            (dtls.handshake.type == 1 && dtls.record.epoch == 0) ||
                            (tcp.payload[0:2] == 16:03 && tcp.payload[5] == 01 && !tcp.analysis.retransmission)' \
                            -T fields -e tcp.stream -e udp.stream -e tls.handshake.random -e dtls.handshake.random \
                            2>/dev/null | sort -u | wc -l)
                # shellcheck disable=SC2086
                bad=$(tshark_as_user $keyopt $prefs -2 -r "$name.pcap" -Y 'tlsdiag.handshake_frame == frame.number' \
                        -T fields -e frame.number -e tlsdiag.outcome -e tlsdiag.cause 2>"$work/err" |
                      awk -F'\t' '$2 != "established" && $2 != "abandoned"')
                # shellcheck disable=SC2086
                judged=$(tshark_as_user $keyopt $prefs -2 -r "$name.pcap" -Y 'tlsdiag.handshake_frame == frame.number' \
                            -T fields -e frame.number 2>/dev/null | wc -l)
                # shellcheck disable=SC2086
                single=$(tshark_as_user $keyopt $prefs -r "$name.pcap" -Y 'tlsdiag.outcome == "failed"' \
                            -T fields -e frame.number 2>/dev/null | wc -l)
                errors=0
                for opt in "" "-2"; do
                    # shellcheck disable=SC2086
                    errors=$((errors + $(tshark_as_user $keyopt $prefs $opt -q -r "$name.pcap" -z expert,error \
                                           2>/dev/null | grep -c TLSDIAG || true)))
                done
                if [ -z "$bad" ] && [ "$single" = 0 ] && [ "$errors" = 0 ] && [ "$judged" -ge "$hellos" ] &&
                   [ "$hellos" -gt 0 ] && [ ! -s "$work/err" ]; then
                    pass "$what: $judged handshakes, none failed"
                else
                    fail "$what"
                    echo "     ClientHellos (per connection and random) $hellos, handshakes judged $judged," \
                         "failed on a single pass $single, error experts $errors"
                    echo "$bad" | head -5 | sed 's/^/     not established: /'
                    sed 's/^/     stderr: /' "$work/err"
                fi
            done
        done
    done

    # The healthy corpus cut to any snap length (editcap -s, as tcpdump -s
    # records it): no handshake is failed, single pass or -2. Cut frames
    # hide records, never make a failure of a success. From 96 bytes on (a
    # ClientHello's record header and type are kept), every connection's
    # first ClientHello, and every DTLS association's, still begins a judged
    # handshake: a cut hello is a hello whose offer is unknown.
    for pcap in "$captures"/healthy-*.pcap; do
        [ -e "$pcap" ] || continue
        name=$(basename "$pcap" .pcap)
        firsts=$(tshark_as_user -r "$name.pcap" -Y 'tls.handshake.type == 1 ||
                    (dtls.handshake.type == 1 && dtls.record.epoch == 0) ||
                    (tcp.payload[0:2] == 16:03 && tcp.payload[5] == 01)' \
                    -T fields -e tcp.stream -e udp.stream -e dtls.handshake.random 2>/dev/null |
                 awk -F'\t' '$1 != "" { tcp[$1] = 1 } $1 == "" { dtls[$2 " " $3] = 1 }
                             END { print length(tcp) + length(dtls) }')
        failures=""
        for snap in 64 96 128 200 300 400 600 1000 1514; do
            editcap -s "$snap" "$pcap" "$work/cap/$name@s$snap.pcap"
            chmod a+r "$work/cap/$name@s$snap.pcap"
            n=$(tshark_as_user -r "$name@s$snap.pcap" -Y 'tlsdiag.outcome == "failed"' \
                    -T fields -e frame.number 2>/dev/null | wc -l)
            [ "$n" = 0 ] || failures+=" -s $snap: $n frames failed;"
            read -r n judged < <(tshark_as_user -2 -r "$name@s$snap.pcap" -Y 'tlsdiag.outcome' -T fields \
                    -e frame.number -e tlsdiag.handshake_frame -e tlsdiag.outcome 2>/dev/null |
                 awk -F'\t' '$3 == "failed" { n++ } $1 == $2 { j++ } END { print n + 0, j + 0 }')
            [ "$n" = 0 ] || failures+=" -s $snap -2: $n frames failed;"
            [ "$snap" -lt 96 ] || [ "$judged" -ge "$firsts" ] ||
                failures+=" -s $snap -2: $judged handshakes judged, $firsts connections and associations;"
            rm -f "$work/cap/$name@s$snap.pcap"
        done
        if [ -z "$failures" ]; then
            pass "healthy, cut to snap lengths 64 to 1514: $name: none failed, every connection judged"
        else
            fail "healthy, cut to snap lengths 64 to 1514: $name:$failures"
        fi
    done

    # No path, no middlebox: every capture made without a router between
    # client and server (all but captures/scenarios-path.sh's path-*) never
    # names a device on the path as the sender of what ended a handshake.
    claims=""
    for pcap in "$captures"/*.pcap; do
        name=$(basename "$pcap" .pcap)
        case $name in path-*) continue ;; esac
        n=$(tshark_as_user -2 -r "$name.pcap" -Y 'tlsdiag.sender == "path (likely)"' -T fields -e frame.number \
                2>/dev/null | wc -l)
        [ "$n" = 0 ] || claims="$claims $name($n)"
    done
    if [ -z "$claims" ]; then
        pass "no capture without a path between client and server names the path"
    else
        fail "no capture without a path between client and server names the path:$claims"
    fi

    # The profile's filter buttons: each compiles with the plugin loaded, and
    # the path ones find the frames counted by hand (two passes: each failed
    # handshake's ClientHello and its settling frame).
    buttons=$top/profiles/"TLS Diagnostics"/dfilter_buttons
    button() {      # LABEL: its filter, \x22 read as a quote
        awk -F'","' -v l="$1" '$2 == l { gsub(/\\x22/, "\"", $3); print $3 }' "$buttons"
    }
    while IFS= read -r label; do
        if tshark_as_user -r tls12-ok.pcap -Y "$(button "$label")" >/dev/null 2>"$work/button.err" &&
                [ ! -s "$work/button.err" ]; then
            pass "profile button '$label': its filter compiles"
        else
            fail "profile button '$label': its filter compiles: $(head -1 "$work/button.err")"
        fi
    done < <(awk -F'","' '/^"/ { print $2 }' "$buttons")
    for want in "Lost on the path|path-mtu-blackhole-client|24 27 31 35 40 47 52 55 59 62" \
                "Lost on the path|path-silent-drop|27 32" \
                "Lost on the path|large-client-hello-dropped|6 8" \
                "Ended by the path|path-sni-reset-openssl|24 25 29 30" \
                "Lost on the path|path-sni-reset-openssl|"; do
        IFS='|' read -r label capture frames <<<"$want"
        got=$(tshark_as_user -2 -r "$capture.pcap" -Y "$(button "$label")" -T fields -e frame.number 2>/dev/null |
                tr '\n' ' ' | sed 's/ $//')
        if [ "$got" = "$frames" ]; then pass "profile button '$label' on $capture: frames '$frames'"
        else fail "profile button '$label' on $capture: frames '$frames' (got '$got')"; fi
    done

    # Readable in the details pane: tlsdiag's part of `tshark -2 -V` on
    # every capture (with its key log where it has one) has no item cut at
    # Wireshark's 240 characters and no line over 132 characters after its
    # indentation (long texts come as lines under their name).
    wide=""
    for pcap in "$captures"/*.pcap; do
        name=$(basename "$pcap" .pcap)
        keyopt=(); [ -f "$captures/$name.keys" ] && keyopt=(-o "tls.keylog_file:$name.keys")
        n=$(tshark_as_user "${keyopt[@]}" -2 -r "$name.pcap" -Y tlsdiag -V -O tlsdiag 2>/dev/null |
              awk '/^TLS Diagnostics/ { t = 1; next } /^[^ ]/ { t = 0 }
                   t { s = $0; sub(/^ +/, "", s); if (length(s) > 132 || s ~ /truncated\]/) n++ } END { print n + 0 }')
        [ "$n" = 0 ] || wide="$wide $name($n)"
    done
    if [ -z "$wide" ]; then
        pass "details pane: no tlsdiag item cut or over 132 characters"
    else
        fail "details pane: no tlsdiag item cut or over 132 characters:$wide"
    fi

    # Exports for scripts: -T json and -T ek carry every tlsdiag field that
    # -T fields shows, second-pass ones (next attempt, recovered) included.
    all_fields=$(tshark_as_user -G fields 2>/dev/null | awk -F'\t' '$1 == "F" && $3 ~ /^tlsdiag\./ { print $3 }')
    for capture in retry-fallback-recovered path-sni-reset-openssl; do
        cols=(); for f in $all_fields; do cols+=(-e "$f"); done
        shown=$(tshark_as_user -2 -r "$capture.pcap" -Y tlsdiag -T fields -E header=y "${cols[@]}" 2>/dev/null |
                  awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) name[i] = $i; next }
                               { for (i = 1; i <= NF; i++) if ($i != "") seen[name[i]] = 1 }
                               END { for (f in seen) print f }' | sort)
        json=$(tshark_as_user -2 -r "$capture.pcap" -Y tlsdiag -T json -J tlsdiag 2>/dev/null |
                 grep -o '"tlsdiag\.[a-z_.]*":' | tr -d '":' | sort -u || true)
        ek=$(tshark_as_user -2 -r "$capture.pcap" -Y tlsdiag -T ek -J tlsdiag 2>/dev/null |
               grep -o '"tlsdiag_tlsdiag_[a-z_]*":' | sed 's/"tlsdiag_//; s/":$//' | sort -u || true)
        ek_shown=$(echo "$shown" | tr . _)
        if [ "$(echo "$shown" | wc -l)" -ge 12 ] && [ -z "$(comm -23 <(echo "$shown") <(echo "$json"))" ] &&
           [ -z "$(comm -23 <(echo "$ek_shown") <(echo "$ek"))" ]; then
            pass "exports: -T json and -T ek carry every tlsdiag field of $capture (-2)"
        else
            fail "exports: -T json and -T ek carry every tlsdiag field of $capture (-2)"
            echo "     missing from json: $(comm -23 <(echo "$shown") <(echo "$json") | tr '\n' ' ')"
            echo "     missing from ek: $(comm -23 <(echo "$ek_shown") <(echo "$ek") | tr '\n' ' ')"
        fi
    done

    # TCP disorder changes no verdict: each capture in tests/twins.tsv (made
    # over a path that lost, reordered or duplicated segments) gets, handshake
    # by handshake, the outcomes and causes of its undisturbed twin (whose
    # own frame-by-frame expectation is in tests/expected/), with default
    # preferences and with out-of-order reassembly, single pass and -2.
    verdicts() {    # tshark args...: one line per handshake, "outcome causes"
        tshark_as_user "$@" -Y 'tlsdiag.outcome' -T fields -E aggregator=, -e tlsdiag.outcome -e tlsdiag.cause \
            2>"$work/err"
    }
    while IFS=$'\t' read -r disturbed twin; do
        case $disturbed in ''|'#'*) continue ;; esac
        for keys in "" key; do
            [ -n "$keys" ] && [ ! -f "$captures/$twin.keys" ] && continue
            for prefs in "" "-o tcp.reassemble_out_of_order:TRUE"; do
                for opt in "" "-2"; do
                    what="disturbed: $disturbed ${opt:-(single pass)}${prefs:+ (out-of-order reassembly)}${keys:+ (key log)}"
                    kd=(); kt=()
                    [ -n "$keys" ] && kd=(-o "tls.keylog_file:$disturbed.keys") && kt=(-o "tls.keylog_file:$twin.keys")
                    # shellcheck disable=SC2086
                    want=$(verdicts "${kt[@]}" $prefs $opt -r "$twin.pcap")
                    # shellcheck disable=SC2086
                    got=$(verdicts "${kd[@]}" $prefs $opt -r "$disturbed.pcap")
                    if [ -n "$want" ] && [ "$got" = "$want" ] && [ ! -s "$work/err" ]; then
                        pass "$what"
                    else
                        fail "$what"
                        diff <(echo "$want") <(echo "$got") | sed 's/^/     /' || true
                    fi
                done
            done
        done
    done < "$top/tests/twins.tsv"

    # A scanner's run (tests/scans.tsv, read by hand): with the whole
    # capture known, exactly its ClientHellos are named tls_scan, and no
    # retry storm is named for its refused probes.
    while IFS=$'\t' read -r name frames; do
        case $name in ''|'#'*) continue ;; esac
        got=$(tshark_as_user -2 -r "$name.pcap" -Y 'tlsdiag.handshake_frame == frame.number' -T fields \
                -E aggregator=, -e frame.number -e tlsdiag.cause 2>"$work/err" |
                awk -F'\t' '$2 ~ /retry_storm/ { print "storm " $1 } $2 ~ /tls_scan/ { printf "%s ", $1 }')
        if [ "$got" = "$frames " ] && [ ! -s "$work/err" ]; then
            pass "scan: $name"
        else
            fail "scan: $name"
            echo "     want '$frames ', got '$got'"
        fi
    done < "$top/tests/scans.tsv"

    # Preferences: identify clients by the wire address; a zero retry window.
    check_fields() {    # description, expected "frame attempt;...", tshark args...
        local what=$1 want=$2 got; shift 2
        got=$(tshark_as_user "$@" -Y tlsdiag.attempt.number -T fields -e frame.number -e tlsdiag.attempt.number \
                2>/dev/null | tr '\t\n' ' ;')
        if [ "$got" = "$want" ]; then pass "$what"; else fail "$what"; echo "     want '$want', got '$got'"; fi
    }
    check_fields "client_from_proxy off: one chain by the load balancer's address" "6 1;14 2;27 3;39 4;51 5;" \
        -o tlsdiag.client_from_proxy:FALSE -r retry-proxy-v1.pcap
    check_fields "retry_window 0: no chains" "4 1;10 1;20 1;" -o tlsdiag.retry_window:0 -r retry-fallback-recovered.pcap

    # How many tlsdiag expert infos per severity section ("3 Errors;"): -z
    # expert prints identical messages once, with their frequency first.
    expert_sections() {
        tshark_as_user -q "$@" -z expert,chat 2>/dev/null |
            awk '/^[A-Z][a-z]+ \([0-9]+\)$/ { section = $1 } /TLSDIAG/ { n[section] += $1 }
                 END { for (s in n) print n[s], s }' | sort -k2 | awk '{ printf "%s %s;", $1, $2 }'
    }
    check_experts() {   # description, expected sections, tshark args...
        local what=$1 want=$2 got; shift 2
        got=$(expert_sections "$@")
        if [ "$got" = "$want" ]; then pass "$what"; else fail "$what"; echo "     want '$want', got '$got'"; fi
    }
    # Single pass: the catalogue's severity (a benign fallback is a note).
    check_experts "single pass: inappropriate_fallback is a note" "1 Notes;" -r inappropriate-fallback.pcap
    check_experts "single pass: retry failures keep the catalogue's severity" "1 Errors;1 Notes;" \
        -r retry-fallback-recovered.pcap
    # Whole capture known: a failure whose client recovered is a note, one that never did an error.
    check_experts "-2: recovered failures are notes" "2 Notes;" -2 -r retry-fallback-recovered.pcap
    check_experts "-2: failures never recovered are errors" "3 Errors;" -2 -r retry-never-recovers.pcap
    check_experts "-2: behind PROXY, client .2 recovered and .3 did not" "2 Errors;2 Notes;" -2 -r retry-proxy-v2.pcap
    # A ClientHello sent again and again, said before the handshake is over
    # (a single pass): a warning until the capture shows it failed. The
    # capture ends first: with the whole capture known, an error.
    check_experts "single pass: a ClientHello still being sent again is a warning" "4 Warns;" \
        -r path-silent-drop.pcap
    check_experts "-2: a ClientHello sent again until the capture ends is an error" "1 Errors;" \
        -2 -r path-silent-drop.pcap
else
    # Fuzzed copies: fixed seeds so a failure can be replayed.
    for f in "$captures"/*.pcap; do
        for seed in 1 2 3; do
            editcap -E 0.02 --seed "$seed" "$f" "$work/cap/fuzz-$seed-$(basename "$f")" 2>/dev/null
        done
    done
    chmod -R a+r "$work/cap"
    for f in "$work"/cap/*.pcap; do
        name=$(basename "$f")
        # With the key log where there is one: decrypted certificates are read too.
        keys=$(basename "${name#fuzz-[0-9]-}" .pcap).keys
        keyopt=(); [ -f "$work/cap/$keys" ] && keyopt=(-o "tls.keylog_file:$keys")
        ok=1
        for opt in "" "-2"; do
            # shellcheck disable=SC2086
            tshark_as_user "${keyopt[@]}" $opt -r "$name" -V >/dev/null 2>&1 || ok=0
        done
        if [ $ok = 1 ] && ! compgen -G "$work/san*" >/dev/null; then
            pass "sanitized: $name"
        else
            fail "sanitized: $name"
            cat "$work"/san* 2>/dev/null | head -40 | sed 's/^/     /'
            rm -f "$work"/san*
        fi
    done
fi

echo "$passed passed, $failed failed"
[ $failed = 0 ]
