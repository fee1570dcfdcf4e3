/*
 * tests/threads/threads.h - the multi-thread cases (threads.c, forks.c) and
 * the helpers they share. Linked with libtide.a: malloc and free are tide's.
 * Each case returns NULL on success or a static string saying what failed.
 */
#ifndef TIDE_TESTS_THREADS_H
#define TIDE_TESTS_THREADS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef const char *(*thread_case_fn)(void);

struct thread_case {
    const char *name;
    thread_case_fn run;
    bool fresh; /* run in a process of its own (main.c): the case measures
                   something the cases before it would change */
};

extern const struct thread_case thread_cases[];
extern const size_t thread_case_count;
extern const struct thread_case fork_cases[];
extern const size_t fork_case_count;

/* A per-thread xorshift generator. */
uint64_t rng_next(uint64_t *state);
/* Fills / verifies a block with a pattern derived from seed. */
void pattern_fill(unsigned char *p, size_t n, uint32_t seed);
bool pattern_ok(const unsigned char *p, size_t n, uint32_t seed);
/* A size for the churn loops: mostly small, sometimes past 128 KiB. */
size_t churn_size(uint64_t *rng);

#endif
