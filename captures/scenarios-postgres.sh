# shellcheck shell=bash
# PostgreSQL scenarios for make-captures.sh (sourced by it; uses its helpers
# and those of scenarios-healthy.sh): TLS after PostgreSQL's SSLRequest.
# A PostgreSQL client sends an 8-byte SSLRequest (int32 8, int32 80877103);
# the server answers one byte, 'S' (TLS follows on the same connection) or
# 'N' (no TLS).  Wireshark's pgsql dissector, on port 5432, hands the bytes
# after 'S' to TLS.
#
# Server: Debian 12's PostgreSQL 15 (OpenSSL 3.0), a private cluster made
# once per run by initdb (trust, user postgres) in a directory of its own
# under /tmp (the user postgres cannot enter $TMP), run as postgres in the
# foreground (`postgres -D`, at most PG_TO s) on 127.0.0.1:5432 only (the
# port must be free: the system's cluster and service are left alone), its
# Unix socket in that directory; ssl=on with good.example's certificate;
# settings given with -c per case; pg_hba.conf per case (`hostssl all all
# 127.0.0.1/32 trust`, or `cert`); its log (log_connections,
# log_disconnections, log_min_messages=info, prefix "%m [%p] %r": the
# client's port) goes to $TMP/LOGNAME.log.  One server at a time, on 5432
# only (another port would need Decode As): a case that needs other
# settings stops it and starts it again, so each capture is a series of
# servers.  Clients: psql (libpq 15, OpenSSL 3.0) with a connection string
# (port 5432, user and database postgres, gssencmode=disable,
# application_name = the client's log name, host=127.0.0.1 or
# host=NAME hostaddr=127.0.0.1; sslmode, sslrootcert, sslcert/sslkey,
# ssl_min/max_protocol_version per case), PGCONNECT_TIMEOUT=5, a clean
# environment and an empty HOME, running `SELECT 1` and `\conninfo`; and
# pg-peer.py (Python ssl, below) doing the same by hand, its key log the
# capture's .keys.  libpq 15 writes no key log: its sessions stay
# encrypted, and so do its TLS 1.3 handshakes past the ServerHello.
# A connection every 0.5 s.
#
# Seen with these stacks (PostgreSQL 15.18, OpenSSL 3.0.19):
# - The server's only group is P-256 (ssl_ecdh_curve=prime256v1, the
#   default; its TLS 1.2 ECDHE too), and both clients send an X25519 key
#   share first: every TLS 1.3 handshake gets a HelloRetryRequest.
# - No session tickets or resumption (TLS 1.2: no ticket extension in the
#   ServerHello; TLS 1.3: no NewSessionTicket).
# - With ssl_ca_file set the server asks every client for a certificate
#   (CertificateRequest) without requiring one: libpq and Python without
#   one answer with an empty Certificate and go on; only pg_hba's `cert`
#   method then refuses, inside TLS, with an ErrorResponse (FATAL 28000).
# - libpq checks the host name (verify-full) after the handshake: it
#   finishes it (and sends its Certificate when asked), then sends
#   close_notify and closes; the server logs nothing but "connection
#   received" for it (no StartupMessage came).  Python checks inside the
#   handshake and sends a plaintext alert bad_certificate (42).
# - libpq refusing the server's certificate (verify-ca/-full) sends a
#   plaintext alert unknown_ca (48), in TLS 1.3 too (OpenSSL's client has
#   not switched to its handshake keys yet), as Python does.
# - libpq ends every connection it made, good or failed after the
#   handshake, with close_notify before its FIN; the server answers a
#   Terminate, or a client's close_notify, with its own close_notify and
#   closes.  Whose close comes first varies between runs: the last packet
#   is an RST from either side (the client's when the server's
#   close_notify meets its closed socket, the server's when the client's
#   close_notify or FIN meets its closed socket), with or without the
#   client's FIN before it.  The server refusing a client certificate in
#   the handshake leaves the rest of the client's flight unread: it closes
#   with an RST after its alert.
#
#   healthy-postgres                (healthy framework) psql and Python,
#                                   TLS 1.3 and 1.2, sslmode require,
#                                   verify-ca and verify-full, client
#                                   certificates accepted (cert auth)
#   postgres-name-mismatch          verify-full for wrong.example: psql
#                                   (after the handshake) and Python (in
#                                   it), TLS 1.3 and 1.2, with and without
#                                   a CertificateRequest
#   postgres-untrusted-ca           clients trusting an unrelated CA: psql
#                                   verify-ca and verify-full, Python; TLS
#                                   1.3 and 1.2: unknown_ca from the client
#   postgres-client-cert-required   pg_hba `cert`: no client certificate
#                                   (handshake fine, FATAL inside TLS), one
#                                   from an unrelated CA (unknown_ca from
#                                   the server), one for another name
#                                   (FATAL inside TLS)
#   postgres-version-mismatch       server TLS 1.3 only vs clients of TLS
#                                   1.2 at most, and server TLS 1.2 at most
#                                   vs clients of TLS 1.3 only:
#                                   protocol_version from the server
#   postgres-ssl-off                ssl=off: 'N' to every SSLRequest; psql
#                                   sslmode=require gives up, prefer goes
#                                   on in plaintext; no TLS at all
#
# The streams (tcp.stream), their clients, and what the peers log (psql's
# output; pg-peer.py's lines; the server's log) are listed above each
# scenario below.

PGBIN=/usr/lib/postgresql/15/bin
PG_PORT=5432            # Wireshark's pgsql port: it hands the bytes after 'S' to TLS
PG_TO=60                # seconds each server may live
PGDIR=                  # the servers' files (pg_setup): owned by postgres, under /tmp
PGC=$TMP/postgres       # the clients' files: the Python client, client certificates
PGPEER=("$PY" "$PGC/pg-peer.py")
PG_TRUST='hostssl all all 127.0.0.1/32 trust'
PG_CERT='hostssl all all 127.0.0.1/32 cert'
PG_LOCAL="host=127.0.0.1"
PG_GOOD="host=good.example hostaddr=127.0.0.1"
PG_WRONG="host=wrong.example hostaddr=127.0.0.1"

