import Foundation
import LimberCore
import Testing
@testable import LimberConfig

/// `programs/ID.LANG.toml` companions: applied text by text in the user's
/// languages, and checked against the original (docs/translating.md).
@Suite struct ProgramTranslationTests {
    static let german = """
    name = "Mini auf Deutsch"
    [reminders.stand]
    title = "Aufstehen"
    """

    func loader(_ dir: TempDir, _ languages: [String]) -> ConfigLoader {
        ConfigLoader(searchPath: SearchPath(directories: [dir.path]), languages: languages)
    }

    @Test func companionNamesAreNotPrograms() {
        #expect(ProgramTranslation.companion(fileName: "sciatica-relief.de.toml")! == ("sciatica-relief", "de"))
        #expect(ProgramTranslation.companion(fileName: "mini.pt_BR.toml")! == ("mini", "pt_BR"))
        #expect(ProgramTranslation.companion(fileName: "mini.toml") == nil)
        #expect(ProgramTranslation.companion(fileName: "mini.German.toml") == nil)
        let dir = TempDir()
        dir.write("programs/mini.toml", minimalProgram())
        dir.write("programs/mini.de.toml", Self.german)
        #expect(loader(dir, []).availablePrograms().map(\.id) == ["mini"])
    }

    @Test func theUsersLanguageIsShownTextByTextWithTheOriginalWhereItHasNone() throws {
        let dir = TempDir()
        dir.write("programs/mini.toml", minimalProgram())
        dir.write("programs/mini.de.toml", Self.german)
        dir.write("programs/mini.de_AT.toml", "name = \"Mini auf Österreichisch\"\n")
        let l = loader(dir, ["de_AT", "de"])
        let (p, d) = l.loadProgram(file: dir.sub("programs/mini.toml"), id: "mini")
        let program = try #require(p)
        #expect(!d.contains { $0.isError }, "\(d)")
        #expect(program.name == "Mini auf Österreichisch")
        #expect(program.reminders.first?.title == "Aufstehen")
        #expect(program.disclaimer == "Not medical advice.", "no translation: the original")
        let (english, _) = loader(dir, ["fr"]).loadProgram(file: dir.sub("programs/mini.toml"), id: "mini")
        #expect(english?.name == "Mini")
    }

    @Test func checkReportsAMissingTextAndOneTheOriginalLacks() {
        let dir = TempDir()
        dir.write("programs/mini.toml", minimalProgram())
        let companion = dir.write("programs/mini.es.toml", """
        name = "Mini en español"
        [exercises.jump]
        name = "Saltar"
        [reminders.stand]
        title = "Levántese"
        colour = "rojo"
        """)
        let report = loader(dir, []).check()
        let text = report.text
        #expect(report.hasErrors, "\(text)")
        #expect(text.contains("\(companion):3:1: 'exercises.jump.name' is not in the original program"), "\(text)")
        #expect(text.contains("\(companion):6:1: 'reminders.stand.colour' is not a text that can be translated"), "\(text)")
        #expect(text.contains("\(companion):1:1: warning: no translation of 3 texts, the original is shown: disclaimer, exercises.walk.name, exercises.walk.steps"), "\(text)")
        // Checked alone, against the program beside it.
        #expect(ConfigLoader(searchPath: SearchPath(directories: []), languages: []).check(paths: [companion]).hasErrors)
    }

    @Test func aListMustKeepTheOriginalsLengthAndAStaleTranslationNeverStopsTheProgram() throws {
        let dir = TempDir()
        dir.write("programs/mini.toml", minimalProgram(extra: "red_flags = [\"one\", \"two\"]"))
        dir.write("programs/mini.de.toml", "red_flags = [\"eins\"]\n[exercises.gone]\nname = \"Weg\"\n")
        let l = loader(dir, ["de"])
        let (p, d) = l.loadProgram(file: dir.sub("programs/mini.toml"), id: "mini")
        #expect(p?.redFlags == ["one", "two"], "a short list is not used")
        #expect(!d.contains { $0.isError }, "loading only warns: \(d)")
        #expect(d.contains { $0.message.contains("'red_flags' has 1 texts, the original 2") })
        #expect(loader(dir, []).check().hasErrors)
    }

