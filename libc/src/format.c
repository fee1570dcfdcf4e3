/*
 * libc/src/format.c - the printf engine: parses each conversion (flags,
 * width, precision, length) and formats integers, characters, strings,
 * pointers and %n; floating conversions are in format_float.c.
 * Output matches glibc's for every flag combination the C standard defines
 * (including glibc's "(nil)" and "(null)").
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "format.h"

void __fmt_put(struct fmt_sink *sink, const char *text, size_t len)
{
    if (len) {
        sink->put(sink, text, len);
        sink->count += len;
    }
}

void __fmt_pad(struct fmt_sink *sink, char c, int n)
{
    char block[32];
    if (n <= 0)
        return;
    memset(block, c, sizeof block);
    while (n > 0) {
        int k = n < (int)sizeof block ? n : (int)sizeof block;
        __fmt_put(sink, block, (size_t)k);
        n -= k;
    }
}

/* Emits text padded to the spec's width (spaces; left or right). */
static void put_padded(struct fmt_sink *sink, const struct fmt_spec *sp,
                       const char *text, size_t len)
{
    int pad = sp->width - (int)len;
    if (!(sp->flags & FMT_MINUS))
        __fmt_pad(sink, ' ', pad);
    __fmt_put(sink, text, len);
    if (sp->flags & FMT_MINUS)
        __fmt_pad(sink, ' ', pad);
}

/*
 * An integer: [spaces][prefix][zeros][digits][spaces]. prefix is the sign
 * or 0x; zeros come from the precision, or from the 0 flag when there is
 * no precision and no - flag.
 */
static void put_int(struct fmt_sink *sink, const struct fmt_spec *sp,
                    uintmax_t v, int negative)
{
    char buf[72];
    char *end = buf + sizeof buf, *p = end;
    unsigned base = sp->conv == 'o' ? 8 : (sp->conv == 'x' || sp->conv == 'X') ? 16 : 10;
    const char *digits = sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    for (uintmax_t x = v; x; x /= base)
        *--p = digits[x % base];
    int ndig = (int)(end - p);
    if (sp->prec < 0 && v == 0)
        *--p = '0', ndig = 1;
    int prec = sp->prec > ndig ? sp->prec : ndig;
    if (sp->conv == 'o' && (sp->flags & FMT_HASH) && (ndig == 0 || *p != '0') && prec <= ndig)
        prec = ndig + 1;   /* # with o: the first digit is a 0 */
    const char *prefix = "";
    if (negative)
        prefix = "-";
    else if (sp->conv == 'd' || sp->conv == 'i')
        prefix = (sp->flags & FMT_PLUS) ? "+" : (sp->flags & FMT_SPACE) ? " " : "";
    else if ((sp->flags & FMT_HASH) && v != 0 && base == 16)
        prefix = sp->conv == 'X' ? "0X" : "0x";
    int plen = (int)strlen(prefix);
    int pad = sp->width - plen - prec;
    int zero_pad = (sp->flags & FMT_ZERO) && !(sp->flags & FMT_MINUS) && sp->prec < 0;
    if (!(sp->flags & FMT_MINUS) && !zero_pad)
        __fmt_pad(sink, ' ', pad);
    __fmt_put(sink, prefix, (size_t)plen);
    if (zero_pad)
        __fmt_pad(sink, '0', pad);
    __fmt_pad(sink, '0', prec - ndig);
    __fmt_put(sink, p, (size_t)ndig);
    if (sp->flags & FMT_MINUS)
        __fmt_pad(sink, ' ', pad);
}

/* Length modifiers, from the shortest to the longest. */
enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_J, LEN_Z, LEN_T, LEN_BIGL };

static intmax_t arg_signed(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_HH: return (signed char)va_arg(*ap, int);
    case LEN_H: return (short)va_arg(*ap, int);
    case LEN_L: return va_arg(*ap, long);
    case LEN_LL: return va_arg(*ap, long long);
    case LEN_J: return va_arg(*ap, intmax_t);
    case LEN_Z: return va_arg(*ap, long);      /* ssize_t */
    case LEN_T: return va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, int);
    }
}

static uintmax_t arg_unsigned(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_HH: return (unsigned char)va_arg(*ap, unsigned);
    case LEN_H: return (unsigned short)va_arg(*ap, unsigned);
    case LEN_L: return va_arg(*ap, unsigned long);
    case LEN_LL: return va_arg(*ap, unsigned long long);
    case LEN_J: return va_arg(*ap, uintmax_t);
    case LEN_Z: return va_arg(*ap, size_t);
    case LEN_T: return (uintmax_t)va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, unsigned);
    }
}

/* %n: stores the count so far through a pointer of the right width. */
static void store_count(va_list *ap, enum length len, size_t count)
{
    switch (len) {
    case LEN_HH: *va_arg(*ap, signed char *) = (signed char)count; break;
    case LEN_H: *va_arg(*ap, short *) = (short)count; break;
    case LEN_L: *va_arg(*ap, long *) = (long)count; break;
    case LEN_LL: *va_arg(*ap, long long *) = (long long)count; break;
    case LEN_J: *va_arg(*ap, intmax_t *) = (intmax_t)count; break;
    case LEN_Z: *va_arg(*ap, size_t *) = count; break;
    case LEN_T: *va_arg(*ap, ptrdiff_t *) = (ptrdiff_t)count; break;
    default: *va_arg(*ap, int *) = (int)count; break;
    }
}

