import Glibc
import CSys

// The session's HTTP proxy: host names at the kernel level. Landlock can only restrict TCP
// connects by port, so programs may connect to exactly one port — this proxy's, on 127.0.0.1 —
// and the proxy decides each connection by host name with the policy's own host rules
// (PolicyEngine.decideHost: network.allow / deny / outside, the same normalisation). Programs find
// it through HTTP_PROXY / HTTPS_PROXY (KernelSandbox.environment); a program that ignores them
// cannot connect anywhere.
//
// It understands CONNECT host:port (HTTPS and any TLS or TCP protocol a client tunnels) and plain
// HTTP requests in absolute form (`GET http://host/path`), one request per connection
// (`Connection: close`). A refused host gets `403 Forbidden` with the policy's reason in the
// body. localhost and *.localhost are the loopback address (RFC 6761) without asking DNS.
//
// It is a helper process: aegish itself, started with `--proxy-helper` through the single spawn
// point (a fork of the whole shell would cost milliseconds; clone+exec blocks the shell for a
// fraction of that). The listener is created by the shell when the first sandboxed program
// starts, so the port is known and connections queue before the helper runs; the helper itself
// starts only when a program first connects (the shell watches the listener while it waits,
// Gate.pendingServiceFD), or before the shell forks or hands its terminal to a job — most
// commands never use the network and never pay for it (~0.5 ms). The
// helper runs in its own session, without aegish's setgid group, under a Landlock ruleset that
// lets it neither write nor execute anything, and is killed when the shell that started it
// exits (PR_SET_PDEATHSIG). It forks one handler per connection.

struct ProxyHandle {
    var port: UInt16
    var pid: pid_t
}

struct ProxyError: Error {
    var message: String
}

/// The proxy's listener on 127.0.0.1 (an ephemeral port), created by the shell so that the port
/// is known, and connections queue, before any helper runs. Close-on-exec, above the script's
/// descriptors, marked internal (no redirection can reach it).
func openProxyListener() -> Result<(fd: Int32, port: UInt16), ProxyError> {
    var port: Int32 = 0
    let listener = aegish_tcp_listen_loopback(&port)
    guard listener >= 0 else {
        return .failure(ProxyError(message: "cannot listen on 127.0.0.1: \(errnoText(aegish_errno()))"))
    }
    let fd = aegish_dup_cloexec(listener, 300)
    close(listener)
    guard fd >= 0 else { return .failure(ProxyError(message: "cannot keep the proxy's listener (\(errnoText(aegish_errno())))")) }
    _ = aegish_fd_set_internal(fd, 1)
    return .success((fd, UInt16(port)))
}

/// Starts the session's proxy helper on `listener`: aegish (`shellPath`) in helper mode,
/// deciding hosts by the policy's [network] rules. `abi`: the running Landlock ABI, for the
/// helper's own ruleset. The caller keeps (and closes) its copy of the listener.
func startProxyHelper(listener: Int32, port: UInt16, engine: PolicyEngine, shellPath: String,
                      abi: Int) -> Result<ProxyHandle, ProxyError> {
    let null = open("/dev/null", O_RDWR | O_CLOEXEC)
    guard null >= 0 else { return .failure(ProxyError(message: "cannot open /dev/null: \(errnoText(aegish_errno()))")) }
    defer { close(null) }
    let n = engine.settings.network
    let argv = ["aegish-proxy", "--proxy-helper", String(getpid()), String(port), n.outside.description, "--allow"]
        + n.allow + ["--deny"] + n.deny
    // The helper may not write or execute anything (after its own exec).
    var ruleset: Int32 = -1
    if abi >= 1 {
        let handled = LandlockAccess.execute.union(.write).intersection(LandlockAccess.supported(abi: abi))
        ruleset = aegish_landlock_create(handled.rawValue, 0, 0)
        if ruleset >= 0 {
            // aegish itself, and the loader should this build be linked dynamically.
            let files = [shellPath] + dynamicLoaders
            let access = [UInt64](repeating: LandlockAccess.execute.rawValue, count: files.count)
            _ = withCStrings(files) { aegish_landlock_add_paths(ruleset, $0, access, Int32(files.count), 0, nil) }
        }
    }
    defer { if ruleset >= 0 { close(ruleset) } }
    let fdmap: [Int32] = [0, null, 1, null, 2, null, 3, listener]
    var err: Int32 = 0
    let pid = withCArgv(argv) { a in
        withCArgv([]) { e in
            fdmap.withUnsafeBufferPointer { m in
                aegish_spawn_sandboxed(shellPath, a, e, m.baseAddress, 4, "/", -1, ruleset, &err)
            }
        }
    }
    guard pid > 0 else { return .failure(ProxyError(message: "cannot start \(shellPath) --proxy-helper: \(errnoText(err))")) }
    return .success(ProxyHandle(port: port, pid: pid))
}

