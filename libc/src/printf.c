/*
 * libc/src/printf.c - the printf family: each function is the engine
 * (format.c) with a different sink: a FILE, a bounded string, a file
 * descriptor.
 */
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "format.h"

/* ---- to a FILE ---------------------------------------------------------- */
struct file_sink {
    struct fmt_sink base;
    FILE *f;
    int failed;
};

static void file_put(struct fmt_sink *s, const char *text, size_t len)
{
    struct file_sink *fs = (struct file_sink *)s;
    if (fwrite(text, 1, len, fs->f) != len)
        fs->failed = 1;
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
    struct file_sink s = { { file_put, 0 }, f, 0 };
    int n = __vformat(&s.base, fmt, ap);
    return s.failed ? -1 : n;
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *restrict fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

/* ---- to a string of size bytes (always NUL-terminated if size > 0) ----- */
struct str_sink {
    struct fmt_sink base;
    char *buf;
    size_t size, used;
};

static void str_put(struct fmt_sink *s, const char *text, size_t len)
{
    struct str_sink *ss = (struct str_sink *)s;
    for (size_t i = 0; i < len && ss->used + 1 < ss->size; i++)
        ss->buf[ss->used++] = text[i];
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
    struct str_sink s = { { str_put, 0 }, buf, size, 0 };
    int n = __vformat(&s.base, fmt, ap);
    if (size)
        buf[s.used] = '\0';
    return n;
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
    return vsnprintf(buf, (size_t)INT_MAX + 1, fmt, ap);
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsprintf(buf, fmt, ap);
    va_end(ap);
    return n;
}

/* ---- to a file descriptor, unbuffered except for a small block --------- */
struct fd_sink {
    struct fmt_sink base;
    int fd;
    size_t len;
    char buf[256];
};

static void fd_flush(struct fd_sink *s)
{
    size_t off = 0;
    while (off < s->len) {
        ssize_t w = write(s->fd, s->buf + off, s->len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    s->len = 0;
}

static void fd_put(struct fmt_sink *s, const char *text, size_t len)
{
    struct fd_sink *fs = (struct fd_sink *)s;
    for (size_t i = 0; i < len; i++) {
        if (fs->len == sizeof fs->buf)
            fd_flush(fs);
        fs->buf[fs->len++] = text[i];
    }
}

int vdprintf(int fd, const char *restrict fmt, va_list ap)
{
    struct fd_sink s = { { fd_put, 0 }, fd, 0, { 0 } };
    int n = __vformat(&s.base, fmt, ap);
    fd_flush(&s);
    return n;
}

int dprintf(int fd, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vdprintf(fd, fmt, ap);
    va_end(ap);
    return n;
}
