// Process creation and reaping: aegish_spawn (clone/fork + fd permutation + sandbox + exec, the
// child's errno reported back), aegish_exec, aegish_fork, aegish_wait, aegish_tcsetpgrp and the
// job terminal.
//
// The child side of aegish_spawn is async-signal-safe: between fork and exec it makes only system
// calls and touches memory prepared by the parent (no malloc, no stdio, no locks).
#define _GNU_SOURCE
#include "csys.h"
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <poll.h>
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#include <sched.h>
#include <sys/mman.h>

// MARK: - Sandbox hook

/// aegish may be installed setgid `aegish` so that it, and only it, can append to the audit log
/// and update the rate-limit state. Programs it starts must not keep that group: real, effective
/// and saved gid all become the real gid, so nothing can switch back. Raw system call: glibc's
/// setresgid would try to synchronise other threads, which a clone(CLONE_VM) child must not do.
static int drop_enforcement_group(void) {
    gid_t real = (gid_t)syscall(SYS_getgid);
    gid_t effective = (gid_t)syscall(SYS_getegid);
    gid_t r, e, s;
    if (syscall(SYS_getresgid, &r, &e, &s) != 0) return EPERM;
    if (effective == real && s == real) return 0;
    if (syscall(SYS_setresgid, real, real, real) != 0) return EPERM;
    return 0;
}

/// THE KERNEL SANDBOX. Called in the child after fork, after the fd permutation, chdir and
/// setpgid, with all signals blocked, immediately before execve (and in aegish_exec before
/// execve). Async-signal-safe: system calls only, no allocation. The Landlock ruleset was built
/// by the parent (landlock.c); here it is only applied: prctl(PR_SET_NO_NEW_PRIVS) and
/// landlock_restrict_self. `ruleset` < 0: no sandbox for this program (the caller decided).
/// Returns 0, or an errno value that is reported to the caller as the exec failure.
static int sandbox_apply_in_child(int ruleset, int keepfd) {
    int e = drop_enforcement_group();
    if (e != 0) return e;
    if (ruleset >= 0) {
        e = csys_redirect_shells_in_child(ruleset, keepfd);   // before the domain forbids mounting
        if (e != 0) return e;
        return csys_landlock_enforce(ruleset);
    }
    return 0;
}

// MARK: - Helpers

static void block_all(sigset_t *old) {
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, old);
}

static void restore_mask(const sigset_t *old) { sigprocmask(SIG_SETMASK, old, NULL); }

// MARK: - spawn

/// See aegish_set_job_terminal.
static int job_terminal = -1;

void aegish_set_job_terminal(int fd) { job_terminal = fd; }

/// Everything the child needs, prepared by the parent before fork (the child must not allocate).
struct spawn_job {
    const char *path;
    char *const *argv;
    char *const *envp;
    const int *fdmap;
    int nfd;
    int *high;        // nfd slots: the sources duplicated above `base`
    int base;         // above every target, source and the error pipe
    const char *cwd;
    pid_t pgid;
    int terminal;     // give it to the new group (pgid 0), or -1
    int sandbox;      // Landlock ruleset fd to apply before exec, or -1
    int errfd;        // fork strategy: read end: of the close-on-exec error pipe, else -1
    int keepfd;       // fork strategy, in the child: the error pipe's write end, else -1
    int own_memory;   // fork, not clone: the child may become dumpable (shellns.c)
    volatile int err; // clone strategy: errno written here by the child (shared memory)
};

/// The child between fork and exec. Async-signal-safe. Returns only on failure, with the errno.
static int child_run(struct spawn_job *job) {
    // 0. The ruleset first, above everything: a target of the permutation may carry its number.
    if (job->sandbox >= 0) {
        job->sandbox = fcntl(job->sandbox, F_DUPFD_CLOEXEC, job->base);
        if (job->sandbox < 0) return errno;
    }
    // 1. Duplicate every source high (above every target and source), then 2. place them: the
    //    pairs act simultaneously, and the high copies are close-on-exec so exec drops them.
    for (int i = 0; i < job->nfd; i++) {
        int s = job->fdmap[2 * i + 1];
        job->high[i] = -1;
        if (s >= 0) {
            job->high[i] = fcntl(s, F_DUPFD_CLOEXEC, job->base);
            if (job->high[i] < 0) return errno;
        }
    }
    for (int i = 0; i < job->nfd; i++) {
        int t = job->fdmap[2 * i];
        if (job->high[i] < 0) close(t);
        else if (dup2(job->high[i], t) < 0) return errno;
    }
    if (job->pgid >= 0) setpgid(0, job->pgid);  // ignore failure: the leader may be gone already
    if (job->pgid == 0 && job->terminal >= 0) tcsetpgrp(job->terminal, (pid_t)syscall(SYS_getpid));
    if (job->cwd && chdir(job->cwd) != 0) return errno;
    csys_reset_signals_for_exec();
    int e = sandbox_apply_in_child(job->sandbox, job->keepfd);
    if (e != 0) return e;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve(job->path, job->argv, job->envp);
    return errno;
}

