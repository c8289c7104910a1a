/// The load model a run used, as recorded in the manifest (so a report can be rebuilt from it).
public struct LoadDescription: Sendable, Codable, Equatable {
    /// Target requests per second (open loop); nil for closed loop.
    public var rate: Double?
    public var arrival: String?
    /// The concurrency cap; nil when an open-loop run had none.
    public var concurrencyCap: Int?
    public var durationS: Double?
    public var graceS: Double?
    /// `--warmup`, as given (`5` requests or `10s`).
    public var warmup: String?
    /// `--sweep`, as given (`concurrency=1,2,4`).
    public var sweep: String?
    public var seed: UInt64

    public init(rate: Double?, arrival: String?, concurrencyCap: Int?, durationS: Double?, graceS: Double?, warmup: String?, sweep: String?, seed: UInt64) {
        self.rate = rate
        self.arrival = arrival
        self.concurrencyCap = concurrencyCap
        self.durationS = durationS
        self.graceS = graceS
        self.warmup = warmup
        self.sweep = sweep
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey {
        case rate, arrival
        case concurrencyCap = "concurrency_cap"
        case durationS = "duration_s"
        case graceS = "grace_s"
        case warmup, sweep, seed
    }
}

/// Did the run deliver the load it promised? Achieved arrival rate against the target, the
/// client's own lag, and loud warnings when the figures describe the client (or a saturated
/// concurrency cap) rather than the server.
public struct LoadSummary: Sendable, Codable, Equatable {
    public var targetRate: Double?
    /// The rate the schedule itself asked for over this run's requests: (n − 1) / (last due −
    /// first due). A Poisson schedule of 100 requests rarely hits the target exactly; this is the
    /// fair yardstick for what the client achieved.
    public var scheduledRate: Double?
    /// Requests released per second: (n − 1) / (last start − first start).
    public var achievedRate: Double?
    public var clientLagMs: Distribution
    /// Time requests waited for a free concurrency slot or for the client (started − due).
    public var queueMs: Distribution
    /// The part of `queueMs` spent waiting for a free concurrency slot.
    public var slotWaitMs: Distribution
    /// The client fell behind its own schedule: its lag p99 is above 10 ms (either load model).
    public var clientBound: Bool
    /// Requests started later than scheduled because every slot was busy: the target rate was
    /// more than the server could take at this concurrency.
    public var overloaded: Bool
    public var warnings: [String]

    /// Summarises measured (non-warmup) results against the target rate, if any.
    public init<R: MeasuredRequest>(results allResults: [R], targetRate: Double?) {
        // Read in place: a long run's rows are not copied to be filtered.
        var starts: [Double] = [], scheduled: [Double] = [], lags: [Double] = [], queues: [Double] = [], slotWaits: [Double] = []
        allResults.withUnsafeBufferPointer { all in
            for i in all.indices where !all[i].isWarmup {
                starts.append(all[i].startOffsetMs)
                queues.append(all[i].queueMs)
                if let s = all[i].scheduledOffsetMs { scheduled.append(s) }
                if let lag = all[i].clientLagMs {
                    lags.append(lag)
                    // The part of the queueing spent waiting for a free slot rather than on the client.
                    slotWaits.append(max(0, all[i].queueMs - lag))
                }
            }
        }
        self.targetRate = targetRate
        func rate(_ times: [Double]) -> Double? {
            guard times.count >= 2, let first = times.min(), let last = times.max(), last > first else { return nil }
            return Double(times.count - 1) / ((last - first) / 1000)
        }
        achievedRate = rate(starts)
        scheduledRate = targetRate == nil ? nil : rate(scheduled)
        clientLagMs = Distribution(lags)
        queueMs = Distribution(queues)
        slotWaitMs = Distribution(slotWaits)
        clientBound = (clientLagMs.p99 ?? 0) > 10
        var warnings: [String] = []
        var overloaded = false
        if let targetRate, let achieved = achievedRate, let scheduled = scheduledRate ?? Optional(targetRate), achieved < 0.95 * scheduled,
           (slotWaitMs.p50 ?? 0) > (clientLagMs.p50 ?? 0) {
            overloaded = true
            warnings.append(String(format: "OVERLOADED: requests started at %.2f/s against a schedule of %.2f/s (target %.2f/s) because every concurrency slot was busy; the queueing shows in ttft/e2e_from_scheduled_ms (slot wait p95 %.1f ms)", achieved, scheduled, targetRate, slotWaitMs.p95 ?? 0))
        }
        if clientBound {
            warnings.append(String(format: "CLIENT-BOUND: the client itself released requests up to %.1f ms late (lag p99, achieved %@ req/s); latency figures include this machine's own delay — run fewer streams per process or shard the run", clientLagMs.p99 ?? 0, achievedRate.map { String(format: "%.2f", $0) } ?? "-"))
        }
        self.overloaded = overloaded
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey {
        case targetRate = "target_rate"
        case scheduledRate = "scheduled_rate"
        case achievedRate = "achieved_rate"
        case clientLagMs = "client_lag_ms"
        case queueMs = "queue_ms"
        case slotWaitMs = "slot_wait_ms"
        case clientBound = "client_bound"
        case overloaded, warnings
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(targetRate, forKey: .targetRate)
        try c.encode(scheduledRate, forKey: .scheduledRate)
        try c.encode(achievedRate, forKey: .achievedRate)
        try c.encode(clientLagMs, forKey: .clientLagMs)
        try c.encode(queueMs, forKey: .queueMs)
        try c.encode(slotWaitMs, forKey: .slotWaitMs)
        try c.encode(clientBound, forKey: .clientBound)
        try c.encode(overloaded, forKey: .overloaded)
        try c.encode(warnings, forKey: .warnings)
    }
}
