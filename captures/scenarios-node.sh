# shellcheck shell=bash
# Node.js scenarios for make-captures.sh (sourced by it; uses its helpers,
# those of scenarios-certs.sh (the certificate PKI, cert_server,
# cert_expect, cp_chain) and those of scenarios-healthy.sh): Node's TLS
# stack, Node 20 (/usr/bin/node; Debian 12's nodejs, Node 18, would do)
# with its bundled OpenSSL 3.0.
#
# Node checks certificates after the handshake, not in it: its OpenSSL
# verify callback accepts every certificate, the handshake runs to its
# end, then Node reads the verification result (a client also checks the
# host name) and on failure destroys the socket: a FIN, no alert.  The
# peers are two small programs written to $TMP/node (node-client.js,
# node-server.js, below), run with `node`; they write their key logs from
# Node's 'keylog' events.  The failure captures are on $CERT_PORT2
# (10443), with the PKI of scenarios-certs.sh, a connection every 0.5 s;
# healthy-node on HP (9443).  Every scenario checks the peers' logs and
# the capture afterwards and stops the run if a stack behaved otherwise
# (KEEP_TMP=1 keeps the logs).
#
# Seen with these stacks (Node 20.20, OpenSSL 3.0.19 in Node and in
# s_server/s_client, GnuTLS 3.7.9):
# - The Node client (tls.connect, rejectUnauthorized as by default)
#   refusing the server's certificate: in TLS 1.2 its ClientKeyExchange,
#   CCS and Finished go out, the server's ticket, CCS and Finished come,
#   then the client's FIN (about 1 ms later) with no alert; in TLS 1.3 it
#   sends nothing after its ClientHello but its FIN, about 3 ms after the
#   server's flight: no CCS, no Finished.  It reports the OpenSSL verify
#   error's name as err.code (CERT_HAS_EXPIRED, CERT_NOT_YET_VALID,
#   DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE,
#   SELF_SIGNED_CERT_IN_CHAIN, UNABLE_TO_GET_ISSUER_CERT_LOCALLY) or,
#   for the host name, ERR_TLS_CERT_ALTNAME_INVALID.
# - s_server (OpenSSL 3.0) answers that FIN with a fatal decode_error (50:
#   its "unexpected eof while reading"), encrypted in both versions (a
#   26-byte record after its CCS in TLS 1.2, 19 bytes in TLS 1.3), which
#   meets the closed socket: client RST.  So the only alert in these
#   streams is the server's, after the client's FIN.
# - A Node server with requestCert and rejectUnauthorized: a client
#   certificate it does not trust is accepted by OpenSSL, and Node then
#   destroys the socket without emitting secureConnection.  In TLS 1.2 it
#   does so before its CCS and Finished reach the wire: its FIN follows
#   the client's flight (Certificate, ClientKeyExchange,
#   CertificateVerify, CCS, Finished) directly, and the client, still in
#   its handshake, answers it (s_client decode_error 50, gnutls-cli
#   unexpected_message 10; encrypted, 26 bytes), server RST.  In TLS 1.3
#   the client's handshake is over: no tickets from the server, its FIN
#   after the client's Finished; s_client answers with decode_error (19
#   bytes), gnutls-cli with its FIN alone.  Node then emits tlsClientError
#   ECONNRESET "socket hang up" for the connection.  Without a client
#   certificate OpenSSL refuses in the handshake (tlsClientError
#   ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE): handshake_failure (40) in
#   plaintext in TLS 1.2, certificate_required (116) encrypted in TLS 1.3.
# - Node clients and servers end with close_notify (end()); a Node peer
#   that gets the other's close_notify answers with its own and its FIN
#   (allowHalfOpen false).  The Node https server chooses ALPN http/1.1
#   when offered h2 and http/1.1 (curl), and sends no session ticket to
#   curl in TLS 1.2.
#
#   node-client-refuses-tls12     the Node client against s_server, TLS
#                                 1.2, nine connections: a good chain, then
#                                 expired, not yet valid, another name,
#                                 self-signed, the leaf without its
#                                 intermediate, the untrusted chain with
#                                 and without its root, a good chain again
#   node-client-refuses-tls13     the same in TLS 1.3
#   node-server-client-cert       a Node server requiring a client
#                                 certificate: s_client and gnutls-cli
#                                 with one from the untrusted CA (TLS
#                                 1.2, 1.3), s_client without one (1.2,
#                                 1.3), both with a good one (1.3)
#   healthy-node                  (healthy framework) the Node client and
#                                 server with nginx, s_server, curl,
#                                 s_client, gnutls-cli, Python and each
#                                 other
#
# The streams (tcp.stream), their clients and what the peers log are
# listed above each scenario below.

NODEDIR=$TMP/node
NODEJS=(node)

