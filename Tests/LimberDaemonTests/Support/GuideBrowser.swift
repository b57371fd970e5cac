import Foundation
import Testing
import DesktopPeers

#if canImport(Glibc)
import Glibc
#endif

/// Headless Chromium (Debian package `chromium`) for the guide's tests
/// (GuideChromiumTests, TranslatedGuideChromiumTests, LongTextLayoutTests):
/// find it, run it bounded, render a page with a probe script and read
/// back what the probe wrote, take a screenshot.
enum GuideBrowser {
    static var path: String? { HeadlessChromium.path }

    /// Runs Chromium headless; returns its stdout. Bounded: killed after 2 minutes.
    static func run(_ args: [String], dir: String) throws -> String {
        let out = dir + "/chromium-\(UUID().uuidString).out"
        if try HeadlessChromium.run(args, output: out, profile: dir + "/profile").timedOut {
            Issue.record("chromium did not finish within 2 minutes")
        }
        return try String(contentsOfFile: out, encoding: .utf8)
    }
}

extension GuideBrowser {
    /// The trait of a test that needs Chromium: skipped without it, except
    /// in CI (`CI` set), where a missing Chromium fails.
    static var required: ConditionTrait {
        .enabled(if: path != nil || ProcessInfo.processInfo.environment["CI"] != nil,
                 "chromium is not installed (Debian: apt-get install chromium)")
    }

    /// Renders `page` (a file in `dir`) with `probe` (a <script>) added at
    /// the end of its body, at `windowSize` ("W,H"; Chromium's default
    /// when nil), and returns the value the probe set in the body's
    /// `attribute`.
    static func probe(_ page: String, with probe: String, attribute: String, windowSize: String? = nil, dir: String) throws -> String {
        let html = try String(contentsOfFile: page, encoding: .utf8)
        let probed = dir + "/probe.html"
        try html.replacingOccurrences(of: "</body>", with: probe + "</body>").write(toFile: probed, atomically: true, encoding: .utf8)
        let dom = try run((windowSize.map { ["--window-size=\($0)"] } ?? []) + ["--dump-dom", "file://\(probed)"], dir: dir)
        guard let start = dom.range(of: " \(attribute)=\""), let end = dom[start.upperBound...].firstIndex(of: "\"") else {
            throw ProbeDidNotRun(dom: String(dom.prefix(300)))
        }
        return String(dom[start.upperBound..<end])
    }

    struct ProbeDidNotRun: Error, CustomStringConvertible {
        let dom: String
        var description: String { "the probe did not run: \(dom)" }
    }

    /// A 900×2400 screenshot of `page`: a PNG of some size; kept as
    /// `keepAs` (with the page when `keepPage`) in $LIMBER_TEST_ARTIFACTS.
    static func screenshot(_ page: String, dir: String, keepAs name: String, keepPage: Bool = false) throws {
        let png = dir + "/guide.png"
        _ = try run(["--screenshot=\(png)", "--window-size=900,2400", "file://\(page)"], dir: dir)
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(data.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]), "not a PNG")
        #expect(data.count > 20_000, "screenshot is only \(data.count) bytes")
        guard let keep = ProcessInfo.processInfo.environment["LIMBER_TEST_ARTIFACTS"] else { return }
        try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: keep + "/\(name).png")
        try FileManager.default.copyItem(atPath: png, toPath: keep + "/\(name).png")
        if keepPage {
            try? FileManager.default.removeItem(atPath: keep + "/\(name).html")
            try? FileManager.default.copyItem(atPath: page, toPath: keep + "/\(name).html")
        }
    }
}
