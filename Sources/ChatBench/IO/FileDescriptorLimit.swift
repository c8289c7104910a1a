#if canImport(Glibc)
import Glibc
#endif

/// The open-files limit a run lives within: every request in flight holds a socket (and, with
/// `--mock`, the in-process server holds the other end). Linux often starts processes with a soft
/// limit of 1024 under a much higher hard limit, so chatbench raises the soft limit first and
/// refuses, before sending anything, a concurrency that still cannot fit.
public enum FileDescriptorLimit {
    /// Descriptors kept aside for everything else: stdio, epoll, timer and wake fds, the results
    /// file, the listening socket, Foundation's own.
    public static let reserve: UInt64 = 64

    /// Raises the soft limit to the hard limit; returns the limits now in force.
    @discardableResult
    public static func raiseToHard() -> (soft: UInt64, hard: UInt64) {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return (.max, .max) }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return (UInt64(limit.rlim_cur), UInt64(limit.rlim_max))
    }

    /// Descriptors a run at `concurrency` needs at most.
    public static func needed(concurrency: Int, mock: Bool) -> UInt64 {
        UInt64(max(1, concurrency)) * (mock ? 2 : 1) + reserve
    }

    /// Why the run cannot fit in `soft`, in words that say what to do; nil when it fits.
    public static func problem(concurrency: Int, mock: Bool, soft: UInt64, hard: UInt64) -> String? {
        let need = needed(concurrency: concurrency, mock: mock)
        guard need > soft else { return nil }
        let fits = soft > reserve ? (soft - reserve) / (mock ? 2 : 1) : 0
        return "--concurrency \(concurrency) needs about \(need) open files\(mock ? " (client and in-process mock)" : ""), "
            + "but this process may open only \(soft) (hard limit \(hard)); use --concurrency \(fits) or less, "
            + "or raise the limit (ulimit -Hn, /etc/security/limits.conf, LimitNOFILE= for a service)"
    }

    #if os(Linux)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif
}
