import LimberCore

/// Reading what varies by phase, how phases end, interval grids, and
/// drop-ins that name what the program does not have
/// (docs/program-format.md: "Per-phase values", "Phases", "interval").
extension ProgramReader {
    static let phaseAdvanceKeys = ["advance", "question", "ask_every", "pain_at_most", "at_least", "of_last", "not_spreading"]
    static let advanceKinds = ["days", "confirm", "check-ins"]

    /// `advance` and its keys on a phase.
    func readAdvance(_ r: TableReader, id: String, isLast: Bool, sink: inout DiagnosticSink) -> PhaseAdvance {
        let kind = r.choice("advance", Self.advanceKinds, sink: &sink) ?? "days"
        let question = r.string("question", sink: &sink)
        let askEvery = r.integer("ask_every", range: 1...60, sink: &sink)
        let maxPain = r.integer("pain_at_most", range: 0...10, sink: &sink)
        let atLeast = r.integer("at_least", range: 1...20, sink: &sink)
        let ofLast = r.integer("of_last", range: 1...20, sink: &sink)
        let notSpreading = r.bool("not_spreading", sink: &sink)
        let confirmKeys = ["question", "ask_every"], checkInKeys = ["pain_at_most", "at_least", "of_last", "not_spreading"]
        for key in confirmKeys + checkInKeys {
            guard let v = r[key] else { continue }
            let belongs = confirmKeys.contains(key) ? "confirm" : "check-ins"
            if kind != belongs {
                sink.error(v.keyLocation, tr("'{key}' belongs to phases with advance = \"{belongs}\"; phase '{id}' has advance = \"{kind}\"", ["key": "\(key)", "belongs": "\(belongs)", "id": "\(id)", "kind": "\(kind)"]))
            }
        }
        if kind != "days", isLast, let v = r["advance"] {
            sink.warning(v.location, tr("phase '{id}' is the last one and never ends; its 'advance' has no effect", ["id": "\(id)"]))
        }
        switch kind {
        case "confirm":
            return .confirm(question: question ?? tr("Ready to move on to the next phase?"), askEveryDays: askEvery ?? 3)
        case "check-ins":
            let rule = CheckInRule(maxPain: maxPain ?? 3, atLeast: atLeast ?? 3, ofLast: ofLast ?? 4, notSpreading: notSpreading ?? true)
            if rule.atLeast > rule.ofLast, let v = r["at_least"] ?? r["of_last"] {
                sink.error(v.location, tr("'at_least' ({atLeast}) can't be more than 'of_last' ({ofLast})", ["atLeast": "\(rule.atLeast)", "ofLast": "\(rule.ofLast)"]))
            }
            return .checkIns(rule)
        default:
            return .days
        }
    }

    /// `after` or `every`: one duration for every phase, or a table of
    /// phase ids (and `default`) to durations.
    func phasedDuration(_ r: TableReader, key: String, example: String, minimum: Duration, phases: [String],
                        rulePhases: [String], sink: inout DiagnosticSink) -> (base: Duration, byPhase: [String: Duration])? {
        guard let v = r[key] else {
            r.missing(key, sink: &sink)
            return nil
        }
        guard let table = v.table else {
            guard let d = TableReader.duration(v, key: key, example: example, minimum: minimum, sink: &sink),
                  checkRange(r, key: key, value: d, sink: &sink) else { return nil }
            return (d, [:])
        }
        if phases.isEmpty {
            sink.error(v.location, tr("'{key}' by phase needs [phases] in the program; write one duration like \"{example}\"", ["key": "\(key)", "example": "\(example)"]))
            return nil
        }
        var ok = true
        var byPhase: [String: Duration] = [:]
        var fallback: Duration?
        for (phase, value) in table.entriesInOrder {
            guard phase == "default" || phases.contains(phase) else {
                var m = tr("unknown phase '{phase}' in '{key}'", ["phase": "\(phase)", "key": "\(key)"])
                if let g = closest(to: phase, in: phases + ["default"]) { m += tr("; did you mean '{g}'?", ["g": "\(g)"]) }
                sink.error(value.keyLocation, m + " (phases: " + phases.joined(separator: ", ") + tr(", or default)"))
                ok = false
                continue
            }
            guard let d = TableReader.duration(value, key: "\(key).\(phase)", example: example, minimum: minimum, sink: &sink),
                  checkRange(r, key: key, value: d, sink: &sink) else { ok = false; continue }
            if phase == "default" { fallback = d } else { byPhase[phase] = d }
        }
        let runs = rulePhases.isEmpty ? phases : rulePhases
        if ok, fallback == nil {
            let without = runs.filter { byPhase[$0] == nil }
            if !without.isEmpty {
                sink.error(v.location, tr("'{key}' has no value for phase", ["key": "\(key)"]) + (without.count == 1 ? " " : "s ")
                           + without.map { "'\($0)'" }.joined(separator: ", ") + tr("; add it, or a default like default = \"{example}\"", ["example": "\(example)"]))
                ok = false
            }
        }
        guard ok, let base = fallback ?? runs.lazy.compactMap({ byPhase[$0] }).first ?? byPhase.values.first else { return nil }
        return (base, byPhase)
    }

    /// An interval's window and anchor: `between` and `from`.
    func intervalCadence(_ r: TableReader, every: Duration, sink: inout DiagnosticSink) -> Cadence? {
        let window = r.dayWindow("between", sink: &sink)
        let from = r.choice("from", ["grid", "last-answer"], sink: &sink)
        if (r["between"] != nil && window == nil) || (r["from"] != nil && from == nil) { return nil }
        if window == nil && (from == nil || from == "last-answer") { return .interval(every: every) }
        return .every(every, window: window, grid: (from ?? "grid") == "grid")
    }

    /// A table a drop-in made for a reminder, exercise or phase the program
    /// does not have (it lacks what any real one has): said once, with a
    /// did-you-mean, instead of a list of missing fields. True when reported.
    func unknownInDropIn(_ r: TableReader, id: String, what: String, required: String, all: ConfigValue?,
                         sink: inout DiagnosticSink) -> Bool {
        guard r.location.file != file, r[required] == nil else { return false }
        let own = (all?.table?.entriesInOrder ?? []).filter { $0.value.location.file == file }.map(\.key)
        var m = tr("the drop-in changes {what} '{id}', but the program has no such {what2}", ["what": "\(what)", "id": "\(id)", "what2": "\(what)"])
        if let g = closest(to: id, in: own) {
            m += tr("; did you mean '{g}'?", ["g": "\(g)"])
        } else if !own.isEmpty {
            m += tr(" (it has: ") + own.joined(separator: ", ") + ")"
        }
        sink.error(r.location, m + tr("; to add a new one, give it '{required}' and the rest", ["required": "\(required)"]))
        return true
    }
}
