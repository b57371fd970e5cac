import LimberCore

/// Turns a program's merged TOML table into a `Program`, reporting every
/// problem with its position. See docs/program-format.md for the format.
struct ProgramReader {
    /// The program file (drop-ins are merged into it; their values keep their own files).
    let file: String
    /// The id the file name gives, if any: `programs/ID.toml`.
    let expectedID: String?
    /// Defaults taken from the settings, e.g. the natural-break length.
    let settings: Settings

    static let schemaVersion = 1

    static let topKeys = ["schema", "id", "name", "summary", "version", "sources", "disclaimer",
                          "red_flags", "allow_easier", "exercises", "reminders", "phases"]
    static let exerciseKeys = ["name", "category", "position", "reps", "sets", "hold", "duration",
                               "per_side", "steps", "cautions", "stop_if", "cue", "allow_easier"]
    static let phaseKeys = ["name", "days", "summary"] + phaseAdvanceKeys
    static let ruleKeys = ["cadence", "title", "message", "enabled", "exercises", "order", "pick",
                           "phases", "catch_up", "snooze", "max_snoozes", "stays_up", "safe_during_red_flag", "counts_as_break"]
    /// The keys each cadence adds to a rule.
    static let cadenceKeys: [(kind: String, keys: [String])] = [
        ("sit-break", ["after", "natural_break", "range"]),
        ("interval", ["every", "range", "between", "from"]),
        ("window", ["count", "between", "min_gap"]),
        ("fixed", ["at", "days"]),
    ]
    static let cadenceKinds = cadenceKeys.map(\.kind)

    func read(_ root: ConfigTable, sink: inout DiagnosticSink) -> Program? {
        let startErrors = sink.items.count
        let top = TableReader(root, at: SourceLocation(file: file), what: tr("the program"))
        top.rejectUnknownKeys(allowed: Self.topKeys, sink: &sink)

        if let schema = top.integer("schema", required: true, sink: &sink), schema != Self.schemaVersion,
           let v = root["schema"] {
            sink.error(v.location, tr("'schema' must be {schemaVersion} (the only program format this limber reads); got {schema}", ["schemaVersion": "\(Self.schemaVersion)", "schema": "\(schema)"]))
        }
        let id = top.string("id", required: true, sink: &sink)
        if let id, let v = root["id"] {
            if !isValidID(id) {
                sink.error(v.location, tr("'id' \"{id}\" is not a valid id: use lower-case letters, digits, '-' and '_'", ["id": "\(id)"]))
            } else if let expected = expectedID, expected != id {
                sink.error(v.location, tr("'id' is \"{id}\" but the file is named {expected}.toml; they must match", ["id": "\(id)", "expected": "\(expected)"]))
            }
        }
        let name = top.string("name", required: true, sink: &sink)
        let summary = top.string("summary", sink: &sink) ?? ""
        let version = top.string("version", sink: &sink) ?? "1"
        let sources = top.text("sources", sink: &sink) ?? []
        let disclaimer = top.string("disclaimer", sink: &sink)
        if disclaimer == nil, root["disclaimer"] == nil {
            sink.warning(top.location, tr("the program has no 'disclaimer'; say that it gives movement reminders, not medical advice"))
        }
        let redFlags = top.text("red_flags", sink: &sink) ?? []
        let allowEasier = top.bool("allow_easier", sink: &sink) ?? false

        let phases = readPhases(root["phases"], sink: &sink)
        let exercises = readExercises(root["exercises"], allowEasier: allowEasier, sink: &sink)
        // Ids of all declared exercises, even ones with errors, so that a bad
        // exercise doesn't also make every rule naming it "unknown".
        let exerciseIDs = (root["exercises"]?.table?.keys ?? []).filter(isValidID)
        var used: Set<String> = []
        let rules = readRules(root["reminders"], top: top, exercises: exerciseIDs, phases: phases.map(\.id),
                              used: &used, sink: &sink)

        if let table = root["exercises"]?.table, !sink.items[startErrors...].contains(where: \.isError) {
            for (eid, v) in table.entriesInOrder where !used.contains(eid) && exerciseIDs.contains(eid) {
                sink.warning(v.keyLocation, tr("exercise '{eid}' is not used by any reminder", ["eid": "\(eid)"]))
            }
        }

        guard !sink.items[startErrors...].contains(where: \.isError), let id, let name else { return nil }
        return Program(id: id, name: name, summary: summary, version: version, sources: sources,
                       disclaimer: disclaimer ?? "", redFlags: redFlags, exercises: exercises,
                       reminders: rules, phases: phases, origin: file)
    }

