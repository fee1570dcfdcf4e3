/*
 * tests/demos/lib/demo.h - what every demo shares: its title and checks,
 * reading the process's memory map (/proc/self/maps), resident memory
 * (/proc/self/statm), fault counts (getrusage), the break, and the heap
 * dump in JSON for tools/heapsvg. Works the same on Linux and on our
 * kernel; nothing here calls malloc, so it never disturbs the heap it shows.
 */
#ifndef DEMO_H
#define DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "tide.h"

#define KiB 1024UL
#define MiB (1024UL * 1024UL)
#define PAGE 4096UL

/* Starts a demo: prints "== <id>: <title>", switches the allocator to the
 * classic profile (the seeds' glibc numbers). "--json" in argv turns on
 * the heap dumps. Call before any allocation. */
void demo_begin(const char *id, const char *title, int argc, char **argv);
/* Prints "<id>: N passed, M failed"; returns the exit status (0: all ok). */
int demo_end(void);
/* One check of a relation the demo shows: "ok NAME" or "FAIL NAME: why". */
void demo_check(int ok, const char *name, const char *why_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A line saying where tide differs from glibc by design, and why. */
void demo_differs(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line of /proc/self/maps. name is "" for an anonymous mapping. */
struct map {
    uintptr_t start, end;
    char perms[5];
    char name[64];
};
/* Finds the mapping holding addr; 0 when no mapping does. */
int maps_find(const void *addr, struct map *out);
/* Finds the [heap] mapping; 0 when the process has none yet. */
int maps_heap(struct map *out);
/* Prints, indented, the [heap] line and the anonymous mappings that hold
 * one of the given addresses (NULL-terminated list; NULL: all of them). */
void maps_show(const void *const *addrs);

/* 1 on Linux (its memory map has a [vdso]), 0 on our kernel: there fault
 * and page counts are exact, Linux may add a few of its own. */
int on_linux(void);

/* Resident memory (/proc/self/statm, second field) in KiB. */
long resident_kib(void);
/* Minor page faults so far (getrusage). */
long minor_faults(void);
/* The current program break. */
char *brk_now(void);
/* A monotonic clock in nanoseconds. */
uint64_t now_ns(void);
/* The allocator's platform-call counters and heap bounds. */
struct tide_stats stats_now(void);

/* Prints one "@heap {json}" line (when --json was given): every chunk of
 * the heap from tide_heap_walk, the mmapped blocks, the break. */
void heap_dump(const char *label);
/* Prints the heap as a table (offset from heap start, size, state, bin). */
void heap_table(void);

#endif
