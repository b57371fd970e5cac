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
