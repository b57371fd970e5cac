import Foundation
import Testing
@testable import LimberConfig

/// Files that aren't small UTF-8 TOML give one clear diagnostic, never a crash.
@Suite struct BadFileTests {
    func check(_ path: String, maxBytes: Int = TOMLDocument.defaultMaxBytes) -> [String] {
        ConfigLoader(searchPath: SearchPath(directories: []), maxFileBytes: maxBytes).check(paths: [path]).diagnostics.map(\.description)
    }

    @Test func aProgramFileThatIsADirectory() {
        let dir = TempDir()
        let path = dir.mkdir("programs/mini.toml")
        #expect(check(path) == ["\(path):1:1: is a directory, not a TOML file"])
        // and the same on the search path
        dir.write("limber.toml", "programs = [\"mini\"]\n")
        let result = ConfigLoader(searchPath: SearchPath(directories: [dir.path])).loadAll()
        #expect(result.configuration == nil)
        #expect(result.errors.map(\.description) == ["\(path):1:1: is a directory, not a TOML file"])
    }

    @Test func aMissingFile() {
        #expect(check("/nonexistent/limber/programs/x.toml") == ["/nonexistent/limber/programs/x.toml:1:1: no such file"])
    }

    @Test func invalidUTF8PointsAtTheBadByte() {
        let dir = TempDir()
        let path = dir.writeData("programs/mini.toml", Data("name = \"ok\"\nsummary = \"caf".utf8) + Data([0xC3, 0x28]) + Data("\"\n".utf8))
        #expect(check(path) == ["\(path):2:15: is not valid UTF-8 text (a binary file?)"])
    }

    @Test func aBinaryFileWithNULs() {
        let dir = TempDir()
        let path = dir.writeData("programs/mini.toml", Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x00, 0x00, 0x01]))
        #expect(check(path) == ["\(path):1:6: this looks like a binary file (it contains a NUL byte), not TOML"])
    }

    @Test func aHugeFile() {
        let dir = TempDir()
        let path = dir.write("programs/mini.toml", String(repeating: "# padding\n", count: 200))
        #expect(check(path, maxBytes: 1000) == ["\(path):1:1: is too large for a settings or program file (2000 bytes; the limit is 1000)"])
    }

    @Test func aFIFOIsNotReadFrom() throws {
        let dir = TempDir()
        let path = dir.sub("mini.toml")
        #expect(mkfifo(path, 0o600) == 0)
        #expect(check(path) == ["\(path):1:1: is not a regular file"])
    }

    @Test func anUnreadableFileWhenNotRoot() throws {
        // As root, mode 000 is still readable; then the file is simply checked.
        let dir = TempDir()
        let path = dir.write("programs/mini.toml", minimalProgram())
        chmod(path, 0)
        defer { chmod(path, 0o644) }
        let d = check(path)
        if getuid() == 0 {
            #expect(d == [])
        } else {
            #expect(d == ["\(path):1:1: can't be read (permission denied?)"])
        }
    }

    @Test func syntaxErrorsCarryTheirPosition() {
        let dir = TempDir()
        let a = dir.write("a/mini.toml", "schema = 1\nid = \"mini\"\nname = \"unterminated\n")
        #expect(check(a).first?.hasPrefix("\(a):3:21: TOML syntax error: ") == true, "\(check(a))")
        let b = dir.write("b/mini.toml", "schema = 1\n[reminders.x]\ntitle = = 3\n")
        #expect(check(b).first?.hasPrefix("\(b):3:9: TOML syntax error: ") == true, "\(check(b))")
        // A key defined twice: at the second key (TOMLKit said 2:10, the end of its value).
        let c = dir.write("c/mini.toml", "schema = 1\nschema = 2\n")
        #expect(check(c) == ["\(c):2:1: TOML syntax error: 'schema' is defined twice; the first is on line 1"])
    }

    @Test func anEmptyFileIsAProgramWithMissingFields() {
        let dir = TempDir()
        let path = dir.write("mini.toml", "")
        #expect(check(path).filter { !$0.contains("warning") } == [
            "\(path):1:1: the program is missing 'schema'",
            "\(path):1:1: the program is missing 'id'",
            "\(path):1:1: the program is missing 'name'",
            "\(path):1:1: the program is missing 'reminders'",
        ])
    }
}
