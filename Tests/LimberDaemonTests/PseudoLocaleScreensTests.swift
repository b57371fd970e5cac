import Foundation
import Testing

/// Every screen limberd and limberctl show, under the pseudo-locale
/// (LIMBER_PSEUDO_LOCALE=1: every marked text accented, bracketed ⟦…⟧ and
/// 40 % longer; docs/translating.md): no English sentence may be left
/// outside the brackets (an unmarked text), and no bracket may be cut off
/// (a layout that truncates). The program's own texts are single made-up
/// words here, so whatever English remains is limber's.
@Suite struct PseudoLocaleScreensTests {
    /// A program whose every text is one token: only limber's words read as English.
    static let program = """
        schema = 1
        id = "drill"
        name = "Drill"
        version = "1"
        summary = "Zq."
        disclaimer = "Zd."
        red_flags = ["Zr."]

        [exercises.walk]
        name = "Walk"
        category = "cardio"
        position = "standing"
        duration = "2m"
        steps = ["Zs."]
        cautions = ["Zc."]
        stop_if = ["zz"]

        [exercises.reach]
        name = "Reach"
        category = "stretch"
        position = "standing"
        reps = 5
        per_side = true
        steps = ["Zs."]

        [reminders.move]
        cadence = "interval"
        every = "30m"
        title = "Move"
        exercises = ["walk"]

        [reminders.stretch]
        cadence = "sit-break"
        after = "45m"
        title = "Stretch"
        exercises = ["reach"]
        max_snoozes = 1

        """

    static let pseudo = ["LIMBER_PSEUDO_LOCALE": "1"]

    /// Phrases ArgumentParser writes itself (not limber's to translate).
    static let parserPhrases = [
        "Show help information.", "Show the version.", "See 'limberctl help <subcommand>' for detailed help.",
        "See 'limberd help <subcommand>' for detailed help.",
    ]

    /// The English left in `text` once the pseudo-locale's ⟦…⟧ spans, HTML
    /// tags and ArgumentParser's own headings are taken out: runs of two
    /// words of letters, as scripts/po-extract looks for them.
    static func englishLeft(_ text: String) -> [String] {
        // Paths first: they are the user's, in any language.
        var s = text.replacingOccurrences(of: "/[^\\s:'\"]+", with: " ", options: .regularExpression)
        for p in parserPhrases { s = s.replacingOccurrences(of: p, with: " ") }
        s = s.replacingOccurrences(of: "⟦[^⟧]*⟧", with: " ", options: .regularExpression)
        s = s.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        s = s.replacingOccurrences(of: "(?m)^\\s*(USAGE|OPTIONS|SUBCOMMANDS|ARGUMENTS|OVERVIEW):", with: " ", options: .regularExpression)
        // Command lines and option names stay as they are in every language.
        s = s.replacingOccurrences(of: "(limberctl|limberd)( [a-z-]+)*", with: " ", options: .regularExpression)
        s = s.replacingOccurrences(of: "--?[a-z][a-z-]*( <[a-z-]+>)?", with: " ", options: .regularExpression)
        let regex = try! NSRegularExpression(pattern: "[A-Za-z]{2,}[,.:;!?']* +[A-Za-z]{2,}")
        let ns = s as NSString
        var seen = Set<String>()
        return regex.matches(in: s, range: NSRange(location: 0, length: ns.length)).map { m in
            ns.substring(with: ns.lineRange(for: m.range)).trimmingCharacters(in: .whitespacesAndNewlines)
        }.filter { seen.insert($0).inserted }
    }

    /// Every ⟦ has its ⟧ on the same line (a column layout), or in the same
    /// paragraph (help text, which ArgumentParser wraps): nothing was cut off.
    static func truncated(_ text: String, wrapped: Bool = false) -> [String] {
        let pieces = wrapped ? text.components(separatedBy: "\n\n") : text.components(separatedBy: "\n")
        return pieces.filter { piece in piece.filter { $0 == "⟦" }.count != piece.filter { $0 == "⟧" }.count }
    }

