import Foundation
import Testing
@testable import LimberConfig

/// The examples in docs/program-format.md are real: they load, and print what the page says.
@Suite struct DocumentationExampleTests {
    let doc = try! String(contentsOfFile: shippedConfigDir + "/../docs/program-format.md", encoding: .utf8)

    /// The body of the first fenced block of `language` after `heading`.
    func block(after heading: String, language: String) -> String {
        let start = doc.range(of: heading)!.upperBound
        let open = doc.range(of: "```\(language)\n", range: start..<doc.endIndex)!
        let close = doc.range(of: "```", range: open.upperBound..<doc.endIndex)!
        return String(doc[open.upperBound..<close.lowerBound])
    }

    @Test func theCompleteExampleChecksAndPrintsTheDocumentedLine() {
        let dir = TempDir()
        let path = dir.write("my-back.toml", block(after: "## A complete example", language: "toml"))
        let report = ConfigLoader(searchPath: SearchPath(directories: [])).check(paths: [path])
        #expect(report.diagnostics.map(\.description) == [])
        let printed = block(after: "`limberd --check` on it prints:", language: "").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(report.lines == [printed])
    }

    @Test func theDropInExampleAppliesToTheShippedProgram() throws {
        let user = TempDir()
        user.write("programs/sciatica-relief.toml.d/10-mine.toml",
                   block(after: "So to make the sciatica sit-break", language: "toml"))
        let result = ConfigLoader(searchPath: SearchPath(directories: [user.path, shippedConfigDir])).loadAll()
        #expect(result.diagnostics.map(\.description) == [])
        let p = try #require(result.configuration?.program("sciatica-relief"))
        #expect(p.reminders.first { $0.id == "sit-break" }?.cadence == .sitBreak(after: .minutes(30), naturalBreak: .minutes(5)))
        #expect(!p.reminders.contains { $0.id == "press-ups" })
        #expect(p.reminders.last?.id == "lunch-walk")
        #expect(p.phases.first?.days == 14)
    }
}

/// The worked example in docs/program-format.md is the files in
/// examples/clinician (which ClinicianScenarioTests runs), word for word.
@Suite struct ClinicianDocumentationTests {
    let doc = try! String(contentsOfFile: shippedConfigDir + "/../docs/program-format.md", encoding: .utf8)

    func block(after heading: String) -> String {
        let start = doc.range(of: heading)!.upperBound
        let open = doc.range(of: "```toml\n", range: start..<doc.endIndex)!
        let close = doc.range(of: "```", range: open.upperBound..<doc.endIndex)!
        return String(doc[open.upperBound..<close.lowerBound])
    }

    @Test func theWorkedExampleIsTheExampleFiles() throws {
        let dir = shippedConfigDir + "/../examples/clinician/"
        #expect(block(after: "`~/.config/limber/programs/clinic-back.toml`, the clinician's file:")
                == (try String(contentsOfFile: dir + "programs/clinic-back.toml", encoding: .utf8)))
        #expect(block(after: "`~/.config/limber/limber.toml`, the person's settings:")
                == (try String(contentsOfFile: dir + "limber.toml", encoding: .utf8)))
        #expect(block(after: "`~/.config/limber/programs/clinic-back.toml.d/50-mine.toml`, the person's")
                == (try String(contentsOfFile: dir + "programs/clinic-back.toml.d/50-mine.toml", encoding: .utf8)))
    }
}
