import Glibc
import CEdit
import CEditShim

// Where typed lines come from: libedit on a terminal (editing, history, completion), or plain
// reads when standard input or output is not a terminal (`aegish -i < file`).

enum ReadResult: Equatable {
    case line(String)
    /// Ctrl-C while editing: the line (and any unfinished command) is dropped.
    case interrupted
    /// Ctrl-D on an empty line, or the terminal went away.
    case endOfInput
    /// The line is not valid UTF-8: aegish runs nothing it cannot represent exactly.
    case invalid
}

protocol LineSource: AnyObject {
    func read(prompt: String) -> ReadResult
    /// Makes `entry` recallable with Up.
    func addHistory(_ entry: String)
    func close()
}

/// libedit, in emacs mode, reading the terminal on fd 0 and drawing on fd 1.
final class EditorSource: LineSource {
    private var el: OpaquePointer?
    /// Kept alive while libedit holds a pointer to it (client data).
    private let completer: Completer?

    init?(completer: Completer?, historySize: Int) {
        _ = aegish_el_utf8_locale()
        guard let el = aegish_el_open("aegish", Int32(clamping: historySize)) else { return nil }
        self.el = el
        self.completer = completer
        if let completer {
            aegish_el_set_clientdata(el, Unmanaged.passUnretained(completer).toOpaque())
            aegish_el_set_completer(el, completeKey)
        }
    }

    func read(prompt: String) -> ReadResult {
        guard let el else { return .endOfInput }
        el_resize(el)  // the window may have changed size while a program ran
        aegish_el_set_prompt(el, prompt)
        var count: Int32 = 0
        let p = el_gets(el, &count)
        if aegish_el_take_interrupt() != 0 { return .interrupted }
        guard let p, count > 0 else { return .endOfInput }
        let bytes = UnsafeRawBufferPointer(start: p, count: Int(count))
        guard let s = String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) else { return .invalid }
        return .line(s)
    }

    func addHistory(_ entry: String) {
        guard let el else { return }
        aegish_el_history_add(el, entry)
    }

    func close() {
        if let el { aegish_el_close(el) }
        el = nil
    }
}

/// libedit calls this for Tab, with the Completer as client data.
private let completeKey: @convention(c) (OpaquePointer?, Int32) -> UInt8 = { el, _ in
    guard let el, let data = aegish_el_clientdata(el) else { return UInt8(CC_REFRESH_BEEP) }
    return Unmanaged<Completer>.fromOpaque(data).takeUnretainedValue().complete(el)
}

/// Lines read byte by byte (no more than the line: what follows belongs to the commands run),
/// the prompt written to stderr as sh does.
final class PlainSource: LineSource {
    let fd: Int32
    init(fd: Int32) { self.fd = fd }

    func read(prompt: String) -> ReadResult {
        writeAll(2, plainPrompt(prompt))
        var bytes: [UInt8] = []
        var b: UInt8 = 0
        while true {
            let n = Glibc.read(fd, &b, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes.append(b)
            if b == 0x0A { break }
        }
        if bytes.isEmpty { return .endOfInput }
        guard let s = String(validating: bytes, as: UTF8.self) else { return .invalid }
        return .line(s)
    }

    func addHistory(_ entry: String) {}
    func close() {}
}

func writeAll(_ fd: Int32, _ s: String) {
    var s = s
    s.withUTF8 { b in
        var off = 0
        while off < b.count {
            let n = write(fd, b.baseAddress! + off, b.count - off)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            off += n
        }
    }
}
