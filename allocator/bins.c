/*
 * allocator/bins.c - the free lists of an arena: the unsorted bin, the
 * exact-size small bins and the sorted large bins, with the bitmap of
 * non-empty bins that lets a search skip empty ones.
 * pre (every function): the arena's lock is held.
 */
#include "internal.h"

static void mark(struct arena *a, unsigned i) { a->binmap[i / 64] |= (uint64_t)1 << (i % 64); }
static void unmark(struct arena *a, unsigned i) { a->binmap[i / 64] &= ~((uint64_t)1 << (i % 64)); }

/* True if c is one of a's list heads rather than a chunk. */
bool bin_is_head(const struct arena *a, const struct chunk *c)
{
    return c >= &a->bins[0] && c < &a->bins[NBINS];
}

static void link_after(struct chunk *pos, struct chunk *c)
{
    c->bk = pos;
    c->fd = pos->fd;
    pos->fd->bk = c;
    pos->fd = c;
}

/* Puts a free chunk (size and footer set) at the front of the unsorted bin. */
void unsorted_push(struct arena *a, struct chunk *c)
{
    link_after(&a->bins[0], c);
}

/* Puts a free chunk into the bin of its size: small bins are LIFO, large
 * bins stay sorted from the smallest chunk to the largest. */
void bin_insert(struct arena *a, struct chunk *c)
{
    size_t sz = csize(c);
    unsigned i = bin_index(sz);
    struct chunk *head = &a->bins[i], *pos = head;
    if (!in_smallbin_range(sz))
        while (pos->fd != head && csize(pos->fd) < sz) pos = pos->fd;
    link_after(pos, c);
    mark(a, i);
}

/* Takes c out of whatever list it is in. Stops the process if the links
 * around it were overwritten (a use after free or an overflow). */
void bin_unlink(struct arena *a, struct chunk *c)
{
    struct chunk *fd = c->fd, *bk = c->bk;
    if (UNLIKELY(fd->bk != c || bk->fd != c)) tide_panic("corrupted free list at", chunk2mem(c));
    fd->bk = bk;
    bk->fd = fd;
    if (fd == bk && bin_is_head(a, fd)) unmark(a, (unsigned)(fd - a->bins));
    if (c == a->last_remainder) a->last_remainder = NULL;
}

/* First non-empty bin at index >= from, or -1. */
static int next_nonempty(const struct arena *a, unsigned from)
{
    for (unsigned w = from / 64; w < NBINS / 64; w++) {
        uint64_t bits = a->binmap[w];
        if (w == from / 64) bits &= ~(uint64_t)0 << (from % 64);
        if (bits) return (int)(w * 64 + (unsigned)__builtin_ctzll(bits));
    }
    return -1;
}

/* Finds, unlinks and returns the smallest binned chunk of size >= nb
 * (best fit within a bin, then the next non-empty bin), or NULL. The
 * unsorted bin is not searched: sort it first. */
struct chunk *bin_take_fit(struct arena *a, size_t nb)
{
    unsigned i = bin_index(nb);
    struct chunk *head = &a->bins[i];
    for (struct chunk *c = head->fd; c != head; c = c->fd)
        if (csize(c) >= nb) {
            bin_unlink(a, c);
            return c;
        }
    int j = next_nonempty(a, i + 1);
    if (j < 0) return NULL;
    struct chunk *c = a->bins[j].fd;
    bin_unlink(a, c);
    return c;
}
