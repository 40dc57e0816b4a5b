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


def listener(host, port, backlog=8):
    """A socket listening on host:port whose accept() waits at most 15 s."""
    ls = socket.socket(family(host), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, int(port)))
    ls.listen(backlog)
    ls.settimeout(15)
    return ls


def accept_one(host, port):
    """Listen on host:port, take one connection (within 15 s), stop listening."""
    ls = listener(host, port, 1)
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


def https_get(host, port, ca, version, keylog, path, reply_close=True, resume=False, cert=None, pha=False,
              request=b"GET %s HTTP/1.0\r\n\r\n"):
    """A client (SNI good.example, verified; VERSION tls13 or tls12; KEYLOG a
    file or "-"; CERT a (certificate, key) pair to offer when asked, also
    after the handshake with PHA: TLS 1.3 post-handshake authentication)
    that sends REQUEST for PATH and reads the answer until the server's
    close_notify, then answers it with its own (reply_close) or closes
    without one (for a server that waits for the client's FIN); resume:
    once more, offering the first connection's session. A failure while
    reading the answer is printed, not raised."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(ca)
    v = ssl.TLSVersion.TLSv1_3 if version == "tls13" else ssl.TLSVersion.TLSv1_2
    ctx.minimum_version = ctx.maximum_version = v
    if keylog != "-":
        ctx.keylog_filename = keylog
    if cert:
        ctx.load_cert_chain(*cert)
    ctx.post_handshake_auth = pha
    session = None
    for _ in range(2 if resume else 1):
        sock = socket.create_connection((host, int(port)), timeout=5)
        tls = ctx.wrap_socket(sock, server_hostname="good.example", session=session)
        print("client handshake OK:", tls.version(), tls.cipher()[0],
              "resumed" if tls.session_reused else "new", flush=True)
        tls.sendall(request % path.encode())
        got = b""
        try:
            while True:
                data = tls.recv(4096)
                if not data:        # the server's close_notify
                    break
                got += data
        except (ssl.SSLError, OSError) as e:
            print("client failed after %d bytes: %s" % (len(got), e), flush=True)
            tls.close()
            return
        print("client got:", got.split(b"\r\n", 1)[0].decode(), "(%d bytes)" % len(got), flush=True)
        session = tls.session       # in TLS 1.3 the ticket came before the answer
        if reply_close:
            try:
                tls.unwrap().close()
                print("client closed cleanly", flush=True)
            except (ssl.SSLError, OSError) as e:
                print("client close:", e, flush=True)
                tls.close()
        else:
            print("client: the server closed (close_notify)", flush=True)
            tls.close()
