#!/usr/bin/env python3
"""Markdown report of a bench/run.sh run (called by it).

    report.py RESULTS_DIR

RESULTS_DIR holds, per SIZE: raw-SIZE.tsv (rep, cmd, wall s, max RSS KiB,
user s, sys s), SIZE.json (the bookkeeping of bench/gen.py, or of
bench/capture-bulk.sh for SIZE bulk), tree-SIZE.txt (the
output of command d), conv-SIZE.txt (tshark -z conv,tcp,tls, optional); and
for the size profiled: callgrind-{a,b}.{self,incl}.txt (callgrind_annotate),
massif-{a,b}.out.
"""
import glob
import json
import os
import re
import statistics
import sys

d = sys.argv[1]
CMDS = {
    "a": "`tshark -q -r F -Y tls.handshake.type --disable-protocol tlsdiag`",
    "b": "`tshark -q -r F -Y tls.handshake.type`",
    "c": "`tshark -q -r F -Y tlsdiag.cause`",
    "d": "`tshark -q -r F -z tlsdiag,tree`",
    "e": "`tshark -2 -q -r F -Y tlsdiag.cause`",
    "f": "`tshark -q -r F -Y tls.alert_message --disable-protocol tlsdiag` (the alerts alone, no plugin)",
    "t": "`tshark -q -r F -Y tlsdiag` (issue 16's measure)",
    "g": "`ssldump -n -r F` (another analyser: every record, alerts included, listing thrown away)",
    "p": "`tshark -q -r F -Y \"tls.handshake.type \\|\\| <every field tlsdiag reads>\" --disable-protocol tlsdiag`",
}
wf = os.path.join(d, "wanted-fields.txt")
if os.path.exists(wf):
    n_wanted = len(open(wf).read().split())
    CMDS["p"] = CMDS["p"].replace("<every field tlsdiag reads>", "<the %d fields tlsdiag reads>" % n_wanted)


def size_key(s):
    m = re.match(r"(\d+)([kM]?)$", s)
    if not m:
        return (1, s)
    return (0, int(m.group(1)) * {"": 1, "k": 1000, "M": 1000000}[m.group(2)])


def tree_counts(path):
    """{item: count} of the top of the tlsdiag tree, and the causes."""
    out, causes, section = {}, {}, None
    if not os.path.exists(path):
        return out, causes
    lines = open(path).read().splitlines()
    col = None
    for ln in lines:
        if ln.startswith("Topic / Item"):
            col = ln.index("Count")
            continue
        if col is None or not ln.strip() or ln.startswith("-") or ln.startswith("="):
            continue
        item, rest = ln[:col].rstrip(), ln[col:].split()
        if not rest:
            continue
        n = int(rest[0])
        name = item.strip()
        if not item.startswith(" "):
            section = name
            out[name] = n
        elif section == "TLS handshakes":
            out[name] = n
        elif section == "Failures by cause" and item.startswith(" ") and not item.startswith("  "):
            causes[name] = n
    return out, causes


def fmt_mb(kib):
    return "%.1f" % (kib / 1024.0)


sizes = sorted({os.path.basename(p)[4:-4] for p in glob.glob(os.path.join(d, "raw-*.tsv"))}, key=size_key)
print("## Timings and peak memory (medians)\n")
print("F is the capture of the given size; wall time read around each run, peak RSS and user+sys CPU "
      "from `/usr/bin/time`; each cell is the median over the repetitions (min–max of wall in brackets). "
      "The commands run in turn in each repetition: 'wall / (a), paired' is the median of each "
      "repetition's own ratio, which a drift in the machine's speed moves less.\n")
