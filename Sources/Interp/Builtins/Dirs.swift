import Glibc

// cd and pwd. The shell keeps the logical directory ($PWD) itself, as bash does by default
// (`cd -L`): `..` is resolved against the path as typed, not against symlink targets.

func builtinCd(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    var args = Array(argv.dropFirst())
    var physical = false
    while let a = args.first, a.hasPrefix("-"), a != "-", a.count > 1 {
        if a == "--" { args.removeFirst(); break }
        if a == "-P" { physical = true } else if a == "-L" { physical = false } else {
            return sh.builtinError("cd", "\(a): invalid option", status: 2)
        }
        args.removeFirst()
    }
    if args.count > 1 { return sh.builtinError("cd", "too many arguments") }
    var target: String
    var printDir = false
    if let a = args.first {
        if a == "-" {
            guard let old = sh.vars.value("OLDPWD") else { return sh.builtinError("cd", "OLDPWD not set") }
            target = old
            printDir = true
        } else {
            target = a
        }
    } else {
        guard let home = sh.vars.value("HOME"), !home.isEmpty else { return sh.builtinError("cd", "HOME not set") }
        target = home
    }
    if target.isEmpty { return 0 }
    var abs = absolutePath(target, cwd: sh.cwd)
    let request = sh.gateRequest(.cd, path: abs)
    if let refusal = sh.refusal(for: request, what: "cd \(target)") { return refusal }
    if chdir(abs) != 0 {
        let e = errno
        // `cd -L` falls back to the physical meaning when the logical path does not exist.
        if chdir(target) != 0 {
            return sh.builtinError("cd", "\(target): \(Sys.errorString(e))")
        }
        abs = Sys.getcwd() ?? abs
    }
    if physical { abs = Sys.getcwd() ?? abs }
    try? sh.vars.set("OLDPWD", sh.cwd, export: sh.vars["OLDPWD"]?.exported ?? true)
    sh.cwd = abs
    try? sh.vars.set("PWD", abs, export: sh.vars["PWD"]?.exported ?? true)
    if printDir { sh.out(abs + "\n") }
    return 0
}

func builtinPwd(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    if argv.dropFirst().contains("-P") {
        sh.out((Sys.getcwd() ?? sh.cwd) + "\n")
    } else {
        sh.out(sh.cwd + "\n")
    }
    return 0
}
