// Landlock, the kernel sandbox every program aegish starts runs in (issue 7).
//
// The parent (aegish, never restricted itself) builds a ruleset: it creates it with the access
// rights it wants the kernel to handle, then adds path-beneath rules from O_PATH descriptors and
// TCP port rules, and keeps the ruleset's descriptor. One ruleset serves any number of children:
// aegish_spawn_sandboxed's child applies it between fork and exec with two system calls
// (prctl(PR_SET_NO_NEW_PRIVS) and landlock_restrict_self), which is async-signal-safe.
//
// The kernel's structures and constants are declared here rather than taken from
// <linux/landlock.h>: the header of an older distribution (Debian 12 ships ABI 2's) lacks the
// network and scope fields, and the values are fixed by the kernel ABI.
#define _GNU_SOURCE
#include "csys.h"
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#ifndef SYS_landlock_add_rule
#define SYS_landlock_add_rule 445
#endif
#ifndef SYS_landlock_restrict_self
#define SYS_landlock_restrict_self 446
#endif

/// struct landlock_ruleset_attr (ABI 6 size). Passing the full size to an older kernel works as
/// long as the fields it does not know are zero (the caller masks rights by the ABI).
struct ll_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;  // ABI 4
    uint64_t scoped;              // ABI 6
};

/// struct landlock_path_beneath_attr: packed in the kernel ABI.
struct ll_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

/// struct landlock_net_port_attr (ABI 4).
struct ll_net_port_attr {
    uint64_t allowed_access;
    uint64_t port;
};

enum { LL_RULE_PATH_BENEATH = 1, LL_RULE_NET_PORT = 2 };
#define LL_CREATE_RULESET_VERSION (1U << 0)

/// The rights that apply to a file (not only to directories): execute, write_file, read_file,
/// truncate, ioctl_dev. The kernel refuses a rule on a non-directory that grants any other.
#define LL_FILE_RIGHTS ((1ULL << 0) | (1ULL << 1) | (1ULL << 2) | (1ULL << 14) | (1ULL << 15))

int aegish_landlock_abi(void) {
    long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
    return v < 0 ? 0 : (int)v;
}

int aegish_landlock_create(unsigned long long fs, unsigned long long net, unsigned long long scoped) {
    struct ll_ruleset_attr attr = {.handled_access_fs = fs, .handled_access_net = net, .scoped = scoped};
    // The kernel accepts a larger struct than it knows when the extra fields are zero; passing
    // only the prefix that is used keeps older kernels (ABI < 4 or < 6) happy either way.
    size_t size = scoped ? sizeof attr : net ? offsetof(struct ll_ruleset_attr, scoped)
                                             : offsetof(struct ll_ruleset_attr, handled_access_net);
    long fd = syscall(SYS_landlock_create_ruleset, &attr, size, 0);
    return fd < 0 ? -1 : (int)fd;  // the kernel makes it close-on-exec
}

/// Adds one rule for the object `fd` refers to. 1 added, 0 nothing to add (no right applies to
/// this kind of file, or Landlock cannot hold a rule for it), -1 with errno.
static int add_fd(int ruleset, int fd, unsigned long long access, int kind /* S_IFMT bits or 0 */) {
    if (kind == 0) {
        struct stat st;
        if (fstat(fd, &st) != 0) return -1;
        kind = (int)(st.st_mode & S_IFMT);
    }
    // A symlink opened with O_NOFOLLOW: a rule on the link itself is never consulted (access goes
    // to its target, checked along the target's own path), so there is nothing to grant.
    if (kind == S_IFLNK) return 0;
    if (kind != S_IFDIR) access &= LL_FILE_RIGHTS;
    if (access == 0) return 0;
    struct ll_path_beneath_attr attr = {.allowed_access = access, .parent_fd = fd};
    if (syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &attr, 0) != 0) {
        // EBADFD: an object Landlock cannot name (pipefs, nsfs…): a grant not added only ever
        // means less access, never more.
        return errno == EBADFD ? 0 : -1;
    }
    return 1;
}

/// Descriptors opened for rules, closed together: a policy's ~200 rules would otherwise cost
/// ~200 close() calls, where the descriptors (lowest free numbers, opened in a row) form a few
/// runs that close_range closes one system call each.
enum { CLOSE_BATCH = 128 };
struct close_batch { int fds[CLOSE_BATCH]; int n; };

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

