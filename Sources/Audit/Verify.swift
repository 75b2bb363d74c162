import Glibc

/// One finding of `verifyLog`.
public struct VerifyFinding: Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A record's bytes changed after it was written (the next record's prev_hash does not match).
        case edited
        /// Records are missing (a gap in event.sequence that is never filled).
        case deleted
        /// Records are present but out of order.
        case reordered
        /// A line that is not a valid record and was not repaired by a later writer.
        case malformed
        /// Note: a line cut short by a crash, terminated and explained by a log.repair record.
        case repaired
        /// Note: the last line is incomplete (a writer died mid-write; the next append repairs it).
        case tornTail = "torn_tail"
    }
    public var kind: Kind
    /// 1-based line number in the file.
    public var line: Int
    public var eventID: String?
    public var sequence: Int?
    public var message: String

    public var description: String {
        var s = "line \(line): \(kind.rawValue)"
        if let eventID { s += " (event \(eventID)" + (sequence.map { ", sequence \($0)" } ?? "") + ")" }
        return s + ": " + message
    }
}

/// What `verifyLog` found.
public struct VerifyReport: Sendable {
    public var path: String
    /// Valid records and lines (including malformed ones).
    public var records = 0
    public var lines = 0
    public var bytes = 0
    /// Tampering or corruption, in file order; the first is the first broken or missing record.
    public var problems: [VerifyFinding] = []
    /// Allowed irregularities: repaired crashes, a torn last line.
    public var notes: [VerifyFinding] = []
    /// Set when the file could not be read.
    public var error: String?
    /// event.sequence and hash of the last valid record: compare them with an external copy
    /// (syslog) to detect removal of the log's tail, which the chain alone cannot show.
    public var lastSequence = 0
    public var lastHash = auditGenesisHash
    public var seconds = 0.0

    /// No problem found (notes allowed).
    public var intact: Bool { error == nil && problems.isEmpty }
    public var firstProblem: VerifyFinding? { problems.first }
    public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / 1_048_576 / seconds : 0 }
}

/// Walks the log, streaming, and checks the hash chain and the sequence numbers.
public func verifyLog(path: String, maxProblems: Int = 100) -> VerifyReport {
    var report = VerifyReport(path: path)
    let t0 = monotonicNS()
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
        report.error = "\(path): \(String(cString: strerror(errno)))"
        return report
    }
    defer { close(fd) }
    var v = Verifier(maxProblems: maxProblems)
    let chunk = 1 << 20
    var buf = [UInt8](repeating: 0, count: chunk)
    var have = 0  // bytes in buf
    var fileOffset = 0  // offset of buf[0]
    var eof = false
    while !eof {
        if have == buf.count { buf.append(contentsOf: [UInt8](repeating: 0, count: buf.count)) }
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress! + have, $0.count - have) }
        if n < 0 {
            if errno == EINTR { continue }
            report.error = "\(path): read: \(String(cString: strerror(errno)))"
            return report
        }
        if n == 0 { eof = true } else { have += n; report.bytes += n }
        var consumed = 0
        buf.withUnsafeBufferPointer { p in
            var start = 0
            while let nl = memchrIndex(p, from: start, to: have) {
                v.line(UnsafeBufferPointer(rebasing: p[start..<nl]), offset: fileOffset + start, terminated: true)
                start = nl + 1
            }
            if eof && start < have {
                v.line(UnsafeBufferPointer(rebasing: p[start..<have]), offset: fileOffset + start, terminated: false)
                start = have
            }
            consumed = start
        }
        if consumed > 0 {
            buf.withUnsafeMutableBytes { p in
                if have > consumed { memmove(p.baseAddress!, p.baseAddress! + consumed, have - consumed) }
            }
            have -= consumed
            fileOffset += consumed
        }
    }
    v.finish()
    report.records = v.records
    report.lines = v.lineNo
    report.problems = v.problems.sorted { $0.line < $1.line }
    if report.problems.count > maxProblems { report.problems.removeLast(report.problems.count - maxProblems) }
    report.notes = v.notes
    report.lastSequence = v.q
    report.lastHash = v.H.hex
    report.seconds = Double(monotonicNS() - t0) / 1e9
    return report
}

private func memchrIndex(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
    guard from < to, let base = p.baseAddress else { return nil }
    guard let r = memchr(base + from, 0x0A, to - from) else { return nil }
    return base.distance(to: r.assumingMemoryBound(to: UInt8.self))
}

private let kSeq = Array("event.sequence".utf8)
private let kPrev = Array("prev_hash".utf8)
private let kID = Array("event.id".utf8)
private let kAction = Array("event.action".utf8)
private let kRepair = Array("repair.offset".utf8)

struct Verifier {
    let maxProblems: Int
    var lineNo = 0
    var records = 0
    var problems: [VerifyFinding] = []
    var notes: [VerifyFinding] = []

    /// Chain state: hash and sequence of the last valid record, its line and id; highest sequence.
    var H = Hash256.genesis
    var q = 0
    var M = 0
    var prevLine = 0
    var prevID: String?
    /// Recent records by hash → (sequence, line), to recognise links to misplaced records.
    var window: [Hash256: (Int, Int)] = [:]
    var ring: [Hash256] = []
    var ringNext = 0
    let windowSize = 4096
    /// A line that was not a valid record, waiting to see whether a repair record explains it.
    var pendingBad: (line: Int, offset: Int, length: Int, terminated: Bool)?
    /// Sequence gaps not yet explained: where found, which numbers are missing.
    struct Gap { var line: Int; var after: Int; var missing: Set<Int>; var afterLine: Int }
    var gaps: [Gap] = []

