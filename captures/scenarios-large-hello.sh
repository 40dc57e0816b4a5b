# shellcheck shell=bash
# Sourced by make-captures.sh: ClientHellos too large for one TCP segment.
#
# OpenSSL 3.5 (trixie) offers a post-quantum hybrid key share
# (X25519MLKEM768, 1216 bytes) by default, which makes its ClientHello about
# 1.5 KB.  Some middleboxes and old servers look at the first segment only and
# reset (or ignore) a connection whose ClientHello does not fit in it; clients
# then retry without the big key share, or time out.  The client runs in a
# trixie chroot (tools/chroot.sh); the "middlebox" is a Python peer on 443
# that announces a small MSS, so the big hello really spans two segments.

LARGE_HELLO_SUITE=trixie

# large_hello_peer: write $TMP/large-hello-peer.py, the middlebox.
large_hello_peer() {
    cat >"$TMP/large-hello-peer.py" <<'PYEOF'
"""Old middlebox on 127.0.0.1:443 that only looks at the first segment.

  large-hello-peer.py MODE N BACKEND_PORT

Accepts N connections one after the other.  A connection whose first TLS
record is complete in the first read (at most one segment) is relayed both
ways to 127.0.0.1:BACKEND_PORT; otherwise MODE says what happens: "rst"
resets it at once, "silent" never answers and closes (FIN) after the client.
"""
import select, socket, struct, sys
from peerlib import drain

MSS = 1200

def listener():
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Before listen(): the SYN-ACK then announces this MSS and the client
    # splits a ClientHello larger than that over several segments.
    ls.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, MSS)
    ls.bind(("127.0.0.1", 443))
    ls.listen(4)
    ls.settimeout(15)
    return ls

def record_complete(data):
    return len(data) >= 5 and len(data) >= 5 + struct.unpack("!H", data[3:5])[0]

def relay(a, first, port):
    b = socket.create_connection(("127.0.0.1", port), timeout=10)
    b.sendall(first)
    peer = {a: b, b: a}            # sockets not yet at EOF -> where their data goes
    while peer:
        ready, _, _ = select.select(list(peer), [], [], 10)
        if not ready:
            break
        for s in ready:
            try:
                chunk = s.recv(65536)
            except OSError:
                chunk = b""
            try:
                if chunk:
                    peer[s].sendall(chunk)
                else:              # pass the half-close on: FIN for FIN
                    peer[s].shutdown(socket.SHUT_WR)
            except OSError:
                pass
            if not chunk:
                del peer[s]
    b.close()

def main(mode, n, port):
    ls = listener()
    for _ in range(n):
        conn, _ = ls.accept()
        conn.settimeout(10)
        first = conn.recv(MSS)     # one read of at most one segment
        if record_complete(first):
            relay(conn, first, port)
        elif mode == "rst":        # abortive close: the kernel sends RST
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:                      # silent: read the rest so close sends FIN, not RST
            drain(conn)
        conn.close()
    ls.close()

main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
PYEOF
}

# large_hello_setup: the trixie chroot with OpenSSL 3.5 and our CA in it;
# sets LARGE_HELLO_ROOT.
large_hello_setup() {
    LARGE_HELLO_ROOT=$("$HERE/../tools/chroot.sh" "$LARGE_HELLO_SUITE" openssl ca-certificates | tail -n1)
    cp "$CA" "$LARGE_HELLO_ROOT/tmp/tlsdiag-ca.pem"
    large_hello_peer
    lo_split_segments
}

# lo_split_segments / lo_restore_segments: loopback passes TCP's GSO
# super-packets unsplit, so a 1.5 KB write goes out (and into the capture)
# as one packet whatever MSS the peer announced.  One segment per packet,
# as on a real link, only while a scenario runs: the setting is this network
# namespace's, and the EXIT trap restores it if the run is interrupted.
# shellcheck disable=SC2064,SC2120  # expand now: the old value and the old trap
lo_split_segments() {
    local prev
    LO_GSO_SEGS=$(ip -d link show dev lo | grep -o 'gso_max_segs [0-9]*' | cut -d' ' -f2)
    prev=$(trap -p EXIT)
    eval "set -- $prev"                 # trap -- 'CMD' EXIT
    trap "ip link set dev lo gso_max_segs $LO_GSO_SEGS; ${3:-}" EXIT
    ip link set dev lo gso_max_segs 1
}
lo_restore_segments() { ip link set dev lo gso_max_segs "$LO_GSO_SEGS"; }

# OpenSSL 3.5 s_client inside the chroot, -CAfile given; an array so that
# client and timeout can run it.
LARGE_HELLO_CLIENT=("$HERE/../tools/chroot.sh" --run "$LARGE_HELLO_SUITE"
    openssl s_client -CAfile /tmp/tlsdiag-ca.pem)

# Attempt 1 (default groups, X25519MLKEM768 key share) is reset; attempt 2
# one second later with -groups X25519 fits in one segment and succeeds.
scenario_large_client_hello_dropped() {
    large_hello_setup
    start_capture large-client-hello-dropped 443
    # One session ticket: two may reach the relay in one read or two, which
    # would shift the frame numbers from run to run.
    s_server backend -accept 127.0.0.1:8444 -naccept 1 -num_tickets 1
    bg_server peer "$PY" "$TMP/large-hello-peer.py" rst 2 8444
    wait_listen 8444
    wait_listen 443
    client cli-pq "${LARGE_HELLO_CLIENT[@]}" -connect 127.0.0.1:443 -servername good.example </dev/null
    sleep 1
    line_then_eof "hello from cli-x25519" |
        timeout 10 "${LARGE_HELLO_CLIENT[@]}" -connect 127.0.0.1:443 -servername good.example \
            -groups X25519 >"$TMP/cli-x25519.log" 2>&1 || true
    stop_capture
    lo_restore_segments
}

# The middlebox swallows the big ClientHello and never answers; the client
# gives up after 3 s (killed by timeout: its kernel sends FIN) and does not
# retry.
scenario_large_client_hello_silence() {
    large_hello_setup
    start_capture large-client-hello-silence 443
    bg_server peer "$PY" "$TMP/large-hello-peer.py" silent 1 8444
    wait_listen 443
    sleep 4 | timeout 3 "${LARGE_HELLO_CLIENT[@]}" -connect 127.0.0.1:443 -servername good.example \
        >"$TMP/cli-pq.log" 2>&1 || true
    stop_capture
    lo_restore_segments
}

ALL+=(large-client-hello-dropped large-client-hello-silence)
