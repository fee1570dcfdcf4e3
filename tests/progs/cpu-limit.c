/*
 * tests/progs/cpu-limit.c - RLIMIT_CPU: with a 1 second limit a spinning
 * program is killed by SIGXCPU (status 152), on Linux and on our kernel
 * (whose timer tick enforces it): a runaway program cannot hang the kernel.
 */
#include <stdio.h>
#include <sys/resource.h>

int main(void)
{
    struct rlimit rl = { 1, 2 };
    if (setrlimit(0 /* RLIMIT_CPU */, &rl) != 0) {
        printf("FAIL cpu-limit: setrlimit\n");
        return 1;
    }
    printf("spinning with a 1 s CPU limit\n");
    fflush(stdout);
    for (volatile unsigned long i = 0;; i++)
        ;
}
