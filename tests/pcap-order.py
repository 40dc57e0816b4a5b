#!/usr/bin/env python3
"""Write the records of a classic pcap file in another order, as a capture on
a busy link may hold them: frames moved, repeated or left out.

    pcap-order.py IN.pcap OUT.pcap ORDER

ORDER lists frame numbers (from 1) and ranges, comma-separated, in the order
they are to be written: "1-8,10,9" moves frame 10 before 9; "1-6,6,7-" writes
frame 6 twice; an open range ("7-") runs to the last frame. Timestamps are
kept, so a moved frame goes back in time as it would in such a capture.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcaplib import read_records  # noqa: E402


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
