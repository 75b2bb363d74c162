import Glibc

/// The audit log writer. One per shell process; not thread-safe (the shell is single-threaded).
///
/// Every call appends one JSON line: under `flock(LOCK_EX)` it reads the last line of the file (seeking
/// back from the end), chains to it (`prev_hash`, `event.sequence`), repairs a torn last line left by
/// a crash, writes the whole line with a single `write` on an `O_APPEND` descriptor, optionally
/// `fdatasync`s, and unlocks. A failed write is rolled back with `ftruncate` to the size seen under
/// the lock, so a failure never leaves a partial record behind.
public final class AuditLog {
    public let config: AuditConfig
    public let hostName: String
    public let userName: String
    public let userID: UInt32
    public let sessionID: String
    public let tty: String?
    public var path: String { config.path }

    private var fd: Int32 = -1
    private var fileDev: UInt = 0
    private var fileIno: UInt = 0
    private var openerPID: pid_t = 0
    /// The file's end after this process's last write: its size and the chain state there. When
    /// the file still has that size at the next write (under the same lock), the tail need not be
    /// read again; any other writer, truncation or rotation changes the size or the inode.
    private var lastEnd: (dev: UInt, ino: UInt, size: Int, line: [UInt8], seq: Int)?
    private let redactor: Redactor
    private let syslog: SyslogSink?
    /// The identity members, encoded once.
    private let identity: [UInt8]

