import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import LimberAPI
@testable import LimberDaemon
import Systemd

/// What docs/org.limber.Limber1.xml declares.
final class InterfaceDocument: NSObject, XMLParserDelegate {
    struct Member { var inSig = ""; var outSig = "" }
    var methods: [String: Member] = [:]
    var methodOrder: [String] = []
    var signals: [String: String] = [:]
    var properties: [String: (type: String, access: String)] = [:]
    var propertyOrder: [String] = []
    private var current: (kind: String, name: String)?

    init(path: String) throws {
        super.init()
        let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: path)))
        parser.delegate = self
        guard parser.parse() else { throw InterfaceError(description: "cannot parse \(path): \(String(describing: parser.parserError))") }
    }

    struct InterfaceError: Error, CustomStringConvertible { var description: String }

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch element {
        case "method":
            let name = attributes["name"] ?? ""
            current = ("method", name)
            methods[name] = Member()
            methodOrder.append(name)
        case "signal":
            let name = attributes["name"] ?? ""
            current = ("signal", name)
            signals[name] = ""
        case "property":
            let name = attributes["name"] ?? ""
            properties[name] = (attributes["type"] ?? "", attributes["access"] ?? "")
            propertyOrder.append(name)
        case "arg":
            guard let c = current else { return }
            let type = attributes["type"] ?? ""
            if c.kind == "signal" { signals[c.name, default: ""] += type }
            else if attributes["direction"] == "out" { methods[c.name]?.outSig += type }
            else { methods[c.name]?.inSig += type }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        if element == "method" || element == "signal" { current = nil }
    }
}

let interfaceDocumentPath = repositoryRoot + "/docs/org.limber.Limber1.xml"

@Suite struct APIInterfaceTests {
    /// docs/org.limber.Limber1.xml holds, verbatim, the <interface> element
    /// generated from the table (LimberAPI's APITable.swift) that limberd serves.
    @Test func committedXMLIsTheGeneratedInterface() throws {
        let xml = try String(contentsOfFile: interfaceDocumentPath, encoding: .utf8)
        let start = try #require(xml.range(of: " <interface name=\"org.limber.Limber1\">"))
        let end = try #require(xml.range(of: " </interface>"))
        let chunk = String(xml[start.lowerBound..<end.upperBound])
        if chunk != LimberInterface.xml, ProcessInfo.processInfo.environment["LIMBER_REGENERATE_INTERFACE"] == "1" {
            let regenerated = xml.replacingCharacters(in: start.lowerBound..<end.upperBound, with: LimberInterface.xml)
            try regenerated.write(toFile: interfaceDocumentPath, atomically: true, encoding: .utf8)
        }
        #expect(chunk == LimberInterface.xml,
                "the API table changed: LIMBER_REGENERATE_INTERFACE=1 scripts/test --only swift -- --filter APIInterfaceTests")
    }

    /// The XML parses back to the table's methods, signatures, signals and
    /// properties (the generator leaves nothing out).
    @Test func methodTableMatchesTheXML() throws {
        let doc = try InterfaceDocument(path: interfaceDocumentPath)
        #expect(doc.methodOrder == LimberInterface.methods.map(\.name))
        for m in LimberInterface.methods {
            let declared = try #require(doc.methods[m.name], "\(m.name) is not in the XML")
            #expect(declared.inSig == m.inSignature, "\(m.name) in")
            #expect(declared.outSig == m.outSignature, "\(m.name) out")
        }
        #expect(Set(LimberInterface.methods.map(\.name)).count == LimberInterface.methods.count, "a method is declared twice")
        #expect(doc.propertyOrder == LimberInterface.propertyNames)
        #expect(doc.properties.values.allSatisfy { $0.access == "read" })
        #expect(Set(doc.signals.keys) == Set(LimberInterface.signals.map(\.name)))
        for s in LimberInterface.signals { #expect(doc.signals[s.name] == s.args.map(\.type).joined(), "\(s.name)") }
    }

    /// Every declared method has exactly one handler in limberd, and every
    /// handler answers a declared method: a method cannot be declared (and
    /// put in the XML, and called by limberctl) without limberd serving it.
    @Test func everyDeclaredMethodHasExactlyOneHandler() {
        for m in LimberInterface.methods {
            let bound = ControlAPI.handlers.filter { $0.method.name == m.name }
            #expect(bound.count == 1, "\(m.name) has \(bound.count) handlers")
            #expect(bound.allSatisfy { $0.method == m }, "\(m.name)'s handler is bound to another declaration")
        }
        for h in ControlAPI.handlers {
            #expect(LimberInterface.methods.contains(h.method), "\(h.method.name) has a handler but is not declared")
        }
        #expect(ControlAPI.served.map(\.method) == LimberInterface.methods, "registration order is the XML's")
    }

    /// A method added to the table is served, with its arguments checked,
    /// without touching anything else: the generator and the registration
    /// both read the one table (here a table of one extra method).
    @Test func generatorWritesEveryPartOfAMethod() {
        let m = APIMethod("Today", doc: "What is planned.\nFor today.", in: [.init("day", "s")],
                          out: [.init("plan", "aa{sv}")])
        let xml = LimberInterface.generate(methods: [m], signals: [], properties: [APIProperty("X", "u")])
        #expect(xml.contains("""
              <!-- What is planned.
                   For today. -->
              <method name="Today">
               <arg name="day" type="s" direction="in"/>
               <arg name="plan" type="aa{sv}" direction="out"/>
              </method>
            """))
        #expect(xml.contains("<property name=\"X\" type=\"u\" access=\"read\"/>"))
    }

    /// Property values have the types the XML declares.
    @Test func propertyTypesMatchTheXML() throws {
        let doc = try InterfaceDocument(path: interfaceDocumentPath)
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        let all = try world.connect().call(destination: LimberBus.name, path: LimberBus.path, interface: "org.freedesktop.DBus.Properties",
                                           member: "GetAll", arguments: [.string(LimberBus.interface)])
        let dict = try #require(all.first?.stringKeyedDict)
        #expect(Set(dict.keys) == Set(doc.propertyOrder))
        for (name, value) in dict {
            #expect(value.unwrapped.signature == doc.properties[name]?.type, "\(name)")
        }
        // Introspection serves the committed interface.
        let served = try world.connect().call(destination: LimberBus.name, path: LimberBus.path,
                                              interface: "org.freedesktop.DBus.Introspectable", member: "Introspect")
        #expect(served.first?.stringValue?.contains(LimberInterface.xml) == true)
    }

    @Test func errorNamesAreDocumented() throws {
        let api = try String(contentsOfFile: repositoryRoot + "/docs/api.md", encoding: .utf8)
        for name in [LimberBus.ErrorName.noSuchReminder, LimberBus.ErrorName.noSuchProgram, LimberBus.ErrorName.invalidDuration,
                     LimberBus.ErrorName.invalidTime, LimberBus.ErrorName.invalidArgument, LimberBus.ErrorName.configInvalid,
                     LimberBus.ErrorName.snoozeLimitReached, LimberBus.ErrorName.historyUnavailable, LimberBus.ErrorName.failed] {
            #expect(api.contains(name), "\(name) is not in docs/api.md")
        }
        for m in LimberInterface.methods { #expect(api.contains("`\(m.name)"), "\(m.name) is not in docs/api.md") }
        for p in LimberInterface.propertyNames { #expect(api.contains("`\(p)`"), "\(p) is not in docs/api.md") }
    }
}
