import Glibc

// Which here-document or here-string standard input is, for the gate (GateRequest.stdinText): an
// interpreter fed code that way (`python3 - <<'EOF'`) can have it scanned before it runs.
//
// The text is remembered with the identity of the pipe it was fed through; a request gets it only
// while descriptor 0 is still that pipe. Whatever redirection came later (`<<EOF 0<file`), a
// function called with the here-document, a subshell: descriptor 0 itself says whether the
// program will read this text.

struct HereStdin {
    var text: String
    var dev: UInt64
    var ino: UInt64
}

extension Shell {
    /// Called after `text` was put on descriptor 0 through a new pipe.
    func noteHereStdin(_ text: String) {
        var st = stat()
        guard fstat(0, &st) == 0 else { hereStdin = nil; return }
        hereStdin = HereStdin(text: text, dev: UInt64(st.st_dev), ino: UInt64(st.st_ino))
    }

    /// The here-document text descriptor 0 reads now, or nil.
    func currentHereStdin() -> String? {
        guard let h = hereStdin else { return nil }
        var st = stat()
        guard fstat(0, &st) == 0, (st.st_mode & S_IFMT) == S_IFIFO, UInt64(st.st_dev) == h.dev, UInt64(st.st_ino) == h.ino else {
            return nil
        }
        return h.text
    }
}
