import Foundation
import Testing
@testable import LimberConfig

/// Whatever the bytes, the reader returns: a tree or one positioned error.
/// Nesting is capped, encodings are checked, line ends may be CRLF.
@Suite struct TOMLRobustnessTests {
    let cap = TOMLReader.maxDepth

    @Test func nestedArraysAreCappedWithAPositionedError() {
        let ok = "a = " + String(repeating: "[", count: cap) + String(repeating: "]", count: cap)
        #expect(toml(ok).hasPrefix("{a=[[["))
        let deep = "a = " + String(repeating: "[", count: cap + 1) + String(repeating: "]", count: cap + 1)
        #expect(toml(deep) == "1:\(5 + cap): tables and arrays nest too deeply here (more than \(cap) levels)")
        // Far deeper input stops at the same place, without exhausting the stack.
        let huge = "a = " + String(repeating: "[", count: 1_000_000)
        #expect(toml(huge).hasPrefix("1:\(5 + cap): tables and arrays nest too deeply"))
    }

    @Test func nestedInlineTablesAndMixedNestingAreCapped() {
        let deep = "a = " + String(repeating: "{b = ", count: cap + 1) + "1" + String(repeating: "}", count: cap + 1)
        #expect(toml(deep).hasPrefix("1:\(5 + cap * 5): tables and arrays nest too deeply"))
        let mixed = "a = " + String(repeating: "[{b = ", count: 1000)
        #expect(toml(mixed).contains("nest too deeply"))
    }

    @Test func longHeadersAndDottedKeysAreCapped() {
        let header = "[" + Array(repeating: "k", count: cap).joined(separator: ".") + "]"
        #expect(toml(header).hasPrefix("{k={k={k="))
        #expect(toml(header + "\nx = 1") == "2:5: tables and arrays nest too deeply here (more than \(cap) levels)")
        let tooLong = "[" + Array(repeating: "k", count: cap + 1).joined(separator: ".") + "]"
        #expect(toml(tooLong) == "1:\(2 + cap * 2): tables and arrays nest too deeply here (more than \(cap) levels)")
        let dotted = Array(repeating: "k", count: 10_000).joined(separator: ".") + " = 1"
        #expect(toml(dotted) == "1:\(1 + cap * 2): tables and arrays nest too deeply here (more than \(cap) levels)")
        // A value at the deepest level counts too.
        let valueTooDeep = Array(repeating: "k", count: cap).joined(separator: ".") + " = [1]"
        #expect(toml(valueTooDeep).contains("nest too deeply"))
    }

