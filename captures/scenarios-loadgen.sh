# shellcheck shell=bash
# Load generators against real servers, for make-captures.sh (sourced by
# it; uses its helpers and the healthy framework of scenarios-healthy.sh).
#
# Benchmark tools are how many users first see tlsdiag on a capture of
# their own: many connections at once, each cut as soon as its requests
# are done, spare connections opened and dropped.  Every handshake here
# succeeded: the capture belongs to the healthy corpus.
#
#   healthy-load-tools       h2load (nghttp2 1.52) and ApacheBench (ab,
#                            Apache 2.4) against nginx, s_server -www and
#                            gnutls-serv, over loopback
#   healthy-load-tools-loss  h2load and ab against nginx over the disturbed
#                            path of netpath.sh: every 5th data segment
#                            lost each way, the server's segments 2 and 3
#                            of each connection swapped

# 28. h2load and ab on HP (9443), clients on 127.0.0.1, no SNI (both tools
# connect to the address).  nginx (TLS 1.3, h2 and http/1.1, no key log:
# it cannot write one): h2load, 6 clients, 4 streams each, 48 requests;
# h2load --h1, 4 clients, 24 requests on keep-alive connections; ab, 4 at a
# time, 24 requests, a new connection for each (ab may open spare
# connections at the end and drop them before the server answers); ab -k,
# 24 requests on 4 keep-alive connections; ab -f TLS1.2, 12 requests, 2 at
# a time.  s_server -www (TLS 1.3, key log): ab, 8 requests one after the
# other, a connection each.  gnutls-serv --http (key log): ab -f TLS1.2, 8
# requests one after the other.
h_shape_load_tools() {
    h_nginx lt-nginx
    client lt-h2load h2load -n 48 -c 6 -m 4 "https://127.0.0.1:$HP/h2"
    h_expect lt-h2load 1 '^requests: 48 total, 48 started, 48 done, 48 succeeded, 0 failed'
    h_expect lt-h2load 1 'Application protocol: h2'
    client lt-h2load-h1 h2load --h1 -n 24 -c 4 "https://127.0.0.1:$HP/h1"
    h_expect lt-h2load-h1 1 '^requests: 24 total, 24 started, 24 done, 24 succeeded, 0 failed'
    client lt-ab ab -n 24 -c 4 "https://127.0.0.1:$HP/ab"
    h_expect lt-ab 1 '^Complete requests: +24$'
    h_expect lt-ab 1 '^Failed requests: +0$'
    h_expect lt-ab 1 '^SSL/TLS Protocol: +TLSv1\.3,'
    client lt-ab-k ab -k -n 24 -c 4 "https://127.0.0.1:$HP/ab-k"
    h_expect lt-ab-k 1 '^Keep-Alive requests: +24$'
    h_expect lt-ab-k 1 '^Failed requests: +0$'
    client lt-ab-12 ab -f TLS1.2 -n 12 -c 2 "https://127.0.0.1:$HP/ab-12"
    h_expect lt-ab-12 1 '^Complete requests: +12$'
    h_expect lt-ab-12 1 '^Failed requests: +0$'
    h_expect lt-ab-12 1 '^SSL/TLS Protocol: +TLSv1\.2,'
    h_stop

    h_server lt-ossl-srv openssl s_server -cert "$CERT" -key "$KEY" -accept "127.0.0.1:$HP" -www -quiet \
        -keylogfile "$HK"
    wait_listen "$HP"
    client lt-ab-ossl ab -n 8 -c 1 "https://127.0.0.1:$HP/"
    h_expect lt-ab-ossl 1 '^Complete requests: +8$'
    h_expect lt-ab-ossl 1 '^Failed requests: +0$'
    h_stop

    h_gnutls_serv lt-gnutls-srv --http
    client lt-ab-gnutls ab -f TLS1.2 -n 8 -c 1 "https://127.0.0.1:$HP/"
    h_expect lt-ab-gnutls 1 '^Complete requests: +8$'
    h_expect lt-ab-gnutls 1 '^Failed requests: +0$'
    h_stop
    # h2 chosen by nginx; ab's requests to the servers with a key log, read
    # with it.
    h_check 1 0 'tls.handshake.extensions_alpn_str == "h2"'
    h_check '=16' 1 'http.request.method == "GET"'
}

scenario_healthy_load_tools() { healthy load-tools load-tools; }

# healthy-load-tools-loss: the namespaces of netpath.sh (its relay.py
# swapping the server's data segments 2 and 3 of every connection,
# np_nth_loss 5 dropping every 5th data segment each way at the receiver),
# nginx (TLS 1.2 and 1.3, h2 and http/1.1) on 198.51.100.2:443, captured on
# the client's eth0.  h2load: 4 clients of h2, 2 streams each, 24
# requests; ab: 12 requests 3 at a time, a connection each; ab -k: 12 on 2
# keep-alive connections; ab -f TLS1.2: 8 requests 2 at a time.  No key
# log (nginx cannot write one).  h_end's checks; every segment is in the
# capture (each lost one was dropped after tcpdump saw it), though the
# swapped ones are flagged as after a gap.
scenario_healthy_load_tools_loss() {
    local name=healthy-load-tools-loss url=https://$NP_SRV_IP/ d=$TMP/nginx
    h_setup
    np_up
    np_relay "$name-relay" --reorder s2c:2
    np_nth_loss 5
    nginx_conf "$(nginx_http "
    server {
        listen $NP_SRV_IP:443 ssl http2;
        ssl_certificate $CERT;
        ssl_certificate_key $KEY;
        ssl_protocols TLSv1.2 TLSv1.3;
        location / { return 200 \"hello from nginx \$ssl_protocol \$server_protocol\n\"; }
    }")"
    bg_server ltl-nginx "${NP_IN_SRV[@]}" nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log"
    wait_listen 443 tcp "$NP_SRV"
    H_FAILS=0 H_CHECKS=() HK= H_REORDERED=1
    start_capture "$name" 443 "$NP_CLI" eth0
    client ltl-h2load "${NP_IN_CLI[@]}" h2load -n 24 -c 4 -m 2 "${url}h2"
    h_expect ltl-h2load 1 '^requests: 24 total, 24 started, 24 done, 24 succeeded, 0 failed'
    client ltl-ab "${NP_IN_CLI[@]}" ab -n 12 -c 3 "${url}ab"
    h_expect ltl-ab 1 '^Complete requests: +12$'
    h_expect ltl-ab 1 '^Failed requests: +0$'
    client ltl-ab-k "${NP_IN_CLI[@]}" ab -k -n 12 -c 2 "${url}ab-k"
    h_expect ltl-ab-k 1 '^Keep-Alive requests: +12$'
    h_expect ltl-ab-k 1 '^Failed requests: +0$'
    client ltl-ab-12 "${NP_IN_CLI[@]}" ab -f TLS1.2 -n 8 -c 2 "${url}ab-12"
    h_expect ltl-ab-12 1 '^Complete requests: +8$'
    h_expect ltl-ab-12 1 '^SSL/TLS Protocol: +TLSv1\.2,'
    # The disturbance happened: retransmissions and the swapped segments.
    h_check 10 0 'tcp.analysis.retransmission'
    h_check 10 0 'tcp.analysis.out_of_order'
    h_end
    H_REORDERED=
    np_down
}

ALL+=(healthy-load-tools healthy-load-tools-loss)
