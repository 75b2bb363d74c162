import PolicyTestSupport
import XCTest
@testable import Policy

/// Shell-like word splitting for test tables: '…', "…", backslash.
func words(_ s: String) -> [String] {
    var out: [String] = []
    var cur = ""
    var inWord = false
    var q: Character? = nil
    var esc = false
    for c in s {
        if esc { cur.append(c); esc = false; continue }
        if let qq = q {
            if c == qq { q = nil } else if c == "\\" && qq == "\"" { esc = true } else { cur.append(c) }
            continue
        }
        if c == "\\" { esc = true; inWord = true; continue }
        if c == "'" || c == "\"" { q = c; inWord = true; continue }
        if c == " " { if inWord { out.append(cur); cur = ""; inWord = false }; continue }
        cur.append(c); inWord = true
    }
    if inWord { out.append(cur) }
    return out
}

private func A(_ s: String, env: [String] = []) -> Inner { .argv(words(s), env: env) }
private func S(_ s: String, _ argv0: String? = nil, _ args: [String] = []) -> Inner { .shellScript(s, argv0: argv0, args: args) }
private func F(_ f: String, _ args: [String] = []) -> Inner { .shellFile(f, args: args) }
private func I(_ lang: String, _ code: String) -> Inner { .inlineCode(language: lang, code: code) }
private let U = "UNKNOWN"

final class WrappersTests: PolicyTestCase {
    /// Each case: command line, expected inner commands. `.unknown` is compared by case only.
    private func check(_ table: [(String, [Inner])], file: StaticString = #filePath, line: UInt = #line) {
        for (cmd, expect) in table {
            let got = innerCommands(words(cmd))
            let norm = got.map { g -> Inner in if case .unknown = g { return .unknown(U) }; return g }
            XCTAssertEqual(norm, expect, "\(cmd) → \(got)", file: file, line: line)
        }
    }

    func testEnv() {
        check([
            ("env rm -rf x", [A("rm -rf x")]),
            ("/usr/bin/env FOO=1 BAR=2 rm x", [A("rm x", env: ["FOO=1", "BAR=2"])]),
            // As coreutils: options end at FOO=1, so `--` is the command name (env fails to run it).
            ("env -i FOO=1 -- bash -c x", [A("-- bash -c x", env: ["FOO=1"])]),
            ("env -i -- FOO=1 bash -c x", [A("bash -c x", env: ["FOO=1"])]),
            ("env -i -- FOO=1 bash", [A("bash", env: ["FOO=1"])]),
            ("env -u HOME -C /tmp ls", [A("ls")]),
            ("env -uHOME ls", [A("ls")]),
            ("env --unset HOME ls", [A("ls")]),
            ("env --unset=HOME --chdir=/ ls", [A("ls")]),
            ("env --uns=HOME ls", [A("ls")]),
            ("env - rm x", [A("rm x")]),
            ("env -S 'rm -rf /'", [A("rm -rf /")]),
            ("env -S'rm -rf /'", [A("rm -rf /")]),
            ("env '-S rm -rf /' extra", [A("rm -rf / extra")]),
            ("env -iS 'FOO=1 rm x'", [A("rm x", env: ["FOO=1"])]),
            ("env -S '-i -u X A=1 rm \"a b\" c\\_d' e", [.argv(["rm", "a b", "c", "d", "e"], env: ["A=1"])]),
            ("env -S 'rm x #comment' y", [A("rm x y")]),
            ("env --split-string='sh -c \"rm x\"'", [.argv(["sh", "-c", "rm x"], env: [])]),
            ("env -S 'echo ${HOME}'", [.unknown(U)]),
            ("env -S 'echo $HOME'", [.unknown(U)]),
            ("env -S 'echo \"unclosed'", [.unknown(U)]),
            ("env -S 'echo \\x'", [.unknown(U)]),
            ("env", []),
            ("env FOO=1", []),
            ("env -i", []),
            ("env --help rm x", []),
            ("env -Z rm", [.unknown(U)]),
            ("env -u", [.unknown(U)]),
            ("env --block-signal rm x", [A("rm x")]),
            ("env --block-signal=PIPE rm x", [A("rm x")]),
            ("env nice rm -rf x", [A("nice rm -rf x")]),
            ("env ./a=b rm", [A("rm", env: ["./a=b"])]),
        ])
    }

