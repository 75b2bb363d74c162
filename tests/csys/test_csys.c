// Tests for the CSys C shims (Sources/CSys). Built and run by `make test-c`.
// Each check prints only on failure; the last line is "N passed, N failed".
#define _GNU_SOURCE
#include "csys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static int passed, failed;

#define CHECK(cond, ...)                                                  \
    do {                                                                  \
        if (cond) {                                                       \
            passed++;                                                     \
        } else {                                                          \
            failed++;                                                     \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                 \
            fputc('\n', stderr);                                          \
        }                                                                 \
    } while (0)

static char *const *env;
static char tmpdir[] = "/tmp/csys-test.XXXXXX";

/// Read everything from fd into buf (NUL-terminated), then close fd.
static void slurp(int fd, char *buf, size_t cap) {
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        n += (size_t)r;
        if (n == cap - 1) break;
    }
    buf[n] = 0;
    close(fd);
}

/// Wait for pid, returning the decoded exit code (retrying EINTR).
static int wait_code(pid_t pid, int *sig) {
    int code = -1, s = -1, stopped = -1;
    pid_t r;
    do { r = aegish_wait(pid, 0, &code, &s, &stopped); } while (r < 0 && errno == EINTR);
    if (sig) *sig = s;
    return r == pid ? code : -1000;
}

/// Spawn argv with fd 1 on a pipe plus `extra` pairs; *out_fd is the read end.
static pid_t spawn_capture(char *const argv[], const int *extra, int nextra /* ≤ 63 */, const char *cwd,
                           int *out_fd, int *err) {
    int p[2];
    aegish_pipe(p);
    int map[2 * 64];
    int n = 0;
    map[n++] = 1;
    map[n++] = p[1];
    for (int i = 0; i < 2 * nextra; i++) map[n++] = extra[i];
    pid_t pid = aegish_spawn(argv[0], argv, env, map, n / 2, cwd, -1, err);
    close(p[1]);
    *out_fd = p[0];
    return pid;
}

static void test_permutation_swap_1_2(void) {
    // Parent: fd 1 → pipe A, fd 2 → pipe B. Child map {1←2, 2←1}: its stdout goes to B.
    int a[2], b[2];
    aegish_pipe(a);
    aegish_pipe(b);
    fflush(stdout);
    int save1 = aegish_dup_cloexec(1, 10), save2 = aegish_dup_cloexec(2, 10);
    dup2(a[1], 1);
    dup2(b[1], 2);
    char *argv[] = {"/bin/sh", "-c", "echo out; echo err >&2", NULL};
    int map[] = {1, 2, 2, 1};
    int err = 0;
    pid_t pid = aegish_spawn("/bin/sh", argv, env, map, 2, NULL, -1, &err);
    dup2(save1, 1);
    dup2(save2, 2);
    close(save1);
    close(save2);
    close(a[1]);
    close(b[1]);
    char ba[64], bb[64];
    slurp(a[0], ba, sizeof ba);
    slurp(b[0], bb, sizeof bb);
    CHECK(pid > 0, "spawn failed: %s", strerror(err));
    CHECK(wait_code(pid, NULL) == 0, "exit code");
    CHECK(strcmp(ba, "err\n") == 0, "fd 1 of parent got %s", ba);
    CHECK(strcmp(bb, "out\n") == 0, "fd 2 of parent got %s", bb);
}

