import Foundation
import Testing
@testable import LimberPlugins
import LimberCore
import Systemd

/// A plugin whose hooks the test writes.
final class FakePlugin: GatePlugin, ObserverPlugin, ShaperPlugin, ActivitySourcePlugin {
    let manifest: PluginManifest
    var onStart: (PluginContext) throws -> Void = { _ in }
    var onReview: (Reminder, @escaping (GateDecision) -> Void) throws -> Void = { _, v in v(.proceed) }
    var onObserve: (ServiceEvent) throws -> Void = { _ in }
    var onShape: (Reminder) throws -> Reminder = { $0 }
    var context: PluginContext?
    var stops = 0
    var observed: [ServiceEvent] = []

    init(_ id: String, _ caps: Set<PluginCapability>, settings: [SettingSpec] = [], idlePriority: Int? = nil,
         gateTimeLimit: Duration = .milliseconds(200)) {
        manifest = PluginManifest(id: id, name: id, description: "a test plugin", capabilities: caps, settings: settings,
                                  idlePriority: idlePriority, gateTimeLimit: gateTimeLimit)
    }

    func start(_ context: PluginContext) throws {
        self.context = context
        try onStart(context)
    }
    func stop() { stops += 1 }
    func review(_ reminder: Reminder, verdict: @escaping (GateDecision) -> Void) throws { try onReview(reminder, verdict) }
    func observe(_ observation: ServiceEvent) throws {
        observed.append(observation)
        try onObserve(observation)
    }
    func shape(_ reminder: Reminder) throws -> Reminder { try onShape(reminder) }
}

func entry(_ p: FakePlugin) -> PluginEntry { PluginEntry(declared: p.manifest) { p } }

/// Reviews a reminder and runs the loop until the host decides.
func decide(_ host: PluginHost, _ loop: EventLoop, _ r: Reminder = reminder(), timeout: Duration = .seconds(5)) -> GateDecision? {
    var verdict: GateDecision?
    host.review(r) { verdict = $0 }
    spin(loop, timeout: timeout) { verdict != nil }
    return verdict
}

@Suite struct PluginHostTests {
    @Test func aPluginThatThrowsOnStartIsFailedAndTheOthersRun() throws {
        let loop = try EventLoop()
        let bad = FakePlugin("bad", [.observer])
        bad.onStart = { _ in throw PluginError("no such device") }
        let good = FakePlugin("good", [.observer])
        let host = PluginHost(loop: loop, entries: [entry(bad), entry(good)], clock: realClock)
        let rec = Recorder()
        rec.attach(host)
        host.start()
        #expect(host.status("bad")?.state == .failed)
        #expect(host.status("bad")?.detail.contains("no such device") == true)
        #expect(host.status("good")?.state == .running)
        host.observe(.recorded(outcome(.done)))
        #expect(good.observed.count == 1)
        #expect(bad.observed.isEmpty)
        #expect(rec.logs.contains { $0.level == .error && $0.plugin == "bad" })
    }

    @Test func anObserverThatThrowsIsSkippedAfterwardsAndOthersStillHear() throws {
        let loop = try EventLoop()
        let bad = FakePlugin("bad", [.observer])
        bad.onObserve = { _ in throw PluginError("disk full") }
        let good = FakePlugin("good", [.observer])
        let host = PluginHost(loop: loop, entries: [entry(bad), entry(good)], clock: realClock)
        host.start()
        host.observe(.recorded(outcome(.shown)))
        host.observe(.recorded(outcome(.done)))
        #expect(bad.observed.count == 1)
        #expect(bad.stops == 1)
        #expect(good.observed.count == 2)
        #expect(host.status("bad")?.state == .failed)
        #expect(host.status("bad")?.detail == "observe threw: disk full")
    }

    @Test func aGateThatNeverAnswersCountsAsProceedAndFailsAfterRepeatedOverruns() throws {
        let loop = try EventLoop()
        let hung = FakePlugin("hung", [.gate], gateTimeLimit: .milliseconds(100))
        hung.onReview = { _, _ in }  // never answers
        let host = PluginHost(loop: loop, entries: [entry(hung)], clock: realClock)
        host.start()
        let t0 = Clocks.monotonic()
        #expect(decide(host, loop) == .proceed)
        #expect(Clocks.monotonic() - t0 >= .milliseconds(100))
        #expect(host.status("hung")?.state == .running)
        #expect(decide(host, loop) == .proceed)
        #expect(decide(host, loop) == .proceed)
        #expect(host.status("hung")?.state == .failed)
        #expect(host.status("hung")?.detail.contains("overran its time 3 times") == true)
        // Failed: no longer asked, so the answer is immediate.
        var asked = false
        hung.onReview = { _, _ in asked = true }
        #expect(decide(host, loop) == .proceed)
        #expect(!asked)
    }

