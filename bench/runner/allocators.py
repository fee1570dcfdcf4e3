"""bench/runner/allocators.py - the allocators under comparison and where
their shared libraries are. glibc is the baseline (no preload); the peers
are Debian's jemalloc, tcmalloc (minimal) and mimalloc; tide is
build/libtide.so. An allocator whose library is missing is skipped, with
a note, rather than silently measured as glibc.

A variant runs one of them with extra environment variables, for tuning
experiments in the same interleaved run: "tide+TIDE_PROFILE=classic",
"tide+TIDE_TCACHE_COUNT=64+TIDE_MMAP_THRESHOLD=1m". Variants are never
counted as peers.
"""
import glob
import os
import subprocess
from dataclasses import dataclass, field
from typing import Optional

PEERS = ("glibc", "jemalloc", "tcmalloc", "mimalloc")
SONAMES = {
    "jemalloc": "libjemalloc.so.2",
    "tcmalloc": "libtcmalloc_minimal.so.4",
    "mimalloc": "libmimalloc.so.2",
}
LIBDIRS = ("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib",
           "/usr/local/lib")


@dataclass
class Allocator:
    name: str                   # as shown: "tide" or "tide+TIDE_PROFILE=classic"
    library: Optional[str]      # None: glibc, nothing preloaded
    kind: str = ""              # which allocator must serve malloc: "tide"
    env: dict = field(default_factory=dict)   # a variant's variables


def ldconfig_paths():
    """soname -> path, from the dynamic linker's cache."""
    paths = {}
    try:
        out = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    except OSError:
        return paths
    for line in out.splitlines():
        if "=>" in line and "x86-64" in line:
            soname = line.split()[0]
            paths.setdefault(soname, line.split("=>")[1].strip())
    return paths


def find_library(soname, cache):
    if soname in cache and os.path.exists(cache[soname]):
        return os.path.realpath(cache[soname])
    for d in LIBDIRS:
        hits = glob.glob(os.path.join(d, soname))
        if hits:
            return os.path.realpath(hits[0])
    return None


def parse_variant(spec):
    """ "tide+A=1+B=2" -> ("tide", {"A": "1", "B": "2"})."""
    kind, *assignments = spec.split("+")
    env = {}
    for a in assignments:
        if "=" not in a:
            raise SystemExit("bench/run: %r: expected NAME+VAR=VALUE" % spec)
        k, v = a.split("=", 1)
        env[k] = v
    return kind, env


def discover(build, wanted):
    """Returns ([Allocator], [notes]) for the names in wanted, in order."""
    cache = ldconfig_paths()
    found, notes = [], []
    for spec in wanted:
        name, env = parse_variant(spec)
        if name == "glibc":
            found.append(Allocator(spec, None, name, env))
            continue
        if name == "tide":
            lib = os.path.join(build, "libtide.so")
            if not os.path.exists(lib):
                notes.append("%s skipped: %s is not built (run make)" % (spec, lib))
                continue
        elif name in SONAMES:
            lib = find_library(SONAMES[name], cache)
            if lib is None:
                notes.append("%s skipped: %s not found" % (spec, SONAMES[name]))
                continue
        else:
            raise SystemExit("bench/run: unknown allocator %r" % name)
        found.append(Allocator(spec, lib, name, env))
    return found, notes
