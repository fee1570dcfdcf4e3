#!/usr/bin/env python3
"""tests/demos/run.py MODE DIR DEMO... - run the seeds' demos.

MODE "show": prints each demo's output (the heap dumps it asks for go to
DIR/NAME.heap.jsonl and become DIR/NAME.svg through tools/heapsvg).
MODE "test": also runs them, quietly, and adds up the checks each demo
prints ("S7: 4 passed, 0 failed"); a demo that exits badly is one failure.
MODE "kernel-show" (DIR DEMO... -- QEMU COMMAND...): "show" inside our
kernel: the serial output without the dumps, pictures in DIR/kernel/.
MODE "kernel" (DIR DEMO... -- QEMU COMMAND...): boots our kernel once with
every demo as a module (each given --json; a NAME with a slash is a
program path, such as the port contract), splits the serial output per
program at the kernel's "[kernel] exit PATH status N" lines, checks them
the same way, and leaves DIR/kernel/NAME.svg pictures.
S12 ends by writing to an unmapped address: for it, being killed by
SIGSEGV (status 139) is the expected end. Ends with
"demos: N passed, M failed" ("demos-kernel: ..." in kernel mode).
"""
import os
import re
import resource
import signal
import subprocess
import sys

SUMMARY = re.compile(r"^(S\d+|contract): (\d+) passed, (\d+) failed$")
EXPECT_SEGV = {"s12"}


def no_core_dump():
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))   # S12 ends in SIGSEGV


def run_demo(exe, json_dumps):
    args = [exe] + (["--json"] if json_dumps else [])
    try:
        p = subprocess.run(args, capture_output=True, timeout=120, preexec_fn=no_core_dump)
    except subprocess.TimeoutExpired:
        return None, "", "timeout"
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def ended_well(name, rc):
    if name in EXPECT_SEGV:
        return rc in (-signal.SIGSEGV, 139)
    return rc == 0


def show(outdir, names):
    for name in names:
        rc, out, err = run_demo(os.path.join(outdir, f"{name}.elf"), True)
        print("\n".join(l for l in out.splitlines() if not l.startswith("@heap ")))
        if err:
            print(err, end="")
        if name in EXPECT_SEGV and ended_well(name, rc):
            print(f"   ({name} was stopped by the kernel: SIGSEGV, as it should be)")
        elif rc != 0:
            print(f"   ({name} exited with status {rc})")
        dumps = split_dumps(out)
        if dumps:
            write_picture(os.path.join(outdir, name), dumps)
            print(f"   heap picture: {os.path.join(outdir, name)}.svg ({len(dumps)} steps)")
        print()
    return 0


def split_dumps(out):
    dumps = [l[len("@heap "):] for l in out.splitlines() if l.startswith("@heap ")]
    return dumps


def write_picture(path_base, dumps):
    if not dumps:
        return
    here = os.path.dirname(os.path.abspath(__file__))
    heapsvg = os.path.join(here, "..", "..", "tools", "heapsvg")
    with open(path_base + ".heap.jsonl", "w") as f:
        f.write("\n".join(dumps) + "\n")
    subprocess.run([sys.executable, heapsvg, path_base + ".heap.jsonl", "-o", path_base + ".svg"],
                   check=False)


EXIT_LINE = re.compile(r"^\[kernel\] exit (\S+) status (\d+)")


def kernel_outputs(outdir, names, qemu):
    """Boots once; returns {name: (status or None, output)}."""
    mods = ",".join((n if "/" in n else f"{outdir}/{n}.elf") + " --json" for n in names)
    try:
        p = subprocess.run(qemu + ["-initrd", mods], capture_output=True, timeout=300)
        serial, rc = p.stdout.decode(errors="replace").replace("\r", ""), p.returncode
    except subprocess.TimeoutExpired as e:
        serial, rc = (e.stdout or b"").decode(errors="replace"), None
    results, current = {}, []
    for line in serial.splitlines():
        m = EXIT_LINE.match(line)
        if m:
            name = os.path.basename(m.group(1))[:-len(".elf")]
            results[name] = (int(m.group(2)), "\n".join(current))
            current = []
        else:
            current.append(line)
    return results, rc, serial


def kernel_show(outdir, names, qemu):
    results, qrc, serial = kernel_outputs(outdir, names, qemu)
    os.makedirs(os.path.join(outdir, "kernel"), exist_ok=True)
    print("\n".join(l for l in serial.splitlines() if not l.startswith("@heap ")))
    for name in names:
        dumps = split_dumps(results.get(name, (None, ""))[1])
        if dumps:
            write_picture(os.path.join(outdir, "kernel", name), dumps)
            print(f"heap picture: {os.path.join(outdir, 'kernel', name)}.svg ({len(dumps)} steps)")
    return 0 if qrc == 33 else 1


def test(outdir, names, qemu=None):
    passed = failed = 0
    suite = "demos"
    if qemu:
        suite = "demos-kernel"
        results, qrc, serial = kernel_outputs(outdir, names, qemu)
        os.makedirs(os.path.join(outdir, "kernel"), exist_ok=True)
        with open(os.path.join(outdir, "kernel", "serial.log"), "w") as f:
            f.write(serial)
        if qrc != 33:
            print(f"FAIL kernel-ran-every-program: qemu exited {qrc} (33: done, 9: panic, 0: triple fault)")
            failed += 1
    for name in names:
        if "/" in name:   # a program given by path (the port contract)
            name = os.path.basename(name)[:-len(".elf")]
        if qemu:
            status, out = results.get(name, (None, ""))
            rc, err = (139 if status == 139 else status), ""
            write_picture(os.path.join(outdir, "kernel", name), split_dumps(out))
            if name in EXPECT_SEGV and status == 139 and "segfault at" not in out:
                rc = "139 without a 'segfault at' line"
        else:
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
    print(f"{suite}: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    mode, outdir, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    names, qemu = rest, None
    if "--" in rest:
        names, qemu = rest[:rest.index("--")], rest[rest.index("--") + 1:]
    if mode == "show":
        sys.exit(show(outdir, names))
    if mode == "kernel-show":
        sys.exit(kernel_show(outdir, names, qemu))
    sys.exit(test(outdir, names, qemu if mode == "kernel" else None))
