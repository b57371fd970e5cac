import Foundation
import LimberCore
import Testing
@testable import LimberHistory

/// The month of outcomes plus two weeks of check-ins moving up the leg.
func reportFixture(_ dir: TempDir) throws -> (store: HistoryStore, html: String) {
    let store = try MonthGenerator.store(in: dir)
    let reaches: [LegReach] = [.foot, .calf, .calf, .knee, .knee, .thigh, .thigh, .buttock]
    for (i, r) in reaches.enumerated() {
        _ = store.checkIn(CheckIn(at: t(day: 15 + 2 * i, hour: 8), pain: 8 - i / 2, reach: r,
                                  redFlags: i == 3 ? [.footDrop] : [], note: i == 0 ? "<script>alert('x')</script> & \"worse\"" : ""))
    }
    return (store, try store.htmlReport(period: .month, now: MonthGenerator.now, timeZone: utc))
}

@Suite struct HTMLReportTests {
    @Test func thePageHoldsBothChartsTheTablesAndTheDisclaimer() throws {
        let dir = TempDir()
        let (_, html) = try reportFixture(dir)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg id=\"adherence-chart\""))
        #expect(html.contains("<svg id=\"pain-chart\""))
        // One bar segment per non-zero count per day: 30 days, never more than 4 each.
        let bars = html.components(separatedBy: "<rect class=\"bar ").count - 1
        #expect(bars > 30 && bars <= 120)
        #expect(html.contains("<polyline class=\"pain-line\""))
        #expect(html.contains("<polyline class=\"reach-line\""))
        #expect(html.components(separatedBy: "<circle class=\"pain-point\"").count - 1 == 8)
        #expect(html.contains("class=\"red-flag\""))
        #expect(html.contains("<table id=\"rules\">"))
        #expect(html.contains("<td>sciatica-relief/press-ups</td><td>121</td><td>105</td><td>81</td><td>77%</td>"))
        #expect(html.contains("centralizing"))
        #expect(html.contains("not medical advice"))
    }

    @Test func thePageIsSelfContainedAndEscapesUserText() throws {
        let dir = TempDir()
        let (_, html) = try reportFixture(dir)
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;worse&quot;"))
        for needle in ["src=", "href=", "url(", "@import", "<link", "<img", "<iframe"] {
            #expect(!html.contains(needle), "the page loads something: \(needle)")
        }
        // The only URL is the SVG namespace.
        let urls = html.components(separatedBy: "http").count - 1
        #expect(urls == html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1)
    }

    @Test func anEmptyHistoryStillDrawsBothCharts() throws {
        let dir = TempDir()
        let store = try freshStore(dir)
        let html = try store.htmlReport(period: .week, now: t(), timeZone: utc)
        #expect(html.contains("<svg id=\"adherence-chart\""))
        #expect(html.contains("No reminders in this period"))
        #expect(html.contains("No check-ins in this period"))
        #expect(html.contains("Not enough check-ins"))
    }

    /// A flag chosen in the check-in notification (a red_flag_event with no
    /// check-in row) is listed with the others, in date order, at the top.
    @Test func redFlagsFromTheNotificationAreListedWithTheirDates() throws {
        let dir = TempDir()
        let (store, _) = try reportFixture(dir)
        try store.record(RedFlagEvent(at: t(day: 20, hour: 9, minute: 30), kind: .raised, flags: [.saddleNumbness], source: "notification"))
        try store.record(RedFlagEvent(at: t(day: 21, hour: 9), kind: .cleared, flags: [.saddleNumbness], source: "notification"))
        // Raised from limberctl: its check-in row is already listed.
        try store.record(RedFlagEvent(at: t(day: 21, hour: 8), kind: .raised, flags: [.footDrop], source: "cli"))
        let html = try store.htmlReport(period: .month, now: MonthGenerator.now, timeZone: utc)
        let start = try #require(html.range(of: "<ul class=\"flag\">"))
        let end = try #require(html.range(of: "</ul>", range: start.upperBound..<html.endIndex))
        let items = html[start.upperBound..<end.lowerBound].components(separatedBy: "<li>").dropFirst()
            .map { $0.replacingOccurrences(of: "</li>\n", with: "") }
        #expect(items.count == 2, "\(items)")
        #expect(items.first == "2025-03-21 09:30: numbness in the saddle area (groin, buttocks, inner thighs) (chosen in the check-in notification)",
                "\(items)")
        #expect(items.last?.hasPrefix("2025-03-22 08:00: foot drop") == true && items.last?.hasSuffix("(pain 7/10)") == true, "\(items)")
        #expect(html.range(of: "id=\"red-flags\"")!.lowerBound < html.range(of: "<h2>Reminders per day</h2>")!.lowerBound)
    }

}
