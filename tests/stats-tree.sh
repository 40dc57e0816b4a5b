#!/bin/bash
# tshark -z tlsdiag,tree output on stdin -> its items as "item<TAB>count",
# indented as tshark indents, sorted (siblings with equal counts come in any
# order), as tests/expected-stats/ writes them. A server or client whose only
# failure was taken back (a provisional failure revised on a single pass)
# keeps a row with 0: rows of 0 other than the tree's own are left out.
set -euo pipefail
# The tree's own nodes, which always show, even at 0.
fixed='^(TLS handshakes| Failed|  Client recovered later|  Client did not recover|  Not in an attempt chain .*| Established| Incomplete .*| Abandoned .*|Fallback attempts .*|Failures by (cause|server|client|who ended them))\t'
sed -n '/^-----/,/^-----/p' | grep -v '^---' | sed -E 's/ {2,}(-?[0-9]+)( .*)?$/\t\1/; s/ +$//' | grep -v '^$' |
    awk -F'\t' -v fixed="$fixed" '$2 != "0" || $0 ~ fixed' | sort
