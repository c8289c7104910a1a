/// The checks' outcome as summary.json records it: the verdict, counts, and every failure with
/// its reason (the full per-assertion detail is in junit.xml and each result's `checks`).
public struct ChecksSummary: Sendable, Codable, Equatable {
    public struct Failure: Sendable, Codable, Equatable {
        public var check: String
        public var reason: String
    }

    public var passed: Bool
    public var verdict: String
    public var assertionsPassed: Int
    public var assertionsFailed: Int
    public var thresholdsPassed: Int
    public var thresholdsFailed: Int
    /// The baseline comparison's one-line verdict, when there was a baseline.
    public var baseline: String?
    public var failures: [Failure]

    public init(_ report: CheckReport) {
        passed = report.passed
        verdict = report.verdict
        assertionsPassed = report.assertions.filter(\.passed).count
        assertionsFailed = report.assertions.count - assertionsPassed
        thresholdsPassed = report.thresholds.filter(\.passed).count
        thresholdsFailed = report.thresholds.count - thresholdsPassed
        baseline = report.comparison?.verdictLine
        failures = report.assertions.filter { !$0.passed }.map { Failure(check: "\($0.prompt) \($0.mode.rawValue) \($0.name)", reason: $0.reason) }
            + report.thresholds.filter { !$0.passed }.map { Failure(check: $0.expression, reason: $0.reason) }
    }

    enum CodingKeys: String, CodingKey {
        case passed, verdict
        case assertionsPassed = "assertions_passed"
        case assertionsFailed = "assertions_failed"
        case thresholdsPassed = "thresholds_passed"
        case thresholdsFailed = "thresholds_failed"
        case baseline, failures
    }
}
