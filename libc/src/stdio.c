/*
 * libc/src/stdio.c - FILE: stdout (line-buffered), stderr (unbuffered)
 * and files opened for reading (the /proc files). Every FILE lives in a
 * small static table: stdio never calls malloc, so it can report on the
 * allocator while the allocator is being watched.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libc.h"

#define FILE_BUF 4096
#define MAX_FILES 8

enum { MODE_READ = 1, MODE_WRITE = 2, MODE_LINE = 4, MODE_UNBUF = 8 };

struct libc_file {
    int fd;
    int mode;            /* 0: slot unused */
    int eof, err;
    size_t pos, len;     /* read: unread bytes are buf[pos, len); write: buf[0, len) */
    char buf[FILE_BUF];
};

static struct libc_file files[MAX_FILES] = {
    { .fd = 0, .mode = MODE_READ },
    { .fd = 1, .mode = MODE_WRITE | MODE_LINE },
    { .fd = 2, .mode = MODE_WRITE | MODE_UNBUF },
};

FILE *const stdin = &files[0];
FILE *const stdout = &files[1];
FILE *const stderr = &files[2];

/* Writes all of p, retrying short writes; 0 or EOF. */
static int write_all(FILE *f, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(f->fd, p, n);
        if (w <= 0) {
            f->err = 1;
            return EOF;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int fflush(FILE *f)
{
    if (!f) {
        __stdio_flush_all();
        return 0;
    }
    if (!(f->mode & MODE_WRITE) || f->len == 0)
        return 0;
    size_t n = f->len;
    f->len = 0;
    return write_all(f, f->buf, n);
}

void __stdio_flush_all(void)
{
    for (int i = 0; i < MAX_FILES; i++)
        if (files[i].mode & MODE_WRITE)
            fflush(&files[i]);
}

/* Appends n bytes to f's buffer, flushing as its mode requires. */
static int file_write(FILE *f, const char *p, size_t n)
{
    if (!(f->mode & MODE_WRITE)) {
        f->err = 1;
        errno = EBADF;
        return EOF;
    }
    if (f->mode & MODE_UNBUF)
        return write_all(f, p, n);
    while (n) {
        size_t room = FILE_BUF - f->len;
        size_t k = n < room ? n : room;
        memcpy(f->buf + f->len, p, k);
        f->len += k;
        p += k;
        n -= k;
        if (f->len == FILE_BUF && fflush(f))
            return EOF;
    }
    if ((f->mode & MODE_LINE) && f->len && memchr(f->buf, '\n', f->len))
        return fflush(f);
    return 0;
}

size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f)
{
    if (size == 0 || n == 0)
        return 0;
    return file_write(f, p, size * n) ? 0 : n;
}

int fputs(const char *restrict s, FILE *restrict f)
{
    return file_write(f, s, strlen(s)) ? EOF : 1;
}

int fputc(int c, FILE *f)
{
    char ch = (char)c;
    return file_write(f, &ch, 1) ? EOF : (unsigned char)ch;
}

int putc(int c, FILE *f)
{
    return fputc(c, f);
}

int putchar(int c)
{
    return fputc(c, stdout);
}

int puts(const char *s)
{
    if (file_write(stdout, s, strlen(s)) || file_write(stdout, "\n", 1))
        return EOF;
    return 1;
}

/* ---- reading ------------------------------------------------------------ */

FILE *fopen(const char *restrict path, const char *restrict mode)
{
    if (mode[0] != 'r' || mode[1] == '+') {
        errno = EINVAL;   /* this libc opens files for reading only */
        return NULL;
    }
    int slot = 3;
    while (slot < MAX_FILES && files[slot].mode)
        slot++;
    if (slot == MAX_FILES) {
        errno = EMFILE;
        return NULL;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return NULL;
    FILE *f = &files[slot];
    f->fd = fd;
    f->mode = MODE_READ;
    f->eof = f->err = 0;
    f->pos = f->len = 0;
    return f;
}

/* Refills an empty read buffer; returns the bytes available (0: EOF/error). */
static size_t refill(FILE *f)
{
    if (f->pos < f->len)
        return f->len - f->pos;
    if (!(f->mode & MODE_READ) || f->eof || f->err)
        return 0;
    ssize_t r = read(f->fd, f->buf, FILE_BUF);
    f->pos = 0;
    f->len = r > 0 ? (size_t)r : 0;
    if (r == 0)
        f->eof = 1;
    else if (r < 0)
        f->err = 1;
    return f->len;
}

int fgetc(FILE *f)
{
    if (!refill(f))
        return EOF;
    return (unsigned char)f->buf[f->pos++];
}

int getc(FILE *f)
{
    return fgetc(f);
}

char *fgets(char *restrict buf, int size, FILE *restrict f)
{
    int n = 0;
    if (size <= 0)
        return NULL;
    if (size == 1) {   /* room for the terminator only, as glibc */
        buf[0] = '\0';
        return buf;
    }
    while (n < size - 1) {
        int c = fgetc(f);
        if (c == EOF)
            break;
        buf[n++] = (char)c;
        if (c == '\n')
            break;
    }
    if (n == 0)
        return NULL;
    buf[n] = '\0';
    return buf;
}

size_t fread(void *restrict p, size_t size, size_t n, FILE *restrict f)
{
    size_t want = size * n, got = 0;
    char *out = p;
    while (got < want && refill(f)) {
        size_t k = f->len - f->pos;
        if (k > want - got)
            k = want - got;
        memcpy(out + got, f->buf + f->pos, k);
        f->pos += k;
        got += k;
    }
    return size ? got / size : 0;
}

int feof(FILE *f)
{
    return f->eof && f->pos >= f->len;
}

int ferror(FILE *f)
{
    return f->err;
}

int fileno(FILE *f)
{
    return f->fd;
}

int fclose(FILE *f)
{
    int r = fflush(f);
    if (f->fd > 2 && close(f->fd) < 0)
        r = EOF;
    if (f >= &files[3])
        f->mode = 0;
    return r;
}

void perror(const char *s)
{
    const char *msg = strerror(errno);
    if (s && *s)
        fprintf(stderr, "%s: %s\n", s, msg);
    else
        fprintf(stderr, "%s\n", msg);
}