write_postgres_peer() {
    cat >"$PGC/pg-peer.py" <<'PYEOF'
"""A PostgreSQL client over TLS (Python ssl) for captures/scenarios-postgres.sh.

client HOST PORT VERSION KEYLOG [ca=CAFILE] [name=SERVER_NAME] [nocheck]
       [cert=CERT,KEY] [app=NAME]
    VERSION: the versions offered: tls13, tls12 or tls12-tls13.  Sends an
    SSLRequest (int32 8, int32 80877103) and reads one byte: 'S' goes on
    with the TLS handshake (SNI SERVER_NAME, default good.example; the
    certificate verified against CAFILE, and the name checked unless
    nocheck; without CAFILE neither; CERT offered when asked; key log to
    KEYLOG unless "-"), anything else ends it.  Then a StartupMessage
    (protocol 3.0, user=postgres, database=postgres,
    application_name=NAME), the server's messages until ReadyForQuery or
    ErrorResponse; after ReadyForQuery a simple Query "SELECT 1" and its
    answer until ReadyForQuery, Terminate; after ErrorResponse (the
    server ends the session) no Terminate, the rest read up to the
    server's close_notify; then unwrap (our close_notify, and the
    server's unless it came already); close.  Every step is printed; a
    failure is printed, not raised.  As libpq, a failure to send the
    StartupMessage is not reported by itself: a server that refused the
    client's certificate after the client's handshake was over (TLS 1.3)
    may have reset the connection already, and its alert, read next, is
    what ends it.
"""
import socket, ssl, struct, sys

VERSIONS = {"tls12": ssl.TLSVersion.TLSv1_2, "tls13": ssl.TLSVersion.TLSv1_3}


def recv_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError("the server closed after %d of %d bytes" % (len(data), n))
        data += chunk
    return data


def message(tls):
    """One backend message: (type, body)."""
    hdr = recv_exact(tls, 5)
    return hdr[:1], recv_exact(tls, struct.unpack("!I", hdr[1:])[0] - 4)


def error_fields(body):
    """An ErrorResponse's severity, code and message."""
    fields = {f[:1]: f[1:].decode(errors="replace") for f in body.split(b"\0") if f}
    return "%s %s %s" % (fields.get(b"S", "?"), fields.get(b"C", "?"), fields.get(b"M", "?"))


def data_row(body):
    n, off, vals = struct.unpack("!H", body[:2])[0], 2, []
    for _ in range(n):
        ln = struct.unpack("!i", body[off:off + 4])[0]
        off += 4
        vals.append(body[off:off + ln].decode() if ln >= 0 else None)
        off += max(ln, 0)
    return vals


def until_ready(tls, what):
    """Read messages until ReadyForQuery (True) or ErrorResponse (False)."""
    for _ in range(100):
        mtype, body = message(tls)
        if mtype == b"Z":
            print("client: %s: ReadyForQuery" % what, flush=True)
            return True
        if mtype == b"E":
            print("client: %s: ErrorResponse: %s" % (what, error_fields(body)), flush=True)
            return False
        if mtype == b"R":
            code = struct.unpack("!I", body[:4])[0]
            print("client: %s: Authentication%s" % (what, "Ok" if code == 0 else " request %d" % code),
                  flush=True)
            if code != 0:
                return False
        elif mtype == b"D":
            print("client: %s: DataRow %s" % (what, data_row(body)), flush=True)
    print("client: %s: no ReadyForQuery in 100 messages" % what, flush=True)
    return False


def client(host, port, version, keylog, *rest):
    opts = dict(r.split("=", 1) for r in rest if "=" in r)
    lo, _, hi = version.partition("-")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version, ctx.maximum_version = VERSIONS[lo], VERSIONS[hi or lo]
    if "ca" in opts:
        ctx.load_verify_locations(opts["ca"])
        ctx.check_hostname = "nocheck" not in rest
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if "cert" in opts:
        ctx.load_cert_chain(*opts["cert"].split(","))
    if keylog != "-":
        ctx.keylog_filename = keylog
    sock = socket.create_connection((host, int(port)), timeout=5)
    tls = None
    try:
        sock.sendall(struct.pack("!II", 8, 80877103))
        answer = recv_exact(sock, 1)
        print("client: SSLRequest answered %r" % answer.decode(errors="replace"), flush=True)
        if answer != b"S":
            return
        tls = ctx.wrap_socket(sock, server_hostname=opts.get("name", "good.example"))
        print("client handshake OK:", tls.version(), tls.cipher()[0], flush=True)
        params = b"user\0postgres\0database\0postgres\0application_name\0%s\0\0" % \
            opts.get("app", "pg-peer").encode()
        try:
            tls.sendall(struct.pack("!II", 8 + len(params), 196608) + params)
        except (ssl.SSLError, OSError):
            # As libpq: a refusal may have come (and the connection been
            # reset) before this went out: read what the server sent.
            pass
        if until_ready(tls, "startup"):
            tls.sendall(b"Q" + struct.pack("!I", 4 + 9) + b"SELECT 1\0")
            until_ready(tls, "SELECT 1")
            tls.sendall(b"X\0\0\0\4")
            print("client sent Terminate", flush=True)
        else:
            # The server ends the session after its ErrorResponse (as libpq,
            # no Terminate): read to its close_notify.
            for _ in range(100):
                if not tls.recv(4096):
                    break
            print("client: the server closed the session", flush=True)
        tls.unwrap()
        print("client closed cleanly", flush=True)
    except (ssl.SSLError, OSError, EOFError) as e:
        print("client failed:", e, flush=True)
    finally:
        (tls or sock).close()


if sys.argv[1] == "client":
    client(*sys.argv[2:])
else:
    sys.exit("unknown mode " + sys.argv[1])
PYEOF
}

