/*
 * bench/probe.c - a tiny LD_PRELOAD library that bench/run loads after the
 * allocator under test, into every timed run. At start it writes
 *   bench-probe: allocator: NAME PATH
 * (so real programs such as python3, which cannot say which malloc they
 * got, are checked too), and at exit
 *   bench-probe: peak_rss_kib: N
 * from VmHWM in /proc/self/status. The runner cannot use wait4's ru_maxrss:
 * Linux carries the spawning process's peak (the Python runner's) across
 * exec into the child's figure.
 */
#include "bench.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((constructor)) static void probe_start(void)
{
    const char *path;
    const char *name = bench_allocator(&path);
    dprintf(2, "bench-probe: allocator: %s %s\n", name, path);
}

__attribute__((destructor)) static void probe_exit(void)
{
    char buf[4096];
    int fd = open("/proc/self/status", O_RDONLY);
    if (fd < 0)
        return;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return;
    buf[n] = '\0';
    char *hwm = strstr(buf, "VmHWM:");
    if (hwm)
        dprintf(2, "bench-probe: peak_rss_kib: %lu\n", strtoul(hwm + 6, NULL, 10));
}
