#!/usr/bin/env python3
"""Write the records of a classic pcap file in another order, as a capture on
a busy link may hold them: frames moved, repeated or left out.

    pcap-order.py IN.pcap OUT.pcap ORDER

ORDER lists frame numbers (from 1) and ranges, comma-separated, in the order
they are to be written: "1-8,10,9" moves frame 10 before 9; "1-6,6,7-" writes
frame 6 twice; an open range ("7-") runs to the last frame. Timestamps are
kept, so a moved frame goes back in time as it would in such a capture.
"""
import struct
import sys


def read_records(data):
    magic = data[:4]
    order = {b"\xd4\xc3\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">",
             b"\x4d\x3c\xb2\xa1": "<", b"\xa1\xb2\x3c\x4d": ">"}.get(magic)
    if not order:
        sys.exit("pcap-order.py: not a classic pcap file")
    records, at = [], 24
    while at + 16 <= len(data):
        incl = struct.unpack(order + "I", data[at + 8:at + 12])[0]
        records.append(data[at:at + 16 + incl])
        at += 16 + incl
    return data[:24], records


def frames(spec, last):
    for part in spec.split(","):
        lo, dash, hi = part.partition("-")
        lo = int(lo)
        hi = (int(hi) if hi else last) if dash else lo
        if not 1 <= lo <= hi <= last:
            sys.exit(f"pcap-order.py: {part} is outside frames 1-{last}")
        yield from range(lo, hi + 1)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    src, dst, spec = sys.argv[1:]
    with open(src, "rb") as f:
        header, records = read_records(f.read())
    with open(dst, "wb") as f:
        f.write(header)
        for n in frames(spec, len(records)):
            f.write(records[n - 1])


main()
