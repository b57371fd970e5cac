// D-Bus values as plain Swift data, and their (de)serialisation on sd_bus_message.
import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// One D-Bus value with its type. Containers carry their element signatures
/// so that empty arrays and dicts still have a type.
public indirect enum BusValue: Sendable, Hashable {
    case byte(UInt8)                       // y
    case bool(Bool)                        // b
    case int16(Int16)                      // n
    case uint16(UInt16)                    // q
    case int32(Int32)                      // i
    case uint32(UInt32)                    // u
    case int64(Int64)                      // x
    case uint64(UInt64)                    // t
    case double(Double)                    // d
    case string(String)                    // s
    case objectPath(String)                // o
    case signature(String)                 // g
    /// h: a file descriptor. Appending dups it (the caller keeps its fd);
    /// reading yields a fresh dup that the reader owns and must close.
    case unixFD(Int32)
    /// a<T>: `elementSignature` is T, e.g. "s" or "(su)".
    case array(elementSignature: String, [BusValue])
    /// a{KV}: `keySignature` is a basic type, `valueSignature` one complete type.
    case dict(keySignature: String, valueSignature: String, [BusDictEntry])
    /// v
    case variant(BusValue)
    /// (...)
    case structure([BusValue])

    /// The D-Bus signature of this value.
    public var signature: String {
        switch self {
        case .byte: "y"
        case .bool: "b"
        case .int16: "n"
        case .uint16: "q"
        case .int32: "i"
        case .uint32: "u"
        case .int64: "x"
        case .uint64: "t"
        case .double: "d"
        case .string: "s"
        case .objectPath: "o"
        case .signature: "g"
        case .unixFD: "h"
        case .array(let element, _): "a" + element
        case .dict(let key, let value, _): "a{" + key + value + "}"
        case .variant: "v"
        case .structure(let members): "(" + members.map(\.signature).joined() + ")"
        }
    }
}

/// One entry of a D-Bus dict (`{KV}`).
public struct BusDictEntry: Sendable, Hashable {
    public var key: BusValue
    public var value: BusValue
    public init(key: BusValue, value: BusValue) {
        self.key = key
        self.value = value
    }
}

extension Array where Element == BusValue {
    /// The signature of a message body with these values.
    public var busSignature: String { map(\.signature).joined() }
}

// MARK: Convenience constructors and accessors

extension BusValue {
    /// `as`
    public static func strings(_ values: [String]) -> BusValue {
        .array(elementSignature: "s", values.map(BusValue.string))
    }

    /// `a{sv}`, keys sorted for a stable wire order.
    public static func vardict(_ values: [String: BusValue]) -> BusValue {
        .dict(keySignature: "s", valueSignature: "v", values.sorted { $0.key < $1.key }.map {
            BusDictEntry(key: .string($0.key), value: .variant($0.value))
        })
    }

    /// `a{ss}`, keys sorted for a stable wire order.
    public static func stringDict(_ values: [String: String]) -> BusValue {
        .dict(keySignature: "s", valueSignature: "s", values.sorted { $0.key < $1.key }.map {
            BusDictEntry(key: .string($0.key), value: .string($0.value))
        })
    }

    /// The value inside a variant (nested variants unwrapped), else self.
    public var unwrapped: BusValue {
        if case .variant(let inner) = self { return inner.unwrapped }
        return self
    }

    public var stringValue: String? {
        switch unwrapped {
        case .string(let s), .objectPath(let s), .signature(let s): s
        default: nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let b) = unwrapped { return b }
        return nil
    }

    public var doubleValue: Double? {
        if case .double(let d) = unwrapped { return d }
        return nil
    }

    /// Any integer type that fits in Int64 (u/t beyond Int64.max: nil).
    public var int64Value: Int64? {
        switch unwrapped {
        case .byte(let v): Int64(v)
        case .int16(let v): Int64(v)
        case .uint16(let v): Int64(v)
        case .int32(let v): Int64(v)
        case .uint32(let v): Int64(v)
        case .int64(let v): v
        case .uint64(let v): Int64(exactly: v)
        default: nil
        }
    }

    public var uint32Value: UInt32? {
        int64Value.flatMap { UInt32(exactly: $0) }
    }

    /// Elements of an array.
    public var arrayValue: [BusValue]? {
        if case .array(_, let elements) = unwrapped { return elements }
        return nil
    }

    /// Strings of an `as` (nil if any element is not a string).
    public var stringArrayValue: [String]? {
        guard let elements = arrayValue else { return nil }
        var out: [String] = []
        for e in elements {
            guard let s = e.stringValue else { return nil }
            out.append(s)
        }
        return out
    }

