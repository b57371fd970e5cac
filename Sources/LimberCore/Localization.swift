import Synchronization

/// The words limber says, in the user's language (docs/translating.md).
///
/// The core never reads a locale, an environment variable or a catalog
/// file: it receives translations as a value. The edges (`LimberL10n`,
/// over glibc's gettext) build a `Localizer` once at start and install it;
/// tests install their own (a pseudo-locale) for the scope of one test with
/// `Localizer.$scoped.withValue(...)`. Until something is installed every
/// text is the English original.
///
/// Marking: a user-facing text is written once, as a plain literal, inside
/// `tr("...")` (or `trn("...", "...", n)` when it depends on a count), so
/// `scripts/po-extract` finds it and puts it in `po/limber.pot`. Values go
/// in as named placeholders, `tr("next: {title} in {time}", ["title": t,
/// "time": d])`, so a translation can move them (msgfmt checks them as
/// python-brace-format). A literal kept in a table and translated later is
/// marked with `trMark("...")`, which returns it unchanged.
public struct Localizer: Sendable {
    /// msgid -> translation (the msgid itself when there is none).
    public var translate: @Sendable (String) -> String
    /// (singular msgid, plural msgid, n) -> translation, by the language's plural rule.
    public var translatePlural: @Sendable (String, String, Int) -> String
    /// A wall-clock time as the locale writes it: "14:05" or "2:05 PM".
    public var time: @Sendable (_ hour: Int, _ minute: Int) -> String
    /// A number with `fractionDigits` decimals and the locale's decimal separator.
    public var number: @Sendable (_ value: Double, _ fractionDigits: Int) -> String
    /// The locale's language tags, most wanted first ("de_DE", "de"); empty for English.
    public var languages: [String]
    /// The first of them as HTML's `lang` writes it ("de-DE"); "en" for English.
    public var htmlLanguage: String { languages.first.map { $0.replacingOccurrences(of: "_", with: "-") } ?? "en" }

    public init(translate: @escaping @Sendable (String) -> String = { $0 },
                translatePlural: @escaping @Sendable (String, String, Int) -> String = { n1, n2, n in n == 1 ? n1 : n2 },
                time: @escaping @Sendable (Int, Int) -> String = Localizer.time24,
                number: @escaping @Sendable (Double, Int) -> String = { Localizer.plainNumber($0, $1, separator: ".") },
                languages: [String] = []) {
        self.translate = translate
        self.translatePlural = translatePlural
        self.time = time
        self.number = number
        self.languages = languages
    }

    /// The original texts, 24-hour times, a decimal point.
    public static let english = Localizer()

    /// The one installed at start by the edge (limberd, limberctl).
    private static let installed = Mutex(Localizer.english)

    /// Set for the scope of a test (or any task) to use another localizer there.
    @TaskLocal public static var scoped: Localizer?

    /// The localizer in effect: the scoped one, else the installed one.
    public static var current: Localizer {
        if let s = scoped { return s }
        return installed.withLock { $0 }
    }

    /// Installs the process's localizer (once, at start).
    public static func install(_ l: Localizer) {
        installed.withLock { $0 = l }
    }

