/*
 * tests/kernel/syscall-fuzz.c - 20000 system calls with arguments drawn
 * from pools of bad and borderline values (null, kernel, non-canonical and
 * unaligned pointers, lengths that wrap, unknown flags and numbers). Every
 * call must return a value or -errno; the kernel must not fault (the
 * harness checks it ran to the end, no panic, no frame leaked). Calls that
 * would destroy the program itself (its code, stack, TLS, exit) are left
 * out; memory calls only aim at a scratch area or at bad addresses.
 *   syscall-fuzz [SEED]
 */
#include <stdio.h>
#include <sys/mman.h>
#include "rawsys.h"

#define SCRATCH 0x300000000000L
#define SCRATCH_LEN (64L << 20)

static unsigned long long rng = 88172645463325252ULL;

static unsigned long rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned long)rng;
}

static long pick(const long *pool, int n)
{
    return pool[rnd() % n];
}

static const long bad_ptrs[] = {
    0, 1, 0xfff, 0xffffffff80100000L, (long)0x8000000000000000UL, -1L, -4096L,
    0x7ffffffff000L, 0x7ffffffffff0L, 0x0000800000000000L, SCRATCH, SCRATCH + 4095,
    SCRATCH + SCRATCH_LEN - 1, SCRATCH + SCRATCH_LEN, SCRATCH + 123,
};
static const long lens[] = {
    0, 1, 8, 4095, 4096, 8192, 1L << 20, 1L << 40, -1L, -4096L, 0x7fffffffffffL,
    SCRATCH_LEN, SCRATCH_LEN + 1,
};
static const long flags[] = {
    0, 1, 2, 3, 4, 7, 0x22, 0x32, 0x21, 0x23, 0x100022, 0x4022, 0x8022, -1L, 0xff,
    0x1001, 0x1003, 0x1004, 999, 100, 101, 8, 9, 15,
};
static const long fds[] = { -1, 0, 3, 4, 5, 15, 16, 99, 1L << 40 };
static const int nrs[] = { 0, 1, 2, 3, 9, 10, 11, 12, 24, 25, 28, 39, 97, 98, 158,
                           160, 228, 257, 302 };

static long one_call(void)
{
    int nr = nrs[rnd() % (sizeof nrs / sizeof nrs[0])];
    long p = pick(bad_ptrs, 15), q = pick(bad_ptrs, 15), l = pick(lens, 13);
    long f = pick(flags, 24), g = pick(flags, 24), fd = pick(fds, 9);
    if (p == 0 && (nr == 9 || nr == 10 || nr == 11 || nr == 25 || nr == 28))
        p = SCRATCH;   /* [0, huge) would take the program's own code */
    switch (nr) {
    case 1: return RAW3(1, fd >= 0 && fd <= 2 ? 99 : fd, p, l);   /* never the console */
    case 158: return RAW2(158, f == 0x1001 ? 0x1004 : f, p);   /* never SET_FS/GS */
    case 12: return RAW1(12, p);
    case 160: return RAW2(160, p == 0 ? 1 : p, q);   /* RLIMIT_CPU 0 s would kill us */
    case 302: return RAW4(302, p, l == 0 ? 1 : l, q, f);
    case 25: return RAW6(25, p, l, pick(lens, 13), f & 3, q, 0);
    case 9: return RAW6(9, p, l, f, g, fd, pick(lens, 13));
    default: return RAW6(nr, nr == 0 || nr == 3 ? fd : p, nr == 2 ? f : l,
                         nr == 257 ? f : g, q, fd, l);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1)   /* another seed: syscall-fuzz N */
        for (const char *c = argv[1]; *c; c++)
            rng = rng * 31 + (unsigned long long)*c;
    long a = RAW6(9, SCRATCH, SCRATCH_LEN, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (a != SCRATCH) {
        printf("FAIL syscall-fuzz: scratch mmap %ld\n", a);
        return 1;
    }
    long calls = 20000, odd = 0, errors = 0;
    for (long i = 0; i < calls; i++) {
        long r = one_call();
        errors += r < 0;
        odd += r < -4095;
    }
    for (int i = 0; i < 3; i++)
        RAW0(400 + i);   /* unknown numbers: -ENOSYS */
    printf("%s syscall-fuzz-returns-values-or-errno%s%ld calls, %ld errors, %ld odd\n",
           odd ? "FAIL" : "ok", odd ? ": " : " # ", calls, errors, odd);
    return 0;
}
