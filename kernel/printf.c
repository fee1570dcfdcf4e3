/*
 * kernel/printf.c - formatted output: kvsnprintf (the formatter), ksnprintf
 * and kprintf (to the console). A small subset of C's printf: conversions
 * d i u x X p s c %, flags '-' and '0', a width (number or '*'), a
 * precision for %s ("%.*s"), length
 * modifiers l, ll, z (all integers are handled as 64-bit).
 */
#include "kernel.h"

struct out {
    char *buf;
    size_t size;
    size_t len;   /* bytes the full output needs so far */
};

static void out_char(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void out_padded(struct out *o, const char *s, size_t n, int width,
                       bool left, char pad)
{
    int fill = width > (int)n ? width - (int)n : 0;
    if (!left)
        while (fill-- > 0)
            out_char(o, pad);
    for (size_t i = 0; i < n; i++)
        out_char(o, s[i]);
    if (left)
        while (fill-- > 0)
            out_char(o, ' ');
}

/* Formats v in base 10 or 16 into the end of tmp; returns the start. */
static char *fmt_uint(char *end, uint64_t v, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    *--end = '\0';
    do {
        *--end = digits[v % base];
        v /= base;
    } while (v);
    return end;
}

static void out_number(struct out *o, char conv, uint64_t v, int width,
                       bool left, char pad)
{
    char tmp[24], *s;
    bool neg = false;
    if (conv == 'd' || conv == 'i') {
        if ((int64_t)v < 0) {
            neg = true;
            v = -v;
        }
        s = fmt_uint(tmp + sizeof tmp, v, 10, false);
    } else if (conv == 'u') {
        s = fmt_uint(tmp + sizeof tmp, v, 10, false);
    } else {
        s = fmt_uint(tmp + sizeof tmp, v, 16, conv == 'X');
    }
    if (neg) {
        if (pad == '0') {
            out_char(o, '-');
            width--;
        } else {
            *--s = '-';
        }
    }
    out_padded(o, s, strlen(s), width, left, pad);
}

/* Formats like vsnprintf; returns the length of the whole output. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out_char(&o, *fmt);
            continue;
        }
        fmt++;
        bool left = false;
        char pad = ' ';
        for (; *fmt == '-' || *fmt == '0'; fmt++) {
            if (*fmt == '-')
                left = true;
            else
                pad = '0';
        }
        int width = 0;
        if (*fmt == '*') {
            width = va_arg(ap, int);
            fmt++;
        }
        for (; *fmt >= '0' && *fmt <= '9'; fmt++)
            width = width * 10 + (*fmt - '0');
        int prec = -1;
        if (fmt[0] == '.' && fmt[1] == '*') {
            prec = va_arg(ap, int);
            fmt += 2;
        }
        int longs = 0;
        for (; *fmt == 'l' || *fmt == 'z'; fmt++)
            longs++;
        char c = *fmt;
        if (c == 'd' || c == 'i' || c == 'u' || c == 'x' || c == 'X') {
            uint64_t v;
            if (longs)
                v = va_arg(ap, uint64_t);
            else if (c == 'd' || c == 'i')
                v = (uint64_t)(int64_t)va_arg(ap, int);
            else
                v = va_arg(ap, unsigned int);
            out_number(&o, c, v, width, left, pad);
        } else if (c == 'p') {
            out_char(&o, '0');
            out_char(&o, 'x');
            out_number(&o, 'x', (uint64_t)va_arg(ap, void *), width, left, pad);
        } else if (c == 's') {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            size_t n = strlen(s);
            if (prec >= 0 && (size_t)prec < n)
                n = (size_t)prec;
            out_padded(&o, s, n, width, left, ' ');
        } else if (c == 'c') {
            char ch = (char)va_arg(ap, int);
            out_padded(&o, &ch, 1, width, left, ' ');
        } else if (c == '%') {
            out_char(&o, '%');
        } else if (c == '\0') {
            break;
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

/* Formats into buf; see kvsnprintf. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* Formats to the console; lines longer than 512 bytes are cut. */
void kprintf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (!cons_at_line_start())
        cons_write("\n", 1);
    cons_write(buf, MIN((size_t)n, sizeof buf - 1));
}
