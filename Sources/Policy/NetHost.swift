// Host names, IP literals, host patterns and URL parsing: the pieces every network decision is
// made of. Everything is by hand (no Foundation, no resolver): DNS is never consulted.

/// `%XX` decoded to bytes; nil for a malformed escape.
func percentDecode(_ s: String) -> [UInt8]? {
    var out: [UInt8] = []
    let b = Array(s.utf8)
    var i = 0
    while i < b.count {
        if b[i] == UInt8(ascii: "%") {
            guard i + 2 < b.count, let h = hexVal(b[i + 1]), let l = hexVal(b[i + 2]) else { return nil }
            out.append(h << 4 | l)
            i += 3
        } else {
            out.append(b[i]); i += 1
        }
    }
    return out
}

private func hexVal(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
}

// MARK: - IP literals

/// IPv4 the way inet_aton and the WHATWG URL parser read it: 1–4 parts, each decimal, octal
/// (leading 0) or hex (0x); the last part fills the remaining bytes (`127.1`, `2130706433`,
/// `0x7f.1`). A trailing dot is allowed. nil if it is not such a number.
func parseIPv4(_ s: String) -> UInt32? {
    var parts = s.split(separator: ".", omittingEmptySubsequences: false)
    if parts.count > 1, parts.last == "" { parts.removeLast() }
    guard (1...4).contains(parts.count) else { return nil }
    var nums: [UInt64] = []
    for p in parts {
        guard let n = parseIPv4Part(p) else { return nil }
        nums.append(n)
    }
    for n in nums.dropLast() where n > 255 { return nil }
    let lastLimit: UInt64 = 1 << (8 * UInt64(5 - nums.count))
    guard nums.last! < lastLimit else { return nil }
    var v: UInt64 = nums.last!
    for (i, n) in nums.dropLast().enumerated() { v |= n << (8 * UInt64(3 - i)) }
    return UInt32(v)
}

private func parseIPv4Part(_ p: Substring) -> UInt64? {
    guard !p.isEmpty else { return nil }
    var digits = p, radix: UInt64 = 10
    if p.count >= 2 && (p.hasPrefix("0x") || p.hasPrefix("0X")) {
        digits = p.dropFirst(2); radix = 16
        if digits.isEmpty { return 0 }
    } else if p.count >= 2 && p.hasPrefix("0") {
        digits = p.dropFirst(); radix = 8
    }
    var v: UInt64 = 0
    for ch in digits {
        guard let d = ch.hexDigitValue, UInt64(d) < radix else { return nil }
        v = v * radix + UInt64(d)
        if v > 0xFFFF_FFFF { return nil }
    }
    return v
}

func formatIPv4(_ v: UInt32) -> String {
    "\(v >> 24).\((v >> 16) & 255).\((v >> 8) & 255).\(v & 255)"
}

/// Eight 16-bit groups; nil if `s` is not an IPv6 address (zone ids are refused).
func parseIPv6(_ s: String) -> [UInt16]? {
    guard s.contains(":"), !s.contains("%") else { return nil }
    let halves = s.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
    guard halves.count <= 2 else { return nil }
    func groups(_ part: String, allowV4: Bool) -> [UInt16]? {
        if part.isEmpty { return [] }
        var out: [UInt16] = []
        let fields = part.split(separator: ":", omittingEmptySubsequences: false)
        for (i, f) in fields.enumerated() {
            if allowV4 && i == fields.count - 1 && f.contains(".") {
                // Embedded dotted quad, strictly decimal.
                let q = f.split(separator: ".", omittingEmptySubsequences: false)
                guard q.count == 4 else { return nil }
                var bytes: [UInt16] = []
                for x in q {
                    guard !x.isEmpty, x.count <= 3, x.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt16(x), n <= 255,
                          !(x.count > 1 && x.hasPrefix("0")) else { return nil }
                    bytes.append(n)
                }
                out.append(bytes[0] << 8 | bytes[1]); out.append(bytes[2] << 8 | bytes[3])
                continue
            }
            guard (1...4).contains(f.count), let n = UInt16(f, radix: 16), f.allSatisfy({ $0.isHexDigit }) else { return nil }
            out.append(n)
        }
        return out
    }
    if halves.count == 1 {
        guard let g = groups(halves[0], allowV4: true), g.count == 8 else { return nil }
        return g
    }
    guard let a = groups(halves[0], allowV4: false), let b = groups(halves[1], allowV4: true), a.count + b.count <= 7 else { return nil }
    return a + [UInt16](repeating: 0, count: 8 - a.count - b.count) + b
}

