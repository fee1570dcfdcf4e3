#!/usr/bin/env python3
"""tests/kernel/harness.py - the kernel test suite.

Boots QEMU (TCG) with the kernel and a batch of programs per boot, reads the
serial output and QEMU's exit code (isa-debug-exit: 33 = every program ran;
9 = kernel panic; 0 = triple fault; 124 = timeout), splits the output per
program on the kernel's "[kernel] exit NAME status S: ..." lines and checks
each program: exit status, the kernel's lines it must provoke, no frame
leaked, and every "ok X" / "FAIL X: why" line the program printed itself.
Programs from tests/progs/ also run natively on Linux; their output (without
lines starting with "#", which carry addresses and timings, and
the kernel's "[kernel]" lines) and status must be the same.

Usage: harness.py KERNEL_ELF BUILD_DIR [QEMU]
Prints "ok NAME" or "FAIL NAME: why" per test, then "kernel: N passed, M failed".
"""
import os
import re
import subprocess
import sys
import time

KERNEL, BUILD = sys.argv[1], sys.argv[2]
QEMU = sys.argv[3] if len(sys.argv) > 3 else "qemu-system-x86_64"
ACCEL = os.environ.get("QEMU_ACCEL", "tcg")
KT = os.path.join(BUILD, "kernel-tests")
PROGS = os.path.join(BUILD, "progs")
BOOT_TIMEOUT = 30

passed = failed = 0


def result(name, why=None):
    global passed, failed
    if why is None:
        passed += 1
        print(f"ok {name}")
    else:
        failed += 1
        print(f"FAIL {name}: {why}")
    sys.stdout.flush()


class Prog:
    """One program of a boot and what it must do."""

    def __init__(self, path, test, status=0, expect=(), args="", linux=False,
                 optional=False):
        self.path, self.test, self.status = path, test, status
        self.expect, self.args, self.linux = list(expect), args, linux
        self.optional = optional   # skipped (not failed) when not built


def boot(name, progs, mem="128M", env=""):
    """Boots once with every program (env: NAME=VALUE words for all of
    them, through the kernel command line); returns (qemu rc, lines)."""
    mods = ",".join((p.path + (" " + p.args if p.args else "")) for p in progs)
    cmd = [QEMU, "-M", "microvm", "-nodefaults", "-m", mem, "-display", "none",
           "-monitor", "none", "-serial", "stdio", "-no-reboot",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-accel", ACCEL, "-kernel", KERNEL, "-initrd", mods]
    if env:
        cmd += ["-append", env]
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=BOOT_TIMEOUT)
        rc, out = r.returncode, r.stdout
    except subprocess.TimeoutExpired as e:
        rc, out = 124, e.stdout or b""
    text = out.decode("utf-8", "replace").replace("\r", "")
    return rc, text.split("\n")


EXIT_RE = re.compile(r"^\[kernel\] exit (\S+) status (-?\d+): .*frames free before "
                     r"(\d+) after (\d+) \((.*)\)$")


def split_programs(lines):
    """[(name, status, leak or None, lines)] in the order the programs ran."""
    runs, cur = [], []
    for line in lines:
        m = EXIT_RE.match(line)
        if m:
            leak = None if m.group(5) == "none leaked" else \
                f"{m.group(5)} (free frames {m.group(3)} before, {m.group(4)} after)"
            runs.append((m.group(1), int(m.group(2)), leak, cur))
            cur = []
        else:
            cur.append(line)
    return runs