    func testXargs() {
        check([
            ("xargs rm", [A("rm")]),
            ("xargs", [A("echo")]),
            ("xargs -0 rm -f", [A("rm -f")]),
            ("xargs -I{} rm {}", [A("rm {}")]),
            ("xargs -I {} mv {} {}.bak", [A("mv {} {}.bak")]),
            ("xargs -n 1 -P 4 rm", [A("rm")]),
            ("xargs -n1 -P4 -d '\\n' rm", [A("rm")]),
            ("xargs --max-args=1 --null rm", [A("rm")]),
            ("xargs -a list.txt -L 1 -E END -s 100 rm", [A("rm")]),
            ("xargs -r -t -p -x rm", [A("rm")]),
            ("xargs -i rm {}", [A("rm {}")]),
            ("xargs sh -c 'echo \"$@\"' _", [A("sh -c 'echo \"$@\"' _")]),
            ("xargs -I{} {}", [.unknown(U)]),
            ("xargs -I{} sh -c 'echo {}'", [.unknown(U)]),
            ("xargs -I% python3 -c 'print(%)'", [.unknown(U)]),
            ("xargs -I{} env {}", [.unknown(U)]),
            ("xargs env", [.unknown(U)]),
            ("xargs sudo", [.unknown(U)]),
            ("xargs timeout 5", [.unknown(U)]),
            ("xargs sh", [.unknown(U)]),
            ("xargs bash -x", [.unknown(U)]),
            ("xargs python3 -c", [.unknown(U)]),
            ("xargs -n1 nice -n 5 rm", [A("nice -n 5 rm")]),
            ("xargs --bogus rm", [.unknown(U)]),
            ("xargs -P", [.unknown(U)]),
        ])
    }

