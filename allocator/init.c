/*
 * allocator/init.c - the global state, start-up, the knobs and their
 * profiles, mallopt and the environment variables.
 *
 * Every knob lives in `struct config`; its value comes from the profile,
 * then from the TIDE_* environment variables at start-up, then from
 * mallopt calls. README.md ("Tuning knobs") lists them all.
 */
#include "internal.h"

struct global g;

/* The knob table: name (environment variable), mallopt number, field. */
struct knob {
    const char *env;
    int param;
    size_t offset;
};
#define KNOB(env, param, field) { env, param, offsetof(struct config, field) }
static const struct knob knobs[] = {
    KNOB("TIDE_MMAP_THRESHOLD", TIDE_M_MMAP_THRESHOLD, mmap_threshold),
    KNOB("TIDE_TRIM_THRESHOLD", TIDE_M_TRIM_THRESHOLD, trim_threshold),
    KNOB("TIDE_TOP_PAD", TIDE_M_TOP_PAD, top_pad),
    KNOB("TIDE_MMAP_MAX", TIDE_M_MMAP_MAX, mmap_max),
    KNOB("TIDE_ARENA_MAX", TIDE_M_ARENA_MAX, arena_max),
    KNOB("TIDE_TCACHE_COUNT", TIDE_M_TCACHE_COUNT, tcache_count),
    KNOB("TIDE_SLAB", TIDE_M_SLAB, slab),
    KNOB("TIDE_SLAB_BIG", TIDE_M_SLAB_BIG, slab_big),
    KNOB("TIDE_HUGEPAGE_FROM", TIDE_M_HUGEPAGE_FROM, hugepage_from),
};
#define NKNOBS (sizeof knobs / sizeof knobs[0])

/*
 * The two profiles differ only in numbers:
 *
 *   knob             classic (the seeds')   default (tuned)
 *   mmap_threshold   128 KiB fixed          128 KiB, rises to 32 MiB as big
 *                                           blocks are freed (as glibc does)
 *   trim_threshold   128 KiB                128 KiB (rises with the above)
 *   top_pad          128 KiB                128 KiB
 *   mmap_max         65536                  65536
 *   arena_max        8                      8
 *   tcache_count     7                      up to 256, at most 64 KiB
 *                                           a class, 256 KiB in all (768
 *                                           with classes that swing, 4 MiB
 *                                           more for all threads); a
 *                                           class starts at 2 KiB and
 *                                           doubles when it overflows
 *                                           (tcache.c)
 *   medium cache     no                     yes: 1..64 KiB blocks, 12 a
 *                                           class, 512 KiB a thread
 *                                           (medium.c)
 *   quick lists      no                     yes: an overflow's older half
 *                                           kept whole for the next miss
 *                                           (quick.c)
 *   tcache_refill    no                     yes: a miss fetches ~1 KiB
 *                                           (4 KiB from free heap chunks)
 *   page_align_from  no                     64 KiB: blocks that big carved
 *                                           from the top start on a page
 *                                           (heap.c)
 *   auto_purge       no                     yes: free memory kept resident in
 *                                           an arena (bins and top) stays under
 *                                           8 MiB + twice its bytes in use; past
 *                                           that the top is trimmed and free
 *                                           chunks' pages purged (grow.c)
 *   slab             0                      256: requests up to 256 bytes
 *                                           come from pages of one size,
 *                                           lowest free slot first (slab.c)
 *   slab_big         0                      1: so do those of 513-1024
 *                                           bytes, in 8 classes
 *   hugepage_from    0                      0 (opt-in, 40 MiB suggested: the
 *                                           brk heap past that is asked for
 *                                           huge pages; grow.c)
 */
void config_profile(struct config *cfg, int profile)
{
    cfg->mmap_threshold = 128 << 10;
    cfg->trim_threshold = 128 << 10;
    cfg->top_pad = 128 << 10;
    cfg->mmap_max = 65536;
    cfg->arena_max = 8;
    cfg->profile = profile;
    cfg->dynamic_threshold = profile == 0;
    cfg->tcache_refill = profile == 0;
    cfg->auto_purge = profile == 0;
    cfg->tcache_count = profile == 0 ? 256 : 7;
    cfg->tcache_bytes = profile == 0 ? 64 << 10 : 0;
    cfg->page_align_from = profile == 0 ? 64 << 10 : 0;
    cfg->slab = profile == 0 ? 256 : 0;
    cfg->slab_big = profile == 0;
    cfg->hugepage_from = 0; /* opt-in: see grow.c */
}

/* Parses a decimal number with an optional k/m/g suffix; false if bad. */
static bool parse_size(const char *s, size_t *out)
{
    size_t v = 0;
    if (!s || !*s) return false;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > (SIZE_MAX - 9) / 10) return false;
        v = v * 10 + (size_t)(*s - '0');
    }
    size_t shift = 0;
    if (*s == 'k' || *s == 'K') shift = 10;
    else if (*s == 'm' || *s == 'M') shift = 20;
    else if (*s == 'g' || *s == 'G') shift = 30;
    if (shift) s++;
    if (*s || (shift && v > (SIZE_MAX >> shift))) return false;
    *out = v << shift;
    return true;
}

