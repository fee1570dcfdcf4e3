/*
 * tests/demos/lib/demo.c - the demos' shared helpers (see demo.h): checks,
 * /proc parsing without sscanf or malloc, and the heap dump.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "demo.h"

static const char *demo_id;
static int passes, failures, json;

void demo_begin(const char *id, const char *title, int argc, char **argv)
{
    demo_id = id;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
    const char *env = getenv("TIDE_DEMO_JSON");
    if (env && *env == '1')
        json = 1;
    tide_mallopt(TIDE_M_PROFILE, 1);
    printf("== %s: %s\n", id, title);
}

int demo_end(void)
{
    printf("%s: %d passed, %d failed\n", demo_id, passes, failures);
    return failures != 0;
}

void demo_check(int ok, const char *name, const char *why_fmt, ...)
{
    if (ok) {
        printf("ok %s\n", name);
        passes++;
        return;
    }
    va_list ap;
    va_start(ap, why_fmt);
    printf("FAIL %s: ", name);
    vprintf(why_fmt, ap);
    printf("\n");
    va_end(ap);
    failures++;
}

void demo_differs(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("   (tide differs from glibc here, by design: ");
    vprintf(fmt, ap);
    printf(")\n");
    va_end(ap);
}

/* ---- /proc/self/maps --------------------------------------------------- */

/* Parses "start-end perms offset dev inode   name". */
static int parse_map_line(const char *line, struct map *m)
{
    char *p;
    m->start = strtoul(line, &p, 16);
    if (*p != '-')
        return 0;
    m->end = strtoul(p + 1, &p, 16);
    while (*p == ' ')
        p++;
    memcpy(m->perms, p, 4);
    m->perms[4] = '\0';
    for (int field = 0; field < 4 && *p; field++) {   /* perms offset dev inode */
        while (*p && *p != ' ')
            p++;
        while (*p == ' ')
            p++;
    }
    size_t n = strcspn(p, "\n");
    if (n >= sizeof m->name)
        n = sizeof m->name - 1;
    memcpy(m->name, p, n);
    m->name[n] = '\0';
    return 1;
}

/* Calls fn on each mapping until it returns non-zero; returns that. */
static int maps_each(int (*fn)(const struct map *m, const char *line, const void *arg),
                     const void *arg)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    int r = 0;
    if (!f)
        return 0;
    while (!r && fgets(line, sizeof line, f)) {
        struct map m;
        if (parse_map_line(line, &m))
            r = fn(&m, line, arg);
    }
    fclose(f);
    return r;
}

struct find_arg {
    uintptr_t addr;
    const char *name;
    struct map *out;
};

static int find_fn(const struct map *m, const char *line, const void *arg)
{
    const struct find_arg *fa = arg;
    (void)line;
    int hit = fa->name ? strcmp(m->name, fa->name) == 0 : fa->addr >= m->start && fa->addr < m->end;
    if (hit)
        *fa->out = *m;
    return hit;
}

int maps_find(const void *addr, struct map *out)
{
    struct find_arg fa = { (uintptr_t)addr, NULL, out };
    return maps_each(find_fn, &fa);
}

int maps_heap(struct map *out)
{
    struct find_arg fa = { 0, "[heap]", out };
    return maps_each(find_fn, &fa);
}

static int show_fn(const struct map *m, const char *line, const void *arg)
{
    const void *const *addrs = arg;
    int show = strcmp(m->name, "[heap]") == 0;
    if (!addrs)
        show |= m->name[0] == '\0';
    for (; addrs && *addrs; addrs++)
        show |= (uintptr_t)*addrs >= m->start && (uintptr_t)*addrs < m->end;
    if (show) {
        size_t n = strcspn(line, "\n");
        while (n > 0 && line[n - 1] == ' ')
            n--;
        printf("     %.*s%s\n", (int)n, line, m->name[0] ? "" : "   (anonymous)");
    }
    return 0;
}

