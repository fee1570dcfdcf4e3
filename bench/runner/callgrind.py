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
from report import col

PAIRS = 100000          # N; the runs do N and 2N pairs


def collected(stderr):
    """Total instructions from callgrind's "Collected : N" line."""
    m = re.search(r"Collected\s*:\s*(\d+)", stderr)
    return int(m.group(1)) if m else None


def function_costs(outfile):
    """{"file.c:function": exclusive instructions} from a callgrind output
    file, through callgrind_annotate; {} if that tool is missing."""
    annotate = shutil.which("callgrind_annotate")
    if not annotate:
        return {}
    out = subprocess.run([annotate, "--inclusive=no", "--auto=no", "--threshold=100", outfile],
                         capture_output=True, text=True).stdout
    costs = {}
    # "5,540,144 (16.19%)  /work/main/allocator/heap.c:arena_malloc [.../libtide.so]"
    for m in re.finditer(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+(\S+)", out, re.M):
        if ":" not in m.group(2):
            continue
        label = os.path.basename(m.group(2))
        costs[label] = costs.get(label, 0) + int(m.group(1).replace(",", ""))
    return costs


def count(ctx, alloc, env, size, pairs, outfile):
    """(total instructions, {function: instructions}, error) of pairs on alloc."""
    valgrind = shutil.which("valgrind")
    argv = [valgrind, "--tool=callgrind", "--callgrind-out-file=" + outfile,
            ctx.prog("pairs"), "%g" % (pairs / 1e6), str(size)]
    run = run_once(argv, env, need_rss=False, timeout=600)
    if run.error:
        return None, None, run.error
    if run.allocators != [alloc.kind]:
        return None, None, "malloc served by %s, not %s" % (run.allocators, alloc.kind)
    return collected(run.stderr), function_costs(outfile), ""


def per_pair(ctx, alloc, env, size):
    """(instructions per pair, {function: instructions per pair}, error)."""
    with tempfile.TemporaryDirectory() as tmp:
        a, fa, err = count(ctx, alloc, env, size, PAIRS, os.path.join(tmp, "n.out"))
        if err:
            return None, None, err
        b, fb, err = count(ctx, alloc, env, size, 2 * PAIRS, os.path.join(tmp, "2n.out"))
        if err:
            return None, None, err
    if a is None or b is None:
        return None, None, "no 'Collected' line from callgrind"
    funcs = {f: (fb[f] - fa.get(f, 0)) / PAIRS for f in fb}
    return (b - a) / PAIRS, funcs, ""


def loop_share(funcs):
    """Instructions per pair spent in the benchmark's own loop."""
    return sum(v for f, v in funcs.items() if f.endswith(":run_batches"))


def top_functions(name, size, funcs, count=8):
    """Report lines: the functions costing the most per pair."""
    top = sorted(((v, f) for f, v in funcs.items() if v >= 0.5), reverse=True)[:count]
    return ["  %s, %d B: " % (name, size) +
            ", ".join("%s %.1f" % (f, v) for v, f in top)]


def report(ctx, allocs, env_for, sizes, functions=False):
    """Runs the measurements; returns report lines. functions: also list
    each allocator's costliest functions per pair."""
    lines = ["", "== callgrind: instructions per malloc+free pair (batches of 128, "
             "N=%d vs 2N pairs)" % PAIRS,
             "  " + col("allocator") + "".join(" %9s" % ("%d B" % s) for s in sizes)]
    loops, details = {}, []
    for alloc in allocs:
        cells = []
        for size in sizes:
            n, funcs, err = per_pair(ctx, alloc, env_for(alloc, False), size)
            if err:
                cells.append("   FAILED")
                details.append("  (%s, %d B: %s)" % (alloc.name, size, err))
                continue
            cells.append(" %9.1f" % n)
            if funcs:
                loops[size] = loop_share(funcs)
                if functions:
                    details += top_functions(alloc.name, size, funcs)
        lines.append("  " + col(alloc.name) + "".join(cells))
    if loops:
        lines.append("  of which the benchmark's own loop (the same for all): " +
                     ", ".join("%.1f at %d B" % (loops[s], s) for s in sorted(loops)))
    if details:
        lines += ["", "  costliest functions, instructions per pair:"] + details
    return lines
