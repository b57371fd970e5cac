// The one declaration of org.limber.Limber1: every method with its
// arguments, reply and comment; the signals; the properties. limberd binds
// one handler to each method (ControlAPI.handlers, LimberDaemon) and serves
// the introspection XML generated from this table (LimberInterface.xml);
// limberctl calls the methods by these values (`client.call(.snooze, ...)`);
// docs/org.limber.Limber1.xml is checked against it by APIInterfaceTests.
//
// HOW TO ADD A METHOD: declare it below and put it in `methods` in the
// place it should appear in the XML:
//
//     public static let today = APIMethod("Today", doc: "What is planned for today.",
//                                         in: [.init("day", "s")], out: [.init("plan", "aa{sv}")])
//
// then give it a handler in ControlAPI.handlers (API/APIHandlers.swift in
// LimberDaemon; a test checks every method has exactly one), regenerate the
// XML:
//     LIMBER_REGENERATE_INTERFACE=1 scripts/test --only swift -- --filter APIInterfaceTests
// and describe the method in docs/api.md (a test looks for its name there).

extension LimberInterface {
    /// The methods, in the order of the XML.
    public static let methods: [APIMethod] = [
        .status, .listPrograms, .describeProgram, .listReminders, .enableProgram, .disableProgram,
        .done, .snooze, .skip, .triggerNow, .breakNow, .moved, .pause, .pauseUntil, .resume, .clearRedFlag,
        .reload, .checkIn, .stats, .forgetHistory, .listPlugins, .describePlugins,
        .programPhase, .setProgramPhase, .answerPhaseQuestion, .startProgram,
        .today,
    ]

    /// The signals (emitted from limberd's ControlAPI.serviceEvent).
    public static let signals: [APISignal] = [.reminderShown, .reminderAnswered, .reloaded]

