/*
 * tests/threads/forks.c - fork while other threads allocate: the child must
 * be able to malloc, free (also blocks the parent's threads made), start a
 * thread of its own, and exit 0, every time. A child that deadlocks is
 * killed by its alarm and counted as a failure.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tide.h"
#include "threads.h"

#define WORKERS 3
#define FORKS 150

static atomic_bool stop;
static void *shared_block; /* made by a worker, freed by each child */

static void *worker(void *arg)
{
    uint64_t rng = 0x9999 + (uint64_t)(intptr_t)arg;
    unsigned char *slot[64] = { 0 };
    size_t size[64] = { 0 };

    while (!atomic_load(&stop)) {
        size_t i = (size_t)(rng_next(&rng) % 64);
        if (slot[i]) {
            if (!pattern_ok(slot[i], size[i], (uint32_t)i))
                return "worker block changed";
            free(slot[i]);
        }
        size[i] = churn_size(&rng);
        slot[i] = malloc(size[i]);
        if (slot[i] == NULL)
            return "worker malloc returned NULL";
        pattern_fill(slot[i], size[i], (uint32_t)i);
    }
    for (size_t i = 0; i < 64; i++)
        free(slot[i]);
    return NULL;
}

static void *child_thread(void *arg)
{
    void *p = malloc(1000);
    void *ok = p ? arg : NULL;

    free(p);
    return ok;
}

/* What each child does; its exit status says what broke. */
static int child_body(void)
{
    void *p[100];
    pthread_t tid;
    void *r;

    alarm(10);
    free(shared_block);
    for (int i = 0; i < 100; i++) {
        p[i] = malloc((size_t)i * 97 + (i % 10 == 0 ? 300 * 1024 : 0));
        if (p[i] == NULL)
            return 2;
        memset(p[i], i, (size_t)i * 97);
    }
    p[1] = realloc(p[1], 5000);
    for (int i = 0; i < 100; i++)
        free(p[i]);
    if (pthread_create(&tid, NULL, child_thread, (void *)&stop) != 0 || pthread_join(tid, &r) != 0 || !r)
        return 3;
    if (tide_check() != 0)
        return 4;
    return 0;
}

static const char *wait_child(pid_t pid)
{
    static char why[128];
    int status;

    if (waitpid(pid, &status, 0) != pid)
        return "waitpid failed";
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return NULL;
    if (WIFSIGNALED(status))
        snprintf(why, sizeof why, "child killed by signal %d%s", WTERMSIG(status),
                 WTERMSIG(status) == SIGALRM ? " (deadlocked)" : "");
    else
        snprintf(why, sizeof why, "child exited with %d", WEXITSTATUS(status));
    return why;
}

static const char *fork_while_threads_allocate(void)
{
    pthread_t tid[WORKERS];
    const char *why = NULL;
    void *r;

    atomic_store(&stop, false);
    for (intptr_t i = 0; i < WORKERS; i++)
        if (pthread_create(&tid[i], NULL, worker, (void *)i) != 0)
            return "pthread_create failed";
    for (int n = 0; n < FORKS && !why; n++) {
        pid_t pid;
        shared_block = malloc(100 + (size_t)n);
        fflush(NULL);
        pid = fork();
        if (pid < 0)
            why = "fork failed";
        else if (pid == 0)
            exit(child_body());
        else
            why = wait_child(pid);
        free(shared_block);
    }
    atomic_store(&stop, true);
    for (int i = 0; i < WORKERS; i++) {
        pthread_join(tid[i], &r);
        if (r && !why)
            why = r;
    }
    return why;
}

/* A fork from a thread other than main, while main allocates. */
static void *forking_thread(void *arg)
{
    const char *why = NULL;

    (void)arg;
    for (int n = 0; n < 30 && !why; n++) {
        pid_t pid;
        shared_block = malloc(64);
        pid = fork();
        if (pid == 0)
            exit(child_body());
        why = pid < 0 ? "fork failed" : wait_child(pid);
        free(shared_block);
    }
    atomic_store(&stop, true);
    return (void *)why;
}

static const char *fork_from_second_thread(void)
{
    pthread_t tid;
    uint64_t rng = 42;
    void *r;

    atomic_store(&stop, false);
    if (pthread_create(&tid, NULL, forking_thread, NULL) != 0)
        return "pthread_create failed";
    while (!atomic_load(&stop))
        free(malloc(churn_size(&rng)));
    pthread_join(tid, &r);
    return r;
}

const struct thread_case fork_cases[] = {
    { "fork-while-threads-allocate", fork_while_threads_allocate, false },
    { "fork-from-second-thread", fork_from_second_thread, false },
};
const size_t fork_case_count = sizeof fork_cases / sizeof fork_cases[0];
