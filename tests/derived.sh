#!/bin/bash
# The captures derived from the bundled ones (tests/derived.tsv), into DIR:
# cut (the capture starts or ends mid-handshake), with frames reordered or
# repeated as on a busy link ("order:" for tests/pcap-order.py), or each
# frame cut to a snap length ("snap:N", as tcpdump -s N keeps them).
#
#   tests/derived.sh DIR
set -euo pipefail
out=${1:?usage: derived.sh DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
while IFS=$'\t' read -r name source frames; do
    case $frames in
        order:*) python3 "$top/tests/pcap-order.py" "$top/captures/$source" "$out/$name.pcap" "${frames#order:}" ;;
        snap:*) editcap -s "${frames#snap:}" "$top/captures/$source" "$out/$name.pcap" ;;
        *) editcap -r "$top/captures/$source" "$out/$name.pcap" "$frames" ;;
    esac
done < "$top/tests/derived.tsv"
