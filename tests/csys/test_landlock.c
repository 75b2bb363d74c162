// Tests for the Landlock shims (Sources/CSys/landlock.c) and the sandboxed spawn. Linked into
// test_csys by `make test-c`; skipped (with a line saying so) on a kernel without Landlock.
// Everything happens under a scratch directory; nothing is aimed at system paths.
#define _GNU_SOURCE
#include "csys.h"
#include "check.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int *npassed, *nfailed;

#define LCHECK(cond, ...) PART_CHECK(npassed, nfailed, cond, __VA_ARGS__)

enum {
    EXECUTE = 1 << 0, WRITE_FILE = 1 << 1, READ_FILE = 1 << 2, READ_DIR = 1 << 3,
    REMOVE_DIR = 1 << 4, REMOVE_FILE = 1 << 5, MAKE_CHAR = 1 << 6, MAKE_DIR = 1 << 7,
    MAKE_REG = 1 << 8, MAKE_SOCK = 1 << 9, MAKE_FIFO = 1 << 10, MAKE_BLOCK = 1 << 11,
    MAKE_SYM = 1 << 12, REFER = 1 << 13, TRUNCATE = 1 << 14,
    NET_CONNECT_TCP = 1 << 1,
};

static unsigned long long fs_rights(int abi) {
    unsigned long long all = (1ULL << 13) - 1;  // ABI 1: execute … make_sym
    if (abi >= 2) all |= REFER;
    if (abi >= 3) all |= TRUNCATE;
    return all;
}

static unsigned long long write_rights(int abi) {
    return fs_rights(abi) & ~(unsigned long long)EXECUTE;
}

static char dir_in[300], dir_out[300], dir_home[300];

static void write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        if (write(fd, text, strlen(text)) < 0) perror("write");
        close(fd);
    }
}

static int exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static int wait_status(pid_t pid) {
    int code = -1, sig = 0, stopped = 0;
    pid_t r;
    do { r = aegish_wait(pid, 0, &code, &sig, &stopped); } while (r < 0 && errno == EINTR);
    return r == pid ? code : -1000;
}

/// A ruleset for "run /bin/sh, read everything, write only under dir_in (and /dev/null)".
static int shell_ruleset(int abi) {
    int rs = aegish_landlock_create(fs_rights(abi), abi >= 4 ? NET_CONNECT_TCP : 0, 0);
    if (rs < 0) return -1;
    const char *paths[] = {"/", "/bin/sh", "/bin/ls", "/lib64/ld-linux-x86-64.so.2",
                           "/lib/ld-linux-aarch64.so.1", dir_in, "/dev/null"};
    unsigned long long access[] = {READ_FILE | READ_DIR, EXECUTE, EXECUTE, EXECUTE, EXECUTE,
                                   write_rights(abi), WRITE_FILE};
    int failed = -2;
    int n = aegish_landlock_add_paths(rs, paths, access, 7, 0, &failed);
    LCHECK(n >= 4, "add_paths: %d (failed at %d: %s)", n, failed, strerror(errno));
    return rs;
}

static pid_t spawn_sh(int rs, const char *script, char *const *env, const char *cwd, int *err) {
    char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
    return aegish_spawn_sandboxed("/bin/sh", argv, env, NULL, 0, cwd, -1, rs, err);
}

