// The one declaration of org.limber.Limber1: every method with its
// arguments, reply, comment and handler; the signals; the properties.
// limberd registers the methods from this table (ControlAPI.register), the
// introspection XML it serves is generated from it (LimberInterface), and
// docs/org.limber.Limber1.xml is checked against it by APIInterfaceTests.
import Systemd

extension ControlAPI {
    // HOW TO ADD A METHOD: add one entry below, in the place it should
    // appear in the XML:
    //
    //     APIMethod("Today", doc: "What is planned for today.",
    //               in: [.init("day", "s")], out: [.init("plan", "aa{sv}")]) { api, call in
    //         [try api.today(call.arguments[0].stringValue ?? "")]
    //     },
    //
    // (`async:` instead of a trailing closure for a method that answers later
    // through its MethodReply, e.g. one that waits for the history writer).
    // The handler runs after the argument signature and sizes were checked,
    // and a sync reply is checked against `out`. Then regenerate the XML:
    //     LIMBER_REGENERATE_INTERFACE=1 scripts/test --only swift -- --filter APIInterfaceTests
    // and describe the method in docs/api.md (a test looks for its name there).
    public static let methods: [APIMethod] = [
        APIMethod("Status", doc: "Everything a status bar needs, as a{sv} (keys in docs/api.md).",
                  out: [.init("status", "a{sv}")]) { api, _ in [api.statusDict()] },
        APIMethod("ListPrograms", doc: "Every installed program: id, name, summary, version, enabled, file.",
                  out: [.init("programs", "aa{sv}")]) { api, _ in [api.listPrograms()] },
        APIMethod("DescribeProgram", doc: "One installed program in full (exercises, reminders, phases).",
                  in: [.init("id", "s")], out: [.init("program", "a{sv}")]) { api, call in
            [try api.describeProgram(call.arguments[0].stringValue ?? "")]
        },
        APIMethod("ListReminders", doc: "The reminder rules of the enabled programs, with their next times.",
                  out: [.init("reminders", "aa{sv}")]) { api, _ in [api.listReminders()] },
        APIMethod("EnableProgram", doc: """
            Enable or disable a program: written to
            $XDG_CONFIG_HOME/limber/limber.toml.d/50-limberctl.toml, then
            reloaded. Returns the enabled program ids.
            """, in: [.init("id", "s")], out: [.init("enabled", "as")]) { api, call in
            [try api.setProgram(call.arguments[0].stringValue ?? "", enabled: true)]
        },
        APIMethod("DisableProgram", in: [.init("id", "s")], out: [.init("enabled", "as")]) { api, call in
            [try api.setProgram(call.arguments[0].stringValue ?? "", enabled: false)]
        },
        APIMethod("Done", doc: "Answer the reminder showing. id 0: whichever is showing.",
                  in: [.init("id", "t")]) { api, call in
            try api.answer(call.arguments[0], .done)
            return []
        },
        APIMethod("Snooze", doc: "duration: \"10m\", \"1h30m\", \"90s\"; \"\" for the reminder's own snooze.",
                  in: [.init("id", "t"), .init("duration", "s")], out: [.init("until", "t")]) { api, call in
            [try api.snooze(call.arguments[0], call.arguments[1].stringValue ?? "")]
        },
        APIMethod("Skip", in: [.init("id", "t")]) { api, call in
            try api.answer(call.arguments[0], .skip)
            return []
        },
        APIMethod("TriggerNow", doc: "Show a rule (\"program/rule\") now. Returns the id of the reminder showing.",
                  in: [.init("rule", "s")], out: [.init("id", "t")]) { api, call in
            [try api.trigger(call.arguments[0].stringValue ?? "")]
        },
        APIMethod("BreakNow", doc: """
            Take a break now: the next reminder due is shown at once (the
            one on screen stays). Returns its id.
            """, out: [.init("id", "t")]) { api, _ in [try api.breakNow()] },
        APIMethod("Moved", doc: """
            The person just took a break away from the desk: every sit break
            starts counting again, and the history records it.
            """) { api, _ in
            api.service.send(.moved)
            return []
        },
        APIMethod("Pause", doc: """
            Pause for a duration ("" = until Resume). Returns when the pause
            ends (unix seconds; 0 = until Resume).
            """, in: [.init("duration", "s")], out: [.init("until", "t")]) { api, call in
            [try api.pause(for: call.arguments[0].stringValue ?? "")]
        },
        APIMethod("PauseUntil", doc: "Pause until the next HH:MM (local time).",
                  in: [.init("time", "s")], out: [.init("until", "t")]) { api, call in
            [try api.pause(until: call.arguments[0].stringValue ?? "")]
        },
        APIMethod("Resume") { api, _ in
            api.service.send(.resume)
            return []
        },
        APIMethod("ClearRedFlag", doc: """
            The person says the red flag they reported has been seen to:
            exercise reminders come back (recorded in the history). Returns
            false when no red flag was holding them.
            """, out: [.init("cleared", "b")]) { api, _ in
            [.bool(api.service.clearRedFlag(source: "cli"))]
        },
        APIMethod("Reload", doc: """
            Reload programs and settings; returns when done. On errors the
            running configuration stays and the call fails with ConfigInvalid,
            one "file:line:column: message" per line.
            """) { api, _ in
            try api.reload()
            return []
        },
        APIMethod("CheckIn", doc: """
            A pain check-in: pain 0..10, reach (back, buttock, thigh, knee,
            calf, foot or ""), red flags (bladder-bowel, saddle-numbness,
            foot-drop, progressive-weakness), a note. Returns the advice.
            """, in: [.init("pain", "y"), .init("reach", "s"), .init("red_flags", "as"), .init("note", "s")],
                  out: [.init("response", "a{sv}")], async: { api, call, reply in
            ControlAPI.answering(reply) { try api.checkIn(call.arguments, answer: $0) }
        }),
        APIMethod("Stats", doc: """
            period: "week", "month" or a first day "YYYY-MM-DD". The stats as
            JSON (schema 1, docs/history.md).
            """, in: [.init("period", "s")], out: [.init("json", "s")], async: { api, call, reply in
            ControlAPI.answering(reply) { try api.stats(call.arguments[0].stringValue ?? "", answer: $0) }
        }),
        APIMethod("ForgetHistory", doc: """
            Deletes the whole history. Returns the rows deleted:
            outcomes, check_ins, activity_days.
            """, out: [.init("deleted", "a{sv}")], async: { api, _, reply in
            ControlAPI.answering(reply) { try api.forgetHistory(answer: $0) }
        }),
        APIMethod("ListPlugins", doc: "Plugins: id, state (running, failed, disabled), kind, detail.",
                  out: [.init("plugins", "a(ssss)")]) { api, _ in [api.listPlugins()] },
        APIMethod("DescribePlugins", doc: """
            Plugins as a{sv}: id, state, kind, detail (in limberd's language),
            roles (as: "idle-source" for the idle source in use).
            """, out: [.init("plugins", "aa{sv}")]) { api, _ in [api.describePlugins()] },
    ] + phaseMethods + todayMethods  // ControlAPI+Phases.swift, ControlAPI+Today.swift

