// TCP for the session's HTTP proxy (issue 7): a loopback listener, outgoing connections through
// the resolver, the byte relay between client and server, and the helper process's set-up.
// sockaddr juggling and poll loops are clearer in C than through Swift's imported structs.
#define _GNU_SOURCE
#include "csys.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

int aegish_tcp_listen_loopback(int *port) {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) return -1;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (bind(s, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(s, 128) != 0 ||
        getsockname(s, (struct sockaddr *)&sa, &len) != 0) {
        int e = errno;
        close(s);
        errno = e;
        return -1;
    }
    if (port) *port = ntohs(sa.sin_port);
    return s;
}

int aegish_tcp_accept(int fd) {
    int c;
    do { c = accept4(fd, NULL, NULL, SOCK_CLOEXEC); } while (c < 0 && errno == EINTR);
    return c;
}

/// connect with a deadline (non-blocking connect, then poll).
static int connect_within(int s, const struct sockaddr *addr, socklen_t len, int timeout_ms) {
    int flags = fcntl(s, F_GETFL);
    fcntl(s, F_SETFL, flags | O_NONBLOCK);
    int r = connect(s, addr, len);
    if (r != 0 && errno == EINPROGRESS) {
        struct pollfd p = {.fd = s, .events = POLLOUT};
        do { r = poll(&p, 1, timeout_ms); } while (r < 0 && errno == EINTR);
        if (r == 0) { errno = ETIMEDOUT; return -1; }
        if (r < 0) return -1;
        int err = 0;
        socklen_t el = sizeof err;
        getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &el);
        if (err != 0) { errno = err; return -1; }
        r = 0;
    }
    fcntl(s, F_SETFL, flags);
    return r;
}

int aegish_tcp_connect(const char *host, int port, int loopback_only, int timeout_ms, int *gai_error) {
    if (gai_error) *gai_error = 0;
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    if (loopback_only) {
        // RFC 6761: localhost and *.localhost are the loopback address, never asked of DNS.
        hints.ai_flags = AI_NUMERICHOST;
        host = "127.0.0.1";
    }
    int g = getaddrinfo(host, service, &hints, &res);
    if (g != 0) {
        if (gai_error) *gai_error = g;
        errno = ENOENT;
        return -1;
    }
    int s = -1, e = ECONNREFUSED;
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        s = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (s < 0) { e = errno; continue; }
        if (connect_within(s, a->ai_addr, a->ai_addrlen, timeout_ms) == 0) break;
        e = errno;
        close(s);
        s = -1;
    }
    freeaddrinfo(res);
    if (s < 0) errno = e;
    return s;
}

const char *aegish_gai_strerror(int code) { return gai_strerror(code); }

int aegish_tcp_connect_is_confined(void) {
    // Port 1 on loopback: refused at once when nothing confines us, EACCES under a Landlock
    // domain that handles TCP connects (checked before the connection is attempted).
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) return 0;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(1);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int r = connect(s, (struct sockaddr *)&sa, sizeof sa);
    int confined = r != 0 && errno == EACCES;
    close(s);
    return confined;
}

int aegish_set_io_timeout(int fd, int ms) {
    struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) return -1;
    return setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

/// Writes all of buf; -1 with errno on failure.
static int write_all(int fd, const char *buf, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, buf, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

int aegish_send_all(int fd, const void *buf, size_t n) { return write_all(fd, buf, n); }

int aegish_relay(int a, int b, int idle_timeout_ms) {
    // Both descriptors blocking; poll tells which can be read. A direction ends at EOF, which is
    // passed on as a half close, so request/response protocols finish cleanly.
    char buf[65536];
    int open_ab = 1, open_ba = 1;
    while (open_ab || open_ba) {
        struct pollfd p[2] = {{.fd = open_ab ? a : -1, .events = POLLIN}, {.fd = open_ba ? b : -1, .events = POLLIN}};
        int r = poll(p, 2, idle_timeout_ms);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return r == 0 ? 1 : -1;  // idle too long, or poll failed
        for (int i = 0; i < 2; i++) {
            if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            int from = i == 0 ? a : b, to = i == 0 ? b : a;
            ssize_t n = recv(from, buf, sizeof buf, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return 0;  // reset: done
            if (n == 0) {         // EOF: pass the half close on
                shutdown(to, SHUT_WR);
                if (i == 0) open_ab = 0; else open_ba = 0;
                continue;
            }
            if (write_all(to, buf, (size_t)n) != 0) return 0;  // the other side is gone
        }
    }
    return 0;
}

int aegish_proxy_helper_setup(int listenfd, pid_t parent) {
    // Its own session: the terminal's signals (^C, ^Z) are for the agent's jobs, not the proxy.
    setsid();
    // Dies with the shell that started it (and if the shell is already gone, now).
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return -1;
    if (getppid() != parent) _exit(0);
    // Not aegish's setgid group: the proxy never writes the audit log.
    gid_t g = getgid();
    if (syscall(SYS_setresgid, g, g, g) != 0) return -1;
    // Only the listener (moved to 3) and 0-2 stay open; the caller put /dev/null on 0-2, so the
    // proxy never holds the agent's pipes open.
    if (listenfd != 3) {
        if (dup3(listenfd, 3, O_CLOEXEC) < 0) return -1;
    }
    if (syscall(SYS_close_range, 4U, ~0U, 0) != 0) {
        for (int fd = 4; fd < 1024; fd++) close(fd);
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGCHLD, SIG_IGN);  // connection handlers are reaped by the kernel
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGPIPE || sig == SIGCHLD || sig == SIGKILL || sig == SIGSTOP) continue;
        signal(sig, SIG_DFL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    return 3;
}

int aegish_die_with_parent(pid_t parent) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return -1;
    if (getppid() != parent) _exit(0);
    return 0;
}
