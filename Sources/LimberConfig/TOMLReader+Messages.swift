
/// How the reader names what it found in its error messages.
extension TOMLReader {
    static func dotted(_ path: [String]) -> String {
        path.map { k in
            !k.isEmpty && k.utf8.allSatisfy(isBareKey) ? k : "\"" + k.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }.joined(separator: ".")
    }

    /// What a node is, in words: "it is a string", "it is an inline table".
    func describe(_ n: Int) -> String {
        switch (nodes[n].content, nodes[n].origin) {
        case (.table, .value): "it is an inline table"
        case (.table, _): "it is a table"
        case (.array, .tableArray): "it is an array of tables"
        case (.array, _): "it is an array"
        case (.scalar(let k), _): "it is " + ConfigValue(k, location: SourceLocation(file: "")).typeName
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
        switch (nodes[n].content, nodes[n].origin) {
        case (.table, .value):
            return "can't add to '\(name)': it is an inline table (line \(nodes[n].keyLocation.line)), and those are complete as written"
        case (.array, .value):
            return "can't add to '\(name)': it is an array written as a value (line \(nodes[n].keyLocation.line)), not an array of tables"
        default:
            return "'\(name)' is not a table: \(describe(n)), defined on line \(nodes[n].keyLocation.line)"
        }
    }

    func redefinition(_ n: Int, asHeader: Bool) -> String {
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
