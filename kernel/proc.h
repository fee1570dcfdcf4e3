/*
 * kernel/proc.h - the one running program: its areas (VMAs), its break,
 * its counters, limits and open files; and the subsystems that act on it
 * (vma.c, fault.c, uaccess.c, elf.c, proc.c, the ksys_* system calls).
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include "kernel.h"
#include "trap.h"

/* ---- areas --------------------------------------------------------------- */
#define VMA_READ   1u   /* = PROT_READ */
#define VMA_WRITE  2u   /* = PROT_WRITE */
#define VMA_EXEC   4u   /* = PROT_EXEC */

enum vma_kind { VMA_IMAGE, VMA_HEAP, VMA_STACK, VMA_ANON };

/* [start, end), page aligned, non-empty; kept sorted and disjoint. */
struct vma {
    uint64_t start, end;
    uint32_t prot;          /* VMA_READ | VMA_WRITE | VMA_EXEC */
    enum vma_kind kind;
};

#define MAX_VMAS 2048

/* ---- the process ---------------------------------------------------------- */
#define RLIMIT_CPU_NR 0
#define RLIMIT_DATA_NR 2
#define RLIMIT_STACK_NR 3
#define RLIM_NLIMITS 16
#define RLIM_INFINITY (~0ull)

enum file_kind { FILE_NONE, FILE_CONSOLE, FILE_MAPS, FILE_STATM, FILE_BUDDYINFO,
                 FILE_SLABINFO, FILE_MEMINFO };
struct file {
    enum file_kind kind;
    uint64_t offset;
};
#define MAX_FILES 16

struct rlimit64 {
    uint64_t cur, max;
};

struct proc {
    int pid;
    char name[64];          /* the program's path, for /proc maps */
    uint64_t start_brk, brk;
    uint64_t end_data;      /* end of the image's writable part */
    uint64_t data_size;     /* bytes of writable image (for RLIMIT_DATA) */
    uint64_t phdr, phnum;   /* program headers in memory (AT_PHDR) */
    int exit_status;
    int log_budget;         /* kernel log lines left for this program */
    /* counters changed by the fault handler: read through volatile */
    volatile uint64_t minflt;    /* page faults that mapped a page */
    volatile uint64_t resident;  /* user pages mapped now */
    volatile uint64_t maxrss;    /* peak of resident */
    uint64_t start_ns;
    struct rlimit64 rlim[RLIM_NLIMITS];
    struct file files[MAX_FILES];
    int nvmas;
    struct vma *vmas[MAX_VMAS];   /* sorted by address; objects from vma_cache */
};

extern struct proc *curproc;
/* The kernel's command line (QEMU -append); its NAME=VALUE words become
 * the environment of every program. */
extern char kernel_cmdline[256];

/* ---- vma.c --------------------------------------------------------------- */
/* The area containing va, or NULL. */
struct vma *vma_find(struct proc *p, uint64_t va);
/* vma_find, but growing the stack area down to va when Linux would. */
struct vma *vma_find_grow(struct proc *p, uint64_t va);
/* The first area ending above va, or NULL. */
struct vma *vma_next(struct proc *p, uint64_t va);
/* True if any area overlaps [start, end). */
bool vma_overlaps(struct proc *p, uint64_t start, uint64_t end);
/* Adds [start, end) (must be free); merges with equal neighbours.
 * Returns 0, or -1 when the table is full. */
int vma_insert(struct proc *p, uint64_t start, uint64_t end, uint32_t prot,
               enum vma_kind kind);
/* Removes [start, end) from every area it touches, splitting areas, and
 * frees the pages. Returns 0, or -1 when a split would overflow the table
 * or no object is left for it (nothing removed then). */
int vma_remove(struct proc *p, uint64_t start, uint64_t end);
/* Sets prot on [start, end) up to the first hole (as Linux does); splits
 * areas and rewrites the present pages. Returns 0; -1 if there was a hole
 * (the part before it is changed); -2 when the table would overflow
 * (nothing changed). */
int vma_protect(struct proc *p, uint64_t start, uint64_t end, uint32_t prot);
/* Finds a free gap of len bytes top-down below MMAP_BASE; 0 if none. */
uint64_t vma_gap_topdown(struct proc *p, uint64_t len);
/* Frees every area object (not the pages). */
void vma_free_all(struct proc *p);
/* PTE flags for an area's protection. */
uint64_t vma_pte_flags(uint32_t prot);
/* Sum of the sizes of writable areas other than the stack (Linux data_vm). */
uint64_t vma_data_bytes(struct proc *p);
/* Sum of all area sizes. */
uint64_t vma_total_bytes(struct proc *p);

/* ---- fault.c ------------------------------------------------------------- */
/* The page-fault handler (vector 14). Returns when the access can be
 * retried; kills the program (does not return) when it cannot. */
void fault_handle(struct trapframe *tf);
/* Maps a fresh zero page at the user page va for an access (write or
 * not) the area allows; counts a fault. Returns 0, -1 if no area allows
 * it; kills the program (out of memory) when no frame is free. */
int fault_populate(uint64_t va, bool write);
/* Cycles spent in the fault handler and faults taken since boot. */
extern volatile uint64_t fault_cycles, fault_count;

/* ---- uaccess.c: every user pointer goes through these ------------------- */
/* True if [va, va+len) lies in areas allowing the access (read or write). */
bool uaccess_ok(uint64_t va, uint64_t len, bool write);
/* Copy to/from user memory after checking; missing pages are mapped.
 * Return 0, or -EFAULT. */
int copy_to_user(uint64_t dst, const void *src, uint64_t len);
int copy_from_user(void *dst, uint64_t src, uint64_t len);
/* Copies a NUL-terminated string of at most max-1 bytes. Returns its
 * length, -EFAULT, or -ENAMETOOLONG. */
long copy_str_from_user(char *dst, uint64_t src, uint64_t max);

/* ---- elf.c --------------------------------------------------------------- */
/* Loads the static ELF64 executable image[0..size) into p: areas and
 * pages of its PT_LOAD segments, the break after them. Returns the entry
 * point, or 0 after printing why the file cannot be run. */
uint64_t elf_load(struct proc *p, const uint8_t *image, uint64_t size);

/* ---- proc.c -------------------------------------------------------------- */
/* Runs the program in image[0..size) with the words of cmdline as argv,
 * until it exits or is killed. Returns its exit status. */
int proc_run(const uint8_t *image, uint64_t size, const char *cmdline);
/* True while the program may still cause kernel log lines (the first 10
 * unsupported calls are logged, not a flood of them). */
bool proc_may_log(void);
/* The process of the last proc_run (its counters stay readable). */
struct proc *proc_last(void);
/* Ends the running program with status (0-255, or 128 + signal) and goes
 * back to proc_run's caller: every frame of the program is freed. */
_Noreturn void proc_exit(int status);
/* Kills the program for lack of memory (as Linux's OOM killer would). */
_Noreturn void proc_oom_kill(void);

/* ---- procfs.c ------------------------------------------------------------ */
/* Writes the text of a /proc file of p into buf; returns its length
 * (cut at size). */
uint64_t procfs_render(struct proc *p, enum file_kind kind, char *buf, uint64_t size);
/* The file kind a path names (/proc/self/maps, /proc/<pid>/statm,
 * /proc/meminfo, /proc/buddyinfo, /proc/slabinfo); FILE_NONE if none. */
enum file_kind procfs_lookup(struct proc *p, const char *path);

#endif
