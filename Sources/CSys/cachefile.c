// Files for the compiled-policy cache: written without a name, marked, then linked into place
// (Sources/Policy/CachePolicy.swift explains why). O_TMPFILE and the xattr calls are not
// visible to Swift without _GNU_SOURCE.
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/xattr.h>

#include "csys.h"

int aegish_open_tmpfile(const char *dir, unsigned mode) {
    return open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, (mode_t)mode);
}

int aegish_fsetxattr(int fd, const char *name, const void *value, size_t size) {
    return fsetxattr(fd, name, value, size, 0);
}

long aegish_fgetxattr(int fd, const char *name, void *value, size_t size) {
    return (long)fgetxattr(fd, name, value, size);
}