    @Test func shippedTranslationsAreComplete() {
        let report = ConfigLoader(searchPath: SearchPath(directories: [shippedConfigDir]), languages: []).check()
        #expect(!report.hasErrors, "\(report.text)")
        let translations = report.lines.filter { $0.contains("): translation") }
        #expect(translations.count == 4, "\(report.text)")
        // Both shipped programs, fully in German and Spanish (no text left in English).
        #expect(translations.allSatisfy { $0.hasSuffix("translation complete") }, "\(report.text)")
        #expect(!report.lines.contains { $0.contains("warning") }, "\(report.text)")
    }

    /// A program's sources are texts too: the words translated, every web
    /// address kept as the original entry has it.
    @Test func sourcesAreTranslatedWithTheirWebAddressesKept() throws {
        let dir = TempDir()
        dir.write("programs/mini.toml", minimalProgram(extra: """
        sources = ["Back pain advice, https://example.org/back-pain.", "General practice"]
        """))
        dir.write("programs/mini.de.toml", """
        sources = ["Rat bei Rückenschmerzen, https://example.org/back-pain.", "Allgemein übliche Praxis"]
        """)
        let (p, d) = loader(dir, ["de"]).loadProgram(file: dir.sub("programs/mini.toml"), id: "mini")
        #expect(p?.sources == ["Rat bei Rückenschmerzen, https://example.org/back-pain.", "Allgemein übliche Praxis"], "\(d)")
        #expect(!loader(dir, []).check().text.contains("sources"), "complete and correct: \(loader(dir, []).check().text)")

        // A changed address, an added one, a missing entry: reported, and the original shown.
        let companion = dir.write("programs/mini.es.toml", """
        sources = ["Consejos, https://example.org/dolor-de-espalda.",
                   "Práctica general, www.example.com"]
        """)
        let report = loader(dir, []).check()
        #expect(report.hasErrors, "\(report.text)")
        #expect(report.text.contains("\(companion):1:12: 'sources' entry 1 does not cite https://example.org/back-pain as the original does"),
                "\(report.text)")
        #expect(report.text.contains("\(companion):2:12: 'sources' entry 2 cites www.example.com, which the original does not"),
                "\(report.text)")
        let (es, loaded) = loader(dir, ["es"]).loadProgram(file: dir.sub("programs/mini.toml"), id: "mini")
        #expect(!loaded.contains { $0.isError }, "loading only warns: \(loaded)")
        #expect(es?.sources.first == "Back pain advice, https://example.org/back-pain.", "a wrong address is never shown")

        try FileManager.default.removeItem(atPath: dir.sub("programs/mini.es.toml"))
        let german = dir.write("programs/mini.de.toml", "name = \"Mini\"\n")
        let missing = loader(dir, []).check().text
        #expect(missing.contains("\(german):1:1: warning: no translation of 5 texts, the original is shown: disclaimer, exercises.walk.name, exercises.walk.steps, reminders.stand.title, sources"),
                "a missing translation of the sources is reported: \(missing)")
    }

    @Test func thePseudoLocaleLeavesWebAddressesAlone() {
        var p = Program(id: "mini", name: "Mini", sources: ["See https://example.org/a-b for more", "Plain words"])
        p = ProgramTranslation.pseudo(p)
        #expect(p.sources[0].contains(" https://example.org/a-b "), "\(p.sources)")
        #expect(Localizer.isPseudo(p.sources[0]) && Localizer.isPseudo(p.sources[1]), "\(p.sources)")
        #expect(ProgramTranslation.webAddresses("(www.example.org/x), and https://a.example/b.") == ["www.example.org/x", "https://a.example/b"])
    }

    @Test func pseudoLocaleReachesEveryProgramText() throws {
        let dir = TempDir()
        dir.write("programs/mini.toml", minimalProgram())
        let (p, _) = loader(dir, ["x-pseudo"]).loadProgram(file: dir.sub("programs/mini.toml"), id: "mini")
        let program = try #require(p)
        #expect(Localizer.isPseudo(program.name))
        #expect(program.reminders.allSatisfy { Localizer.isPseudo($0.title) })
        #expect(program.exercises.allSatisfy { Localizer.isPseudo($0.name) })
    }
}
