/*
 * kernel/lib.c - the string functions the kernel uses (gcc may also emit
 * calls to memset/memcpy/memmove/memcmp on its own).
 */
#include "kernel.h"

/* The C functions, same contracts (memmove handles overlap). */
void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    if ((((uintptr_t)p | n) & 7) == 0) {
        /* Whole words (every page we clear): 8 times fewer iterations,
         * which is what TCG pays for. */
        uint64_t w = 0x0101010101010101ull * (unsigned char)c;
        size_t words = n / 8;
        __asm__ volatile("rep stosq" : "+D"(p), "+c"(words) : "a"(w) : "memory");
        return d;
    }
    __asm__ volatile("rep stosb" : "+D"(p), "+c"(n) : "a"(c) : "memory");
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    void *r = d;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    return r;
}

void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    if (dp <= sp || dp >= sp + n)
        return memcpy(d, s, n);
    while (n--)
        dp[n] = sp[n];
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] - y[i];
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

/* The next space-separated word of *s: returns its start, sets *n to its
 * length (0 at the end) and moves *s past it. */
const char *word_next(const char **s, size_t *n)
{
    const char *p = *s;
    while (*p == ' ')
        p++;
    const char *w = p;
    while (*p && *p != ' ')
        p++;
    *n = (size_t)(p - w);
    *s = p;
    return w;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i] || !a[i])
            return (unsigned char)a[i] - (unsigned char)b[i];
    }
    return 0;
}
