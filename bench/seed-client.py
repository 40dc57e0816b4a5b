#!/usr/bin/env python3
"""Real HTTPS clients for the benchmark seed (bench/capture-seed.sh).

    seed-client.py HOST PORT SECONDS

For SECONDS, one connection after another to HOST:PORT with SNI good.example
and ALPN http/1.1: TLS 1.3 and TLS 1.2 alternately, every third connection
of each version resuming the previous session; each sends an HTTP/1.1 GET,
reads the answer, sends close_notify and closes.
"""
import socket
import ssl
import sys
import time

host, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
contexts = {}
for name, version in (("1.3", ssl.TLSVersion.TLSv1_3), ("1.2", ssl.TLSVersion.TLSv1_2)):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.maximum_version = version
    ctx.set_alpn_protocols(["http/1.1"])
    contexts[name] = ctx
sessions = {}
end = time.monotonic() + seconds
n = 0
while time.monotonic() < end:
    name = "1.3" if n % 2 == 0 else "1.2"
    ctx = contexts[name]
    resume = sessions.get(name) if (n // 2) % 3 == 2 else None
    n += 1
    try:
        with socket.create_connection((host, port), timeout=5) as raw:
            with ctx.wrap_socket(raw, server_hostname="good.example", session=resume) as tls:
                tls.sendall(b"GET /index.html HTTP/1.1\r\nHost: good.example\r\n"
                            b"User-Agent: tlsdiag-bench\r\nConnection: close\r\n\r\n")
                while tls.recv(65536):
                    pass
                sessions[name] = tls.session
                try:
                    tls.unwrap()
                except (ssl.SSLError, OSError):
                    pass
    except (ssl.SSLError, OSError) as e:
        print("seed-client:", e, file=sys.stderr)
print(f"seed-client: {n} connections", file=sys.stderr)
