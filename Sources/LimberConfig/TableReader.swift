import LimberCore

/// Collects diagnostics while a file is read; never stops at the first.
struct DiagnosticSink {
    var items: [Diagnostic] = []
    var hasErrors: Bool { items.hasErrors }

    mutating func error(_ at: SourceLocation, _ message: String) {
        items.append(Diagnostic(at, message))
    }

    mutating func warning(_ at: SourceLocation, _ message: String) {
        items.append(Diagnostic(at, message, severity: .warning))
    }
}

/// Typed access to one table's fields, reporting missing fields, wrong
/// types and unknown keys with the position of the offending key or value.
struct TableReader {
    let table: ConfigTable
    /// Where the table is, for "missing field" messages.
    let location: SourceLocation
    /// What the table is, in words: "reminder 'sit-break'".
    let what: String

    init(_ table: ConfigTable, at location: SourceLocation, what: String) {
        self.table = table
        self.location = location
        self.what = what
    }

    init?(_ value: ConfigValue, what: String, sink: inout DiagnosticSink) {
        guard let t = value.table else {
            sink.error(value.location, tr("{what} must be a table, not {type}", ["what": "\(what)", "type": "\(value.typeName)"]))
            return nil
        }
        self.init(t, at: value.location, what: what)
    }

    subscript(key: String) -> ConfigValue? { table[key] }

    /// Reports every key not in `allowed`, suggesting a close one.
    func rejectUnknownKeys(allowed: [String], sink: inout DiagnosticSink, note: (String) -> String? = { _ in nil }) {
        for (key, value) in table.entriesInOrder where !allowed.contains(key) {
            var message = tr("unknown key '{key}' in {what}", ["key": "\(key)", "what": "\(what)"])
            if let extra = note(key) {
                message += "; " + extra
            } else if let guess = closest(to: key, in: allowed) {
                message += tr("; did you mean '{guess}'?", ["guess": "\(guess)"])
            }
            sink.error(value.keyLocation, message)
        }
    }

    func missing(_ key: String, sink: inout DiagnosticSink) {
        sink.error(location, tr("{what} is missing '{key}'", ["what": "\(what)", "key": "\(key)"]))
    }

    func string(_ key: String, required: Bool = false, nonEmpty: Bool = true, sink: inout DiagnosticSink) -> String? {
        guard let v = table[key] else {
            if required { missing(key, sink: &sink) }
            return nil
        }
        guard let s = v.string else {
            sink.error(v.location, tr("'{key}' must be a string, not {type}", ["key": "\(key)", "type": "\(v.typeName)"]))
            return nil
        }
        if nonEmpty && s.allSatisfy(\.isWhitespace) {
            sink.error(v.location, tr("'{key}' must not be empty", ["key": "\(key)"]))
            return nil
        }
        return s
    }

    func integer(_ key: String, required: Bool = false, range: ClosedRange<Int>? = nil, sink: inout DiagnosticSink) -> Int? {
        guard let v = table[key] else {
            if required { missing(key, sink: &sink) }
            return nil
        }
        guard let i = v.integer else {
            sink.error(v.location, tr("'{key}' must be a whole number, not {type}", ["key": "\(key)", "type": "\(v.typeName)"]))
            return nil
        }
        if let r = range, !r.contains(i) {
            let bound = r.upperBound == Int.max ? tr("at least {min}", ["min": "\(r.lowerBound)"]) : tr("between {min} and {max}", ["min": "\(r.lowerBound)", "max": "\(r.upperBound)"])
            sink.error(v.location, tr("'{key}' must be {bound}; got {i}", ["key": "\(key)", "bound": "\(bound)", "i": "\(i)"]))
            return nil
        }
        return i
    }

    func bool(_ key: String, sink: inout DiagnosticSink) -> Bool? {
        guard let v = table[key] else { return nil }
        guard let b = v.bool else {
            sink.error(v.location, tr("'{key}' must be true or false, not {type}", ["key": "\(key)", "type": "\(v.typeName)"]))
            return nil
        }
        return b
    }

    /// An array of strings; a single string is accepted where `allowSingle`.
    func strings(_ key: String, required: Bool = false, allowSingle: Bool = false, sink: inout DiagnosticSink) -> [(String, SourceLocation)]? {
        guard let v = table[key] else {
            if required { missing(key, sink: &sink) }
            return nil
        }
        if allowSingle, let s = v.string { return [(s, v.location)] }
        guard let a = v.array else {
            sink.error(v.location, allowSingle ? tr("'{key}' must be a string or an array of strings, not {type}", ["key": key, "type": v.typeName])
                : tr("'{key}' must be an array of strings, not {type}", ["key": key, "type": v.typeName]))
            return nil
        }
        var out: [(String, SourceLocation)] = []
        var ok = true
        for e in a {
            if let s = e.string {
                out.append((s, e.location))
            } else {
                sink.error(e.location, tr("'{key}' must hold strings only, not {type}", ["key": "\(key)", "type": "\(e.typeName)"]))
                ok = false
            }
        }
        return ok ? out : nil
    }

    func text(_ key: String, sink: inout DiagnosticSink) -> [String]? {
        guard let list = strings(key, sink: &sink) else { return nil }
        var out: [String] = []
        for (s, at) in list {
            if s.allSatisfy(\.isWhitespace) {
                sink.error(at, tr("'{key}' must not hold empty strings", ["key": "\(key)"]))
            } else {
                out.append(s)
            }
        }
        return out
    }