    /// The entries of a table of tables like `[exercises.ID]`, with checked ids.
    private func entries(_ value: ConfigValue?, name: String, what: String,
                         sink: inout DiagnosticSink) -> [(id: String, reader: TableReader)] {
        guard let value else { return [] }
        guard let table = value.table else {
            sink.error(value.location, tr("'{name}' must be a table of {what}s like [{name2}.my-id], not {type}", ["name": "\(name)", "what": "\(what)", "name2": "\(name)", "type": "\(value.typeName)"]))
            return []
        }
        var out: [(String, TableReader)] = []
        for (id, v) in table.entriesInOrder {
            if !isValidID(id) {
                sink.error(v.keyLocation, tr("'{id}' is not a valid {what} id: use lower-case letters, digits, '-' and '_'", ["id": "\(id)", "what": "\(what)"]))
                continue
            }
            if let r = TableReader(v, what: "\(what) '\(id)'", sink: &sink) { out.append((id, r)) }
        }
        return out
    }

    func readPhases(_ value: ConfigValue?, sink: inout DiagnosticSink) -> [Phase] {
        let list = entries(value, name: "phases", what: "phase", sink: &sink)
        var phases: [Phase] = []
        for (n, (id, r)) in list.enumerated() {
            if unknownInDropIn(r, id: id, what: "phase", required: "name", all: value, sink: &sink) { continue }
            r.rejectUnknownKeys(allowed: Self.phaseKeys, sink: &sink)
            let name = r.string("name", required: true, sink: &sink)
            let days = r.integer("days", range: 1...3650, sink: &sink)
            let summary = r.string("summary", sink: &sink) ?? ""
            if r["days"] == nil && n < list.count - 1 {
                sink.error(r.location, tr("phase '{id}' needs 'days': only the last phase may be open-ended", ["id": "\(id)"]))
            }
            let advance = readAdvance(r, id: id, isLast: n == list.count - 1, sink: &sink)
            if let name { phases.append(Phase(id: id, name: name, days: days, summary: summary, advance: advance)) }
        }
        return phases
    }

    /// A cue longer than this no longer fits on one line of a notification.
    static let cueLimit = 100

    func readExercises(_ value: ConfigValue?, allowEasier programAllows: Bool = false, sink: inout DiagnosticSink) -> [Exercise] {
        var out: [Exercise] = []
        for (id, r) in entries(value, name: "exercises", what: "exercise", sink: &sink) {
            if unknownInDropIn(r, id: id, what: "exercise", required: "name", all: value, sink: &sink) { continue }
            r.rejectUnknownKeys(allowed: Self.exerciseKeys, sink: &sink)
            let name = r.string("name", required: true, sink: &sink)
            let category = r.choice("category", ExerciseCategory.allCases.map(\.rawValue), required: true, sink: &sink)
            let position = r.choice("position", BodyPosition.allCases.map(\.rawValue), required: true, sink: &sink)
            let reps = r.integer("reps", range: 1...1000, sink: &sink)
            let sets = r.integer("sets", range: 1...100, sink: &sink)
            let hold = r.duration("hold", example: "30s", sink: &sink)
            let duration = r.duration("duration", example: "10m", sink: &sink)
            let perSide = r.bool("per_side", sink: &sink) ?? false
            let steps = r.text("steps", sink: &sink) ?? []
            let cautions = r.text("cautions", sink: &sink) ?? []
            let stopIf = r.text("stop_if", sink: &sink) ?? []
            checkClauses(r, sink: &sink)
            let cue = r.string("cue", sink: &sink) ?? ""
            if let v = r["cue"], cue.count > Self.cueLimit {
                sink.warning(v.location, tr("'cue' is {cue} characters; keep it to one line (at most {cueLimit}): the part people get wrong", ["cue": "\(cue.count)", "cueLimit": "\(Self.cueLimit)"]))
            } else if let v = r["cue"], cue.contains("\n") {
                sink.warning(v.location, tr("'cue' should be one line"))
            }
            let allowEasier = r.bool("allow_easier", sink: &sink) ?? programAllows
            if r["steps"] == nil {
                sink.warning(r.location, tr("exercise '{id}' has no 'steps'; say how to do it", ["id": "\(id)"]))
            }
            guard let name, let category, let position,
                  let c = ExerciseCategory(rawValue: category), let p = BodyPosition(rawValue: position) else { continue }
            let dose = Dose(reps: reps, sets: sets, holdSeconds: hold.map { Int($0.wholeSeconds) },
                            duration: duration, perSide: perSide)
            out.append(Exercise(id: id, name: name, category: c, position: p, dose: dose,
                                steps: steps, cautions: cautions, stopIf: stopIf, cue: cue, allowEasier: allowEasier))
        }
        return out
    }

