import LimberCore
import Testing
@testable import LimberConfig

/// A `stop_if` entry's form (clause or whole sentence) and its urgency are
/// read on the program's own file; a companion's translation keeps them
/// whatever its first letter or words (docs/program-format.md, stop_if).
@Suite struct StopFormTranslationTests {
    /// A clause, an urgent clause, and a whole sentence of an older file.
    static let original = minimalProgram(extra: PhaseValuesTests.phases) + """
    stop_if = [
        "pain spreads further down your leg",
        "your foot starts to drag (foot drop: get urgent care today)",
        "Stop at once if you feel dizzy.",
    ]

    """

    static let companions = [
        // German clauses begin with nouns and "Sie"; the urgent one says "dringend".
        "de": """
        [exercises.walk]
        stop_if = [
            "Schmerzen sich weiter ins Bein ausbreiten",
            "Ihr Fuß zu schleifen beginnt (Fußheberschwäche: Lassen Sie sich noch heute dringend untersuchen)",
            "Hören Sie sofort auf, wenn Ihnen schwindlig wird.",
        ]
        [phases.acute]
        question = "Hat sich der Schub beruhigt?"
        """,
        // A Spanish sentence may begin with "¡", which is no capital letter.
        "es": """
        [exercises.walk]
        stop_if = [
            "el dolor baja más por la pierna",
            "empieza a arrastrar el pie (pie caído: busque atención médica hoy mismo)",
            "¡Pare de inmediato si se marea!",
        ]
        [phases.acute]
        question = "¿Se ha calmado el brote?"
        """,
    ]

    func load(_ language: String, companion: String? = nil) throws -> (Program, [Diagnostic]) {
        let dir = TempDir()
        dir.write("programs/mini.toml", Self.original)
        dir.write("programs/mini.\(language).toml", companion ?? Self.companions[language]!)
        let loader = ConfigLoader(searchPath: SearchPath(directories: [dir.path]), languages: [language])
        let (p, d) = loader.loadProgram(file: dir.sub("programs/mini.toml"), id: "mini")
        #expect(!d.contains { $0.isError }, "\(d)")
        return (try #require(p, "\(d)"), d)
    }

    @Test(arguments: ["de", "es"])
    func theOriginalDecidesClauseSentenceAndUrgency(language: String) throws {
        let (p, d) = try load(language)
        #expect(!d.contains { $0.message.contains("exercises.walk.stop_if") }, "the translated forms are not ambiguous: \(d)")
        let walk = try #require(p.exercise("walk"))
        #expect(walk.stopIf.count == 3 && walk.stopIf[0] != "pain spreads further down your leg", "translated: \(walk.stopIf)")
        #expect(walk.stopForms.map(\.sentence) == [false, false, true])
        #expect(walk.stopForms.map(\.urgent) == [false, true, false])
        // Shown in English here (no catalog): the translated clause follows "Stop if".
        let lines = ReminderText.stopLines(walk)
        #expect(lines[0] == "Stop if \(walk.stopIf[0]).", "\(lines)")
        #expect(lines[1] == "Stop if \(walk.stopIf[1]).", "\(lines)")
        #expect(lines[2] == walk.stopIf[2], "a sentence is shown as it is: \(lines)")
    }

    @Test(arguments: ["de", "es"])
    func thePhaseQuestionIsACompanionText(language: String) throws {
        let (p, _) = try load(language)
        let question = language == "de" ? "Hat sich der Schub beruhigt?" : "¿Se ha calmado el brote?"
        #expect(p.phases[0].advance == .confirm(question: question, askEveryDays: 3))
        #expect(p.phases[1].advance == .checkIns(CheckInRule(maxPain: 2)), "other phases unchanged")
    }

    @Test func checkWarnsWhereATranslationReadsInTheOtherForm() throws {
        let (_, d) = try load("de", companion: """
        [exercises.walk]
        stop_if = [
            "Schmerzen breiten sich weiter ins Bein aus.",
            "Ihr Fuß zu schleifen beginnt (Fußheberschwäche: dringend untersuchen lassen)",
            "sofort aufhören, wenn Ihnen schwindlig wird",
        ]
        """)
        let warnings = d.filter { $0.message.contains("exercises.walk.stop_if") }.map(\.message)
        #expect(warnings.count == 2, "\(warnings)")
        #expect(warnings.contains { $0.contains("entry 1 reads as a whole sentence") }, "\(warnings)")
        #expect(warnings.contains { $0.contains("entry 3 reads as a clause") }, "\(warnings)")
    }
}
