// libFuzzer target: what an exec plugin writes on stdout, through the
// daemon's line splitter (ExecLineSplitter, fed in chunks whose size the
// input picks) and message decoder (ExecMessage.decode), and every decoded
// activity turned into the daemon's event as ExecPlugin does.
// Checks, besides no crash and no hang: the splitter returns exactly the
// complete lines of at most maxLine bytes (an overlong line is dropped whole),
// and a postpone is between 1 s and a day. Seeds: fuzz/corpus/exec-line.
import CFuzzerDriver
import Foundation
import LimberCore
import LimberPlugins

private let maxLine = 256

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExecLine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = input.first else { return 0 }
    let chunk = Int(first % 64) + 1
    let bytes = Array(input.dropFirst())

    var splitter = ExecLineSplitter(maxLine: maxLine)
    var lines: [[UInt8]] = []
    var i = 0
    while i < bytes.count {
        lines += splitter.feed(Array(bytes[i..<min(i + chunk, bytes.count)])).lines
        i += chunk
    }
    // What the splitter must give: each complete line of at most maxLine bytes.
    var expected = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    expected.removeLast()   // not ended by a newline (yet)
    expected = expected.filter { $0.count <= maxLine }
    if lines != expected {
        fail("the splitter gave \(lines.count) line(s), expected \(expected.count)", bytes)
    }
    for line in lines {
        guard let decoded = ExecMessage.decode(line) else { continue }
        guard case .success(let message) = decoded else { continue }
        switch message {
        case .decision(_, .postpone(let d, _)):
            if d < .seconds(1) || d > .seconds(86_400) { fail("postpone of \(d) accepted", line) }
        case .activity(let a):
            _ = a.event(now: .seconds(1_000))
        default:
            break
        }
    }
    return 0
}

private func fail(_ message: String, _ input: [UInt8]) -> Never {
    FileHandle.standardError.write(Data("limber fuzz check failed: \(message)\n  input: \(String(decoding: input.prefix(400), as: UTF8.self).debugDescription)\n".utf8))
    abort()
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzExecLine(data!, size) })