void maps_show(const void *const *addrs)
{
    maps_each(show_fn, addrs);
}

int on_linux(void)
{
    struct find_arg fa = { 0, "[vdso]", &(struct map){ 0 } };
    return maps_each(find_fn, &fa);
}

/* ---- counters ---------------------------------------------------------- */

long resident_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    char line[128];
    long pages = -1;
    if (f && fgets(line, sizeof line, f)) {
        char *p;
        strtol(line, &p, 10);
        pages = strtol(p, NULL, 10);
    }
    if (f)
        fclose(f);
    return pages < 0 ? -1 : pages * (long)(PAGE / KiB);
}

long minor_faults(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_minflt : -1;
}

char *brk_now(void)
{
    return sbrk(0);
}

uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct tide_stats stats_now(void)
{
    struct tide_stats st;
    tide_get_stats(&st);
    return st;
}

/* ---- heap dumps ---------------------------------------------------------- */

static int dump_first;

static void json_chunk(const struct tide_chunk_info *c, void *arg)
{
    (void)arg;
    printf("%s{\"addr\":\"%p\",\"size\":%zu,\"state\":\"%s\",\"bin\":%d,\"arena\":%d}",
           dump_first ? "" : ",", c->chunk, c->size, tide_chunk_state_name(c->state), c->bin,
           c->arena);
    dump_first = 0;
}

/* label as a JSON string body: quotes and backslashes escaped */
static const char *json_text(const char *label)
{
    static char buf[256];
    size_t o = 0;
    for (; *label && o + 2 < sizeof buf; label++) {
        if (*label == '"' || *label == '\\')
            buf[o++] = '\\';
        buf[o++] = *label;
    }
    buf[o] = '\0';
    return buf;
}

void heap_dump(const char *label)
{
    if (!json)
        return;
    struct tide_stats st = stats_now();
    fflush(stdout);
    printf("@heap {\"demo\":\"%s\",\"label\":\"%s\",\"heap_start\":\"%p\",\"heap_end\":\"%p\","
           "\"brk\":\"%p\",\"page\":%lu,\"stats\":{\"brk_calls\":%zu,\"mmap_calls\":%zu,"
           "\"munmap_calls\":%zu,\"in_use\":%zu,\"cached\":%zu,\"top\":%zu,\"mapped\":%zu},"
           "\"chunks\":[",
           demo_id, json_text(label), st.heap_start, st.heap_end, (void *)brk_now(), PAGE, st.brk_calls,
           st.mmap_calls, st.munmap_calls, st.bytes_in_use, st.bytes_cached, st.bytes_top,
           st.mapped_bytes);
    dump_first = 1;
    tide_heap_walk(json_chunk, NULL);
    printf("]}\n");
}

static void table_row(const struct tide_chunk_info *c, void *arg)
{
    const char *base = arg;
    const char *state = tide_chunk_state_name(c->state);
    if (c->state == TIDE_CHUNK_MMAPPED)
        printf("     %-14p %8zu  %-8s %s\n", c->chunk, c->size, state, "(own mapping)");
    else if (c->arena != 0)
        printf("     %-14p %8zu  %-8s bin %d (arena %d)\n", c->chunk, c->size, state, c->bin,
               c->arena);
    else if (c->bin == TIDE_BIN_NONE)
        printf("     +%#-13lx %8zu  %s\n", (unsigned long)((const char *)c->chunk - base),
               c->size, state);
    else
        printf("     +%#-13lx %8zu  %-8s %s %d\n", (unsigned long)((const char *)c->chunk - base),
               c->size, state, c->state == TIDE_CHUNK_CACHED ? "cache slot" : "bin", c->bin);
}

void heap_table(void)
{
    struct tide_stats st = stats_now();
    printf("     %-14s %8s  %-8s %s\n", "chunk", "size", "state", "where");
    tide_heap_walk(table_row, st.heap_start);
}
