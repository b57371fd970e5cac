/// What TOMLKit's parser (toml++) cannot be handed.
///
/// toml++ asserts - and in a release build *assumes* - that the `[` or `[[`
/// of a table header is followed by a key. A file that is just `[`, or
/// `[ # note`, or ends in `[[`, aborted limberd (debug build: an assertion in
/// `parse_key`) and is undefined behaviour in a release build. Found by
/// fuzzing (fuzz/, docs/reliability.md). Such text is rejected here, with its
/// position, before TOMLKit sees it.
///
/// A small lexer: it skips strings (basic, literal, multi-line) and
/// comments, and tracks `[`/`{` nesting so that a `[` that opens an array
/// inside a value is not taken for a header.
enum TOMLPreflight {
    static func check(_ text: String) -> (position: SourcePosition, message: String)? {
        var lexer = Lexer(Array(text.unicodeScalars))
        return lexer.run()
    }

    private struct Lexer {
        let s: [Unicode.Scalar]
        var i = 0
        var line = 1
        var column = 1

        init(_ s: [Unicode.Scalar]) { self.s = s }

        var atEnd: Bool { i >= s.count }

        mutating func advance() {
            if s[i] == "\n" { line += 1; column = 1 } else { column += 1 }
            i += 1
        }

        func peek(_ offset: Int) -> Unicode.Scalar? {
            i + offset < s.count ? s[i + offset] : nil
        }

        static func isBareKey(_ c: Unicode.Scalar) -> Bool {
            switch c {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "-": true
            default: false
            }
        }

        /// Skips the string that starts at `s[i]` (a `"` or `'`).
        mutating func skipString() {
            let q = s[i]
            if peek(1) == q && peek(2) == q {
                advance(); advance(); advance()
                while !atEnd {
                    if q == "\"" && s[i] == "\\" { advance(); if !atEnd { advance() }; continue }
                    if s[i] == q && peek(1) == q && peek(2) == q {
                        advance(); advance(); advance()
                        // up to two more quotes belong to the content
                        while !atEnd && s[i] == q { advance() }
                        return
                    }
                    advance()
                }
                return
            }
            advance()
            while !atEnd && s[i] != "\n" {
                if q == "\"" && s[i] == "\\" { advance(); if !atEnd && s[i] != "\n" { advance() }; continue }
                if s[i] == q { advance(); return }
                advance()
            }
        }

        mutating func run() -> (position: SourcePosition, message: String)? {
            var depth = 0
            var lineStart = true
            while !atEnd {
                let c = s[i]
                switch c {
                case "\n":
                    advance()
                    lineStart = true
                    continue
                case " ", "\t", "\r":
                    advance()
                    continue
                case "#":
                    while !atEnd && s[i] != "\n" { advance() }
                    continue
                case "\"", "'":
                    skipString()
                    lineStart = false
                    continue
                case "[" where depth == 0 && lineStart:
                    let at = SourcePosition(line: line, column: column)
                    advance()
                    if !atEnd && s[i] == "[" { advance() }
                    while !atEnd && (s[i] == " " || s[i] == "\t") { advance() }
                    guard !atEnd, Self.isBareKey(s[i]) || s[i] == "\"" || s[i] == "'" else {
                        return (at, "TOML syntax error: a table header needs a name after '[', like [reminders.stretch]")
                    }
                    while !atEnd && s[i] != "\n" && s[i] != "]" {
                        if s[i] == "\"" || s[i] == "'" { skipString() } else { advance() }
                    }
                    lineStart = false
                    continue
                case "[", "{":
                    depth += 1
                case "]", "}":
                    depth = max(0, depth - 1)
                default:
                    break
                }
                lineStart = false
                advance()
            }
            return nil
        }
    }
}
