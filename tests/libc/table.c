/*
 * tests/libc/table.c - prints a table of results of the libc functions we
 * implement, one line per case as "group: case -> result". Built twice:
 * against glibc (the reference) and against our libc (static, run natively);
 * tests/libc/compare.py diffs the two outputs group by group.
 * Only behaviour the C standard or POSIX defines is tabled (plus glibc's
 * "(null)" and "(nil)", which our libc copies on purpose).
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

static char out[8192];

/* ---- printf ------------------------------------------------------------- */

/* Builds "%<flags><width><prec><len><conv>" into fmt. */
static void make_fmt(char *fmt, unsigned flags, int width, int prec, const char *len,
                     char conv)
{
    static const char flag_chars[] = "-+ #0";
    char *p = fmt;
    *p++ = '%';
    for (int i = 0; i < 5; i++)
        if (flags & (1u << i))
            *p++ = flag_chars[i];
    if (width >= 0)
        p += sprintf(p, "%d", width);
    if (prec >= 0)
        p += sprintf(p, ".%d", prec);
    p = stpcpy(p, len);
    *p++ = conv;
    *p = '\0';
}

/* Flags a conversion accepts with defined meaning: + and space only for
 * signed ones, # only for o x X and the floating ones. */
static int flags_ok(unsigned flags, char conv)
{
    int is_signed = conv == 'd' || conv == 'i' || strchr("eEfFgGaA", conv);
    int hash_ok = strchr("oxXeEfFgGaA", conv) != NULL;
    if ((flags & (2u | 4u)) && !is_signed)
        return 0;
    if ((flags & 8u) && !hash_ok)
        return 0;
    return 1;
}

static const int widths[] = { -1, 1, 8, 25 };
static const int precs[] = { -1, 0, 1, 3, 10 };
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void table_ints(void)
{
    static const int values[] = { 0, 1, -1, 7, 42, -42, 255, 4096, INT_MAX, INT_MIN };
    static const char convs[] = "diouxX";
    char fmt[64];
    for (const char *c = convs; *c; c++)
        for (unsigned fl = 0; fl < 32; fl++) {
            if (!flags_ok(fl, *c))
                continue;
            for (size_t w = 0; w < COUNT(widths); w++)
                for (size_t pr = 0; pr < COUNT(precs); pr++)
                    for (size_t v = 0; v < COUNT(values); v++) {
                        make_fmt(fmt, fl, widths[w], precs[pr], "", *c);
                        int n = snprintf(out, sizeof out, fmt, values[v]);
                        printf("printf-int-%c: \"%s\" %d -> [%s] %d\n", *c, fmt, values[v], out, n);
                    }
        }
}

static void table_floats(void)
{
    static const double values[] = {
        0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 0.125, 123.456, -987.654321, 1e-5,
        1e-300, 5e-324, 2.2250738585072014e-308, 1e21, 1e300, 1.7976931348623157e308,
        0.1, 9.9999, 999999.5, 0.000123456789, 3.0517578125e-05, 1.0 / 0.0, -1.0 / 0.0,
        0.0 / 0.0,
    };
    static const char convs[] = "eEfFgGaA";
    char fmt[64];
    for (const char *c = convs; *c; c++)
        for (unsigned fl = 0; fl < 32; fl++) {
            if (!flags_ok(fl, *c))
                continue;
            for (size_t w = 0; w < COUNT(widths); w++)
                for (size_t pr = 0; pr < COUNT(precs); pr++)
                    for (size_t v = 0; v < COUNT(values); v++) {
                        double d = values[v];
                        /* glibc prints %#g of 999999.5 as "1.e+06" (C says
                         * "1.00000e+06"): checked in unit.c instead */
                        if ((fl & 8u) && (*c == 'g' || *c == 'G') && d == 999999.5)
                            continue;
                        make_fmt(fmt, fl, widths[w], precs[pr], "", *c);
                        int n = snprintf(out, sizeof out, fmt, d);
                        printf("printf-float-%c: \"%s\" #%zu -> [%s] %d\n", *c, fmt, v, out, n);
                    }
        }
}

