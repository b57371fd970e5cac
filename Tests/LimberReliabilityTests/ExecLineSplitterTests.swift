import Testing
import LimberPlugins

/// An exec plugin's output, cut into lines: complete lines only, and a line
/// longer than the limit dropped whole. The tail of an overlong line that
/// arrived in a later read used to come through as a line of its own, to be
/// decoded as a message.
@Suite struct ExecLineSplitterTests {
    func lines(_ text: String, chunk: Int, maxLine: Int = 8) -> [String] {
        var s = ExecLineSplitter(maxLine: maxLine)
        let bytes = Array(text.utf8)
        var out: [String] = []
        var i = 0
        while i < bytes.count {
            out += s.feed(Array(bytes[i..<min(i + chunk, bytes.count)])).lines.map { String(decoding: $0, as: UTF8.self) }
            i += chunk
        }
        return out
    }

    @Test(arguments: [1, 3, 7, 100])
    func completeLinesOnly(chunk: Int) {
        #expect(lines("a\nbb\n\nccc", chunk: chunk) == ["a", "bb", ""])
    }

    @Test(arguments: [1, 3, 5, 9, 100])
    func anOverlongLineIsDroppedWholeWhateverTheReads(chunk: Int) {
        // 20 bytes, then a tail that on its own would be a valid short line
        #expect(lines("ok\n0123456789012345{\"a\":1}\nnext\n", chunk: chunk) == ["ok", "next"])
    }

    @Test func theOverlongLinesAreCounted() {
        var s = ExecLineSplitter(maxLine: 4)
        #expect(s.feed(Array("123456\nab\n1234567890".utf8)).overlong == 2)
        #expect(s.feed(Array("\nx\n".utf8)).lines == [Array("x".utf8)])
    }
}
