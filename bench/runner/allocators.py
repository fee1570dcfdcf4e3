"""bench/runner/allocators.py - the allocators under comparison and where
their shared libraries are. glibc is the baseline (no preload); the peers
are Debian's jemalloc, tcmalloc (minimal) and mimalloc; tide is
build/libtide.so. An allocator whose library is missing is skipped, with
a note, rather than silently measured as glibc.
"""
import glob
import os
import subprocess
from dataclasses import dataclass
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
    name: str
    library: Optional[str]      # None: glibc, nothing preloaded

    @property
    def is_peer(self):
        return self.name in PEERS


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


def discover(build, wanted):
    """Returns ([Allocator], [notes]) for the names in wanted, in order."""
    cache = ldconfig_paths()
    found, notes = [], []
    for name in wanted:
        if name == "glibc":
            found.append(Allocator("glibc", None))
            continue
        if name == "tide":
            lib = os.path.join(build, "libtide.so")
            if not os.path.exists(lib):
                notes.append("tide skipped: %s is not built (run make)" % lib)
                continue
        elif name in SONAMES:
            lib = find_library(SONAMES[name], cache)
            if lib is None:
                notes.append("%s skipped: %s not found" % (name, SONAMES[name]))
                continue
        else:
            raise SystemExit("bench/run: unknown allocator %r" % name)
        found.append(Allocator(name, lib))
    return found, notes
