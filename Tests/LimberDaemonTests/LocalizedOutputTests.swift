import Foundation
import Testing
import Systemd

/// limberd and limberctl in the user's language: the real binaries under
/// LANG=de_DE.UTF-8 / es_ES.UTF-8 with the catalogs compiled from po/
/// (scripts/po-compile), the locale fallback, 12-hour times, and the
/// pseudo-locale (docs/translating.md).
@Suite struct LocalizedOutputTests {
    static let limberd = NotificationDaemonTests.limberdPath

    /// po/*.po compiled once into a temp dir (LIMBER_LOCALEDIR).
    static let localeDir: String = {
        let dir = (try? shortTemporaryDirectory("lmo")) ?? "/tmp"
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        _ = try? runTool(repo + "/scripts/po-compile", [dir + "/locale"])
        return dir + "/locale"
    }()

    func env(_ lang: [String: String]) throws -> [String: String] {
        let home = try shortTemporaryDirectory("lhome")
        var e = ["HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_STATE_HOME": home + "/state",
                 "XDG_CONFIG_DIRS": home + "/etc", "DBUS_SESSION_BUS_ADDRESS": "unix:path=\(home)/no-bus",
                 "LIMBER_LOCALEDIR": Self.localeDir, "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "",
                 "LC_TIME": "", "LC_NUMERIC": ""]
        e.merge(lang) { $1 }
        return e
    }

    func explain(_ lang: [String: String]) throws -> String {
        try requirePeer(Self.limberd, package: "limberd (run swift build first)")
        #expect(FileManager.default.fileExists(atPath: Self.localeDir + "/de/LC_MESSAGES/limber.mo"))
        let r = try runTool(Self.limberd, ["--explain", "sciatica-relief"], environment: try env(lang))
        #expect(r.code == 0, "\(r.err)")
        return r.out
    }

    @Test func explainSpeaksGermanWithA24HourClock() throws {
        let out = try explain(["LANG": "de_DE.UTF-8"])
        #expect(out.contains("Erinnerungen (Arbeitszeit "), "\(out)")
        #expect(out.contains("ununterbrochener Aktivität"), "\(out)")
        #expect(out.contains("Suchen Sie sofort ärztliche Hilfe, wenn:"), "\(out)")
        #expect(!out.contains(" AM") && !out.contains(" PM"), "\(out)")
        #expect(!out.contains("Reminders ("), "\(out)")
    }

    @Test func explainSpeaksSpanish() throws {
        let out = try explain(["LANG": "es_ES.UTF-8"])
        #expect(out.contains("Recordatorios (horario de trabajo "), "\(out)")
        #expect(out.contains("Busque atención médica urgente si:"), "\(out)")
    }

    @Test func languageListWinsOverLangAndAnUnknownLanguageFallsBackToEnglish() throws {
        let es = try explain(["LANG": "de_DE.UTF-8", "LANGUAGE": "es:de"])
        #expect(es.contains("Recordatorios ("), "\(es)")
        let en = try explain(["LANG": "fr_FR.UTF-8"])
        #expect(en.contains("Reminders (working hours "), "\(en)")
        #expect(en.contains("Seek urgent care if:"), "\(en)")
    }

    @Test func aLocaleThatIsNotGeneratedStillGetsItsLanguage() throws {
        // de_CH is not in `locale -a` here (scripts/ci-deps.sh generates de_DE only).
        let out = try explain(["LANG": "de_CH.UTF-8"])
        #expect(out.contains("Erinnerungen (Arbeitszeit "), "\(out)")
    }

    @Test func americanEnglishGetsA12HourClock() throws {
        let out = try explain(["LANG": "en_US.UTF-8"])
        let line = try #require(out.split(separator: "\n").first { $0.hasPrefix("Reminders (working hours ") })
        #expect(line.contains("AM") && line.contains("PM"), "\(line)")
    }

    @Test func pseudoLocaleMarksEveryMessageLineOfExplain() throws {
        let out = try explain(["LIMBER_PSEUDO_LOCALE": "1"])
        let lines = out.split(separator: "\n").map(String.init)
        // The messages: every line limber writes itself (not program text).
        for prefix in ["Reminders", "Seek urgent"] {
            #expect(!lines.contains { $0.hasPrefix(prefix) }, "an unmarked line: \(out)")
        }
        #expect(lines.contains { $0.hasPrefix("⟦Rémíñdérs (wörkíñg höürs 8:00 ÁM–8:00 PM") }, "\(out)")
        // Each rule's words and its times today are messages too.
        let ruleLines = lines.filter { $0.hasPrefix("    ⟦") || $0.hasPrefix("    ") && $0.dropFirst(4).first != " " }
        #expect(!ruleLines.isEmpty)
        #expect(ruleLines.allSatisfy { $0.hasPrefix("    ⟦") || !$0.contains("today") }, "\(out)")
    }