    /// The signals (emitted from ControlAPI.serviceEvent).
    public static let signals: [APISignal] = [
        APISignal("ReminderShown", doc: "A reminder appeared (or changed in place: same id, more rules).", [
            .init("id", "t"), .init("title", "s"), .init("rules", "as"), .init("body", "s"),
        ]),
        APISignal("ReminderAnswered", doc: """
            A reminder ended: outcome done, snoozed, skipped, dismissed,
            expired or paused.
            """, [.init("id", "t"), .init("outcome", "s"), .init("rules", "as")]),
        APISignal("Reloaded", doc: "A reload finished: ok, and its errors (\"file:line:column: message\").", [
            .init("ok", "b"), .init("errors", "as"),
        ]),
    ]

    /// The properties, in order (values: ControlAPI.currentProperties).
    public static let properties: [APIProperty] = [
        APIProperty("Version", "s"),
        APIProperty("State", "s", doc: "paused, showing, away, scheduled or idle (nothing scheduled)."),
        APIProperty("StatusLine", "s"),
        APIProperty("Paused", "b"),
        APIProperty("PausedUntil", "t", doc: "unix seconds; 0 = not paused, or paused until Resume."),
        APIProperty("NextReminder", "(sst)", doc: "(rule, title, unix seconds); (\"\", \"\", 0) when nothing is scheduled."),
        APIProperty("Showing", "(ts)", doc: "(id, title); (0, \"\") when none is showing."),
        APIProperty("EnabledPrograms", "as"),
        APIProperty("DoneToday", "u"),
        APIProperty("ShownToday", "u"),
        APIProperty("ConfigErrors", "as", doc: "The errors of the last reload, empty when it succeeded."),
    ]

    /// The property names in the order they are declared.
    public static var propertyNames: [String] { properties.map(\.name) }
}
