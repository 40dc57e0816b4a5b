# shellcheck shell=bash
# Scanner scenarios for make-captures.sh (sourced by it; uses its helpers).
#
# nmap's ssl-enum-ciphers script finds out which versions and cipher suites
# a server accepts by trying them: short connections from one client, a few
# at a time, each ClientHello offering something else, most of them refused.
# Port 8443 on 127.0.0.1 is captured. sslscan (OpenSSL's TLS) enumerates a
# version's suites one connection at a time, each hello offering the last
# one's suites less the one the server chose (its full scan of a server is a
# hundred handshakes: only its TLS 1.2 suites are scanned here).

# tls_scan_nmap NAME: nmap's ssl-enum-ciphers against the server already
# listening on 8443, captured.
tls_scan_nmap() {
    client "$1-nmap" nmap -Pn -n -p 8443 --script ssl-enum-ciphers 127.0.0.1
    log_expect "$1-nmap" 'ssl-enum-ciphers'
}

# GnuTLS accepting TLS 1.3 only: nmap's probes for older versions are refused.
scenario_tls_scan_nmap_gnutls() {
    local name=tls-scan-nmap-gnutls
    start_capture $name 8443
    bg_server gnutls gnutls-serv --port 8443 --x509certfile "$CERT" --x509keyfile "$KEY" \
        --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3'
    wait_listen 8443
    tls_scan_nmap $name
    log_expect $name-nmap 'TLSv1\.3'
    stop_capture
}

# OpenSSL accepting TLS 1.2 only, with two suites.
scenario_tls_scan_nmap_openssl() {
    local name=tls-scan-nmap-openssl
    start_capture $name 8443
    s_server srv -accept 127.0.0.1:8443 -www -no_tls1_3 \
        -cipher ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384
    wait_listen 8443
    tls_scan_nmap $name
    log_expect $name-nmap 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'
    stop_capture
}

# sslscan's TLS 1.2 suite enumeration against OpenSSL (its default suites).
scenario_tls_scan_sslscan_openssl() {
    local name=tls-scan-sslscan-openssl
    start_capture $name 8443
    s_server srv -accept 127.0.0.1:8443 -www -no_tls1_3
    wait_listen 8443
    client $name-sslscan sslscan --no-colour --tls12 --no-groups --no-heartbleed --no-fallback \
        --no-renegotiation --no-compression --no-check-certificate 127.0.0.1:8443
    log_expect $name-sslscan 'Accepted +TLSv1\.2'
    stop_capture
}

ALL+=(tls-scan-nmap-gnutls tls-scan-nmap-openssl tls-scan-sslscan-openssl)
