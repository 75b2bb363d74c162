import Glibc
import CEdit
import CEditShim
import Interp
import Syntax

// Tab completion that offers only what the policy would let the user do: command names (builtins,
// functions, and programs in the policy's search path that the gate would let run) and paths the
// gate would let the user read (files) or enter (directories). The gate is asked through
// `completionAllows`, which logs and counts nothing. Tab completes as far as the candidates
// agree; a second Tab lists them.

final class Completer {
    let shell: Shell
    let gate: Gate
    /// The line and cursor at the last Tab that could not complete further (a second Tab lists).
    private var lastAmbiguous: (String, Int)? = nil
    /// At most this many candidates are listed.
    let listLimit = 300

    init(shell: Shell, gate: Gate) {
        self.shell = shell
        self.gate = gate
    }

    /// The Tab key (called by libedit). Returns a libedit CC_* code.
    func complete(_ el: OpaquePointer) -> UInt8 {
        guard let li = el_line(el) else { return UInt8(CC_REFRESH_BEEP) }
        let start = UnsafeRawPointer(li.pointee.buffer!)
        let cursor = UnsafeRawPointer(li.pointee.cursor!) - start
        let beforeBytes = UnsafeRawBufferPointer(start: start, count: cursor)
        let before = String(decoding: beforeBytes, as: UTF8.self)
        let word = currentWord(before)
        let found = candidates(for: word)
        guard !found.isEmpty else { return UInt8(CC_REFRESH_BEEP) }

        let typed = word.text
        if found.count == 1 {
            let c = found[0]
            var insert = quoteForInsert(String(c.name.dropFirst(typed.count)), word: word)
            if c.isDirectory { insert += "/" } else { insert += (word.quote.map { String($0) } ?? "") + " " }
            lastAmbiguous = nil
            return el_insertstr(el, insert) == 0 ? UInt8(CC_REFRESH) : UInt8(CC_REFRESH_BEEP)
        }
        let common = commonPrefix(found.map(\.name))
        if common.count > typed.count {
            lastAmbiguous = nil
            let insert = quoteForInsert(String(common.dropFirst(typed.count)), word: word)
            return el_insertstr(el, insert) == 0 ? UInt8(CC_REFRESH) : UInt8(CC_REFRESH_BEEP)
        }
        let state = (before, cursor)
        if let last = lastAmbiguous, last == state {
            list(found, columns: Int(aegish_el_columns(el)))
            return UInt8(CC_REDISPLAY)
        }
        lastAmbiguous = state
        return UInt8(CC_REFRESH_BEEP)
    }

    struct Candidate: Equatable {
        var name: String
        var isDirectory = false
    }

    /// The candidates for the word under the cursor, sorted, without duplicates.
    func candidates(for word: Word) -> [Candidate] {
        let t = word.text
        var out: [Candidate]
        if word.commandPosition && !t.contains("/") && !t.hasPrefix("~") {
            out = commands(prefix: t)
        } else {
            out = paths(t, executables: word.commandPosition)
        }
        out.sort { $0.name < $1.name }
        var seen = Set<String>()
        return out.filter { seen.insert($0.name).inserted }
    }

    /// Builtins, functions, and programs the gate would let run.
    func commands(prefix: String) -> [Candidate] {
        var out = (Shell.builtinNames + shell.functionNames).filter { $0.hasPrefix(prefix) }.map { Candidate(name: $0) }
        var seen = Set(out.map(\.name))
        for dir in shell.commandSearchPath where dir.hasPrefix("/") {
            for name in entries(of: dir, prefix: prefix) where !seen.contains(name) {
                let path = dir + "/" + name
                guard isExecutableFile(path), allows(.exec, argv: [name], path: path) else { continue }
                seen.insert(name)
                out.append(Candidate(name: name))
            }
        }
        return out
    }

    /// Entries of the directory part of `word` that start with its last part: directories the
    /// gate would let the user enter, and files it would let the user read (or, in command
    /// position, run).
    func paths(_ word: String, executables: Bool) -> [Candidate] {
        var dirPart = "", base = word
        if let slash = word.lastIndex(of: "/") {
            dirPart = String(word[...slash])
            base = String(word[word.index(after: slash)...])
        } else if word.hasPrefix("~") {
            return []   // ~user names are not offered
        }
        guard let dir = absoluteDirectory(dirPart) else { return [] }
        var out: [Candidate] = []
        for name in entries(of: dir, prefix: base) {
            if base.isEmpty && name.hasPrefix(".") { continue }
            let path = (dir == "/" ? "" : dir) + "/" + name
            var st = stat()
            guard stat(path, &st) == 0 else { continue }
            let isDir = (st.st_mode & S_IFMT) == S_IFDIR
            let ok: Bool
            if isDir {
                ok = allows(.cd, argv: [], path: path)
            } else if executables {
                ok = isExecutableFile(path) && allows(.exec, argv: [name], path: path)
            } else {
                ok = allows(.open(.read), argv: [], path: path)
            }
            if ok { out.append(Candidate(name: dirPart + name, isDirectory: isDir)) }
        }
        return out
    }

