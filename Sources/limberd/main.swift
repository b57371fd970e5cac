import ArgumentParser
import Foundation
import LimberConfig
import LimberCore
import LimberDaemon
import LimberL10n
import LimberPlugins
import Systemd
import limberctl

struct Limberd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limberd",
        abstract: tr("The limber daemon: movement reminders from exercise programs."),
        discussion: tr("Normally started by systemd (systemctl --user start limberd). Programs and settings are read from ~/.config/limber, /etc/xdg/limber and the shipped share/limber. See limberd(8), limber.toml(5), limber-program(5)."),
        version: LimberVersion.string)

    @Flag(name: .long, help: ArgumentHelp(tr("Run in the foreground, printing reminders to the terminal when no notification service is reachable.")))
    var foreground = false

    @Option(name: .long, help: ArgumentHelp(tr("Run the schedule N times faster (a demo, or trying a program)."), valueName: "N"))
    var timeScale: Double = 1

    @Option(name: .long, help: ArgumentHelp(tr("Keep the state and history in DIR (a sped-up run otherwise uses a throwaway directory)."), valueName: "DIR"), completion: .directory)
    var stateDir: String?

    @Flag(name: .long, help: ArgumentHelp(tr("Validate programs and settings (default: everything on the search path) and exit.")))
    var check = false

    @Flag(name: .shortAndLong, help: ArgumentHelp(tr("With --check: list every file and drop-in read, in order.")))
    var verbose = false

    @Option(name: .long, help: ArgumentHelp(tr("Print what a program will do on a day (today unless --date) and exit."), valueName: "PROGRAM"), completion: Complete.programs)
    var explain: String?

    @Option(name: .long, help: ArgumentHelp(tr("With --explain: the day to show."), valueName: "YYYY-MM-DD"), completion: Complete.days)
    var date: String?

    @Option(name: .long, help: ArgumentHelp(tr("With --explain: show this phase, whatever the date."), valueName: "PHASE"), completion: Complete.phases)
    var phase: String?

    @Flag(name: .long, help: ArgumentHelp("Print the data directory limberd was built for and exit (scripts/install checks it).",  // l10n: not ui (hidden)
                                          visibility: .hidden))
    var printDataDir = false

    @Argument(help: ArgumentHelp(tr("With --check: program files, limber.toml files or directories."), valueName: "PATH"), completion: Complete.configFiles)
    var paths: [String] = []

    func validate() throws {
        guard timeScale.isFinite, timeScale > 0, timeScale <= 100_000 else {
            throw ValidationError(tr("--time-scale must be a number from 0 to 100000, like 600"))
        }
        if !paths.isEmpty && !check { throw ValidationError(tr("paths are only taken with --check")) }
        if (date != nil || phase != nil) && explain == nil { throw ValidationError(tr("--date and --phase go with --explain PROGRAM")) }
    }

    func run() throws {
        if printDataDir {
            print(SearchPath.builtDataDirectory)
            return
        }
        if check {
            let report = ConfigCheck.run(paths: paths, builtinSchemas: PluginRegistry.builtinSchemas)
            let text = SafeText.terminal(verbose ? report.verboseText : report.text)
            print(text, terminator: text.hasSuffix("\n") || text.isEmpty ? "" : "\n")
            throw ExitCode(report.exitCode)
        }
        if let id = explain {
            var day: Date?
            if let text = date {
                guard let d = Day(text)?.start(in: .current) else {
                    throw ValidationError(tr("--date must be a date like 2026-03-16; got \"{text}\"", ["text": text]))
                }
                day = d
            }
            do {
                let state = try? StateStore(directory: stateDir ?? Paths.stateDirectory()).load()
                try Explain.run(programID: id, date: day, phase: phase, state: state ?? nil, uptime: Clocks.now().boottime)
            } catch let e as ExplainError {
                FileHandle.standardError.write(Data("limberd: \(e.description)\n".utf8))
                throw ExitCode(1)
            }
            return
        }
        SystemdLogging.bootstrap(syslogIdentifier: "limberd", logLevel: foreground ? .notice : .info)
        var options = Daemon.Options()
        options.foreground = foreground
        options.timeScale = timeScale
        // A sped-up run is a demo: it keeps its state and history in a
        // throwaway directory (removed at exit) unless --state-dir names one,
        // so simulated, future times never reach the real history.
        let demo = try DemoState.prepare(timeScale: timeScale, stateDir: stateDir)
        defer { demo?.remove() }
        if let dir = stateDir { options.stateDirectory = dir }
        if let demo {
            options.stateDirectory = demo.directory
            options.throwawayState = true
            FileHandle.standardOutput.write(Data(demo.firstLine(scale: timeScale).utf8))
        }
        let daemon: Daemon
        do {
            daemon = try Daemon(options: options)
        } catch let e as DaemonError {
            FileHandle.standardError.write(Data(SafeText.terminal("limberd: " + tr("cannot start:") + "\n\(e.description)\n").utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        let code = try daemon.run()
        throw ExitCode(code)
    }
}

// One executable, two names: installed as limberd with limberctl a
// symlink to it (half the size of two statically linked binaries; see
// docs/benchmarks.md). The name it is run by picks the program.
let invokedAs = CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "") } ?? ""
if invokedAs == "limberctl" {
    LimberctlMain.main(Array(CommandLine.arguments.dropFirst()))
}

// Block the signals the loop handles before any thread starts, so that a
// SIGTERM always reaches the loop's handler, never another thread.
try? EventLoop.blockSignals([.terminate, .interrupt, .hangup])
// Messages, times and numbers in the user's language (docs/translating.md).
L10n.setUp()
Limberd.main()
