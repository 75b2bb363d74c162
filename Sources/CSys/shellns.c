// Shells inside sandboxed programs come back to aegish: between fork and exec, a program that
// gets a Landlock ruleset is also put in a user and mount namespace of its own in which aegish
// is bind-mounted over the system's shells (/bin/sh → dash, bash, …). `make` recipes,
// `subprocess.run(..., shell=True)`, `npm run`, git aliases and hooks then run aegish, which
// checks every command they contain under the same policy, inside the same kernel domain,
// instead of failing with EACCES at a shell the domain does not let them execute.
//
// Only the calling user's own uid and gid are mapped (an unprivileged process can map nothing
// else), so files of other users show the overflow uid inside; the namespace gives the program
// capabilities over that mount namespace alone, which the Landlock domain applied next forbids
// it to change (a sandboxed process cannot mount or pivot_root). Setting up is best effort: if
// user namespaces are unavailable the program runs as before, where a shell is simply refused by
// the kernel domain — never a shell outside aegish.
//
// In the setgid deployment the shell is not dumpable, so its child cannot write its own
// /proc/self/uid_map (root's while not dumpable). The child has dropped the group by then; it
// closes every close-on-exec descriptor it still holds (the audit log, the relay's server end:
// exec would close them anyway) and becomes dumpable, which is what its exec would make it. A
// process of the same user could trace it from then until the exec, as it could any program
// the user runs; it holds nothing more than such a program, and Landlock already keeps a
// sandboxed process from tracing one outside its domain. It must not share the shell's memory:
// aegish_spawn forks instead of cloning with CLONE_VM for it (csys_shell_redirect_needs_dumpable).
//
// Async-signal-safe: system calls on memory prepared by the parent.
#define _GNU_SOURCE
#include "csys.h"
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { MAX_SHELLS = 16, MAX_PATH = 4096 };

static char shell_source[MAX_PATH];
static char shell_targets[MAX_SHELLS][MAX_PATH];
static int shell_count = 0;
static int shell_selected = 1;

void aegish_shell_redirect_select(int on) { shell_selected = on != 0; }

int aegish_set_shell_redirect(const char *aegish, const char *const targets[], int n) {
    shell_count = 0;
    if (!aegish || n <= 0) return 0;
    if (strlen(aegish) >= MAX_PATH || n > MAX_SHELLS) return -1;
    strcpy(shell_source, aegish);
    for (int i = 0; i < n; i++) {
        if (!targets[i] || strlen(targets[i]) >= MAX_PATH) return -1;
        strcpy(shell_targets[i], targets[i]);
    }
    shell_count = n;
    return 0;
}

static int write_file(const char *path, const char *text, size_t len) {
    int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t w = syscall(SYS_write, fd, text, len);
    syscall(SYS_close, fd);
    return w == (ssize_t)len ? 0 : -1;
}

/// "N N 1" for id N, without stdio.
static size_t id_map(char *out, unsigned id) {
    char digits[16];
    int n = 0;
    do { digits[n++] = (char)('0' + id % 10); id /= 10; } while (id && n < 15);
    size_t len = 0;
    for (int k = 0; k < 2; k++) {
        for (int i = n - 1; i >= 0; i--) out[len++] = digits[i];
        out[len++] = ' ';
    }
    out[len++] = '1';
    return len;
}

int aegish_dumpable(void) {
    return (int)syscall(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0);
}

int csys_shell_redirect_needs_dumpable(void) {
    return shell_count > 0 && shell_selected && aegish_dumpable() != 1;
}

struct linux_dirent64 {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/// Closes every close-on-exec descriptor above 2 but `keep1` and `keep2`. 0, or -1 when the
/// descriptor table cannot be read (the caller then stays undumpable).
static int close_cloexec_fds(int keep1, int keep2) {
    int dir = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return -1;
    char buf[2048] __attribute__((aligned(8)));
    for (;;) {
        long n = syscall(SYS_getdents64, dir, buf, sizeof buf);
        if (n < 0) { syscall(SYS_close, dir); return -1; }
        if (n == 0) break;
        for (long off = 0; off < n;) {
            struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
            off += d->d_reclen;
            int fd = 0, digits = 0;
            for (const char *c = d->d_name; *c >= '0' && *c <= '9'; c++, digits++) fd = fd * 10 + (*c - '0');
            if (digits == 0 || fd <= 2 || fd == dir || fd == keep1 || fd == keep2) continue;
            long flags = syscall(SYS_fcntl, fd, F_GETFD);
            if (flags >= 0 && (flags & FD_CLOEXEC)) syscall(SYS_close, fd);
        }
    }
    syscall(SYS_close, dir);
    return 0;
}

int csys_redirect_shells_in_child(int keep1, int keep2) {
    if (shell_count == 0 || !shell_selected) return 0;
    if (aegish_dumpable() != 1) {
        // The group is gone already (drop_enforcement_group); see the comment at the top.
        if (syscall(SYS_getegid) != syscall(SYS_getgid)) return 0;
        if (close_cloexec_fds(keep1, keep2) != 0) return 0;            // run without, as before
        if (syscall(SYS_prctl, PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) return 0;
    }
    unsigned uid = (unsigned)syscall(SYS_getuid), gid = (unsigned)syscall(SYS_getgid);
    if (syscall(SYS_unshare, CLONE_NEWUSER | CLONE_NEWNS) != 0) return 0;   // unavailable: run without
    // From here a failure would leave the program in a namespace where its ids are unmapped:
    // refuse the exec instead (reported like an exec failure).
    char map[48];
    if (write_file("/proc/self/setgroups", "deny", 4) != 0) return errno ? errno : EPERM;
    if (write_file("/proc/self/uid_map", map, id_map(map, uid)) != 0) return errno ? errno : EPERM;
    if (write_file("/proc/self/gid_map", map, id_map(map, gid)) != 0) return errno ? errno : EPERM;
    // Nothing done here may reach the parent's namespace.
    if (syscall(SYS_mount, NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) return errno;
    for (int i = 0; i < shell_count; i++) {
        syscall(SYS_mount, shell_source, shell_targets[i], NULL, MS_BIND, NULL);
    }
    return 0;
}