    func testSimpleWrappers() {
        check([
            ("nice rm x", [A("rm x")]),
            ("nice -n 5 rm x", [A("rm x")]),
            ("nice -n5 rm x", [A("rm x")]),
            ("nice -10 rm x", [A("rm x")]),
            ("nice --10 rm x", [A("rm x")]),
            ("nice --adjustment=3 rm -rf x", [A("rm -rf x")]),
            ("nice", []),
            ("nohup rm x", [A("rm x")]),
            ("nohup -- rm x", [A("rm x")]),
            ("timeout 5 rm x", [A("rm x")]),
            ("timeout -s KILL 5 rm x", [A("rm x")]),
            ("timeout -sKILL -k 2 5s rm x", [A("rm x")]),
            ("timeout --signal=KILL --kill-after 1 --preserve-status 5 rm -rf /", [A("rm -rf /")]),
            ("timeout --sig KILL 5 rm", [A("rm")]),
            ("timeout 5", []),
            ("timeout 5 -- rm", [A("-- rm")]),
            ("time rm x", [A("rm x")]),
            ("/usr/bin/time -o out -f '%e' -a -p rm x", [A("rm x")]),
            ("time -v rm", [A("rm")]),
            ("stdbuf -oL -e 0 rm x", [A("rm x")]),
            ("stdbuf -i 0 --output=L grep x", [A("grep x")]),
            ("setsid -f rm x", [A("rm x")]),
            ("setsid -cw rm", [A("rm")]),
            ("ionice -c 3 rm x", [A("rm x")]),
            ("ionice -c2 -n7 rm", [A("rm")]),
            ("ionice -p 123", []),
            ("taskset 03 rm x", [A("rm x")]),
            ("taskset -c 0,1 rm x", [A("rm x")]),
            ("taskset -p 03 700", []),
            ("chrt 10 rm x", [A("rm x")]),
            ("chrt -f 10 rm x", [A("rm x")]),
            ("chrt -b rm x", [A("rm x")]),
            ("chrt -d -T 1000 -P 2000 0 rm", [A("rm")]),
            ("chrt -p 123", []),
            ("flock /tmp/l rm x", [A("rm x")]),
            ("flock -n -w 5 /tmp/l rm x", [A("rm x")]),
            ("flock /tmp/l -c 'rm x'", [S("rm x")]),
            ("flock -x /tmp/l --command 'rm x'", [S("rm x")]),
            ("flock 9", []),
            ("flock -c x /tmp/l", [.unknown(U)]),
            ("watch ls -l", [S("ls -l")]),
            ("watch -n 1 'rm x; ls'", [S("rm x; ls")]),
            ("watch -x -n1 rm x", [A("rm x")]),
            ("watch -d -n 2 df", [S("df")]),
            ("unbuffer rm x", [A("rm x")]),
            ("unbuffer -p rm", [A("rm")]),
            ("strace rm x", [A("rm x")]),
            ("strace -f -e trace=file -o out rm x", [A("rm x")]),
            ("strace -ff -s 100 -E FOO=1 rm", [A("rm", env: ["FOO=1"])]),
            ("strace --trace=file --output=x -- rm", [A("rm")]),
            ("strace -p 123", []),
            ("ltrace -o x -e malloc rm x", [A("rm x")]),
            ("busybox rm x", [A("rm x")]),
            ("busybox sh -c 'rm x'", [A("sh -c 'rm x'")]),
            ("busybox --list", []),
            ("nsenter -t 1 -m -u rm x", [A("rm x")]),
            ("nsenter --target 1 --mount --net=/run/netns/x rm", [A("rm")]),
            ("nsenter -t 1 -a", [.unknown(U)]),
            ("unshare -r -n rm x", [A("rm x")]),
            ("unshare --map-root-user --propagation private rm", [A("rm")]),
            ("unshare -m", [.unknown(U)]),
            ("script -q -c 'rm x' /dev/null", [S("rm x")]),
            ("script out.log -c 'ls'", [S("ls")]),
            ("script", [.unknown(U)]),
            ("pkexec rm x", [A("rm x")]),
            ("pkexec --user bob rm", [A("rm")]),
            ("valgrind --leak-check=full -q ./a.out x", [A("./a.out x")]),
            ("eatmydata apt-get install x", [A("apt-get install x")]),
            ("parallel rm ::: a b", [.unknown(U)]),
            ("systemd-run rm", [.unknown(U)]),
        ])
    }

    func testPrivilege() {
        check([
            ("sudo rm x", [A("rm x")]),
            ("sudo -u root rm x", [A("rm x")]),
            ("sudo -uroot -g wheel -E -H -n rm x", [A("rm x")]),
            ("sudo --user=root -- rm -rf /", [A("rm -rf /")]),
            ("sudo -- rm", [A("rm")]),
            ("sudo FOO=1 rm x", [A("rm x", env: ["FOO=1"])]),
            ("sudo -D /tmp -C 3 -p pw -T 10 rm", [A("rm")]),
            ("sudo -i", [.unknown(U)]),
            ("sudo -s rm x", [.unknown(U)]),
            ("sudo -e /etc/passwd", [.unknown(U)]),
            ("sudo -l", []),
            ("sudo -v", []),
            ("sudo -k rm x", [A("rm x")]),
            ("sudo --bogus rm", [.unknown(U)]),
            ("sudoedit /etc/x", [.unknown(U)]),
            ("doas rm x", [A("rm x")]),
            ("doas -u root -n rm x", [A("rm x")]),
            ("doas -s", [.unknown(U)]),
            ("chroot /mnt rm x", [A("rm x")]),
            ("chroot --userspec=1:1 /mnt /bin/sh -c x", [A("/bin/sh -c x")]),
            ("chroot /mnt", [.unknown(U)]),
            ("su -c 'rm x'", [S("rm x")]),
            ("su - root -c 'rm x'", [S("rm x")]),
            ("su root -c 'rm x'", [S("rm x")]),
            ("su -s /bin/bash -c 'id' bob", [S("id")]),
            ("su -s /usr/bin/python3 -c 'x' bob", [.unknown(U)]),
            ("su root -c x extra", [.unknown(U)]),
            ("su", [.unknown(U)]),
            ("su -", [.unknown(U)]),
            ("runuser -u bob -- rm x", [A("rm x")]),
            ("runuser -u bob rm -l", [A("rm -l")]),
            ("runuser bob -c 'rm x'", [S("rm x")]),
            ("runuser -l bob", [.unknown(U)]),
            ("sg wheel -c 'rm x'", [S("rm x")]),
            ("sg wheel rm x", [S("rm x")]),
        ])
    }

