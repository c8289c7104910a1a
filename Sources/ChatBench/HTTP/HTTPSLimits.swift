/// How far one chatbench process can drive an `https://` target before the client, not the
/// server, sets the figures, and the warning that says so.
///
/// `https://` goes through URLSession, whose Linux implementation runs every transfer of the
/// process through one serial queue and costs far more CPU per event than chatbench's own epoll
/// client (see README "Benchmarking over HTTPS" and shared/notes/transport.md). The ceiling is
/// the measured one, from `chatbench calibrate --base-url https://…` against a TLS front.
public enum HTTPSLimits {
    /// Concurrent streams per process above which the https:// path is likely client-bound.
    /// Measured (README "Benchmarking over HTTPS"): on the 2-core development VM, at 50 tokens/s
    /// per stream, it delivered 95 % of the events asked for at 4 streams, 83 % at 16, 74 % at
    /// 32 and 36 % at 128 (http://: 98 % at 128); the transport notes saw URLSession over plain
    /// HTTP keep up to about 128 on an idle machine. 32 is a compromise between the two; the
    /// warning points users to `calibrate` for their own machine's figure.
    public static let streamsPerProcess = 32

    /// Before the run: the most streams the configuration asks for (the largest sweep level, or
    /// the concurrency cap) exceeds the ceiling on an https:// target.
    public static func plannedWarning(endpoint: Endpoint, concurrency: Int?) -> String? {
        guard endpoint.scheme == "https", let concurrency, concurrency > streamsPerProcess else { return nil }
        return warning("--concurrency \(concurrency)")
    }

    /// After the run: more streams were actually in flight than the ceiling (an open loop
    /// without a cap can get there without asking).
    public static func observedWarning(endpoint: Endpoint, maxInFlight: Int) -> String? {
        guard endpoint.scheme == "https", maxInFlight > streamsPerProcess else { return nil }
        return warning("\(maxInFlight) requests in flight")
    }

    private static func warning(_ what: String) -> String {
        """
        HTTPS CLIENT LIMIT: \(what) over https:// exceeds the about \(streamsPerProcess) streams one chatbench process \
        measures accurately through the toolchain's TLS (URLSession: one I/O queue per process, 10–30x the CPU per event \
        of http://); the client may be the bottleneck and latencies may include its own delay (measure this machine with \
        `chatbench calibrate --base-url https://…`). To avoid it, run several shards of at most \(streamsPerProcess) streams \
        (separate processes, ideally machines) and merge their results, or terminate TLS next to chatbench (a local \
        reverse proxy) and point --base-url at its http:// address
        """
    }
}