/* Large precisions and the exact expansion of awkward doubles. */
static void table_float_exact(void)
{
    static const double values[] = { 0.1, 1.0 / 3, 5e-324, 1.7976931348623157e308, 2.675,
                                     1.005, 0.3, 100.0, 1e23, 8.5, 9.5 };
    for (size_t v = 0; v < COUNT(values); v++) {
        snprintf(out, sizeof out, "%.60f|%.40e|%.17g|%.0f|%.1f|%.2f", values[v], values[v],
                 values[v], values[v], values[v], values[v]);
        printf("printf-float-exact: #%zu -> [%s]\n", v, out);
    }
    snprintf(out, sizeof out, "%.1100f", 5e-324);
    printf("printf-float-exact: denormal-1100 -> [%s]\n", out);
    snprintf(out, sizeof out, "%f", 1.7976931348623157e308);
    printf("printf-float-exact: dbl-max-f -> [%s]\n", out);
    snprintf(out, sizeof out, "%Lf %Le %Lg", 1.5L, -0.25L, 1e10L);
    printf("printf-float-exact: long-double -> [%s]\n", out);
}

/* long double (x87, 64-bit mantissa): values a double cannot hold. */
static void table_long_double(void)
{
    static const long double values[] = {
        0.1L, 1.0L / 3, -2.5L, 1e4000L, 1e-4000L, 1.18973149535723176502e+4932L,
        3.36210314311209350626e-4932L, 123456789.123456789L, 0.0L, -0.0L, 0.5L, 1e-10L,
    };
    static const char *const fmts[] = {
        "%Lf", "%Le", "%Lg", "%La", "%LA", "%.30Lf", "%.40Le", "%.20Lg", "%#.0Lf", "%+20.5Le",
        "%-25.10Lg", "%025.3La", "%.3La", "%.0La",
    };
    static char big[6000];
    for (size_t v = 0; v < COUNT(values); v++)
        for (size_t f = 0; f < COUNT(fmts); f++) {
            int n = snprintf(big, sizeof big, fmts[f], values[v]);
            printf("printf-long-double: \"%s\" #%zu -> [%.300s] %d\n", fmts[f], v, big, n);
        }
}

#define ONE(group, fmt, ...)                                              \
    do {                                                                  \
        int n_ = snprintf(out, sizeof out, fmt, __VA_ARGS__);             \
        printf("%s: \"%s\" -> [%s] %d\n", group, fmt, out, n_);           \
    } while (0)

static void table_lengths(void)
{
    /* int arguments truncated by hh and h: through a variable format, as
     * compilers (rightly) warn about the literal form */
    const char *hh = "%hhd %hhu %hhx", *h = "%hd %hu %ho";
    int n = snprintf(out, sizeof out, hh, 300, 300, -1);
    printf("printf-length: \"%s\" -> [%s] %d\n", hh, out, n);
    n = snprintf(out, sizeof out, h, 70000, 70000, -1);
    printf("printf-length: \"%s\" -> [%s] %d\n", h, out, n);
    ONE("printf-length", "%ld %lu %lx", LONG_MIN, ULONG_MAX, -1L);
    ONE("printf-length", "%lld %llu %llX", LLONG_MIN, ULLONG_MAX, 0x123456789abcdefLL);
    ONE("printf-length", "%jd %ju", INTMAX_MIN, UINTMAX_MAX);
    ONE("printf-length", "%zd %zu %zx", (ssize_t)-5, SIZE_MAX, (size_t)4096);
    ONE("printf-length", "%td %tx", (ptrdiff_t)-7, (ptrdiff_t)255);
    ONE("printf-length", "%" PRId64 " %" PRIu64 " %" PRIx64, INT64_MIN, UINT64_MAX, (uint64_t)1 << 40);
    ONE("printf-length", "%" PRIxPTR " %" PRIuMAX, (uintptr_t)0xdeadbeef, (uintmax_t)12345);
    ONE("printf-length", "%-+8ld|%08lx|%#.3lo", 123456789L, 0xabcL, 8L);
}

