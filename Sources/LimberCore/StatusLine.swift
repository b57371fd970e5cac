import Foundation

/// Builds the daemon's status line, the one text `systemctl --user status`
/// (sd_notify STATUS=), the D-Bus StatusLine property and `limberctl status`
/// show: "next: Sit break in 12 min; 3 of 8 done today; idle source: logind;
/// reload failed: limber.toml:2:1: ...".
public enum StatusLine {
    /// - Parameters:
    ///   - history: the history's trouble, if any ("history: 3 outcomes not yet written (disk full)").
    ///   - sources: parts from the plugin layer ("idle source: logind"); nil or empty ones are left out.
    ///   - reloadErrors: the last reload's errors; the first is shown.
    public static func text(_ status: EngineStatus, now: Date, history: String?, sources: [String?],
                            reloadErrors: [String]) -> String {
        var line = status.line(now: now)
        if let history { line += "; " + history }
        for case let part? in sources where !part.isEmpty { line += "; " + part }
        if let first = reloadErrors.first { line += "; " + reloadFailed(first) }
        return line
    }

    /// "reload failed: <first error>".
    public static func reloadFailed(_ firstError: String) -> String { tr("reload failed: {error}", ["error": firstError]) }
}