static void test_permutation_cycle(void) {
    // Three pipes placed at fds 3, 4, 5 in the parent; the child maps 3←4, 4←5, 5←3.
    int p[3][2], w[3];
    for (int i = 0; i < 3; i++) {
        int q[2];
        aegish_pipe(q);  // move both ends above 20 so that 3, 4, 5 are free
        p[i][0] = aegish_dup_cloexec(q[0], 20);
        p[i][1] = aegish_dup_cloexec(q[1], 20);
        close(q[0]);
        close(q[1]);
    }
    for (int i = 0; i < 3; i++) w[i] = aegish_dup_cloexec(p[i][1], 20);
    for (int i = 0; i < 3; i++) close(p[i][1]);
    for (int i = 0; i < 3; i++) aegish_dup2(w[i], 3 + i, 1);
    char *argv[] = {"/bin/sh", "-c", "echo three >&3; echo four >&4; echo five >&5", NULL};
    int map[] = {3, 4, 4, 5, 5, 3};
    int err = 0;
    pid_t pid = aegish_spawn("/bin/sh", argv, env, map, 3, NULL, -1, &err);
    for (int i = 0; i < 3; i++) { close(3 + i); close(w[i]); }
    char buf[3][64];
    for (int i = 0; i < 3; i++) slurp(p[i][0], buf[i], sizeof buf[i]);
    CHECK(pid > 0, "spawn: %s", strerror(err));
    CHECK(wait_code(pid, NULL) == 0, "exit code");
    // pipe 0 was at fd 3 and became the child's 5; pipe 1 (fd 4) → child's 3; pipe 2 (fd 5) → 4.
    CHECK(strcmp(buf[0], "five\n") == 0, "pipe0 got %s", buf[0]);
    CHECK(strcmp(buf[1], "three\n") == 0, "pipe1 got %s", buf[1]);
    CHECK(strcmp(buf[2], "four\n") == 0, "pipe2 got %s", buf[2]);
}

static void test_close_fd(void) {
    char *argv[] = {"/bin/sh", "-c", "[ -e /proc/self/fd/0 ] && exit 1; exit 0", NULL};
    int map[] = {0, -1};
    int err = 0;
    pid_t pid = aegish_spawn("/bin/sh", argv, env, map, 1, NULL, -1, &err);
    CHECK(pid > 0, "spawn: %s", strerror(err));
    CHECK(wait_code(pid, NULL) == 0, "fd 0 still open in child");
}

static void test_exec_errors(void) {
    int err = 0;
    char *argv[] = {"x", NULL};
    pid_t pid = aegish_spawn("/nonexistent/aegish-test", argv, env, NULL, 0, NULL, -1, &err);
    CHECK(pid == -1 && err == ENOENT, "ENOENT: pid %d err %d", pid, err);

    char path[256];
    snprintf(path, sizeof path, "%s/noexec", tmpdir);
    int fd = aegish_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    write(fd, "#!/bin/sh\nexit 0\n", 17);
    close(fd);
    err = 0;
    pid = aegish_spawn(path, argv, env, NULL, 0, NULL, -1, &err);
    CHECK(pid == -1 && err == EACCES, "EACCES: pid %d err %s", pid, strerror(err));

    snprintf(path, sizeof path, "%s/script", tmpdir);
    fd = aegish_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    write(fd, "echo no shebang\n", 16);
    close(fd);
    err = 0;
    pid = aegish_spawn(path, argv, env, NULL, 0, NULL, -1, &err);
    CHECK(pid == -1 && err == ENOEXEC, "ENOEXEC: pid %d err %s", pid, strerror(err));

    err = 0;
    pid = aegish_spawn("/bin/true", argv, env, NULL, 0, "/nonexistent/dir", -1, &err);
    CHECK(pid == -1 && err == ENOENT, "chdir ENOENT: pid %d err %s", pid, strerror(err));

    int map[] = {1, 987};  // source not open
    err = 0;
    pid = aegish_spawn("/bin/true", argv, env, map, 1, NULL, -1, &err);
    CHECK(pid == -1 && err == EBADF, "bad source EBADF: pid %d err %s", pid, strerror(err));

    // No zombie left behind by the failures.
    int st;
    CHECK(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD, "a failed child was not reaped");
}

static void test_chdir(void) {
    char *argv[] = {"/bin/pwd", NULL};
    int out, err = 0;
    pid_t pid = spawn_capture(argv, NULL, 0, tmpdir, &out, &err);
    char buf[512];
    slurp(out, buf, sizeof buf);
    CHECK(pid > 0, "spawn: %s", strerror(err));
    CHECK(wait_code(pid, NULL) == 0, "pwd exit");
    char want[512];
    snprintf(want, sizeof want, "%s\n", tmpdir);
    CHECK(strcmp(buf, want) == 0, "pwd printed %s", buf);
}

