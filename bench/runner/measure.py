"""bench/runner/measure.py - runs one command once and measures it: wall
time around spawn..wait4, exit status, peak RSS (VmHWM, reported at exit
by the preload probe: wait4's ru_maxrss would include this Python
process's own peak, which Linux carries across exec) and the lines of the
output protocol (allocator, checksum, metrics, excluded seconds).
stdin/stdout/stderr go through temporary files so no pipe can stall the
child.
"""
import hashlib
import os
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Run:
    wall: float = 0.0             # seconds, minus what the program excluded
    cpu: float = 0.0              # user + system seconds of the child (wait4)
    maxrss_kib: int = 0           # VmHWM reported by the probe at exit
    status: int = 0               # exit code, or -signal
    allocators: list = field(default_factory=list)   # names reported
    checksum: str = ""
    metrics: dict = field(default_factory=dict)
    error: str = ""               # why this run does not count
    stdout: str = ""
    stderr: str = ""


def parse_protocol(run):
    """Fills run's protocol fields from its output. The allocator is
    reported by our own programs on stdout and by the probe on stderr;
    every report counts (a real program has only the probe's)."""
    for line in run.stdout.splitlines():
        if line.startswith("allocator: "):
            run.allocators.append(line.split()[1])
    for line in run.stderr.splitlines():
        if line.startswith("bench-probe: allocator: "):
            run.allocators.append(line.split()[2])
        elif line.startswith("bench-probe: peak_rss_kib: "):
            run.maxrss_kib = max(run.maxrss_kib, int(line.split()[2]))
    excluded = 0.0
    for line in run.stdout.splitlines():
        if line.startswith("checksum: "):
            run.checksum = line.split()[1]
        elif line.startswith("metric: "):
            _, name, value = line.split()
            run.metrics[name] = float(value)
        elif line.startswith("excluded_s: "):
            excluded = float(line.split()[1])
    if not run.checksum:   # real programs: their whole output is the result
        run.checksum = hashlib.sha1(run.stdout.encode()).hexdigest()[:16]
    run.wall -= excluded


def spawn_and_wait(argv, env, stdin_file, out, err, timeout):
    """Starts argv, waits for it (killing it after timeout seconds);
    returns (wall seconds, exit code or -signal, CPU seconds)."""
    actions = [(os.POSIX_SPAWN_DUP2, stdin_file.fileno(), 0),
               (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
               (os.POSIX_SPAWN_DUP2, err.fileno(), 2)]
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    killer = threading.Timer(timeout, lambda: os.kill(pid, signal.SIGKILL))
    killer.start()
    try:
        _, status, usage = os.wait4(pid, 0)
    finally:
        killer.cancel()
    wall = time.perf_counter() - t0
    return wall, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime


def run_once(argv, env, stdin_bytes=None, need_rss=True, timeout=120.0):
    """Runs argv once with env; returns a Run (error set if it failed).
    need_rss: the probe must have reported the peak RSS."""
    run = Run()
    with tempfile.TemporaryFile() as inp, tempfile.TemporaryFile() as out, \
            tempfile.TemporaryFile() as err:
        if stdin_bytes:
            inp.write(stdin_bytes)
            inp.seek(0)
        run.wall, run.status, run.cpu = spawn_and_wait(argv, env, inp, out, err, timeout)
        out.seek(0)
        err.seek(0)
        run.stdout = out.read().decode(errors="replace")
        run.stderr = err.read().decode(errors="replace")
    if run.status != 0:
        last = run.stderr.strip().splitlines()[-1:] or ["no message"]
        why = "killed after %gs" % timeout if run.status == -9 else "exit status %d" % run.status
        run.error = "%s (%s)" % (why, last[0][:100])
        return run
    parse_protocol(run)
    if need_rss and not run.maxrss_kib:
        run.error = "no peak RSS from the probe (was build/bench/probe.so preloaded?)"
    return run
