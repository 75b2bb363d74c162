// The relay's socket calls (Sources/CSys/socket.c) and the wait that watches it
// (aegish_wait_child_or_fds). Called from test_csys.c's main.
#define _GNU_SOURCE
#include "csys.h"
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(cond, ...) PART_CHECK(passed, failed, cond, __VA_ARGS__)

/// Sends `data` to the socket at `path` with `nfds` copies of `fd` attached.
static int send_with(const char *path, const char *data, size_t len, int fd, int nfds) {
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct iovec iov = {.iov_base = (void *)data, .iov_len = len};
    union { char b[CMSG_SPACE(2 * sizeof(int))]; struct cmsghdr a; } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct msghdr m = {.msg_name = &addr, .msg_namelen = sizeof addr, .msg_iov = &iov, .msg_iovlen = 1};
    if (nfds > 0) {
        m.msg_control = ctl.b;
        m.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
        int fds[2] = {fd, fd};
        memcpy(CMSG_DATA(c), fds, (size_t)nfds * sizeof(int));
    }
    int r = (int)sendmsg(s, &m, 0);
    close(s);
    return r;
}

void test_relay(const char *tmp, int *passed, int *failed) {
    char path[256];
    snprintf(path, sizeof path, "%s/relay.sock", tmp);
    int server = aegish_relay_bind(path);
    struct stat st;
    CHECK(server >= 0 && stat(path, &st) == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & 0777) == 0600,
          "bound, mode 0600: %s", strerror(errno));
    CHECK(fcntl(server, F_GETFD) & FD_CLOEXEC, "close-on-exec");

    // A child asks; the parent answers with the request reversed, and sees the child's pid.
    pid_t pid = fork();
    if (pid == 0) {
        char reply[64] = {0}, carried = 0;
        int got = -2;
        long n = aegish_relay_call(path, "hello", 5, reply, sizeof reply, 5000, &got);
        if (got < 0 || read(got, &carried, 1) != 1 || !(fcntl(got, F_GETFD) & FD_CLOEXEC)) _exit(2);
        _exit(n == 5 && memcmp(reply, "olleh", 5) == 0 && carried == 'P' ? 0 : 1);
    }
    int fds[1] = {server};
    int ready = aegish_wait_child_or_fds(pid, fds, 1, -1);
    CHECK(ready == 1, "the request wakes the wait: %d", ready);
    char buf[64];
    int replyfd = -1;
    pid_t from = 0;
    uid_t uid = 12345;
    long n = aegish_relay_receive(server, buf, sizeof buf, &replyfd, &from, &uid);
    CHECK(n == 5 && memcmp(buf, "hello", 5) == 0, "request: %ld", n);
    CHECK(from == pid && uid == getuid(), "sender: pid %d (want %d), uid %u", from, pid, uid);
    CHECK(replyfd >= 0 && (fcntl(replyfd, F_GETFD) & FD_CLOEXEC), "reply socket, close-on-exec");
    CHECK(aegish_is_seqpacket_socket(replyfd) == 1 && aegish_is_seqpacket_socket(server) == 0, "socket types");
    int carry[2];
    CHECK(pipe(carry) == 0 && write(carry[1], "P", 1) == 1, "a descriptor to hand over");
    CHECK(aegish_relay_reply(replyfd, "olleh", 5, carry[0]) == 0, "reply, with the descriptor");
    close(carry[0]);
    close(carry[1]);
    CHECK(aegish_wait_child_or_fds(pid, fds, 1, -1) == 0, "child done");
    int status = -1;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the asker got the answer and the descriptor: %d", status);

    // Nothing waiting: EAGAIN, without blocking.
    CHECK(aegish_relay_receive(server, buf, sizeof buf, &replyfd, &from, &uid) == -1 && errno == EAGAIN, "empty");

    // A datagram without a reply socket, and one with two, are discarded (EPROTO).
    CHECK(send_with(path, "x", 1, -1, 0) == 1, "plain send");
    CHECK(aegish_relay_receive(server, buf, sizeof buf, &replyfd, &from, &uid) == -1 && errno == EPROTO
          && replyfd == -1, "no descriptor: EPROTO");
    int sv[2];
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
    CHECK(send_with(path, "y", 1, sv[1], 2) == 1, "two fds sent");
    close(sv[1]);
    CHECK(aegish_relay_receive(server, buf, sizeof buf, &replyfd, &from, &uid) == -1 && errno == EPROTO,
          "two descriptors: EPROTO");
    char one;
    CHECK(recv(sv[0], &one, 1, MSG_DONTWAIT) == 0, "the asker sees its socket closed, unanswered");
    close(sv[0]);

    // A request longer than the server's buffer is discarded, not cut.
    pid = fork();
    if (pid == 0) {
        char big[200], reply[8];
        memset(big, 'z', sizeof big);
        long r = aegish_relay_call(path, big, sizeof big, reply, sizeof reply, 5000, NULL);
        _exit(r == -1 && errno == ECONNRESET ? 0 : 1);
    }
    CHECK(aegish_wait_child_or_fds(pid, fds, 1, -1) == 1, "big request arrives");
    CHECK(aegish_relay_receive(server, buf, sizeof buf, &replyfd, &from, &uid) == -1 && errno == EPROTO,
          "truncated: EPROTO");
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the asker of a cut request sees it unanswered: %d", status);

    // Unanswered within the timeout: ETIMEDOUT.
    char reply[8];
    CHECK(aegish_relay_call(path, "q", 1, reply, sizeof reply, 50, NULL) == -1 && errno == ETIMEDOUT, "timeout");

    // A full queue (a flood nobody reads) makes the asker give up at its timeout, not hang.
    {
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
        int flood = socket(AF_UNIX, SOCK_DGRAM, 0);
        int sent = 0;
        while (sendto(flood, "f", 1, MSG_DONTWAIT, (struct sockaddr *)&addr, sizeof addr) == 1 && sent < 100000) sent++;
        CHECK(errno == EAGAIN, "the queue filled after %d datagrams: %s", sent, strerror(errno));
        CHECK(aegish_relay_call(path, "q", 1, reply, sizeof reply, 50, NULL) == -1 && errno == ETIMEDOUT,
              "full queue: %s", strerror(errno));
        close(flood);
        while (aegish_relay_receive(server, buf, sizeof buf, &replyfd, &from, &uid) != -1 || errno == EPROTO) {}
    }

    // No server left: the call fails at once.
    close(server);
    CHECK(aegish_relay_call(path, "q", 1, reply, sizeof reply, 5000, NULL) == -1 && errno == ECONNREFUSED,
          "server gone: %s", strerror(errno));
    unlink(path);
    CHECK(aegish_relay_call(path, "q", 1, reply, sizeof reply, 5000, NULL) == -1 && errno == ENOENT,
          "socket removed: %s", strerror(errno));
}