static void test_pgid_and_signals(void) {
    char *argv[] = {"/bin/sleep", "5", NULL};
    int err = 0;
    pid_t leader = aegish_spawn("/bin/sleep", argv, env, NULL, 0, NULL, 0, &err);
    CHECK(leader > 0, "spawn leader: %s", strerror(err));
    CHECK(getpgid(leader) == leader, "leader pgid %d", getpgid(leader));
    pid_t member = aegish_spawn("/bin/sleep", argv, env, NULL, 0, NULL, leader, &err);
    CHECK(member > 0, "spawn member: %s", strerror(err));
    CHECK(getpgid(member) == leader, "member pgid %d, want %d", getpgid(member), leader);
    pid_t same = aegish_spawn("/bin/sleep", argv, env, NULL, 0, NULL, -1, &err);
    CHECK(getpgid(same) == getpgrp(), "pgid -1 changed the group");
    kill(same, SIGKILL);
    wait_code(same, NULL);

    // Stop / continue / terminate the whole group and decode each status.
    kill(-leader, SIGSTOP);
    int code, sig, stopped;
    pid_t r = aegish_wait(leader, WUNTRACED, &code, &sig, &stopped);
    CHECK(r == leader && stopped == 1 && sig == SIGSTOP, "stop: r %d stopped %d sig %d", r,
          stopped, sig);
    kill(-leader, SIGCONT);
    r = aegish_wait(leader, WCONTINUED, &code, &sig, &stopped);
    CHECK(r == leader && stopped == 2 && sig == SIGCONT, "cont: r %d stopped %d sig %d", r,
          stopped, sig);
    kill(-leader, SIGTERM);
    int s1, s2;
    int c1 = wait_code(leader, &s1), c2 = wait_code(member, &s2);
    CHECK(s1 == SIGTERM && c1 == 128 + SIGTERM, "leader sig %d code %d", s1, c1);
    CHECK(s2 == SIGTERM && c2 == 128 + SIGTERM, "member sig %d code %d", s2, c2);
}

static void test_wait_decoding(void) {
    struct { const char *script; int code, sig; } cases[] = {
        {"exit 0", 0, 0},
        {"exit 42", 42, 0},
        {"exit 255", 255, 0},
        {"kill -KILL $$", 137, SIGKILL},
        {"kill -SEGV $$", 128 + SIGSEGV, SIGSEGV},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *argv[] = {"/bin/sh", "-c", (char *)cases[i].script, NULL};
        int err = 0;
        pid_t pid = aegish_spawn("/bin/sh", argv, env, NULL, 0, NULL, -1, &err);
        int sig = -1;
        int code = wait_code(pid, &sig);
        CHECK(code == cases[i].code && sig == cases[i].sig, "%s: code %d sig %d",
              cases[i].script, code, sig);
    }
    int code = 5, sig = 5, stopped = 5;
    CHECK(aegish_wait(-1, WNOHANG, &code, &sig, &stopped) == -1 && errno == ECHILD,
          "WNOHANG without children");
}