    /// The status line (from limberd, in its language) and limberctl's own
    /// labels, against a real limberd on a private bus.
    @Test(arguments: [
        ("de_DE.UTF-8", "limberd läuft: als Nächstes: Move in ", "Programme:", "heute noch keine Erinnerungen"),
        ("es_ES.UTF-8", "limberd en marcha: siguiente: Move en ", "programas:", "hoy todavía no hay recordatorios"),
    ])
    func statusSpeaksTheSessionsLanguage(lang: String, head: String, label: String, today: String) throws {
        let world = try LimberWorld()
        defer { world.stop() }
        let env = ["LANG": lang, "LIMBER_LOCALEDIR": Self.localeDir, "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""]
        try world.startDaemon(environment: env)
        let r = try world.ctl(["status"], environment: env)
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.hasPrefix(head), "\(r.out)")
        #expect(r.out.contains(label), "\(r.out)")
        #expect(r.out.contains(today.replacingOccurrences(of: "{done}", with: "0")), "\(r.out)")
        let json = try world.ctl(["status", "--json"], environment: env)
        #expect(json.json["state"] as? String == "scheduled", "machine fields stay as they are")
        #expect((json.json["next"] as? [String: Any])?["time"] as? String != nil)
    }

    /// An error limberd answers over D-Bus is in its language when
    /// limberctl shows it (here: a program that is not enabled).
    @Test func aDaemonErrorReachesLimberctlInGerman() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        let env = ["LANG": "de_DE.UTF-8", "LIMBER_LOCALEDIR": Self.localeDir, "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""]
        try world.startDaemon(environment: env)
        let r = try world.ctl(["programs", "phase", "no-such-program"], environment: env)
        #expect(r.code != 0, "\(r.out)")
        let shown = r.out + r.err
        #expect(shown.contains("das Programm 'no-such-program' ist nicht aktiviert"), "\(shown)")
        #expect(!shown.contains("is not enabled"), "\(shown)")
    }

    /// `limberctl plugins`: the details limberd writes (in its language) and
    /// limberctl's words for states and kinds; the idle source comes from
    /// the reply's roles, not from the words.
    @Test(arguments: [
        ("de_DE.UTF-8", "logind  nicht verfügbar  eingebaut  wartet auf Systembus", "journal  läuft  eingebaut"),
        ("es_ES.UTF-8", "logind  no disponible  integrado  esperando bus del sistema", "journal  en marcha  integrado"),
    ])
    func pluginsSpeakTheSessionsLanguage(lang: String, logind: String, journal: String) throws {
        let world = try LimberWorld()
        defer { world.stop() }
        let env = ["LANG": lang, "LIMBER_LOCALEDIR": Self.localeDir, "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""]
        try world.startDaemon(environment: env)
        let r = try world.ctl(["plugins"], environment: env)
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains(logind), "\(r.out)")
        #expect(r.out.contains(journal), "\(r.out)")
        #expect(!r.out.contains("waiting for") && !r.out.contains("built-in"), "\(r.out)")
        let json = try world.ctl(["plugins", "--json"], environment: env)
        let rows = try #require(json.json["plugins"] as? [[String: Any]])
        #expect(rows.contains { $0["id"] as? String == "logind" && $0["state"] as? String == "absent" },
                "machine fields stay as they are: \(json.out)")
        #expect(json.json["idle_source"] is NSNull, "no idle source without a system bus: \(json.out)")
    }

    @Test func statusColumnsAlignInTheLongerLanguage() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        let env = ["LANG": "de_DE.UTF-8", "LIMBER_LOCALEDIR": Self.localeDir, "LANGUAGE": "", "LC_ALL": ""]
        try world.startDaemon(environment: env)
        let lines = try world.ctl(["status"], environment: env).out.split(separator: "\n").dropFirst()
        // Each label ends at its first ':'; its value starts after the padding.
        let starts = lines.map { line -> Int in
            let chars = Array(line)
            guard var i = chars.firstIndex(of: ":") else { return -1 }
            i += 1
            while i < chars.count, chars[i] == " " { i += 1 }
            return i
        }
        #expect(Set(starts).count == 1, "values start in one column: \(lines)")
    }

    @Test func pseudoLocaleStatusHasNoUnmarkedText() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        let env = ["LIMBER_PSEUDO_LOCALE": "1"]
        try world.startDaemon(environment: env)
        let r = try world.ctl(["status"], environment: env)
        for line in r.out.split(separator: "\n") {
            #expect(line.contains("⟦"), "an unmarked text: \(line)")
        }
    }

    /// limberd under LANG=de_DE.UTF-8 against the dbusmock notification
    /// server: the summary from the German program companion, the buttons
    /// and the stop line from the German catalog.
    @Test func notificationSpeaksGerman() throws {
        let rig = try LimberdOnNotificationMock(settings: "programs = [\"desk-basics\"]\nworking_hours = \"00:00-24:00\"\nactive_days = \"daily\"\n")
        defer { rig.stop() }
        try rig.startLimberd(arguments: ["--time-scale", "600"], environment: [
            "LANG": "de_DE.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "",
            "LIMBER_LOCALEDIR": Self.localeDir,
        ])
        let notify = try rig.waitForNotify().arguments
        let summary = notify[3].stringValue ?? ""
        let body = notify[4].stringValue ?? ""
        let actions = notify[5].stringArrayValue ?? []
        #expect(["Kurz aufstehen", "Aufstehen und dehnen", "Wie sitzen Sie?"].contains(summary), "\(summary)")
        #expect(actions.contains("Erledigt") && actions.contains("Auslassen"), "\(actions)")
        #expect(!actions.contains("Done"), "\(actions)")
        #expect(!body.contains("Stop if"), "\(body)")
        #expect(!body.isEmpty)
    }
}
