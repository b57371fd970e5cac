import Testing
@testable import LimberConfig

@Suite struct SearchPathTests {
    @Test func xdgVariablesComeFirstThenDataDirs() {
        let p = SearchPath.standard(environment: ["XDG_CONFIG_HOME": "/home/a/.cfg", "XDG_CONFIG_DIRS": "/etc/one:/etc/two", "HOME": "/home/a"],
                                    dataDirectories: ["/usr/share/limber"])
        #expect(p.directories == ["/home/a/.cfg/limber", "/etc/one/limber", "/etc/two/limber", "/usr/share/limber"])
    }

    @Test func defaultsWhenUnset() {
        let p = SearchPath.standard(environment: ["HOME": "/home/b"], dataDirectories: [])
        #expect(p.directories == ["/home/b/.config/limber", "/etc/xdg/limber"])
    }

    @Test func relativeOrEmptyEntriesAreIgnoredAsTheSpecSays() {
        let p = SearchPath.standard(environment: ["HOME": "/h", "XDG_CONFIG_HOME": "rel", "XDG_CONFIG_DIRS": ":x:/etc/y"], dataDirectories: [])
        #expect(p.directories == ["/h/.config/limber", "/etc/y/limber"])
    }

    @Test func dataDirFromTheExecutablesPrefix() {
        let prefix = TempDir()
        _ = prefix.mkdir("bin")
        let share = prefix.mkdir("share/limber")
        #expect(SearchPath.dataDirectories(executablePath: prefix.sub("bin/limberd")) == [share])
    }

    @Test func developmentCheckoutUsesTheRepositoryConfigDir() {
        let repo = TempDir()
        repo.write("Package.swift", "// swift-tools-version:6.1\n")
        _ = repo.mkdir("config/programs")
        _ = repo.mkdir(".build/x86_64-unknown-linux-gnu/debug")
        #expect(SearchPath.dataDirectories(executablePath: repo.sub(".build/x86_64-unknown-linux-gnu/debug/limberd"))
                == [repo.sub("config")])
    }

    @Test func noExecutableNoDataDirs() {
        #expect(SearchPath.dataDirectories(executablePath: nil) == [])
    }
}
