// The limiter: one call per command the policy allowed, before it runs.
//
//   let limiter = Limiter(config: cfg, uid: getuid())
//   switch limiter.check(LimitOperation(program: "rm", argv: argv, cwd: cwd,
//                                       targets: [LimitTarget(path: "/w/build", recursive: true)])) {
//   case .allowed(let usage, let warning): log usage (and warning), run the command
//   case .exceeded(let e): e.verdict == .ask → ask; if approved, limiter.record(op), run; else refuse with e.reason
//   case .unavailable(let reason): refuse with reason
//   }
//
// check() counts the operation only when it is allowed, atomically with the decision: the
// per-user state file is flock(LOCK_EX)ed for read → prune → decide → add → write. The walk
// of recursive operands happens before the lock (it can take up to walk_max_ms).
import Glibc
import CSys

/// One target of an operation: a path (absolute, or relative to the operation's cwd) and whether
/// the operation acts on everything below it. Pass the path the operation acts on: for `rm -r`
/// a symlink operand is removed itself (it is counted as 1, never followed).
public struct LimitTarget: Sendable, Equatable {
    public var path: String
    public var recursive: Bool
    public init(path: String, recursive: Bool) { self.path = path; self.recursive = recursive }
}

/// A command the policy allowed, as the limiter sees it.
public struct LimitOperation: Sendable, Equatable {
    /// The program: a basename or path (its basename is matched against `commands`).
    public var program: String
    /// The full argv after expansion, argv[0] included (argument patterns see argv[1...]).
    public var argv: [String]
    /// The shell's cwd, for relative target paths.
    public var cwd: String
    /// The files the command destroys or changes (operands, `of=`, start points of `find
    /// -delete`); empty when not known (`git reset --hard`): then it counts 0 targets.
    public var targets: [LimitTarget]
    public init(program: String, argv: [String], cwd: String, targets: [LimitTarget]) {
        self.program = program; self.argv = argv; self.cwd = cwd; self.targets = targets
    }
}

/// A class's counters in its current window.
public struct LimitUsage: Sendable, Equatable, CustomStringConvertible {
    public var classID: String
    public var window: Int
    public var operations: Int
    public var maxOperations: Int?
    public var targets: Int
    public var maxTargets: Int?
    /// Seconds until the oldest counted entry leaves the window; nil when nothing is counted.
    public var freesIn: Int?

    public init(classID: String, window: Int, operations: Int, maxOperations: Int?, targets: Int,
                maxTargets: Int?, freesIn: Int?) {
        self.classID = classID; self.window = window; self.operations = operations
        self.maxOperations = maxOperations; self.targets = targets; self.maxTargets = maxTargets
        self.freesIn = freesIn
    }

    /// `delete: 4/30 operations, 57/200 files in 60 s`
    public var description: String {
        var parts: [String] = []
        if let m = maxOperations { parts.append("\(operations)/\(m) operations") }
        if let m = maxTargets { parts.append("\(targets)/\(m) files") }
        return "\(classID): " + parts.joined(separator: ", ") + " in \(window) s"
    }
}

/// Why an operation was not counted.
public struct LimitExceeded: Sendable, Equatable {
    /// The first class (in configuration order) whose limit the operation would exceed.
    public var classID: String
    /// deny if any exceeded class says deny, else ask.
    public var verdict: LimitVerdict
    /// One line for the user and the log: `rm: 120 of 100 files in 60 s (limit delete); wait 23 s`.
    public var reason: String
    /// Seconds after which the operation would fit; nil when it never will (it alone is over the
    /// limit, or its targets could not be counted).
    public var retryAfter: Int?
    /// The counters of every matching class (not including this operation).
    public var usage: [LimitUsage]

    public init(classID: String, verdict: LimitVerdict, reason: String, retryAfter: Int?, usage: [LimitUsage]) {
        self.classID = classID; self.verdict = verdict; self.reason = reason
        self.retryAfter = retryAfter; self.usage = usage
    }
}

public enum LimitOutcome: Sendable, Equatable {
    /// Counted (or not covered by any class: usage empty). `warning`: the state was unusable and
    /// the configuration lets operations run uncounted (on_state_error = "allow").
    case allowed(usage: [LimitUsage], warning: String?)
    case exceeded(LimitExceeded)
    /// The state store cannot be used and the configuration fails closed: refuse with `reason`.
    case unavailable(reason: String)

    public var isAllowed: Bool { if case .allowed = self { return true }; return false }
}

public struct LimitStateError: Error, Sendable, Equatable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}

func errnoText(_ e: Int32) -> String { String(cString: strerror(e)) }

