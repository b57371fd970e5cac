import Foundation
import Testing
@testable import LimberConfig

/// Files limberd reads must belong to the user or root and be writable by
/// no one else (issue 12: a 0666 manifest and a planted folder were used).
/// Anything else is skipped, as if absent, with a warning at the file.
@Suite struct FileTrustTests {
    let settings = "programs = [\"mini\"]\nworking_hours = \"08:00-17:00\"\n"

    @Test func aSettingsFileWritableByOthersIsSkippedWithAWarningAtIt() throws {
        let dir = TempDir()
        let file = dir.write("limber.toml", "working_hours = \"01:00-02:00\"\n")
        dir.write("programs/mini.toml", minimalProgram())
        chmod(file, 0o666)
        let result = ConfigLoader(searchPath: SearchPath(directories: [dir.path])).loadAll()
        let w = try #require(result.warnings.first?.description)
        #expect(w == "\(file):1:1: warning: skipped: it is writable by anyone (mode 666); fix it with chmod go-w \(file)")
        // Read as if there were no limber.toml: the default hours, not 01:00-02:00.
        #expect(result.configuration?.settings.workingHours.description != "01:00-02:00")
        #expect(ConfigLoader(searchPath: SearchPath(directories: [dir.path])).settingsFile() == nil)
    }

    @Test func aGroupWritableProgramsFolderHidesItsProgramsAndIsNamedOnce() throws {
        let dir = TempDir()
        dir.write("limber.toml", settings)
        dir.write("programs/mini.toml", minimalProgram())
        dir.write("programs/other.toml", minimalProgram(id: "other"))
        chmod(dir.sub("programs"), 0o775)
        let loader = ConfigLoader(searchPath: SearchPath(directories: [dir.path]))
        let result = loader.loadAll()
        #expect(result.configuration == nil)
        #expect(result.warnings.map(\.description) == [
            "\(dir.sub("programs")):1:1: warning: skipped: it is writable by its group (mode 775); fix it with chmod go-w \(dir.sub("programs"))",
        ])
        #expect(result.errors.first?.message.contains("program 'mini' is not installed") == true)
        #expect(loader.availablePrograms().isEmpty)
    }

    @Test func aDropInWritableByOthersIsNotMerged() throws {
        let dir = TempDir()
        dir.write("limber.toml", settings)
        dir.write("programs/mini.toml", minimalProgram())
        let bad = dir.write("programs/mini.toml.d/50-evil.toml", "name = \"Evil\"\n")
        chmod(bad, 0o646)
        let loader = ConfigLoader(searchPath: SearchPath(directories: [dir.path]))
        #expect(loader.dropIns(for: "programs/mini.toml").isEmpty)
        let result = loader.loadAll()
        #expect(result.configuration?.programs.first?.name == "Mini")
        #expect(result.warnings.first?.file == bad)
        // --check says the same.
        let report = loader.check()
        #expect(report.text.contains("\(bad):1:1: warning: skipped: it is writable by anyone (mode 646)"))
        #expect(report.exitCode == 0)
    }

    @Test func aLinkIsJudgedByWhereItLeads() throws {
        let dir = TempDir()
        let target = dir.write("elsewhere/limber.toml", settings)
        chmod(target, 0o666)
        _ = dir.mkdir("conf")
        symlink(target, dir.sub("conf/limber.toml"))
        let p = try #require(FileTrust().problem(dir.sub("conf/limber.toml")))
        #expect(p == "it leads to \(target), which is writable by anyone (mode 666); fix it with chmod go-w \(target)")
    }

    @Test func aStickyRootFolderOnTheWayIsFineAWorldWritableOneIsNot() throws {
        // /tmp (root, 1777) is above every TempDir: trusted.
        let dir = TempDir()
        let file = dir.write("limber.toml", settings)
        #expect(FileTrust().problem(file) == nil)
        chmod(dir.path, 0o777)
        #expect(FileTrust().problem(file) == "its folder \(dir.path) is writable by anyone (mode 777); fix it with chmod go-w \(dir.path)")
        chmod(dir.path, 0o1777)
        if geteuid() == 0 {
            #expect(FileTrust().problem(file) == nil)  // sticky and root's: like /tmp
        } else {
            // Sticky, but not root's: still refused.
            #expect(FileTrust().problem(file)?.hasPrefix("its folder \(dir.path) is writable by anyone (mode 1777)") == true)
        }
    }

    @Test func aFileOfAnotherUserIsSkipped() throws {
        // Needs root to give a file away (CI runs as root; the hostile tier
        // does the same with a real second user).
        guard geteuid() == 0 else { return }
        let dir = TempDir()
        let file = dir.write("limber.toml", settings)
        chown(file, 65534, 65534)
        let p = try #require(FileTrust().problem(file))
        #expect(p.hasPrefix("it is owned by ") && p.hasSuffix("(uid 65534), not by you or root"), "\(p)")
        // As that user, root's files are trusted and its own are too.
        #expect(FileTrust(uid: 65534).problem(file) == nil)
    }

    @Test func aPluginManifestOrProgramWritableByOthersIsNotRun() throws {
        let dir = TempDir()
        let script = dir.write("plugins/gate.sh", "#!/bin/sh\n")
        chmod(script, 0o777)
        let manifest = dir.write("plugins/gate.toml", "exec = [\"gate.sh\"]\ncapabilities = [\"gate\"]\n")
        let loader = ConfigLoader(searchPath: SearchPath(directories: [dir.path]))
        var found = loader.pluginManifests()
        #expect(found.manifests.isEmpty)
        #expect(found.diagnostics.map(\.description) == [
            "\(manifest):1:8: will not run 'gate.sh': \(script): it is writable by anyone (mode 777); fix it with chmod go-w \(script)",
        ])
        chmod(script, 0o755)
        #expect(loader.pluginManifests().manifests.map(\.id) == ["gate"])
        // A script handed to an interpreter is judged too.
        dir.write("plugins/py.toml", "exec = [\"/bin/sh\", \"run.sh\"]\ncapabilities = [\"gate\"]\n")
        chmod(dir.write("plugins/run.sh", "exit 0\n"), 0o666)
        found = loader.pluginManifests()
        #expect(found.manifests.map(\.id) == ["gate"])
        #expect(found.diagnostics.first?.message.hasPrefix("will not run 'run.sh'") == true)
        // The manifest itself.
        chmod(manifest, 0o666)
        #expect(loader.pluginManifests().manifests.isEmpty)
        #expect(loader.untrustedFiles().map(\.file).contains(manifest))
    }
}
