#!/usr/bin/env python3
"""Print core/tls.c's cipher-suite table: every TLS_* suite the installed
Wireshark names (the IANA registry, as `tshark -G values` lists it for
tls.handshake.ciphersuite), with tlsdiag's properties read from the name.

    tools/suite-table.py > /tmp/table   (then paste it into core/tls.c)

Properties (core/tls.h): AEAD (GCM, CCM, ChaCha20-Poly1305, MGM, AEGIS);
PFS (an ephemeral (EC)DHE key exchange, ECCPWD, or a TLS 1.3 suite);
BROKEN (no encryption, no authentication, export grade, RC4, RC2, DES, 3DES,
IDEA, Kerberos 5: what a current server refuses); SCSV (signalling values).
"""
import re
import subprocess

out = subprocess.run(["tshark", "-G", "values"], capture_output=True, text=True, check=True).stdout
suites = {}
for line in out.splitlines():
    f = line.split("\t")
    if len(f) >= 4 and f[0] == "V" and f[1] == "tls.handshake.ciphersuite" and f[3].startswith("TLS_"):
        suites[int(f[2])] = f[3]


def flags(code, name):
    if name.endswith("_SCSV"):
        return "S"
    tls13 = (code >> 8) == 0x13 or name.startswith("TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM") \
        or name.startswith("TLS_GOSTR341112_256_WITH_MAGMA_MGM")
    kx, _, cipher = name[4:].partition("_WITH_")
    if not cipher:                      # TLS 1.3 style: TLS_<cipher>_<hash>, or TLS_SHA256_SHA256
        cipher = name[4:]
    broken = bool(re.search(r"(^|_)(NULL|anon|EXPORT|EXPORT1024|RC4|RC2|DES|DES40|3DES|IDEA|KRB5)(_|$)",
                            name[4:])) or re.fullmatch(r"SHA\d+_SHA\d+", cipher) is not None
    aead = bool(re.search(r"(GCM|CCM|CHACHA20_POLY1305|MGM|AEGIS)", cipher))
    pfs = tls13 or bool(re.match(r"(ECDHE|DHE|ECCPWD)(_|$)", kx))
    return ("B" if broken else "") + ("A" if aead else "") + ("P" if pfs else "") or "K"


for code in sorted(suites):
    f = flags(code, suites[code])
    f = {"BP": "BP", "B": "B", "BA": "B", "BAP": "BP", "AP": "AP", "A": "A", "P": "P", "K": "K", "S": "S"}[f]
    print('    {{ 0x{:04x}, {:<2}, "{}" }},'.format(code, f, suites[code]))
