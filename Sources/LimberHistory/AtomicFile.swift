// Files the user's state lives in, written so a crash leaves the old
// contents or the new, never half: a temp file beside it, fsync, rename.
import Foundation

extension PrivateFiles {
    /// A file written beside its destination, synced, waiting for its rename.
    public struct Prepared: Sendable {
        let tmp: String
        let path: String

        /// Moves it into place (readers see the old or the new contents).
        public func commit() throws {
            guard rename(tmp, path) == 0 else {
                let e = errno
                unlink(tmp)
                throw POSIXError(POSIXErrorCode(rawValue: e) ?? .EIO)
            }
            let dfd = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dfd >= 0 { fsync(dfd); close(dfd) }
        }
    }

    /// Writes `data` to `path` so that readers see the old or the new
    /// contents, whatever happens.
    public static func writeAtomically(_ data: Data, to path: String) throws {
        try prepareAtomically(data, to: path).commit()
    }

    /// Writes `data` beside `path` and syncs it; `commit` puts it in place.
    public static func prepareAtomically(_ data: Data, to path: String) throws -> Prepared {
        let dir = (path as NSString).deletingLastPathComponent
        try PrivateFiles.prepareFolder(dir)
        let tmp = path + ".tmp-\(getpid())"
        unlink(tmp)  // a leftover (or a planted link) is never written through
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        fchmod(fd, 0o600)
        var ok = true
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; ok = false; break }
                offset += n
            }
        }
        let err = errno
        if ok && fsync(fd) != 0 { ok = false }
        close(fd)
        guard ok else {
            unlink(tmp)
            throw POSIXError(POSIXErrorCode(rawValue: err) ?? .EIO)
        }
        return Prepared(tmp: tmp, path: path)
    }
}
