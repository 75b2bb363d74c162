// The per-user state file `<state_dir>/<uid>`.
//
// Layout: two slots of 64 KiB, at offsets 0 and 65536. Each update writes the whole new state
// into the slot that does NOT hold the current state (one pwrite), so a crash or kill -9 in the
// middle of a write leaves the previous state intact in the other slot; readers take the valid
// slot with the higher sequence number. The file is opened, flock(LOCK_EX)ed, read, updated and
// written in place, never renamed, so the lock and the data are the same inode.
//
// Slot (little-endian):
//    0  u32  magic 0x4C524741 ("AGRL")
//    4  u16  version (1)
//    6  u16  0
//    8  u64  sequence (+1 per write)
//   16  u32  payload length (≤ 65504)
//   20  u32  0
//   24  u64  FNV-1a-64 of bytes 8..<24 and the payload
//   32  payload:
//        u32 class count, then per class:
//          u8 id length, id bytes (UTF-8), u32 window s, u32 bucket width s, u16 bucket count,
//          buckets, oldest first: i64 start (CLOCK_BOOTTIME seconds, a multiple of the width),
//                                 u32 operations, u32 targets (saturating)
// Size bound: ≤ 65 buckets per class (width = ceil(window/64)), ≤ 48 classes in a config (plus
// classes of an older config kept until their window passes, dropped first when full): under
// 60 KiB per slot, typically a few hundred bytes. Only the used part of a slot is read or written.
//
// Reading: no valid slot in a non-empty file is corruption (fail closed) — except when slot 0
// was never written (all-zero or absent header), which only happens when the very first write
// (which goes to slot 1) was interrupted: that is an empty state.
import Glibc

struct Bucket: Equatable {
    var start: Int64
    var ops: UInt32
    var targets: UInt32
}

struct ClassState: Equatable {
    var id: String
    var window: Int
    var width: Int
    var buckets: [Bucket]  // oldest first

    func live(_ b: Bucket, now: Int64) -> Bool { b.start + Int64(width) > now - Int64(window) }
    /// When `b` leaves the window.
    func expiry(_ b: Bucket) -> Int64 { b.start + Int64(width) + Int64(window) }

    /// Drop buckets that left the window; pull buckets "from the future" (the clock went back,
    /// or the machine rebooted: CLOCK_BOOTTIME restarts at 0) to now, so they stay a full window.
    /// Returns true if a bucket was pulled (the state must then be written even if nothing is
    /// counted, or the next check would pull it again, to a later now).
    @discardableResult
    mutating func prune(now: Int64) -> Bool {
        var pulled = false
        let nowStart = now - now % Int64(width)
        var out: [Bucket] = []
        out.reserveCapacity(buckets.count + 1)
        for var b in buckets {
            if b.start > nowStart { b.start = nowStart; pulled = true }
            guard live(b, now: now) else { continue }
            if let last = out.last, last.start >= b.start {
                // Merge into the newest bucket (a clamped or re-widthed bucket).
                out[out.count - 1].ops = last.ops.addingReportingOverflow(b.ops).overflow ? .max : last.ops + b.ops
                out[out.count - 1].targets = last.targets.addingReportingOverflow(b.targets).overflow ? .max : last.targets + b.targets
            } else {
                out.append(b)
            }
        }
        buckets = out
        return pulled
    }

    /// Change the window (the policy was edited): re-bucket to the new width.
    mutating func rewindow(_ window: Int, width: Int) {
        guard window != self.window || width != self.width else { return }
        self.window = window; self.width = width
        buckets = buckets.map { Bucket(start: $0.start - (($0.start % Int64(width)) + Int64(width)) % Int64(width), ops: $0.ops, targets: $0.targets) }
        buckets.sort { $0.start < $1.start }
    }

    var operations: Int { buckets.reduce(0) { $0 + Int($1.ops) } }
    var targets: Int { buckets.reduce(0) { $0 + Int($1.targets) } }

