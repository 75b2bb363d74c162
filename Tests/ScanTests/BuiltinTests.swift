import XCTest
@testable import Scan

/// The built-in layer, one small case per behaviour: (code, expected rule ids with lines).
final class BuiltinTests: XCTestCase {
    /// "rule@line" for every finding, sorted.
    func rules(_ code: String, _ language: ScanLanguage) -> [String] {
        BuiltinScanner.scan(code, language: language, file: "t").map { "\($0.rule)@\($0.line)" }.sorted()
    }
    func subjects(_ code: String, _ language: ScanLanguage) -> [String] {
        BuiltinScanner.scan(code, language: language, file: "t").compactMap { f -> String? in
            switch f.subject {
            case .writes(let p): return "w:" + p
            case .contacts(let h): return "c:" + h
            case nil: return nil
            }
        }.sorted()
    }

    // MARK: Python

    func testPythonShellAndEval() {
        XCTAssertEqual(rules("import os\nos.system('ls')\n", .python), ["py.shell@2"])
        XCTAssertEqual(rules("import subprocess\nsubprocess.call(x, shell=True)\n", .python), ["py.shell@2"])
        XCTAssertEqual(rules("import subprocess\nsubprocess.run(['ls', '-l'])\n", .python), ["py.spawn@2"])
        XCTAssertEqual(rules("import subprocess as sp\nsp.Popen(cmd, shell=True)\n", .python), ["py.shell@2"])
        XCTAssertEqual(rules("from os import system as run\nrun('id')\n", .python), ["py.shell@2"])
        XCTAssertEqual(rules("from subprocess import *\ncheck_output('x', shell=True)\n", .python), ["py.shell@2"])
        XCTAssertEqual(rules("__import__('os').system('id')\n", .python), ["py.shell@1"])
        XCTAssertEqual(rules("eval(input())\n", .python), ["py.eval@1"])
        XCTAssertEqual(BuiltinScanner.scan("eval(input())", language: .python, file: "t").first?.severity, .high)
        XCTAssertEqual(rules("exec(compile(src, 'x', 'exec'))\n", .python), ["py.dynamic@1", "py.eval@1"])
        XCTAssertEqual(rules("import os\ngetattr(os, 'system')('id')\n", .python), ["py.shell@2"])
    }

    func testPythonQuietCases() {
        // Names that merely look alike, comments, strings and docstrings are not calls.
        XCTAssertEqual(rules("import re\nre.compile('x')\nself.eval(1)\n", .python), [])
        XCTAssertEqual(rules("# os.system('rm -rf /')\nx = 1\n", .python), [])
        XCTAssertEqual(rules("def f():\n    \"\"\"Calls os.system('x') at https://example.com.\"\"\"\n    return 1\n", .python), [])
        XCTAssertEqual(rules("print('os.system(x)')\n", .python), [])
        XCTAssertEqual(rules("import subprocess\nsubprocess.run(['ls'], shell=False)\n", .python), ["py.spawn@2"])
    }

    func testPythonWritesAndHosts() {
        XCTAssertEqual(subjects("open('/etc/passwd', 'w').write('x')\n", .python), ["w:/etc/passwd"])
        XCTAssertEqual(subjects("open('/etc/passwd').read()\nopen('/etc/x', mode='r')\n", .python), [])
        XCTAssertEqual(subjects("with open(\"out.txt\", \"a\") as f: pass\n", .python), ["w:out.txt"])
        XCTAssertEqual(subjects("from pathlib import Path\nPath('/etc/hosts').write_text('x')\n", .python), ["w:/etc/hosts"])
        XCTAssertEqual(subjects("import shutil\nshutil.copy('a', '/usr/bin/x')\n", .python), ["w:/usr/bin/x"])
        XCTAssertEqual(rules("import shutil\nshutil.rmtree('/tmp/x')\n", .python), ["path.write@2", "py.rmtree@2"])
        XCTAssertEqual(subjects("import requests\nrequests.get('https://evil.example/x?a=1')\n", .python),
                       ["c:https://evil.example/x?a=1"])
        XCTAssertEqual(subjects("import socket\ns = socket.socket()\ns.connect(('10.0.0.1', 80))\n", .python), ["c:10.0.0.1"])
        XCTAssertEqual(subjects("import http.client\nhttp.client.HTTPSConnection('api.example.com')\n", .python),
                       ["c:api.example.com"])
    }

    func testPythonFStringCode() {
        XCTAssertEqual(rules("import os\nprint(f\"{os.system('id')}\")\n", .python), ["py.shell@2"])
        XCTAssertEqual(rules("x = f'{{not code}} {1+1}'\n", .python), [])
    }

    func testShellCommandInStrings() {
        XCTAssertEqual(rules("cmd = 'rm -rf /var/data'\n", .python), ["shell.rm-recursive@1"])
        XCTAssertEqual(rules("x = 'rm file.txt'\ny = 'form -r'\n", .python), [])
    }

    func testSecrets() {
        let f = BuiltinScanner.scan("key = 'AKIAIOSFODNN7EXAMPLE'\n", language: .python, file: "t")
        XCTAssertEqual(f.map(\.rule), ["secret.aws-key"])
        XCTAssertFalse(f[0].message.contains("AKIAIOSFODNN7EXAMPLE"), "the secret is masked")
        XCTAssertEqual(rules("k = '''\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n'''\n", .python), ["secret.private-key@2"])
        XCTAssertEqual(rules("# token: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n", .python), ["secret.token@1"])
        XCTAssertEqual(rules("x = 'AKIAIOSFODNN7EXAMPLEXX'\n", .python), [], "not a key id: too long")
    }

