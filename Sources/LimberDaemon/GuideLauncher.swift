import Foundation
import LimberConfig
import LimberCore
import LimberGuide
import Logging
import Systemd

/// limberd's side of "How to": a click on a reminder (its body or its
/// "How to" button) writes the program's guide and opens it at the
/// reminder's first exercise, through the desktop portal (OpenURI) when
/// the session has one, else xdg-open, else it logs the path. It never
/// answers the reminder.
public final class GuideLauncher {
    private let log: Logger
    private var bus: Bus?
    /// Where the guide is written ($XDG_CACHE_HOME/limber/guide).
    public let directory: String

    public init(bus: BusSupervisor, logger: Logger, directory: String = GuideFiles.directory()) {
        self.log = logger
        self.directory = directory
        bus.onConnect { [weak self] in self?.bus = $0 }
        bus.onDisconnect { [weak self] in self?.bus = nil }
    }

    /// Opens the guide for `reminder` (its first exercise's program).
    public func open(_ reminder: Reminder, programs: [Program]) {
        guard let item = reminder.items.first(where: { !$0.exercises.isEmpty }) ?? reminder.items.first,
              let program = programs.first(where: { $0.id == item.rule.program }) else { return }
        open(program, exercise: item.exercises.first?.id)
    }

    /// Opens `program`'s guide, at `exercise` when one is named (the tray's
    /// "Exercise guide").
    public func open(_ program: Program, exercise: String?) {
        let path: String
        do { path = try GuideFiles.write(program, exercise: exercise, directory: directory) } catch {
            log.error("cannot write the exercise guide: \(error)")
            return
        }
        guard let bus else {
            openWithoutPortal(path)
            return
        }
        do {
            try bus.callAsync(destination: GuideOpener.portalName, path: GuideOpener.portalPath, interface: GuideOpener.portalInterface,
                              member: "OpenURI", arguments: [.string(""), .string(GuideOpener.fileURI(path)), .vardict([:])],
                              timeout: .seconds(5)) { [weak self] result in
                switch result {
                case .success: self?.log.info("exercise guide opened through the desktop portal: \(path)")
                case .failure: self?.openWithoutPortal(path)
                }
            }
        } catch {
            openWithoutPortal(path)
        }
    }

    private func openWithoutPortal(_ path: String) {
        if GuideOpener.runXdgOpen(path) {
            log.info("exercise guide opened with xdg-open: \(path)")
        } else {
            log.notice("no desktop portal and no xdg-open to open the exercise guide; it is at \(path)")
        }
    }
}
