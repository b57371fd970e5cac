/// One step of a key path: a table key or an array index.
public enum PathComponent: Sendable, Hashable, CustomStringConvertible {
    case key(String)
    case index(Int)

    public var description: String {
        switch self {
        case .key(let k): k
        case .index(let i): "[\(i)]"
        }
    }
}

/// Where each key and value of a TOML document is written.
///
/// TOMLKit reports positions for syntax errors only, so this small scanner
/// walks the raw text once and records, for every key path (table headers
/// `[a.b]`, arrays of tables `[[a]]` with their index, `key = value` lines,
/// dotted keys, inline tables and array elements), the position of the key
/// and of the value. It runs after TOMLKit has accepted the text, so it can
/// be lenient: on text it does not understand it moves on rather than fails.
public struct SourceMap: Sendable {
    public struct Entry: Sendable, Hashable {
        /// Where the key is written (the last segment of a dotted key or header).
        public var key: SourcePosition
        /// Where the value starts; for a table header, its opening `[`.
        public var value: SourcePosition
        /// Created implicitly by a longer header or dotted key; an explicit
        /// definition later replaces it.
        var implicit: Bool
    }

    public private(set) var entries: [[PathComponent]: Entry] = [:]

    public init(scanning text: String) {
        var scanner = Scanner(Array(text.unicodeScalars))
        scanner.run()
        entries = scanner.entries
    }

    public func entry(_ path: [PathComponent]) -> Entry? { entries[path] }

    /// The entry for `path`, or for its nearest recorded ancestor.
    public func nearest(_ path: [PathComponent]) -> Entry? {
        var p = path
        while !p.isEmpty {
            if let e = entries[p] { return e }
            p.removeLast()
        }
        return nil
    }
}

private struct Scanner {
    let s: [Unicode.Scalar]
    var i = 0
    var line = 1
    var column = 1
    var entries: [[PathComponent]: SourceMap.Entry] = [:]
    /// How many elements each array of tables has so far.
    var arrayTableCounts: [[PathComponent]: Int] = [:]

    init(_ s: [Unicode.Scalar]) { self.s = s }

    var pos: SourcePosition { SourcePosition(line: line, column: column) }

    func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

    mutating func advance() {
        guard i < s.count else { return }
        if s[i] == "\n" { line += 1; column = 1 } else { column += 1 }
        i += 1
    }

    mutating func record(_ path: [PathComponent], key: SourcePosition, value: SourcePosition, implicit: Bool) {
        if let old = entries[path], !(old.implicit && !implicit) { return }
        entries[path] = SourceMap.Entry(key: key, value: value, implicit: implicit)
    }

    mutating func run() {
        var current: [PathComponent] = []
        while true {
            skipTrivia(newlines: true)
            guard let c = peek() else { return }
            let before = i
            if c == "[" {
                current = header()
            } else {
                keyValue(base: current)
            }
            skipToEndOfLine()
            if i == before { advance() }
        }
    }

    /// `[a.b]` or `[[a.b]]`; returns the resolved path of the table.
    mutating func header() -> [PathComponent] {
        let start = pos
        let isArray = peek(1) == "["
        advance()
        if isArray { advance() }
        let keys = key()
        var path: [PathComponent] = []
        for (n, (k, kp)) in keys.enumerated() {
            path.append(.key(k))
            if n < keys.count - 1 {
                record(path, key: kp, value: kp, implicit: true)
                if let count = arrayTableCounts[path] { path.append(.index(count - 1)) }
            } else if isArray {
                let index = arrayTableCounts[path, default: 0]
                arrayTableCounts[path] = index + 1
                record(path, key: kp, value: start, implicit: false)
                path.append(.index(index))
                record(path, key: kp, value: start, implicit: false)
            } else {
                record(path, key: kp, value: start, implicit: false)
            }
        }
        return path
    }

    /// `a.b = value`, relative to `base`.
    mutating func keyValue(base: [PathComponent]) {
        let keys = key()
        guard !keys.isEmpty else { return }
        var path = base
        for (n, (k, kp)) in keys.enumerated() {
            path.append(.key(k))
            if n < keys.count - 1 { record(path, key: kp, value: kp, implicit: true) }
        }
        skipSpaces()
        if peek() == "=" { advance() }
        skipSpaces()
        record(path, key: keys[keys.count - 1].1, value: pos, implicit: false)
        value(path)
    }

