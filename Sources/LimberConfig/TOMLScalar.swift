import LimberCore

/// TOML's bare values: booleans, integers, floats, dates and times. Each is
/// read from one token (ASCII, one line); a problem says at which byte of the
/// token it is, which is also its column offset.
enum TOMLScalar {
    struct Problem: Error {
        var offset: Int
        var message: String
    }

    /// The bytes a bare value can be made of.
    static func isTokenByte(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= ascii("a") && b <= ascii("z")) || (b >= ascii("A") && b <= ascii("Z"))
            || b == ascii("_") || b == ascii("+") || b == ascii("-") || b == ascii(".") || b == ascii(":")
    }

    /// Shaped like a local date, `dddd-dd-dd`.
    static func isDate(_ t: ArraySlice<UInt8>) -> Bool {
        let t = Array(t)
        return t.count == 10 && t.indices.allSatisfy { n in n == 4 || n == 7 ? t[n] == ascii("-") : isDigit(t[n]) }
    }

    static func parse(_ token: ArraySlice<UInt8>) -> Result<ConfigValue.Kind, Problem> {
        let t = Array(token)
        do throws(Problem) {
            if t.elementsEqual("true".utf8) { return .success(.bool(true)) }
            if t.elementsEqual("false".utf8) { return .success(.bool(false)) }
            if t.count >= 5, t[0..<4].allSatisfy(isDigit), t[4] == ascii("-") {
                try dateTime(t)
                return .success(.dateTime(String(decoding: t, as: UTF8.self)))
            }
            if t.count >= 3, isDigit(t[0]), isDigit(t[1]), t[2] == ascii(":") {
                let end = try time(t, from: 0)
                if end < t.count { throw Problem(offset: end, message: tr("unexpected {found} after the time", ["found": describe(t, end)])) }
                return .success(.dateTime(String(decoding: t, as: UTF8.self)))
            }
            return .success(try number(t))
        } catch {
            return .failure(error)
        }
    }

    private static func describe(_ t: [UInt8], _ n: Int) -> String {
        n < t.count ? "'" + String(UnicodeScalar(t[n])) + "'" : tr("the end of the value")
    }

    // MARK: Numbers

    private static func number(_ t: [UInt8]) throws(Problem) -> ConfigValue.Kind {
        let text = String(decoding: t, as: UTF8.self)
        var j = 0
        let signed = t[0] == ascii("+") || t[0] == ascii("-")
        if signed { j = 1 }
        let body = t[j...]
        if body.elementsEqual("inf".utf8) { return .float(t[0] == ascii("-") ? -.infinity : .infinity) }
        if body.elementsEqual("nan".utf8) { return .float(.nan) }
        guard j < t.count else { throw Problem(offset: j, message: tr("expected a digit after the sign")) }
        if !isDigit(t[j]) {
            if t[j] == ascii(".") { throw Problem(offset: j, message: tr("a number needs a digit before the decimal point")) }
            if signed { throw Problem(offset: j, message: tr("expected a digit after the sign")) }
            throw Problem(offset: 0, message: tr("'{text}' is not a TOML value; a string needs quotes, like \"{text}\"", ["text": text]))
        }

        // 0x, 0o, 0b: unsigned integers in another base.
        if t[j] == ascii("0"), j + 1 < t.count, let radix = [ascii("x"): 16, ascii("o"): 8, ascii("b"): 2][t[j + 1]] {
            if signed { throw Problem(offset: 0, message: tr("a hexadecimal, octal or binary number can't have a sign")) }
            let end = try digits(t, from: 2, radix: radix)
            if end < t.count { throw Problem(offset: end, message: tr("unexpected {found} in a base-{radix} number", ["found": describe(t, end), "radix": String(radix)])) }
            guard let v = Int(String(decoding: t[2...].filter { $0 != ascii("_") }, as: UTF8.self), radix: radix) else {
                throw Problem(offset: 0, message: tr("{text} is too large for a 64-bit integer", ["text": text]))
            }
            return .integer(v)
        }

        let intStart = j
        j = try digits(t, from: j, radix: 10)
        if t[intStart] == ascii("0"), j > intStart + 1 {
            throw Problem(offset: intStart, message: tr("a number can't have leading zeros"))
        }
        var isFloat = false
        if j < t.count, t[j] == ascii(".") {
            isFloat = true
            guard j + 1 < t.count, isDigit(t[j + 1]) else {
                throw Problem(offset: j + 1, message: tr("expected a digit after the decimal point"))
            }
            j = try digits(t, from: j + 1, radix: 10)
        }
        if j < t.count, t[j] == ascii("e") || t[j] == ascii("E") {
            isFloat = true
            j += 1
            if j < t.count, t[j] == ascii("+") || t[j] == ascii("-") { j += 1 }
            guard j < t.count, isDigit(t[j]) else { throw Problem(offset: j, message: tr("expected a digit in the exponent")) }
            j = try digits(t, from: j, radix: 10)
        }
        if j < t.count { throw Problem(offset: j, message: tr("unexpected {found} in a number", ["found": describe(t, j)])) }

        let plain = String(decoding: t.filter { $0 != ascii("_") }, as: UTF8.self)
        if isFloat {
            guard let d = Double(plain), d.isFinite else {
                throw Problem(offset: 0, message: tr("{text} is out of range for a 64-bit float", ["text": text]))
            }
            return .float(d)
        }
        guard let v = Int(plain) else {
            throw Problem(offset: 0, message: tr("{text} is too large for a 64-bit integer ({min} to {max})", ["text": text, "min": String(Int.min), "max": String(Int.max)]))
        }
        return .integer(v)
    }

    /// Digits of `radix` with single underscores between them, from `start`
    /// (which must be a digit); returns the index after them.
    private static func digits(_ t: [UInt8], from start: Int, radix: Int) throws(Problem) -> Int {
        func isRadixDigit(_ b: UInt8) -> Bool {
            guard let v = TOMLReader.hexValue(b) else { return false }
            return Int(v) < radix
        }
        guard start < t.count, isRadixDigit(t[start]) else {
            let message = switch radix {
            case 16: tr("expected a hexadecimal digit, found {found}", ["found": describe(t, start)])
            case 8: tr("expected an octal digit (0-7), found {found}", ["found": describe(t, start)])
            case 2: tr("expected a binary digit (0 or 1), found {found}", ["found": describe(t, start)])
            default: tr("expected a digit, found {found}", ["found": describe(t, start)])
            }
            throw Problem(offset: start, message: message)
        }
        var j = start + 1
        while j < t.count {
            if isRadixDigit(t[j]) {
                j += 1
            } else if t[j] == ascii("_") {
                guard j + 1 < t.count, isRadixDigit(t[j + 1]) else {
                    throw Problem(offset: j, message: tr("an underscore in a number must be between two digits"))
                }
                j += 2
            } else {
                break
            }
        }
        return j
    }

    // MARK: Dates and times (RFC 3339)

    /// `n` digits at `at`, as a number; else fails with `message`, a
    /// trMark'd text with a `{found}`.
    private static func field(_ t: [UInt8], at: Int, count n: Int, _ message: String) throws(Problem) -> Int {
        var v = 0
        for k in at..<(at + n) {
            guard k < t.count, isDigit(t[k]) else {
                throw Problem(offset: k, message: tr(message, ["found": describe(t, k)]))
            }
            v = v * 10 + Int(t[k] - ascii("0"))
        }
        return v
    }

    /// The character `c` at `at`; else fails with `message`, a trMark'd text.
    private static func expect(_ t: [UInt8], _ c: Character, at: Int, _ message: String) throws(Problem) {
        guard at < t.count, t[at] == c.asciiValue! else { throw Problem(offset: at, message: tr(message)) }
    }

    /// `YYYY-MM-DD`, optionally followed by `T` (or a space) and a time, optionally with an offset.
    private static func dateTime(_ t: [UInt8]) throws(Problem) {
        let year = try field(t, at: 0, count: 4, trMark("expected 4 digits for the year, found {found}"))
        try expect(t, "-", at: 4, trMark("expected '-' after the year (dates are written YYYY-MM-DD)"))
        let month = try field(t, at: 5, count: 2, trMark("expected 2 digits for the month, found {found}"))
        guard (1...12).contains(month) else { throw Problem(offset: 5, message: tr("the month must be 01 to 12")) }
        try expect(t, "-", at: 7, trMark("expected '-' after the month (dates are written YYYY-MM-DD)"))
        let day = try field(t, at: 8, count: 2, trMark("expected 2 digits for the day, found {found}"))
        let days = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else {
            throw Problem(offset: 8, message: tr("the day must be 01 to {days} for {month}", ["days": String(days), "month": String(decoding: t[0..<7], as: UTF8.self)]))
        }
        if t.count == 10 { return }
        guard t[10] == ascii("T") || t[10] == ascii("t") || t[10] == ascii(" ") else {
            throw Problem(offset: 10, message: tr("expected 'T' or a space between the date and the time, found {found}", ["found": describe(t, 10)]))
        }
        var j = try time(t, from: 11)
        if j == t.count { return }
        if t[j] == ascii("Z") || t[j] == ascii("z") {
            j += 1
        } else if t[j] == ascii("+") || t[j] == ascii("-") {
            let hours = try field(t, at: j + 1, count: 2, trMark("expected 2 digits for the offset's hours, found {found}"))
            guard hours <= 23 else { throw Problem(offset: j + 1, message: tr("the offset's hours must be 00 to 23")) }
            try expect(t, ":", at: j + 3, trMark("expected ':' in the offset (offsets are written +HH:MM)"))
            let minutes = try field(t, at: j + 4, count: 2, trMark("expected 2 digits for the offset's minutes, found {found}"))
            guard minutes <= 59 else { throw Problem(offset: j + 4, message: tr("the offset's minutes must be 00 to 59")) }
            j += 6
        } else {
            throw Problem(offset: j, message: tr("expected 'Z' or an offset like +02:00 after the time, found {found}", ["found": describe(t, j)]))
        }
        if j < t.count { throw Problem(offset: j, message: tr("unexpected {found} after the date-time", ["found": describe(t, j)])) }
    }

    /// `HH:MM:SS` with optional fractional seconds; returns the index after it.
    private static func time(_ t: [UInt8], from s: Int) throws(Problem) -> Int {
        let hour = try field(t, at: s, count: 2, trMark("expected 2 digits for the hour, found {found}"))
        guard hour <= 23 else { throw Problem(offset: s, message: tr("the hour must be 00 to 23")) }
        try expect(t, ":", at: s + 2, trMark("expected ':' after the hour (times are written HH:MM:SS)"))
        let minute = try field(t, at: s + 3, count: 2, trMark("expected 2 digits for the minute, found {found}"))
        guard minute <= 59 else { throw Problem(offset: s + 3, message: tr("the minute must be 00 to 59")) }
        try expect(t, ":", at: s + 5, trMark("expected ':' and the seconds (TOML 1.0 times are written HH:MM:SS)"))
        let second = try field(t, at: s + 6, count: 2, trMark("expected 2 digits for the second, found {found}"))
        guard second <= 60 else { throw Problem(offset: s + 6, message: tr("the second must be 00 to 60")) }
        var j = s + 8
        if j < t.count, t[j] == ascii(".") {
            j += 1
            guard j < t.count, isDigit(t[j]) else {
                throw Problem(offset: j, message: tr("expected a digit after the decimal point of the seconds"))
            }
            while j < t.count, isDigit(t[j]) { j += 1 }
        }
        return j
    }

    private static func isLeap(_ y: Int) -> Bool {
        (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    }
}