    init(maxProblems: Int) { self.maxProblems = maxProblems }

    mutating func problem(_ k: VerifyFinding.Kind, _ line: Int, _ id: String?, _ seq: Int?, _ m: String) {
        if problems.count < maxProblems * 4 { problems.append(VerifyFinding(kind: k, line: line, eventID: id, sequence: seq, message: m)) }
    }

    mutating func line(_ p: UnsafeBufferPointer<UInt8>, offset: Int, terminated: Bool) {
        lineNo += 1
        var r = JSONReader(p)
        var seq: Int?, prev: Hash256?, id: String?, action: String?, repairOffset: Int?
        let ok: Bool
        do {
            try r.topLevelObject(wants: { k in
                k.elementsEqual(kSeq) || k.elementsEqual(kPrev) || k.elementsEqual(kID) || k.elementsEqual(kAction) || k.elementsEqual(kRepair)
            }, take: { k, v in
                if k.elementsEqual(kSeq) { seq = v.intValue }
                else if k.elementsEqual(kPrev) { prev = v.stringValue.flatMap { Hash256(hex: $0) } }
                else if k.elementsEqual(kID) { id = v.stringValue }
                else if k.elementsEqual(kAction) { action = v.stringValue }
                else { repairOffset = v.intValue }
            })
            ok = true
        } catch { ok = false }
        guard ok, let s = seq, let p0 = prev else {
            if let bad = pendingBad { reportBad(bad) }
            pendingBad = (lineNo, offset, p.count, terminated)
            return
        }
        records += 1
        let h = Hash256(of: UnsafeRawBufferPointer(p))
        var explainedByBad = false
        if let bad = pendingBad {
            if action == AuditAction.repair.rawValue, repairOffset == bad.offset {
                notes.append(VerifyFinding(kind: .repaired, line: bad.line, eventID: nil, sequence: nil,
                                           message: "\(bad.length) bytes at offset \(bad.offset) were a record cut short by a crash; repaired by line \(lineNo)"))
            } else {
                reportBad(bad)
                explainedByBad = true
            }
            pendingBad = nil
        }
        // A sequence number some earlier gap was waiting for: the records were reordered.
        var resolved = false
        for g in gaps.indices where gaps[g].missing.contains(s) {
            gaps[g].missing.remove(s)
            problem(.reordered, gaps[g].line, id, s,
                    "records out of order: line \(gaps[g].line) follows sequence \(gaps[g].after) (line \(gaps[g].afterLine)) but sequence \(s) comes later, at line \(lineNo)")
            resolved = true
        }
        gaps.removeAll { $0.missing.isEmpty }
        if p0 == H && s == q + 1 {
            // Intact.
        } else if p0 == H {
            problem(.edited, lineNo, id, s, "sequence \(s) does not follow \(q) although prev_hash matches line \(prevLine): this record's sequence was altered")
        } else if explainedByBad && s == q + 2 {
            // The malformed line took the place of record q+1: already reported.
        } else if let (ps, pl) = window[p0], ps == s - 1 {
            if s != M + 1 && !resolved {
                problem(.reordered, lineNo, id, s, "record out of order: it chains to sequence \(ps) at line \(pl), but follows sequence \(q)")
            }
        } else if resolved {
            // Reported with the gap.
        } else if s == q + 1 && prevLine == 0 {
            problem(.edited, lineNo, id, s, "the first record does not chain to the genesis value: its prev_hash was altered")
        } else if s == q + 1 {
            problem(.edited, prevLine, prevID, q, "this record was altered after it was written: its hash does not match the prev_hash recorded by line \(lineNo)")
        } else if s > q + 1 {
            let missing = s - q - 1
            gaps.append(Gap(line: lineNo, after: q, missing: Set((q + 1)..<min(s, q + 1 + 100_000)), afterLine: prevLine))
            _ = missing
        } else {
            problem(.reordered, lineNo, id, s, "sequence \(s) follows \(q) and its prev_hash matches no earlier record: moved, duplicated or altered")
        }
        H = h
        q = s
        M = max(M, s)
        prevLine = lineNo
        prevID = id
        if ring.count < windowSize { ring.append(h) } else { window[ring[ringNext]] = nil; ring[ringNext] = h; ringNext = (ringNext + 1) % windowSize }
        window[h] = (s, lineNo)
    }

    mutating func reportBad(_ bad: (line: Int, offset: Int, length: Int, terminated: Bool)) {
        problem(.malformed, bad.line, nil, nil, "not a valid record (\(bad.length) bytes at offset \(bad.offset)) and no log.repair record explains it: edited or corrupted")
    }

    mutating func finish() {
        if let bad = pendingBad {
            if !bad.terminated {
                notes.append(VerifyFinding(kind: .tornTail, line: bad.line, eventID: nil, sequence: nil,
                                           message: "the last \(bad.length) bytes are an incomplete record (a writer died mid-write); the next append will repair it"))
            } else {
                reportBad(bad)
            }
            pendingBad = nil
        }
        for g in gaps {
            let lo = g.missing.min() ?? 0, hi = g.missing.max() ?? 0
            let which = lo == hi ? "record \(lo) is" : "\(g.missing.count) records (\(lo)…\(hi)) are"
            let whereText = g.after == 0 ? "before line \(g.line) (the start of the file)" : "between line \(g.afterLine) and line \(g.line)"
            problem(.deleted, g.line, nil, lo, "sequence \(which) missing \(whereText): deleted")
        }
    }
}