    /// "14:05".
    public static func time24(_ hour: Int, _ minute: Int) -> String {
        (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    /// `value` rounded to `fractionDigits` decimals, written with `separator`.
    public static func plainNumber(_ value: Double, _ fractionDigits: Int, separator: String) -> String {
        guard value.isFinite else { return String(value) }
        let digits = max(0, min(fractionDigits, 6))
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int64(scaled / scale)
        var out = (value < 0 && scaled != 0 ? "-" : "") + String(whole)
        if digits > 0 {
            var frac = String(Int64(scaled) - whole * Int64(scale))
            while frac.count < digits { frac = "0" + frac }
            out += separator + frac
        }
        return out
    }
}

/// Substitutes `{name}` placeholders; `{{` and `}}` stand for braces.
public func fillPlaceholders(_ text: String, _ args: KeyValuePairs<String, String>) -> String {
    fillPlaceholders(text) { name in args.first(where: { $0.key == name })?.value }
}

/// `fillPlaceholders` with values kept in a dictionary (a text stored to be
/// translated later, when it is shown).
public func fillPlaceholders(_ text: String, values: [String: String]) -> String {
    fillPlaceholders(text) { values[$0] }
}

private func fillPlaceholders(_ text: String, lookup: (String) -> String?) -> String {
    if !text.contains("{") && !text.contains("}") { return text }
    var out = ""
    var i = text.startIndex
    while i < text.endIndex {
        let c = text[i]
        let next = text.index(after: i)
        if c == "{" , next < text.endIndex, text[next] == "{" { out.append("{"); i = text.index(after: next); continue }
        if c == "}" , next < text.endIndex, text[next] == "}" { out.append("}"); i = text.index(after: next); continue }
        if c == "{", let close = text[next...].firstIndex(of: "}") {
            let name = String(text[next..<close])
            if let v = lookup(name) {
                out += v
                i = text.index(after: close)
                continue
            }
        }
        out.append(c)
        i = next
    }
    return out
}

/// A user-facing text in the user's language, with `{name}` placeholders filled.
public func tr(_ msgid: String, _ args: KeyValuePairs<String, String> = [:]) -> String {
    fillPlaceholders(Localizer.current.translate(msgid), args)
}

/// A text that depends on a count: `trn("{n} reminder", "{n} reminders", n, ["n": "\(n)"])`.
public func trn(_ singular: String, _ plural: String, _ n: Int, _ args: KeyValuePairs<String, String> = [:]) -> String {
    fillPlaceholders(Localizer.current.translatePlural(singular, plural, n), args)
}

/// Marks a literal for the catalog without translating it yet (gettext's N_):
/// for tables of texts translated where they are shown, with `tr(value)`.
@inlinable public func trMark(_ msgid: String) -> String { msgid }

/// A time of day in the user's locale ("14:05", "2:05 PM").
public func localTime(hour: Int, minute: Int) -> String { Localizer.current.time(hour, minute) }

/// A number in the user's locale ("2.5", "2,5").
public func localNumber(_ value: Double, fractionDigits: Int = 1) -> String {
    Localizer.current.number(value, fractionDigits)
}

extension Localizer {
    /// The pseudo-locale: every text accented, bracketed and lengthened by
    /// at least 40 % (as German often is), placeholders and markup kept; a
    /// 12-hour clock and a decimal comma. A layout that truncates or a text
    /// that is not marked shows up at once (tests, `LIMBER_PSEUDO_LOCALE=1`).
    public static let pseudo = Localizer(
        translate: { Localizer.pseudoText($0) },
        translatePlural: { one, many, n in Localizer.pseudoText(n == 1 ? one : many) },
        time: { hour, minute in
            let h12 = hour % 12 == 0 ? 12 : hour % 12
            return String(h12) + ":" + (minute < 10 ? "0" : "") + String(minute) + (hour < 12 ? " ÁM" : " PM")
        },
        number: { Localizer.plainNumber($0, $1, separator: ",") },
        languages: ["x-pseudo"])

    static let accents: [Character: Character] = [
        "a": "á", "e": "é", "i": "í", "o": "ö", "u": "ü", "c": "ç", "n": "ñ", "y": "ý",
        "A": "Á", "E": "É", "I": "Í", "O": "Ö", "U": "Ü", "C": "Ç", "N": "Ñ", "Y": "Ý",
    ]

    /// "Stop if {what}" -> "⟦Šţöp íf {what}~~~~⟧"-like: accented outside
    /// `{placeholders}` and `<markup>`, padded to 140 % of the letters.
    public static func pseudoText(_ s: String) -> String {
        if s.isEmpty { return s }
        var out = ""
        var depthBrace = false, inTag = false
        var letters = 0
        for c in s {
            if c == "{" { depthBrace = true } else if c == "}" { depthBrace = false }
            if c == "<" { inTag = true } else if c == ">" { inTag = false }
            if !depthBrace && !inTag, let a = accents[c] { out.append(a) } else { out.append(c) }
            if !depthBrace && !inTag && c != "{" && c != "}" && c != ">" { letters += 1 }
        }
        let pad = max(1, (letters * 4 + 9) / 10)
        // Keep a trailing newline or colon where it was.
        var tail = ""
        while let last = out.last, last == "\n" || last == ":" { tail = String(last) + tail; out.removeLast() }
        return "⟦" + out + String(repeating: "~", count: pad) + "⟧" + tail
    }

    /// True when `s` came through the pseudo-locale (for tests).
    public static func isPseudo(_ s: String) -> Bool { s.contains("⟦") && s.contains("⟧") }
}
