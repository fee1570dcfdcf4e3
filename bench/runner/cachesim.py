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

One correction: valgrind counts each step of a string instruction as one
instruction, so glibc's memcpy, memmove and memset, which use `rep movsb`
and `rep stosb` for blocks of a few KiB and more, cost one "instruction"
per byte (1 MiB copied: 1.05M). The CPU moves about 32 bytes a cycle that
way. So the bytes those lines move (a source line of glibc's mem*.S files
whose counts say one write, and for a move one read, per step) count
1/STRING_BYTES_PER_I each in I and est, and are shown in the "moved" column.
"""
import os
import re
import shutil
import tempfile

from measure import run_once
from report import col

EST = (1, 10, 150)   # cycles per instruction, per D1 miss, per LL miss
STRING_BYTES_PER_I = 32


def string_bytes(out_file):
    """Bytes moved by rep movsb / rep stosb in glibc's mem*.S, from a
    cachegrind out file (events Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw)."""
    moved, in_mem = 0, False
    try:
        with open(out_file) as f:
            for line in f:
                if line.startswith("fl="):
                    in_mem = re.search(r"/mem(move|cpy|set)[^/]*\.S$", line.strip()) is not None
                elif in_mem and line[:1].isdigit():
                    v = [int(x) for x in line.split()[1:]] + [0] * 9
                    ir, dr, dw = v[0], v[3], v[6]
                    # a step reads one byte (but for stosb) and writes one;
                    # the instruction itself adds a little when it starts
                    if ir > 1000 and dw >= ir - ir // 64 and dr in (0, dw):
                        moved += dw
    except OSError:
        pass
    return moved


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
        if not got:
            return "no summary from cachegrind"
        moved = string_bytes(os.path.join(tmp, "out"))
    ir, d1, ll = got
    return (ir - moved + moved // STRING_BYTES_PER_I, d1, ll, moved)


def report(ctx, workloads, allocs, env_for, check):
    """Runs every workload under every allocator; prints the report as it
    goes (a workload takes a minute or two)."""
    def emit(lines):
        print("\n".join(lines), flush=True)

    emit(["", "== cachegrind model: instructions (I), first-level data misses (D1), "
             "last-level data misses (LL, %d KiB), est = %d I + %d D1 + %d LL; x: ratio to the "
             "best peer's est; moved: bytes of rep movsb/stosb, counted 1/%d each in I"
             % ((l2_bytes() >> 10,) + EST + (STRING_BYTES_PER_I,))])
    peers = [a.name for a in allocs if a.kind != "tide"]
    ratios = {a.name: [] for a in allocs}
    for w in workloads:
        lines = ["", "  %s (scale %g)" % (w.name, w.quick),
                  "  " + col("allocator") + "%10s %9s %9s %10s %6s %9s" % ("I", "D1", "LL", "est", "x", "moved")]
        got = {}
        for a in allocs:
            got[a.name] = measure(ctx, w, a, env_for(a, w), check)
        est = {n: sum(k * c for k, c in zip(EST, v[:3])) for n, v in got.items() if isinstance(v, tuple)}
        best = min((est[n] for n in peers if n in est), default=None)
        for a in allocs:
            v = got[a.name]
            if not isinstance(v, tuple):
                lines.append("  " + col(a.name) + "  FAILED: " + v)
                continue
            x = est[a.name] / best if best else float("nan")
            ratios[a.name].append(x)
            lines.append("  " + col(a.name) + "%9.1fM %8.2fM %8.3fM %9.1fM %6.2f %8.1fM" %
                         (v[0] / 1e6, v[1] / 1e6, v[2] / 1e6, est[a.name] / 1e6, x, v[3] / 1e6))
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
