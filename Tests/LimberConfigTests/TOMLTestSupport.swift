@testable import LimberConfig

/// Parses TOML and renders the tree compactly for assertions, or the error
/// as `line:column: message` (without the "TOML syntax error: " prefix).
///
/// Tables are `{k=v, ...}` in written order, strings are quoted with Swift
/// escapes, floats carry an `f` (`f1.5`, `finf`, `fnan`), dates and times a
/// `d` (`d1979-05-27`); keys that are not bare are quoted.
func toml(_ text: String) -> String {
    toml(utf8: Array(text.utf8))
}

func toml(utf8 bytes: [UInt8]) -> String {
    switch TOMLDocument.parse(utf8: bytes, file: "t.toml") {
    case .success(let doc): render(doc.root)
    case .failure(let d): "\(d.line):\(d.column): " + d.message.replacingOccurrences(of: "TOML syntax error: ", with: "")
    }
}

/// Just the position of the error, or the rendered tree when there is none.
func tomlErrorPosition(_ text: String) -> String {
    let r = toml(text)
    return r.first == "{" ? r : String(r.prefix { $0 != " " }.dropLast())
}

func render(_ t: ConfigTable) -> String {
    "{" + t.entriesInOrder.map { renderKey($0.key) + "=" + render($0.value) }.joined(separator: ", ") + "}"
}

func renderKey(_ k: String) -> String {
    !k.isEmpty && k.utf8.allSatisfy(TOMLReader.isBareKey) ? k : k.debugDescription
}

func render(_ v: ConfigValue) -> String {
    switch v.kind {
    case .string(let s): s.debugDescription
    case .integer(let i): "\(i)"
    case .float(let d): "f\(d)"
    case .bool(let b): "\(b)"
    case .dateTime(let s): "d" + s
    case .array(let a): "[" + a.map(render).joined(separator: ", ") + "]"
    case .table(let t): render(t)
    }
}
