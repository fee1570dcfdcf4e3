/*
 * bench/whoami.c - which allocator really serves malloc in this process,
 * and how to ask it to release free memory. A preload that did not take
 * (wrong path, missing symbol) must be caught, not measured as glibc.
 * Shared by the workload programs and by the preload probe (probe.c).
 */
#define _GNU_SOURCE
#include "bench.h"

#include <dlfcn.h>
#include <link.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* A symbol only that allocator defines, checked in the very object that
 * defines malloc (dlsym on a handle also searches its dependencies). */
static const struct {
    const char *marker, *name;
} markers[] = {
    { "tide_malloc", "tide" },
    { "mallctl", "jemalloc" },
    { "tc_malloc", "tcmalloc" },
    { "mi_version", "mimalloc" },
    { "gnu_get_libc_version", "glibc" },
};

/* Returns true if symbol is defined in the object loaded at base. */
static bool defined_in(void *handle, const void *base, const char *symbol)
{
    Dl_info info;
    void *addr = dlsym(handle, symbol);
    return addr && dladdr(addr, &info) && info.dli_fbase == base;
}

/* Returns a handle (to dlclose) on the first shared object, in symbol
 * search order, that defines malloc, and fills *info for that definition.
 * The executable itself is skipped: a non-PIE program (Debian's python3)
 * holds a canonical PLT address for malloc that is not a definition. */
static void *serving_object(Dl_info *info)
{
    struct link_map *map = NULL;
    void *self = dlopen(NULL, RTLD_LAZY);
    if (!self || dlinfo(self, RTLD_DI_LINKMAP, &map) != 0 || !map)
        return NULL;
    void *found = NULL;
    for (struct link_map *l = map->l_next; l && !found; l = l->l_next) {
        void *h = dlopen(l->l_name, RTLD_LAZY | RTLD_NOLOAD);
        if (!h)
            continue; /* the vDSO */
        void *m = dlsym(h, "malloc");
        if (m && dladdr(m, info) && info->dli_fname && strcmp(info->dli_fname, l->l_name) == 0)
            found = h;
        else
            dlclose(h);
    }
    dlclose(self);
    return found;
}

/* Fills *info for the object defining the malloc we call; returns its
 * allocator name. */
static const char *identify(Dl_info *info)
{
    void *h = serving_object(info);
    if (!h)
        return "unknown";
    const char *name = "unknown";
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++) {
        if (defined_in(h, info->dli_fbase, markers[i].marker)) {
            name = markers[i].name;
            break;
        }
    }
    dlclose(h);
    /* The tide_ API may be hidden in the shared library: trust the name. */
    const char *base = strrchr(info->dli_fname, '/');
    base = base ? base + 1 : info->dli_fname;
    if (strcmp(name, "unknown") == 0 && strncmp(base, "libtide", 7) == 0)
        name = "tide";
    return name;
}

const char *bench_allocator(const char **path)
{
    Dl_info info = { 0 };
    const char *name = identify(&info);
    *path = info.dli_fname ? info.dli_fname : "?";
    return name;
}

const char *bench_report_allocator(void)
{
    const char *path;
    const char *name = bench_allocator(&path);
    printf("allocator: %s %s\n", name, path);
    fflush(stdout);
    return name;
}

const char *bench_release_memory(void)
{
    Dl_info info;
    const char *name = identify(&info);
    if (strcmp(name, "jemalloc") == 0) {
        int (*ctl)(const char *, void *, size_t *, void *, size_t) =
            (int (*)(const char *, void *, size_t *, void *, size_t))dlsym(RTLD_DEFAULT, "mallctl");
        ctl("arena.4096.purge", NULL, NULL, NULL, 0); /* 4096: every arena */
        return "mallctl(arena.<all>.purge)";
    }
    if (strcmp(name, "mimalloc") == 0) {
        void (*collect)(bool) = (void (*)(bool))dlsym(RTLD_DEFAULT, "mi_collect");
        collect(true);
        return "mi_collect(true)";
    }
    if (strcmp(name, "tcmalloc") == 0) {
        void (*rel)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "MallocExtension_ReleaseFreeMemory");
        rel();
        return "MallocExtension_ReleaseFreeMemory()";
    }
    int (*trim)(size_t) = (int (*)(size_t))dlsym(RTLD_DEFAULT, "malloc_trim");
    if (trim)
        trim(0);
    return trim ? "malloc_trim(0)" : "nothing";
}
