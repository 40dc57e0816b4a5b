#!/usr/bin/env bash
# tlsdiag benchmark (issue 7): what the plugin costs tshark on large captures.
#
#   bench/run.sh [-n REPS] [--no-valgrind] [--explain] [--cmds a,t] [--pin CPU] [SIZE...]
#                                                        default: -n 5 100k 1M, commands a-g
#   bench/run.sh --smoke                                 CI: tiny capture, each command once
#
# For each SIZE, bench/make-capture.sh builds (or reuses) bench/cache/bench-SIZE.pcap
# (handshake-dense); SIZE bulk is bench/cache/bulk.pcap instead, long HTTPS
# downloads with few handshakes, recorded once by bench/capture-bulk.sh (root);
# SIZE healthy is the healthy corpus's bench/cache/healthy-big.pcap (every
# handshake succeeds; `captures/make-captures.sh healthy-big`, root).
# Then REPS rounds run, interleaved, on that same file:
#   (a) tshark -q -r F -Y tls.handshake.type --disable-protocol tlsdiag
#   (b) tshark -q -r F -Y tls.handshake.type
#   (c) tshark -q -r F -Y tlsdiag.cause
#   (d) tshark -q -r F -z tlsdiag,tree
#   (e) tshark -2 -q -r F -Y tlsdiag.cause
#   (t) tshark -q -r F -Y tlsdiag    (issue 16's measure: every frame tlsdiag shows)
#   (f) tshark -q -r F -Y tls.alert_message --disable-protocol tlsdiag
#       (what a user would run instead of the plugin: the alerts alone)
#   (g) ssldump -n -r F, its listing thrown away (another analyser of the same
#       file: every record, alerts included, no causes); where ssldump is
#       installed (tools/deps.sh installs it where the release has it), not
#       in --smoke; it complains on stderr of segments it cannot reassemble,
#       so only its exit status counts
# each under /usr/bin/time -f '%M %U %S' (peak RSS KiB, user s, sys s), the wall
# time read around it in nanoseconds.
# --cmds picks the commands (letters, comma-separated; a and d are always run:
# (a) is the yardstick, (d) the check of the failure count). --pin CPU runs
# every command on that CPU only (taskset): a wall time pinned to one CPU
# moves less on a shared machine. The report's 'wall / (a), paired' is the
# median of each round's own ratio.
# --explain adds
#   (p) tshark -q -r F -Y "tls.handshake.type || <every field tlsdiag reads>" --disable-protocol tlsdiag
# Wireshark's cost of the fields the plugin wants (read from tlsdiag-fields.c),
# without the plugin: (b) − (p) is then the plugin's own work.
# On the first SIZE (BENCH_PROFILE_SIZE to choose; bulk too), unless --no-valgrind:
# callgrind of (b) and (a), massif of (b) and (a) (BENCH_MASSIF=0 skips it).
# The heap the plugin holds per connection: bench/heap.sh SIZE.
# The report (Markdown) is printed and kept with the raw numbers in
# bench/cache/results/RUN/ (BENCH_RESULTS to choose).
#
# The plugin: TLSDIAG_PLUGIN=path/to/tlsdiag.so, or it is built with
#   cmake -S . -B /tmp/bench-build -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build /tmp/bench-build
# Wireshark ignores personal plugins when run as root: as root tshark runs as
# nobody (uid 65534) with a private HOME holding the plugin, as tests/run-captures.sh does.
#
# --smoke: a capture of about 3,000 packets made from the project's captures
# alone (no seed, no root needed to make it); each command once; fails unless
# every command exits 0 with nothing on stderr, (c) finds causes and (d)'s
# tree counts failures. No timing is checked.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
reps=5 smoke=0 valgrind=1 explain=0 sizes=() cmds= pin=()
while [ $# -gt 0 ]; do
    case $1 in
        -n) reps=$2; shift 2 ;;
        --smoke) smoke=1; shift ;;
        --no-valgrind) valgrind=0; shift ;;
        --explain) explain=1; shift ;;
        --cmds) cmds=$2; shift 2 ;;
        --pin) pin=(taskset -c "$2"); shift 2 ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
        *) sizes+=("$1"); shift ;;
    esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(100k 1M)
if [ $smoke = 1 ]; then sizes=(smoke); reps=1; valgrind=0; fi

for c in tshark /usr/bin/time; do
    command -v $c >/dev/null || { echo "run.sh: needs $c (apt-get install tshark time)" >&2; exit 1; }
done
if [ $valgrind = 1 ] && ! command -v valgrind >/dev/null; then
    echo "run.sh: valgrind not installed: skipping the profiles" >&2; valgrind=0
