#!/usr/bin/env python3
"""tests/libc/run.py BUILD_DIR - the libc suite on Linux.

1. Runs table.glibc (the table built against glibc) and table.elf (the same
   source built against our libc); each group of lines ("printf-int-d: ...")
   is one test that passes when all its lines are identical.
2. Runs unit.elf (our libc only) and counts its ok/FAIL lines.
3. Runs unit.elf in its ways of ending: abort, assert, exit N, atexit.
4. Runs contract.elf (the port checklist) on this Linux: every item must hold.
Ends with "libc: N passed, M failed"; exits 1 if anything failed.
"""
import os
import subprocess
import sys

build = sys.argv[1]
passed = failed = 0


def result(ok, name, why=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok {name}")
    else:
        failed += 1
        print(f"FAIL {name}: {why}")


def run(args, env=None):
    p = subprocess.run(args, capture_output=True, env=env, timeout=60)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def groups(text):
    out = {}
    for line in text.split("\n")[:-1]:   # not splitlines: \v \f \r are data
        out.setdefault(line.split(":", 1)[0] or "(empty)", []).append(line)
    return out


def kebab(group):
    """printf-int-X -> printf-int-x-upper, strtok_r -> strtok-r"""
    group = group.replace("_", "-")
    if group[-1].isupper():
        group = group[:-1] + group[-1].lower() + "-upper"
    return group


def compare_tables():
    rc_g, ref, _ = run([f"{build}/table.glibc"])
    rc_o, ours, err = run([f"{build}/table.elf"])
    result(rc_g == 0 and rc_o == 0, "table-programs-exit-zero", f"glibc {rc_g}, ours {rc_o}: {err[:200]}")
    g, o = groups(ref), groups(ours)
    for name in g:
        a, b = g[name], o.get(name, [])
        bad = [(x, y) for x, y in zip(a, b) if x != y]
        if len(a) != len(b):
            bad.append((f"{len(a)} lines", f"{len(b)} lines"))
        why = "; ".join(f"glibc {x!r} ours {y!r}" for x, y in bad[:3])
        result(not bad, f"vs-glibc-{kebab(name)}", f"{len(bad)} lines differ: {why}")


def unit_table():
    env = dict(os.environ, LIBC_UNIT_VAR="a=b")
    rc, out, err = run([f"{build}/unit.elf", "one", "two words"], env)
    seen = 0
    for line in out.splitlines():
        if line.startswith("ok ") or line.startswith("FAIL "):
            seen += 1
            print(line)
            if line.startswith("ok "):
                global passed
                passed += 1
            else:
                global failed
                failed += 1
    result(rc == 0 and seen > 0 and "unit:" in out, "unit-program-completes",
           f"rc {rc}, {seen} results, stderr {err[:200]!r}")


def endings():
    exe = f"{build}/unit.elf"
    rc, out, err = run([exe, "abort"])
    result(rc == 134 and out == "" and err == "", "abort-exits-134-flushes-nothing",
           f"rc {rc} out {out!r} err {err!r}")
    rc, out, err = run([exe, "assert"])
    result(rc == 134 and "Assertion `argc == 99' failed." in err and "unit.c" in err,
           "assert-failure-message-and-134", f"rc {rc} err {err!r}")
    rc, out, err = run([exe, "exit", "42"])
    result(rc == 42 and out == "exiting with 42 (no newline: exit must flush)",
           "exit-status-and-flush", f"rc {rc} out {out!r}")
    rc, out, err = run([exe, "atexit"])
    want = "atexit: registered second, runs first\natexit: registered first, runs last\n"
    result(rc == 0 and out == want, "atexit-handlers-run-in-reverse", f"rc {rc} out {out!r}")


def contract():
    rc, out, err = run([f"{build}/contract.elf"])
    for line in out.splitlines():
        if line.startswith("ok ") or line.startswith("FAIL "):
            result(line.startswith("ok "), "contract-" + line.split(" ", 2)[1].rstrip(":"),
                   line.split(": ", 1)[-1])
    result("contract:" in out, "contract-program-completes", f"rc {rc} {err[:200]!r}")


compare_tables()
unit_table()
endings()
contract()
print(f"libc: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