write_node_peers() {
    mkdir -p "$NODEDIR"
    cat >"$NODEDIR/node-client.js" <<'JSEOF'
'use strict';
// node-client.js MODE KEY=VALUE...: Node.js TLS clients for
// captures/scenarios-node.sh.  Every line printed begins with the
// connection's number (1, 2, ...).
//   line    tls.connect; once secure, send line=TEXT (if given), print the
//           answer's first line, end() (close_notify, FIN); without line,
//           end() at once
//   resume  line twice, the second connection offering the first one's
//           session ('session' event)
//   https   count=N GETs of path=P (https.get), one after the other: on one
//           keep-alive connection (keepalive=1; ended with end() after the
//           last answer), else each on its own (agent: false: "Connection:
//           close", the server closes)
//   h2      http2.connect (ALPN h2), one GET of path=P, close()
// KEYs: port, ca, name (SNI and the name checked; default good.example),
// min/max (TLSv1.2, TLSv1.3), keylog (appended), cert=CERT,KEY[,CHAIN...],
// alpn=a,b, line, path, count, keepalive.  The server's certificate is
// checked as Node does by default (rejectUnauthorized).  Printed: "secure
// authorized=... protocol=... cipher=... reused=... alpn=...", "data:
// LINE", "error CODE MESSAGE", "end: the server closed", "close
// hadError=...".
const fs = require('fs'), tls = require('tls'), https = require('https'), http2 = require('http2');

const mode = process.argv[2], opt = {};
for (const a of process.argv.slice(3)) {
    const i = a.indexOf('=');
    opt[a.slice(0, i)] = a.slice(i + 1);
}
let conn = 0;
const say = (n, s) => console.log(`${n}: ${s}`);

function options() {
    const o = {host: '127.0.0.1', port: +opt.port, servername: opt.name || 'good.example',
               ca: fs.readFileSync(opt.ca)};
    if (opt.min) o.minVersion = opt.min;
    if (opt.max) o.maxVersion = opt.max;
    if (opt.cert) {
        const [c, k, ...chain] = opt.cert.split(',');
        o.cert = Buffer.concat([c, ...chain].map(f => fs.readFileSync(f)));
        o.key = fs.readFileSync(k);
    }
    if (opt.alpn) o.ALPNProtocols = opt.alpn.split(',');
    return o;
}
function keylog(sock) {
    if (opt.keylog) sock.on('keylog', line => fs.appendFileSync(opt.keylog, line));
}
function secureLine(s) {
    const c = s.getCipher();
    return `secure authorized=${s.authorized} protocol=${s.getProtocol()} cipher=${c && c.name}` +
        ` reused=${s.isSessionReused()} alpn=${s.alpnProtocol}`;
}

function line(extra, done) {
    const n = ++conn, o = Object.assign(options(), extra);
    let buf = '', session;
    const s = tls.connect(o, () => {
        say(n, secureLine(s));
        if (opt.line) s.write(opt.line + '\n');
        else s.end();
    });
    keylog(s);
    s.setEncoding('utf8');
    s.setTimeout(5000, () => { say(n, 'timeout'); s.destroy(); });
    s.on('session', sess => { session = sess; });
    s.on('data', d => {
        buf += d;
        if (buf.includes('\n')) {
            say(n, 'data: ' + buf.split('\n')[0]);
            buf = '';
            s.end();
        }
    });
    s.on('error', e => say(n, `error ${e.code} ${e.message}`));
    s.on('end', () => say(n, 'end: the server closed'));
    s.on('close', hadError => {
        say(n, `close hadError=${hadError}`);
        if (done) done(session);
    });
}

function get(agent, left) {
    const n = ++conn, o = options();
    o.path = opt.path || '/';
    o.agent = agent;
    const req = https.get(o, res => {
        const s = res.socket;       // (res.socket is null by 'end' on a kept-alive connection)
        let body = '';
        res.setEncoding('utf8');
        res.on('data', d => { body += d; });
        res.on('end', () => {
            say(n, `${secureLine(s)} status=${res.statusCode} body: ${body.trim()}`);
            if (left > 1) get(agent, left - 1);
            else if (agent) s.end();    // the kept-alive connection: close_notify, FIN
        });
    });
    req.on('error', e => say(n, `error ${e.code} ${e.message}`));
    req.on('socket', s => {
        if (s.tlsdiagSeen) return;      // the kept-alive connection again
        s.tlsdiagSeen = true;
        keylog(s);
        s.on('end', () => say(n, 'end: the server closed'));
        s.on('close', hadError => say(n, `close hadError=${hadError}`));
    });
}

if (mode === 'line') {
    line({});
} else if (mode === 'resume') {
    line({}, session => {
        say(1, session ? 'got a session' : 'no session');
        setTimeout(() => line({session}), 500);
    });
} else if (mode === 'https') {
    let agent = false;
    if (opt.keepalive === '1') {
        agent = new https.Agent({keepAlive: true, maxSockets: 1});
    }
    get(agent, +(opt.count || 1));
} else if (mode === 'h2') {
    const n = ++conn, o = options();
    o.ALPNProtocols = ['h2'];
    const client = http2.connect(`https://${o.servername}:${o.port}`, {
        createConnection: () => {
            const s = tls.connect(o);
            keylog(s);
            s.on('close', hadError => say(n, `close hadError=${hadError}`));
            return s;
        }});
    client.on('error', e => say(n, `error ${e.code} ${e.message}`));
    client.on('connect', (session, s) => say(n, secureLine(s)));
    const req = client.request({':path': opt.path || '/'});
    let body = '', status;
    req.setEncoding('utf8');
    req.on('response', h => { status = h[':status']; });
    req.on('data', d => { body += d; });
    req.on('end', () => {
        say(n, `status=${status} body: ${body.trim()}`);
        client.close();
    });
} else {
    console.error('unknown mode ' + mode);
    process.exit(2);
}
JSEOF
    cat >"$NODEDIR/node-server.js" <<'JSEOF'
'use strict';
// node-server.js MODE KEY=VALUE...: Node.js TLS servers for
// captures/scenarios-node.sh, on 127.0.0.1:PORT until killed.
//   echo   tls.createServer: answers each line with "echo: LINE"; ends
//          (close_notify, FIN) when the client does
//   https  https.createServer: answers every request with one line
//          naming the protocol, the path and the client certificate's CN
// KEYs: port, cert=CERT[,CHAIN...], key, ca, keylog (appended),
// requestcert=1 (requestCert and rejectUnauthorized: Node's own check,
// after the handshake, trusting ca), min/max.  Each connection is
// numbered when the server first hears of it: its first key-log line
// (the 'keylog' event is the first to hand over the TLSSocket, also of a
// connection that Node then destroys without emitting secureConnection or
// tlsClientError) or its tlsClientError.  Printed per connection:
//   N: secure authorized=.. authorizationError=.. protocol=.. peer=CN destroyed=..
//          (after Node's own 'secure' listener: destroyed=true is its
//          refusal)
//   N: tlsClientError CODE MESSAGE
//   N: got: LINE | request: METHOD PATH | end | close
const fs = require('fs'), tls = require('tls'), https = require('https');

const mode = process.argv[2], opt = {};
for (const a of process.argv.slice(3)) {
    const i = a.indexOf('=');
    opt[a.slice(0, i)] = a.slice(i + 1);
}
const say = (n, s) => console.log(`${n}: ${s}`);
const o = {cert: Buffer.concat(opt.cert.split(',').map(f => fs.readFileSync(f))),
           key: fs.readFileSync(opt.key)};
if (opt.ca) o.ca = fs.readFileSync(opt.ca);
if (opt.min) o.minVersion = opt.min;
if (opt.max) o.maxVersion = opt.max;
if (opt.requestcert === '1') {
    o.requestCert = true;
    o.rejectUnauthorized = true;
}
const cn = s => {
    const p = s.getPeerCertificate();
    return p && p.subject ? p.subject.CN : '';
};

let count = 0;
const ids = new WeakMap();
function id(s) {
    if (!ids.has(s)) {
        const n = ++count;
        ids.set(s, n);
        s.once('secure', () => say(n, `secure authorized=${s.authorized}` +
            ` authorizationError=${s.authorizationError} protocol=${s.getProtocol()}` +
            ` peer=${cn(s) || '-'} destroyed=${s.destroyed}`));
        s.on('end', () => say(n, 'end'));
        s.on('close', () => say(n, 'close'));
    }
    return ids.get(s);
}

const server = mode === 'https'
    ? https.createServer(o, (req, res) => {
        const s = req.socket;
        say(id(s), `request: ${req.method} ${req.url}`);
        res.end(`hello from node ${s.getProtocol()} ${req.url} [${cn(s)}]\n`);
    })
    : tls.createServer(o, s => {
        const n = id(s);
        let buf = '';
        s.setEncoding('utf8');
        s.on('data', d => {
            buf += d;
            let i;
            while ((i = buf.indexOf('\n')) >= 0) {
                const l = buf.slice(0, i).replace(/\r$/, '');
                buf = buf.slice(i + 1);
                say(n, 'got: ' + l);
                s.write('echo: ' + l + '\n');
            }
        });
        s.on('error', e => say(n, `error ${e.code} ${e.message}`));
    });
server.on('keylog', (line, s) => {
    id(s);
    if (opt.keylog) fs.appendFileSync(opt.keylog, line);
});
server.on('tlsClientError', (e, s) => say(id(s), `tlsClientError ${e.code} ${e.message}`));
server.listen(+opt.port, '127.0.0.1', () => console.log(`listening on 127.0.0.1:${opt.port}`));
JSEOF
}

