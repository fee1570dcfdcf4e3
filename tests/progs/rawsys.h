/*
 * tests/progs/rawsys.h - raw Linux x86-64 system calls for test programs
 * that must pass arguments no libc wrapper would (bad pointers, unknown
 * numbers). Returns the kernel's value: the result or -errno.
 */
#ifndef TESTS_RAWSYS_H
#define TESTS_RAWSYS_H

static inline long rawsys(long nr, long a, long b, long c, long d, long e, long f)
{
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

#define RAW0(nr) rawsys((nr), 0, 0, 0, 0, 0, 0)
#define RAW1(nr, a) rawsys((nr), (long)(a), 0, 0, 0, 0, 0)
#define RAW2(nr, a, b) rawsys((nr), (long)(a), (long)(b), 0, 0, 0, 0)
#define RAW3(nr, a, b, c) rawsys((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define RAW4(nr, a, b, c, d) rawsys((nr), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define RAW6(nr, a, b, c, d, e, f) \
    rawsys((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* The kernel's resident-page count from /proc/self/statm (field 2), read
 * with raw calls so nothing allocates; -1 on error. */
static inline long statm_resident(void)
{
    char buf[128];
    long fd = RAW2(2, "/proc/self/statm", 0);
    if (fd < 0)
        return -1;
    long n = RAW3(0, fd, buf, sizeof buf - 1);
    RAW1(3, fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    const char *s = buf;
    while (*s && *s != ' ')
        s++;
    long v = 0;
    for (s++; *s >= '0' && *s <= '9'; s++)
        v = v * 10 + (*s - '0');
    return v;
}

/* ru_minflt of this process (getrusage RUSAGE_SELF). */
static inline long minor_faults(void)
{
    long ru[18];
    if (RAW2(98, 0, ru) != 0)
        return -1;
    return ru[8];   /* ru_utime, ru_stime (2 words each), maxrss ixrss idrss isrss, minflt */
}

#endif
