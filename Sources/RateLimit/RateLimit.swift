// Rate limits on destructive operations, shared by every session (process) of a user (issue 4).
//
//   Config.swift   LimitClass / LimitConfig: what counts, the limits, validation.
//   Match.swift    which commands and argument patterns a class covers.
//   Walk.swift     bounded count of the files under a recursive operand.
//   State.swift    the per-user state file: two checksummed slots, written alternately.
//   Limiter.swift  Limiter.check: lock, read, prune, decide, count, write — one critical section.
//
// No Foundation: this runs in the shell at every destructive command. A command no class covers
// costs a few string comparisons and touches no file.
