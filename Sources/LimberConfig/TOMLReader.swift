/// A TOML 1.0.0 reader (https://toml.io/en/v1.0.0) that builds limber's
/// `ConfigTable` directly, with the line and column of every key and value.
///
/// - Input: UTF-8 bytes already checked by `TOMLDocument.checkText` (valid
///   UTF-8, no NUL) with any byte order mark removed.
/// - Positions: 1-based lines (a line ends at LF; CRLF is one line end) and
///   1-based columns counted in Unicode scalars, so "é" is one column.
/// - Errors: the first problem only, at its first offending character (for a
///   redefinition, the key that redefines), as a `TOMLReader.Failure`.
/// - Robustness: one pass, no backtracking beyond a few bytes; containers and
///   dotted keys nest at most `maxDepth` levels, so neither the recursion here
///   nor the tree that comes out can run out of stack.
/// - Dates and times are checked (RFC 3339 fields and ranges) and kept as
///   `.dateTime` with their text as written; limber's readers then reject
///   them where they expect something else, at the value's position.
struct TOMLReader {
    struct Failure: Error, Equatable {
        var position: SourcePosition
        var message: String
    }

    /// How deeply values may nest: the root table is level 0, its keys'
    /// values level 1, and each table, array or dotted-key segment one more.
    static let maxDepth = 128

    // MARK: The tree being built

    /// Tables and arrays live in side arrays so that adding to one is in place.
    private enum Content {
        case scalar(ConfigValue.Kind)
        case table(Int)
        case array(Int)
    }

    /// How a table or array came to be, for TOML's rules on redefinition.
    private enum Origin {
        /// A table named only as a prefix of a header (`a` in `[a.b]`): a
        /// header may still define it.
        case implicit
        /// A table defined by its own `[header]` (and the root table).
        case header
        /// A table created by a dotted key (`a` in `a.b = 1`).
        case dotted
        /// An inline table, a static array, or anything inside one: closed.
        case value
        /// An array of tables, `[[name]]`.
        case tableArray
    }

    private struct Node {
        var content: Content
        var origin: Origin
        var location: SourcePosition
        var keyLocation: SourcePosition
        var depth: Int
        /// The table or array holding it (-1 for the root), and its key there
        /// (nil for an array element): for naming it in messages.
        var parent = -1
        var key: String? = nil
    }

    private struct Table {
        var keys: [String] = []
        var children: [String: Int] = [:]
    }

    private var nodes: [Node] = []
    private var tables: [Table] = []
    private var arrays: [[Int]] = []

    // MARK: The input

    private let bytes: [UInt8]
    private var i = 0
    private var line = 1
    private var column = 1

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses a whole document into its root table.
    static func parse(_ bytes: [UInt8], file: String) -> Result<ConfigTable, Failure> {
        var reader = TOMLReader(bytes)
        do throws(Failure) {
            try reader.document()
        } catch {
            return .failure(error)
        }
        guard case .table(let root) = reader.nodes[0].content else { return .success(ConfigTable()) }
        return .success(reader.buildTable(root, file: file))
    }

    // MARK: Reading bytes

    private var position: SourcePosition { SourcePosition(line: line, column: column) }
    private var atEnd: Bool { i >= bytes.count }

    private func peek(_ k: Int = 0) -> UInt8? {
        i + k < bytes.count ? bytes[i + k] : nil
    }

    /// Moves past one byte, keeping the line and column.
    private mutating func advance() {
        let b = bytes[i]
        i += 1
        if b == ascii("\n") {
            line += 1
            column = 1
        } else if b & 0xC0 != 0x80 {  // not a UTF-8 continuation byte
            column += 1
        }
    }

    private mutating func advance(_ n: Int) {
        for _ in 0..<n { advance() }
    }

    private func fail(_ message: String, at p: SourcePosition? = nil) -> Failure {
        Failure(position: p ?? position, message: message)
    }

