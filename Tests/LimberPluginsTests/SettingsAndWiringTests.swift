import Foundation
import Logging
import Testing
@testable import LimberConfig
@testable import LimberDaemon
@testable import LimberPlugins
import LimberCore
import LimberHistory
import Systemd
import LimberNotifications

func pluginTables(_ toml: String, file: String = "limber.toml") throws -> [String: ConfigTable] {
    guard case .success(let doc) = TOMLDocument.parse(toml, file: file) else { throw PluginError("bad TOML") }
    var out: [String: ConfigTable] = [:]
    for (id, v) in doc.root["plugins"]?.table?.entriesInOrder ?? [] { out[id] = v.table }
    return out
}

@Suite struct PluginSettingsTests {
    let manifests = PluginRegistry.builtins().map(\.manifest)

    @Test func unknownSettingsWrongTypesAndUnknownPluginsAreErrorsWithPositions() throws {
        let tables = try pluginTables("""
        [plugins.media-inhibit]
        recheck = 5
        max_wait = "forever"
        bogus = true

        [plugins.logind]
        enabled = "yes"

        [plugins.no-such-plugin]
        x = 1

        [plugins.skip-guard]
        after = 0
        """)
        let checked = PluginWiring.validate(tables, manifests: manifests)
        let (configs, rejected, diagnostics) = (checked.configs, checked.rejected, checked.diagnostics)
        #expect(configs.isEmpty)
        #expect(Set(rejected.keys) == ["media-inhibit", "logind", "skip-guard"])
        let text = diagnostics.map(\.description)
        #expect(text.contains("limber.toml:7:11: 'enabled' must be a boolean (true or false), not a string"))
        #expect(text.contains(#"limber.toml:2:11: 'recheck' must be a duration like "5m", not an integer"#))
        #expect(text.contains(#"limber.toml:3:12: 'max_wait' must be a duration like "1h"; got "forever""#))
        #expect(text.contains { $0.hasPrefix("limber.toml:4:1: unknown setting 'bogus' for plugin 'media-inhibit' (known: 'enabled', 'recheck', 'max_wait', 'ignore')") })
        #expect(text.contains { $0.hasPrefix("limber.toml:10:1: unknown plugin 'no-such-plugin' in [plugins.no-such-plugin]") })
        #expect(text.contains("limber.toml:13:9: 'after' must be at least 1; got 0"))
    }

    @Test func validTablesFillInDefaults() throws {
        let tables = try pluginTables("""
        [plugins.quiet-hours]
        windows = ["12:00-13:00"]
        [plugins.journal]
        enabled = false
        """)
        let checked = PluginWiring.validate(tables, manifests: manifests)
        let (configs, rejected, diagnostics) = (checked.configs, checked.rejected, checked.diagnostics)
        #expect(diagnostics.isEmpty && rejected.isEmpty)
        #expect(configs["quiet-hours"]?.settings.strings("windows") == ["12:00-13:00"])
        #expect(configs["quiet-hours"]?.settings.strings("days") == [])
        #expect(configs["journal"]?.enabled == false)
    }

    @Test func execManifestsAreReadWithPositions() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "exec = [\"missing.sh\"]\ncapabilities = [\"sink\"]\ncolour = 1\n[settings.x]\ntype = \"colour\"\ndefault = 1\n"
            .write(toFile: dir + "/bad.toml", atomically: true, encoding: .utf8)
        guard case .failure(let ds) = PluginManifestReader.read(path: dir + "/bad.toml") else { Issue.record("accepted"); return }
        let text = ds.items.map(\.description)
        #expect(text.contains { $0.hasPrefix(dir + "/bad.toml:1:8: 'missing.sh' is not an executable file") })
        #expect(text.contains(dir + "/bad.toml:2:17: capabilities are \"gate\", \"observer\" and \"activity\""))
        #expect(text.contains { $0.hasPrefix(dir + "/bad.toml:3:1: unknown key 'colour' in a plugin manifest") })
        #expect(text.contains { $0.hasPrefix(dir + "/bad.toml:5:8: setting 'x' needs 'type'") })
    }
}