/// RFC 5952 text: lowercase, no leading zeros, the longest run (≥ 2) of zero groups as `::`.
func formatIPv6(_ g: [UInt16]) -> String {
    var bestStart = -1, bestLen = 0, i = 0
    while i < 8 {
        if g[i] == 0 {
            var j = i
            while j < 8 && g[j] == 0 { j += 1 }
            if j - i > bestLen && j - i >= 2 { bestStart = i; bestLen = j - i }
            i = j
        } else { i += 1 }
    }
    func hex(_ r: ArraySlice<UInt16>) -> String { r.map { String($0, radix: 16) }.joined(separator: ":") }
    if bestStart < 0 { return hex(g[...]) }
    return hex(g[..<bestStart]) + "::" + hex(g[(bestStart + bestLen)...])
}

/// Whether `host` is an IP address: IPv4 in any inet_aton form (`127.0.0.1`, `2130706433`,
/// `0x7f.1`, `127.1`, `0177.0.0.1`) or IPv6, with or without brackets.
public func isIPLiteral(_ host: String) -> Bool {
    var h = host
    if h.hasPrefix("[") && h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
    return parseIPv6(h) != nil || parseIPv4(h) != nil
}

// MARK: - Punycode (RFC 3492)

func punycodeEncode(_ input: [UInt32]) -> String? {
    let base: UInt32 = 36, tmin: UInt32 = 1, tmax: UInt32 = 26, skew: UInt32 = 38, damp: UInt32 = 700
    func digit(_ d: UInt32) -> Character {
        Character(Unicode.Scalar(d < 26 ? d + 97 : d - 26 + 48)!)
    }
    func adapt(_ delta: UInt32, _ numPoints: UInt32, _ first: Bool) -> UInt32 {
        var delta = first ? delta / damp : delta / 2
        delta += delta / numPoints
        var k: UInt32 = 0
        while delta > ((base - tmin) * tmax) / 2 { delta /= base - tmin; k += base }
        return k + (base - tmin + 1) * delta / (delta + skew)
    }
    var out = ""
    for c in input where c < 0x80 { out.append(Character(Unicode.Scalar(c)!)) }
    let b = UInt32(out.count)
    var h = b
    if b > 0 { out.append("-") }
    var n: UInt32 = 0x80, delta: UInt32 = 0, bias: UInt32 = 72
    while h < UInt32(input.count) {
        guard let m = input.filter({ $0 >= n }).min() else { return nil }
        let (mul, o1) = (m - n).multipliedReportingOverflow(by: h + 1)
        let (d2, o2) = delta.addingReportingOverflow(mul)
        if o1 || o2 { return nil }
        delta = d2
        n = m
        for c in input {
            if c < n { delta += 1; if delta == 0 { return nil } }
            if c == n {
                var q = delta
                var k = base
                while true {
                    let t = k <= bias ? tmin : (k >= bias + tmax ? tmax : k - bias)
                    if q < t { break }
                    out.append(digit(t + (q - t) % (base - t)))
                    q = (q - t) / (base - t)
                    k += base
                }
                out.append(digit(q))
                bias = adapt(delta, h + 1, h == b)
                delta = 0
                h += 1
            }
        }
        delta += 1; n += 1
    }
    return out
}

// MARK: - Host names

