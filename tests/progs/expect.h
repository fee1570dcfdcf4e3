/*
 * tests/progs/expect.h - the checks of the test programs: one line per
 * check ("ok NAME", or "FAIL NAME..."), and a count of the failures for
 * the program's exit status. One translation unit a program, so the
 * definitions live here (inline: a program may use only one of them).
 */
#ifndef TESTS_PROGS_EXPECT_H
#define TESTS_PROGS_EXPECT_H

#include <stdio.h>

static int failures;

static inline void expect(const char *name, long got, long want)
{
    if (got == want) {
        printf("ok %s\n", name);
    } else {
        printf("FAIL %s: got %ld, want %ld\n", name, got, want);
        failures++;
    }
}

/* A check already decided: ok, or a failure. */
static inline void verdict(int ok, const char *name)
{
    printf("%s %s\n", ok ? "ok" : "FAIL", name);
    failures += !ok;
}

#endif
