import Foundation

/// The built binaries: $LIMBER_BIN_DIR (scripts/test sets it), else .build/debug.
enum Built {
    static var binDirectory: String {
        if let d = ProcessInfo.processInfo.environment["LIMBER_BIN_DIR"], !d.isEmpty { return d }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path + "/.build/debug"
    }
    static var limberd: String { binDirectory + "/limberd" }
}

struct ReliabilityError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A private temporary directory, removed by `remove()`.
func temporaryDirectory(_ prefix: String) throws -> String {
    var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
    guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
        throw ReliabilityError("mkdtemp: \(String(cString: strerror(errno)))")
    }
    return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Runs `executable` until it prints its first line on stdout (at most
/// `timeout`), then stops it with SIGTERM (SIGKILL after 5 s) and returns
/// that line (nil if it printed none in time).
func firstLine(of executable: String, _ arguments: [String], environment: [String: String],
               timeout: TimeInterval = 20) throws -> String? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    // The shipped programs from this checkout (limberd never looks near its binary).
    p.environment = ["LIMBER_DATA_DIR": URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("config").path].merging(environment) { $1 }
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    p.standardInput = FileHandle.nullDevice
    // The test runner's threads block signals; a child inherits the mask.
    var empty = sigset_t(), old = sigset_t()
    sigemptyset(&empty)
    pthread_sigmask(SIG_SETMASK, &empty, &old)
    defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
    try p.run()
    let got = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var line: String?
    let fd = out.fileHandleForReading.fileDescriptor
    Thread.detachNewThread {
        var bytes: [UInt8] = []
        var b: UInt8 = 0
        while read(fd, &b, 1) == 1 {
            if b == 0x0A { line = String(decoding: bytes, as: UTF8.self); break }
            bytes.append(b)
        }
        got.signal()
    }
    let answered = got.wait(timeout: .now() + timeout) == .success
    kill(p.processIdentifier, SIGTERM)
    let exited = DispatchSemaphore(value: 0)
    DispatchQueue.global().async { p.waitUntilExit(); exited.signal() }
    if exited.wait(timeout: .now() + 5) == .timedOut {
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }
    return answered ? line : nil
}
