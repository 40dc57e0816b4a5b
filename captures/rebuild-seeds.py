#!/usr/bin/env python3
"""Rebuild the TLS exchanges quoted in the real-world seeds as pcap files.

Usage:  python3 captures/rebuild-seeds.py [OUTDIR]      (default: captures/)

Writes, next to this script (or into OUTDIR):

  seed01-inappropriate-fallback.pcap
      from seeds/01-alb-inappropriate-fallback-question.txt
  seed04-sslv3-handshake-failure.pcap
      from seeds/04-aliyun-handshake-failure-scenarios-zh.txt, 1st transcript
  seed04-weak-cipher-handshake-failure.pcap
      from seeds/04-aliyun-handshake-failure-scenarios-zh.txt, 2nd transcript

Each file is one complete TCP conversation, seen from the client side:

   1  C->S  SYN
   2  S->C  SYN, ACK
   3  C->S  ACK
   4  C->S  PSH, ACK   TLS record: ClientHello (one segment)
   5  S->C  ACK
   6  S->C  PSH, ACK   TLS record: Alert (fatal)
   7  S->C  FIN, ACK
   8  C->S  FIN, ACK
   9  S->C  ACK

Classic pcap (microsecond timestamps), linktype 1 (Ethernet), IPv4 with
correct header checksums, TCP with correct checksums and seq/ack numbers.
Client 192.0.2.10 (RFC 5737 documentation range), server 198.51.100.20:443.
Everything is fixed (timestamps, MACs, ports, ISNs, IP IDs), so the output is
byte-for-byte identical on every run.  Python 3 standard library only.

The TLS bytes are literals below, copied from the seeds.  If the seed files
are found (../shared/seeds beside the repository, or $TLSDIAG_SEEDS), the
seed-04 hex is additionally parsed out of the seed text and must equal the
literals; the seed-01 ClientHello is rebuilt field by field from the
dissection the seed quotes (see build_seed01_client_hello for what had to be
filled in, because the seed does not show those bytes).
"""

import calendar
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

CLIENT_IP = "192.0.2.10"
SERVER_IP = "198.51.100.20"
CLIENT_MAC = bytes.fromhex("02000000000a")  # locally administered, made up
SERVER_MAC = bytes.fromhex("020000000014")  # (the router's MAC, as seen by the client)
SERVER_PORT = 443


def hexbytes(s):
    """'16 03 00 00 8f' (any whitespace) -> bytes."""
    return bytes.fromhex("".join(s.split()))


# --------------------------------------------------------------------------
# TLS records
# --------------------------------------------------------------------------

def check_record(rec, what):
    """Assert the record / handshake length fields match the byte counts."""
    assert len(rec) >= 5, what
    rlen = struct.unpack("!H", rec[3:5])[0]
    assert rlen == len(rec) - 5, "%s: record length %d != %d bytes" % (what, rlen, len(rec) - 5)
    if rec[0] == 0x16:  # handshake: check the handshake header too
        hlen = int.from_bytes(rec[6:9], "big")
        assert hlen == rlen - 4, "%s: handshake length %d != %d bytes" % (what, hlen, rlen - 4)
    return rec


def u8(n):
    return struct.pack("!B", n)


def u16(n):
    return struct.pack("!H", n)


def vec8(b):
    assert len(b) < 0x100
    return u8(len(b)) + b


def vec16(b):
    assert len(b) < 0x10000
    return u16(len(b)) + b


def ext(etype, body):
    return u16(etype) + vec16(body)