    func testShells() {
        check([
            ("sh -c 'rm x'", [S("rm x")]),
            ("bash -c 'rm x' name a b", [S("rm x", "name", ["a", "b"])]),
            ("/bin/dash -ec 'rm x'", [S("rm x")]),
            ("bash -c -e 'rm x'", [S("rm x")]),
            ("bash -o pipefail -c 'rm x'", [S("rm x")]),
            ("bash -eo pipefail -c 'rm x'", [S("rm x")]),
            ("bash -O extglob -c 'x'", [S("x")]),
            ("bash +x -c 'x'", [S("x")]),
            ("bash --norc --noprofile -c 'x'", [S("x")]),
            ("bash --rcfile f -c 'x'", [S("x")]),
            ("zsh -c 'x'", [S("x")]),
            ("ksh -c x", [S("x")]),
            ("sh -c -- 'x'", [S("x")]),
            ("bash script.sh a b", [F("script.sh", ["a", "b"])]),
            ("sh -x ./s.sh", [F("./s.sh")]),
            ("bash -- -weird.sh", [F("-weird.sh")]),
            ("bash - script.sh", [F("script.sh")]),
            ("bash", [.unknown(U)]),
            ("sh -s a b", [.unknown(U)]),
            ("sh -i", [.unknown(U)]),
            ("bash -l", [.unknown(U)]),
            ("bash -c", [.unknown(U)]),
            ("bash --version", []),
            ("fish -c 'rm x'", [.unknown(U)]),
            ("csh -c 'rm x'", [.unknown(U)]),
            ("tcsh --version", []),
        ])
    }

