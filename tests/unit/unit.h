/*
 * tests/unit/unit.h - what every unit-test file shares: cmocka, the fake
 * platform, a per-test setup that resets both, and the helpers for death
 * tests, heap walks and out-of-memory plans.
 */
#ifndef TIDE_UNIT_H
#define TIDE_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake.h"
#include "tide.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define KiB ((size_t)1 << 10)
#define MiB ((size_t)1 << 20)

/* A test with a kebab-case name, run between unit_setup and unit_teardown. */
#define UNIT_TEST(name, fn) { name, fn, unit_setup, unit_teardown, NULL }

struct unit_tally { size_t run, failed; };

/* Runs each test in its own child process (unit_runner.c). */
void unit_run_group(const char *group, const struct CMUnitTest *tests, size_t n,
                    struct unit_tally *tally);
/* Only tests whose name matches this fnmatch pattern run. */
void unit_set_filter(const char *pattern);

/* Defines unit_group_NAME(), which runs the array and adds to the tally. */
#define UNIT_GROUP(group, tests)                                          \
    void unit_group_##group(struct unit_tally *tally)                     \
    {                                                                     \
        unit_run_group(#group, tests, ARRAY_LEN(tests), tally);           \
    }

/* Starts over on another platform: fake_reset(cfg) then tide_reset().
 * unit_setup already did it with the defaults; a test that needs another
 * platform calls this first. */
void unit_restart(const struct fake_config *cfg);
/* Small blocks from the chunk heap, as in classic (for the tests of its
 * merging and splitting, which slab slots never do). */
void unit_no_slab(void);
/* Same as unit_restart with the defaults but the classic profile set. */
void unit_restart_classic(void);

/* Per-test setup: default fake platform, tide_reset(). */
int unit_setup(void **state);
/* Per-test teardown: tide_check() finds nothing, the core broke no rule of
 * the platform contract, and it aborted nowhere. */
int unit_teardown(void **state);

/* Runs fn(arg) in a forked child whose error channel is captured. Fails
 * the test unless the child died of SIGABRT after writing exactly
 * `expected` (a full line, newline included); expected NULL accepts any
 * single line that starts with "tide: " and names ptr_in_line (if set). */
void expect_abort(void (*fn)(void *), void *arg, const char *expected,
                  const void *ptr_in_line);
/* Frees p twice (for expect_abort). */
void free_twice(void *p);

/* Formats "tide: <what> %p\n" into buf (for expect_abort). */
const char *abort_line(char *buf, size_t len, const char *what, const void *p);

/* Heap-walk helpers. */
struct walk_summary {
    size_t chunks, in_use, cached, free, top, mmapped, quick;
    size_t bytes_total;           /* sum of chunk sizes */
    size_t bytes_cached;          /* ... of those in this thread's cache */
    bool saw_target;              /* a chunk whose mem is `target` */
    struct tide_chunk_info target_info;
    const void *target;
};
void walk_heap(struct walk_summary *s, const void *target);

/* Bytes the main heap spans (heap_end - heap_start) now. */
size_t heap_span(void);
/* A snapshot of the statistics. */
struct tide_stats stats_now(void);

/* Fills [p, p+n) with a pattern derived from seed; checks it. */
void fill_pattern(void *p, size_t n, unsigned seed);
bool check_pattern(const void *p, size_t n, unsigned seed);
bool all_bytes(const void *p, size_t n, unsigned char value);

#endif
