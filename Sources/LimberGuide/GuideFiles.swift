// Writing the guide where a browser can open it, and opening it: the
// files under $XDG_CACHE_HOME, the portal's names, xdg-open. limberctl
// guide and limberd's GuideLauncher both use these.
import Foundation
import LimberCore

/// Where the guide's files are written, and how they are opened.
public enum GuideFiles {
    /// `$XDG_CACHE_HOME/limber/guide` (default `~/.cache/limber/guide`): generated, safe to delete.
    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
        return cache + "/limber/guide"
    }

    /// Writes the program's guide (and, for `exercise`, a small page that
    /// opens the guide at it: a file opener drops `#fragment`s) and the
    /// pictures as separate files for notifications. Returns the file to open.
    @discardableResult
    public static func write(_ p: Program, exercise: String? = nil, directory: String = directory()) throws -> String {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory + "/img", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let page = directory + "/\(p.id).html"
        try GuideHTML.render(p).write(toFile: page, atomically: true, encoding: .utf8)
        for e in p.exercises {
            if let svg = Illustrations.svg(for: e.id) {
                try svg.write(toFile: directory + "/img/\(e.id).svg", atomically: true, encoding: .utf8)
            }
        }
        guard let exercise, p.exercise(exercise) != nil else { return page }
        let target = "\(p.id).html#\(GuideHTML.anchor(exercise))"
        let jump = directory + "/\(p.id)--\(exercise).html"
        try """
            <!DOCTYPE html><html lang="\(GuideHTML.esc(GuideHTML.language))"><head><meta charset="utf-8">
            <meta http-equiv="refresh" content="0; url=\(target)"><title>\(GuideHTML.esc(p.name))</title></head>
            <body><p><a href="\(target)">\(GuideHTML.esc(tr("Open the guide")))</a></p></body></html>

            """.write(toFile: jump, atomically: true, encoding: .utf8)
        return jump
    }

    /// The picture file of an exercise, written on first use; nil when
    /// there is no drawing for it or it cannot be written.
    public static func pictureFile(_ exerciseID: String, directory: String = directory()) -> String? {
        guard let svg = Illustrations.svg(for: exerciseID) else { return nil }
        let path = directory + "/img/\(exerciseID).svg"
        // Written again when it differs (its words follow the language).
        if (try? String(contentsOfFile: path, encoding: .utf8)) == svg { return path }
        do {
            try FileManager.default.createDirectory(atPath: directory + "/img", withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try svg.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            return nil
        }
        return path
    }

    /// The program and exercise a guide link is for: "PROGRAM", "EXERCISE"
    /// (in any of the programs) or "PROGRAM EXERCISE".
    public static func find(_ words: [String], in programs: [Program]) -> (Program, String?)? {
        if words.count >= 2, let p = programs.first(where: { $0.id == words[0] }), p.exercise(words[1]) != nil { return (p, words[1]) }
        guard let w = words.first else { return programs.first.map { ($0, nil) } }
        if let p = programs.first(where: { $0.id == w }) { return (p, nil) }
        if let p = programs.first(where: { $0.exercise(w) != nil }) { return (p, w) }
        return nil
    }
}

/// Opens a file for the person: the desktop portal's OpenURI where there is
/// one (it asks the desktop's own handler), else xdg-open, else nothing
/// (the caller prints the path).
public enum GuideOpener {
    public enum How: String, Sendable { case portal, xdgOpen = "xdg-open", none }

    /// xdg-open on PATH, if any.
    public static func xdgOpen(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        for dir in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/xdg-open"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// Starts xdg-open on `path` without waiting for the browser.
    public static func runXdgOpen(_ path: String) -> Bool {
        guard let exe = xdgOpen() else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = [path]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return false }
        return true
    }

    public static let portalName = "org.freedesktop.portal.Desktop"
    public static let portalPath = "/org/freedesktop/portal/desktop"
    public static let portalInterface = "org.freedesktop.portal.OpenURI"

    public static func fileURI(_ path: String) -> String { URL(fileURLWithPath: path).absoluteString }
}
