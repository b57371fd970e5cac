// A test helper: writes outcomes to a history database in a loop, one
// transaction at a time, and prints the row ids of each committed
// transaction ("committed 12 13 14") once `record` has returned. The
// LimberHistory tests kill it with SIGKILL mid-stream and check that every
// id it printed is in the database.
//
//   limber-history-writer PATH [COUNT]
import Foundation
import LimberCore
import LimberHistory

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let args = CommandLine.arguments
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: limber-history-writer PATH [COUNT]\n".utf8))
    exit(2)
}
let limit = args.count >= 3 ? Int(args[2]) ?? Int.max : Int.max

do {
    let (store, report) = try HistoryStore.open(at: args[1])
    for m in report.messages { FileHandle.standardError.write(Data((m + "\n").utf8)) }
    say("ready")
    let rule = RuleID(program: "sciatica-relief", rule: "press-ups")
    let otherRule = RuleID(program: "sciatica-relief", rule: "sit-break")
    let base = Date(timeIntervalSince1970: 1_750_000_000)
    var i = 0
    while i < limit {
        // Batches of 1 to 3 outcomes, so kills land inside multi-row transactions too.
        let batch = (0..<(i % 3 + 1)).map { k in
            // Each item ends once (HistoryStore keeps only an item's first ending).
            Outcome(reminder: ReminderID(i), rule: k == 2 ? otherRule : rule, kind: k == 0 ? .shown : .done,
                    exercises: [OfferedExercise(id: "prone-press-up", name: "Prone press-up", dose: "10 reps")],
                    at: base.addingTimeInterval(Double(i * 60 + k)), dueAt: base.addingTimeInterval(Double(i * 60)),
                    note: "writer \(i).\(k)")
        }
        let ids = try store.record(batch)
        say("committed " + ids.map(String.init).joined(separator: " "))
        i += 1
    }
    say("finished")
} catch {
    FileHandle.standardError.write(Data("limber-history-writer: \(error)\n".utf8))
    exit(1)
}
