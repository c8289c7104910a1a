/// One assertion evaluated on one request: stored in the request's `checks` in results.jsonl.
public struct CheckResult: Sendable, Codable, Equatable {
    /// The assertion kind, as written in `expect` (`contains`, `regex`, `max_ttft_ms`, ...).
    public var name: String
    public var passed: Bool
    /// What was checked and, on failure, what was found instead.
    public var reason: String

    public init(name: String, passed: Bool, reason: String) {
        self.name = name
        self.passed = passed
        self.reason = reason
    }
}
