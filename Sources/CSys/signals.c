// Signal bookkeeping: handlers that only count, and the record of what aegish changed so that
// children can undo it. Counters are lock-free atomics on sig_atomic_t, safe in handlers.
#define _GNU_SOURCE
#include "csys.h"
#include "internal.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

static volatile sig_atomic_t counts[NSIG];
static volatile sig_atomic_t total;           // sum of counts: aegish_signal_pending
static volatile sig_atomic_t state[NSIG];     // enum sig_state

static void on_signal(int sig) {
    // No errno changes here: atomics only.
    __atomic_fetch_add(&counts[sig], 1, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&total, 1, __ATOMIC_SEQ_CST);
}

static int valid(int sig) {
    if (sig <= 0 || sig >= NSIG) { errno = EINVAL; return 0; }
    return 1;
}

static int set_disposition(int sig, void (*handler)(int), enum sig_state new_state) {
    if (!valid(sig)) return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: blocking calls return EINTR so traps can run
    if (sigaction(sig, &sa, NULL) != 0) return -1;
    state[sig] = new_state;
    return 0;
}

int aegish_signal_catch(int sig) { return set_disposition(sig, on_signal, SIG_STATE_CAUGHT); }
int aegish_signal_default(int sig) { return set_disposition(sig, SIG_DFL, SIG_STATE_UNTOUCHED); }
int aegish_signal_ignore(int sig) { return set_disposition(sig, SIG_IGN, SIG_STATE_IGNORED); }
int aegish_signal_ignore_inherited(int sig) {
    return set_disposition(sig, SIG_IGN, SIG_STATE_IGNORED_INHERIT);
}

int aegish_signal_is_ignored(int sig) {
    if (!valid(sig)) return -1;
    struct sigaction old;
    if (sigaction(sig, NULL, &old) != 0) return -1;
    return old.sa_handler == SIG_IGN ? 1 : 0;
}

int aegish_signal_take(int sig) {
    if (sig <= 0 || sig >= NSIG) return 0;
    int n = __atomic_exchange_n(&counts[sig], 0, __ATOMIC_SEQ_CST);
    if (n) __atomic_fetch_sub(&total, n, __ATOMIC_SEQ_CST);
    return n;
}

int aegish_signal_pending(void) { return __atomic_load_n(&total, __ATOMIC_SEQ_CST) != 0; }

int aegish_signal_count(void) { return NSIG; }

static void reset_to_default(int sig) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction(sig, &sa, NULL);
}

void csys_reset_signals_for_exec(void) {
    for (int sig = 1; sig < NSIG; sig++) {
        int st = state[sig];
        if (st == SIG_STATE_CAUGHT || st == SIG_STATE_IGNORED) reset_to_default(sig);
        else if (sig == SIGPIPE && st != SIG_STATE_IGNORED_INHERIT) reset_to_default(sig);
    }
    // Handlers are exec'd away anyway (caught → default by execve), but state in this address
    // space may outlive a failed exec in aegish_exec; keep it truthful.
}

void csys_reset_signals_for_subshell(void) {
    for (int sig = 1; sig < NSIG; sig++) {
        if (state[sig] == SIG_STATE_CAUGHT) {
            reset_to_default(sig);
            state[sig] = SIG_STATE_UNTOUCHED;
        }
        counts[sig] = 0;
    }
    total = 0;
}
