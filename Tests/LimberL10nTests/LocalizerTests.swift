import Foundation
@testable import LimberCore
import Testing

@testable import LimberL10n

/// The localization layer's pure parts: placeholders, plurals, the
/// pseudo-locale, numbers and times, and which languages a locale asks for.
/// (Catalogs through gettext are tested on the binaries, in LocalizedOutputTests:
/// gettext's locale is process-wide.)
struct LocalizerTests {
    @Test func placeholdersAreFilledByNameInAnyOrder() {
        #expect(fillPlaceholders("{b} then {a}", ["a": "1", "b": "2"]) == "2 then 1")
        #expect(fillPlaceholders("{{literal}} {a}", ["a": "x"]) == "{literal} x")
        #expect(fillPlaceholders("{unknown} stays", ["a": "x"]) == "{unknown} stays")
    }

    @Test func englishIsTheOriginalWithAPluralByCount() {
        Localizer.$scoped.withValue(.english) {
            #expect(tr("paused") == "paused")
            #expect(trn("{n} day", "{n} days", 1, ["n": "1"]) == "1 day")
            #expect(trn("{n} day", "{n} days", 3, ["n": "3"]) == "3 days")
            #expect(localTime(hour: 9, minute: 5) == "09:05")
            #expect(localNumber(2.46) == "2.5")
        }
    }

    @Test func numbersRoundAndUseTheSeparator() {
        #expect(Localizer.plainNumber(-0.04, 1, separator: ",") == "0,0")
        #expect(Localizer.plainNumber(-1.25, 2, separator: ",") == "-1,25")
        #expect(Localizer.plainNumber(3, 0, separator: ",") == "3")
        #expect(Localizer.plainNumber(10.06, 1, separator: ".") == "10.1")
    }

    @Test func pseudoLocaleLengthensAccentsAndKeepsPlaceholdersAndMarkup() {
        let p = Localizer.pseudoText("Stop if {condition}")
        #expect(p.hasPrefix("⟦Stöp íf {condition}"))
        let plain = "waiting for you to be back"
        #expect(Localizer.pseudoText(plain).count >= Int((Double(plain.count) * 1.4).rounded(.up)))
        // Placeholders are not lengthened (their values are): the rest is, by 40 %.
        #expect(p.count - "Stop if {condition}".count >= Int((Double("Stop if ".count) * 0.4).rounded(.up)))
        #expect(Localizer.pseudoText("<b>Done</b>").contains("<b>Döñé</b>"))
        #expect(Localizer.pseudoText("Seek urgent care if:").hasSuffix("⟧:"))
        Localizer.$scoped.withValue(.pseudo) {
            #expect(Localizer.isPseudo(tr("paused")))
            #expect(localTime(hour: 14, minute: 5) == "2:05 PM")
            #expect(localNumber(2.5) == "2,5")
        }
    }

    @Test func statusLineIsTranslatedPartByPart() {
        let status = EngineStatus(nextRule: nil, nextTitle: "Sit break", nextAt: Date(timeIntervalSince1970: 720),
                                  showing: nil, pausedUntil: nil, away: false, shownToday: 8, doneToday: 3)
        Localizer.$scoped.withValue(.english) {
            #expect(status.line(now: Date(timeIntervalSince1970: 0)) == "next: Sit break in 12 min; 3 of 8 done today")
        }
        Localizer.$scoped.withValue(.pseudo) {
            let line = status.line(now: Date(timeIntervalSince1970: 0))
            let parts = line.components(separatedBy: "; ")
            #expect(parts.count == 2)
            #expect(parts.allSatisfy(Localizer.isPseudo), "\(line)")
            #expect(line.contains("Sit break"), "the title is the program's, not a message")
        }
    }

    @Test func languagesFollowLanguageThenTheLocale() {
        #expect(L10n.languageTags(of: "de_DE.UTF-8@euro") == ["de_DE", "de"])
        #expect(L10n.languageTags(of: "C.UTF-8") == [])
        #expect(L10n.languages(["LANG": "es_ES.UTF-8"], messagesLocale: "es_ES.UTF-8") == ["es_ES", "es"])
        #expect(L10n.languages(["LANG": "de_DE.UTF-8", "LANGUAGE": "es:fr"], messagesLocale: "de_DE.UTF-8")
                == ["es", "fr", "de_DE", "de"])
        // gettext ignores LANGUAGE in the C locale; so do programs.
        #expect(L10n.languages(["LANG": "C", "LANGUAGE": "de"], messagesLocale: "C") == [])
        #expect(L10n.languages(["LC_ALL": "es_MX.UTF-8", "LANG": "de_DE.UTF-8"], messagesLocale: "es_MX.UTF-8")
                == ["es_MX", "es"])
    }
}
