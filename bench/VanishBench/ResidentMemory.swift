import Foundation

/// The process's resident memory from /proc/self/status (Linux): now, and the peak since the
/// last reset.
enum ResidentMemory {
    static func current() -> Int { field("VmRSS:") }
    static func peak() -> Int { field("VmHWM:") }

    /// Starts a new peak from the current resident size (writing 5 to clear_refs, Linux ≥ 4.0).
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// A "Name:   1234 kB" line, in bytes.
    private static func field(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes * 1024
    }
}