    /// The properties, in order (values: limberd's ControlAPI.currentProperties).
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

extension APISignal {
    public static let reminderShown = APISignal("ReminderShown", doc: "A reminder appeared (or changed in place: same id, more rules).", [
        .init("id", "t"), .init("title", "s"), .init("rules", "as"), .init("body", "s"),
    ])
    public static let reminderAnswered = APISignal("ReminderAnswered", doc: """
        A reminder ended: outcome done, snoozed, skipped, dismissed,
        expired or paused.
        """, [.init("id", "t"), .init("outcome", "s"), .init("rules", "as")])
    public static let reloaded = APISignal("Reloaded", doc: "A reload finished: ok, and its errors (\"file:line:column: message\").", [
        .init("ok", "b"), .init("errors", "as"),
    ])
}

// MARK: Reading and acting

extension APIMethod {
    public static let status = APIMethod("Status", doc: "Everything a status bar needs, as a{sv} (keys in docs/api.md).",
                                         out: [.init("status", "a{sv}")])
    public static let listPrograms = APIMethod("ListPrograms", doc: "Every installed program: id, name, summary, version, enabled, file.",
                                               out: [.init("programs", "aa{sv}")])
    public static let describeProgram = APIMethod("DescribeProgram", doc: "One installed program in full (exercises, reminders, phases).",
                                                  in: [.init("id", "s")], out: [.init("program", "a{sv}")])
    public static let listReminders = APIMethod("ListReminders", doc: "The reminder rules of the enabled programs, with their next times.",
                                                out: [.init("reminders", "aa{sv}")])
    public static let enableProgram = APIMethod("EnableProgram", doc: """
        Enable or disable a program: written to
        $XDG_CONFIG_HOME/limber/limber.toml.d/50-limberctl.toml, then
        reloaded. Returns the enabled program ids.
        """, in: [.init("id", "s")], out: [.init("enabled", "as")])
    public static let disableProgram = APIMethod("DisableProgram", in: [.init("id", "s")], out: [.init("enabled", "as")])
    public static let done = APIMethod("Done", doc: "Answer the reminder showing. id 0: whichever is showing.",
                                       in: [.init("id", "t")])
    public static let snooze = APIMethod("Snooze", doc: "duration: \"10m\", \"1h30m\", \"90s\"; \"\" for the reminder's own snooze.",
                                         in: [.init("id", "t"), .init("duration", "s")], out: [.init("until", "t")])
    public static let skip = APIMethod("Skip", in: [.init("id", "t")])
    public static let triggerNow = APIMethod("TriggerNow", doc: "Show a rule (\"program/rule\") now. Returns the id of the reminder showing.",
                                             in: [.init("rule", "s")], out: [.init("id", "t")])
    public static let breakNow = APIMethod("BreakNow", doc: """
        Take a break now: the next reminder due is shown at once (the
        one on screen stays). Returns its id.
        """, out: [.init("id", "t")])
    public static let moved = APIMethod("Moved", doc: """
        The person just took a break away from the desk: every sit break
        starts counting again, and the history records it.
        """)
    public static let pause = APIMethod("Pause", doc: """
        Pause for a duration ("" = until Resume). Returns when the pause
        ends (unix seconds; 0 = until Resume).
        """, in: [.init("duration", "s")], out: [.init("until", "t")])
    public static let pauseUntil = APIMethod("PauseUntil", doc: "Pause until the next HH:MM (local time).",
                                             in: [.init("time", "s")], out: [.init("until", "t")])
    public static let resume = APIMethod("Resume")
    public static let clearRedFlag = APIMethod("ClearRedFlag", doc: """
        The person says the red flag they reported has been seen to:
        exercise reminders come back (recorded in the history). Returns
        false when no red flag was holding them.
        """, out: [.init("cleared", "b")])
    public static let reload = APIMethod("Reload", doc: """
        Reload programs and settings; returns when done. On errors the
        running configuration stays and the call fails with ConfigInvalid,
        one "file:line:column: message" per line.
        """)
    public static let listPlugins = APIMethod("ListPlugins", doc: "Plugins: id, state (running, failed, disabled), kind, detail.",
                                              out: [.init("plugins", "a(ssss)")])
    public static let describePlugins = APIMethod("DescribePlugins", doc: """
        Plugins as a{sv}: id, state, kind, detail (in limberd's language),
        roles (as: "idle-source" for the idle source in use).
        """, out: [.init("plugins", "aa{sv}")])
}

// MARK: The history (limberd answers these when its history writer has)

extension APIMethod {
    public static let checkIn = APIMethod("CheckIn", doc: """
        A pain check-in: pain 0..10, reach (back, buttock, thigh, knee,
        calf, foot or ""), red flags (bladder-bowel, saddle-numbness,
        foot-drop, progressive-weakness), a note. Returns the advice.
        """, in: [.init("pain", "y"), .init("reach", "s"), .init("red_flags", "as"), .init("note", "s")],
        out: [.init("response", "a{sv}")])
    public static let stats = APIMethod("Stats", doc: """
        period: "week", "month" or a first day "YYYY-MM-DD". The stats as
        JSON (schema 1, docs/history.md).
        """, in: [.init("period", "s")], out: [.init("json", "s")])
    public static let forgetHistory = APIMethod("ForgetHistory", doc: """
        Deletes the whole history. Returns the rows deleted:
        outcomes, check_ins, activity_days.
        """, out: [.init("deleted", "a{sv}")])
    public static let today = APIMethod("Today", doc: """
        The plan for today: day (YYYY-MM-DD), now, showing (the reminder
        up now, or empty), upcoming (at, rule, title, phase, phase_name,
        exercises, catch_up; if the person stays and answers Done),
        so_far (at, rule, title, outcome, note; from the history) and
        history (false when it could not be read).
        """, out: [.init("today", "a{sv}")])
}

// MARK: Phases (limberctl programs phase, programs start)

extension APIMethod {
    public static let programPhase = APIMethod("ProgramPhase", doc: """
        Where a program's phases stand: phase, phase_name, line ("Recovery,
        day 12 of 35"), day, days (0: open-ended), since and started
        (YYYY-MM-DD), reason, waiting, next, question (asked now, or ""),
        offer_phase and offer_reason (worsening check-ins), phases.
        """, in: [.init("id", "s")], out: [.init("phase", "a{sv}")])
    public static let setProgramPhase = APIMethod("SetProgramPhase", doc: "Move a program to a phase (a new flare: back to the first). Returns ProgramPhase.",
                                                  in: [.init("id", "s"), .init("phase", "s")], out: [.init("phase", "a{sv}")])
    public static let answerPhaseQuestion = APIMethod("AnswerPhaseQuestion", doc: "Answer a phase's question (\"Has the flare settled?\"): true for Yes. Returns ProgramPhase.",
                                                      in: [.init("id", "s"), .init("settled", "b")], out: [.init("phase", "a{sv}")])
    public static let startProgram = APIMethod("StartProgram", doc: "Set the day a program started (YYYY-MM-DD; \"\": today); its phases count from it. Returns ProgramPhase.",
                                               in: [.init("id", "s"), .init("date", "s")], out: [.init("phase", "a{sv}")])
}
