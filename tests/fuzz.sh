#!/bin/bash
# Hostile input at scale (issue 19): N mutated copies of the project's
# captures (captures/*.pcap, the healthy corpus included) dissected by the
# ASan/UBSan build of the plugin: no crash, no sanitizer report, no hang.
#
#   tests/fuzz.sh [--plugin SANITIZED.so] [--jobs J] [--out DIR] [N]   default N 1000
#   tests/fuzz.sh [--plugin SANITIZED.so] --replay SEED...
#
# Variant SEED (1..N) is fully determined by its number: capture number SEED
# of the sorted list (cycling), mutator number SEED of the list below
# (cycling: 161 captures and 11 mutator slots have no common factor, so all
# pairs come before any repeats), the capture's key log on even rounds
# through the captures, out-of-order reassembly on every third variant, and
# the seed of the mutation itself. Mutators: editcap -E (random bytes
# corrupted, 0.5-5 %), editcap -s (every packet cut to one random length),
# and those of tests/fuzz-mutate.py (truncate, drop, dup, retrans, reorder,
# timeshift, fields twice, mix). Each variant runs tshark -V -z tlsdiag,tree
# single pass and -2 under a timeout (FUZZ_TIMEOUT, 60 s). A failing variant
# is copied to DIR (./fuzz-failures) with its key log, stderr and sanitizer
# logs; --replay SEED makes it again and shows what happens.
#
# Without --plugin the sanitized plugin is built in build-fuzz/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mutators=(corrupt snap truncate drop dup retrans reorder timeshift fields fields mix)

# One variant, run by the xargs workers below (FUZZ_* come from the parent).
if [ "${1:-}" = --variant ]; then
    i=$2
    read -ra caps <<< "$FUZZ_CAPS"
    mapfile -t run < "$FUZZ_WORK/run"
    c=${#caps[@]} m=${#mutators[@]}
    name=${caps[$(((i - 1) % c))]}
    mut=${mutators[$(((i - 1) % m))]}
    src=$top/captures/$name.pcap
    dir=$FUZZ_WORK/v/$i
    mkdir -p "$dir"
    keyopt=() prefs=()
    if [ $((((i - 1) / c) % 2)) = 0 ] && [ -f "$top/captures/$name.keys" ]; then
        cp "$top/captures/$name.keys" "$dir/"
        keyopt=(-o "tls.keylog_file:$name.keys")
    fi
    [ $((i % 3)) = 0 ] && prefs=(-o tcp.reassemble_out_of_order:TRUE)
    out=$dir/$name.pcap
    # (editcap warns when run as root: its stderr is kept, not shown.)
    case $mut in
        corrupt) rates=(0.005 0.02 0.05); editcap -E "${rates[$((i % 3))]}" --seed "$i" "$src" "$out" 2>"$dir/mutate" ;;
        snap) editcap -s $((20 + (i * 7919) % 400)) "$src" "$out" 2>"$dir/mutate" ;;
        *)
            qc=""
            if [ "$mut" = fields ] || [ "$mut" = mix ]; then
                # Which packets carry a QUIC CONNECTION_CLOSE: tshark without the plugin knows.
                qc=$(env HOME="$FUZZ_WORK/nohome" tshark "${keyopt[@]/#tls.keylog_file:/tls.keylog_file:$top/captures/}" \
                        -r "$src" -Y 'quic.frame_type == 0x1c || quic.frame_type == 0x1d' -T fields -e frame.number \
                        2>/dev/null | paste -sd, -)
            fi
            python3 "$top/tests/fuzz-mutate.py" "$src" "$out" "$mut" "$i" --quic-close "$qc" ;;
    esac
    chmod -R a+rwX "$dir"
    why=""
    for opt in "" -2; do
        rc=0
        # shellcheck disable=SC2086
        (cd "$dir" && timeout -k 5 "${FUZZ_TIMEOUT:-60}" "${run[@]}" \
            "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:log_path=$dir/asan" \
            "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$dir/ubsan" \
            tshark "${keyopt[@]}" "${prefs[@]}" $opt -r "$name.pcap" -V -z tlsdiag,tree \
            >/dev/null 2>"$dir/stderr${opt}") 2>>"$dir/stderr${opt}" || rc=$?
        case $rc in
            0) ;;
            124|137) why="$why hang${opt}" ;;
            *) why="$why exit-$rc${opt}" ;;
        esac
    done
    if compgen -G "$dir/asan.*" >/dev/null || compgen -G "$dir/ubsan.*" >/dev/null; then
        why="$why sanitizer-report"
    fi
    if [ -z "$why" ]; then
        [ -n "${FUZZ_KEEP:-}" ] || rm -rf "$dir"
        echo "ok   $i $name $mut${keyopt:+ keys}${prefs:+ ooo}"
    else
        echo "$i $name $mut${keyopt:+ keys}${prefs:+ ooo}:$why" >"$dir/what"
        echo "FAIL $i $name $mut${keyopt:+ keys}${prefs:+ ooo}:$why"
    fi
    exit 0
