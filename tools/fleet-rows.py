#!/usr/bin/env python3
"""tshark -2 -T json output (the fields tools/tlsdiag-fleet.sh asks for) ->
one JSONEachRow line per handshake for ClickHouse table tlsdiag.handshakes.

    fleet-rows.py CAPTURE [FIRST COUNT PREV_CAPTURE PREV_COUNT] < tshark.json

A row is the frame of a handshake's ClientHello (tlsdiag.handshake_frame ==
frame.number: with -2 it carries the final verdict), or, for a connection
the capture met after its ClientHello, the frame that settled it.

With a ring-buffer window (FIRST COUNT ...) the input is the previous file's
tail, CAPTURE, the next file's head, concatenated: only frames FIRST ..
FIRST+COUNT-1 are CAPTURE's, renumbered from 1; a previous attempt in the
tail belongs to PREV_CAPTURE, whose last frame is PREV_COUNT.

Exit status 1 with a message on input it cannot read: the caller loads
nothing of that file.
"""
import json
import sys

VERSIONS = {0x0002: "SSL 2.0", 0x0300: "SSL 3.0", 0x0301: "TLS 1.0", 0x0302: "TLS 1.1",
            0x0303: "TLS 1.2", 0x0304: "TLS 1.3", 0xfeff: "DTLS 1.0", 0xfefd: "DTLS 1.2", 0xfefc: "DTLS 1.3"}
OUTCOMES = {"established", "failed", "incomplete", "abandoned"}


def one(layers, name, default=""):
    """The last value of a field: the innermost layer of a tunnelled frame."""
    values = layers.get(name)
    return values[-1] if values else default


def number(text):
    return int(text, 0) if text else 0


def hello_field(layers, name):
    """A ClientHello field under TLS's name, else DTLS's (tls.NAME, dtls.NAME)."""
    return layers.get("tls." + name) or layers.get("dtls." + name, [])


def best_version(layers):
    """The highest version the ClientHello offered (supported_versions, else
    its legacy version), GREASE (0x?a?a) left out; DTLS counts down (0xfefd,
    DTLS 1.2, is newer than 0xfeff, DTLS 1.0)."""
    offered = [number(v) for v in hello_field(layers, "handshake.extensions.supported_version")]
    offered = [v for v in offered if (v & 0x0f0f) != 0x0a0a]
    if not offered:
        offered = [number(v) for v in hello_field(layers, "handshake.version")[:1]]
    if not offered:
        return ""
    v = min(offered) if offered[0] >> 8 == 0xfe else max(offered)
    if v >> 8 == 0x7f:
        return "TLS 1.3 draft %d" % (v & 0xff)
    return VERSIONS.get(v, "0x%04x" % v)


def main():
    capture = sys.argv[1]
    first, count, prev_capture, prev_count = 1, None, capture, 0
    if len(sys.argv) == 6:
        first, count, prev_capture, prev_count = (int(sys.argv[2]), int(sys.argv[3]), sys.argv[4],
                                                  int(sys.argv[5]))
    packets = [p["_source"]["layers"] for p in json.load(sys.stdin)]
    for layers in packets:
        # One handshake per row: a frame with two tlsdiag verdicts (two
        # connections settled by one frame) could not be split into rows.
        if len(layers.get("tlsdiag.outcome", [])) > 1 or len(layers.get("tlsdiag.handshake_frame", [])) > 1:
            sys.exit("fleet-rows: frame %s carries several tlsdiag verdicts: cannot tell them apart"
                     % one(layers, "frame.number"))
    # Handshakes decided by a frame after their ClientHello; the others were
    # cut off by the end of the capture (-2 calls them incomplete on the
    # ClientHello; the statistics tree counts them in no outcome).
    settled = {number(one(layers, "tlsdiag.handshake_frame")) for layers in packets
               if "tlsdiag.outcome" in layers
               and one(layers, "tlsdiag.handshake_frame") not in ("", one(layers, "frame.number"))}
    # A handshake on a connection that already had one (renegotiation, a new
    # ClientHello on an established connection) has no identity of its own:
    # like the statistics tree, it takes the first handshake's.
    first_of_stream = {}
    for layers in packets:
        frame = number(one(layers, "frame.number"))
        hello = one(layers, "tlsdiag.handshake_frame")
        if hello and number(hello) != frame:
            continue
        stream = (one(layers, "tcp.stream") and "tcp" + one(layers, "tcp.stream")) or \
                 (one(layers, "udp.stream") and "udp" + one(layers, "udp.stream"))
        if stream and hello and one(layers, "tlsdiag.client"):
            first_of_stream.setdefault(stream, layers)
        if count is not None and not first <= frame < first + count:
            continue
        outcome = one(layers, "tlsdiag.outcome")
        if outcome not in OUTCOMES:
            sys.exit("fleet-rows: frame %d: unknown outcome %r" % (frame, outcome))
        identity = layers if one(layers, "tlsdiag.client") else first_of_stream.get(stream, layers)
        prev = number(one(layers, "tlsdiag.attempt.prev"))
        prev_file = capture if prev else ""
        if prev and prev < first:
            prev_file, prev = prev_capture, prev_count - (first - 1) + prev
        elif prev:
            prev -= first - 1
        seconds, _, fraction = one(layers, "frame.time_epoch").partition(".")
        seconds = int(seconds)
        tcp = "tcp.dstport" in layers
        suites = {number(s) for s in hello_field(layers, "handshake.ciphersuite")}
        sni = hello_field(identity, "handshake.extensions_server_name")
        row = {
            "capture": capture,
            "frame": frame - (first - 1),
            "client_hello": 1 if hello else 0,
            "capture_ended": 1 if hello and outcome == "incomplete" and frame not in settled else 0,
            "time": seconds,
            "time_us": seconds * 1000000 + int((fraction + "000000")[:6]),
            "client": one(identity, "tlsdiag.client"),
            "server": (one(identity, "ipv6.dst") or one(identity, "ip.dst")) if hello else "",
            "server_port": number(one(identity, "tcp.dstport" if tcp else "udp.dstport")) if hello else 0,
            "transport": ("tcp" if tcp else "dtls" if "dtls.handshake.version" in layers else "quic") if hello else "",
            "sni": sni[-1] if hello and sni else "",
            "tls_version": best_version(layers) if hello else "",
            "fallback_scsv": 1 if hello and 0x5600 in suites else 0,
            "outcome": outcome,
            "causes": layers.get("tlsdiag.cause", []),
            "attempt": number(one(layers, "tlsdiag.attempt.number")),
            "prev_capture": prev_file,
            "prev_frame": prev,
            "recovered": 1 if one(layers, "tlsdiag.recovered") in ("1", "True") else 0,
            "sender": one(layers, "tlsdiag.sender"),
            "summary": one(layers, "tlsdiag.summary"),
        }
        # The client's own address (the PROXY identity's, without its note):
        # the key that keeps one client's attempts on one shard.
        row["client_addr"] = row["client"].split(" ", 1)[0]
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    try:
        main()
    except (ValueError, KeyError, TypeError) as e:
        sys.exit("fleet-rows: unreadable tshark output: %s" % e)
