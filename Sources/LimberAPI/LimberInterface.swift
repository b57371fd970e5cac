// The shapes the control API is declared in (the table itself is in
// APITable.swift), and the introspection XML generated from them. Plain
// values: limberd's ControlAPI serves them, limberctl calls them.

/// One argument of a method or signal: its name and D-Bus type.
public struct APIArgument: Sendable, Hashable {
    public let name: String
    public let type: String
    public init(_ name: String, _ type: String) {
        self.name = name
        self.type = type
    }
}

/// One method of org.limber.Limber1: what it is called, what it takes and
/// answers, and the comment the XML carries. limberd binds a handler to
/// each (ControlAPI.handlers); limberctl calls them by these values.
public struct APIMethod: Sendable, Hashable {
    public let name: String
    /// The comment above the method in the XML; lines separated by "\n".
    public let doc: String
    public let inArgs: [APIArgument]
    public let outArgs: [APIArgument]

    public init(_ name: String, doc: String = "", in inArgs: [APIArgument] = [], out outArgs: [APIArgument] = []) {
        self.name = name
        self.doc = doc
        self.inArgs = inArgs
        self.outArgs = outArgs
    }

    /// The signature of the arguments, e.g. "ts".
    public var inSignature: String { inArgs.map(\.type).joined() }
    /// The signature of the reply.
    public var outSignature: String { outArgs.map(\.type).joined() }
}

/// A signal of org.limber.Limber1: limberd emits it, limberctl watch reads it.
public struct APISignal: Sendable, Hashable {
    public let name: String
    public let doc: String
    public let args: [APIArgument]
    public init(_ name: String, doc: String = "", _ args: [APIArgument]) {
        self.name = name
        self.doc = doc
        self.args = args
    }

    /// The signature of its arguments, e.g. "tsass".
    public var signature: String { args.map(\.type).joined() }
}

/// A read-only property of org.limber.Limber1 (values: limberd's ControlAPI.currentProperties).
public struct APIProperty: Sendable {
    public let name: String
    public let type: String
    public let doc: String
    public init(_ name: String, _ type: String, doc: String = "") {
        self.name = name
        self.type = type
        self.doc = doc
    }
}

/// The `<interface>` element limberd serves for org.limber.Limber1,
/// generated from the table (`methods`, `signals`, `properties`: APITable.swift).
/// docs/org.limber.Limber1.xml holds the same element; a test keeps the two
/// equal (LIMBER_REGENERATE_INTERFACE=1 rewrites the file).
public enum LimberInterface {
    public static let xml: String = generate(methods: methods, signals: signals, properties: properties)

    static func generate(methods: [APIMethod], signals: [APISignal], properties: [APIProperty]) -> String {
        var out = " <interface name=\"\(LimberBus.interface)\">\n"
        func comment(_ doc: String) {
            guard !doc.isEmpty else { return }
            out += "  <!-- " + doc.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n       ") + " -->\n"
        }
        for m in methods {
            comment(m.doc)
            out += "  <method name=\"\(m.name)\">\n"
            for a in m.inArgs { out += "   <arg name=\"\(a.name)\" type=\"\(escape(a.type))\" direction=\"in\"/>\n" }
            for a in m.outArgs { out += "   <arg name=\"\(a.name)\" type=\"\(escape(a.type))\" direction=\"out\"/>\n" }
            out += "  </method>\n"
        }
        out += "\n"
        for s in signals {
            comment(s.doc)
            out += "  <signal name=\"\(s.name)\">\n"
            for a in s.args { out += "   <arg name=\"\(a.name)\" type=\"\(escape(a.type))\"/>\n" }
            out += "  </signal>\n"
        }
        out += "\n"
        comment("All properties are read-only and announced with PropertiesChanged.")
        for p in properties {
            comment(p.doc)
            out += "  <property name=\"\(p.name)\" type=\"\(escape(p.type))\" access=\"read\"/>\n"
        }
        out += " </interface>"
        return out
    }

    private static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            default: out.append(c)
            }
        }
        return out
    }
}