    private func allows(_ action: GateAction, argv: [String], path: String) -> Bool {
        gate.completionAllows(GateRequest(action: action, argv: argv, path: path, cwd: shell.workingDirectory,
                                          environment: [], pos: .none))
    }

    /// `dir/` as typed (relative, absolute, `~/`) → an absolute directory.
    private func absoluteDirectory(_ typed: String) -> String? {
        var d = typed
        if d.hasPrefix("~/") || d == "~" {
            guard let home = shell.variable("HOME"), home.hasPrefix("/") else { return nil }
            d = home + d.dropFirst(1)
        }
        if d.isEmpty { return shell.workingDirectory }
        if !d.hasPrefix("/") { d = (shell.workingDirectory == "/" ? "" : shell.workingDirectory) + "/" + d }
        while d.count > 1 && d.hasSuffix("/") { d.removeLast() }
        return d
    }

    private func entries(of dir: String, prefix: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw -> String in
                let bytes = raw.prefix { $0 != 0 }
                return String(decoding: bytes, as: UTF8.self)
            }
            if name == "." || name == ".." || !name.hasPrefix(prefix) { continue }
            out.append(name)
        }
        return out
    }

    private func isExecutableFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }

    /// Prints candidates in columns below the line (libedit redraws the prompt after).
    private func list(_ found: [Candidate], columns: Int) {
        // Paths are listed by their last component, as shells do.
        let shown = found.prefix(listLimit).map { c -> String in
            let last = c.name.split(separator: "/").last.map(String.init) ?? c.name
            return last + (c.isDirectory ? "/" : "")
        }
        let width = (shown.map(\.count).max() ?? 0) + 2
        let perLine = max(1, columns / max(width, 1))
        let rows = (shown.count + perLine - 1) / perLine
        var text = "\n"
        for r in 0..<rows {
            var line = ""
            for c in 0..<perLine {
                let i = c * rows + r
                guard i < shown.count else { continue }
                let s = shown[i]
                line += (c == perLine - 1 || i + rows >= shown.count) ? s : s + String(repeating: " ", count: width - s.count)
            }
            text += line + "\n"
        }
        if found.count > listLimit { text += "… and \(found.count - listLimit) more\n" }
        writeAll(1, text)
    }
}

/// The word under the cursor: its text as the shell will see it (quotes and backslashes
/// removed), the quote it is open in, and whether a command name goes there.
struct Word: Equatable {
    var text: String
    var quote: Character?
    var commandPosition: Bool
}

private let reservedBeforeCommand: Set<String> = ["then", "do", "else", "elif", "if", "while", "until", "!", "{", "time"]

/// Splits the text before the cursor into words the way the shell would, enough to find the
/// word being completed and whether it is in command position.
func currentWord(_ before: String) -> Word {
    var words: [String] = []       // earlier words of the current simple command
    var text = ""
    var inWord = false
    var quote: Character? = nil
    var escaped = false
    func endWord() {
        if inWord { words.append(text) }
        text = ""
        inWord = false
    }
    for ch in before {
        if escaped { text.append(ch); escaped = false; inWord = true; continue }
        if let q = quote {
            if ch == q { quote = nil } else if ch == "\\" && q == "\"" { escaped = true } else { text.append(ch) }
            continue
        }
        switch ch {
        case "\\": escaped = true; inWord = true
        case "'", "\"": quote = ch; inWord = true
        case " ", "\t": endWord()
        case ";", "|", "&", "(", ")", "\n", "`":
            endWord()
            words.removeAll()
        case "<", ">":
            endWord()
            words.append(">")   // a redirection target follows: not a command name
        default:
            text.append(ch)
            inWord = true
        }
    }
    let commandPosition = words.allSatisfy { w in
        reservedBeforeCommand.contains(w) || (w.contains("=") && !w.hasPrefix("=") && !w.hasPrefix(">"))
    } && !(words.last == ">")
    return Word(text: text, quote: quote, commandPosition: commandPosition)
}

/// The text to insert for a completed part: backslash-escaped outside quotes.
func quoteForInsert(_ s: String, word: Word) -> String {
    if let q = word.quote {
        return q == "'" ? s.replacingAll("'", with: "'\\''") : s.replacingEach(in: "\"\\$`", prefix: "\\")
    }
    return s.replacingEach(in: " \t\n'\"\\$`&;|()<>*?[]#!{}~", prefix: "\\")
}

func commonPrefix(_ names: [String]) -> String {
    guard var p = names.first else { return "" }
    for n in names.dropFirst() {
        while !n.hasPrefix(p) { p.removeLast() }
        if p.isEmpty { break }
    }
    return p
}

extension String {
    fileprivate func replacingEach(in set: String, prefix: String) -> String {
        var out = ""
        for ch in self {
            if set.contains(ch) { out += prefix }
            out.append(ch)
        }
        return out
    }
    fileprivate func replacingAll(_ target: Character, with r: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += r } else { out.append(ch) } }
        return out
    }
}
