// Text from files (program titles, notes, messages) on its way to a sink
// that would take some of it as commands: a terminal, a status bar's markup,
// a spreadsheet. One function per sink; every printer goes through them.

/// Escaping for the places limber's text ends up.
public enum SafeText {
    /// For a terminal (and what reads one: tmux, status bars, logs): C0
    /// controls, DEL, C1 controls and the bidirectional overrides are
    /// removed, so no escape sequence (OSC 52 clipboard writes, OSC 0 window
    /// titles, CSI 2J clears) and no reordering trick survives. Newline and
    /// tab stay when `layout` is true (multi-line output); otherwise each
    /// becomes a space.
    public static func terminal(_ s: String, layout: Bool = true) -> String {
        var clean = true
        for u in s.unicodeScalars where isControl(u) || (u == "\n" || u == "\t") && !layout { clean = false; break }
        if clean { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u == "\n" || u == "\t" {
                out.append(layout ? u : " ")
            } else if !isControl(u) {
                out.append(u)
            }
        }
        return String(out)
    }

    /// C0 (but newline and tab, judged by the caller), DEL, C1, and the
    /// Unicode bidirectional embedding, override and isolate controls.
    public static func isControl(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x0A, 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: true
        default: false
        }
    }

    /// For Pango markup (waybar's `text` and `tooltip`, notification bodies
    /// where the server takes markup): `& < > ' "` as entities, and terminal
    /// controls removed.
    public static func pango(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in terminal(s, layout: true) {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "'": out += "&#39;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    /// For a CSV cell a spreadsheet will open (OWASP "CSV injection"): a
    /// cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
    /// gets a leading `'`, so it is text, never a formula. Plain numbers
    /// (such as "-3") are left alone.
    public static func csvCell(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return s }
        if Double(s) != nil, first != "\t", first != "\r" { return s }
        return "'" + s
    }
}
