// libFuzzer target: limber.toml, through ConfigLoader.loadSettings as the
// daemon reads it. Seeds: fuzz/corpus/settings.
import CFuzzerDriver
import Foundation
import FuzzSupport
import LimberConfig
import LimberCore

private let path = FuzzCheck.directory + "/limber.toml"
private let loader = ConfigLoader(searchPath: SearchPath(directories: [FuzzCheck.directory]))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSettings(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    FuzzCheck.write(input, to: path)
    let (loaded, diagnostics, _) = loader.loadSettings()
    FuzzCheck.requirePositioned(diagnostics, files: [path], maxLine: FuzzCheck.lineCount(input),
                                rejected: false, input: input, what: "settings")
    // Whatever was read must be usable: a sane window and coalescing.
    let s = loaded.settings
    if s.coalesceWindow < .zero || s.snooze < .zero {
        FuzzCheck.fail("settings with a negative duration were accepted", input: input, diagnostics: diagnostics)
    }
    // Valid settings must not trap the core: a simulated week with a shipped program.
    if !diagnostics.hasErrors, let program = shippedProgram {
        var settings = s
        settings.enabledPrograms = [program.id]
        FuzzCheck.runEngine(Configuration(programs: [program], settings: settings), input: input)
    }
    return 0
}

/// config/programs/desk-basics.toml of this checkout.
private let shippedProgram: Program? = {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    let file = repo.appendingPathComponent("config/programs/desk-basics.toml").path
    let program = ConfigLoader(searchPath: SearchPath(directories: [])).loadProgram(file: file, id: "desk-basics").program
    if program == nil { FileHandle.standardError.write(Data("FuzzSettings: cannot load \(file); fuzzing the reader only\n".utf8)) }
    return program
}()

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzSettings(data!, size) })
