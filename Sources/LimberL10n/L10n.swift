import CIntl
import Foundation
import LimberConfig
import LimberCore

/// The user's language at the edge: glibc's gettext for messages, the C
/// locale data for times and numbers. `L10n.setUp()` is called once at the
/// start of limberd and limberctl; it installs a `Localizer` the core and
/// everything above it use (docs/translating.md).
public enum L10n {
    /// The gettext domain: catalogs are `LOCALEDIR/LANG/LC_MESSAGES/limber.mo`.
    public static let domain = "limber"

    /// What `setUp` found, for `limberctl --version`-like diagnostics and tests.
    public struct Setup: Sendable {
        public var localeDirectory: String?
        public var messagesLocale: String
        public var languages: [String]
    }

    /// Reads the locale from the environment (LANGUAGE, LC_ALL, LC_MESSAGES,
    /// LANG, as gettext does), binds the catalog directory and installs the
    /// localizer. `LIMBER_PSEUDO_LOCALE=1` installs the pseudo-locale instead
    /// (tests: every string lengthened and accented).
    @discardableResult
    public static func setUp(environment env: [String: String] = ProcessInfo.processInfo.environment) -> Setup {
        let (setup, localizer) = makeLocalizer(environment: env)
        Localizer.install(localizer)
        return setup
    }

    /// What `setUp` installs. It sets the process's LC_MESSAGES locale and
    /// binds the catalog directory (process-wide, as gettext is).
    public static func makeLocalizer(environment env: [String: String]) -> (Setup, Localizer) {
        if env["LIMBER_PSEUDO_LOCALE"] == "1" {
            return (Setup(localeDirectory: nil, messagesLocale: "pseudo", languages: ["x-pseudo"]), .pseudo)
        }
        var messagesLocale = setlocale(LC_MESSAGES, "").map { String(cString: $0) }
        let wanted = requestedLocale(env)
        if messagesLocale == nil, let w = wanted, !isC(w) {
            // The user's locale is not generated on this machine (locale -a):
            // glibc then stays in "C" and ignores LANGUAGE. C.UTF-8 is always
            // there and, unlike "C", lets gettext follow LANGUAGE; so ask for
            // the language by LANGUAGE unless the user set it already.
            messagesLocale = setlocale(LC_MESSAGES, "C.UTF-8").map { String(cString: $0) }
            if (env["LANGUAGE"] ?? "").isEmpty, messagesLocale != nil {
                setenv("LANGUAGE", languageTags(of: w).joined(separator: ":"), 1)
            }
        }
        let langs = languages(env, messagesLocale: messagesLocale ?? "C")
        let dir = localeDirectory(env, languages: langs)
        if let dir {
            bindtextdomain(domain, dir)
            bind_textdomain_codeset(domain, "UTF-8")
        }
        let time = timeFormatter()
        let radix = decimalSeparator()
        let localizer = Localizer(
            translate: { msgid in
                guard dir != nil, !msgid.isEmpty else { return msgid }
                // gettext returns its argument when there is no translation:
                // read the result while the C string is alive.
                return msgid.withCString { id in
                    guard let r = dgettext(domain, id), r != UnsafePointer(id) else { return msgid }
                    return String(cString: r)
                }
            },
            translatePlural: { one, many, n in
                guard dir != nil else { return n == 1 ? one : many }
                return one.withCString { o in
                    many.withCString { m in
                        guard let r = dngettext(domain, o, m, UInt(max(0, n))) else { return n == 1 ? one : many }
                        if r == UnsafePointer(o) { return one }
                        if r == UnsafePointer(m) { return many }
                        return String(cString: r)
                    }
                }
            },
            time: time,
            number: { Localizer.plainNumber($0, $1, separator: radix) },
            languages: langs)
        return (Setup(localeDirectory: dir, messagesLocale: messagesLocale ?? "C", languages: langs), localizer)
    }

