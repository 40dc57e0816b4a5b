#!/bin/bash
# Build and test tlsdiag against the Wireshark of several Debian releases, each
# in its own chroot (tools/chroot.sh), and print a matrix:
#
#   tests/compat.sh [SUITE...]     default: bookworm (4.0) trixie (4.4) sid (newest)
#
# Per suite: install tools/deps.sh's packages in the chroot, copy this tree
# (without .git and build*/) to /tmp/tlsdiag-src in it, build, check that
# `tshark -G plugins` run as uid 65534 lists tlsdiag, then run tests/run.sh
# there (its deps step finds everything installed and does nothing).
# Logs: build-compat/SUITE.log (or $TLSDIAG_COMPAT_LOGS/SUITE.log).
# Exits non-zero if any cell fails. Needs root (chroot, debootstrap).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
suites=("$@"); [ ${#suites[@]} = 0 ] && suites=(bookworm trixie sid)
logs=${TLSDIAG_COMPAT_LOGS:-$top/build-compat}
mkdir -p "$logs"
echo "logs: $logs"

read -ra pkgs <<< "$("$top/tools/deps.sh" --list)"
src=/tmp/tlsdiag-src          # inside the chroot
# The same directory and options as run.sh's plain build, so run.sh reuses it.
build=$src/build-test-plain

in_chroot() { "$top/tools/chroot.sh" --run "$suite" "$@"; }

rows=() status=0
for suite in "${suites[@]}"; do
    log=$logs/$suite.log
    : >"$log"
    start=$SECONDS
    ver=- builds=FAIL loads=skip tests=skip
    echo "=== $suite (log: $log)"
    if root=$("$top/tools/chroot.sh" "$suite" "${pkgs[@]}" 2>>"$log" | tail -n 1) && [ -d "$root" ]; then
        # shellcheck disable=SC2016  # ${Version} is dpkg's, not ours
        ver=$(in_chroot dpkg-query -W -f='${Version}' tshark 2>>"$log")
        rm -rf --one-file-system "${root:?}$src" && mkdir -p "$root$src"
        tar -C "$top" --exclude=./.git --exclude='./build*' -cf - . | tar -C "$root$src" -xf -
        if in_chroot sh -c "cmake -S $src -B $build -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
                            cmake --build $build -j\$(nproc)" >>"$log" 2>&1; then
            builds=ok loads=FAIL tests=FAIL
            # Personal plugin folder in a private HOME: Wireshark ignores it as root.
            # shellcheck disable=SC2016  # expanded by the shell in the chroot
            if in_chroot sh -c '
                    set -e
                    v=$(tshark --version | sed -n "1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p")
                    h=$(mktemp -d /tmp/tlsdiag-home.XXXXXX); trap "rm -rf $h" EXIT
                    mkdir -p $h/.local/lib/wireshark/plugins/$v/epan
                    cp "$1/tlsdiag.so" $h/.local/lib/wireshark/plugins/$v/epan/
                    chown -R 65534:65534 $h
                    # The path too: an installed tlsdiag package would shadow this copy.
                    setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=$h tshark -G plugins |
                        grep "^tlsdiag\.so.*$h/"' sh "$build" >>"$log" 2>&1; then
                loads=ok
            fi
            # Without TLSDIAG_COMPAT: a CI hook in run.sh must not recurse into chroots.
            in_chroot env -u TLSDIAG_COMPAT "$src/tests/run.sh" >>"$log" 2>&1 && tests=ok
        fi
    else
        builds="FAIL(chroot)"
    fi
    t=$((SECONDS - start))
    [ "$builds$loads$tests" = okokok ] || status=1
    rows+=("$(printf '%-9s %-20s %-7s %-6s %-6s %dm%02ds' "$suite" "$ver" "$builds" "$loads" "$tests" $((t / 60)) $((t % 60)))")
    echo "${rows[-1]}"
done

echo
printf '%-9s %-20s %-7s %-6s %-6s %s\n' suite tshark builds loads tests time
printf '%s\n' "${rows[@]}"
echo "logs: $logs"
exit $status