/* Applies one knob to cfg; false if the value is out of range. */
static bool set_knob(struct config *cfg, int param, size_t v)
{
    switch (param) {
    case TIDE_M_MMAP_THRESHOLD:
        if (v > ((size_t)32 << 20) && v > cfg->mmap_threshold) return false;
        cfg->dynamic_threshold = false;
        break;
    case TIDE_M_TRIM_THRESHOLD:
    case TIDE_M_TOP_PAD:
        cfg->dynamic_threshold = false;
        break;
    case TIDE_M_ARENA_MAX:
        if (v == 0 || v > ARENA_LIMIT) return false;
        break;
    case TIDE_M_TCACHE_COUNT:
        if (v > 1024) return false;
        break;
    case TIDE_M_SLAB:
        if (v > SLAB_MAX_SLOT) return false;
        break;
    case TIDE_M_SLAB_BIG:
        if (v > 1) return false;
        break;
    case TIDE_M_HUGEPAGE_FROM:
        if (v > SIZE_MAX / 4) return false;
        break;
    }
    for (size_t i = 0; i < NKNOBS; i++)
        if (knobs[i].param == param) {
            *(size_t *)((char *)cfg + knobs[i].offset) = v;
            return true;
        }
    return false;
}

static void read_environment(void)
{
    const char *(*get)(const char *) = g.caps.getenv;
    if (!get) return;
    const char *p = get("TIDE_PROFILE");
    if (p && p[0] == 'c') config_profile(&g.cfg, 1);
    for (size_t i = 0; i < NKNOBS; i++) {
        size_t v;
        const char *s = get(knobs[i].env);
        if (s && parse_size(s, &v) && !set_knob(&g.cfg, knobs[i].param, v))
            report_line("ignoring bad value of", 0), report_line(knobs[i].env, 0);
    }
}

/* First call from any thread: ask the platform what it can do, set the
 * knobs, bring up the main arena. Serialised by init_lock. */
COLD void tide_init_slow(void)
{
    lock_take(&g.init_lock);
    if (!atomic_load_explicit(&g.ready, memory_order_relaxed)) {
        struct tide_sys_caps caps = {0};
        tide_sys_init(&caps);
        g.caps = caps;
        g.page = caps.page_size ? caps.page_size : 4096;
        g.seg_size = caps.segment_size ? caps.segment_size : (size_t)64 << 20;
        if (g.seg_size < ((size_t)1 << 20)) g.seg_size = (size_t)1 << 20;
        /* Any value that user data is unlikely to hold: mixes an address
         * (randomised by the OS) with a constant. */
        g.tcache_key = ((uintptr_t)&g * 0x9e3779b97f4a7c15ull) ^ 0x5a17c0de5eedf00dull;
        if (!g.cfg.profile && !g.cfg.mmap_threshold) config_profile(&g.cfg, 0);
        read_environment();
        if ((g.seg_size & (g.seg_size - 1)) != 0) g.seg_size = (size_t)64 << 20;
        g.seg_shift = (unsigned)__builtin_ctzll(g.seg_size);
        classes_build();
        mc_init();
        arena_new();
        atomic_store_explicit(&g.ready, true, memory_order_release);
    }
    lock_drop(&g.init_lock);
}

/* The request-to-class table of the malloc fast path, for the knobs as
 * they are: the slab class of a request the slabs serve (cfg.slab, unless
 * their area could not be had; one that is full makes alloc_slow fall
 * back to the heap), else the class of its heap chunk. Both fit n: a
 * malloc that reads the table while mallopt rewrites it takes a block of
 * either class, big enough both ways. */
void classes_build(void)
{
    bool slabs = !g.slab_tried || g.slab_span; /* an area, or not tried yet */
    uint64_t used[sizeof g.class_used / 8] = { 0 };
    for (size_t n = 0; n < sizeof g.req_class; n++) {
        bool slot = slabs && (n <= g.cfg.slab || (g.cfg.slab && g.cfg.slab_big && n >= SLAB_BIG_LO && n <= SLAB_BIG_HI));
        size_t i = slot ? TC_BINS + slab_class_for_request(n) : tc_index_for_chunk(request2size(n));
        __atomic_store_n(&g.req_class[n], (uint8_t)i, __ATOMIC_RELAXED);
        used[i / 64] |= (uint64_t)1 << (i % 64);
    }
    for (size_t w = 0; w < sizeof used / 8; w++) __atomic_store_n(&g.class_used[w], used[w], __ATOMIC_RELAXED);
    __atomic_fetch_add(&g.classes_gen, 1, __ATOMIC_RELEASE);
    for (size_t i = TC_BINS; i < TC_CLASSES; i++) g.slot_magic[i] = UINT64_MAX / tc_class_size(i) + 1;
}

/* Reports a failed allocation through errno, if the platform has one. */
COLD void fail_errno(enum tide_error err)
{
    ensure_init(); /* the very first call may fail before anything else */
    if (g.caps.set_errno) g.caps.set_errno(err);
}

/* mallopt. Knobs take effect for later allocations. The profile resets
 * every knob to that profile's values. */
TIDE_API int tide_mallopt(int param, int value)
{
    ensure_init();
    if (param == TIDE_M_ARENA_TEST) return 1;   /* accepted, not used */
    if (param == TIDE_M_PROFILE) {
        if (value != 0 && value != 1) return 0;
        config_profile(&g.cfg, value);
        classes_build();
        return 1;
    }
    if (value < 0) return 0;
    lock_take(&main_arena.lock);
    bool ok = set_knob(&g.cfg, param, (size_t)value);
    lock_drop(&main_arena.lock);
    if (ok && param == TIDE_M_TCACHE_COUNT && tc_real(tc_self)) tcache_set_limits(tc_self);
    if (ok && (param == TIDE_M_SLAB || param == TIDE_M_SLAB_BIG)) classes_build();
    return ok;
}

/* Forgets everything (tests over a fake platform): the next call starts
 * from scratch and asks the platform again. */
TIDE_API void tide_reset(void)
{
    for (size_t i = 1; i < ARENA_LIMIT; i++) g.arenas[i] = NULL;
    __builtin_memset(&g, 0, sizeof g);
    __builtin_memset(&main_arena, 0, sizeof main_arena);
    arena_forget_thread();
    tcache_forget_thread();
    mmap_reset();
}
