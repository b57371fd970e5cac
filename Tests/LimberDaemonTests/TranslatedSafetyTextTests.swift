import Foundation
import Testing
@testable import LimberConfig
@testable import LimberCore
@testable import LimberDaemon

/// The German and Spanish read-through's findings, on the shipped
/// sciatica-relief program with its companions and po/LANG.po.
@Suite struct TranslatedSafetyTextTests {
    static let footDrop = ["de": "Fußheberschwäche", "es": "pie caído"]

    /// A reminder that offers another exercise before the walk still shows
    /// the walk's foot-drop rule: urgency is read on the English file, so
    /// the translation needs no particular word ("dringend", "urgente").
    @Test(arguments: ["de", "es"])
    func footDropComesFirstOnTheWalkInTheLanguage(language: String) throws {
        let catalog = try POCatalog(language: language)
        let p = try ProgramCompanionContentTests.load("sciatica-relief", [language])
        let other = try #require(p.exercise("press-up"))
        let walk = try #require(p.exercise("walk-10"))
        #expect(!other.stopIf.isEmpty)
        let item = ReminderItem(rule: RuleID(program: p.id, rule: "walks"), title: "t", message: "",
                                exercises: [other, walk], dueAt: NotificationBodyGoldenTests.due, catchUp: false, snoozeCount: 0)
        let prefix = try #require(catalog.messages["Stop if {condition}"]).replacingOccurrences(of: "{condition}", with: "")
        Localizer.$scoped.withValue(catalog.localizer) {
            let line = ReminderText.stopLine(NotificationBodyGoldenTests.reminder([item])) ?? ""
            #expect(line.contains(Self.footDrop[language]!) && line.hasPrefix(prefix), "\(line)")
        }
    }

    /// "Has the flare settled?" is asked in the language: the companion
    /// translates the phase's question, which the notification, `status`
    /// and `--explain` all show.
    @Test(arguments: ["de", "es"])
    func theFlareQuestionIsAskedInTheLanguage(language: String) throws {
        let catalog = try POCatalog(language: language)
        let p = try ProgramCompanionContentTests.load("sciatica-relief", [language])
        let question = language == "de" ? "Hat sich der Schub beruhigt?" : "¿Se ha calmado el brote?"
        #expect(p.phases.first?.advance == .confirm(question: question, askEveryDays: 3))
        #expect(catalog.messages["Yes"] != nil && catalog.messages["Not yet"] != nil, "the buttons are in po/\(language).po")
        let explained = Localizer.$scoped.withValue(catalog.localizer) { Explain.advanceWords(p.phases[0].advance) }
        #expect(explained.contains(question) && !explained.contains("Has the flare settled?"), "\(explained)")
    }

    /// The worsening check-in advice names the press-up by its glossary
    /// name (docs/glossary.md), never the old "Liegestütze".
    @Test(arguments: ["de", "es"])
    func thePressUpHasItsGlossaryNameInTheCheckInAdvice(language: String) throws {
        let catalog = try POCatalog(language: language)
        let term = language == "de" ? "Aufrichten in Bauchlage" : "extensiones boca abajo"
        let advice = catalog.messages.filter { $0.key.contains("If press-ups did it") }
        #expect(advice.count >= 2, "\(advice.keys)")
        for (id, text) in advice {
            #expect(text.contains(term), "\(id) -> \(text)")
        }
        #expect(!catalog.messages.values.contains { $0.contains("Liegestütz") || $0.contains("Lagen es") })
        if language == "de" { #expect(advice.values.allSatisfy { $0.contains("Lag es am Aufrichten in Bauchlage, lassen Sie es weg") }) }
    }
}