/// Lowercased, one trailing dot removed, brackets removed from IPv6 (which is written in RFC 5952
/// form), IPv4 in any inet_aton form written as a dotted quad (an IPv4-mapped IPv6 address too),
/// `%`-escapes decoded first, full-width forms and ideographic full stops mapped to ASCII, and each
/// non-ASCII label converted to punycode (`xn--…`), so `pypі.org` with a Cyrillic `і` cannot equal
/// `pypi.org`. nil for an invalid host: empty labels, characters outside letters/digits/`-`/`_`,
/// a label over 63 bytes, a name over 253, a number-like last label that is not a valid IPv4
/// address (`1.2.3.4.5`, `256.1.1.1`), a `%` left after decoding.
public func normalizeHost(_ s: String) -> String? {
    guard !s.isEmpty else { return nil }
    guard let bytes = percentDecode(s), let decoded = String(validatingUTF8Bytes: bytes) else { return nil }
    var h = decoded
    if h.hasPrefix("[") {
        guard h.hasSuffix("]"), h.count > 2 else { return nil }
        guard let g = parseIPv6(String(h.dropFirst().dropLast())) else { return nil }
        return ipv6Text(g)
    }
    // Full-width ASCII (U+FF01–U+FF5E) and the IDNA dot equivalents.
    var mapped = ""
    for u in h.unicodeScalars {
        switch u.value {
        case 0x3002, 0xFF0E, 0xFF61: mapped.append(".")
        case 0xFF01...0xFF5E: mapped.unicodeScalars.append(Unicode.Scalar(u.value - 0xFEE0)!)
        default: mapped.unicodeScalars.append(u)
        }
    }
    h = mapped.lowercased()
    if h.contains(":") {
        guard let g = parseIPv6(h) else { return nil }
        return ipv6Text(g)
    }
    if h.hasSuffix(".") { h.removeLast() }
    guard !h.isEmpty else { return nil }
    let labels = h.split(separator: ".", omittingEmptySubsequences: false)
    // WHATWG: a last label that is a number makes the whole host an IPv4 address (or invalid).
    if let last = labels.last, looksNumeric(last) {
        guard let v = parseIPv4(h) else { return nil }
        return formatIPv4(v)
    }
    var out: [String] = []
    for l in labels {
        guard !l.isEmpty else { return nil }
        var label = String(l)
        if !label.allSatisfy({ $0.isASCII }) {
            guard let p = punycodeEncode(label.unicodeScalars.map { $0.value }) else { return nil }
            label = "xn--" + p
        }
        guard label.utf8.count <= 63,
              label.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 95 }) else { return nil }
        out.append(label)
    }
    let result = out.joined(separator: ".")
    return result.utf8.count <= 253 ? result : nil
}

private func looksNumeric(_ l: Substring) -> Bool {
    if !l.isEmpty && l.allSatisfy({ $0.isASCII && $0.isNumber }) { return true }
    if l.hasPrefix("0x") || l.hasPrefix("0X") { return l.dropFirst(2).allSatisfy { $0.isHexDigit } }
    return false
}

private func ipv6Text(_ g: [UInt16]) -> String {
    // IPv4-mapped (::ffff:a.b.c.d) reaches the IPv4 host.
    if g[0..<5].allSatisfy({ $0 == 0 }) && g[5] == 0xFFFF {
        return formatIPv4(UInt32(g[6]) << 16 | UInt32(g[7]))
    }
    return formatIPv6(g)
}

/// Host pattern (policy `network.allow`/`deny`): `example.com` exactly; `*.example.com`
/// subdomains only; `.example.com` the domain and its subdomains; `*` every host. An IP literal
/// pattern matches only the same address (in any spelling); a domain pattern never matches an IP.
public struct HostPattern: Equatable, Sendable {
    public var text: String
    enum Kind: Equatable, Sendable { case exact, subdomains, domain, any }
    var kind: Kind
    var host: String

    public init?(_ s: String) {
        text = s
        let t = s.trimmingSpaces()
        if t == "*" { kind = .any; host = ""; return }
        var rest = Substring(t)
        if rest.hasPrefix("*.") { kind = .subdomains; rest = rest.dropFirst(2) }
        else if rest.hasPrefix(".") { kind = .domain; rest = rest.dropFirst() }
        else { kind = .exact }
        guard !rest.contains("*"), let h = normalizeHost(String(rest)) else { return nil }
        if isIPLiteral(h) && kind != .exact { return nil }
        host = h
    }

    /// `host` is normalised first (an already normalised host is unchanged).
    public func matches(_ host: String) -> Bool {
        guard let h = normalizeHost(host) else { return false }
        switch kind {
        case .any: return true
        case .exact: return h == self.host
        case .subdomains: return !isIPLiteral(h) && h.hasSuffix("." + self.host)
        case .domain: return !isIPLiteral(h) && (h == self.host || h.hasSuffix("." + self.host))
        }
    }
}

// MARK: - URLs

