import Foundation
import LimberGuide
import Testing
import LimberConfig
import Systemd
@testable import LimberCore
@testable import LimberDaemon

/// Text 40 % longer than English (as German often is) and the pseudo-locale
/// in the places a person reads it: the exercise guide in headless
/// Chromium at a phone's width, and a notification limberd sends. Nothing
/// may be cut off or run out of the page (docs/translating.md).
@Suite struct LongTextLayoutTests {
    /// Every text of the program lengthened and accented as the pseudo-locale does.
    static func lengthened(_ p: Program) -> Program {
        let x = Localizer.pseudoText
        var p = p
        p.name = x(p.name); p.summary = x(p.summary); p.disclaimer = x(p.disclaimer)
        p.redFlags = p.redFlags.map(x); p.sources = p.sources.map(x)
        p.exercises = p.exercises.map { e in
            var e = e
            e.name = x(e.name); e.cue = x(e.cue); e.steps = e.steps.map(x); e.cautions = e.cautions.map(x); e.stopIf = e.stopIf.map(x)
            return e
        }
        p.phases = p.phases.map { ph in var ph = ph; ph.name = x(ph.name); ph.summary = x(ph.summary); return ph }
        return p
    }

    /// Run in the page (defines svgCaptionProblems()): every caption
    /// line drawn in a guide picture stays inside its own panel (200 units
    /// wide) and inside the drawing; every panel's caption closes each
    /// bracket it opens (nothing cut off); "captions:N" counts the lines.
    static let svgProbe = """
        <script>
        function svgCaptionProblems() {
          const out = []; let lines = 0;
          document.querySelectorAll('svg').forEach(svg => {
            const vb = svg.viewBox.baseVal, id = svg.closest('section') ? svg.closest('section').id : '?';
            const panels = {};
            svg.querySelectorAll('text').forEach(t => {
              lines++;
              const left = Math.floor(parseFloat(t.getAttribute('x')) / 200) * 200, b = t.getBBox();
              if (b.x < left - 0.5 || b.x + b.width > left + 200.5 || b.y < -0.5 || b.y + b.height > vb.height + 0.5)
                out.push('svgtext:' + id + ':' + Math.round(b.x) + '+' + Math.round(b.width) + ':' + Math.round(b.y + b.height) + '>' + vb.height);
              panels[left] = (panels[left] || '') + t.textContent;
            });
            Object.values(panels).forEach(c => {
              if ((c.match(/⟦/g) || []).length !== (c.match(/⟧/g) || []).length) out.push('svgcut:' + id);
            });
          });
          out.push('captions:' + lines);
          return out;
        }
        </script>
        """

    /// Run in the page: what overflows the window, what is clipped, what bracket is left open.
    static let probe = svgProbe + """
        <script>
        const out = [];
        const doc = document.documentElement;
        if (doc.scrollWidth > window.innerWidth + 1) out.push('page:' + doc.scrollWidth + '>' + window.innerWidth);
        document.querySelectorAll('h1, h2, h3, p, li, nav, section, div').forEach(el => {
          // (A drawing's own captions: svgCaptionProblems.)
          if (!el.querySelector('svg') && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) out.push('clipped:' + el.tagName + ':' + (el.id || el.className));
          const r = el.getBoundingClientRect();
          if (r.right > window.innerWidth + 1) out.push('outside:' + el.tagName + ':' + Math.round(r.right));
        });
        out.push(...svgCaptionProblems());
        const text = document.body.innerText;
        const open = (text.match(/⟦/g) || []).length, close = (text.match(/⟧/g) || []).length;
        out.push('brackets:' + open + ':' + close);
        document.body.setAttribute('data-layout', out.join(' '));
        </script>
        """

