/*
 * tests/unit/unit_runner.c - runs each unit test in a forked child, so a
 * crash or a hang in the core (a lock left held, a wild pointer) fails that
 * one test and not the rest. Prints "ok NAME", or "FAIL NAME" followed by
 * everything the test printed (cmocka's messages, the core's reports).
 */
#define _GNU_SOURCE
#include "unit.h"

#include <fnmatch.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A case's time limit. DEBUG=2 checks the whole heap after every call
 * that leaves the fast paths: default-budget-counts-freed-bytes (60,000
 * blocks) takes 18-24 s so, and ran out of 30 s once on a loaded machine. */
#if defined(TIDE_DEBUG) && TIDE_DEBUG >= 2
#define TEST_SECONDS 120
#else
#define TEST_SECONDS 30
#endif

static const char *only_pattern;

void unit_set_filter(const char *pattern) { only_pattern = pattern; }

/* In the child: run one test through cmocka, exit 0 if it passed. */
static _Noreturn void run_one(const struct CMUnitTest *t, int out)
{
    dup2(out, 1);
    dup2(out, 2);
    alarm(TEST_SECONDS);
    exit(_cmocka_run_group_tests(t->name, t, 1, NULL, NULL) == 0 ? 0 : 1);
}

static void report(const char *group, const struct CMUnitTest *t, int status, const char *out)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        printf("ok %s\n", t->name);
        return;
    }
    printf("FAIL %s (%s)", t->name, group);
    if (WIFSIGNALED(status))
        printf(": killed by signal %d (%s)", WTERMSIG(status),
               WTERMSIG(status) == SIGALRM ? "timed out" : strsignal(WTERMSIG(status)));
    printf("\n");
    for (const char *line = out; *line;) {
        size_t len = strcspn(line, "\n");
        if (strncmp(line, "[==", 3) && strncmp(line, "[  PASSED", 9) && strncmp(line, "[ RUN", 5))
            printf("    %.*s\n", (int)len, line);
        line += len + (line[len] == '\n');
    }
}

static char *read_everything(int fd)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    ssize_t n;

    while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (len + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    if (buf)
        buf[len] = '\0';
    return buf;
}

void unit_run_group(const char *group, const struct CMUnitTest *tests, size_t n,
                    struct unit_tally *tally)
{
    for (size_t i = 0; i < n; i++) {
        int fds[2], status = 0;
        char *out;
        pid_t pid;

        if (only_pattern && fnmatch(only_pattern, tests[i].name, 0) != 0)
            continue;
        fflush(stdout);
        if (pipe(fds) != 0 || (pid = fork()) < 0) {
            perror("unit: pipe/fork");
            exit(2);
        }
        if (pid == 0) {
            close(fds[0]);
            run_one(&tests[i], fds[1]);
        }
        close(fds[1]);
        out = read_everything(fds[0]);
        close(fds[0]);
        waitpid(pid, &status, 0);
        report(group, &tests[i], status, out ? out : "");
        free(out);
        tally->run++;
        tally->failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
}
