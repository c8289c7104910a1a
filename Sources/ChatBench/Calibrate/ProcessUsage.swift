#if canImport(Glibc)
import Glibc
#endif

/// This process's CPU time and peak resident memory, from getrusage.
public struct ProcessUsage: Sendable, Equatable {
    /// User plus system CPU time of every thread, in nanoseconds.
    public var cpuNanoseconds: UInt64
    /// The largest resident set the process has had, in bytes.
    public var peakResidentBytes: UInt64

    public static func now() -> ProcessUsage {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func ns(_ t: timeval) -> UInt64 { UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_usec) * 1000 }
        return ProcessUsage(cpuNanoseconds: ns(usage.ru_utime) + ns(usage.ru_stime), peakResidentBytes: UInt64(usage.ru_maxrss) * 1024)
    }
}