    func testInterpreters() {
        check([
            ("python3 -c 'import os'", [I("python", "import os")]),
            ("python -c'print(1)'", [I("python", "print(1)")]),
            ("python3.11 -Bc 'x' a b", [I("python", "x")]),
            ("python3 -W ignore -X dev -c 'x'", [I("python", "x")]),
            ("python3 -I -c 'x'", [I("python", "x")]),
            ("python3 -i -c 'x'", [I("python", "x"), I("python", "-")]),
            ("python3 -m pytest -x", []),
            ("python3 -mpytest", []),
            ("python3 -m timeit 'import os'", [I("python", "import os")]),
            ("python3 -m code", [I("python", "-")]),
            ("python3 script.py -c x", []),
            ("python3 -", [I("python", "-")]),
            ("python3", [I("python", "-")]),
            ("python3 -u", [I("python", "-")]),
            ("python3 -- script.py", []),
            ("python3 -V", []),
            ("python3 --version", []),
            ("python3 -Z x", [.unknown(U)]),
            ("pypy3 -c x", [I("python", "x")]),
            ("node -e 'require(\"fs\")'", [I("javascript", "require(\"fs\")")]),
            ("node --eval 'x'", [I("javascript", "x")]),
            ("node --eval='x'", [I("javascript", "x")]),
            ("node -p '1+1'", [I("javascript", "1+1")]),
            ("node -pe '1+1'", [I("javascript", "1+1")]),
            ("node --print x", [I("javascript", "x")]),
            ("node -r ./m.js -e x", [I("javascript", "x")]),
            ("node --import data:text/javascript,x app.js", [I("javascript", "data:text/javascript,x")]),
            ("node app.js -e x", []),
            ("node --max-old-space-size=100 app.js", []),
            ("node --unknownopt v -e x", [I("javascript", "x")]),
            ("node", [I("javascript", "-")]),
            ("node -", [I("javascript", "-")]),
            ("node -i", [I("javascript", "-")]),
            ("node --run build", [.unknown(U)]),
            ("node --version", []),
            ("deno eval 'Deno.exit()'", [I("javascript", "Deno.exit()")]),
            ("deno run app.ts", []),
            ("deno task x", [.unknown(U)]),
            ("bun -e x", [I("javascript", "x")]),
            ("perl -e 'print 1'", [I("perl", "print 1")]),
            ("perl -E 'say 1'", [I("perl", "say 1")]),
            ("perl -ne 'print'", [I("perl", "print")]),
            ("perl -pe 's/a/b/' f", [I("perl", "s/a/b/")]),
            ("perl -lne 'print' f", [I("perl", "print")]),
            ("perl -pi -e 's/a/b/' f", [I("perl", "s/a/b/")]),
            ("perl -i.bak -pe 'x' f", [I("perl", "x")]),
            ("perl -0777 -ne 'x'", [I("perl", "x")]),
            ("perl -e 'a' -e 'b'", [I("perl", "a\nb")]),
            ("perl -eprint", [I("perl", "print")]),
            ("perl -MPOSIX -e 'x'", [I("perl", "x")]),
            ("perl -Mstrict script.pl", []),
            ("perl '-MPOSIX;system(1)' script.pl", [I("perl", "use POSIX;system(1)")]),
            ("perl -pie 's/a/b/' f", []),  // -i takes "e": s/a/b/ is the program file
            ("perl -I lib script.pl", []),
            ("perl script.pl", []),
            ("perl", [I("perl", "-")]),
            ("perl -w", [I("perl", "-")]),
            ("perl -v", []),
            ("ruby -e 'puts 1'", [I("ruby", "puts 1")]),
            ("ruby -ne 'print'", [I("ruby", "print")]),
            ("ruby -rjson -e x", [I("ruby", "x")]),
            ("ruby app.rb", []),
            ("php -r 'echo 1;'", [I("php", "echo 1;")]),
            ("php -B 'x' -R 'y'", [I("php", "x"), I("php", "y")]),
            ("php -d x=1 app.php", []),
            ("php -f app.php", []),
            ("php", [I("php", "-")]),
            ("php -a", [I("php", "-")]),
            ("lua -e 'os.execute(\"x\")'", [I("lua", "os.execute(\"x\")")]),
            ("lua5.4 -l socket script.lua", []),
            ("lua", [I("lua", "-")]),
            ("luajit -e x", [I("lua", "x")]),
            ("Rscript -e 'system(\"x\")'", [I("r", "system(\"x\")")]),
            ("Rscript --vanilla script.R", []),
            ("R -e 'x'", [I("r", "x")]),
            ("R CMD INSTALL x", [.unknown(U)]),
            ("expect -c 'spawn x'", [I("expect", "spawn x")]),
            ("expect script.exp", []),
            ("tclsh", [I("tcl", "-")]),
        ])
    }

