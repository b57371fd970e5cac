import Foundation
import LimberCore

/// Who may have written a file limberd reads: sshd's StrictModes, for
/// every settings file, program, drop-in and plugin (manifest, executable,
/// the scripts it names) and every folder above them.
///
/// A file is trusted when it, the folder holding it and every folder above
/// that up to `/` are owned by the user or by root and are not writable by
/// group or others. A folder owned by root with the sticky bit (`/tmp`) is
/// accepted on the way: nobody else can rename or delete what the user
/// owns in it, and what others own in it fails the owner check. A symbolic
/// link is judged by where it leads as well as by where it stands.
///
/// Anything else is skipped (as if it were not there) with a warning at the
/// file that says who owns it or who can write it, and how to fix it.
public struct FileTrust: Sendable, Hashable {
    /// The user limberd runs as (files of this uid and of root are trusted).
    public var uid: uid_t

    public init(uid: uid_t = geteuid()) {
        self.uid = uid
    }

    /// Why `path` is not to be trusted, or nil when it is (or when it does
    /// not exist: a missing file is not this check's business).
    public func problem(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return problem(FileManager.default.currentDirectoryPath + "/" + path) }
        if let p = chainProblem(path) { return p }
        // A link: where it leads must be trusted too.
        var st = stat()
        if lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK, let real = realPath(path), real != path {
            return chainProblem(real, leaf: tr("it leads to {real}, which is", ["real": "\(real)"]))
        }
        return nil
    }

    /// Whether `path` may be read.
    public func isTrusted(_ path: String) -> Bool { problem(path) == nil }

    /// `path` and every folder above it, each judged by lstat.
    private func chainProblem(_ path: String, leaf: String = tr("it is")) -> String? {
        var components: [String] = []
        var p = path
        while p.count > 1 {
            components.append(p)
            p = (p as NSString).deletingLastPathComponent
            if p.isEmpty { break }
        }
        components.append("/")
        for (i, c) in components.enumerated() {
            var st = stat()
            guard lstat(c, &st) == 0 else {
                if i == 0 { return nil }  // the file itself is missing: the reader says so
                continue
            }
            let isLink = (st.st_mode & S_IFMT) == S_IFLNK
            let isDir = (st.st_mode & S_IFMT) == S_IFDIR
            let what = i == 0 ? leaf : tr("its folder {c} is", ["c": "\(c)"])
            if st.st_uid != uid && st.st_uid != 0 && st.st_uid != Self.unmappedRoot {
                return tr("{what} owned by {st_uid}, not by you or root", ["what": "\(what)", "st_uid": "\(Self.userName(st.st_uid))"])
            }
            if isLink { continue }  // a link's own mode bits mean nothing
            let writable = st.st_mode & (S_IWGRP | S_IWOTH)
            if writable != 0 {
                if isDir, i > 0, st.st_uid == 0, st.st_mode & S_ISVTX != 0 { continue }
                let who = writable & S_IWOTH != 0 ? tr("anyone") : tr("its group")
                let mode = String(st.st_mode & 0o7777, radix: 8)
                return tr("{what} writable by {who} (mode {mode}); fix it with chmod go-w {c}", ["what": "\(what)", "who": "\(who)", "mode": "\(mode)", "c": "\(c)"])
            }
        }
        return nil
    }

    /// The uid root's files show under a user namespace that does not map
    /// root (a systemd user unit with PrivateUsers=yes, as limberd.service
    /// has): the kernel's overflow uid (65534, "nobody"). There limberd
    /// cannot tell root's files (/usr/share/limber, /home, /etc) from those
    /// of other unmapped users, so that uid counts as root; the write
    /// checks still apply, and the unit's ProtectSystem=strict mounts the
    /// system read-only for limberd. Nil outside such a namespace.
    static let unmappedRoot: uid_t? = {
        guard let map = try? String(contentsOfFile: "/proc/self/uid_map", encoding: .utf8) else { return nil }
        // Lines: "inside outside count"; root is mapped when a range holds inside id 0.
        let rootMapped = map.split(separator: "\n").contains { line in
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count == 3, let inside = UInt64(f[0]), let count = UInt64(f[2]) else { return false }
            return inside == 0 && count > 0
        }
        guard !rootMapped else { return nil }
        let overflow = (try? String(contentsOfFile: "/proc/sys/kernel/overflowuid", encoding: .utf8))
            .flatMap { UInt32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 65534
        return uid_t(overflow)
    }()

    private func realPath(_ path: String) -> String? {
        guard let r = realpath(path, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    static func userName(_ uid: uid_t) -> String {
        if let pw = getpwuid(uid), let name = pw.pointee.pw_name { return "\(String(cString: name)) (uid \(uid))" }
        return "uid \(uid)"
    }

    /// The warning for a skipped file: `file:1:1: warning: skipped: ...`.
    public func skipped(_ path: String, _ problem: String) -> Diagnostic {
        Diagnostic(SourceLocation(file: path), "skipped: \(problem)", severity: .warning)
    }
}