static void table_misc(void)
{
    ONE("printf-char", "[%c][%3c][%-3c]", 'a', 'b', 'c');
    ONE("printf-char", "[%c%c%c]", 'x', 0x7e, ' ');
    ONE("printf-string", "[%s][%10s][%-10s][%.2s][%10.2s][%-10.2s]", "hi", "hi", "hi", "hello", "hello", "hello");
    ONE("printf-string", "[%s][%5s][%.0s]", "", "", "abc");
    const char *null_str = getenv("TABLE_NO_SUCH_VARIABLE");   /* NULL, unknown to gcc */
    ONE("printf-string", "[%s][%10s][%.3s][%.6s]", null_str, null_str, null_str, null_str);
    ONE("printf-string", "[%*s][%-*s][%.*s]", 6, "ab", 6, "ab", 1, "ab");
    ONE("printf-string", "[%*d][%*d][%.*d][%.*d]", -6, 42, 6, 42, 4, 42, -3, 42);
    ONE("printf-pointer", "[%p][%20p][%-20p]", (void *)NULL, (void *)NULL, (void *)NULL);
    ONE("printf-pointer", "[%p][%20p][%-20p]", (void *)0x1000, (void *)0xdeadbeef, (void *)1);
    ONE("printf-percent", "[%%][%d%%][%%%d]", 5, 6);
    ONE("printf-literal", "plain text, no conversions %s", "");
    errno = ENOMEM;
    ONE("printf-errno", "[%m]%s", "");
    int a = 0, b = 0;
    long l = 0;
    signed char hh = 0;
    short h = 0;
    size_t z = 0;
    snprintf(out, sizeof out, "abc%n12345%hhn%hn%ln%zn%d%n", &a, &hh, &h, &l, &z, 77, &b);
    printf("printf-n: -> [%s] %d %d %d %ld %zu %d\n", out, a, hh, h, l, z, b);
}

static void table_snprintf(void)
{
    static const size_t sizes[] = { 0, 1, 2, 5, 11, 12, 100 };
    for (size_t i = 0; i < COUNT(sizes); i++) {
        char buf[128];
        memset(buf, '#', sizeof buf);
        int n = snprintf(buf, sizes[i], "hello %s!", "world");
        buf[sizeof buf - 1] = '\0';
        buf[20] = '\0';
        printf("snprintf-truncation: size %zu -> [%s] %d\n", sizes[i], buf, n);
    }
    char big[4000];
    int n = snprintf(big, sizeof big, "%3000d|%-3000s", 1, "x");
    printf("snprintf-truncation: huge -> %d %zu [%.5s]\n", n, strlen(big), big + 2995);
    n = sprintf(big, "%s-%d-%x", "sprintf", 10, 10);
    printf("sprintf: -> [%s] %d\n", big, n);
}

/* ---- strings -------------------------------------------------------------- */

static int sign(int v)
{
    return v < 0 ? -1 : v > 0;
}

