/*
 * tests/unit/unit_main.c - runs every group of unit tests (one file per
 * concern) and ends with the "unit: N passed, M failed" line.
 * Usage: unit [PATTERN]   only the tests whose name matches (fnmatch).
 */
#include "unit.h"

#include <stdio.h>

#define UNIT_GROUPS(X) X(malloc) X(free) X(calloc) X(realloc) X(memalign) \
    X(usable_size) X(free_sized) X(mallopt) X(trim) X(stats) X(heap_walk) \
    X(checker) X(oom) X(brk_fallback) X(bad_input) X(errno) X(hooks) X(quick) X(medium) \
    X(slab) X(huge)

#define DECLARE(g) void unit_group_##g(struct unit_tally *tally);
UNIT_GROUPS(DECLARE)

int main(int argc, char **argv)
{
    struct unit_tally tally = { 0, 0 };

    if (argc > 1)
        unit_set_filter(argv[1]);
#define RUN(g) unit_group_##g(&tally);
    UNIT_GROUPS(RUN)
    printf("unit: %zu passed, %zu failed\n", tally.run - tally.failed, tally.failed);
    return tally.failed == 0 ? 0 : 1;
}
