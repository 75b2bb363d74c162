// Shared between the CSys C files; not part of the Swift-visible contract (include/csys.h).
#ifndef AEGISH_CSYS_INTERNAL_H
#define AEGISH_CSYS_INTERNAL_H

#include <signal.h>

/// What aegish did to each signal's disposition (indexed by signal number).
enum sig_state {
    SIG_STATE_UNTOUCHED = 0,
    SIG_STATE_CAUGHT = 1,           // aegish_signal_catch: reset to default in children
    SIG_STATE_IGNORED = 2,          // aegish_signal_ignore: reset to default in programs
    SIG_STATE_IGNORED_INHERIT = 3,  // aegish_signal_ignore_inherited: programs inherit it
};

/// Reset dispositions for a program about to be exec'd: caught and shell-ignored signals, and
/// SIGPIPE unless ignored-inherited. Async-signal-safe; call with all signals blocked.
void csys_reset_signals_for_exec(void);

/// Reset caught signals to default and clear pending counts in a forked subshell.
/// Async-signal-safe; call with all signals blocked.
void csys_reset_signals_for_subshell(void);

/// Applies a Landlock ruleset to the calling process: no_new_privs, then landlock_restrict_self.
/// Async-signal-safe (two system calls). Returns 0 or the errno value.
int csys_landlock_enforce(int ruleset);

/// Puts the calling child in its own user and mount namespace with aegish bound over the shells
/// set by aegish_set_shell_redirect (shellns.c). Async-signal-safe. 0 when done or when user
/// namespaces are unavailable (the program runs without); an errno when the namespace was made
/// but could not be set up (the exec must not happen). A child that is not dumpable (setgid
/// deployment) first closes its close-on-exec descriptors but `keep1`/`keep2` and becomes so.
int csys_redirect_shells_in_child(int keep1, int keep2);
/// Whether a sandboxed child will make itself dumpable for the redirection (so it must not share
/// the shell's memory).
int csys_shell_redirect_needs_dumpable(void);

#endif