def build_seed01_client_hello():
    """ClientHello of seed 01, rebuilt from the Wireshark dissection it quotes.

    Every field the seed shows is reproduced exactly (versions, lengths 165 /
    161 / 28 / 92 / 27 / 25 / 22 / 26 / 24 / 2 / 1 / 8 / 6, the 14 cipher
    suites in order ending in TLS_FALLBACK_SCSV 0x5600, compression null, the
    extensions in the order given).  Filled in, because the seed does not
    give the bytes:
      * random.gmt_unix_time: the seed shows "Jun  7, 2050 12:50:05 PST";
        taken as UTC-8, i.e. 2050-06-07 20:50:05 UTC = 2538247805 = 0x974a967d.
      * random_bytes (28 bytes): the seed shows only the first 24,
        da03ff7045a5f76e78edf61c097c75e4e141df6649ef1861 ("..." = truncated
        by Wireshark); the last 4 are filler 00 00 00 00.
      * server_name: REDACTED in the seed; only its length (22) is known.
        Placeholder "redacted.example.co.uk" (22 characters).
    """
    gmt = calendar.timegm((2050, 6, 7, 12 + 8, 50, 5, 0, 0, 0))  # PST = UTC-8
    assert gmt == 2538247805 == 0x974a967d
    rnd = struct.pack("!I", gmt) \
        + bytes.fromhex("da03ff7045a5f76e78edf61c097c75e4e141df6649ef1861") \
        + bytes(4)                                          # filler
    assert len(rnd) == 32

    suites = [0xc00a, 0xc009, 0xc013, 0xc014, 0xc007, 0xc011, 0x0033,
              0x0039, 0x002f, 0x0035, 0x000a, 0x0005, 0x0004,
              0x5600]                                       # TLS_FALLBACK_SCSV
    assert len(suites) == 14
    suites_b = b"".join(u16(s) for s in suites)
    assert len(suites_b) == 28

    sni = b"redacted.example.co.uk"                         # placeholder
    assert len(sni) == 22
    sni_list = u8(0) + vec16(sni)                           # host_name(0)
    assert len(sni_list) == 25
    alpn = b"".join(vec8(p) for p in (b"h2-16", b"spdy/3.1", b"http/1.1"))
    assert len(alpn) == 24

    exts = [
        ext(0xff01, vec8(b"")),                             # renegotiation_info, len 1
        ext(0x0000, vec16(sni_list)),                       # server_name, len 27
        ext(0x0017, b""),                                   # extended_master_secret
        ext(0x0023, b""),                                   # SessionTicket TLS
        ext(0x0010, vec16(alpn)),                           # ALPN, len 26
        ext(0x000b, vec8(b"\x00")),                         # ec_point_formats: uncompressed
        ext(0x000a, vec16(u16(0x0017) + u16(0x0018) + u16(0x0019))),  # elliptic_curves
    ]
    expect_ext_len = [1, 27, 0, 0, 26, 2, 8]                # as shown in the seed
    for e, n in zip(exts, expect_ext_len):
        assert struct.unpack("!H", e[2:4])[0] == n == len(e) - 4
    exts_b = b"".join(exts)
    assert len(exts_b) == 92

    body = (u16(0x0301)                                     # client_version TLS 1.0
            + rnd
            + vec8(b"")                                     # session_id, length 0
            + vec16(suites_b)
            + vec8(b"\x00")                                 # compression: null
            + vec16(exts_b))
    assert len(body) == 161
    hs = u8(1) + len(body).to_bytes(3, "big") + body        # ClientHello
    rec = u8(0x16) + u16(0x0301) + vec16(hs)                # Handshake, TLS 1.0
    assert len(rec) == 5 + 165
    return check_record(rec, "seed01 ClientHello")


# Seed 01: the alert record, quoted in the seed's dissection:
# Alert, TLS 1.0, length 2, level fatal(2), inappropriate_fallback(86).
SEED01_ALERT = hexbytes("15 03 01 00 02  02 56")