    func testAwkSed() {
        check([
            ("awk '{print $1}' f", [I("awk", "{print $1}")]),
            ("awk -F: '{print $1}' /etc/passwd", [I("awk", "{print $1}")]),
            ("awk -F : -v x=1 'BEGIN{system(\"rm x\")}'", [I("awk", "BEGIN{system(\"rm x\")}")]),
            ("gawk -e 'BEGIN{x}' -e '{y}' f", [I("awk", "BEGIN{x}\n{y}")]),
            ("gawk --source='x' f", [I("awk", "x")]),
            ("mawk -W sprintf=100 '{x}'", [I("awk", "{x}")]),
            ("awk -f prog.awk f", [.unknown(U)]),
            ("gawk --sandbox -f prog.awk f", []),
            ("gawk -l filefuncs 'x'", [.unknown(U)]),
            ("awk -- '{x}' f", [I("awk", "{x}")]),
            ("awk", []),
            ("awk --version", []),
            ("sed 's/a/b/' f", []),
            ("sed -n 's/a/b/p' f", []),
            ("sed 's/x/id/e' f", [I("sed", "s/x/id/e")]),
            ("sed -e 's/a/b/' -e '1e id' f", [I("sed", "s/a/b/\n1e id")]),
            ("sed f -e '1e id'", [I("sed", "1e id")]),
            ("sed --expression='e id'", [I("sed", "e id")]),
            ("sed -i.bak 's/a/b/' f", []),
            ("sed -E -i 's/(a)/e/' f", []),
            ("sed -f script.sed f", [.unknown(U)]),
            ("sed --sandbox -f script.sed f", []),
            ("sed --sandbox 'e id' f", []),
            ("sed -k x", [.unknown(U)]),
        ])
    }

    func testFind() {
        check([
            ("find . -name '*.py' -exec rm -f {} ;", [A("rm -f {}")]),
            ("find . -exec rm {} +", [A("rm {}")]),
            ("find . -execdir sh -c 'x' ;", [S("x").argvOf(["sh", "-c", "x"])]),
            ("find . -type f -exec chmod 644 {} ; -exec rm {} +", [A("chmod 644 {}"), A("rm {}")]),
            ("find -L . -ok rm {} ;", [A("rm {}")]),
            ("find . -okdir rm {} ;", [A("rm {}")]),
            ("find . -exec echo + ;", [A("echo +")]),
            ("find . -name -exec -print", []),
            ("find . -path '-exec' -exec id ;", [A("id")]),
            ("find . -newermt -exec -print", []),
            ("find . -fprintf f -exec x -print", []),
            ("find . -exec {} ;", [.unknown(U)]),
            ("find . -exec sh -c 'echo {}' ;", [.unknown(U)]),
            ("find . -exec bash {} ;", [.unknown(U)]),
            ("find . -exec python3 -c 'print(\"{}\")' ;", [.unknown(U)]),
            ("find . -exec sh -c 'echo \"$1\"' _ {} ;", [A("sh -c 'echo \"$1\"' _ {}")]),
            ("find . -exec rm {}", [.unknown(U)]),
            ("find . -delete", []),
            ("find -D tree . -exec id ;", [A("id")]),
        ])
    }

