/*
 * tests/progs/expect.h - the check of the system call tests: one line per
 * check ("ok NAME", or "FAIL NAME: got G, want W") and a count of the
 * failures for the program's exit status. One translation unit a program,
 * so the definitions live here.
 */
#ifndef TESTS_PROGS_EXPECT_H
#define TESTS_PROGS_EXPECT_H

#include <stdio.h>

static int failures;

static void expect(const char *name, long got, long want)
{
    if (got == want) {
        printf("ok %s\n", name);
    } else {
        printf("FAIL %s: got %ld, want %ld\n", name, got, want);
        failures++;
    }
}

#endif
