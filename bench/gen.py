#!/usr/bin/env python3
"""Build a large benchmark capture for tlsdiag from real handshakes.

    gen.py --packets N --out OUT.pcap [--seed-pcap SEED.pcap] [--captures DIR]
           [--book OUT.json] [--seed 20261125] [--rate 100]

Templates are real TCP/UDP conversations: every complete TLS connection of
SEED.pcap (bench/capture-seed.sh: s_time and a Python client against
s_server; all successful) and the project's own captures (captures/*.pcap:
the failures with their causes, a few notable successes, retry chains). The
generator draws "units" at Poisson times (--rate per second) until the units
hold at least N packets:

  * a seed success (most units);
  * one project capture, all its connections moved to one new client and one
    server of that capture's own small pool (so the rules that compare a
    server's answers, e.g. cipher_suite_mismatch, see that server's history);
  * a synthetic retry chain: a failing project capture, then 0.5-3 s after it
    ends a seed success with SNI good.example from the same client to the same
    server and port, which the plugin links as attempt 2.

Each copy gets new addresses (clients 10.16.0.0/12 and 2001:db8:c::/64,
servers 172.16.0.0/12 and 2001:db8:443::/48) and a new client port per
connection, so every TCP stream keeps a 4-tuple of its own; PROXY v1/v2
headers name a new client too (v1 with an address of the same length). IPv4,
TCP and UDP checksums are updated incrementally (RFC 1624): a checksum that
was right stays right (loopback captures carry offloaded, wrong TCP sums).
QUIC copies get connection IDs of their own (Wireshark tells QUIC connections
apart by them), their Initial packets re-protected with the keys the new IDs
make; this needs python3's cryptography package (see "QUIC" below).
Timestamps start at a fixed clock, 2026-11-25 00:00:00 UTC, which keeps the
certificate captures' dates meaningful (expired 30 days before, not yet valid
for 29 more days). Everything is drawn from random.Random(--seed): the same
inputs give the same bytes.

Pure Python on raw pcap bytes, streaming: memory is the templates plus the
connections open at one time.
"""
import argparse
import functools
import hashlib
import heapq
import hmac
import itertools
import json
import os
import random
import struct
import sys
import types

BASE_US = 1795564800 * 1000000          # 2026-11-25 00:00:00 UTC

# Project captures: (file, weight per 1000 units, handshakes, failed
# handshakes as tshark -z tlsdiag,tree counts them on the capture alone).
PROJECT = [
    # Successes worth seeing now and then (warnings, resumption, HRR, QUIC, STARTTLS, IPv6).
    ("tls12-ok", 1.5, 1, 0), ("tls13-ok", 1.5, 1, 0), ("tls13-ok-ipv6", 1.5, 1, 0),
    ("cert-chain-ok-tls12", 1.5, 1, 0), ("cert-wildcard-ok-tls12", 1.5, 1, 0),
    ("cert-weak-tls12", 1.5, 1, 0), ("cert-chain-out-of-order-tls12", 1.5, 1, 0),
    ("hello-retry-request", 1.5, 1, 0), ("renegotiation-accepted", 1.0, 2, 0),
    ("renegotiation-insecure-hello", 1.5, 1, 0), ("resumption-declined", 1.0, 2, 0),
    ("resumption-declined-tls13", 1.0, 2, 0), ("session-resumed-tls12", 1.5, 2, 0),
    ("session-resumed-tls13", 1.5, 2, 0), ("starttls-smtp-ok", 1.0, 1, 0),
    ("tls13-peer-closes-after-data", 1.5, 1, 0), ("weak-protocol-tls10", 1.5, 1, 0),
    ("quic-ok", 1.5, 1, 0),
    # Single failures; the common ones in the wild weigh more.
    ("reset-after-client-hello", 7, 1, 1), ("reset-after-client-hello-ipv6", 1, 1, 1),
    ("no-server-response", 4, 1, 1), ("closed-after-client-hello", 2, 1, 1),
    ("cert-expired-tls12", 4, 1, 1), ("cert-expired-tls13", 2, 1, 1),
    ("cert-hostname-mismatch-tls12", 4, 1, 1), ("cert-untrusted-issuer-tls12", 4, 1, 1),
    ("cert-self-signed-tls12", 2, 1, 1), ("cert-chain-incomplete-tls12", 2, 1, 1),
    ("cert-not-yet-valid-tls12", 1, 1, 1), ("cert-wildcard-mismatch-tls12", 1, 1, 1),
    ("unrecognized-name", 2, 1, 1), ("missing-sni", 2, 1, 1), ("missing-sni-preread", 1, 1, 1),
    ("version-server-refuses", 2, 1, 1), ("version-client-refuses", 1, 1, 1),
    ("inappropriate-fallback", 2, 1, 1), ("seed01-inappropriate-fallback", 1, 1, 1),
    ("seed04-sslv3-handshake-failure", 1, 1, 1), ("seed04-weak-cipher-handshake-failure", 1, 1, 1),
    ("client-hello-rejected", 1, 1, 1), ("alpn-mismatch", 1, 1, 1),
    ("client-cert-required-tls12", 1, 1, 1), ("client-cert-required-tls13", 1, 1, 1),
    ("client-cert-rejected-tls12", 1, 1, 1), ("client-cert-rejected-tls13", 1, 1, 1),
    ("not-tls-http-answer", 1, 1, 1), ("not-tls-plaintext-client", 1, 1, 1),
    ("handshake-alert-decode-error", 1, 1, 1), ("large-client-hello-silence", 1, 1, 1),
    ("tls13-client-rejects-encrypted", 1, 1, 1), ("starttls-smtp-failure", 1, 1, 1),
    ("sslv2-client-hello", 0.5, 1, 1), ("sslv2-compat-client-hello", 0.5, 1, 1),
    ("quic-alpn-mismatch", 0.5, 1, 1), ("quic-alpn-mismatch-aioquic", 0.5, 1, 1),
    ("quic-handshake-failure", 0.5, 1, 1), ("quic-unknown-ca", 0.5, 1, 1),
    ("quic-unknown-ca-aioquic", 0.5, 1, 0),      # incomplete without its key log
    ("garbage-on-443", 1, 0, 0),                 # no ClientHello at all: a scanner
    # A success, then a failure the server's history explains.
    ("cipher-mismatch", 1, 2, 1), ("no-common-group", 1, 2, 1),
    ("new-handshake-on-established", 1, 2, 1), ("new-handshake-on-established-tls10", 0.5, 2, 1),
    ("renegotiation-refused", 1, 2, 1),
    # Retry chains as captured.
    ("retry-fallback-recovered", 2, 3, 2), ("retry-never-recovers", 1, 3, 3),
    ("retry-two-clients", 1, 4, 3), ("retry-proxy-v1", 0.5, 5, 4), ("retry-proxy-v2", 0.5, 5, 4),
    ("large-client-hello-dropped", 1, 2, 1),
]
# Failures a client plausibly retries with success: head of a synthetic chain
# (SNI good.example on port 443, like the seed's Python client).
CHAIN_HEADS = ["no-server-response", "inappropriate-fallback", "version-server-refuses",
               "large-client-hello-silence", "client-hello-rejected", "alpn-mismatch"]
