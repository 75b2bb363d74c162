/* steptrace: runs a program under ptrace single-stepping and prints, in first-touch order, every
 * distinct instruction address it executes inside [LO, HI) (the static binary's text), one hex
 * address per line. Used by tools/order/generate to find the functions a start of aegish runs,
 * so the linker can place them together (fewer page faults per start; see docs/BENCHMARKS.md).
 * Tracing stops at the traced program's first successful exec of another program.
 *
 * usage: steptrace OUT LO HI PROGRAM [ARG...]     (OUT: the file to write; LO, HI in hex)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t *table;
static size_t mask;

/* Open addressing; returns 1 when `a` was not in the set yet. */
static int insert(uint64_t a) {
    size_t i = (size_t)((a * 0x9E3779B97F4A7C15ull) >> 20) & mask;
    while (table[i]) {
        if (table[i] == a) return 0;
        i = (i + 1) & mask;
    }
    table[i] = a;
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: steptrace OUT LO HI PROGRAM [ARG...]\n"); return 2; }
    FILE *out = fopen(argv[1], "w");
    if (!out) { perror(argv[1]); return 2; }
    uint64_t lo = strtoull(argv[2], 0, 16), hi = strtoull(argv[3], 0, 16);
    mask = (1u << 22) - 1;
    table = calloc(mask + 1, sizeof *table);
    if (!table) return 2;
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        execv(argv[4], argv + 4);
        _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) < 0 || !WIFSTOPPED(st)) return 2;
    ptrace(PTRACE_SETOPTIONS, pid, 0, (void *)(long)(PTRACE_O_EXITKILL | PTRACE_O_TRACEEXEC));
    int sig = 0;
    for (;;) {
        if (ptrace(PTRACE_SINGLESTEP, pid, 0, (void *)(long)sig) < 0) break;
        sig = 0;
        if (waitpid(pid, &st, 0) < 0 || WIFEXITED(st) || WIFSIGNALED(st)) break;
        if ((st >> 8) == (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) {
            ptrace(PTRACE_DETACH, pid, 0, 0);
            waitpid(pid, &st, 0);
            break;
        }
        if (WSTOPSIG(st) != SIGTRAP) { sig = WSTOPSIG(st); continue; }
        struct user_regs_struct r;
        if (ptrace(PTRACE_GETREGS, pid, 0, &r) < 0) break;
        if (r.rip >= lo && r.rip < hi && insert(r.rip)) fprintf(out, "%llx\n", (unsigned long long)r.rip);
    }
    return fclose(out) == 0 ? 0 : 2;
}