/// `aegish --proxy-helper PARENT PORT OUTSIDE --allow HOST… --deny HOST…`: the proxy process
/// (started by startProxyHelper, never by hand). Never returns.
public func runProxyHelper(_ args: [String]) -> Never {
    guard args.count >= 4, let parent = pid_t(args[0]), let port = Int(args[1]), let outside = Verdict(args[2]),
          args[3] == "--allow", let split = args.firstIndex(of: "--deny") else {
        _ = "aegish: --proxy-helper is started by aegish itself\n".withCString { write(2, $0, strlen($0)) }
        exit(2)
    }
    guard aegish_proxy_helper_setup(3, parent) == 3 else { exit(1) }
    var p = Policy()
    p.name = "proxy"
    p.network.allow = Array(args[4..<split])
    p.network.deny = Array(args[(split + 1)...])
    p.network.outside = outside
    guard let engine = try? PolicyEngine(policy: p, home: nil, governedUID: getuid()) else { exit(1) }
    ProxyServer(engine: engine, listener: 3, port: port).run()
}

/// What one client asked for.
struct ProxyRequest: Equatable {
    var method: String
    /// CONNECT: nil. HTTP: the origin-form target (`/path?query`).
    var path: String?
    var version: String
    /// Normalised host (nil: not a valid host) and port.
    var host: String?
    var port: Int
    /// The header lines after the request line (without CRLF).
    var headers: [String]
}

/// Parses a request head (the bytes before the blank line). nil: not a request this proxy serves.
func parseProxyRequest(_ head: [UInt8]) -> ProxyRequest? {
    guard let text = String(validating: head, as: UTF8.self) else { return nil }
    var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
    guard !lines.isEmpty else { return nil }
    let first = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    guard first.count == 3, first[2].hasPrefix("HTTP/1.") else { return nil }
    let method = first[0], target = first[1]
    let headers = lines.filter { !$0.isEmpty }
    if method == "CONNECT" {
        let (host, port) = parseAuthority(Substring(target))
        guard let port, !target.contains("/") else { return nil }
        return ProxyRequest(method: method, path: nil, version: first[2], host: host, port: port, headers: headers)
    }
    // Absolute form only: a proxy is asked for URLs.
    guard target.lowercased().hasPrefix("http://") else { return nil }
    let rest = target.dropFirst(7)
    let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
    let (host, port) = parseAuthority(rest[..<end])
    var path = String(rest[end...])
    if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
    if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
    return ProxyRequest(method: method, path: path, version: first[2], host: host, port: port ?? 80, headers: headers)
}

/// The request head sent to the server: origin form, hop-by-hop and proxy headers removed, one
/// request per connection.
func upstreamHead(_ r: ProxyRequest, authority: String) -> String {
    let dropped: Set<String> = ["proxy-connection", "proxy-authorization", "connection", "keep-alive", "host"]
    var out = "\(r.method) \(r.path ?? "/") \(r.version)\r\nHost: \(authority)\r\n"
    for h in r.headers {
        let name = h.prefix { $0 != ":" }.lowercased()
        if dropped.contains(name) { continue }
        out += h + "\r\n"
    }
    return out + "Connection: close\r\n\r\n"
}

final class ProxyServer {
    let engine: PolicyEngine
    let listener: Int32
    let port: Int

    init(engine: PolicyEngine, listener: Int32, port: Int) {
        self.engine = engine; self.listener = listener; self.port = port
    }

