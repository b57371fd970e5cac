import Testing
@testable import LimberConfig

/// Valid TOML 1.0 documents and the trees they give: a representative subset
/// of toml-test's tests/valid and the examples of https://toml.io/en/v1.0.0,
/// one rule per case. See TOMLTestSupport.swift for the notation.
@Suite struct TOMLValidCorpusTests {
    @Test(arguments: [
        ("", "{}"),
        ("# only a comment\n", "{}"),
        ("a = 1 # trailing comment\n", "{a=1}"),
        ("\n\n  \t\na = 1\n\n", "{a=1}"),
        ("a = 1", "{a=1}"),
        ("a=1\nb\t=\t2\n  c = 3", "{a=1, b=2, c=3}"),
        ("# comment with ☃, \"quotes\", ] and [x]\na = 1", "{a=1}"),
        ("a = \"# not a comment\" # a comment", ##"{a="# not a comment"}"##),
        ("a = 1\r\nb = 'x'\r\n[t]\r\nc = 2\r\n", #"{a=1, b="x", t={c=2}}"#),
        ("a = 1 # comment ending in CRLF\r\n", "{a=1}"),
    ])
    func commentsAndWhitespace(_ text: String, _ tree: String) {
        #expect(toml(text) == tree)
    }

    @Test(arguments: [
        ("bare_key-1 = 1\n1234 = 2\n-_- = 3", "{bare_key-1=1, 1234=2, -_-=3}"),
        ("\"a b\" = 1\n'c.d' = 2\n\"ʎǝʞ\" = 3", #"{"a b"=1, "c.d"=2, "ʎǝʞ"=3}"#),
        ("\"\" = 1", #"{""=1}"#),
        ("'' = 1", #"{""=1}"#),
        ("a.b.c = 1", "{a={b={c=1}}}"),
        ("a . b = 1\na. c = 2\na .d= 3", "{a={b=1, c=2, d=3}}"),
        ("site.\"google.com\" = true", #"{site={"google.com"=true}}"#),
        ("3.14159 = 'pi'", #"{3={14159="pi"}}"#),
        ("true = 1\nfalse = 2\ninf = 3\nnan = 4", "{true=1, false=2, inf=3, nan=4}"),
        ("\"a\\tb\" = 1\n\"\\u00e9\" = 2", #"{"a\tb"=1, "é"=2}"#),
        ("fruit.apple.color = 'red'\nfruit.apple.taste.sweet = true\nfruit.orange = 2",
         #"{fruit={apple={color="red", taste={sweet=true}}, orange=2}}"#),
        ("\"a\" = 1\n'b' = 2\nc = 3", "{a=1, b=2, c=3}"),
        ("a.'b.c'.\"d\" = 1", #"{a={"b.c"={d=1}}}"#),
    ])
    func keys(_ text: String, _ tree: String) {
        #expect(toml(text) == tree)
    }

    @Test(arguments: [
        ("s = \"hello\"", #"{s="hello"}"#),
        ("s = \"\\b\\t\\n\\f\\r\\\"\\\\\"", #"{s="\u{08}\t\n\u{0C}\r\"\\"}"#),
        ("s = \"\\u00E9\\U0001F600\\u0041\"", #"{s="é😀A"}"#),
        ("s = \"a\tb\"", #"{s="a\tb"}"#),
        ("s = 'C:\\Users\\nodejs\\templates'", #"{s="C:\\Users\\nodejs\\templates"}"#),
        ("s = 'say \"hi\"'", #"{s="say \"hi\""}"#),
        ("a = \"\"\nb = ''", #"{a="", b=""}"#),
        ("s = \"café ☕\"", #"{s="café ☕"}"#),
        ("s = \"\"\"\nline1\nline2\"\"\"", #"{s="line1\nline2"}"#),
        ("s = \"\"\"\\\n   The quick \\\n\n   brown\"\"\"", #"{s="The quick brown"}"#),
        ("s = \"\"\"a \\  \t\n  b\"\"\"", #"{s="a b"}"#),
        ("s = \"\"\"two quotes: \"\". Fine.\"\"\"", #"{s="two quotes: \"\". Fine."}"#),
        ("s = \"\"\"\"This,\" she said, \"is pointless.\"\"\"\"", #"{s="\"This,\" she said, \"is pointless.\""}"#),
        ("s = \"\"\"ab\"\"\"\"\"", #"{s="ab\"\""}"#),
        ("s = '''\nThe first newline is\ntrimmed in raw strings.\n'''", #"{s="The first newline is\ntrimmed in raw strings.\n"}"#),
        ("s = '''fifteen: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"'''", #"{s="fifteen: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\""}"#),
        ("s = ''''That,' she said, 'is still pointless.''''", #"{s="\'That,\' she said, \'is still pointless.\'"}"#),
        ("s = \"\"\"\r\na\r\nb\"\"\"", #"{s="a\nb"}"#),
        ("s = \"\"\"\\tx\\u0041\"\"\"", #"{s="\txA"}"#),
        ("s = \"\"\"\"\"\"", #"{s=""}"#),
        ("s = \"\"\"\n\"\"\"", #"{s=""}"#),
        ("s = \"\"\"a\\\\\nb\"\"\"", #"{s="a\\\nb"}"#),
        ("s = '''a\\\nb'''", #"{s="a\\\nb"}"#),
        ("s = \"\"\"\\\r\n  x\"\"\"", #"{s="x"}"#),
        ("s = '\t'", #"{s="\t"}"#),
    ])
    func strings(_ text: String, _ tree: String) {
        #expect(toml(text) == tree)
    }

    @Test(arguments: [
        ("a = 99\nb = 42\nc = 0\nd = 17", "{a=99, b=42, c=0, d=17}"),
        ("a = +99\nb = -17\nc = -0\nd = +0", "{a=99, b=-17, c=0, d=0}"),
        ("a = 1_000\nb = 5_349_221\nc = 1_2_3_4_5", "{a=1000, b=5349221, c=12345}"),
        ("a = 0xDEADBEEF\nb = 0xdeadbeef\nc = 0xdead_beef\nd = 0x00ff", "{a=3735928559, b=3735928559, c=3735928559, d=255}"),
        ("a = 0o01234567\nb = 0o755", "{a=342391, b=493}"),
        ("a = 0b11010110\nb = 0b0_1", "{a=214, b=1}"),
        ("a = 9223372036854775807\nb = -9223372036854775808", "{a=9223372036854775807, b=-9223372036854775808}"),
        ("a = 0x7FFFFFFFFFFFFFFF\nb = 0x0", "{a=9223372036854775807, b=0}"),
    ])
    func integers(_ text: String, _ tree: String) {
        #expect(toml(text) == tree)
    }

    @Test(arguments: [
        ("a = +1.0\nb = 3.1415\nc = -0.01", "{a=f1.0, b=f3.1415, c=f-0.01}"),
        ("a = 5e+22\nb = 1e06\nc = -2E-2\nd = 6.626e-34", "{a=f5e+22, b=f1000000.0, c=f-0.02, d=f6.626e-34}"),
        ("a = 224_617.445_991_228", "{a=f224617.445991228}"),
        ("a = inf\nb = +inf\nc = -inf", "{a=finf, b=finf, c=f-inf}"),
        ("a = nan\nb = +nan\nc = -nan", "{a=fnan, b=fnan, c=fnan}"),
        ("a = -0.0\nb = +0.0\nc = 0e0", "{a=f-0.0, b=f0.0, c=f0.0}"),
        ("a = 1e1_0\nb = 3e025\nc = 1.5E-0_1", "{a=f10000000000.0, b=f3e+25, c=f0.15}"),
        ("a = 1.7976931348623157e308", "{a=f1.7976931348623157e+308}"),
    ])
    func floats(_ text: String, _ tree: String) {
        #expect(toml(text) == tree)
    }

    @Test(arguments: [
        ("t = true\nf = false", "{t=true, f=false}"),
        ("a = [true, false]", "{a=[true, false]}"),
    ])
    func booleans(_ text: String, _ tree: String) {
        #expect(toml(text) == tree)
    }

    @Test(arguments: [
        ("a = 1979-05-27T07:32:00Z", "{a=d1979-05-27T07:32:00Z}"),
        ("a = 1979-05-27T00:32:00-07:00", "{a=d1979-05-27T00:32:00-07:00}"),
        ("a = 1979-05-27T00:32:00.999999+07:30", "{a=d1979-05-27T00:32:00.999999+07:30}"),
        ("a = 1979-05-27 07:32:00Z", "{a=d1979-05-27 07:32:00Z}"),
        ("a = 1979-05-27t07:32:00z", "{a=d1979-05-27t07:32:00z}"),
        ("a = 1979-05-27T07:32:00\nb = 1979-05-27T00:32:00.5", "{a=d1979-05-27T07:32:00, b=d1979-05-27T00:32:00.5}"),
        ("a = 1979-05-27", "{a=d1979-05-27}"),
        ("a = 07:32:00\nb = 00:32:00.999999", "{a=d07:32:00, b=d00:32:00.999999}"),
        ("a = 2000-02-29\nb = 2024-02-29\nc = 2023-12-31", "{a=d2000-02-29, b=d2024-02-29, c=d2023-12-31}"),
        ("a = 1990-12-31T23:59:60Z", "{a=d1990-12-31T23:59:60Z}"),
        ("a = [1979-05-27 07:32:00, 2]", "{a=[d1979-05-27 07:32:00, 2]}"),
        ("a = 1979-05-27 # a comment", "{a=d1979-05-27}"),
        ("a = 1979-05-27 \nb = 1", "{a=d1979-05-27, b=1}"),
        ("a = {d = 1979-05-27T07:32:00Z}", "{a={d=d1979-05-27T07:32:00Z}}"),
    ])
    func datesAndTimes(_ text: String, _ tree: String) {
        #expect(toml(text) == tree)
    }

    @Test(arguments: [
        ("a = [1, 2, 3]", "{a=[1, 2, 3]}"),
        ("a = []\nb = [ ]\nc = [\n]", "{a=[], b=[], c=[]}"),
        ("a = [1, 'a', 2.0, true, [1], {x = 1}]", #"{a=[1, "a", f2.0, true, [1], {x=1}]}"#),
        ("a = [1, 2,]\nb = [1,\n]", "{a=[1, 2], b=[1]}"),
        ("a = [\n  1, # one\n  2\n  # between\n  ,3\n]", "{a=[1, 2, 3]}"),
        ("a = [[1, 2], [\"a\", 'b']]", #"{a=[[1, 2], ["a", "b"]]}"#),
        ("points = [ { x = 1, y = 2 }, { x = 7 } ]", "{points=[{x=1, y=2}, {x=7}]}"),
        ("a = [\r\n1,\r\n2\r\n]", "{a=[1, 2]}"),
        ("a = [\"]\", ']', \"#\", '[']", ##"{a=["]", "]", "#", "["]}"##),
        ("a = [ \"\"\"x\ny\"\"\", '''z''' ]", #"{a=["x\ny", "z"]}"#),
        ("a = [[[]]]", "{a=[[[]]]}"),
        ("a = [# comment right after the bracket\n1]", "{a=[1]}"),
    ])
    func arrays(_ text: String, _ tree: String) {
        #expect(toml(text) == tree)
    }

    @Test(arguments: [
        ("name = { first = \"Tom\", last = \"Preston-Werner\" }", #"{name={first="Tom", last="Preston-Werner"}}"#),
        ("point = {x=1,y=2}", "{point={x=1, y=2}}"),
        ("a = {}\nb = { }", "{a={}, b={}}"),
        ("animal = { type.name = \"pug\" }", #"{animal={type={name="pug"}}}"#),
        ("a = { b = { c = 1 }, d = [1, {e = 2}] }", "{a={b={c=1}, d=[1, {e=2}]}}"),
        ("a = { x.y = 1, x.z = 2 }", "{a={x={y=1, z=2}}}"),
        ("[t]\na = {b = 1}", "{t={a={b=1}}}"),
        // Newlines inside a value are the value's own business.
        ("a = { b = [\n  1,\n  2, # two\n] }", "{a={b=[1, 2]}}"),
        ("a = { s = \"\"\"x\ny\"\"\", t = 1 }", #"{a={s="x\ny", t=1}}"#),
    ])
    func inlineTables(_ text: String, _ tree: String) {
        #expect(toml(text) == tree)
    }

    @Test(arguments: [
        ("[table]\nkey = 1", "{table={key=1}}"),
        ("[t]", "{t={}}"),
        ("[dog.\"tater.man\"]\ntype.name = \"pug\"", #"{dog={"tater.man"={type={name="pug"}}}}"#),
        ("[ a . b ]\nc = 1\n[ g .  'h' ]", "{a={b={c=1}}, g={h={}}}"),
        ("[x.y.z.w]\n[x]", "{x={y={z={w={}}}}}"),
        ("[a.b]\nc = 1\n[a]\nd = 2", "{a={b={c=1}, d=2}}"),
        ("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true",
         #"{fruit={apple={color="red", taste={sweet=true}, texture={smooth=true}}}}"#),
        ("a = 1\n[t]\nb = 2", "{a=1, t={b=2}}"),
        ("[a.b]\n[a.c]", "{a={b={}, c={}}}"),
        ("[1.2]\nx = 1", "{1={2={x=1}}}"),
        ("[a]\nx = 1\n[b]\nx = 2", "{a={x=1}, b={x=2}}"),
        ("[\"\"]\nx = 1", #"{""={x=1}}"#),
        ("[a] # comment\nx = 1", "{a={x=1}}"),
        ("[a.b.c]\n[a.b]\n[a]", "{a={b={c={}}}}"),
    ])
    func tables(_ text: String, _ tree: String) {
        #expect(toml(text) == tree)
    }

    @Test(arguments: [
        ("[[products]]\nname = \"Hammer\"\n[[products]]\n[[products]]\nname = \"Nail\"",
         #"{products=[{name="Hammer"}, {}, {name="Nail"}]}"#),
        ("[[fruits]]\nname = \"apple\"\n[fruits.physical]\ncolor = \"red\"\n[[fruits.varieties]]\nname = \"red delicious\"\n[[fruits.varieties]]\nname = \"granny smith\"\n[[fruits]]\nname = \"banana\"\n[[fruits.varieties]]\nname = \"plantain\"",
         #"{fruits=[{name="apple", physical={color="red"}, varieties=[{name="red delicious"}, {name="granny smith"}]}, {name="banana", varieties=[{name="plantain"}]}]}"#),
        ("[[a]]\n[a.b]\nc = 1\n[[a]]\n[a.b]\nc = 2", "{a=[{b={c=1}}, {b={c=2}}]}"),
        ("[[ a . b ]]\nx = 1", "{a={b=[{x=1}]}}"),
        ("[[a]]\nx.y = 1\n[[a]]\nx.y = 2", "{a=[{x={y=1}}, {x={y=2}}]}"),
        ("[a]\n[[a.b]]\n[[a.b]]", "{a={b=[{}, {}]}}"),
    ])
    func arraysOfTables(_ text: String, _ tree: String) {
        #expect(toml(text) == tree)
    }
}
