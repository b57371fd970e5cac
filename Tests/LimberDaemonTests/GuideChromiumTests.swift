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

/// The words inside the guide's pictures (the title screen readers say, the
/// step captions drawn under the panels) come from the catalog, escaped for
/// SVG, and a longer caption wraps and makes the drawing taller instead of
/// running into the next panel (the Chromium tests measure it drawn).
@Suite struct GuidePictureTextTests {
    @Test func titlesAndCaptionsAreTranslatedEscapedAndWrapped() throws {
        let long = "Auf den Händen abstützen, die Hüfte bleibt dabei die ganze Zeit unten auf dem Boden liegen"
        let words = [
            "On the elbows": "Ellbogen & <Arme>",
            "On the hands, hips down": long,
            "Prone press-up: first on the elbows, then on the hands with the hips down": "Aufrichten \"in\" Bauchlage",
        ]
        let german = Localizer(translate: { words[$0] ?? $0 }, languages: ["de"])
        let svg = try #require(Localizer.$scoped.withValue(german) { Illustrations.svg(for: "press-up") })
        #expect(svg.contains(">1 Ellbogen &amp; &lt;Arme&gt;</text>"), "\(svg)")
        #expect(!svg.contains("<Arme>"))
        #expect(svg.contains("aria-label=\"Aufrichten &quot;in&quot; Bauchlage\"") && svg.contains("<title>Aufrichten &quot;in&quot; Bauchlage</title>"))
        // The long caption: on more lines (each one a text), all its words kept, the drawing taller.
        let lines = svg.matches(of: /<text class="step" x="([0-9.]+)" y="([0-9.]+)"[^>]*>([^<]*)<\/text>/).map { (Double($0.1)!, Double($0.2)!, String($0.3)) }
        let second = lines.filter { $0.0 >= 200 }
        #expect(second.count >= 2 && second.count <= 3, "\(lines)")
        #expect(second.map(\.2).joined(separator: " ") == "2 " + long)
        #expect(second.allSatisfy { $0.0 == 208 }, "each line starts in its own panel")
        let height = try #require(svg.firstMatch(of: /viewBox="0 0 400 ([0-9.]+)"/).flatMap { Double($0.1) })
        #expect(height > 120 && second.allSatisfy { $0.1 < height }, "the drawing grows to hold the lines: \(height)")
        // A short caption takes one line; a drawing without captions keeps its height.
        let english = try #require(Illustrations.svg(for: "press-up"))
        #expect(english.contains(">1 On the elbows</text>"), "\(english)")
        #expect(try #require(Illustrations.svg(for: "knees-to-chest")).contains("viewBox=\"0 0 200 120\""))
        // A word no line can hold is squeezed to the panel's width, not drawn past it.
        let squeezed = Localizer(translate: { $0 == "On the elbows" ? String(repeating: "W", count: 40) : $0 })
        let tight = try #require(Localizer.$scoped.withValue(squeezed) { Illustrations.svg(for: "press-up") })
        #expect(tight.contains("textLength=\"184\" lengthAdjust=\"spacingAndGlyphs\""), "\(tight)")
    }
}

extension GuidePictureTextTests {
    /// The little page that opens the guide at an exercise speaks the language too.
    @Test func thePageThatOpensTheGuideAtAnExerciseIsInTheLanguage() throws {
        let german = Localizer(translate: { $0 == "Open the guide" ? "Übungsanleitung öffnen" : $0 }, languages: ["de_AT"])
        let dir = NSTemporaryDirectory() + "limber-guide-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let jump = try Localizer.$scoped.withValue(german) {
            try GuideFiles.write(Program(id: "p", name: "P <1>", exercises: [Exercise(id: "e", name: "E", category: .cardio, position: .standing)]), exercise: "e", directory: dir)
        }
        let html = try String(contentsOfFile: jump, encoding: .utf8)
        #expect(html.contains("<html lang=\"de-AT\">") && html.contains(">Übungsanleitung öffnen</a>") && html.contains("<title>P &lt;1&gt;</title>"), "\(html)")
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
