#!/usr/bin/env python3
"""Write a hostile copy of a classic pcap file (Ethernet), for tests/fuzz.sh.

    fuzz-mutate.py IN.pcap OUT.pcap MUTATOR SEED [--quic-close N,...] [--map FILE] [--every]

Everything is drawn from random.Random(SEED): the same input, mutator and
seed give the same bytes. MUTATOR is one of

  truncate   some packets cut at random lengths (their original length kept)
  drop       some packets left out
  dup        some packets written twice in a row (a duplicating link)
  retrans    some TCP segments with data sent again 1-4 packets later, with
             the time of the packet they follow (a retransmission)
  reorder    some packets moved a few places
  timeshift  some packets, or everything from one packet on, put back in time
  fields     1-4 protocol fields changed in place: TLS record, handshake and
             extension lengths, version codes (record, hello,
             supported_versions), SNI lengths, certificate and DER lengths,
             alert levels and codes, PROXY v1/v2 header bytes, QUIC long
             header version and connection ID length, and the bytes of the
             QUIC packets that carry a CONNECTION_CLOSE (--quic-close: their
             frame numbers, which tshark finds; the frame itself is
             encrypted, so a change makes that packet undecryptable)
  mix        fields, then two of the structural mutators

and, to change how a packet is carried and not what it says (for
tests/benign-mutations.sh, every packet they can):

  vlan       an 802.1Q tag (VLAN 100) in every Ethernet header
  ipfrag     every IPv4 TCP segment with more than 64 bytes after its IP
             header sent as two IP fragments, the first cut just after its
             TCP header
  v6ext      a Destination Options extension header (8 bytes of padding) in
             every IPv6 packet that carries TCP

--map FILE writes, for each written packet, the number of the input packet
it copies (one per line), so that frame numbers can be compared. --every:
dup and retrans take every packet they can, not a few.
"""
import argparse
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcaplib import byte_order, read_records  # noqa: E402

STRUCTURAL = ("truncate", "drop", "dup", "retrans", "reorder", "timeshift")
ENCAPSULATION = ("vlan", "ipfrag", "v6ext")
MUTATORS = STRUCTURAL + ("fields", "mix") + ENCAPSULATION

VERSIONS = (0x0002, 0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x0305, 0x7f17, 0xfefd, 0xfeff,
            0x0a0a, 0x0000, 0xffff)
ALERTS = (0, 10, 20, 21, 40, 42, 45, 46, 48, 50, 51, 70, 71, 80, 86, 90, 100, 109, 110, 112,
          116, 120, 121, 255)
HANDSHAKE_TYPES = (0, 1, 2, 4, 5, 8, 11, 12, 13, 14, 15, 16, 20, 24, 25)


class Packet:
    def __init__(self, number, rec, order):
        self.number = number        # in the input, from 1
        self.sec, self.frac, _, self.orig = struct.unpack(order + "IIII", rec[:16])
        self.data = bytearray(rec[16:])

    def copy(self):
        twin = Packet.__new__(Packet)
        twin.__dict__.update(self.__dict__, data=bytearray(self.data))
        return twin


def u16(d, at):
    return int.from_bytes(d[at:at + 2], "big")


def u24(d, at):
    return int.from_bytes(d[at:at + 3], "big")


def ip_at(d):
    """(ethertype, offset) of the IP header of an Ethernet frame, or None."""
    if len(d) < 14:
        return None
    ethertype, at = u16(d, 12), 14
    while ethertype in (0x8100, 0x88a8) and len(d) >= at + 4:
        ethertype, at = u16(d, at + 2), at + 4
    return (ethertype, at) if ethertype in (0x0800, 0x86dd) else None