/// CLOCK_BOOTTIME seconds: one clock for every process of the machine, never set back by an
/// administrator or NTP; it restarts at boot (stored entries then look "in the future" and are
/// pulled to now, so they stay counted for a full window).
public func limiterClock() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_BOOTTIME, &ts)
    return Int64(ts.tv_sec)
}

public final class Limiter {
    public let config: LimitConfig
    public let uid: uid_t
    public let statePath: String
    private let clock: () -> Int64
    /// Per class: whether one of its command names is a glob (such a class is checked for every
    /// program; the others only for the programs they name).
    private let globClasses: [Bool]

    /// `clock`: seconds, for tests (default `limiterClock`).
    public init(config: LimitConfig, uid: uid_t, clock: (() -> Int64)? = nil) {
        self.config = config
        self.uid = uid
        let dir = config.stateDirectory.hasSuffix("/") ? String(config.stateDirectory.dropLast()) : config.stateDirectory
        self.statePath = dir + "/" + String(uid)
        self.clock = clock ?? limiterClock
        // No name → classes dictionary: a policy has a handful of classes, a scan of their names
        // is as fast, and the dictionary cost every start a generic metadata instantiation.
        self.globClasses = config.classes.map { c in
            c.commands.contains { cmd in cmd.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" || $0 == "\\" }) }
        }
    }

    /// The classes covering a command, in configuration order.
    public func classes(covering program: String, argv: [String]) -> [LimitClass] {
        let base = String(programBasename(program))
        var out: [LimitClass] = []
        for (i, c) in config.classes.enumerated() where globClasses[i] || c.commands.contains(base) {
            if c.covers(program: program, argv: argv) { out.append(c) }
        }
        return out
    }

    /// Decide, and count the operation if it is allowed.
    public func check(_ op: LimitOperation) -> LimitOutcome { run(op, enforce: true) }

    /// Count an operation a supervisor approved after `.exceeded(… verdict: .ask …)`, without
    /// limits. Returns `.allowed` or a state error.
    public func record(_ op: LimitOperation) -> LimitOutcome { run(op, enforce: false) }

    // MARK: - The critical section

    private func run(_ op: LimitOperation, enforce: Bool) -> LimitOutcome {
        let matching = classes(covering: op.program, argv: op.argv)
        if matching.isEmpty { return .allowed(usage: [], warning: nil) }
        let prog = String(programBasename(op.program))

        // Targets, before taking the lock.
        var targets = op.targets.count
        var walk: WalkResult? = nil
        let largest = matching.compactMap(\.maxTargets).max()
        if let largest {
            let cap = min(config.walkMaxEntries, largest + 1)
            let w = countTargets(op.targets, cwd: op.cwd, maxEntries: max(1, cap),
                                 budgetNanoseconds: Int64(config.walkMaxMilliseconds) * 1_000_000)
            targets = w.count
            walk = w
        }

        let file: Int32
        switch openState(create: true) {
        case .failure(let e): return stateFailure(e.reason, prog)
        case .success(let fd): file = fd
        }
        defer { close(file) }  // releases the lock
        guard lockFile(file, LOCK_EX) else {
            return stateFailure("rate-limit state \(statePath): still locked after \(config.lockTimeoutMilliseconds) ms", prog)
        }
        var state: LimitState
        var slot: Int?
        switch readSlots(file) {
        case .ioError(let e): return stateFailure("rate-limit state \(statePath): \(errnoText(e))", prog)
        case .corrupt(let why): return stateFailure("rate-limit state \(statePath) is corrupt: \(why)", prog)
        case .state(let s, let sl): state = s; slot = sl
        }
        let now = clock()
        var idx: [Int] = []  // state.classes index of each matching class
        for c in matching {
            if let k = state.classes.firstIndex(where: { $0.id == c.id }) {
                state.classes[k].rewindow(c.window, width: c.granularity)
                idx.append(k)
            } else {
                state.classes.append(ClassState(id: c.id, window: c.window, width: c.granularity, buckets: []))
                idx.append(state.classes.count - 1)
            }
        }
        var pulled = false
        for k in state.classes.indices where state.classes[k].prune(now: now) { pulled = true }

        if enforce {
            var first: LimitExceeded? = nil
            var anyDeny = false
            for (c, k) in zip(matching, idx) {
                guard let (reason, retry) = judge(c, state.classes[k], targets: targets, walk: walk, now: now, prog: prog)
                else { continue }
                if c.onExceed == .deny { anyDeny = true }
                if first == nil {
                    first = LimitExceeded(classID: c.id, verdict: c.onExceed, reason: reason, retryAfter: retry, usage: [])
                }
            }
            if var e = first {
                e.verdict = anyDeny ? .deny : .ask
                let suffix = e.verdict == .ask ? (e.retryAfter != nil ? " or ask a supervisor" : "; ask a supervisor") : ""
                e.reason += suffix
                e.usage = zip(matching, idx).map { usage($0, state.classes[$1], now: now) }
                if pulled { _ = save(file, &state, slot: slot) }  // keep the pulled-back times
                return .exceeded(e)
            }
        }

        for k in idx { state.classes[k].add(now: now, ops: 1, targets: targets) }
        let after = zip(matching, idx).map { usage($0, state.classes[$1], now: now) }
        let err = save(file, &state, slot: slot)
        if err != 0 { return stateFailure("rate-limit state \(statePath): cannot write: \(errnoText(err))", prog) }
        return .allowed(usage: after, warning: nil)
    }

    /// Drop empty classes (other configurations' classes are kept until their windows pass, but
    /// dropped first if there are too many), then write the next sequence number. 0 or errno.
    private func save(_ fd: Int32, _ state: inout LimitState, slot: Int?) -> Int32 {
        state.classes.removeAll { $0.buckets.isEmpty }
        if state.classes.count > maxStoredClasses {
            let known = Set(config.classes.map(\.id))
            state.classes.removeAll { !known.contains($0.id) }
        }
        state.seq &+= 1
        return writeSlot(fd, state, current: slot, durable: config.durable)
    }

    /// nil if `c` allows the operation; else the reason (without the supervisor suffix) and the
    /// seconds until it would fit.
    private func judge(_ c: LimitClass, _ s: ClassState, targets: Int, walk: WalkResult?, now: Int64,
                       prog: String) -> (String, Int?)? {
        let tag = " (limit \(c.id))"
        if let maxT = c.maxTargets, let w = walk, let stop = w.stopped {
            let path = w.stoppedIn ?? "?"
            switch stop {
            case .entries where w.count > maxT:
                return ("\(prog): more than \(maxT) files under \(path), over the limit of \(maxT) in \(c.window) s\(tag)", nil)
            case .entries:
                return ("\(prog): more than \(config.walkMaxEntries) entries under \(path), too many to count (walk_max_entries); taken as over the limit of \(maxT) files in \(c.window) s\(tag)", nil)
            case .time:
                return ("\(prog): could not count the files under \(path) within \(config.walkMaxMilliseconds) ms (\(w.count) so far); taken as over the limit of \(maxT) files in \(c.window) s\(tag)", nil)
            }
        }
        let usedO = s.operations, usedT = s.targets
        let overO = c.maxOperations.map { usedO + 1 > $0 } ?? false
        let overT = c.maxTargets.map { usedT + targets > $0 } ?? false
        guard overO || overT else { return nil }
        if let m = c.maxOperations, m == 0 {
            return ("\(prog): limit \(c.id) allows no operations", nil)
        }
        if let m = c.maxTargets, targets > m {
            return ("\(prog): \(targets) files in one operation, over the limit of \(m) in \(c.window) s\(tag)", nil)
        }
        // When enough of the oldest buckets have left the window for the operation to fit.
        var freedO = 0, freedT = 0
        var retry: Int? = nil
        for b in s.buckets {
            freedO += Int(b.ops); freedT += Int(b.targets)
            let fitsO = c.maxOperations.map { usedO - freedO + 1 <= $0 } ?? true
            let fitsT = c.maxTargets.map { usedT - freedT + targets <= $0 } ?? true
            if fitsO && fitsT { retry = max(1, Int(s.expiry(b) - now)); break }
        }
        var what: [String] = []
        if overO, let m = c.maxOperations { what.append("\(usedO + 1) of \(m) operations") }
        if overT, let m = c.maxTargets { what.append("\(usedT + targets) of \(m) files") }
        var msg = "\(prog): " + what.joined(separator: " and ") + " in \(c.window) s\(tag)"
        if let retry { msg += "; wait \(retry) s" }
        return (msg, retry)
    }

    private func usage(_ c: LimitClass, _ s: ClassState, now: Int64) -> LimitUsage {
        LimitUsage(classID: c.id, window: c.window, operations: s.operations, maxOperations: c.maxOperations,
                   targets: s.targets, maxTargets: c.maxTargets,
                   freesIn: s.buckets.first.map { max(0, Int(s.expiry($0) - now)) })
    }

    private func stateFailure(_ reason: String, _ prog: String) -> LimitOutcome {
        switch config.onStateError {
        case .deny: return .unavailable(reason: "\(reason); refusing \(prog) (rate limits fail closed)")
        case .allow: return .allowed(usage: [], warning: "\(reason); \(prog) ran uncounted (on_state_error = \"allow\")")
        }
    }

    // MARK: - Reporting (aegishctl limits)

    /// Current counters of every configured class (zeros for classes with nothing counted).
    /// A missing state file is empty. Takes a shared lock; writes nothing.
    public func usage() -> Result<[LimitUsage], LimitStateError> {
        let fd = aegish_open(statePath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0)
        var state = LimitState()
        if fd < 0 {
            if errno != ENOENT { return .failure(LimitStateError(reason: "rate-limit state \(statePath): \(errnoText(errno))")) }
        } else {
            defer { close(fd) }
            guard lockFile(fd, LOCK_SH) else { return .failure(LimitStateError(reason: "rate-limit state \(statePath): still locked")) }
            switch readSlots(fd) {
            case .ioError(let e): return .failure(LimitStateError(reason: "rate-limit state \(statePath): \(errnoText(e))"))
            case .corrupt(let why): return .failure(LimitStateError(reason: "rate-limit state \(statePath) is corrupt: \(why)"))
            case .state(let s, _): state = s
            }
        }
        let now = clock()
        return .success(config.classes.map { c in
            var s = state.classes.first { $0.id == c.id } ?? ClassState(id: c.id, window: c.window, width: c.granularity, buckets: [])
            s.rewindow(c.window, width: c.granularity)
            s.prune(now: now)
            return usage(c, s, now: now)
        })
    }

    /// Forget every count of this user (an administrator's `aegishctl limits reset`; also the way
    /// out of a corrupt file). Returns nil or the error.
    public func reset() -> String? {
        let fd = aegish_open(statePath, O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0)
        if fd < 0 { return errno == ENOENT ? nil : "rate-limit state \(statePath): \(errnoText(errno))" }
        defer { close(fd) }
        guard lockFile(fd, LOCK_EX) else { return "rate-limit state \(statePath): still locked" }
        return ftruncate(fd, 0) == 0 ? nil : "rate-limit state \(statePath): \(errnoText(errno))"
    }

    // MARK: - Opening and locking

    /// Why the state directory is unsafe or unusable, or nil.
    func directoryProblem() -> String? {
        let dir = config.stateDirectory
        var st = stat()
        if lstat(dir, &st) != 0 { return "rate-limit state directory \(dir): \(errnoText(errno))" }
        let kind = st.st_mode & S_IFMT
        if kind == S_IFLNK { return "rate-limit state directory \(dir) is a symlink" }
        if kind != S_IFDIR { return "rate-limit state directory \(dir) is not a directory" }
        // (Root governing itself could reset the counts by other means anyway.)
        if st.st_uid == uid && uid != 0 { return "rate-limit state directory \(dir) is owned by the governed user (uid \(uid)), who could reset the counts" }
        if st.st_uid != config.trustedOwner {
            return "rate-limit state directory \(dir) is owned by uid \(st.st_uid), not uid \(config.trustedOwner)"
        }
        if st.st_mode & S_IWOTH != 0 { return "rate-limit state directory \(dir) is writable by everyone" }
        if st.st_mode & S_IWGRP != 0 && getuid() == uid {
            var groups: [gid_t] = [getgid()]
            let n = getgroups(0, nil)
            if n > 0 {
                var list = [gid_t](repeating: 0, count: Int(n))
                let m = getgroups(n, &list)
                if m > 0 { groups += list.prefix(Int(m)) }
            }
            if groups.contains(st.st_gid) {
                return "rate-limit state directory \(dir) is writable by group \(st.st_gid), a group of the governed user"
            }
        }
        return nil
    }

    private func openState(create: Bool) -> Result<Int32, LimitStateError> {
        if let why = directoryProblem() { return .failure(LimitStateError(reason: why)) }
        let flags = O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | (create ? O_CREAT : 0)
        let fd = aegish_open(statePath, flags, 0o600)
        if fd < 0 { return .failure(LimitStateError(reason: "rate-limit state \(statePath): \(errnoText(errno))")) }
        var st = stat()
        if fstat(fd, &st) != 0 || (st.st_mode & S_IFMT) != S_IFREG || st.st_nlink != 1 {
            close(fd)
            return .failure(LimitStateError(reason: "rate-limit state \(statePath) is not a regular file with one link"))
        }
        return .success(fd)
    }

    /// flock with a deadline (a process stopped while holding the lock must not hang every
    /// session): non-blocking attempts with backoff from 20 µs to 1 ms.
    private func lockFile(_ fd: Int32, _ how: Int32) -> Bool {
        if flock(fd, how | LOCK_NB) == 0 { return true }
        let deadline = monotonicNanoseconds() + Int64(config.lockTimeoutMilliseconds) * 1_000_000
        var pause = 20_000
        while true {
            if errno != EWOULDBLOCK && errno != EINTR { return false }
            var ts = timespec(tv_sec: 0, tv_nsec: pause)
            nanosleep(&ts, nil)
            if flock(fd, how | LOCK_NB) == 0 { return true }
            if monotonicNanoseconds() > deadline { return false }
            pause = min(pause * 2, 1_000_000)
        }
    }
}