def run_linux(prog):
    """Runs the program natively: (status, lines)."""
    try:
        r = subprocess.run([prog.path] + prog.args.split(), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
        rc = r.returncode if r.returncode >= 0 else 128 - r.returncode
        return rc, r.stdout.decode("utf-8", "replace").split("\n")
    except subprocess.TimeoutExpired:
        return 124, []


def check_program(prog, run):
    name, status, leaked, lines = run
    for line in lines:   # the program's own verdicts
        m = re.match(r"^(ok|FAIL) ([a-z0-9-]+)(: .*| #.*)?$", line)
        if m:
            why = (m.group(3) or ": ")[2:] or "failed"
            result(m.group(2), None if m.group(1) == "ok" else why)
    why = None
    if status != prog.status:
        why = f"exit status {status}, want {prog.status}"
    elif leaked:
        why = leaked
    for pat in prog.expect:
        if not why and not any(re.search(pat, l) for l in lines):
            why = f"no line matching {pat!r}"
    if not why and any(l.startswith("[kernel] panic") for l in lines):
        why = "kernel panic"
    result(prog.test, why)
    if prog.linux:
        lrc, llines = run_linux(prog)
        ours = [l for l in lines if not l.startswith(("[kernel]", "#"))]
        llines = [l for l in llines if not l.startswith("#")]
        llines = llines[:-1] if llines and llines[-1] == "" else llines
        if ours and ours[0] == "" and (not llines or llines[0] != ""):
            ours = ours[1:]
        if lrc != status:
            result(prog.test + "-same-on-linux", f"linux status {lrc}, kernel {status}")
        elif ours != llines:
            diff = next((i for i, (a, b) in enumerate(zip(ours, llines)) if a != b),
                        min(len(ours), len(llines)))
            result(prog.test + "-same-on-linux",
                   f"line {diff + 1}: kernel {ours[diff:diff+1]} linux {llines[diff:diff+1]}")
        else:
            result(prog.test + "-same-on-linux")


def run_boot(name, progs, mem="128M", env=""):
    for p in progs:
        if not os.path.exists(p.path) and not p.optional:
            result(p.test, f"{p.path} was not built")
    progs = [p for p in progs if os.path.exists(p.path)]
    if not progs:
        return
    t0 = time.time()
    rc, lines = boot(name, progs, mem, env)
    runs = split_programs(lines)
    for i, prog in enumerate(progs):
        if i < len(runs):
            check_program(prog, runs[i])
        else:
            result(prog.test, "did not run to its end")
    boot_lines = [l for l in lines if l.startswith("[kernel] frames")]
    frees = [re.search(r"(\d+) free", l).group(1) for l in boot_lines]
    if rc != 33:
        why = {0: "triple fault", 9: "kernel panic", 124: "timeout"}.get(rc, "?")
        tail = " | ".join(l for l in lines[-4:] if l)
        result(f"boot-{name}", f"qemu exit {rc} ({why}); last lines: {tail}")
    elif len(frees) != 2 or frees[0] != frees[1]:
        result(f"boot-{name}", f"free frames at boot/end differ: {frees}")
    else:
        result(f"boot-{name}")
    print(f"# boot {name}: {len(progs)} program(s) in {time.time() - t0:.2f} s")


def kt(name):
    return os.path.join(KT, name + ".elf")


def pg(name):
    return os.path.join(PROGS, name + ".elf")


def main():
    t0 = time.time()
    hello = Prog(kt("hello"), "next-program-runs-after-kill-with-argv-and-env", 0,
                 [r"^hello after the others: a b$", r"^HELLO=world$"], args="a b")
    seg = r"^\[kernel\] segfault at 0x%s ip 0x[0-9a-f]+ \(%s\)$"
    run_boot("kills", [
        Prog(kt("segv-stray"), "pf-outside-vma-kills-program", 139,
             [seg % ("100000000000", "not mapped")]),
        Prog(kt("segv-null"), "pf-null-pointer-kills-program", 139,
             [seg % ("0", "not mapped")]),
        Prog(kt("segv-readonly"), "pf-write-to-code-kills-program", 139,
             [seg % ("[0-9a-f]+", "protection")]),
        Prog(kt("segv-mprotect"), "pf-write-after-mprotect-read-kills-program", 139,
             [r"^read after mprotect: 1$", seg % ("[0-9a-f]+", "protection")]),
        Prog(kt("segv-prot-none"), "pf-read-prot-none-kills-program", 139,
             [seg % ("[0-9a-f]+", "protection")]),
        Prog(kt("segv-kernel"), "pf-user-reads-kernel-kills-program", 139,
             [seg % ("ffffffff80100000", "kernel address")]),
        Prog(kt("segv-exec-data"), "pf-exec-non-exec-page-kills-program", 139,
             [seg % ("[0-9a-f]+", "protection")]),
        Prog(kt("gp-noncanonical"), "gp-noncanonical-kills-program", 139,
             [r"^\[kernel\] general protection fault at ip 0x"]),
        Prog(kt("ud2"), "invalid-opcode-kills-program-sigill", 132,
             [r"^\[kernel\] invalid opcode at ip 0x"]),
        Prog("tests/kernel/run-in-kernel", "elf-loader-refuses-a-script", 126,
             [r"^\[kernel\] cannot run the program: not an ELF file$"]),
        Prog("/bin/true", "elf-loader-refuses-a-pie-binary", 126,
             [r"^\[kernel\] cannot run the program: not a static executable"]),
        hello,
    ], env="HELLO=world")
    run_boot("oom", [
        Prog(kt("oom"), "oom-kills-program-cleanly", 137,
             [r"^\[kernel\] out of memory: killed process \d+ \(\S+\) total-vm:\d+kB "
              r"anon-rss:\d+kB$"]),
        Prog(kt("hello"), "kernel-survives-oom", 0, [r"^hello after the others:$"]),
    ], mem="48M")
    progs = sorted(f[:-2] for f in os.listdir("tests/progs") if f.endswith(".c"))
    run_boot("trace", [
        Prog(pg("demand-paging"), "kernel-traces-faults-and-memory-calls", 0,
             [r"^\[kernel\] fault 1: (read|write) at 0x[0-9a-f]+ -> area [0-9a-f]+-[0-9a-f]+ "
              r"[r-][w-][x-] -> .* mapped at [0-9a-f]+ -> retry$",
              r"^\[kernel\] mmap\(0x0, \d+, 0x3, 0x22, -1, 0\) = 0x[0-9a-f]+$",
              r"^\[kernel\] brk\(0x0\) = 0x[0-9a-f]+$"]),
        Prog(kt("hello"), "kernel-options-stay-out-of-env", 0,
             [r"^hello after the others:$", r"^HELLO=1$"]),
    ], env="kernel.tracefaults=2 kernel.tracemem=1 HELLO=1")
    # Programs that end by a signal, the same on Linux: status and kernel line.
    special = {"cpu-limit": (152, [r"^\[kernel\] cpu time limit \(1 s\) exceeded"]),
               "stack-growth": (139, [r"^\[kernel\] segfault at 0x7fff[0-9a-f]+ ip 0x[0-9a-f]+ "
                                      r"\(not mapped\)$"])}
    run_boot("progs", [Prog(pg(n), "prog-" + n, *special.get(n, (0, [])), linux=True)
                       for n in progs])
    others = [Prog(kt(n), n, 0)
              for n in ("syscall-kernel", "syscall-fuzz", "kernel-allocators",
                        "pagetables-freed")]
    # The allocator's own stress test: 3000 steps, tide_check() every 16
    # (about 5 s under TCG; the full 20000 steps take minutes there).
    others.append(Prog(kt("stress"), "allocator-stress-runs-in-kernel", 0,
                       args="3000 1 16", optional=not os.path.exists("tests/stress/stress.c")))
    run_boot("kernel-only", others)
    print(f"# kernel suite: {time.time() - t0:.1f} s under {ACCEL}")
    print(f"kernel: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
