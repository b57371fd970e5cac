// Scripts the tests write and then run.
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes `text` to `path` as an executable file (mode 755) whose write
/// descriptor is close-on-exec. Foundation's atomic write leaves its
/// descriptor inheritable: a child another test spawns in that moment keeps
/// the file open for writing, and running it then fails with ETXTBSY.
public func writeExecutable(_ text: String, to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
    guard fd >= 0 else { throw DesktopPeerError("\(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    var done = 0
    while done < bytes.count {
        let n = bytes[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { throw DesktopPeerError("\(path): \(String(cString: strerror(errno)))") }
        done += n
    }
    guard fchmod(fd, 0o755) == 0 else { throw DesktopPeerError("\(path): \(String(cString: strerror(errno)))") }
}
