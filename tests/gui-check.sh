#!/bin/bash
# Open bundled failure captures in the real Wireshark GUI (Qt), with the built
# tlsdiag plugin and the "TLS Diagnostics" profile, on a virtual X server;
# take screenshots and check that the GUI really diagnosed.
#
#   tests/gui-check.sh PLUGIN.so [OUTDIR]
#
# OUTDIR (default ./gui-check-screenshots) receives
#   details-retry-fallback.png  retry-fallback-recovered.pcap, frame 12: the packet
#                               list in the profile's columns and colours, the
#                               tlsdiag subtree expanded (cause, evidence, attempt story)
#   expert-info.png             the same capture's Analyze → Expert Information
#                               dialog, TLSDIAG entries in full
#   details-cert-expired.png    cert-expired-tls12.pcap, frame 8: cert_expired
#   statistics.png              retry-proxy-v1.pcap: Statistics → TLS Diagnostics
#   io-graph.png                retry-proxy-v2.pcap: the profile's I/O graphs
# (`tests/gui-check.sh build/tlsdiag.so docs/screenshots` refreshes the docs.)
#
# It fails (exit 1) when
#   - tshark (the GUI's companion, same version) run as an unprivileged user
#     does not load the plugin or does not diagnose frame 12;
#   - the GUI does not open the capture (a "Couldn't load plugin" dialog blocks
#     it), dies, or shows any other dialog;
#   - Wireshark's stderr names tlsdiag or a plugin, or a colouring rule of the
#     profile did not compile (its tlsdiag fields unknown);
#   - the screenshot of the packet list lacks the profile's colours: rows of a
#     failed-but-recovered handshake (orange; tlsdiag.recovered is only known on
#     the second pass) and of a failure never recovered (red): so the GUI's own
#     dissection produced the tlsdiag fields;
#   - the details, copied as text (Edit → Copy → All Visible Items), lack the
#     tlsdiag tree or hold an item cut at 240 characters or a line over 132;
#   - the profile's I/O graphs draw no failures;
#   - the Expert Information dialog does not open, or a screenshot is missing.
# It is skipped (exit 77, CTest's SKIP_RETURN_CODE) when wireshark (Debian:
# wireshark-qt), xvfb-run + xauth (xvfb, xauth), xdotool or ImageMagick's import
# and convert (imagemagick) are missing. Exit 2: usage.
#
# Wireshark ignores personal plugins when run as root: as root it runs as
# nobody (65534) with a private HOME holding the plugin and the profile, like
# tests/run-captures.sh. The clicks assume the fixed 1600x1000 virtual screen.
set -euo pipefail

if [ "${1:-}" != "--inner" ]; then
    plugin=${1:-}
    if [ -z "$plugin" ] || [ ! -f "$plugin" ]; then
        echo "usage: $0 PLUGIN.so [OUTDIR]" >&2
        exit 2
    fi
    missing=()
    for tool in wireshark tshark xvfb-run xauth xdotool xclip import convert; do
        command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "SKIP: gui-check needs ${missing[*]} (Debian: apt-get install wireshark-qt xvfb xauth xdotool xclip imagemagick)"
        exit 77
    fi
    top=$(cd "$(dirname "$0")/.." && pwd)
    outdir=${2:-gui-check-screenshots}
    mkdir -p "$outdir"
    outdir=$(cd "$outdir" && pwd)
    plugin=$(cd "$(dirname "$plugin")" && pwd)/$(basename "$plugin")
    export GUI_CHECK_TOP=$top GUI_CHECK_PLUGIN=$plugin GUI_CHECK_OUT=$outdir
    # -a: a free display number; a fixed screen size for the clicks below.
    exec timeout -k 10 300 xvfb-run -a -s "-screen 0 1600x1000x24 -nolisten tcp" "$0" --inner
fi