@Suite struct BuiltinGateAndObserverTests {
    @Test func skipGuardOffersFewerExercisesAtTheirPrescribedDoseAfterSkipsInARow() throws {
        let loop = try EventLoop()
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { SkipGuardPlugin() })], clock: realClock)
        var s = PluginSettings.defaults(SkipGuardPlugin.manifest)
        s.values["after"] = .integer(2)
        host.configure(["skip-guard": PluginConfig(enabled: true, settings: s)])
        host.start()
        host.observe(.recorded(outcome(.skipped)))
        #expect(host.shape(reminder()) == reminder())
        host.observe(.recorded(outcome(.skipped)))
        let gentle = host.shape(reminder())
        #expect(gentle.items[0].message == "Skipped a few in a row: how about just this one?")
        #expect(gentle.items[0].exercises.map(\.id) == ["walk"])
        // The dose a clinician prescribed stays as written.
        #expect(gentle.items[0].exercises[0].dose == reminder().items[0].exercises[0].dose)
        // Only a program that allows it gets a smaller dose.
        let easier = host.shape(reminder(allowEasier: true))
        #expect(easier.items[0].exercises[0].dose.duration == .seconds(90))
        // Another rule is not affected; a done resets the count.
        #expect(host.shape(reminder(rule: "p/other")) == reminder(rule: "p/other"))
        host.observe(.recorded(outcome(.done)))
        #expect(host.shape(reminder()) == reminder())
    }

    @Test func skipGuardCountsOnlySkipsInARow() throws {
        let loop = try EventLoop()
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { SkipGuardPlugin() })], clock: realClock)
        var s = PluginSettings.defaults(SkipGuardPlugin.manifest)
        s.values["after"] = .integer(2)
        host.configure(["skip-guard": PluginConfig(enabled: true, settings: s)])
        host.start()
        // A snooze or an expiry between skips breaks the run, as the message says ("in a row").
        for breaker in [OutcomeKind.snoozed, .expired, .done] {
            host.observe(.recorded(outcome(.skipped)))
            host.observe(.recorded(outcome(breaker)))
            host.observe(.recorded(outcome(.skipped)))
            #expect(host.shape(reminder()) == reminder(), "\(breaker) did not reset the count")
            host.observe(.recorded(outcome(.done)))
        }
        // Outcomes that are not answers (shown, postponed) leave the count alone.
        host.observe(.recorded(outcome(.skipped)))
        host.observe(.recorded(outcome(.shown)))
        host.observe(.recorded(outcome(.postponed)))
        host.observe(.recorded(outcome(.skipped)))
        #expect(host.shape(reminder()).items[0].exercises.count == 1)
    }

    @Test func journalWritesEveryOutcomeWithStructuredFields() throws {
        let loop = try EventLoop()
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { JournalPlugin() })], clock: realClock)
        let rec = Recorder()
        rec.attach(host)
        host.start()
        var o = outcome(.snoozed)
        o.snooze = .minutes(10)
        host.observe(.recorded(o))
        let entry = try #require(rec.logs.last { $0.plugin == "journal" })
        #expect(entry.message == "p/move: snoozed (Walk) for 10m")
        #expect(entry.fields["outcome"] == "snoozed")
        #expect(entry.fields["rule"] == "p/move")
        #expect(entry.fields["exercises"] == "walk")
        #expect(entry.fields["snooze_seconds"] == "600")
        #expect(entry.fields["due_at"] == "2027-01-15T08:00:00Z")
    }

    @Test func quietHoursPostponeToTheEndOfTheWindow() throws {
        let loop = try EventLoop()
        var now = Moment(wall: ISO8601DateFormatter().date(from: "2027-01-15T12:20:00Z")!, uptime: .seconds(100))
        let made = QuietHoursPlugin()
        made.timeZone = { TimeZone(identifier: "UTC")! }
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { made })], clock: { now })
        var s = PluginSettings.defaults(QuietHoursPlugin.manifest)
        s.values["windows"] = .strings(["12:00-13:00", "22:00-07:00"])
        host.configure(["quiet-hours": PluginConfig(enabled: true, settings: s)])
        host.start()
        #expect(decide(host, loop) == .postpone(.minutes(40), reason: "quiet-hours: quiet hours 12:00-13:00 until 13:00"))
        now.wall = ISO8601DateFormatter().date(from: "2027-01-15T13:00:00Z")!
        #expect(decide(host, loop) == .proceed)
        now.wall = ISO8601DateFormatter().date(from: "2027-01-15T23:00:00Z")!
        #expect(decide(host, loop) == .postpone(.hours(8), reason: "quiet-hours: quiet hours 22:00-07:00 until 07:00"))
    }

    @Test func aBadQuietWindowFailsThePluginWithTheReason() throws {
        let loop = try EventLoop()
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { QuietHoursPlugin() })], clock: realClock)
        host.configure(["quiet-hours": PluginConfig(enabled: true, settings: PluginSettings(["windows": .strings(["lunch"])]))])
        host.start()
        #expect(host.status("quiet-hours")?.state == .failed)
        #expect(host.status("quiet-hours")?.detail == #"start failed: 'windows': "lunch" is not a window like "12:00-13:00""#)
    }
}