    // MARK: JavaScript

    func testNode() {
        XCTAssertEqual(rules("const cp = require('child_process');\ncp.exec('ls ' + x);\n", .node),
                       ["js.child-process@1", "js.shell@2"])
        XCTAssertEqual(rules("const { spawn, execSync: run } = require(\"node:child_process\")\nspawn('ls', [])\nrun('id')\n", .node),
                       ["js.child-process@1", "js.shell@3", "js.spawn@2"])
        XCTAssertEqual(rules("import { exec } from 'child_process'\nexec(cmd)\n", .node), ["js.child-process@1", "js.shell@2"])
        XCTAssertEqual(rules("require('child_process').execSync('id')\n", .node), ["js.child-process@1", "js.shell@1"])
        XCTAssertEqual(rules("const c = require('child_process'); c.spawn('ls', [], {shell: true})\n", .node),
                       ["js.child-process@1", "js.shell@1"])
        XCTAssertEqual(rules("eval(process.argv[2])\nnew Function('return 1')\n", .node), ["js.eval@1", "js.eval@2"])
        XCTAssertEqual(rules("const fs = require('fs')\nfs.rmSync('build', { recursive: true, force: true })\n", .node),
                       ["js.rm-recursive@2", "path.write@2"])
        XCTAssertEqual(subjects("const fs = require('fs')\nfs.writeFileSync('/etc/motd', 'x')\n", .node), ["w:/etc/motd"])
        XCTAssertEqual(subjects("fetch(`https://api.example.com/v1/${id}`)\n", .node), ["c:https://api.example.com/v1/"])
        XCTAssertEqual(subjects("https.request({ hostname: 'evil.example', port: 443 })\n", .node), ["c:evil.example"])
        // Regex literals and comments hide nothing, and are not code.
        XCTAssertEqual(rules("// cp.exec('x')\nconst r = /exec\\(/g; /* eval(x) */\n", .node), [])
        XCTAssertEqual(rules("const x = a / b / c; eval(y)\n", .node), ["js.eval@1"])
    }

    // MARK: Perl

    func testPerl() {
        XCTAssertEqual(rules("system(\"ls $dir\");\n", .perl), ["pl.shell@1"])
        XCTAssertEqual(rules("system 'ls', '-l';\n", .perl), ["pl.spawn@1"])
        XCTAssertEqual(rules("my $x = `id`;\nmy $y = qx{uname -a};\n", .perl), ["pl.shell@1", "pl.shell@2"])
        XCTAssertEqual(rules("open(my $fh, '-|', 'ls');\nopen(F, \"| mail root\");\n", .perl), ["pl.shell@1", "pl.shell@2"])
        XCTAssertEqual(subjects("open(my $fh, '>', '/etc/x') or die;\nopen(G, \">>/var/log/y\");\n", .perl),
                       ["w:/etc/x", "w:/var/log/y"])
        XCTAssertEqual(rules("eval $code;\neval { risky() };\n", .perl), ["pl.eval@1"])
        XCTAssertEqual(rules("use File::Path qw(remove_tree);\nremove_tree('/tmp/x');\n", .perl), ["path.write@2", "pl.rmtree@2"])
        XCTAssertEqual(rules("# system('x')\n=pod\n\nsystem('y')\n\n=cut\nprint $#ARGV;\n", .perl), [])
        XCTAssertEqual(rules("my %h = (s => 1, y => 2); print $h{s};\n", .perl), [])
        XCTAssertEqual(rules("$s =~ s/x/system('id')/e;\n", .perl), ["pl.shell@1"])
        XCTAssertEqual(rules("print <<EOF;\nsystem('not code')\nEOF\nsystem('ls');\n", .perl), ["pl.shell@4"])
    }

    // MARK: Ruby

    func testRuby() {
        XCTAssertEqual(rules("system(\"ls #{dir}\")\n", .ruby), ["rb.shell@1"])
        XCTAssertEqual(rules("system('ls', '-l')\n", .ruby), ["rb.spawn@1"])
        XCTAssertEqual(rules("x = `id`\ny = %x(uname)\n", .ruby), ["rb.shell@1", "rb.shell@2"])
        XCTAssertEqual(rules("require 'open3'\nOpen3.capture2('ls')\nIO.popen('id')\n", .ruby), ["rb.shell@2", "rb.shell@3"])
        XCTAssertEqual(rules("eval(params[:code])\nobj.instance_eval { x }\n", .ruby), ["rb.eval@1"])
        XCTAssertEqual(rules("obj.send(:system, 'id')\n", .ruby), ["rb.shell@1"])
        XCTAssertEqual(rules("require 'fileutils'\nFileUtils.rm_rf('/srv/data')\n", .ruby), ["path.write@2", "rb.rmtree@2"])
        XCTAssertEqual(subjects("File.write('/etc/x', 'y')\nFile.open('/tmp/a', 'w') { |f| }\n", .ruby), ["w:/etc/x", "w:/tmp/a"])
        XCTAssertEqual(rules("# system('x')\n=begin\nsystem('y')\n=end\nputs 'system(z)'\n", .ruby), [])
        XCTAssertEqual(rules("puts \"#{`id`}\"\n", .ruby), ["rb.shell@1"])
        XCTAssertEqual(rules("text = <<~EOS\n  system('not code')\nEOS\nsystem('ls')\n", .ruby), ["rb.shell@4"])
        XCTAssertEqual(subjects("require 'net/http'\nNet::HTTP.get(URI('https://evil.example/x'))\n", .ruby),
                       ["c:https://evil.example/x"])
    }
}