# node_setup: once per run: the certificate PKI, the peers, the client
# certificate "tlsdiag node client" (clientAuth, from the test
# intermediate) and the chain files.
node_setup() {
    make_cert_pki
    [[ -f $NODEDIR/node-client.js ]] && return 0
    write_node_peers
    cp_eku_cert int nclient "tlsdiag node client" clientAuth
    cat "$CP/good.pem" "$CP/int.pem" >"$NODEDIR/good-full.pem"
    cat "$CP/nclient.pem" "$CP/int.pem" >"$NODEDIR/nclient-full.pem"
    cat "$CP/oclient.pem" "$CP/oint.pem" >"$NODEDIR/oclient-full.pem"
}

# node_client LOGNAME MODE KEY=VALUE...: the Node client, bounded.
node_client() {
    local logname=$1; shift
    client "$logname" "${NODEJS[@]}" "$NODEDIR/node-client.js" "$@"
}

# ------------------------------------------------------------ failures ---

# The cases of node-client-refuses-*, one connection each, in this order:
# LABEL:LEAF:CHAIN|-:NAME:CODE (the error code the Node client reports;
# none: accepted).
NODE_REFUSE_CASES=(
    good:good:int-chain:good.example:
    expired:expired:int-chain:good.example:CERT_HAS_EXPIRED
    notyet:notyet:int-chain:good.example:CERT_NOT_YET_VALID
    name:good:int-chain:wrong.example:ERR_TLS_CERT_ALTNAME_INVALID
    self:self:-:good.example:DEPTH_ZERO_SELF_SIGNED_CERT
    leaf:good:-:good.example:UNABLE_TO_VERIFY_LEAF_SIGNATURE
    ochain:ogood:ochain:good.example:SELF_SIGNED_CERT_IN_CHAIN
    oint:ogood:oint:good.example:UNABLE_TO_GET_ISSUER_CERT_LOCALLY
    good2:good:int-chain:good.example:
)