fi

# -- the plugin
plugin=${TLSDIAG_PLUGIN:-}
if [ -z "$plugin" ]; then
    build=${BENCH_BUILD:-/tmp/bench-build}
    cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" --target tlsdiag >/dev/null
    plugin=$build/tlsdiag.so
fi
[ -f "$plugin" ] || { echo "run.sh: no plugin at $plugin" >&2; exit 1; }

work=$(mktemp -d /tmp/tlsdiag-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
ver=$(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
plugdir=$work/home/.local/lib/wireshark/plugins/$ver/epan
mkdir -p "$plugdir" "$work/out"
cp "$plugin" "$plugdir/tlsdiag.so"
run=(env "HOME=$work/home")
if [ "$(id -u)" = 0 ]; then
    chown -R 65534:65534 "$work"
    run=(setpriv --reuid=65534 --regid=65534 --clear-groups env "HOME=$work/home")
fi
chmod -R a+rX "$work"

if [ $smoke = 1 ]; then
    results=$work/results
else
    results=${BENCH_RESULTS:-$here/cache/results/$(date -u +%Y%m%dT%H%M%SZ)}
fi
mkdir -p "$results"

# capture_of SIZE: the capture file of SIZE.
capture_of() {
    case $1 in
        bulk) echo "$here/cache/bulk.pcap" ;;
        healthy) echo "$here/cache/healthy-big.pcap" ;;
        *) echo "$here/cache/bench-$1.pcap" ;;
    esac
}

# make_capture SIZE FILE: build FILE unless it is there (bulk, healthy) or up to date.
make_capture() {
    case $1 in
        bulk) if [ ! -s "$2" ] || [ ! -s "$2.json" ]; then "$here/capture-bulk.sh" "$2"; fi ;;
        healthy)
            [ -s "$2" ] || "$top/captures/make-captures.sh" healthy-big
            # Every handshake of the healthy corpus succeeded (its scenarios check each peer's log).
            [ -s "$2.json" ] || tshark -r "$2" -Y 'tls.handshake.type == 1' -T fields -e tcp.stream 2>/dev/null |
                sort -u | wc -l | {
                    read -r conns
                    printf '{\n "made_by": "captures/make-captures.sh healthy-big",\n "packets": %s,\n' \
                        "$(capinfos -c -M "$2" | sed -n 's/^Number of packets: *//p')"
                    printf ' "tcp_tls_connections": %s,\n "failed": 0\n}\n' "$conns"
                } >"$2.json" ;;
        *) "$here/make-capture.sh" "$1" "$2" ;;
    esac
}

# cmd_args LETTER FILE: command LETTER on FILE (cmd; args: its tshark arguments).
cmd_args() {
    case $1 in
        a) args=(-q -r "$2" -Y tls.handshake.type --disable-protocol tlsdiag) ;;
        b) args=(-q -r "$2" -Y tls.handshake.type) ;;
        c) args=(-q -r "$2" -Y tlsdiag.cause) ;;
        d) args=(-q -r "$2" -z tlsdiag,tree) ;;
        e) args=(-2 -q -r "$2" -Y tlsdiag.cause) ;;
        f) args=(-q -r "$2" -Y tls.alert_message --disable-protocol tlsdiag) ;;
        t) args=(-q -r "$2" -Y tlsdiag) ;;
        p) args=(-q -r "$2" -Y "tls.handshake.type || $wanted" --disable-protocol tlsdiag) ;;
    esac
    cmd=(tshark "${args[@]}")
    [ "$1" != g ] || cmd=(ssldump -n -r "$2")
}
letters=(a b c d e f)
if [ $smoke = 0 ] && command -v ssldump >/dev/null; then letters+=(g); fi
if [ -n "$cmds" ]; then
    letters=(a d)
    for l in ${cmds//,/ }; do
        case $l in
            a|d) ;;
            [bcefgt]) letters+=("$l") ;;
            *) echo "run.sh: --cmds: no command $l (a-g, t)" >&2; exit 2 ;;
        esac
    done
fi
if [ $explain = 1 ]; then
    letters+=(p)
    # Only the names this tshark registers: it refuses a filter naming another
    # (4.0 has no tls.ssl2.handshake.type; its SSLv2 type is a twin of tls.handshake.type).
    wanted=$(sed -n '/field_names\[F_COUNT\] = {/,/^};/p' "$top/tlsdiag-fields.c" | grep -o '"[a-zA-Z0-9_.]*"' |
             tr -d '"' | grep -Fxf <(tshark -G fields 2>/dev/null | cut -f3) | paste -sd' ' | sed 's/ / || /g')
    [ -n "$wanted" ] || { echo "run.sh: no field list in tlsdiag-fields.c" >&2; exit 1; }
    echo "$wanted" | sed 's/ || /\n/g' >"$results/wanted-fields.txt"
