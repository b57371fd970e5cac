import Testing
@testable import LimberConfig

/// Invalid TOML 1.0: each case is rejected with one error at the first
/// offending character (line:column, columns in Unicode scalars) and a
/// message that says what is wrong. A representative subset of toml-test's
/// tests/invalid, one rule per case.
@Suite struct TOMLInvalidCorpusTests {
    func check(_ text: String, _ at: String, _ says: String) {
        let result = toml(text)
        #expect(result.hasPrefix(at + ": "), "\(text.debugDescription) → \(result)")
        #expect(result.contains(says), "\(text.debugDescription) → \(result)")
    }

    @Test(arguments: [
        ("a = 1 b = 2", "1:7", "expected the end of the line after the value, found 'b'"),
        ("a", "1:2", "expected '=' after the key 'a', found the end of the file"),
        ("a =", "1:4", "expected a value, found the end of the file"),
        ("a = \n", "1:5", "expected a value, found the end of the line"),
        ("= 1", "1:1", "expected a key, found '='"),
        ("a = 1\n= 2", "2:1", "expected a key"),
        ("a b = 1", "1:3", "expected '=' after the key 'a', found 'b'"),
        ("a. = 1", "1:4", "expected a key after '.'"),
        (".a = 1", "1:1", "expected a key, found '.'"),
        ("a..b = 1", "1:3", "expected a key after '.'"),
        ("\"\"\"a\"\"\" = 1", "1:1", "a key can't be a multi-line string"),
        ("a = 1\rb = 2", "1:6", "a carriage return must be followed by a newline"),
        ("\r", "1:1", "a carriage return must be followed by a newline"),
        ("a = 1 # c\u{7}", "1:10", "control character U+0007 is not allowed in a comment"),
        ("# \u{7F}", "1:3", "control character U+007F"),
        ("a = 1 # x\r", "1:10", "control character U+000D"),
        ("a = 'x'\n\u{0B}", "2:1", "expected a key, found control character U+000B"),
        ("\u{0C}a = 1", "1:1", "found control character U+000C"),
        ("a = 1\nb", "2:2", "expected '='"),
        ("a = é", "1:5", "expected a value, found 'é'"),
    ])
    func structure(_ text: String, _ at: String, _ says: String) { check(text, at, says) }

    @Test(arguments: [
        ("a = \"unterminated\nb = 1", "1:18", "a basic string ends on the line it starts"),
        ("a = \"x", "1:7", "never closed"),
        ("a = 'x\n", "1:7", "a literal string ends on the line it starts"),
        ("a = \"\\q\"", "1:6", "invalid escape \\q"),
        ("a = \"\\x41\"", "1:6", "invalid escape \\x"),
        ("a = \"\\e\"", "1:6", "invalid escape \\e"),
        ("a = \"\\uD800\"", "1:6", "U+D800 is not a Unicode scalar value"),
        ("a = \"\\U00110000\"", "1:6", "U+110000 is not a Unicode scalar value"),
        ("a = \"\\u12\"", "1:6", "\\u needs 4 hexadecimal digits"),
        ("a = \"\\U0001F60\"", "1:6", "\\U needs 8 hexadecimal digits"),
        ("a = \"\\ \"", "1:6", "invalid escape"),
        ("a = \"a\u{1}b\"", "1:7", "control character U+0001 must be escaped"),
        ("a = 'a\u{7F}'", "1:7", "control character U+007F is not allowed in a literal string"),
        ("a = \"\"\"abc", "1:5", "this multi-line string is never closed"),
        ("a = '''abc\n", "1:5", "this multi-line string is never closed"),
        ("a = \"\"\"a\"\"\"\"\"\"", "1:14", "too many quotes"),
        ("a = '''a''''''", "1:14", "too many quotes"),
        ("a = \"\"\"\\q\"\"\"", "1:8", "invalid escape \\q"),
        ("a = \"\"\"a \\ b\"\"\"", "1:10", "invalid escape"),
        ("a = '''a\rb'''", "1:9", "a carriage return must be followed by a newline"),
        ("a = \"\"\"\na\u{8}\"\"\"", "2:2", "control character U+0008"),
        ("a = \"abc\" \"def\"", "1:11", "expected the end of the line"),
        ("a = \"x\" 'y'", "1:9", "expected the end of the line"),
        ("\"a\nb\" = 1", "1:3", "a basic string ends on the line it starts"),
        ("a = \"\"\"\\uDFFF\"\"\"", "1:8", "U+DFFF is not a Unicode scalar value"),
    ])
    func strings(_ text: String, _ at: String, _ says: String) { check(text, at, says) }