fi

plugin="" jobs=$(nproc) out=$PWD/fuzz-failures n=1000 replay=()
while [ $# -gt 0 ]; do
    case $1 in
        --plugin) plugin=$2; shift 2 ;;
        --jobs) jobs=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --replay) shift; replay=("$@"); break ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
        *) n=$1; shift ;;
    esac
done
if [ -z "$plugin" ]; then
    cmake -S "$top" -B "$top/build-fuzz" -DCMAKE_BUILD_TYPE=Debug -DTLSDIAG_SANITIZE=ON >/dev/null
    cmake --build "$top/build-fuzz" --target tlsdiag -j"$jobs" >/dev/null
    plugin=$top/build-fuzz/tlsdiag.so
fi

work=$(mktemp -d /tmp/tlsdiag-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
ver=$(tshark --version | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
mkdir -p "$work/home/.local/lib/wireshark/plugins/$ver/epan" "$work/nohome" "$work/v"
cp "$plugin" "$work/home/.local/lib/wireshark/plugins/$ver/epan/tlsdiag.so"
# tshark itself is not instrumented: preload the runtimes for the plugin.
run=(env "HOME=$work/home" "LD_PRELOAD=$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)")
if [ "$(id -u)" = 0 ]; then
    chown -R 65534:65534 "$work/home"
    run=(setpriv --reuid=65534 --regid=65534 --clear-groups "${run[@]}")
fi
chmod -R a+rwX "$work"
FUZZ_CAPS=$(cd "$top/captures" && printf '%s\n' *.pcap | sed 's|\.pcap$||' | LC_ALL=C sort | paste -sd' ' -)
# Arrays do not cross exec: the workers read the run command from a file.
printf '%s\n' "${run[@]}" >"$work/run"
export FUZZ_CAPS FUZZ_WORK=$work FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-60}

if [ ${#replay[@]} -gt 0 ]; then
    for seed in "${replay[@]}"; do
        FUZZ_KEEP=1 "$0" --variant "$seed"
        for f in "$work/v/$seed"/*; do
            case $f in *.pcap|*.keys) continue ;; esac
            [ -s "$f" ] && { echo "--- $(basename "$f")"; head -60 "$f"; }
        done
    done
    exit 0
fi

start=$(date +%s)
echo "fuzz.sh: $n variants of $(wc -w <<< "$FUZZ_CAPS") captures, $jobs at a time, plugin $plugin"
seq 1 "$n" | xargs -P "$jobs" -n 1 "$0" --variant | tee "$work/results"
failed=$(grep -c '^FAIL' "$work/results" || true)
echo "fuzz.sh: $n variants in $(($(date +%s) - start)) s:" \
     "$failed failing ($(grep -c 'hang' "$work/results" || true) hangs," \
     "$(grep -c 'sanitizer-report' "$work/results" || true) with a sanitizer report)"
[ "$failed" = 0 ] && exit 0
mkdir -p "$out"
grep '^FAIL' "$work/results" | while read -r _ seed name mut _; do
    dest=$out/$seed-$name-${mut%:}
    rm -rf "$dest"; cp -r "$work/v/$seed" "$dest"
    echo "replay: $0 --plugin $plugin --replay $seed" >>"$dest/what"
done
echo "fuzz.sh: failing cases saved in $out (replay: $0 --plugin $plugin --replay SEED)"
exit 1
