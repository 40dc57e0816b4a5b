#!/bin/bash
# Many captures into ClickHouse: tshark -2 with the tlsdiag plugin over each
# capture file (N at once), one row per handshake in table tlsdiag.handshakes.
#
#   tools/tlsdiag-fleet.sh [-j N] [--clickhouse HOST:PORT] [--start-local DIR]
#                          [--ring] [-o PREF:VALUE]... CAPTURE...
#   tools/tlsdiag-fleet.sh [--clickhouse HOST:PORT] --query NAME [--where CONDITION]
#
#   -j N            N tshark at once (default: the number of cores)
#   --clickhouse    the server's native port (default 127.0.0.1:9000)
#   --start-local   first start a private clickhouse-server (Debian's package)
#                   with its config and data in DIR, on loopback at that port,
#                   and leave it running (its PID in DIR/clickhouse.pid)
#   --ring          the CAPTUREs of each directory are one vantage point's
#                   ring-buffer files (tcpdump -G/-C/-W): each file is judged
#                   with the neighbours' last/first $ring_context s around it,
#                   so attempt chains and handshakes crossing a file boundary
#                   are linked and judged as in one capture
#   -o PREF:VALUE   a Wireshark preference for every file (as tshark -o)
#   --query NAME    run a query of tools/fleet-queries.sql (--query list: their
#                   names); --where CONDITION restricts it to matching rows,
#                   e.g. "time >= '2025-06-03 00:00:00' AND server = '192.0.2.7'"
#
# A capture NAME.pcap with a key log NAME.keys beside it is read with that
# key log (TLS 1.3 certificates are then judged, not inferred).
# Re-loading a file replaces its rows; a file tshark cannot read completely
# is reported and loads nothing (its earlier rows stay); the others go on.
# The plugin: the one tshark loads, or TLSDIAG_PLUGIN=path/to/tlsdiag.so
# (as root tshark then runs as nobody, which Wireshark's personal plugin
# folder needs). Exit status: 0 when every file loaded, 1 otherwise.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
queries=$here/fleet-queries.sql
# Seconds of the neighbouring ring files read around each file: more than the
# retry window (tlsdiag.retry_window, 10 s by default) plus a handshake's time to fail.
ring_context=120

die() { echo "tlsdiag-fleet: $*" >&2; exit 2; }
usage() { sed -n '2,/^$/s/^# \{0,1\}//p' "$0" | sed '/^$/d'; exit "${1:-2}"; }

jobs=$(nproc) clickhouse=127.0.0.1:9000 start_local='' ring=0 query='' where='' prefs=()
while [ $# -gt 0 ]; do
    case $1 in
        -j) jobs=${2:?}; shift 2 ;;
        --clickhouse) clickhouse=${2:?}; shift 2 ;;
        --start-local) start_local=${2:?}; shift 2 ;;
        --ring) ring=1; shift ;;
        -o) prefs+=(-o "${2:?}"); shift 2 ;;
        --query) query=${2:?}; shift 2 ;;
        --where) where=${2:?}; shift 2 ;;
        -h|--help) usage 0 ;;
        --) shift; break ;;
        -*) die "unknown option $1 (--help)" ;;
        *) break ;;
    esac
done
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "-j wants a positive number, not '$jobs'"
host=${clickhouse%:*} port=${clickhouse##*:}
if ! [[ $port =~ ^[0-9]+$ ]] || [ -z "$host" ] || [ "$host" = "$clickhouse" ]; then
    die "--clickhouse wants HOST:PORT, not '$clickhouse'"
fi
host=${host#[}; host=${host%]}
ch=(clickhouse-client --host "$host" --port "$port")
command -v clickhouse-client >/dev/null || die "clickhouse-client is not installed (apt install clickhouse-client)"

# -- a private server for a try-out
start_server() {
    local dir=$1 server=/usr/sbin/clickhouse-server
    case $host in 127.*|localhost|::1) ;; *) die "--start-local listens on loopback only: --clickhouse 127.0.0.1:PORT" ;; esac
    [ -x $server ] || die "clickhouse-server is not installed (apt install clickhouse-server)"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ -s "$dir/clickhouse.pid" ] && kill -0 "$(cat "$dir/clickhouse.pid")" 2>/dev/null; then
        echo "clickhouse-server already running from $dir (pid $(cat "$dir/clickhouse.pid"))" >&2
        return
    fi
    mkdir -p "$dir/data" "$dir/tmp" "$dir/log" "$dir/user_files"
    local listen=$host; [ "$listen" = localhost ] && listen=127.0.0.1
    # Only what this server needs: no HTTP, interserver or TLS ports.
    cat >"$dir/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>$dir/log/server.log</log><errorlog>$dir/log/error.log</errorlog></logger>
    <listen_host>$listen</listen_host>
    <tcp_port>$port</tcp_port>
    <path>$dir/data/</path>
    <tmp_path>$dir/tmp/</tmp_path>
    <user_files_path>$dir/user_files/</user_files_path>
    <users_config>$dir/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <mark_cache_size>67108864</mark_cache_size>
