import CSystemd
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Gives back memory that only start-up (or a reload) needed.
///
/// After start-up most of a daemon's resident memory is code that ran once:
/// parsing programs, opening the database, setting up the buses. Those pages
/// are clean file-backed pages of our own binary and libraries; dropping them
/// from our page tables costs nothing until they run again, when they come
/// back from the page cache (minor faults, no disk reads). Only read-execute
/// mappings of files are touched: never writable memory, never read-only data
/// (relocated RELRO pages are private copies and must not be dropped).
public enum MemoryTrim {
    /// Releases start-up code pages and free heap. Returns the bytes of
    /// mappings advised (not necessarily resident before).
    @discardableResult
    public static func releaseIdleMemory() -> Int {
        _ = limber_malloc_trim()
        let maps = readProcFile("/proc/self/maps")
        var advised = 0
        for line in maps.split(separator: "\n") {
            // "start-end perms offset dev inode path"
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, fields[1] == "r-xp", fields[5].drop(while: { $0 == " " }).hasPrefix("/") else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16),
                  end > start, let address = UnsafeMutableRawPointer(bitPattern: start) else { continue }
            if madvise(address, Int(end - start), MADV_DONTNEED) == 0 { advised += Int(end - start) }
        }
        return advised
    }

    /// /proc files report size 0: read until the end.
    static func readProcFile(_ path: String) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
