import LimberCore

/// A program's texts in another language: `programs/ID.LANG.toml` beside
/// `programs/ID.toml` (docs/translating.md). It mirrors the original's
/// text keys and nothing else:
///
/// ```toml
/// name = "Ischias-Entlastung"
/// red_flags = ["…", "…"]            # as many as the original
/// sources = ["…"]                    # web addresses in them kept as they are
/// [exercises.walk-snack]
/// name = "Kurzer Spaziergang"
/// steps = ["…", "…"]
/// [reminders.sit-break]
/// title = "Zeit aufzustehen"
/// [phases.acute]
/// name = "Akut: die erste Woche"
/// ```
///
/// The daemon shows each text in the most wanted language that has it and
/// falls back to the original text by text. `limberd --check` reports a
/// companion that misses a text (a warning: the original is shown) or has
/// one the original lacks (an error there; when loading, only a warning,
/// so a stale translation never stops the program).
public struct ProgramTranslation: Sendable {
    /// The companion's language tag: "de", "es", "pt_BR".
    public var language: String
    public var file: String
    /// "name", "exercises.walk.cue", ... -> a text or a list of texts.
    var texts: [String: Text] = [:]

    enum Text: Sendable, Hashable {
        case one(String)
        case list([String])
    }

    /// The texts a program has, by section: single texts and lists.
    static let topTexts = ["name", "summary", "disclaimer"]
    static let topLists = ["red_flags", "sources"]
    static let sections: [(name: String, texts: [String], lists: [String])] = [
        ("exercises", ["name", "cue"], ["steps", "cautions", "stop_if"]),
        ("reminders", ["title", "message"], []),
        ("phases", ["name", "summary", "question"], []),
    ]

    /// `ID.LANG.toml` -> (ID, LANG) when the name is a companion's. Program
    /// ids have no dots, so such a file is never a program of its own.
    public static func companion(fileName name: String) -> (id: String, language: String)? {
        guard name.hasSuffix(".toml") else { return nil }
        let stem = name.dropLast(5)
        guard let dot = stem.lastIndex(of: "."), !stem[..<dot].contains(".") else { return nil }
        let id = String(stem[..<dot]), lang = String(stem[stem.index(after: dot)...])
        guard isValidID(id), isLanguageTag(lang) else { return nil }
        return (id, lang)
    }

