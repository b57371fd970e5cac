import LimberCore

/// How the reader names what it found in its error messages. Every message
/// is a whole sentence in the catalog (docs/translating.md), with the
/// names, characters and line numbers as `{placeholders}`.
extension TOMLReader {
    static func dotted(_ path: [String]) -> String {
        path.map { k in
            !k.isEmpty && k.utf8.allSatisfy(isBareKey) ? k : "\"" + k.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }.joined(separator: ".")
    }

    /// What is at the current position, in words, for "expected X, found
    /// {found}": a phrase that reads as the subject of a sentence.
    var found: String {
        guard let b = peek() else { return tr("the end of the file") }
        switch b {
        case ascii("\n"): return tr("the end of the line")
        case ascii("\r") where peek(1) == ascii("\n"): return tr("the end of the line")
        case ascii(" "): return tr("a space")
        case ascii("\t"): return tr("a tab")
        case 0..<0x20, 0x7F: return tr("control character {code}", ["code": Self.scalarName(UInt32(b))])
        default:
            var end = i + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            return "'" + String(decoding: bytes[i..<end], as: UTF8.self) + "'"
        }
    }

    /// "U+0007".
    static func scalarName(_ v: UInt32) -> String {
        let hex = String(v, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// What a node is, in words: "it is a string", "it is an inline table".
    func describe(_ n: Int) -> String {
        switch (nodes[n].content, nodes[n].origin) {
        case (.table, .value): tr("it is an inline table")
        case (.table, _): tr("it is a table")
        case (.array, .tableArray): tr("it is an array of tables")
        case (.array, _): tr("it is an array")
        case (.scalar(.string), _): tr("it is a string")
        case (.scalar(.integer), _): tr("it is an integer")
        case (.scalar(.float), _): tr("it is a number")
        case (.scalar(.bool), _): tr("it is a boolean")
        case (.scalar(.dateTime), _): tr("it is a date or time")
        case (.scalar(.array), _): tr("it is an array")
        case (.scalar(.table), _): tr("it is a table")
        }
    }

    /// A node's dotted name from the root: `exercises.walk`.
    func name(_ n: Int) -> String {
        var path: [String] = []
        var at = n
        while at >= 0 {
            if let k = nodes[at].key { path.append(k) }
            at = nodes[at].parent
        }
        return Self.dotted(path.reversed())
    }

    func cannotExtend(_ n: Int) -> String {
        let name = name(n)
        let line = String(nodes[n].keyLocation.line)
        switch (nodes[n].content, nodes[n].origin) {
        case (.table, .value):
            return tr("can't add to '{name}': it is an inline table (line {line}), and those are complete as written",
                      ["name": name, "line": line])
        case (.array, .value):
            return tr("can't add to '{name}': it is an array written as a value (line {line}), not an array of tables",
                      ["name": name, "line": line])
        default:
            return tr("'{name}' is not a table: {what}, defined on line {line}", ["name": name, "what": describe(n), "line": line])
        }
    }

    func redefinition(_ n: Int, asHeader: Bool) -> String {
        let name = name(n)
        let line = String(nodes[n].keyLocation.line)
        switch (nodes[n].content, nodes[n].origin) {
        case (.table, .header) where asHeader, (.table, .implicit) where asHeader:
            return tr("table [{name}] is defined twice; the first is on line {line}", ["name": name, "line": line])
        case (.table, .dotted) where asHeader:
            return tr("table [{name}] is already defined by dotted keys on line {line}", ["name": name, "line": line])
        default:
            let isScalar = if case .scalar = nodes[n].content { true } else { false }
            if asHeader || !isScalar {
                return tr("'{name}' is defined twice; the first is on line {line} ({what})",
                          ["name": name, "line": line, "what": describe(n)])
            }
            return tr("'{name}' is defined twice; the first is on line {line}", ["name": name, "line": line])
        }
    }
}
