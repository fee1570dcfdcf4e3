/*
 * kernel/proc.c - running one program: set up the process (limits, open
 * files, the ELF image, the stack with argv and the auxiliary vector), drop
 * to ring 3, and come back here when it exits or is killed, with every
 * frame it used returned. One program at a time; the kernel runs the next
 * boot module afterwards.
 */
#include "proc.h"
#include "mm.h"
#include "errno.h"

static struct proc the_proc;
struct proc *curproc;
static struct kctx run_ctx;   /* where proc_exit returns to */
static int next_pid = 1;

/* Linux's defaults for a process started by a shell. */
static void proc_init_limits(struct proc *p)
{
    for (int i = 0; i < RLIM_NLIMITS; i++)
        p->rlim[i] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
    p->rlim[RLIMIT_STACK_NR].cur = STACK_SIZE;
    p->rlim[7] = (struct rlimit64){ 1024, 4096 };      /* RLIMIT_NOFILE */
}

/* Copies the first word of cmdline (the program's path) into p->name. */
static void proc_set_name(struct proc *p, const char *cmdline)
{
    size_t n = 0;
    while (cmdline[n] && cmdline[n] != ' ' && n < sizeof p->name - 1) {
        p->name[n] = cmdline[n];
        n++;
    }
    p->name[n] = '\0';
}

#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_SECURE 23
#define AT_RANDOM 25

/*
 * Builds the initial stack as Linux does and returns the user rsp:
 *
 *   STACK_TOP  -> | argv strings, "x86_64", 16 random bytes |
 *                 | padding to 16                            |
 *                 | auxv pairs ... AT_NULL                   |
 *                 | NULL (end of envp)                       |
 *                 | NULL, argv[argc-1] ... argv[0]           |
 *   rsp (16-aligned) -> argc                                 |
 */
static uint64_t proc_build_stack(struct proc *p, const char *cmdline, uint64_t entry)
{
    static char strings[512];
    static uint64_t words[64 + 32];
    uint64_t argv[32];
    int argc = 0;
    size_t len = 0;
    for (const char *s = cmdline; *s && argc < 31;) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        argv[argc++] = len;
        while (*s && *s != ' ' && len < sizeof strings - 40)
            strings[len++] = *s++;
        strings[len++] = '\0';
    }
    uint64_t plat = len;
    memcpy(strings + len, "x86_64", 7);
    len += 7;
    uint64_t rnd = len, seed = rdtsc();
    for (int i = 0; i < 16; i++, seed = seed * 6364136223846793005ull + 1)
        strings[len++] = (char)(seed >> 56);
    uint64_t str_base = (STACK_TOP - len) & ~15ull;

    int n = 0;
    words[n++] = argc;
    for (int i = 0; i < argc; i++)
        words[n++] = str_base + argv[i];
    words[n++] = 0;   /* end of argv */
    words[n++] = 0;   /* envp: empty */
    uint64_t aux[][2] = {
        { AT_PHDR, p->phdr }, { AT_PHENT, 56 }, { AT_PHNUM, p->phnum },
        { AT_PAGESZ, PAGE_SIZE }, { AT_ENTRY, entry }, { AT_UID, 0 },
        { AT_EUID, 0 }, { AT_GID, 0 }, { AT_EGID, 0 }, { AT_SECURE, 0 },
        { AT_RANDOM, str_base + rnd }, { AT_PLATFORM, str_base + plat },
        { AT_NULL, 0 },
    };
    for (size_t i = 0; i < ARRAY_LEN(aux); i++) {
        words[n++] = aux[i][0];
        words[n++] = aux[i][1];
    }
    uint64_t sp = (str_base - n * 8) & ~15ull;
    if (copy_to_user(str_base, strings, len) < 0 || copy_to_user(sp, words, n * 8) < 0)
        panic("cannot write the initial stack");
    return sp;
}

/* Frees everything the program holds: pages, page tables, areas. */
static void proc_teardown(struct proc *p)
{
    p->resident -= vm_zap(0, USER_TOP);
    p->nvmas = 0;
    wrmsr(MSR_FS_BASE, 0);
}

/* Sets up p and enters ring 3; only returns through kctx_resume. */
static void proc_start(struct proc *p, const uint8_t *image, uint64_t size,
                       const char *cmdline)
{
    uint64_t entry = elf_load(p, image, size);
    if (!entry)
        proc_exit(126);   /* what a shell reports for "cannot execute" */
    if (vma_insert(p, STACK_TOP - STACK_SIZE, STACK_TOP, VMA_READ | VMA_WRITE,
                   VMA_STACK) < 0)
        panic("no room for the stack area");
    uint64_t sp = proc_build_stack(p, cmdline, entry);
    p->start_ns = clock_ns();
    user_enter(entry, sp);
}

/* Runs one program to its end; see proc.h. */
int proc_run(const uint8_t *image, uint64_t size, const char *cmdline)
{
    struct proc *p = &the_proc;
    memset(p, 0, sizeof *p);
    p->pid = next_pid++;
    proc_set_name(p, cmdline);
    proc_init_limits(p);
    p->log_budget = 10;
    for (int fd = 0; fd < 3; fd++)
        p->files[fd].kind = FILE_CONSOLE;
    curproc = p;
    if (kctx_save(&run_ctx) == 0)
        proc_start(p, image, size, cmdline);
    proc_teardown(p);
    curproc = NULL;
    return p->exit_status;
}

/* Spends one line of the program's log budget; see proc.h. */
bool proc_may_log(void)
{
    if (curproc->log_budget == 0)
        return false;
    if (--curproc->log_budget == 0)
        kprintf("[kernel] (further unsupported calls of this program not logged)\n");
    return true;
}

/* The process of the last proc_run. */
struct proc *proc_last(void)
{
    return &the_proc;
}

/* Records the status and unwinds to proc_run. */
_Noreturn void proc_exit(int status)
{
    curproc->exit_status = status;
    kctx_resume(&run_ctx);
}

/* Linux's OOM-killer line, then SIGKILL (status 137). */
_Noreturn void proc_oom_kill(void)
{
    struct proc *p = curproc;
    kprintf("[kernel] out of memory: killed process %d (%s) total-vm:%lukB "
            "anon-rss:%lukB\n", p->pid, p->name, vma_total_bytes(p) / 1024,
            p->resident * (PAGE_SIZE / 1024));
    proc_exit(128 + 9);
}
