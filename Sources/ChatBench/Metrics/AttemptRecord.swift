/// One earlier attempt of a request that was retried (`--retries`): how it ended and how long
/// chatbench waited before the next. The request's own metrics are those of its final attempt.
public struct AttemptRecord: Sendable, Codable, Equatable {
    public var outcome: Outcome
    public var status: Int?
    public var error: String?
    /// When the attempt started, from the start of the run.
    public var startOffsetMs: Double
    public var e2eMs: Double?
    /// The wait before the next attempt: the backoff, or the server's `Retry-After` (capped).
    public var waitMs: Double

    public init(outcome: Outcome, status: Int?, error: String?, startOffsetMs: Double, e2eMs: Double?, waitMs: Double) {
        self.outcome = outcome
        self.status = status
        self.error = error
        self.startOffsetMs = startOffsetMs
        self.e2eMs = e2eMs
        self.waitMs = waitMs
    }

    enum CodingKeys: String, CodingKey {
        case outcome, status, error
        case startOffsetMs = "start_offset_ms"
        case e2eMs = "e2e_ms"
        case waitMs = "wait_ms"
    }
}