    @Test(arguments: [
        ("a = 01", "1:5", "leading zeros"),
        ("a = 00", "1:5", "leading zeros"),
        ("a = 0_0", "1:5", "leading zeros"),
        ("a = -01", "1:6", "leading zeros"),
        ("a = +0_1", "1:6", "leading zeros"),
        ("a = ++99", "1:6", "expected a digit after the sign"),
        ("a = -0xff", "1:5", "can't have a sign"),
        ("a = +0o7", "1:5", "can't have a sign"),
        ("a = -0b1", "1:5", "can't have a sign"),
        ("a = 123_", "1:8", "an underscore in a number must be between two digits"),
        ("a = _123", "1:5", "'_123' is not a TOML value"),
        ("a = 1__23", "1:6", "an underscore"),
        ("a = 0x_1", "1:7", "expected a hexadecimal digit"),
        ("a = 0o1_", "1:8", "an underscore"),
        ("a = 0xaafz", "1:10", "unexpected 'z' in a base-16 number"),
        ("a = 0o778", "1:9", "unexpected '8' in a base-8 number"),
        ("a = 0b0012", "1:10", "unexpected '2' in a base-2 number"),
        ("a = 0X1", "1:6", "unexpected 'X' in a number"),
        ("a = 0O0", "1:6", "unexpected 'O'"),
        ("a = 9223372036854775808", "1:5", "too large for a 64-bit integer"),
        ("a = -9223372036854775809", "1:5", "too large for a 64-bit integer"),
        ("a = 0x8000000000000000", "1:5", "too large for a 64-bit integer"),
        ("a = 1 2", "1:7", "expected the end of the line"),
        ("a = 1,", "1:6", "expected the end of the line after the value, found ','"),
    ])
    func integers(_ text: String, _ at: String, _ says: String) { check(text, at, says) }

    @Test(arguments: [
        ("a = 1.", "1:7", "expected a digit after the decimal point"),
        ("a = .5", "1:5", "a number needs a digit before the decimal point"),
        ("a = 1.e5", "1:7", "expected a digit after the decimal point"),
        ("a = 1e", "1:7", "expected a digit in the exponent"),
        ("a = 1e_5", "1:7", "expected a digit in the exponent"),
        ("a = 1.5_", "1:8", "an underscore"),
        ("a = 1_.5", "1:6", "an underscore"),
        ("a = 1e5_", "1:8", "an underscore"),
        ("a = 1.2.3", "1:8", "unexpected '.' in a number"),
        ("a = 01.5", "1:5", "leading zeros"),
        ("a = -.5", "1:6", "a number needs a digit before the decimal point"),
        ("a = infinity", "1:5", "'infinity' is not a TOML value"),
        ("a = NaN", "1:5", "'NaN' is not a TOML value"),
        ("a = Inf", "1:5", "'Inf' is not a TOML value"),
        ("a = 1e400", "1:5", "out of range for a 64-bit float"),
        ("a = +", "1:6", "expected a digit after the sign"),
        ("a = 1.5e+", "1:10", "expected a digit in the exponent"),
    ])
    func floats(_ text: String, _ at: String, _ says: String) { check(text, at, says) }

    @Test(arguments: [
        ("a = True", "1:5", "'True' is not a TOML value; a string needs quotes, like \"True\""),
        ("a = truee", "1:5", "'truee' is not a TOML value"),
        ("a = tru", "1:5", "'tru' is not a TOML value"),
        ("cadence = sit-break", "1:11", "a string needs quotes, like \"sit-break\""),
    ])
    func booleansAndBareWords(_ text: String, _ at: String, _ says: String) { check(text, at, says) }