    /// A possibly dotted, possibly quoted key: its segments and their positions.
    mutating func key() -> [(String, SourcePosition)] {
        var out: [(String, SourcePosition)] = []
        while true {
            skipSpaces()
            let p = pos
            guard let c = peek() else { return out }
            if c == "\"" {
                out.append((basicString(), p))
            } else if c == "'" {
                out.append((literalString(), p))
            } else {
                var k = ""
                while let c = peek(), isBareKey(c) { k.unicodeScalars.append(c); advance() }
                if k.isEmpty { return out }
                out.append((k, p))
            }
            skipSpaces()
            if peek() == "." { advance() } else { return out }
        }
    }

    mutating func value(_ path: [PathComponent]) {
        guard let c = peek() else { return }
        switch c {
        case "\"":
            if peek(1) == "\"" && peek(2) == "\"" { multilineString(quote: "\"") } else { _ = basicString() }
        case "'":
            if peek(1) == "'" && peek(2) == "'" { multilineString(quote: "'") } else { _ = literalString() }
        case "[":
            advance()
            var index = 0
            while true {
                skipTrivia(newlines: true)
                guard let c = peek() else { return }
                if c == "]" { advance(); return }
                if c == "," { advance(); continue }
                let before = i
                let element = path + [.index(index)]
                record(element, key: pos, value: pos, implicit: false)
                value(element)
                index += 1
                if i == before { advance() }
            }
        case "{":
            advance()
            while true {
                skipTrivia(newlines: true)
                guard let c = peek() else { return }
                if c == "}" { advance(); return }
                if c == "," { advance(); continue }
                let before = i
                keyValue(base: path)
                if i == before { advance() }
            }
        default:
            bareValue()
        }
    }

    /// Numbers, booleans, dates and times: up to the next delimiter. A date
    /// followed by a space and a time ("1979-05-27 07:32:00") is one value.
    mutating func bareValue() {
        var token = ""
        while let c = peek(), !" \t\r\n,]}#".unicodeScalars.contains(c) {
            token.unicodeScalars.append(c)
            advance()
        }
        if token.count == 10, token.unicodeScalars.filter({ $0 == "-" }).count == 2,
           peek() == " ", let d = peek(1), ("0"..."9").contains(d) {
            advance()
            bareValue()
        }
    }

    /// Skips a "basic string" and returns its text with the common escapes decoded.
    mutating func basicString() -> String {
        advance()
        var out = ""
        while let c = peek(), c != "\"", c != "\n" {
            if c == "\\" {
                advance()
                guard let e = peek() else { break }
                switch e {
                case "n": out += "\n"
                case "t": out += "\t"
                case "r": out += "\r"
                case "b": out += "\u{8}"
                case "f": out += "\u{C}"
                case "u", "U":
                    let n = e == "u" ? 4 : 8
                    var hex = ""
                    for _ in 0..<n {
                        advance()
                        if let h = peek() { hex.unicodeScalars.append(h) }
                    }
                    if let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) { out.unicodeScalars.append(u) }
                default: out.unicodeScalars.append(e)
                }
                advance()
            } else {
                out.unicodeScalars.append(c)
                advance()
            }
        }
        if peek() == "\"" { advance() }
        return out
    }

    mutating func literalString() -> String {
        advance()
        var out = ""
        while let c = peek(), c != "'", c != "\n" { out.unicodeScalars.append(c); advance() }
        if peek() == "'" { advance() }
        return out
    }

    mutating func multilineString(quote: Unicode.Scalar) {
        advance(); advance(); advance()
        while let c = peek() {
            if quote == "\"" && c == "\\" { advance(); advance(); continue }
            if c == quote && peek(1) == quote && peek(2) == quote {
                advance(); advance(); advance()
                // Up to two more quotes may belong to the content ("""a"""" ).
                while peek() == quote { advance() }
                return
            }
            advance()
        }
    }

    func isBareKey(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
    }

    mutating func skipSpaces() {
        while let c = peek(), c == " " || c == "\t" { advance() }
    }

    mutating func skipTrivia(newlines: Bool) {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\r" || (newlines && c == "\n") {
                advance()
            } else if c == "#" {
                while let c = peek(), c != "\n" { advance() }
            } else {
                return
            }
        }
    }

    mutating func skipToEndOfLine() {
        while let c = peek(), c != "\n" { advance() }
    }
}