static void put_string(struct fmt_sink *sink, struct fmt_spec *sp, const char *s)
{
    if (!s)
        s = (sp->prec < 0 || sp->prec >= 6) ? "(null)" : "";
    size_t n = sp->prec < 0 ? strlen(s) : strnlen(s, (size_t)sp->prec);
    put_padded(sink, sp, s, n);
}

static void put_pointer(struct fmt_sink *sink, struct fmt_spec *sp, void *p)
{
    if (!p) {
        sp->prec = -1;
        put_string(sink, sp, "(nil)");
        return;
    }
    sp->conv = 'x';
    sp->flags |= FMT_HASH;
    put_int(sink, sp, (uintptr_t)p, 0);
}

/* Reads flags, width, precision and length; returns the conversion char. */
static const char *parse_spec(const char *f, struct fmt_spec *sp, enum length *len,
                              va_list *ap)
{
    sp->flags = 0;
    for (;; f++) {
        unsigned bit = *f == '-' ? FMT_MINUS : *f == '+' ? FMT_PLUS : *f == ' ' ? FMT_SPACE
                     : *f == '#' ? FMT_HASH : *f == '0' ? FMT_ZERO : *f == '\'' ? 1u << 8 : 0;
        if (!bit)
            break;
        sp->flags |= bit;
    }
    sp->width = 0;
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0)
            sp->flags |= FMT_MINUS, sp->width = -sp->width;
        f++;
    } else {
        while (*f >= '0' && *f <= '9')
            sp->width = sp->width * 10 + (*f++ - '0');
    }
    sp->prec = -1;
    if (*f == '.') {
        f++;
        if (*f == '*') {
            sp->prec = va_arg(*ap, int);
            if (sp->prec < 0)
                sp->prec = -1;
            f++;
        } else {
            sp->prec = 0;
            while (*f >= '0' && *f <= '9')
                sp->prec = sp->prec * 10 + (*f++ - '0');
        }
    }
    *len = LEN_NONE;
    if (*f == 'h')
        *len = f[1] == 'h' ? (f++, LEN_HH) : LEN_H, f++;
    else if (*f == 'l')
        *len = f[1] == 'l' ? (f++, LEN_LL) : LEN_L, f++;
    else if (*f == 'q')
        *len = LEN_LL, f++;
    else if (*f == 'j')
        *len = LEN_J, f++;
    else if (*f == 'z' || *f == 'Z')
        *len = LEN_Z, f++;
    else if (*f == 't')
        *len = LEN_T, f++;
    else if (*f == 'L')
        *len = LEN_BIGL, f++;
    sp->conv = *f;
    return f;
}

/* Formats one conversion; f points at its conversion character. */
static void convert(struct fmt_sink *sink, struct fmt_spec *sp, enum length len,
                    va_list *ap, int saved_errno)
{
    char c;
    switch (sp->conv) {
    case 'd': case 'i': {
        intmax_t v = arg_signed(ap, len);
        put_int(sink, sp, v < 0 ? -(uintmax_t)v : (uintmax_t)v, v < 0);
        break;
    }
    case 'u': case 'o': case 'x': case 'X':
        put_int(sink, sp, arg_unsigned(ap, len), 0);
        break;
    case 'c':
        c = (char)va_arg(*ap, int);
        put_padded(sink, sp, &c, 1);
        break;
    case 's':
        put_string(sink, sp, va_arg(*ap, const char *));
        break;
    case 'm':
        put_string(sink, sp, strerror(saved_errno));
        break;
    case 'p':
        put_pointer(sink, sp, va_arg(*ap, void *));
        break;
    case 'n':
        store_count(ap, len, sink->count);
        break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
        if (len == LEN_BIGL)
            __fmt_float(sink, sp, va_arg(*ap, long double), 1);
        else
            __fmt_float(sink, sp, va_arg(*ap, double), 0);
        break;
    default:
        break;
    }
}

int __vformat(struct fmt_sink *sink, const char *fmt, va_list ap_in)
{
    va_list ap;
    int saved_errno = errno;
    va_copy(ap, ap_in);
    sink->count = 0;
    while (*fmt) {
        const char *pct = strchr(fmt, '%');
        size_t lit = pct ? (size_t)(pct - fmt) : strlen(fmt);
        __fmt_put(sink, fmt, lit);
        if (!pct)
            break;
        if (pct[1] == '%') {
            __fmt_put(sink, "%", 1);
            fmt = pct + 2;
            continue;
        }
        struct fmt_spec sp;
        enum length len;
        const char *f = parse_spec(pct + 1, &sp, &len, &ap);
        if (!*f)
            break;
        convert(sink, &sp, len, &ap, saved_errno);
        fmt = f + 1;
    }
    va_end(ap);
    if (sink->count > INT_MAX) {
        errno = EOVERFLOW;
        return -1;
    }
    return (int)sink->count;
}
