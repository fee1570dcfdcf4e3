/*
 * tests/preload/probe.c - a tiny LD_PRELOAD companion of libtide.so. In
 * every process it is loaded into (children of gcc and git included) it
 * appends one line to the file named by $TIDE_PROBE_LOG:
 *     <pid> <program> malloc=<object defining malloc> tide=<yes|no>
 * so the test can prove that malloc and free really were tide's.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Which loaded object defines name, as seen by the program. */
static const char *defining_object(const char *name)
{
    Dl_info info;
    void *sym = dlsym(RTLD_DEFAULT, name);

    if (sym == NULL || dladdr(sym, &info) == 0 || info.dli_fname == NULL)
        return "?";
    return info.dli_fname;
}

__attribute__((constructor)) static void probe_report(void)
{
    const char *log = getenv("TIDE_PROBE_LOG");
    char exe[256] = "?", line[1024];
    ssize_t n;
    int fd, len;

    if (log == NULL)
        return;
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 1] = '\0';
    len = snprintf(line, sizeof line, "%d %s malloc=%s free=%s tide=%s\n", (int)getpid(), exe,
                   defining_object("malloc"), defining_object("free"),
                   dlsym(RTLD_DEFAULT, "tide_malloc") ? "yes" : "no");
    fd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd >= 0) {
        if (write(fd, line, (size_t)len) != len)
            perror("probe: write");
        close(fd);
    }
}
