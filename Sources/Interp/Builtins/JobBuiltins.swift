import Glibc

// `jobs`, `fg`, `bg`: job control of an interactive shell (Jobs.swift). `jobs` also lists the
// `cmd &` jobs of a shell without job control.

func builtinJobs(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    let pidsOnly = argv.dropFirst().contains("-p")
    sh.reapJobs()
    let current = sh.jobs.last?.number, previous = sh.jobs.dropLast().last?.number
    for j in sh.jobs {
        if pidsOnly { sh.out("\(j.pgid > 0 ? j.pgid : j.pid)\n"); continue }
        let marker = j.number == current ? "+" : j.number == previous ? "-" : " "
        sh.out(sh.describe(j, marker: marker) + "\n")
    }
    if sh.jobControl != nil {
        for i in sh.jobs.indices { sh.jobs[i].reported = true }
        sh.jobs.removeAll { $0.status != nil }
    }
    return 0
}

func builtinFg(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    guard sh.jobControl != nil else { return sh.builtinError("fg", "no job control in this shell") }
    sh.reapJobs()
    guard let i = sh.jobIndex(argv.dropFirst().first, for: "fg") else { return 1 }
    if sh.jobs[i].status != nil {
        let done = sh.jobs.remove(at: i)
        return sh.builtinError("fg", "job \(done.number) has terminated")
    }
    return sh.continueInForeground(i)
}

func builtinBg(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    guard sh.jobControl != nil else { return sh.builtinError("bg", "no job control in this shell") }
    sh.reapJobs()
    guard let i = sh.jobIndex(argv.dropFirst().first, for: "bg") else { return 1 }
    guard sh.jobs[i].status == nil else { return sh.builtinError("bg", "job \(sh.jobs[i].number) has terminated") }
    guard sh.jobs[i].stopped else { return sh.builtinError("bg", "job \(sh.jobs[i].number) already in background") }
    sh.jobs[i].stopped = false
    sh.jobs[i].reported = true
    kill(-sh.jobs[i].pgid, SIGCONT)
    sh.out("[\(sh.jobs[i].number)]+ \(sh.jobs[i].command) &\n")
    return 0
}

extension Shell {
    /// The job a job spec names: `%N` or `N`, `%+`/`%%`/none (the current job: the newest),
    /// `%-` (the one before), `%text` (the job whose command starts with text).
    func jobIndex(_ spec: String?, for name: String) -> Int? {
        guard !jobs.isEmpty else {
            _ = builtinError(name, "no current job")
            return nil
        }
        guard var s = spec else { return jobs.count - 1 }
        if s.hasPrefix("%") { s.removeFirst() }
        if s.isEmpty || s == "+" || s == "%" { return jobs.count - 1 }
        if s == "-" { return jobs.count >= 2 ? jobs.count - 2 : jobs.count - 1 }
        if let n = Int(s) {
            if let i = jobs.firstIndex(where: { $0.number == n }) { return i }
        } else {
            let matches = jobs.indices.filter { jobs[$0].command.hasPrefix(s) }
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 {
                _ = builtinError(name, "\(spec!): ambiguous job spec")
                return nil
            }
        }
        _ = builtinError(name, "\(spec!): no such job")
        return nil
    }
}
