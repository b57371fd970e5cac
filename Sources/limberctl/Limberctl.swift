import ArgumentParser
import Foundation
import LimberCore
import LimberL10n

struct Limberctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limberctl",
        abstract: tr("Control limberd, the limber movement-reminder daemon."),
        discussion: tr("Talks to limberd over D-Bus (org.limber.Limber1 on the session bus); the first call starts it through systemd when it is not running. Read commands take --json (stable shapes in limberctl(1) and docs/api.md). Durations are written like 10m, 1h30m or 90s; times as HH:MM.")
            + "\n\n" + tr("Exit codes: {table}.", ["table": Exit.table]),
        version: LimberVersion.string,
        subcommands: [
            StatusCommand.self, NextCommand.self, TodayCommand.self,
            DoneCommand.self, SnoozeCommand.self, SkipCommand.self, TriggerCommand.self, BreakCommand.self, MovedCommand.self,
            PauseCommand.self, ResumeCommand.self,
            ProgramsCommand.self, GuideCommand.self, PluginsCommand.self,
            CheckCommand.self, ReloadCommand.self, WatchCommand.self,
            CheckInCommand.self, StatsCommand.self, ExportCommand.self, ReportCommand.self, HistoryCommand.self,
        ])
}

/// limberctl's entry point. limberctl is not an executable of its own: it
/// is a second name (a symlink) of limberd's executable, which calls this
/// when it is run as `limberctl` (Sources/limberd/main.swift).
public enum LimberctlMain {
    public static func main(_ arguments: [String]) -> Never {
        // Messages, times and numbers in the user's language (docs/translating.md).
        L10n.setUp()
        if let message = Suggest.unknownSubcommand(arguments, root: Limberctl.self) {
            FileHandle.standardError.write(Data("limberctl: \(message)\n".utf8))
            exit(Exit.usage.rawValue)
        }
        // ArgumentParser exits 64 on usage errors; limberctl documents 2.
        do {
            var command = try Limberctl.parseAsRoot(arguments)
            try command.run()
            Limberctl.exit()
        } catch {
            let code = Limberctl.exitCode(for: error)
            if code == .validationFailure && !(error is ExitCode) {
                FileHandle.standardError.write(Data((Limberctl.fullMessage(for: error) + "\n").utf8))
                exit(Exit.usage.rawValue)
            }
            Limberctl.exit(withError: error)
        }
    }
}
