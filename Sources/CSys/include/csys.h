// C shims for what Swift cannot express or should not do itself: fork/exec with fd plumbing
// (and, later, the kernel sandbox applied between fork and exec), async-signal-safe signal
// flags, the wait-status macros, and a few variadic or _GNU_SOURCE-only calls.
//
// This header is the single documented contract of the CSys target. Conventions:
// - Functions returning int return 0 (or a non-negative value) on success and -1 with errno set on
//   failure, unless stated otherwise. Read errno from Swift with aegish_errno().
// - Every descriptor a CSys function creates is close-on-exec.
#ifndef AEGISH_CSYS_H
#define AEGISH_CSYS_H

#include <sys/types.h>

// MARK: - Processes

/// Start an external program. This is the ONE place aegish creates a process that runs a program
/// image; the kernel sandbox will be applied here, in the child, between fork and exec.
///
/// - path: absolute path of the program (already resolved by the caller).
/// - argv, envp: NULL-terminated.
/// - fdmap: `nfd` pairs {target, source}: in the child, `source` is duplicated onto `target`; a
///   source of -1 closes `target`. Pairs are applied as if simultaneously (a source that is also an
///   earlier target still refers to the parent's descriptor). A pair {n, n} keeps n open across
///   exec even if it is close-on-exec in the parent. fdmap may be NULL when nfd is 0.
///   Descriptors that are not targets are inherited as they are: open, unless close-on-exec.
/// - cwd: directory to chdir to in the child, or NULL.
/// - pgid: -1 leave the process group alone; 0 make the child a new group leader; >0 join it.
///   setpgid is called in the child and again in the parent (so the group exists when this
///   returns); failures of setpgid are ignored (the group leader may already be gone).
///   With 0, while a job terminal is set (aegish_set_job_terminal), the child also takes that
///   terminal (tcsetpgrp) before exec: a foreground job of an interactive shell never reads the
///   terminal from a background group.
/// - Signals: in the child, every signal aegish changed through aegish_signal_catch or
///   aegish_signal_ignore, and SIGPIPE, is reset to default; signals set with
///   aegish_signal_ignore_inherited stay ignored (POSIX `trap '' SIG`); the mask is emptied.
/// - Returns the pid, or -1 with *err set to errno when fork failed or the dup/chdir/exec failed in
///   the child (reported back to the parent, so ENOENT/EACCES/ENOEXEC reach the caller; the failed
///   child has been reaped). On ENOEXEC the caller runs the file as a script.
/// - Blocks until the child has exec'd (or failed). All signals are blocked in the parent while
///   the child starts, so no aegish handler ever runs in the child. The child is created with
///   clone(CLONE_VM|CLONE_VFORK) like posix_spawn (build with -DCSYS_SPAWN_FORK for plain fork
///   plus a close-on-exec error pipe).
pid_t aegish_spawn(const char *path, char *const argv[], char *const envp[],
                   const int *fdmap, int nfd, const char *cwd, pid_t pgid, int *err);

/// aegish_spawn with a kernel sandbox: `sandbox` is a Landlock ruleset descriptor built by the
/// parent (aegish_landlock_create and the add functions below), or -1 for none. The child applies
/// it after the fd permutation, chdir and signal reset, immediately before execve:
/// prctl(PR_SET_NO_NEW_PRIVS) then landlock_restrict_self. A failure to apply it is reported like
/// an exec failure (*err), and the program does not run. The ruleset descriptor is never
/// inherited by the program. aegish_spawn(…) is aegish_spawn_sandboxed(…, -1, err).
pid_t aegish_spawn_sandboxed(const char *path, char *const argv[], char *const envp[],
                             const int *fdmap, int nfd, const char *cwd, pid_t pgid, int sandbox, int *err);

/// Replace the shell with a program (the `exec` builtin): resets signals as aegish_spawn does in
/// its child, applies the same sandbox, then execve. Returns only on failure: -1 with errno.
/// Note: once the sandbox is in force it cannot be lifted, even when the exec then fails.
int aegish_exec(const char *path, char *const argv[], char *const envp[]);
/// aegish_exec with a Landlock ruleset (or -1), applied as aegish_spawn_sandboxed does.
int aegish_exec_sandboxed(const char *path, char *const argv[], char *const envp[], int sandbox);

