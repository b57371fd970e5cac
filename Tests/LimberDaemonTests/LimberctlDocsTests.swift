import Foundation
import Testing

/// The generated shell completions and the man pages that `make install`
/// installs stay in step with limberctl.
@Suite struct LimberctlDocsTests {
    static func run(_ exe: String, _ args: [String]) throws -> (code: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// completions/ holds what ArgumentParser generates; regenerate with
    /// `LIMBER_REGENERATE_COMPLETIONS=1 swift test --filter LimberctlDocsTests`.
    @Test(arguments: [("limberctl", "bash", "limberctl.bash"), ("limberctl", "zsh", "_limberctl"), ("limberctl", "fish", "limberctl.fish"),
                      ("limberd", "bash", "limberd.bash"), ("limberd", "zsh", "_limberd"), ("limberd", "fish", "limberd.fish")])
    func completionsAreGenerated(program: String, shell: String, file: String) throws {
        let generated = try Self.run(BuiltProducts.directory + "/" + program, ["--generate-completion-script", shell])
        #expect(generated.code == 0)
        let path = repositoryRoot + "/completions/" + file
        if ProcessInfo.processInfo.environment["LIMBER_REGENERATE_COMPLETIONS"] == "1" {
            try FileManager.default.createDirectory(atPath: repositoryRoot + "/completions", withIntermediateDirectories: true)
            try generated.out.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOfFile: path, encoding: .utf8)
        #expect(committed == generated.out, "completions/\(file) is stale: LIMBER_REGENERATE_COMPLETIONS=1 swift test --filter LimberctlDocsTests")
        let words = program == "limberctl" ? ["status", "next", "snooze", "pause", "programs", "watch", "checkin", "export", "history"]
            : ["foreground", "time-scale", "check", "explain"]
        for word in words { #expect(committed.contains(word)) }
    }

    /// The four pages exist and groff reads them without a warning.
    @Test(arguments: ["limberctl.1", "limberd.8", "limber.toml.5", "limber-program.5"])
    func manPageIsCleanRoff(page: String) throws {
        let path = repositoryRoot + "/docs/man/" + page
        #expect(FileManager.default.fileExists(atPath: path))
        let r = try Self.run("/usr/bin/groff", ["-man", "-ww", "-z", "-Tutf8", path])
        #expect(r.code == 0)
        #expect(r.err.isEmpty, "\(page): \(r.err)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let name = page.split(separator: ".").dropLast().joined(separator: ".")
        #expect(text.contains(".TH \"\(name.uppercased())\" \"\(page.split(separator: ".").last!)\"") || text.contains(".TH \(name.uppercased()) \(page.split(separator: ".").last!)"))
    }

    /// limberctl(1) documents every subcommand and every exit code.
    @Test func limberctlPageCoversTheCommands() throws {
        let page = try String(contentsOfFile: repositoryRoot + "/docs/man/limberctl.1", encoding: .utf8)
        let help = try Self.run(BuiltProducts.limberctl, ["--help"]).out
        let commands = help.split(separator: "\n").drop { !$0.hasPrefix("SUBCOMMANDS:") }.dropFirst()
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }.filter { $0 != "See" }
        #expect(commands.count >= 15)
        for c in commands { #expect(page.contains(".B \(c)") || page.contains("\\fB\(c)\\fR"), "\(c) is not in limberctl.1") }
        for code in 0...5 { #expect(page.contains(".B \(code)\n") || page.contains(".IP \(code)"), "exit code \(code)") }
    }
}
