import ArgumentParser
import Foundation
import LimberConfig
import LimberCore
import LimberGuide
import Systemd

/// The installed programs, read from the files (no daemon needed), the
/// enabled ones first.
func installedPrograms() -> [Program] {
    let loader = ConfigLoader()
    let settings = loader.loadSettings().settings.settings
    var programs: [Program] = []
    for (id, file) in loader.availablePrograms() {
        if let p = loader.loadProgram(file: file, id: id, dropIns: loader.dropIns(for: "programs/\(id).toml"), settings: settings).program {
            programs.append(p)
        }
    }
    let enabled = settings.enabledPrograms
    return programs.filter { enabled.contains($0.id) } + programs.filter { !enabled.contains($0.id) }
}

struct GuideCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "guide",
        abstract: tr("Open the exercise guide (steps, pictures, cautions, red flags) of a program, or at one exercise."),
        discussion: tr("With no argument, the first enabled program. An exercise id opens the guide at it (limberctl guide press-up, limberctl guide sciatica-relief slump-glide). The guide is written to $XDG_CACHE_HOME/limber/guide and opened through the desktop portal, else xdg-open; with neither, limberctl prints the file to open."))

    @Argument(help: ArgumentHelp(tr("A program id, an exercise id, or both."), valueName: "PROGRAM|EXERCISE"), completion: Complete.programsAndExercises)
    var words: [String] = []
    @Flag(name: .customLong("print-path"), help: ArgumentHelp(tr("Write the guide and print its path; open nothing.")))
    var printPath = false

    func execute() throws(CLIError) {
        let programs = installedPrograms()
        guard let (program, exercise) = GuideFiles.find(words, in: programs) else {
            let known = programs.map(\.id).joined(separator: ", ")
            throw CLIError(tr("no program or exercise '{words}' (programs: {programs})", ["words": words.joined(separator: " "), "programs": known.isEmpty ? tr("none") : known]), exit: .usage)
        }
        let path: String
        do { path = try GuideFiles.write(program, exercise: exercise) } catch {
            throw CLIError(tr("cannot write the guide: {error}", ["error": "\(error)"]), exit: .refused)
        }
        if printPath {
            Terminal.line(path)
            return
        }
        if let bus = try? Bus(.user, description: "limberctl"),
           (try? bus.call(destination: GuideOpener.portalName, path: GuideOpener.portalPath, interface: GuideOpener.portalInterface,
                          member: "OpenURI", arguments: [.string(""), .string(GuideOpener.fileURI(path)), .vardict([:])],
                          timeout: .seconds(10))) != nil {
            Terminal.line(tr("opened the guide through the desktop portal: {path}", ["path": path]))
        } else if GuideOpener.runXdgOpen(path) {
            Terminal.line(tr("opened the guide with xdg-open: {path}", ["path": path]))
        } else {
            Terminal.line(tr("no desktop portal and no xdg-open here; open this file in a browser:"))
            Terminal.line(path)
        }
    }
}