/// fork() for shell-level subshells (command substitution, pipelines of builtins, `( … )`).
/// Flushes all stdio streams first (so buffered output is not written twice). In the child,
/// handlers installed by aegish_signal_catch are reset to default and pending counts cleared;
/// ignored signals stay ignored; the signal mask is the parent's. Returns as fork().
pid_t aegish_fork(void);

/// Decoded wait: waits for `pid` (or any child if -1) with waitpid flags `options`
/// (WNOHANG, WUNTRACED, WCONTINUED are the usual ones).
/// Returns the pid reaped, 0 (WNOHANG, nothing), or -1 with errno.
/// EINTR is NOT retried: when a caught signal interrupts the wait, -1/EINTR is returned so the
/// interpreter can run traps or forward the signal, then call again.
/// *code: exit status if exited (else 128+signal if killed, for convenience); *sig: terminating
/// signal (0 if exited normally); *stopped: 0 exited/killed, 1 stopped (stop signal in *sig),
/// 2 continued (WCONTINUED; *sig = SIGCONT). Any out-pointer may be NULL.
pid_t aegish_wait(pid_t pid, int options, int *code, int *sig, int *stopped);
/// Blocks until child `pid` can be reaped or one of `fds` (at most 4) is readable, without
/// reaping: i+1 when fds[i] is readable, 0 when the child is done, cannot be watched or
/// `timeout_ms` (-1: none) passed (the caller then looks with waitpid), -1 with errno EINTR when
/// a signal arrived. For the gate's services while a program runs (the session proxy's
/// listener, the relay).
int aegish_wait_child_or_fds(pid_t pid, const int *fds, int n, int timeout_ms);

/// Give the terminal `fd` to process group `pgid` (tcsetpgrp with SIGTTOU blocked, so a
/// background shell can do it without being stopped). Returns 0 or -1 with errno.
int aegish_tcsetpgrp(int fd, pid_t pgid);

/// The terminal an interactive shell with job control hands to its foreground jobs (see
/// aegish_spawn's pgid), or -1 (the default, and what a forked subshell must set).
void aegish_set_job_terminal(int fd);

// MARK: - The relay (nested aegish → the aegish that can write the log; socket.c)

/// The relay's socket: Unix SOCK_DGRAM bound at `path` (mode 0600), close-on-exec, SO_PASSCRED.
/// The fd, or -1 with errno.
int aegish_relay_bind(const char *path);
/// 1 if fd is a Unix SOCK_SEQPACKET socket, else 0.
int aegish_is_seqpacket_socket(int fd);
/// Sends `request` to the relay at `path` with a fresh reply socket and waits up to `timeout_ms`
/// for the answer: its length, or -1 with errno (ENOENT/ECONNREFUSED when no relay is there,
/// ETIMEDOUT, ECONNRESET when closed unanswered). `fd_out` (may be NULL): a descriptor the
/// answer carried (close-on-exec), else -1.
long aegish_relay_call(const char *path, const void *request, size_t len, void *reply, size_t cap, int timeout_ms,
                       int *fd_out);
/// Reads one request without blocking: its length, the reply socket (close-on-exec) and the
/// sender's pid and uid as the kernel saw them. -1 with errno: EAGAIN (none waiting), EPROTO (a
/// datagram that is not a request: truncated, without exactly one descriptor; it is discarded).
long aegish_relay_receive(int server, void *buf, size_t cap, int *replyfd, pid_t *pid, uid_t *uid);
/// Sends `buf` (and `fd` when ≥ 0) on `replyfd` without blocking, and closes it. 0 or -1 with errno.
int aegish_relay_reply(int replyfd, const void *buf, size_t len, int fd);

// MARK: - Unix sockets (the supervisor channel)