# Seed 04, first transcript (`openssl s_client -connect www.taobao.com:443
# -ssl3 -msg`), copied verbatim: record header + ClientHello body.
SEED04_SSL3_CH = hexbytes("""
16 03 00 00 8f
01 00 00 8b 03 00 2a a0 d3 c5 10 b0 0a c0 0b ea fc e7 49 8f d1 66 cd 2a 51
c1 ab f4 ab b7 63 e1 a7 3e e0 d7 14 9b 00 00 64 c0 14 c0 0a 00 39 00 38 00
37 00 36 00 88 00 87 00 86 00 85 c0 0f c0 05 00 35 00 84 c0 13 c0 09 00 33
00 32 00 31 00 30 00 9a 00 99 00 98 00 97 00 45 00 44 00 43 00 42 c0 0e c0
04 00 2f 00 96 00 41 c0 12 c0 08 00 16 00 13 00 10 00 0d c0 0d c0 03 00 0a
00 07 c0 11 c0 07 c0 0c c0 02 00 05 00 04 00 ff 01 00
""")
# ... and the server's answer: SSL 3.0 Alert, fatal handshake_failure(40).
SEED04_SSL3_ALERT = hexbytes("15 03 00 00 02  02 28")

# Seed 04, second transcript (`openssl s_client -connect www.taobao.com:443
# -cipher DHE-RSA-AES128-SHA256 -msg`), copied verbatim.
SEED04_WEAK_CH = hexbytes("""
16 03 01 00 5e
01 00 00 5a 03 03 4a d3 f5 53 f0 f3 e2 8f a8 a3 4a 26 81 91 84 fb fd cf 80
13 21 c6 42 d3 c4 2b a7 70 de 4c e0 48 00 00 04 00 67 00 ff 01 00 00 2d 00
23 00 00 00 0d 00 20 00 1e 06 01 06 02 06 03 05 01 05 02 05 03 04 01 04 02
04 03 03 01 03 02 03 03 02 01 02 02 02 03 00 0f 00 01 01
""")
# ... and the server's answer: TLS 1.2 Alert, fatal handshake_failure(40).
SEED04_WEAK_ALERT = hexbytes("15 03 03 00 02  02 28")


# --------------------------------------------------------------------------
# Cross-check the seed-04 literals against the seed text, when available.
# --------------------------------------------------------------------------

def find_seeds_dir():
    cands = [os.environ.get("TLSDIAG_SEEDS"),
             os.path.join(HERE, "..", "..", "shared", "seeds"),
             "/work/shared/seeds"]
    for c in cands:
        if c and os.path.isdir(c):
            return c
    return None


# `openssl s_client -msg` prints each message as
#   ">>> <proto> [length NNNN] [<label words>] hh hh hh ..."
# The length (hex) says exactly how many hex bytes follow, which is what keeps
# this from swallowing the error text ("140191222585232:error:...") after it.
MSG_RE = re.compile(r"(>>>|<<<)[^\[<>]*\[length ([0-9a-fA-F]{4})\]((?:\s+[A-Za-z_][A-Za-z_0-9]*)*)"
                    r"((?:\s+[0-9a-fA-F]{2}\b)+)")


def parse_msg_transcript(text):
    """Return [(direction, bytes), ...] for one s_client -msg transcript."""
    out = []
    for m in MSG_RE.finditer(text):
        n = int(m.group(2), 16)
        toks = m.group(4).split()
        assert len(toks) >= n, "seed transcript: %d bytes expected, %d found" % (n, len(toks))
        out.append((m.group(1), bytes.fromhex("".join(toks[:n]))))
    return out


def join_records(msgs):
    """Group header (5 bytes) + body messages into (direction, record)."""
    recs = []
    i = 0
    while i < len(msgs):
        d, hdr = msgs[i]
        assert len(hdr) == 5, "expected a 5-byte record header"
        d2, body = msgs[i + 1]
        assert d == d2
        recs.append((d, hdr + body))
        i += 2
    return recs