let defaultPorts: [String: Int] = ["http": 80, "https": 443, "ftp": 21, "ftps": 990, "ws": 80, "wss": 443, "ssh": 22,
                                   "git": 9418, "sftp": 22, "scp": 22, "rsync": 873, "telnet": 23, "gopher": 70,
                                   "ldap": 389, "ldaps": 636, "smtp": 25, "smtps": 465, "imap": 143, "imaps": 993,
                                   "pop3": 110, "pop3s": 995, "dict": 2628, "tftp": 69, "mqtt": 1883, "rtsp": 554,
                                   "smb": 445, "smbs": 445, "git+ssh": 22, "ssh+git": 22, "git+https": 443, "git+http": 80]

/// Schemes whose "host" is a network host (for `scheme:` without `//`, which some clients accept).
let networkSchemes: Set<String> = Set(defaultPorts.keys)

/// Parses a URL-ish string: `scheme://[userinfo@]host[:port]/…` or scp-like `[user@]host:path`.
/// nil: neither (a local path, a bare word). Otherwise the host (normalised) and port (explicit,
/// else the scheme's default, else nil). The host is nil when aegish cannot tell where the string
/// leads: several `@`, a backslash or whitespace in the authority, an invalid port or host, a
/// network scheme without `//` (`http:evil.com`), a `file:` URL with a remote host.
/// `http://allowed@evil.com` → evil.com; `http://evil.com#@allowed` → evil.com (the authority
/// ends at `/`, `?` or `#`).
public func hostOfURL(_ s: String) -> (host: String?, port: Int?)? {
    if let r = s.firstRange(of: "://") {
        let scheme = s[..<r.lowerBound].lowercased()
        guard let f = scheme.first, f.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }) else {
            return scpLike(s)
        }
        let rest = s[r.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<end]
        if scheme == "file" {
            let a = authority.lowercased()
            return a.isEmpty || a == "localhost" ? (nil, nil) : (nil, nil)
        }
        let (h, p) = parseAuthority(authority)
        return (h, p ?? (h == nil ? nil : defaultPorts[scheme]))
    }
    // `http:evil.com`, `https:/evil.com`: accepted by some parsers, refused here.
    if let colon = s.firstIndex(of: ":") {
        let scheme = s[..<colon].lowercased()
        if networkSchemes.contains(scheme) { return (nil, nil) }
    }
    return scpLike(s)
}

/// `[userinfo@]host[:port]` → host (normalised) and explicit port; host nil when ambiguous.
func parseAuthority(_ a: Substring) -> (String?, Int?) {
    if a.contains(where: { $0 == "\\" || $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) { return (nil, nil) }
    let ats = a.filter { $0 == "@" }.count
    guard ats <= 1 else { return (nil, nil) }
    var hp = a
    if let at = a.lastIndex(of: "@") { hp = a[a.index(after: at)...] }
    var hostPart: Substring, portPart: Substring? = nil
    if hp.hasPrefix("[") {
        guard let close = hp.firstIndex(of: "]") else { return (nil, nil) }
        hostPart = hp[...close]
        let after = hp[hp.index(after: close)...]
        if !after.isEmpty {
            guard after.hasPrefix(":") else { return (nil, nil) }
            portPart = after.dropFirst()
        }
    } else if let colon = hp.lastIndex(of: ":") {
        hostPart = hp[..<colon]
        portPart = hp[hp.index(after: colon)...]
    } else {
        hostPart = hp
    }
    var port: Int? = nil
    if let pp = portPart, !pp.isEmpty {
        guard pp.allSatisfy({ $0.isASCII && $0.isNumber }), pp.count <= 5, let n = Int(pp), n <= 65535 else { return (nil, nil) }
        port = n
    }
    guard let h = normalizeHost(String(hostPart)) else { return (nil, port) }
    return (h, port)
}

/// `[user@]host:path` (git/scp): recognised only when there is no `/` before the first `:`.
func scpLike(_ s: String) -> (host: String?, port: Int?)? {
    guard let hostPart = remoteSpec(s) else { return nil }
    if hostPart.contains("\\") || hostPart.contains(" ") { return (nil, 22) }
    let ats = hostPart.filter { $0 == "@" }.count
    guard ats <= 1 else { return (nil, 22) }
    let h = hostPart.split(separator: "@", omittingEmptySubsequences: false).last.map(String.init) ?? hostPart
    return (normalizeHost(h), 22)
}