/// A connected, close-on-exec SOCK_STREAM socket to the Unix socket `path`, or -1 with errno
/// (ENAMETOOLONG when the path does not fit in sockaddr_un).
int aegish_unix_connect(const char *path);
/// A close-on-exec listening socket bound to `path` (which must not exist), or -1 with errno.
int aegish_unix_listen(const char *path, int backlog);
/// accept4 with SOCK_CLOEXEC; -1 with errno (EINTR included).
int aegish_unix_accept(int fd);
/// The credentials of the process at the other end of a connected Unix socket, from the kernel
/// (SO_PEERCRED: for a listening peer, those it had when it called listen). 0 or -1 with errno.
int aegish_peer_cred(int fd, pid_t *pid, uid_t *uid, gid_t *gid);
// MARK: - Landlock (landlock.c)
//
// Access-right and scope bits are the kernel's (include/uapi/linux/landlock.h): filesystem
// execute 1<<0, write_file 1<<1, read_file 1<<2, read_dir 1<<3, remove_dir 1<<4,
// remove_file 1<<5, make_char 1<<6, make_dir 1<<7, make_reg 1<<8, make_sock 1<<9,
// make_fifo 1<<10, make_block 1<<11, make_sym 1<<12, refer 1<<13 (ABI 2), truncate 1<<14
// (ABI 3), ioctl_dev 1<<15 (ABI 5); network bind_tcp 1<<0, connect_tcp 1<<1 (ABI 4); scopes
// abstract_unix_socket 1<<0, signal 1<<1 (ABI 6). The caller masks them by the running ABI.

/// The Landlock ABI version of the running kernel; 0 when Landlock is missing or disabled.
int aegish_landlock_abi(void);
/// A new ruleset handling these filesystem and network rights and scopes: its descriptor
/// (close-on-exec), or -1 with errno. Handled rights are denied unless a rule grants them.
int aegish_landlock_create(unsigned long long fs, unsigned long long net, unsigned long long scoped);
/// Path-beneath rules: paths[i] is opened with O_PATH and granted access[i] on it and everything
/// below it. Symlinks are followed, unless `nosymlinks`: then a path that passes through any
/// symlink is skipped (for programs the policy checked by their canonical path: a symlink swapped
/// in afterwards must not move the grant onto another file). On a path that is not a directory
/// only the file rights (execute, write_file, read_file, truncate, ioctl_dev) are kept. A path
/// that does not exist or cannot be reached is skipped (a grant not added only ever means less
/// access). Returns the number of rules added, or -1 with errno and *failed (may be NULL) set to
/// the index.
int aegish_landlock_add_paths(int ruleset, const char *const paths[], const unsigned long long access[], int n,
                              int nosymlinks, int *failed);
/// Grants `access` on every entry of directory `dir` except the names in `except`: the way a
/// deny inside a grant is expressed (the grant goes to the denied entry's siblings). Entries are
/// opened with O_NOFOLLOW and symlinks get no rule (access through a link is checked along its
/// target's own path). Returns the number of rules added (0 if `dir` does not exist), or -1.
int aegish_landlock_add_children(int ruleset, const char *dir, const char *const except[], int nexcept,
                                 unsigned long long access);
/// A TCP port rule (network rights, ABI 4). 0 or -1 with errno.
int aegish_landlock_add_port(int ruleset, unsigned long long port, unsigned long long access);
/// Applies `ruleset` to the calling process (no_new_privs, then landlock_restrict_self). For tests
/// and helpers: aegish itself never restricts itself. 0 or -1 with errno.
int aegish_landlock_enforce(int ruleset);
/// Shells that come back to aegish inside sandboxed programs (shellns.c): every later
/// aegish_spawn_sandboxed / aegish_exec_sandboxed with a ruleset first puts the program in a
/// user and mount namespace of its own where `aegish` is bind-mounted over each of `targets`
/// (canonical paths of existing shell binaries). n = 0 turns it off. Returns 0, or -1 if a path
/// is too long or there are more than 16.
int aegish_set_shell_redirect(const char *aegish, const char *const targets[], int n);
/// Whether the next sandboxed program gets that namespace (on, the default) or not (a program
/// that starts no others: the namespace would only cost time). Set by the gate as it decides
/// the program's sandbox, right before the spawn.
void aegish_shell_redirect_select(int on);
/// prctl(PR_GET_DUMPABLE): 0 after a setgid exec (aegish installed setgid `aegish`), where
/// /proc/self/uid_map belongs to root until a child that dropped the group makes itself dumpable.
int aegish_dumpable(void);
/// 1 if the process runs with no_new_privs (as every program in aegish's sandbox does), else 0.
int aegish_no_new_privs(void);
/// prctl(PR_SET_NO_NEW_PRIVS): for tests of what only a sandboxed (nested) aegish does, in a
/// forked child (it cannot be undone). 0 or -1 with errno.
int aegish_set_no_new_privs(void);
/// getrandom(2) (Glibc's Swift module does not export it): bytes written, or -1 with errno.
long aegish_getrandom(void *buf, size_t n);

