// C shims for what Swift cannot express or should not do itself: fork/exec with fd plumbing
// (and, later, the kernel sandbox applied between fork and exec), async-signal-safe signal
// flags, and the wait-status macros.
#ifndef AEGISH_CSYS_H
#define AEGISH_CSYS_H

#include <sys/types.h>

/// Start an external program. This is the ONE place aegish creates a process that runs a program
/// image; the kernel sandbox will be applied here, in the child, between fork and exec.
///
/// - path: absolute path of the program (already resolved by the caller).
/// - argv, envp: NULL-terminated.
/// - fdmap: `nfd` pairs {target, source}: in the child, `source` is duplicated onto `target`; a
///   source of -1 closes `target`. Pairs are applied as if simultaneously (a source that is also an
///   earlier target still refers to the parent's descriptor).
/// - cwd: directory to chdir to in the child, or NULL.
/// - pgid: -1 leave the process group alone; 0 make the child a new group leader; >0 join it.
/// - Signal dispositions are reset to default and the signal mask emptied in the child.
/// - Returns the pid, or -1 with *err set to errno when fork failed or the exec failed in the child
///   (reported back through a close-on-exec pipe, so ENOENT/EACCES/ENOEXEC reach the caller).
pid_t aegish_spawn(const char *path, char *const argv[], char *const envp[],
                   const int *fdmap, int nfd, const char *cwd, pid_t pgid, int *err);

/// fork() for shell-level subshells (command substitution, pipelines of builtins, `( … )`).
/// In the child, signal handlers installed by aegish_signal_catch are reset to default.
/// Returns as fork().
pid_t aegish_fork(void);

/// Decoded wait: waits for `pid` (or any child if -1) with waitpid flags `options`.
/// Returns the pid reaped, 0 (WNOHANG, nothing), or -1 with errno.
/// *code: exit status if exited; *sig: terminating signal (0 if exited normally);
/// *stopped: 1 if the child stopped (WUNTRACED), with the stop signal in *sig.
pid_t aegish_wait(pid_t pid, int options, int *code, int *sig, int *stopped);

/// Signals: a handler that only records the signal, so the interpreter can act between commands.
void aegish_signal_catch(int sig);
void aegish_signal_default(int sig);
void aegish_signal_ignore(int sig);
/// Returns how many times `sig` arrived since the last call, and resets the count.
int aegish_signal_take(int sig);
/// Non-zero if any caught signal is pending (cheap check in loops).
int aegish_signal_pending(void);

/// Block / unblock SIGCHLD-free sleep helpers are not needed; errno accessors for Swift:
int aegish_errno(void);
void aegish_set_errno(int e);

#endif