    public init(config: AuditConfig) throws {
        guard config.path.hasPrefix("/") else { throw AuditError.badConfig("[audit] file must be an absolute path, not \(jsonQuote(config.path))") }
        self.config = config
        redactor = try Redactor(config: config)
        hostName = config.hostName ?? Audit.hostName()
        userID = config.userID ?? UInt32(getuid())
        userName = config.userName ?? Audit.userName(uid: uid_t(userID)) ?? String(userID)
        sessionID = config.sessionID ?? randomHex(bytes: 8)
        tty = config.tty ?? ttyName()
        if config.syslog {
            guard let f = SyslogSink.facilities[config.syslogFacility] else {
                throw AuditError.badConfig("unknown syslog facility \(jsonQuote(config.syslogFacility))")
            }
            syslog = SyslogSink(path: config.syslogSocket, facility: f)
        } else {
            syslog = nil
        }
        var w = JSONWriter(capacity: 256)
        w.member("host.name", hostName)
        w.member("user.name", userName)
        w.member("user.id", String(userID))
        w.member("session.id", sessionID)
        identity = w.bytes
        try openFile()
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    private func openFile() throws {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
        let p = config.path
        let f = Glibc.open(p, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0o600)
        if f < 0 {
            let e = errno
            if e == ENOENT || e == ENOTDIR {
                throw AuditError.directoryMissing(path: p)
            }
            throw AuditError.from(errno: e, path: p, operation: "open")
        }
        var st = stat()
        guard fstat(f, &st) == 0 else {
            let e = errno
            Glibc.close(f)
            throw AuditError.from(errno: e, path: p, operation: "fstat")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            Glibc.close(f)
            throw AuditError.notRegularFile(path: p)
        }
        // Installed setgid `aegish` (log directory root:aegish 2770): every user's aegish shares
        // the file through that group, so a file this process created gets group read/write.
        if st.st_uid == geteuid() && st.st_gid == getegid() && getegid() != getgid() && (st.st_mode & 0o060) != 0o060 {
            _ = fchmod(f, 0o660)
        }
        fd = f
        fileDev = UInt(st.st_dev)
        fileIno = UInt(st.st_ino)
        openerPID = getpid()
    }

    /// Reopens when the path now names another file (rotation, deletion) or when this is a forked
    /// child: flock locks belong to the open file description, which a child shares with its
    /// parent, so parent and child would not exclude each other.
    private func reopenIfNeeded() throws {
        if getpid() != openerPID { try openFile(); return }
        var st = stat()
        if stat(config.path, &st) != 0 || UInt(st.st_dev) != fileDev || UInt(st.st_ino) != fileIno {
            try openFile()
        }
    }

    // MARK: - Records

    /// Writes the record for a decision; returns its event.id. Throws AuditError when the record
    /// could not be written (nothing is then left in the file).
    @discardableResult
    public func record(_ event: AuditEvent) throws -> String {
        let id = randomHex(bytes: 16)
        try write(event, id: id)
        return id
    }

    /// Writes the completion record of event `id` (action "complete", same event.id).
    public func complete(id: String, exitCode: Int32?, signal: Int32?, durationNS: UInt64,
                         outcome: AuditOutcome? = nil) throws {
        let o = outcome ?? ((exitCode == 0 && (signal ?? 0) == 0) ? .success : .failure)
        let e = AuditEvent(action: .complete, outcome: o, exitCode: exitCode, signal: signal, durationNS: durationNS)
        try write(e, id: id)
    }

    private func body(_ e: AuditEvent, id: String) -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        w.member("event.id", id)
        w.member("event.action", e.action.rawValue)
        w.member("event.outcome", e.outcome.rawValue)
        w.bytes.append(0x2C)
        w.bytes.append(contentsOf: identity)
        w.member("process.pid", int: getpid())
        w.member("process.tty.name", tty)
        if e.action != .complete {
            w.member("process.working_directory", e.workingDirectory ?? currentDirectory())
        }
        w.member("process.command_line", e.commandLine.map { redactor.redact(commandLine: $0) })
        w.member("aegish.source.file", e.sourceFile)
        if let l = e.line { w.member("aegish.source.position", e.column.map { "\(l):\($0)" } ?? String(l)) }
        w.member("process.args", array: e.args.map { redactor.redact(args: $0) })
        w.member("process.executable", e.executable)
        w.member("file.path", e.filePath)
        w.member("rule.id", e.ruleID)
        w.member("event.reason", e.reason)
        for (k, v) in e.limit { w.member("limit." + k, v) }
        w.member("aegish.approver", e.approver)
        for (k, v) in e.extra {
            switch v {
            case .string(let s): w.member(k, redactor.redact(commandLine: s))
            case .int(let n): w.member(k, int: n)
            case .strings(let a): w.member(k, array: a.map { redactor.redact(commandLine: $0) })
            }
        }
        w.member("process.exit_code", int: e.exitCode)
        w.member("process.signal", int: e.signal)
        w.member("event.duration", int: e.durationNS)
        w.member("aegish.sandbox", e.sandbox)
        return w.bytes
    }