    /// "de", "es", "pt_BR", "sr_RS" (language, optionally _COUNTRY).
    static func isLanguageTag(_ s: String) -> Bool {
        let parts = s.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count <= 2, let l = parts.first, (2...3).contains(l.count),
              l.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) }) else { return false }
        if parts.count == 2 {
            return parts[1].count == 2 && parts[1].unicodeScalars.allSatisfy { ("A"..."Z").contains($0) }
        }
        return true
    }

    /// Reads the companion `file` of `original`. `strict`: a text the original
    /// lacks is an error (`--check`); otherwise every problem is a warning.
    static func read(file: String, language: String, original: Program, maxBytes: Int, strict: Bool,
                     sink: inout DiagnosticSink) -> ProgramTranslation? {
        let root: ConfigTable
        switch TOMLDocument.load(path: file, maxBytes: maxBytes) {
        case .success(let doc): root = doc.root
        case .failure(let d):
            var d = d
            if !strict { d.severity = .warning }
            sink.items.append(d)
            return nil
        }
        var t = ProgramTranslation(language: language, file: file)
        func extra(_ at: SourceLocation, _ message: String) {
            if strict { sink.error(at, message) } else { sink.warning(at, message) }
        }
        // What the original has, by key path.
        var originalTexts: [String: Text] = [:]
        originalTexts["name"] = .one(original.name)
        if !original.summary.isEmpty { originalTexts["summary"] = .one(original.summary) }
        if !original.disclaimer.isEmpty { originalTexts["disclaimer"] = .one(original.disclaimer) }
        if !original.redFlags.isEmpty { originalTexts["red_flags"] = .list(original.redFlags) }
        if !original.sources.isEmpty { originalTexts["sources"] = .list(original.sources) }
        for e in original.exercises {
            let k = "exercises.\(e.id)."
            originalTexts[k + "name"] = .one(e.name)
            if !e.cue.isEmpty { originalTexts[k + "cue"] = .one(e.cue) }
            if !e.steps.isEmpty { originalTexts[k + "steps"] = .list(e.steps) }
            if !e.cautions.isEmpty { originalTexts[k + "cautions"] = .list(e.cautions) }
            if !e.stopIf.isEmpty { originalTexts[k + "stop_if"] = .list(e.stopIf) }
        }
        for r in original.reminders {
            originalTexts["reminders.\(r.id).title"] = .one(r.title)
            if !r.message.isEmpty { originalTexts["reminders.\(r.id).message"] = .one(r.message) }
        }
        for p in original.phases {
            originalTexts["phases.\(p.id).name"] = .one(p.name)
            if !p.summary.isEmpty { originalTexts["phases.\(p.id).summary"] = .one(p.summary) }
            if case .confirm(let q, _) = p.advance { originalTexts["phases.\(p.id).question"] = .one(q) }
        }

        func take(_ path: String, _ value: ConfigValue, list: Bool) {
            guard let have = originalTexts[path] else {
                extra(value.keyLocation, tr("'{key}' is not in the original program ({file}): a translation has only the original's texts",
                                            ["key": path, "file": original.origin]))
                return
            }
            switch (value.kind, have) {
            case (.string(let s), .one) where !list:
                t.texts[path] = .one(s)
            case (.array(let items), .list(let orig)) where list:
                let strings = items.compactMap(\.string)
                guard strings.count == items.count else {
                    extra(value.location, tr("'{key}' must be a list of texts", ["key": path]))
                    return
                }
                guard strings.count == orig.count else {
                    extra(value.location, tr("'{key}' has {count} texts, the original {original}: translate each one, in the same order",
                                             ["key": path, "count": String(strings.count), "original": String(orig.count)]))
                    return
                }
                t.texts[path] = .list(strings)
                if path.hasSuffix(".stop_if") { checkStopForms(path, items, orig, &sink) }
                if path == "sources" {
                    // An entry that cites other addresses shows the original's.
                    let wrong = checkAddresses(path, items, orig, extra)
                    t.texts[path] = .list(strings.indices.map { wrong.contains($0) ? orig[$0] : strings[$0] })
                }
            default:
                extra(value.location, list ? tr("'{key}' must be a list of texts", ["key": path])
                                           : tr("'{key}' must be a text", ["key": path]))
            }
        }

        for (key, value) in root.entriesInOrder {
            if Self.topTexts.contains(key) { take(key, value, list: false); continue }
            if Self.topLists.contains(key) { take(key, value, list: true); continue }
            guard let section = Self.sections.first(where: { $0.name == key }) else {
                extra(value.keyLocation, tr("'{key}' is not a text of a program; a translation has only texts (name, summary, disclaimer, red_flags, sources, [exercises.ID], [reminders.ID], [phases.ID])",
                                            ["key": key]))
                continue
            }
            guard let table = value.table else {
                extra(value.location, tr("'{key}' must be a table like [{key}.ID]", ["key": key]))
                continue
            }
            for (id, entry) in table.entriesInOrder {
                guard let fields = entry.table else {
                    extra(entry.location, tr("'{key}' must be a table", ["key": "\(key).\(id)"]))
                    continue
                }
                for (field, v) in fields.entriesInOrder {
                    let path = "\(key).\(id).\(field)"
                    if section.texts.contains(field) {
                        take(path, v, list: false)
                    } else if section.lists.contains(field) {
                        take(path, v, list: true)
                    } else if originalTexts[path] == nil && !(section.texts + section.lists).contains(field) {
                        extra(v.keyLocation, tr("'{key}' is not a text that can be translated (only {fields})",
                                                ["key": path, "fields": (section.texts + section.lists).joined(separator: ", ")]))
                    }
                }
            }
        }
        // One line for all missing texts, however many (a partial translation is fine).
        let missing = originalTexts.keys.sorted().filter { t.texts[$0] == nil }
        if !missing.isEmpty {
            let shown = missing.prefix(5).joined(separator: ", ") + (missing.count > 5 ? ", …" : "")
            sink.warning(SourceLocation(file: file), trn("no translation of {n} text, the original is shown: {keys}",
                                                         "no translation of {n} texts, the original is shown: {keys}",
                                                         missing.count, ["n": String(missing.count), "keys": shown]))
        }
        return t
    }

    /// `program` with the texts this translation has; the others unchanged.
    public func apply(to program: Program) -> Program {
        var p = program
        func one(_ path: String, _ s: inout String) { if case .one(let v)? = texts[path] { s = v } }
        func list(_ path: String, _ s: inout [String]) { if case .list(let v)? = texts[path] { s = v } }
        one("name", &p.name)
        one("summary", &p.summary)
        one("disclaimer", &p.disclaimer)
        list("red_flags", &p.redFlags)
        list("sources", &p.sources)
        for i in p.exercises.indices {
            let k = "exercises.\(p.exercises[i].id)."
            one(k + "name", &p.exercises[i].name)
            one(k + "cue", &p.exercises[i].cue)
            list(k + "steps", &p.exercises[i].steps)
            list(k + "cautions", &p.exercises[i].cautions)
            list(k + "stop_if", &p.exercises[i].stopIf)
        }
        for i in p.reminders.indices {
            one("reminders.\(p.reminders[i].id).title", &p.reminders[i].title)
            one("reminders.\(p.reminders[i].id).message", &p.reminders[i].message)
        }
        for i in p.phases.indices {
            one("phases.\(p.phases[i].id).name", &p.phases[i].name)
            one("phases.\(p.phases[i].id).summary", &p.phases[i].summary)
            if case .confirm(var q, let every) = p.phases[i].advance {
                one("phases.\(p.phases[i].id).question", &q)
                p.phases[i].advance = .confirm(question: q, askEveryDays: every)
            }
        }
        return p
    }

    /// A warning where a translated `stop_if` entry reads in the other form
    /// than its original: the original decides (a clause is shown after
    /// "Stop if ", a sentence as it is), so a translated clause written as
    /// a finished sentence, or a sentence written as a clause, would be
    /// shown wrong.
    static func checkStopForms(_ path: String, _ items: [ConfigValue], _ originals: [String], _ sink: inout DiagnosticSink) {
        for (i, (item, original)) in zip(items, originals).enumerated() {
            guard let text = item.string else { continue }
            let sentence = StopForm(original: original).sentence
            let looksFinished = text.first.map { $0.isUppercase || "¡¿".contains($0) } == true
                && text.last.map { ".!?".contains($0) } == true
            if !sentence && looksFinished {
                sink.warning(item.location, tr("'{key}' entry {n} reads as a whole sentence, but the original is a clause shown after \"Stop if\": write a clause, without the final full stop",
                                               ["key": path, "n": String(i + 1)]))
            } else if sentence && !looksFinished {
                sink.warning(item.location, tr("'{key}' entry {n} reads as a clause, but the original is a whole sentence shown as it is: write a sentence",
                                               ["key": path, "n": String(i + 1)]))
            }
        }
    }

    /// An error where a translated source does not cite the web addresses
    /// of its original, each as it is: a translation changes the words
    /// around an address (its title, a note), never where it points.
    /// Returns the indices of those entries.
    static func checkAddresses(_ path: String, _ items: [ConfigValue], _ originals: [String],
                               _ report: (SourceLocation, String) -> Void) -> Set<Int> {
        var wrong = Set<Int>()
        for (i, (item, original)) in zip(items, originals).enumerated() {
            guard let text = item.string else { continue }
            let want = webAddresses(original), have = webAddresses(text)
            if let missing = want.first(where: { !have.contains($0) }) {
                wrong.insert(i)
                report(item.location, tr("'{key}' entry {n} does not cite {address} as the original does: keep web addresses as they are",
                                         ["key": path, "n": String(i + 1), "address": missing]))
            } else if let added = have.first(where: { !want.contains($0) }) {
                wrong.insert(i)
                report(item.location, tr("'{key}' entry {n} cites {address}, which the original does not: keep web addresses as they are",
                                         ["key": path, "n": String(i + 1), "address": added]))
            }
        }
        return wrong
    }

    /// The web addresses in a text ("https://…", "http://…", "www.…"), without a closing punctuation mark.
    public static func webAddresses(_ text: String) -> [String] {
        var out: [String] = []
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "(" || $0 == ")" || $0 == "<" || $0 == ">" }) {
            let w = String(word)
            guard w.hasPrefix("https://") || w.hasPrefix("http://") || w.hasPrefix("www.") else { continue }
            var end = w
            while let last = end.last, ".,;:!?»“”\"'".contains(last) { end.removeLast() }
            out.append(end)
        }
        return out
    }

    /// Every text of `program` through the pseudo-locale (LIMBER_PSEUDO_LOCALE=1).
    public static func pseudo(_ program: Program) -> Program {
        var p = program
        let f = Localizer.pseudoText
        p.name = f(p.name); p.summary = f(p.summary); p.disclaimer = f(p.disclaimer)
        p.redFlags = p.redFlags.map(f)
        p.sources = p.sources.map { source in
            // The words around a web address, never the address.
            var out = "", words = ""
            for part in source.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
                if webAddresses(part).isEmpty { words += (words.isEmpty ? "" : " ") + part; continue }
                if !words.isEmpty { out += f(words) + " "; words = "" }
                out += part + " "
            }
            return words.isEmpty ? String(out.dropLast()) : out + f(words)
        }
        for i in p.exercises.indices {
            p.exercises[i].name = f(p.exercises[i].name)
            p.exercises[i].cue = f(p.exercises[i].cue)
            p.exercises[i].steps = p.exercises[i].steps.map(f)
            p.exercises[i].cautions = p.exercises[i].cautions.map(f)
            p.exercises[i].stopIf = p.exercises[i].stopIf.map(f)
        }
        for i in p.reminders.indices {
            p.reminders[i].title = f(p.reminders[i].title)
            p.reminders[i].message = f(p.reminders[i].message)
        }
        for i in p.phases.indices {
            p.phases[i].name = f(p.phases[i].name)
            p.phases[i].summary = f(p.phases[i].summary)
        }
        return p
    }
}
