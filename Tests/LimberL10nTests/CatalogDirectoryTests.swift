import Foundation
import Testing

@testable import LimberL10n

/// Where limberd and limberctl take their message catalogs from: the data
/// directory's `../locale` (or LIMBER_LOCALEDIR), never a folder beside the
/// executable, and only folders and catalogs no one else may write.
struct CatalogDirectoryTests {
    /// A fresh tree `ROOT/share/limber` + `ROOT/share/locale/de/LC_MESSAGES/limber.mo`.
    func tree() throws -> (root: String, data: String, locale: String) {
        let root = FileManager.default.temporaryDirectory.path + "/l10n-dir-\(UUID().uuidString.prefix(8))"
        let data = root + "/share/limber", locale = root + "/share/locale"
        for d in [data, locale + "/de/LC_MESSAGES"] {
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
        }
        chmod(root, 0o700)
        try Data("x".utf8).write(to: URL(fileURLWithPath: locale + "/de/LC_MESSAGES/limber.mo"))
        chmod(locale + "/de/LC_MESSAGES/limber.mo", 0o644)
        return (root, data, locale)
    }

    @Test func catalogsAreTakenFromBesideTheDataDirectory() throws {
        let t = try tree()
        defer { try? FileManager.default.removeItem(atPath: t.root) }
        #expect(L10n.localeDirectory(["LIMBER_DATA_DIR": t.data], languages: ["de_DE", "de"]) == t.locale)
        // LIMBER_LOCALEDIR comes first.
        let other = t.root + "/other"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        #expect(L10n.localeDirectory(["LIMBER_DATA_DIR": t.data, "LIMBER_LOCALEDIR": other], languages: ["de"]) == other)
    }

    @Test func aFolderOthersMayWriteIsNotUsed() throws {
        let t = try tree()
        defer { try? FileManager.default.removeItem(atPath: t.root) }
        let env = ["LIMBER_DATA_DIR": t.data]
        // A folder above the catalogs writable by its group: not used, the texts stay English.
        chmod(t.root + "/share", 0o775)
        #expect(L10n.localeDirectory(env, languages: ["de"]) == nil)
        chmod(t.root + "/share", 0o755)
        #expect(L10n.localeDirectory(env, languages: ["de"]) == t.locale)
        // A catalog anyone may write: not used.
        chmod(t.locale + "/de/LC_MESSAGES/limber.mo", 0o666)
        #expect(L10n.localeDirectory(env, languages: ["de"]) == nil)
        // ... unless that language is not wanted (gettext never opens it).
        #expect(L10n.localeDirectory(env, languages: ["es"]) == t.locale)
        // LIMBER_LOCALEDIR that others may write falls through to the data directory's.
        chmod(t.locale + "/de/LC_MESSAGES/limber.mo", 0o644)
        let open = t.root + "/open"
        try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o777])
        chmod(open, 0o777)
        #expect(L10n.localeDirectory(["LIMBER_DATA_DIR": t.data, "LIMBER_LOCALEDIR": open], languages: ["de"]) == t.locale)
    }

    @Test func nothingIsLookedForBesideTheExecutable() throws {
        // The test runner's bin/../share/locale is not a candidate, however it looks.
        let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let beside = URL(fileURLWithPath: exe).deletingLastPathComponent().deletingLastPathComponent().path + "/share/locale"
        let t = try tree()
        defer { try? FileManager.default.removeItem(atPath: t.root) }
        chmod(t.root + "/share/locale", 0o777)
        let dir = L10n.localeDirectory(["LIMBER_DATA_DIR": t.data], languages: ["de"])
        #expect(dir == nil, "\(String(describing: dir)) (beside the executable: \(beside))")
    }
}
