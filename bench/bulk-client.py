#!/usr/bin/env python3
"""One HTTPS download with Python's ssl, for bench/capture-bulk.sh.

    bulk-client.py HOST PORT CAFILE VERSION PATH       VERSION: 1.2 or 1.3

Connects to HOST:PORT with SNI good.example (certificate verified against
CAFILE), TLS VERSION only, sends GET PATH (HTTP/1.1, Connection: close),
reads the answer to EOF, sends close_notify. Prints the body's length;
exits 1 unless the status is 200 and the body is Content-Length bytes long.
"""
import socket
import ssl
import sys

host, port, cafile, version, path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
ctx = ssl.create_default_context(cafile=cafile)
ctx.minimum_version = ctx.maximum_version = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}[version]
ctx.set_alpn_protocols(["http/1.1"])
with socket.create_connection((host, port), timeout=20) as raw:
    with ctx.wrap_socket(raw, server_hostname="good.example") as tls:
        tls.sendall(b"GET %s HTTP/1.1\r\nHost: good.example\r\nUser-Agent: tlsdiag-bench\r\n"
                    b"Connection: close\r\n\r\n" % path.encode())
        chunks = []
        while True:
            c = tls.recv(65536)
            if not c:
                break
            chunks.append(c)
        try:
            tls.unwrap()
        except (ssl.SSLError, OSError):
            pass   # the server may close first; the download is complete either way
answer = b"".join(chunks)
head, _, body = answer.partition(b"\r\n\r\n")
lines = head.decode("latin-1").split("\r\n")
length = [int(ln.split(":", 1)[1]) for ln in lines[1:] if ln.lower().startswith("content-length:")]
print(len(body))
if not lines[0].startswith("HTTP/1.1 200 ") or length != [len(body)]:
    print("bulk-client: %s, Content-Length %s, body %d bytes" % (lines[0], length, len(body)), file=sys.stderr)
    sys.exit(1)
