/*
 * kernel/procfs.c - the text of /proc/self/maps and /proc/self/statm in
 * Linux's formats, so programs (and the seeds' `cat /proc/PID/maps`
 * experiment) read the same lines as on Linux: [heap], [stack], the image
 * under the program's path, anonymous mappings with no name. Also the
 * kernel's own memory: /proc/meminfo (the frame counters), /proc/buddyinfo
 * and /proc/slabinfo (S16).
 */
#include "proc.h"
#include "mm.h"
#include "slab.h"

/* Parses "<pid>/" or "self/" at s; returns the rest or NULL. */
static const char *procfs_pid(struct proc *p, const char *s)
{
    if (strncmp(s, "self/", 5) == 0)
        return s + 5;
    uint64_t pid = 0;
    const char *d = s;
    while (*d >= '0' && *d <= '9')
        pid = pid * 10 + (uint64_t)(*d++ - '0');
    if (d == s || *d != '/' || pid != (uint64_t)p->pid)
        return NULL;
    return d + 1;
}

/* The file a path names; see proc.h. */
enum file_kind procfs_lookup(struct proc *p, const char *path)
{
    if (path[0] == '/')
        path++;
    if (strncmp(path, "proc/", 5) != 0)
        return FILE_NONE;
    if (strcmp(path + 5, "buddyinfo") == 0)
        return FILE_BUDDYINFO;
    if (strcmp(path + 5, "slabinfo") == 0)
        return FILE_SLABINFO;
    if (strcmp(path + 5, "meminfo") == 0)
        return FILE_MEMINFO;
    const char *rest = procfs_pid(p, path + 5);
    if (!rest)
        return FILE_NONE;
    if (strcmp(rest, "maps") == 0)
        return FILE_MAPS;
    if (strcmp(rest, "statm") == 0)
        return FILE_STATM;
    return FILE_NONE;
}

static const char *vma_name(struct proc *p, const struct vma *v)
{
    switch (v->kind) {
    case VMA_IMAGE: return p->name;
    case VMA_HEAP: return "[heap]";
    case VMA_STACK: return "[stack]";
    default: return NULL;
    }
}

/* One maps line: "start-end perms offset dev inode", then the name from
 * column 73 (Linux pads the fields to 72 characters, then one space). */
static uint64_t maps_line(struct proc *p, const struct vma *v, char *buf, uint64_t size)
{
    char line[160];
    int n = ksnprintf(line, sizeof line, "%08lx-%08lx %c%c%cp %08lx %02x:%02x %lu ",
                      v->start, v->end, v->prot & VMA_READ ? 'r' : '-',
                      v->prot & VMA_WRITE ? 'w' : '-', v->prot & VMA_EXEC ? 'x' : '-',
                      0ul, 0, 0, 0ul);
    const char *name = vma_name(p, v);
    if (name) {
        while (n < 72)
            line[n++] = ' ';
        n += ksnprintf(line + n, sizeof line - n, " %s", name);
    }
    n = MIN(n, (int)sizeof line - 2);
    line[n++] = '\n';
    uint64_t len = MIN((uint64_t)n, size);
    memcpy(buf, line, len);
    return len;
}

static uint64_t statm_text(struct proc *p, char *buf, uint64_t size)
{
    uint64_t text = 0, data = 0;
    for (int i = 0; i < p->nvmas; i++) {
        const struct vma *v = p->vmas[i];
        uint64_t pages = (v->end - v->start) / PAGE_SIZE;
        if (v->kind == VMA_IMAGE && (v->prot & VMA_EXEC))
            text += pages;
        if (v->kind == VMA_STACK || ((v->prot & VMA_WRITE)))
            data += pages;
    }
    /* size resident shared text lib data dt, in pages */
    int n = ksnprintf(buf, size, "%lu %lu 0 %lu 0 %lu 0\n",
                      vma_total_bytes(p) / PAGE_SIZE, p->resident, text, data);
    return MIN((uint64_t)n, size);
}

/* Free blocks of each order, one zone, as Linux prints them. */
static uint64_t buddyinfo_text(char *buf, uint64_t size)
{
    uint64_t blocks[PMM_MAX_ORDER + 1];
    pmm_free_blocks(blocks);
    uint64_t n = (uint64_t)ksnprintf(buf, size, "Node 0, zone   Normal ");
    for (int o = 0; o <= PMM_MAX_ORDER && n < size; o++)
        n += (uint64_t)ksnprintf(buf + n, size - n, "%6lu ", blocks[o]);
    if (n < size)
        n += (uint64_t)ksnprintf(buf + n, size - n, "\n");
    return MIN(n, size);
}

/* Linux's slabinfo 2.1 format; one line per kernel cache. */
static uint64_t slabinfo_text(char *buf, uint64_t size)
{
    static struct kmem_cache *const caches[] = { &vma_cache };
    uint64_t n = (uint64_t)ksnprintf(buf, size, "slabinfo - version: 2.1\n"
        "# name            <active_objs> <num_objs> <objsize> <objperslab> "
        "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
        "slabdata <active_slabs> <num_slabs> <sharedavail>\n");
    for (size_t i = 0; i < ARRAY_LEN(caches) && n < size; i++) {
        const struct kmem_cache *c = caches[i];
        n += (uint64_t)ksnprintf(buf + n, size - n,
            "%-17s %6lu %6lu %6lu %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6u\n",
            c->name, c->active, c->total, c->size, c->per_slab, 1, 0, 0, 0, c->slabs,
            c->slabs, 0);
    }
    return MIN(n, size);
}

/* The frame counters as Linux's /proc/meminfo lines (kB). */
static uint64_t meminfo_text(char *buf, uint64_t size)
{
    uint64_t kb = PAGE_SIZE / 1024;
    int n = ksnprintf(buf, size,
                      "MemTotal:       %8lu kB\nMemFree:        %8lu kB\n"
                      "MemAvailable:   %8lu kB\nAnonPages:      %8lu kB\n"
                      "PageTables:     %8lu kB\nKernel:         %8lu kB\n",
                      pmm_counts.total * kb, pmm_counts.free * kb, pmm_counts.free * kb,
                      pmm_counts.used[FRAME_USER] * kb, pmm_counts.used[FRAME_PTABLE] * kb,
                      pmm_counts.used[FRAME_KERNEL] * kb);
    return MIN((uint64_t)n, size);
}

/* Renders a /proc file; see proc.h. */
uint64_t procfs_render(struct proc *p, enum file_kind kind, char *buf, uint64_t size)
{
    if (kind == FILE_STATM)
        return statm_text(p, buf, size);
    if (kind == FILE_BUDDYINFO)
        return buddyinfo_text(buf, size);
    if (kind == FILE_SLABINFO)
        return slabinfo_text(buf, size);
    if (kind == FILE_MEMINFO)
        return meminfo_text(buf, size);
    uint64_t len = 0;
    for (int i = 0; i < p->nvmas && len < size; i++)
        len += maps_line(p, p->vmas[i], buf + len, size - len);
    return len;
}
