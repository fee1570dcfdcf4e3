/*
 * bench/realloc.c - realloc growth of many buffers: 200 buffers grown in
 * turn (random buffer, appending 1..256 bytes with realloc, as string
 * builders and vectors without spare capacity do) until each reaches its
 * own final size (64 bytes .. 256 KiB, log-spread), then verified and
 * freed and started again. The largest ones cross the mmap threshold.
 *
 *   realloc [SCALE]   SCALE x 1,000,000 appends
 *
 * Byte k of buffer b holds (k * 131 + b) & 255; a buffer is checked in
 * full before it is freed, so realloc must preserve contents.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>

#define BUFFERS 200

struct buffer {
    unsigned char *p;
    size_t len, final;
};

static struct buffer bufs[BUFFERS];

static unsigned char pattern(size_t k, size_t b)
{
    return (unsigned char)((k * 131 + b) & 255);
}

/* Verifies and frees buffer b, then picks its next final size. */
static uint64_t restart(struct buffer *buf, size_t b, uint64_t *rng)
{
    uint64_t sum = buf->len;
    for (size_t k = 0; k < buf->len; k++)
        if (buf->p[k] != pattern(k, b)) {
            fprintf(stderr, "realloc: buffer %zu lost byte %zu of %zu\n", b, k, buf->len);
            exit(1);
        }
    free(buf->p);
    buf->p = NULL;
    buf->len = 0;
    buf->final = bench_log_size(rng, 64, 256 * 1024);
    return sum;
}

/* Appends n bytes to buffer b with one realloc. */
static void append(struct buffer *buf, size_t b, size_t n)
{
    unsigned char *p = realloc(buf->p, buf->len + n);
    if (!p) {
        fprintf(stderr, "realloc: realloc(%zu) failed\n", buf->len + n);
        exit(1);
    }
    for (size_t k = buf->len; k < buf->len + n; k++)
        p[k] = pattern(k, b);
    buf->p = p;
    buf->len += n;
}

int main(int argc, char **argv)
{
    long appends = (long)(bench_arg(argc, argv, 1, 1.0) * 1e6);
    uint64_t rng = 3, sum = 0;
    bench_report_allocator();

    for (size_t b = 0; b < BUFFERS; b++)
        bufs[b].final = bench_log_size(&rng, 64, 256 * 1024);
    for (long a = 0; a < appends; a++) {
        size_t b = (size_t)(bench_rand(&rng) % BUFFERS);
        append(&bufs[b], b, bench_range(&rng, 1, 256));
        if (bufs[b].len >= bufs[b].final)
            sum += restart(&bufs[b], b, &rng);
    }
    for (size_t b = 0; b < BUFFERS; b++)
        sum += restart(&bufs[b], b, &rng);
    bench_checksum(sum);
    return 0;
}