for size in sizes:
    rows, walls = {}, {}
    for ln in open(os.path.join(d, "raw-%s.tsv" % size)):
        if ln.startswith("#") or not ln.strip():
            continue
        rep, cmd, wall, rss, user, sys_ = ln.split("\t")
        rows.setdefault(cmd, []).append((float(wall), int(rss), float(user) + float(sys_)))
        walls.setdefault(cmd, {})[rep] = float(wall)
    book = {}
    bp = os.path.join(d, "%s.json" % size)
    if os.path.exists(bp):
        book = json.load(open(bp))
    reps = max(len(v) for v in rows.values())
    print("### %s — %s packets, %s TCP connections with TLS (+%s QUIC), %d repetitions\n" % (
        size, format(book.get("packets", 0), ","), format(book.get("tcp_tls_connections", 0), ","),
        book.get("quic_connections", 0), reps))
    print("| cmd | command | wall s (min–max) | CPU s | peak RSS MB | wall / (a) | wall / (a), paired | CPU / (a) |")
    print("|---|---|---|---|---|---|---|---|")
    med = {}
    for cmd in sorted(rows):
        w = [r[0] for r in rows[cmd]]
        m = (statistics.median(w), statistics.median(r[1] for r in rows[cmd]),
             statistics.median(r[2] for r in rows[cmd]), min(w), max(w))
        med[cmd] = m
    for cmd in sorted(med):
        wall, rss, cpu, lo, hi = med[cmd]
        ra = "%.3f" % (wall / med["a"][0]) if "a" in med else "-"
        rc = "%.3f" % (cpu / med["a"][2]) if "a" in med else "-"
        pairs = [w / walls["a"][rep] for rep, w in walls[cmd].items() if walls.get("a", {}).get(rep)]
        rp = "%.3f (%.3f–%.3f)" % (statistics.median(pairs), min(pairs), max(pairs)) if pairs else "-"
        print("| (%s) | %s | %.3f (%.3f–%.3f) | %.2f | %s | %s | %s | %s |" % (
            cmd, CMDS.get(cmd, cmd), wall, lo, hi, cpu, fmt_mb(rss), ra, rp, rc))
    print()
    tree, causes = tree_counts(os.path.join(d, "tree-%s.txt" % size))
    conns = book.get("tcp_tls_connections", 0)
    conv = os.path.join(d, "conv-%s.txt" % size)
    if os.path.exists(conv):
        n = sum(1 for ln in open(conv) if "<->" in ln)
        print("TCP conversations with TLS per `tshark -q -z conv,tcp,tls`: %s (%s: %s)." % (
            format(n, ","), book.get("made_by", "generator"), format(conns, ",")))
    if "a" in med and "b" in med and conns:
        delta_kib = med["b"][1] - med["a"][1]
        hs = tree.get("TLS handshakes", 0) or book.get("handshakes", 0)
        print("tlsdiag's memory by RSS: (b) − (a) = %s MB over %s TCP connections with TLS = **%.0f bytes "
              "per connection** (%.0f bytes per handshake, %s handshakes). RSS hides what the plugin allocates "
              "in free space Wireshark's heap already had (on 4.0 about half of it at 5M): the heap "
              "section (massif; not with --no-valgrind) counts it." % (
                  fmt_mb(delta_kib), format(conns, ","), delta_kib * 1024.0 / conns,
                  delta_kib * 1024.0 / max(1, hs), format(hs, ",")))
    if tree:
        hs = tree.get("TLS handshakes", 0)
        failed = tree.get("Failed", 0)
        print("\nThe plugin's own count (command d): %s handshakes, %s established, %s failed (%.1f %%; "
              "recovered later %s, did not recover %s), %s incomplete, %s fallback attempts; %s "
              "planned %s handshakes, %s failed, %s synthetic retry chains, %s distinct clients, %.0f s of traffic." % (
                  format(hs, ","), format(tree.get("Established", 0), ","), format(failed, ","),
                  100.0 * failed / max(1, hs), format(tree.get("Client recovered later", 0), ","),
                  format(tree.get("Client did not recover", 0), ","),
                  format(tree.get("Incomplete (the capture holds only part of it)", 0), ","),
                  format(tree.get("Fallback attempts (TLS_FALLBACK_SCSV)", 0), ","),
                  book.get("made_by", "the generator"),
                  format(book.get("handshakes", 0), ","), format(book.get("failed", 0), ","),
                  format(book.get("synthetic_chains", 0), ","), format(book.get("clients_used", 0), ","),
                  book.get("duration_s", 0)))
    if causes:
        print("\nCauses named (%d kinds): %s.\n" % (len(causes), ", ".join(
            "%s %d" % (k, v) for k, v in sorted(causes.items(), key=lambda kv: -kv[1]))))
    else:
        print()


# ---------------------------------------------------------------- callgrind

LINE = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*?):(\S+)(?: \[(.*)\])?\s*$")
TOTAL = re.compile(r"^\s*([\d,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS")


def annotate(path):
    """The PROGRAM TOTALS of a callgrind_annotate listing (the per-function
    lines are not used: callgrind_annotate leaves out the object of many)."""
    total, funcs = 0, []
    for ln in open(path):
        m = TOTAL.match(ln)
        if m:
            total = int(m.group(1).replace(",", ""))
            continue
        m = LINE.match(ln)
        if m:
            funcs.append((int(m.group(1).replace(",", "")), m.group(2), m.group(3), m.group(4) or ""))
    return total, funcs


