"""Classic pcap files as a header and a list of records, for the test
scripts that rewrite captures (pcap-order.py, fuzz-mutate.py)."""
import os
import struct
import sys

BYTE_ORDER = {b"\xd4\xc3\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">",     # microseconds
              b"\x4d\x3c\xb2\xa1": "<", b"\xa1\xb2\x3c\x4d": ">"}     # nanoseconds


def byte_order(header):
    order = BYTE_ORDER.get(header[:4])
    if not order:
        sys.exit(f"{os.path.basename(sys.argv[0])}: not a classic pcap file")
    return order


def read_records(data):
    """The file header and each record (its 16-byte header and bytes) as read."""
    order = byte_order(data)
    records, at = [], 24
    while at + 16 <= len(data):
        incl = struct.unpack(order + "I", data[at + 8:at + 12])[0]
        records.append(data[at:at + 16 + incl])
        at += 16 + incl
    return data[:24], records
