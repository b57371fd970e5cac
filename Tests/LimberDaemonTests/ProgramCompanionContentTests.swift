import Foundation
import Testing
import LimberConfig
@testable import LimberCore

/// The shipped programs' German and Spanish companions
/// (config/programs/ID.LANG.toml, docs/translating.md) as a person reads
/// them: nothing left in English, every stop rule shown as a full "Stop
/// if" sentence in the language, and the safety texts (red flags,
/// stop_if, cautions, disclaimer) saying exactly what the English says:
/// the same symptoms and the same urgency, never more or less
/// (docs/glossary.md).
@Suite struct ProgramCompanionContentTests {
    static let programs = ["sciatica-relief", "desk-basics"]
    static let languages = ["de", "es"]

    static func load(_ id: String, _ languages: [String]) throws -> Program {
        let config = NotificationBodyGoldenTests.configDir
        let loader = ConfigLoader(searchPath: SearchPath(directories: [config]), languages: languages)
        let (p, d) = loader.loadProgram(file: config + "/programs/\(id).toml", id: id, settings: Settings())
        #expect(!d.contains { $0.isError }, "\(d)")
        return try #require(p, "\(id) did not load: \(d)")
    }

    /// Every text of a program with where it is: ("exercises.press-up.steps.2", text).
    static func texts(_ p: Program) -> [(key: String, text: String)] {
        var out: [(String, String)] = [("name", p.name), ("summary", p.summary), ("disclaimer", p.disclaimer)]
        out += p.redFlags.enumerated().map { ("red_flags.\($0.offset)", $0.element) }
        out += p.sources.enumerated().map { ("sources.\($0.offset)", $0.element) }
        for ph in p.phases { out += [("phases.\(ph.id).name", ph.name), ("phases.\(ph.id).summary", ph.summary)] }
        for r in p.reminders { out += [("reminders.\(r.id).title", r.title), ("reminders.\(r.id).message", r.message)] }
        for e in p.exercises {
            let k = "exercises.\(e.id)."
            out += [(k + "name", e.name), (k + "cue", e.cue)]
            out += e.steps.enumerated().map { (k + "steps.\($0.offset)", $0.element) }
            out += e.cautions.enumerated().map { (k + "cautions.\($0.offset)", $0.element) }
            out += e.stopIf.enumerated().map { (k + "stop_if.\($0.offset)", $0.element) }
        }
        return out.filter { !$0.1.isEmpty }
    }

    /// The safety texts: what keeps a person safe.
    static func isSafety(_ key: String) -> Bool {
        key == "disclaimer" || key.hasPrefix("red_flags.") || key.contains(".stop_if.") || key.contains(".cautions.")
    }

    @Test(arguments: programs, languages)
    func everyTextIsTranslatedNoneLeftInEnglish(program id: String, language: String) throws {
        let english = Dictionary(Self.texts(try Self.load(id, [])), uniquingKeysWith: { a, _ in a })
        let translated = Self.texts(try Self.load(id, [language]))
        #expect(translated.count == english.count)
        for (key, text) in translated {
            #expect(text != english[key], "\(id).\(language): \(key) is still the English text")
        }
    }

