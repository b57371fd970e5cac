import Foundation
import LimberCore

/// `limberctl export`: outcomes, check-ins, red flags raised and cleared,
/// and phase moves, for a clinician, as CSV or JSON.
public struct HistoryExport: Sendable, Hashable, Codable {
    public struct ExportedOutcome: Sendable, Hashable, Codable {
        public var id: Int64
        public var at: Date
        public var dueAt: Date
        public var program: String
        public var rule: String
        public var reminder: UInt64
        public var kind: String
        public var catchUp: Bool
        public var snoozeSeconds: Double?
        public var exercises: [OfferedExercise]
        public var note: String?
    }

    public struct ExportedCheckIn: Sendable, Hashable, Codable {
        public var id: Int64
        public var at: Date
        public var pain: Int
        public var reach: String?
        public var redFlags: [String]
        public var note: String
        public var source: String
        public var afterReminder: UInt64?
    }

    /// The shape's version: 2 (1 had camelCase keys, pretty-printed).
    public var schema: Int
    public var generatedAt: Date
    /// nil: everything.
    public var since: Date?
    /// The time zone used for CSV times, e.g. "Europe/Berlin".
    public var timeZone: String
    public var outcomes: [ExportedOutcome]
    public var checkIns: [ExportedCheckIn]
    /// Red flags raised (exercise stopped) and cleared.
    public var redFlagEvents: [RedFlagEvent]
    /// A program's phase moved by the person, an answer or check-ins.
    public var phaseMoves: [PhaseMove]

    public init(outcomes: [StoredOutcome], checkIns: [StoredCheckIn], redFlagEvents: [RedFlagEvent] = [], phaseMoves: [PhaseMove] = [],
                since: Date?, generatedAt: Date, timeZone: TimeZone) {
        self.redFlagEvents = redFlagEvents
        self.phaseMoves = phaseMoves
        schema = 2
        self.generatedAt = generatedAt
        self.since = since
        self.timeZone = timeZone.identifier
        self.outcomes = outcomes.map { s in
            let o = s.outcome
            return ExportedOutcome(id: s.id, at: o.at, dueAt: o.dueAt, program: o.rule.program, rule: o.rule.rule,
                                   reminder: o.reminder, kind: o.kind.rawValue, catchUp: o.catchUp,
                                   snoozeSeconds: o.snooze?.seconds, exercises: o.exercises, note: o.note)
        }
        self.checkIns = checkIns.map { s in
            let c = s.checkIn
            return ExportedCheckIn(id: s.id, at: c.at, pain: c.pain, reach: c.reach?.rawValue,
                                   redFlags: Array(Set(c.redFlags)).sorted().map(\.rawValue), note: c.note,
                                   source: c.source.rawValue, afterReminder: c.afterReminder)
        }
    }

    /// The JSON document (sorted keys, ISO 8601 UTC times).
    public func json() throws -> Data { try HistoryJSON.encoder().encode(self) }

    /// The CSV columns, in order.
    public static let csvColumns = [
        "record", "id", "time", "program", "rule", "reminder", "kind", "due", "catch_up", "snooze_seconds",
        "exercises", "pain", "reach", "red_flags", "source", "note",
    ]

    /// One CSV table (RFC 4180: comma separated, CRLF line ends, fields with a
    /// comma, quote, CR or LF in double quotes, quotes doubled) holding both
    /// outcomes (`record` = outcome), check-ins (`record` = checkin), red
    /// flags (`record` = red_flag, `kind` raised or cleared) and phase moves
    /// (`record` = phase_move, `kind` "FROM -> TO", the reason in `note`), in
    /// time order. Times are local to the export's time zone with their
    /// offset, e.g. 2025-03-01T09:00:00+01:00. Exercises read "Name: dose; Name: dose".
    public func csv() -> String {
        let tz = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!
        let f = ISO8601DateFormatter()
        f.timeZone = tz
        f.formatOptions = [.withInternetDateTime]
        var rows: [(Date, Int, [String])] = []
        for o in outcomes {
            rows.append((o.at, 0, [
                "outcome", String(o.id), f.string(from: o.at), o.program, o.rule, String(o.reminder), o.kind,
                f.string(from: o.dueAt), o.catchUp ? "1" : "0", o.snoozeSeconds.map { Self.number($0) } ?? "",
                o.exercises.map { $0.dose.isEmpty ? $0.name : "\($0.name): \($0.dose)" }.joined(separator: "; "),
                "", "", "", "", o.note ?? "",
            ]))
        }
        for c in checkIns {
            rows.append((c.at, 1, [
                "checkin", String(c.id), f.string(from: c.at), "", "", c.afterReminder.map(String.init) ?? "", "",
                "", "", "", "", String(c.pain), c.reach ?? "", c.redFlags.joined(separator: ";"), c.source, c.note,
            ]))
        }
        for e in redFlagEvents {
            rows.append((e.at, 2, [
                "red_flag", "", f.string(from: e.at), "", "", "", e.kind.rawValue,
                "", "", "", "", "", "", e.flags.map(\.rawValue).joined(separator: ";"), e.source, "",
            ]))
        }
        for m in phaseMoves {
            rows.append((m.at, 3, [
                "phase_move", "", f.string(from: m.at), m.program, "", "", "\(m.from) -> \(m.to)",
                "", "", "", "", "", "", "", m.source, m.reason,
            ]))
        }
        rows.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        var out = Self.csvLine(Self.csvColumns)
        for r in rows { out += Self.csvLine(r.2) }
        return out
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    /// One RFC 4180 record with its CRLF.
    public static func csvLine(_ fields: [String]) -> String {
        fields.map(csvField).joined(separator: ",") + "\r\n"
    }

    /// A field, quoted when it holds a comma, a double quote, CR or LF (or
    /// starts or ends with a space, which some readers trim). A field that
    /// a spreadsheet would take as a formula (`=`, `+`, `-`, `@` first) is
    /// neutralised with a leading `'` (SafeText.csvCell, OWASP).
    public static func csvField(_ raw: String) -> String {
        let s = SafeText.csvCell(SafeText.terminal(raw))
        let needsQuotes = s.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
            || s.first == " " || s.last == " "
        guard needsQuotes else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension HistoryStore {
    /// Everything since `since` (nil: all), for `limberctl export`.
    public func export(since: Date?, now: Date, timeZone: TimeZone) throws(HistoryError) -> HistoryExport {
        HistoryExport(outcomes: try outcomes(since: since), checkIns: try checkIns(since: since),
                      redFlagEvents: try redFlagEvents(since: since), phaseMoves: try phaseMoves(since: since),
                      since: since, generatedAt: now, timeZone: timeZone)
    }
}