# node_client_refuses NAME VERSION: one s_server (cert_server, -naccept 1,
# TLS 1.VERSION only) per case of NODE_REFUSE_CASES, and the Node client
# (`line`, TLS 1.VERSION only, the test root its only CA, SNI and name
# check NAME, key log the capture's) sending "hello from node" once
# secure; 0.5 s between the connections.  Logs: the client's
# ncVERSION-LABEL, s_server's nsVERSION-LABEL.  Streams:
#   0 good: leaf + intermediate; the client: "1: secure authorized=true
#     protocol=TLSv1.x ...", "1: data: edon morf olleh" (s_server -rev),
#     "1: end: the server closed", "1: close hadError=false";
#     close_notify both ways
#   1 expired: "1: error CERT_HAS_EXPIRED certificate has expired"
#   2 not yet valid: "1: error CERT_NOT_YET_VALID certificate is not yet
#     valid"
#   3 good.example's certificate, the client asking for wrong.example (SNI
#     and name): "1: error ERR_TLS_CERT_ALTNAME_INVALID Hostname/IP does
#     not match certificate's altnames: Host: wrong.example. is not in
#     the cert's altnames: DNS:good.example"
#   4 self-signed good.example: "1: error DEPTH_ZERO_SELF_SIGNED_CERT
#     self-signed certificate"
#   5 the leaf without the intermediate: "1: error
#     UNABLE_TO_VERIFY_LEAF_SIGNATURE unable to verify the first
#     certificate"
#   6 good.example <- other intermediate <- other root, all sent: "1:
#     error SELF_SIGNED_CERT_IN_CHAIN self-signed certificate in
#     certificate chain"
#   7 good.example <- other intermediate, the root not sent: "1: error
#     UNABLE_TO_GET_ISSUER_CERT_LOCALLY unable to get local issuer
#     certificate"
#   8 good again, as 0
# each failure followed by "1: close hadError=true".  s_server: TLS 1.2
# "CONNECTION ESTABLISHED" for every stream; TLS 1.3 "CONNECTION
# FAILURE", "unexpected eof while reading" for 1-7.
node_client_refuses() {
    local name=$1 v=$2 CERT_PORT=$CERT_PORT2 keys c label leaf chain sni code
    local want_fin
    node_setup
    keys=$(keylog_path "$name")
    start_capture "$name" "$CERT_PORT"
    for c in "${NODE_REFUSE_CASES[@]}"; do
        IFS=: read -r label leaf chain sni code <<<"$c"
        cert_server "$leaf" "$(cp_chain "$chain")" "-tls1_${v#1.}"
        node_client "nc$v-$label" line port="$CERT_PORT" ca="$CP/root.pem" name="$sni" \
            min="TLSv$v" max="TLSv$v" keylog="$keys" line="hello from node"
        stop_servers
        wait_free "$CERT_PORT"
        mv "$TMP/srv.log" "$TMP/ns$v-$label.log"
        sleep 0.5
    done
    stop_capture
    keylog_done "$name"
    for c in "${NODE_REFUSE_CASES[@]}"; do
        IFS=: read -r label leaf chain sni code <<<"$c"
        if [[ -z $code ]]; then
            cert_expect "nc$v-$label" "^1: secure authorized=true protocol=TLSv${v/./\\.} " \
                '^1: data: edon morf olleh$' '^1: end: the server closed$' '^1: close hadError=false$'
            cert_expect "ns$v-$label" '^CONNECTION ESTABLISHED$'
        else
            cert_expect "nc$v-$label" "^1: error $code " '^1: close hadError=true$'
            log_count "nc$v-$label" 'secure|data' 0
            # s_server: TLS 1.2, its handshake was over; TLS 1.3, it was
            # waiting for the client's Finished.  Either way it answers
            # the client's FIN with decode_error (OpenSSL 3.0's unexpected
            # EOF).
            if [[ $v == 1.2 ]]; then
                cert_expect "ns$v-$label" '^CONNECTION ESTABLISHED$'
            else
                cert_expect "ns$v-$label" '^CONNECTION FAILURE$' 'unexpected eof while reading'
            fi
        fi
    done
    want_fin="0 1 2 3 4 5 6 7 8"
    nc_want "ClientHellos" 'tls.handshake.type == 1' tcp.stream "$want_fin"
    nc_want "their names" 'tls.handshake.type == 1' tls.handshake.extensions_server_name \
        "good.example good.example good.example wrong.example good.example good.example good.example good.example good.example"
    # The certificates sent (read with the key log in TLS 1.3): 2 (leaf +
    # intermediate), 1 (self-signed, leaf alone), 3 (ochain), 2 (oint).
    capture_want "certificates per Certificate message" \
        "$(capture_fields "tcp.srcport == $CERT_PORT && tls.handshake.type == 11" tls.handshake.certificate_length \
            "$keys" | awk '{ for (i = 1; i <= NF; i++) printf "%s%d", (i > 1 ? " " : ""), gsub(/,/, ",", $i) + 1 }')" \
        "2 2 2 2 1 1 3 2 2"
    # The client's Finished: TLS 1.2 in every stream; TLS 1.3 only where
    # it accepted the certificate.
    if [[ $v == 1.2 ]]; then
        nc_want "client Finished (key log)" "tcp.dstport == $CERT_PORT && tls.handshake.type == 20" tcp.stream \
            "$want_fin" "$keys"
    else
        nc_want "client Finished (key log)" "tcp.dstport == $CERT_PORT && tls.handshake.type == 20" tcp.stream \
            "0 8" "$keys"
        nc_want "client CCS" "tcp.dstport == $CERT_PORT && tls.record.content_type == 20" tcp.stream "0 8"
    fi
    # No alert from the client but its close_notify in the two good
    # connections; its data only there; its FIN in every stream.
    nc_want "client alerts (key log)" "tcp.dstport == $CERT_PORT && tls.alert_message" tls.alert_message.desc \
        "0 0" "$keys"
    nc_want "their streams" "tcp.dstport == $CERT_PORT && tls.alert_message" tcp.stream "0 8" "$keys"
    nc_want "client application data (key log)" \
        "tcp.dstport == $CERT_PORT && tls.record.content_type == 23" tcp.stream "0 8" "$keys"
    nc_want "client FINs" "tcp.dstport == $CERT_PORT && tcp.flags.fin == 1" tcp.stream "$want_fin"
}

