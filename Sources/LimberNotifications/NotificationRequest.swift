import Foundation
import LimberCore
import Systemd

/// What a notification server says it can do (`GetCapabilities`).
public struct NotificationCapabilities: Sendable, Hashable {
    public var names: Set<String>

    public init(_ names: some Sequence<String>) {
        self.names = Set(names)
    }

    /// Buttons (`ActionInvoked`). Without them the body says how to answer
    /// with limberctl.
    public var actions: Bool { names.contains("actions") }
    /// `<b>`, `<i>` in the body.
    public var bodyMarkup: Bool { names.contains("body-markup") }
    /// Images (the `image-path` hint): an icon or images in the body.
    public var images: Bool { names.contains("icon-static") || names.contains("body-images") || names.contains("icon-multi") }
    /// The server keeps notifications until they are dismissed.
    public var persistence: Bool { names.contains("persistence") }

    /// What to assume when the server does not answer GetCapabilities but
    /// takes Notify: buttons (every common server has them), plain text.
    public static let assumed = NotificationCapabilities(["actions"])
}

/// The buttons of a reminder notification: the action keys sent in Notify
/// and received in ActionInvoked.
public enum NotificationAction: String, Sendable, CaseIterable {
    /// A click on the notification's body: opens the exercise guide at the
    /// reminder's first exercise. It answers nothing: a stray click must
    /// not record an exercise as done. (If the server then removes the
    /// notification it reports it closed by the user, which the core
    /// records as dismissed.)
    case `default`
    case done
    case snooze
    case skip
    /// "How to": opens the exercise guide, like a click on the body. Never an answer.
    case howTo = "howto"

    /// Whether the action opens the guide.
    public var opensGuide: Bool { self == .default || self == .howTo }

    /// The answer the core gets, nil for `default`.
    public var answer: Answer? {
        switch self {
        case .default, .howTo: nil
        case .done: .done
        case .snooze: .snooze(nil)  // the rule's snooze length, as labelled
        case .skip: .skip
        }
    }
}

/// One `Notify` call for a reminder, as plain values: what limber asks the
/// server to show. Built from the reminder and the server's capabilities;
/// `arguments(replacing:)` gives the `susssasa{sv}i` body.
public struct NotificationRequest: Sendable, Hashable {
    public static let appName = "limber"
    /// A freedesktop icon-naming-spec status icon that icon themes ship.
    public static let appIcon = "appointment-soon"
    /// No spec category fits a movement reminder; `x-vendor.class` is the
    /// spec's form for others.
    public static let category = "x-limber.reminder"
    /// limber.desktop (installed by the package) names the app in the
    /// server's settings and history.
    public static let desktopEntry = "limber"
    /// The reminder's id (a vendor hint; servers ignore hints they don't know).
    public static let reminderHint = "x-limber-reminder"

    public var summary: String
    public var body: String
    /// Flat [key, label, key, label, ...].
    public var actions: [String]
    public var hints: [String: BusValue]
    /// 0: never expire; the core expires reminders itself and withdraws them.
    public var expireTimeout: Int32 = 0

    /// The `notify` plugin's settings ([plugins.notify] in limber.toml).
    public struct Options: Sendable, Hashable {
        /// 0 low, 1 normal, 2 critical.
        public var urgency: UInt8 = 1
        public var resident = true
        public var sound = false
        public init(urgency: UInt8 = 1, resident: Bool = true, sound: Bool = false) {
            self.urgency = urgency
            self.resident = resident
            self.sound = sound
        }
    }

    /// - Parameter picture: the picture file of an exercise (by id), nil
    ///   when it has none (the daemon writes the guide's drawings).
    public init(reminder: Reminder, programs: [Program], capabilities: NotificationCapabilities, options: Options = Options(),
                picture: (String) -> String? = { _ in nil }) {
        summary = reminder.title
        body = ReminderText.body(reminder, programs: programs, markup: capabilities.bodyMarkup)
        if capabilities.actions {
            actions = [NotificationAction.default.rawValue, tr("How to")]
            actions += [NotificationAction.done.rawValue, tr("Done")]
            if let snooze = reminder.snoozeLength {
                actions += [NotificationAction.snooze.rawValue, tr("Snooze {duration}", ["duration": DurationText.readable(snooze)])]
            }
            actions += [NotificationAction.skip.rawValue, tr("Skip")]
            if reminder.items.contains(where: { !$0.exercises.isEmpty }) {
                actions += [NotificationAction.howTo.rawValue, tr("How to")]
            }
        } else {
            actions = []
            let hint = ReminderText.cliHint(reminder)
            body += (body.isEmpty ? "" : "\n") + (capabilities.bodyMarkup ? "<i>\(ReminderText.escape(hint))</i>" : hint)
        }
        hints = [
            "urgency": .byte(options.urgency),
            "category": .string(Self.category),
            "desktop-entry": .string(Self.desktopEntry),
            // Which reminder this is, for whoever reads the server's log or
            // history: a reminder shown again after a server outage is the
            // same reminder, not a new one.
            Self.reminderHint: .uint64(reminder.id),
        ]
        if options.sound { hints["sound-name"] = .string("message-new-instant") } else { hints["suppress-sound"] = .bool(true) }
        // The first exercise's picture, where the server shows images, as a
        // file:// URI (the only form the specification names).
        if capabilities.images, let first = reminder.items.lazy.compactMap(\.exercises.first).first,
           let file = picture(first.id) {
            hints["image-path"] = .string(URL(fileURLWithPath: file).absoluteString)
        }
        if capabilities.persistence && options.resident {
            // Stay on screen after a button: the answer withdraws the reminder,
            // and limber closes the notification itself.
            hints["resident"] = .bool(true)
        }
    }

    /// The Notify arguments; `replacing` is the server's id of the
    /// notification this one updates (0: a new one).
    public func arguments(replacing id: UInt32) -> [BusValue] {
        [
            .string(Self.appName), .uint32(id), .string(Self.appIcon), .string(summary), .string(body),
            .strings(actions), .vardict(hints), .int32(expireTimeout),
        ]
    }
}
