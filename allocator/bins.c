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
    if (!in_smallbin_range(csize(c))) c->fd_size = NULL;
    link_after(&a->bins[0], c);
}

/* Puts leader c into the size ring just before leader `at` (or alone). */
static void ring_insert(struct chunk *c, struct chunk *at)
{
    if (!at) {
        c->fd_size = c->bk_size = c;
        return;
    }
    c->fd_size = at;
    c->bk_size = at->bk_size;
    at->bk_size->fd_size = c;
    at->bk_size = c;
}

/*
 * Large bins stay sorted from the smallest chunk to the largest:
 *
 *   head -> A(96) -> a(96) -> B(112) -> C(160) -> c(160) -> c(160) -> head
 *           \________ size ring: A <-> B <-> C <-> A ________/
 *
 * The walk visits leaders only: one step per distinct size.
 */
static void large_insert(struct arena *a, unsigned i, struct chunk *c)
{
    size_t sz = csize(c);
    struct chunk *head = &a->bins[i], *first = head->fd;
    if (first == head) {
        ring_insert(c, NULL);
        link_after(head, c);
        return;
    }
    struct chunk *l = first;
    do {
        if (csize(l) == sz) { /* join the run, not as its leader */
            c->fd_size = NULL;
            link_after(l, c);
            return;
        }
        if (csize(l) > sz) { /* a new size, before l */
            ring_insert(c, l);
            link_after(l->bk, c);
            return;
        }
        l = l->fd_size;
    } while (l != first);
    ring_insert(c, first); /* the largest: last in the bin and the ring */
    link_after(head->bk, c);
}

/* Puts a free chunk into the bin of its size: small bins are LIFO, large
 * bins stay sorted (large_insert). */
void bin_insert(struct arena *a, struct chunk *c)
{
    size_t sz = csize(c);
    unsigned i = bin_index(sz);
    if (in_smallbin_range(sz)) link_after(&a->bins[i], c);
    else large_insert(a, i, c);
    mark(a, i);
}

/* A leader leaves: the next chunk of its run takes its place in the ring,
 * or, if it was alone of its size, the ring closes over it. */
static void ring_remove(struct chunk *c)
{
    struct chunk *next = c->fd;
    if (next->fd_size == NULL && !in_smallbin_range(csize(next)) && csize(next) == csize(c) && next != c) {
        if (c->fd_size == c) {
            next->fd_size = next->bk_size = next;
        } else {
            next->fd_size = c->fd_size;
            next->bk_size = c->bk_size;
            c->bk_size->fd_size = next;
            c->fd_size->bk_size = next;
        }
    } else if (c->fd_size != c) {
        c->bk_size->fd_size = c->fd_size;
        c->fd_size->bk_size = c->bk_size;
    }
    c->fd_size = NULL;
}

/* Takes c out of whatever list it is in. Stops the process if the links
 * around it were overwritten (a use after free or an overflow). */
void bin_unlink(struct arena *a, struct chunk *c)
{
    struct chunk *fd = c->fd, *bk = c->bk;
    if (UNLIKELY(fd->bk != c || bk->fd != c)) tide_panic("corrupted free list at", chunk2mem(c));
    if (!in_smallbin_range(csize(c)) && c->fd_size) ring_remove(c);
    fd->bk = bk;
    bk->fd = fd;
    if (fd == bk && bin_is_head(a, fd)) unmark(a, (unsigned)(fd - a->bins));
    if (c == a->last_remainder) a->last_remainder = NULL;
}

/* Moves every chunk of the unsorted bin into the bin of its size. */
void bins_sort_unsorted(struct arena *a)
{
    struct chunk *head = &a->bins[0];
    while (head->bk != head) {
        struct chunk *c = head->bk;
        bin_unlink(a, c);
        bin_insert(a, c);
    }
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
    struct chunk *head = &a->bins[i], *first = head->fd;
    if (first != head && in_smallbin_range(nb)) {
        bin_unlink(a, first);
        return first;
    }
    if (first != head) {
        struct chunk *l = first;
        do {
            if (csize(l) >= nb) {
                /* take a follower if the run has one: the ring stays */
                struct chunk *c = l->fd != head && csize(l->fd) == csize(l) ? l->fd : l;
                bin_unlink(a, c);
                return c;
            }
            l = l->fd_size;
        } while (l != first);
    }
    int j = next_nonempty(a, i + 1);
    if (j < 0) return NULL;
    struct chunk *c = a->bins[j].fd;
    bin_unlink(a, c);
    return c;
}