    func check(_ name: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!text.isEmpty, "\(name): no output", sourceLocation: sourceLocation)
        let wrapped = name.contains("help")
        #expect(text.contains("⟦"), "\(name): nothing translated: \(text)", sourceLocation: sourceLocation)
        let left = Self.englishLeft(text)
        #expect(left.isEmpty, "\(name): unmarked text: \(left)", sourceLocation: sourceLocation)
        let cut = Self.truncated(text, wrapped: wrapped)
        #expect(cut.isEmpty, "\(name): cut off: \(cut)", sourceLocation: sourceLocation)
    }

    @Test func theCheckerFindsWhatItIsFor() {
        #expect(Self.englishLeft("⟦Rémíñdérs~~~⟧ next: Move in 12 min") == ["next: Move in 12 min"])
        #expect(Self.englishLeft("/tmp/limber-api-1/config/limber.toml:5:1: ⟦úñkñöwñ kéý~~~⟧").isEmpty)
        #expect(Self.englishLeft("⟦Rémíñdérs~~~⟧: Move, ⟦íñ⟧ 12 ⟦míñ~⟧").isEmpty)
        #expect(Self.englishLeft("USAGE: limberctl stats --week\n  -h, --help   Show help information.").isEmpty)
        #expect(Self.truncated("⟦Rémíñd") == ["⟦Rémíñd"])
    }

    @Test func everyLimberctlScreenIsMarked() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try Self.program.write(toFile: world.root + "/config/limber/programs/drill.toml", atomically: true, encoding: .utf8)
        try world.startDaemon(environment: Self.pseudo)
        var screens: [(String, [String])] = [
            ("status", ["status"]), ("next", ["next"]), ("programs list", ["programs", "list"]),
            ("plugins", ["plugins"]),
            ("programs show", ["programs", "show", "drill"]),
            ("checkin", ["checkin", "--pain", "3", "--reach", "knee"]),
            ("stats", ["stats"]), ("stats --month", ["stats", "--month"]),
            ("an error: nothing showing", ["skip"]),
            ("pause", ["pause", "10m"]), ("status while paused", ["status"]),
            ("trigger", ["trigger", "drill/move"]), ("status while showing", ["status"]),
            ("an error: a bad date", ["stats", "--since", "someday"]),
            ("help", ["--help"]), ("stats help", ["stats", "--help"]), ("checkin help", ["checkin", "--help"]),
            ("export help", ["export", "--help"]), ("watch help", ["watch", "--help"]),
        ]
        if try world.ctl(["today", "--help"], environment: Self.pseudo).code == 0 { screens.append(("today", ["today"])) }
        for (name, args) in screens {
            let r = try world.ctl(args, environment: Self.pseudo)
            check("limberctl " + args.joined(separator: " ") + " (\(name))", r.out + r.err)
            if args == ["status"] && name == "status while paused" { try world.ctl(["resume"], environment: Self.pseudo) }
        }
        // The HTML report: its visible text.
        let report = try world.ctl(["report", "--html", "-"], environment: Self.pseudo)
        #expect(report.code == 0, "\(report.err)")
        check("limberctl report --html", report.out.replacingOccurrences(of: "(?s)<style>.*</style>", with: "", options: .regularExpression))
    }

    @Test func limberdCheckAndExplainAreMarked() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try Self.program.write(toFile: world.root + "/config/limber/programs/drill.toml", atomically: true, encoding: .utf8)
        // A settings file with a mistake in it: the diagnostics are screens too.
        try (LimberWorld.settings + "snooze_lenght = \"5m\"\n")
            .write(toFile: world.root + "/config/limber/limber.toml", atomically: true, encoding: .utf8)
        for args in [["--check"], ["--explain", "drill"]] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: BuiltProducts.limberd)
            p.arguments = args
            // Only the test's program: the shipped ones have real (English) names.
            let dataDir = world.root + "/data"
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            p.environment = world.environment.merging(Self.pseudo.merging(["LIMBER_DATA_DIR": dataDir]) { $1 }) { $1 }
            let out = Pipe()
            p.standardOutput = out
            p.standardError = out
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            check("limberd " + args.joined(separator: " "), String(decoding: data, as: UTF8.self))
        }
    }
}