    /// A dict with string keys (`a{sv}`, `a{ss}`, ...) as a Swift dictionary;
    /// variant values are kept as `.variant`, use `unwrapped` on them.
    public var stringKeyedDict: [String: BusValue]? {
        guard case .dict(_, _, let entries) = unwrapped else { return nil }
        var out: [String: BusValue] = [:]
        for entry in entries {
            guard let key = entry.key.stringValue else { return nil }
            out[key] = entry.value
        }
        return out
    }

    public var structValue: [BusValue]? {
        if case .structure(let members) = unwrapped { return members }
        return nil
    }
}

// MARK: Writing

private func ascii(_ c: Character) -> CChar { CChar(c.asciiValue!) }

/// Appends `values` to an open message.
func appendValues(_ values: [BusValue], to m: OpaquePointer) throws(SystemdError) {
    for value in values { try appendValue(value, to: m) }
}

private func appendBasic<T>(_ m: OpaquePointer, _ type: Character, _ value: T) throws(SystemdError) {
    var v = value
    let r = withUnsafePointer(to: &v) { sd_bus_message_append_basic(m, ascii(type), $0) }
    try check(r, "sd_bus_message_append_basic '\(type)'")
}

private func appendString(_ m: OpaquePointer, _ type: Character, _ value: String) throws(SystemdError) {
    // For s/o/g, sd-bus wants the char* itself, not a pointer to it.
    let r = value.withCString { sd_bus_message_append_basic(m, ascii(type), $0) }
    try check(r, "sd_bus_message_append_basic '\(type)' \"\(value)\"")
}

private func openContainer(_ m: OpaquePointer, _ type: Character, _ contents: String) throws(SystemdError) {
    let r = contents.withCString { sd_bus_message_open_container(m, ascii(type), $0) }
    try check(r, "sd_bus_message_open_container '\(type)' \"\(contents)\"")
}

private func closeContainer(_ m: OpaquePointer) throws(SystemdError) {
    try check(sd_bus_message_close_container(m), "sd_bus_message_close_container")
}

private func appendValue(_ value: BusValue, to m: OpaquePointer) throws(SystemdError) {
    switch value {
    case .byte(let v): try appendBasic(m, "y", v)
    case .bool(let v): try appendBasic(m, "b", Int32(v ? 1 : 0))  // D-Bus b is a 4-byte int
    case .int16(let v): try appendBasic(m, "n", v)
    case .uint16(let v): try appendBasic(m, "q", v)
    case .int32(let v): try appendBasic(m, "i", v)
    case .uint32(let v): try appendBasic(m, "u", v)
    case .int64(let v): try appendBasic(m, "x", v)
    case .uint64(let v): try appendBasic(m, "t", v)
    case .double(let v): try appendBasic(m, "d", v)
    case .unixFD(let v): try appendBasic(m, "h", v)
    case .string(let v): try appendString(m, "s", v)
    case .objectPath(let v): try appendString(m, "o", v)
    case .signature(let v): try appendString(m, "g", v)
    case .array(let element, let elements):
        try openContainer(m, "a", element)
        for e in elements {
            guard e.signature == element else {
                throw SystemdError(errno: EINVAL, operation: "append array of \(element): element of type \(e.signature)")
            }
            try appendValue(e, to: m)
        }
        try closeContainer(m)
    case .dict(let key, let valueSig, let entries):
        try openContainer(m, "a", "{" + key + valueSig + "}")
        for entry in entries {
            try openContainer(m, "e", key + valueSig)
            try appendValue(entry.key, to: m)
            try appendValue(entry.value, to: m)
            try closeContainer(m)
        }
        try closeContainer(m)
    case .variant(let inner):
        try openContainer(m, "v", inner.signature)
        try appendValue(inner, to: m)
        try closeContainer(m)
    case .structure(let members):
        try openContainer(m, "r", members.busSignature)
        for member in members { try appendValue(member, to: m) }
        try closeContainer(m)
    }
}

// MARK: Reading

/// Reads every remaining value at the current level of `m`, copying strings
/// and dup'ing fds so nothing borrows from the message.
func readValues(from m: OpaquePointer) throws(SystemdError) -> [BusValue] {
    var out: [BusValue] = []
    while let value = try readValue(from: m) { out.append(value) }
    return out
}

