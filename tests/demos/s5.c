/*
 * tests/demos/s5.c - S5: the pointer malloc returns sits 16 bytes past the
 * start of its chunk; the 16 bytes before it are a header: the previous
 * chunk's size (valid only when that chunk is free) and this chunk's size
 * with three flag bits. free() reads the size from there.
 *
 *   chunk -> [ prev_size (8) ][ size | flags (8) ]  <- 16-byte header
 *   p     -> [ user data ...                     ]
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"

static void hexdump(const void *from, size_t n)
{
    const unsigned char *b = from;
    for (size_t i = 0; i < n; i += 16) {
        printf("     %p: ", (const void *)(b + i));
        for (size_t j = 0; j < 16; j++)
            printf("%02x%s", b[i + j], j == 7 ? "  " : " ");
        printf("\n");
    }
}

static size_t header_size(const void *p)
{
    return ((const size_t *)p)[-1];
}

int main(int argc, char **argv)
{
    demo_begin("S5", "the chunk header: 16 bytes before the pointer tell free() the size", argc, argv);
    char *a = malloc(24);
    char *b = malloc(100);
    strcpy(a, "hello");
    printf("   a = malloc(24) = %p, b = malloc(100) = %p\n", (void *)a, (void *)b);
    printf("   the 16 bytes before a, then a's first 16 bytes:\n");
    hexdump(a - 16, 32);
    size_t ha = header_size(a), hb = header_size(b);
    printf("   a's size field: %#zx = chunk of %zu bytes | flags %zu (P: the previous chunk is in use)\n",
           ha, ha & ~(size_t)15, ha & 15);
    printf("   b's size field: %#zx = chunk of %zu bytes\n", hb, hb & ~(size_t)15);
    printf("   a + %zu (a's chunk size) = %p = b - 16: chunks follow each other\n", ha & ~(size_t)15,
           (void *)(a - 16 + (ha & ~(size_t)15)));
    demo_check((ha & ~(size_t)15) == 32 && (hb & ~(size_t)15) == 112, "size-field-holds-chunk-size",
               "sizes %zu and %zu, want 32 and 112", ha & ~(size_t)15, hb & ~(size_t)15);
    demo_check((hb & 1) == 1, "prev-inuse-bit-set", "b's P bit is clear while a is in use");
    demo_check(a - 16 + (ha & ~(size_t)15) == b - 16, "next-chunk-at-chunk-plus-size",
               "b's chunk is not right after a's");
    demo_check(malloc_usable_size(a) == (ha & ~(size_t)15) - 8, "usable-size-from-header",
               "usable %zu", malloc_usable_size(a));
    char *m = malloc(256 * KiB);
    size_t hm = header_size(m);
    printf("   m = malloc(256 KiB) = %p: size field %#zx (bit 1, M: a mapping of its own)\n",
           (void *)m, hm);
    hexdump(m - 16, 16);
    demo_check((hm & 2) == 2 && (hm & ~(size_t)15) >= 256 * KiB + 16, "mmapped-bit-set",
               "size field %#zx", hm);
    free(m);
    free(b);
    free(a);
    return demo_end();
}