// MARK: - TCP (net.c: the session's HTTP proxy)

/// A close-on-exec TCP listener on 127.0.0.1, on a port the kernel picks (*port). -1 with errno.
int aegish_tcp_listen_loopback(int *port);
/// accept4 with SOCK_CLOEXEC, EINTR retried.
int aegish_tcp_accept(int fd);
/// A connected close-on-exec socket to host:port (every address the resolver gives is tried,
/// each within timeout_ms). `loopback_only`: connect to 127.0.0.1 without asking the resolver
/// (localhost names, RFC 6761). -1 with errno; when the name did not resolve, errno is ENOENT
/// and *gai_error (may be NULL) holds the resolver's code (aegish_gai_strerror).
int aegish_tcp_connect(const char *host, int port, int loopback_only, int timeout_ms, int *gai_error);
const char *aegish_gai_strerror(int code);
/// 1 if this process's TCP connects are confined by Landlock (a connect to 127.0.0.1:1 fails
/// with EACCES rather than being refused), 0 if not.
int aegish_tcp_connect_is_confined(void);
/// SO_RCVTIMEO and SO_SNDTIMEO.
int aegish_set_io_timeout(int fd, int ms);
/// send(MSG_NOSIGNAL) until everything is written. 0 or -1 with errno.
int aegish_send_all(int fd, const void *buf, size_t n);
/// Copies bytes both ways between two connected sockets until both directions have ended
/// (an EOF is passed on as a half close), one side resets, or nothing moves for idle_timeout_ms.
/// Returns 0 (ended), 1 (idle timeout) or -1.
int aegish_relay(int a, int b, int idle_timeout_ms);
/// In the proxy helper right after fork: own session (no terminal signals), killed when
/// `parent` exits (PR_SET_PDEATHSIG; exits at once if it already has), aegish's setgid group
/// dropped, the listener moved to fd 3, every descriptor but 0-3 closed (the caller puts
/// /dev/null on 0-2, so the proxy never holds the agent's pipes open), SIGPIPE
/// and SIGCHLD ignored (connection handlers are reaped by the kernel), other signals default.
/// Returns the listener's new descriptor (3) or -1.
int aegish_proxy_helper_setup(int listenfd, pid_t parent);
/// PR_SET_PDEATHSIG(SIGKILL), and _exit(0) at once if `parent` is already gone.
int aegish_die_with_parent(pid_t parent);

// MARK: - Signals

/// Install a handler that only records the signal (counter per signal; no SA_RESTART, so a
/// blocking read/wait returns EINTR), so the interpreter can act between commands.
/// Returns 0 or -1 with errno (e.g. EINVAL for SIGKILL/SIGSTOP).
int aegish_signal_catch(int sig);
/// Default disposition; forgets what aegish did to the signal.
int aegish_signal_default(int sig);
/// Ignore for the shell itself (interactive SIGINT/SIGQUIT/SIGTSTP…): reset in spawned programs.
int aegish_signal_ignore(int sig);
/// Ignore and let programs inherit it (POSIX `trap '' SIG`; SIGINT/SIGQUIT of `cmd &` without job
/// control, done in the forked child).
int aegish_signal_ignore_inherited(int sig);
/// 1 if `sig` is currently ignored (call at startup: a non-interactive shell must not trap
/// signals that were ignored on entry), 0 if not, -1 with errno.
int aegish_signal_is_ignored(int sig);
/// Returns how many times `sig` arrived since the last call, and resets the count (atomically).
int aegish_signal_take(int sig);
/// Non-zero if any caught signal is pending (cheap check in loops).
int aegish_signal_pending(void);
/// Number of signals (NSIG): valid numbers are 1 ..< aegish_signal_count().
int aegish_signal_count(void);