static void test_signal_counting(void) {
    CHECK(aegish_signal_catch(SIGUSR1) == 0, "catch");
    CHECK(aegish_signal_pending() == 0, "pending before");
    raise(SIGUSR1);
    raise(SIGUSR1);
    raise(SIGUSR1);
    CHECK(aegish_signal_pending() != 0, "pending after raise");
    CHECK(aegish_signal_take(SIGUSR1) == 3, "count");
    CHECK(aegish_signal_take(SIGUSR1) == 0, "count reset");
    CHECK(aegish_signal_pending() == 0, "pending after take");
    CHECK(aegish_signal_catch(SIGKILL) == -1 && errno == EINVAL, "SIGKILL cannot be caught");
    CHECK(aegish_signal_catch(0) == -1 && errno == EINVAL, "signal 0");
    CHECK(aegish_signal_count() > SIGRTMIN, "NSIG");

    // A caught signal interrupts a blocking wait: -1/EINTR, not retried.
    aegish_signal_catch(SIGALRM);
    char *argv[] = {"/bin/sleep", "2", NULL};
    int err = 0;
    pid_t pid = aegish_spawn("/bin/sleep", argv, env, NULL, 0, NULL, -1, &err);
    struct itimerval it = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &it, NULL);
    int code, sig, stopped;
    pid_t r = aegish_wait(pid, 0, &code, &sig, &stopped);
    int e = errno;
    CHECK(r == -1 && e == EINTR, "wait not interrupted: r %d errno %d", r, e);
    CHECK(aegish_signal_take(SIGALRM) == 1, "SIGALRM counted");
    kill(pid, SIGKILL);
    wait_code(pid, NULL);
    aegish_signal_default(SIGALRM);
}

/// Parse one hex mask line ("SigIgn:\t0000000000000001") from /proc/<pid>/status text.
static unsigned long long status_mask(const char *text, const char *field) {
    const char *p = strstr(text, field);
    return p ? strtoull(p + strlen(field) + 1, NULL, 16) : ~0ULL;
}

static void test_signal_reset_in_child(void) {
    aegish_signal_catch(SIGTERM);
    aegish_signal_ignore(SIGINT);
    aegish_signal_ignore_inherited(SIGQUIT);
    aegish_signal_ignore(SIGPIPE);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, &old);
    CHECK(aegish_signal_is_ignored(SIGINT) == 1 && aegish_signal_is_ignored(SIGTERM) == 0,
          "is_ignored");

    char *argv[] = {"/bin/cat", "/proc/self/status", NULL};
    int out, err = 0;
    pid_t pid = spawn_capture(argv, NULL, 0, NULL, &out, &err);
    char buf[8192];
    slurp(out, buf, sizeof buf);
    wait_code(pid, NULL);
    unsigned long long ign = status_mask(buf, "SigIgn:"), cgt = status_mask(buf, "SigCgt:"),
                       blk = status_mask(buf, "SigBlk:");
    CHECK(!(ign & (1ULL << (SIGINT - 1))), "SIGINT still ignored in child: %llx", ign);
    CHECK(!(ign & (1ULL << (SIGPIPE - 1))), "SIGPIPE still ignored in child: %llx", ign);
    CHECK(ign & (1ULL << (SIGQUIT - 1)), "SIGQUIT (inherited) not ignored in child: %llx", ign);
    CHECK(!(cgt & (1ULL << (SIGTERM - 1))), "SIGTERM caught in child: %llx", cgt);
    CHECK(blk == 0, "mask not empty in child: %llx", blk);

    // aegish_fork: caught → default, ignored stays, mask kept.
    aegish_signal_catch(SIGUSR1);
    raise(SIGUSR1);
    pid = aegish_fork();
    if (pid == 0) {
        struct sigaction sa;
        sigaction(SIGUSR1, NULL, &sa);
        int bad = 0;
        if (sa.sa_handler != SIG_DFL) bad |= 1;
        if (aegish_signal_pending()) bad |= 2;
        if (aegish_signal_is_ignored(SIGINT) != 1) bad |= 4;
        sigset_t cur;
        sigprocmask(SIG_SETMASK, NULL, &cur);
        if (!sigismember(&cur, SIGUSR2)) bad |= 8;
        _exit(bad);
    }
    int code = wait_code(pid, NULL);
    CHECK(code == 0, "subshell signal state, bits %d", code);
    CHECK(aegish_signal_take(SIGUSR1) == 1, "parent kept its count");

    sigprocmask(SIG_SETMASK, &old, NULL);
    aegish_signal_default(SIGTERM);
    aegish_signal_default(SIGINT);
    aegish_signal_default(SIGQUIT);
    aegish_signal_default(SIGPIPE);
    aegish_signal_default(SIGUSR1);
}

