/*
 * tests/threads/main.c - runs the thread and fork cases, each printing
 * "ok NAME" or "FAIL NAME: why", then "threads: N passed, M failed".
 * Usage: threads [NAME]   runs only the case called NAME.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tide.h"
#include "threads.h"

static void run_table(const struct thread_case *cases, size_t n, const char *only,
                      size_t *passed, size_t *failed)
{
    for (size_t i = 0; i < n; i++) {
        const char *why;
        if (only && strcmp(only, cases[i].name) != 0)
            continue;
        why = cases[i].run();
        if (why == NULL && tide_check() != 0)
            why = "tide_check() found problems afterwards";
        if (why) {
            printf("FAIL %s: %s\n", cases[i].name, why);
            (*failed)++;
        } else {
            printf("ok %s\n", cases[i].name);
            (*passed)++;
        }
        fflush(stdout);
    }
}

int main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    size_t passed = 0, failed = 0;

    run_table(thread_cases, thread_case_count, only, &passed, &failed);
    run_table(fork_cases, fork_case_count, only, &passed, &failed);
    printf("threads: %zu passed, %zu failed\n", passed, failed);
    return failed ? 1 : 0;
}
