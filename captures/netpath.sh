# shellcheck shell=bash
# Sourced by scenarios-disturbed.sh: a real network path
#
#   client ns          router ns                       server ns
#   eth0 ----------- to-cli  [relay.py]  to-srv ----------- eth0
#   192.0.2.2/24                                   198.51.100.2/24
#   2001:db8:1::2/64                               2001:db8:2::2/64
#
# built from three network namespaces and two veth pairs (MTU 1500).  The
# router's kernel does not forward (ip_forward 0, no addresses, raw-table
# DROP of every IP packet): captures/relay.py, on AF_PACKET sockets, moves
# the frames and can reorder, duplicate or drop TCP segments.  The client
# and the server reach each other through a default route via x.x.x.1,
# whose neighbour entry is static and points at the router's MAC, so there
# is no ARP or NDP at all.  Every MAC address is fixed, so a re-run gives
# the same frames.
#
# Offloads are off on every veth: with checksum offload a frame read from a
# packet socket carries a partial checksum, and with TSO/GSO/GRO the stacks
# hand over 64 KB super-segments; either way the relayed frame would not be
# what a wire carries.
#
# Uses from make-captures.sh: bg_server, log, $TMP, $PY, $HERE, $OUT.

NP_CLI=tlsdiag-cli-$$
NP_RTR=tlsdiag-rtr-$$
NP_SRV=tlsdiag-srv-$$
NP_CLI_IP=192.0.2.2     NP_CLI_GW=192.0.2.1
NP_SRV_IP=198.51.100.2  NP_SRV_GW=198.51.100.1
NP_CLI_IP6=2001:db8:1::2 NP_CLI_GW6=2001:db8:1::1
NP_SRV_IP6=2001:db8:2::2 NP_SRV_GW6=2001:db8:2::1
NP_CLI_MAC=02:00:00:00:01:02  NP_RTR_CLI_MAC=02:00:00:00:01:01
NP_SRV_MAC=02:00:00:00:02:02  NP_RTR_SRV_MAC=02:00:00:00:02:01
NP_IN_CLI=(ip netns exec "$NP_CLI")
NP_IN_RTR=(ip netns exec "$NP_RTR")
NP_IN_SRV=(ip netns exec "$NP_SRV")
NP_TRAP=

# np_offloads NS DEV: every offload that changes what goes on the wire off.
np_offloads() {
    ip netns exec "$1" ethtool -K "$2" rx off tx off sg off tso off gso off gro off \
        >/dev/null 2>&1 || true
    # Check the two that matter; fail loudly rather than relay bad frames.
    if ip netns exec "$1" ethtool -k "$2" |
        grep -Eq '^(tx-checksumming|generic-segmentation-offload): on'; then
        echo "netpath: could not turn offloads off on $2 in $1" >&2; exit 1
    fi
}

# np_host NS DEV MAC IP GW IP6 GW6 RTR_MAC: one end host.
np_host() {
    local ns=$1 dev=$2 mac=$3 ip4=$4 gw4=$5 ip6=$6 gw6=$7 rmac=$8
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
        net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.router_solicitations=0 \
        net.ipv6.conf.default.router_solicitations=0
    ip -n "$ns" link set "$dev" address "$mac" mtu 1500
    np_offloads "$ns" "$dev"
    ip -n "$ns" addr add "$ip4/24" dev "$dev"
    ip -n "$ns" addr add "$ip6/64" dev "$dev" nodad
    ip -n "$ns" link set "$dev" up
    ip -n "$ns" neigh replace "$gw4" lladdr "$rmac" dev "$dev" nud permanent
    ip -n "$ns" -6 neigh replace "$gw6" lladdr "$rmac" dev "$dev" nud permanent
    ip -n "$ns" route add default via "$gw4" dev "$dev"
    ip -n "$ns" -6 route add default via "$gw6" dev "$dev"
}

# np_up: (re)create the three namespaces.  Each scenario gets fresh ones,
# so no TCP metrics, neighbour state or iptables counter carries over.
np_up() {
    local dev
    np_down
    if [[ -z $NP_TRAP ]]; then       # once: delete the namespaces on any exit
        also_on_exit np_down
        NP_TRAP=1
    fi
    ip netns add "$NP_CLI"
    ip netns add "$NP_RTR"
    ip netns add "$NP_SRV"
    # The router: no addresses, no forwarding, IPv6 off, and its kernel
    # drops every IP packet that reaches it (packet sockets see them first).
    ip -n "$NP_RTR" link set lo up
    "${NP_IN_RTR[@]}" sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0 \
        net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    "${NP_IN_RTR[@]}" iptables -t raw -A PREROUTING -j DROP
    "${NP_IN_RTR[@]}" ip6tables -t raw -A PREROUTING -j DROP
    ip -n "$NP_CLI" link add eth0 type veth peer name to-cli netns "$NP_RTR"
    ip -n "$NP_SRV" link add eth0 type veth peer name to-srv netns "$NP_RTR"
    ip -n "$NP_RTR" link set to-cli address "$NP_RTR_CLI_MAC" mtu 1500
    ip -n "$NP_RTR" link set to-srv address "$NP_RTR_SRV_MAC" mtu 1500
    for dev in to-cli to-srv; do
        np_offloads "$NP_RTR" "$dev"
        ip -n "$NP_RTR" link set "$dev" up
    done
    np_host "$NP_CLI" eth0 "$NP_CLI_MAC" "$NP_CLI_IP" "$NP_CLI_GW" \
        "$NP_CLI_IP6" "$NP_CLI_GW6" "$NP_RTR_CLI_MAC"
    np_host "$NP_SRV" eth0 "$NP_SRV_MAC" "$NP_SRV_IP" "$NP_SRV_GW" \
        "$NP_SRV_IP6" "$NP_SRV_GW6" "$NP_RTR_SRV_MAC"
}

