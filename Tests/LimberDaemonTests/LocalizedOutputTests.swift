import Foundation
import Testing

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
}
