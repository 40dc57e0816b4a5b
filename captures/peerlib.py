"""What the small Python peers of make-captures.sh share (each peer is
written into a temp dir by its scenarios file; make-captures.sh puts this
folder on PYTHONPATH)."""
import socket
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
