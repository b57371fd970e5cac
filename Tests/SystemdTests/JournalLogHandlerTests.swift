import Foundation
import Logging
import Systemd
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Journal and stderr log handlers")
struct JournalLogHandlerTests {
    func event(_ level: Logger.Level, _ message: Logger.Message, _ metadata: Logger.Metadata? = nil) -> LogEvent {
        LogEvent(level: level, message: message, metadata: metadata, source: "LimberDaemon",
                 file: "Sources/LimberDaemon/Daemon.swift", function: "reload()", line: 42)
    }

    @Test func journalFieldsCarryPriorityCodeLocationAndUppercaseMetadata() {
        var handler = JournalLogHandler(label: "limber.daemon")
        handler[metadataKey: "program"] = "sciatica"
        let fields = handler.fields(for: event(.warning, "reload failed", ["rule-id": "sit break", "program": "neck"]))
        #expect(fields.contains("MESSAGE=reload failed"))
        #expect(fields.contains("PRIORITY=4"))
        #expect(fields.contains("SYSLOG_IDENTIFIER=limberd"))
        #expect(fields.contains("CODE_FILE=Sources/LimberDaemon/Daemon.swift"))
        #expect(fields.contains("CODE_LINE=42"))
        #expect(fields.contains("CODE_FUNC=reload()"))
        #expect(fields.contains("LIMBER_PROGRAM=neck"))  // event metadata wins over the handler's
        #expect(fields.contains("LIMBER_RULE_ID=sit break"))
        #expect(fields.contains("LIMBER_LOGGER=limber.daemon"))
    }

    @Test(arguments: [
        ("program", "LIMBER_PROGRAM"), ("LIMBER_PROGRAM", "LIMBER_PROGRAM"), ("rule.id", "LIMBER_RULE_ID"),
        ("snooze-minutes", "LIMBER_SNOOZE_MINUTES"), ("ünïcode", "LIMBER__N_CODE"),
    ])
    func metadataKeysBecomeValidFieldNames(key: String, field: String) {
        #expect(JournalLogHandler.fieldName(key, prefix: "LIMBER_") == field)
        #expect(JournalLogHandler.fieldName(key, prefix: "").allSatisfy { $0.isUppercase || $0.isNumber || $0 == "_" })
        #expect(JournalLogHandler.fieldName("9lives", prefix: "").first == "F")
    }

    @Test func prioritiesFollowSyslog() {
        #expect(JournalLogHandler.priority(.critical) == 2)
        #expect(JournalLogHandler.priority(.error) == 3)
        #expect(JournalLogHandler.priority(.notice) == 5)
        #expect(JournalLogHandler.priority(.info) == 6)
        #expect(JournalLogHandler.priority(.debug) == 7)
    }

    @Test func journalStreamMatchesOnlyTheSameFile() throws {
        let path = NSTemporaryDirectory() + "limber-journal-stream-\(UUID().uuidString.prefix(8))"
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        #expect(fd >= 0)
        defer { close(fd); unlink(path) }
        var info = stat()
        #expect(fstat(fd, &info) == 0)
        #expect(SystemdLogging.isJournalStream("\(info.st_dev):\(info.st_ino)", fd: fd))
        #expect(!SystemdLogging.isJournalStream("\(info.st_dev):\(info.st_ino + 1)", fd: fd))
        #expect(!SystemdLogging.isJournalStream(nil, fd: fd))
        #expect(!SystemdLogging.isJournalStream("garbage", fd: fd))
    }

    @Test func stderrLineHasLevelMessageAndMetadata() {
        var handler = StderrLogHandler(label: "limber.daemon")
        handler[metadataKey: "program"] = "sciatica"
        let line = handler.line(for: event(.error, "cannot open history", ["path": "/x"]))
        #expect(line == "limberd[limber.daemon] error: cannot open history path=/x program=sciatica")
    }
}
