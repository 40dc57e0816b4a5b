# shellcheck shell=bash
# Scenarios with Java's TLS stack (OpenJDK 17 JSSE) for make-captures.sh
# (sourced by it; uses its helpers and those of scenarios-healthy.sh).
#
# JSSE pads every TLS 1.3 record with 16 zero bytes, so its encrypted
# alerts (and close_notify) are 35-byte records, not the 19 bytes of
# OpenSSL and GnuTLS.  The peer is a small program (standard library only)
# written to $TMP/java and compiled there with javac, like the Go peer of
# the healthy captures; its key and trust stores are PKCS12 files made from
# the run's throwaway PKI.  Java writes no key log: these captures have no
# .keys file.
#
#   java-cert-untrusted-tls13    the JSSE client, trusting only an unrelated
#                                CA, refuses good.example: s_server and
#                                gnutls-serv in TLS 1.3, s_server in TLS 1.2
#   java-client-cert-required-tls13
#                                a JSSE server requiring a client
#                                certificate; s_client and gnutls-cli send
#                                none (TLS 1.3; s_client TLS 1.2 too)
#   cipher-mismatch-pinned       TLS 1.2 clients pinned to one suite, no SNI
#                                (JSSE, curl, s_client); s_server enables
#                                another suite only
#   healthy-java                 (healthy framework) successful handshakes
#                                of JSSE with itself, OpenSSL, GnuTLS, curl
#                                and nginx

JDIR=$TMP/java
# -XX:-UsePerfData: no hsperfdata files left in /tmp.
JPEER=(java -XX:-UsePerfData -cp "$JDIR" JavaPeer)
JKEYS=$JDIR/server.p12          # good.example's key and certificate
JTRUST=$JDIR/trust.p12          # the test CA
JOTHER=$JDIR/other-trust.p12    # the unrelated CA only (make_other_ca)

