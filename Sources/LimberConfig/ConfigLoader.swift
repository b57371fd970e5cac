import Foundation
import LimberCore

/// The outcome of loading everything for the daemon. A reload is a
/// transaction: `configuration` is a whole new valid configuration, or nil
/// with the errors that prevented it. Never a partial one.
public struct LoadResult: Sendable {
    /// Nil when any error was found.
    public var configuration: Configuration?
    /// `[plugins.ID]` tables from limber.toml, unvalidated (empty on error).
    public var plugins: [String: ConfigTable]
    /// Errors and warnings, in the order found.
    public var diagnostics: [Diagnostic]
    /// Every file read, in order.
    public var files: [String]
    /// Exec plugin manifests found on the search path (the valid ones).
    public var pluginManifests: [PluginManifestFile] = []
    /// Problems with plugin manifests (a bad one is left out; the rest of
    /// the configuration still loads), and plugin files skipped as untrusted.
    public var pluginDiagnostics: [Diagnostic] = []

    public var hasErrors: Bool { diagnostics.hasErrors }
    public var errors: [Diagnostic] { diagnostics.filter(\.isError) }
    /// Warnings: files skipped as untrusted, and the like.
    public var warnings: [Diagnostic] { diagnostics.filter { !$0.isError } }
}

/// What `limberd --check` prints.
public struct CheckReport: Sendable {
    /// One line per valid program: its id, name, reminders with their cadence, exercise count.
    public var lines: [String]
    public var diagnostics: [Diagnostic]
    /// Every file read, in order.
    public var files: [String]

    public var hasErrors: Bool { diagnostics.hasErrors }
    /// 0 when there is no error (warnings allowed), 1 otherwise.
    public var exitCode: Int32 { hasErrors ? 1 : 0 }
    /// Diagnostics (`file:line:column: message`) then the program lines.
    public var text: String {
        (diagnostics.map(\.description) + lines).map { $0 + "\n" }.joined()
    }

    /// `--check -v`: every file and drop-in read, in order, then `text`.
    public var verboseText: String {
        files.map { "read \($0)\n" }.joined() + text
    }
}

/// Reads settings and programs from a search path, applying same-id
/// overrides and drop-ins, systemd style:
///
/// - `programs/ID.toml`: the first directory on the path that has it wins
///   whole; the others are not read.
/// - `programs/ID.toml.d/*.toml` from every directory, sorted by file name,
///   later files win; a name in a higher directory hides the same name in a
///   lower one. Merged at the TOML table level.
/// - `limber.toml`: the first found wins, plus `limber.toml.d/*.toml` the same way.
public struct ConfigLoader: Sendable {
    public var searchPath: SearchPath
    /// Files larger than this are rejected.
    public var maxFileBytes: Int
    /// The languages programs are shown in, most wanted first ("de_DE",
    /// "de"): `programs/ID.LANG.toml` companions are applied text by text
    /// (ProgramTranslation). Defaults to the user's (Localizer.current).
    public var languages: [String]
    /// Who may have written what is read: anything else is skipped with a
    /// warning (`untrustedFiles()`).
    public var trust: FileTrust

    public init(searchPath: SearchPath = .standard(), maxFileBytes: Int = TOMLDocument.defaultMaxBytes,
                languages: [String] = Localizer.current.languages, trust: FileTrust = FileTrust()) {
        self.searchPath = searchPath
        self.maxFileBytes = maxFileBytes
        self.languages = languages
        self.trust = trust
    }

    // MARK: Finding files

    /// Whether there is a file at `path` that may be read (an untrusted one
    /// counts as none; `untrustedFiles()` says why).
    func usable(_ path: String) -> Bool { fileExists(path) && trust.isTrusted(path) }

    /// Names in a folder that may be read from; none when it is untrusted.
    func trustedEntries(_ dir: String) -> [String] {
        guard isDirectory(dir), trust.isTrusted(dir) else { return [] }
        return directoryEntries(dir)
    }