# ---- inside xvfb-run: DISPLAY and XAUTHORITY are set --------------------------
top=$GUI_CHECK_TOP plugin=$GUI_CHECK_PLUGIN outdir=$GUI_CHECK_OUT
profile="TLS Diagnostics"
work=$(mktemp -d /tmp/tlsdiag-gui.XXXXXX)
ws_pid=
cleanup() {
    [ -n "$ws_pid" ] && kill "$ws_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

ver=$(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
home=$work/home
mkdir -p "$home/.local/lib/wireshark/plugins/$ver/epan" "$home/.config/wireshark/profiles" "$work/cap" "$work/run"
cp "$plugin" "$home/.local/lib/wireshark/plugins/$ver/epan/tlsdiag.so"
cp "$top/captures/retry-fallback-recovered.pcap" "$top/captures/cert-expired-tls12.pcap" \
   "$top/captures/retry-proxy-v1.pcap" "$top/captures/retry-proxy-v2.pcap" "$work/cap/"
if [ ! -d "$top/profiles/$profile" ]; then
    echo "FAIL the profile $top/profiles/$profile is missing"
    exit 1
fi
cp -r "$top/profiles/$profile" "$home/.config/wireshark/profiles/"
# The window fills the virtual screen; no bytes pane, so the details get the width.
cat > "$home/.config/wireshark/recent_common" <<EOF
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: 1600
gui.geometry_main_height: 1000
gui.geometry_main_maximized: FALSE
privs.warn_if_elevated: FALSE
EOF
cat >> "$home/.config/wireshark/profiles/$profile/recent" <<EOF
gui.byte_view_show: FALSE
gui.geometry_main_upper_pane: 380
EOF
cp "$XAUTHORITY" "$work/Xauthority"

run=(env -i "HOME=$home" "PATH=/usr/bin:/bin:/usr/local/bin" "DISPLAY=$DISPLAY"
     "XAUTHORITY=$work/Xauthority" "XDG_RUNTIME_DIR=$work/run" LANG=C.UTF-8)
if [ "$(id -u)" = 0 ]; then
    chown -R 65534:65534 "$work"
    run=(setpriv --reuid=65534 --regid=65534 --clear-groups "${run[@]}")
fi
chmod 700 "$work/run"

# 1. The GUI's companion tshark loads the plugin and diagnoses.
if [ "$(wireshark --version 2>/dev/null | head -1 | sed 's/^Wireshark //')" != \
     "$(tshark --version 2>/dev/null | head -1 | sed 's/^TShark (Wireshark) //')" ]; then
    fail "wireshark and tshark are the same version"
fi
got=$(cd "$work/cap" && "${run[@]}" tshark -2 -r retry-fallback-recovered.pcap -Y "frame.number == 12" \
        -T fields -e tlsdiag.cause -e tlsdiag.recovered 2>"$work/tshark.err") || true
if [ "$got" = "inappropriate_fallback	1" ] && [ ! -s "$work/tshark.err" ]; then
    pass "tshark (as $("${run[@]}" id -un)) loads the plugin and diagnoses frame 12"
else
    fail "tshark loads the plugin and diagnoses frame 12 (got '$got')"
    sed 's/^/     stderr: /' "$work/tshark.err"
fi

# Helpers for the GUI.
wait_window() {     # NAME-REGEX SECONDS: the first visible window of wireshark so named
    local i w
    for ((i = 0; i < $2 * 4; i++)); do
        kill -0 "$ws_pid" 2>/dev/null || return 1
        w=$(xdotool search --all --onlyvisible --pid "$ws_pid" --name "$1" 2>/dev/null | head -1) || true
        [ -n "$w" ] && { echo "$w"; return 0; }
        sleep 0.25
    done
    return 1
}
windows() {         # the visible windows of wireshark, one "id name" a line
    local w
    for w in $(xdotool search --onlyvisible --pid "$ws_pid" 2>/dev/null); do
        echo "$w $(xdotool getwindowname "$w")"
    done
}
shoot() {           # WINDOW FILE: a screenshot of WINDOW, as a palette PNG (small); the
    # exact one stays as $work/raw.png for the colour counts
    rm -f "$work/raw.png"
    import -window "$1" "$work/raw.png" &&
        convert "$work/raw.png" -strip -colors 256 "PNG8:$2" &&
        [ -s "$2" ]
}
count_colour() {    # FILE HEX: how many pixels have exactly that colour
    convert "$1" -fill black +opaque "$2" -fill white -opaque "$2" -format '%[fx:round(mean*w*h)]' info:
}
start_gui() {       # CAPTURE FRAME: open it at FRAME; sets ws_pid, main
    local i dialog=
    (cd "$work/cap" && exec "${run[@]}" wireshark -C "$profile" -r "$1" -g "$2") \
        >"$work/ws.out" 2>"$work/ws.err" &
    ws_pid=$!
    main=
    for ((i = 0; i < 240 && ! ${#main} && ! ${#dialog}; i++)); do
        sleep 0.25
        kill -0 "$ws_pid" 2>/dev/null || break
        # The window is named after the capture once it is read; before, any
        # other window than the welcome screen is a dialog (e.g. "Couldn't load plugin").
        main=$(xdotool search --all --onlyvisible --pid "$ws_pid" --name "^$1" 2>/dev/null | head -1) || true
        [ $i -gt 8 ] && dialog=$(windows | grep -v ' The Wireshark Network Analyzer$' || true)
    done
    if [ -n "$main" ]; then
        sleep 3     # the packet list is drawn (and coloured) after the file is read
        pass "the GUI opened $1"
    else
        fail "the GUI opened $1 (a dialog blocked it, it died, or it took over a minute)"
        windows | sed 's/^/     window: /'
        import -window root "$outdir/failed-${1%.pcap}.png" 2>/dev/null &&
            echo "     the screen: $outdir/failed-${1%.pcap}.png"
        sed 's/^/     stderr: /' "$work/ws.err"
        stop_gui
        return 1
    fi
}
check_gui_clean() { # CAPTURE: no other window, nothing about plugins/tlsdiag on stderr
    local others
    others=$(windows | grep -v "^$main " || true)
    if [ -z "$others" ]; then pass "$1: no dialog besides the main window"
    else fail "$1: no dialog besides the main window"; printf '%s\n' "$others" | sed 's/^/     window: /'; fi
    if grep -qiE 'plugin|tlsdiag|colorfilters' "$work/ws.err"; then
        fail "$1: Wireshark's stderr is clean of plugin and colouring-rule errors"
        sed 's/^/     stderr: /' "$work/ws.err"
    else
        pass "$1: Wireshark's stderr is clean of plugin and colouring-rule errors"
    fi
}
stop_gui() {
    kill "$ws_pid" 2>/dev/null || true
    wait "$ws_pid" 2>/dev/null || true
    ws_pid=
}
expand_tlsdiag() {  # focus the packet details, select its last item (tlsdiag, a post-dissector), expand it all
    xdotool windowfocus --sync "$main"
    xdotool mousemove 400 520 click 1   # inside the details pane (below the 380-pixel packet list)
    sleep 0.3
    xdotool key End shift+Right
    xdotool mousemove 800 995          # the status bar: no hover highlight in the shot
    sleep 1
}
check_details() {   # CAPTURE: Edit → Copy → All Visible Items (its shortcut) gives the expanded
    # details as text: the tlsdiag part is there, none of it cut at 240 characters,
    # no line over 132 characters after its indentation
    local text long
    xdotool windowfocus --sync "$main"
    xdotool key ctrl+alt+shift+a
    sleep 0.5
    text=$(xclip -o -selection clipboard 2>/dev/null | sed -n '/^TLS Diagnostics/,$p')
    long=$(printf '%s\n' "$text" | awk '{ s = $0; sub(/^[ \t]+/, "", s); if (length(s) > 132 || s ~ /truncated\]/) n++ }
                                      END { print n + 0 }')
    if printf '%s\n' "$text" | grep -q 'Expert Info' && [ "$long" = 0 ]; then
        pass "$1: the details show tlsdiag whole: no item cut, no line over 132 characters"
    else
        fail "$1: the details show tlsdiag whole: no item cut, no line over 132 characters ($long long lines)"
        printf '%s\n' "$text" | head -40 | sed 's/^/     /'
    fi
    xdotool mousemove 800 995
    sleep 0.5
}
# The profile's colours (colorfilters): benign (recovered) and never recovered.
benign='#FFB74D' not_recovered='#B80000'

# 2. retry-fallback-recovered.pcap, frame 12: details, colours, Expert Information.
cap=retry-fallback-recovered.pcap
if start_gui "$cap" 12; then
    check_gui_clean "$cap"
    expand_tlsdiag
    check_details "$cap"
    if shoot "$main" "$outdir/details-retry-fallback.png"; then
        pass "$cap: screenshot details-retry-fallback.png"
        n=$(count_colour "$work/raw.png" "$benign")
        # Frames 4, 6 and 10 (12 is selected): recovered, so "benign" on the GUI's second pass.
        if [ "$n" -gt 10000 ]; then pass "$cap: recovered failures coloured benign ($n pixels)"
        else fail "$cap: recovered failures coloured benign (only $n pixels of $benign)"; fi
    else
        fail "$cap: screenshot details-retry-fallback.png"
    fi
    # Analyze → Expert Information (the menu's last item).
    xdotool windowfocus --sync "$main"
    xdotool key alt+a
    sleep 0.5
    xdotool key Up Return
    if dlg=$(wait_window "Expert Information" 20); then
        pass "$cap: the Expert Information dialog opened"
        sleep 1     # Qt places it first (centred on the main window)
        xdotool windowsize "$dlg" 1600 560 windowmove "$dlg" 0 0
        sleep 1
        # One row per entry, with its full message: untick "Group by summary"...
        xdotool mousemove 209 505 click 1
        sleep 0.5
        # ... widen the Summary column (drag its right edge)...
        xdotool mousemove 541 22 mousedown 1 mousemove 900 22 mousemove 1290 22 mouseup 1
        # ... and expand the severity groups, last first.
        xdotool mousemove 300 42 click 1 key End
        for _ in 1 2 3 4 5; do xdotool key Right Up; done
        # Select the entry of frame 12 (the ninth row of this capture's list).
        xdotool key Home Down Down Down Down Down Down Down Down
        sleep 1
        if shoot "$dlg" "$outdir/expert-info.png"; then pass "$cap: screenshot expert-info.png"
        else fail "$cap: screenshot expert-info.png"; fi
    else
        fail "$cap: the Expert Information dialog opened"
        windows | sed 's/^/     window: /'
    fi
    stop_gui
fi

# 3. cert-expired-tls12.pcap, frame 8: a failure never recovered.
cap=cert-expired-tls12.pcap
if start_gui "$cap" 8; then
    check_gui_clean "$cap"
    expand_tlsdiag
    check_details "$cap"
    if shoot "$main" "$outdir/details-cert-expired.png"; then
        pass "$cap: screenshot details-cert-expired.png"
        n=$(count_colour "$work/raw.png" "$not_recovered")
        # Frame 4 (8 is selected): failed, not recovered.
        if [ "$n" -gt 3000 ]; then pass "$cap: the failure coloured not recovered ($n pixels)"
        else fail "$cap: the failure coloured not recovered (only $n pixels of $not_recovered)"; fi
    else
        fail "$cap: screenshot details-cert-expired.png"
    fi
    stop_gui
fi

# 4. Statistics → TLS Diagnostics (the menu's last item) on retry-proxy-v1.pcap:
# its Copy button gives the tree as text; the counts must be the hand counts
# the tshark test uses (tests/expected-stats/).
cap=retry-proxy-v1.pcap
if start_gui "$cap" 1; then
    xdotool windowfocus --sync "$main"
    xdotool key alt+s
    sleep 0.5
    xdotool key Up Return
    if dlg=$(wait_window "TLS Diagnostics" 20); then
        pass "$cap: Statistics → TLS Diagnostics opened"
        sleep 1
        if shoot "$dlg" "$outdir/statistics.png"; then pass "$cap: screenshot statistics.png"
        else fail "$cap: screenshot statistics.png"; fi
        # The Copy button sits 236 pixels from the right and 23 from the bottom.
        eval "$(xdotool getwindowgeometry --shell "$dlg")"
        xdotool mousemove --window "$dlg" $((WIDTH - 236)) $((HEIGHT - 23)) click 1
        sleep 1
        got=$(xclip -o -selection clipboard 2>/dev/null | "$top/tests/stats-tree.sh" || true)
        if [ -n "$got" ] && [ "$got" = "$(sort "$top/tests/expected-stats/${cap%.pcap}.txt")" ]; then
            pass "$cap: the GUI's statistics match the hand count"
        else
            fail "$cap: the GUI's statistics match the hand count"
            diff <(sort "$top/tests/expected-stats/${cap%.pcap}.txt") <(echo "$got") | sed 's/^/     /' || true
        fi
    else
        fail "$cap: Statistics → TLS Diagnostics opened"
        windows | sed 's/^/     window: /'
    fi
    stop_gui
fi

# 5. Statistics → I/O Graphs on retry-proxy-v2.pcap (behind a PROXY load
# balancer, one client recovers, another does not): the profile's graphs
# (io_graphs) draw failures (orange bars) and failures never recovered (red,
# in front), each far more pixels than its colour swatch in the table (256).
cap=retry-proxy-v2.pcap
if start_gui "$cap" 1; then
    xdotool windowfocus --sync "$main"
    xdotool key alt+s
    sleep 0.5
    xdotool key i       # its mnemonic: I/O Graphs
    if dlg=$(wait_window "I/O Graphs" 20); then
        pass "$cap: Statistics → I/O Graphs opened"
        xdotool windowsize "$dlg" 1200 700 windowmove "$dlg" 0 0
        sleep 3     # the graphs are drawn after a retap
        if shoot "$dlg" "$outdir/io-graph.png"; then
            pass "$cap: screenshot io-graph.png"
            failures=$(count_colour "$work/raw.png" '#F57900') lost=$(count_colour "$work/raw.png" '#CC0000')
            if [ "$failures" -gt 2000 ] && [ "$lost" -gt 2000 ]; then
                pass "$cap: the profile's graphs draw failures ($failures pixels) and failures not recovered ($lost)"
            else
                fail "$cap: the profile's graphs draw failures ($failures pixels) and failures not recovered ($lost)"
            fi
        else
            fail "$cap: screenshot io-graph.png"
        fi
    else
        fail "$cap: Statistics → I/O Graphs opened"
        windows | sed 's/^/     window: /'
    fi
    stop_gui
fi

echo "screenshots in $outdir"
echo "$passed passed, $failed failed"
[ $failed = 0 ]