write_java_peer() {
    mkdir -p "$JDIR"
    cat >"$JDIR/JavaPeer.java" <<'JAVAEOF'
// JSSE peers for captures/scenarios-java.sh (standard library only).
//
//   JavaPeer server HOST PORT KEYSTORE TRUSTSTORE|- PROTOCOLS SUITES|- need|none N
//       accept N connections one after the other; each: handshake (need: a
//       client certificate is required, verified against TRUSTSTORE), then
//       answer each line with "echo: LINE"; a request line "GET ..." gets,
//       after its headers, a minimal HTTP/1.0 200 response and the server
//       closes (close_notify); otherwise it closes (close_notify) at the
//       client's close_notify.
//   JavaPeer client HOST PORT TRUSTSTORE SNI|none PROTOCOLS SUITES|- check|nocheck line|http N
//       N connections with one SSLContext, one after the other (its session
//       cache: the later ones offer the first one's session); each:
//       handshake with SNI as given (none: no server_name extension; JSSE
//       sends none for an IP address or a dotless name anyway); check: the
//       certificate must be for the SNI name (endpoint identification
//       HTTPS).  line: one line, its answer, close_notify (shutdownOutput),
//       read until the server's close_notify, close.  http: "GET /" (Host
//       SNI, Connection: close), read the answer until the server closes.
//
// PROTOCOLS and SUITES are comma-separated JSSE names (TLSv1.3,TLSv1.2;
// TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256); "-" keeps JSSE's defaults.  The
// stores are PKCS12 with the password "changeit".
import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.*;
import javax.net.ssl.*;

public class JavaPeer {
    static final char[] PW = "changeit".toCharArray();
    static final java.nio.charset.Charset L1 = StandardCharsets.ISO_8859_1;

    static KeyStore load(String path) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(path)) {
            ks.load(in, PW);
        }
        return ks;
    }

    static SSLContext context(String keystore, String truststore) throws Exception {
        KeyManager[] km = null;
        TrustManager[] tm = null;
        if (!keystore.equals("-")) {
            KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            f.init(load(keystore), PW);
            km = f.getKeyManagers();
        }
        if (!truststore.equals("-")) {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(load(truststore));
            tm = f.getTrustManagers();
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(km, tm, null);
        return ctx;
    }

    static String[] list(String s) {
        return s.equals("-") ? null : s.split(",");
    }

    static String describe(SSLSocket s) {
        SSLSession ss = s.getSession();
        return ss.getProtocol() + " " + ss.getCipherSuite();
    }

    public static void main(String[] a) throws Exception {
        if (a.length == 9 && a[0].equals("server")) {
            server(a);
        } else if (a.length == 10 && a[0].equals("client")) {
            client(a);
        } else {
            System.err.println("usage: see the comment at the top of JavaPeer.java");
            System.exit(2);
        }
    }

    static void server(String[] a) throws Exception {
        String host = a[1];
        int port = Integer.parseInt(a[2]);
        SSLContext ctx = context(a[3], a[4]);
        String[] protocols = list(a[5]), suites = list(a[6]);
        int n = Integer.parseInt(a[8]);
        SSLServerSocket ls = (SSLServerSocket) ctx.getServerSocketFactory()
            .createServerSocket(port, 16, InetAddress.getByName(host));
        if (protocols != null) ls.setEnabledProtocols(protocols);
        if (suites != null) ls.setEnabledCipherSuites(suites);
        ls.setNeedClientAuth(a[7].equals("need"));
        System.out.println("server listening on " + host + ":" + port);
        for (int i = 1; i <= n; i++) {
            try (SSLSocket s = (SSLSocket) ls.accept()) {
                s.setSoTimeout(10000);
                try {
                    s.startHandshake();
                } catch (IOException e) {
                    System.out.println("server " + i + ": handshake failed: " + e);
                    continue;
                }
                System.out.println("server " + i + ": handshake OK: " + describe(s));
                serve(i, s);
            } catch (IOException e) {
                System.out.println("server " + i + ": " + e);
            }
        }
    }

    static void serve(int i, SSLSocket s) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), L1));
        OutputStream o = s.getOutputStream();
        String line;
        while ((line = r.readLine()) != null) {
            System.out.println("server " + i + ": got: " + line);
            if (line.startsWith("GET ")) {
                String h;
                while ((h = r.readLine()) != null && !h.isEmpty()) {
                }
                byte[] body = ("hello from java " + s.getSession().getProtocol() + "\n").getBytes(L1);
                o.write(("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                         + "\r\nConnection: close\r\n\r\n").getBytes(L1));
                o.write(body);
                o.flush();
                // close() now would send user_canceled before close_notify
                // in TLS 1.3 (JSSE's duplex close): half-close first.
                s.shutdownOutput();
                System.out.println("server " + i + ": answered the GET, closing");
                return;
            }
            o.write(("echo: " + line + "\n").getBytes(L1));
            o.flush();
        }
        System.out.println("server " + i + ": client closed, closing");
    }

    static void client(String[] a) throws Exception {
        String host = a[1];
        int port = Integer.parseInt(a[2]);
        SSLContext ctx = context("-", a[3]);
        String sni = a[4];
        String[] protocols = list(a[5]), suites = list(a[6]);
        boolean check = a[7].equals("check"), http = a[8].equals("http");
        int n = Integer.parseInt(a[9]);
        long first = 0;
        for (int i = 1; i <= n; i++) {
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(host, port)) {
                s.setSoTimeout(5000);
                SSLParameters p = s.getSSLParameters();
                if (protocols != null) p.setProtocols(protocols);
                if (suites != null) p.setCipherSuites(suites);
                p.setServerNames(sni.equals("none") ? Collections.emptyList()
                                 : List.of(new SNIHostName(sni)));
                if (check) p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                try {
                    s.startHandshake();
                } catch (IOException e) {
                    System.out.println("client " + i + ": handshake failed: " + e);
                    continue;
                }
                // A resumed session keeps the creation time of the first.
                long created = s.getSession().getCreationTime();
                if (i == 1) first = created;
                System.out.println("client " + i + ": handshake OK: " + describe(s)
                                   + " resumed=" + (i > 1 && created == first));
                BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), L1));
                OutputStream o = s.getOutputStream();
                if (http) {
                    o.write(("GET / HTTP/1.1\r\nHost: " + sni + "\r\nConnection: close\r\n\r\n").getBytes(L1));
                    o.flush();
                } else {
                    o.write(("hello from java " + i + "\n").getBytes(L1));
                    o.flush();
                    System.out.println("client " + i + ": got: " + r.readLine());
                    s.shutdownOutput();
                }
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("client " + i + ": got: " + line);
                }
                System.out.println("client " + i + ": server closed");
            } catch (IOException e) {
                System.out.println("client " + i + ": " + e);
            }
        }
    }
}
JAVAEOF
}

