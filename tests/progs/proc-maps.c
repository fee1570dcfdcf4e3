/*
 * tests/progs/proc-maps.c - /proc/self/maps and /proc/self/statm read the
 * same way on Linux and on our kernel: every line parses in Linux's format,
 * [stack] and [heap] are named, a new mapping appears with its permissions,
 * mprotect of its middle page splits it in three, munmap removes it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "expect.h"
#include "read-file.h"

#define PAGE 4096UL

static char text[65536];

static long slurp(const char *path)
{
    return read_file(path, text, sizeof text);
}

/* Reads a number in base at *p, which must be followed by sep; 0 if not. */
static int field(char **p, int base, char sep, unsigned long *v)
{
    char *end;
    *v = strtoul(*p, &end, base);
    if (end == *p || *end != sep)
        return 0;
    *p = end + 1;
    return 1;
}

/* Parses "start-end perms offset dev:dev inode [name]". */
static int parse(const char *line, unsigned long *s, unsigned long *e, char perms[5])
{
    char *p = (char *)line;
    unsigned long off, maj, min, inode;
    if (!field(&p, 16, '-', s) || !field(&p, 16, ' ', e))
        return 0;
    memcpy(perms, p, 4);
    perms[4] = '\0';
    if (p[4] != ' ')
        return 0;
    p += 5;
    if (!field(&p, 16, ' ', &off) || !field(&p, 16, ':', &maj) || !field(&p, 16, ' ', &min))
        return 0;
    char *end;
    inode = strtoul(p, &end, 10);
    (void)inode;
    return end != p && (*end == ' ' || *end == '\n');
}

/* The permissions of the line covering [a, b), or "" if none / "?" if a
 * line only overlaps it. */
static const char *perms_of(unsigned long a, unsigned long b, int exact)
{
    static char perms[5];
    slurp("/proc/self/maps");
    for (char *l = text; *l; l = strchr(l, '\n') + 1) {
        unsigned long s, e;
        if (parse(l, &s, &e, perms) && s < b && a < e)
            return (exact ? s == a && e == b : s <= a && b <= e) ? perms : "?";
        if (!strchr(l, '\n'))
            break;
    }
    return "";
}

static int has_line_ending(const char *suffix)
{
    slurp("/proc/self/maps");
    size_t n = strlen(suffix);
    for (char *l = text; *l;) {
        char *nl = strchr(l, '\n');
        if (nl && nl - l >= (long)n && memcmp(nl - n, suffix, n) == 0)
            return 1;
        if (!nl)
            break;
        l = nl + 1;
    }
    return 0;
}

int main(void)
{
    verdict(slurp("/proc/self/maps") > 0, "maps-readable");
    int lines = 0, bad = 0;
    for (char *l = text; *l; l = strchr(l, '\n') + 1) {
        unsigned long s, e;
        char perms[5];
        lines++;
        bad += !parse(l, &s, &e, perms) || s >= e || s % PAGE || e % PAGE ||
               strlen(perms) != 4 || perms[3] != 'p';
        if (!strchr(l, '\n'))
            break;
    }
    verdict(lines >= 3 && bad == 0, "maps-every-line-parses");
    verdict(has_line_ending(" [stack]"), "maps-names-the-stack");

    char *p = mmap(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned long a = (unsigned long)p;
    verdict(strcmp(perms_of(a, a + 3 * PAGE, 0), "rw-p") == 0, "maps-shows-new-mapping-rw");
    mprotect(p + PAGE, PAGE, PROT_READ);
    verdict(strcmp(perms_of(a + PAGE, a + 2 * PAGE, 1), "r--p") == 0,
            "mprotect-middle-page-splits-mapping");
    verdict(strcmp(perms_of(a + 2 * PAGE, a + 3 * PAGE, 0), "rw-p") == 0,
            "mprotect-leaves-the-rest-rw");
    munmap(p, 3 * PAGE);
    verdict(strcmp(perms_of(a, a + 3 * PAGE, 0), "") == 0, "munmap-removes-it-from-maps");

    char *b0 = sbrk(0);
    sbrk(10 * PAGE);
    unsigned long top = (unsigned long)sbrk(0);
    verdict(has_line_ending(" [heap]") &&
            strcmp(perms_of((top - 1) & ~(PAGE - 1), (top - 1 + PAGE) & ~(PAGE - 1), 0),
                   "rw-p") == 0, "maps-names-the-heap");
    sbrk(-(long)(top - (unsigned long)b0));

    long st = slurp("/proc/self/statm");
    unsigned long v[7];
    int n = 0;
    for (char *q = text; n < 7 && field(&q, 10, n == 6 ? '\n' : ' ', &v[n]); n++)
        ;
    verdict(st > 0 && n == 7 && v[0] >= v[1] && v[1] > 0, "statm-has-seven-fields");
    printf("proc-maps: %s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