def callgrind(path):
    """Read a callgrind.out file: (total Ir, {(object, function): [self, inclusive, file]}).

    Self: the cost lines of the function itself; inclusive: self plus what its
    calls to other functions cost (callgrind records each call's inclusive cost)."""
    import gzip
    opener = gzip.open if path.endswith(".gz") else open
    names = {"ob": {}, "fl": {}, "fn": {}}
    ob = fl = fn = None
    cfn = cob = None
    after_call = False
    funcs = {}
    calls = {}
    total = 0
    comp = re.compile(r"^\((\d+)\)(?: (.*))?$")

    def name(kind, v):
        m = comp.match(v)
        if not m:
            return v
        if m.group(2) is not None:
            names[kind][m.group(1)] = m.group(2)
            return m.group(2)
        return names[kind].get(m.group(1), v)

    with opener(path, "rt", errors="replace") as f:
        for ln in f:
            c = ln[:1]
            if c.isdigit() or c in "+-*":
                parts = ln.split()
                ir = int(parts[1]) if len(parts) > 1 else 0
                rec = funcs.setdefault((ob, fn), [0, 0, fl])
                if after_call:
                    if (cob or ob, cfn) != (ob, fn):
                        rec[1] += ir
                        callees = calls.setdefault((ob, fn), {})
                        callees[cfn] = callees.get(cfn, 0) + ir
                    after_call = False
                else:
                    rec[0] += ir
                    rec[1] += ir
                continue
            if ln.startswith(("totals:", "summary:")):
                total = int(ln.split()[1])
                continue
            k, _, v = ln.rstrip("\n").partition("=")
            if k == "ob":
                ob = name("ob", v)
            elif k == "fl":
                fl = name("fl", v)
            elif k in ("fi", "fe"):
                name("fl", v)
            elif k == "fn":
                fn = name("fn", v)
                cob = None
            elif k == "cob":
                cob = name("ob", v)
            elif k in ("cfi", "cfl"):
                name("fl", v)
            elif k == "cfn":
                cfn = name("fn", v)
            elif k == "calls":
                after_call = True
    return total, funcs, calls


def ours(obj, fil, top):
    return os.path.basename(obj or "") == "tlsdiag.so" or (fil or "").startswith(top)


def cgfile(letter):
    p = os.path.join(d, "callgrind-%s.out.gz" % letter)
    return p if os.path.exists(p) else None


if cgfile("b"):
    meta = json.load(open(os.path.join(d, "profile.json")))
    top = meta["top"]
    total_b, fb, calls_b = callgrind(cgfile("b"))
    mine = {k: v for k, v in fb.items() if ours(k[0], v[2], top)}
    s = sum(v[0] for v in mine.values())
    print("## Where the plugin's cost goes (callgrind, %s, command b)\n" % meta["size"])
    print("`%s`\n" % meta["cmd_b"])
    print("- Total instructions (b): **%s**" % format(total_b, ","))
    if cgfile("a"):
        total_a, _, _ = callgrind(cgfile("a"))
        print("- Total instructions (a), the same with `--disable-protocol tlsdiag`: %s; (b) − (a) = %s "
              "(%.1f %% of (a))" % (format(total_a, ","), format(total_b - total_a, ","),
                                   100.0 * (total_b - total_a) / total_a))
        if cgfile("p"):
            total_p, _, _ = callgrind(cgfile("p"))
            print("- Total instructions (p), tlsdiag disabled but a display filter naming every field it reads: "
                  "%s; (p) − (a) = %s (%.1f %% of (a)): Wireshark's cost of those fields; (b) − (p) = %s "
                  "(%.1f %% of (a)): the plugin's own work" % (
                      format(total_p, ","), format(total_p - total_a, ","), 100.0 * (total_p - total_a) / total_a,
                      format(total_b - total_p, ","), 100.0 * (total_b - total_p) / total_a))
    print("- Self cost of the plugin's own functions (tlsdiag.so: epan layer and core): **%s = %.2f %%** of (b)"
          % (format(s, ","), 100.0 * s / total_b))
    ent = [(k[1], v[1]) for k, v in mine.items() if k[1] in ("dissect_tlsdiag", "tlsdiag_init", "tlsdiag_cleanup")]
    if ent:
        print("- Inclusive cost of its entry points (the plugin's code plus the epan, GLib and libc calls it "
              "makes): %s = **%.2f %%** of (b)" % (
                  " + ".join("%s %s" % (n, format(c, ",")) for n, c in sorted(ent, key=lambda e: -e[1])),
                  100.0 * sum(c for _, c in ent) / total_b))
    print("- Plugin self instructions per packet: %.0f; per TCP connection with TLS: %.0f" % (
        s / meta["packets"], s / max(1, meta["connections"])))
    root = [k for k in mine if k[1] == "dissect_tlsdiag"]
    if root:
        k = root[0]
        print("\nWhat `dissect_tlsdiag` (the post-dissector, called on every packet) spends, by direct callee "
              "(inclusive):\n")
        print("| Ir | % of (b) | % of dissect_tlsdiag | callee |")
        print("|---:|---:|---:|---|")
        inc = mine[k][1]
        rows = sorted(calls_b.get(k, {}).items(), key=lambda kv: -kv[1])
        for fn, ir in rows[:12]:
            print("| %s | %.2f | %.1f | `%s` |" % (format(ir, ","), 100.0 * ir / total_b, 100.0 * ir / inc, fn))
        print("| %s | %.2f | %.1f | (its own code) |" % (format(mine[k][0], ","), 100.0 * mine[k][0] / total_b,
                                                        100.0 * mine[k][0] / inc))
    print("\nTop tlsdiag functions by self cost:\n")
    print("| Ir (self) | % of (b) | % of plugin self | Ir (inclusive) | function | file |")
    print("|---:|---:|---:|---:|---|---|")
    for (obj, fn), (si, inc, fil) in sorted(mine.items(), key=lambda kv: -kv[1][0])[:15]:
        print("| %s | %.2f | %.1f | %s | `%s` | %s |" % (format(si, ","), 100.0 * si / total_b, 100.0 * si / s,
                                                     format(inc, ","), fn, os.path.basename(fil or "?")))
    print("\nTop tlsdiag functions by inclusive cost:\n")
    print("| Ir (inclusive) | % of (b) | function |")
    print("|---:|---:|---|")
    for (obj, fn), (si, inc, fil) in sorted(mine.items(), key=lambda kv: -kv[1][1])[:12]:
        print("| %s | %.2f | `%s` |" % (format(inc, ","), 100.0 * inc / total_b, fn))
    print("\nTop functions of the whole run (b) by self cost (libwireshark has no symbols here):\n")
    print("| Ir (self) | % of (b) | function | object |")
    print("|---:|---:|---|---|")
    for (obj, fn), (si, inc, fil) in sorted(fb.items(), key=lambda kv: -kv[1][0])[:10]:
        print("| %s | %.2f | `%s` | %s |" % (format(si, ","), 100.0 * si / total_b, fn, os.path.basename(obj or "?")))
    print()


