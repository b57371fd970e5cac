import LimberCore

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
    enum Content {
        case scalar(ConfigValue.Kind)
        case table(Int)
        case array(Int)
    }

    /// How a table or array came to be, for TOML's rules on redefinition.
    enum Origin {
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

    struct Node {
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

    struct Table {
        var keys: [String] = []
        var children: [String: Int] = [:]
    }

    var nodes: [Node] = []
    var tables: [Table] = []
    var arrays: [[Int]] = []

    // MARK: The input

    let bytes: [UInt8]
    var i = 0
    var line = 1
    var column = 1

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

    var position: SourcePosition { SourcePosition(line: line, column: column) }
    var atEnd: Bool { i >= bytes.count }

    func peek(_ k: Int = 0) -> UInt8? {
        i + k < bytes.count ? bytes[i + k] : nil
    }

    /// Moves past one byte, keeping the line and column.
    mutating func advance() {
        let b = bytes[i]
        i += 1
        if b == ascii("\n") {
            line += 1
            column = 1
        } else if b & 0xC0 != 0x80 {  // not a UTF-8 continuation byte
            column += 1
        }
    }

    mutating func advance(_ n: Int) {
        for _ in 0..<n { advance() }
    }

    func fail(_ message: String, at p: SourcePosition? = nil) -> Failure {
        Failure(position: p ?? position, message: message)
    }

    static func isControl(_ b: UInt8) -> Bool {
        (b < 0x20 && b != ascii("\t")) || b == 0x7F
    }

    mutating func skipWhitespace() {
        while let b = peek(), b == ascii(" ") || b == ascii("\t") { advance() }
    }

    /// At a line end (LF or CRLF)?
    func atNewline() -> Bool {
        peek() == ascii("\n") || (peek() == ascii("\r") && peek(1) == ascii("\n"))
    }

    mutating func skipNewline() throws(Failure) {
        if peek() == ascii("\r") {
            guard peek(1) == ascii("\n") else { throw fail(tr("a carriage return must be followed by a newline")) }
            advance()
        }
        advance()
    }

    /// `# ...` up to (not including) the line end; control characters other than tab are errors.
    mutating func skipComment() throws(Failure) {
        advance()
        while let b = peek(), !atNewline() {
            if Self.isControl(b) {
                throw fail(tr("control character {code} is not allowed in a comment", ["code": Self.scalarName(UInt32(b))]))
            }
            advance()
        }
    }

    /// Whitespace, an optional comment, then the end of the line or file;
    /// else fails with `message`, a trMark'd text with a `{found}`.
    mutating func endOfLine(else message: String) throws(Failure) {
        skipWhitespace()
        if peek() == ascii("#") { try skipComment() }
        if atEnd { return }
        guard atNewline() else {
            if peek() == ascii("\r") { throw fail(tr("a carriage return must be followed by a newline")) }
            throw fail(tr(message, ["found": found]))
        }
        try skipNewline()
    }

    // MARK: The document

    mutating func document() throws(Failure) {
        let root = newTable(origin: .header, at: .start, key: .start, depth: 0)
        var current = root
        while true {
            skipWhitespace()
            guard let b = peek() else { return }
            if b == ascii("#") {
                try endOfLine(else: trMark("expected the end of the line after a comment, found {found}"))
            } else if atNewline() || b == ascii("\r") {
                try skipNewline()
            } else if b == ascii("[") {
                current = try header()
                try endOfLine(else: trMark("expected the end of the line after the table header, found {found}"))
            } else {
                try keyValue(in: current)
                try endOfLine(else: trMark("expected the end of the line after the value, found {found}"))
            }
        }
    }

    typealias Key = (name: String, at: SourcePosition)

    /// A bare, quoted or dotted key.
    mutating func key() throws(Failure) -> [Key] {
        var out: [Key] = []
        while true {
            skipWhitespace()
            let at = position
            guard let b = peek() else { throw fail(tr("expected a key, found {found}", ["found": found])) }
            if b == ascii("\"") {
                if peek(1) == ascii("\""), peek(2) == ascii("\"") {
                    throw fail(tr("a key can't be a multi-line string"))
                }
                out.append((try basicString(), at))
            } else if b == ascii("'") {
                if peek(1) == ascii("'"), peek(2) == ascii("'") {
                    throw fail(tr("a key can't be a multi-line string"))
                }
                out.append((try literalString(), at))
            } else if Self.isBareKey(b) {
                let start = i
                while let c = peek(), Self.isBareKey(c) { advance() }
                out.append((String(decoding: bytes[start..<i], as: UTF8.self), at))
            } else if out.isEmpty {
                throw fail(tr("expected a key, found {found}", ["found": found]))
            } else {
                throw fail(tr("expected a key after '.', found {found}", ["found": found]))
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
    mutating func header() throws(Failure) -> Int {
        let start = position
        advance()
        let isArray = peek() == ascii("[")
        if isArray { advance() }
        skipWhitespace()
        guard let b = peek(), b == ascii("\"") || b == ascii("'") || Self.isBareKey(b) else {
            throw fail(isArray ? tr("a table header needs a name, like [reminders.walk] or [[list]]")
                              : tr("a table header needs a name, like [reminders.walk]"), at: start)
        }
        let keys = try key()
        guard peek() == ascii("]") else {
            throw fail(tr("expected ']' to close the table header, found {found}", ["found": found]))
        }
        advance()
        if isArray {
            guard peek() == ascii("]") else {
                throw fail(tr("expected ']]' to close the array-of-tables header, found {found}", ["found": found]))
            }
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
                        throw fail(tr("[[{name}]] adds to an array of tables, but {what}, defined on line {line}",
                                     ["name": name(c), "what": describe(c), "line": String(nodes[c].keyLocation.line)]), at: k.at)
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
    mutating func headerPrefix(_ existing: Int?, in table: Int, _ k: Key) throws(Failure) -> Int {
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
    mutating func keyValue(in table: Int) throws(Failure) {
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
                    throw fail(tr("can't add to table [{name}] with a dotted key: it is defined by its header on line {line}",
                                  ["name": name(c), "line": String(nodes[c].keyLocation.line)]), at: k.at)
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
            throw fail(tr("expected '=' after the key '{key}', found {found}", ["key": Self.dotted(keys.map(\.name)), "found": found]))
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
    mutating func value(depth: Int, in parent: Int, key: String?) throws(Failure) -> Int {
        let at = position
        guard let b = peek() else { throw fail(tr("expected a value, found {found}", ["found": found])) }
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
    mutating func array(depth: Int, in parent: Int, key: String?) throws(Failure) -> Int {
        let at = position
        let node = try newNode(.array(arrays.count), origin: .value, at: at, key: at, depth: depth)
        arrays.append([])
        nodes[node].parent = parent
        nodes[node].key = key
        advance()
        var elements: [Int] = []
        while true {
            try skipArrayTrivia()
            guard let b = peek() else { throw fail(tr("this array is never closed with ']'"), at: at) }
            if b == ascii("]") { break }
            if b == ascii(",") {
                throw fail(elements.isEmpty ? tr("expected a value or ']' in the array, found ','") : tr("expected a value between two commas"))
            }
            elements.append(try value(depth: depth + 1, in: node, key: nil))
            try skipArrayTrivia()
            guard let c = peek() else { throw fail(tr("this array is never closed with ']'"), at: at) }
            if c == ascii(",") {
                advance()
            } else if c != ascii("]") {
                throw fail(tr("expected ',' or ']' after an array element, found {found}", ["found": found]))
            }
        }
        advance()
        if case .array(let a) = nodes[node].content { arrays[a] = elements }
        return node
    }

    mutating func skipArrayTrivia() throws(Failure) {
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
    mutating func inlineTable(depth: Int, in parent: Int, key: String?) throws(Failure) -> Int {
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
                guard let b = peek() else { throw fail(tr("this inline table is never closed with '}'"), at: at) }
                if b == ascii("}") { advance(); break }
                guard b == ascii(",") else {
                    throw fail(tr("expected ',' or '}' in the inline table, found {found}", ["found": found]))
                }
                advance()
                try inlineTrivia(at: at)
                if peek() == ascii("}") { throw fail(tr("an inline table can't have a trailing comma")) }
            }
        }
        close(t)
        return t
    }

    mutating func inlineTrivia(at open: SourcePosition) throws(Failure) {
        skipWhitespace()
        if atNewline() || peek() == ascii("#") || peek() == ascii("\r") {
            throw fail(tr("an inline table must be on one line (this one starts at {position})", ["position": open.description]))
        }
        if atEnd { throw fail(tr("this inline table is never closed with '}'"), at: open) }
    }

    /// Marks a finished inline table, and every table inside it, as closed.
    mutating func close(_ node: Int) {
        nodes[node].origin = .value
        if case .table(let t) = nodes[node].content {
            for c in tables[t].children.values {
                if case .table = nodes[c].content, nodes[c].origin == .dotted { close(c) }
            }
        }
    }

    // MARK: Numbers, booleans, dates and times

    /// A bare value: the run of characters that can make one up (a local
    /// date followed by a space and a time is one value), then checked.
    mutating func scalar() throws(Failure) -> ConfigValue.Kind {
        let at = position
        let start = i
        while let b = peek(), TOMLScalar.isTokenByte(b) { advance() }
        if i - start == 10, TOMLScalar.isDate(bytes[start..<i]), peek() == ascii(" "),
           let h1 = peek(1), let h2 = peek(2), isDigit(h1), isDigit(h2), peek(3) == ascii(":") {
            advance()
            while let b = peek(), TOMLScalar.isTokenByte(b) { advance() }
        }
        guard i > start else { throw fail(tr("expected a value, found {found}", ["found": found])) }
        switch TOMLScalar.parse(bytes[start..<i]) {
        case .success(let kind):
            return kind
        case .failure(let e):
            // Tokens are ASCII on one line: a byte offset is a column offset.
            throw fail(e.message, at: SourcePosition(line: at.line, column: at.column + e.offset))
        }
    }

    // MARK: Building

    mutating func newTable(origin: Origin, at: SourcePosition, key: SourcePosition, depth: Int) -> Int {
        tables.append(Table())
        nodes.append(Node(content: .table(tables.count - 1), origin: origin, location: at, keyLocation: key, depth: depth))
        return nodes.count - 1
    }

    mutating func newNode(_ content: Content, origin: Origin, at: SourcePosition, key: SourcePosition,
                                  depth: Int) throws(Failure) -> Int {
        try checkDepth(depth, at: at)
        nodes.append(Node(content: content, origin: origin, location: at, keyLocation: key, depth: depth))
        return nodes.count - 1
    }

    func checkDepth(_ depth: Int, at: SourcePosition) throws(Failure) {
        if depth > Self.maxDepth {
            throw fail(tr("tables and arrays nest too deeply here (more than {n} levels)", ["n": String(Self.maxDepth)]), at: at)
        }
    }

    func child(of node: Int, _ key: String) -> Int? {
        guard case .table(let t) = nodes[node].content else { return nil }
        return tables[t].children[key]
    }

    mutating func insert(_ child: Int, as key: String, in node: Int) {
        guard case .table(let t) = nodes[node].content else { return }
        nodes[child].parent = node
        nodes[child].key = key
        tables[t].keys.append(key)
        tables[t].children[key] = child
    }

    func buildTable(_ t: Int, file: String) -> ConfigTable {
        var out = ConfigTable()
        for key in tables[t].keys {
            if let c = tables[t].children[key] { out[key] = build(c, file: file) }
        }
        return out
    }

    func build(_ n: Int, file: String) -> ConfigValue {
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
}

@inline(__always) func ascii(_ c: Unicode.Scalar) -> UInt8 { UInt8(c.value) }

@inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= ascii("0") && b <= ascii("9") }
