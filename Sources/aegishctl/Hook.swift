import ArgumentParser
import Foundation
import Policy

/// `aegishctl hook`: aegish's decision inside agent harnesses that ask a program before running a
/// tool call.
struct Hook: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer an agent harness's pre-tool-use hook with aegish's decision.",
        subcommands: [ClaudeCodeHook.self])
}

/// Claude Code's PreToolUse hook protocol, as documented at
/// https://code.claude.com/docs/en/hooks#pretooluse (input) and
/// https://code.claude.com/docs/en/hooks#pretooluse-decision-control (output):
///
///   stdin:  {"session_id": …, "transcript_path": …, "cwd": "/dir", "hook_event_name": "PreToolUse",
///            "tool_name": "Bash", "tool_input": {"command": "…", "description": …, "timeout": …}}
///   stdout: {"hookSpecificOutput": {"hookEventName": "PreToolUse",
///            "permissionDecision": "allow" | "deny" | "ask", "permissionDecisionReason": "…"}}
///   exit 0 (the JSON is read only on exit 0). No output: no opinion, Claude Code's own
///   permission rules decide. "allow" skips Claude Code's permission prompt; "deny" shows the
///   reason to Claude; "ask" shows it to the user in the prompt.
///
/// Claude Code runs the command with its own shell, not aegish: this is the static check
/// (`aegishctl check`), which decides values it cannot know conservatively. Anything that goes
/// wrong here (unreadable input, a policy that does not load or whose examples fail, a command
/// that does not parse) answers "deny" with the reason: the hook fails closed.
struct ClaudeCodeHook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claude-code",
        abstract: "Claude Code's PreToolUse hook: decide Bash tool calls with the policy (JSON on stdin and stdout).",
        discussion: """
            Reads the hook's JSON on standard input. For the Bash tool, prints \
            {"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": \
            "allow"|"deny"|"ask", "permissionDecisionReason": "…"}} and exits 0; for any other \
            tool prints nothing (no opinion). A policy that does not load, input that is not \
            the hook's JSON, or a command that does not parse is answered "deny" with the reason. \
            Configure it in settings.json under hooks → PreToolUse with matcher "Bash".
            """)

    @OptionGroup var policyOptions: PolicyOptions

    @OptionGroup var userOption: UserOption

    @Flag(name: .long, help: "On allow, print nothing, so Claude Code's own permission rules still apply (aegish only adds deny and ask).")
    var onlyRefuse = false

    func run() throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        guard let object = try? JSONSerialization.jsonObject(with: input) as? [String: Any] else {
            answer(.deny, "aegish: the hook input is not a JSON object; is this hook configured for Claude Code's PreToolUse event?")
            return
        }
        if let event = object["hook_event_name"] as? String, event != "PreToolUse" {
            stderrLine("aegishctl hook claude-code: ignoring the \(event) event (configure it under PreToolUse)")
            return
        }
        guard let tool = object["tool_name"] as? String else {
            answer(.deny, "aegish: the hook input has no tool_name")
            return
        }
        // Other tools (Read, Write, WebFetch, MCP tools…) are not shell commands: no opinion.
        guard tool == "Bash" else { return }
        guard let toolInput = object["tool_input"] as? [String: Any], let command = toolInput["command"] as? String else {
            answer(.deny, "aegish: the Bash tool call has no tool_input.command")
            return
        }
        var cwd = currentDirectoryPath()
        if let c = object["cwd"] as? String, c.hasPrefix("/") { cwd = absolutePath(c, base: "/") }

        let p: LoadedPolicy
        switch loadResult(policyOptions, user: userOption.user) {
        case .success(let loaded): p = loaded
        case .failure(let e):
            answer(.deny, "aegish: the policy could not be loaded, so every command is refused: "
                   + e.message.replacingOccurrences(of: "aegishctl: ", with: "").replacingOccurrences(of: "\n", with: " "))
            return
        }
        if let why = failingExample(p) {
            answer(.deny, "aegish: the policy's own example fails, so aegish refuses every command: \(why)")
            return
        }
        let outcome: Outcome
        do {
            // Claude Code's shell runs it: nothing inside a shell it starts is checked again.
            outcome = try analyseText(command, p, cwd: cwd, runner: .otherShell)
        } catch {
            answer(.deny, "aegish: the command does not parse, so aegish would not run it: \(error)")
            return
        }
        let d = outcome.decision
        if d.verdict == .allow && onlyRefuse { return }
        answer(d.verdict, reason(outcome))
    }

    /// The overall decision, then the other commands that were not allowed (most useful first).
    func reason(_ o: Outcome) -> String {
        let d = o.decision
        var text = "aegish \(d.verdict): " + (d.ruleID.isEmpty ? "" : "\(d.ruleID): ") + (d.reason.isEmpty ? "allowed by the policy" : d.reason)
        let others = o.findings.filter { $0.decision.verdict != .allow && $0.decision != d }
        for f in others.prefix(3) {
            text += "; also \(f.decision.verdict) at \(f.pos): \(f.what) — \(f.decision.reason)"
        }
        return text
    }

    func answer(_ v: Verdict, _ reason: String) {
        let out: [String: Any] = ["hookSpecificOutput": [
            "hookEventName": "PreToolUse",
            "permissionDecision": v.description,
            "permissionDecisionReason": reason,
        ]]
        print(jsonText(out, pretty: false))
    }
}