    @Test(arguments: [
        ([0x61, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0x22] as [UInt8], "1:6"),            // a byte that is never UTF-8
        ([0x61, 0x20, 0x3D, 0x20, 0x22, 0xC0, 0x80, 0x22], "1:6"),                 // overlong NUL
        ([0x61, 0x20, 0x3D, 0x20, 0x22, 0xE0, 0x80, 0xAF, 0x22], "1:6"),           // overlong '/'
        ([0x61, 0x20, 0x3D, 0x20, 0x22, 0xED, 0xA0, 0x80, 0x22], "1:6"),           // a surrogate, U+D800
        ([0x61, 0x20, 0x3D, 0x20, 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "1:6"),     // beyond U+10FFFF
        ([0x61, 0x20, 0x3D, 0x20, 0x22, 0xE2, 0x82], "1:6"),                       // cut short at the end
        ([0x61, 0x20, 0x3D, 0x20, 0x22, 0x80, 0x22], "1:6"),                       // a lone continuation byte
        ([0x23, 0x20, 0xC3, 0xA9, 0x0A, 0x62, 0xC3, 0x28], "2:2"),                 // after a valid "é" and a newline
        ([0x61, 0x3D, 0x22, 0xF0, 0x9F, 0x98, 0x80, 0xF8], "1:5"),                 // after a valid 4-byte scalar
    ])
    func invalidUTF8IsAnErrorAtTheBadByte(_ bytes: [UInt8], _ at: String) {
        #expect(toml(utf8: bytes) == at + ": is not valid UTF-8 text (a binary file?)")
    }

    @Test func aNULByteIsABinaryFile() {
        #expect(toml("a = \"x\u{0}\"") == "1:7: this looks like a binary file (it contains a NUL byte), not TOML")
    }

    @Test func crlfLineEndsCountAsOneLineEach() {
        #expect(toml("a = 1\r\nb = [\r\n  2,\r\n]\r\n[t]\r\nc = \"\"\"\r\nx\r\ny\"\"\"\r\n") == #"{a=1, b=[2], t={c="x\ny"}}"#)
        #expect(toml("a = 1\r\n\r\nb = x\r\n") == "3:5: 'x' is not a TOML value; a string needs quotes, like \"x\"")
        #expect(toml("a = 1\r\nb = 2\r") == "2:6: a carriage return must be followed by a newline")
        guard case .success(let doc) = TOMLDocument.parse("[t]\r\nk = 1\r\n", file: "t.toml") else {
            Issue.record("did not parse")
            return
        }
        #expect(doc.root["t"]?.table?["k"]?.location.description == "t.toml:2:5")
    }

    @Test func aByteOrderMarkAtTheStartIsSkippedAndNotCounted() {
        #expect(toml("\u{FEFF}a = 1") == "{a=1}")
        #expect(toml("\u{FEFF}a = x") == "1:5: 'x' is not a TOML value; a string needs quotes, like \"x\"")
        #expect(toml("\u{FEFF}") == "{}")
        // Anywhere else it is just a character, and not one a key may start with.
        #expect(toml("a = 1\n\u{FEFF}b = 2") == "2:1: expected a key, found '\u{FEFF}'")
    }

    @Test func inputsThatAbortedTOMLKitAreOrdinaryErrors() {
        for text in ["[", "[ ", "[ # a note\n", "[#", "[[", "[[ # x\nname = 1\n", "name = \"x\"\n\n  [\n", "a = \"\"\"\n[\n\"\"\"\n[ # x\n"] {
            #expect(toml(text).contains("a table header needs a name"), "\(text.debugDescription) → \(toml(text))")
        }
    }

    /// A small deterministic fuzzer: random edits of the shipped files and
    /// random bytes never crash, and every error is inside the input.
    @Test func randomEditsAndBytesGiveATreeOrAnErrorInsideTheInput() throws {
        let seeds = try ["programs/sciatica-relief.toml", "programs/desk-basics.toml", "limber.toml"].map {
            Array(try String(contentsOfFile: shippedConfigDir + "/" + $0, encoding: .utf8).utf8)
        }
        let alphabet = Array("[]{}\"'=.,#\n\r\t \\abc019-_:+eExTZ\u{FEFF}é".utf8) + [0x00, 0xFF, 0xC3, 0x80]
        var rng = SplitMix64(seed: 0x11AB_E12D)
        var parsed = 0, rejected = 0
        for round in 0..<3_000 {
            var bytes: [UInt8]
            if round % 10 == 0 {
                bytes = (0..<Int(rng.next() % 200)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            } else {
                bytes = seeds[Int(rng.next() % UInt64(seeds.count))]
                for _ in 0..<(1 + rng.next() % 4) {
                    let at = Int(rng.next() % UInt64(bytes.count + 1))
                    switch rng.next() % 3 {
                    case 0: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                    case 1: if at < bytes.count { bytes.remove(at: at) }
                    default: bytes.removeSubrange(at..<min(bytes.count, at + Int(rng.next() % 300)))
                    }
                }
            }
            switch TOMLDocument.parse(utf8: bytes, file: "f.toml") {
            case .success: parsed += 1
            case .failure(let d):
                rejected += 1
                let lines = bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
                #expect(d.line >= 1 && d.line <= lines && d.column >= 1 && !d.message.isEmpty, "\(d) for \(bytes)")
            }
        }
        #expect(parsed > 0 && rejected > 0)
    }

    /// Time grows with the size of the input, not faster: measured, not asserted.
    @Test func bigInputsTakeLinearTime() {
        func measure(_ name: String, _ text: String) {
            let bytes = Array(text.utf8)
            let start = ContinuousClock.now
            let result = TOMLDocument.parse(utf8: bytes, file: "big.toml")
            let elapsed = ContinuousClock.now - start
            if case .failure(let d) = result { Issue.record("\(name): \(d)") }
            print("TOMLRobustnessTests: \(name), \(bytes.count / 1024) KiB, parsed in \(elapsed)")
        }
        for n in [10_000, 40_000] {
            measure("\(n) keys", (0..<n).map { "k\($0) = \"value \($0)\"\n" }.joined())
            measure("\(n)-element array on one line", "a = [" + (0..<n).map(String.init).joined(separator: ", ") + "]\n")
            measure("\(n) [[tables]]", (0..<n).map { "[[t]]\nk = \($0)\n" }.joined())
        }
    }
}

/// A tiny seeded generator so the fuzz test is reproducible.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