# java_setup: the peer, compiled, and its stores (once per run).
java_setup() {
    [[ -f $JDIR/JavaPeer.class ]] && return 0
    make_other_ca
    write_java_peer
    javac -J-XX:-UsePerfData -d "$JDIR" "$JDIR/JavaPeer.java"
    openssl pkcs12 -export -in "$CERT" -inkey "$KEY" -name good.example \
        -passout pass:changeit -out "$JKEYS"
    keytool -J-XX:-UsePerfData -importcert -noprompt -storetype PKCS12 -alias ca -file "$CA" \
        -keystore "$JTRUST" -storepass changeit >/dev/null 2>&1
    keytool -J-XX:-UsePerfData -importcert -noprompt -storetype PKCS12 -alias other-ca -file "$TMP/pki/other-ca.pem" \
        -keystore "$JOTHER" -storepass changeit >/dev/null 2>&1
}

# j_capture_expect N FILTER: exactly N frames of the capture just made match
# FILTER, else stop.
j_capture_expect() {
    local n
    n=$(tshark -r "$CAPTURE" -Y "$2" 2>/dev/null | wc -l)
    ((n == $1)) && return 0
    echo "make-captures.sh: $(basename "$CAPTURE"): $n frames match '$2', wanted $1" >&2
    exit 1
}

# ------------------------------------------------------------ failures ---

# The JSSE client (SNI good.example, no host-name check needed) trusts only
# the unrelated CA: against s_server and gnutls-serv in TLS 1.3 its
# certificate_unknown is a 35-byte encrypted record; against s_server in
# TLS 1.2 it is a plaintext alert, for contrast.
scenario_java_cert_untrusted_tls13() {
    local v
    java_setup
    start_capture java-cert-untrusted-tls13 443
    s_server srv13 -accept 127.0.0.1:443 -naccept 1 -tls1_3
    wait_listen 443
    client cli-openssl13 "${JPEER[@]}" client 127.0.0.1 443 "$JOTHER" good.example TLSv1.3 - nocheck line 1
    stop_servers
    wait_free 443
    bg_server gnutls gnutls-serv --port 443 --x509certfile "$CERT" --x509keyfile "$KEY" \
        --priority NORMAL:-VERS-ALL:+VERS-TLS1.3
    wait_listen 443
    client cli-gnutls13 "${JPEER[@]}" client 127.0.0.1 443 "$JOTHER" good.example TLSv1.3 - nocheck line 1
    stop_servers
    wait_free 443
    s_server srv12 -accept 127.0.0.1:443 -naccept 1 -tls1_2
    wait_listen 443
    client cli-openssl12 "${JPEER[@]}" client 127.0.0.1 443 "$JOTHER" good.example TLSv1.2 - nocheck line 1
    stop_capture
    for v in openssl13 gnutls13 openssl12; do
        log_expect "cli-$v" '^client 1: handshake failed: .*PKIX path building failed'
    done
    j_capture_expect 2 'tcp.dstport == 443 && tls.record.opaque_type == 23 && tls.record.length == 35'
    j_capture_expect 1 'tcp.dstport == 443 && tls.alert_message.desc == 46'
}