    /// The settings file that is used, if any.
    public func settingsFile() -> String? {
        searchPath.directories.map { SearchPath.join($0, "limber.toml") }.first(where: usable)
    }

    /// The program file used for `id`, if any.
    public func programFile(id: String) -> String? {
        searchPath.directories.map { SearchPath.join($0, "programs/\(id).toml") }.first(where: usable)
    }

    /// Every program on the search path: id → the file that is used.
    public func availablePrograms() -> [(id: String, file: String)] {
        var found: [String: String] = [:]
        var order: [String] = []
        for dir in searchPath.directories {
            let programs = SearchPath.join(dir, "programs")
            for name in trustedEntries(programs) where name.hasSuffix(".toml")
                && ProgramTranslation.companion(fileName: name) == nil && usable(SearchPath.join(programs, name)) {
                let id = String(name.dropLast(5))
                if found[id] == nil {
                    found[id] = SearchPath.join(programs, name)
                    order.append(id)
                }
            }
        }
        return order.sorted().map { ($0, found[$0]!) }
    }

    /// Drop-ins in `<dir>/<name>.d/*.toml` over all directories: sorted by
    /// file name; a file in a higher directory hides one of the same name lower down.
    public func dropIns(for relativePath: String) -> [String] {
        var byName: [String: String] = [:]
        for dir in searchPath.directories {
            let d = SearchPath.join(dir, relativePath + ".d")
            for name in trustedEntries(d) where name.hasSuffix(".toml") && byName[name] == nil && usable(SearchPath.join(d, name)) {
                byName[name] = SearchPath.join(d, name)
            }
        }
        return byName.keys.sorted().map { byName[$0]! }
    }

