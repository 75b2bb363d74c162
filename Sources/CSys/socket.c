// Unix stream sockets for the supervisor channel (aegish asks, `aegishctl supervise` answers):
// sockaddr_un and SO_PEERCRED are awkward or hidden from Swift.
#define _GNU_SOURCE
#include "csys.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static int make_address(const char *path, struct sockaddr_un *addr) {
    if (!path) { errno = EINVAL; return -1; }
    size_t n = strlen(path);
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    if (n == 0 || n >= sizeof addr->sun_path) { errno = ENAMETOOLONG; return -1; }
    memcpy(addr->sun_path, path, n + 1);
    return 0;
}

int aegish_unix_connect(const char *path) {
    struct sockaddr_un addr;
    if (make_address(path, &addr) != 0) return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int r;
    while ((r = connect(fd, (struct sockaddr *)&addr, sizeof addr)) != 0 && errno == EINTR) {}
    if (r != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

int aegish_unix_listen(const char *path, int backlog) {
    // Bound and listening under a temporary name, then renamed into place: the path appears
    // only once a client can connect, and born 0666 (who may answer is decided by SO_PEERCRED,
    // not by the file's mode), so a client never sees a half-ready socket (EACCES/ECONNREFUSED).
    char tmp[sizeof(((struct sockaddr_un *)0)->sun_path)];
    int n = snprintf(tmp, sizeof tmp, "%s.%d", path, (int)getpid());
    if (n < 0 || (size_t)n >= sizeof tmp) { errno = ENAMETOOLONG; return -1; }
    struct sockaddr_un addr;
    if (make_address(tmp, &addr) != 0) return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    unlink(tmp);
    mode_t old = umask(0111);
    int bound = bind(fd, (struct sockaddr *)&addr, sizeof addr);
    umask(old);
    if (bound != 0 || listen(fd, backlog) != 0 || rename(tmp, path) != 0) {
        int e = errno;
        if (bound == 0) unlink(tmp);
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

int aegish_unix_accept(int fd) { return accept4(fd, NULL, NULL, SOCK_CLOEXEC); }

int aegish_peer_cred(int fd, pid_t *pid, uid_t *uid, gid_t *gid) {
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -1;
    if (len != sizeof cred) { errno = EPROTO; return -1; }
    if (pid) *pid = cred.pid;
    if (uid) *uid = cred.uid;
    if (gid) *gid = cred.gid;
    return 0;
}