    /// What is at the current position, in words, for "expected X, found Y".
    private var found: String {
        guard let b = peek() else { return "the end of the file" }
        switch b {
        case ascii("\n"): return "the end of the line"
        case ascii("\r") where peek(1) == ascii("\n"): return "the end of the line"
        case ascii(" "): return "a space"
        case ascii("\t"): return "a tab"
        case 0..<0x20, 0x7F: return "control character " + Self.scalarName(UInt32(b))
        default:
            var end = i + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            return "'" + String(decoding: bytes[i..<end], as: UTF8.self) + "'"
        }
    }

    static func scalarName(_ v: UInt32) -> String {
        let hex = String(v, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static func isControl(_ b: UInt8) -> Bool {
        (b < 0x20 && b != ascii("\t")) || b == 0x7F
    }

    private mutating func skipWhitespace() {
        while let b = peek(), b == ascii(" ") || b == ascii("\t") { advance() }
    }

    /// At a line end (LF or CRLF)?
    private func atNewline() -> Bool {
        peek() == ascii("\n") || (peek() == ascii("\r") && peek(1) == ascii("\n"))
    }

    private mutating func skipNewline() throws(Failure) {
        if peek() == ascii("\r") {
            guard peek(1) == ascii("\n") else { throw fail("a carriage return must be followed by a newline") }
            advance()
        }
        advance()
    }

    /// `# ...` up to (not including) the line end; control characters other than tab are errors.
    private mutating func skipComment() throws(Failure) {
        advance()
        while let b = peek(), !atNewline() {
            if Self.isControl(b) {
                throw fail("control character \(Self.scalarName(UInt32(b))) is not allowed in a comment")
            }
            advance()
        }
    }

    /// Whitespace, an optional comment, then the end of the line or file.
    private mutating func endOfLine(after what: String) throws(Failure) {
        skipWhitespace()
        if peek() == ascii("#") { try skipComment() }
        if atEnd { return }
        guard atNewline() else {
            if peek() == ascii("\r") { throw fail("a carriage return must be followed by a newline") }
            throw fail("expected the end of the line after \(what), found \(found)")
        }
        try skipNewline()
    }

    // MARK: The document

    private mutating func document() throws(Failure) {
        let root = newTable(origin: .header, at: .start, key: .start, depth: 0)
        var current = root
        while true {
            skipWhitespace()
            guard let b = peek() else { return }
            if b == ascii("#") {
                try endOfLine(after: "a comment")
            } else if atNewline() || b == ascii("\r") {
                try skipNewline()
            } else if b == ascii("[") {
                current = try header()
                try endOfLine(after: "the table header")
            } else {
                try keyValue(in: current)
                try endOfLine(after: "the value")
            }
        }
    }

    private typealias Key = (name: String, at: SourcePosition)

    /// A bare, quoted or dotted key.
    private mutating func key() throws(Failure) -> [Key] {
        var out: [Key] = []
        while true {
            skipWhitespace()
            let at = position
            guard let b = peek() else { throw fail("expected a key, found the end of the file") }
            if b == ascii("\"") {
                if peek(1) == ascii("\""), peek(2) == ascii("\"") {
                    throw fail("a key can't be a multi-line string")
                }
                out.append((try basicString(), at))
            } else if b == ascii("'") {
                if peek(1) == ascii("'"), peek(2) == ascii("'") {
                    throw fail("a key can't be a multi-line string")
                }
                out.append((try literalString(), at))
            } else if Self.isBareKey(b) {
                let start = i
                while let c = peek(), Self.isBareKey(c) { advance() }
                out.append((String(decoding: bytes[start..<i], as: UTF8.self), at))
            } else if out.isEmpty {
                throw fail("expected a key, found \(found)")
            } else {
                throw fail("expected a key after '.', found \(found)")
            }
            skipWhitespace()
            guard peek() == ascii(".") else { return out }
            advance()
        }
    }

    static func isBareKey(_ b: UInt8) -> Bool {
        (b >= ascii("a") && b <= ascii("z")) || (b >= ascii("A") && b <= ascii("Z"))
            || (b >= ascii("0") && b <= ascii("9")) || b == ascii("_") || b == ascii("-")
    }

    /// `[a.b]` or `[[a.b]]`: defines the table and returns it.
    private mutating func header() throws(Failure) -> Int {
        let start = position
        advance()
        let isArray = peek() == ascii("[")
        if isArray { advance() }
        skipWhitespace()
        guard let b = peek(), b == ascii("\"") || b == ascii("'") || Self.isBareKey(b) else {
            throw fail("a table header needs a name, like [reminders.walk]" + (isArray ? " or [[list]]" : ""), at: start)
        }
        let keys = try key()
        guard peek() == ascii("]") else {
            throw fail("expected ']' to close the table header, found \(found)")
        }
        advance()
        if isArray {
            guard peek() == ascii("]") else { throw fail("expected ']]' to close the array-of-tables header, found \(found)") }
            advance()
        }

        var table = 0  // the root
        for (n, k) in keys.enumerated() {
            let isLast = n == keys.count - 1
            let existing = child(of: table, k.name)
            if !isLast {
                table = try headerPrefix(existing, in: table, k)
                continue
            }
            let depth = nodes[table].depth + 1
            if isArray {
                let listNode: Int
                if let c = existing {
                    guard case .array = nodes[c].content, nodes[c].origin == .tableArray else {
                        throw fail("[[\(name(c))]] adds to an array of tables, but \(describe(c)), defined on line \(nodes[c].keyLocation.line)", at: k.at)
                    }
                    listNode = c
                } else {
                    listNode = try newNode(.array(arrays.count), origin: .tableArray, at: start, key: k.at, depth: depth)
                    arrays.append([])
                    insert(listNode, as: k.name, in: table)
                }
                guard case .array(let list) = nodes[listNode].content else { return table }
                try checkDepth(depth + 1, at: k.at)
                let element = newTable(origin: .header, at: start, key: k.at, depth: depth + 1)
                nodes[element].parent = listNode
                arrays[list].append(element)
                return element
            }
            if let c = existing {
                guard case .table = nodes[c].content, nodes[c].origin == .implicit else {
                    throw fail(redefinition(c, asHeader: true), at: k.at)
                }
                nodes[c].origin = .header
                nodes[c].location = start
                nodes[c].keyLocation = k.at
                return c
            }
            try checkDepth(depth, at: k.at)
            let c = newTable(origin: .header, at: start, key: k.at, depth: depth)
            insert(c, as: k.name, in: table)
            return c
        }
        return table
    }

    /// The table a header's prefix segment leads to, created if new.
    private mutating func headerPrefix(_ existing: Int?, in table: Int, _ k: Key) throws(Failure) -> Int {
        guard let c = existing else {
            let depth = nodes[table].depth + 1
            try checkDepth(depth, at: k.at)
            let c = newTable(origin: .implicit, at: k.at, key: k.at, depth: depth)
            insert(c, as: k.name, in: table)
            return c
        }
        switch (nodes[c].content, nodes[c].origin) {
        case (.table, .implicit), (.table, .header), (.table, .dotted):
            return c
        case (.array(let a), .tableArray):
            return arrays[a][arrays[a].count - 1]
        default:
            throw fail(cannotExtend(c), at: k.at)
        }
    }

    /// `a.b = value` in `table`.
    private mutating func keyValue(in table: Int) throws(Failure) {
        let keys = try key()
        var parent = table
        for k in keys.dropLast() {
            if let c = child(of: parent, k.name) {
                switch (nodes[c].content, nodes[c].origin) {
                case (.table, .dotted):
                    parent = c
                case (.table, .implicit):
                    nodes[c].origin = .dotted
                    parent = c
                case (.table, .header):
                    throw fail("can't add to table [\(name(c))] with a dotted key: it is defined by its header on line \(nodes[c].keyLocation.line)", at: k.at)
                default:
                    throw fail(cannotExtend(c), at: k.at)
                }
            } else {
                let depth = nodes[parent].depth + 1
                try checkDepth(depth, at: k.at)
                let c = newTable(origin: .dotted, at: k.at, key: k.at, depth: depth)
                insert(c, as: k.name, in: parent)
                parent = c
            }
        }
        let last = keys[keys.count - 1]
        if let c = child(of: parent, last.name) {
            throw fail(redefinition(c, asHeader: false), at: last.at)
        }
        skipWhitespace()
        guard peek() == ascii("=") else {
            throw fail("expected '=' after the key '\(Self.dotted(keys.map(\.name)))', found \(found)")
        }
        advance()
        skipWhitespace()
        let v = try value(depth: nodes[parent].depth + 1, in: parent, key: last.name)
        nodes[v].keyLocation = last.at
        insert(v, as: last.name, in: parent)
    }

    // MARK: Values

    /// Any value; returns its node (origin `.value`). `parent` and `key`
    /// say where it will go, for naming it in messages about its contents.
    private mutating func value(depth: Int, in parent: Int, key: String?) throws(Failure) -> Int {
        let at = position
        guard let b = peek() else { throw fail("expected a value, found the end of the file") }
        let kind: ConfigValue.Kind
        switch b {
        case ascii("\""):
            if peek(1) == ascii("\""), peek(2) == ascii("\"") {
                kind = .string(try multilineString(quote: ascii("\"")))
            } else {
                kind = .string(try basicString())
            }
        case ascii("'"):
            if peek(1) == ascii("'"), peek(2) == ascii("'") {
                kind = .string(try multilineString(quote: ascii("'")))
            } else {
                kind = .string(try literalString())
            }
        case ascii("["):
            return try array(depth: depth, in: parent, key: key)
        case ascii("{"):
            return try inlineTable(depth: depth, in: parent, key: key)
        default:
            kind = try scalar()
        }
        let node = try newNode(.scalar(kind), origin: .value, at: at, key: at, depth: depth)
        nodes[node].parent = parent
        nodes[node].key = key
        return node
    }

    /// `[ v, v, ... ]`: newlines and comments allowed between elements, trailing comma allowed.
    private mutating func array(depth: Int, in parent: Int, key: String?) throws(Failure) -> Int {
        let at = position
        let node = try newNode(.array(arrays.count), origin: .value, at: at, key: at, depth: depth)
        arrays.append([])
        nodes[node].parent = parent
        nodes[node].key = key
        advance()
        var elements: [Int] = []
        while true {
            try skipArrayTrivia()
            guard let b = peek() else { throw fail("this array is never closed with ']'", at: at) }
            if b == ascii("]") { break }
            if b == ascii(",") {
                throw fail(elements.isEmpty ? "expected a value or ']' in the array, found ','" : "expected a value between two commas")
            }
            elements.append(try value(depth: depth + 1, in: node, key: nil))
            try skipArrayTrivia()
            guard let c = peek() else { throw fail("this array is never closed with ']'", at: at) }
            if c == ascii(",") {
                advance()
            } else if c != ascii("]") {
                throw fail("expected ',' or ']' after an array element, found \(found)")
            }
        }
        advance()
        if case .array(let a) = nodes[node].content { arrays[a] = elements }
        return node
    }

    private mutating func skipArrayTrivia() throws(Failure) {
        while let b = peek() {
            if b == ascii(" ") || b == ascii("\t") {
                advance()
            } else if b == ascii("\n") || b == ascii("\r") {
                try skipNewline()
            } else if b == ascii("#") {
                try skipComment()
            } else {
                return
            }
        }
    }

    /// `{ k = v, ... }`: no newline between its entries (a value such as an
    /// array may span lines), no trailing comma; closed once read.
    private mutating func inlineTable(depth: Int, in parent: Int, key: String?) throws(Failure) -> Int {
        let at = position
        try checkDepth(depth, at: at)
        advance()
        // Built as a table of its own; dotted keys inside it may nest.
        let t = newTable(origin: .dotted, at: at, key: at, depth: depth)
        nodes[t].parent = parent
        nodes[t].key = key
        skipWhitespace()
        if peek() == ascii("}") {
            advance()
        } else {
            while true {
                try inlineTrivia(at: at)
                try keyValue(in: t)
                try inlineTrivia(at: at)
                guard let b = peek() else { throw fail("this inline table is never closed with '}'", at: at) }
                if b == ascii("}") { advance(); break }
                guard b == ascii(",") else {
                    throw fail("expected ',' or '}' in the inline table, found \(found)")
                }
                advance()
                try inlineTrivia(at: at)
                if peek() == ascii("}") { throw fail("an inline table can't have a trailing comma") }
            }
        }
        close(t)
        return t
    }

    private mutating func inlineTrivia(at open: SourcePosition) throws(Failure) {
        skipWhitespace()
        if atNewline() || peek() == ascii("#") || peek() == ascii("\r") {
            throw fail("an inline table must be on one line (this one starts at \(open))")
        }
        if atEnd { throw fail("this inline table is never closed with '}'", at: open) }
    }

    /// Marks a finished inline table, and every table inside it, as closed.
    private mutating func close(_ node: Int) {
        nodes[node].origin = .value
        if case .table(let t) = nodes[node].content {
            for c in tables[t].children.values {
                if case .table = nodes[c].content, nodes[c].origin == .dotted { close(c) }
            }
        }
    }

    // MARK: Strings

    /// `"..."` with escapes, on one line.
    private mutating func basicString() throws(Failure) -> String {
        advance()
        var out: [UInt8] = []
        while true {
            guard let b = peek() else { throw fail("this string is never closed with '\"'") }
            switch b {
            case ascii("\""):
                advance()
                return String(decoding: out, as: UTF8.self)
            case ascii("\\"):
                try escape(into: &out)
            case ascii("\n"), ascii("\r"):
                throw fail("this string is not closed on its line; a basic string ends on the line it starts (use \"\"\" for a string of several lines)")
            default:
                if Self.isControl(b) {
                    throw fail("control character \(Self.scalarName(UInt32(b))) must be escaped in a string")
                }
                out.append(b)
                advance()
            }
        }
    }

    /// `'...'`: no escapes, on one line.
    private mutating func literalString() throws(Failure) -> String {
        advance()
        let start = i
        while true {
            guard let b = peek() else { throw fail("this string is never closed with \"'\"") }
            if b == ascii("'") {
                let s = String(decoding: bytes[start..<i], as: UTF8.self)
                advance()
                return s
            }
            if b == ascii("\n") || b == ascii("\r") {
                throw fail("this string is not closed on its line; a literal string ends on the line it starts (use ''' for a string of several lines)")
            }
            if Self.isControl(b) {
                throw fail("control character \(Self.scalarName(UInt32(b))) is not allowed in a literal string")
            }
            advance()
        }
    }

    /// `"""..."""` (with escapes and line-ending backslashes) or `'''...'''`.
    /// A newline right after the opening quotes is dropped; CRLF becomes LF.
    private mutating func multilineString(quote: UInt8) throws(Failure) -> String {
        let open = position
        let isBasic = quote == ascii("\"")
        advance(3)
        if atNewline() { try skipNewline() }
        var out: [UInt8] = []
        while true {
            guard let b = peek() else {
                throw fail("this multi-line string is never closed with " + (isBasic ? "\"\"\"" : "'''"), at: open)
            }
            if b == quote {
                var run = 0
                while peek(run) == quote { run += 1 }
                if run < 3 {
                    out.append(contentsOf: repeatElement(quote, count: run))
                    advance(run)
                    continue
                }
                if run > 5 {
                    advance(5)
                    throw fail("too many quotes: a multi-line string may end with at most two before its closing three")
                }
                out.append(contentsOf: repeatElement(quote, count: run - 3))
                advance(run)
                return String(decoding: out, as: UTF8.self)
            }
            if b == ascii("\\") && isBasic {
                if lineEndingBackslash() {
                    advance()
                    while let c = peek(), c == ascii(" ") || c == ascii("\t") || c == ascii("\n") || c == ascii("\r") {
                        if c == ascii("\r") { try skipNewline() } else { advance() }
                    }
                } else {
                    try escape(into: &out)
                }
                continue
            }
            if b == ascii("\n") || b == ascii("\r") {
                try skipNewline()
                out.append(ascii("\n"))
                continue
            }
            if Self.isControl(b) {
                throw fail("control character \(Self.scalarName(UInt32(b))) " + (isBasic ? "must be escaped in a string" : "is not allowed in a literal string"))
            }
            out.append(b)
            advance()
        }
    }

    /// A `\` followed by optional whitespace and a line end?
    private func lineEndingBackslash() -> Bool {
        var k = 1
        while let c = peek(k), c == ascii(" ") || c == ascii("\t") { k += 1 }
        return peek(k) == ascii("\n") || (peek(k) == ascii("\r") && peek(k + 1) == ascii("\n"))
    }

    /// One escape sequence at a `\`, appended as UTF-8.
    private mutating func escape(into out: inout [UInt8]) throws(Failure) {
        let at = position
        advance()
        guard let e = peek() else { throw fail("this string is never closed with '\"'") }
        let simple: UInt8?
        switch e {
        case ascii("b"): simple = 0x08
        case ascii("t"): simple = 0x09
        case ascii("n"): simple = 0x0A
        case ascii("f"): simple = 0x0C
        case ascii("r"): simple = 0x0D
        case ascii("\""): simple = ascii("\"")
        case ascii("\\"): simple = ascii("\\")
        case ascii("u"), ascii("U"): simple = nil
        default:
            let what = e >= 0x21 && e < 0x7F ? "\\" + String(UnicodeScalar(e)) : found
            throw fail("invalid escape \(what) in a string; the escapes are \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX and \\UXXXXXXXX", at: at)
        }
        if let simple {
            out.append(simple)
            advance()
            return
        }
        let digits = e == ascii("u") ? 4 : 8
        advance()
        var v: UInt32 = 0
        for _ in 0..<digits {
            guard let h = peek(), let d = Self.hexValue(h) else {
                throw fail("\\\(e == ascii("u") ? "u" : "U") needs \(digits) hexadecimal digits", at: at)
            }
            v = v << 4 | UInt32(d)
            advance()
        }
        guard let scalar = Unicode.Scalar(v) else {
            throw fail("\(Self.scalarName(v)) is not a Unicode scalar value (a surrogate or beyond U+10FFFF)", at: at)
        }
        UTF8.encode(scalar) { out.append($0) }
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case ascii("0")...ascii("9"): b - ascii("0")
        case ascii("a")...ascii("f"): b - ascii("a") + 10
        case ascii("A")...ascii("F"): b - ascii("A") + 10
        default: nil
        }
    }

    // MARK: Numbers, booleans, dates and times

    /// A bare value: the run of characters that can make one up (a local
    /// date followed by a space and a time is one value), then checked.
    private mutating func scalar() throws(Failure) -> ConfigValue.Kind {
        let at = position
        let start = i
        while let b = peek(), TOMLScalar.isTokenByte(b) { advance() }
        if i - start == 10, TOMLScalar.isDate(bytes[start..<i]), peek() == ascii(" "),
           let h1 = peek(1), let h2 = peek(2), isDigit(h1), isDigit(h2), peek(3) == ascii(":") {
            advance()
            while let b = peek(), TOMLScalar.isTokenByte(b) { advance() }
        }
        guard i > start else { throw fail("expected a value, found \(found)") }
        switch TOMLScalar.parse(bytes[start..<i]) {
        case .success(let kind):
            return kind
        case .failure(let e):
            // Tokens are ASCII on one line: a byte offset is a column offset.
            throw fail(e.message, at: SourcePosition(line: at.line, column: at.column + e.offset))
        }
    }

    // MARK: Building

    private mutating func newTable(origin: Origin, at: SourcePosition, key: SourcePosition, depth: Int) -> Int {
        tables.append(Table())
        nodes.append(Node(content: .table(tables.count - 1), origin: origin, location: at, keyLocation: key, depth: depth))
        return nodes.count - 1
    }

    private mutating func newNode(_ content: Content, origin: Origin, at: SourcePosition, key: SourcePosition,
                                  depth: Int) throws(Failure) -> Int {
        try checkDepth(depth, at: at)
        nodes.append(Node(content: content, origin: origin, location: at, keyLocation: key, depth: depth))
        return nodes.count - 1
    }

    private func checkDepth(_ depth: Int, at: SourcePosition) throws(Failure) {
        if depth > Self.maxDepth {
            throw fail("tables and arrays nest too deeply here (more than \(Self.maxDepth) levels)", at: at)
        }
    }

    private func child(of node: Int, _ key: String) -> Int? {
        guard case .table(let t) = nodes[node].content else { return nil }
        return tables[t].children[key]
    }

    private mutating func insert(_ child: Int, as key: String, in node: Int) {
        guard case .table(let t) = nodes[node].content else { return }
        nodes[child].parent = node
        nodes[child].key = key
        tables[t].keys.append(key)
        tables[t].children[key] = child
    }

    private func buildTable(_ t: Int, file: String) -> ConfigTable {
        var out = ConfigTable()
        for key in tables[t].keys {
            if let c = tables[t].children[key] { out[key] = build(c, file: file) }
        }
        return out
    }

    private func build(_ n: Int, file: String) -> ConfigValue {
        let node = nodes[n]
        let kind: ConfigValue.Kind
        switch node.content {
        case .scalar(let k): kind = k
        case .table(let t): kind = .table(buildTable(t, file: file))
        case .array(let a): kind = .array(arrays[a].map { build($0, file: file) })
        }
        return ConfigValue(kind, location: SourceLocation(file: file, position: node.location),
                           keyLocation: SourceLocation(file: file, position: node.keyLocation))
    }

    // MARK: Messages

    static func dotted(_ path: [String]) -> String {
        path.map { k in
            !k.isEmpty && k.utf8.allSatisfy(isBareKey) ? k : "\"" + k.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }.joined(separator: ".")
    }

    /// What a node is, in words: "it is a string", "it is an inline table".
    private func describe(_ n: Int) -> String {
        switch (nodes[n].content, nodes[n].origin) {
        case (.table, .value): "it is an inline table"
        case (.table, _): "it is a table"
        case (.array, .tableArray): "it is an array of tables"
        case (.array, _): "it is an array"
        case (.scalar(let k), _): "it is " + ConfigValue(k, location: SourceLocation(file: "")).typeName
        }
    }

    /// A node's dotted name from the root: `exercises.walk`.
    private func name(_ n: Int) -> String {
        var path: [String] = []
        var at = n
        while at >= 0 {
            if let k = nodes[at].key { path.append(k) }
            at = nodes[at].parent
        }
        return Self.dotted(path.reversed())
    }

    private func cannotExtend(_ n: Int) -> String {
        let name = name(n)
        switch (nodes[n].content, nodes[n].origin) {
        case (.table, .value):
            return "can't add to '\(name)': it is an inline table (line \(nodes[n].keyLocation.line)), and those are complete as written"
        case (.array, .value):
            return "can't add to '\(name)': it is an array written as a value (line \(nodes[n].keyLocation.line)), not an array of tables"
        default:
            return "'\(name)' is not a table: \(describe(n)), defined on line \(nodes[n].keyLocation.line)"
        }
    }

    private func redefinition(_ n: Int, asHeader: Bool) -> String {
        let name = name(n)
        let line = nodes[n].keyLocation.line
        switch (nodes[n].content, nodes[n].origin) {
        case (.table, .header) where asHeader, (.table, .implicit) where asHeader:
            return "table [\(name)] is defined twice; the first is on line \(line)"
        case (.table, .dotted) where asHeader:
            return "table [\(name)] is already defined by dotted keys on line \(line)"
        default:
            let isScalar = if case .scalar = nodes[n].content { true } else { false }
            return "'\(name)' is defined twice; the first is on line \(line)" + (asHeader || !isScalar ? " (\(describe(n)))" : "")
        }
    }
}

@inline(__always) func ascii(_ c: Unicode.Scalar) -> UInt8 { UInt8(c.value) }

@inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= ascii("0") && b <= ascii("9") }