# ------------------------------------------------------------------ massif

def massif(path):
    """(peak heap bytes, bytes of the largest detailed snapshot allocated under a
    tlsdiag frame, that snapshot's heap bytes)."""
    lines = open(path).read().splitlines()
    snaps, cur = [], None
    for i, ln in enumerate(lines):
        if ln.startswith("snapshot="):
            cur = {"line": i}
            snaps.append(cur)
        elif cur is not None and "=" in ln and not ln.lstrip().startswith("n"):
            k, _, v = ln.partition("=")
            cur[k] = v
            if k == "heap_tree":
                cur["tree"] = i + 1 if v in ("peak", "detailed") else None
    heap = lambda s: int(s.get("mem_heap_B", 0)) + int(s.get("mem_heap_extra_B", 0))
    peak = max(heap(s) for s in snaps)
    trees = [s for s in snaps if s.get("tree")]
    if not trees:
        return peak, 0, 0, {}
    best = max(trees, key=heap)
    node = re.compile(r"^( *)n(\d+): (\d+) (.*)$")
    ours_b, skip_depth, j = 0, None, best["tree"]
    sites = {}
    while j < len(lines):
        m = node.match(lines[j])
        if not m:
            break
        depth, nbytes, what = len(m.group(1)), int(m.group(3)), m.group(4)
        j += 1
        if skip_depth is not None and depth > skip_depth:
            continue
        skip_depth = None
        if "tlsdiag" in what:
            ours_b += nbytes
            skip_depth = depth
            m2 = re.match(r"0x[0-9A-Fa-f]+: (\S+) \((.*?)\)", what)
            key = "%s (%s)" % (m2.group(1), m2.group(2)) if m2 else what
            sites[key] = sites.get(key, 0) + nbytes
    return peak, ours_b, heap(best), sites


ma, mb = os.path.join(d, "massif-a.out"), os.path.join(d, "massif-b.out")
if os.path.exists(ma) and os.path.exists(mb):
    meta = json.load(open(os.path.join(d, "profile.json")))
    pa, _, _, _ = massif(ma)
    pb, ob, sb, sites = massif(mb)
    c = max(1, meta["connections"])
    print("## Heap (massif, %s)\n" % meta["size"])
    print("- Peak heap (a): %.1f MB; (b): %.1f MB; (b) − (a) = %.2f MB = **%.0f bytes per TCP connection with TLS**"
          % (pa / 1e6, pb / 1e6, (pb - pa) / 1e6, (pb - pa) / c))
    print("- In (b)'s largest detailed snapshot (%.1f MB), heap allocated with a tlsdiag function on the stack: "
          "%.2f MB = %.0f bytes per connection" % (sb / 1e6, ob / 1e6, ob / c))
    if sites:
        print("\nWhere that memory was allocated (the tlsdiag frame nearest the allocation):\n")
        print("| bytes | per connection | allocated in |")
        print("|---:|---:|---|")
        for k, v in sorted(sites.items(), key=lambda kv: -kv[1])[:10]:
            print("| %s | %.0f | `%s` |" % (format(v, ","), v / c, k))
    print()