    /// `stop_if` entries are shown after "Stop if ": a clause ("pain spreads
    /// further down your leg"), not a sentence. A warning, so older files
    /// still load.
    func checkClauses(_ r: TableReader, sink: inout DiagnosticSink) {
        guard let list = r["stop_if"]?.array else { return }
        for v in list {
            guard let raw = v.string else { continue }
            let s = String(raw.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
            guard let first = s.first else { continue }
            if first.isUppercase || s.hasSuffix(".") {
                var clause = s.hasSuffix(".") ? String(s.dropLast()) : s
                if first.isUppercase, !clause.hasPrefix("I ") { clause = clause.prefix(1).lowercased() + clause.dropFirst() }
                sink.warning(v.location, tr("'stop_if' entries are clauses shown after \"Stop if \": write \"{clause}\", not a sentence", ["clause": "\(clause)"]))
            }
        }
    }

    func readRules(_ value: ConfigValue?, top: TableReader, exercises: [String], phases: [String],
                   used: inout Set<String>, sink: inout DiagnosticSink) -> [ReminderRule] {
        guard value != nil else {
            top.missing("reminders", sink: &sink)
            return []
        }
        let list = entries(value, name: "reminders", what: "reminder", sink: &sink)
        if list.isEmpty, let value, value.table?.isEmpty == true {
            sink.error(value.location, tr("the program has no reminders; add one like [reminders.sit-break]"))
        }
        var rules: [ReminderRule] = []
        var enabledCount = 0
        for (id, r) in list {
            if unknownInDropIn(r, id: id, what: "reminder", required: "cadence", all: value, sink: &sink) { continue }
            if let rule = readRule(id: id, r, exercises: exercises, phases: phases, used: &used, sink: &sink) {
                if r.bool("enabled", sink: &sink) ?? true {
                    rules.append(rule)
                    enabledCount += 1
                }
            }
        }
        if !list.isEmpty, enabledCount == 0, !sink.hasErrors, let value {
            sink.warning(value.location, tr("every reminder of the program is disabled"))
        }
        return rules
    }

    func readRule(id: String, _ r: TableReader, exercises: [String], phases: [String],
                  used: inout Set<String>, sink: inout DiagnosticSink) -> ReminderRule? {
        let kind = r.choice("cadence", Self.cadenceKinds, required: true, sink: &sink)
        let ownKeys = Self.cadenceKeys.first { $0.kind == kind }?.keys
        let allCadenceKeys = Self.cadenceKeys.flatMap(\.keys)
        r.rejectUnknownKeys(allowed: Self.ruleKeys + (ownKeys ?? allCadenceKeys), sink: &sink) { key in
            guard let kind, let owner = Self.cadenceKeys.first(where: { $0.keys.contains(key) })?.kind else { return nil }
            let uses = (ownKeys ?? []).map { "'\($0)'" }.joined(separator: ", ")
            let args: KeyValuePairs<String, String> = ["key": key, "owner": owner, "kind": kind, "uses": uses]
            return kind.first.map { "aeiou".contains($0) } == true
                ? tr("'{key}' belongs to {owner} reminders; an {kind} reminder uses {uses}", args)
                : tr("'{key}' belongs to {owner} reminders; a {kind} reminder uses {uses}", args)
        }

        let title = r.string("title", required: true, sink: &sink)
        let message = r.string("message", nonEmpty: false, sink: &sink) ?? ""
        let pool = readPool(r, exercises: exercises, used: &used, sink: &sink)
        var rulePhases: [String] = []
        if let list = r.strings("phases", sink: &sink) {
            for (p, at) in list {
                if phases.contains(p) {
                    rulePhases.append(p)
                } else if phases.isEmpty {
                    sink.error(at, tr("unknown phase '{p}': the program has no [phases]", ["p": "\(p)"]))
                } else {
                    var m = tr("unknown phase '{p}'", ["p": "\(p)"])
                    if let g = closest(to: p, in: phases) { m += tr("; did you mean '{g}'?", ["g": "\(g)"]) }
                    sink.error(at, m + " (phases: " + phases.joined(separator: ", ") + ")")
                }
            }
        }
        let catchUp = r.choice("catch_up", CatchUp.allCases.map(\.rawValue), sink: &sink).flatMap(CatchUp.init(rawValue:))
        let snooze = r.duration("snooze", example: "10m", minimum: .minutes(1), sink: &sink)
        let maxSnoozes = r.integer("max_snoozes", range: 0...20, sink: &sink)
        let staysUp = r.duration("stays_up", example: "15m", minimum: .seconds(10), sink: &sink)
        let safeDuringRedFlag = r.bool("safe_during_red_flag", sink: &sink) ?? false
        let countsAsBreak = r.bool("counts_as_break", sink: &sink)
        let read = kind.flatMap { readCadence($0, r, phases: phases, rulePhases: rulePhases, sink: &sink) }

        guard let title, let read, let pool else { return nil }
        return ReminderRule(id: id, title: title, message: message, cadence: read.cadence, pool: pool,
                            phases: rulePhases, catchUp: catchUp ?? .once, snooze: snooze,
                            maxSnoozes: maxSnoozes, staysUp: staysUp, phaseCadences: read.byPhase,
                            safeDuringRedFlag: safeDuringRedFlag, countsAsBreak: countsAsBreak)
    }

    func readPool(_ r: TableReader, exercises: [String], used: inout Set<String>, sink: inout DiagnosticSink) -> ExercisePool? {
        var ok = true
        var ids: [String] = []
        if let list = r.strings("exercises", sink: &sink) {
            for (e, at) in list {
                if ids.contains(e) {
                    sink.error(at, tr("exercise '{e}' is listed twice", ["e": "\(e)"]))
                    ok = false
                } else if exercises.contains(e) {
                    ids.append(e)
                    used.insert(e)
                } else {
                    var m = tr("unknown exercise '{e}'", ["e": "\(e)"])
                    if let g = closest(to: e, in: exercises) { m += tr("; did you mean '{g}'?", ["g": "\(g)"]) }
                    sink.error(at, m)
                    ok = false
                }
            }
        } else if r["exercises"] != nil {
            ok = false
        }
        let orderText = r.choice("order", ExercisePool.Order.allCases.map(\.rawValue), sink: &sink)
        if r["order"] != nil && orderText == nil { ok = false }
        let order = orderText.flatMap(ExercisePool.Order.init(rawValue:)) ?? .fixed
        var pick: Int? = nil
        if let v = r["pick"] {
            if let p = r.integer("pick", range: 1...Int.max, sink: &sink) {
                if order != .rotate {
                    sink.error(v.keyLocation, tr("'pick' only applies to a rotation; add order = \"rotate\""))
                    ok = false
                } else if ok && p > ids.count {
                    sink.error(v.location, trn("'pick' is {pick} but the pool has only {n} exercise", "'pick' is {pick} but the pool has only {n} exercises", ids.count, ["pick": String(p), "n": String(ids.count)]))
                    ok = false
                } else {
                    pick = p
                }
            } else {
                ok = false
            }
        }
        if order == .rotate && ids.isEmpty && ok {
            sink.error(r["order"]?.location ?? r.location, tr("a rotation needs 'exercises' to rotate through"))
            ok = false
        }
        return ok ? ExercisePool(exercises: ids, order: order, pick: pick) : nil
    }

    /// A rule's cadence, and where `after` or `every` differ by phase, its
    /// cadence in those phases.
    func readCadence(_ kind: String, _ r: TableReader, phases: [String], rulePhases: [String],
                     sink: inout DiagnosticSink) -> (cadence: Cadence, byPhase: [String: Cadence])? {
        switch kind {
        case "sit-break":
            let after = phasedDuration(r, key: "after", example: "45m", minimum: .minutes(1), phases: phases,
                                       rulePhases: rulePhases, sink: &sink)
            let naturalBreak = r.duration("natural_break", example: "5m", minimum: .seconds(10), sink: &sink)
            guard let after, r["natural_break"] == nil || naturalBreak != nil else { return nil }
            let nb = naturalBreak ?? settings.naturalBreak
            return (.sitBreak(after: after.base, naturalBreak: nb), after.byPhase.mapValues { .sitBreak(after: $0, naturalBreak: nb) })
        case "interval":
            let every = phasedDuration(r, key: "every", example: "2h", minimum: .minutes(1), phases: phases,
                                       rulePhases: rulePhases, sink: &sink)
            guard let every, let base = intervalCadence(r, every: every.base, sink: &sink) else { return nil }
            var byPhase: [String: Cadence] = [:]
            for (phase, d) in every.byPhase { byPhase[phase] = intervalCadence(r, every: d, sink: &sink) }
            return (base, byPhase)
        case "window":
            let count = r.integer("count", required: true, range: 1...48, sink: &sink)
            let window = r.dayWindow("between", required: true, sink: &sink)
            let gap = r.duration("min_gap", example: "1h", minimum: .minutes(1), sink: &sink)
            guard let count, let window, r["min_gap"] == nil || gap != nil else { return nil }
            let windowMinutes = window.lengthMinutes
            let minGap = gap ?? .minutes(max(1, windowMinutes / (2 * count)))
            let neededMinutes = Int(minGap.wholeSeconds / 60) * (count - 1)
            if neededMinutes > windowMinutes {
                let at = r["min_gap"]?.location ?? r["count"]?.location ?? r.location
                sink.error(at, tr("{value} reminders at least {minGap} apart don't fit in {window}", ["value": "\(count)", "minGap": "\(DurationText.format(minGap))", "window": "\(window)"]))
                return nil
            }
            return (.window(count: count, window: window, minGap: minGap), [:])
        case "fixed":
            var times: [TimeOfDay] = []
            var ok = true
            if let list = r.strings("at", required: true, allowSingle: true, sink: &sink) {
                for (t, at) in list {
                    if let time = TimeOfDay(t), time.hour < 24 {
                        if times.contains(time) { sink.warning(at, tr("'at' names {time} twice", ["time": "\(time)"])) } else { times.append(time) }
                    } else {
                        sink.error(at, tr("'at' must be a time like \"12:30\" (24-hour clock); got \"{t}\"", ["t": "\(t)"]))
                        ok = false
                    }
                }
                if list.isEmpty, let v = r["at"] {
                    sink.error(v.location, tr("'at' must name at least one time like \"12:30\""))
                    ok = false
                }
            } else {
                ok = false
            }
            let days = r.weekdays("days", sink: &sink)
            guard ok, r["days"] == nil || days != nil else { return nil }
            return (.fixed(times: times.sorted(), days: days ?? Weekday.everyDay), [:])
        default:
            return nil
        }
    }

    /// `range = ["30m", "60m"]`: the bounds the program's author allows for
    /// `after` or `every`. Only the program file may set it, so that a
    /// drop-in's change must stay inside it.
    func checkRange(_ r: TableReader, key: String, value: Duration?, sink: inout DiagnosticSink) -> Bool {
        guard let v = r["range"] else { return true }
        if v.location.file != file {
            sink.error(v.keyLocation, tr("'range' can only be set in the program file itself, not in a drop-in; copy the program to change it"))
            return false
        }
        guard let a = v.array, a.count == 2 else {
            sink.error(v.location, tr("'range' must be two durations like [\"30m\", \"60m\"]"))
            return false
        }
        guard let lo = TableReader.duration(a[0], key: "range", example: "30m", sink: &sink),
              let hi = TableReader.duration(a[1], key: "range", example: "60m", sink: &sink) else { return false }
        if lo > hi {
            sink.error(v.location, tr("'range' must go from the shorter to the longer duration"))
            return false
        }
        guard let value, let at = r[key]?.location else { return true }
        if value < lo || value > hi {
            sink.error(at, tr("'{key}' must be between {lo} and {hi} for this reminder; got {value}", ["key": "\(key)", "lo": "\(DurationText.format(lo))", "hi": "\(DurationText.format(hi))", "value": "\(DurationText.format(value))"]))
            return false
        }
        return true
    }
}