    /// Every file and folder on the search path that would be read but is
    /// not trusted (owned by someone else, writable by others): one warning
    /// each, at the file. Under an untrusted folder only the folder is said.
    /// `config`: the folders, settings and programs; `plugins`: the
    /// `plugins/` folders and manifests.
    public func untrustedFiles(config: Bool = true, plugins: Bool = true) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func ok(_ path: String) -> Bool {
            guard fileExists(path) else { return false }
            if let p = trust.problem(path) { out.append(trust.skipped(path, p)); return false }
            return true
        }
        func tomls(in dir: String, folders: Bool = false) {
            guard ok(dir), isDirectory(dir) else { return }
            for name in directoryEntries(dir) {
                let path = SearchPath.join(dir, name)
                if name.hasSuffix(".toml") { _ = ok(path) } else if folders, name.hasSuffix(".toml.d") { tomls(in: path) }
            }
        }
        for dir in searchPath.directories where isDirectory(dir) {
            if !config {
                // Said here too when the folder holding plugins/ is not trusted.
                if trust.isTrusted(dir) { tomls(in: SearchPath.join(dir, "plugins")) } else if isDirectory(SearchPath.join(dir, "plugins")) { _ = ok(dir) }
                continue
            }
            guard ok(dir) else { continue }
            _ = ok(SearchPath.join(dir, "limber.toml"))
            tomls(in: SearchPath.join(dir, "limber.toml.d"))
            tomls(in: SearchPath.join(dir, "programs"), folders: true)
            if plugins { tomls(in: SearchPath.join(dir, "plugins")) }
        }
        return out
    }

    // MARK: Plugin manifests

    /// Exec plugin manifests, `plugins/*.toml` in each directory of the
    /// search path (the user's first: an id found there hides the same id
    /// further down). Untrusted ones are left out (see `untrustedFiles()`);
    /// bad ones are left out with their errors.
    public func pluginManifests() -> (manifests: [PluginManifestFile], diagnostics: [Diagnostic]) {
        var seen: Set<String> = []
        var manifests: [PluginManifestFile] = []
        var diagnostics: [Diagnostic] = []
        for dir in searchPath.directories {
            let plugins = SearchPath.join(dir, "plugins")
            for name in trustedEntries(plugins) where name.hasSuffix(".toml") {
                let path = SearchPath.join(plugins, name)
                guard usable(path) else { continue }
                switch PluginManifestReader.read(path: path, trust: trust) {
                case .failure(let p): diagnostics += p.items
                case .success(let m):
                    if seen.insert(m.id).inserted { manifests.append(m) }
                }
            }
        }
        return (manifests, diagnostics)
    }

    // MARK: Loading

    /// Loads the settings and every enabled program. See `LoadResult`.
    public func loadAll() -> LoadResult {
        var sink = DiagnosticSink()
        var files: [String] = []
        sink.items += untrustedFiles(plugins: false)
        let loaded = loadSettings(sink: &sink, files: &files)
        var programs: [Program] = []
        for id in loaded.settings.enabledPrograms {
            guard let file = programFile(id: id) else {
                reportMissingProgram(id, loaded: loaded, sink: &sink)
                continue
            }
            if let p = loadProgram(file: file, id: id, dropIns: dropIns(for: "programs/\(id).toml"),
                                   settings: loaded.settings, sink: &sink, files: &files) {
                programs.append(p)
            }
        }
        warnMisnamedDropIns(sink: &sink)
        let plugins = pluginManifests()
        let pluginDiagnostics = untrustedFiles(config: false) + plugins.diagnostics
        if sink.hasErrors {
            return LoadResult(configuration: nil, plugins: [:], diagnostics: sink.items, files: files,
                              pluginManifests: plugins.manifests, pluginDiagnostics: pluginDiagnostics)
        }
        return LoadResult(configuration: Configuration(programs: programs, settings: loaded.settings),
                          plugins: loaded.plugins, diagnostics: sink.items, files: files,
                          pluginManifests: plugins.manifests, pluginDiagnostics: pluginDiagnostics)
    }

    /// The settings from the search path; defaults when there is no limber.toml.
    /// On errors the defaults stand in for the bad values.
    public func loadSettings() -> (settings: LoadedSettings, diagnostics: [Diagnostic], files: [String]) {
        var sink = DiagnosticSink()
        var files: [String] = []
        let s = loadSettings(sink: &sink, files: &files)
        return (s, sink.items, files)
    }

    func loadSettings(sink: inout DiagnosticSink, files: inout [String]) -> LoadedSettings {
        readSettings(file: settingsFile(), dropIns: dropIns(for: "limber.toml"), sink: &sink, files: &files)
    }

    func readSettings(file: String?, dropIns: [String], sink: inout DiagnosticSink, files: inout [String]) -> LoadedSettings {
        guard file != nil || !dropIns.isEmpty else { return LoadedSettings() }
        guard let root = mergedDocument(file: file, dropIns: dropIns, sink: &sink, files: &files) else {
            return LoadedSettings()
        }
        return SettingsReader().read(root, file: file ?? dropIns[0], sink: &sink)
    }

    /// Loads one program file with its drop-ins. Nil when it has errors.
    public func loadProgram(file: String, id: String? = nil, dropIns: [String] = [],
                            settings: Settings = Settings()) -> (program: Program?, diagnostics: [Diagnostic]) {
        var sink = DiagnosticSink()
        var files: [String] = []
        let p = loadProgram(file: file, id: id, dropIns: dropIns, settings: settings, sink: &sink, files: &files)
        return (p, sink.items)
    }

    func loadProgram(file: String, id: String?, dropIns: [String], settings: Settings,
                     sink: inout DiagnosticSink, files: inout [String]) -> Program? {
        let start = sink.items.count
        guard let root = mergedDocument(file: file, dropIns: dropIns, sink: &sink, files: &files),
              !sink.items[start...].contains(where: \.isError) else { return nil }
        guard let program = ProgramReader(file: file, expectedID: id, settings: settings).read(root, sink: &sink) else { return nil }
        return translated(program, file: file, sink: &sink, files: &files)
    }

    // MARK: Translations

    /// The companions of program `id` for `languages`, most wanted first:
    /// `ID.LANG.toml` beside `file`, else on the search path.
    func companions(id: String, file: String, languages: [String]) -> [(language: String, file: String)] {
        let dir = (file as NSString).deletingLastPathComponent
        var out: [(String, String)] = []
        for lang in languages where ProgramTranslation.isLanguageTag(lang) {
            let name = "\(id).\(lang).toml"
            let beside = SearchPath.join(dir, name)
            // Untrusted companions are skipped like any program file.
            if usable(beside) {
                out.append((lang, beside))
            } else if let f = searchPath.directories.map({ SearchPath.join($0, "programs/" + name) }).first(where: usable) {
                out.append((lang, f))
            }
        }
        return out
    }

    /// `program` in the user's languages: each text from the most wanted
    /// companion that has it, else the original.
    func translated(_ program: Program, file: String, sink: inout DiagnosticSink, files: inout [String]) -> Program {
        if languages.contains("x-pseudo") { return ProgramTranslation.pseudo(program) }
        var p = program
        for (lang, f) in companions(id: program.id, file: file, languages: languages).reversed() {
            files.append(f)
            if let t = ProgramTranslation.read(file: f, language: lang, original: program, maxBytes: maxFileBytes,
                                               strict: false, sink: &sink) {
                p = t.apply(to: p)
            }
        }
        return p
    }

    /// `--check` of every companion of `program` found beside its file.
    func checkCompanions(of program: Program, file: String, sink: inout DiagnosticSink, files: inout [String],
                         lines: inout [String]) {
        let dir = (file as NSString).deletingLastPathComponent
        for name in directoryEntries(dir) {
            guard let (id, lang) = ProgramTranslation.companion(fileName: name), id == program.id else { continue }
            checkCompanion(SearchPath.join(dir, name), language: lang, original: program, sink: &sink, files: &files, lines: &lines)
        }
    }

    func checkCompanion(_ path: String, language: String, original: Program, sink: inout DiagnosticSink,
                        files: inout [String], lines: inout [String]) {
        files.append(path)
        let before = sink.items.count
        if ProgramTranslation.read(file: path, language: language, original: original, maxBytes: maxFileBytes,
                                   strict: true, sink: &sink) != nil {
            let missing = sink.items[before...].contains { !$0.isError }
            lines.append("\(original.id) (\(language)): " + (missing ? tr("translation partial (see the warning)") : tr("translation complete")))
        }
    }

    /// The file's table with the drop-ins merged over it, in order.
    /// Nil if any of them can't be read or parsed (each says why).
    func mergedDocument(file: String?, dropIns: [String], sink: inout DiagnosticSink, files: inout [String]) -> ConfigTable? {
        var root = ConfigTable()
        var ok = true
        for path in (file.map { [$0] } ?? []) + dropIns {
            files.append(path)
            switch TOMLDocument.load(path: path, maxBytes: maxFileBytes) {
            case .success(let doc): root = root.merged(with: doc.root)
            case .failure(let d): sink.items.append(d); ok = false
            }
        }
        return ok ? root : nil
    }

    // MARK: Where values come from

    /// A program's table with its drop-ins merged over it (each value keeps
    /// the file and line it was written at), and the files read in order.
    /// Nil when a file can't be read or parsed.
    public func mergedProgram(id: String) -> (table: ConfigTable, files: [String])? {
        guard let file = programFile(id: id) else { return nil }
        var sink = DiagnosticSink()
        var files: [String] = []
        guard let t = mergedDocument(file: file, dropIns: dropIns(for: "programs/\(id).toml"), sink: &sink, files: &files),
              !sink.hasErrors else { return nil }
        return (t, files)
    }

    /// The settings' table with their drop-ins merged (empty without files).
    public func mergedSettings() -> (table: ConfigTable, files: [String]) {
        var sink = DiagnosticSink()
        var files: [String] = []
        let file = settingsFile(), extra = dropIns(for: "limber.toml")
        guard file != nil || !extra.isEmpty,
              let t = mergedDocument(file: file, dropIns: extra, sink: &sink, files: &files) else { return (ConfigTable(), files) }
        return (t, files)
    }

    // MARK: Checking

    /// `limberd --check [PATH...]`. With no paths, checks what is on the
    /// search path: the settings, every program (as overridden and with
    /// its drop-ins) and that the enabled programs exist. A path may be a
    /// program file, a drop-in, `limber.toml`, or a directory (a
    /// configuration directory with `programs/`, or a directory of files).
    public func check(paths: [String] = []) -> CheckReport {
        // Programs are checked as written; their translations one by one, strictly.
        var original = self
        original.languages = []
        return original.checkUntranslated(paths: paths)
    }

    func checkUntranslated(paths: [String]) -> CheckReport {
        var sink = DiagnosticSink()
        var files: [String] = []
        var lines: [String] = []
        if paths.isEmpty {
            sink.items += untrustedFiles()
            let loaded = loadSettings(sink: &sink, files: &files)
            let available = availablePrograms()
            for id in loaded.settings.enabledPrograms where !available.contains(where: { $0.id == id }) {
                reportMissingProgram(id, loaded: loaded, sink: &sink)
            }
            for (id, file) in available {
                if let p = loadProgram(file: file, id: id, dropIns: dropIns(for: "programs/\(id).toml"),
                                       settings: loaded.settings, sink: &sink, files: &files) {
                    lines.append(Self.summaryLine(p, enabled: loaded.settings.enabledPrograms.contains(id)))
                    checkCompanions(of: p, file: file, sink: &sink, files: &files, lines: &lines)
                }
            }
            warnOrphanDropIns(known: Set(available.map(\.id)), sink: &sink)
            sink.items += pluginManifests().diagnostics
        } else {
            for path in paths {
                check(path: path, sink: &sink, files: &files, lines: &lines)
            }
        }
        return CheckReport(lines: lines, diagnostics: sink.items, files: files)
    }

    private func check(path: String, sink: inout DiagnosticSink, files: inout [String], lines: inout [String]) {
        let name = (path as NSString).lastPathComponent
        let parent = ((path as NSString).deletingLastPathComponent as NSString)
        let parentName = parent.lastPathComponent
        if isDirectory(path) && !name.hasSuffix(".toml") {
            let entries = directoryEntries(path)
            if entries.contains("programs") || entries.contains("limber.toml") || entries.contains("limber.toml.d") {
                // A configuration directory: check it as a search path of its own.
                let sub = ConfigLoader(searchPath: SearchPath(directories: [path]), maxFileBytes: maxFileBytes, languages: [])
                var settings = Settings()
                if sub.settingsFile() != nil || !sub.dropIns(for: "limber.toml").isEmpty {
                    settings = sub.loadSettings(sink: &sink, files: &files).settings
                }
                let available = sub.availablePrograms()
                for (id, file) in available {
                    if let p = sub.loadProgram(file: file, id: id, dropIns: sub.dropIns(for: "programs/\(id).toml"),
                                               settings: settings, sink: &sink, files: &files) {
                        lines.append(Self.summaryLine(p))
                        sub.checkCompanions(of: p, file: file, sink: &sink, files: &files, lines: &lines)
                    }
                }
                sub.warnOrphanDropIns(known: Set(available.map(\.id)), sink: &sink)
            } else {
                // Companions are checked with their program.
                let tomls = entries.filter { $0.hasSuffix(".toml") && ProgramTranslation.companion(fileName: $0) == nil }
                if tomls.isEmpty {
                    sink.warning(SourceLocation(file: path), tr("no .toml files to check here"))
                }
                for e in tomls {
                    check(path: SearchPath.join(path, e), sink: &sink, files: &files, lines: &lines)
                }
            }
            return
        }
        if name == "limber.toml" || parentName == "limber.toml.d" {
            _ = readSettings(file: path, dropIns: [], sink: &sink, files: &files)
            return
        }
        let stem = name.hasSuffix(".toml") ? String(name.dropLast(5)) : name
        if let (id, lang) = ProgramTranslation.companion(fileName: name), !parentName.hasSuffix(".toml.d") {
            // A translation: check it against its program, beside it or on the search path.
            let beside = SearchPath.join(parent as String, id + ".toml")
            guard let base = fileExists(beside) ? beside : programFile(id: id) else {
                sink.error(SourceLocation(file: path), tr("a translation of program '{id}', but there is no {id}.toml beside it or on the search path", ["id": id]))
                return
            }
            if let p = loadProgram(file: base, id: id, dropIns: [], settings: Settings(), sink: &sink, files: &files) {
                checkCompanion(path, language: lang, original: p, sink: &sink, files: &files, lines: &lines)
            }
            return
        }
        if parentName.hasSuffix(".toml.d") {
            // A drop-in: check it over its program, found beside it or on the search path.
            let id = String(parentName.dropLast(7))
            let beside = SearchPath.join(parent.deletingLastPathComponent, id + ".toml")
            guard let base = fileExists(beside) ? beside : programFile(id: id) else {
                sink.error(SourceLocation(file: path), tr("a drop-in for program '{id}', but there is no {id2}.toml beside it or on the search path", ["id": "\(id)", "id2": "\(id)"]))
                return
            }
            if let p = loadProgram(file: base, id: id, dropIns: [path], settings: Settings(), sink: &sink, files: &files) {
                lines.append(Self.summaryLine(p))
            }
            return
        }
        let siblings = directoryEntries(path + ".d").filter { $0.hasSuffix(".toml") }.map { SearchPath.join(path + ".d", $0) }
        if let p = loadProgram(file: path, id: stem, dropIns: siblings, settings: Settings(), sink: &sink, files: &files) {
            lines.append(Self.summaryLine(p))
            checkCompanions(of: p, file: path, sink: &sink, files: &files, lines: &lines)
        }
    }

    /// An enabled program that isn't there: said at its name in limber.toml,
    /// or at the settings file (or where it would be) for the default.
    func reportMissingProgram(_ id: String, loaded: LoadedSettings, sink: inout DiagnosticSink) {
        let at = loaded.programLocations[id]
            ?? settingsFile().map { SourceLocation(file: $0) }
            ?? SourceLocation(file: searchPath.directories.first.map { SearchPath.join($0, "limber.toml") } ?? "limber.toml")
        let dirs = searchPath.directories.isEmpty ? tr("an empty search path") : searchPath.directories.joined(separator: ", ")
        let what = loaded.programLocations[id] == nil ? tr("the default program '{id}'", ["id": "\(id)"]) : "program '\(id)'"
        sink.error(at, tr("{what} is not installed (looked for programs/{id}.toml in {dirs})", ["what": "\(what)", "id": "\(id)", "dirs": "\(dirs)"]))
    }

    /// A drop-in folder named `ID.d/` (or `limber.d/`) instead of
    /// `ID.toml.d/`: limber does not read it, so say so.
    func warnMisnamedDropIns(sink: inout DiagnosticSink) {
        for dir in searchPath.directories {
            for (folder, prefix) in [(SearchPath.join(dir, "programs"), "programs/"), (dir, "")] {
                for name in directoryEntries(folder) where name.hasSuffix(".d") && !name.hasSuffix(".toml.d") {
                    let stem = String(name.dropLast(2))
                    guard prefix == "programs/" || stem == "limber" else { continue }
                    sink.warning(SourceLocation(file: SearchPath.join(folder, name)),
                                 tr("drop-in folder '{name}' is not read: name it '{stem}.toml.d' ({prefix}{stem2}.toml.d/*.toml)", ["name": "\(name)", "stem": "\(stem)", "prefix": "\(prefix)", "stem2": "\(stem)"]))
                }
            }
        }
    }

    /// `programs/ID.toml.d/` with no `programs/ID.toml` anywhere: likely a typo.
    func warnOrphanDropIns(known: Set<String>, sink: inout DiagnosticSink) {
        warnMisnamedDropIns(sink: &sink)
        for dir in searchPath.directories {
            let programs = SearchPath.join(dir, "programs")
            for name in directoryEntries(programs) where name.hasSuffix(".toml.d") {
                let id = String(name.dropLast(7))
                if !known.contains(id) {
                    sink.warning(SourceLocation(file: SearchPath.join(programs, name)),
                                 tr("drop-ins for program '{id}', but there is no programs/{id2}.toml", ["id": "\(id)", "id2": "\(id)"]))
                }
            }
        }
    }

    // MARK: Describing

    /// One line: `sciatica-relief: "Sciatica relief" (v1), 16 exercises, phases acute 7d → ...; reminders: ...`.
    public static func summaryLine(_ p: Program, enabled: Bool? = nil) -> String {
        var parts: [String] = ["\"\(p.name)\" (v\(p.version))"]
        parts.append(trn("{n} exercise", "{n} exercises", p.exercises.count, ["n": String(p.exercises.count)]))
        if !p.phases.isEmpty {
            let phases: [String] = p.phases.map { (phase: Phase) -> String in
                if let d = phase.days { return "\(phase.id) \(d)d" }
                return phase.id
            }
            parts.append(tr("phases {list}", ["list": phases.joined(separator: " → ")]))
        }
        let rules = p.reminders.map { r in
            "\(r.id) (" + describe(r.cadence) + byPhase(r, p)
                + (r.phases.isEmpty ? "" : "; " + tr("in {phases}", ["phases": r.phases.joined(separator: ", ")])) + ")"
        }
        var line = "\(p.id): " + parts.joined(separator: ", ") + "; "
            + trn("{n} reminder: {rules}", "{n} reminders: {rules}", p.reminders.count,
                  ["n": String(p.reminders.count), "rules": rules.joined(separator: ", ")])
        if enabled == true { line += " [" + tr("enabled") + "]" }
        return line
    }

    /// "; acute: after 30m, recovery: after 45m": a rule's per-phase values.
    static func byPhase(_ r: ReminderRule, _ p: Program) -> String {
        guard !r.phaseCadences.isEmpty else { return "" }
        let parts = p.phases.compactMap { phase -> String? in
            guard let c = r.phaseCadences[phase.id] else { return nil }
            switch c {
            case .sitBreak(let after, _): return "\(phase.id) \(DurationText.format(after))"
            case .interval(let every), .every(let every, _, _): return "\(phase.id) \(DurationText.format(every))"
            default: return "\(phase.id) " + describe(c)
            }
        }
        return "; " + tr("by phase: {values}", ["values": parts.joined(separator: ", ")])
    }

    /// A cadence in words: "sit-break after 45m", "every 2h", "3× in 09:00-18:00, 2h apart", "at 12:30 on weekdays".
    public static func describe(_ c: Cadence) -> String {
        switch c {
        case .sitBreak(let after, let naturalBreak):
            tr("sit-break after {after}, reset by {idle} idle", ["after": DurationText.format(after), "idle": DurationText.format(naturalBreak)])
        case .interval(let every):
            tr("every {duration}", ["duration": DurationText.format(every)])
        case .every(let every, let window, let grid):
            switch (window, grid) {
            case (let w?, true): tr("every {duration} in {window} on the grid", ["duration": DurationText.format(every), "window": "\(w)"])
            case (let w?, false): tr("every {duration} in {window} from the last answer", ["duration": DurationText.format(every), "window": "\(w)"])
            case (nil, true): tr("every {duration} on the grid", ["duration": DurationText.format(every)])
            case (nil, false): tr("every {duration} from the last answer", ["duration": DurationText.format(every)])
            }
        case .window(let count, let window, let minGap):
            tr("{count}× in {window}, {gap} apart", ["count": String(count), "window": "\(window)", "gap": DurationText.format(minGap)])
        case .fixed(let times, let days):
            tr("at {times} on {days}", ["times": times.map(\.description).joined(separator: ", "), "days": describe(days)])
        }
    }

    public static func describe(_ days: Set<Weekday>) -> String {
        if days == Weekday.everyDay { return tr("every day") }
        if days == Weekday.workdays { return tr("weekdays") }
        if days == [.saturday, .sunday] { return tr("weekends") }
        return days.sorted().map(\.short).joined(separator: ", ")
    }
}
