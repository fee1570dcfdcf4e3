/*
 * tests/threads/main.c - runs the thread and fork cases, each printing
 * "ok NAME" or "FAIL NAME: why", then "threads: N passed, M failed".
 * Usage: threads [NAME]   runs only the case called NAME.
 * A case marked `fresh` runs in a new process (this program again, as
 * `threads --fresh NAME`), which prints its reason on failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tide.h"
#include "threads.h"

static const char *self;

/* Runs c in a new process; NULL if it passed. */
static const char *run_fresh(const struct thread_case *c)
{
    static char why[256];
    int fd[2];
    if (pipe(fd) != 0)
        return "pipe failed";
    pid_t pid = fork();
    if (pid < 0)
        return "fork failed";
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        execl(self, self, "--fresh", c->name, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    ssize_t n = read(fd[0], why, sizeof why - 1);
    close(fd[0]);
    why[n > 0 ? n : 0] = 0;
    why[strcspn(why, "\n")] = 0;
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return "waitpid failed";
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return NULL;
    return why[0] ? why : "the fresh process failed";
}

static void run_table(const struct thread_case *cases, size_t n, const char *only,
                      size_t *passed, size_t *failed)
{
    for (size_t i = 0; i < n; i++) {
        const char *why;
        if (only && strcmp(only, cases[i].name) != 0)
            continue;
        why = cases[i].fresh ? run_fresh(&cases[i]) : cases[i].run();
        if (why == NULL && tide_check() != 0)
            why = "tide_check() found problems afterwards";
        if (why) {
            printf("FAIL %s: %s\n", cases[i].name, why);
            (*failed)++;
        } else {
            printf("ok %s\n", cases[i].name);
            (*passed)++;
        }
        fflush(stdout);
    }
}

/* `threads --fresh NAME`: the case alone, its reason on stdout. */
static int run_here(const char *name)
{
    const struct thread_case *tables[2] = { thread_cases, fork_cases };
    size_t counts[2] = { thread_case_count, fork_case_count };
    for (size_t t = 0; t < 2; t++)
        for (size_t i = 0; i < counts[t]; i++)
            if (strcmp(tables[t][i].name, name) == 0) {
                const char *why = tables[t][i].run();
                if (why == NULL && tide_check() != 0)
                    why = "tide_check() found problems afterwards";
                if (why)
                    printf("%s\n", why);
                return why ? 1 : 0;
            }
    printf("no case called %s\n", name);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--fresh") == 0)
        return run_here(argv[2]);
    self = "/proc/self/exe";
    const char *only = argc > 1 ? argv[1] : NULL;
    size_t passed = 0, failed = 0;

    run_table(thread_cases, thread_case_count, only, &passed, &failed);
    run_table(fork_cases, fork_case_count, only, &passed, &failed);
    printf("threads: %zu passed, %zu failed\n", passed, failed);
    return failed ? 1 : 0;
}