scenario_node_client_refuses_tls12() { node_client_refuses node-client-refuses-tls12 1.2; }
scenario_node_client_refuses_tls13() { node_client_refuses node-client-refuses-tls13 1.3; }

# ns_gnutls LOGNAME VERSION CERT KEY: gnutls-cli (TLS 1.VERSION only,
# verifying good.example against the test root) with the client
# certificate CERT (chain file) and KEY, sending one line, then EOF.
ns_gnutls() {
    line_then_eof "hello from $1" |
        timeout 10 gnutls-cli --x509cafile="$CP/root.pem" -p "$CERT_PORT" \
            --sni-hostname=good.example --verify-hostname=good.example \
            --priority "NORMAL:-VERS-ALL:+VERS-TLS1.$2" --x509certfile="$3" --x509keyfile="$4" \
            127.0.0.1 >"$TMP/$1.log" 2>&1 || true
}

# The Node echo server (tls.createServer; requestCert, rejectUnauthorized,
# trusting the test root; good.example + the test intermediate; TLS
# 1.2-1.3; its key log the capture's) and eight clients, one after the
# other, each verifying the server and sending one line (line_then_eof)
# if it can.  The server numbers the connections 1-8 (streams 0-7):
#   0 s_client TLS 1.2 with "tlsdiag client" + other intermediate: server
#     "1: secure authorized=false
#     authorizationError=UNABLE_TO_GET_ISSUER_CERT_LOCALLY protocol=null
#     peer=- destroyed=true", "1: tlsClientError ECONNRESET socket hang
#     up"; s_client "unexpected eof while reading"
#   1 the same in TLS 1.3: the server as for 0; s_client "Verify return
#     code: 0 (ok)", then "unexpected eof while reading"
#   2 gnutls-cli TLS 1.2 with the same certificate: the server as for 0;
#     gnutls-cli "*** Fatal error: The TLS connection was non-properly
#     terminated." (no "Handshake was completed")
#   3 gnutls-cli TLS 1.3: the server as for 0; gnutls-cli "Handshake was
#     completed", then the same fatal error
#   4 s_client TLS 1.2 without a certificate: server "5: tlsClientError
#     ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE ... peer did not return a
#     certificate"; s_client "sslv3 alert handshake failure ... SSL alert
#     number 40"
#   5 s_client TLS 1.3 without: the server as for 4; s_client "tlsv13
#     alert certificate required ... SSL alert number 116"
#   6 s_client TLS 1.3 with "tlsdiag node client" + test intermediate:
#     server "7: secure authorized=true authorizationError=null
#     protocol=TLSv1.3 peer=tlsdiag node client destroyed=false", "7: got:
#     hello from nsc-ossl-good-1.3"; s_client gets "echo: hello from ..."
#   7 gnutls-cli TLS 1.3 with it: the same ("8: ...")
scenario_node_server_client_cert() {
    local name=node-server-client-cert CERT_PORT=$CERT_PORT2 keys v n
    local ocert
    node_setup
    ocert=(-cert "$CP/oclient.pem" -key "$CP/oclient.key" -cert_chain "$CP/oint.pem")
    keys=$(keylog_path $name)
    start_capture $name "$CERT_PORT"
    SERVER_TO=40 bg_server nsrv "${NODEJS[@]}" "$NODEDIR/node-server.js" echo port="$CERT_PORT" \
        cert="$CP/good.pem,$CP/int.pem" key="$CP/good.key" ca="$CP/root.pem" keylog="$keys" requestcert=1
    wait_listen "$CERT_PORT"
    for v in 2 3; do
        cert_client_ok "nsc-ossl-other-1.$v" good.example "-tls1_$v" "${ocert[@]}"
        sleep 0.5
    done
    for v in 2 3; do
        ns_gnutls "nsc-gnutls-other-1.$v" "$v" "$NODEDIR/oclient-full.pem" "$CP/oclient.key"
        sleep 0.5
    done
    for v in 2 3; do
        cert_client_ok "nsc-ossl-none-1.$v" good.example "-tls1_$v"
        sleep 0.5
    done
    cert_client_ok nsc-ossl-good-1.3 good.example -tls1_3 \
        -cert "$CP/nclient.pem" -key "$CP/nclient.key" -cert_chain "$CP/int.pem"
    sleep 0.5
    ns_gnutls nsc-gnutls-good-1.3 3 "$NODEDIR/nclient-full.pem" "$CP/nclient.key"
    stop_capture
    keylog_done $name
    # The server: 1-4 refused after the handshake (no secureConnection; the
    # close then reported as ECONNRESET), 5-6 refused in it, 7-8 accepted.
    for n in 1 2 3 4; do
        cert_expect nsrv "^$n: secure authorized=false authorizationError=UNABLE_TO_GET_ISSUER_CERT_LOCALLY .* destroyed=true$" \
            "^$n: tlsClientError ECONNRESET socket hang up$"
        log_count nsrv "^$n: got" 0
    done
    for n in 5 6; do
        cert_expect nsrv "^$n: tlsClientError ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE "
        log_count nsrv "^$n: secure" 0
    done
    cert_expect nsrv '^7: secure authorized=true authorizationError=null protocol=TLSv1\.3 peer=tlsdiag node client destroyed=false$' \
        '^7: got: hello from nsc-ossl-good-1\.3$' \
        '^8: secure authorized=true authorizationError=null protocol=TLSv1\.3 peer=tlsdiag node client destroyed=false$' \
        '^8: got: hello from nsc-gnutls-good-1\.3$'
    log_count nsrv '^[0-9]+: secure' 6
    log_count nsrv '^9:' 0
    # The clients.  s_client with the untrusted certificate: TLS 1.2, the
    # server's CCS and Finished never came; TLS 1.3, its handshake was over
    # (verified), then the server's FIN.  gnutls-cli: the same.
    cert_expect nsc-ossl-other-1.2 'unexpected eof while reading'
    cert_expect nsc-ossl-other-1.3 'Verify return code: 0 \(ok\)' 'unexpected eof while reading'
    cert_expect nsc-gnutls-other-1.2 'The TLS connection was non-properly terminated'
    log_count nsc-gnutls-other-1.2 'Handshake was completed' 0
    cert_expect nsc-gnutls-other-1.3 'Handshake was completed' 'The TLS connection was non-properly terminated'
    cert_expect nsc-ossl-none-1.2 'alert handshake failure:.*SSL alert number 40'
    cert_expect nsc-ossl-none-1.3 'alert certificate required:.*SSL alert number 116'
    cert_expect nsc-ossl-good-1.3 'Verify return code: 0 \(ok\)' 'echo: hello from nsc-ossl-good-1\.3$'
    cert_expect nsc-gnutls-good-1.3 'Handshake was completed' '^echo: hello from nsc-gnutls-good-1\.3$'
    nc_want "ClientHellos" 'tls.handshake.type == 1' tcp.stream "0 1 2 3 4 5 6 7"
    # The clients' certificates (key log): none in 4 and 5.
    capture_want "client certificates_length (key log)" \
        "$(capture_fields "tcp.dstport == $CERT_PORT && tls.handshake.type == 11" tls.handshake.certificates_length \
            "$keys" | sed -E 's/\<[1-9][0-9]*\>/N/g')" "N N N N 0 0 N N"
    # The server's Finished: in TLS 1.2 it never sent it (streams 0, 2, 4).
    nc_want "server Finished (key log)" "tcp.srcport == $CERT_PORT && tls.handshake.type == 20" tcp.stream \
        "1 3 5 6 7" "$keys"
    # Alerts: the server's only where it refused in the handshake (4: 40,
    # plaintext; 5: 116) and its close_notify (6, 7); the clients' answers
    # to its FIN in 0 and 1 (s_client: decode_error, 50) and 2 (gnutls-cli:
    # unexpected_message, 10), none in 3, close_notify in 6 and 7.
    nc_want "server alerts (key log)" "tcp.srcport == $CERT_PORT && tls.alert_message" tls.alert_message.desc \
        "40 116 0 0" "$keys"
    nc_want "their streams" "tcp.srcport == $CERT_PORT && tls.alert_message" tcp.stream "4 5 6 7" "$keys"
    nc_want "client alerts (key log)" "tcp.dstport == $CERT_PORT && tls.alert_message" tls.alert_message.desc \
        "50 50 10 0 0" "$keys"
    nc_want "their streams" "tcp.dstport == $CERT_PORT && tls.alert_message" tcp.stream "0 1 2 6 7" "$keys"
    # The server's FIN comes first in the four refusals after the handshake.
    capture_want "first FIN of streams 0-3 from the server" \
        "$(tshark -r "$CAPTURE" -Y "tcp.flags.fin == 1 && tcp.stream <= 3" -T fields -e tcp.stream -e tcp.srcport \
            2>/dev/null | awk '!seen[$1]++ { printf "%s%s", (n++ ? " " : ""), $2 }')" \
        "$CERT_PORT $CERT_PORT $CERT_PORT $CERT_PORT"
}