// Strategy "clone" (default): clone(CLONE_VM|CLONE_VFORK) on a private stack, as glibc's posix_spawn does.
// The parent is suspended until the child execs or exits, so the child reports its errno through
// shared memory instead of a pipe. Measured: spawn+wait of /bin/true 450 us vs 560 us with fork
// (2-core VM). The child runs on its own stack in child_run, never returning into the parent's
// frames, so the usual vfork() hazards do not apply.

#ifndef CSYS_SPAWN_FORK
enum { CHILD_STACK = 64 * 1024 };

static int clone_child(void *arg) {
    struct spawn_job *job = arg;
    job->err = child_run(job);
    _exit(127);
}

static pid_t start_child_clone(struct spawn_job *job) {
    void *stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) return -1;
    job->err = 0;
    pid_t pid = clone(clone_child, (char *)stack + CHILD_STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, job);
    int e = errno;
    munmap(stack, CHILD_STACK);
    errno = e;
    return pid;
}
#endif

// Strategy "fork": plain fork; the child reports a failure through a close-on-exec pipe whose EOF
// means the exec succeeded. Used (instead of clone) when the child must become dumpable before
// its exec (the setgid deployment's shell redirection, shellns.c): a child that shared the
// shell's memory could then be traced into the shell itself. -DCSYS_SPAWN_FORK makes it the
// only strategy.
static pid_t start_child_fork(struct spawn_job *job) {
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0) return -1;
    if (pfd[0] >= job->base) job->base = pfd[0] + 1;
    if (pfd[1] >= job->base) job->base = pfd[1] + 1;
    pid_t pid = fork();
    if (pid == 0) {
        // Move the pipe above every target first, so the dup2s cannot overwrite it.
        int errfd = fcntl(pfd[1], F_DUPFD_CLOEXEC, job->base);
        if (errfd < 0) _exit(127);  // cannot even report
        close(pfd[0]);
        job->keepfd = errfd;
        int e = child_run(job);
        ssize_t w;
        do { w = write(errfd, &e, sizeof e); } while (w < 0 && errno == EINTR);
        _exit(127);
    }
    int e = errno;
    close(pfd[1]);
    if (pid < 0) {
        close(pfd[0]);
        errno = e;
        return -1;
    }
    job->errfd = pfd[0];
    return pid;
}

static pid_t start_child(struct spawn_job *job) {
#ifndef CSYS_SPAWN_FORK
    if (!job->own_memory) return start_child_clone(job);
#endif
    return start_child_fork(job);
}

static int child_status(struct spawn_job *job, pid_t pid) {
    (void)pid;
    if (job->errfd < 0) return job->err;   // clone: reported in shared memory
    int child_errno = 0;
    ssize_t n;
    do { n = read(job->errfd, &child_errno, sizeof child_errno); } while (n < 0 && errno == EINTR);
    close(job->errfd);
    return n == (ssize_t)sizeof child_errno ? child_errno : 0;  // EOF: exec succeeded
}

enum { SMALL_MAP = 32 };

pid_t aegish_spawn(const char *path, char *const argv[], char *const envp[],
                   const int *fdmap, int nfd, const char *cwd, pid_t pgid, int *err) {
    return aegish_spawn_sandboxed(path, argv, envp, fdmap, nfd, cwd, pgid, -1, err);
}

