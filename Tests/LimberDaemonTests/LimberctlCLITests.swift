import Foundation
import Testing

/// limberctl's command line as a person meets it: one exit-code table kept
/// by every command (bad value 2 whether limberd runs or not, limberd
/// absent 3), suggestions for a mistyped command, the `off` status, the
/// report to standard output, completions from the daemon or the files.
@Suite(.serialized) struct LimberctlCLITests {
    /// Bad values, each exits 2 before limberd is asked.
    static let badValues: [[String]] = [
        ["snooze", "banana"], ["snooze", "0s"], ["pause", "banana"], ["pause", "--until", "25:00"],
        ["pause", "--until", "noon"], ["done", "abc"], ["skip", "-"], ["snooze", "--reminder", "x"],
        ["checkin", "--pain", "11"], ["checkin", "--pain", "-1"], ["checkin", "--pain", "2", "--reach", "elbow"],
        ["checkin", "--pain", "2", "--red-flag", "nope"], ["stats", "--since", "yesterday"],
        ["stauts"], ["programs", "enbale", "x"], ["status", "--jsn"],
    ]

    @Test func badValuesExit2WithoutLimberd() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        for args in Self.badValues {
            let r = try world.ctl(args)
            #expect(r.code == 2, "limberctl \(args.joined(separator: " ")) without limberd: exit \(r.code), \(r.err)")
            #expect(!r.err.isEmpty, "limberctl \(args.joined(separator: " ")) says why")
        }
    }

    @Test func badValuesExit2WithLimberd() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        for args in Self.badValues + [["pause", "8d"]] {
            let r = try world.ctl(args)
            #expect(r.code == 2, "limberctl \(args.joined(separator: " ")) with limberd: exit \(r.code), \(r.err)")
        }
        // A value only limberd can judge (longer than the longest snooze) is still 2.
        #expect(try world.ctl("trigger", "drill/move").code == 0)
        let long = try world.ctl("snooze", "2d")
        #expect(long.code == 2, "\(long.err)")
        #expect(try world.ctl("done").code == 0)
        // limberd's own refusals stay 1: nothing is showing to answer.
        #expect(try world.ctl("done").code == 1)
        #expect(try world.ctl("trigger", "drill/nope").code == 1)
    }

    @Test func limberdAbsentIsItsOwnCode() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        for args in [["status"], ["next"], ["done"], ["snooze", "10m"], ["pause", "--until", "12:00"], ["programs"], ["plugins"]] {
            let r = try world.ctl(args)
            #expect(r.code == 3, "limberctl \(args.joined(separator: " ")) without limberd: exit \(r.code)")
            #expect(r.err.contains("limberd is not running"), "\(r.err)")
        }
        // status --json prints the off object a status bar reads, as watch --status --json does.
        let off = try world.ctl("status", "--json")
        #expect(off.code == 3)
        #expect(off.out.split(separator: "\n").count == 1)
        #expect(off.json["schema"] as? Int == 1)
        #expect(off.json["state"] as? String == "off" && off.json["class"] as? String == "off" && off.json["text"] as? String == "off")
        #expect((off.json["tooltip"] as? String)?.contains("not running") == true)
        #expect(try world.ctl("status", "--short").out == "off\n")
    }

    @Test func theTableIsTheOneInHelpManPageAndAPIDoc() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        let help = try world.ctl("--help").out.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  ", with: " ")
        let page = try String(contentsOfFile: repositoryRoot + "/docs/man/limberctl.1", encoding: .utf8)
        let api = try String(contentsOfFile: repositoryRoot + "/docs/api.md", encoding: .utf8)
        let exitSection = try #require(page.components(separatedBy: ".SH \"EXIT STATUS\"").dropFirst().first ?? page.components(separatedBy: ".SH EXIT STATUS").dropFirst().first)
        for (code, words) in [(0, "success"), (1, "limberd refused"), (2, "bad usage or a bad value"), (3, "limberd not reachable"),
                              (4, "configuration errors"), (5, "the history is not available")] {
            #expect(help.contains("\(code) \(words)"), "--help: \(code)")
            #expect(exitSection.contains(".B \(code)\n") || exitSection.contains(".IP \(code)"), "limberctl.1: \(code)")
            #expect(exitSection.lowercased().contains(words.lowercased()), "limberctl.1 says \(code) is \(words)")
            #expect(api.contains("| \(code) | \(words)"), "docs/api.md: \(code) | \(words)")
        }
    }

    @Test func aMistypedCommandGetsASuggestion() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        let r = try world.ctl("stauts")
        #expect(r.code == 2)
        #expect(r.err.contains("unknown command 'stauts'") && r.err.contains("'status'"), "\(r.err)")
        let p = try world.ctl("programs", "enbale", "drill")
        #expect(p.code == 2 && p.err.contains("'enable'"), "\(p.err)")
        let pain = try world.ctl("checkin", "--pain", "-1")
        #expect(pain.err.contains("--pain must be 0 to 10"), "\(pain.err)")
        #expect(!pain.err.contains("Missing value"))
    }

    @Test func reportToStandardOutput() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        _ = try world.ctl("trigger", "drill/move")
        _ = try world.ctl("done")
        let r = try world.ctl("report", "--html", "-")
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.hasPrefix("<!DOCTYPE html>") || r.out.hasPrefix("<!doctype html>"), "\(r.out.prefix(80))")
        #expect(!FileManager.default.fileExists(atPath: world.root + "/home/-"))
        #expect(!r.out.contains("wrote -"))
    }

    @Test func completionsComeFromLimberdOrTheFiles() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        func complete(_ path: [String], _ arg: String, _ words: [String]) throws -> [String] {
            let r = try world.ctl(["---completion"] + path + ["--", arg, "\(words.count - 1)", "\(words.last?.count ?? 0)"] + words)
            return r.out.split(separator: "\n").map(String.init)
        }
        // limberd down: from the files (and it is not started for a completion).
        let rulesFromFiles = try complete(["trigger"], "positional@0", ["limberctl", "trigger", ""])
        #expect(rulesFromFiles.contains("drill/move") && rulesFromFiles.contains("drill/stretch"), "\(rulesFromFiles)")
        #expect(!world.waitForName(present: true, timeout: .milliseconds(200)), "a completion never starts limberd")
        let programs = try complete(["programs", "enable"], "positional@0", ["limberctl", "programs", "enable", ""])
        #expect(programs.contains("drill") && programs.contains("spare"), "\(programs)")
        #expect(try complete(["programs", "show"], "positional@0", ["limberctl", "programs", "show", "sp"]) == ["spare"])
        #expect(try complete(["done"], "positional@0", ["limberctl", "done", ""]).isEmpty, "nothing on screen")

        // limberd up: from limberd, including the reminder on screen.
        try world.startDaemon()
        let rules = try complete(["trigger"], "positional@0", ["limberctl", "trigger", "drill/"])
        #expect(rules == ["drill/move", "drill/stretch"], "\(rules)")
        let shown = try world.ctl("trigger", "drill/stretch").out
        let id = shown.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        #expect(try complete(["done"], "positional@0", ["limberctl", "done", ""]) == [id])
        #expect(try complete(["snooze"], "--reminder", ["limberctl", "snooze", "--reminder", ""]) == [id])
    }

    /// Every value a command takes completes to something: ids, a list, or
    /// file names. A new command or option without a completion fails here,
    /// by name (free text is listed on purpose).
    @Test func everyValueHasACompletion() throws {
        let freeText: Set<String> = ["checkin --note", "limberd --time-scale"]
        for tool in ["limberctl", "limberd"] {
            let dump = try LimberctlDocsTests.run(BuiltProducts.directory + "/" + tool, ["--experimental-dump-help"])
            let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.out.utf8)) as? [String: Any])
            var missing: [String] = []
            func walk(_ command: [String: Any], _ path: [String]) {
                for arg in command["arguments"] as? [[String: Any]] ?? [] {
                    let kind = arg["kind"] as? String ?? ""
                    guard kind != "flag", arg["shouldDisplay"] as? Bool ?? true else { continue }
                    let names = (arg["names"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
                    let name = kind == "positional" ? (arg["valueName"] as? String ?? "?") : "--" + (names.first { $0.count > 1 } ?? names.first ?? "?")
                    if ["help", "version"].contains(name.dropFirst(2)) { continue }
                    let key = (path.dropFirst().last.map { String($0) } ?? path[0]) + " " + name
                    if arg["completionKind"] == nil && !freeText.contains(key) {
                        missing.append(path.joined(separator: " ") + " " + name)
                    }
                }
                for sub in command["subcommands"] as? [[String: Any]] ?? [] where sub["commandName"] as? String != "help" {
                    walk(sub, path + [sub["commandName"] as? String ?? "?"])
                }
            }
            walk(try #require(root["command"] as? [String: Any]), [tool])
            #expect(missing.isEmpty, "no completion for: \(missing.joined(separator: ", ")) (add completion: Complete.… in Sources/limberctl/Completions.swift, or list it as free text here)")
        }
    }

    /// An unknown [plugins.ID] is an error in check (as in a reload), with a suggestion.
    @Test func anUnknownPluginIsAnErrorWithASuggestion() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        let file = world.root + "/config/limber/limber.toml"
        let settings = try String(contentsOfFile: file, encoding: .utf8)
        try (settings + "\n[plugins.quiet-hour]\nwindows = [\"12:00-13:00\"]\n").write(toFile: file, atomically: true, encoding: .utf8)
        let r = try world.ctl("check")
        #expect(r.code == 4, "\(r.out)\(r.err)")
        #expect(r.err.contains("unknown plugin 'quiet-hour'") && r.err.contains("did you mean 'quiet-hours'?"), "\(r.err)")
        #expect(r.err.contains("limber.toml:"), "file:line:column: \(r.err)")
        let d = Process()
        d.executableURL = URL(fileURLWithPath: BuiltProducts.limberd)
        d.arguments = ["--check"]
        d.environment = world.environment
        let err = Pipe()
        d.standardError = err
        d.standardOutput = err
        try d.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        d.waitUntilExit()
        #expect(d.terminationStatus != 0 && text.contains("did you mean 'quiet-hours'?"), "limberd --check: \(text)")
    }
}