/// Set of fds listed in `ls /proc/self/fd` output, as a bitmap over 0..255.
static void parse_fd_list(const char *text, unsigned char *set) {
    memset(set, 0, 256);
    const char *p = text;
    while (*p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p) { p++; continue; }
        if (v >= 0 && v < 256) set[v] = 1;
        p = end;
    }
}

static void test_no_fd_leaks(void) {
    // Expected in the child: the parent's fds that are not close-on-exec, plus mapped targets,
    // plus exactly one fd that ls itself opens to read the directory.
    unsigned char expect[256] = {0};
    for (int fd = 0; fd < 256; fd++) {
        int f = fcntl(fd, F_GETFD);
        if (f >= 0 && !(f & FD_CLOEXEC)) expect[fd] = 1;
    }
    int hi = aegish_open("/dev/null", O_RDONLY | O_CLOEXEC, 0);
    int hi2 = aegish_dup_cloexec(hi, 100);
    close(hi);
    // 40 targets: exercises the heap path of the map (> 32 pairs).
    int extra[2 * 41];
    int n = 0;
    extra[n++] = 7;
    extra[n++] = hi2;
    for (int t = 60; t < 100; t++) { extra[n++] = t; extra[n++] = hi2; }
    expect[1] = 1;
    expect[7] = 1;
    for (int t = 60; t < 100; t++) expect[t] = 1;

    char *argv[] = {"/bin/ls", "/proc/self/fd", NULL};
    int out, err = 0;
    pid_t pid = spawn_capture(argv, extra, n / 2, NULL, &out, &err);
    char buf[4096];
    slurp(out, buf, sizeof buf);
    CHECK(pid > 0, "spawn: %s", strerror(err));
    wait_code(pid, NULL);
    close(hi2);
    unsigned char got[256];
    parse_fd_list(buf, got);
    int missing = 0, extra_fds = 0;
    for (int fd = 0; fd < 256; fd++) {
        if (expect[fd] && !got[fd]) { missing++; fprintf(stderr, "  missing fd %d\n", fd); }
        if (got[fd] && !expect[fd]) extra_fds++;
    }
    CHECK(missing == 0, "%d expected fds missing in child", missing);
    CHECK(extra_fds == 1, "child had %d unexpected fds (want 1: ls's own): %s", extra_fds, buf);
    CHECK(!got[100], "close-on-exec fd 100 leaked");
}

static void test_exec_builtin(void) {
    aegish_signal_catch(SIGUSR1);
    char *argv[] = {"x", NULL};
    pid_t pid = aegish_fork();
    if (pid == 0) {
        aegish_signal_catch(SIGUSR1);
        int r = aegish_exec("/nonexistent/prog", argv, env);
        int e = errno;
        struct sigaction sa;
        sigaction(SIGUSR1, NULL, &sa);
        if (r != -1 || e != ENOENT) _exit(1);
        if (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN) _exit(2);  // not restored
        char *targv[] = {"/bin/sh", "-c", "exit 9", NULL};
        aegish_exec("/bin/sh", targv, env);
        _exit(3);
    }
    int code = wait_code(pid, NULL);
    CHECK(code == 9, "exec builtin: %d", code);
    aegish_signal_default(SIGUSR1);
}

