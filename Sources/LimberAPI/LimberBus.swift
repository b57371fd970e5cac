/// The names of limber's control API on the session bus, shared by limberd
/// and limberctl. See docs/api.md and docs/org.limber.Limber1.xml.
public enum LimberBus {
    public static let name = "org.limber.Limber1"
    public static let path = "/org/limber/Limber1"
    public static let interface = "org.limber.Limber1"

    /// The named errors the API answers with (`org.limber.Limber1.Error.*`).
    public enum ErrorName {
        public static let prefix = "org.limber.Limber1.Error."
        /// No reminder with that id is showing, or no rule with that id.
        public static let noSuchReminder = prefix + "NoSuchReminder"
        /// No installed program with that id.
        public static let noSuchProgram = prefix + "NoSuchProgram"
        /// Not a duration, or one out of range.
        public static let invalidDuration = prefix + "InvalidDuration"
        /// Not a time of day (HH:MM).
        public static let invalidTime = prefix + "InvalidTime"
        /// Any other argument that makes no sense (too long, out of range, unknown word).
        public static let invalidArgument = prefix + "InvalidArgument"
        /// The configuration on disk has errors; the running one stays.
        public static let configInvalid = prefix + "ConfigInvalid"
        /// The reminder may not be snoozed again: answer done or skip.
        public static let snoozeLimitReached = prefix + "SnoozeLimitReached"
        /// The history database is not available (or failed).
        public static let historyUnavailable = prefix + "HistoryUnavailable"
        /// Something failed inside limberd (a file could not be written, ...).
        public static let failed = prefix + "Failed"
    }
}
