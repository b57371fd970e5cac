import LimberCore

/// A place in a file: 1-based line and column (columns count Unicode scalars).
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static let start = SourcePosition(line: 1, column: 1)

    public var description: String { "\(line):\(column)" }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// A file and a position in it.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var position: SourcePosition

    public init(file: String, position: SourcePosition = .start) {
        self.file = file
        self.position = position
    }

    public init(file: String, line: Int, column: Int) {
        self.init(file: file, position: SourcePosition(line: line, column: column))
    }

    public var line: Int { position.line }
    public var column: Int { position.column }

    /// "file:line:column"
    public var description: String { "\(file):\(position.line):\(position.column)" }
}

/// One problem found in a configuration file, said the way compilers say it:
/// `programs/sciatica-relief.toml:14:9: 'every' must be a duration like "45m"`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible, Error {
    public enum Severity: String, Sendable, Hashable, Codable {
        /// The file is rejected.
        case error
        /// Worth fixing; the file is still used.
        case warning
    }

    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    public var severity: Severity

    public init(file: String, line: Int, column: Int, message: String, severity: Severity = .error) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.severity = severity
    }

    public init(_ location: SourceLocation, _ message: String, severity: Severity = .error) {
        self.init(file: location.file, line: location.line, column: location.column,
                  message: message, severity: severity)
    }

    public var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }
    public var isError: Bool { severity == .error }

    /// `file:line:column: message`; warnings say so: `file:line:column: warning: message`.
    public var description: String {
        "\(file):\(line):\(column): " + (severity == .warning ? tr("warning:") + " " : "") + message
    }
}

extension Array where Element == Diagnostic {
    /// Whether any of them is an error (warnings don't count).
    public var hasErrors: Bool { contains { $0.isError } }
}
