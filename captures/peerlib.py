"""What the small Python peers of make-captures.sh share (each peer is
written into a temp dir by its scenarios file; make-captures.sh puts this
folder on PYTHONPATH)."""
import socket
import ssl
import struct


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def recv_exact(conn, n):
    """n bytes, or fewer if the peer closes first."""
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


def ext(etype, body):
    """A TLS extension: type, length, body."""
    return struct.pack("!HH", etype, len(body)) + body


def accept_one(host, port):
    """Listen on host:port, take one connection (within 15 s), stop listening."""
    ls = socket.socket(family(host), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, int(port)))
    ls.listen(1)
    ls.settimeout(15)
    conn, _ = ls.accept()
    ls.close()
    conn.settimeout(10)
    return conn


def read_record(conn):
    """One TLS record (header and body; less if the peer closes first)."""
    hdr = recv_exact(conn, 5)
    body = recv_exact(conn, struct.unpack("!H", hdr[3:5])[0]) if len(hdr) == 5 else b""
    return hdr + body


def first_flight(ctx, server_hostname="good.example"):
    """Start a client handshake in memory: (the ssl object, its incoming
    BIO, its first flight, the ClientHello), for peers that send, withhold
    or cut the bytes themselves."""
    inb, outb = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(inb, outb, server_hostname=server_hostname)
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return tls, inb, outb, outb.read()


def drain(conn):
    """Read and drop whatever the peer sends until it closes or resets."""
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass
