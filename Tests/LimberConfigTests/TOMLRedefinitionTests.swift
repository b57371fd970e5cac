import Testing
@testable import LimberConfig

/// TOML's rules against defining anything twice: each is an error at the key
/// that redefines (the last key of a header, or the segment of a dotted key
/// that runs into the earlier definition), naming the line of the first.
@Suite struct TOMLRedefinitionTests {
    @Test(arguments: [
        // Keys
        ("a = 1\na = 2", "2:1: 'a' is defined twice; the first is on line 1"),
        ("\"a\" = 1\n'a' = 2", "2:1: 'a' is defined twice; the first is on line 1"),
        ("a = 1\n\"a\" = 2", "2:1: 'a' is defined twice; the first is on line 1"),
        ("x.y.z = 1\nx.y = 2", "2:3: 'x.y' is defined twice; the first is on line 1 (it is a table)"),
        ("[a.b]\nc = 1\n[a]\nb = 2", "4:1: 'a.b' is defined twice; the first is on line 1 (it is a table)"),
        // Tables
        ("[a]\n[a]", "2:2: table [a] is defined twice; the first is on line 1"),
        ("[a]\nx = 1\n[b]\n[a]", "4:2: table [a] is defined twice; the first is on line 1"),
        ("[a]\n[a.b]\n[a]", "3:2: table [a] is defined twice; the first is on line 1"),
        ("[a]\nb = 1\n[a.b]", "3:4: 'a.b' is defined twice; the first is on line 2 (it is an integer)"),
        ("name = \"Mini\"\n[name]\nx = 1", "2:2: 'name' is defined twice; the first is on line 1 (it is a string)"),
        ("a = {}\n[a]", "2:2: 'a' is defined twice; the first is on line 1 (it is an inline table)"),
        // A table defined by dotted keys can't get a header, nor the other way round
        ("a.b = 1\n[a]", "2:2: table [a] is already defined by dotted keys on line 1"),
        ("[t1]\nt2.t3.v = 0\n[t1.t2]", "3:5: table [t1.t2] is already defined by dotted keys on line 2"),
        ("[fruit]\napple.color = 'red'\n[fruit.apple]", "3:8: table [fruit.apple] is already defined by dotted keys on line 2"),
        ("[fruit]\napple.color = 'red'\n[fruit.apple.color]", "3:14: 'fruit.apple.color' is defined twice; the first is on line 2 (it is a string)"),
        ("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", "4:3: can't add to table [a.b.c] with a dotted key: it is defined by its header on line 1"),
        ("[a.b.c.d]\nz = 9\n[a]\nb.c.d.k.t = 1", "4:5: can't add to table [a.b.c.d] with a dotted key: it is defined by its header on line 1"),
        // Not a table
        ("a = 1\na.b = 2", "2:1: 'a' is not a table: it is an integer, defined on line 1"),
        ("a.b = 1\na.b.c = 2", "2:3: 'a.b' is not a table: it is an integer, defined on line 1"),
        ("[[a.b]]\n[a]\nb.y = 2", "3:1: 'a.b' is not a table: it is an array of tables, defined on line 1"),
        // Inline tables are complete as written
        ("a = {b = 1}\n[a.c]", "2:2: can't add to 'a': it is an inline table (line 1), and those are complete as written"),
        ("a = {b = 1}\na.c = 2", "2:1: can't add to 'a': it is an inline table (line 1), and those are complete as written"),
        ("[a]\nb = { c = 1 }\n[a.b.d]", "3:4: can't add to 'a.b': it is an inline table (line 2), and those are complete as written"),
        ("tbl = { fruit = { apple.color = \"red\" }, fruit.apple.texture = { smooth = true } }",
         "1:42: can't add to 'tbl.fruit': it is an inline table (line 1), and those are complete as written"),
        ("a = {x = 1, x = 2}", "1:13: 'a.x' is defined twice; the first is on line 1"),
        // Static arrays are not arrays of tables
        ("a = [1]\n[[a]]", "2:3: [[a]] adds to an array of tables, but it is an array, defined on line 1"),
        ("a = [{b = 1}]\n[[a]]", "2:3: [[a]] adds to an array of tables, but it is an array, defined on line 1"),
        ("a = []\n[a.b]", "2:2: can't add to 'a': it is an array written as a value (line 1), not an array of tables"),
        ("[[a]]\nb = [1]\n[a.b.c]", "3:4: can't add to 'a.b': it is an array written as a value (line 2), not an array of tables"),
        // Arrays of tables and tables don't mix
        ("[[a]]\n[a]", "2:2: 'a' is defined twice; the first is on line 1 (it is an array of tables)"),
        ("[a]\n[[a]]", "2:3: [[a]] adds to an array of tables, but it is a table, defined on line 1"),
    ])
    func redefinitionIsAnErrorAtTheKeyNamingTheFirstLine(_ text: String, _ error: String) {
        #expect(toml(text) == error)
    }

    /// What TOML allows: a header for a table first named only as part of a
    /// longer header; sub-tables under dotted-key tables; each [[element]]
    /// with its own sub-tables.
    @Test(arguments: [
        ("[a.b]\n[a]\nc = 1", "{a={b={}, c=1}}"),
        ("[fruit]\napple.color = 'red'\n[fruit.apple.texture]\nsmooth = true", #"{fruit={apple={color="red", texture={smooth=true}}}}"#),
        ("[[a]]\n[a.b]\n[[a]]\n[a.b]", "{a=[{b={}}, {b={}}]}"),
        ("a.b.c = 1\na.b.d = 2\na.e = 3", "{a={b={c=1, d=2}, e=3}}"),
    ])
    func whatIsNotARedefinition(_ text: String, _ tree: String) {
        #expect(toml(text) == tree)
    }

    @Test func aDuplicateInAProgramIsReportedAtTheKeyWithTheFileName() {
        let (_, d) = parseProgram(minimalProgram() + "[reminders.stand]\ntitle = \"Again\"\n")
        #expect(d == ["17:12: TOML syntax error: table [reminders.stand] is defined twice; the first is on line 6"])
    }
}
