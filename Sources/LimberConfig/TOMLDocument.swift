import Foundation
import TOMLKit

/// One TOML file, parsed, with every value knowing where it was written.
public struct TOMLDocument: Sendable {
    /// The path as it was given (used in messages).
    public var file: String
    /// The top-level table.
    public var root: ConfigTable
    /// Where the document starts, for messages about the whole file.
    public var location: SourceLocation { SourceLocation(file: file) }

    /// The largest file limber reads; programs are a few kilobytes.
    public static let defaultMaxBytes = 1 << 20

    /// Reads and parses a file. Anything that is not a small UTF-8 text file
    /// (a directory, a device, a binary, a huge file, invalid UTF-8) is a
    /// diagnostic, not a crash.
    public static func load(path: String, maxBytes: Int = defaultMaxBytes) -> Result<TOMLDocument, Diagnostic> {
        switch readText(path: path, maxBytes: maxBytes) {
        case .success(let text): parse(text, file: path)
        case .failure(let d): .failure(d)
        }
    }

    /// Parses TOML text. Syntax errors carry TOMLKit's line and column.
    public static func parse(_ text: String, file: String) -> Result<TOMLDocument, Diagnostic> {
        if let nul = firstNUL(in: text) {
            return .failure(Diagnostic(SourceLocation(file: file, position: nul),
                                       "this looks like a binary file (it contains a NUL byte), not TOML"))
        }
        if let bad = TOMLPreflight.check(text) {
            return .failure(Diagnostic(SourceLocation(file: file, position: bad.position), bad.message))
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let p = error.source.begin
            return .failure(Diagnostic(file: file, line: max(1, p.line), column: max(1, p.column),
                                       message: "TOML syntax error: " + error.description))
        } catch {
            return .failure(Diagnostic(SourceLocation(file: file), "TOML syntax error: \(error)"))
        }
        let map = SourceMap(scanning: text)
        let root = convertTable(table, path: [], map: map, file: file)
        return .success(TOMLDocument(file: file, root: root))
    }

    static func readText(path: String, maxBytes: Int) -> Result<String, Diagnostic> {
        let here = SourceLocation(file: path)
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
            var st = stat()
            if lstat(path, &st) == 0 {
                // A symbolic link that dangles or loops.
                var target = stat()
                let why = stat(path, &target) == 0 ? "can't be read" : String(cString: strerror(errno))
                return .failure(Diagnostic(here, "is a symbolic link that can't be followed (\(why))"))
            }
            return .failure(Diagnostic(here, "no such file"))
        }
        if isDirectory.boolValue {
            return .failure(Diagnostic(here, "is a directory, not a TOML file"))
        }
        if let attributes = try? fm.attributesOfItem(atPath: path) {
            if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
                return .failure(Diagnostic(here, "is not a regular file"))
            }
            if let size = (attributes[.size] as? NSNumber)?.intValue, size > maxBytes {
                return .failure(Diagnostic(here, "is too large for a settings or program file (\(size) bytes; the limit is \(maxBytes))"))
            }
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(Diagnostic(here, "can't be read (permission denied?)"))
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            return .failure(Diagnostic(here, "can't be read: \(error.localizedDescription)"))
        }
        if data.count > maxBytes {
            return .failure(Diagnostic(here, "is too large for a settings or program file (the limit is \(maxBytes) bytes)"))
        }
        return decodeUTF8(data, file: path)
    }

    /// Decodes UTF-8, pointing at the first byte that isn't.
    static func decodeUTF8(_ data: Data, file: String) -> Result<String, Diagnostic> {
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var text = String.UnicodeScalarView()
        var line = 1, column = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let u):
                text.append(u)
                if u == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                var s = String(text)
                if s.hasPrefix("\u{FEFF}") { s.removeFirst() }
                return .success(s)
            case .error:
                return .failure(Diagnostic(file: file, line: line, column: column,
                                           message: "is not valid UTF-8 text (a binary file?)"))
            }
        }
    }

    static func firstNUL(in text: String) -> SourcePosition? {
        var line = 1, column = 1
        for u in text.unicodeScalars {
            if u == "\0" { return SourcePosition(line: line, column: column) }
            if u == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return nil
    }

    private static func location(_ path: [PathComponent], map: SourceMap, file: String) -> (value: SourceLocation, key: SourceLocation) {
        if let e = map.entry(path) {
            return (SourceLocation(file: file, position: e.value), SourceLocation(file: file, position: e.key))
        }
        let e = map.nearest(path)
        let p = e?.value ?? .start
        return (SourceLocation(file: file, position: p), SourceLocation(file: file, position: e?.key ?? p))
    }

    private static func convertTable(_ table: TOMLTable, path: [PathComponent], map: SourceMap, file: String) -> ConfigTable {
        let far = SourcePosition(line: Int.max, column: Int.max)
        let keys = table.keys.sorted { a, b in
            let pa = map.entry(path + [.key(a)])?.key ?? far
            let pb = map.entry(path + [.key(b)])?.key ?? far
            return pa != pb ? pa < pb : a < b
        }
        var out = ConfigTable()
        for key in keys {
            guard let v = table[key] else { continue }
            out[key] = convert(v, path: path + [.key(key)], map: map, file: file)
        }
        return out
    }

    private static func convert(_ v: TOMLValueConvertible, path: [PathComponent], map: SourceMap, file: String) -> ConfigValue {
        let (at, keyAt) = location(path, map: map, file: file)
        let kind: ConfigValue.Kind
        switch v.type {
        case .string: kind = .string(v.string ?? "")
        case .int: kind = .integer(v.int ?? 0)
        case .double: kind = .float(v.double ?? 0)
        case .bool: kind = .bool(v.bool ?? false)
        case .date: kind = .dateTime(v.date.map { String(format: "%04d-%02d-%02d", $0.year, $0.month, $0.day) } ?? "")
        case .time: kind = .dateTime(v.time.map { String(format: "%02d:%02d:%02d", $0.hour, $0.minute, $0.second) } ?? "")
        case .dateTime: kind = .dateTime(v.debugDescription)
        case .array:
            var elements: [ConfigValue] = []
            if let array = v.array {
                for (n, e) in array.enumerated() {
                    elements.append(convert(e, path: path + [.index(n)], map: map, file: file))
                }
            }
            kind = .array(elements)
        case .table:
            kind = .table(v.table.map { convertTable($0, path: path, map: map, file: file) } ?? ConfigTable())
        }
        return ConfigValue(kind, location: at, keyLocation: keyAt)
    }
}
