"""bench/runner/cachesim.py - every workload under valgrind's cachegrind:
instructions and simulated cache misses per allocator, repeatable where
timings on shared cores are not.

It is a model, not the machine: two cache levels (the first-level data
cache and a last level set to this machine's L2), no TLB, no prefetcher,
no second core (valgrind runs the threads one at a time, so nothing is
ever written by another core, and a two-thread workload's interleaving
can differ a little from run to run). What it shows well is the work an
allocator does and the memory it touches: a change that moves these
figures by a few percent can be told apart here, not in the timings.

"est" is a rough cycle estimate from round figures, not measured here:
1 per instruction, 10 per first-level miss, 150 per last-level miss.
"""
import os
import re
import shutil
import tempfile

from measure import run_once
from report import col

EST = (1, 10, 150)   # cycles per instruction, per D1 miss, per LL miss


def l2_bytes():
    """This machine's L2 size (the model's last level), or 2 MiB."""
    try:
        with open("/sys/devices/system/cpu/cpu0/cache/index2/size") as f:
            text = f.read().strip()
        return int(text[:-1]) << (10 if text.endswith("K") else 20 if text.endswith("M") else 0)
    except (OSError, ValueError):
        return 2 << 20


def counts(stderr):
    """(instructions, D1 misses, LL misses) from cachegrind's summary."""
    def number(label):
        m = re.search(r"^==\d+== %s:\s*([\d,]+)" % re.escape(label), stderr, re.M)
        return int(m.group(1).replace(",", "")) if m else None
    ir, d1, ll = number("I   refs"), number("D1  misses"), number("LLd misses")
    return None if None in (ir, d1, ll) else (ir, d1, ll)


def measure(ctx, w, alloc, env, check):
    """Counts of workload w (quick scale) under alloc, or an error string."""
    argv, stdin = w.command(ctx, w.quick, True)
    with tempfile.TemporaryDirectory() as tmp:
        vg = [shutil.which("valgrind"), "--tool=cachegrind", "--cache-sim=yes",
              "--LL=%d,16,64" % l2_bytes(), "--cachegrind-out-file=" + os.path.join(tmp, "out")]
        run = run_once(vg + argv, env, stdin, need_rss=False, timeout=1800)
    check(run, alloc, w)
    if run.error:
        return run.error
    got = counts(run.stderr)
    return got if got else "no summary from cachegrind"


def report(ctx, workloads, allocs, env_for, check):
    """Runs every workload under every allocator; prints the report as it
    goes (a workload takes a minute or two)."""
    def emit(lines):
        print("\n".join(lines), flush=True)

    emit(["", "== cachegrind model: instructions (I), first-level data misses (D1), "
             "last-level data misses (LL, %d KiB), est = %d I + %d D1 + %d LL; x: ratio to the "
             "best peer's est" % ((l2_bytes() >> 10,) + EST)])
    peers = [a.name for a in allocs if a.kind != "tide"]
    ratios = {a.name: [] for a in allocs}
    for w in workloads:
        lines = ["", "  %s (scale %g)" % (w.name, w.quick),
                  "  " + col("allocator") + "%10s %9s %9s %10s %6s" % ("I", "D1", "LL", "est", "x")]
        got = {}
        for a in allocs:
            got[a.name] = measure(ctx, w, a, env_for(a, w), check)
        est = {n: sum(k * c for k, c in zip(EST, v)) for n, v in got.items() if isinstance(v, tuple)}
        best = min((est[n] for n in peers if n in est), default=None)
        for a in allocs:
            v = got[a.name]
            if not isinstance(v, tuple):
                lines.append("  " + col(a.name) + "  FAILED: " + v)
                continue
            x = est[a.name] / best if best else float("nan")
            ratios[a.name].append(x)
            lines.append("  " + col(a.name) + "%9.1fM %8.2fM %8.3fM %9.1fM %6.2f" %
                         (v[0] / 1e6, v[1] / 1e6, v[2] / 1e6, est[a.name] / 1e6, x))
        emit(lines)
    lines = ["", "  geometric mean of est x best peer:"]
    for a in allocs:
        xs = [x for x in ratios[a.name] if x == x]
        if xs:
            g = 1.0
            for x in xs:
                g *= x
            lines.append("  " + col(a.name) + " %6.2f  (%d workloads)" % (g ** (1 / len(xs)), len(xs)))
    emit(lines)