CHAIN_WEIGHT = 25          # per 1000 units
SEED_SERVERS = 8           # servers the seed successes are spread over
SERVERS_PER_TEMPLATE = 4   # each project capture's own server pool


# ---------------------------------------------------------------- pcap I/O

def read_pcap(path):
    """[(ts_us, orig_len, bytes)], linktype."""
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        sys.exit(f"gen.py: {path}: not a pcap file (pcapng? convert with editcap -F pcap)")
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(e + "I", data[20:24])[0] & 0x0FFFFFFF
    rec = struct.Struct(e + "IIII")
    out, pos, n = [], 24, len(data)
    while pos + 16 <= n:
        sec, frac, incl, orig = rec.unpack_from(data, pos)
        pos += 16
        out.append((sec * 1000000 + (frac // 1000 if nano else frac), orig, data[pos:pos + incl]))
        pos += incl
    return out, linktype


# ------------------------------------------------------------- checksums

def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def sum16(b, odd=False):
    """One's complement sum of b placed at an odd (odd=True) or even offset."""
    if odd:
        b = b"\0" + b
    if len(b) & 1:
        b += b"\0"
    return fold(sum(struct.unpack("!%dH" % (len(b) // 2), b)))


def delta(old, new):
    """The RFC 1624 adjustment that turns a sum over `old` into one over `new`."""
    return fold(new + (~old & 0xFFFF))


def adjust(csum, d):
    return ~fold((~csum & 0xFFFF) + d) & 0xFFFF


# ------------------------------------------------------------------- QUIC
#
# Wireshark ties QUIC packets to a connection by their connection IDs, so
# copies that kept the template's IDs would merge into one connection. Every
# copy gets IDs of its own, of the same lengths. Initial packets are protected
# with keys made from the client's first Destination Connection ID (RFC 9001
# 5.2): they are decrypted once per template and re-protected per copy with
# the keys of its new ID. Handshake, 0-RTT and 1-RTT packets only get the new
# IDs in their headers: their keys come from TLS secrets gen.py does not have.
# (Their AEAD tag covers the header, so a key log no longer decrypts them; the
# bench runs without one, and then tshark decrypts nothing of them anyway.)

QUIC_SALTS = {0x00000001: bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")}  # v1


@functools.lru_cache(maxsize=None)
def crypto():
    """The cryptography package, imported once a QUIC template needs it."""
    try:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    except ImportError:
        sys.exit("gen.py: the QUIC templates need python3's cryptography package "
                 "(Debian: apt-get install python3-cryptography)")
    return types.SimpleNamespace(AESGCM=AESGCM, InvalidTag=InvalidTag,
                                 ecb=lambda key: Cipher(algorithms.AES(key), modes.ECB()).encryptor())


def hkdf_label(secret, label, n):
    """HKDF-Expand-Label (RFC 8446 7.1) with SHA-256, for n <= 32."""
    label = b"tls13 " + label
    info = struct.pack("!HB", n, len(label)) + label + b"\0"
    return hmac.new(secret, info + b"\1", hashlib.sha256).digest()[:n]


class InitialKeys:
    """The Initial packet protection of one side of a connection (RFC 9001 5)."""

    def __init__(self, version, dcid, server):
        c = crypto()
        secret = hmac.new(QUIC_SALTS[version], dcid, hashlib.sha256).digest()
        secret = hkdf_label(secret, b"server in" if server else b"client in", 32)
        self.aead = c.AESGCM(hkdf_label(secret, b"quic key", 16))
        self.iv = int.from_bytes(hkdf_label(secret, b"quic iv", 12), "big")
        self.hp = c.ecb(hkdf_label(secret, b"quic hp", 16))

    def nonce(self, pn):
        return (self.iv ^ pn).to_bytes(12, "big")

    def mask(self, buf, pn_off):
        """The header protection mask: AES of the ciphertext sample 4 bytes past the packet number."""
        return self.hp.update(bytes(buf[pn_off + 4:pn_off + 20]))


@functools.lru_cache(maxsize=1024)
def initial_keys(version, dcid, server):
    return InitialKeys(version, dcid, server)


def toggle_header_protection(buf, start, pn_off, pn_len, mask):
    """Add or remove the header protection of the long header packet at buf[start]."""
    buf[start] ^= mask[0] & 0x0F
    for i in range(pn_len):
        buf[pn_off + i] ^= mask[1 + i]


def varint(b, pos):
    """(value, position after it) of the QUIC variable-length integer at b[pos]."""
    n = 1 << (b[pos] >> 6)
    return int.from_bytes(b[pos:pos + n], "big") & ((1 << (8 * n - 2)) - 1), pos + n


def tp_isci(cid):
    """The ClientHello's initial_source_connection_id transport parameter (RFC 9000 18.2)."""
    return b"\x0f" + bytes((len(cid),)) + cid


class QuicFlow:
    """What reading one QUIC conversation of a template needs to remember."""

    def __init__(self):
        self.version = None
        self.odcid = None                          # the client's first Destination CID
        self.short_dcid = {True: 0, False: 0}      # DCID length of short headers, by c2s


class QuicInitial:
    """A decrypted Initial packet of a template, to be re-protected per copy. scid:
    the client's SCID when this packet's ClientHello names it in its transport
    parameters (initial_source_connection_id), else empty."""
    __slots__ = ("flow", "c2s", "pn_off", "pn_len", "pn", "header", "plain", "scid")

    def __init__(self, flow, c2s, pn_off, pn_len, pn, header, plain, scid):
        self.flow, self.c2s, self.pn_off, self.pn_len, self.pn = flow, c2s, pn_off, pn_len, pn
        self.header, self.plain, self.scid = header, plain, scid


def parse_quic(pay, c2s, flow, where):
    """The QUIC packets of one UDP payload, coalesced ones too: [(start, end,
    [(position, CID)...], QuicInitial or None)], positions in pay."""
    out, pos = [], 0
    # A packet may be followed by another (Initial, Handshake, 1-RTT) or padding (zeros).
    while pos < len(pay) and (pos == 0 or pay[pos]):
        start, first = pos, pay[pos]
        if not first & 0x80:       # short header: its DCID, then the rest of the datagram
            n = flow.short_dcid[c2s]
            out.append((start, len(pay), [(start + 1, bytes(pay[start + 1:start + 1 + n]))] if n else [], None))
            break
        version = int.from_bytes(pay[pos + 1:pos + 5], "big")
        ptype = (first >> 4) & 3
        if version not in QUIC_SALTS or ptype == 3:
            # Version Negotiation (version 0), Retry and other versions: no template has them.
            sys.exit(f"gen.py: {where}: QUIC version {version:#x} packet type {ptype}: "
                     f"gen.py copies only QUIC v1 Initial, 0-RTT, Handshake and 1-RTT packets")
        dpos = pos + 6
        dcid = bytes(pay[dpos:dpos + pay[dpos - 1]])
        spos = dpos + len(dcid) + 1
        scid = bytes(pay[spos:spos + pay[spos - 1]])
        pos = spos + len(scid)
        cids = [(p, cid) for p, cid in ((dpos, dcid), (spos, scid)) if cid]
        # The peer's short headers carry this sender's SCID.
        flow.short_dcid[not c2s] = len(scid)
        if ptype == 0:             # Initial: a token
            n, pos = varint(pay, pos)
            pos += n
        length, pn_off = varint(pay, pos)
        end = pn_off + length
        if ptype != 0:
            out.append((start, end, cids, None))
            pos = end
            continue
        if flow.odcid is None:
            if not c2s:
                sys.exit(f"gen.py: {where}: the server's Initial comes before the client's")
            flow.version, flow.odcid = version, dcid
        keys = initial_keys(flow.version, flow.odcid, not c2s)
        pkt = bytearray(pay[start:end])
        mask = keys.mask(pkt, pn_off - start)
        pn_len = ((pkt[0] ^ mask[0]) & 3) + 1
        toggle_header_protection(pkt, 0, pn_off - start, pn_len, mask)
        hlen = pn_off - start + pn_len
        # The truncated packet number is the full one: Initial packets number from 0, far below 2^8.
        pn = int.from_bytes(pkt[hlen - pn_len:hlen], "big")
        try:
            plain = keys.aead.decrypt(keys.nonce(pn), bytes(pkt[hlen:]), bytes(pkt[:hlen]))
        except crypto().InvalidTag:
            sys.exit(f"gen.py: {where}: a QUIC Initial packet does not decrypt")
        out.append((start, end, cids, QuicInitial(flow, c2s, pn_off, pn_len, pn, bytes(pkt[:hlen]), plain,
                                                  scid if c2s and tp_isci(scid) in plain else b"")))
        pos = end
    return out


class QuicCopy:
    """One copy's own connection IDs, drawn from its key: the same key, the same IDs."""

    def __init__(self, key):
        self.key, self.cids = key, {}

    def cid(self, old):
        new = self.cids.get(old)
        if new is None:
            new = self.cids[old] = hashlib.blake2b(old, digest_size=len(old), key=self.key).digest()
        return new

    def rewrite(self, b, base, packets):
        """Put this copy's IDs into the QUIC packets at b[base:], re-protecting Initials."""
        for start, end, cids, ini in packets:
            if ini:
                b[base + start:base + ini.pn_off + ini.pn_len] = ini.header
            for pos, cid in cids:
                b[base + pos:base + pos + len(cid)] = self.cid(cid)
            if ini:
                keys = initial_keys(ini.flow.version, self.cid(ini.flow.odcid), not ini.c2s)
                plain = ini.plain
                if ini.scid:       # the ClientHello names the client's SCID too
                    plain = plain.replace(tp_isci(ini.scid), tp_isci(self.cid(ini.scid)))
                hend = base + ini.pn_off + ini.pn_len
                b[hend:base + end] = keys.aead.encrypt(keys.nonce(ini.pn), plain, bytes(b[base + start:hend]))
                toggle_header_protection(b, base + start, base + ini.pn_off, ini.pn_len,
                                         keys.mask(b, base + ini.pn_off))


# -------------------------------------------------------------- templates

TLS_RECORD_TYPES = (20, 21, 22, 23, 24)
PROXY2_SIG = b"\r\n\r\n\x00\r\nQUIT\n"


class Template:
    """One conversation set, its packets pre-parsed for rewriting."""

    def __init__(self, name, kind, weight=0.0, hs=1, failed=0):
        self.name, self.kind, self.weight, self.hs, self.failed = name, kind, weight, hs, failed
        self.packets = []       # (off_us, orig_len, raw, flow, c2s, fam, l4, proto, csum_off, proxy, quic)
        self.flows = []         # (proto, (cip, cport), (sip, sport))
        self.client_ips = []    # original client-role addresses (IP level), in order
        self.server_ips = []
        self.proxied = []       # (kind, original address) named by PROXY v1/v2 headers
        self.duration_us = 0
        self.sni_good = False
        self.tcp_tls = 0        # TCP connections carrying TLS
        self.quic = 0           # UDP conversations carrying QUIC

    @property
    def npackets(self):
        return len(self.packets)


def parse_l3(raw):
    """(fam, src, dst, proto, l4off) of an Ethernet frame, or None."""
    if len(raw) < 34:
        return None
    et = raw[12:14]
    if et == b"\x08\x00":
        ihl = (raw[14] & 15) * 4
        return 4, raw[26:30], raw[30:34], raw[23], 14 + ihl
    if et == b"\x86\xdd" and len(raw) >= 54:
        return 6, raw[22:38], raw[38:54], raw[20], 54
    return None


def is_tls_start(payload):
    if len(payload) >= 3 and payload[0] in TLS_RECORD_TYPES and payload[1] == 3:
        return True
    return len(payload) >= 3 and payload[0] & 0x80 and payload[2] == 1    # SSLv2 hello


def build_template(name, kind, pkts, weight=0.0, hs=1, failed=0):
    """pkts: [(ts_us, orig_len, raw)] of one or more whole conversations."""
    t = Template(name, kind, weight, hs, failed)
    t0 = pkts[0][0]
    flow_of = {}        # frozenset of endpoints -> flow index
    tls_flows = set()
    quic_flows = {}     # flow index -> QuicFlow
    for frame, (ts, orig, raw) in enumerate(pkts, start=1):
        l3 = parse_l3(raw)
        if l3 is None or l3[3] not in (6, 17):
            continue
        fam, src, dst, proto, l4 = l3
        sport, dport = struct.unpack_from("!HH", raw, l4)
        a, b = (src, sport), (dst, dport)
        key = (proto, frozenset((a, b)))
        if key not in flow_of:
            # The first packet's sender is the client (the SYN's, for TCP).
            flags = raw[l4 + 13] if proto == 6 else 0
            if proto == 6 and flags & 0x12 == 0x12:       # SYN/ACK first: reversed
                a, b = b, a
            flow_of[key] = len(t.flows)
            t.flows.append((proto, a, b))
            if a[0] not in t.client_ips:
                t.client_ips.append(a[0])
            if b[0] not in t.server_ips:
                t.server_ips.append(b[0])
            if proto == 17 and len(raw) > l4 + 8 and raw[l4 + 8] & 0xC0 == 0xC0:
                quic_flows[flow_of[key]] = QuicFlow()     # opens with a QUIC long header
        fi = flow_of[key]
        c2s = (src, sport) == t.flows[fi][1]
        if proto == 6:
            doff = (raw[l4 + 12] >> 4) * 4
            pay = raw[l4 + doff:]
            csum_off = l4 + 16
        else:
            doff, pay = 8, raw[l4 + 8:l4 + struct.unpack_from("!H", raw, l4 + 4)[0]]
            csum_off = l4 + 6 if raw[l4 + 6:l4 + 8] != b"\0\0" else -1
        quic = None
        if fi in quic_flows:
            quic = parse_quic(pay, c2s, quic_flows[fi], f"{name} frame {frame}")
        proxy = None
        if proto == 6 and pay:
            if is_tls_start(pay):
                tls_flows.add(fi)
            if c2s and (pay.startswith(b"PROXY TCP4 ") or pay.startswith(b"PROXY TCP6 ")):
                proxy = ("v1", l4 + doff + 11, bytes(pay.split(b" ")[2]))
            elif c2s and pay.startswith(PROXY2_SIG) and len(pay) >= 28 and pay[13] == 0x11:
                proxy = ("v2", l4 + doff + 16, bytes(pay[16:20]))
            if proxy and proxy[::2] not in t.proxied:
                t.proxied.append(proxy[::2])        # (kind, original address)
            if c2s and b"good.example" in pay and pay[:1] == b"\x16":
                t.sni_good = True
        t.packets.append((ts - t0, orig, raw, fi, c2s, fam, l4, proto, csum_off, proxy, quic))
    t.tcp_tls = len(tls_flows)
    t.quic = len(quic_flows)
    t.duration_us = t.packets[-1][0] if t.packets else 0
    return t


def complete(pkts):
    """Both SYNs seen, and no packet the capture lost: no sequence number beyond
    what the sender sent before, no acknowledgement of bytes never seen."""
    nxt, syns = {}, 0
    for _, _, raw in pkts:
        fam, src, dst, proto, l4 = parse_l3(raw)
        seq, ack = struct.unpack_from("!II", raw, l4 + 4)
        flags = raw[l4 + 13]
        thl = (raw[l4 + 12] >> 4) * 4
        if fam == 4:
            ln = struct.unpack_from("!H", raw, 16)[0] - (l4 - 14) - thl
        else:
            ln = struct.unpack_from("!H", raw, 18)[0] - (l4 - 54) - thl
        sp, dp = struct.unpack_from("!HH", raw, l4)
        d, r = (src, sp, dst, dp), (dst, dp, src, sp)
        if flags & 0x02:
            syns += 1
            if d in nxt:
                return False                               # a second SYN: port reuse
            nxt[d] = (seq + 1) & 0xFFFFFFFF
        elif d not in nxt:
            return False
        elif (seq - nxt[d]) & 0xFFFFFFFF and not (seq - nxt[d]) & 0x80000000:
            return False                                   # bytes before this one were lost
        if flags & 0x10 and r in nxt and (ack - nxt[r]) & 0xFFFFFFFF and not (ack - nxt[r]) & 0x80000000:
            return False                                   # acknowledges what was not captured
        end = (seq + (0 if flags & 0x02 else ln) + (1 if flags & 0x01 else 0)) & 0xFFFFFFFF
        if not (end - nxt[d]) & 0x80000000:
            nxt[d] = end
    return syns == 2


def seed_templates(path):
    """Every complete TLS connection of the seed capture: one template each."""
    pkts, lt = read_pcap(path)
    if lt != 1:
        sys.exit(f"gen.py: {path}: linktype {lt}, want Ethernet")
    flows, done = {}, []
    for p in pkts:
        l3 = parse_l3(p[2])
        if l3 is None or l3[3] != 6:
            continue
        fam, src, dst, proto, l4 = l3
        raw = p[2]
        sport, dport = struct.unpack_from("!HH", raw, l4)
        key = frozenset(((src, sport), (dst, dport)))
        flags = raw[l4 + 13]
        if flags & 0x12 == 0x02:                      # a SYN opens a new connection
            if key in flows:
                done.append(flows.pop(key))
            flows[key] = {"pkts": [], "end": False}
        f = flows.get(key)
        if f is None:
            continue                                   # began before the capture
        f["pkts"].append(p)
        if flags & 0x05:                               # FIN or RST
            f["end"] = True
    done.extend(flows.values())
    out = []
    for f in done:
        if not f["end"] or not complete(f["pkts"]):
            continue
        t = build_template("seed", "seed", f["pkts"])
        # A ClientHello and the server's TLS answer, or it is not a seed success.
        hello = any(c2s and raw[l4 + (raw[l4 + 12] >> 4) * 4:][:1] == b"\x16"
                    for _, _, raw, _, c2s, _, l4, _, _, _, _ in t.packets)
        answer = any(not c2s and raw[l4 + (raw[l4 + 12] >> 4) * 4:][:1] == b"\x16"
                     for _, _, raw, _, c2s, _, l4, _, _, _, _ in t.packets)
        if hello and answer:
            out.append(t)
    return out


def success_templates_from_project(captures):
    """Without a seed (smoke test): the project's plain successes."""
    out = []
    for name in ("tls12-ok", "tls13-ok", "cert-chain-ok-tls12", "tls13-peer-closes-after-data",
                 "weak-protocol-tls10", "renegotiation-insecure-hello"):
        pkts, _ = read_pcap(os.path.join(captures, name + ".pcap"))
        t = build_template(name, "seed", pkts)
        out.append(t)
    return out


# ------------------------------------------------------------- addresses

def v4(i):
    return bytes((10, 16 + (i >> 16), (i >> 8) & 255, i & 255))


def v6_client(i):
    return bytes.fromhex("20010db8000c0000") + struct.pack("!Q", i + 1)


def server_addr(fam, group, k):
    """group 0: seed servers; group g > 0: project capture g's pool."""
    if fam == 4:
        return bytes((172, 16 + (group >> 8), group & 255, k + 1))
    return bytes.fromhex("20010db80443") + struct.pack("!H", group) + struct.pack("!Q", k + 1)


def proxied_pool(length):
    """Deterministic list of 10.7-9.x.y addresses whose text has `length` characters."""
    pool = []
    for a in (7, 8, 9):
        for b in range(256):
            for c in range(1, 255):
                s = "10.%d.%d.%d" % (a, b, c)
                if len(s) == length:
                    pool.append(s.encode())
    return pool


class Clients:
    """The client population: addresses and per-client ephemeral ports."""

    def __init__(self, n, rng):
        self.n = n
        self.rng = rng
        self.next_port = [32768 + (i * 7919) % 28000 for i in range(n)]
        self.used = set()
        self.proxied_pools = {}
        self.proxied_next = {}

    def pick(self):
        i = self.rng.randrange(self.n)
        self.used.add(i)
        return i

    def port(self, i):
        p = self.next_port[i]
        self.next_port[i] = p + 1 if p < 60999 else 32768
        return p

    def proxied(self, kind, orig):
        """A new address for a PROXY header: v2 binary, or v1 text of the same length."""
        key = 4 if kind == "v2" else len(orig)
        if key not in self.proxied_pools:
            self.proxied_pools[key] = proxied_pool(9 if kind == "v2" else key)
            self.proxied_next[key] = 0
        pool = self.proxied_pools[key]
        s = pool[self.proxied_next[key] % len(pool)]
        self.proxied_next[key] += 1
        if kind == "v2":
            return bytes(int(x) for x in s.split(b"."))
        return s


# ----------------------------------------------------------------- copies

class Copy:
    """A template placed at a time with its addresses; yields rewritten packets."""
    __slots__ = ("t", "start_us", "flows", "proxy", "quic", "i")

    def __init__(self, t, start_us, flows, proxy, quic):
        self.t, self.start_us, self.flows, self.proxy, self.quic, self.i = t, start_us, flows, proxy, quic, 0

    def packet(self, j):
        off, orig, raw, fi, c2s, fam, l4, proto, csum_off, proxy, quic = self.t.packets[j]
        cip, cport, sip, sport, ipd, l4d = self.flows[fi]
        b = bytearray(raw)
        if fam == 4:
            s, d = (26, 30)
        else:
            s, d = (22, 38)
        n = len(cip)
        if c2s:
            b[s:s + n], b[d:d + n] = cip, sip
            b[l4:l4 + 4] = cport + sport
        else:
            b[s:s + n], b[d:d + n] = sip, cip
            b[l4:l4 + 4] = sport + cport
        if fam == 4:
            c = (b[24] << 8) | b[25]
            c = adjust(c, ipd)
            b[24], b[25] = c >> 8, c & 255
        d4 = l4d
        if proxy is not None:
            kind, pos, old = proxy
            new = self.proxy[old]
            b[pos:pos + len(new)] = new
            odd = (pos - l4) & 1
            d4 = fold(d4 + delta(sum16(old, odd), sum16(new, odd)))
        if quic:
            lo, hi = l4 + 8, l4 + struct.unpack_from("!H", raw, l4 + 4)[0]
            self.quic.rewrite(b, lo, quic)
            d4 = fold(d4 + delta(sum16(raw[lo:hi]), sum16(b[lo:hi])))
        if csum_off >= 0:
            c = (b[csum_off] << 8) | b[csum_off + 1]
            c = adjust(c, d4)
            if proto == 17 and c == 0:
                c = 0xFFFF
            b[csum_off], b[csum_off + 1] = c >> 8, c & 255
        return self.start_us + off, orig, b


def place(t, start_us, client_i, clients, server_group, server_k, copy_key, server_port=None):
    """A Copy of t for client_i on server (group, k); copy_key, unique to the
    copy, makes its QUIC connection IDs."""
    ipmap, flows = {}, []
    for proto, (cip, cport), (sip, sport) in t.flows:
        fam = 4 if len(cip) == 4 else 6
        ncip = v4(client_i) if fam == 4 else v6_client(client_i)
        # Several original clients (retry-two-clients): neighbours of client_i.
        k = t.client_ips.index(cip)
        if k:
            j = (client_i + k * 1009) % clients.n
            clients.used.add(j)
            ncip = v4(j) if fam == 4 else v6_client(j)
        nsip = server_addr(fam, server_group, (server_k + t.server_ips.index(sip)) % 250)
        key = (cip, cport)
        if key not in ipmap:
            ipmap[key] = struct.pack("!H", clients.port(client_i))
        ncport = ipmap[key]
        nsport = struct.pack("!H", server_port if server_port else sport)
        old_ip = sum16(cip + sip)
        new_ip = sum16(ncip + nsip)
        old_l4 = fold(old_ip + sum16(struct.pack("!HH", cport, sport)))
        new_l4 = fold(new_ip + sum16(ncport + nsport))
        flows.append((ncip, ncport, nsip, nsport, delta(old_ip, new_ip), delta(old_l4, new_l4)))
    proxy = {old: clients.proxied(kind, old) for kind, old in t.proxied}
    return Copy(t, start_us, flows, proxy, QuicCopy(copy_key) if t.quic else None)


# ------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--packets", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed-pcap")
    ap.add_argument("--captures", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "captures"))
    ap.add_argument("--book")
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--rate", type=float, default=100.0, help="units per second")
    a = ap.parse_args()
    rng = random.Random(a.seed)

    if a.seed_pcap:
        seeds = seed_templates(a.seed_pcap)
    else:
        seeds = success_templates_from_project(a.captures)
    if not seeds:
        sys.exit("gen.py: no usable connection in the seed")
    sni_seeds = [t for t in seeds if t.sni_good and t.flows[0][2][1] == 443] or \
                [t for t in seeds if t.flows[0][2][1] == 443]
    project = []
    for gi, (name, w, hs, failed) in enumerate(PROJECT, start=1):
        pkts, lt = read_pcap(os.path.join(a.captures, name + ".pcap"))
        if lt != 1:
            sys.exit(f"gen.py: {name}: linktype {lt}, want Ethernet")
        t = build_template(name, "project", pkts, w, hs, failed)
        t.group = gi
        project.append(t)
    by_name = {t.name: t for t in project}
    heads = [by_name[n] for n in CHAIN_HEADS]

    # Unit kinds and weights (per 1000 units); the seed takes the rest.
    kinds = [("project", t, t.weight) for t in project] + [("chain", None, CHAIN_WEIGHT)]
    wsum = sum(w for _, _, w in kinds)
    seed_w = max(0.0, 1000.0 - wsum)
    choices = [("seed", None, seed_w)] + kinds
    cum, acc = [], 0.0
    for c in choices:
        acc += c[2]
        cum.append(acc)

    # Expected handshakes per unit, for the client population.
    mean_hs = sum(w * (1 if k == "seed" else 2 if k == "chain" else t.hs)
                  for k, t, w in choices) / acc
    mean_pk = sum(w * (sum(s.npackets for s in seeds) / len(seeds) if k == "seed" else
                       (sum(h.npackets for h in heads) / len(heads) + sum(s.npackets for s in sni_seeds) / len(sni_seeds))
                       if k == "chain" else t.npackets) for k, t, w in choices) / acc
    est_units = a.packets / mean_pk
    n_clients = max(2000, int(est_units * mean_hs / 10))
    clients = Clients(n_clients, rng)

    book = {"packets_target": a.packets, "seed": a.seed, "rate_units_per_s": a.rate,
            "base_time": "2026-11-25T00:00:00Z", "seed_templates": len(seeds),
            "seed_templates_sni": len(sni_seeds), "clients": n_clients,
            "units": {}, "handshakes": 0, "failed": 0, "synthetic_chains": 0,
            "tcp_tls_connections": 0, "quic_connections": 0, "packets": 0}
    units = book["units"]
    copies_count = {t.name: 0 for t in project}

    out = open(a.out + ".tmp", "wb", buffering=1 << 22)
    out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
    rec = struct.Struct("<IIII")
    heap, seq = [], 0
    copy_keys = (b"%d/%d" % (a.seed, n) for n in itertools.count())    # see place()
    written = 0
    last_ts = 0

    def push(c):
        nonlocal seq
        heapq.heappush(heap, (c.start_us + c.t.packets[0][0], seq, c))
        seq += 1

    def flush(until):
        nonlocal written, last_ts
        wr = out.write
        while heap and heap[0][0] <= until:
            ts, s, c = heapq.heappop(heap)
            t_us, orig, b = c.packet(c.i)
            c.i += 1
            if c.i < len(c.t.packets):
                heapq.heappush(heap, (c.start_us + c.t.packets[c.i][0], s, c))
            wr(rec.pack(t_us // 1000000, t_us % 1000000, len(b), orig))
            wr(b)
            written += 1
            last_ts = t_us

    def account(t):
        book["handshakes"] += t.hs
        book["failed"] += t.failed
        book["tcp_tls_connections"] += t.tcp_tls
        book["quic_connections"] += t.quic
        book["packets"] += t.npackets

    now = BASE_US
    while book["packets"] < a.packets:
        now += int(rng.expovariate(a.rate) * 1e6) + 1
        flush(now)
        r = rng.random() * acc
        k = 0
        while cum[k] < r:
            k += 1
        kind, t, _ = choices[k]
        ci = clients.pick()
        if kind == "seed":
            t = seeds[rng.randrange(len(seeds))]
            push(place(t, now, ci, clients, 0, rng.randrange(SEED_SERVERS), next(copy_keys)))
            account(t)
            units["seed"] = units.get("seed", 0) + 1
        elif kind == "project":
            sk = copies_count[t.name] % SERVERS_PER_TEMPLATE
            copies_count[t.name] += 1
            push(place(t, now, ci, clients, t.group, sk, next(copy_keys)))
            account(t)
            units[t.name] = units.get(t.name, 0) + 1
        else:
            h = heads[rng.randrange(len(heads))]
            sk = copies_count[h.name] % SERVERS_PER_TEMPLATE
            copies_count[h.name] += 1
            push(place(h, now, ci, clients, h.group, sk, next(copy_keys)))
            s = sni_seeds[rng.randrange(len(sni_seeds))]
            later = now + h.duration_us + int((0.5 + 2.5 * rng.random()) * 1e6)
            push(place(s, later, ci, clients, h.group, sk, next(copy_keys), server_port=443))
            account(h)
            account(s)
            book["synthetic_chains"] += 1
            units["chain:" + h.name] = units.get("chain:" + h.name, 0) + 1
    flush(1 << 62)
    out.close()
    os.replace(a.out + ".tmp", a.out)
    book["packets"] = written
    book["clients_used"] = len(clients.used)
    book["duration_s"] = round((last_ts - BASE_US) / 1e6, 3)
    book["units"] = dict(sorted(units.items(), key=lambda kv: -kv[1]))
    if a.book:
        with open(a.book, "w") as f:
            json.dump(book, f, indent=1)
    print(f"gen.py: {written} packets, {book['handshakes']} handshakes ({book['failed']} failed, "
          f"{100.0 * book['failed'] / max(1, book['handshakes']):.1f} %), {book['synthetic_chains']} synthetic "
          f"chains, {book['tcp_tls_connections']} TCP connections with TLS, {len(clients.used)} clients, "
          f"{book['duration_s']} s of traffic", file=sys.stderr)


if __name__ == "__main__":
    main()
