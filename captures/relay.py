#!/usr/bin/env python3
"""A router made of two packet sockets, for captures/netpath.sh.

  relay.py --client IF,MAC --server IF,MAC [RULE...] [--seed N]
           [--hold-ms MS] [--max-seconds S]

Runs in the router namespace.  Every IPv4/IPv6 frame that arrives on IF
addressed to IF's own MAC is sent out of the other interface to the MAC of
the host behind it, with TTL / hop limit decremented (as a router would);
everything else (ARP, multicast, copies of our own output) is ignored.

Rules act on TCP segments that carry payload, counted per connection and
direction: the Nth *new* data segment is the Nth one whose sequence number
is at or beyond everything seen before in that direction, so a
retransmission is never counted and never disturbed again (loss is "once").
DIR is c2s (client to server, i.e. from the --client side) or s2c.

  --reorder DIR:N   hold data segment N until segment N+1 has been sent
                    (or --hold-ms passed): N+1 overtakes N
  --dup DIR:N       send data segment N twice, back to back
  --drop DIR:N      drop data segment N once; the sender retransmits it
  --loss DIR:P      drop each new data segment with probability P, from a
                    generator seeded with (--seed, connection number, DIR)

A connection is numbered by its SYN (1, 2, ...), so a re-run with the same
rules and seed disturbs the same segments.  Every action is logged.
"""
import argparse, random, select, socket, struct, sys, time

ETH_P_ALL = 0x0003
ETH_P_IP, ETH_P_IPV6 = 0x0800, 0x86DD
PACKET_HOST = 0
T0 = time.monotonic()


def log(msg):
    print(f"{time.monotonic() - T0:8.3f} {msg}", flush=True)


def mac_bytes(text):
    return bytes(int(x, 16) for x in text.split(":"))


def if_mac(ifname):
    with open(f"/sys/class/net/{ifname}/address") as f:
        return mac_bytes(f.read().strip())


def ip_checksum(hdr):
    if len(hdr) % 2:
        hdr += b"\0"
    s = sum(struct.unpack(f"!{len(hdr) // 2}H", hdr))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


class Port:
    """One router interface and the host behind it."""

    def __init__(self, spec, direction):
        ifname, peer = spec.split(",")
        self.name, self.peer = ifname, mac_bytes(peer)
        self.mac = if_mac(ifname)
        self.dir = direction          # direction of the frames it receives
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.sock.bind((ifname, ETH_P_ALL))
        self.other = None


class Direction:
    """One direction of one TCP connection."""

    def __init__(self, rng):
        self.base = None              # sequence number of the first payload byte
        self.high = 0                 # highest relative sequence end seen
        self.count = 0                # new data segments seen
        self.rng = rng
        self.held = None              # (frame, port, n, deadline) being reordered