    /// The catalog directory: `LIMBER_LOCALEDIR` (tests, translators),
    /// else `locale` beside the data directory (`PREFIX/share/limber` ->
    /// `PREFIX/share/locale`, where scripts/install and the Debian package
    /// put the catalogs; `LIMBER_DATA_DIR` moves it as it moves the data).
    /// Nothing is looked for beside the executable: a folder near it may
    /// belong to someone else. A directory is used only when it, every folder
    /// above it and the catalogs of the wanted `languages` in it pass the
    /// same trust check as the configuration (FileTrust: the user's or
    /// root's, writable by no one else); else the texts stay English.
    static func localeDirectory(_ env: [String: String], languages: [String] = [],
                                trust: FileTrust = FileTrust()) -> String? {
        var candidates: [String] = []
        if let d = env["LIMBER_LOCALEDIR"], d.hasPrefix("/") { candidates.append(d) }
        let data = SearchPath.dataDirectory(environment: env)
        candidates.append((data as NSString).deletingLastPathComponent + "/locale")
        for c in candidates where trusted(c, languages: languages, trust: trust) { return c }
        return nil
    }

    /// Whether gettext may read catalogs from `dir`: a folder whose chain up
    /// to `/` is trusted, and whose catalogs for `languages` (those present,
    /// and the folders holding them) are too.
    static func trusted(_ dir: String, languages: [String], trust: FileTrust = FileTrust()) -> Bool {
        var st = stat()
        guard stat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return false }
        guard trust.isTrusted(dir) else { return false }
        for lang in languages {
            for path in [dir + "/" + lang, dir + "/" + lang + "/LC_MESSAGES",
                         dir + "/" + lang + "/LC_MESSAGES/" + domain + ".mo"] where !trust.isTrusted(path) {
                return false
            }
        }
        return true
    }

    /// LC_ALL, else LC_MESSAGES, else LANG (the first one set and not empty).
    static func requestedLocale(_ env: [String: String]) -> String? {
        for k in ["LC_ALL", "LC_MESSAGES", "LANG"] { if let v = env[k], !v.isEmpty { return v } }
        return nil
    }

    static func isC(_ locale: String) -> Bool {
        locale == "C" || locale == "POSIX" || locale.hasPrefix("C.")
    }

    /// "de_DE.UTF-8@euro" -> ["de_DE", "de"].
    public static func languageTags(of locale: String) -> [String] {
        var s = Substring(locale)
        if let at = s.firstIndex(of: "@") { s = s[..<at] }
        if let dot = s.firstIndex(of: ".") { s = s[..<dot] }
        guard !s.isEmpty, !isC(String(s)) else { return [] }
        var out = [String(s)]
        if let us = s.firstIndex(of: "_") { out.append(String(s[..<us])) }
        return out
    }

    /// The languages wanted, most wanted first, as gettext picks them:
    /// LANGUAGE (a colon list) unless the messages locale is C, else the locale.
    public static func languages(_ env: [String: String], messagesLocale: String) -> [String] {
        var out: [String] = []
        if messagesLocale != "C" && messagesLocale != "POSIX", let list = env["LANGUAGE"], !list.isEmpty {
            for item in list.split(separator: ":") { out += languageTags(of: String(item)) }
        }
        if let w = requestedLocale(env) { out += languageTags(of: w) }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }

    /// 12- or 24-hour times as the LC_TIME locale writes them.
    static func timeFormatter() -> @Sendable (Int, Int) -> String {
        guard let loc = newlocale(LC_TIME_MASK, "", nil) else { return Localizer.time24 }
        defer { freelocale(loc) }
        let tfmt = String(cString: nl_langinfo_l(nl_item(T_FMT), loc))
        let twelve = ["%r", "%I", "%l", "%p"].contains { tfmt.contains($0) }
        guard twelve else { return Localizer.time24 }
        let am = String(cString: nl_langinfo_l(nl_item(AM_STR), loc))
        let pm = String(cString: nl_langinfo_l(nl_item(PM_STR), loc))
        return { hour, minute in
            let h12 = hour % 12 == 0 ? 12 : hour % 12
            let suffix = hour < 12 ? am : pm
            return String(h12) + ":" + (minute < 10 ? "0" : "") + String(minute) + (suffix.isEmpty ? "" : " " + suffix)
        }
    }

    /// The LC_NUMERIC locale's decimal separator ("." or ",").
    static func decimalSeparator() -> String {
        guard let loc = newlocale(LC_NUMERIC_MASK, "", nil) else { return "." }
        defer { freelocale(loc) }
        let s = String(cString: nl_langinfo_l(nl_item(RADIXCHAR), loc))
        return s.isEmpty ? "." : s
    }
}