static void table_mem(void)
{
    char b[32];
    for (int off = 0; off < 8; off++)
        for (int len = 0; len < 20; len += 3) {
            strcpy(b, "0123456789abcdefghijklmnopqrstu");
            memmove(b + off, b + 4, (size_t)len);
            printf("memmove-overlap: fwd off %d len %d -> [%s]\n", off, len, b);
            strcpy(b, "0123456789abcdefghijklmnopqrstu");
            memmove(b + 4, b + off, (size_t)len);
            printf("memmove-overlap: back off %d len %d -> [%s]\n", off, len, b);
        }
    for (int off = 0; off < 9; off++)
        for (int len = 0; len < 20; len += 5) {
            strcpy(b, "................................");
            b[31] = '\0';
            memset(b + off, 'x', (size_t)len);
            char src[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
            memcpy(b + off + len, src + (off & 3), 3);
            printf("memset-memcpy-unaligned: off %d len %d -> [%s]\n", off, len, b);
        }
    printf("memcmp-sign: %d %d %d %d\n", sign(memcmp("abc", "abd", 3)), sign(memcmp("abc", "abc", 3)),
           sign(memcmp("\xff", "\x01", 1)), sign(memcmp("a", "b", 0)));
    const char hay[] = "hello world";
    printf("memchr: %td %d %td\n", (char *)memchr(hay, 'o', 11) - hay, memchr(hay, 'z', 11) == NULL,
           (char *)memchr(hay, '\0', 12) - hay);
}

static void table_str(void)
{
    char b[64];
    static const char *const words[] = { "", "a", "ab", "abc", "abd", "b", "\xff", "abcdefghij" };
    for (size_t i = 0; i < COUNT(words); i++)
        for (size_t j = 0; j < COUNT(words); j++)
            printf("strcmp-sign: %zu %zu -> %d %d %d\n", i, j, sign(strcmp(words[i], words[j])),
                   sign(strncmp(words[i], words[j], 2)), sign(strncmp(words[i], words[j], 0)));
    for (size_t i = 0; i < COUNT(words); i++)
        printf("strlen: %zu -> %zu %zu %zu\n", i, strlen(words[i]), strnlen(words[i], 2),
               strnlen(words[i], 100));
    memset(b, 'Z', sizeof b);
    strncpy(b, "abc", 6);
    printf("strncpy-pads: -> [%d %d %d %d %d %d %c]\n", b[0], b[2], b[3], b[4], b[5], b[6] == 'Z', b[6]);
    memset(b, 'Z', sizeof b);
    strncpy(b, "abcdef", 3);
    printf("strncpy-no-terminator: -> [%c%c%c%c]\n", b[0], b[1], b[2], b[3]);
    strcpy(b, "ab");
    strcat(b, "cd");
    strncat(b, "efgh", 2);
    strncat(b, "", 5);
    printf("strcat: -> [%s] [%s]\n", b, stpcpy(b + 6, "xy") - 2);
    const char *s = "a,b;;c,,d";
    printf("strchr: %td %td %d %td\n", strchr(s, ';') - s, strchr(s, '\0') - s, strchr(s, 'z') == NULL,
           strrchr(s, ',') - s);
    printf("strrchr: %td %d\n", strrchr(s, '\0') - s, strrchr(s, 'q') == NULL);
    const char *h1 = "hello", *h2 = "abcabd", *h3 = "";
    printf("strstr: %td %td %td %d %td %d\n", strstr(h1, "ll") - h1, strstr(h2, "abd") - h2,
           strstr(h2, "") - h2, strstr("abc", "abcd") == NULL, strstr(h3, "") - h3,
           strstr("aaa", "b") == NULL);
    printf("strspn: %zu %zu %zu %zu\n", strspn("aabbc", "ab"), strspn("", "ab"), strspn("xyz", ""),
           strcspn("hello, world", ", "));
    const char *h4 = "hello, world";
    printf("strpbrk: %td %td %d\n", strpbrk(h4, " ,") - h4, strpbrk(h4, "h") - h4,
           strpbrk("abc", "xyz") == NULL);
    strcpy(b, ",,a,b;;c,,");
    char *save = NULL;
    for (char *t = strtok_r(b, ",;", &save); t; t = strtok_r(NULL, ",;", &save))
        printf("strtok_r: token [%s]\n", t);
    strcpy(b, ";;;");
    printf("strtok_r: only delimiters -> %d\n", strtok_r(b, ";", &save) == NULL);
    for (int e = -1; e <= 40; e++)
        printf("strerror: %d -> [%s]\n", e, strerror(e));
    printf("strerror: 200 -> [%s]\n", strerror(200));
}

/* ---- numbers ---------------------------------------------------------------- */

static void table_strtol(void)
{
    static const char *const inputs[] = {
        "", " ", "0", "-0", "42", "  -0x1f", "0x", "0xg", "0X1A", "077", "08", "-", "+", "+7",
        "123abc", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "18446744073709551615", "18446744073709551616",
        "99999999999999999999999", "-1", "zz", "ZZ", " \t\v\f\r42", "1010", "0b101", "  +0x7fffffff",
        "4294967296", "-4294967296",
    };
    static const int bases[] = { 0, 2, 8, 10, 16, 36 };
    for (size_t i = 0; i < COUNT(inputs); i++)
        for (size_t b = 0; b < COUNT(bases); b++) {
            char *end;
            errno = 0;
            long v = strtol(inputs[i], &end, bases[b]);
            int e1 = errno;
            long o1 = end - inputs[i];
            errno = 0;
            unsigned long u = strtoul(inputs[i], &end, bases[b]);
            int e2 = errno;
            long o2 = end - inputs[i];
            errno = 0;
            long long ll = strtoll(inputs[i], &end, bases[b]);
            int e3 = errno;
            errno = 0;
            unsigned long long ull = strtoull(inputs[i], NULL, bases[b]);
            printf("strtol-bases: \"%s\" base %d -> %ld end %ld errno %d | %lu end %ld errno %d | %lld %d | %llu %d\n",
                   inputs[i], bases[b], v, o1, e1, u, o2, e2, ll, e3, ull, errno);
        }
    static const int bad[] = { 1, 37, -1 };
    for (size_t b = 0; b < COUNT(bad); b++) {
        char *end = NULL;
        errno = 0;
        long v = strtol("123", &end, bad[b]);
        printf("strtol-bad-base: %d -> %ld errno %d\n", bad[b], v, errno);
    }
    printf("atoi: %d %d %d %ld %lld\n", atoi("  12xyz"), atoi("-2147483648"), atoi("abc"), atol("-77"),
           atoll("9223372036854775807"));
}

/* ---- reading files (run from the repository root) ---------------------- */

/* Copies text with newlines and tabs spelled out, so that one case stays
 * on one line of the table. */
static const char *escaped(const char *text, size_t n)
{
    static char buf[600];
    size_t o = 0;
    for (size_t i = 0; i < n && text[i] && o + 3 < sizeof buf; i++) {
        if (text[i] == '\n' || text[i] == '\t') {
            buf[o++] = '\\';
            buf[o++] = text[i] == '\n' ? 'n' : 't';
        } else {
            buf[o++] = text[i];
        }
    }
    buf[o] = '\0';
    return buf;
}

static void table_stdio_read(void)
{
    static const int sizes[] = { 1, 2, 5, 16, 200 };
    const char *path = "tests/libc/lines.txt";
    for (size_t i = 0; i < COUNT(sizes); i++) {
        FILE *f = fopen(path, "r");
        char buf[256];
        int calls = 0;
        if (!f) {
            printf("fgets-sizes: cannot open %s\n", path);
            return;
        }
        while (calls < 200 && fgets(buf, sizes[i], f)) {
            printf("fgets-sizes: size %d call %d -> [%s] eof %d\n", sizes[i], calls,
                   escaped(buf, sizeof buf), feof(f) != 0);
            calls++;
        }
        printf("fgets-sizes: size %d end after %d calls, eof %d, fgetc %d\n", sizes[i], calls,
               feof(f) != 0, fgetc(f));
        fclose(f);
    }
    FILE *f = fopen(path, "r");
    char chunk[7];
    size_t n, total = 0;
    while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        total += n;
        printf("fread-chunks: %zu [%s]\n", n, escaped(chunk, n));
    }
    printf("fread-chunks: total %zu eof %d\n", total, f && feof(f));
    if (f)
        fclose(f);
    errno = 0;
    f = fopen("tests/libc/no-such-file", "r");
    printf("fopen-missing: %d errno %d\n", f == NULL, errno);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void table_sort(void)
{
    int v[64];
    unsigned seed = 12345;
    for (int n = 0; n <= 64; n += 7) {
        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245 + 12345;
            v[i] = (int)(seed >> 16) % 100 - 50;
        }
        qsort(v, (size_t)n, sizeof v[0], cmp_int);
        int len = 0;
        for (int i = 0; i < n; i++)
            len += snprintf(out + len, sizeof out - (size_t)len, "%d ", v[i]);
        out[len] = '\0';
        printf("qsort-ints: n %d -> [%s]\n", n, out);
        for (int key = -52; key <= 52; key += 13) {
            int *hit = bsearch(&key, v, (size_t)n, sizeof v[0], cmp_int);
            printf("bsearch: n %d key %d -> %s\n", n, key, hit ? (*hit == key ? "found" : "WRONG") : "absent");
        }
    }
}

int main(void)
{
    table_ints();
    table_floats();
    table_float_exact();
    table_long_double();
    table_lengths();
    table_misc();
    table_snprintf();
    table_mem();
    table_str();
    table_strtol();
    table_sort();
    table_stdio_read();
    return 0;
}
