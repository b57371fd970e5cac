import Foundation
import Testing
import LimberCore
@testable import LimberHistory

/// The state folder and its files are the user's alone (issue 12: a history
/// opened through a link got limber's tables added and WAL mode; a swapped
/// file sent check-ins to an orphaned WAL; files were made under the umask).
@Suite(.serialized) struct PrivateStateTests {
    // limberd itself runs with umask 077 (the hostile tier starts it under
    // umask 000); the umask is not changed here, as tests run in parallel.
    @Test func aNewStateFolderIs0700AndTheHistory0600() throws {
        let dir = TempDir()
        let state = dir.file("state/limber")
        let (store, _) = try HistoryStore.open(at: state + "/history.sqlite", now: t())
        try store.record(outcome(.done, at: t()))
        #expect(mode(state) == 0o700)
        #expect(mode(dir.file("state")) == 0o700)
        #expect(mode(state + "/history.sqlite") == 0o600)
        #expect(mode(state + "/history.sqlite-wal") == 0o600)
    }

    @Test func aFolderOthersMayReadIsTightenedOneOthersMayWriteIsRefused() throws {
        let dir = TempDir()
        chmod(dir.path, 0o755)
        try PrivateFiles.prepareFolder(dir.path)
        #expect(mode(dir.path) == 0o700)
        chmod(dir.path, 0o777)
        #expect(throws: PrivacyError.self) { try PrivateFiles.prepareFolder(dir.path) }
        do {
            _ = try HistoryStore.open(at: dir.file("history.sqlite"), now: t())
            Issue.record("a world-writable state folder was used")
        } catch {
            #expect(error.description.contains("\(dir.path) may be written by anyone (mode 777); limber keeps no state or history in it (fix it with chmod 700 \(dir.path))"), "\(error)")
        }
        #expect(!PrivateFiles.exists(dir.file("history.sqlite")))
    }

    /// What is wrong with the folder is a message: in the user's language,
    /// with the path and the mode unchanged in it.
    @Test func theRefusalIsInTheUsersLanguage() throws {
        let dir = TempDir()
        chmod(dir.path, 0o777)
        defer { chmod(dir.path, 0o700) }
        Localizer.$scoped.withValue(.pseudo) {
            do throws(PrivacyError) {
                try PrivateFiles.prepareFolder(dir.path)
                Issue.record("a world-writable state folder was used")
            } catch {
                #expect(Localizer.isPseudo(error.problem), "\(error)")
                #expect(error.problem.contains(" 777)"), "the mode: \(error)")
                #expect(error.problem.contains(" 700 \(dir.path))"), "the path: \(error)")
                #expect(error.description.hasPrefix(dir.path + " ⟦"), "\(error)")
            }
        }
    }

    @Test func aStateFolderOfAnotherUserIsRefused() throws {
        guard geteuid() == 0 else { return }  // giving a folder away needs root
        let dir = TempDir()
        let state = dir.file("limber")
        mkdir(state, 0o700)
        chown(state, 65534, 65534)
        do {
            try PrivateFiles.prepareFolder(state)
            Issue.record("another user's folder was used")
        } catch {
            #expect(error.problem.hasPrefix("belongs to ") && error.problem.contains("(uid 65534), not to you"), "\(error)")
        }
    }

    @Test func aLinkedHistoryIsMovedAsideAndTheOtherDatabaseIsUntouched() throws {
        let dir = TempDir()
        // Another application's database.
        let other = dir.file("other.sqlite")
        let (otherStore, _) = try HistoryStore.open(at: dir.file("scratch.sqlite"), now: t())
        try otherStore.close()
        try FileManager.default.copyItem(atPath: dir.file("scratch.sqlite"), toPath: other)
        let before = try Data(contentsOf: URL(fileURLWithPath: other))
        let path = dir.file("state/history.sqlite")
        try PrivateFiles.prepareFolder(dir.file("state"))
        symlink(other, path)
        let (store, report) = try HistoryStore.open(at: path, now: t(day: 1))
        let moved = try #require(report.movedAside)
        #expect(moved.reason.contains("was a symbolic link (to \(other))"), "\(moved.reason)")
        #expect(moved.files.first == path + ".corrupt-20250302T000000Z")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: moved.files[0])) == other)
        try store.record(outcome(.done, at: t(day: 1)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: other)) == before)
        #expect(!PrivateFiles.exists(other + "-wal"))
        // limberctl's read-only open refuses a link too.
        symlink(other, dir.file("state/linked.sqlite"))
        #expect(throws: HistoryError.self) { try HistoryStore.openForReading(at: dir.file("state/linked.sqlite")) }
    }

    @Test func aHistorySwappedWhileOpenGetsNothingMoreAndSaysWhy() throws {
        let dir = TempDir()
        let path = dir.file("history.sqlite")
        let (store, _) = try HistoryStore.open(at: path, now: t())
        try store.record(outcome(.done, at: t()))
        // Moved away and replaced by a decoy (a link to another file).
        rename(path, dir.file("orphan.sqlite"))
        _ = FileManager.default.createFile(atPath: dir.file("decoy"), contents: Data())
        symlink(dir.file("decoy"), path)
        switch store.recordOrHold([outcome(.done, at: t(minute: 1))]) {
        case .saved: Issue.record("wrote to a swapped history")
        case .held(let n, _, let error):
            #expect(n == 1)
            #expect(error.description.contains("was replaced while limberd ran"), "\(error)")
        }
        #expect(throws: HistoryError.self) { try store.addActivity(on: Day(t(), in: TimeZone(identifier: "UTC")!), activeSeconds: 1, breakSeconds: 0) }
        #expect(store.checkIn(CheckIn(at: t(), pain: 3)).storeError?.contains("was replaced") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.file("decoy"))).isEmpty)
    }

    func mode(_ path: String) -> mode_t {
        var st = stat()
        lstat(path, &st)
        return st.st_mode & 0o7777
    }
}
