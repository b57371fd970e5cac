// What limberd does for each method of org.limber.Limber1: one handler per
// method declared in LimberAPI (APITable.swift there), bound by the
// declared value. ControlAPI.register serves the declared methods with
// these handlers; APIInterfaceTests checks each declared method has exactly
// one handler and each handler a declared method.
import LimberAPI
import Systemd

/// The code that answers one declared method.
struct APIHandler: Sendable {
    enum Body: Sendable {
        /// Answered before the handler returns (on the loop thread).
        case sync(@Sendable (ControlAPI, MethodInvocation) throws -> [BusValue])
        /// Answered later through the reply (e.g. after the history writer
        /// finished), so the loop never waits.
        case async(@Sendable (ControlAPI, MethodInvocation, MethodReply) -> Void)
    }

    let method: APIMethod
    let body: Body

    init(_ method: APIMethod, _ handler: @escaping @Sendable (ControlAPI, MethodInvocation) throws -> [BusValue]) {
        self.method = method
        self.body = .sync(handler)
    }

    init(_ method: APIMethod, async handler: @escaping @Sendable (ControlAPI, MethodInvocation, MethodReply) -> Void) {
        self.method = method
        self.body = .async(handler)
    }
}

extension ControlAPI {
    // The handler runs after the argument signature and sizes were checked
    // against the declaration, and a sync reply is checked against its `out`.
    static let handlers: [APIHandler] = [
        APIHandler(.status) { api, _ in [api.statusDict()] },
        APIHandler(.listPrograms) { api, _ in [api.listPrograms()] },
        APIHandler(.describeProgram) { api, call in [try api.describeProgram(call.arguments[0].stringValue ?? "")] },
        APIHandler(.listReminders) { api, _ in [api.listReminders()] },
        APIHandler(.enableProgram) { api, call in [try api.setProgram(call.arguments[0].stringValue ?? "", enabled: true)] },
        APIHandler(.disableProgram) { api, call in [try api.setProgram(call.arguments[0].stringValue ?? "", enabled: false)] },
        APIHandler(.done) { api, call in
            try api.answer(call.arguments[0], .done)
            return []
        },
        APIHandler(.snooze) { api, call in [try api.snooze(call.arguments[0], call.arguments[1].stringValue ?? "")] },
        APIHandler(.skip) { api, call in
            try api.answer(call.arguments[0], .skip)
            return []
        },
        APIHandler(.triggerNow) { api, call in [try api.trigger(call.arguments[0].stringValue ?? "")] },
        APIHandler(.breakNow) { api, _ in [try api.breakNow()] },
        APIHandler(.moved) { api, _ in
            api.service.send(.moved)
            return []
        },
        APIHandler(.pause) { api, call in [try api.pause(for: call.arguments[0].stringValue ?? "")] },
        APIHandler(.pauseUntil) { api, call in [try api.pause(until: call.arguments[0].stringValue ?? "")] },
        APIHandler(.resume) { api, _ in
            api.service.send(.resume)
            return []
        },
        APIHandler(.clearRedFlag) { api, _ in [.bool(api.service.clearRedFlag(source: "cli"))] },
        APIHandler(.reload) { api, _ in
            try api.reload()
            return []
        },
        APIHandler(.checkIn, async: { api, call, reply in
            ControlAPI.answering(reply) { try api.checkIn(call.arguments, answer: $0) }
        }),
        APIHandler(.stats, async: { api, call, reply in
            ControlAPI.answering(reply) { try api.stats(call.arguments[0].stringValue ?? "", answer: $0) }
        }),
        APIHandler(.forgetHistory, async: { api, _, reply in
            ControlAPI.answering(reply) { try api.forgetHistory(answer: $0) }
        }),
        APIHandler(.listPlugins) { api, _ in [api.listPlugins()] },
        APIHandler(.describePlugins) { api, _ in [api.describePlugins()] },
    ] + phaseHandlers + todayHandlers  // ControlAPI+Phases.swift, ControlAPI+Today.swift

    /// The declared methods with their handlers, in the order of the XML;
    /// a declared method without a handler is left out (and fails
    /// APIInterfaceTests).
    static var served: [(method: APIMethod, body: APIHandler.Body)] {
        LimberInterface.methods.compactMap { m in handlers.first { $0.method == m }.map { (m, $0.body) } }
    }
}

extension BusMethodError {
    static func limber(_ name: String, _ message: String) -> BusMethodError {
        BusMethodError(name: name, message: message)
    }
}
