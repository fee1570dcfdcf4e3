"""bench/runner/callgrind.py - instructions per malloc+free pair, counted
by valgrind's callgrind (repeatable, unlike timings on shared cores).

For each allocator and size, build/bench/pairs runs N and then 2N pairs
(batches of 128); the difference in instructions divided by N is the cost
of one pair in steady state, with start-up, the first brk or mmap and
exit not counted. The figure includes the caller's loop (storing and
loading the pointer, the call through the PLT): that share is the same
for every allocator and is shown on its own, from run_batches' exclusive
cost (callgrind_annotate).
"""
import os
import re
import shutil
import subprocess
import tempfile

from measure import run_once

PAIRS = 100000          # N; the runs do N and 2N pairs


def collected(stderr):
    """Total instructions from callgrind's "Collected : N" line."""
    m = re.search(r"Collected\s*:\s*(\d+)", stderr)
    return int(m.group(1)) if m else None


def loop_instructions(outfile):
    """Exclusive instructions of run_batches in a callgrind output file."""
    annotate = shutil.which("callgrind_annotate")
    if not annotate:
        return None
    out = subprocess.run([annotate, "--inclusive=no", "--threshold=100", outfile],
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        if "run_batches" in line:
            return int(line.split()[0].replace(",", ""))
    return None


def count(ctx, alloc, env, size, pairs, outfile):
    """(total instructions, run_batches' own, error) of pairs on alloc."""
    valgrind = shutil.which("valgrind")
    argv = [valgrind, "--tool=callgrind", "--callgrind-out-file=" + outfile,
            ctx.prog("pairs"), "%g" % (pairs / 1e6), str(size)]
    run = run_once(argv, env, need_rss=False, timeout=600)
    if run.error:
        return None, None, run.error
    if run.allocators != [alloc.name]:
        return None, None, "malloc served by %s, not %s" % (run.allocators, alloc.name)
    return collected(run.stderr), loop_instructions(outfile), ""


def per_pair(ctx, alloc, env, size):
    """(instructions per pair, loop share per pair, error)."""
    with tempfile.TemporaryDirectory() as tmp:
        a, la, err = count(ctx, alloc, env, size, PAIRS, os.path.join(tmp, "n.out"))
        if err:
            return None, None, err
        b, lb, err = count(ctx, alloc, env, size, 2 * PAIRS, os.path.join(tmp, "2n.out"))
        if err:
            return None, None, err
    if a is None or b is None:
        return None, None, "no 'Collected' line from callgrind"
    loop = (lb - la) / PAIRS if la is not None and lb is not None else None
    return (b - a) / PAIRS, loop, ""


def report(ctx, allocs, env_for, sizes):
    """Runs the measurements; returns report lines."""
    lines = ["", "== callgrind: instructions per malloc+free pair (batches of 128, "
             "N=%d vs 2N pairs)" % PAIRS,
             "  %-9s" % "allocator" + "".join(" %9s" % ("%d B" % s) for s in sizes)]
    loops = {}
    for alloc in allocs:
        cells = []
        for size in sizes:
            n, loop, err = per_pair(ctx, alloc, env_for(alloc, False), size)
            if err:
                cells.append("   FAILED")
                lines.append("  (%s, %d B: %s)" % (alloc.name, size, err))
                continue
            cells.append(" %9.1f" % n)
            if loop is not None:
                loops[size] = loop
        lines.append("  %-9s" % alloc.name + "".join(cells))
    if loops:
        lines.append("  of which the benchmark's own loop (same for all): " +
                     ", ".join("%.1f at %d B" % (loops[s], s) for s in sorted(loops)))
    return lines
