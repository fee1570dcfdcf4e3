/*
 * libc/src/start.c - what runs between _start and main: reads argc, argv,
 * envp and the auxiliary vector, sets up static thread-local storage from
 * the program's PT_TLS segment, then calls main and exit.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libc.h"
#include "syscall.h"

char **environ;

/* ---- the ELF bits we read (ELF64, see the System V gABI) ---------------- */
struct elf_ehdr {
    unsigned char ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
#define PT_TLS 7
#define AT_NULL  0
#define AT_PHDR  3
#define AT_PHNUM 5
#define AT_PAGESZ 6

/* GNU ld defines this when the ELF header is in a loaded segment, which is
 * the case for our static programs: the fallback when auxv has no AT_PHDR. */
extern const struct elf_ehdr __ehdr_start __attribute__((weak, visibility("hidden")));

/*
 * Static TLS, x86-64 "variant II": the thread pointer (fs base) points at
 * the thread control block; the program's TLS block sits just below it,
 * and the linker resolved every TLS access as a negative offset from fs.
 *
 *   [ tdata copy | tbss zeros ][ tcb: self, dtv, self, ..., canary ]
 *   ^ tp - round_up(memsz, align)  ^ tp = %fs:0 holds tp itself
 */
struct tcb {
    struct tcb *self;      /* %fs:0, read by code that wants tp */
    void *dtv;
    struct tcb *self2;
    uintptr_t pad[2];
    uintptr_t canary;      /* %fs:0x28, where gcc's stack protector looks */
    uintptr_t spare[2];
};

#define ARCH_SET_FS 0x1002
#define TLS_STATIC_BYTES 16384

static unsigned char tls_static[TLS_STATIC_BYTES] __attribute__((aligned(64)));

static const struct elf_phdr *find_tls(const struct elf_phdr *ph, size_t n)
{
    for (size_t i = 0; ph && i < n; i++)
        if (ph[i].type == PT_TLS)
            return &ph[i];
    return NULL;
}

static void die(const char *msg)
{
    __syscall3(SYS_write, 2, msg, strlen(msg));
    _exit(127);
}

/* Builds the TLS area and points fs at its TCB. */
static void tls_setup(const struct elf_phdr *tls)
{
    size_t memsz = tls ? tls->memsz : 0;
    /* The linker placed the block at tp - round_up(memsz, p_align), with
     * the segment's own alignment; tp itself we align to at least 16. */
    size_t seg_align = tls && tls->align > 1 ? tls->align : 1;
    size_t align = seg_align > 16 ? seg_align : 16;
    size_t blk = (memsz + seg_align - 1) & ~(seg_align - 1);
    size_t need = blk + align + sizeof(struct tcb);
    unsigned char *area = tls_static;
    if (need > sizeof tls_static) {
        long r = __syscall6(SYS_mmap, 0, (long)((need + 4095) & ~4095UL), 3, 0x22, -1, 0);
        if (r < 0 && r > -4096)
            die("libc: no memory for thread-local storage\n");
        area = (unsigned char *)r;
    }
    uintptr_t tp = ((uintptr_t)area + blk + align - 1) & ~(uintptr_t)(align - 1);
    unsigned char *block = (unsigned char *)(tp - blk);
    if (tls) {
        memcpy(block, (const void *)tls->vaddr, tls->filesz);
        memset(block + tls->filesz, 0, memsz - tls->filesz);
    }
    struct tcb *tcb = (struct tcb *)tp;
    memset(tcb, 0, sizeof *tcb);
    tcb->self = tcb;
    tcb->self2 = tcb;
    tcb->canary = 0x2f8e1d6c00a55a00UL ^ tp;
    if (__syscall2(SYS_arch_prctl, ARCH_SET_FS, tp) != 0)
        die("libc: arch_prctl(ARCH_SET_FS) failed: no thread-local storage\n");
}

int main(int argc, char **argv, char **envp);

/* Called by _start with the initial stack pointer; never returns. */
_Noreturn void __libc_start(long *sp)
{
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    char **p = envp;
    while (*p)
        p++;
    const uint64_t *aux = (const uint64_t *)(p + 1);
    const struct elf_phdr *phdr = NULL;
    size_t phnum = 0;
    for (; aux[0] != AT_NULL; aux += 2) {
        if (aux[0] == AT_PHDR)
            phdr = (const struct elf_phdr *)aux[1];
        else if (aux[0] == AT_PHNUM)
            phnum = aux[1];
    }
    if ((!phdr || !phnum) && &__ehdr_start) {
        phdr = (const struct elf_phdr *)((const char *)&__ehdr_start + __ehdr_start.phoff);
        phnum = __ehdr_start.phnum;
    }
    tls_setup(find_tls(phdr, phnum));
    environ = envp;
    exit(main(argc, argv, envp));
}