fi
failures=0

# -- machine
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc: $(nproc)"
    echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sort | uniq -c | sed 's/^ *//')"
    echo "memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "kernel: $(uname -r)"
    echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "tshark: $(tshark --version 2>/dev/null | head -1)"
    echo "plugin: $plugin ($(sha256sum "$plugin" | cut -c1-16))"
    echo "git: $(git -C "$top" rev-parse --short HEAD 2>/dev/null)$(git -C "$top" diff --quiet 2>/dev/null || echo ' (work tree modified)')"
    echo "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$results/machine.txt"

for size in "${sizes[@]}"; do
    if [ $smoke = 1 ]; then
        f=$work/smoke.pcap
        BENCH_NO_SEED=1 "$here/make-capture.sh" 3000 "$f"
    else
        f=$(capture_of "$size")
        t0=$(date +%s.%N)
        make_capture "$size" "$f"
        awk -v s="$t0" -v e="$(date +%s.%N)" -v z="$size" 'BEGIN { printf "capture %s: %.1f s\n", z, e - s }' \
            >>"$results/steps.txt"
    fi
    cp "$f.json" "$results/$size.json"
    raw=$results/raw-$size.tsv
    echo "# rep	cmd	wall_s	maxrss_kib	user_s	sys_s" >"$raw"
    t0=$(date +%s.%N)
    for rep in $(seq "$reps"); do
        for l in "${letters[@]}"; do
            cmd_args "$l" "$f"
            out=$work/out/$l.out err=$work/out/$l.err
            [ "$l" != g ] || out=/dev/null
            rc=0
            t_start=$(date +%s%N)
            /usr/bin/time -f '%e %M %U %S' -o "$work/out/time" "${pin[@]}" "${run[@]}" "${cmd[@]}" >"$out" 2>"$err" || rc=$?
            t_end=$(date +%s%N)
            # (a failed command's time file starts with "Command exited ...")
            read -r _ rss user sys < <(tail -n 1 "$work/out/time") || true
            # The wall time to the millisecond (time's %e has 10 ms: 2 % of a healthy-big run).
            wall=$(awk -v s="$t_start" -v e="$t_end" 'BEGIN { printf "%.3f", (e - s) / 1e9 }')
            if [ $rc != 0 ] || { [ "$l" != g ] && [ -s "$err" ]; }; then
                echo "run.sh: $size rep $rep ($l) ${cmd[*]}: exit $rc" >&2
                sed 's/^/    /' "$err" | head -20 >&2
                failures=$((failures + 1))
            fi
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$l" "$wall" "$rss" "$user" "$sys" >>"$raw"
            printf '%s rep %s (%s): %s s, %s MB\n' "$size" "$rep" "$l" "$wall" "$((rss / 1024))" >&2
            if [ "$l" = d ] && [ "$rep" = 1 ]; then cp "$out" "$results/tree-$size.txt"; fi
        done
    done
    awk -v s="$t0" -v e="$(date +%s.%N)" -v z="$size" -v r="$reps" -v l="${letters[*]}" \
        'BEGIN { printf "timings %s (%d rounds of %s): %.1f s\n", z, r, l, e - s }' >>"$results/steps.txt"

    # No false failure: the generator knows how many of its handshakes failed
    # (the project's failure captures; every seed handshake succeeded).
    want=$(sed -n 's/^ *"failed": \([0-9]*\),*$/\1/p' "$f.json")
    got=$(sed -n 's/^ Failed  *\([0-9]*\) .*/\1/p' "$results/tree-$size.txt")
    if [ -n "$want" ] && [ "$got" = "$want" ]; then echo "ok   (e) $got failed handshakes, as made"; else
        echo "FAIL (e) $got failed handshakes, the generator made $want"; failures=$((failures + 1)); fi

    if [ $smoke = 1 ]; then
        n=$("${run[@]}" tshark -r "$f" -Y tlsdiag.cause -T fields -e tlsdiag.cause 2>/dev/null | grep -c . || true)
        if [ "$n" -gt 0 ]; then echo "ok   (c) finds causes on $n frames"; else
            echo "FAIL (c) finds no cause"; failures=$((failures + 1)); fi
        if grep -Eq '^Failures by cause +[1-9]' "$results/tree-$size.txt"; then echo "ok   (d) counts failures"; else
            echo "FAIL (d) counts no failure"; failures=$((failures + 1)); fi
        continue
    fi
    # TCP conversations with TLS as tshark counts them (cross-check of the generator's count).
    if [ "$(sed -n 's/^ "packets": \([0-9]*\),*$/\1/p' "$f.json")" -le 1100000 ]; then
        "${run[@]}" tshark -q -r "$f" -z conv,tcp,tls --disable-protocol tlsdiag >"$results/conv-$size.txt" 2>/dev/null || true
    fi
