/*
 * kernel/sys_file.c - the file system calls over a tiny file table: fds
 * 0-2 are the console (reads give end of file, writes go to serial) and
 * open() knows only the /proc files of procfs.c, read-only.
 */
#include "proc.h"
#include "errno.h"
#include "syscall.h"

#define AT_FDCWD ((u64)-100)
#define PROC_BUF_SIZE (256 * 1024)   /* 2048 maps lines */

static char proc_buf[PROC_BUF_SIZE];

static struct file *file_get(u64 fd)
{
    if (fd >= MAX_FILES || curproc->files[fd].kind == FILE_NONE)
        return NULL;
    return &curproc->files[fd];
}

/* write(2) to the console (fds open on it); the whole buffer is checked
 * first: -EFAULT means nothing was written. -EBADF for other fds. */
long ksys_write(u64 fd, u64 buf, u64 count)
{
    struct file *f = file_get(fd);
    if (!f || f->kind != FILE_CONSOLE)
        return -EBADF;
    if (!uaccess_ok(buf, count, false))
        return -EFAULT;
    char chunk[256];
    for (u64 done = 0; done < count;) {
        u64 n = MIN(count - done, sizeof chunk);
        if (copy_from_user(chunk, buf + done, n) < 0)
            return done ? (long)done : -EFAULT;
        cons_write(chunk, n);
        done += n;
    }
    return (long)count;
}

/* The console has no input: end of file. /proc files are rendered anew on
 * each read and read from the file offset. */
long ksys_read(u64 fd, u64 buf, u64 count)
{
    struct file *f = file_get(fd);
    if (!f)
        return -EBADF;
    if (f->kind == FILE_CONSOLE || count == 0)
        return 0;
    u64 len = procfs_render(curproc, f->kind, proc_buf, sizeof proc_buf);
    if (f->offset >= len)
        return 0;
    u64 n = MIN(count, len - f->offset);
    if (copy_to_user(buf, proc_buf + f->offset, n) < 0)
        return -EFAULT;
    f->offset += n;
    return (long)n;
}

/* open(2) of a /proc file, read-only: the lowest free fd, or -EFAULT,
 * -ENAMETOOLONG, -ENOENT, -EACCES (write access), -EMFILE. */
long ksys_open(u64 path, u64 flags, u64 mode)
{
    (void)mode;
    char name[256];
    long r = copy_str_from_user(name, path, sizeof name);
    if (r < 0)
        return r;
    enum file_kind kind = procfs_lookup(curproc, name);
    if (kind == FILE_NONE)
        return -ENOENT;
    if ((flags & O_ACCMODE) != 0)
        return -EACCES;
    for (int fd = 0; fd < MAX_FILES; fd++) {
        if (curproc->files[fd].kind == FILE_NONE) {
            curproc->files[fd] = (struct file){ kind, 0 };
            return fd;
        }
    }
    return -EMFILE;
}

/* Only absolute paths or paths relative to the working directory. */
long ksys_openat(u64 dirfd, u64 path, u64 flags, u64 mode)
{
    char c;
    if (copy_from_user(&c, path, 1) < 0)
        return -EFAULT;
    if (c != '/' && dirfd != AT_FDCWD)
        return file_get(dirfd) ? -ENOENT : -EBADF;
    return ksys_open(path, flags, mode);
}

/* close(2): 0 or -EBADF. */
long ksys_close(u64 fd)
{
    struct file *f = file_get(fd);
    if (!f)
        return -EBADF;
    f->kind = FILE_NONE;
    return 0;
}
