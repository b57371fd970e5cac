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

    @Test func theDataDirIsFixedAtBuildTimeOrSetForDevelopment() {
        // Never found from the executable: only LIMBER_DATA_DIR or the built-in one.
        #expect(SearchPath.dataDirectory(environment: [:]) == SearchPath.builtDataDirectory)
        #expect(SearchPath.builtDataDirectory.hasPrefix("/") && SearchPath.builtDataDirectory.hasSuffix("/share/limber"))
        #expect(SearchPath.dataDirectory(environment: ["LIMBER_DATA_DIR": "/src/limber/config/"]) == "/src/limber/config")
        #expect(SearchPath.dataDirectory(environment: ["LIMBER_DATA_DIR": "relative/config"]) == SearchPath.builtDataDirectory)
        let p = SearchPath.standard(environment: ["HOME": "/h", "LIMBER_DATA_DIR": "/src/config"])
        #expect(p.directories == ["/h/.config/limber", "/etc/xdg/limber", "/src/config"])
    }

    @Test func aPlantedCheckoutNearTheBinaryIsNotADataDir() {
        // The old walk up from the binary took any folder holding
        // Package.swift and config/programs.
        let planted = TempDir()
        planted.write("Package.swift", "// swift-tools-version:6.1\n")
        _ = planted.mkdir("config/programs")
        let p = SearchPath.standard(environment: ["HOME": "/h"])
        #expect(!p.directories.contains { $0.hasPrefix(planted.path) })
    }
}