# np_down: delete the namespaces (a no-op when they do not exist).  Called
# after the scenario's processes are stopped.
np_down() {
    local ns
    for ns in "$NP_CLI" "$NP_RTR" "$NP_SRV"; do
        [[ -e /run/netns/$ns ]] && ip netns delete "$ns"
    done
    return 0
}

# np_relay LOGNAME [RULES...]: relay.py in the router namespace (bounded by
# bg_server's timeout); returns once it is forwarding.
np_relay() {
    local logname=$1; shift
    bg_server "$logname" "${NP_IN_RTR[@]}" "$PY" -u "$HERE/relay.py" \
        --client "to-cli,$NP_CLI_MAC" --server "to-srv,$NP_SRV_MAC" --max-seconds 20 "$@"
    for _ in $(seq 100); do
        grep -q ' relay ready' "$TMP/$logname.log" 2>/dev/null && return 0
        sleep 0.05
    done
    echo "relay did not start:" >&2; cat "$TMP/$logname.log" >&2; exit 1
}

# np_nth_loss EVERY: iptables statistic loss in both directions, at the
# receiving end of each: the server's INPUT drops every EVERY-th TCP packet
# of 100 bytes or more (a data segment; a bare ACK or FIN is 52-80 bytes)
# for port 443, the client's INPUT every EVERY-th one from port 443.  Each
# counter starts at its direction's first data segment; the 2nd,
# 2+EVERY-th, ... are dropped, retransmissions included.  The client-side
# capture thus shows a lost client segment followed by the client's
# retransmission, and a lost server segment (dropped after tcpdump saw it)
# followed by the server's retransmission.
# (A DROP in the sender's own OUTPUT or POSTROUTING chain is no loss: the
# local send fails, TCP keeps the segment unsent and sends it again a moment
# later, in order, so the wire never shows a gap.  And OUTPUT sees the
# stack's 64 KB GSO packets, split only below it.)
np_nth_loss() {
    local every=$1
    "${NP_IN_SRV[@]}" iptables -A INPUT -p tcp --dport 443 -m length --length 100:65535 \
        -m statistic --mode nth --every "$every" --packet 1 -j DROP
    "${NP_IN_CLI[@]}" iptables -A INPUT -p tcp --sport 443 -m length --length 100:65535 \
        -m statistic --mode nth --every "$every" --packet 1 -j DROP
}

# ------------------------------------------------------ a routing router ---
# np_up_routed: the same three namespaces, MACs and host addresses as np_up,
# but the router is a real kernel router (for scenarios-path.sh):
#
#   client ns            router ns                          server ns
#   eth0 ------------ to-cli    [kernel forwarding]    to-srv ------------ eth0
#   192.0.2.2/24      192.0.2.1/24           198.51.100.1/24    198.51.100.2/24
#   2001:db8:1::2/64  2001:db8:1::1/64      2001:db8:2::1/64    2001:db8:2::2/64
#
# ip_forward and IPv6 forwarding on, so every forwarded packet's TTL / hop
# limit drops by one, and the router's own packets (an iptables REJECT's
# RST, a local proxy's segments) leave with 64.  iptables / ip6tables rules
# in $NP_RTR act as the middlebox.  No relay.py.  The router's neighbour
# entries for both hosts are static as well (still no ARP or NDP), and it
# sends no ICMP redirects.
np_up_routed() {
    local dev
    np_up
    "${NP_IN_RTR[@]}" iptables -t raw -D PREROUTING -j DROP
    "${NP_IN_RTR[@]}" ip6tables -t raw -D PREROUTING -j DROP
    "${NP_IN_RTR[@]}" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
        net.ipv6.conf.default.disable_ipv6=0
    for dev in to-cli to-srv; do
        "${NP_IN_RTR[@]}" sysctl -qw "net.ipv6.conf.$dev.accept_dad=0" \
            "net.ipv6.conf.$dev.disable_ipv6=0"
    done
    "${NP_IN_RTR[@]}" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
        net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0 \
        net.ipv4.conf.to-cli.send_redirects=0 net.ipv4.conf.to-srv.send_redirects=0
    ip -n "$NP_RTR" addr add "$NP_CLI_GW/24" dev to-cli
    ip -n "$NP_RTR" addr add "$NP_SRV_GW/24" dev to-srv
    ip -n "$NP_RTR" addr add "$NP_CLI_GW6/64" dev to-cli nodad
    ip -n "$NP_RTR" addr add "$NP_SRV_GW6/64" dev to-srv nodad
    ip -n "$NP_RTR" neigh replace "$NP_CLI_IP" lladdr "$NP_CLI_MAC" dev to-cli nud permanent
    ip -n "$NP_RTR" neigh replace "$NP_SRV_IP" lladdr "$NP_SRV_MAC" dev to-srv nud permanent
    ip -n "$NP_RTR" -6 neigh replace "$NP_CLI_IP6" lladdr "$NP_CLI_MAC" dev to-cli nud permanent
    ip -n "$NP_RTR" -6 neigh replace "$NP_SRV_IP6" lladdr "$NP_SRV_MAC" dev to-srv nud permanent
}
