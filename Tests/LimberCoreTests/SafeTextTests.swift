import Testing
@testable import LimberCore

/// Text from files on its way to a terminal, a status bar or a spreadsheet
/// (issue 12: OSC 52, OSC 0 and CSI 2J in a title came out raw; "Stand &
/// stretch" broke waybar; a note starting "=HYPERLINK(" stayed a formula).
@Suite struct SafeTextTests {
    @Test func terminalTextLosesEveryEscapeAndControl() {
        let title = "Stand\u{1b}]52;c;ZXZpbA==\u{07} up\u{1b}]0;pwned\u{1b}\\\u{1b}[2J\u{9b}31m\u{202e}now\u{7f}\r"
        let clean = SafeText.terminal(title)
        #expect(clean == "Stand]52;c;ZXZpbA== up]0;pwned\\[2J31mnow")
        #expect(!clean.unicodeScalars.contains { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) })
    }

    @Test func newlinesAndTabsStayForLayoutOrBecomeSpaces() {
        #expect(SafeText.terminal("a\tb\nc") == "a\tb\nc")
        #expect(SafeText.terminal("a\tb\nc", layout: false) == "a b c")
        #expect(SafeText.terminal("Sit break — 3 min, à bientôt 🙂") == "Sit break — 3 min, à bientôt 🙂")
    }

    @Test func pangoMarkupIsEscaped() {
        #expect(SafeText.pango("Stand & stretch <b>now</b> 'x' \"y\"") == "Stand &amp; stretch &lt;b&gt;now&lt;/b&gt; &#39;x&#39; &quot;y&quot;")
        #expect(SafeText.pango("a\u{1b}[2Jb") == "a[2Jb")
    }

    @Test(arguments: ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\r=x", "-x"])
    func formulaCellsAreNeutralised(cell: String) {
        #expect(SafeText.csvCell(cell) == "'" + cell)
    }

    @Test(arguments: ["plain note", "-3", "+4", "1=1", "a@b", ""])
    func otherCellsStayAsTheyAre(cell: String) {
        #expect(SafeText.csvCell(cell) == cell)
    }
}
