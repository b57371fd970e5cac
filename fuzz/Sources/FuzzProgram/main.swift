// libFuzzer target: a program file (programs/ID.toml), through the same
// ConfigLoader.loadProgram the daemon uses, then - for a valid program - a
// simulated week of the engine on it. Seeds: fuzz/corpus/program.
import CFuzzerDriver
import Foundation
import FuzzSupport
import LimberConfig
import LimberCore

private let programsDirectory: String = {
    let d = FuzzCheck.directory + "/programs"
    try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
}()
private let path = programsDirectory + "/fuzz.toml"
private let loader = ConfigLoader(searchPath: SearchPath(directories: [FuzzCheck.directory]))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProgram(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    FuzzCheck.write(input, to: path)
    let (program, diagnostics) = loader.loadProgram(file: path, id: "fuzz")
    FuzzCheck.requirePositioned(diagnostics, files: [path], maxLine: FuzzCheck.lineCount(input),
                                rejected: program == nil, input: input, what: "program")
    guard let program else { return 0 }
    if diagnostics.hasErrors {
        FuzzCheck.fail("a program was returned along with errors", input: input, diagnostics: diagnostics)
    }
    _ = ConfigLoader.summaryLine(program)
    FuzzCheck.runEngine(Configuration(programs: [program], settings: Settings(enabledPrograms: [program.id])), input: input)
    return 0
}


var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzProgram(data!, size) })
