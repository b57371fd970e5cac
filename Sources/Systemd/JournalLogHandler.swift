// swift-log handlers: structured entries to the journal, or plain lines to stderr.
import CSystemd
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// A swift-log `LogHandler` that writes structured journal entries with
/// `sd_journal_sendv`: MESSAGE=, PRIORITY=, CODE_FILE=, CODE_LINE=,
/// CODE_FUNC=, SYSLOG_IDENTIFIER=, and each metadata key as an upper-case
/// field with `fieldPrefix` (`program` → `LIMBER_PROGRAM=`). If the journal
/// cannot be reached the line goes to stderr instead.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    public let label: String
    public let syslogIdentifier: String
    public let fieldPrefix: String

    public init(
        label: String, syslogIdentifier: String = "limberd", fieldPrefix: String = "LIMBER_",
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.syslogIdentifier = syslogIdentifier
        self.fieldPrefix = fieldPrefix
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let entry = fields(for: event)
        if JournalLogHandler.send(entry) < 0 {
            StderrLogHandler(label: label, syslogIdentifier: syslogIdentifier).log(event: event)
        }
    }

    /// The journal fields for one event, in order, each "NAME=value".
    public func fields(for event: LogEvent) -> [String] {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var out = [
            "MESSAGE=\(event.message)",
            "PRIORITY=\(JournalLogHandler.priority(event.level))",
            "SYSLOG_IDENTIFIER=\(syslogIdentifier)",
            "CODE_FILE=\(event.file)",
            "CODE_LINE=\(event.line)",
            "CODE_FUNC=\(event.function)",
            "\(fieldPrefix)LOGGER=\(label)",
        ]
        if let error = event.error {
            out.append("\(fieldPrefix)ERROR=\(error)")
        }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            out.append("\(JournalLogHandler.fieldName(key, prefix: fieldPrefix))=\(value)")
        }
        return out
    }

    /// syslog priority of a swift-log level.
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// A valid journal field name for a metadata key: upper case, [A-Z0-9_]
    /// only, with `prefix` (not doubled), at most 64 characters.
    public static func fieldName(_ key: String, prefix: String) -> String {
        var name = ""
        for scalar in key.uppercased().unicodeScalars {
            switch scalar {
            case "A"..."Z", "0"..."9": name.unicodeScalars.append(scalar)
            default: name.append("_")
            }
        }
        if !name.hasPrefix(prefix) { name = prefix + name }
        if let first = name.unicodeScalars.first, !("A"..."Z").contains(first) { name = "F" + name }
        return String(name.prefix(64))
    }

    /// sd_journal_sendv; returns its result (negative errno on failure).
    static func send(_ fields: [String]) -> Int32 {
        // All fields in one buffer; each iovec points at one "NAME=value".
        var bytes: [UInt8] = []
        var ranges: [(offset: Int, count: Int)] = []
        for field in fields where !field.isEmpty {
            let start = bytes.count
            bytes.append(contentsOf: field.utf8)
            ranges.append((start, bytes.count - start))
        }
        guard !ranges.isEmpty else { return -EINVAL }
        return bytes.withUnsafeMutableBytes { raw in
            let vectors = ranges.map { iovec(iov_base: raw.baseAddress! + $0.offset, iov_len: $0.count) }
            return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
    }
}

/// Plain lines on stderr for runs outside systemd:
/// `limberd[label] warning: message key=value ...`.
public struct StderrLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    public let label: String
    public let syslogIdentifier: String

    public init(label: String, syslogIdentifier: String = "limberd", metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.syslogIdentifier = syslogIdentifier
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = line(for: event)
        line.append("\n")
        // One write(2) per line so concurrent lines do not interleave.
        var remaining = Array(line.utf8)[...]
        while !remaining.isEmpty {
            let n = remaining.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            remaining = remaining.dropFirst(n)
        }
    }

    public func line(for event: LogEvent) -> String {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = "\(syslogIdentifier)[\(label)] \(event.level): \(event.message)"
        if let error = event.error { line += " error=\(error)" }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(value)"
        }
        return line
    }
}

/// Choosing the handler the way systemd services do.
public enum SystemdLogging {
    /// True when `journalStream` (the JOURNAL_STREAM value, "DEV:INO") names
    /// the file behind `fd`, i.e. stderr is connected to the journal.
    public static func isJournalStream(_ journalStream: String?, fd: Int32 = 2) -> Bool {
        guard let journalStream else { return false }
        let parts = journalStream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    /// Whether this process's stderr goes to the journal (JOURNAL_STREAM matches fd 2).
    public static var stderrIsJournal: Bool {
        isJournalStream(getenv("JOURNAL_STREAM").map { String(cString: $0) }, fd: 2)
    }

    /// The journal handler under systemd, else the stderr handler.
    public static func makeHandler(label: String, syslogIdentifier: String = "limberd", logLevel: Logger.Level = .info) -> any LogHandler {
        if stderrIsJournal {
            var handler = JournalLogHandler(label: label, syslogIdentifier: syslogIdentifier)
            handler.logLevel = logLevel
            return handler
        }
        var handler = StderrLogHandler(label: label, syslogIdentifier: syslogIdentifier)
        handler.logLevel = logLevel
        return handler
    }

    /// `LoggingSystem.bootstrap` with `makeHandler` (call once, early in main).
    public static func bootstrap(syslogIdentifier: String = "limberd", logLevel: Logger.Level = .info) {
        let journal = stderrIsJournal
        LoggingSystem.bootstrap { label in
            if journal {
                var handler = JournalLogHandler(label: label, syslogIdentifier: syslogIdentifier)
                handler.logLevel = logLevel
                return handler
            }
            var handler = StderrLogHandler(label: label, syslogIdentifier: syslogIdentifier)
            handler.logLevel = logLevel
            return handler
        }
    }
}
