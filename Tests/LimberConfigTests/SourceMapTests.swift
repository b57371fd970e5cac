import Testing
@testable import LimberConfig

@Suite struct SourceMapTests {
    func at(_ map: SourceMap, _ path: PathComponent...) -> String? {
        map.entry(path).map { "\($0.key) \($0.value)" }
    }

    @Test func keysHeadersDottedKeysAndInlineTables() {
        let map = SourceMap(scanning: """
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
        #expect(at(map, .key("top")) == "1:1 1:7")
        #expect(at(map, .key("a")) == "2:2 2:2")            // implicit, from the header
        #expect(at(map, .key("a"), .key("b")) == "2:4 2:1")
        #expect(at(map, .key("a"), .key("b"), .key("x")) == "3:3 3:7")
        #expect(at(map, .key("a"), .key("b"), .key("y"), .key("z")) == "4:3 4:7")
        #expect(at(map, .key("a"), .key("b"), .key("y"), .key("z"), .index(1)) == "5:8 5:8")
        #expect(at(map, .key("a"), .key("b"), .key("y"), .key("z"), .index(1), .key("q")) == "5:9 5:13")
        #expect(at(map, .key("a"), .key("b"), .key("y"), .key("z"), .index(1), .key("r s")) == "5:16 5:24")
        #expect(at(map, .key("list"), .index(0), .key("n")) == "7:1 7:5")
        #expect(at(map, .key("list"), .index(1), .key("n")) == "9:1 9:5")
        #expect(at(map, .key("list"), .index(1), .key("sub"), .key("m")) == "11:1 11:5")
    }

    @Test func multilineStringsDoNotConfuseIt() {
        let map = SourceMap(scanning: "a = \"\"\"\nfake = 1\n[not.a.table]\n\"\"\"\nb = '''x\n'''\nc = 2\n")
        #expect(at(map, .key("fake")) == nil)
        #expect(at(map, .key("not")) == nil)
        #expect(at(map, .key("b")) == "5:1 5:5")
        #expect(at(map, .key("c")) == "7:1 7:5")
    }

    @Test func nearestFallsBackToTheEnclosingTable() {
        let map = SourceMap(scanning: "[reminders.x]\ntitle = \"t\"\n")
        #expect(map.nearest([.key("reminders"), .key("x"), .key("missing")])?.value == SourcePosition(line: 1, column: 1))
    }

    @Test func anExplicitHeaderReplacesAnImplicitOne() {
        let map = SourceMap(scanning: "[a.b]\nx = 1\n[a]\ny = 2\n")
        #expect(at(map, .key("a")) == "3:2 3:1")
    }

    @Test func positionsCountCharactersNotBytes() {
        let map = SourceMap(scanning: "name = \"café\"; \nsummary = \"ü\" \nx = 1\n".replacingOccurrences(of: "; ", with: ""))
        #expect(at(map, .key("x")) == "3:1 3:5")
        let map2 = SourceMap(scanning: "\"é\" = 1\nk = \"é\", \n")
        #expect(at(map2, .key("é")) == "1:1 1:7")
    }

    @Test func dateTimesWithASpaceAreOneValue() {
        let map = SourceMap(scanning: "a = [1979-05-27 07:32:00, 2]\nb = 1\n")
        #expect(at(map, .key("a"), .index(1)) == "1:27 1:27")
        #expect(at(map, .key("b")) == "2:1 2:5")
    }
}
