/*
 * kernel/vm.c - the page-table tree. One tree for everything: the kernel
 * half (PML4[256..511], built by boot.S, no PTE_U) is shared, the user half
 * (PML4[0..255]) holds the running program and is torn down between
 * programs. Only 4 KiB pages in the user half.
 *
 *   63    48 47     39 38     30 29     21 20     12 11        0
 *  | sign   | PML4    | PDPT    | PD      | PT      | offset    |
 *            level 3   level 2   level 1   level 0
 */
#include "mm.h"

extern pte_t boot_pml4[];   /* .boot.data: its address is physical */
paddr_t zero_frame;

static pte_t *pml4(void)
{
    return P2V((uint64_t)boot_pml4);
}

static unsigned vm_index(uint64_t va, int level)
{
    return (va >> (PAGE_SHIFT + 9 * level)) & 511;
}

static void flush_all(void)
{
    write_cr3(read_cr3());
}

/* Drops the identity map boot.S needed to switch to the higher half. */
void vm_init(void)
{
    pml4()[0] = 0;
    flush_all();
    zero_frame = pmm_alloc(FRAME_KERNEL);
    if (!zero_frame)
        panic("no frame for the zero page");
}

/* True if va maps the zero frame. */
bool vm_maps_zero(uint64_t va)
{
    pte_t *pte = vm_walk(va, false);
    return pte && (*pte & PTE_P) && (*pte & PTE_ADDR) == zero_frame;
}

/* Walks to the level-0 entry of va; see mm.h. */
pte_t *vm_walk(uint64_t va, bool create)
{
    if (va >= USER_TOP)
        return NULL;
    pte_t *table = pml4();
    for (int level = 3; level > 0; level--) {
        pte_t *e = &table[vm_index(va, level)];
        if (!(*e & PTE_P)) {
            if (!create)
                return NULL;
            paddr_t pa = pmm_alloc(FRAME_PTABLE);
            if (!pa)
                return NULL;
            /* U and W at the upper levels; the leaf decides. */
            *e = pa | PTE_P | PTE_W | PTE_U;
        }
        table = P2V(*e & PTE_ADDR);
    }
    return &table[vm_index(va, 0)];
}

/* Maps va -> pa; see mm.h. */
int vm_map(uint64_t va, paddr_t pa, uint64_t flags)
{
    pte_t *pte = vm_walk(va, true);
    if (!pte)
        return -1;
    *pte = pa | PTE_P | flags;
    invlpg(va);
    return 0;
}

static int table_used(const pte_t *t)
{
    int n = 0;
    for (int i = 0; i < 512; i++)
        n += (t[i] & PTE_P) != 0;
    return n;
}

/*
 * Unmaps [start, end) below the table at level covering base; frees the
 * frames and every child table left empty. Returns the entries still
 * present in this table.
 */
static int zap_level(pte_t *table, int level, uint64_t base, uint64_t start,
                     uint64_t end, uint64_t *freed)
{
    uint64_t span = 1ull << (PAGE_SHIFT + 9 * level);
    for (unsigned i = vm_index(start, level); i <= vm_index(end - 1, level); i++) {
        pte_t *e = &table[i];
        uint64_t lo = base + i * span;
        if (!(*e & PTE_P))
            continue;
        if (level == 0) {
            if ((*e & PTE_ADDR) != zero_frame) {
                pmm_free(*e & PTE_ADDR, FRAME_USER);
                (*freed)++;
            }
            *e = 0;
            invlpg(lo);
            continue;
        }
        pte_t *child = P2V(*e & PTE_ADDR);
        if (zap_level(child, level - 1, lo, MAX(start, lo), MIN(end, lo + span),
                      freed) == 0) {
            pmm_free(*e & PTE_ADDR, FRAME_PTABLE);
            *e = 0;
        }
    }
    return table_used(table);
}

/* Unmaps and frees; see mm.h. */
uint64_t vm_zap(uint64_t start, uint64_t end)
{
    uint64_t freed = 0;
    end = MIN(end, USER_TOP);
    if (start >= end)
        return 0;
    zap_level(pml4(), 3, 0, start, end, &freed);
    /* Freed page tables may sit in the paging-structure caches. */
    flush_all();
    return freed;
}

static void protect_level(pte_t *table, int level, uint64_t base, uint64_t start,
                          uint64_t end, uint64_t flags)
{
    uint64_t span = 1ull << (PAGE_SHIFT + 9 * level);
    for (unsigned i = vm_index(start, level); i <= vm_index(end - 1, level); i++) {
        pte_t *e = &table[i];
        uint64_t lo = base + i * span;
        if (!(*e & PTE_P))
            continue;
        if (level == 0) {
            uint64_t f = (*e & PTE_ADDR) == zero_frame ? flags & ~PTE_W : flags;
            *e = (*e & PTE_ADDR) | PTE_P | f;
            invlpg(lo);
        } else {
            protect_level(P2V(*e & PTE_ADDR), level - 1, lo, MAX(start, lo),
                          MIN(end, lo + span), flags);
        }
    }
}

/* Rewrites the flags of the present pages; see mm.h. */
void vm_protect(uint64_t start, uint64_t end, uint64_t flags)
{
    end = MIN(end, USER_TOP);
    if (start < end)
        protect_level(pml4(), 3, 0, start, end, flags);
}