    @Test func aGateThatAnswersTooLateIsIgnored() throws {
        let loop = try EventLoop()
        let slow = FakePlugin("slow", [.gate], gateTimeLimit: .milliseconds(100))
        var timers: [EventTimer] = []
        slow.onReview = { _, verdict in
            timers.append(try loop.after(.milliseconds(300)) { verdict(.drop(reason: "too late")) })
        }
        let host = PluginHost(loop: loop, entries: [entry(slow)], clock: realClock)
        let rec = Recorder()
        rec.attach(host)
        host.start()
        var verdicts: [GateDecision] = []
        host.review(reminder()) { verdicts.append($0) }
        spin(loop) { rec.logged("slow", containing: "too late") }
        #expect(verdicts == [.proceed])
        #expect(rec.logged("slow", containing: "gate did not answer within"))
    }

    @Test func aGateThatAnswersSlowlyButInTimeIsHeard() throws {
        let loop = try EventLoop()
        let slow = FakePlugin("slow", [.gate], gateTimeLimit: .seconds(2))
        var timers: [EventTimer] = []
        slow.onReview = { _, verdict in
            timers.append(try loop.after(.milliseconds(150)) { verdict(.postpone(.minutes(5), reason: "in a call")) })
        }
        let host = PluginHost(loop: loop, entries: [entry(slow)], clock: realClock)
        host.start()
        #expect(decide(host, loop) == .postpone(.minutes(5), reason: "slow: in a call"))
        #expect(host.status("slow")?.state == .running)
    }

    @Test func aGateThatThrowsProceedsAndIsFailed() throws {
        let loop = try EventLoop()
        let bad = FakePlugin("bad", [.gate])
        bad.onReview = { _, _ in throw PluginError("boom") }
        let host = PluginHost(loop: loop, entries: [entry(bad)], clock: realClock)
        host.start()
        #expect(decide(host, loop) == .proceed)
        #expect(host.status("bad")?.state == .failed)
    }

    @Test func aDropWinsThenTheLongestPostpone() throws {
        let loop = try EventLoop()
        let short = FakePlugin("short", [.gate])
        short.onReview = { _, v in v(.postpone(.minutes(2), reason: "video")) }
        let long = FakePlugin("long", [.gate])
        long.onReview = { _, v in v(.postpone(.minutes(30), reason: "quiet")) }
        let dropper = FakePlugin("dropper", [.gate])
        var drop = false
        dropper.onReview = { _, v in v(drop ? .drop(reason: "on holiday") : .proceed) }
        let host = PluginHost(loop: loop, entries: [entry(short), entry(long), entry(dropper)], clock: realClock)
        host.start()
        #expect(decide(host, loop) == .postpone(.minutes(30), reason: "long: quiet"))
        drop = true
        #expect(decide(host, loop) == .drop(reason: "dropper: on holiday"))
    }

    @Test func theDecisionComesFromALaterLoopIterationAndOnlyOnce() throws {
        let loop = try EventLoop()
        let twice = FakePlugin("twice", [.gate])
        twice.onReview = { _, v in
            v(.postpone(.minutes(1), reason: "first"))
            v(.drop(reason: "second"))  // misbehaving: ignored
        }
        let host = PluginHost(loop: loop, entries: [entry(twice)], clock: realClock)
        host.start()
        var verdicts: [GateDecision] = []
        host.review(reminder()) { verdicts.append($0) }
        #expect(verdicts.isEmpty)  // not from inside review
        spin(loop, timeout: .milliseconds(300)) { false }
        #expect(verdicts == [.postpone(.minutes(1), reason: "twice: first")])
    }

    @Test func aSlowSynchronousHookIsAnOverrunAndRepeatedOnesFailIt() throws {
        let loop = try EventLoop()
        let busy = FakePlugin("busy", [.observer])
        busy.onObserve = { _ in
            let end = Clocks.monotonic() + .milliseconds(30)
            while Clocks.monotonic() < end {}
        }
        var options = PluginHost.Options()
        options.hookBudget = .milliseconds(5)
        let host = PluginHost(loop: loop, entries: [entry(busy)], clock: realClock, options: options)
        let rec = Recorder()
        rec.attach(host)
        host.start()
        for _ in 0..<3 { host.observe(.recorded(outcome(.done))) }
        #expect(host.status("busy")?.state == .failed)
        #expect(rec.logged("busy", containing: "observe took"))
        host.observe(.recorded(outcome(.done)))
        #expect(busy.observed.count == 3)
    }

