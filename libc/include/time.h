/*
 * time.h - clock_gettime and struct timespec.
 */
#ifndef LIBC_TIME_H
#define LIBC_TIME_H

#include <sys/types.h>

struct timespec {
    time_t tv_sec;
    long tv_nsec;
};

#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2

/* Returns 0, or -1 with errno. */
int clock_gettime(clockid_t clock, struct timespec *ts);

#endif
