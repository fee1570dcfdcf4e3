/*
 * bench/probe.c - a tiny LD_PRELOAD library for the real programs (python3,
 * perl, sqlite3) that cannot say which malloc they got: loaded after the
 * allocator under test, its constructor writes one line to stderr,
 *   bench-probe: allocator: NAME PATH
 * which bench/run checks, so a preload that did not take is caught.
 */
#include "bench.h"

#include <stdio.h>

__attribute__((constructor)) static void probe(void)
{
    const char *path;
    const char *name = bench_allocator(&path);
    dprintf(2, "bench-probe: allocator: %s %s\n", name, path);
}