# ------------------------------------------------------------- healthy ---

# nh_client LOGNAME MODE KEY=VALUE...: the Node client to 127.0.0.1:HP,
# trusting the test root, key log HK.
nh_client() {
    local logname=$1 mode=$2; shift 2
    node_client "$logname" "$mode" port="$HP" ca="$CP/root.pem" keylog="$HK" "$@"
}

# nh_server LOGNAME MODE KEY=VALUE...: the Node server on 127.0.0.1:HP
# (good.example + the test intermediate, trusting the test root, key log
# HK).
nh_server() {
    local logname=$1 mode=$2; shift 2
    h_server "$logname" "${NODEJS[@]}" "$NODEDIR/node-server.js" "$mode" port="$HP" \
        cert="$CP/good.pem,$CP/int.pem" key="$CP/good.key" ca="$CP/root.pem" keylog="$HK" "$@"
    wait_listen "$HP"
}

# nh_sclient LOGNAME ARGS...: s_client (verifying good.example against the
# test root, key log HK) sending one line to HP, then EOF.
nh_sclient() {
    local logname=$1; shift
    line_then_eof "hello from $logname" |
        timeout 10 openssl s_client -connect "127.0.0.1:$HP" -CAfile "$CP/root.pem" \
            -verify_return_error -verify_hostname good.example -servername good.example \
            -keylogfile "$HK" "$@" >"$TMP/$logname.log" 2>&1 || true
    h_expect "$logname" 1 '^New, TLSv1\.[23], Cipher is [A-Z]'
    h_expect "$logname" 1 'Verify return code: 0 \(ok\)'
}

