import Testing
@testable import LimberConfig

/// A table header with no name (`[` alone, `[ # note`, `[[` at the end of the
/// file: a file saved mid-edit) is a positioned syntax error. It used to
/// abort limberd: toml++ inside TOMLKit asserts (and in a release build
/// assumes) that a key follows the `[`. Found by fuzz/FuzzProgram.
@Suite struct TableHeaderWithoutNameTests {
    func error(_ text: String) -> String? {
        switch TOMLDocument.parse(text, file: "p.toml") {
        case .success: nil
        case .failure(let d): d.description
        }
    }

    @Test(arguments: [
        ("[", "p.toml:1:1"),
        ("[ ", "p.toml:1:1"),
        ("[ # a note\n", "p.toml:1:1"),
        ("[#", "p.toml:1:1"),
        ("[[", "p.toml:1:1"),
        ("[[ # x\nname = 1\n", "p.toml:1:1"),
        ("name = \"x\"\n\n  [\n", "p.toml:3:3"),
        ("name = \"x\"\n[]\n", "p.toml:2:1"),
        ("a = \"\"\"\n[\n\"\"\"\n[ # x\n", "p.toml:4:1"),
    ])
    func aHeaderWithoutANameIsAPositionedError(text: String, at: String) throws {
        let e = try #require(error(text), "\(text.debugDescription) was accepted")
        #expect(e.hasPrefix(at + ": "), "\(e)")
        #expect(e.contains("table header"), "\(e)")
    }

    /// The check must not reject valid TOML where a `[` starts a line
    /// inside a value or a string.
    @Test(arguments: [
        "a = [\n  [ 1, 2 ],\n  [ # nested, with a comment\n    3 ],\n]\n",
        "a = \"\"\"\n[\n[[ # not a header\n\"\"\"\n",
        "a = '''\n[ \n'''\n[t]\nb = 1\n",
        "[ \"quoted key\" ]\nb = 1\n",
        "[[ list ]]\nb = 1\n[[list]]\nb = 2\n",
        "x = { y = [ [1], [2] ] }\n[\t'lit' ]\n",
        "s = \"a [ \\\" [\"\n[ok]\n",
    ])
    func validTOMLStillParses(text: String) {
        #expect(error(text) == nil, "\(text.debugDescription): \(error(text) ?? "")")
    }
}
