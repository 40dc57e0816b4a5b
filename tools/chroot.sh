#!/usr/bin/env bash
# Minimal Debian chroots for building and testing against other Wiresharks
# and TLS stacks (trixie: Wireshark 4.4, OpenSSL 3.5; sid: the newest).
#
#   tools/chroot.sh SUITE [PACKAGE...]   # create or reuse /srv/chroot/tlsdiag-SUITE,
#                                        # install PACKAGEs; last stdout line: its path
#   tools/chroot.sh --run SUITE CMD...   # run CMD inside it (chroot), /proc /sys /dev mounted
#
# Needs root.  MIRROR overrides the Debian mirror (default deb.debian.org).
# The chroot shares the host's network, so it reaches servers on loopback.
set -euo pipefail

die() { echo "chroot.sh: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "must run as root"

run=0
[[ ${1:-} == --run ]] && { run=1; shift; }
(($#)) || die "usage: $0 [--run] SUITE [PACKAGE...|CMD...]"
suite=$1; shift
[[ $suite =~ ^[a-z]+$ ]] || die "bad suite '$suite'"
root=/srv/chroot/tlsdiag-$suite
marker=$root/.tlsdiag-complete    # written only after debootstrap succeeded
mirror=${MIRROR:-http://deb.debian.org/debian}

# ns CMD...: run CMD in a private mount namespace with the kernel file
# systems mounted in the chroot.  The mounts vanish with the namespace, so
# concurrent runs do not unmount each other and an interrupted run leaves
# nothing mounted on the host.  Every step execs, so CMD keeps our pid and
# signals (timeout, kill) reach it.
ns=(unshare --mount --propagation private -- /bin/sh -ec '
        r=$1; shift
        mount -t proc proc "$r/proc"
        mount -t sysfs sysfs "$r/sys"
        mount --rbind /dev "$r/dev"
        exec "$@"' sh "$root")

if ((run)); then
    [[ -e $marker ]] || die "$root is not set up; run: $0 $suite"
    (($#)) || die "--run needs a command"
    exec "${ns[@]}" chroot "$root" "$@"
fi

mkdir -p /srv/chroot
# Serialise creation and installs per suite: other helpers may call us too.
exec 8>"/srv/chroot/.tlsdiag-$suite.lock"
flock 8

if [[ ! -e $marker ]]; then
    command -v debootstrap >/dev/null || {
        apt-get -o DPkg::Lock::Timeout=600 update -qq
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
            install -y -qq debootstrap >/dev/null
    }
    if [[ -d $root ]]; then
        # Left by an interrupted debootstrap: start again, but never delete
        # through something still mounted there.
        ! grep -q " $root/" /proc/self/mounts || die "something is mounted under $root"
        echo "removing incomplete $root" >&2
        rm -rf --one-file-system "$root"
    fi
    echo "debootstrap $suite into $root" >&2
    # In a namespace too: debootstrap mounts /proc itself and leaks it if killed.
    unshare --mount --propagation private -- \
        debootstrap --variant=minbase "$suite" "$root" "$mirror" >&2
    # Packages must not start services inside the chroot.
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod 755 "$root/usr/sbin/policy-rc.d"
    touch "$marker"
fi

# Name resolution for apt may have changed since debootstrap copied it.
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# The mirror may be a frozen snapshot older than the clock: sid's Release is
# valid for a week only, and apt would refuse it as expired.
printf 'Acquire::Check-Valid-Until "false";\nAcquire::Check-Date "false";\n' \
    >"$root/etc/apt/apt.conf.d/99tlsdiag-snapshot"

missing=()
for p in "$@"; do
    chroot "$root" dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
        grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "installing in $suite: ${missing[*]}" >&2
    "${ns[@]}" chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive /bin/sh -ec '
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "$@" >/dev/null' sh "${missing[@]}" >&2
fi
echo "$root"
