"""bench/runner/workloads.py - the table of workloads bench/run times.

Each entry says how to start one run at a given scale: the command line,
what goes on stdin, extra environment. `scale` is the default mode, `quick`
the --quick mode (chosen so glibc takes about 0.5 s and 0.15 s per run).
Own programs identify the allocator themselves ("allocator:" on stdout);
real programs are identified by the preload probe ("bench-probe:" on stderr).
"""
import os
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Workload:
    name: str
    about: str
    scale: float
    quick: float
    # (ctx, scale, quick) -> (argv, stdin bytes or None)
    command: Callable
    real: bool = False           # identified by the probe, not by itself
    env: dict = field(default_factory=dict)
    metrics: tuple = ()          # (metric name, column title) shown per allocator


@dataclass
class Context:
    build: str                   # absolute path of build/
    bench: str                   # absolute path of bench/

    def prog(self, name):
        return os.path.join(self.build, "bench", name)


def own(name):
    """Command of one of our workload programs: PROGRAM SCALE."""
    return lambda ctx, scale, quick: ([ctx.prog(name), "%g" % scale], None)


def frag_command(ctx, scale, quick):
    idle = 0.2 if quick else 1.0   # seconds; subtracted from the wall time
    return [ctx.prog("frag"), "%g" % scale, "%g" % idle], None


def python_command(ctx, scale, quick):
    return ["/usr/bin/python3", os.path.join(ctx.bench, "py-alloc.py"), "%g" % scale], None


def perl_command(ctx, scale, quick):
    return ["/usr/bin/perl", os.path.join(ctx.bench, "perl-alloc.pl"), "%g" % scale], None


def sqlite_command(ctx, scale, quick):
    with open(os.path.join(ctx.bench, "sqlite-alloc.sql")) as f:
        sql = f.read().replace("ROWS_PLACEHOLDER", str(int(scale * 100000)))
    return ["/usr/bin/sqlite3", ":memory:"], sql.encode()


FRAG_METRICS = (
    ("live_peak_mib", "live peak"), ("rss_peak_mib", "RSS peak"), ("rss_per_live", "RSS/live"),
    ("rss_start_mib", "at start"), ("rss_freed_mib", "all freed"),
    ("rss_idle_mib", "+idle"), ("rss_released_mib", "+release"),
)

WORKLOADS = [
    Workload("pairs", "malloc/free pair latency, batches of 128 x 32 bytes",
             20, 8, own("pairs"), metrics=(("ns_per_pair", "ns/pair"),)),
    Workload("churn", "small-object churn, mixed sizes (8 B..32 KiB)",
             4, 1.2, own("churn")),
    Workload("larson", "larson-like shared pool, 2 threads, ~half the frees remote",
             2, 0.6, own("larson")),
    Workload("prodcons", "producer/consumer, 2 threads, every free remote",
             1.5, 0.5, own("prodcons")),
    Workload("realloc", "realloc growth of 200 buffers to 64 B..256 KiB",
             0.4, 0.15, own("realloc")),
    Workload("large", "large blocks 64 KiB..4 MiB, every page touched",
             0.4, 0.12, own("large")),
    Workload("frag", "fragmentation: 64 MiB live peak, holes, then free all",
             1, 0.5, frag_command, metrics=FRAG_METRICS),
    Workload("python3", "python3 (PYTHONMALLOC=malloc) dicts, JSON, strings",
             0.4, 0.15, python_command, real=True,
             env={"PYTHONMALLOC": "malloc", "PYTHONHASHSEED": "0"}),
    Workload("perl", "perl hashes, split/join, sort, regex rewriting",
             0.5, 0.15, perl_command, real=True,
             env={"PERL_HASH_SEED": "0", "PERL_PERTURB_KEYS": "0"}),
    Workload("sqlite3", "sqlite3 :memory: inserts, indexes, updates, group by",
             2, 0.8, sqlite_command, real=True),
]