def cross_check_seed04(seeds):
    path = os.path.join(seeds, "04-aliyun-handshake-failure-scenarios-zh.txt")
    if not os.path.isfile(path):
        print("note: %s not found; using the literals unchecked" % path, file=sys.stderr)
        return
    with open(path, encoding="utf-8") as f:
        text = f.read()
    starts = [m.start() for m in re.finditer(r"# openssl s_client ", text)]
    assert len(starts) == 2, "seed 04: expected 2 s_client transcripts, found %d" % len(starts)
    expect = [[(">>>", SEED04_SSL3_CH), ("<<<", SEED04_SSL3_ALERT)],
              [(">>>", SEED04_WEAK_CH), ("<<<", SEED04_WEAK_ALERT)]]
    for k, st in enumerate(starts):
        end = text.find("No client certificate CA names sent", st)
        assert end > st
        got = join_records(parse_msg_transcript(text[st:end]))
        assert got == expect[k], "seed 04 transcript %d differs from the literals" % (k + 1)
    print("seed 04: literals match %s" % path, file=sys.stderr)


def cross_check_seed01(seeds, ch, alert):
    """Spot-check the dissection fields quoted in seed 01 against our bytes."""
    path = os.path.join(seeds, "01-alb-inappropriate-fallback-question.txt")
    if not os.path.isfile(path):
        print("note: %s not found; seed 01 not cross-checked" % path, file=sys.stderr)
        return
    with open(path, encoding="utf-8") as f:
        text = f.read()
    suites = [int(x, 16) for x in re.findall(r"Cipher Suite: \S+ \(0x([0-9a-f]{4})\)", text)]
    assert suites == [struct.unpack("!H", ch[46 + 2 * i:48 + 2 * i])[0] for i in range(14)], suites
    assert re.search(r"Length: 165\b", text) and ch[3:5] == u16(165)
    assert re.search(r"Length: 161\b", text) and ch[6:9] == (161).to_bytes(3, "big")
    assert "Extensions Length: 92" in text
    rb = re.search(r"Random Bytes: ([0-9a-f]+)", text).group(1)
    assert ch[15:15 + len(rb) // 2] == bytes.fromhex(rb)
    assert "Description: Inappropriate Fallback (86)" in text and alert[-1] == 86
    print("seed 01: fields match %s" % path, file=sys.stderr)


# --------------------------------------------------------------------------
# Ethernet / IPv4 / TCP / pcap
# --------------------------------------------------------------------------

def ip_aton(s):
    return bytes(int(x) for x in s.split("."))


def csum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def tcp_segment(src, dst, sport, dport, seq, ack, flags, payload, win, opts=b""):
    assert len(opts) % 4 == 0
    off = (20 + len(opts)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff, ack & 0xffffffff,
                      off << 4, flags, win, 0, 0) + opts
    pseudo = ip_aton(src) + ip_aton(dst) + struct.pack("!BBH", 0, 6, len(hdr) + len(payload))
    c = csum(pseudo + hdr + payload)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:] + payload


def ipv4_packet(src, dst, ident, ttl, l4):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), ident, 0x4000,  # DF
                      ttl, 6, 0, ip_aton(src), ip_aton(dst))
    c = csum(hdr)
    return hdr[:10] + struct.pack("!H", c) + hdr[12:] + l4


def ether_frame(dst_mac, src_mac, l3):
    return dst_mac + src_mac + struct.pack("!H", 0x0800) + l3