    @Test(GuideBrowser.required, arguments: ["sciatica-relief", "desk-basics"])
    func theGuideTakesFortyPercentLongerTextAtAPhonesWidth(program id: String) throws {
        let dir = NSTemporaryDirectory() + "limber-longguide-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = NotificationBodyGoldenTests.configDir
        let (p, _) = ConfigLoader(searchPath: SearchPath(directories: [config]))
            .loadProgram(file: config + "/programs/\(id).toml", id: id, settings: Settings())
        let program = Self.lengthened(try #require(p))
        let page = try Localizer.$scoped.withValue(.pseudo) { try GuideFiles.write(program, directory: dir) }
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("⟦Stöp áñd gét çáré"), "the guide's own words are marked")
        let layout = try GuideBrowser.probe(page, with: Self.probe, attribute: "data-layout", windowSize: "390,844", dir: dir)
        let parts = layout.split(separator: " ").map(String.init)
        let brackets = try #require(parts.first { $0.hasPrefix("brackets:") }).split(separator: ":")
        #expect(Int(brackets[1]) ?? 0 > 20, "\(layout)")
        #expect(brackets[1] == brackets[2], "a text was cut off: \(layout)")
        #expect(parts.filter { !$0.hasPrefix("brackets:") && !$0.hasPrefix("captions:") }.isEmpty, "overflow at 390 px: \(layout)")
        // The pictures' own captions, in the pseudo-locale: sciatica-relief has four (two drawings of two panels).
        let captions = Int(parts.first { $0.hasPrefix("captions:") }?.dropFirst(9) ?? "") ?? -1
        #expect(id != "sciatica-relief" || captions >= 4, "\(layout)")
        #expect(html.contains("aria-label=\"⟦") && html.contains("<title>⟦"), "the pictures' titles are translated")
    }

    /// limberd under the pseudo-locale with a program whose texts are long
    /// German-like words, against the dbusmock notification server: the
    /// summary, the body and every button are whole.
    @Test func aNotificationTakesFortyPercentLongerText() throws {
        let rig = try LimberdOnNotificationMock(settings: "programs = [\"long\"]\nworking_hours = \"00:00-24:00\"\nactive_days = \"daily\"\n")
        defer { rig.stop() }
        let long = "Oberschenkelrückseitendehnungsübung im Sitzen mit Unterstützung"
        try rig.writeProgram("long", """
            schema = 1
            id = "long"
            name = "Langform"
            disclaimer = "Keine medizinische Beratung."

            [exercises.stretch]
            name = "\(long)"
            category = "stretch"
            position = "sitting"
            reps = 10
            per_side = true
            cue = "Rücken gerade halten, Schulterblätter zurückziehen, gleichmäßig weiteratmen"
            steps = ["\(long)."]
            stop_if = ["ein Kribbeln oder Taubheitsgefühl bis in den Fuß ausstrahlt"]

            [reminders.move]
            cadence = "interval"
            every = "30m"
            title = "Bewegungsunterbrechungserinnerung für Schreibtischarbeitende"
            exercises = ["stretch"]

            """)
        try rig.startLimberd(arguments: ["--time-scale", "600"], environment: ["LIMBER_PSEUDO_LOCALE": "1"])
        let notify = try rig.waitForNotify(timeout: .seconds(90)).arguments
        let summary = notify[3].stringValue ?? ""
        let body = notify[4].stringValue ?? ""
        let actions = notify[5].stringArrayValue ?? []
        // Under the pseudo-locale the program's texts are lengthened too.
        #expect(summary == Localizer.pseudoText("Bewegungsunterbrechungserinnerung für Schreibtischarbeitende"), "\(summary)")
        #expect(body.contains(Localizer.pseudoText(long)), "the whole name: \(body)")
        #expect(body.contains(Localizer.pseudoText("each side")), "limber's words in the body are marked: \(body)")
        for line in body.split(separator: "\n") {
            #expect(line.filter { $0 == "⟦" }.count == line.filter { $0 == "⟧" }.count, "cut off: \(line)")
        }
        // Labels (every other entry) are whole marked texts.
        let labels = stride(from: 1, to: actions.count, by: 2).map { actions[$0] }
        #expect(!labels.isEmpty)
        for l in labels where !l.isEmpty { #expect(Localizer.isPseudo(l) && l.hasSuffix("⟧"), "button: \(l)") }
    }
}
