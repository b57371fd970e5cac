import Foundation
import LimberGuide
import Testing
import LimberConfig
@testable import LimberCore
@testable import LimberDaemon

/// The sciatica guide as a German- or Spanish-speaking person opens it:
/// the program read with its companion and the messages from po/LANG.po,
/// rendered in headless Chromium. The red flags come first and say all
/// five in the language, every exercise has its translated steps, every
/// stop rule reads "Hören Sie auf, wenn …" / "Pare si …", no text of the
/// program is left in English, and nothing runs off a narrow (phone-wide)
/// window. The screenshot is kept with LIMBER_TEST_ARTIFACTS
/// (guide-sciatica-relief-LANG.png).
/// Skipped without Chromium, except in CI (`CI` set).
@Suite(.enabled(if: GuideBrowser.path != nil || ProcessInfo.processInfo.environment["CI"] != nil,
                "chromium is not installed (Debian: apt-get install chromium)"))
struct TranslatedGuideChromiumTests {
    /// What the page shows, as JSON in base64 (no quoting trouble in the dumped attribute).
    static let probe = LongTextLayoutTests.svgProbe + """
        <script>
        const flags = document.getElementById('red-flags');
        const first = document.querySelector('section.exercise');
        const out = {
          redFlagsFirst: !!(flags && first && flags.getBoundingClientRect().top < first.getBoundingClientRect().top),
          flags: flags ? [...flags.querySelectorAll('li')].map(li => li.innerText) : [],
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          sections: [...document.querySelectorAll('section.exercise')].map(s => ({
            id: s.id, steps: [...s.querySelectorAll('ol.steps li')].map(li => li.innerText),
            stops: [...s.querySelectorAll('p.stop')].map(p => p.innerText) })),
          text: document.body.innerText,
          lang: document.documentElement.lang,
          headings: [...document.querySelectorAll('h2')].map(h => h.innerText),
          notes: [...document.querySelectorAll('#red-flags p, p.phases')].map(p => p.innerText),
          sources: [...document.querySelectorAll('#sources + ul li')].map(li => li.innerText),
          pictures: svgCaptionProblems(),
          captions: [...document.querySelectorAll('svg text')].map(t => t.textContent),
          titles: [...document.querySelectorAll('svg title')].map(t => t.textContent),
        };
        document.body.setAttribute('data-rendered', btoa(unescape(encodeURIComponent(JSON.stringify(out)))));
        </script>
        """

    struct Rendered: Decodable {
        struct Section: Decodable { var id: String; var steps: [String]; var stops: [String] }
        var redFlagsFirst: Bool
        var flags: [String]
        var overflow: Int
        var sections: [Section]
        var text: String
        var lang: String
        var headings: [String]
        var notes: [String]
        var sources: [String]
        var pictures: [String]
        var captions: [String]
        var titles: [String]
    }

    /// The word for the emergency department in the two "go now" red flags.
    static let emergency = ["de": "Notaufnahme", "es": "urgencias"]

    @Test(arguments: ["de", "es"])
    func theGuideSaysEverythingInTheLanguageAndFitsANarrowWindow(language: String) throws {
        let dir = NSTemporaryDirectory() + "limber-guide-\(language)-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try POCatalog(language: language)
        let stopIf = try #require(catalog.messages["Stop if {condition}"]).replacingOccurrences(of: "{condition}", with: "")
        let english = try ProgramCompanionContentTests.load("sciatica-relief", [])
        let program = try ProgramCompanionContentTests.load("sciatica-relief", [language])
        let page = try Localizer.$scoped.withValue(catalog.localizer) { try GuideFiles.write(program, directory: dir) }
        let html = try String(contentsOfFile: page, encoding: .utf8)
        let probed = dir + "/probe.html"
        try html.replacingOccurrences(of: "</body>", with: Self.probe + "</body>").write(toFile: probed, atomically: true, encoding: .utf8)

        let dom = try GuideBrowser.run(["--window-size=420,1200", "--dump-dom", "file://\(probed)"], dir: dir)
        let encoded = try #require(dom.firstMatch(of: /data-rendered="([^"]*)"/)?.1, "the probe did not run: \(dom.prefix(300))")
        let json = try #require(Data(base64Encoded: String(encoded)), "not base64: \(encoded.prefix(80))")
        let r = try JSONDecoder().decode(Rendered.self, from: json)

        #expect(r.redFlagsFirst)
        // The page's own words are the language's too, and the page says which it is.
        #expect(r.lang == language, "<html lang=\"\(r.lang)\">")
        let headings = ["Stop and get care if you have any of these", "Phases", "Exercises", "Sources"]
        #expect(r.headings == headings.map { catalog.messages[$0] ?? "(\($0) untranslated)" }, "\(r.headings)")
        #expect(Set(r.headings).isDisjoint(with: headings), "English heading: \(r.headings)")
        for english in ["After reporting one", "Generated by limber", "Exercises:", " days)"] {
            #expect(!r.text.contains(english), "still English on the \(language) page: \(english)")
        }
        #expect(r.notes.contains { $0.hasPrefix(catalog.messages["In: {phases}"]!.replacingOccurrences(of: "{phases}", with: "")) })
        #expect(r.flags == program.redFlags, "\(r.flags)")
        #expect(r.sources == program.sources && r.sources != english.sources, "the sources in the language: \(r.sources)")
        // The pictures: titles and captions in the language, every caption inside its panel.
        #expect(r.pictures.filter { !$0.hasPrefix("captions:") }.isEmpty, "\(r.pictures)")
        let caption = try #require(catalog.messages["On the hands, hips down"])
        #expect(r.captions.joined(separator: " ").contains(caption.split(separator: " ").suffix(2).joined(separator: " ")), "\(r.captions)")
        #expect(r.titles.count == program.exercises.count && r.titles.contains(catalog.messages["Knees to chest, lying on the back"] ?? "?"),
                "\(r.titles)")
        #expect(r.flags.count == 5 && r.flags.filter { $0.contains(Self.emergency[language]!) }.count == 2, "\(r.flags)")
        #expect(r.overflow <= 1, "the page is \(r.overflow) px wider than a 420 px window")
        let sections = Dictionary(r.sections.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for e in program.exercises {
            let s = try #require(sections[GuideHTML.anchor(e.id)], "no section for \(e.id)")
            #expect(s.steps == e.steps, "\(e.id): steps")
            #expect(s.stops.count == e.stopIf.count && s.stops.allSatisfy { $0.hasPrefix(stopIf) }, "\(e.id): \(s.stops)")
        }
        // No text of the program is left in English (its sources included).
        for (key, text) in ProgramCompanionContentTests.texts(english) where text.count > 12 {
            #expect(!r.text.contains(text), "still English on the \(language) page: \(key): \(text)")
        }

        let png = dir + "/guide.png"
        _ = try GuideBrowser.run(["--screenshot=\(png)", "--window-size=900,2400", "file://\(page)"], dir: dir)
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(data.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]), "not a PNG")
        #expect(data.count > 20_000, "screenshot is only \(data.count) bytes")
        if let keep = ProcessInfo.processInfo.environment["LIMBER_TEST_ARTIFACTS"] {
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            let to = keep + "/guide-sciatica-relief-\(language).png"
            try? FileManager.default.removeItem(atPath: to)
            try FileManager.default.copyItem(atPath: png, toPath: to)
            try? FileManager.default.removeItem(atPath: keep + "/guide-sciatica-relief-\(language).html")
            try? FileManager.default.copyItem(atPath: page, toPath: keep + "/guide-sciatica-relief-\(language).html")
        }
    }
}
