// Small wrappers: variadic or _GNU_SOURCE-only calls Swift cannot make cleanly, and errno.
#define _GNU_SOURCE
#include "csys.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

int aegish_open(const char *path, int flags, int mode) { return open(path, flags, (mode_t)mode); }

#include <sys/syscall.h>
#include <linux/openat2.h>

int aegish_open_nosymlinks(const char *path, int flags, int mode) {
    struct open_how how = {0};
    how.flags = (unsigned long long)flags;
    how.mode = (flags & (O_CREAT | O_TMPFILE)) ? (unsigned long long)mode : 0;
    how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    long fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how);
    if (fd >= 0 || errno != ENOSYS) return (int)fd;
    /* Kernels before 5.6: at least the last component must not be a symlink. */
    return open(path, flags | O_NOFOLLOW, (mode_t)mode);
}

int aegish_dup_cloexec(int fd, int minfd) { return fcntl(fd, F_DUPFD_CLOEXEC, minfd); }

int aegish_dup2(int fd, int target, int cloexec) {
    if (fd == target) return aegish_set_cloexec(fd, cloexec) == 0 ? target : -1;
    return cloexec ? dup3(fd, target, O_CLOEXEC) : dup2(fd, target);
}

int aegish_set_cloexec(int fd, int on) {
    int f = fcntl(fd, F_GETFD);
    if (f < 0) return -1;
    int nf = on ? (f | FD_CLOEXEC) : (f & ~FD_CLOEXEC);
    if (nf == f) return 0;
    return fcntl(fd, F_SETFD, nf);
}

int aegish_fd_is_open(int fd) {
    int e = errno;
    int open_ = fcntl(fd, F_GETFD) != -1 || errno != EBADF;
    errno = e;
    return open_;
}

int aegish_fd_flags(int fd) { return fcntl(fd, F_GETFL); }

int aegish_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int aegish_isatty(int fd) {
    int e = errno;
    int r = isatty(fd);
    errno = e;
    return r;
}

mode_t aegish_umask_get(void) {
    mode_t m = umask(0);  // single-threaded shell: the window is harmless
    umask(m);
    return m;
}

/// One bit per descriptor below 4096: the ones aegish keeps for itself (see csys.h).
static unsigned char internal_fds[4096 / 8];

int aegish_fd_set_internal(int fd, int on) {
    if (fd < 0 || fd >= 4096) { errno = EBADF; return -1; }
    if (on) internal_fds[fd / 8] |= (unsigned char)(1u << (fd % 8));
    else internal_fds[fd / 8] &= (unsigned char)~(1u << (fd % 8));
    return 0;
}

int aegish_has_acl(const char *path) {
    return getxattr(path, "system.posix_acl_access", NULL, 0) > 0 ? 1 : 0;
}

int aegish_fd_is_internal(int fd) {
    if (fd < 0 || fd >= 4096) return 0;
    return (internal_fds[fd / 8] >> (fd % 8)) & 1;
}

int aegish_getrlimit(int resource, unsigned long long *soft, unsigned long long *hard) {
    struct rlimit rl;
    if (getrlimit((__rlimit_resource_t)resource, &rl) != 0) return -1;
    if (soft) *soft = rl.rlim_cur == RLIM_INFINITY ? ~0ULL : (unsigned long long)rl.rlim_cur;
    if (hard) *hard = rl.rlim_max == RLIM_INFINITY ? ~0ULL : (unsigned long long)rl.rlim_max;
    return 0;
}

int aegish_setrlimit(int resource, unsigned long long soft, unsigned long long hard) {
    struct rlimit rl;
    rl.rlim_cur = soft == ~0ULL ? RLIM_INFINITY : (rlim_t)soft;
    rl.rlim_max = hard == ~0ULL ? RLIM_INFINITY : (rlim_t)hard;
    return setrlimit((__rlimit_resource_t)resource, &rl);
}

static double tv_seconds(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1e6; }

int aegish_times(double *user, double *sys, double *child_user, double *child_sys) {
    struct rusage self, kids;
    if (getrusage(RUSAGE_SELF, &self) != 0 || getrusage(RUSAGE_CHILDREN, &kids) != 0) return -1;
    if (user) *user = tv_seconds(self.ru_utime);
    if (sys) *sys = tv_seconds(self.ru_stime);
    if (child_user) *child_user = tv_seconds(kids.ru_utime);
    if (child_sys) *child_sys = tv_seconds(kids.ru_stime);
    return 0;
}

long long aegish_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int aegish_errno(void) { return errno; }
void aegish_set_errno(int e) { errno = e; }

long aegish_getrandom(void *buf, size_t n) {
    return (long)getrandom(buf, n, 0);
}
