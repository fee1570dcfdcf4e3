/*
 * libc/src/strtol.c - strtol, strtoul, strtoll, strtoull, strtoimax,
 * strtoumax, atoi, atol, atoll. One parser; each function then applies
 * its own range: out of range gives the nearest limit and errno ERANGE;
 * no digits gives 0 with *end = s; a bad base gives EINVAL.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>

struct parsed {
    unsigned long long mag;   /* magnitude, saturated at ULLONG_MAX */
    int neg, overflow;
};

static int digit_value(int c)
{
    if (isdigit(c))
        return c - '0';
    if (islower(c))
        return c - 'a' + 10;
    if (isupper(c))
        return c - 'A' + 10;
    return 99;
}

/* Parses [space][sign][0x]digits in base; returns 0 on a bad base. */
static int parse(const char *s, char **end, int base, struct parsed *out)
{
    const char *p = s;
    out->mag = 0, out->neg = 0, out->overflow = 0;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        if (end)
            *end = (char *)s;
        return 0;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        out->neg = *p++ == '-';
    /* "0x" counts as a prefix only when a hex digit follows it */
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 32) == 'x' &&
        digit_value((unsigned char)p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    const char *digits = p;
    for (int d; (d = digit_value((unsigned char)*p)) < base; p++) {
        if (out->mag > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
            out->overflow = 1;
        else
            out->mag = out->mag * (unsigned)base + (unsigned)d;
    }
    if (end)
        *end = (char *)(p == digits ? s : p);
    if (p == digits)
        out->neg = 0;
    return 1;
}

/* Applies a signed range [-(max+1), max]. */
static long long signed_result(const struct parsed *r, unsigned long long max)
{
    if (r->overflow || r->mag > max + (unsigned long long)r->neg) {
        errno = ERANGE;
        return r->neg ? -(long long)max - 1 : (long long)max;
    }
    return r->neg ? (long long)(0 - r->mag) : (long long)r->mag;
}

/* Unsigned range: a leading '-' negates the value, as C says. */
static unsigned long long unsigned_result(const struct parsed *r)
{
    if (r->overflow) {
        errno = ERANGE;
        return ULLONG_MAX;
    }
    return r->neg ? 0 - r->mag : r->mag;
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
    struct parsed r;
    if (!parse(s, end, base, &r))
        return 0;
    return signed_result(&r, LLONG_MAX);
}

long strtol(const char *restrict s, char **restrict end, int base)
{
    return (long)strtoll(s, end, base);
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
    struct parsed r;
    if (!parse(s, end, base, &r))
        return 0;
    return unsigned_result(&r);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
    return (unsigned long)strtoull(s, end, base);
}

intmax_t strtoimax(const char *restrict s, char **restrict end, int base)
{
    return strtoll(s, end, base);
}

uintmax_t strtoumax(const char *restrict s, char **restrict end, int base)
{
    return strtoull(s, end, base);
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
    return strtoll(s, NULL, 10);
}