    private func assemble(timestamp: String, body: [UInt8], seq: Int, prev: Hash256) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(body.count + 160)
        line.append(contentsOf: #"{"@timestamp":""#.utf8)
        line.append(contentsOf: timestamp.utf8)
        line.append(contentsOf: #"","#.utf8)
        line.append(contentsOf: body)
        line.append(contentsOf: #","event.sequence":"#.utf8)
        line.append(contentsOf: String(seq).utf8)
        line.append(contentsOf: #","prev_hash":""#.utf8)
        line.append(contentsOf: prev.hex.utf8)
        line.append(contentsOf: #""}"#.utf8)
        return line
    }

    private func write(_ e: AuditEvent, id: String) throws {
        let b = body(e, id: id)
        try reopenIfNeeded()
        try lock()
        var (timestamp, seq, line): (String, Int, [UInt8])
        do {
            defer { unlock() }
            var st = stat()
            guard fstat(fd, &st) == 0 else { throw AuditError.from(errno: errno, path: path, operation: "fstat") }
            let size = Int(st.st_size)
            let tail: Tail
            if let e = lastEnd, e.dev == fileDev, e.ino == fileIno, e.size == size {
                tail = Tail(prevHash: e.line.withUnsafeBytes { Hash256(of: $0) }, prevSeq: e.seq, torn: nil)
            } else {
                tail = try readTail(size: size)
            }
            lastEnd = nil
            timestamp = rfc3339Now()
            var out: [UInt8] = []
            var prev = tail.prevHash
            seq = tail.prevSeq + 1
            if let torn = tail.torn {
                if torn.completeSeq != nil {
                    out.append(0x0A)
                } else {
                    out.append(0x0A)
                    let repair = assemble(timestamp: timestamp, body: repairBody(torn), seq: seq, prev: prev)
                    out.append(contentsOf: repair)
                    out.append(0x0A)
                    prev = repair.withUnsafeBytes { Hash256(of: $0) }
                    seq += 1
                }
            }
            line = assemble(timestamp: timestamp, body: b, seq: seq, prev: prev)
            out.append(contentsOf: line)
            out.append(0x0A)
            try writeAll(out, rollbackTo: size)
            lastEnd = (fileDev, fileIno, size + out.count, line, seq)
            if config.fsync {
                while fdatasync(fd) != 0 {
                    let err = errno
                    if err == EINTR { continue }
                    throw AuditError.from(errno: err, path: path, operation: "fdatasync")
                }
            }
        }
        if let syslog {
            let hash = line.withUnsafeBytes { Hash256(of: $0) }.hex
            let severity = e.outcome == .allowed || e.outcome == .success || e.outcome == .askedAllowed ? 6 : (e.action == .complete ? 6 : 5)
            var msg = "\(e.action.rawValue) \(e.outcome.rawValue) user=\(userName)"
            if let r = e.ruleID { msg += " rule=\(r)" }
            if let c = e.commandLine {
                var cl = redactor.redact(commandLine: c)
                if cl.utf8.count > 1024 { cl = String(decoding: cl.utf8.prefix(1024), as: UTF8.self) + "…" }
                msg += " cmd=" + jsonQuote(cl)
            }
            if let x = e.exitCode { msg += " exit=\(x)" }
            if let s = e.signal { msg += " signal=\(s)" }
            syslog.send(severity: severity, timestamp: timestamp, host: hostName, msgID: e.action.rawValue,
                        structured: [("id", id), ("session", sessionID), ("seq", String(seq)), ("hash", hash), ("file", path)],
                        message: msg)
        }
    }

    private func repairBody(_ t: Tail.Torn) -> [UInt8] {
        var w = JSONWriter(capacity: 320)
        w.member("event.id", randomHex(bytes: 16))
        w.member("event.action", AuditAction.repair.rawValue)
        w.member("event.outcome", AuditOutcome.repaired.rawValue)
        w.bytes.append(0x2C)
        w.bytes.append(contentsOf: identity)
        w.member("process.pid", int: getpid())
        w.member("event.reason", "the last line (\(t.length) bytes at offset \(t.offset)) was incomplete, a write cut short by a crash; terminated it, this record chains to the last complete record")
        w.member("repair.offset", int: t.offset)
        w.member("repair.length", int: t.length)
        return w.bytes
    }

    // MARK: - File mechanics

    private func lock() throws {
        var waitedNS: UInt64 = 0
        var sleepNS: UInt64 = 20_000
        let limitNS = UInt64(max(config.lockTimeoutMS, 0)) * 1_000_000
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let e = errno
            if e == EINTR { continue }
            guard e == EWOULDBLOCK else { throw AuditError.from(errno: e, path: path, operation: "flock") }
            if waitedNS >= limitNS { throw AuditError.lockTimeout(path: path, milliseconds: config.lockTimeoutMS) }
            var ts = timespec(tv_sec: Int(sleepNS / 1_000_000_000), tv_nsec: Int(sleepNS % 1_000_000_000))
            nanosleep(&ts, nil)
            waitedNS += sleepNS
            sleepNS = min(sleepNS * 2, 2_000_000)
        }
    }

    private func unlock() { _ = flock(fd, LOCK_UN) }

    private func writeAll(_ out: [UInt8], rollbackTo size: Int) throws {
        var off = 0
        try out.withUnsafeBytes { p in
            while off < p.count {
                let n = Glibc.write(fd, p.baseAddress! + off, p.count - off)
                if n > 0 { off += n; continue }
                let e = n == 0 ? ENOSPC : errno
                if e == EINTR { continue }
                if off > 0 { _ = ftruncate(fd, off_t(size)) }
                throw AuditError.from(errno: e, path: path, operation: "write")
            }
        }
    }

    struct Tail {
        struct Torn {
            var offset: Int
            var length: Int
            /// Set when the unterminated line is in fact a whole record (only its newline is missing).
            var completeSeq: Int?
        }
        var prevHash: Hash256
        var prevSeq: Int
        var torn: Torn?
    }

    private func pread(_ buf: inout [UInt8], at offset: Int) throws {
        var got = 0
        let want = buf.count
        try buf.withUnsafeMutableBytes { p in
            while got < want {
                let n = Glibc.pread(fd, p.baseAddress! + got, want - got, off_t(offset + got))
                if n > 0 { got += n; continue }
                if n < 0 && errno == EINTR { continue }
                throw AuditError.from(errno: n == 0 ? EIO : errno, path: path, operation: "read")
            }
        }
    }

    /// The chain state at the end of the file: hash and sequence of the last complete line, and
    /// the unterminated fragment after it, if any.
    func readTail(size: Int) throws -> Tail {
        if size == 0 { return Tail(prevHash: .genesis, prevSeq: 0, torn: nil) }
        var n = min(size, 8192)
        while true {
            let start = size - n
            var buf = [UInt8](repeating: 0, count: n)
            try pread(&buf, at: start)
            let endsWithNewline = buf[n - 1] == 0x0A
            // Index (in buf) just past the last complete line's newline, and of that newline.
            var lineEnd: Int  // position of the newline ending the last complete line, or -1
            if endsWithNewline {
                lineEnd = n - 1
            } else {
                var k = n - 1
                while k >= 0, buf[k] != 0x0A { k -= 1 }
                if k < 0 && start > 0 { n = min(size, n * 4); continue }
                lineEnd = k
            }
            var lineStart = -1
            if lineEnd >= 0 {
                var k = lineEnd - 1
                while k >= 0, buf[k] != 0x0A { k -= 1 }
                if k < 0 && start > 0 { n = min(size, n * 4); continue }
                lineStart = k + 1
            }
            var tail = Tail(prevHash: .genesis, prevSeq: 0, torn: nil)
            if lineEnd >= 0 {
                buf.withUnsafeBufferPointer { p in
                    let line = UnsafeBufferPointer(rebasing: p[lineStart..<lineEnd])
                    tail.prevHash = Hash256(of: UnsafeRawBufferPointer(line))
                    tail.prevSeq = recordSequence(line) ?? 0
                }
            }
            if !endsWithNewline {
                let fragStart = lineEnd + 1
                var torn = Tail.Torn(offset: start + fragStart, length: n - fragStart, completeSeq: nil)
                buf.withUnsafeBufferPointer { p in
                    let frag = UnsafeBufferPointer(rebasing: p[fragStart..<n])
                    if let s = recordSequence(frag) {
                        torn.completeSeq = s
                        tail.prevHash = Hash256(of: UnsafeRawBufferPointer(frag))
                        tail.prevSeq = s
                    }
                }
                tail.torn = torn
            }
            return tail
        }
    }
}

/// event.sequence of a line if it is a valid JSON object, else nil.
func recordSequence(_ line: UnsafeBufferPointer<UInt8>) -> Int? {
    var r = JSONReader(line)
    var seq: Int? = nil
    let key = Array("event.sequence".utf8)
    do {
        try r.topLevelObject(wants: { $0.elementsEqual(key) }, take: { _, v in seq = v.intValue })
    } catch { return nil }
    return seq
}