done

# -- profiles of the first size
psize=${BENCH_PROFILE_SIZE:-${sizes[0]}}
if [ $valgrind = 1 ]; then
    f=$(capture_of "$psize")
    [ -f "$f" ] || make_capture "$psize" "$f"
    py=/usr/bin/python3; [ -x $py ] || py=python3
    $py - "$f.json" "$top" "$psize" "$results/profile.json" "$(basename "$f")" <<'EOF'
import json, sys
b = json.load(open(sys.argv[1]))
json.dump({"size": sys.argv[3], "top": sys.argv[2] + "/", "packets": b["packets"],
           "connections": b["tcp_tls_connections"],
           "cmd_b": "valgrind --tool=callgrind tshark -q -r %s -Y tls.handshake.type" % sys.argv[5]},
          open(sys.argv[4], "w"))
EOF
    profiled=(b a); [ $explain = 1 ] && profiled+=(p)
    for l in "${profiled[@]}"; do
        cmd_args "$l" "$f"
        t0=$(date +%s.%N)
        "${run[@]}" valgrind --tool=callgrind --callgrind-out-file="$work/out/callgrind-$l.out" \
            tshark "${args[@]}" >/dev/null 2>"$work/out/callgrind-$l.log" ||
            { echo "run.sh: callgrind ($l) failed" >&2; tail "$work/out/callgrind-$l.log" >&2; failures=$((failures + 1)); }
        awk -v s="$t0" -v e="$(date +%s.%N)" -v z="$psize" -v l="$l" \
            'BEGIN { printf "callgrind %s (%s): %.1f s\n", z, l, e - s }' >>"$results/steps.txt"
        callgrind_annotate --inclusive=no --threshold=100 "$work/out/callgrind-$l.out" >"$results/callgrind-$l.self.txt" 2>/dev/null
        callgrind_annotate --inclusive=yes --threshold=100 "$work/out/callgrind-$l.out" >"$results/callgrind-$l.incl.txt" 2>/dev/null
        gzip -c "$work/out/callgrind-$l.out" >"$results/callgrind-$l.out.gz"
    done
    if [ "${BENCH_MASSIF:-1}" = 1 ]; then
        # tshark dlclose()s its plugins before exiting, and massif names the
        # frames of its heap trees only then: without this no-op dlclose every
        # tlsdiag frame is "???".
        preload=()
        if printf 'int dlclose(void *h) { (void)h; return 0; }\n' >"$work/nodlclose.c" &&
            cc -shared -fPIC -O2 -o "$work/nodlclose.so" "$work/nodlclose.c" 2>/dev/null; then
            chmod a+r "$work/nodlclose.so"
            preload=(env "LD_PRELOAD=$work/nodlclose.so")
        fi
        for l in b a; do
            cmd_args "$l" "$f"
            t0=$(date +%s.%N)
            "${run[@]}" "${preload[@]}" valgrind --tool=massif --threshold=0.01 --massif-out-file="$work/out/massif-$l.out" \
                tshark "${args[@]}" >/dev/null 2>"$work/out/massif-$l.log" ||
                { echo "run.sh: massif ($l) failed" >&2; failures=$((failures + 1)); }
            awk -v s="$t0" -v e="$(date +%s.%N)" -v z="$psize" -v l="$l" \
                'BEGIN { printf "massif %s (%s): %.1f s\n", z, l, e - s }' >>"$results/steps.txt"
            cp "$work/out/massif-$l.out" "$results/massif-$l.out"
        done
    fi
fi

echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$results/machine.txt"
py=/usr/bin/python3; [ -x $py ] || py=python3
$py "$here/report.py" "$results" >"$results/report.md"
if [ $smoke = 0 ]; then
    echo "# tlsdiag benchmark"
    echo
    sed 's/^/    /' "$results/machine.txt"
    echo
    sed 's/^/    /' "$results/steps.txt" 2>/dev/null || true
    echo
    cat "$results/report.md"
    echo
    echo "(raw numbers and profiles in $results)"
fi
if [ $failures != 0 ]; then echo "run.sh: $failures failure(s)" >&2; exit 1; fi
if [ $smoke = 1 ]; then echo "smoke: all commands ran"; fi
exit 0