    func testGit() {
        check([
            ("git status", []),
            ("git -c x=y push --force", []),
            ("git -C dir -c a=b push -f origin", []),
            ("git -c core.fsmonitor='rm x' status", [.unknown(U)]),
            ("git -c core.fsmonitor=false status", []),
            ("git -c core.fsMonitor=true status", []),
            ("git -c core.pager=cat log", []),
            ("git -c core.pager='less -R' log", []),
            ("git -c core.pager='sh -c x' log", [.unknown(U)]),
            ("git -c pager.log='rm x' log", [.unknown(U)]),
            ("git -c core.sshCommand='ssh -i k' fetch", [.unknown(U)]),
            ("git -c core.editor=vim commit", [.unknown(U)]),
            ("git -c core.hooksPath=/tmp/h commit", [.unknown(U)]),
            ("git -c diff.external=x diff", [.unknown(U)]),
            ("git -c diff.foo.textconv=x diff", [.unknown(U)]),
            ("git -c filter.lfs.smudge=x checkout", [.unknown(U)]),
            ("git -c uploadpack.packObjectsHook=x fetch", [.unknown(U)]),
            ("git -c protocol.ext.allow=always fetch", [.unknown(U)]),
            ("git -c protocol.allow=always fetch", [.unknown(U)]),
            ("git -c protocol.ext.allow=never fetch", []),
            ("git -c credential.helper='!x' push", [.unknown(U)]),
            ("git -c gpg.program=x commit", [.unknown(U)]),
            ("git -c include.path=/tmp/c status", [.unknown(U)]),
            ("git -c difftool.x.cmd=y status", [.unknown(U)]),
            ("git -c user.name=x commit", []),
            ("git -c alias.x='!rm y' x", [S("rm y")]),
            ("git -c alias.x='!rm' x a b", [S("rm \"$@\"", "rm", ["a", "b"])]),
            ("git -c alias.x='push --force' x origin", [A("git -c 'alias.x=push --force' push --force origin")]),
            ("git -c alias.X='status' x", [A("git -c alias.X=status status")]),
            ("git -c alias.x=x x", [.unknown(U)]),
            ("git -c alias.x='!rm y' status", []),
            ("git --exec-path=/tmp status", [.unknown(U)]),
            ("git --exec-path", []),
            ("git --config-env=core.pager=P log", [.unknown(U)]),
            ("git --git-dir x --work-tree=y status", []),
            ("git --bogus status", [.unknown(U)]),
            ("git submodule foreach 'rm x'", [S("rm x")]),
            ("git submodule foreach --recursive git clean -fdx", [S("git clean -fdx")]),
            ("git bisect run make test", [A("make test")]),
            ("git rebase --exec 'make test' main", [S("make test")]),
            ("git rebase -x 'rm x' main", [S("rm x")]),
            ("git rebase --exec='id' main", [S("id")]),
            ("git rebase -i main", [.unknown(U)]),
            ("git rebase --interactive main", [.unknown(U)]),
            ("git rebase main", []),
            ("git filter-branch --tree-filter 'rm x' HEAD", [S("rm x")]),
            ("git difftool -x 'diff -u'", [S("diff -u")]),
            ("git fetch --upload-pack='x' origin", [.unknown(U)]),
            ("git push --receive-pack=x origin", [.unknown(U)]),
            ("git clone -u x repo", [.unknown(U)]),
            ("git clone --template=/tmp/t repo", [.unknown(U)]),
            ("git clone -c core.fsmonitor=x repo", [.unknown(U)]),
            ("git clone --depth 1 repo", []),
            ("git config core.pager 'rm x'", [.unknown(U)]),
            ("git config --global core.hooksPath /tmp/h", [.unknown(U)]),
            ("git config set core.editor vim", [.unknown(U)]),
            ("git config alias.x '!rm y'", [.unknown(U)]),
            ("git config --get core.pager", []),
            ("git config user.name x", []),
            ("git config --edit", [.unknown(U)]),
            ("git grep -Ovim x", [.unknown(U)]),
            ("git log -p", []),
        ])
    }

    func testTarRsyncSsh() {
        check([
            ("tar -xzf a.tgz", []),
            ("tar xzf a.tgz", []),
            ("tar -xzfa.tgz", []),
            ("tar --checkpoint-action=exec='sh x' -cf a.tar .", [S("sh x")]),
            ("tar --checkpoint=10 --checkpoint-action=dot -cf a.tar .", []),
            ("tar --to-command='rm x' -xf a.tar", [S("rm x")]),
            ("tar --to-command 'rm x' -xf a.tar", [S("rm x")]),
            ("tar --to-c='rm x' -xf a.tar", [S("rm x")]),
            ("tar -I 'rm x' -xf a.tar", [S("rm x")]),
            ("tar -xIzstd -f a.tar", [S("zstd")]),
            ("tar --use-compress-program=pigz -cf a.tgz .", [S("pigz")]),
            ("tar cIf 'rm x' a.tar .", [S("rm x")]),
            ("tar -cf a.tar -F 'rm x' .", [S("rm x")]),
            ("tar --rsh-command=/bin/x -cf h:a .", [.unknown(U), .unknown(U)]),
            ("tar -cf host:a.tar .", [.unknown(U)]),
            ("tar --force-local -cf host:a.tar .", []),
            ("tar -cf ./a:b.tar .", []),
            ("rsync -av -e 'ssh -p 22' a host:b", [S("ssh -p 22")]),
            ("rsync -ave ssh a b", [S("ssh")]),
            ("rsync --rsh='rm x' a b", [S("rm x")]),
            ("rsync -av a b", []),
            ("ssh host", [.unknown(U)]),
            ("ssh host ls", [.unknown(U)]),
            ("ssh -p 22 host -l u rm x", [.unknown(U)]),
            ("ssh -N -L 8080:localhost:80 host", []),
            ("ssh -o ProxyCommand='nc %h %p' -N host", [S("nc %h %p")]),
            ("ssh -oProxyCommand=x -N host", [S("x")]),
            ("ssh -o 'LocalCommand rm x' -N host", [S("rm x")]),
            ("ssh -V", []),
            ("ssh -F cfg -N host", [.unknown(U)]),
            ("scp -S ./evil a host:b", [A("./evil")]),
            ("scp -o ProxyCommand=x a host:b", [S("x")]),
            ("scp -r a host:b", []),
        ])
    }

