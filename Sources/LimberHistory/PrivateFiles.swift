// The state folder and its files are the user's alone: a 0700 folder, 0600
// files, whatever the umask; never opened through a symbolic link; a folder
// or file of someone else, or one others may write, is refused.
import Foundation
import LimberCore

/// Why a state folder or file is not used.
public struct PrivacyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path) \(problem)" }
}

public enum PrivateFiles {
    /// Device and inode: which file a path names.
    public struct Identity: Sendable, Hashable, CustomStringConvertible {
        public var device: UInt64
        public var inode: UInt64
        public var description: String { "device \(device) inode \(inode)" }
    }

    /// The identity of what is at `path` itself (a link is not followed).
    public static func identity(_ path: String) -> Identity? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// Whether there is anything at `path`, a dangling link included.
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// Makes `dir` a private folder: created 0700 (with any missing
    /// parents, 0700 too) when it is not there; an existing one must be a
    /// real folder (not a link) of this user that nobody else may write.
    /// One others may only read is tightened to 0700.
    public static func prepareFolder(_ dir: String, uid: uid_t = geteuid()) throws(PrivacyError) {
        var st = stat()
        if lstat(dir, &st) != 0 {
            let parent = (dir as NSString).deletingLastPathComponent
            if !parent.isEmpty, parent != dir, !exists(parent) { try prepareFolder(parent, uid: uid) }
            if mkdir(dir, 0o700) != 0, errno != EEXIST {
                throw PrivacyError(path: dir, problem: tr("cannot be created: {reason}", ["reason": String(cString: strerror(errno))]))
            }
            guard lstat(dir, &st) == 0 else {
                throw PrivacyError(path: dir, problem: tr("cannot be created: {reason}", ["reason": String(cString: strerror(errno))]))
            }
        }
        if (st.st_mode & S_IFMT) == S_IFLNK {
            throw PrivacyError(path: dir, problem: tr("is a symbolic link; limber keeps its state only in a real folder of yours (remove the link)"))
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw PrivacyError(path: dir, problem: tr("is not a folder"))
        }
        guard st.st_uid == uid else {
            throw PrivacyError(path: dir, problem: tr("belongs to {owner}, not to you; limber keeps no state or history in it (remove it, or chown it to yourself)",
                                                        ["owner": userName(st.st_uid)]))
        }
        if st.st_mode & (S_IWGRP | S_IWOTH) != 0 {
            throw PrivacyError(path: dir, problem: st.st_mode & S_IWOTH != 0
                ? tr("may be written by anyone (mode {mode}); limber keeps no state or history in it (fix it with chmod 700 {path})",
                     ["mode": String(st.st_mode & 0o7777, radix: 8), "path": dir])
                : tr("may be written by its group (mode {mode}); limber keeps no state or history in it (fix it with chmod 700 {path})",
                     ["mode": String(st.st_mode & 0o7777, radix: 8), "path": dir]))
        }
        if st.st_mode & 0o077 != 0 { chmod(dir, 0o700) }
    }

    /// What is wrong with an existing state file, or nil (also when it is
    /// not there). A file of this user that others may read is tightened to 0600.
    public static func problem(file path: String, uid: uid_t = geteuid()) -> String? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFLNK:
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
            return tr("was a symbolic link (to {target}); limber does not follow links in its state folder", ["target": target])
        case S_IFREG: break
        default: return tr("was not a regular file")
        }
        guard st.st_uid == uid else { return tr("belonged to {owner}, not to you", ["owner": userName(st.st_uid)]) }
        if st.st_mode & 0o077 != 0 {
            if st.st_mode & (S_IWGRP | S_IWOTH) != 0 {
                return tr("could be written by others (mode {mode})", ["mode": String(st.st_mode & 0o7777, radix: 8)])
            }
            chmod(path, 0o600)
        }
        return nil
    }

    /// Renames `path` (the link itself, if it is one) to `path.TAG-<UTC time>`.
    public static func moveAside(_ path: String, tag: String, now: Date = Date()) -> String? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        var to = path + ".\(tag)-" + f.string(from: now)
        var n = 1
        while exists(to) {
            to = path + ".\(tag)-" + f.string(from: now) + "-\(n)"
            n += 1
        }
        return rename(path, to) == 0 ? to : nil
    }

    /// Reads a state file without following a link (O_NOFOLLOW).
    public static func read(_ path: String, maxBytes: Int = 16 << 20) throws -> Data {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while data.count <= maxBytes {
            let n = Foundation.read(fd, &buffer, buffer.count)
            if n < 0 { if errno == EINTR { continue }; throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            if n == 0 { break }
            data.append(buffer, count: n)
        }
        return data
    }

    static func userName(_ uid: uid_t) -> String {
        if let pw = getpwuid(uid), let name = pw.pointee.pw_name { return "\(String(cString: name)) (uid \(uid))" }
        return "uid \(uid)"
    }
}