    @Test func shapersApplyInOrderAndOneThatThrowsOrChangesTheIdIsIgnored() throws {
        let loop = try EventLoop()
        let thrower = FakePlugin("thrower", [.shaper])
        thrower.onShape = { _ in throw PluginError("nope") }
        let idChanger = FakePlugin("id-changer", [.shaper])
        idChanger.onShape = { var r = $0; r.id = 99; r.items[0].message = "wrong"; return r }
        let gentle = FakePlugin("gentle", [.shaper])
        gentle.onShape = { var r = $0; r.items[0].message = "gently"; return r }
        let host = PluginHost(loop: loop, entries: [entry(thrower), entry(idChanger), entry(gentle)], clock: realClock)
        host.start()
        let shaped = host.shape(reminder())
        #expect(shaped.id == 1)
        #expect(shaped.items[0].message == "gently")
        #expect(host.status("thrower")?.state == .failed)
    }

    @Test func theBestIdleSourcePresentWinsAndLockPassesThroughFromAnySource() throws {
        let loop = try EventLoop()
        let floor = FakePlugin("floor", [.activity], idlePriority: 10)
        let precise = FakePlugin("precise", [.activity], idlePriority: 20)
        let host = PluginHost(loop: loop, entries: [entry(floor), entry(precise)], clock: realClock)
        let rec = Recorder()
        rec.attach(host)
        host.start()
        #expect(host.idleSource == nil)
        floor.context?.setIdleSourceAvailable(true)
        #expect(host.idleSourceLine == "idle source: floor")
        precise.context?.setIdleSourceAvailable(true)
        #expect(host.idleSource == "precise")
        #expect(host.status("precise")?.isIdleSource == true)
        floor.context?.emit(.idle(since: nil))
        precise.context?.emit(.idle(since: .seconds(5)))
        floor.context?.emit(.locked)
        #expect(rec.activity.map(\.event) == [.idle(since: .seconds(5)), .locked])
        #expect(rec.activity.map(\.from) == ["precise", "floor"])
        precise.context?.setIdleSourceAvailable(false)
        #expect(host.idleSource == "floor")
    }

    @Test func reconfiguringRestartsOnlyPluginsWhoseSettingsChangedAndRetriesFailedOnes() throws {
        let loop = try EventLoop()
        var made: [String: Int] = [:]
        func factory(_ id: String, failFirst: Bool = false) -> PluginEntry {
            let m = FakePlugin(id, [.observer], settings: [SettingSpec("level", .integer(1), help: "")]).manifest
            return PluginEntry(declared: m) {
                made[id, default: 0] += 1
                let p = FakePlugin(id, [.observer], settings: m.settings)
                if failFirst, made[id] == 1 { p.onStart = { _ in throw PluginError("first start fails") } }
                return p
            }
        }
        let host = PluginHost(loop: loop, entries: [factory("a"), factory("b"), factory("c", failFirst: true)], clock: realClock)
        host.start()
        #expect(host.status("c")?.state == .failed)
        let a2 = PluginConfig(enabled: true, settings: PluginSettings(["level": .integer(2)]))
        let restarted = host.configure(["a": a2])
        #expect(restarted.sorted() == ["a", "c"])
        #expect(made == ["a": 2, "b": 1, "c": 2])
        #expect(host.status("c")?.state == .running)
        // Same settings again: nothing restarts.
        #expect(host.configure(["a": a2]).isEmpty)
        // Disabled: stopped and shown as such.
        host.configure(["a": a2, "b": PluginConfig(enabled: false, settings: PluginSettings(["level": .integer(1)]))])
        #expect(host.status("b")?.state == .disabled)
        #expect(host.status("b")?.enabled == false)
    }

    @Test func rejectedSettingsKeepARunningPluginOnItsOldSettings() throws {
        let loop = try EventLoop()
        let p = FakePlugin("p", [.observer])
        let host = PluginHost(loop: loop, entries: [entry(p)], clock: realClock)
        host.start()
        host.configure([:], rejected: ["p": ["limber.toml:3:1: unknown setting 'x'"]])
        #expect(host.status("p")?.state == .running)
        #expect(host.status("p")?.detail.contains("limber.toml:3:1: unknown setting 'x'") == true)
    }

    @Test func aPluginThatNeedsABusIsAbsentWithoutIt() throws {
        let loop = try EventLoop()
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { LogindPlugin() })], clock: realClock)
        host.start()
        #expect(host.status("logind")?.state == .absent)
        #expect(host.status("logind")?.detail == "waiting for system bus")
    }
}