// MARK: - Descriptors and files

/// open(2) (variadic in C). The caller decides O_CLOEXEC.
int aegish_open(const char *path, int flags, int mode);
/// open(2) of an absolute path that must not pass through any symlink (openat2 with
/// RESOLVE_NO_SYMLINKS|RESOLVE_NO_MAGICLINKS): fails with ELOOP if a component is one. Used to
/// open exactly the file the policy checked, so a symlink swapped in between check and open
/// gains nothing. Falls back to O_NOFOLLOW (last component only) on kernels without openat2.
int aegish_open_nosymlinks(const char *path, int flags, int mode);
/// fcntl(fd, F_DUPFD_CLOEXEC, minfd): lowest free descriptor ≥ minfd, close-on-exec.
int aegish_dup_cloexec(int fd, int minfd);
/// dup2 that keeps or sets close-on-exec on the target as asked (dup3 when on and fd != target).
int aegish_dup2(int fd, int target, int cloexec);
/// Set (on != 0) or clear the close-on-exec flag.
int aegish_set_cloexec(int fd, int on);
/// 1 if fd is open, 0 if not.
int aegish_fd_is_open(int fd);
/// fcntl(fd, F_GETFL): the open flags (O_ACCMODE part tells read/write), or -1 with errno.
int aegish_fd_flags(int fd);
/// pipe2(fds, O_CLOEXEC): fds[0] read end, fds[1] write end.
int aegish_pipe(int fds[2]);
/// 1 if fd is a terminal, 0 if not.
int aegish_isatty(int fd);
/// The current umask, without changing it.
mode_t aegish_umask_get(void);
/// Descriptors aegish keeps for itself (Landlock rulesets): a redirection may neither duplicate
/// one into a program (`cmd 5<&N`: a program holding a ruleset could add rules to it, and every
/// later command would get them) nor replace it. Mark (on != 0) or unmark; fds ≥ 4096 cannot be
/// marked (-1, EBADF).
int aegish_fd_set_internal(int fd, int on);
/// 1 if aegish_fd_set_internal marked fd, 0 if not.
int aegish_fd_is_internal(int fd);
/// 1 if `path` carries a POSIX access ACL (permission bits alone do not tell who may open it).
int aegish_has_acl(const char *path);

// MARK: - Resources and time

/// Resource limits for `ulimit` (resource is an RLIMIT_* number). Infinity is ~0ULL.
int aegish_getrlimit(int resource, unsigned long long *soft, unsigned long long *hard);
int aegish_setrlimit(int resource, unsigned long long soft, unsigned long long hard);
/// CPU times in seconds for `times`: user and system of the shell, then of its reaped children.
int aegish_times(double *user, double *sys, double *child_user, double *child_sys);
/// Monotonic clock in nanoseconds (for `time` and benchmarks).
long long aegish_monotonic_ns(void);

// MARK: - The compiled-policy cache (Sources/Policy/CachePolicy.swift)

/// open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode): a file without a name in `dir`, so nothing
/// can open it while it is written; given a name later with linkat(/proc/self/fd/N).
int aegish_open_tmpfile(const char *dir, unsigned mode);
/// fsetxattr(fd, name, value, size, 0) and fgetxattr (which returns the value's size or -1).
int aegish_fsetxattr(int fd, const char *name, const void *value, size_t size);
long aegish_fgetxattr(int fd, const char *name, void *value, size_t size);

// MARK: - errno

/// errno accessors for Swift (errno is a macro over a thread-local in C).
int aegish_errno(void);
void aegish_set_errno(int e);

// MARK: - Sealed copies (scanners)

/// A close-on-exec memfd holding `data` (len bytes), sealed against every change (write, grow,
/// shrink, further seals) and positioned at 0: a scanner given /dev/fd/N reads exactly these
/// bytes, whatever any process of the same user tries. Returns the fd or -1 with errno.
int aegish_sealed_copy(const char *name, const void *data, size_t len);

#endif
