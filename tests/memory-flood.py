#!/usr/bin/env python3
"""Write a flood of TLS connections that never end their handshake, for
tests/memory.sh: each a SYN, SYN-ACK, ACK and the ClientHello of a template,
then nothing (no answer, no FIN, no RST), from a client address of its own.

    memory-flood.py TEMPLATE.pcap OUT.pcap CONNECTIONS

TEMPLATE's first TCP segment with data (an Ethernet/IPv4 ClientHello, e.g.
captures/no-server-response.pcap) gives the MAC addresses, the server's
address and port and the ClientHello bytes. Clients are 10.16.0.0/12 (as in
bench/gen.py), one per connection; a connection starts every 100 us.
Checksums are left at zero: Wireshark does not check them by default.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcaplib import byte_order, read_records  # noqa: E402


def ipv4_checksum(header):
    s = sum(struct.unpack("!10H", header))
    s = (s & 0xffff) + (s >> 16)
    return ~((s & 0xffff) + (s >> 16)) & 0xffff


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[4].strip())
    src, dst, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(src, "rb") as f:
        header, records = read_records(f.read())
    order = byte_order(header)
    for rec in records:
        d = rec[16:]
        if d[12:14] != b"\x08\x00" or d[23] != 6:
            continue
        ihl = (d[14] & 0x0f) * 4
        tcp = 14 + ihl
        payload = d[tcp + (d[tcp + 12] >> 4) * 4:14 + struct.unpack("!H", d[16:18])[0]]
        if payload:
            break
    else:
        sys.exit("memory-flood.py: no TCP segment with data in " + src)
    macs, server, sport = d[:12], d[14 + 16:14 + 20], struct.unpack("!H", d[tcp + 2:tcp + 4])[0]

    def packet(t_us, client, cport, to_server, flags, seq, ack, data=b""):
        a, b = (client, server) if to_server else (server, client)
        p, q = (cport, sport) if to_server else (sport, cport)
        ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + 20 + len(data), 0, 0x4000, 64, 6, 0, a, b))
        ip[10:12] = struct.pack("!H", ipv4_checksum(ip))
        tcp_header = struct.pack("!HHIIBBHHH", p, q, seq, ack, 5 << 4, flags, 65535, 0, 0)
        frame = macs + b"\x08\x00" + bytes(ip) + tcp_header + data
        return struct.pack(order + "IIII", t_us // 10**6, t_us % 10**6, len(frame), len(frame)) + frame

    base = 1795564800 * 10**6          # bench/gen.py's clock: 2026-11-25 00:00:00 UTC
    with open(dst, "wb") as out:
        out.write(header[:24])
        for k in range(count):
            client = bytes((10, 16 + (k >> 16 & 0x0f), k >> 8 & 0xff, k & 0xff))
            cport, isn, sisn, t = 32768 + k % 28000, (k * 2654435761) & 0xffffffff, 1000 + k, base + k * 100
            out.write(packet(t, client, cport, True, 0x02, isn, 0))
            out.write(packet(t + 10, client, cport, False, 0x12, sisn, isn + 1))
            out.write(packet(t + 20, client, cport, True, 0x10, isn + 1, sisn + 1))
            out.write(packet(t + 30, client, cport, True, 0x18, isn + 1, sisn + 1, payload))


main()