    mutating func add(now: Int64, ops: Int, targets: Int) {
        let s = now - now % Int64(width)
        let o = UInt32(clamping: ops), t = UInt32(clamping: targets)
        if let last = buckets.last, last.start == s {
            let k = buckets.count - 1
            buckets[k].ops = UInt32(clamping: Int(buckets[k].ops) + Int(o))
            buckets[k].targets = UInt32(clamping: Int(buckets[k].targets) + Int(t))
        } else {
            buckets.append(Bucket(start: s, ops: o, targets: t))
        }
    }
}

struct LimitState: Equatable {
    var seq: UInt64 = 0
    var classes: [ClassState] = []
}

// MARK: - Encoding

let stateMagic: UInt32 = 0x4C52_4741
let stateVersion: UInt16 = 1
let slotSize = 65536
let slotHeader = 32
let maxStoredClasses = 96

@inline(__always) func fnv1a(_ h: inout UInt64, _ bytes: UnsafeRawBufferPointer) {
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
}

struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
}

struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var at = 0
    mutating func take(_ n: Int) -> UnsafeRawBufferPointer? {
        guard n >= 0, at + n <= bytes.count else { return nil }
        defer { at += n }
        return UnsafeRawBufferPointer(rebasing: bytes[at..<(at + n)])
    }
    mutating func u8() -> UInt8? { take(1).map { $0[0] } }
    mutating func u16() -> UInt16? { take(2).map { UInt16(littleEndian: $0.loadUnaligned(as: UInt16.self)) } }
    mutating func u32() -> UInt32? { take(4).map { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) } }
    mutating func u64() -> UInt64? { take(8).map { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) } }
}

/// The whole slot (header + payload) for `state`, or nil if it does not fit.
func encodeSlot(_ state: LimitState) -> [UInt8]? {
    var w = ByteWriter()
    w.bytes.reserveCapacity(64 + state.classes.count * 64)
    w.u32(stateMagic); w.u16(stateVersion); w.u16(0)
    w.u64(state.seq); w.u32(0); w.u32(0); w.u64(0)
    w.u32(UInt32(state.classes.count))
    for c in state.classes {
        let id = Array(c.id.utf8)
        guard id.count <= 255, c.buckets.count <= Int(UInt16.max) else { return nil }
        w.u8(UInt8(id.count)); w.bytes.append(contentsOf: id)
        w.u32(UInt32(clamping: c.window)); w.u32(UInt32(clamping: c.width)); w.u16(UInt16(c.buckets.count))
        for b in c.buckets { w.u64(UInt64(bitPattern: b.start)); w.u32(b.ops); w.u32(b.targets) }
    }
    let len = w.bytes.count - slotHeader
    guard w.bytes.count <= slotSize else { return nil }
    w.bytes.withUnsafeMutableBytes { p in
        p.storeBytes(of: UInt32(len).littleEndian, toByteOffset: 16, as: UInt32.self)
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        fnv1a(&h, UnsafeRawBufferPointer(rebasing: p[8..<24]))
        fnv1a(&h, UnsafeRawBufferPointer(rebasing: p[slotHeader...]))
        p.storeBytes(of: h.littleEndian, toByteOffset: 24, as: UInt64.self)
    }
    return w.bytes
}

func decodePayload(_ p: UnsafeRawBufferPointer, seq: UInt64) -> LimitState? {
    var r = ByteReader(bytes: p)
    guard let n = r.u32(), n <= UInt32(maxStoredClasses) else { return nil }
    var st = LimitState(seq: seq, classes: [])
    for _ in 0..<n {
        guard let idLen = r.u8(), idLen > 0, let idBytes = r.take(Int(idLen)),
              let window = r.u32(), let width = r.u32(), let count = r.u16(),
              window >= 1, width >= 1 else { return nil }
        guard let id = String(validating: idBytes, as: UTF8.self) else { return nil }
        var buckets: [Bucket] = []
        buckets.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let s = r.u64(), let o = r.u32(), let t = r.u32() else { return nil }
            buckets.append(Bucket(start: Int64(bitPattern: s), ops: o, targets: t))
        }
        st.classes.append(ClassState(id: id, window: Int(window), width: Int(width), buckets: buckets))
    }
    guard r.at == p.count else { return nil }
    return st
}

