import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
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
    /// The Swift constant is the XML's <interface> element, verbatim.
    @Test func servedInterfaceIsTheCommittedXML() throws {
        let xml = try String(contentsOfFile: interfaceDocumentPath, encoding: .utf8)
        let start = try #require(xml.range(of: " <interface name=\"org.limber.Limber1\">"))
        let end = try #require(xml.range(of: " </interface>"))
        let chunk = String(xml[start.lowerBound..<end.upperBound])
        if chunk != LimberInterface.xml, ProcessInfo.processInfo.environment["LIMBER_REGENERATE_INTERFACE"] == "1" {
            let source = try String(contentsOfFile: repositoryRoot + "/Sources/LimberDaemon/API/LimberInterface.swift", encoding: .utf8)
            let open = try #require(source.range(of: "#\"\"\"\n"))
            let close = try #require(source.range(of: "\n\"\"\"#", options: .backwards))
            let regenerated = source.replacingCharacters(in: open.upperBound..<close.lowerBound, with: chunk)
            try regenerated.write(toFile: repositoryRoot + "/Sources/LimberDaemon/API/LimberInterface.swift", atomically: true, encoding: .utf8)
        }
        #expect(chunk == LimberInterface.xml, "docs/org.limber.Limber1.xml changed: LIMBER_REGENERATE_INTERFACE=1 swift test --filter APIInterfaceTests")
    }

    /// Every method in the XML is implemented with the same signatures, and no other.
    @Test func methodTableMatchesTheXML() throws {
        let doc = try InterfaceDocument(path: interfaceDocumentPath)
        #expect(doc.methodOrder == ControlAPI.methods.map(\.name))
        for m in ControlAPI.methods {
            let declared = try #require(doc.methods[m.name], "\(m.name) is not in the XML")
            #expect(declared.inSig == m.in, "\(m.name) in")
            #expect(declared.outSig == m.out, "\(m.name) out")
        }
        #expect(doc.propertyOrder == ControlAPI.propertyNames)
        #expect(doc.properties.values.allSatisfy { $0.access == "read" })
        #expect(Set(doc.signals.keys) == ["ReminderShown", "ReminderAnswered", "Reloaded"])
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
        for m in ControlAPI.methods { #expect(api.contains("`\(m.name)"), "\(m.name) is not in docs/api.md") }
        for p in ControlAPI.propertyNames { #expect(api.contains("`\(p)`"), "\(p) is not in docs/api.md") }
    }
}
