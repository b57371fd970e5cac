import Foundation
@testable import LimberCore
import Testing

/// The pseudo-locale covers every string: each msgid (and plural) of
/// po/limber.pot has its pseudo translation, bracketed, accented, 40 %
/// longer and with exactly the original's `{placeholders}`, so a screen
/// under LIMBER_PSEUDO_LOCALE=1 shows every marked text that way. (That
/// every user-facing text is marked is scripts/po-extract --check's part:
/// po/CONVERTED, the l10n tier.)
struct PseudoCatalogTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The msgids and msgid_plurals of a .pot file, unescaped (the header's
    /// empty msgid left out), and how many `msgid` keywords it has.
    static func catalog(_ path: String) throws -> (texts: [String], entries: Int) {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var texts: [String] = []
        var entries = 0
        var current: String?
        func flush() {
            if let c = current, !c.isEmpty { texts.append(c) }
            current = nil
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("msgid ") || line.hasPrefix("msgid_plural ") {
                flush()
                if line.hasPrefix("msgid ") { entries += 1 }
                current = unquote(line.drop { $0 != "\"" })
            } else if line.hasPrefix("\""), current != nil {
                current! += unquote(line)
            } else {
                flush()
            }
        }
        flush()
        return (texts, entries - 1)
    }

    /// A PO string literal's contents: `\"`, `\\`, `\n`, `\t` unescaped.
    static func unquote<S: StringProtocol>(_ s: S) -> String {
        var out = ""
        var escaped = false
        for c in s.dropFirst().dropLast() {
            if escaped {
                out.append(["n": "\n", "t": "\t"][c] ?? c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// `{name}` placeholders, as a sorted list (a repeated one counts each time).
    static func placeholders(_ s: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: "(?<!\\{)\\{[A-Za-z_][A-Za-z0-9_]*\\}")
        let ns = s as NSString
        return regex.matches(in: s, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }.sorted()
    }

    /// Letters of the original outside `{placeholders}` and `<markup>` that
    /// the pseudo-locale should have accented but did not.
    static func unaccented(_ pseudo: String) -> String {
        let outside = pseudo.replacingOccurrences(of: "\\{[A-Za-z_][A-Za-z0-9_]*\\}|<[^>]*>", with: "", options: .regularExpression)
        return String(outside.filter { Localizer.accents[$0] != nil })
    }

    @Test func everyCatalogTextHasItsPseudoTranslation() throws {
        let (texts, entries) = try Self.catalog(Self.repo + "/po/limber.pot")
        #expect(entries > 700, "po/limber.pot read (\(entries) entries)")
        #expect(texts.count >= entries, "every entry's msgid read: \(texts.count) texts for \(entries) entries")
        var problems: [String] = []
        Localizer.$scoped.withValue(.pseudo) {
            for msgid in texts {
                let p = Localizer.current.translate(msgid)
                let body = p.hasSuffix(":") || p.hasSuffix("\n") ? String(p.reversed().drop { $0 == ":" || $0 == "\n" }.reversed()) : p
                if !(body.hasPrefix("⟦") && body.hasSuffix("⟧")) {
                    problems.append("not bracketed: \(msgid.debugDescription) → \(p.debugDescription)")
                }
                if Self.placeholders(p) != Self.placeholders(msgid) {
                    problems.append("placeholders changed: \(msgid.debugDescription) → \(p.debugDescription)")
                }
                let left = Self.unaccented(p)
                if !left.isEmpty {
                    problems.append("letters left unaccented (\(left)): \(msgid.debugDescription) → \(p.debugDescription)")
                }
                let letters = msgid.replacingOccurrences(of: "\\{[A-Za-z_][A-Za-z0-9_]*\\}|<[^>]*>", with: "", options: .regularExpression).count
                if p.count - msgid.count < (letters * 4 + 9) / 10 {
                    problems.append("not 40 % longer: \(msgid.debugDescription) → \(p.debugDescription)")
                }
                // Filled in, it still reads as one pseudo text with the values in it.
                let names = Self.placeholders(msgid).map { String($0.dropFirst().dropLast()) }
                let values = Dictionary(names.map { ($0, "VALUE_" + $0) }, uniquingKeysWith: { a, _ in a })
                var filled = p
                for (k, v) in values { filled = filled.replacingOccurrences(of: "{" + k + "}", with: v) }
                if names.contains(where: { !filled.contains("VALUE_" + $0) }) {
                    problems.append("a value would be lost: \(msgid.debugDescription) → \(p.debugDescription)")
                }
            }
        }
        let report = problems.prefix(20).joined(separator: "\n")
        #expect(problems.isEmpty, "\(problems.count) catalog texts the pseudo-locale does not cover:\n\(report)")
    }

    /// The check fails on what it is for: a text the pseudo-locale would
    /// leave partly English (a stray brace swallowing the rest).
    @Test func theCheckFindsAnUncoveredText() {
        Localizer.$scoped.withValue(.pseudo) {
            let p = Localizer.current.translate("a lone { brace then more words")
            #expect(!Self.unaccented(p).isEmpty, "\(p)")
            #expect(Self.unaccented(Localizer.current.translate("expected ',' or '}' here, found {found}")).isEmpty)
        }
        #expect(Self.placeholders("{a} and {{b}} and {c}") == ["{a}", "{c}"])
    }
}
