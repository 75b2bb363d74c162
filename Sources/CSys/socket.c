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
#include <time.h>
#include <poll.h>
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

/// Closes `fd` on a failure path, keeping errno for the caller: -1.
static int close_failing(int fd) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
}

int aegish_unix_connect(const char *path) {
    struct sockaddr_un addr;
    if (make_address(path, &addr) != 0) return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int r;
    while ((r = connect(fd, (struct sockaddr *)&addr, sizeof addr)) != 0 && errno == EINTR) {}
    return r != 0 ? close_failing(fd) : fd;
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

// MARK: - The relay (Sources/Enforce/Relay*.swift)
//
// One request is one datagram to the relay's socket (a Unix SOCK_DGRAM socket at a path, so a
// program that closes every inherited descriptor — Python's subprocess does — still passes it
// on through the environment), carrying the asker's own reply socket (SCM_RIGHTS); the server's
// socket has SO_PASSCRED, so the kernel attaches who sent it. Whichever aegish of the session is
// waiting reads it, answers on the reply socket without blocking, and closes it: no connection
// state for a program to hold open.

int aegish_relay_bind(const char *path) {
    struct sockaddr_un addr;
    if (make_address(path, &addr) != 0) return -1;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int on = 1;
    // Born 0600: only the user's own processes (the nested aegish runs as that user, in a
    // namespace that maps only its own uid) may send; the server checks the credentials too.
    mode_t old = umask(0177);
    int r = setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof on) == 0
            ? bind(fd, (struct sockaddr *)&addr, sizeof addr) : -1;
    umask(old);
    return r != 0 ? close_failing(fd) : fd;
}

int aegish_is_seqpacket_socket(int fd) {
    int type = 0, domain = 0;
    socklen_t len = sizeof type;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_SEQPACKET) return 0;
    len = sizeof domain;
    if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0 || domain != AF_UNIX) return 0;
    return 1;
}

long aegish_relay_call(const char *path, const void *request, size_t len, void *reply, size_t cap, int timeout_ms,
                       int *fd_out) {
    if (fd_out) *fd_out = -1;
    struct sockaddr_un addr;
    if (make_address(path, &addr) != 0) return -1;
    int out = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (out < 0) return -1;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) return close_failing(out);
    struct iovec iov = {.iov_base = (void *)request, .iov_len = len};
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = {.msg_name = &addr, .msg_namelen = sizeof addr, .msg_iov = &iov, .msg_iovlen = 1,
                         .msg_control = control.buf, .msg_controllen = sizeof control.buf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &sv[1], sizeof(int));
    // Without blocking: a full queue (a flood from another program) must not hang the asker
    // past its timeout.
    ssize_t sent;
    int waited = 0;
    for (;;) {
        sent = sendmsg(out, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent >= 0 || (errno != EINTR && errno != EAGAIN)) break;
        if (errno == EAGAIN) {
            if (waited >= timeout_ms) { errno = ETIMEDOUT; break; }
            struct timespec ms = {0, 10 * 1000 * 1000};
            nanosleep(&ms, NULL);
            waited += 10;
        }
    }
    int e = errno;
    close(out);
    close(sv[1]);
    if (sent < 0) { close(sv[0]); errno = e; return -1; }
    struct pollfd p = {.fd = sv[0], .events = POLLIN};
    int r;
    do { r = poll(&p, 1, timeout_ms); } while (r < 0 && errno == EINTR);
    if (r == 0) { close(sv[0]); errno = ETIMEDOUT; return -1; }
    // The answer, and the descriptor it may carry (one; any other is closed).
    struct iovec riov = {.iov_base = reply, .iov_len = cap};
    union { char buf[CMSG_SPACE(4 * sizeof(int))]; struct cmsghdr align; } rcontrol;
    struct msghdr rmsg = {.msg_iov = &riov, .msg_iovlen = 1, .msg_control = rcontrol.buf,
                          .msg_controllen = sizeof rcontrol.buf};
    ssize_t n;
    do { n = recvmsg(sv[0], &rmsg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC); } while (n < 0 && errno == EINTR);
    e = errno;
    close(sv[0]);
    if (n >= 0) {
        for (struct cmsghdr *rc = CMSG_FIRSTHDR(&rmsg); rc; rc = CMSG_NXTHDR(&rmsg, rc)) {
            if (rc->cmsg_level != SOL_SOCKET || rc->cmsg_type != SCM_RIGHTS) continue;
            size_t count = (rc->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (size_t i = 0; i < count; i++) {
                int got;
                memcpy(&got, CMSG_DATA(rc) + i * sizeof(int), sizeof(int));
                if (fd_out && *fd_out < 0) *fd_out = got; else close(got);
            }
        }
    }
    if (n == 0) { errno = ECONNRESET; return -1; }   // the server closed it without an answer
    errno = e;
    return n;
}

long aegish_relay_receive(int server, void *buf, size_t cap, int *replyfd, pid_t *pid, uid_t *uid) {
    *replyfd = -1;
    struct iovec iov = {.iov_base = buf, .iov_len = cap};
    union { char buf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(4 * sizeof(int))]; struct cmsghdr align; } control;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                         .msg_controllen = sizeof control.buf};
    ssize_t n;
    do { n = recvmsg(server, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC); } while (n < 0 && errno == EINTR);
    if (n < 0) return -1;
    int fds = 0, fd = -1, have_cred = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET) continue;
        if (c->cmsg_type == SCM_RIGHTS) {
            size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (size_t i = 0; i < count; i++) {
                int got;
                memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                if (fds++ == 0) fd = got; else close(got);   // exactly one is expected
            }
        } else if (c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
            struct ucred cred;
            memcpy(&cred, CMSG_DATA(c), sizeof cred);
            *pid = cred.pid;
            *uid = cred.uid;
            have_cred = 1;
        }
    }
    if ((msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || fds != 1 || !have_cred || n == 0) {
        // Not a request this relay answers; with no reply socket, the asker sees it closed.
        if (fd >= 0) close(fd);
        errno = EPROTO;
        return -1;
    }
    *replyfd = fd;
    return n;
}

int aegish_relay_reply(int replyfd, const void *buf, size_t len, int fd) {
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    if (fd >= 0) {
        msg.msg_control = control.buf;
        msg.msg_controllen = sizeof control.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof(int));
    }
    ssize_t n;
    do { n = sendmsg(replyfd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL); } while (n < 0 && errno == EINTR);
    int e = errno;
    close(replyfd);
    errno = e;
    return n == (ssize_t)len ? 0 : -1;
}
