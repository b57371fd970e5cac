import Foundation
import LimberAPI
import Logging
import Testing
@testable import LimberConfig
@testable import LimberCore
@testable import LimberDaemon
import Systemd

/// A gate that never decides: the reminder stays held.
final class UndecidedGate: ReminderGate {
    var held: [Reminder] = []
    func review(_ reminder: Reminder, decide: @escaping (GateDecision) -> Void) { held.append(reminder) }
}

/// ControlAPI in-process, without a bus: the parts the end-to-end tests
/// cannot reach.
@Suite struct APIUnitTests {
    func makeAPI(_ clock: HandClock, dir: String, gate: ReminderGate? = nil) -> (ControlAPI, ReminderService) {
        let loader = ConfigLoader(searchPath: SearchPath(directories: [dir + "/config"]))
        let service = ReminderService(configuration: ServiceTests.program(), loader: loader, presenter: RecordingPresenter(),
                                      gate: gate, stateStore: nil, history: nil, timeZone: TimeZone(identifier: "UTC")!,
                                      clock: { clock.now }, logger: Logger(label: "test"))
        let api = ControlAPI(service: service, reload: { service.reload() }, loop: nil, configDirectory: dir + "/config",
                             logger: Logger(label: "test"))
        return (api, service)
    }

    @Test func answeringAReminderAPluginStillHoldsIsRefused() throws {
        let clock = HandClock()
        let gate = UndecidedGate()
        let (api, service) = makeAPI(clock, dir: tempDirectory(), gate: gate)
        service.start()
        _ = try api.trigger("p/every")
        #expect(gate.held.count == 1)
        #expect(throws: BusMethodError.self) { try api.answer(.uint64(0), .done) }
        do { try api.answer(.uint64(0), .done) } catch let e as BusMethodError {
            #expect(e.name == LimberBus.ErrorName.noSuchReminder)
            #expect(e.message.contains("not on screen yet"))
        }
        #expect(service.engine.state.showing != nil)
    }

    @Test func historyMethodsWithoutADatabase() throws {
        let (api, _) = makeAPI(HandClock(), dir: tempDirectory())
        for call in [{ try api.stats("week") { _ in } }, { try api.forgetHistory { _ in } },
                     { try api.checkIn([.byte(1), .string(""), .strings([]), .string("")]) { _ in } }] {
            do { try call(); Issue.record("succeeded") } catch let e as BusMethodError {
                #expect(e.name == LimberBus.ErrorName.historyUnavailable)
            }
        }
    }

    @Test func dropInQuotesIDsAsTOMLStrings() {
        #expect(ControlAPI.dropInText(["a", "b-c"]).contains("programs = [\"a\", \"b-c\"]\n"))
        #expect(ControlAPI.dropInText([]).contains("programs = []\n"))
        #expect(ControlAPI.dropInText(["q\"\\"]).contains("programs = [\"q\\\"\\\\\"]"))
    }

    @Test func outcomesThatEndAReminder() {
        func o(_ kind: OutcomeKind, note: String? = nil) -> Outcome {
            Outcome(reminder: 1, rule: RuleID(program: "p", rule: "r"), kind: kind, exercises: [], at: Date(), dueAt: Date(), note: note)
        }
        #expect(ControlAPI.answerOutcome(o(.done)) == "done")
        #expect(ControlAPI.answerOutcome(o(.snoozed)) == "snoozed")
        #expect(ControlAPI.answerOutcome(o(.snoozed, note: "paused")) == "paused")
        #expect(ControlAPI.answerOutcome(o(.expired)) == "expired")
        #expect(ControlAPI.answerOutcome(o(.shown)) == nil)
        #expect(ControlAPI.answerOutcome(o(.missed)) == nil)
        #expect(ControlAPI.answerOutcome(o(.postponed)) == nil)
    }

    @Test func quotedArgumentsStayShortAndPrintable() {
        #expect(ControlAPI.quoted("abc") == "'abc'")
        #expect(ControlAPI.quoted(String(repeating: "x", count: 500)).count == 63)
        #expect(ControlAPI.quoted("a\nb\u{1b}[31m") == "'a?b?[31m'")
    }

    @Test func sizesAreCheckedAtEveryDepth() {
        #expect(throws: BusMethodError.self) { try ControlAPI.checkSizes([.variant(.string(String(repeating: "x", count: 5000)))]) }
        #expect(throws: BusMethodError.self) { try ControlAPI.checkSizes([.strings(Array(repeating: "a", count: 65))]) }
        #expect(throws: Never.self) { try ControlAPI.checkSizes([.strings(Array(repeating: "a", count: 64)), .string(String(repeating: "x", count: 4096))]) }
    }
}
