/*
 * libc/src/format.h - the printf engine shared by every printf-family
 * function. Output goes to a sink: a callback that receives pieces of text
 * (a FILE buffer, a string, a file descriptor). The engine counts every
 * character it produced, which is what printf returns.
 */
#ifndef LIBC_FORMAT_H
#define LIBC_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

struct fmt_sink {
    void (*put)(struct fmt_sink *sink, const char *text, size_t len);
    size_t count;   /* characters produced so far */
};

/* One parsed conversion: %[flags][width][.prec][length]conv */
#define FMT_MINUS 1u
#define FMT_PLUS  2u
#define FMT_SPACE 4u
#define FMT_HASH  8u
#define FMT_ZERO  16u
struct fmt_spec {
    unsigned flags;
    int width;   /* 0: none */
    int prec;    /* -1: none */
    char conv;
};

/* Formats fmt with ap into sink; returns the number of characters
 * produced, or -1 when it exceeds INT_MAX. */
int __vformat(struct fmt_sink *sink, const char *fmt, va_list ap);

/* Emits len bytes of text / n copies of c (n <= 0: nothing). */
void __fmt_put(struct fmt_sink *sink, const char *text, size_t len);
void __fmt_pad(struct fmt_sink *sink, char c, int n);

/* Formats one floating conversion (e E f F g G a A) of v, a double
 * unless is_long (an L length modifier: x87 extended precision). */
void __fmt_float(struct fmt_sink *sink, const struct fmt_spec *spec, long double v, int is_long);

#endif
