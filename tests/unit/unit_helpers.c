/*
 * tests/unit/unit_helpers.c - the setup, teardown and helpers declared in
 * unit.h: resetting the fake and the core between tests, death tests in a
 * forked child, heap-walk summaries, fill patterns.
 */
#define _GNU_SOURCE
#include "unit.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void unit_restart(const struct fake_config *cfg)
{
    fake_reset(cfg);
    tide_reset();
}

void unit_no_slab(void)
{
    assert_int_equal(tide_mallopt(TIDE_M_SLAB, 0), 1);
}

void unit_restart_classic(void)
{
    unit_restart(NULL);
    assert_int_equal(tide_mallopt(TIDE_M_PROFILE, 1), 1);
}

/* cmocka would catch a crash and go on to the teardown, whose tide_check
 * then waits forever for the lock the crashed code held: die at once
 * instead (each test runs in its own process, see unit_runner.c). */
static void die_of(int sig)
{
    signal(sig, SIG_DFL);
    raise(sig);
}

int unit_setup(void **state)
{
    (void)state;
    signal(SIGSEGV, die_of);
    signal(SIGBUS, die_of);
    signal(SIGILL, die_of);
    signal(SIGFPE, die_of);
    unit_restart(NULL);
    return 0;
}

int unit_teardown(void **state)
{
    size_t problems = tide_check();
    const struct fake_counters *c = fake_counters();

    (void)state;
    if (problems != 0)
        fprintf(stderr, "teardown: tide_check() found %zu problem(s):\n%s", problems, fake_messages());
    if (c->contract_violations != 0)
        fprintf(stderr, "teardown: the core broke the platform contract %zu time(s)\n",
                c->contract_violations);
    return problems == 0 && c->contract_violations == 0 && c->abort_calls == 0 ? 0 : -1;
}

/* ---- death tests ---------------------------------------------------------- */

static void run_child(int fd, void (*fn)(void *), void *arg)
{
    dup2(fd, 2);
    signal(SIGABRT, SIG_DFL);
    signal(SIGSEGV, SIG_DFL);
    signal(SIGBUS, SIG_DFL);
    alarm(10);
    fake_set_quiet(false);
    fn(arg);
    _exit(0);
}

static size_t read_all(int fd, char *buf, size_t len)
{
    size_t got = 0;
    ssize_t n;

    while (got + 1 < len && (n = read(fd, buf + got, len - 1 - got)) > 0)
        got += (size_t)n;
    buf[got] = '\0';
    return got;
}

static bool single_tide_line_naming(const char *out, const void *p)
{
    char hex[32];
    const char *nl = strchr(out, '\n');

    if (strncmp(out, "tide: ", 6) != 0 || nl == NULL || nl[1] != '\0')
        return false;
    snprintf(hex, sizeof hex, "%p", p);
    return p == NULL || strstr(out, hex) != NULL;
}

void expect_abort(void (*fn)(void *), void *arg, const char *expected, const void *ptr_in_line)
{
    int fds[2], status;
    char out[4096];
    pid_t pid;

    fflush(NULL);
    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        run_child(fds[1], fn, arg);
    }
    close(fds[1]);
    read_all(fds[0], out, sizeof out);
    close(fds[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT) {
        fail_msg("child did not abort: %s %d; it wrote \"%s\"",
                 WIFSIGNALED(status) ? "signal" : "exit status",
                 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), out);
    }
    if (expected)
        assert_string_equal(out, expected);
    else if (!single_tide_line_naming(out, ptr_in_line))
        fail_msg("expected one line \"tide: ... %p\", got \"%s\"", ptr_in_line, out);
}

const char *abort_line(char *buf, size_t len, const char *what, const void *p)
{
    snprintf(buf, len, "tide: %s %p\n", what, p);
    return buf;
}

/* ---- heap walks ------------------------------------------------------------ */

static void summarise(const struct tide_chunk_info *ci, void *arg)
{
    struct walk_summary *s = arg;

    s->chunks++;
    s->bytes_total += ci->size;
    switch (ci->state) {
    case TIDE_CHUNK_IN_USE: s->in_use++; break;
    case TIDE_CHUNK_CACHED: s->cached++; s->bytes_cached += ci->size; break;
    case TIDE_CHUNK_FREE: s->free++; break;
    case TIDE_CHUNK_TOP: s->top++; break;
    case TIDE_CHUNK_MMAPPED: s->mmapped++; break;
    case TIDE_CHUNK_QUICK: s->quick++; break;
    }
    if (s->target && ci->mem == s->target) {
        s->saw_target = true;
        s->target_info = *ci;
    }
}

void walk_heap(struct walk_summary *s, const void *target)
{
    memset(s, 0, sizeof *s);
    s->target = target;
    tide_heap_walk(summarise, s);
}

struct tide_stats stats_now(void)
{
    struct tide_stats st;

    memset(&st, 0xff, sizeof st);
    tide_get_stats(&st);
    return st;
}

size_t heap_span(void)
{
    struct tide_stats st = stats_now();

    return (size_t)((const char *)st.heap_end - (const char *)st.heap_start);
}

/* ---- patterns -------------------------------------------------------------- */

static unsigned char pattern_byte(size_t i, unsigned seed)
{
    return (unsigned char)((i * 131u + seed * 7919u + (i >> 8)) ^ 0x5a);
}

void fill_pattern(void *p, size_t n, unsigned seed)
{
    unsigned char *b = p;

    for (size_t i = 0; i < n; i++)
        b[i] = pattern_byte(i, seed);
}

bool check_pattern(const void *p, size_t n, unsigned seed)
{
    const unsigned char *b = p;

    for (size_t i = 0; i < n; i++)
        if (b[i] != pattern_byte(i, seed))
            return false;
    return true;
}

bool all_bytes(const void *p, size_t n, unsigned char value)
{
    const unsigned char *b = p;

    for (size_t i = 0; i < n; i++)
        if (b[i] != value)
            return false;
    return true;
}

void free_twice(void *p)
{
    tide_free(p);
    tide_free(p);
}