    /// A stop_if clause is shown after the translated "Stop if" (the
    /// English file decides clause or sentence, not the translation's
    /// first letter).
    @Test(arguments: programs, languages)
    func everyStopRuleReadsAsAStopSentenceInTheLanguage(program id: String, language: String) throws {
        let catalog = try POCatalog(language: language)
        let prefix = try #require(catalog.messages["Stop if {condition}"]?.replacingOccurrences(of: "{condition}", with: ""),
                                  "po/\(language).po has no \"Stop if {condition}\"")
        #expect(!prefix.isEmpty && !prefix.hasPrefix("Stop if"))
        let p = try Self.load(id, [language])
        Localizer.$scoped.withValue(catalog.localizer) {
            for e in p.exercises {
                for sentence in ReminderText.stopLines(e) {
                    #expect(sentence.hasPrefix(prefix) && sentence.hasSuffix("."),
                            "\(id).\(language) \(e.id): shown as \"\(sentence)\"")
                }
            }
        }
    }

    /// English words of safety text and what the translation must say for
    /// them (docs/glossary.md): a symptom or an instruction the English
    /// has is never dropped.
    static let mustSay: [String: [(en: String, say: [String])]] = [
        "de": [("emergency department now", ["sofort in eine Notaufnahme"]),
               ("urgent care today", ["noch heute dringend ärztlich"]),
               ("book a visit with a clinician", ["einen Arzttermin"]),
               ("get medical help", ["ärztliche Hilfe"]), ("see a clinician", ["zum Arzt"]),
               ("ask a clinician", ["fragen Sie"]), ("medical advice", ["medizinischen Rat"]),
               ("bladder", ["Blase"]), ("bowel", ["Darm"]), ("pass urine", ["Wasser lassen"]),
               ("saddle", ["Reithosenbereich"]), ("foot drop", ["Fußheberschwäche"]),
               ("drag", ["schleifen"]), ("weakness", ["Schwäche"]), ("numbness", ["Taubheit"]),
               ("tingling", ["Kribbeln"]), ("pain", ["Schmerz"]), ("shooting", ["einschießend"]),
               ("further down", ["weiter"]), ("chest pain", ["Schmerzen in der Brust"]),
               ("breathlessness", ["Atemnot"]), ("faintness", ["ohnmächtig"]), ("dizzy", ["schwindlig"]),
               ("two weeks", ["zwei Wochen"]), ("flare", ["Schub"]), ("stop", ["hören sie", "aufhören", "lassen sie", "nur so weit"])],
        "es": [("emergency department now", ["ahora mismo a urgencias"]),
               ("urgent care today", ["atención médica urgente hoy mismo"]),
               ("book a visit with a clinician", ["pida cita con un médico"]),
               ("get medical help", ["ayuda médica"]), ("see a clinician", ["consulte a un médico"]),
               ("ask a clinician", ["profesional sanitario"]), ("medical advice", ["consejo médico"]),
               ("bladder", ["vejiga"]), ("bowel", ["intestino"]), ("pass urine", ["orinar"]),
               ("saddle", ["silla de montar"]), ("foot drop", ["pie caído"]),
               ("drag", ["arrastrar"]), ("weakness", ["debilidad"]), ("numbness", ["entumecimiento"]),
               ("tingling", ["hormigueo"]), ("pain", ["dolor"]), ("shooting", ["punzante"]),
               ("further down", ["más"]), ("chest pain", ["dolor en el pecho"]),
               ("breathlessness", ["falta de aire"]), ("faintness", ["desmayo"]), ("dizzy", ["marea"]),
               ("two weeks", ["dos semanas"]), ("flare", ["brote"]), ("stop", ["pare", "parar", "deje", "no la haga", "no haga", "no lo haga", "sáltel"])],
    ]

    /// Urgency a translation may only have where the English has it: no
    /// "sofort" / "enseguida" the English does not say (and no softening,
    /// which `mustSay` catches).
    static let onlyIfEnglishSays: [String: [(say: String, en: [String])]] = [
        "de": [("sofort", ["now"]), ("noch heute", ["today"]), ("dringend", ["urgent"]), ("Notaufnahme", ["emergency"])],
        "es": [("ahora mismo", ["now"]), ("enseguida", ["now"]), ("inmediatamente", ["now"]), ("hoy mismo", ["today"]),
               ("urgente", ["urgent"]), ("urgencias", ["emergency"])],
    ]

    @Test(arguments: programs, languages)
    func safetyTextsSayWhatTheEnglishSays(program id: String, language: String) throws {
        let english = Dictionary(Self.texts(try Self.load(id, [])), uniquingKeysWith: { a, _ in a })
        let translated = Self.texts(try Self.load(id, [language])).filter { Self.isSafety($0.key) }
        #expect(translated.count >= 5, "\(id): too few safety texts")
        var checked = 0
        for (key, text) in translated {
            let en = try #require(english[key]).lowercased(), t = text.lowercased()
            for rule in Self.mustSay[language]! where en.contains(rule.en) {
                checked += 1
                #expect(rule.say.contains { t.contains($0.lowercased()) },
                        "\(id).\(language) \(key): the English says \"\(rule.en)\", the translation none of \(rule.say): \(text)")
            }
            for rule in Self.onlyIfEnglishSays[language]! where t.contains(rule.say.lowercased()) {
                #expect(rule.en.contains { en.contains($0) },
                        "\(id).\(language) \(key): \"\(rule.say)\" where the English does not say it: \(english[key]!) / \(text)")
            }
        }
        #expect(checked >= 10, "\(id).\(language): only \(checked) terms checked")
    }

    /// The urgent stop rule (foot drop on a walk) is still the one a
    /// notification shows first in the translation.
    @Test(arguments: languages)
    func theUrgentStopRuleStaysFirstInTheNotification(language: String) throws {
        let catalog = try POCatalog(language: language)
        let p = try Self.load("sciatica-relief", [language])
        let walk = try #require(p.exercise("walk-10"))
        let footDrop = language == "de" ? "Fußheberschwäche" : "pie caído"
        #expect(walk.stopIf.first?.contains(footDrop) == true, "\(walk.stopIf)")
        Localizer.$scoped.withValue(catalog.localizer) {
            let line = ReminderText.stopSentence(walk, 0)
            #expect(line.contains(footDrop) && line.hasPrefix(catalog.messages["Stop if {condition}"]!.replacingOccurrences(of: "{condition}", with: "")), "\(line)")
        }
    }
}