    func duration(_ key: String, required: Bool = false, example: String = "45m",
                  minimum: Duration = .seconds(1), sink: inout DiagnosticSink) -> Duration? {
        guard let v = table[key] else {
            if required { missing(key, sink: &sink) }
            return nil
        }
        return Self.duration(v, key: key, example: example, minimum: minimum, sink: &sink)
    }

    static func duration(_ v: ConfigValue, key: String, example: String = "45m",
                         minimum: Duration = .seconds(1), sink: inout DiagnosticSink) -> Duration? {
        guard let s = v.string else {
            sink.error(v.location, tr("'{key}' must be a duration like \"{example}\"", ["key": "\(key)", "example": "\(example)"]))
            return nil
        }
        guard let d = DurationText.parse(s) else {
            let why = DurationText.reason(s) ?? tr("it is not one")
            sink.error(v.location, tr("'{key}' must be a duration like \"{example}\"; \"{s}\": {why} ({hint})", ["key": "\(key)", "example": "\(example)", "s": "\(s)", "why": "\(why)", "hint": "\(DurationText.hint)"]))
            return nil
        }
        if d < minimum {
            sink.error(v.location, tr("'{key}' must be at least {minimum}; got \"{s}\"", ["key": "\(key)", "minimum": "\(DurationText.format(minimum))", "s": "\(s)"]))
            return nil
        }
        return d
    }

    func dayWindow(_ key: String, required: Bool = false, sink: inout DiagnosticSink) -> DayWindow? {
        guard let v = table[key] else {
            if required { missing(key, sink: &sink) }
            return nil
        }
        return Self.dayWindow(v, key: key, sink: &sink)
    }

    static func dayWindow(_ v: ConfigValue, key: String, sink: inout DiagnosticSink) -> DayWindow? {
        guard let s = v.string, let w = DayWindow(s) else {
            sink.error(v.location, tr("'{key}' must be a time window like \"09:00-17:30\"", ["key": "\(key)"]))
            return nil
        }
        return w
    }

    /// Weekdays: ["mon", "tue"], or one of "daily", "weekdays", "weekends".
    func weekdays(_ key: String, sink: inout DiagnosticSink) -> Set<Weekday>? {
        guard let v = table[key] else { return nil }
        if let s = v.string {
            switch s.lowercased() {
            case "daily", "every-day", "everyday": return Weekday.everyDay
            case "weekdays", "workdays": return Weekday.workdays
            case "weekends", "weekend": return [.saturday, .sunday]
            default:
                if let d = Weekday(s) { return [d] }
                sink.error(v.location, tr("'{key}' must be a list of weekdays like [\"mon\", \"fri\"], or \"daily\", \"weekdays\" or \"weekends\"", ["key": "\(key)"]))
                return nil
            }
        }
        guard let list = strings(key, sink: &sink) else { return nil }
        var days: Set<Weekday> = []
        var ok = true
        for (s, at) in list {
            if let d = Weekday(s) {
                if days.contains(d) { sink.warning(at, "'\(key)' names \(d.name) twice") }
                days.insert(d)
            } else {
                sink.error(at, tr("'{s}' is not a weekday; write \"mon\", \"tue\", ... \"sun\"", ["s": "\(s)"]))
                ok = false
            }
        }
        if ok && days.isEmpty {
            sink.error(v.location, tr("'{key}' must name at least one day", ["key": "\(key)"]))
            return nil
        }
        return ok ? days : nil
    }

    /// A value among `choices`, e.g. "rotate" for `order`.
    func choice(_ key: String, _ choices: [String], required: Bool = false, sink: inout DiagnosticSink) -> String? {
        guard let s = string(key, required: required, sink: &sink), let v = table[key] else { return nil }
        if choices.contains(s) { return s }
        var message = tr("'{key}' must be one of ", ["key": "\(key)"]) + choices.map { "\"\($0)\"" }.joined(separator: ", ") + "; got \"\(s)\""
        if let guess = closest(to: s, in: choices) { message += tr(" (did you mean \"{guess}\"?)", ["guess": "\(guess)"]) }
        sink.error(v.location, message)
        return nil
    }
}

/// Ids of programs, exercises, rules, phases and plugins: lower-case
/// letters, digits, '-' and '_', starting with a letter or digit.
func isValidID(_ s: String) -> Bool {
    guard let first = s.unicodeScalars.first, s.unicodeScalars.count <= 64 else { return false }
    func ok(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("0"..."9").contains(c) }
    return ok(first) && s.unicodeScalars.allSatisfy { ok($0) || $0 == "-" || $0 == "_" }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
func closest(to word: String, in candidates: [String]) -> String? {
    let w = Array(word.lowercased())
    var best: (String, Int)? = nil
    for c in candidates {
        let d = editDistance(w, Array(c.lowercased()))
        if best == nil || d < best!.1 { best = (c, d) }
    }
    guard let (candidate, distance) = best else { return nil }
    let allowed = max(1, min(3, w.count / 3))
    return distance <= allowed ? candidate : nil
}

func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    // Optimal string alignment: insertions, deletions, substitutions and
    // swaps of neighbours ("natrual" is one step from "natural").
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
    }
    return d[a.count][b.count]
}
