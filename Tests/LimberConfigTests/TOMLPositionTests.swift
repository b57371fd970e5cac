import Testing
@testable import LimberConfig

/// Every key and value knows where it is written: 1-based line and column,
/// columns counted in Unicode scalars. A value's location is its first
/// character (a table's is its header's '[', an implicit table's is its key);
/// its keyLocation is the (last segment of the) key; array elements have
/// their own position as both.
@Suite struct TOMLPositionTests {
    enum Step { case key(String), index(Int) }

    func parse(_ text: String) -> ConfigTable {
        guard case .success(let doc) = TOMLDocument.parse(text, file: "t.toml") else {
            Issue.record("did not parse: \(toml(text))")
            return ConfigTable()
        }
        return doc.root
    }

    /// "keyLine:keyColumn valueLine:valueColumn" of the value at `path`.
    func at(_ root: ConfigTable, _ path: Step...) -> String? {
        var value: ConfigValue? = nil
        var table: ConfigTable? = root
        for step in path {
            switch step {
            case .key(let k): value = table?[k]
            case .index(let n): value = value?.array.flatMap { n < $0.count ? $0[n] : nil }
            }
            table = value?.table
        }
        return value.map { "\($0.keyLocation.position) \($0.location.position)" }
    }

    @Test func keysHeadersDottedKeysInlineTablesAndArrays() {
        let root = parse("""
            top = 1
            [a.b]
              x = "s"   # comment
            y.z = [1,
                   {q = 2, "r s" = 3}]
            [[list]]
            n = 1
            [[list]]
            n = 2
            [list.sub]
            m = 'lit'
            """)
        #expect(at(root, .key("top")) == "1:1 1:7")
        #expect(at(root, .key("a")) == "2:2 2:2")            // implicit, from the header
        #expect(at(root, .key("a"), .key("b")) == "2:4 2:1")
        #expect(at(root, .key("a"), .key("b"), .key("x")) == "3:3 3:7")
        #expect(at(root, .key("a"), .key("b"), .key("y")) == "4:1 4:1")  // created by the dotted key
        #expect(at(root, .key("a"), .key("b"), .key("y"), .key("z")) == "4:3 4:7")
        #expect(at(root, .key("a"), .key("b"), .key("y"), .key("z"), .index(0)) == "4:8 4:8")
        #expect(at(root, .key("a"), .key("b"), .key("y"), .key("z"), .index(1)) == "5:8 5:8")
        #expect(at(root, .key("a"), .key("b"), .key("y"), .key("z"), .index(1), .key("q")) == "5:9 5:13")
        #expect(at(root, .key("a"), .key("b"), .key("y"), .key("z"), .index(1), .key("r s")) == "5:16 5:24")
        #expect(at(root, .key("list")) == "6:3 6:1")
        #expect(at(root, .key("list"), .index(0)) == "6:3 6:1")
        #expect(at(root, .key("list"), .index(0), .key("n")) == "7:1 7:5")
        #expect(at(root, .key("list"), .index(1)) == "8:3 8:1")
        #expect(at(root, .key("list"), .index(1), .key("n")) == "9:1 9:5")
        #expect(at(root, .key("list"), .index(1), .key("sub")) == "10:7 10:1")
        #expect(at(root, .key("list"), .index(1), .key("sub"), .key("m")) == "11:1 11:5")
    }

    @Test func multilineStringsDoNotConfuseIt() {
        let root = parse("a = \"\"\"\nfake = 1\n[not.a.table]\n\"\"\"\nb = '''x\n'''\nc = 2\n")
        #expect(root.keys == ["a", "b", "c"])
        #expect(at(root, .key("b")) == "5:1 5:5")
        #expect(at(root, .key("c")) == "7:1 7:5")
    }

    @Test func anExplicitHeaderTakesOverAnImplicitTable() {
        let root = parse("[a.b]\nx = 1\n[a]\ny = 2\n")
        #expect(at(root, .key("a")) == "3:2 3:1")
        #expect(at(root, .key("a"), .key("y")) == "4:1 4:5")
    }

    @Test func columnsCountUnicodeScalarsNotBytes() {
        let root = parse("name = \"café\"\nsummary = \"ü\" \nx = 1\n\"é\" = 1\nk = [\"é\", \"😀\", 2]\n")
        #expect(at(root, .key("x")) == "3:1 3:5")
        #expect(at(root, .key("é")) == "4:1 4:7")
        #expect(at(root, .key("k"), .index(1)) == "5:11 5:11")
        #expect(at(root, .key("k"), .index(2)) == "5:16 5:16")
        // An error after non-ASCII text is counted the same way.
        #expect(toml("s = \"😀é\" x") == "1:10: expected the end of the line after the value, found 'x'")
    }

    @Test func dateTimesWithASpaceAreOneValue() {
        let root = parse("a = [1979-05-27 07:32:00, 2]\nb = 1\n")
        #expect(at(root, .key("a"), .index(0)) == "1:6 1:6")
        #expect(at(root, .key("a"), .index(1)) == "1:27 1:27")
        #expect(at(root, .key("b")) == "2:1 2:5")
    }

    @Test func quotedAndDottedKeysPointAtTheirLastSegment() {
        let root = parse("a . \"b c\" . 'd' = true\n[ x . \"y\" ]\n")
        #expect(at(root, .key("a")) == "1:1 1:1")
        #expect(at(root, .key("a"), .key("b c")) == "1:5 1:5")
        #expect(at(root, .key("a"), .key("b c"), .key("d")) == "1:13 1:19")
        #expect(at(root, .key("x"), .key("y")) == "2:7 2:1")
    }

    @Test func multilineValuesStartWhereTheyAreOpenedAndLaterLinesCountOn() {
        let root = parse("s = \"\"\"\none\ntwo\"\"\"\nt = '''\n'''\nu = [\n  1,\n  2,\n]\nv = 3\n")
        #expect(at(root, .key("s")) == "1:1 1:5")
        #expect(at(root, .key("t")) == "4:1 4:5")
        #expect(at(root, .key("u")) == "6:1 6:5")
        #expect(at(root, .key("u"), .index(1)) == "8:3 8:3")
        #expect(at(root, .key("v")) == "10:1 10:5")
    }

    @Test func theFileNameIsOnEveryLocation() throws {
        guard case .success(let doc) = TOMLDocument.parse("[t]\nk = [1]\n", file: "programs/x.toml") else {
            Issue.record("did not parse")
            return
        }
        let t = try #require(doc.root["t"])
        #expect(t.location.description == "programs/x.toml:1:1")
        #expect(t.table?["k"]?.array?.first?.location.description == "programs/x.toml:2:6")
    }
}