    func run() -> Never {
        let me = getpid()
        while true {
            let c = aegish_tcp_accept(listener)
            if c < 0 {
                if aegish_errno() == EMFILE || aegish_errno() == ENFILE { usleep(50_000) }
                continue
            }
            let pid = aegish_fork()
            if pid == 0 {
                close(listener)
                if aegish_die_with_parent(me) != 0 { _exit(1) }
                serve(c)
                _exit(0)
            }
            close(c)
        }
    }

    /// One connection: read the head, decide, then relay or refuse.
    func serve(_ c: Int32) {
        _ = aegish_set_io_timeout(c, 30_000)
        var buf = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 8192)
        var headEnd: Int? = nil
        while headEnd == nil {
            let n = chunk.withUnsafeMutableBytes { recv(c, $0.baseAddress, $0.count, 0) }
            if n < 0 && aegish_errno() == EINTR { continue }
            if n <= 0 { return }
            let start = max(0, buf.count - 3)
            buf.append(contentsOf: chunk[0..<n])
            if let i = findBlankLine(buf, from: start) { headEnd = i }
            if headEnd == nil && buf.count > 65536 { return reply(c, 431, "request header too large") }
        }
        let head = Array(buf[0..<headEnd!]), rest = Array(buf[(headEnd! + 4)...])
        guard let r = parseProxyRequest(head) else {
            return reply(c, 400, "aegish proxy: only CONNECT host:port and absolute http:// requests are served")
        }
        guard let host = r.host else { return reply(c, 400, "aegish proxy: cannot tell which host this request is for") }
        let decision = engine.decideHost(NetTarget(host: host, port: r.port, raw: host, why: "a request to the session proxy"))
        guard decision.verdict == .allow else {
            let why = decision.verdict == .ask ? "\(decision.reason) (needs approval; a program cannot ask)" : decision.reason
            return reply(c, 403, "aegish proxy: \(host): \(why)")
        }
        let loopbackName = host == "localhost" || host.hasSuffix(".localhost")
        if r.port == port && (loopbackName || host == "127.0.0.1" || host == "::1") {
            return reply(c, 403, "aegish proxy: \(host):\(r.port) is this proxy")
        }
        var gai: Int32 = 0
        let up = aegish_tcp_connect(host, Int32(r.port), loopbackName ? 1 : 0, 10_000, &gai)
        guard up >= 0 else {
            let why = gai != 0 ? String(cString: aegish_gai_strerror(gai)) : errnoText(aegish_errno())
            return reply(c, 502, "aegish proxy: cannot reach \(host):\(r.port): \(why)")
        }
        defer { close(up) }
        if r.method == "CONNECT" {
            guard send(c, "HTTP/1.1 200 Connection established\r\n\r\n") else { return }
        } else {
            let authority = (host.contains(":") ? "[\(host)]" : host) + (r.port == 80 ? "" : ":\(r.port)")
            guard send(up, upstreamHead(r, authority: authority)) else { return reply(c, 502, "aegish proxy: \(host) closed the connection") }
        }
        if !rest.isEmpty && rest.withUnsafeBytes({ aegish_send_all(up, $0.baseAddress, $0.count) }) != 0 { return }
        _ = aegish_set_io_timeout(c, 0)
        _ = aegish_relay(c, up, 600_000)
    }

    private func send(_ fd: Int32, _ s: String) -> Bool {
        var s = s
        return s.withUTF8 { aegish_send_all(fd, $0.baseAddress, $0.count) } == 0
    }

    private func reply(_ c: Int32, _ status: Int, _ message: String) {
        let phrase = [400: "Bad Request", 403: "Forbidden", 431: "Request Header Fields Too Large", 502: "Bad Gateway"][status] ?? "Error"
        let body = message + "\n"
        _ = send(c, "HTTP/1.1 \(status) \(phrase)\r\nContent-Type: text/plain; charset=utf-8\r\n"
                 + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body)
    }
}

/// Index of the first "\r\n\r\n" at or after `from`.
func findBlankLine(_ b: [UInt8], from: Int) -> Int? {
    var i = from
    while i + 3 < b.count {
        if b[i] == 13 && b[i + 1] == 10 && b[i + 2] == 13 && b[i + 3] == 10 { return i }
        i += 1
    }
    return nil
}