# nh_gnutls LOGNAME VERSION ARGS...: gnutls-cli (TLS 1.VERSION only,
# verifying good.example against the test root, key log HK) sending one
# line to HP, then EOF.
nh_gnutls() {
    local logname=$1 v=$2; shift 2
    line_then_eof "hello from $logname" |
        SSLKEYLOGFILE=$HK timeout 10 gnutls-cli --x509cafile="$CP/root.pem" -p "$HP" \
            --sni-hostname=good.example --verify-hostname=good.example \
            --priority "$(gnutls_prio "$v")" "$@" 127.0.0.1 >"$TMP/$logname.log" 2>&1 || true
    h_expect "$logname" 1 'Handshake was completed'
    h_expect "$logname" 1 "Description: \\(TLS$v-X\\.509\\)"
}

# nh_ok LOGNAME VERSION [N]: the Node client's log has N (1) secure,
# verified connections of TLS 1.VERSION, and no error.
nh_ok() {
    h_expect "$1" "${3:-1}" "^[0-9]+: secure authorized=true protocol=TLSv${2/./\\.} "
    if (($(h_count "$1" '^[0-9]+: (error|timeout)'))); then
        echo "  FAILED: $1.log: an error" >&2
        H_FAILS=$((H_FAILS + 1))
    fi
}

