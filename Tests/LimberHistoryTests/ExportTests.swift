import Foundation
import LimberCore
import Testing
@testable import LimberHistory

@Suite struct ExportTests {
    /// A strict RFC 4180 reader, for checking what the writer wrote.
    func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var field = "", record: [String] = []
        var quoted = false, i = text.unicodeScalars.startIndex
        let s = text.unicodeScalars
        while i < s.endIndex {
            let c = s[i]
            if quoted {
                if c == "\"" {
                    let n = s.index(after: i)
                    if n < s.endIndex, s[n] == "\"" { field.unicodeScalars.append("\""); i = n } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(field); field = ""
            } else if c == "\r" {
                let n = s.index(after: i)
                #expect(n < s.endIndex && s[n] == "\n", "a bare CR outside quotes")
                record.append(field); records.append(record); field = ""; record = []
                i = n
            } else {
                #expect(c != "\n", "a bare LF outside quotes")
                field.unicodeScalars.append(c)
            }
            i = s.index(after: i)
        }
        #expect(field.isEmpty && record.isEmpty, "the last record must end with CRLF")
        return records
    }

    @Test(arguments: [
        ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("two\nlines", "\"two\nlines\""),
        // Controls (CR too) are dropped; a formula becomes text (OWASP).
        ("cr\r\nlf", "\"cr\nlf\""), (" padded ", "\" padded \""), ("", ""),
        ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""), ("@cmd", "'@cmd"), ("-3", "-3"),
        ("esc\u{1b}]52;c;eA==\u{7}", "esc]52;c;eA=="),
    ])
    func fieldsAreQuotedOnlyWhenTheyMustBe(raw: String, written: String) {
        #expect(HistoryExport.csvField(raw) == written)
    }

    @Test func outcomesAndCheckInsExportAsOneCSVTable() throws {
        let dir = TempDir()
        let store = try freshStore(dir)
        try store.record(outcome(.shown, at: t(day: -2)))
        try store.record([
            outcome(.done, at: t(hour: 9), exercises: [pressUp, OfferedExercise(id: "x", name: "Bridge, slow", dose: "")],
                    note: "felt \"fine\",\nreally"),
            outcome(.snoozed, sitBreak, at: t(hour: 10), reminder: 9, exercises: [], catchUp: true, snooze: .seconds(900)),
        ])
        _ = store.checkIn(CheckIn(at: t(hour: 9, minute: 30), pain: 3, reach: .thigh, redFlags: [.footDrop], note: "ok, mostly"))
        let paris = TimeZone(identifier: "Europe/Paris")!
        let export = try store.export(since: t(), now: t(day: 1), timeZone: paris)
        let rows = parseCSV(export.csv())
        #expect(rows.first == HistoryExport.csvColumns)
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0.count == HistoryExport.csvColumns.count })
        let col = { (name: String) in HistoryExport.csvColumns.firstIndex(of: name)! }
        #expect(rows[1][col("record")] == "outcome")
        #expect(rows[1][col("time")] == "2025-03-01T10:00:00+01:00")
        #expect(rows[1][col("kind")] == "done")
        #expect(rows[1][col("exercises")] == "Prone press-up: 10 reps; Bridge, slow")
        #expect(rows[1][col("note")] == "felt \"fine\",\nreally")
        #expect(rows[2][col("record")] == "checkin")
        #expect(rows[2][col("pain")] == "3")
        #expect(rows[2][col("reach")] == "thigh")
        #expect(rows[2][col("red_flags")] == "foot-drop")
        #expect(rows[2][col("note")] == "ok, mostly")
        #expect(rows[3][col("rule")] == "sit-break")
        #expect(rows[3][col("catch_up")] == "1")
        #expect(rows[3][col("snooze_seconds")] == "900")
    }

    @Test func theJSONExportReadsBack() throws {
        let dir = TempDir()
        let store = try freshStore(dir)
        try store.record(outcome(.done, at: t(hour: 9), reminder: .max))
        _ = store.checkIn(CheckIn(at: t(hour: 10), pain: 2))
        let export = try store.export(since: nil, now: t(day: 1), timeZone: utc)
        let data = try export.json()
        let back = try HistoryJSON.decoder().decode(HistoryExport.self, from: data)
        #expect(back == export)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["schema", "generated_at", "time_zone", "outcomes", "check_ins", "red_flag_events", "phase_moves"])
        #expect(object["schema"] as? Int == 2)
        #expect(String(decoding: data, as: UTF8.self).contains("\"reminder\":18446744073709551615"))
    }

    /// Red flags raised and cleared, and phase moves, are in both exports,
    /// in time order with the rest.
    @Test func redFlagsAndPhaseMovesAreExported() throws {
        let dir = TempDir()
        let store = try freshStore(dir)
        _ = store.checkIn(CheckIn(at: t(hour: 9), pain: 3))
        try store.record(RedFlagEvent(at: t(hour: 10), kind: .raised, flags: [.saddleNumbness], source: "notification"))
        try store.record(RedFlagEvent(at: t(hour: 12), kind: .cleared, flags: [.saddleNumbness], source: "cli"))
        try store.record(PhaseMove(at: t(hour: 11), program: "sciatica-relief", from: "recovery", to: "acute",
                                   reason: "moved by you on 2025-03-01", source: "cli"))
        let export = try store.export(since: nil, now: t(day: 1), timeZone: utc)
        let rows = parseCSV(export.csv())
        let col = { (name: String) in HistoryExport.csvColumns.firstIndex(of: name)! }
        #expect(rows.dropFirst().map { $0[col("record")] } == ["checkin", "red_flag", "phase_move", "red_flag"])
        #expect(rows.allSatisfy { $0.count == HistoryExport.csvColumns.count })
        #expect(rows[2][col("kind")] == "raised" && rows[2][col("red_flags")] == "saddle-numbness" && rows[2][col("source")] == "notification")
        #expect(rows[3][col("program")] == "sciatica-relief" && rows[3][col("kind")] == "recovery -> acute")
        #expect(rows[3][col("note")] == "moved by you on 2025-03-01")
        let object = try #require(try JSONSerialization.jsonObject(with: try export.json()) as? [String: Any])
        let flags = try #require(object["red_flag_events"] as? [[String: Any]])
        #expect(flags.map { $0["kind"] as? String } == ["raised", "cleared"])
        #expect(flags.first?["flags"] as? [String] == ["saddle-numbness"])
        let moves = try #require(object["phase_moves"] as? [[String: Any]])
        #expect(moves.first?["from"] as? String == "recovery" && moves.first?["to"] as? String == "acute")
    }

}
