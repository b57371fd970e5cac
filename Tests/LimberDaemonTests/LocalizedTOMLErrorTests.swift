import Foundation
import Testing

/// The TOML reader's syntax errors in the user's language: `limberd --check`
/// on broken program files under de_DE, es_ES and the pseudo-locale, with
/// the catalogs compiled from po/. The translated sentence is there, the
/// English one is not, and the place (`file:line:column:`) and the names
/// and characters the message quotes come through unchanged.
@Suite struct LocalizedTOMLErrorTests {
    struct Case: Sendable {
        var name: String
        var text: String
        var at: String
        var english: String
        var german: String
        var spanish: String
        /// What the message quotes from the file: it survives every language.
        var quoted: String
    }

    static let cases: [Case] = [
        Case(name: "after-value", text: "schema = 1\nid = \"a\"\nname = \"A\"\nsummary = \"x\" y\n", at: "4:15",
             english: "TOML syntax error: expected the end of the line after the value, found 'y'",
             german: "TOML-Syntaxfehler: nach dem Wert wird das Zeilenende erwartet, gefunden wurde 'y'",
             spanish: "error de sintaxis TOML: se esperaba el final de la línea después del valor, pero se encontró 'y'",
             quoted: "'y'"),
        // {found} is itself a translated phrase here.
        Case(name: "no-value", text: "schema = 1\nid = \n", at: "2:6",
             english: "expected a value, found the end of the line",
             german: "ein Wert wird erwartet, gefunden wurde das Zeilenende",
             spanish: "se esperaba un valor, pero se encontró el final de la línea",
             quoted: ""),
        Case(name: "no-equals", text: "schema = 1\nexercises.walk name = \"Walk\"\n", at: "2:16",
             english: "expected '=' after the key 'exercises.walk', found 'n'",
             german: "nach dem Schlüssel „exercises.walk“ wird '=' erwartet, gefunden wurde 'n'",
             spanish: "se esperaba '=' después de la clave «exercises.walk», pero se encontró 'n'",
             quoted: "exercises.walk"),
        Case(name: "twice", text: "[reminders.walk]\nevery = \"30m\"\n\n[reminders.walk]\n", at: "4:12",
             english: "table [reminders.walk] is defined twice; the first is on line 1",
             german: "die Tabelle [reminders.walk] ist zweimal definiert; die erste steht in Zeile 1",
             spanish: "la tabla [reminders.walk] está definida dos veces; la primera está en la línea 1",
             quoted: "[reminders.walk]"),
        Case(name: "date", text: "schema = 1\nsince = 2026-02-30\n", at: "2:17",
             english: "the day must be 01 to 28 for 2026-02",
             german: "der Tag muss für 2026-02 zwischen 01 und 28 liegen",
             spanish: "el día debe ser de 01 a 28 para 2026-02",
             quoted: "2026-02"),
        Case(name: "inline-comma", text: "schema = 1\nx = { a = 1, }\n", at: "2:14",
             english: "an inline table can't have a trailing comma",
             german: "eine Inline-Tabelle darf nicht mit einem Komma enden",
             spanish: "una tabla en línea no puede terminar en coma",
             quoted: ""),
        Case(name: "control", text: "schema = 1 # \u{7}\n", at: "1:14",
             english: "control character U+0007 is not allowed in a comment",
             german: "das Steuerzeichen U+0007 ist in einem Kommentar nicht erlaubt",
             spanish: "el carácter de control U+0007 no está permitido en un comentario",
             quoted: "U+0007"),
        Case(name: "bare-word", text: "schema = 1\nname = Walk\n", at: "2:8",
             english: "'Walk' is not a TOML value; a string needs quotes, like \"Walk\"",
             german: "„Walk“ ist kein TOML-Wert; ein Text braucht Anführungszeichen, wie \"Walk\"",
             spanish: "«Walk» no es un valor TOML; un texto necesita comillas, como \"Walk\"",
             quoted: "\"Walk\""),
    ]

    /// The broken files in a fresh folder, and `limberd --check` on all of
    /// them at once under `lang`: each file's one line, by file.
    func check(_ lang: [String: String]) throws -> [String: String] {
        try requirePeer(LocalizedOutputTests.limberd, package: "limberd (run swift build first)")
        let dir = try shortTemporaryDirectory("ltoml")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var paths: [String] = []
        for c in Self.cases {
            let path = dir + "/" + c.name + ".toml"
            try c.text.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let r = try runTool(LocalizedOutputTests.limberd, ["--check"] + paths, environment: try LocalizedOutputTests().env(lang))
        #expect(r.code == 1, "a broken file fails the check: \(r.out) \(r.err)")
        var byFile: [String: String] = [:]
        for line in r.out.split(separator: "\n").map(String.init) {
            for c in Self.cases where line.hasPrefix(dir + "/" + c.name + ".toml:") { byFile[c.name] = line }
        }
        #expect(byFile.count == Self.cases.count, "one line per broken file: \(r.out)")
        return byFile.mapValues { String($0.dropFirst(dir.count + 1)) }
    }

    @Test func theCatalogsHaveBeenCompiled() {
        for lang in ["de", "es"] {
            #expect(FileManager.default.fileExists(atPath: LocalizedOutputTests.localeDir + "/\(lang)/LC_MESSAGES/limber.mo"))
        }
    }

    @Test func englishIsTheOriginal() throws {
        let lines = try check(["LANG": "C.UTF-8"])
        for c in Self.cases {
            let line = lines[c.name] ?? ""
            #expect(line.hasPrefix(c.name + ".toml:" + c.at + ": TOML syntax error: "), "\(line)")
            #expect(line.contains(c.english), "\(line)")
        }
    }

    @Test(arguments: [("de_DE.UTF-8", "TOML-Syntaxfehler: "), ("es_ES.UTF-8", "error de sintaxis TOML: ")])
    func syntaxErrorsSpeakTheLanguage(lang: String, prefix: String) throws {
        let lines = try check(["LANG": lang])
        for c in Self.cases {
            let line = lines[c.name] ?? ""
            let want = lang.hasPrefix("de") ? c.german : c.spanish
            #expect(line.hasPrefix(c.name + ".toml:" + c.at + ": " + prefix), "the place survives: \(line)")
            #expect(line.contains(want), "\(line)")
            #expect(!line.contains(c.english), "\(line)")
            #expect(c.quoted.isEmpty || line.contains(c.quoted), "what the message quotes survives: \(line)")
        }
    }

    /// Under the pseudo-locale every word of every message is accented and
    /// bracketed, the place stays in front, and nothing is cut off.
    @Test func syntaxErrorsAreMarkedUnderThePseudoLocale() throws {
        let lines = try check(["LIMBER_PSEUDO_LOCALE": "1"])
        for c in Self.cases {
            let line = lines[c.name] ?? ""
            #expect(line.hasPrefix(c.name + ".toml:" + c.at + ": ⟦"), "\(line)")
            let message = String(line.dropFirst((c.name + ".toml:" + c.at + ": ").count))
            #expect(PseudoLocaleScreensTests.englishLeft(message).isEmpty, "unmarked text: \(line)")
            #expect(PseudoLocaleScreensTests.truncated(message).isEmpty, "cut off: \(line)")
            #expect(c.quoted.isEmpty || line.contains(c.quoted), "\(line)")
            #expect(!line.contains(c.english), "\(line)")
        }
    }
}