static void batch_flush(struct close_batch *b) {
    if (b->n == 0) return;
    qsort(b->fds, (size_t)b->n, sizeof(int), cmp_int);
    int start = b->fds[0], prev = b->fds[0];
    for (int i = 1; i <= b->n; i++) {
        if (i < b->n && b->fds[i] == prev + 1) { prev = b->fds[i]; continue; }
        if (syscall(SYS_close_range, (unsigned)start, (unsigned)prev, 0) != 0) {
            for (int fd = start; fd <= prev; fd++) close(fd);   // kernels before 5.9
        }
        if (i < b->n) start = prev = b->fds[i];
    }
    b->n = 0;
}

static void batch_add(struct close_batch *b, int fd) {
    if (b->n == CLOSE_BATCH) batch_flush(b);
    b->fds[b->n++] = fd;
}

int aegish_landlock_add_paths(int ruleset, const char *const paths[], const unsigned long long access[], int n,
                              int nosymlinks, int *failed) {
    int added = 0;
    if (failed) *failed = -1;
    struct close_batch batch = {.n = 0};
    for (int i = 0; i < n; i++) {
        int fd = nosymlinks ? aegish_open_nosymlinks(paths[i], O_PATH | O_CLOEXEC, 0)
                            : open(paths[i], O_PATH | O_CLOEXEC);
        if (fd < 0) {
            // Not there (yet), or not reachable: nothing to grant, which only ever means less.
            if (errno == ENOENT || errno == ENOTDIR || errno == EACCES || errno == ELOOP) continue;
            int e = errno;
            batch_flush(&batch);
            if (failed) *failed = i;
            errno = e;
            return -1;
        }
        // File rights alone need no fstat: the descriptor cannot be a symlink (followed, or
        // refused by openat2 with ELOOP), and the rights are valid on a file or a directory
        // alike. Most rules are such (each allowed program's execute), one syscall fewer each.
        int fileOnly = (access[i] & ~(unsigned long long)LL_FILE_RIGHTS) == 0;
        int r = add_fd(ruleset, fd, access[i], fileOnly ? S_IFREG : 0);
        int e = errno;
        batch_add(&batch, fd);
        if (r < 0) {
            batch_flush(&batch);
            if (failed) *failed = i;
            errno = e;
            return -1;
        }
        added += r;
    }
    batch_flush(&batch);
    return added;
}

int aegish_landlock_add_children(int ruleset, const char *dir, const char *const except[], int nexcept,
                                 unsigned long long access) {
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return (errno == ENOENT || errno == ENOTDIR || errno == EACCES) ? 0 : -1;
    DIR *d = fdopendir(dfd);
    if (!d) {
        int e = errno;
        close(dfd);
        errno = e;
        return -1;
    }
    int added = 0, result = 0;
    struct close_batch batch = {.n = 0};
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        const char *name = ent->d_name;
        if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
        if (ent->d_type == DT_LNK) continue;  // see add_fd: nothing to grant on a link
        int skip = 0;
        for (int i = 0; i < nexcept && !skip; i++) skip = strcmp(name, except[i]) == 0;
        if (skip) continue;
        // O_NOFOLLOW: a symlink is the link itself, never its target — a link to a denied path
        // must gain nothing.
        int fd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) continue;  // gone meanwhile: nothing to grant
        int kind = 0;
        if (ent->d_type == DT_DIR) kind = S_IFDIR;
        else if (ent->d_type == DT_REG) kind = S_IFREG;
        int r = add_fd(ruleset, fd, access, kind);
        int e = errno;
        batch_add(&batch, fd);
        if (r < 0) {
            errno = e;
            result = -1;
            break;
        }
        added += r;
    }
    int e = errno;
    batch_flush(&batch);
    closedir(d);
    errno = e;
    return result < 0 ? -1 : added;
}

int aegish_landlock_add_port(int ruleset, unsigned long long port, unsigned long long access) {
    struct ll_net_port_attr attr = {.allowed_access = access, .port = port};
    return syscall(SYS_landlock_add_rule, ruleset, LL_RULE_NET_PORT, &attr, 0) == 0 ? 0 : -1;
}

int csys_landlock_enforce(int ruleset) {
    // Landlock requires no_new_privs for an unprivileged caller, and it is what we want anyway:
    // nothing the program runs gains privileges through setuid/setgid bits or file capabilities.
    if (syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) != 0) return errno;
    if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) return errno;
    return 0;
}

int aegish_no_new_privs(void) {
    return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 1 : 0;
}

int aegish_set_no_new_privs(void) {
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

int aegish_landlock_enforce(int ruleset) {
    int e = csys_landlock_enforce(ruleset);
    if (e != 0) {
        errno = e;
        return -1;
    }
    return 0;
}
