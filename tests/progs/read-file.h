/*
 * tests/progs/read-file.h - reads a whole (small) file, such as
 * /proc/self/maps, into a buffer as one NUL-terminated string.
 */
#ifndef TESTS_PROGS_READ_FILE_H
#define TESTS_PROGS_READ_FILE_H

#include <fcntl.h>
#include <unistd.h>

/* Returns the length read (the rest of buf past size - 1 is cut), or -1
 * if path cannot be opened. */
static inline long read_file(const char *path, char *buf, long size)
{
    int fd = open(path, O_RDONLY);
    long len = 0, n;
    if (fd < 0)
        return -1;
    while ((n = read(fd, buf + len, (size_t)(size - 1 - len))) > 0)
        len += n;
    close(fd);
    buf[len] = '\0';
    return len;
}

#endif