private func readBasic<T>(_ m: OpaquePointer, _ type: CChar, _ initial: T) throws(SystemdError) -> T {
    var v = initial
    try check(withUnsafeMutablePointer(to: &v) { sd_bus_message_read_basic(m, type, $0) },
              "sd_bus_message_read_basic '\(UnicodeScalar(UInt8(bitPattern: type)))'")
    return v
}

private func readString(_ m: OpaquePointer, _ type: CChar) throws(SystemdError) -> String {
    var p: UnsafePointer<CChar>?
    try check(sd_bus_message_read_basic(m, type, &p), "sd_bus_message_read_basic string")
    return p.map { String(cString: $0) } ?? ""  // copied: the char* is the message's
}

/// Reads the next value, or nil at the end of the current container.
private func readValue(from m: OpaquePointer) throws(SystemdError) -> BusValue? {
    var type: CChar = 0
    var contentsPointer: UnsafePointer<CChar>?
    let r = try check(sd_bus_message_peek_type(m, &type, &contentsPointer), "sd_bus_message_peek_type")
    if r == 0 { return nil }
    let contents = contentsPointer.map { String(cString: $0) } ?? ""
    switch UInt8(bitPattern: type) {
    case UInt8(ascii: "y"): return .byte(try readBasic(m, type, UInt8(0)))
    case UInt8(ascii: "b"): return .bool(try readBasic(m, type, Int32(0)) != 0)
    case UInt8(ascii: "n"): return .int16(try readBasic(m, type, Int16(0)))
    case UInt8(ascii: "q"): return .uint16(try readBasic(m, type, UInt16(0)))
    case UInt8(ascii: "i"): return .int32(try readBasic(m, type, Int32(0)))
    case UInt8(ascii: "u"): return .uint32(try readBasic(m, type, UInt32(0)))
    case UInt8(ascii: "x"): return .int64(try readBasic(m, type, Int64(0)))
    case UInt8(ascii: "t"): return .uint64(try readBasic(m, type, UInt64(0)))
    case UInt8(ascii: "d"): return .double(try readBasic(m, type, Double(0)))
    case UInt8(ascii: "s"): return .string(try readString(m, type))
    case UInt8(ascii: "o"): return .objectPath(try readString(m, type))
    case UInt8(ascii: "g"): return .signature(try readString(m, type))
    case UInt8(ascii: "h"):
        let borrowed = try readBasic(m, type, Int32(-1))
        let owned = fcntl(borrowed, F_DUPFD_CLOEXEC, 3)
        if owned < 0 { throw SystemdError(errno: errno, operation: "dup received fd") }
        return .unixFD(owned)
    case UInt8(ascii: "a"):
        try enter(m, type, contents)
        if contents.hasPrefix("{") {
            // contents: "{KV}" → key signature is one basic type char.
            let inner = contents.dropFirst().dropLast()
            let key = String(inner.prefix(1))
            let valueSig = String(inner.dropFirst())
            var entries: [BusDictEntry] = []
            while true {
                var t: CChar = 0
                var c: UnsafePointer<CChar>?
                if try check(sd_bus_message_peek_type(m, &t, &c), "sd_bus_message_peek_type") == 0 { break }
                try enter(m, t, String(inner))
                guard let k = try readValue(from: m), let v = try readValue(from: m) else {
                    throw SystemdError(errno: EBADMSG, operation: "read dict entry of \(contents)")
                }
                try exit(m)
                entries.append(BusDictEntry(key: k, value: v))
            }
            try exit(m)
            return .dict(keySignature: key, valueSignature: valueSig, entries)
        }
        let elements = try readValues(from: m)
        try exit(m)
        return .array(elementSignature: contents, elements)
    case UInt8(ascii: "v"):
        try enter(m, type, contents)
        guard let inner = try readValue(from: m) else {
            throw SystemdError(errno: EBADMSG, operation: "read empty variant")
        }
        try exit(m)
        return .variant(inner)
    case UInt8(ascii: "r"):
        try enter(m, type, contents)
        let members = try readValues(from: m)
        try exit(m)
        return .structure(members)
    default:
        throw SystemdError(errno: EBADMSG, operation: "read unsupported D-Bus type '\(UnicodeScalar(UInt8(bitPattern: type)))'")
    }
}

private func enter(_ m: OpaquePointer, _ type: CChar, _ contents: String) throws(SystemdError) {
    try check(contents.withCString { sd_bus_message_enter_container(m, type, $0) },
              "sd_bus_message_enter_container \(contents)")
}

private func exit(_ m: OpaquePointer) throws(SystemdError) {
    try check(sd_bus_message_exit_container(m), "sd_bus_message_exit_container")
}