# pg_setup: once per run: the Python client; client certificates with
# CN=postgres (the user name) from the run's CA ($PGC/client.pem, .key) and
# from the unrelated CA ($PGC/other-client.pem), and one from the run's CA
# for another name ($PGC/stranger.pem, CN=tlsdiag stranger), all
# extendedKeyUsage clientAuth, keys 0600 (libpq wants that); the server's
# directory $PGDIR under /tmp (the user postgres cannot enter $TMP), with
# copies of good.example's certificate and key and of the CA, and a
# database cluster made by initdb (trust, user postgres), removed at exit.
pg_setup() {
    local ext=(basicConstraints=CA:FALSE 'keyUsage=critical,digitalSignature' extendedKeyUsage=clientAuth)
    [[ -f $PGC/pg-peer.py ]] && return 0
    mkdir -p "$PGC"
    write_postgres_peer
    issue_leaf "$PGC" client "/CN=postgres" "${ext[@]}"
    issue_leaf "$PGC" stranger "/CN=tlsdiag stranger" "${ext[@]}"
    make_other_ca
    openssl req -newkey rsa:2048 -sha256 -nodes -keyout "$PGC/other-client.key" \
        -out "$PGC/other-client.csr" -subj "/CN=postgres" 2>/dev/null
    printf '%s\n' "${ext[@]}" >"$PGC/other-client.ext"
    openssl x509 -req -in "$PGC/other-client.csr" -CA "$TMP/pki/other-ca.pem" \
        -CAkey "$TMP/pki/other-ca.key" -CAcreateserial -sha256 -days 3650 \
        -extfile "$PGC/other-client.ext" -out "$PGC/other-client.pem" 2>/dev/null
    chmod 600 "$PGC"/*.key
    PGDIR=$(mktemp -d /tmp/tlsdiag-postgres.XXXXXX)
    also_on_exit "rm -rf '$PGDIR'"
    mkdir -p "$PGDIR/sock" "$PGDIR/home"
    cp "$CERT" "$PGDIR/server.pem"
    cp "$KEY" "$PGDIR/server.key"
    cp "$CA" "$PGDIR/ca.pem"
    chmod 600 "$PGDIR/server.key"
    chown -R postgres:postgres "$PGDIR"
    chown root:root "$PGDIR/home"
    if ! (cd "$PGDIR" && timeout 60 setpriv --reuid=postgres --regid=postgres --init-groups \
        "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C \
        --no-instructions --no-sync) >"$TMP/pg-initdb.log" 2>&1; then
        echo "make-captures.sh: initdb failed:" >&2
        sed 's/^/    /' "$TMP/pg-initdb.log" >&2
        exit 1
    fi
}

# pg_port_free: nothing may listen on PG_PORT (the system's PostgreSQL,
# say): fail at once, saying so.
pg_port_free() {
    ss -Hltn "sport = :$PG_PORT" | grep -q . || return 0
    echo "make-captures.sh: port $PG_PORT is already in use (the system's PostgreSQL?):" \
        "stop it first" >&2
    ss -Hltnp "sport = :$PG_PORT" >&2
    exit 1
}

# pg_server LOGNAME HBA [NAME=VALUE...]: the PostgreSQL 15 server, as user
# postgres, in the foreground (bg_server, at most PG_TO s) on
# 127.0.0.1:PG_PORT only, its Unix socket in $PGDIR/sock, ssl=on with
# good.example's certificate, HBA (lines) as pg_hba.conf, connections and
# disconnections logged to $TMP/LOGNAME.log (stderr); NAME=VALUE: more
# settings (-c), which win over these.  Returns once it accepts
# connections.
pg_server() {
    local logname=$1 hba=$PGDIR/$1.hba a set=() _; shift
    printf '%s\n' "$1" >"$hba"; shift
    chown postgres:postgres "$hba"
    for a in "$@"; do set+=(-c "$a"); done
    wait_free "$PG_PORT"
    SERVER_TO=$PG_TO bg_server "$logname" env -C "$PGDIR" \
        setpriv --reuid=postgres --regid=postgres --init-groups \
        "$PGBIN/postgres" -D "$PGDIR/data" -c listen_addresses=127.0.0.1 -c port="$PG_PORT" \
        -c unix_socket_directories="$PGDIR/sock" -c hba_file="$hba" -c fsync=off \
        -c ssl=on -c ssl_cert_file="$PGDIR/server.pem" -c ssl_key_file="$PGDIR/server.key" \
        -c log_connections=on -c log_disconnections=on -c log_min_messages=info \
        -c log_line_prefix='%m [%p] %r ' "${set[@]}"
    for _ in $(seq 200); do
        grep -qs 'database system is ready to accept connections' "$TMP/$logname.log" && return 0
        sleep 0.05
    done
    echo "make-captures.sh: $logname: PostgreSQL did not start in 10 s:" >&2
    sed 's/^/    /' "$TMP/$logname.log" >&2
    exit 1
}

# pg_stop: stop the server (SIGTERM: smart shutdown, no session is left)
# and wait until the port is free.
pg_stop() {
    stop_servers
    wait_free "$PG_PORT"
}

# pg_conninfo LOGNAME EXTRA: the connection string: PG_PORT, user and
# database postgres, no GSSAPI encryption (libpq would try it first with
# Kerberos credentials), application_name LOGNAME (the server's log names
# it), then EXTRA (host, sslmode, ...).
pg_conninfo() {
    printf 'port=%s user=postgres dbname=postgres gssencmode=disable application_name=%s %s' \
        "$PG_PORT" "$1" "$2"
}

# pg_psql LOGNAME CONNINFO: psql (libpq 15) with a clean environment (C
# locale; HOME an empty directory: no ~/.postgresql/root.crt or client
# certificate of its own), PGCONNECT_TIMEOUT=5: `SELECT 1`, `\conninfo`,
# then quit; 0.5 s pause after.
pg_psql() {
    client "$1" env -i PATH=/usr/bin:/bin HOME="$PGDIR/home" PGCONNECT_TIMEOUT=5 \
        "$PGBIN/psql" -X -w "$(pg_conninfo "$1" "$2")" -c 'SELECT 1' -c '\conninfo'
    sleep 0.5
}

# pg_psql_stdin LOGNAME CONNINFO: the same, the commands on stdin (as
# typed): `SELECT 1;`, `\conninfo`, `\q`.
pg_psql_stdin() {
    printf 'SELECT 1;\n\\conninfo\n\\q\n' |
        timeout 10 env -i PATH=/usr/bin:/bin HOME="$PGDIR/home" PGCONNECT_TIMEOUT=5 \
            "$PGBIN/psql" -X -w "$(pg_conninfo "$1" "$2")" >"$TMP/$1.log" 2>&1 || true
    sleep 0.5
}

# pg_py LOGNAME VERSION KEYLOG [ARGS...]: the Python client (pg-peer.py) to
# 127.0.0.1:PG_PORT, application_name LOGNAME; 0.5 s pause after.
pg_py() {
    local logname=$1 v=$2 keys=$3; shift 3
    client "$logname" "${PGPEER[@]}" client 127.0.0.1 "$PG_PORT" "$v" "$keys" "app=$logname" "$@"
    sleep 0.5
}

# pg_ok_psql LOGNAME VERSION: psql's log says it ran SELECT 1 over TLS
# 1.VERSION.
pg_ok_psql() {
    log_count "$1" '^ +1$' 1
    log_count "$1" "^SSL connection \\(protocol: TLSv${2/./\\.}, " 1
}

# pg_ok_py LOGNAME VERSION: the Python client's log says it got its
# ReadyForQuery and SELECT 1 over TLS 1.VERSION and closed cleanly.
pg_ok_py() {
    log_count "$1" "^client handshake OK: TLSv${2/./\\.} " 1
    log_count "$1" "^client: SELECT 1: DataRow \\['1'\\]$" 1
    log_count "$1" '^client: SELECT 1: ReadyForQuery$' 1
    log_count "$1" '^client closed cleanly$' 1
}

# pg_authorized SERVERLOG APPNAME VERSION: the server logged the session
# of application_name APPNAME over TLS 1.VERSION, exactly once.
pg_authorized() {
    log_count "$1" "connection authorized: user=postgres database=postgres application_name=$2 SSL enabled \\(protocol=TLSv${3/./\\.}," 1
}

# pg_want WHAT FILTER FIELD WANTED [KEYS]: capture_want of capture_fields.
pg_want() { capture_want "$1" "$(capture_fields "$2" "$3" "${5:-}")" "$4"; }

# pg_preamble STREAMS ANSWER: every connection (STREAMS, "0 1 ...") began
# with an SSLRequest, answered with the byte ANSWER (53 'S', 4e 'N').
pg_preamble() {
    local _ want=
    for _ in $1; do want+="${want:+ }$2"; done
    pg_want "SSLRequests" 'pgsql.type == "SSL request"' tcp.stream "$1"
    pg_want "the server's answers" "tcp.srcport == $PG_PORT && tcp.len == 1" tcp.payload "$want"
}

# ------------------------------------------------------------- healthy ---

# pg_h_psql LOGNAME VERSION CONNINFO: pg_psql that must succeed over TLS
# 1.VERSION (the server's log is checked by the caller).
pg_h_psql() {
    pg_psql "$1" "$3"
    pg_ok_psql "$1" "$2"
}

# pg_h_py LOGNAME VERSION VERSIONS [ARGS...]: pg_py (offering VERSIONS,
# key log HK) that must succeed over TLS 1.VERSION.
pg_h_py() {
    local logname=$1 v=$2 vs=$3; shift 3
    pg_py "$logname" "$vs" "$HK" "ca=$CA" "$@"
    pg_ok_py "$logname" "$v"
}

# 26. PostgreSQL 15: TLS after the SSLRequest, every session running
# SELECT 1 (psql prints " ?column? / 1 / (1 row)" and "SSL connection
# (protocol: TLSv1.x, cipher: ..., compression: off)"; pg-peer.py "client
# handshake OK: TLSv1.x SUITE", "client: startup: AuthenticationOk",
# "...: ReadyForQuery", "client: SELECT 1: DataRow ['1']", "client sent
# Terminate", "client closed cleanly"; the server "connection received:
# host=127.0.0.1 port=P", "connection authorized: user=postgres
# database=postgres application_name=NAME SSL enabled (protocol=TLSv1.x,
# cipher=SUITE, bits=N)", "disconnection: session time: ...").  Key log:
# Python's (streams 5, 6, 8, 11, 12).  First server, TLS 1.2-1.3, trust:
#    0 psql sslmode=require, host=127.0.0.1 (no SNI, nothing verified),
#      TLS 1.3
#    1 psql sslmode=verify-ca sslrootcert=CA, host=127.0.0.1, TLS 1.3
#    2 psql sslmode=verify-full, host=good.example (SNI) hostaddr=127.0.0.1,
#      TLS 1.3
#    3 psql verify-full with ssl_max_protocol_version=TLSv1.2: TLS 1.2
#      (ECDHE-RSA-AES256-GCM-SHA384)
#    4 psql verify-full, `SELECT 1;`, `\conninfo`, `\q` typed on stdin,
#      TLS 1.3
#    5 Python TLS 1.3 only (TLS_AES_256_GCM_SHA384)
#    6 Python TLS 1.2 only
# then the server again with ssl_max_protocol_version=TLSv1.2 and
# ssl_ciphers=ECDHE-RSA-AES128-GCM-SHA256 (the server's limit, not the
# client's):
#    7 psql verify-full offering TLS 1.2-1.3: TLS 1.2,
#      ECDHE-RSA-AES128-GCM-SHA256
#    8 Python offering TLS 1.2-1.3: the same
# then with ssl_ca_file=CA and `hostssl all all 127.0.0.1/32 cert`: each
# client sends "CN=postgres" (the user name; clientAuth, the run's CA) and
# the server logs "connection authenticated: identity="CN=postgres"
# method=cert (...hba:1)":
#    9 psql verify-full, TLS 1.3 (CertificateRequest encrypted)
#   10 psql verify-full, ssl_max_protocol_version=TLSv1.2: TLS 1.2
#   11 Python TLS 1.3
#   12 Python TLS 1.2
h_shape_postgres() {
    local full cert a
    pg_setup
    full="$PG_GOOD sslmode=verify-full sslrootcert=$CA"
    cert="sslcert=$PGC/client.pem sslkey=$PGC/client.key"
    pg_server h-pg-a "$PG_TRUST"
    pg_h_psql h-psql-require 1.3 "$PG_LOCAL sslmode=require"
    pg_h_psql h-psql-verify-ca 1.3 "$PG_LOCAL sslmode=verify-ca sslrootcert=$CA"
    pg_h_psql h-psql-verify-full 1.3 "$full"
    pg_h_psql h-psql-max12 1.2 "$full ssl_max_protocol_version=TLSv1.2"
    pg_psql_stdin h-psql-stdin "$full"
    pg_ok_psql h-psql-stdin 1.3
    pg_h_py h-py-13 1.3 tls13
    pg_h_py h-py-12 1.2 tls12
    pg_stop
    pg_server h-pg-b "$PG_TRUST" ssl_max_protocol_version=TLSv1.2 ssl_ciphers=ECDHE-RSA-AES128-GCM-SHA256
    pg_h_psql h-psql-srv12 1.2 "$full"
    log_count h-psql-srv12 'cipher: ECDHE-RSA-AES128-GCM-SHA256,' 1
    pg_h_py h-py-srv12 1.2 tls12-tls13
    log_count h-py-srv12 '^client handshake OK: TLSv1\.2 ECDHE-RSA-AES128-GCM-SHA256$' 1
    pg_stop
    pg_server h-pg-c "$PG_CERT" ssl_ca_file="$PGDIR/ca.pem"
    pg_h_psql h-psql-cert 1.3 "$full $cert"
    pg_h_psql h-psql-cert-12 1.2 "$full $cert ssl_max_protocol_version=TLSv1.2"
    pg_h_py h-py-cert-13 1.3 tls13 "cert=$PGC/client.pem,$PGC/client.key"
    pg_h_py h-py-cert-12 1.2 tls12 "cert=$PGC/client.pem,$PGC/client.key"
    pg_stop
    for a in h-psql-require:1.3 h-psql-verify-ca:1.3 h-psql-verify-full:1.3 h-psql-max12:1.2 \
        h-psql-stdin:1.3 h-py-13:1.3 h-py-12:1.2; do
        pg_authorized h-pg-a "${a%:*}" "${a#*:}"
    done
    for a in h-psql-srv12 h-py-srv12; do
        pg_authorized h-pg-b "$a" 1.2
    done
    for a in h-psql-cert:1.3 h-psql-cert-12:1.2 h-py-cert-13:1.3 h-py-cert-12:1.2; do
        pg_authorized h-pg-c "${a%:*}" "${a#*:}"
    done
    log_count h-pg-c 'connection authenticated: identity="CN=postgres" method=cert ' 4
    for a in h-pg-a:7 h-pg-b:2 h-pg-c:4; do
        log_count "${a%:*}" 'LOG:  connection received: host=127.0.0.1 ' "${a#*:}"
        log_count "${a%:*}" 'LOG:  disconnection: session time: ' "${a#*:}"
        log_count "${a%:*}" 'could not accept SSL connection|FATAL|ERROR' 0
    done
    h_check '=13' 0 'pgsql.type == "SSL request"'
    h_check '=13' 0 "tcp.srcport == $PG_PORT && tcp.len == 1 && tcp.payload == 53"
    h_check '=20' 0 'tls.handshake.type == 1'
    h_check '=7' 0 "tls.handshake.type == 2 && tls.handshake.random == $HRR_RANDOM"
    h_check '=0' 0 'tls.handshake.extensions_server_name && tcp.stream in {0,1}'
    # Python's five sessions, read with the key log.
    h_check '=5' 1 'pgsql.type == "Startup message"'
    h_check '=5' 1 'pgsql.type == "Simple query"'
    h_check '=5' 1 'pgsql.type == "Termination"'
    # Client certificates: asked for by the third server only, and sent:
    # the TLS 1.2 ones readable, Python's TLS 1.3 one with the key log.
    h_check '=3' 1 'tls.handshake.type == 13'
    h_check '=3' 1 "tcp.dstport == $PG_PORT && tls.handshake.type == 11 && tls.handshake.certificates_length > 0"
    # No session tickets, in TLS 1.2 (readable) or 1.3 (Python's).
    h_check '=0' 1 'tls.handshake.type == 4 || (tls.handshake.type == 2 && tls.handshake.extension.type == 35)'
}

scenario_healthy_postgres() { pg_port_free; healthy postgres postgres "" "$PG_PORT"; }

# ------------------------------------------------------------ failures ---

# sslmode=verify-full (or Python with check_hostname) for host wrong.example
# (hostaddr 127.0.0.1; SNI wrong.example), the certificate being for
# good.example from the trusted CA.  psql completes the handshake (in TLS
# 1.3 its Finished, and an empty Certificate when asked), then checks the
# name, sends close_notify and closes: "psql: error: connection to server
# at "127.0.0.1", port 5432 failed: server certificate for "good.example"
# does not match host name "wrong.example"".  The server logs only
# "connection received: host=127.0.0.1 port=P" for it (no StartupMessage:
# it says nothing) and answers the close_notify with its own.  Python
# refuses inside the handshake with a plaintext bad_certificate (42):
# "client failed: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify
# failed: Hostname mismatch, certificate is not valid for
# 'wrong.example'. (_ssl.c:NNN)"; the server: "could not accept SSL
# connection: sslv3 alert bad certificate".  Servers one after the other:
#   0 psql, TLS 1.3        server TLS 1.2-1.3, no ssl_ca_file
#   1 Python TLS 1.3       same
#   2 psql, TLS 1.2        server ssl_max_protocol_version=TLSv1.2
#   3 Python TLS 1.2-1.3   same: TLS 1.2
#   4 psql, TLS 1.3        server with ssl_ca_file (CertificateRequest)
#   5 Python TLS 1.3       same (the CertificateRequest readable with keys)
#   6 psql, TLS 1.2        server ssl_ca_file, max TLSv1.2: psql's empty
#                          Certificate, ClientKeyExchange, Finished
#   7 Python TLS 1.2-1.3   same: TLS 1.2, alert after the server's flight
# Key log: Python's (its TLS 1.3 handshakes).
scenario_postgres_name_mismatch() {
    local name=postgres-name-mismatch keys a
    pg_port_free
    pg_setup
    keys=$(keylog_path $name)
    start_capture $name "$PG_PORT"
    pg_server nm-srv "$PG_TRUST"
    pg_psql nm-psql-13 "$PG_WRONG sslmode=verify-full sslrootcert=$CA"
    pg_py nm-py-13 tls13 "$keys" "ca=$CA" name=wrong.example
    pg_stop
    pg_server nm-srv-12 "$PG_TRUST" ssl_max_protocol_version=TLSv1.2
    pg_psql nm-psql-12 "$PG_WRONG sslmode=verify-full sslrootcert=$CA"
    pg_py nm-py-12 tls12-tls13 "$keys" "ca=$CA" name=wrong.example
    pg_stop
    pg_server nm-srv-ca "$PG_TRUST" ssl_ca_file="$PGDIR/ca.pem"
    pg_psql nm-psql-ca-13 "$PG_WRONG sslmode=verify-full sslrootcert=$CA"
    pg_py nm-py-ca-13 tls13 "$keys" "ca=$CA" name=wrong.example
    pg_stop
    pg_server nm-srv-ca-12 "$PG_TRUST" ssl_ca_file="$PGDIR/ca.pem" ssl_max_protocol_version=TLSv1.2
    pg_psql nm-psql-ca-12 "$PG_WRONG sslmode=verify-full sslrootcert=$CA"
    pg_py nm-py-ca-12 tls12-tls13 "$keys" "ca=$CA" name=wrong.example
    stop_capture
    keylog_done $name
    for a in nm-psql-13 nm-psql-12 nm-psql-ca-13 nm-psql-ca-12; do
        log_count "$a" '^psql: error: connection to server at "127\.0\.0\.1", port 5432 failed: server certificate for "good\.example" does not match host name "wrong\.example"$' 1
        log_count "$a" . 1
    done
    for a in nm-py-13 nm-py-12 nm-py-ca-13 nm-py-ca-12; do
        log_count "$a" "^client: SSLRequest answered 'S'$" 1
        log_count "$a" "^client failed: \\[SSL: CERTIFICATE_VERIFY_FAILED\\] certificate verify failed: Hostname mismatch, certificate is not valid for 'wrong\\.example'\\." 1
        log_count "$a" '^client handshake OK' 0
    done
    # Each server: two connections; psql's leaves no trace but the first
    # line (it closes before its StartupMessage), Python's alert is named.
    for a in nm-srv nm-srv-12 nm-srv-ca nm-srv-ca-12; do
        log_count "$a" 'LOG:  connection received: host=127\.0\.0\.1 ' 2
        log_count "$a" 'LOG:  could not accept SSL connection: sslv3 alert bad certificate$' 1
        log_count "$a" 'connection authorized|FATAL|ERROR|disconnection' 0
    done
    pg_preamble "0 1 2 3 4 5 6 7" 53
    pg_want "HelloRetryRequests" "tls.handshake.type == 2 && tls.handshake.random == $HRR_RANDOM" tcp.stream \
        "0 1 4 5"
    pg_want "CertificateRequests (key log)" 'tls.handshake.type == 13' tcp.stream "5 6 7" "$keys"
    pg_want "ClientKeyExchanges (psql's TLS 1.2 handshakes went on)" \
        "tcp.dstport == $PG_PORT && tls.handshake.type == 16" tcp.stream "2 6"
    pg_want "psql's empty Certificate (TLS 1.2)" "tcp.dstport == $PG_PORT && tls.handshake.type == 11" \
        tls.handshake.certificates_length "0"
    pg_want "the alerts (key log)" "tcp.dstport == $PG_PORT && tls.alert_message.level == 2" \
        tls.alert_message.desc "42 42 42 42" "$keys"
    pg_want "their streams" "tcp.dstport == $PG_PORT && tls.alert_message.level == 2" tcp.stream "1 3 5 7" "$keys"
    pg_want "psql's close_notify in TLS 1.2 (encrypted: 31 bytes)" \
        "tcp.dstport == $PG_PORT && tls.record.content_type == 21 && tls.record.length == 26" tcp.stream "2 6"
    pg_want "StartupMessages" 'pgsql.type == "Startup message"' tcp.stream "" "$keys"
}

# Clients trusting only an unrelated CA (sslrootcert=other CA): each
# refuses good.example's certificate in the handshake with a plaintext
# unknown_ca (48), TLS 1.3 included.  psql: "psql: error: connection to
# server at "127.0.0.1", port 5432 failed: SSL error: certificate verify
# failed"; Python: "client failed: [SSL: CERTIFICATE_VERIFY_FAILED]
# certificate verify failed: unable to get local issuer certificate
# (_ssl.c:NNN)"; the server, for each: "connection received: ...",
# "could not accept SSL connection: tlsv1 alert unknown ca".
#   0 psql verify-ca, TLS 1.3     server TLS 1.2-1.3
#   1 psql verify-full, TLS 1.3   same (host good.example)
#   2 Python TLS 1.3              same
#   3 psql verify-ca, TLS 1.2     server ssl_max_protocol_version=TLSv1.2
#   4 psql verify-full, TLS 1.2   same
#   5 Python TLS 1.2-1.3          same: TLS 1.2
# Key log: Python's (stream 2's server flight).
scenario_postgres_untrusted_ca() {
    local name=postgres-untrusted-ca keys other a
    pg_port_free
    pg_setup
    other=$TMP/pki/other-ca.pem
    keys=$(keylog_path $name)
    start_capture $name "$PG_PORT"
    pg_server uc-srv "$PG_TRUST"
    pg_psql uc-psql-ca-13 "$PG_GOOD sslmode=verify-ca sslrootcert=$other"
    pg_psql uc-psql-full-13 "$PG_GOOD sslmode=verify-full sslrootcert=$other"
    pg_py uc-py-13 tls13 "$keys" "ca=$other"
    pg_stop
    pg_server uc-srv-12 "$PG_TRUST" ssl_max_protocol_version=TLSv1.2
    pg_psql uc-psql-ca-12 "$PG_GOOD sslmode=verify-ca sslrootcert=$other"
    pg_psql uc-psql-full-12 "$PG_GOOD sslmode=verify-full sslrootcert=$other"
    pg_py uc-py-12 tls12-tls13 "$keys" "ca=$other"
    stop_capture
    keylog_done $name
    for a in uc-psql-ca-13 uc-psql-full-13 uc-psql-ca-12 uc-psql-full-12; do
        log_count "$a" '^psql: error: connection to server at "127\.0\.0\.1", port 5432 failed: SSL error: certificate verify failed$' 1
        log_count "$a" . 1
    done
    for a in uc-py-13 uc-py-12; do
        log_count "$a" '^client failed: \[SSL: CERTIFICATE_VERIFY_FAILED\] certificate verify failed: unable to get local issuer certificate ' 1
        log_count "$a" '^client handshake OK' 0
    done
    for a in uc-srv uc-srv-12; do
        log_count "$a" 'LOG:  connection received: host=127\.0\.0\.1 ' 3
        log_count "$a" 'LOG:  could not accept SSL connection: tlsv1 alert unknown ca$' 3
        log_count "$a" 'connection authorized|FATAL|ERROR|disconnection' 0
    done
    pg_preamble "0 1 2 3 4 5" 53
    pg_want "HelloRetryRequests" "tls.handshake.type == 2 && tls.handshake.random == $HRR_RANDOM" tcp.stream \
        "0 1 2"
    # OpenSSL's clients send the alert in the clear, in TLS 1.3 too.
    pg_want "the clients' alerts" "tcp.dstport == $PG_PORT && tls.alert_message.level == 2" \
        tls.alert_message.desc "48 48 48 48 48 48"
    pg_want "their streams" "tcp.dstport == $PG_PORT && tls.alert_message.level == 2" tcp.stream "0 1 2 3 4 5"
}

# pg_hba `hostssl all all 127.0.0.1/32 cert`, ssl_ca_file=CA: the server
# asks for a client certificate in the handshake but does not require one
# there; the cert method refuses later, at the PostgreSQL level, in an
# ErrorResponse inside TLS (FATAL, SQLSTATE 28000) before it closes, with
# close_notify.  A certificate from another CA is refused at the TLS
# level instead: the server's fatal alert unknown_ca (48), encrypted in
# TLS 1.3 (after the client's Finished: the client's handshake was
# over), plaintext in TLS 1.2.  Clients: psql (verify-full, host
# good.example) and Python, with no certificate, with "CN=postgres" from
# the unrelated CA, with "CN=tlsdiag stranger" from the run's CA.
#   0 psql none, TLS 1.3      psql: "psql: error: connection to server at
#                             "127.0.0.1", port 5432 failed: FATAL:
#                             connection requires a valid client
#                             certificate"; server: "FATAL:  connection
#                             requires a valid client certificate"
#   1 psql other CA, TLS 1.3  psql: "... failed: SSL error: tlsv1 alert
#                             unknown ca"; server: "could not accept SSL
#                             connection: certificate verify failed"
#   2 psql stranger, TLS 1.3  psql: "... failed: FATAL:  certificate
#                             authentication failed for user
#                             "postgres""; server: "connection
#                             authenticated: identity="CN=tlsdiag
#                             stranger" method=cert (...)", "provided user
#                             name (postgres) and authenticated user name
#                             (tlsdiag stranger) do not match", "FATAL:
#                             certificate authentication failed for user
#                             "postgres"", "DETAIL:  Connection matched
#                             pg_hba.conf line 1: ..."
#   3 Python none, TLS 1.3    "client handshake OK: TLSv1.3 ...", "client:
#                             startup: ErrorResponse: FATAL 28000
#                             connection requires a valid client
#                             certificate", "client: the server closed
#                             the session", "client closed cleanly";
#                             server as for 0
#   4 Python other CA, 1.3    "client handshake OK: TLSv1.3 ...", "client
#                             failed: [SSL: TLSV1_ALERT_UNKNOWN_CA] tlsv1
#                             alert unknown ca (...)"; server as for 1
#   5 Python stranger, 1.3    ErrorResponse "FATAL 28000 certificate
#                             authentication failed for user "postgres"";
#                             server as for 2
# then the server with ssl_max_protocol_version=TLSv1.2:
#   6 psql none, TLS 1.2      as 0
#   7 psql other CA, TLS 1.2  as 1
#   8 Python none, TLS 1.2    as 3
#   9 Python other CA, 1.2    "client failed: [SSL: TLSV1_ALERT_UNKNOWN_CA]
#                             ..." (no handshake OK: in TLS 1.2 the alert
#                             comes before the server's Finished)
# Key log: Python's (streams 3, 4, 5, 8, 9: the CertificateRequest, the
# Certificate, the alert, the ErrorResponse readable).
scenario_postgres_client_cert_required() {
    local name=postgres-client-cert-required keys full other stranger a
    pg_port_free
    pg_setup
    full="$PG_GOOD sslmode=verify-full sslrootcert=$CA"
    other="sslcert=$PGC/other-client.pem sslkey=$PGC/other-client.key"
    stranger="sslcert=$PGC/stranger.pem sslkey=$PGC/stranger.key"
    keys=$(keylog_path $name)
    start_capture $name "$PG_PORT"
    pg_server cc-srv "$PG_CERT" ssl_ca_file="$PGDIR/ca.pem"
    pg_psql cc-psql-none-13 "$full"
    pg_psql cc-psql-other-13 "$full $other"
    pg_psql cc-psql-stranger-13 "$full $stranger"
    pg_py cc-py-none-13 tls13 "$keys" "ca=$CA"
    pg_py cc-py-other-13 tls13 "$keys" "ca=$CA" "cert=$PGC/other-client.pem,$PGC/other-client.key"
    pg_py cc-py-stranger-13 tls13 "$keys" "ca=$CA" "cert=$PGC/stranger.pem,$PGC/stranger.key"
    pg_stop
    pg_server cc-srv-12 "$PG_CERT" ssl_ca_file="$PGDIR/ca.pem" ssl_max_protocol_version=TLSv1.2
    pg_psql cc-psql-none-12 "$full"
    pg_psql cc-psql-other-12 "$full $other"
    pg_py cc-py-none-12 tls12-tls13 "$keys" "ca=$CA"
    pg_py cc-py-other-12 tls12-tls13 "$keys" "ca=$CA" "cert=$PGC/other-client.pem,$PGC/other-client.key"
    stop_capture
    keylog_done $name
    a='^psql: error: connection to server at "127\.0\.0\.1", port 5432 failed:'
    log_count cc-psql-none-13 "$a FATAL:  connection requires a valid client certificate$" 1
    log_count cc-psql-none-12 "$a FATAL:  connection requires a valid client certificate$" 1
    log_count cc-psql-other-13 "$a SSL error: tlsv1 alert unknown ca$" 1
    log_count cc-psql-other-12 "$a SSL error: tlsv1 alert unknown ca$" 1
    log_count cc-psql-stranger-13 "$a FATAL:  certificate authentication failed for user \"postgres\"$" 1
    for a in cc-psql-none-13 cc-psql-none-12 cc-psql-other-13 cc-psql-other-12 cc-psql-stranger-13; do
        log_count "$a" . 1
    done
    for a in cc-py-none-13:1\\.3 cc-py-none-12:1\\.2; do
        log_count "${a%:*}" "^client handshake OK: TLSv${a#*:} " 1
        log_count "${a%:*}" '^client: startup: ErrorResponse: FATAL 28000 connection requires a valid client certificate$' 1
        log_count "${a%:*}" '^client: the server closed the session$' 1
        log_count "${a%:*}" '^client closed cleanly$' 1
    done
    log_count cc-py-stranger-13 '^client handshake OK: TLSv1\.3 ' 1
    log_count cc-py-stranger-13 '^client: startup: ErrorResponse: FATAL 28000 certificate authentication failed for user "postgres"$' 1
    log_count cc-py-stranger-13 '^client closed cleanly$' 1
    # TLS 1.3: the client's handshake is over before the server reads its
    # certificate; TLS 1.2: the server's alert comes before its Finished.
    log_count cc-py-other-13 '^client handshake OK: TLSv1\.3 ' 1
    log_count cc-py-other-13 '^client failed: \[SSL: TLSV1_ALERT_UNKNOWN_CA\] tlsv1 alert unknown ca ' 1
    log_count cc-py-other-12 '^client handshake OK' 0
    log_count cc-py-other-12 '^client failed: \[SSL: TLSV1_ALERT_UNKNOWN_CA\] tlsv1 alert unknown ca ' 1
    log_count cc-srv 'LOG:  connection received: host=127\.0\.0\.1 ' 6
    log_count cc-srv 'FATAL:  connection requires a valid client certificate$' 2
    log_count cc-srv 'LOG:  could not accept SSL connection: certificate verify failed$' 2
    log_count cc-srv 'LOG:  connection authenticated: identity="CN=tlsdiag stranger" method=cert ' 2
    log_count cc-srv 'LOG:  provided user name \(postgres\) and authenticated user name \(tlsdiag stranger\) do not match$' 2
    log_count cc-srv 'FATAL:  certificate authentication failed for user "postgres"$' 2
    log_count cc-srv 'FATAL' 4
    log_count cc-srv-12 'LOG:  connection received: host=127\.0\.0\.1 ' 4
    log_count cc-srv-12 'FATAL:  connection requires a valid client certificate$' 2
    log_count cc-srv-12 'LOG:  could not accept SSL connection: certificate verify failed$' 2
    log_count cc-srv-12 'FATAL' 2
    log_count cc-srv 'connection authorized|disconnection' 0
    log_count cc-srv-12 'connection authorized|disconnection' 0
    pg_preamble "0 1 2 3 4 5 6 7 8 9" 53
    pg_want "HelloRetryRequests" "tls.handshake.type == 2 && tls.handshake.random == $HRR_RANDOM" tcp.stream \
        "0 1 2 3 4 5"
    pg_want "CertificateRequests (key log)" 'tls.handshake.type == 13' tcp.stream "3 4 5 6 7 8 9" "$keys"
    capture_want "the clients' certificates_length (key log)" \
        "$(capture_fields "tcp.dstport == $PG_PORT && tls.handshake.type == 11" tls.handshake.certificates_length \
            "$keys" | sed -E 's/\<[1-9][0-9]*\>/N/g')" "0 N N 0 N 0 N"
    pg_want "their streams" "tcp.dstport == $PG_PORT && tls.handshake.type == 11" tcp.stream "3 4 5 6 7 8 9" "$keys"
    pg_want "the server's fatal alerts (key log)" "tcp.srcport == $PG_PORT && tls.alert_message.level == 2" \
        tls.alert_message.desc "48 48 48" "$keys"
    pg_want "their streams" "tcp.srcport == $PG_PORT && tls.alert_message.level == 2" tcp.stream "4 7 9" "$keys"
    pg_want "ErrorResponses (key log)" 'pgsql.type == "Error"' tcp.stream "3 5 8" "$keys"
    pg_want "their codes" 'pgsql.type == "Error"' pgsql.code "28000 28000 28000" "$keys"
}

# No common TLS version: the server refuses each ClientHello with a
# plaintext protocol_version (70) and closes; no ServerHello.  psql:
# "psql: error: connection to server at "127.0.0.1", port 5432 failed: SSL
# error: tlsv1 alert protocol version" and "This may indicate that the
# server does not support any SSL protocol version between TLSv1.x and
# TLSv1.x." (its own range); Python: "client failed: [SSL:
# TLSV1_ALERT_PROTOCOL_VERSION] tlsv1 alert protocol version (...)"; the
# server: "could not accept SSL connection: unsupported protocol",
# "HINT:  This may indicate that the client does not support any SSL
# protocol version between TLSv1.x and TLSv1.x." (its own range).
#   0 psql ssl_max_protocol_version=TLSv1.2   server
#                                             ssl_min_protocol_version=TLSv1.3
#   1 Python TLS 1.2 only                     same
#   2 psql ssl_min_protocol_version=TLSv1.3   server
#                                             ssl_max_protocol_version=TLSv1.2
#   3 Python TLS 1.3 only                     same
# No key log: no secret is derived before a ServerHello.
scenario_postgres_version_mismatch() {
    local name=postgres-version-mismatch full a
    pg_port_free
    pg_setup
    full="$PG_GOOD sslmode=verify-full sslrootcert=$CA"
    rm -f "$OUT/$name.keys"
    start_capture $name "$PG_PORT"
    pg_server vm-srv-min13 "$PG_TRUST" ssl_min_protocol_version=TLSv1.3
    pg_psql vm-psql-max12 "$full ssl_max_protocol_version=TLSv1.2"
    pg_py vm-py-12 tls12 - "ca=$CA"
    pg_stop
    pg_server vm-srv-max12 "$PG_TRUST" ssl_max_protocol_version=TLSv1.2
    pg_psql vm-psql-min13 "$full ssl_min_protocol_version=TLSv1.3"
    pg_py vm-py-13 tls13 - "ca=$CA"
    stop_capture
    a='^psql: error: connection to server at "127\.0\.0\.1", port 5432 failed: SSL error: tlsv1 alert protocol version$'
    log_count vm-psql-max12 "$a" 1
    log_count vm-psql-max12 '^This may indicate that the server does not support any SSL protocol version between TLSv1\.2 and TLSv1\.2\.$' 1
    log_count vm-psql-min13 "$a" 1
    log_count vm-psql-min13 '^This may indicate that the server does not support any SSL protocol version between TLSv1\.3 and TLSv1\.3\.$' 1
    for a in vm-py-12 vm-py-13; do
        log_count "$a" '^client failed: \[SSL: TLSV1_ALERT_PROTOCOL_VERSION\] tlsv1 alert protocol version ' 1
    done
    for a in vm-srv-min13:1\\.3 vm-srv-max12:1\\.2; do
        log_count "${a%:*}" 'LOG:  connection received: host=127\.0\.0\.1 ' 2
        log_count "${a%:*}" 'LOG:  could not accept SSL connection: unsupported protocol$' 2
        log_count "${a%:*}" "HINT:  This may indicate that the client does not support any SSL protocol version between TLSv${a#*:} and TLSv${a#*:}\\.\$" 2
    done
    pg_preamble "0 1 2 3" 53
    pg_want "ClientHellos offering TLS 1.3" \
        'tls.handshake.type == 1 && tls.handshake.extensions.supported_version == 0x0304' tcp.stream "2 3"
    pg_want "ClientHellos offering TLS 1.2" \
        'tls.handshake.type == 1 && (tls.handshake.extensions.supported_version == 0x0303 || !tls.handshake.extensions.supported_version)' \
        tcp.stream "0 1"
    pg_want "ServerHellos" 'tls.handshake.type == 2' tcp.stream ""
    pg_want "the server's alerts" "tcp.srcport == $PG_PORT && tls.alert_message.level == 2" \
        tls.alert_message.desc "70 70 70 70"
    pg_want "their streams" "tcp.srcport == $PG_PORT && tls.alert_message" tcp.stream "0 1 2 3"
}

# ssl=off (pg_hba `host all all 127.0.0.1/32 trust`): the server answers
# every SSLRequest with 'N'; nothing of TLS follows.
#   0 psql sslmode=require: closes at once: "psql: error: connection to
#     server at "127.0.0.1", port 5432 failed: server does not support
#     SSL, but SSL was required"; server: "connection received" only
#   1 psql sslmode=prefer: goes on in plaintext on the same connection
#     (StartupMessage, SELECT 1, Terminate); \conninfo prints no "SSL
#     connection" line; server: "connection authorized: user=postgres
#     database=postgres application_name=off-psql-prefer" (no "SSL
#     enabled"), "disconnection: ..."
#   2 Python: "client: SSLRequest answered 'N'", closes; server:
#     "connection received" only
# No key log.
scenario_postgres_ssl_off() {
    local name=postgres-ssl-off
    pg_port_free
    pg_setup
    rm -f "$OUT/$name.keys"
    start_capture $name "$PG_PORT"
    pg_server off-srv 'host all all 127.0.0.1/32 trust' ssl=off
    pg_psql off-psql-require "$PG_GOOD sslmode=require"
    pg_psql off-psql-prefer "$PG_GOOD sslmode=prefer"
    pg_py off-py tls12-tls13 - "ca=$CA"
    stop_capture
    log_count off-psql-require '^psql: error: connection to server at "127\.0\.0\.1", port 5432 failed: server does not support SSL, but SSL was required$' 1
    log_count off-psql-require . 1
    log_count off-psql-prefer '^ +1$' 1
    log_count off-psql-prefer '^You are connected to database "postgres" as user "postgres" on host "good\.example" \(address "127\.0\.0\.1"\) at port "5432"\.$' 1
    log_count off-psql-prefer '^SSL connection' 0
    log_count off-py "^client: SSLRequest answered 'N'$" 1
    log_count off-py . 1
    log_count off-srv 'LOG:  connection received: host=127\.0\.0\.1 ' 3
    log_count off-srv 'LOG:  connection authorized: user=postgres database=postgres application_name=off-psql-prefer$' 1
    log_count off-srv 'LOG:  disconnection: ' 1
    log_count off-srv 'SSL|FATAL|ERROR' 0
    pg_preamble "0 1 2" 4e
    pg_want "StartupMessages" 'pgsql.type == "Startup message"' tcp.stream "1"
    pg_want "queries" 'pgsql.type == "Simple query"' pgsql.query "SELECT 1"
    pg_want "TLS records" tls frame.number ""
}

ALL+=(healthy-postgres postgres-name-mismatch postgres-untrusted-ca postgres-client-cert-required
    postgres-version-mismatch postgres-ssl-off)