/// A presenter that remembers what it showed.
final class ShownPresenter: ReminderPresenter {
    var onAnswer: ((ReminderID, Answer) -> Void)?
    var shown: [Reminder] = []
    func show(_ reminder: Reminder, programs: [Program]) { shown.append(reminder) }
    func withdraw(_ id: ReminderID, reason: WithdrawReason) {}
}

@Suite struct PluginWiringTests {
    @Test func theHostGatesTheServiceSeesOutcomesAndShapesWhatIsShown() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loop = try EventLoop()
        var now = Moment(wall: Date(timeIntervalSince1970: 1_800_000_000), uptime: .seconds(100))
        let walk = Exercise(id: "walk", name: "Walk", category: .cardio, position: .standing, dose: Dose(duration: .minutes(4)))
        let rule = ReminderRule(id: "every", title: "Move", cadence: .interval(every: .minutes(30)), pool: ExercisePool(exercises: ["walk"]))
        let config = Configuration(programs: [Program(id: "p", name: "P", exercises: [walk], reminders: [rule])],
                                   settings: Settings(workingHours: DayWindow("00:00-24:00")!))
        let presenter = ShownPresenter()
        let tables = try pluginTables("[plugins.skip-guard]\nafter = 1\n[plugins.gate]\n")
        let gate = FakePlugin("gate", [.gate])
        var postponeNext = true
        gate.onReview = { _, v in
            v(postponeNext ? .postpone(.minutes(5), reason: "in a call") : .proceed)
            postponeNext = false
        }
        let wiring = PluginWiring(loop: loop, clock: { now }, pluginDirectories: [],
                                  builtins: [entry(gate), PluginEntry(builtin: { SkipGuardPlugin() })],
                                  logger: Logger(label: "test"))
        // As the daemon builds it: the host first, then the service with its gate and presenter.
        let service = ReminderService(configuration: config, plugins: tables, loader: ConfigLoader(searchPath: SearchPath(directories: [dir])),
                                      presenter: wiring.presenter(presenter), gate: wiring,
                                      reloadValidators: [wiring.validateReload], stateStore: nil, history: nil,
                                      timeZone: TimeZone(identifier: "UTC")!, clock: { now }, logger: Logger(label: "test"))
        wiring.start(service: service, userBus: nil, systemBus: nil)
        #expect(wiring.statuses().map(\.state) == [.running, .running])
        service.start()
        now = now + .minutes(30)
        service.send(.timer)
        spin(loop, timeout: .milliseconds(200)) { false }
        #expect(presenter.shown.isEmpty)  // postponed by the gate
        now = now + .minutes(5)
        service.send(.timer)
        #expect(spin(loop) { presenter.shown.count == 1 })
        #expect(presenter.shown[0].items[0].message != SkipGuardPlugin.manifest.setting("message")?.defaultValue.description)
        presenter.onAnswer?(presenter.shown[0].id, .skip)
        now = now + .minutes(30)
        service.send(.timer)
        #expect(spin(loop) { presenter.shown.count == 2 })
        // One skip (after = 1): the next one is gentler, at the same dose.
        #expect(presenter.shown[1].items[0].message == "Skipped a few in a row: how about just this one?")
        #expect(presenter.shown[1].items[0].exercises[0].dose.duration == .minutes(4))
        #expect(wiring.idleSourceLine == "idle source: none (active time unknown)")
    }
}
