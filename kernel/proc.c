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
char kernel_cmdline[256];

/* True if c occurs in s[0..n). */
static bool memchr_eq(const char *s, char c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == c)
            return true;
    return false;
}

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

/* Strings of the initial stack: argv, envp, the platform, random bytes. */
struct stack_strings {
    char buf[2048];
    size_t len;
    uint64_t argv[32], envp[32];
    int argc, envc;
};

/* Appends the words of s to ss (argv, or with env only NAME=VALUE words);
 * words that do not fit are dropped. */
static void stack_add_words(struct stack_strings *ss, const char *s, bool env)
{
    const char *w;
    size_t n;
    while ((w = word_next(&s, &n)), n) {
        bool is_env = memchr_eq(w, '=', n) && !(n > 7 && strncmp(w, "kernel.", 7) == 0);
        if (n == 0 || env != is_env || ss->len + n + 64 > sizeof ss->buf)
            continue;
        if (env && ss->envc < 31)
            ss->envp[ss->envc++] = ss->len;
        else if (!env && ss->argc < 31)
            ss->argv[ss->argc++] = ss->len;
        else
            continue;
        memcpy(ss->buf + ss->len, w, n);
        ss->len += n;
        ss->buf[ss->len++] = '\0';
    }
}

/*
 * Builds the initial stack as Linux does and returns the user rsp:
 *
 *   STACK_TOP  -> | argv and envp strings, "x86_64", 16 random bytes |
 *                 | padding to 16                                     |
 *                 | auxv pairs ... AT_NULL                            |
 *                 | NULL, envp[envc-1] ... envp[0]                    |
 *                 | NULL, argv[argc-1] ... argv[0]                    |
 *   rsp (16-aligned) -> argc                                          |
 */
static uint64_t proc_build_stack(struct proc *p, const char *cmdline, uint64_t entry)
{
    static struct stack_strings ss;
    static uint64_t words[128];
    ss.len = 0;
    ss.argc = ss.envc = 0;
    stack_add_words(&ss, cmdline, false);
    stack_add_words(&ss, kernel_cmdline, true);
    uint64_t plat = ss.len;
    memcpy(ss.buf + ss.len, "x86_64", 7);
    ss.len += 7;
    uint64_t rnd = ss.len, seed = rdtsc();
    for (int i = 0; i < 16; i++, seed = seed * 6364136223846793005ull + 1)
        ss.buf[ss.len++] = (char)(seed >> 56);
    uint64_t base = (STACK_TOP - ss.len) & ~15ull;

    int n = 0;
    words[n++] = (uint64_t)ss.argc;
    for (int i = 0; i < ss.argc; i++)
        words[n++] = base + ss.argv[i];
    words[n++] = 0;
    for (int i = 0; i < ss.envc; i++)
        words[n++] = base + ss.envp[i];
    words[n++] = 0;
    uint64_t aux[][2] = {
        { AT_PHDR, p->phdr }, { AT_PHENT, 56 }, { AT_PHNUM, p->phnum },
        { AT_PAGESZ, PAGE_SIZE }, { AT_ENTRY, entry }, { AT_UID, 0 },
        { AT_EUID, 0 }, { AT_GID, 0 }, { AT_EGID, 0 }, { AT_SECURE, 0 },
        { AT_RANDOM, base + rnd }, { AT_PLATFORM, base + plat }, { AT_NULL, 0 },
    };
    for (size_t i = 0; i < ARRAY_LEN(aux); i++) {
        words[n++] = aux[i][0];
        words[n++] = aux[i][1];
    }
    uint64_t sp = (base - n * 8) & ~15ull;
    if (copy_to_user(base, ss.buf, ss.len) < 0 || copy_to_user(sp, words, n * 8) < 0)
        panic("cannot write the initial stack");
    return sp;
}

/* Frees everything the program holds: pages, page tables, areas. */
static void proc_teardown(struct proc *p)
{
    p->resident -= vm_zap(0, USER_TOP);
    vma_free_all(p);
    wrmsr(MSR_FS_BASE, 0);
}

/* Sets up p and enters ring 3; only returns through kctx_resume. */
static void proc_start(struct proc *p, const uint8_t *image, uint64_t size,
                       const char *cmdline)
{
    uint64_t entry = elf_load(p, image, size);
    if (!entry)
        proc_exit(126);   /* what a shell reports for "cannot execute" */
    if (vma_insert(p, STACK_TOP - STACK_INITIAL, STACK_TOP, VMA_READ | VMA_WRITE,
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
