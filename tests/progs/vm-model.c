/*
 * tests/progs/vm-model.c - random mmap / munmap / mprotect / madvise /
 * writes on a 64-page region, checked after every step against a model
 * of each page (mapped? protection? contents?): /proc/self/maps must
 * show the model's protections, mapped pages must read what was written
 * (or zero), and resident memory must equal the pages written. The same
 * seed gives the same output on Linux and on our kernel.
 *   vm-model [STEPS [SEED]]    defaults: 400 1
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "rawsys.h"
#include "read-file.h"

#define PAGE 4096UL
#define NPAGES 64
#define BASE 0x300000000000UL

struct page {
    int mapped, prot;      /* prot: PROT_* bits */
    unsigned char value;   /* what its first byte holds */
    int resident;          /* written since mapped / dropped */
};

static struct page model[NPAGES];
static unsigned long long rng;
static char text[65536];

static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(rng >> 33) % n;
}

static char *addr(int i)
{
    return (char *)(BASE + i * PAGE);
}

/* One random operation on [a, a + n); returns a label for messages. */
static const char *step(void)
{
    int a = (int)rnd(NPAGES), n = 1 + (int)rnd(8);
    if (a + n > NPAGES)
        n = NPAGES - a;
    int prots[] = { PROT_READ | PROT_WRITE, PROT_READ, PROT_NONE };
    int prot = prots[rnd(3)];
    switch (rnd(5)) {
    case 0:
        if (mmap(addr(a), n * PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
            == MAP_FAILED)
            return "mmap failed";
        for (int i = a; i < a + n; i++)
            model[i] = (struct page){ 1, prot, 0, 0 };
        return NULL;
    case 1:
        munmap(addr(a), n * PAGE);
        for (int i = a; i < a + n; i++)
            model[i] = (struct page){ 0, 0, 0, 0 };
        return NULL;
    case 2: {
        int r = mprotect(addr(a), n * PAGE, prot), hole = 0;
        for (int i = a; i < a + n && !(hole |= !model[i].mapped); i++)
            model[i].prot = prot;   /* Linux: up to the first hole */
        return (r != 0) != hole ? "mprotect result" : NULL;
    }
    case 3: {
        int r = madvise(addr(a), n * PAGE, MADV_DONTNEED), hole = 0;
        for (int i = a; i < a + n; i++) {
            hole |= !model[i].mapped;
            if (model[i].mapped)
                model[i].value = 0, model[i].resident = 0;
        }
        return (r != 0) != hole ? "madvise result" : NULL;
    }
    default:
        if (model[a].mapped && (model[a].prot & PROT_WRITE)) {
            unsigned char v = (unsigned char)(1 + rnd(255));
            *addr(a) = (char)v;
            model[a].value = v;
            model[a].resident = 1;
        }
        return NULL;
    }
}

/* The protection /proc/self/maps shows for page i, or -1 if none. */
static int maps_prot(int i)
{
    unsigned long va = (unsigned long)addr(i);
    for (char *l = text; *l;) {
        char *end;
        unsigned long s = strtoul(l, &end, 16), e = strtoul(end + 1, &end, 16);
        if (s <= va && va < e)
            return (end[1] == 'r' ? PROT_READ : 0) | (end[2] == 'w' ? PROT_WRITE : 0);
        char *nl = strchr(l, '\n');
        if (!nl)
            break;
        l = nl + 1;
    }
    return -1;
}

static void read_maps(void)
{
    read_file("/proc/self/maps", text, sizeof text);
}

/* Compares everything with the model; returns what differs or NULL. */
static const char *check(long base_resident)
{
    long resident = 0;
    read_maps();
    for (int i = 0; i < NPAGES; i++) {
        int mp = maps_prot(i);
        if (mp != (model[i].mapped ? model[i].prot : -1))
            return "protection in maps";
        int probe = madvise(addr(i), PAGE, MADV_NORMAL) == 0;
        if (probe != model[i].mapped)
            return "mapped or not";
        if (model[i].mapped && (model[i].prot & PROT_READ) &&
            *(volatile unsigned char *)addr(i) != model[i].value)
            return "contents";
        resident += model[i].resident;
    }
    if (statm_resident() - base_resident != resident)
        return "resident pages";
    return NULL;
}

int main(int argc, char **argv)
{
    long steps = argc > 1 ? atol(argv[1]) : 400;
    rng = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
    read_maps();
    check(statm_resident());    /* warm up: code and stack of the checks */
    long base = statm_resident();
    for (long s = 1; s <= steps; s++) {
        const char *why = step();
        if (!why)
            why = check(base);
        if (why) {
            printf("FAIL vm-model-matches-after-every-step: step %ld: %s\n", s, why);
            return 1;
        }
    }
    munmap(addr(0), NPAGES * PAGE);
    long left = statm_resident() - base;
    printf("ok vm-model-matches-after-every-step # %ld steps\n", steps);
    if (left == 0)
        printf("ok vm-model-munmap-returns-every-page\n");
    else
        printf("FAIL vm-model-munmap-returns-every-page: %ld pages left\n", left);
    return left != 0;
}
