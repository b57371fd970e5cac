import Foundation
import LimberCore

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
        switch readBytes(path: path, maxBytes: maxBytes) {
        case .success(let bytes): parse(utf8: bytes, file: path)
        case .failure(let d): .failure(d)
        }
    }

    /// Parses TOML text. A problem is one diagnostic at its line and column.
    public static func parse(_ text: String, file: String) -> Result<TOMLDocument, Diagnostic> {
        parse(utf8: Array(text.utf8), file: file)
    }

    /// Parses the bytes of a file: UTF-8 (checked), an optional byte order
    /// mark, then TOML 1.0. Lines end at LF (CRLF counts as one line end);
    /// columns count Unicode scalars from 1; the byte order mark is not counted.
    public static func parse(utf8 bytes: [UInt8], file: String) -> Result<TOMLDocument, Diagnostic> {
        var text = bytes
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text.removeFirst(3) }
        if let (at, problem) = checkText(text) {
            return .failure(Diagnostic(SourceLocation(file: file, position: at), problem))
        }
        switch TOMLReader.parse(text, file: file) {
        case .success(let root):
            return .success(TOMLDocument(file: file, root: root))
        case .failure(let e):
            return .failure(Diagnostic(SourceLocation(file: file, position: e.position), tr("TOML syntax error: {message}", ["message": e.message])))
        }
    }

    static func readBytes(path: String, maxBytes: Int) -> Result<[UInt8], Diagnostic> {
        let here = SourceLocation(file: path)
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
            var st = stat()
            if lstat(path, &st) == 0 {
                // A symbolic link that dangles or loops.
                var target = stat()
                let why = stat(path, &target) == 0 ? tr("can't be read") : String(cString: strerror(errno))
                return .failure(Diagnostic(here, tr("is a symbolic link that can't be followed ({why})", ["why": why])))
            }
            return .failure(Diagnostic(here, tr("no such file")))
        }
        if isDirectory.boolValue {
            return .failure(Diagnostic(here, tr("is a directory, not a TOML file")))
        }
        if let attributes = try? fm.attributesOfItem(atPath: path) {
            if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
                return .failure(Diagnostic(here, tr("is not a regular file")))
            }
            if let size = (attributes[.size] as? NSNumber)?.intValue, size > maxBytes {
                return .failure(Diagnostic(here, tr("is too large for a settings or program file ({size} bytes; the limit is {limit})",
                                                    ["size": String(size), "limit": String(maxBytes)])))
            }
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(Diagnostic(here, tr("can't be read (permission denied?)")))
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            return .failure(Diagnostic(here, tr("can't be read: {reason}", ["reason": error.localizedDescription])))
        }
        if data.count > maxBytes {
            return .failure(Diagnostic(here, tr("is too large for a settings or program file (the limit is {limit} bytes)", ["limit": String(maxBytes)])))
        }
        return .success([UInt8](data))
    }

    /// The first byte that is not UTF-8 (overlong forms, surrogates and
    /// values beyond U+10FFFF included) or is a NUL, with what is wrong.
    static func checkText(_ bytes: [UInt8]) -> (SourcePosition, String)? {
        var line = 1, column = 1
        var j = 0
        let n = bytes.count
        while j < n {
            let b = bytes[j]
            if b < 0x80 {
                if b == 0 {
                    return (SourcePosition(line: line, column: column), tr("this looks like a binary file (it contains a NUL byte), not TOML"))
                }
                if b == 0x0A { line += 1; column = 1 } else { column += 1 }
                j += 1
                continue
            }
            var length = 0
            var second: ClosedRange<UInt8> = 0x80...0xBF
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; second = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; second = 0x80...0x9F
            case 0xF0: length = 4; second = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; second = 0x80...0x8F
            default: length = 0
            }
            var ok = length > 0 && j + length <= n && second.contains(bytes[j + 1])
            if ok {
                for k in 2..<max(2, length) where !(0x80...0xBF).contains(bytes[j + k]) { ok = false }
            }
            guard ok else {
                return (SourcePosition(line: line, column: column), tr("is not valid UTF-8 text (a binary file?)"))
            }
            j += length
            column += 1
        }
        return nil
    }
}
