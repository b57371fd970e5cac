import Foundation
import LimberGuide
import Testing
import Systemd
import LimberPlugins
@testable import LimberCore
@testable import LimberDaemon
import LimberNotifications

/// Reminders for the notification tests.
enum NotificationFixture {
    static let squat = Exercise(id: "squat", name: "Squats <slow>", category: .strength, position: .standing,
                                dose: Dose(reps: 10, sets: 2), stopIf: ["knee pain"])

    static func reminder(id: ReminderID = 7, snooze: Duration? = .minutes(10), message: String = "Stand up & move") -> Reminder {
        let due = Date(timeIntervalSince1970: 1_795_000_000)
        let item = ReminderItem(rule: RuleID(program: "p", rule: "legs"), title: "Leg break", message: message,
                                exercises: [squat], dueAt: due, catchUp: false, snoozeCount: 0)
        return Reminder(id: id, items: [item], shownAt: due, expiresAt: due.addingTimeInterval(600), snoozeLength: snooze)
    }
}

/// What limber sends in Notify, per server capability, as plain values.
@Suite struct NotificationRequestTests {
    @Test func aFullServerGetsButtonsMarkupAndAResidentNotification() {
        let r = NotificationFixture.reminder()
        let caps = NotificationCapabilities(["actions", "body", "body-markup", "persistence"])
        let request = NotificationRequest(reminder: r, programs: [], capabilities: caps)
        let args = request.arguments(replacing: 41)
        #expect(args.busSignature == "susssasa{sv}i")
        #expect(args[0] == .string("limber"))
        #expect(args[1] == .uint32(41))
        #expect(args[2] == .string("appointment-soon"))
        #expect(args[3] == .string("Leg break"))
        #expect(request.body.contains("<b>Squats &lt;slow&gt;</b> — 2 × 10 reps"))
        #expect(request.body.contains("Stand up &amp; move"))
        #expect(request.body.contains("Stop if knee pain"))
        #expect(request.actions == ["default", "How to", "done", "Done", "snooze", "Snooze 10 min", "skip", "Skip", "howto", "How to"])
        #expect(request.hints["urgency"] == .byte(1))
        #expect(request.hints["category"] == .string("x-limber.reminder"))
        #expect(request.hints["desktop-entry"] == .string("limber"))
        #expect(request.hints["x-limber-reminder"] == .uint64(7))
        #expect(request.hints["resident"] == .bool(true))
        #expect(args[7] == .int32(0))
    }

    /// A server that shows images gets the first exercise's drawing as a
    /// file:// URI (written to the guide's folder); one that does not, or
    /// an exercise with no drawing, gets no image-path.
    @Test func theFirstExercisesPictureGoesAsAFileURIWhereImagesShow() throws {
        let dir = NSTemporaryDirectory() + "limber-img-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let due = Date(timeIntervalSince1970: 1_795_000_000)
        let pressUp = Exercise(id: "press-up", name: "Prone press-up", category: .extension_, position: .floor, dose: Dose(reps: 10))
        let item = ReminderItem(rule: RuleID(program: "p", rule: "press-ups"), title: "Press-ups", message: "",
                                exercises: [pressUp, NotificationFixture.squat], dueAt: due, catchUp: false, snoozeCount: 0)
        let r = Reminder(id: 9, items: [item], shownAt: due, expiresAt: due.addingTimeInterval(600), snoozeLength: nil)
        let images = NotificationCapabilities(["actions", "body", "icon-static"])
        let request = NotificationRequest(reminder: r, programs: [], capabilities: images, picture: { GuideFiles.pictureFile($0, directory: dir) })
        #expect(request.hints["image-path"] == .string("file://\(dir)/img/press-up.svg"))
        let svg = try String(contentsOfFile: dir + "/img/press-up.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("</svg>"))
        let plain = NotificationRequest(reminder: r, programs: [], capabilities: NotificationCapabilities(["actions", "body"]), picture: { GuideFiles.pictureFile($0, directory: dir) })
        #expect(plain.hints["image-path"] == nil)
        let noDrawing = NotificationRequest(reminder: NotificationFixture.reminder(), programs: [], capabilities: images, picture: { GuideFiles.pictureFile($0, directory: dir) })
        #expect(noDrawing.hints["image-path"] == nil)
    }

    @Test func snoozeIsOfferedWithTheRulesLengthOrNotAtAll() {
        let caps = NotificationCapabilities(["actions"])
        let twenty = NotificationRequest(reminder: NotificationFixture.reminder(snooze: .minutes(20)), programs: [], capabilities: caps)
        #expect(twenty.actions.contains("Snooze 20 min"))
        let none = NotificationRequest(reminder: NotificationFixture.reminder(snooze: nil), programs: [], capabilities: caps)
        #expect(none.actions == ["default", "How to", "done", "Done", "skip", "Skip", "howto", "How to"])
    }

    @Test func aServerWithoutButtonsGetsTheLimberctlHintInPlainText() {
        let r = NotificationFixture.reminder()
        let request = NotificationRequest(reminder: r, programs: [], capabilities: NotificationCapabilities(["body"]))
        #expect(request.actions.isEmpty)
        #expect(request.body.hasSuffix("\n" + ReminderText.cliHint(r)))
        #expect(request.body.contains("Squats <slow> — 2 × 10 reps"))
        #expect(request.hints["resident"] == nil)
    }

    @Test func buttonKeysMapToAnswers() {
        #expect(NotificationAction.done.answer == .done)
        #expect(NotificationAction.snooze.answer == .snooze(nil))
        #expect(NotificationAction.skip.answer == .skip)
        #expect(NotificationAction.default.answer == nil)
        #expect(NotificationAction.howTo.answer == nil)
        #expect(NotificationAction.default.opensGuide && NotificationAction.howTo.opensGuide)
    }

    @Test func theJournalFallbackLogsTheWholeReminder() {
        let capture = NotifyLogCapture()
        let journal = JournalPresenter(logger: capture.logger)
        let r = NotificationFixture.reminder()
        journal.show(r, programs: [])
        let notices = capture.entries.filter { $0.level == .notice }.map(\.message)
        #expect(notices.count == 1)
        #expect(notices.first?.contains("Leg break") == true)
        #expect(notices.first?.contains("Squats <slow> — 2 × 10 reps") == true)
        #expect(notices.first?.contains("limberctl done") == true)
    }
}

/// The `notify` plugin's settings reach what is sent.
@Suite struct NotifyPluginSettingsTests {
    @Test func urgencyResidencyAndSoundFollowTheSettings() {
        let caps = NotificationCapabilities(["actions", "body", "persistence", "sound"])
        let quiet = NotificationRequest(reminder: NotificationFixture.reminder(), programs: [], capabilities: caps)
        #expect(quiet.hints["suppress-sound"] == .bool(true))
        #expect(quiet.hints["sound-name"] == nil)
        let loud = NotificationRequest(reminder: NotificationFixture.reminder(), programs: [], capabilities: caps,
                                       options: .init(urgency: 2, resident: false, sound: true))
        #expect(loud.hints["urgency"] == .byte(2))
        #expect(loud.hints["resident"] == nil)
        #expect(loud.hints["sound-name"] == .string("message-new-instant"))
    }

    @Test func thePluginConfiguresThePresenter() throws {
        let presenter = NotificationPresenter(client: NotificationClient(logger: .init(label: "test")),
                                              fallback: RecordingPresenter(), logger: .init(label: "test"))
        presenter.configure(PluginSettings(["urgency": .string("low"), "resident": .bool(false), "sound": .bool(true)]))
        #expect(presenter.options == .init(urgency: 0, resident: false, sound: true))
    }
}