static void test_fd_helpers(void) {
    int p[2];
    CHECK(aegish_pipe(p) == 0, "pipe");
    CHECK((fcntl(p[0], F_GETFD) & FD_CLOEXEC) && (fcntl(p[1], F_GETFD) & FD_CLOEXEC), "cloexec");
    CHECK(aegish_set_cloexec(p[0], 0) == 0 && !(fcntl(p[0], F_GETFD) & FD_CLOEXEC), "clear");
    CHECK(aegish_set_cloexec(p[0], 1) == 0 && (fcntl(p[0], F_GETFD) & FD_CLOEXEC), "set");
    CHECK(aegish_fd_is_open(p[0]) == 1, "is_open");
    CHECK((aegish_fd_flags(p[1]) & O_ACCMODE) == O_WRONLY, "flags");
    int d = aegish_dup_cloexec(p[0], 50);
    CHECK(d >= 50 && (fcntl(d, F_GETFD) & FD_CLOEXEC), "dup_cloexec %d", d);
    CHECK(aegish_dup2(p[0], 51, 0) == 51 && !(fcntl(51, F_GETFD) & FD_CLOEXEC), "dup2 plain");
    CHECK(aegish_dup2(p[0], 52, 1) == 52 && (fcntl(52, F_GETFD) & FD_CLOEXEC), "dup2 cloexec");
    CHECK(aegish_dup2(52, 52, 0) == 52 && !(fcntl(52, F_GETFD) & FD_CLOEXEC), "dup2 same fd");
    close(d); close(51); close(52); close(p[0]); close(p[1]);
    CHECK(aegish_fd_is_open(p[0]) == 0, "closed");
    CHECK(aegish_isatty(p[0]) == 0, "isatty");

    mode_t old = umask(027);
    CHECK(aegish_umask_get() == 027 && aegish_umask_get() == 027, "umask_get");
    umask(old);
    char path[256];
    snprintf(path, sizeof path, "%s/created", tmpdir);
    int fd = aegish_open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    struct stat st;
    CHECK(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == (0640 & ~old), "open mode");
    close(fd);
    CHECK(aegish_open(path, O_WRONLY | O_CREAT | O_EXCL, 0640) == -1 && aegish_errno() == EEXIST,
          "O_EXCL");
    aegish_set_errno(EPERM);
    CHECK(aegish_errno() == EPERM, "set_errno");

    unsigned long long soft, hard;
    CHECK(aegish_getrlimit(RLIMIT_NOFILE, &soft, &hard) == 0 && soft > 0 && soft <= hard,
          "getrlimit");
    CHECK(aegish_setrlimit(RLIMIT_NOFILE, soft, hard) == 0, "setrlimit");
    double u, s, cu, cs;
    CHECK(aegish_times(&u, &s, &cu, &cs) == 0 && u >= 0 && cs >= 0, "times");
    long long t0 = aegish_monotonic_ns(), t1 = aegish_monotonic_ns();
    CHECK(t0 > 0 && t1 >= t0, "monotonic");
}

/// Not a test: time N spawns of /bin/true (AEGISH_CSYS_BENCH=N).
static void bench(int n) {
    char *argv[] = {"/bin/true", NULL};
    long long t0 = aegish_monotonic_ns();
    for (int i = 0; i < n; i++) {
        int err;
        pid_t pid = aegish_spawn("/bin/true", argv, env, NULL, 0, NULL, -1, &err);
        wait_code(pid, NULL);
    }
    long long t1 = aegish_monotonic_ns();
    printf("aegish_spawn+wait /bin/true: %.1f us each (%d runs)\n", (t1 - t0) / 1e3 / n, n);
}

extern char **environ;
void test_landlock(char *const *env, const char *tmp, int *passed, int *failed);
void test_relay(const char *tmp, int *passed, int *failed);

int main(void) {
    env = environ;
    if (!mkdtemp(tmpdir)) { perror("mkdtemp"); return 1; }
    const char *b = getenv("AEGISH_CSYS_BENCH");
    if (b) {
        const char *mb = getenv("AEGISH_CSYS_BENCH_RSS_MB");  // simulate a bigger parent
        if (mb) { size_t n = (size_t)atoi(mb) << 20; char *m = malloc(n); memset(m, 1, n); }
        bench(atoi(b));
        return 0;
    }

    test_permutation_swap_1_2();
    test_permutation_cycle();
    test_close_fd();
    test_exec_errors();
    test_chdir();
    test_pgid_and_signals();
    test_wait_decoding();
    test_signal_counting();
    test_signal_reset_in_child();
    test_no_fd_leaks();
    test_exec_builtin();
    test_fd_helpers();
    test_landlock(env, tmpdir, &passed, &failed);
    test_relay(tmpdir, &passed, &failed);

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "warning: could not remove %s\n", tmpdir);
    printf("csys: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
