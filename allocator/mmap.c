/*
 * allocator/mmap.c - blocks that get a mapping of their own (requests at or
 * above the mmap threshold), and the registry of them.
 *
 *   map --> +---------------------+  (memalign only: padding, its length
 *           | padding             |   kept in prev_size)
 *   chunk ->+---------------------+
 *           | prev_size = padding |
 *           | size | M            |  size = mapping length - padding
 *   mem --> +---------------------+
 *           | user data           |  size - 16 bytes
 *           +---------------------+  map + length (page aligned)
 *
 * The registry (an open-addressing hash set of the user pointers) lets free
 * check a pointer before reading any header: freeing an unmapped block twice,
 * or a pointer we never handed out, is reported instead of faulting. A ring
 * of recently unmapped pointers tells "double free" from "invalid pointer".
 */
#include "internal.h"

#define EMPTY ((uintptr_t)0)
#define TOMB ((uintptr_t)1)
#define RECENT 64

static struct lock mlock;
/* The first table is static, so the first blocks cost one mmap each and
 * nothing more; it moves to a mapping only past 256 live blocks. */
struct entry {
    uintptr_t key;  /* the user pointer; EMPTY or TOMB */
    size_t len;     /* the mapping's length, to check the header against */
};
static struct entry first_table[256];
static struct entry *table;    /* capacity is a power of two */
static size_t cap, used, tombs;
static uintptr_t recent[RECENT];
static unsigned recent_pos;

static size_t slot_of(uintptr_t key) { return (size_t)((key >> 4) * 0x9e3779b97f4a7c15ull) & (cap - 1); }

/* Index of key in the table, or of the empty slot where it would go. */
static size_t find(uintptr_t key)
{
    size_t i = slot_of(key), tomb = SIZE_MAX;
    for (;; i = (i + 1) & (cap - 1)) {
        if (table[i].key == key) return i;
        if (table[i].key == TOMB && tomb == SIZE_MAX) tomb = i;
        if (table[i].key == EMPTY) return tomb != SIZE_MAX ? tomb : i;
    }
}

/* Doubles (or just cleans) the table; false when out of memory. */
static bool rehash(void)
{
    size_t ncap = cap ? (used * 4 >= cap ? cap * 2 : cap) : sizeof first_table / sizeof *table;
    if (cap) ncap = align_up(ncap * sizeof *table, g.page) / sizeof *table;
    struct entry *old = table, *nt = cap ? os_mmap_zeroed(ncap * sizeof *table) : first_table;
    size_t ocap = cap;
    if (!nt) return false;
    table = nt;
    cap = ncap;
    tombs = 0;
    for (size_t i = 0; i < ocap; i++)
        if (old[i].key > TOMB) table[find(old[i].key)] = old[i];
    if (old && old != first_table) os_munmap(old, ocap * sizeof *table);
    return true;
}

static bool reg_insert(uintptr_t key, size_t len)
{
    if ((used + tombs + 1) * 2 > cap && !rehash()) return false;
    size_t i = find(key);
    if (table[i].key == TOMB) tombs--;
    table[i] = (struct entry){key, len};
    used++;
    return true;
}

/* Removes key; returns its mapping length, or 0 if it is not there. */
static size_t reg_remove(uintptr_t key)
{
    if (!cap) return 0;
    size_t i = find(key);
    if (table[i].key != key) return 0;
    table[i].key = TOMB;
    used--;
    tombs++;
    return table[i].len;
}

/* True if mem is a live mmapped block of ours. */
bool mmap_owns(const void *mem)
{
    lock_take(&mlock);
    bool yes = cap && table[find((uintptr_t)mem)].key == (uintptr_t)mem;
    lock_drop(&mlock);
    return yes;
}

/* True if mem was one of the last blocks unmapped. */
bool mmap_recently_freed(const void *mem)
{
    bool yes = false;
    lock_take(&mlock);
    for (unsigned i = 0; i < RECENT; i++) yes |= recent[i] == (uintptr_t)mem;
    lock_drop(&mlock);
    return yes;
}

/* Maps a block whose user part holds nb - 8 bytes at an alignment of
 * `align` (0 or 16: plain). Returns the chunk or NULL (out of memory, or
 * mmap_max blocks already). */
