import LimberCore

/// TOML's four kinds of string and their escapes (TOMLReader.swift reads
/// the rest).
extension TOMLReader {

    /// `"..."` with escapes, on one line.
    mutating func basicString() throws(Failure) -> String {
        advance()
        var out: [UInt8] = []
        while true {
            guard let b = peek() else { throw fail(tr("this string is never closed with '\"'")) }
            switch b {
            case ascii("\""):
                advance()
                return String(decoding: out, as: UTF8.self)
            case ascii("\\"):
                try escape(into: &out)
            case ascii("\n"), ascii("\r"):
                throw fail(tr("this string is not closed on its line; a basic string ends on the line it starts (use \"\"\" for a string of several lines)"))
            default:
                if Self.isControl(b) {
                    throw fail(tr("control character {code} must be escaped in a string", ["code": Self.scalarName(UInt32(b))]))
                }
                out.append(b)
                advance()
            }
        }
    }

    /// `'...'`: no escapes, on one line.
    mutating func literalString() throws(Failure) -> String {
        advance()
        let start = i
        while true {
            guard let b = peek() else { throw fail(tr("this string is never closed with \"'\"")) }
            if b == ascii("'") {
                let s = String(decoding: bytes[start..<i], as: UTF8.self)
                advance()
                return s
            }
            if b == ascii("\n") || b == ascii("\r") {
                throw fail(tr("this string is not closed on its line; a literal string ends on the line it starts (use ''' for a string of several lines)"))
            }
            if Self.isControl(b) {
                throw fail(tr("control character {code} is not allowed in a literal string", ["code": Self.scalarName(UInt32(b))]))
            }
            advance()
        }
    }

    /// `"""..."""` (with escapes and line-ending backslashes) or `'''...'''`.
    /// A newline right after the opening quotes is dropped; CRLF becomes LF.
    mutating func multilineString(quote: UInt8) throws(Failure) -> String {
        let open = position
        let isBasic = quote == ascii("\"")
        advance(3)
        if atNewline() { try skipNewline() }
        var out: [UInt8] = []
        while true {
            guard let b = peek() else {
                throw fail(tr("this multi-line string is never closed with {quotes}", ["quotes": isBasic ? "\"\"\"" : "'''"]), at: open)
            }
            if b == quote {
                var run = 0
                while peek(run) == quote { run += 1 }
                if run < 3 {
                    out.append(contentsOf: repeatElement(quote, count: run))
                    advance(run)
                    continue
                }
                if run > 5 {
                    advance(5)
                    throw fail(tr("too many quotes: a multi-line string may end with at most two before its closing three"))
                }
                out.append(contentsOf: repeatElement(quote, count: run - 3))
                advance(run)
                return String(decoding: out, as: UTF8.self)
            }
            if b == ascii("\\") && isBasic {
                if lineEndingBackslash() {
                    advance()
                    while let c = peek(), c == ascii(" ") || c == ascii("\t") || c == ascii("\n") || c == ascii("\r") {
                        if c == ascii("\r") { try skipNewline() } else { advance() }
                    }
                } else {
                    try escape(into: &out)
                }
                continue
            }
            if b == ascii("\n") || b == ascii("\r") {
                try skipNewline()
                out.append(ascii("\n"))
                continue
            }
            if Self.isControl(b) {
                let code = Self.scalarName(UInt32(b))
                throw fail(isBasic ? tr("control character {code} must be escaped in a string", ["code": code])
                                   : tr("control character {code} is not allowed in a literal string", ["code": code]))
            }
            out.append(b)
            advance()
        }
    }

    /// A `\` followed by optional whitespace and a line end?
    func lineEndingBackslash() -> Bool {
        var k = 1
        while let c = peek(k), c == ascii(" ") || c == ascii("\t") { k += 1 }
        return peek(k) == ascii("\n") || (peek(k) == ascii("\r") && peek(k + 1) == ascii("\n"))
    }

    /// One escape sequence at a `\`, appended as UTF-8.
    mutating func escape(into out: inout [UInt8]) throws(Failure) {
        let at = position
        advance()
        guard let e = peek() else { throw fail(tr("this string is never closed with '\"'")) }
        let simple: UInt8?
        switch e {
        case ascii("b"): simple = 0x08
        case ascii("t"): simple = 0x09
        case ascii("n"): simple = 0x0A
        case ascii("f"): simple = 0x0C
        case ascii("r"): simple = 0x0D
        case ascii("\""): simple = ascii("\"")
        case ascii("\\"): simple = ascii("\\")
        case ascii("u"), ascii("U"): simple = nil
        default:
            let what = e >= 0x21 && e < 0x7F ? "\\" + String(UnicodeScalar(e)) : found
            throw fail(tr("invalid escape {escape} in a string; the escapes are \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX and \\UXXXXXXXX",
                          ["escape": what]), at: at)
        }
        if let simple {
            out.append(simple)
            advance()
            return
        }
        let digits = e == ascii("u") ? 4 : 8
        advance()
        var v: UInt32 = 0
        for _ in 0..<digits {
            guard let h = peek(), let d = Self.hexValue(h) else {
                throw fail(e == ascii("u") ? tr("\\u needs 4 hexadecimal digits") : tr("\\U needs 8 hexadecimal digits"), at: at)
            }
            v = v << 4 | UInt32(d)
            advance()
        }
        guard let scalar = Unicode.Scalar(v) else {
            throw fail(tr("{code} is not a Unicode scalar value (a surrogate or beyond U+10FFFF)", ["code": Self.scalarName(v)]), at: at)
        }
        UTF8.encode(scalar) { out.append($0) }
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case ascii("0")...ascii("9"): b - ascii("0")
        case ascii("a")...ascii("f"): b - ascii("a") + 10
        case ascii("A")...ascii("F"): b - ascii("A") + 10
        default: nil
        }
    }
}