class Relay:
    def __init__(self, args):
        self.rules = {}               # (dir, n) -> action
        for action in ("reorder", "dup", "drop"):
            for rule in getattr(args, action):
                d, n = rule.split(":")
                if d not in ("c2s", "s2c"):
                    sys.exit(f"bad direction in {rule}")
                self.rules[(d, int(n))] = action
        self.loss = {}
        for rule in args.loss:
            d, p = rule.split(":")
            self.loss[d] = float(p)
        self.seed = args.seed
        self.hold = args.hold_ms / 1000
        self.conns = {}               # (cli ip, cli port, srv ip, srv port) -> {dir: Direction}
        self.nconns = 0
        self.cli = Port(args.client, "c2s")
        self.srv = Port(args.server, "s2c")
        self.cli.other, self.srv.other = self.srv, self.cli
        self.ports = {self.cli.sock: self.cli, self.srv.sock: self.srv}

    # ------------------------------------------------------------ frames ---

    def route(self, frame, port):
        """Rewrite a frame received on PORT for the other interface; None
        when it is not ours to forward."""
        if len(frame) < 14 or frame[0:6] != port.mac:
            return None
        etype = struct.unpack("!H", frame[12:14])[0]
        out = port.other
        ip = bytearray(frame[14:])
        if etype == ETH_P_IP and len(ip) >= 20:
            ihl = (ip[0] & 0x0F) * 4
            if ip[8] <= 1:
                return None
            ip[8] -= 1
            ip[10:12] = b"\0\0"
            ip[10:12] = struct.pack("!H", ip_checksum(bytes(ip[:ihl])))
        elif etype == ETH_P_IPV6 and len(ip) >= 40:
            if ip[7] <= 1:
                return None
            ip[7] -= 1
        else:
            return None
        return out.peer + out.mac + frame[12:14] + bytes(ip)

    @staticmethod
    def tcp_info(frame):
        """(src, sport, dst, dport, seq, flags, payload length) or None."""
        etype = struct.unpack("!H", frame[12:14])[0]
        ip = frame[14:]
        if etype == ETH_P_IP:
            if ip[9] != 6:
                return None
            ihl = (ip[0] & 0x0F) * 4
            total = struct.unpack("!H", ip[2:4])[0]
            src, dst = socket.inet_ntop(socket.AF_INET, ip[12:16]), \
                socket.inet_ntop(socket.AF_INET, ip[16:20])
            tcp, tcplen = ip[ihl:total], total - ihl
        else:
            if ip[6] != 6:            # extension headers are not followed
                return None
            plen = struct.unpack("!H", ip[4:6])[0]
            src, dst = socket.inet_ntop(socket.AF_INET6, ip[8:24]), \
                socket.inet_ntop(socket.AF_INET6, ip[24:40])
            tcp, tcplen = ip[40:40 + plen], plen
        if len(tcp) < 20:
            return None
        sport, dport, seq = struct.unpack("!HHI", tcp[:8])
        doff = (tcp[12] >> 4) * 4
        return src, sport, dst, dport, seq, tcp[13], tcplen - doff

    def conn(self, d, info):
        src, sport, dst, dport, seq, flags, _ = info
        key = (src, sport, dst, dport) if d == "c2s" else (dst, dport, src, sport)
        syn, ack = flags & 0x02, flags & 0x10
        if key not in self.conns or (d == "c2s" and syn and not ack
                                     and self.conns[key]["c2s"].base != (seq + 1) & 0xFFFFFFFF):
            self.nconns += 1
            n = self.nconns
            self.conns[key] = {
                "n": n,
                "c2s": Direction(random.Random(f"{self.seed}:{n}:c2s")),
                "s2c": Direction(random.Random(f"{self.seed}:{n}:s2c")),
            }
            log(f"conn {n}: {key[0]}:{key[1]} -> {key[2]}:{key[3]}")
        c = self.conns[key]
        st = c[d]
        if syn:
            st.base = (seq + 1) & 0xFFFFFFFF
        return c["n"], st

    # ----------------------------------------------------------- forward ---

    def send(self, frame, port):
        port.other.sock.send(frame)

    def handle(self, frame, port):
        out = self.route(frame, port)
        if out is None:
            return
        d = port.dir
        info = self.tcp_info(out)
        if info is None:
            self.send(out, port)
            return
        n, st = self.conn(d, info)
        seq, plen = info[4], info[6]
        if plen <= 0:                 # SYN, pure ACK, FIN, RST: untouched
            self.send(out, port)
            return
        if st.base is None:           # picked up mid-stream
            st.base = seq
        rel = (seq - st.base) & 0xFFFFFFFF
        if rel < st.high:             # retransmission (or overlap): untouched
            log(f"conn {n} {d} retransmission rel seq {rel} len {plen}: forwarded")
            self.send(out, port)
            return
        st.count += 1
        st.high = rel + plen
        k = st.count
        action = self.rules.get((d, k))
        what = f"conn {n} {d} data segment {k} (rel seq {rel} len {plen})"
        if action is None and d in self.loss and st.rng.random() < self.loss[d]:
            action = "drop"
        if action == "drop":
            log(f"{what}: dropped")
        elif action == "dup":
            self.send(out, port)
            self.send(out, port)
            log(f"{what}: sent twice")
        elif action == "reorder":
            self.release(st)          # at most one held at a time
            st.held = (out, port, k, time.monotonic() + self.hold)
            log(f"{what}: held")
        else:
            self.send(out, port)
            log(f"{what}: forwarded")
        if st.held and st.held[2] < k:
            log(f"conn {n} {d} data segment {st.held[2]}: released after segment {k}")
            self.release(st)

    def release(self, st):
        if st.held:
            frame, port, _, _ = st.held
            st.held = None
            self.send(frame, port)

    def expire(self):
        now = time.monotonic()
        for c in self.conns.values():
            for d in ("c2s", "s2c"):
                st = c[d]
                if st.held and st.held[3] <= now:
                    log(f"conn {c['n']} {d} data segment {st.held[2]}: released after "
                        f"{self.hold * 1000:.0f} ms, nothing overtook it")
                    self.release(st)

    def run(self, max_seconds):
        log(f"relay ready: {self.cli.name} <-> {self.srv.name}, rules "
            f"{sorted(self.rules.items()) or 'none'}, loss {self.loss or 'none'}, seed {self.seed}")
        end = time.monotonic() + max_seconds
        while time.monotonic() < end:
            ready, _, _ = select.select(list(self.ports), [], [], 0.01)
            for s in ready:
                frame, addr = s.recvfrom(65535)
                if addr[2] == PACKET_HOST:    # not our own output, not broadcast
                    self.handle(frame, self.ports[s])
            self.expire()
        log("relay: time is up")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--client", required=True, help="IF,MAC of the client side")
    p.add_argument("--server", required=True, help="IF,MAC of the server side")
    p.add_argument("--reorder", action="append", default=[], metavar="DIR:N")
    p.add_argument("--dup", action="append", default=[], metavar="DIR:N")
    p.add_argument("--drop", action="append", default=[], metavar="DIR:N")
    p.add_argument("--loss", action="append", default=[], metavar="DIR:P")
    p.add_argument("--seed", default="1")
    p.add_argument("--hold-ms", type=float, default=100)
    p.add_argument("--max-seconds", type=float, default=30)
    args = p.parse_args()
    Relay(args).run(args.max_seconds)


main()
