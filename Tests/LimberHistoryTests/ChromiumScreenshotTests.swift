import Foundation
import Testing
import DesktopPeers
@testable import LimberHistory

/// Headless Chromium (Debian package `chromium`) opens the report: the
/// charts lay out as SVG with real sizes, and a screenshot is taken. The
/// test checks that the page renders and holds its charts, not pixels.
/// Without Chromium it is skipped with the reason, except in CI (`CI` set),
/// where it runs and fails.
enum Chromium {
    static var path: String? { HeadlessChromium.path }

    static var required: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    /// Runs Chromium headless with `args`, stdout to `output`; kills it after `limit`.
    static func run(_ args: [String], output: String, profile: String, limit: Duration = .seconds(120)) throws -> Int32 {
        let r = try HeadlessChromium.run(args, output: output, profile: profile, limit: limit)
        if r.timedOut { Issue.record("chromium did not finish within \(limit)") }
        return r.status
    }
}

@Suite(.enabled(if: Chromium.path != nil || Chromium.required,
                "chromium is not installed (Debian: apt-get install chromium); set CI=1 to make this a failure"))
struct ChromiumScreenshotTests {
    /// The page as the browser lays it out: every chart's size and how
    /// many of its shapes have a non-empty box.
    static let probe = """
        <script>
        const out = [];
        for (const id of ['adherence-chart', 'pain-chart']) {
          const svg = document.getElementById(id);
          if (!(svg instanceof SVGSVGElement)) { out.push(id + ':missing'); continue; }
          const r = svg.getBoundingClientRect();
          let drawn = 0;
          svg.querySelectorAll('rect.bar, polyline, circle').forEach(s => { const b = s.getBBox(); if (b.width > 0 || b.height > 0) drawn++; });
          out.push(id + ':' + Math.round(r.width) + 'x' + Math.round(r.height) + ':' + drawn);
        }
        document.body.setAttribute('data-rendered', out.join(' '));
        </script>
        """

    @Test func theReportRendersWithItsChartsInHeadlessChromium() throws {
        let dir = TempDir("limber-report")
        let (_, html) = try reportFixture(dir)
        let page = dir.file("report.html")
        try html.write(toFile: page, atomically: true, encoding: .utf8)
        let probed = dir.file("probe.html")
        try html.replacingOccurrences(of: "</body>", with: Self.probe + "</body>").write(toFile: probed, atomically: true, encoding: .utf8)

        // 1. Layout: the DOM after scripts ran.
        let dom = dir.file("dom.html")
        #expect(try Chromium.run(["--dump-dom", "file://\(probed)"], output: dom, profile: dir.file("profile")) == 0)
        let dumped = try String(contentsOfFile: dom, encoding: .utf8)
        let rendered = try #require(dumped.firstMatch(of: /data-rendered="([^"]*)"/)?.1, "the probe did not run: \(dumped.prefix(300))")
        let charts = Dictionary(uniqueKeysWithValues: rendered.split(separator: " ").map { part -> (String, [String]) in
            let f = part.split(separator: ":").map(String.init)
            return (f[0], Array(f.dropFirst()))
        })
        // The SVGs' own size plus their 1px border.
        #expect(charts["adherence-chart"]?.first == "722x242", "\(rendered)")
        #expect(charts["pain-chart"]?.first == "722x322", "\(rendered)")
        #expect(Int(charts["adherence-chart"]?.last ?? "") ?? 0 > 30, "adherence bars drawn: \(rendered)")
        // 2 lines and 16 points.
        #expect(Int(charts["pain-chart"]?.last ?? "") ?? 0 >= 18, "pain shapes drawn: \(rendered)")

        // 2. The screenshot of the page itself.
        let png = dir.file("report.png")
        let log = dir.file("screenshot.log")
        #expect(try Chromium.run(["--screenshot=\(png)", "--window-size=1000,1600", "file://\(page)"], output: log,
                                 profile: dir.file("profile")) == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG")
        let bytes = [UInt8](data)
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1000 && height == 1600, "screenshot is \(width)x\(height)")
        // A blank page compresses to a few kB; text, bars and lines do not.
        #expect(data.count > 20_000, "screenshot is only \(data.count) bytes")
        if let keep = ProcessInfo.processInfo.environment["LIMBER_TEST_ARTIFACTS"] {
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            for (from, name) in [(png, "history-report.png"), (page, "history-report.html")] {
                let to = (keep as NSString).appendingPathComponent(name)
                try? FileManager.default.removeItem(atPath: to)
                try FileManager.default.copyItem(atPath: from, toPath: to)
            }
        }
    }
}
