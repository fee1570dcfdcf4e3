/*
 * sched.h - sched_yield.
 */
#ifndef LIBC_SCHED_H
#define LIBC_SCHED_H

/* Gives up the CPU; returns 0. */
int sched_yield(void);

#endif
