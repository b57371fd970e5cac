import Testing
@testable import LimberConfig

/// `limberd --check [PATH...]`.
@Suite struct CheckTests {
    @Test func aProgramFileWithAnErrorIsRejectedWithFileLineAndColumn() {
        let dir = TempDir()
        let path = dir.write("mini.toml", minimalProgram().replacingOccurrences(of: "after = \"45m\"", with: "after = \"45\""))
        let report = ConfigLoader(searchPath: SearchPath(directories: [])).check(paths: [path])
        #expect(report.exitCode == 1)
        #expect(report.lines == [])
        #expect(report.text == "\(path):9:9: 'after' must be a duration like \"45m\"; \"45\": the number at the end has no unit (write a number and a unit, like \"45m\", \"1h30m\", \"1.5h\" or \"90 min\")\n")
    }

    @Test func aValidProgramPrintsOneLine() {
        let dir = TempDir()
        let path = dir.write("mini.toml", minimalProgram())
        let report = ConfigLoader(searchPath: SearchPath(directories: [])).check(paths: [path])
        #expect(report.exitCode == 0)
        #expect(report.lines == ["mini: \"Mini\" (v1), 1 exercise; 1 reminder: stand (sit-break after 45m, reset by 5m idle)"])
    }

    @Test func theShippedDirectoryAndItsFilesCheckClean() {
        let loader = ConfigLoader(searchPath: SearchPath(directories: []))
        let asDir = loader.check(paths: [shippedConfigDir])
        let programs = { (r: CheckReport) in r.lines.filter { !$0.contains("): translation") } }
        #expect(asDir.diagnostics.allSatisfy(isPartialTranslation) && programs(asDir).count == 2, "\(asDir.text)")
        let asFiles = loader.check(paths: [shippedConfigDir + "/limber.toml", shippedConfigDir + "/programs"])
        #expect(asFiles.diagnostics.allSatisfy(isPartialTranslation) && programs(asFiles).count == 2, "\(asFiles.text)")
    }

    @Test func aDropInIsCheckedOverItsProgram() {
        let dir = TempDir()
        dir.write("programs/mini.toml", minimalProgram())
        let dropIn = dir.write("programs/mini.toml.d/10.toml", "[reminders.stand]\ntitel = \"x\"\n")
        let report = ConfigLoader(searchPath: SearchPath(directories: [])).check(paths: [dropIn])
        #expect(report.diagnostics.map(\.description) == ["\(dropIn):2:1: unknown key 'titel' in reminder 'stand'; did you mean 'title'?"])
    }

    @Test func severalPathsReportEveryProblem() {
        let dir = TempDir()
        let a = dir.write("a/mini.toml", minimalProgram().replacingOccurrences(of: "schema = 1", with: "schema = 2"))
        let b = dir.write("b/limber.toml", "snooze = 5\n")
        let report = ConfigLoader(searchPath: SearchPath(directories: [])).check(paths: [a, b])
        #expect(report.diagnostics.map(\.description) == [
            "\(a):1:10: 'schema' must be 1 (the only program format this limber reads); got 2",
            "\(b):1:10: 'snooze' must be a duration like \"10m\"",
        ])
    }
}