    @Test(arguments: [
        ("a = 2006-13-01", "1:10", "the month must be 01 to 12"),
        ("a = 2006-00-01", "1:10", "the month must be 01 to 12"),
        ("a = 2006-01-32", "1:13", "the day must be 01 to 31"),
        ("a = 2006-01-00", "1:13", "the day must be 01 to 31"),
        ("a = 2006-02-29", "1:13", "the day must be 01 to 28 for 2006-02"),
        ("a = 1900-02-29", "1:13", "the day must be 01 to 28"),
        ("a = 2006-04-31", "1:13", "the day must be 01 to 30"),
        ("a = 2006-01-01T24:00:00", "1:16", "the hour must be 00 to 23"),
        ("a = 2006-01-01T00:60:00", "1:19", "the minute must be 00 to 59"),
        ("a = 2006-01-01T00:00:61", "1:22", "the second must be 00 to 60"),
        ("a = 2006-01-01T00:00", "1:21", "seconds"),
        ("a = 2006-1-01", "1:11", "expected 2 digits for the month"),
        ("a = 2006-01-01T00:00:00+24:00", "1:25", "the offset's hours must be 00 to 23"),
        ("a = 2006-01-01T00:00:00+01", "1:27", "expected ':' in the offset"),
        ("a = 2006-01-01T00:00:00+01:60", "1:28", "the offset's minutes must be 00 to 59"),
        ("a = 2006-01-01T00:00:00.", "1:25", "expected a digit after the decimal point of the seconds"),
        ("a = 2006-01-01 00:00", "1:21", "seconds"),
        ("a = 2006-01-01X", "1:15", "expected 'T' or a space between the date and the time"),
        ("a = 12:00", "1:10", "seconds"),
        ("a = 25:00:00", "1:5", "the hour must be 00 to 23"),
        ("a = 2006-01-01T00:00:00Zjunk", "1:25", "unexpected 'j' after the date-time"),
        ("a = 1979-05-27 07:32:00 junk", "1:25", "expected the end of the line"),
        ("a = 07:32:00Z", "1:13", "unexpected 'Z' after the time"),
        ("a = 1979-05-27T", "1:16", "expected 2 digits for the hour"),
        ("a = 1979-05-27T07:32:00+0700", "1:27", "expected ':' in the offset"),
    ])
    func datesAndTimes(_ text: String, _ at: String, _ says: String) { check(text, at, says) }

    @Test(arguments: [
        ("a = [1, 2", "1:5", "this array is never closed"),
        ("a = [1 2]", "1:8", "expected ',' or ']' after an array element, found '2'"),
        ("a = [,]", "1:6", "expected a value or ']' in the array, found ','"),
        ("a = [1,,2]", "1:8", "expected a value between two commas"),
        ("a = [1, 2,\n", "1:5", "this array is never closed"),
        ("a = [\n1\n2]", "3:1", "expected ',' or ']'"),
        ("a = [1, 2] 3", "1:12", "expected the end of the line"),
        ("a = [1, 2 # c\n 3]", "2:2", "expected ',' or ']'"),
        ("a = [1, \"x\n\"]", "1:11", "a basic string ends on the line it starts"),
        ("a = [1 \r 2]", "1:8", "a carriage return must be followed by a newline"),
    ])
    func arrays(_ text: String, _ at: String, _ says: String) { check(text, at, says) }

    @Test(arguments: [
        ("a = {x = 1,}", "1:12", "an inline table can't have a trailing comma"),
        ("a = {x = 1\n}", "1:11", "an inline table must be on one line"),
        ("a = {\n}", "1:6", "an inline table must be on one line"),
        ("a = {x = 1 y = 2}", "1:12", "expected ',' or '}' in the inline table, found 'y'"),
        ("a = {x = 1", "1:5", "this inline table is never closed"),
        ("a = {x = 1 # c\n}", "1:12", "an inline table must be on one line"),
        ("a = {,}", "1:6", "expected a key, found ','"),
        ("a = {x = 1, x = 2}", "1:13", "'a.x' is defined twice; the first is on line 1"),
        ("a = {x.y = 1, x = 2}", "1:15", "'a.x' is defined twice"),
        ("a = {x = \n1}", "1:10", "expected a value, found the end of the line"),
        ("a = {x = 1}}", "1:12", "expected the end of the line"),
    ])
    func inlineTables(_ text: String, _ at: String, _ says: String) { check(text, at, says) }

    @Test(arguments: [
        ("[", "1:1", "a table header needs a name"),
        ("[]", "1:1", "a table header needs a name"),
        ("[[]]", "1:1", "a table header needs a name"),
        ("x = 1\n  [ # no name\n", "2:3", "a table header needs a name"),
        ("[a", "1:3", "expected ']' to close the table header, found the end of the file"),
        ("[a]]", "1:4", "expected the end of the line after the table header, found ']'"),
        ("[[a]", "1:5", "expected ']]' to close the array-of-tables header"),
        ("[[a] ]", "1:5", "expected ']]'"),
        ("[ [a]]", "1:1", "a table header needs a name"),
        ("[a.]", "1:4", "expected a key after '.'"),
        ("[a] b = 1", "1:5", "expected the end of the line after the table header, found 'b'"),
        ("[\"a\nb\"]", "1:4", "a basic string ends on the line it starts"),
        ("[a b]", "1:4", "expected ']' to close the table header, found 'b'"),
        ("[a]\n[b\n]", "2:3", "expected ']' to close the table header"),
        ("['''a''']", "1:2", "a key can't be a multi-line string"),
    ])
    func tableHeaders(_ text: String, _ at: String, _ says: String) { check(text, at, says) }
}