pid_t aegish_spawn_sandboxed(const char *path, char *const argv[], char *const envp[],
                             const int *fdmap, int nfd, const char *cwd, pid_t pgid, int sandbox, int *err) {
    int dummy;
    if (!err) err = &dummy;
    *err = 0;
    if (nfd < 0 || (nfd > 0 && !fdmap) || !path || !argv) { *err = EINVAL; errno = EINVAL; return -1; }

    struct spawn_job job = {
        .path = path, .argv = argv, .envp = envp, .fdmap = fdmap, .nfd = nfd,
        .base = 3, .cwd = cwd, .pgid = pgid, .terminal = job_terminal, .sandbox = sandbox, .errfd = -1,
        .keepfd = -1, .own_memory = sandbox >= 0 && csys_shell_redirect_needs_dumpable(),
    };
    for (int i = 0; i < nfd; i++) {
        int t = fdmap[2 * i], s = fdmap[2 * i + 1];
        if (t < 0) { *err = EINVAL; errno = EINVAL; return -1; }
        if (t >= job.base) job.base = t + 1;
        if (s >= job.base) job.base = s + 1;
    }
    if (sandbox >= job.base) job.base = sandbox + 1;
    int small[SMALL_MAP];
    job.high = small;
    if (nfd > SMALL_MAP) {
        job.high = malloc(sizeof(int) * (size_t)nfd);
        if (!job.high) { *err = ENOMEM; errno = ENOMEM; return -1; }
    }

    sigset_t oldmask;
    block_all(&oldmask);  // no aegish handler may run in the child
    pid_t pid = start_child(&job);
    int start_errno = errno;
    restore_mask(&oldmask);
    if (job.high != small) free(job.high);
    if (pid < 0) {
        *err = start_errno;
        errno = start_errno;
        return -1;
    }
    if (pgid >= 0) setpgid(pid, pgid == 0 ? pid : pgid);  // the classic race: set it on both sides

    int child_errno = child_status(&job, pid);
    if (child_errno != 0) {
        // The child failed before or at exec and has _exit(127)'d: reap it.
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
        *err = child_errno;
        errno = child_errno;
        return -1;
    }
    return pid;
}

// MARK: - exec (the `exec` builtin)

int aegish_exec(const char *path, char *const argv[], char *const envp[]) {
    return aegish_exec_sandboxed(path, argv, envp, -1);
}

int aegish_exec_sandboxed(const char *path, char *const argv[], char *const envp[], int sandbox) {
    if (!path || !argv) { errno = EINVAL; return -1; }
    static struct sigaction saved[NSIG];  // static: ~10 KB is too much for a deep Swift stack
    sigset_t oldmask;
    block_all(&oldmask);
    for (int sig = 1; sig < NSIG; sig++) sigaction(sig, NULL, &saved[sig]);
    csys_reset_signals_for_exec();
    int e = sandbox_apply_in_child(sandbox, -1);
    if (e == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        execve(path, argv, envp);
        e = errno;
        block_all(NULL);
    }
    // Failed: put the shell's own dispositions and mask back.
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        sigaction(sig, &saved[sig], NULL);
    }
    restore_mask(&oldmask);
    errno = e;
    return -1;
}

// MARK: - fork (subshells)

pid_t aegish_fork(void) {
    fflush(NULL);
    sigset_t oldmask;
    block_all(&oldmask);
    pid_t pid = fork();
    int e = errno;
    if (pid == 0) csys_reset_signals_for_subshell();
    restore_mask(&oldmask);
    errno = e;
    return pid;
}

// MARK: - wait

int aegish_wait_child_or_fds(pid_t pid, const int *fds, int n, int timeout_ms) {
    if (n < 0 || n > 4) { errno = EINVAL; return -1; }
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pfd < 0) return 0;
    struct pollfd p[5] = {{.fd = pfd, .events = POLLIN}};
    for (int i = 0; i < n; i++) p[i + 1] = (struct pollfd){.fd = fds[i], .events = POLLIN};
    int r = poll(p, (nfds_t)n + 1, timeout_ms);
    int e = errno;
    close(pfd);
    if (r == 0) return 0;   // timed out: the caller looks at the child itself
    if (r < 0) {
        errno = e;
        return -1;
    }
    if (p[0].revents) return 0;   // the child first: a busy descriptor must not hide its end
    for (int i = 0; i < n; i++) {
        if (p[i + 1].revents & (POLLIN | POLLERR | POLLHUP)) return i + 1;
    }
    return 0;
}

pid_t aegish_wait(pid_t pid, int options, int *code, int *sig, int *stopped) {
    int st = 0;
    pid_t r = waitpid(pid, &st, options);
    if (r <= 0) return r;  // -1 with errno (EINTR included: see header), or 0 for WNOHANG
    int c = 0, s = 0, stop = 0;
    if (WIFEXITED(st)) {
        c = WEXITSTATUS(st);
    } else if (WIFSIGNALED(st)) {
        s = WTERMSIG(st);
        c = 128 + s;
    } else if (WIFSTOPPED(st)) {
        s = WSTOPSIG(st);
        c = 128 + s;
        stop = 1;
    } else if (WIFCONTINUED(st)) {
        s = SIGCONT;
        stop = 2;
    }
    if (code) *code = c;
    if (sig) *sig = s;
    if (stopped) *stopped = stop;
    return r;
}

// MARK: - terminal

int aegish_tcsetpgrp(int fd, pid_t pgid) {
    sigset_t ttou, old;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    sigprocmask(SIG_BLOCK, &ttou, &old);
    int r = tcsetpgrp(fd, pgid);
    int e = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    errno = e;
    return r;
}
