import LimberCore

/// Settings read from `limber.toml` (plus its drop-ins), with what the
/// loader needs beyond `Settings` itself.
public struct LoadedSettings: Sendable {
    public var settings: Settings
    /// `[plugins.ID]` tables, passed through unvalidated for the plugin layer.
    public var plugins: [String: ConfigTable]
    /// Where each enabled program is named, for "not found" messages; nil
    /// when the list is the default.
    public var programLocations: [String: SourceLocation]

    public init(settings: Settings = Settings(enabledPrograms: [Settings.defaultProgram]),
                plugins: [String: ConfigTable] = [:], programLocations: [String: SourceLocation] = [:]) {
        self.settings = settings
        self.plugins = plugins
        self.programLocations = programLocations
    }
}

/// Turns `limber.toml`'s merged table into `Settings`. See docs/settings.md.
struct SettingsReader {
    static let keys = ["programs", "working_hours", "active_days", "quiet_hours", "snooze", "max_snoozes",
                       "coalesce_window", "stays_up", "catch_up_delay", "natural_break", "history_retention",
                       "checkin_after_exercise", "plugins"]

    func read(_ root: ConfigTable, file: String, sink: inout DiagnosticSink) -> LoadedSettings {
        let r = TableReader(root, at: SourceLocation(file: file), what: "limber.toml")
        r.rejectUnknownKeys(allowed: Self.keys, sink: &sink)
        var out = LoadedSettings()
        var s = Settings()

        if let list = r.strings("programs", sink: &sink) {
            var ids: [String] = []
            for (id, at) in list {
                if !isValidID(id) {
                    sink.error(at, tr("\"{id}\" is not a valid program id: use lower-case letters, digits, '-' and '_'", ["id": "\(id)"]))
                } else if ids.contains(id) {
                    sink.warning(at, tr("program '{id}' is listed twice", ["id": "\(id)"]))
                } else {
                    ids.append(id)
                    out.programLocations[id] = at
                }
            }
            if list.isEmpty, let v = root["programs"] {
                sink.warning(v.location, tr("no programs are enabled, so limber will remind you of nothing"))
            }
            s.enabledPrograms = ids
        } else {
            s.enabledPrograms = [Settings.defaultProgram]
        }

        if let w = r.dayWindow("working_hours", sink: &sink) { s.workingHours = w }
        if let d = r.weekdays("active_days", sink: &sink) { s.activeDays = d }
        if let v = root["quiet_hours"] {
            var windows: [DayWindow] = []
            let list: [ConfigValue] = v.string != nil ? [v] : (v.array ?? [])
            if v.string == nil && v.array == nil {
                sink.error(v.location, tr("'quiet_hours' must be a list of time windows like [\"22:00-07:00\"]"))
            }
            for e in list {
                if let w = TableReader.dayWindow(e, key: "quiet_hours", sink: &sink) { windows.append(w) }
            }
            s.quietHours = windows
        }
        if let d = r.duration("snooze", example: "10m", minimum: .minutes(1), sink: &sink) { s.snooze = d }
        if let n = r.integer("max_snoozes", range: 0...20, sink: &sink) { s.maxSnoozes = n }
        if let d = r.duration("coalesce_window", example: "5m", minimum: .seconds(0), sink: &sink) {
            if d > .hours(1), let v = root["coalesce_window"] {
                sink.error(v.location, tr("'coalesce_window' must be at most 1h; got {d}", ["d": "\(DurationText.format(d))"]))
            } else {
                s.coalesceWindow = d
            }
        }
        if let d = r.duration("stays_up", example: "15m", minimum: .seconds(10), sink: &sink) { s.staysUp = d }
        if let d = r.duration("catch_up_delay", example: "2m", minimum: .seconds(0), sink: &sink) { s.catchUpDelay = d }
        if let d = r.duration("natural_break", example: "5m", minimum: .seconds(10), sink: &sink) { s.naturalBreak = d }
        if let v = root["history_retention"] {
            if let text = v.string, let retention = HistoryRetention(text) {
                s.historyRetention = retention
            } else {
                sink.error(v.location, tr("'history_retention' must be \"forever\" or a number of days like \"365d\" (at least \"1d\")"))
            }
        }
        if let b = r.bool("checkin_after_exercise", sink: &sink) { s.checkInAfterExercise = b }

        if let v = root["plugins"] {
            if let t = v.table {
                for (id, p) in t.entriesInOrder {
                    if !isValidID(id) {
                        sink.error(p.keyLocation, tr("'{id}' is not a valid plugin id: use lower-case letters, digits, '-' and '_'", ["id": "\(id)"]))
                    } else if let pt = p.table {
                        out.plugins[id] = pt
                    } else {
                        sink.error(p.location, tr("plugin '{id}' must be a table like [plugins.{id2}], not {type}", ["id": "\(id)", "id2": "\(id)", "type": "\(p.typeName)"]))
                    }
                }
            } else {
                sink.error(v.location, tr("'plugins' must be a table of [plugins.ID] tables, not {type}", ["type": "\(v.typeName)"]))
            }
        }
        out.settings = s
        return out
    }
}
