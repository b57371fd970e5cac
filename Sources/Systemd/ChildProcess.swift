// Child processes for the loop: spawned without a shell, talked to over
// non-blocking pipes, their exit seen through a pidfd on the loop.
import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// How a child ended.
public enum ExitStatus: Sendable, Hashable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)
    /// Reaped by someone else (SIGCHLD ignored, or another waiter).
    case unknown

    public var description: String {
        switch self {
        case .exited(let c): "exited with status \(c)"
        case .signaled(let s): "killed by signal \(s)" + (s == SIGKILL ? " (KILL)" : s == SIGTERM ? " (TERM)" : s == SIGSEGV ? " (SEGV)" : s == SIGABRT ? " (ABRT)" : "")
        case .unknown: "exited"
        }
    }
}

/// A child process with its stdin, stdout and stderr on pipes. Our ends are
/// non-blocking and close-on-exec; the child's are plain. The child runs in
/// its own process group, with an empty signal mask and default signal
/// dispositions. Close or drop the handle to close our ends; the process
/// itself is ended with `signal` (to its whole group).
public final class ChildProcess {
    public let pid: Int32
    /// Our ends: write to `stdinFD`, read `stdoutFD` and `stderrFD` (-1 once closed).
    public private(set) var stdinFD: Int32
    public private(set) var stdoutFD: Int32
    public private(set) var stderrFD: Int32
    private var pidfd: Int32
    public private(set) var exitStatus: ExitStatus?

    private init(pid: Int32, stdin: Int32, stdout: Int32, stderr: Int32, pidfd: Int32) {
        self.pid = pid
        stdinFD = stdin
        stdoutFD = stdout
        stderrFD = stderr
        self.pidfd = pidfd
    }

    deinit {
        closeStdin()
        closeOutput()
        if pidfd >= 0 { close(pidfd) }
    }

    /// Spawns `executable` (a path: no shell, no PATH search) with
    /// `arguments` (argv[1...]; argv[0] is the executable), exactly
    /// `environment`, in `directory` (nil: ours). Also makes the process
    /// ignore SIGPIPE, so a write to a dead child fails with EPIPE instead
    /// of killing us.
    public static func spawn(executable: String, arguments: [String], environment: [String: String],
                             directory: String? = nil) throws -> ChildProcess {
        _ = Glibc.signal(SIGPIPE, SIG_IGN)
        var pipes: [[Int32]] = []
        defer { for p in pipes { for fd in p where fd >= 0 { close(fd) } } }
        for _ in 0..<3 {
            var fds: [Int32] = [-1, -1]
            try check(limber_pipe_cloexec(&fds), "pipe2")
            pipes.append(fds)
        }
        let argv = [executable] + arguments
        let envp = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let pid = try withCStrings(argv) { a in
            try withCStrings(envp) { e in
                try withOptionalCString(directory) { dir in
                    try check(limber_spawn(executable, a, e, dir, pipes[0][0], pipes[1][1], pipes[2][1]),
                              "spawn \(executable)")
                }
            }
        }
        let ours = (pipes[0][1], pipes[1][0], pipes[2][0])
        pipes[0][1] = -1; pipes[1][0] = -1; pipes[2][0] = -1
        for fd in [ours.0, ours.1, ours.2] {
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        }
        let pidfd = limber_pidfd_open(pid)
        return ChildProcess(pid: pid, stdin: ours.0, stdout: ours.1, stderr: ours.2, pidfd: pidfd)
    }

    /// Calls `handler` once, on the loop, when the process has exited (and
    /// reaps it). Keep the returned source while you wait.
    public func onExit(loop: EventLoop, handler: @escaping (ExitStatus) -> Void) throws -> EventSource {
        guard pidfd >= 0 else { throw SystemdError(errno: ENOSYS, operation: "pidfd_open \(pid)") }
        var fired = false
        return try loop.watch(fd: pidfd, events: .readable) { [weak self] _ in
            guard let self, !fired else { return }
            guard let status = self.reap() else { return }
            fired = true
            handler(status)
        }
    }

    /// Reaps the child if it has exited (nil: still running).
    @discardableResult
    public func reap() -> ExitStatus? {
        if let exitStatus { return exitStatus }
        var code: Int32 = -1
        var sig: Int32 = -1
        let r = limber_reap(pid, &code, &sig)
        if r == 0 { return nil }
        let status: ExitStatus = r < 0 ? .unknown : (sig >= 0 ? .signaled(sig) : .exited(code))
        exitStatus = status
        return status
    }

    /// Sends `signal` to the child's process group (the child and what it
    /// started). Nothing once it has been reaped.
    public func signal(_ signal: Int32) {
        guard exitStatus == nil else { return }
        _ = kill(-pid, signal)
    }

    /// Writes as much of `bytes` as the pipe takes now. Returns the count
    /// written (0 when the pipe is full), or throws (EPIPE: the child is gone).
    public func write(_ bytes: [UInt8]) throws -> Int {
        guard stdinFD >= 0 else { throw SystemdError(errno: EBADF, operation: "write to child \(pid)") }
        let n = bytes.withUnsafeBytes { Glibc.write(stdinFD, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EAGAIN || errno == EINTR { return 0 }
            throw SystemdError(errno: errno, operation: "write to child \(pid)")
        }
        return n
    }

    /// Reads what is available on `fd` (stdout or stderr). Returns nil at end
    /// of file, [] when nothing is there now.
    public static func read(_ fd: Int32, max: Int = 65536) -> [UInt8]? {
        var buf = [UInt8](repeating: 0, count: max)
        let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if n < 0 { return (errno == EAGAIN || errno == EINTR) ? [] : nil }
        if n == 0 { return nil }
        return Array(buf[0..<n])
    }

    public func closeStdin() {
        if stdinFD >= 0 { close(stdinFD); stdinFD = -1 }
    }

    public func closeOutput() {
        if stdoutFD >= 0 { close(stdoutFD); stdoutFD = -1 }
        if stderrFD >= 0 { close(stderrFD); stderrFD = -1 }
    }
}

/// Signal numbers for `ChildProcess.signal`.
public enum ProcessSignal {
    public static let terminate = SIGTERM
    public static let kill = SIGKILL
}

private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) throws -> R) throws -> R {
    let pointers = strings.map { strdup($0) }
    defer { for p in pointers { free(p) } }
    var array: [UnsafeMutablePointer<CChar>?] = pointers + [nil]
    return try array.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
}

private func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) throws -> R) throws -> R {
    if let s { return try s.withCString { try body($0) } }
    return try body(nil)
}
