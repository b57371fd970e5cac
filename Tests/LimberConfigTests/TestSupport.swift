import Foundation
import LimberCore
@testable import LimberConfig

/// The repository's shipped `config/` directory.
let shippedConfigDir: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("config").path

/// A fresh temporary directory, removed when the value goes away.
final class TempDir: @unchecked Sendable {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "limber-config-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` at `relative` (creating directories) and returns the full path.
    @discardableResult
    func write(_ relative: String, _ text: String) -> String {
        let full = path + "/" + relative
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        try! text.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }

    @discardableResult
    func writeData(_ relative: String, _ data: Data) -> String {
        let full = path + "/" + relative
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        try! data.write(to: URL(fileURLWithPath: full))
        return full
    }

    func mkdir(_ relative: String) -> String {
        let full = path + "/" + relative
        try! FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        return full
    }

    func sub(_ relative: String) -> String { path + "/" + relative }
}

/// A minimal valid program, for tests to vary.
func minimalProgram(id: String = "mini", extra: String = "") -> String {
    """
    schema = 1
    id = "\(id)"
    name = "Mini"
    disclaimer = "Not medical advice."
    \(extra)
    [reminders.stand]
    cadence = "sit-break"
    title = "Stand up"
    after = "45m"
    exercises = ["walk"]

    [exercises.walk]
    name = "Walk"
    category = "cardio"
    position = "standing"
    steps = ["Walk."]

    """
}

/// Parses `text` as program `id` (file `programs/ID.toml` in a temp dir) and
/// returns the program and the diagnostics as `line:column: message` strings
/// (file names stripped) for compact assertions.
func parseProgram(_ text: String, id: String = "mini", settings: Settings = Settings()) -> (Program?, [String]) {
    let dir = TempDir()
    let file = dir.write("programs/\(id).toml", text)
    let (p, diagnostics) = ConfigLoader(searchPath: SearchPath(directories: [dir.path])).loadProgram(file: file, id: id, settings: settings)
    return (p, diagnostics.map { short($0, file: file) })
}

/// "line:column: message" when the diagnostic is in `file`, else the full description.
func short(_ d: Diagnostic, file: String) -> String {
    d.file == file ? "\(d.line):\(d.column): " + (d.severity == .warning ? "warning: " : "") + d.message : d.description
}

func errors(_ list: [String]) -> [String] { list.filter { !$0.contains("warning:") } }

/// The warning of a program companion that does not translate every text
/// yet (the original is shown for those): allowed in the shipped config.
func isPartialTranslation(_ d: Diagnostic) -> Bool {
    !d.isError && ProgramTranslation.companion(fileName: (d.file as NSString).lastPathComponent) != nil
        && d.message.hasPrefix("no translation of ")
}