</yandex>
EOF
    cat >"$dir/users.xml" <<'EOF'
<?xml version="1.0"?>
<yandex>
    <profiles><default/></profiles>
    <users><default><password/><networks><ip>127.0.0.0/8</ip><ip>::1</ip></networks>
        <profile>default</profile><quota>default</quota></default></users>
    <quotas><default/></quotas>
</yandex>
EOF
    rm -f "$dir/clickhouse.pid"
    $server --config-file="$dir/config.xml" --pid-file="$dir/clickhouse.pid" --daemon
    local i
    for i in $(seq 60); do
        "${ch[@]}" -q 'SELECT 1' >/dev/null 2>&1 && break
        [ "$i" = 60 ] && { tail -5 "$dir/log/error.log" >&2 || true; die "clickhouse-server did not answer on $host:$port within 30 s"; }
        sleep 0.5
    done
    echo "clickhouse-server running (pid $(cat "$dir/clickhouse.pid")) on $host:$port, data in $dir" >&2
    echo "  queries: $0 --clickhouse $host:$port --query list" >&2
    echo "  stop it: kill \$(cat $dir/clickhouse.pid)" >&2
}
[ -n "$start_local" ] && start_server "$start_local"

# -- queries: tools/fleet-queries.sql holds "-- query: NAME" sections
if [ -n "$query" ]; then
    [ $# = 0 ] || die "--query takes no capture files"
    if [ "$query" = list ]; then sed -n 's/^-- query: //p' "$queries"; exit 0; fi
    sql=$(awk -v q="$query" '/^-- query: / { on = ($3 == q); next } on' "$queries")
    [ -n "$sql" ] || die "no query '$query' (--query list)"
    [ -z "$where" ] || sql=${sql//tlsdiag.handshakes/(SELECT * FROM tlsdiag.handshakes WHERE $where)}
    exec "${ch[@]}" -q "$sql"
fi
[ -z "$where" ] || die "--where goes with --query"
[ $# -gt 0 ] || { [ -n "$start_local" ] && exit 0; usage; }

"${ch[@]}" -q 'SELECT 1' >/dev/null || die "no ClickHouse server at $host:$port (--start-local DIR starts one)"
"${ch[@]}" --multiquery -q "
CREATE DATABASE IF NOT EXISTS tlsdiag;
CREATE TABLE IF NOT EXISTS tlsdiag.handshakes (
    capture String,           -- the capture file (absolute path)
    frame UInt32,             -- its ClientHello's frame (client_hello = 0: the frame that settled a
    client_hello UInt8,       -- connection the capture met after its ClientHello)
    capture_ended UInt8,      -- 1: incomplete because the capture ended before the handshake was decided
    time DateTime('UTC'),     -- of that frame
    time_us UInt64,           -- the same in microseconds since the epoch
    client String,            -- tlsdiag.client: the address, or the PROXY header's client with a note
    client_addr String,       -- the client's address alone (the PROXY identity's)
    server String,            -- server address, port and transport (tcp, quic, dtls)
    server_port UInt16,
    transport String,
    sni String,
    tls_version String,       -- the highest version the ClientHello offered
    fallback_scsv UInt8,      -- the ClientHello carried TLS_FALLBACK_SCSV
    outcome String,           -- established, failed, incomplete, abandoned
    causes Array(String),     -- most specific first
    attempt UInt16,           -- n-th attempt of its chain (0: no ClientHello)
    prev_capture String,      -- the previous attempt's ClientHello ('' and 0: none)
    prev_frame UInt32,
    recovered UInt8,          -- a failure a later attempt of the same client recovered
    sender String,            -- who ended a failed handshake: server, client, path (likely)
    summary String
) ENGINE = MergeTree PARTITION BY toYYYYMM(time) ORDER BY (capture, frame);
" || die "cannot create table tlsdiag.handshakes on $host:$port"

# -- the plugin and how tshark runs
work=$(mktemp -d /tmp/tlsdiag-fleet.XXXXXX)
trap 'rm -rf "$work"' EXIT
run=()
plugin=${TLSDIAG_PLUGIN:-}
if [ -z "$plugin" ] && ! tshark -G plugins 2>/dev/null | grep -q '^tlsdiag\.so'; then
    ver=$(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
    # Root's personal plugin (demo.sh installs there), which root's tshark ignores.
    plugin=$HOME/.local/lib/wireshark/plugins/$ver/epan/tlsdiag.so
    if [ "$(id -u)" != 0 ] || [ ! -f "$plugin" ]; then
        die "tshark does not load the tlsdiag plugin: install it (./demo.sh) or set TLSDIAG_PLUGIN=build/tlsdiag.so"
    fi
fi
if [ -n "$plugin" ]; then
    [ -f "$plugin" ] || die "no plugin at $plugin"
    ver=$(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
    install -D -m 0644 "$plugin" "$work/home/.local/lib/wireshark/plugins/$ver/epan/tlsdiag.so"
    run=(env "HOME=$work/home")
    if [ "$(id -u)" = 0 ]; then
        chmod -R a+rX "$work"
        run=(setpriv --reuid=65534 --regid=65534 --clear-groups env "HOME=$work/home")
    fi
fi
for f in "$@"; do [ -f "$f" ] || die "no such capture file: $f"; done

# -- ring buffers: each directory's files in time order, and their neighbours
declare -A before=() after=()
if [ $ring = 1 ]; then
    capinfos -TrSaec -- "$@" >"$work/ring.tsv" 2>"$work/ring.err" || true
    declare -A last_of=() end_of=()
    # directory, first packet time, file, last packet time
    while IFS=$'\t' read -r f _ start end; do
        printf '%s\t%s\t%s\t%s\n' "$(dirname "$(realpath "$f")")" "$start" "$f" "$end"
    done <"$work/ring.tsv" | sort -t$'\t' -k1,1 -k2,2g >"$work/ring.sorted"
    while IFS=$'\t' read -r dir start f end; do
        if [ -n "${last_of[$dir]:-}" ]; then
            prev=${last_of[$dir]}
            awk -v a="${end_of[$dir]}" -v b="$start" 'BEGIN { exit !(a + 0 <= b + 0) }' ||
                die "--ring: $prev and $f overlap in time: not one vantage point's ring buffer"
            before[$f]=$prev after[$prev]=$f
        fi
        last_of[$dir]=$f end_of[$dir]=$end
    done <"$work/ring.sorted"
fi

# load FILE: one file start to end; prints "ok FILE HANDSHAKES FAILURES" or
# "FAIL FILE REASON" to the results.
load() {
    local f=$1 n=$2 abs d input keys json rows err window=()
    abs=$(realpath "$f") d=$work/$n.d json=$work/$n.json rows=$work/$n.rows err=$work/$n.err
    mkdir -p "$d"
    input=$f
    if [ -n "${before[$f]:-}${after[$f]:-}" ]; then
        # previous file's tail ++ this file ++ next file's head, in that order
        # (mergecap -a), and this file's frames counted from the tail's end.
        local parts=() first=1 count prev_n=0 t
        if [ -n "${before[$f]:-}" ]; then
            t=$(capinfos -TrSa -- "$f" | cut -f2)
            editcap -A "$(awk -v t="$t" -v c=$ring_context 'BEGIN { printf "%.6f", t - c }')" \
                "${before[$f]}" "$d/tail.pcap"
            first=$(( $(capinfos -TrSc "$d/tail.pcap" | cut -f2) + 1 ))
            prev_n=$(capinfos -TrSc -- "${before[$f]}" | cut -f2)
            parts+=("$d/tail.pcap")
        fi
        parts+=("$f")
        if [ -n "${after[$f]:-}" ]; then
            t=$(capinfos -TrSe -- "$f" | cut -f2)
            editcap -B "$(awk -v t="$t" -v c=$ring_context 'BEGIN { printf "%.6f", t + c }')" \
                "${after[$f]}" "$d/head.pcap"
            parts+=("$d/head.pcap")
        fi
        count=$(capinfos -TrSc -- "$f" | cut -f2)
        mergecap -a -w "$d/window.pcap" "${parts[@]}"
        input=$d/window.pcap
        window=("$first" "$count" "$(realpath "${before[$f]:-$f}")" "$prev_n")
    elif [ ${#run[@]} -gt 0 ] && [ "${run[0]}" = setpriv ] &&
         ! "${run[@]}" test -r "$f" 2>/dev/null; then
        cp -- "$f" "$d/capture"; input=$d/capture
    fi
    keys=${f%.pcap*}.keys
    local kopt=()
    if [ -f "$keys" ]; then
        if [ "${run[0]:-}" = setpriv ]; then cp -- "$keys" "$d/keys"; keys=$d/keys; fi
        kopt=(-o "tls.keylog_file:$keys")
    fi
    chmod -R a+rX "$d"
    if ! "${run[@]}" tshark -2 -r "$input" "${kopt[@]}" "${prefs[@]}" \
            -Y 'tlsdiag.handshake_frame == frame.number || tlsdiag.outcome' \
            -T json -e frame.number -e tcp.stream -e udp.stream -e frame.time_epoch -e tlsdiag.handshake_frame -e tlsdiag.outcome \
            -e tlsdiag.cause -e tlsdiag.attempt.number -e tlsdiag.attempt.prev -e tlsdiag.recovered \
            -e tlsdiag.client -e tlsdiag.sender -e tlsdiag.summary -e ip.dst -e ipv6.dst -e tcp.dstport \
            -e udp.dstport -e tls.handshake.extensions_server_name -e dtls.handshake.extensions_server_name \
            -e tls.handshake.extensions.supported_version -e dtls.handshake.extensions.supported_version \
            -e tls.handshake.version -e dtls.handshake.version \
            -e tls.handshake.ciphersuite -e dtls.handshake.ciphersuite >"$json" 2>"$err" || [ -s "$err" ]; then
        echo "FAIL	$f	$(tr '\n' ' ' <"$err" | sed 's/^tshark: //')"; return
    fi
    if ! python3 "$here/fleet-rows.py" "$abs" "${window[@]}" <"$json" >"$rows" 2>"$err"; then
        echo "FAIL	$f	$(tr '\n' ' ' <"$err")"; return
    fi
    local total failures literal
    total=$(wc -l <"$rows") failures=$(grep -c '"outcome": "failed"' "$rows" || true)
    literal=$(printf '%s' "$abs" | sed "s/[\\\\']/\\\\&/g")
    # Replace the file's rows: delete (a mutation, waited for), then one
    # INSERT as one block, so a reader never sees part of a file.
    if [ "$("${ch[@]}" -q "SELECT count() FROM tlsdiag.handshakes WHERE capture = '$literal'")" != 0 ]; then
        "${ch[@]}" -q "ALTER TABLE tlsdiag.handshakes DELETE WHERE capture = '$literal'" 2>"$err" ||
            { echo "FAIL	$f	$(tr '\n' ' ' <"$err")"; return; }
        local i
        for i in $(seq 120); do
            [ "$("${ch[@]}" -q "SELECT count() FROM system.mutations WHERE database = 'tlsdiag'
                                 AND table = 'handshakes' AND NOT is_done")" = 0 ] && break
            [ "$i" = 120 ] && { echo "FAIL	$f	its old rows were not deleted within 60 s"; return; }
            sleep 0.5
        done
    fi
    if [ "$total" -gt 0 ] &&
       ! "${ch[@]}" --max_insert_block_size=$((total + 1)) -q 'INSERT INTO tlsdiag.handshakes FORMAT JSONEachRow' \
            <"$rows" 2>"$err"; then
        echo "FAIL	$f	$(tr '\n' ' ' <"$err")"; return
    fi
    echo "ok	$f	$total	$failures"
    rm -rf "$d" "$json" "$rows" "$err"
}

# -- N at once, a progress line as each file ends
total=$# done=0 handshakes=0 failures=0 bad=0 start=$SECONDS i=0
results=$work/results
: >"$results"
progress() {
    local rate=$(( handshakes / (SECONDS - start > 0 ? SECONDS - start : 1) ))
    local line="files $done/$total, $handshakes handshakes, $failures failed, $rate handshakes/s, $bad files not loaded"
    if [ -t 2 ]; then printf '\r%s ' "$line" >&2; else echo "$line" >&2; fi
}
collect() {
    local status f a b
    while IFS=$'\t' read -r status f a b; do
        if [ "$status" = ok ]; then handshakes=$((handshakes + a)) failures=$((failures + b))
        else bad=$((bad + 1)); [ -t 2 ] && echo >&2; echo "tlsdiag-fleet: $f not loaded: $a" >&2; fi
    done < <(tail -n +$((done + 1)) "$results")
    done=$(wc -l <"$results")
    progress
}
running=0
for f in "$@"; do
    i=$((i + 1))
    load "$f" "$i" >>"$results" &
    running=$((running + 1))
    if [ $running -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); collect; fi
done
while [ $running -gt 0 ]; do wait -n || true; running=$((running - 1)); collect; done
[ -t 2 ] && echo >&2
[ $bad = 0 ]