    func testEditorsAndOthers() {
        check([
            ("vim file", []),
            ("vim +10 file", []),
            ("vim +/foo file", []),
            ("vim -c '!rm x' file", [.unknown(U)]),
            ("vim '+!rm x' file", [.unknown(U)]),
            ("vim '+call system(\"x\")' f", [.unknown(U)]),
            ("vi --cmd x f", [.unknown(U)]),
            ("vim -S s.vim", [.unknown(U)]),
            ("vim -u NONE f", []),
            ("vim -u evil.vim f", [.unknown(U)]),
            ("vim -es", [.unknown(U)]),
            ("nvim -l x.lua", [.unknown(U)]),
            ("ex f", [.unknown(U)]),
            ("less f", []),
            ("less +G f", []),
            ("less '+!rm x' f", [.unknown(U)]),
            ("man ls", []),
            ("man -P 'rm x' ls", [S("rm x")]),
            ("make", [.unknown(U)]),
            ("make -C dir test", [.unknown(U)]),
            ("make --version", []),
            ("at now", [.unknown(U)]),
            ("at -l", []),
            ("batch", [.unknown(U)]),
            ("crontab f", [.unknown(U)]),
            ("crontab -l", []),
            ("rm -rf /", []),
            ("ls", []),
            ("/usr/local/bin/custom x", []),
        ])
    }

    func testEmptyAndPaths() {
        XCTAssertEqual(innerCommands([]), [])
        XCTAssertEqual(innerCommands(["/usr/bin/sudo", "rm"]), [.argv(["rm"], env: [])])
        XCTAssertEqual(innerCommands(["./env", "rm"]), [.argv(["rm"], env: [])])
    }

    func testInlineProgram() {
        XCTAssertEqual(inlineProgram(["awk", "-F:", "{print}"])?.code, "{print}")
        XCTAssertEqual(inlineProgram(["sed", "-n", "s/a/b/w out"])?.code, "s/a/b/w out")
        XCTAssertNil(inlineProgram(["sed", "-f", "x"]))
        XCTAssertNil(inlineProgram(["ls"]))
    }

    func testEnvSplitMatchesCoreutils() {
        XCTAssertEqual(envSplitString(#"printf [%s] a\_b "c d" 'e\\f' #x"#), ["printf", "[%s]", "a", "b", "c d", "e\\f"])
        XCTAssertEqual(envSplitString(#"a\cb c"#), ["a"])
        XCTAssertEqual(envSplitString(#"'a b'"c"\t"#), ["a bc\t"].map { $0.replacingTab() })
        XCTAssertEqual(envSplitString(""), [])
    }
}

private extension Inner {
    /// Test helper: the argv form (find -execdir sh -c x gives the sh argv, not the script).
    func argvOf(_ a: [String]) -> Inner { .argv(a, env: []) }
}

private extension String {
    func replacingTab() -> String { self }
}
