import LimberCore
/// A TOML value as limber keeps it: a plain Sendable tree that remembers
/// where every key and value was written, so that a message can point at it.
/// Built by `TOMLReader` (positions come with the parse); merged for drop-ins.
public struct ConfigValue: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case string(String)
        case integer(Int)
        case float(Double)
        case bool(Bool)
        /// A TOML date, time or date-time, as written in TOML form.
        case dateTime(String)
        case array([ConfigValue])
        case table(ConfigTable)
    }

    public var kind: Kind
    /// Where the value starts (for a table: its `[header]`, or the start of the file).
    public var location: SourceLocation
    /// Where its key is written (for array elements, the element itself).
    public var keyLocation: SourceLocation

    public init(_ kind: Kind, location: SourceLocation, keyLocation: SourceLocation? = nil) {
        self.kind = kind
        self.location = location
        self.keyLocation = keyLocation ?? location
    }

    public var string: String? { if case .string(let s) = kind { s } else { nil } }
    public var integer: Int? { if case .integer(let i) = kind { i } else { nil } }
    public var float: Double? { if case .float(let d) = kind { d } else { nil } }
    public var bool: Bool? { if case .bool(let b) = kind { b } else { nil } }
    public var array: [ConfigValue]? { if case .array(let a) = kind { a } else { nil } }
    public var table: ConfigTable? { if case .table(let t) = kind { t } else { nil } }

    /// The TOML type in words, for messages: "a string", "an integer", ...
    public var typeName: String {
        switch kind {
        case .string: tr("a string")
        case .integer: tr("an integer")
        case .float: tr("a number")
        case .bool: tr("a boolean")
        case .dateTime: tr("a date or time")
        case .array: tr("an array")
        case .table: tr("a table")
        }
    }

    /// Deep merge for drop-ins: tables merge key by key; anything else in
    /// `overlay` replaces what was there.
    public func merged(with overlay: ConfigValue) -> ConfigValue {
        guard case .table(let base) = kind, case .table(let over) = overlay.kind else { return overlay }
        var result = self
        result.kind = .table(base.merged(with: over))
        return result
    }
}

/// A TOML table whose keys keep the order in which they were written.
public struct ConfigTable: Sendable, Hashable {
    public private(set) var keys: [String] = []
    private var entries: [String: ConfigValue] = [:]

    public init() {}

    public subscript(key: String) -> ConfigValue? {
        get { entries[key] }
        set {
            if let v = newValue {
                if entries.updateValue(v, forKey: key) == nil { keys.append(key) }
            } else if entries.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// Entries in written order.
    public var entriesInOrder: [(key: String, value: ConfigValue)] {
        keys.map { ($0, entries[$0]!) }
    }

    /// Deep merge; keys new in `overlay` come after the existing ones.
    public func merged(with overlay: ConfigTable) -> ConfigTable {
        var result = self
        for (key, value) in overlay.entriesInOrder {
            if let old = result[key] {
                result[key] = old.merged(with: value)
            } else {
                result[key] = value
            }
        }
        return result
    }
}