struct chunk *mmap_chunk(size_t nb, size_t align)
{
    size_t extra = align > ALIGNMENT ? align : 0;
    size_t len = align_up(nb + 8 + extra, g.page);
    if (len < nb || atomic_load(&g.st.mapped_blocks) >= g.cfg.mmap_max) return NULL;
    char *map = os_mmap(len);
    if (!map) return NULL;
    char *mem = extra ? (char *)align_up((uintptr_t)map + HDR, align) : map + HDR;
    struct chunk *c = mem2chunk(mem);
    c->prev_size = (size_t)((char *)c - map);
    c->size = (len - c->prev_size) | MMAPPED;
    lock_take(&mlock);
    bool ok = reg_insert((uintptr_t)mem, len);
    lock_drop(&mlock);
    if (!ok) {
        os_munmap(map, len);
        return NULL;
    }
    stats_mapped((intptr_t)len, 1);
    return c;
}

/* As glibc does, a freed block bigger than the threshold raises it, so a
 * program that keeps allocating such blocks gets them from the heap. */
static void raise_threshold(size_t len)
{
    if (g.cfg.dynamic_threshold && len > g.cfg.mmap_threshold && len <= ((size_t)32 << 20)) {
        g.cfg.mmap_threshold = len;
        g.cfg.trim_threshold = 2 * len;
    }
}

/* Unmaps an mmapped block. Stops the process if mem is not a live block
 * of ours (double free) or its header no longer matches its mapping. */
void mmap_free(struct chunk *c)
{
    uintptr_t mem = (uintptr_t)chunk2mem(c);
    lock_take(&mlock);
    size_t len = reg_remove(mem);
    if (len) recent[recent_pos++ % RECENT] = mem;
    lock_drop(&mlock);
    if (!len) tide_panic("double free of", (void *)mem);
    if (c->prev_size + csize(c) != len || !(c->size & MMAPPED))
        tide_panic("free(): corrupted header of mmapped block", (void *)mem);
    raise_threshold(len);
    os_munmap((char *)c - c->prev_size, len);
    stats_mapped(-(intptr_t)len, -1);
}

/* Resizes an mmapped block in place or by moving its mapping, if the
 * platform can remap. Returns the (possibly moved) chunk, or NULL with the
 * block intact. */
struct chunk *mmap_realloc(struct chunk *c, size_t nb)
{
    if (!g.caps.remap || c->prev_size) return NULL;
    size_t old = csize(c), len = align_up(nb + 8, g.page);
    if (len < nb) return NULL;
    if (len == old) return c;
    struct chunk *n = g.caps.remap(c, old, len);
    if (!n) return NULL;
    atomic_fetch_add_explicit(&g.st.mmap_calls, 1, memory_order_relaxed);
    n->size = len | MMAPPED;
    lock_take(&mlock);
    reg_remove((uintptr_t)chunk2mem(c));
    bool ok = reg_insert((uintptr_t)chunk2mem(n), len);
    lock_drop(&mlock);
    if (!ok) tide_panic("out of memory for the block registry at", chunk2mem(n));
    stats_mapped((intptr_t)len - (intptr_t)old, 0);
    return n;
}

/* Calls fn for the live mmapped blocks from registry slot `from` on, until
 * fn returns false. Returns the slot to resume from, or 0 when done. */
size_t mmap_walk(size_t from, bool (*fn)(const struct tide_chunk_info *, void *), void *arg)
{
    lock_take(&mlock);
    size_t i = from;
    for (; i < cap; i++) {
        if (table[i].key <= TOMB) continue;
        struct chunk *c = mem2chunk((void *)table[i].key);
        struct tide_chunk_info info = {c, chunk2mem(c), csize(c), TIDE_CHUNK_MMAPPED, TIDE_BIN_NONE, -1};
        if (!fn(&info, arg)) break;
    }
    lock_drop(&mlock);
    return i < cap ? i : 0;
}

void mmap_fork_prepare(void) { lock_take(&mlock); }
void mmap_fork_release(void) { lock_drop(&mlock); }

/* Forgets the registry (tide_reset). */
void mmap_reset(void)
{
    table = NULL;
    cap = used = tombs = 0;
    __builtin_memset(first_table, 0, sizeof first_table);
    recent_pos = 0;
    for (unsigned i = 0; i < RECENT; i++) recent[i] = 0;
    lock_drop(&mlock);
}