def transport(d):
    """(protocol, payload start, payload end) of an Ethernet frame, or None."""
    ip = ip_at(d)
    if not ip:
        return None
    ethertype, at = ip
    if ethertype == 0x0800 and len(d) >= at + 20:
        proto, total = d[at + 9], u16(d, at + 2)
        end = min(len(d), at + total) if total else len(d)
        l4 = at + (d[at] & 0x0f) * 4
    elif ethertype == 0x86dd and len(d) >= at + 40:
        proto, l4 = d[at + 6], at + 40
        end = min(len(d), l4 + u16(d, at + 4))
    else:
        return None
    if proto == 6 and end >= l4 + 20:
        return 6, l4 + (d[l4 + 12] >> 4) * 4, end
    if proto == 17 and end >= l4 + 8:
        return 17, l4 + 8, end
    return None


def ipv4_checksum(h):
    total = sum(u16(h, i) for i in range(0, len(h), 2) if i != 10)
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def encapsulate(name, packets):
    out = []
    for pkt in packets:
        d, ip = pkt.data, ip_at(pkt.data)
        # (A frame the capture cut keeps its cut: what is inserted adds to
        # its length on the wire too.)
        if name == "vlan" and len(d) >= 14:
            d[12:12] = b"\x81\x00\x00\x64"
            pkt.orig += 4
        elif name == "v6ext" and ip and ip[0] == 0x86dd and len(d) >= ip[1] + 40 and d[ip[1] + 6] == 6:
            at = ip[1]
            d[at + 40:at + 40] = bytes((6, 0, 1, 4, 0, 0, 0, 0))
            d[at + 6] = 60
            d[at + 4:at + 6] = (u16(d, at + 4) + 8).to_bytes(2, "big")
            pkt.orig += 8
        elif (name == "ipfrag" and ip and ip[0] == 0x0800 and d[ip[1] + 9] == 6 and pkt.orig <= len(d)
              and (u16(d, ip[1] + 6) & 0x3fff) == 0):
            at, hl = ip[1], (d[ip[1]] & 0x0f) * 4
            total = u16(d, at + 2)
            body = d[at + hl:at + total]
            cut = ((d[at + hl + 12] >> 4) * 4 + 7) // 8 * 8 if len(body) >= 20 else 0
            if len(body) > 64 and cut < len(body):
                first = pkt.copy()
                for frag, part, flags in ((first, body[:cut], 0x2000), (pkt, body[cut:], cut // 8)):
                    h = bytearray(d[at:at + hl])
                    h[2:4] = (hl + len(part)).to_bytes(2, "big")
                    h[6:8] = flags.to_bytes(2, "big")
                    h[10:12] = ipv4_checksum(h).to_bytes(2, "big")
                    frag.data = bytearray(d[:at]) + h + part
                    frag.orig = len(frag.data)
                out.append(first)
        out.append(pkt)
    return out


def hello_targets(d, p, end, client, t):
    t.append(("version", p))
    q = p + 34
    if q >= end:
        return
    t.append(("len8", q))
    q += 1 + d[q]
    if client:
        if q + 2 > end:
            return
        t.append(("len16", q))
        q += 2 + u16(d, q)
        if q >= end:
            return
        t.append(("len8", q))
        q += 1 + d[q]
    else:
        q += 3
    if q + 2 > end:
        return
    t.append(("len16", q))
    q += 2
    while q + 4 <= end:
        etype, elen = u16(d, q), u16(d, q + 2)
        t.append(("len16", q + 2))
        if etype == 43 and client and q + 5 <= end:         # supported_versions
            t.append(("len8", q + 4))
            t += [("version", v) for v in range(q + 5, min(end, q + 5 + d[q + 4]) - 1, 2)]
        elif etype == 43 and q + 6 <= end:
            t.append(("version", q + 4))
        elif etype == 0 and client and q + 9 <= end:        # server_name
            t += [("len16", q + 4), ("len16", q + 7)]
        q += 4 + elen


def record_targets(d, start, end, t):
    """Walk the TLS records that begin a TCP payload."""
    at = start
    while at + 5 <= end and 20 <= d[at] <= 24 and d[at + 1] == 3:
        length = u16(d, at + 3)
        t += [("version", at + 1), ("len16", at + 3), ("u8", at)]
        body, body_end = at + 5, min(end, at + 5 + length)
        if d[at] == 21 and length == 2 and body_end == body + 2:
            t += [("level", body), ("alert", body + 1)]
        p = body
        while d[at] == 22 and p + 4 <= body_end and d[p] in HANDSHAKE_TYPES:
            t += [("len24", p + 1), ("u8", p)]
            if d[p] in (1, 2):
                hello_targets(d, p + 4, min(body_end, p + 4 + u24(d, p + 1)), d[p] == 1, t)
            p += 4 + u24(d, p + 1)
        at += 5 + length


def der_targets(d, start, end, t):
    """Certificates wherever they are (they span segments): 30 82 LL LL
    30 82 (Certificate, tbsCertificate), their 3-byte TLS length before them,
    and the lengths and digits of their times (17 0d / 18 0f)."""
    at = d.find(b"\x30\x82", start, end)
    while 0 <= at and at + 6 <= end:
        if d[at + 4:at + 6] == b"\x30\x82":
            t += [("len16", at + 2), ("len16", at + 6)]
            if at - 3 >= start:
                t.append(("len24", at - 3))
        at = d.find(b"\x30\x82", at + 2, end)
    for tag in (b"\x17\x0d", b"\x18\x0f"):
        at = d.find(tag, start, end)
        while 0 <= at:
            t += [("len8", at + 1)] + [("byte", i) for i in range(at + 2, min(end, at + 2 + d[at + 1]))]
            at = d.find(tag, at + 2, end)


def proxy_targets(d, start, end, t):
    if d[start:start + 6] == b"PROXY ":
        line = d.find(b"\r\n", start, end)
        t += [("byte", i) for i in range(start, (line if line > 0 else end))]
    elif d[start:start + 12] == b"\r\n\r\n\x00\r\nQUIT\n" and end >= start + 16:
        t += [("u8", start + 12), ("u8", start + 13), ("len16", start + 14)]
        t += [("byte", i) for i in range(start + 16, min(end, start + 16 + 36))]


def locate(packets, quic_close):
    """Every (packet, kind, offset) the fields mutator may change."""
    found = []
    for pkt in packets:
        where = transport(pkt.data)
        if not where:
            continue
        proto, start, end = where
        t = []
        d = pkt.data
        if proto == 6 and end > start:
            proxy_targets(d, start, end, t)
            record_targets(d, start, end, t)
            der_targets(d, start, end, t)
        elif proto == 17 and end > start + 6 and d[start] & 0x80:
            t += [("u32", start + 1), ("len8", start + 5)]
            if pkt.number in quic_close:
                t += [("byte", i) for i in range(max(start, end - 24), end)]
        found += [(pkt, kind, at) for kind, at in t if at < len(d)]
    return found


def change(d, kind, at, rng):
    if kind == "byte":
        d[at] = rng.randrange(256)
    elif kind in ("u8", "len8", "level", "alert"):
        v = d[at]
        pool = {"level": (0, 1, 2, 3, 255), "alert": ALERTS}.get(
            kind, (0, 1, v - 1, v + 1, 0x7f, 0x80, 0xff, rng.randrange(256)))
        d[at] = rng.choice(pool) & 0xff
    elif kind == "len16" and at + 2 <= len(d):
        v = u16(d, at)
        nv = rng.choice((0, 1, v - 1, v + 1, v + 5, v * 2, v // 2, 0x3fff, 0x4000, 0x7fff, 0xffff,
                         rng.randrange(0x10000)))
        d[at:at + 2] = (nv & 0xffff).to_bytes(2, "big")
    elif kind == "len24" and at + 3 <= len(d):
        v = u24(d, at)
        nv = rng.choice((0, 1, v - 1, v + 1, v * 2, v // 2, 0xffff, 0x10000, 0xffffff,
                         rng.randrange(0x1000000)))
        d[at:at + 3] = (nv & 0xffffff).to_bytes(3, "big")
    elif kind == "version" and at + 2 <= len(d):
        d[at:at + 2] = rng.choice(VERSIONS).to_bytes(2, "big")
    elif kind == "u32" and at + 4 <= len(d):
        d[at:at + 4] = rng.choice((0, 1, 0xffffffff, 0x6b3343cf, 0xff00001d, 0x0a0a0a0a,
                                   rng.randrange(1 << 32))).to_bytes(4, "big")


def some(rng, n, share=8):
    return rng.randint(1, max(1, n // share))


def mutate(name, packets, rng, scale, quic_close, every=False):
    n = len(packets)
    if n == 0:
        return packets
    if name == "truncate":
        for pkt in rng.sample(packets, some(rng, n, 4)):
            del pkt.data[rng.randrange(len(pkt.data) + 1):]
    elif name == "drop" and n > 1:
        gone = set(rng.sample(range(n), min(n - 1, some(rng, n))))
        packets = [p for i, p in enumerate(packets) if i not in gone]
    elif name == "dup":
        for i in sorted(range(n) if every else rng.sample(range(n), some(rng, n)), reverse=True):
            packets.insert(i + 1, packets[i].copy())
    elif name == "retrans":
        data = [i for i, p in enumerate(packets) if (w := transport(p.data)) and w[0] == 6 and w[2] > w[1]]
        for i in sorted(data if every else rng.sample(data, min(len(data), some(rng, n))), reverse=True):
            j = min(len(packets), i + rng.randint(1, 4))
            copy = packets[i].copy()
            copy.sec, copy.frac = packets[j - 1].sec, packets[j - 1].frac
            packets.insert(j, copy)
    elif name == "reorder":
        for _ in range(some(rng, n)):
            i = rng.randrange(n)
            pkt = packets.pop(i)
            packets.insert(max(0, min(n - 1, i + rng.randint(-6, 6))), pkt)
    elif name == "timeshift":
        back = rng.choice((1, 1000, scale // 10, scale, 60 * scale, 86400 * scale, 1 << 62))
        chosen = (packets[rng.randrange(n):] if rng.random() < 0.5
                  else rng.sample(packets, some(rng, n)))
        for pkt in chosen:
            t = max(0, pkt.sec * scale + pkt.frac - back)
            pkt.sec, pkt.frac = divmod(t, scale)
    elif name == "fields":
        # A kind first, then one of its places: the many digit and header
        # bytes would otherwise crowd out the few lengths and alert codes.
        by_kind = {}
        for pkt, kind, at in locate(packets, quic_close):
            by_kind.setdefault(kind, []).append((pkt, at))
        for _ in range(rng.randint(1, 4) if by_kind else 0):
            kind = rng.choice(sorted(by_kind))
            pkt, at = rng.choice(by_kind[kind])
            change(pkt.data, kind, at, rng)
    elif name in ENCAPSULATION:
        packets = encapsulate(name, packets)
    elif name == "mix":
        packets = mutate("fields", packets, rng, scale, quic_close)
        for other in rng.sample(STRUCTURAL, 2):
            packets = mutate(other, packets, rng, scale, quic_close)
    return packets


def main():
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("mutator", choices=MUTATORS)
    ap.add_argument("seed", type=int)
    ap.add_argument("--quic-close", default="", help="frame numbers of QUIC CONNECTION_CLOSE packets")
    ap.add_argument("--map", help="write the input frame number of each output packet here")
    ap.add_argument("--every", action="store_true", help="dup, retrans: every packet they can")
    a = ap.parse_args()
    with open(a.src, "rb") as f:
        header, records = read_records(f.read())
    order = byte_order(header)
    scale = 10 ** 9 if header[:4] in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d") else 10 ** 6
    packets = [Packet(i + 1, rec, order) for i, rec in enumerate(records)]
    quic_close = {int(x) for x in a.quic_close.split(",") if x}
    packets = mutate(a.mutator, packets, random.Random(a.seed), scale, quic_close, a.every)
    with open(a.dst, "wb") as f:
        f.write(header)
        for p in packets:
            f.write(struct.pack(order + "IIII", p.sec, p.frac, len(p.data), max(p.orig, len(p.data))))
            f.write(p.data)
    if a.map:
        with open(a.map, "w") as f:
            f.write("".join(f"{p.number}\n" for p in packets))


main()