# 27. Node.js (Node 20, OpenSSL 3.0), 17 connections, each verified,
# exchanging data and ending in close_notify; the certificate PKI of
# scenarios-certs.sh (good.example + the test intermediate everywhere; the
# clients trust the test root).  The Node client against nginx (http/1.1
# and h2): https.get with "Connection: close", TLS 1.3 and 1.2 (streams 0,
# 1); two GETs on one keep-alive connection, then end() (2); http2.connect
# (ALPN h2), one GET, close() (3).  Against s_server -rev: a line in TLS
# 1.3 (4); a line in TLS 1.2, twice, the second connection offering the
# first one's session (ticket) and resumed (5, 6).  The Node echo server
# (tls.createServer, no client certificate asked) with s_client TLS 1.3
# (7), gnutls-cli TLS 1.2 (8), Python ssl TLS 1.3 (9) and the Node client
# TLS 1.3 (10), a line each.  The Node https server with requestCert and
# rejectUnauthorized, the client certificate "tlsdiag node client"
# (clientAuth, from the test intermediate, sent with it) accepted: curl
# TLS 1.3 and 1.2 (11, 12), the Node client (https.get, TLS 1.3) (13).
# The Node echo server with requestCert: s_client TLS 1.2 (14), gnutls-cli
# TLS 1.3 (15), the Node client TLS 1.2 (16), each with that certificate.
# Key log: every peer's (Node's from its 'keylog' events).
h_shape_node() {
    local nc v
    node_setup
    nc=cert="$CP/nclient.pem,$CP/nclient.key,$CP/int.pem"
    # (h_nginx serves $CERT and $KEY: here good.example + the intermediate.)
    CERT=$NODEDIR/good-full.pem KEY=$CP/good.key h_nginx nh-nginx
    for v in 1.3 1.2; do
        nh_client "nh-nginx-get-$v" https min="TLSv$v" max="TLSv$v" path="/get-$v"
        nh_ok "nh-nginx-get-$v" "$v"
        h_expect "nh-nginx-get-$v" 1 "status=200 body: hello from nginx TLSv${v/./\\.} HTTP/1\\.1 /get-$v "
    done
    nh_client nh-nginx-keepalive https min=TLSv1.3 max=TLSv1.3 keepalive=1 count=2 path=/keepalive
    nh_ok nh-nginx-keepalive 1.3 2
    h_expect nh-nginx-keepalive 2 'status=200 body: hello from nginx TLSv1\.3 HTTP/1\.1 /keepalive '
    nh_client nh-nginx-h2 h2 path=/h2
    nh_ok nh-nginx-h2 1.3
    h_expect nh-nginx-h2 1 'alpn=h2'
    h_expect nh-nginx-h2 1 'status=200 body: hello from nginx TLSv1\.3 HTTP/2\.0 /h2 '
    h_stop

    h_server nh-ossl-srv openssl s_server -cert "$CP/good.pem" -key "$CP/good.key" \
        -cert_chain "$CP/int.pem" -accept "127.0.0.1:$HP" -naccept 3 -rev -keylogfile "$HK"
    wait_listen "$HP"
    nh_client nh-ossl-1.3 line min=TLSv1.3 max=TLSv1.3 line="hello from node"
    nh_ok nh-ossl-1.3 1.3
    h_expect nh-ossl-1.3 1 '^1: data: edon morf olleh$'
    nh_client nh-ossl-resume-1.2 resume min=TLSv1.2 max=TLSv1.2 line="hello from node"
    nh_ok nh-ossl-resume-1.2 1.2 2
    h_expect nh-ossl-resume-1.2 1 '^2: secure .* reused=true '
    h_expect nh-ossl-resume-1.2 2 '^[12]: data: edon morf olleh$'
    h_stop

    nh_server nh-echo-srv echo
    nh_sclient nh-echo-sclient-1.3 -tls1_3
    h_expect nh-echo-sclient-1.3 1 'echo: hello from nh-echo-sclient-1\.3$'
    nh_gnutls nh-echo-gnutls-1.2 1.2
    h_expect nh-echo-gnutls-1.2 1 '^echo: hello from nh-echo-gnutls-1\.2$'
    client nh-echo-py "${HPEER[@]}" client 127.0.0.1 "$HP" "$CP/root.pem" tls13 "$HK" line
    h_expect nh-echo-py 1 'client handshake OK: TLSv1\.3'
    h_expect nh-echo-py 1 'client closed cleanly'
    nh_client nh-echo-node-1.3 line min=TLSv1.3 max=TLSv1.3 line="hello from node"
    nh_ok nh-echo-node-1.3 1.3
    h_expect nh-echo-node-1.3 1 '^1: data: echo: hello from node$'
    h_stop
    h_expect nh-echo-srv 4 '^[0-9]+: secure authorized=false authorizationError=null .* peer=- destroyed=false$'

    nh_server nh-https-srv https requestcert=1
    for v in 1.3 1.2; do
        h_curl_cert "nh-https-curl-$v" "$v" "$CP/root.pem" "$NODEDIR/nclient-full.pem" "$CP/nclient.key" "curl-$v"
        h_expect "nh-https-curl-$v" 1 "^hello from node TLSv${v/./\\.} /curl-$v \\[tlsdiag node client\\]$"
    done
    nh_client nh-https-node-1.3 https min=TLSv1.3 max=TLSv1.3 path=/node "$nc"
    nh_ok nh-https-node-1.3 1.3
    h_expect nh-https-node-1.3 1 'status=200 body: hello from node TLSv1\.3 /node \[tlsdiag node client\]$'
    h_stop
    h_expect nh-https-srv 3 '^[0-9]+: secure authorized=true authorizationError=null .* peer=tlsdiag node client destroyed=false$'

    nh_server nh-mtls-srv echo requestcert=1
    nh_sclient nh-mtls-sclient-1.2 -tls1_2 -cert "$CP/nclient.pem" -key "$CP/nclient.key" -cert_chain "$CP/int.pem"
    h_expect nh-mtls-sclient-1.2 1 'echo: hello from nh-mtls-sclient-1\.2$'
    nh_gnutls nh-mtls-gnutls-1.3 1.3 --x509certfile="$NODEDIR/nclient-full.pem" --x509keyfile="$CP/nclient.key"
    h_expect nh-mtls-gnutls-1.3 1 '^echo: hello from nh-mtls-gnutls-1\.3$'
    nh_client nh-mtls-node-1.2 line min=TLSv1.2 max=TLSv1.2 line="hello from node" "$nc"
    nh_ok nh-mtls-node-1.2 1.2
    h_expect nh-mtls-node-1.2 1 '^1: data: echo: hello from node$'
    h_stop
    h_expect nh-mtls-srv 3 '^[0-9]+: secure authorized=true authorizationError=null .* peer=tlsdiag node client destroyed=false$'
    h_check '=17' 0 'tls.handshake.type == 1'
    # Read with the key log: every client's close_notify; the resumed
    # TLS 1.2 handshake (ServerHello, CCS, Finished, no Certificate); h2
    # chosen by nginx; the Node servers' six CertificateRequests and the
    # six client certificates.
    h_check '=17' 1 "tcp.dstport == $HP && tls.alert_message.desc == 0"
    h_check '=1' 1 'tls.handshake.type == 2 && tls.handshake.type == 20 && !(tls.handshake.type == 11)'
    h_check '=1' 1 'tls.handshake.type == 8 && tls.handshake.extensions_alpn_str == "h2"'
    h_check 1 1 'http2.type == 1'
    h_check '=6' 1 'tls.handshake.type == 13'
    h_check '=6' 1 "tcp.dstport == $HP && tls.handshake.type == 11 && tls.handshake.certificates_length > 0"
}

scenario_healthy_node() { healthy node node; }

ALL+=(node-client-refuses-tls12 node-client-refuses-tls13 node-server-client-cert healthy-node)
