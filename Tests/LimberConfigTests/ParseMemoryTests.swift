import Foundation
import Testing
@testable import LimberConfig

/// Parsing is pure Swift values: parsing the same files over and over (what
/// a daemon that reloads does) must not grow the process.
@Suite struct ParseMemoryTests {
    /// Resident set size in kB, from /proc (0 where there is none).
    static func residentKilobytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
    }

    @Test func tenThousandParsesOfTheShippedFilesKeepMemoryFlat() throws {
        let files = ["programs/sciatica-relief.toml", "programs/desk-basics.toml", "limber.toml"].map {
            shippedConfigDir + "/" + $0
        }
        let texts = try files.map { try String(contentsOfFile: $0, encoding: .utf8) }
        var keys = 0
        func parse(_ count: Int) {
            for n in 0..<count {
                if case .success(let doc) = TOMLDocument.parse(texts[n % texts.count], file: files[n % files.count]) {
                    keys += doc.root.count
                }
            }
        }
        parse(300)  // warm up: allocator pools, caches
        let before = Self.residentKilobytes()
        let start = ContinuousClock.now
        parse(10_000)
        let elapsed = ContinuousClock.now - start
        let after = Self.residentKilobytes()
        print("ParseMemoryTests: 10,000 parses of the \(files.count) shipped files in \(elapsed); RSS \(before) kB → \(after) kB (\(after - before) kB)")
        #expect(keys > 0)
        // RSS is the whole process's, and other suites run alongside, so the
        // bound is loose: TOMLKit leaked ~48 kB a parse (~470 MB here); run
        // alone, this reader's growth is a few hundred kB at most.
        #expect(after - before < 32_768, "RSS grew from \(before) kB to \(after) kB")
    }
}