def pcap_bytes(packets):
    """packets: [(usec_timestamp, frame_bytes)] -> classic pcap file bytes."""
    out = [struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)]  # LINKTYPE_ETHERNET
    for ts, frame in packets:
        out.append(struct.pack("<IIII", ts // 1000000, ts % 1000000, len(frame), len(frame)))
        out.append(frame)
    return b"".join(out)


MSS_1460 = bytes.fromhex("020405b4")  # TCP option: MSS 1460


def conversation(t0, cport, client_isn, server_isn, client_hello, alert):
    """One client-side view of: handshake, ClientHello, Alert, FIN close.

    t0 is in microseconds since the epoch; RTT ~30 ms.
    """
    pkts = []
    ipid = {"c": 0x1c40, "s": 0x6a10}   # IP IDs: fixed start, +1 per packet

    def c2s(dt_us, seq, ack, flags, payload=b"", opts=b"", win=64240):
        seg = tcp_segment(CLIENT_IP, SERVER_IP, cport, SERVER_PORT, seq, ack, flags, payload, win, opts)
        ip = ipv4_packet(CLIENT_IP, SERVER_IP, ipid["c"], 64, seg)
        ipid["c"] += 1
        pkts.append((t0 + dt_us, ether_frame(SERVER_MAC, CLIENT_MAC, ip)))

    def s2c(dt_us, seq, ack, flags, payload=b"", opts=b"", win=65160):
        seg = tcp_segment(SERVER_IP, CLIENT_IP, SERVER_PORT, cport, seq, ack, flags, payload, win, opts)
        ip = ipv4_packet(SERVER_IP, CLIENT_IP, ipid["s"], 52, seg)
        ipid["s"] += 1
        pkts.append((t0 + dt_us, ether_frame(CLIENT_MAC, SERVER_MAC, ip)))

    c, s = client_isn, server_isn
    c2s(0,      c,     0,     SYN, opts=MSS_1460)                 # 1 SYN
    s2c(30412,  s,     c + 1, SYN | ACK, opts=MSS_1460)           # 2 SYN-ACK
    c += 1
    s += 1
    c2s(30488,  c,     s,     ACK)                                # 3 ACK
    c2s(31307,  c,     s,     PSH | ACK, client_hello)            # 4 ClientHello
    c += len(client_hello)
    s2c(61894,  s,     c,     ACK)                                # 5 ACK of the ClientHello
    s2c(62731,  s,     c,     PSH | ACK, alert)                   # 6 Alert
    s += len(alert)
    s2c(62858,  s,     c,     FIN | ACK)                          # 7 server FIN
    s += 1
    c2s(63402,  c,     s,     FIN | ACK)                          # 8 client FIN
    c += 1
    s2c(93951,  s,     c,     ACK)                                # 9 last ACK
    return pkts


def utc_us(y, mo, d, h, mi, s, us=0):
    return calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)) * 1000000 + us


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else HERE
    seed01_ch = build_seed01_client_hello()
    for rec, what in ((SEED01_ALERT, "seed01 alert"),
                      (SEED04_SSL3_CH, "seed04 SSLv3 ClientHello"),
                      (SEED04_SSL3_ALERT, "seed04 SSLv3 alert"),
                      (SEED04_WEAK_CH, "seed04 weak-cipher ClientHello"),
                      (SEED04_WEAK_ALERT, "seed04 weak-cipher alert")):
        check_record(rec, what)
    assert len(SEED04_SSL3_CH) == 5 + 0x8f and len(SEED04_WEAK_CH) == 5 + 0x5e

    seeds = find_seeds_dir()
    if seeds:
        cross_check_seed01(seeds, seed01_ch, SEED01_ALERT)
        cross_check_seed04(seeds)
    else:
        print("note: seeds directory not found; literals used unchecked", file=sys.stderr)

    # Timestamps, ports and ISNs are arbitrary but fixed.
    jobs = [
        ("seed01-inappropriate-fallback.pcap",
         conversation(utc_us(2017, 6, 14, 17, 22, 31, 104223), 50321,
                      0x3b9ac618, 0x8e1f02d7, seed01_ch, SEED01_ALERT)),
        ("seed04-sslv3-handshake-failure.pcap",
         conversation(utc_us(2018, 6, 20, 3, 11, 8, 520117), 50844,
                      0x1f2e3d4c, 0xa0b1c2d3, SEED04_SSL3_CH, SEED04_SSL3_ALERT)),
        ("seed04-weak-cipher-handshake-failure.pcap",
         conversation(utc_us(2018, 6, 20, 3, 12, 40, 77391), 50846,
                      0x52f4a1e9, 0x07c6d835, SEED04_WEAK_CH, SEED04_WEAK_ALERT)),
    ]
    for name, pkts in jobs:
        path = os.path.join(outdir, name)
        data = pcap_bytes(pkts)
        with open(path, "wb") as f:
            f.write(data)
        print("wrote %s (%d packets, %d bytes)" % (path, len(pkts), len(data)))


if __name__ == "__main__":
    main()