# A JSSE server requiring a client certificate (trusting the test CA);
# clients without one: s_client TLS 1.3 (one line, then EOF), gnutls-cli
# TLS 1.3 only (a line), s_client TLS 1.2 for contrast.
scenario_java_client_cert_required_tls13() {
    local i
    java_setup
    start_capture java-client-cert-required-tls13 443
    bg_server srv "${JPEER[@]}" server 127.0.0.1 443 "$JKEYS" "$JTRUST" TLSv1.3,TLSv1.2 - need 3
    wait_listen 443
    s_client_line cli-openssl13 -connect 127.0.0.1:443 -servername good.example -tls1_3
    line_then_eof "hello from gnutls-cli" |
        timeout 10 gnutls-cli -p 443 --x509cafile "$CA" --sni-hostname good.example \
            --verify-hostname good.example --priority NORMAL:-VERS-ALL:+VERS-TLS1.3 127.0.0.1 \
            >"$TMP/cli-gnutls13.log" 2>&1 || true
    s_client_line cli-openssl12 -connect 127.0.0.1:443 -servername good.example -tls1_2
    stop_capture
    for i in 1 2 3; do
        log_expect srv "^server $i: handshake failed: .*Empty client certificate chain"
    done
    log_expect cli-openssl13 '^New, TLSv1\.3'
    log_expect cli-gnutls13 'TLS1\.3'
    log_expect cli-openssl12 'SSL alert number'
    # The server's alerts: 35-byte encrypted records in TLS 1.3, plaintext
    # in TLS 1.2.
    j_capture_expect 2 'tcp.srcport == 443 && tls.record.opaque_type == 23 && tls.record.length == 35'
    j_capture_expect 1 'tcp.srcport == 443 && tls.alert_message'
}

# TLS 1.2 clients pinned to one suite, without SNI (they connect to
# 127.0.0.1): JSSE (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), curl -k
# (ECDHE-RSA-AES128-GCM-SHA256; no SNI for an IP address) and s_client
# (AES128-GCM-SHA256); s_server enables ECDHE-RSA-CHACHA20-POLY1305 only and
# refuses each with handshake_failure.
scenario_cipher_mismatch_pinned() {
    java_setup
    start_capture cipher-mismatch-pinned 443
    s_server srv -accept 127.0.0.1:443 -naccept 3 -tls1_2 -cipher ECDHE-RSA-CHACHA20-POLY1305
    wait_listen 443
    client cli-java "${JPEER[@]}" client 127.0.0.1 443 "$JTRUST" none TLSv1.2 \
        TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 nocheck line 1
    client cli-curl curl -sS --max-time 5 --tls-max 1.2 --ciphers ECDHE-RSA-AES128-GCM-SHA256 \
        -k https://127.0.0.1/
    s_client_try cli-openssl -connect 127.0.0.1:443 -noservername -tls1_2 -cipher AES128-GCM-SHA256
    stop_capture
    log_expect cli-java '^client 1: handshake failed: .*handshake_failure'
    log_expect cli-curl 'handshake failure'
    log_expect cli-openssl 'alert handshake failure'
    j_capture_expect 3 'tls.handshake.type == 1 && !tls.handshake.extension.type == 0'
    j_capture_expect 3 'tcp.srcport == 443 && tls.alert_message.desc == 40'
}

# ------------------------------------------------------------- healthy ---

# j_sline LOGNAME V ARGS...: s_client (TLS 1.V, key log when there is one)
# sending one line to the JSSE server; it must succeed.
j_sline() {
    local logname=$1 v=$2 kl=(); shift 2
    [[ -n $HK ]] && kl=(-keylogfile "$HK")
    s_client_line "$logname" -connect "127.0.0.1:$HP" -servername good.example "-tls1_$v" "${kl[@]}" "$@"
    h_expect "$logname" 1 "^New, TLSv1\\.$v, Cipher is [A-Z]"
    h_expect "$logname" 1 'Verify return code: 0 \(ok\)'
    # (not at the line start: s_client may print it after the ticket dump)
    h_expect "$logname" 1 "echo: hello from $logname$"
}