static void test_spawn_under_ruleset(int abi, char *const *env, const char *tmp) {
    int rs = shell_ruleset(abi);
    LCHECK(rs >= 0, "create: %s", strerror(errno));
    if (rs < 0) return;
    int err = 0;
    // Inside the grant: written. The same ruleset serves several children.
    for (int i = 0; i < 3; i++) {
        pid_t pid = spawn_sh(rs, "echo ok > in/f && echo ok >> in/f", env, tmp, &err);
        LCHECK(pid > 0, "spawn %d: %s", i, strerror(err));
        LCHECK(pid > 0 && wait_status(pid) == 0, "write inside the grant failed (run %d)", i);
    }
    char path[400];
    snprintf(path, sizeof path, "%s/f", dir_in);
    LCHECK(exists(path), "in/f missing");
    // Outside: refused, nothing created.
    pid_t pid = spawn_sh(rs, "echo no 2>/dev/null > out/f", env, tmp, &err);
    LCHECK(pid > 0 && wait_status(pid) != 0, "write outside the grant succeeded");
    snprintf(path, sizeof path, "%s/f", dir_out);
    LCHECK(!exists(path), "out/f was created");
    // A binary without an execute grant cannot be started, directly or by the shell.
    char *targv[] = {"/bin/true", NULL};
    pid = aegish_spawn_sandboxed("/bin/true", targv, env, NULL, 0, NULL, -1, rs, &err);
    LCHECK(pid == -1 && err == EACCES, "exec /bin/true: pid %d err %s", pid, strerror(err));
    pid = spawn_sh(rs, "/bin/true 2>/dev/null", env, tmp, &err);
    LCHECK(pid > 0 && wait_status(pid) == 126, "sh could run /bin/true");
    // The ruleset descriptor does not reach the program.
    int p[2];
    aegish_pipe(p);
    char *largv[] = {"/bin/sh", "-c", "exec /bin/ls -l /proc/self/fd/", NULL};
    int map[] = {1, p[1]};
    pid = aegish_spawn_sandboxed("/bin/sh", largv, env, map, 1, NULL, -1, rs, &err);
    close(p[1]);
    char buf[4096];
    ssize_t n = 0, r;
    while ((r = read(p[0], buf + n, sizeof buf - 1 - (size_t)n)) > 0) n += r;
    buf[n > 0 ? n : 0] = 0;
    close(p[0]);
    LCHECK(pid > 0 && wait_status(pid) == 0, "fd listing failed");
    LCHECK(strstr(buf, "pipe:") != NULL && strstr(buf, "landlock") == NULL, "the program holds a ruleset fd:\n%s", buf);
    // A permutation target that has the ruleset's number does not disturb it.
    int q[2];
    aegish_pipe(q);
    char script[64];
    snprintf(script, sizeof script, "echo moved >&%d", rs);
    char *margv[] = {"/bin/sh", "-c", script, NULL};
    int map2[] = {rs, q[1]};
    pid = aegish_spawn_sandboxed("/bin/sh", margv, env, map2, 1, NULL, -1, rs, &err);
    close(q[1]);
    n = read(q[0], buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    close(q[0]);
    LCHECK(pid > 0 && wait_status(pid) == 0 && strcmp(buf, "moved\n") == 0,
           "target on the ruleset's fd: pid %d err %s out %s", pid, strerror(err), buf);
    close(rs);
    // A descriptor that is not a ruleset: the program does not run.
    char *targv2[] = {"/bin/sh", "-c", "exit 0", NULL};
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    pid = aegish_spawn_sandboxed("/bin/sh", targv2, env, NULL, 0, NULL, -1, devnull, &err);
    LCHECK(pid == -1 && err != 0, "spawned under a bogus ruleset: pid %d", pid);
    close(devnull);
}

/// Forks a child that enforces `rs` and runs `body`; returns its exit status.
static int in_child(int rs, int (*body)(void)) {
    pid_t pid = fork();
    if (pid == 0) {
        if (aegish_landlock_enforce(rs) != 0) _exit(200);
        _exit(body());
    }
    return wait_status(pid);
}

static int open_errno(const char *path, int flags) {
    int fd = open(path, flags | O_CLOEXEC, 0644);
    if (fd >= 0) {
        close(fd);
        return 0;
    }
    return errno;
}

static int body_write(void) {
    char a[400], b[400];
    snprintf(a, sizeof a, "%s/direct", dir_in);
    snprintf(b, sizeof b, "%s/direct", dir_out);
    int inside = open_errno(a, O_WRONLY | O_CREAT);
    int outside = open_errno(b, O_WRONLY | O_CREAT);
    snprintf(b, sizeof b, "%s/keep", dir_out);
    int removed = unlink(b) == 0 ? 0 : errno;
    int removed_inside = unlink(a) == 0 ? 0 : errno;
    return (inside == 0 ? 0 : 1) | (outside == EACCES ? 0 : 2) | (removed == EACCES ? 0 : 4)
         | (removed_inside == 0 ? 0 : 8);
}

static int body_siblings(void) {
    char a[400], s[400], l[400];
    snprintf(a, sizeof a, "%s/a/x", dir_home);
    snprintf(s, sizeof s, "%s/.ssh/id", dir_home);
    snprintf(l, sizeof l, "%s/keys/id", dir_home);  // keys -> .ssh
    return (open_errno(a, O_RDONLY) == 0 ? 0 : 1) | (open_errno(s, O_RDONLY) == EACCES ? 0 : 2)
         | (open_errno(l, O_RDONLY) == EACCES ? 0 : 4);
}

static int port_a, port_b;

static int connect_errno(int port) {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int r = connect(s, (struct sockaddr *)&sa, sizeof sa);
    int e = r == 0 ? 0 : errno;
    close(s);
    return e;
}

static int body_connect(void) {
    return (connect_errno(port_a) == 0 ? 0 : 1) | (connect_errno(port_b) == EACCES ? 0 : 2)
         | (aegish_tcp_connect_is_confined() == 1 ? 0 : 4) | (aegish_no_new_privs() == 1 ? 0 : 8);
}

static int listener(int *port) {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (bind(s, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(s, 8) != 0 ||
        getsockname(s, (struct sockaddr *)&sa, &len) != 0) {
        close(s);
        return -1;
    }
    *port = ntohs(sa.sin_port);
    return s;
}

void test_landlock(char *const *env, const char *tmp, int *passed, int *failed) {
    npassed = passed;
    nfailed = failed;
    int abi = aegish_landlock_abi();
    if (abi < 1) {
        printf("landlock: not supported by this kernel; tests skipped\n");
        return;
    }
    snprintf(dir_in, sizeof dir_in, "%s/in", tmp);
    snprintf(dir_out, sizeof dir_out, "%s/out", tmp);
    snprintf(dir_home, sizeof dir_home, "%s/home", tmp);
    mkdir(dir_in, 0755);
    mkdir(dir_out, 0755);
    test_spawn_under_ruleset(abi, env, tmp);

    // Direct checks of errno in a forked child.
    char keep[400];
    snprintf(keep, sizeof keep, "%s/keep", dir_out);
    write_file(keep, "canary\n");
    int rs = shell_ruleset(abi);
    int bits = in_child(rs, body_write);
    LCHECK(bits == 0, "inside/outside write and unlink: bits %d (see body_write)", bits);
    LCHECK(exists(keep), "the canary outside the grant was deleted");
    close(rs);

    // A deny inside a grant, as the policy compiler expresses it: grants on the siblings.
    char p[400];
    mkdir(dir_home, 0755);
    snprintf(p, sizeof p, "%s/a", dir_home); mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/a/x", dir_home); write_file(p, "x\n");
    snprintf(p, sizeof p, "%s/.ssh", dir_home); mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/.ssh/id", dir_home); write_file(p, "secret\n");
    snprintf(p, sizeof p, "%s/keys", dir_home);
    LCHECK(symlink(".ssh", p) == 0, "symlink: %s", strerror(errno));
    rs = aegish_landlock_create(READ_FILE | READ_DIR, 0, 0);
    const char *except[] = {".ssh"};
    int n = aegish_landlock_add_children(rs, dir_home, except, 1, READ_FILE | READ_DIR);
    LCHECK(n == 1, "add_children added %d rules (want 1: a; .ssh excepted, keys is a link)", n);
    bits = in_child(rs, body_siblings);
    LCHECK(bits == 0, "sibling grants: bits %d (see body_siblings)", bits);
    LCHECK(aegish_landlock_add_children(rs, "/nonexistent-aegish-test", except, 1, READ_FILE) == 0,
           "missing directory");
    close(rs);

    // nosymlinks: a path through a symlink gets no rule (keys -> .ssh); a plain one does.
    rs = aegish_landlock_create(READ_FILE | READ_DIR, 0, 0);
    char via_link[400], plain[400];
    snprintf(via_link, sizeof via_link, "%s/keys", dir_home);
    snprintf(plain, sizeof plain, "%s/a", dir_home);
    const char *lp[] = {via_link, plain};
    unsigned long long la[] = {READ_FILE, READ_FILE};
    LCHECK(aegish_landlock_add_paths(rs, lp, la, 2, 1, NULL) == 1, "nosymlinks added the link's target");
    LCHECK(aegish_landlock_add_paths(rs, lp, la, 1, 0, NULL) == 1, "following the link adds it");
    close(rs);

    // The rule descriptors are closed in runs (close_range): every one of them, and none of the
    // caller's — with descriptors of the caller's interleaved (holes the opens fill first), and
    // more paths than one batch holds.
    {
        int keep[5];
        for (int i = 0; i < 5; i++) keep[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
        close(keep[1]);   // holes between descriptors the caller keeps: the ruleset takes the
        close(keep[3]);   // first, the rule descriptors the second and then those above
        enum { MANY = 300 };
        static const char *mp[MANY];
        static unsigned long long ma[MANY];
        for (int i = 0; i < MANY; i++) { mp[i] = i % 3 == 2 ? "/nonexistent-aegish-test" : (i % 2 ? "/usr" : "/bin/true"); ma[i] = READ_FILE; }
        rs = aegish_landlock_create(READ_FILE | READ_DIR, 0, 0);
        int lowest = open("/dev/null", O_RDONLY | O_CLOEXEC);   // the first free number now
        close(lowest);
        int added = aegish_landlock_add_paths(rs, mp, ma, MANY, 0, NULL);
        LCHECK(added == 200, "add_paths of %d paths, a third missing: %d", MANY, added);
        LCHECK(fcntl(keep[0], F_GETFD) >= 0 && fcntl(keep[2], F_GETFD) >= 0 && fcntl(keep[4], F_GETFD) >= 0,
               "the caller's descriptors stay open");
        LCHECK(lowest == keep[3], "the rule descriptors started in the hole (%d, %d)", lowest, keep[3]);
        int next = open("/dev/null", O_RDONLY | O_CLOEXEC);
        LCHECK(next == lowest, "every rule descriptor closed: the next open gets %d (want %d)", next, lowest);
        close(next);
        close(rs);
        close(keep[0]);
        close(keep[2]);
        close(keep[4]);
    }

    if (abi >= 4) {
        int a = listener(&port_a), b = listener(&port_b);
        LCHECK(a >= 0 && b >= 0, "listeners");
        LCHECK(aegish_tcp_connect_is_confined() == 0, "the test itself is not confined");
        rs = aegish_landlock_create(0, NET_CONNECT_TCP, 0);
        LCHECK(aegish_landlock_add_port(rs, (unsigned long long)port_a, NET_CONNECT_TCP) == 0, "add_port");
        bits = in_child(rs, body_connect);
        LCHECK(bits == 0, "port rules: bits %d (see body_connect)", bits);
        close(rs);
        close(a);
        close(b);
    } else {
        printf("landlock: ABI %d has no network rules; port tests skipped\n", abi);
    }
}
