#!/usr/bin/env python3
"""tests/demos/run.py MODE DIR DEMO... - run the seeds' demos on Linux.

MODE "show": prints each demo's output (the heap dumps it asks for go to
DIR/NAME.heap.jsonl and become DIR/NAME.svg through tools/heapsvg).
MODE "test": also runs them, quietly, and adds up the checks each demo
prints ("S7: 4 passed, 0 failed"); a demo that exits badly is one failure.
S12 ends by writing to an unmapped address: for it, being killed by
SIGSEGV (status 139) is the expected end. Ends with
"demos: N passed, M failed".
"""
import os
import re
import signal
import subprocess
import sys

SUMMARY = re.compile(r"^(S\d+): (\d+) passed, (\d+) failed$")
EXPECT_SEGV = {"s12"}


def run_demo(exe, json_dumps):
    args = [exe] + (["--json"] if json_dumps else [])
    try:
        p = subprocess.run(args, capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        return None, "", "timeout"
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def ended_well(name, rc):
    if name in EXPECT_SEGV:
        return rc in (-signal.SIGSEGV, 139)
    return rc == 0


def show(outdir, names):
    here = os.path.dirname(os.path.abspath(__file__))
    heapsvg = os.path.join(here, "..", "..", "tools", "heapsvg")
    for name in names:
        rc, out, err = run_demo(os.path.join(outdir, f"{name}.elf"), True)
        dumps = [l[len("@heap "):] for l in out.splitlines() if l.startswith("@heap ")]
        text = "\n".join(l for l in out.splitlines() if not l.startswith("@heap "))
        print(text)
        if err:
            print(err, end="")
        if name in EXPECT_SEGV and ended_well(name, rc):
            print(f"   ({name} was stopped by the kernel: SIGSEGV, as it should be)")
        elif rc != 0:
            print(f"   ({name} exited with status {rc})")
        if dumps:
            jsonl = os.path.join(outdir, f"{name}.heap.jsonl")
            with open(jsonl, "w") as f:
                f.write("\n".join(dumps) + "\n")
            svg = os.path.join(outdir, f"{name}.svg")
            subprocess.run([sys.executable, heapsvg, jsonl, "-o", svg], check=False)
            print(f"   heap picture: {svg} ({len(dumps)} steps)")
        print()
    return 0


def test(outdir, names):
    passed = failed = 0
    for name in names:
        rc, out, err = run_demo(os.path.join(outdir, f"{name}.elf"), False)
        got = None
        for line in out.splitlines():
            if line.startswith("FAIL "):
                print(f"{name}: {line}")
            m = SUMMARY.match(line)
            if m:
                got = (int(m.group(2)), int(m.group(3)))
        if got is None:
            print(f"FAIL {name}: no summary line (rc {rc}) {err[:300]}")
            failed += 1
            continue
        passed += got[0]
        failed += got[1]
        if ended_well(name, rc):
            passed += 1
            print(f"ok {name}: {got[0]} checks passed, {got[1]} failed, ended as expected")
        else:
            failed += 1
            print(f"FAIL {name}: exit status {rc} {err[:300]}")
    print(f"demos: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    mode, outdir, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    sys.exit(show(outdir, names) if mode == "show" else test(outdir, names))
