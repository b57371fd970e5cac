import Foundation
import LimberGuide
import Testing
import LimberConfig
@testable import LimberCore
@testable import LimberDaemon
import LimberNotifications

/// The exercise guide in headless Chromium (Debian package `chromium`):
/// the red flags come first, and every shipped exercise has its section
/// with steps and a drawn picture (shapes with real boxes, not an empty
/// SVG). Skipped without Chromium, except in CI (`CI` set).
@Suite(GuideBrowser.required)
struct GuideChromiumTests {
    static let probe = """
        <script>
        const out = [];
        const flags = document.getElementById('red-flags');
        const first = document.querySelector('section.exercise');
        out.push('redflags-first:' + (flags && first && flags.getBoundingClientRect().top < first.getBoundingClientRect().top));
        document.querySelectorAll('section.exercise').forEach(s => {
          const svg = s.querySelector('svg');
          let drawn = 0, w = 0;
          if (svg) {
            w = Math.round(svg.getBoundingClientRect().width);
            svg.querySelectorAll('line, polyline, path, circle').forEach(e => { const b = e.getBBox(); if (b.width > 0 || b.height > 0) drawn++; });
          }
          out.push(s.id + ':' + w + ':' + drawn + ':' + s.querySelectorAll('ol.steps li').length);
        });
        document.body.setAttribute('data-rendered', out.join(' '));
        </script>
        """

    @Test(arguments: ["sciatica-relief", "desk-basics"])
    func everyExerciseHasItsSectionStepsAndAPictureInChromium(program id: String) throws {
        let dir = NSTemporaryDirectory() + "limber-guide-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = NotificationBodyGoldenTests.configDir
        let (p, _) = ConfigLoader(searchPath: SearchPath(directories: [config]))
            .loadProgram(file: config + "/programs/\(id).toml", id: id, settings: Settings())
        let program = try #require(p)
        let page = try GuideFiles.write(program, directory: dir)
        let rendered = try GuideBrowser.probe(page, with: Self.probe, attribute: "data-rendered", dir: dir)
        let parts = rendered.split(separator: " ").map(String.init)
        #expect(parts.first == "redflags-first:true", "\(rendered)")
        var sections: [String: [Int]] = [:]
        for part in parts.dropFirst() {
            let f = part.split(separator: ":")
            sections[String(f[0])] = f.dropFirst().map { Int($0) ?? 0 }
        }
        for e in program.exercises {
            let s = try #require(sections[GuideHTML.anchor(e.id)], "no section for \(e.id): \(rendered)")
            #expect(s[2] == e.steps.count, "\(e.id): steps")
            if Illustrations.svg(for: e.id) != nil {
                #expect(s[0] >= 300, "\(e.id): picture \(s[0]) px wide")
                #expect(s[1] >= 5, "\(e.id): only \(s[1]) shapes drawn")
            }
        }
        // Every shipped sciatica exercise has a picture.
        if id == "sciatica-relief" {
            for e in program.exercises { #expect(Illustrations.svg(for: e.id) != nil, "\(e.id) has no drawing") }
        }

        // A screenshot of the page: red flags, phases, the first exercises with their pictures.
        try GuideBrowser.screenshot(page, dir: dir, keepAs: "guide-\(id)")
    }
}

/// `limberctl guide` finds a program or an exercise, and the guide opens at it.
@Suite struct GuideLookupTests {
    @Test func aProgramAnExerciseOrBothNameWhatToOpen() throws {
        let config = NotificationBodyGoldenTests.configDir
        let (p, _) = ConfigLoader(searchPath: SearchPath(directories: [config]))
            .loadProgram(file: config + "/programs/sciatica-relief.toml", id: "sciatica-relief", settings: Settings())
        let programs = [try #require(p)]
        #expect(GuideFiles.find([], in: programs)?.0.id == "sciatica-relief")
        #expect(GuideFiles.find(["press-up"], in: programs)?.1 == "press-up")
        #expect(GuideFiles.find(["sciatica-relief", "slump-glide"], in: programs)?.1 == "slump-glide")
        #expect(GuideFiles.find(["nope"], in: programs) == nil)
        let dir = NSTemporaryDirectory() + "limber-guide-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let jump = try GuideFiles.write(programs[0], exercise: "press-up", directory: dir)
        #expect(try String(contentsOfFile: jump, encoding: .utf8).contains("url=sciatica-relief.html#exercise-press-up"))
        let html = try String(contentsOfFile: dir + "/sciatica-relief.html", encoding: .utf8)
        // Red flags before the exercises; text from the file escaped.
        let flags = try #require(html.range(of: "id=\"red-flags\""))
        let firstExercise = try #require(html.range(of: "<section class=\"exercise\""))
        #expect(flags.lowerBound < firstExercise.lowerBound)
        #expect(html.contains("emergency department now"))
        #expect(!html.contains("<script"))
    }

    @Test func theHowToActionAndABodyClickOpenTheGuideAndAnswerNothing() {
        #expect(NotificationAction(rawValue: "howto")?.opensGuide == true)
        #expect(NotificationAction(rawValue: "default")?.answer == nil)
        #expect(NotificationAction(rawValue: "howto")?.answer == nil)
    }
}
