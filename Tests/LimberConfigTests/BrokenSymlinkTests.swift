import Foundation
import Testing
@testable import LimberConfig

/// A limber.toml or program that is a symbolic link which dangles or loops
/// is an error at that file. A broken limber.toml used to count as no
/// limber.toml at all: a reload then quietly swapped in the default settings
/// (found by tests-integration/reliability-badinput.sh).
@Suite struct BrokenSymlinkTests {
    @Test(arguments: ["loop", "dangling"])
    func aBrokenSettingsLinkIsAnErrorNotTheDefaults(kind: String) throws {
        let dir = TempDir()
        dir.write("programs/mini.toml", "")
        let settings = dir.path + "/limber.toml"
        if kind == "loop" {
            symlink(settings + ".other", settings)
            symlink(settings, settings + ".other")
        } else {
            symlink(dir.path + "/nowhere/limber.toml", settings)
        }
        let result = ConfigLoader(searchPath: SearchPath(directories: [dir.path])).loadAll()
        #expect(result.configuration == nil, "a broken limber.toml was taken as none")
        let e = try #require(result.errors.first?.description)
        #expect(e.hasPrefix("\(settings):1:1: is a symbolic link that can't be followed"), "\(e)")
    }

    @Test func aProgramThatIsALinkLoopSaysSoAtItsFile() throws {
        let dir = TempDir()
        dir.write("limber.toml", "programs = [\"mini\"]\n")
        let program = dir.path + "/programs/mini.toml"
        _ = dir.mkdir("programs")
        symlink(program + ".x", program)
        symlink(program, program + ".x")
        let result = ConfigLoader(searchPath: SearchPath(directories: [dir.path])).loadAll()
        #expect(result.configuration == nil)
        #expect(result.errors.first?.description.hasPrefix("\(program):1:1: is a symbolic link that can't be followed (Too many levels of symbolic links)") == true,
                "\(result.errors.map(\.description))")
    }
}
