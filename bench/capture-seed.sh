#!/usr/bin/env bash
# Record the bulk of real, successful TLS handshakes the benchmark capture is
# made of: openssl s_server on 443 against openssl s_time and a Python ssl
# client, over the loopback of a private network namespace (MTU 1500, one
# segment per skb, so the packets look like an Ethernet link's), recorded by
# tcpdump.
#
#   bench/capture-seed.sh OUT.pcap        (root: network namespace, tcpdump)
#
# The mixes (SEED_SECONDS each, default 2; the Python client twice as long):
#   s_time -new           TLS 1.3, RSA, GET /index.html (7 kB)    no SNI
#   s_time -new -tls1_2   TLS 1.2, RSA (ECDHE-RSA-AES256-GCM)     no SNI
#   s_time -new -tls1_2   TLS 1.2, ECDSA (ECDHE-ECDSA-AES128-GCM) no SNI
#   s_time -reuse         TLS 1.3 resumption (PSK)                no SNI
#   s_time -reuse -tls1_2 TLS 1.2 resumption (session ticket)     no SNI
#   s_time -new -tls1_2   TLS 1.2 handshake only, no request      no SNI
#   bench/seed-client.py  TLS 1.3 and 1.2, SNI good.example, ALPN http/1.1,
#                         HTTP/1.1 GET, close_notify; some resumed
# The certificates are made with `openssl ca` with fixed dates (2026-01-01 to
# 2031-01-01) so that the benchmark's fixed clock (2026-11-25) finds them valid.
set -euo pipefail

out=${1:?usage: capture-seed.sh OUT.pcap}
out=$(realpath -m "$out")
here=$(cd "$(dirname "$0")" && pwd)
secs=${SEED_SECONDS:-2}
[ "$(id -u)" = 0 ] || { echo "capture-seed.sh: needs root (netns, tcpdump)" >&2; exit 1; }
for c in openssl tcpdump ip; do command -v $c >/dev/null || { echo "missing $c" >&2; exit 1; }; done

ns=tlsdiag-bench-$$
tmp=$(mktemp -d /tmp/tlsdiag-seed.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

# -- PKI: root -> RSA leaf and ECDSA leaf for good.example, fixed dates.
cd "$tmp"
mkdir -p db/new
: >db/index.txt
echo 01 >db/serial
cat >ca.cnf <<CNF
[ ca ]
default_ca = b
[ b ]
dir = $tmp/db
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
policy = p
email_in_dn = no
preserve = yes
unique_subject = no
copy_extensions = none
default_md = sha256
[ p ]
commonName = supplied
CNF
printf '%s\n' basicConstraints=critical,CA:TRUE keyUsage=critical,keyCertSign,cRLSign \
    subjectKeyIdentifier=hash >ext-ca
printf '%s\n' subjectAltName=DNS:good.example basicConstraints=CA:FALSE \
    keyUsage=critical,digitalSignature,keyEncipherment extendedKeyUsage=serverAuth \
    subjectKeyIdentifier=hash authorityKeyIdentifier=keyid >ext-leaf
dates=(-startdate 20260101000000Z -enddate 20310101000000Z)
openssl req -new -newkey rsa:2048 -nodes -keyout root.key -out root.csr -subj "/CN=tlsdiag bench root" 2>/dev/null
openssl ca -batch -config ca.cnf -selfsign -notext -keyfile root.key "${dates[@]}" \
    -extfile ext-ca -in root.csr -out root.pem >ca.log 2>&1
openssl req -new -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.csr -subj "/CN=good.example" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key -out ec.csr \
    -subj "/CN=good.example" 2>/dev/null
for k in rsa ec; do
    openssl ca -batch -config ca.cnf -notext -cert root.pem -keyfile root.key "${dates[@]}" \
        -extfile ext-leaf -in $k.csr -out $k.pem >>ca.log 2>&1
done
mkdir www
head -c 7000 /dev/zero | tr '\0' 'x' | fold -w 60 >www/index.html

# -- The namespace: its own loopback, Ethernet-sized packets.
ip netns add "$ns"
nsx() { ip netns exec "$ns" "$@"; }
nsx ip link set lo up mtu 1500
nsx ip link set lo gso_max_segs 1 2>/dev/null || true
nsx ip link set lo gso_max_size 1500 2>/dev/null || true

chmod -R a+rX "$tmp"
(cd www && exec ip netns exec "$ns" openssl s_server -quiet -accept 443 -WWW \
    -cert ../rsa.pem -key ../rsa.key -cert_chain ../root.pem \
    -dcert ../ec.pem -dkey ../ec.key -dcert_chain ../root.pem >/dev/null 2>&1) &
pids+=($!)
for _ in $(seq 50); do
    nsx bash -c 'exec 3<>/dev/tcp/127.0.0.1/443' 2>/dev/null && break; sleep 0.1
done
# (ip netns exec execs tcpdump: $! is tcpdump itself, which SIGTERM stops cleanly.)
# A large buffer: at ~15,000 packets/s a small one drops packets (the generator
# also skips any connection with a gap in its sequence numbers).
ip netns exec "$ns" tcpdump -i lo -s 0 -B 262144 -w "$tmp/seed.pcap" 'tcp port 443' \
    2>"$tmp/tcpdump.err" &
tcpdump_pid=$!
pids+=("$tcpdump_pid")
for _ in $(seq 100); do grep -q 'listening on' "$tmp/tcpdump.err" && break; sleep 0.1; done
sleep 0.5

st() { nsx openssl s_time -connect 127.0.0.1:443 "$@" >/dev/null 2>&1 || true; }
st -new -www /index.html -time "$secs"
st -new -tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384 -www /index.html -time "$secs"
st -new -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -www /index.html -time "$secs"
st -reuse -www /index.html -time "$secs"
st -reuse -tls1_2 -www /index.html -time "$secs"
st -new -tls1_2 -time $(( (secs + 1) / 2 ))
nsx /usr/bin/python3 "$here/seed-client.py" 127.0.0.1 443 "$((secs * 2))"
sleep 1

kill -TERM "$tcpdump_pid"; wait "$tcpdump_pid" 2>/dev/null || true
grep -E 'captured|dropped' "$tmp/tcpdump.err" | sed 's/^/capture-seed: tcpdump: /' >&2 || true
mkdir -p "$(dirname "$out")"
cp "$tmp/seed.pcap" "$out.tmp" && mv "$out.tmp" "$out"