// MARK: - File I/O

enum SlotRead {
    case state(LimitState, slot: Int?)  // slot: where the current state is (nil: none yet)
    case corrupt(String)
    case ioError(Int32)
}

private func preadFull(_ fd: Int32, _ buf: UnsafeMutableRawBufferPointer, _ offset: Int) -> Int {
    var done = 0
    while done < buf.count {
        let n = pread(fd, buf.baseAddress! + done, buf.count - done, off_t(offset + done))
        if n < 0 { if errno == EINTR { continue }; return -1 }
        if n == 0 { break }
        done += n
    }
    return done
}

func readSlots(_ fd: Int32) -> SlotRead {
    var st = stat()
    guard fstat(fd, &st) == 0 else { return .ioError(errno) }
    let size = Int(st.st_size)
    if size == 0 { return .state(LimitState(), slot: nil) }
    var best: (LimitState, Int)? = nil
    var slot0Blank = true
    var header = [UInt8](repeating: 0, count: slotHeader)
    for slot in 0..<2 {
        let off = slot * slotSize
        guard size >= off + slotHeader else { continue }
        let got = header.withUnsafeMutableBytes { preadFull(fd, $0, off) }
        if got < 0 { return .ioError(errno) }
        guard got == slotHeader else { continue }
        if slot == 0 { slot0Blank = header.allSatisfy { $0 == 0 } }
        let parsed: (UInt64, Int, UInt64)? = header.withUnsafeBytes { h in
            guard UInt32(littleEndian: h.loadUnaligned(fromByteOffset: 0, as: UInt32.self)) == stateMagic,
                  UInt16(littleEndian: h.loadUnaligned(fromByteOffset: 4, as: UInt16.self)) == stateVersion
            else { return nil }
            let seq = UInt64(littleEndian: h.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            let len = Int(UInt32(littleEndian: h.loadUnaligned(fromByteOffset: 16, as: UInt32.self)))
            let sum = UInt64(littleEndian: h.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
            return (seq, len, sum)
        }
        guard let (seq, len, sum) = parsed, len <= slotSize - slotHeader, size >= off + slotHeader + len else { continue }
        if let b = best, b.0.seq >= seq { continue }
        var payload = [UInt8](repeating: 0, count: len)
        let pgot = payload.withUnsafeMutableBytes { preadFull(fd, $0, off + slotHeader) }
        if pgot < 0 { return .ioError(errno) }
        guard pgot == len else { continue }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        header.withUnsafeBytes { fnv1a(&h, UnsafeRawBufferPointer(rebasing: $0[8..<24])) }
        payload.withUnsafeBytes { fnv1a(&h, $0) }
        guard h == sum, let state = payload.withUnsafeBytes({ decodePayload($0, seq: seq) }) else { continue }
        best = (state, slot)
    }
    if let best { return .state(best.0, slot: best.1) }
    if slot0Blank { return .state(LimitState(), slot: nil) }  // the first write was interrupted
    return .corrupt("no valid record in the state file (\(size) bytes)")
}

/// Write `state` into the slot other than `current` (slot 1 for the very first write).
/// Returns 0 or an errno (EFBIG when the state does not fit a slot).
func writeSlot(_ fd: Int32, _ state: LimitState, current: Int?, durable: Bool) -> Int32 {
    guard let bytes = encodeSlot(state) else { return EFBIG }
    let slot = current == 1 ? 0 : 1
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, bytes.count - done, off_t(slot * slotSize + done)) }
        if n < 0 { if errno == EINTR { continue }; return errno }
        done += n
    }
    if durable && fdatasync(fd) != 0 { return errno }
    return 0
}