# j_client LOGNAME V MODE N: the JSSE client (SNI good.example, verified)
# to 127.0.0.1:HP, TLS 1.V, N connections; each must succeed.
j_client() {
    local logname=$1 v=$2 mode=$3 n=$4
    client "$logname" "${JPEER[@]}" client 127.0.0.1 "$HP" "$JTRUST" good.example "TLSv1.$v" - \
        check "$mode" "$n"
    h_expect "$logname" "$n" "^client [0-9]+: handshake OK: TLSv1\\.$v "
    h_expect "$logname" "$n" '^client [0-9]+: server closed$'
}

# 21. Java's JSSE (OpenJDK 17): its client and server, TLS 1.3 and 1.2, a
# line each way, close_notify both ways, and a TLS 1.3 client that resumes
# (two connections with one SSLContext); s_client (TLS 1.3, 1.2),
# gnutls-cli (TLS 1.3) and curl (TLS 1.3, 1.2) against the JSSE server; the
# JSSE client against s_server -rev (TLS 1.3, 1.2), gnutls-serv --echo (TLS
# 1.3) and nginx (one GET, TLS 1.3).  Every JSSE TLS 1.3 record is padded
# with 16 zero bytes.
h_shape_java() {
    local v kl=()
    [[ -n $HK ]] && kl=(-keylogfile "$HK")
    java_setup
    h_server java-srv "${JPEER[@]}" server 127.0.0.1 "$HP" "$JKEYS" - TLSv1.3,TLSv1.2 - none 9
    wait_listen "$HP"
    for v in 3 2; do
        j_client "java-java-1.$v" "$v" line 1
        h_expect "java-java-1.$v" 1 "^client 1: got: echo: hello from java 1$"
    done
    j_client java-java-resume 3 line 2
    h_expect java-java-resume 1 '^client 2: handshake OK: TLSv1\.3 .* resumed=true$'
    for v in 3 2; do
        j_sline "java-sclient-1.$v" "$v"
    done
    h_gnutls java-gnutls 'hello from java-gnutls\n' --priority "$(gnutls_prio 1.3)" 127.0.0.1
    h_expect java-gnutls 1 'Description: \(TLS1\.3-X\.509\)'
    h_expect java-gnutls 1 '^echo: hello from java-gnutls'
    for v in 1.3 1.2; do
        SSLKEYLOGFILE=$HK client "java-curl-$v" curl -sS --cacert "$CA" \
            --resolve "good.example:$HP:127.0.0.1" --tlsv"$v" --tls-max "$v" \
            "https://good.example:$HP/curl"
        h_expect "java-curl-$v" 1 "^hello from java TLSv$v$"
    done
    h_stop
    h_expect java-srv 9 '^server [0-9]+: handshake OK: TLSv1\.[23] '
    h_expect java-srv 7 '^server [0-9]+: client closed, closing$'
    h_expect java-srv 2 '^server [0-9]+: answered the GET, closing$'

    s_server java-ossl-srv -accept "127.0.0.1:$HP" -naccept 2 "${kl[@]}"
    wait_listen "$HP"
    for v in 3 2; do
        j_client "java-ossl-1.$v" "$v" line 1
        h_expect "java-ossl-1.$v" 1 '^client 1: got: 1 avaj morf olleh$'
    done
    h_stop
    h_gnutls_serv java-gnutls-srv --echo
    j_client java-gnutls-1.3 3 line 1
    h_expect java-gnutls-1.3 1 '^client 1: got: hello from java 1$'
    h_stop
    h_nginx java-nginx
    j_client java-nginx-1.3 3 http 1
    h_expect java-nginx-1.3 1 '^client 1: got: hello from nginx TLSv1\.3 HTTP/1\.1 / '
    h_stop
    # The resumed connection: a ServerHello with pre_shared_key.
    h_check 1 0 'tls.handshake.type == 2 && tls.handshake.extension.type == 41'
}

scenario_healthy_java() { healthy java java nokeys; }

ALL+=(java-cert-untrusted-tls13 java-client-cert-required-tls13 cipher-mismatch-pinned healthy-java)