extension ProgramCompanionContentTests {
    /// Every shipped reminder's notification body in the language, as the
    /// person sees it: in the six lines, one stop line and it in the
    /// language, the exercise names and cues translated, and on the walk
    /// the foot-drop rule. Not a golden file: po/LANG.po is another
    /// engineer's and may change its words; these hold whatever they are.
    /// The bodies are kept with LIMBER_TEST_ARTIFACTS for reading through.
    @Test(arguments: languages)
    func everyNotificationBodyShowsItsStopRuleInTheLanguage(language: String) throws {
        let catalog = try POCatalog(language: language)
        let stopIf = try #require(catalog.messages["Stop if {condition}"]).replacingOccurrences(of: "{condition}", with: "")
        var all = ""
        try Localizer.$scoped.withValue(catalog.localizer) {
            for id in Self.programs {
                let english = try Self.load(id, [])
                let p = try Self.load(id, [language])
                for rule in p.reminders {
                    let r = NotificationBodyGoldenTests.reminder([NotificationBodyGoldenTests.item(p, rule)])
                    let body = ReminderText.body(r, programs: [])
                    all += "== \(id)/\(rule.id): \(r.title)\n\(body)\n\n"
                    let lines = body.split(separator: "\n").map(String.init)
                    #expect(lines.count <= ReminderText.maxLines, "\(id)/\(rule.id): \(lines.count) lines")
                    #expect(!lines.contains { $0.hasPrefix("Stop if") }, "\(id)/\(rule.id): \(body)")
                    let stops = lines.filter { $0.hasPrefix(stopIf) }
                    #expect(stops.count <= 1, "\(id)/\(rule.id): \(body)")
                    let hasStopRule = r.items.flatMap(\.exercises).contains { !$0.stopIf.isEmpty }
                    #expect(stops.count == (hasStopRule ? 1 : 0), "\(id)/\(rule.id): \(body)")
                    for (key, text) in Self.texts(english) where text.count > 12 {
                        #expect(!body.contains(text), "\(id)/\(rule.id): still English: \(key): \(text)")
                    }
                    if rule.id == "walks" {
                        #expect(stops.first?.contains(language == "de" ? "Fußheberschwäche" : "pie caído") == true, "\(body)")
                    }
                }
            }
        }
        if let keep = ProcessInfo.processInfo.environment["LIMBER_TEST_ARTIFACTS"] {
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            try all.write(toFile: keep + "/notification-bodies.\(language).txt", atomically: true, encoding: .utf8)
        }
    }
}

/// A po/LANG.po read as it is (msgid -> msgstr), for a `Localizer` in a
/// test: gettext itself is process-wide (setlocale), and the other tests
/// running at the same time read English. Both shipped languages have
/// two plural forms (n != 1).
struct POCatalog {
    var messages: [String: String] = [:]
    var plurals: [String: [String]] = [:]
    var language = ""

    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    init(language: String) throws {
        self.language = language
        let text = try String(contentsOfFile: Self.repo + "/po/\(language).po", encoding: .utf8)
        var id = "", plural = "", str = "", forms: [Int: String] = [:], current = "", fuzzy = false
        func finish() {
            if !fuzzy, !id.isEmpty {
                if !plural.isEmpty, forms.count >= 2, forms.values.allSatisfy({ !$0.isEmpty }) {
                    plurals[id] = (0..<forms.count).map { forms[$0] ?? "" }
                } else if plural.isEmpty, !str.isEmpty {
                    messages[id] = str
                }
            }
            id = ""; plural = ""; str = ""; forms = [:]; current = ""; fuzzy = false
        }
        func unquote(_ s: Substring) -> String {
            var body = s.drop(while: { $0 != "\"" }).dropFirst()
            if body.hasSuffix("\"") { body = body.dropLast() }
            var out = "", escaped = false
            for c in body {
                if escaped {
                    switch c { case "n": out.append("\n"); case "t": out.append("\t"); default: out.append(c) }
                    escaped = false
                } else if c == "\\" { escaped = true } else { out.append(c) }
            }
            return out
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("#,"), line.contains("fuzzy") { fuzzy = true; continue }
            if line.isEmpty { finish(); continue }
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("msgid_plural ") { current = "plural"; plural = unquote(line); continue }
            if line.hasPrefix("msgid ") { if !id.isEmpty || !str.isEmpty { finish() }; current = "id"; id = unquote(line); continue }
            if line.hasPrefix("msgstr[") {
                let n = Int(line.dropFirst(7).prefix { $0.isNumber }) ?? 0
                current = "form\(n)"; forms[n] = unquote(line); continue
            }
            if line.hasPrefix("msgstr ") { current = "str"; str = unquote(line); continue }
            if line.hasPrefix("\"") {
                let more = unquote(line)
                switch current {
                case "id": id += more
                case "plural": plural += more
                case "str": str += more
                default: if current.hasPrefix("form"), let n = Int(current.dropFirst(4)) { forms[n, default: ""] += more }
                }
            }
        }
        finish()
        if messages.isEmpty { throw CocoaError(.fileReadCorruptFile) }
    }

    var localizer: Localizer {
        let messages = messages, plurals = plurals
        return Localizer(translate: { messages[$0] ?? $0 },
                         translatePlural: { one, many, n in
                             if let f = plurals[one], f.count >= 2 { return n == 1 ? f[0] : f[1] }
                             return n == 1 ? one : many
                         },
                         languages: [language])
    }
}
