import Foundation

/// A statistic of a distribution metric, as summary.json names it.
public enum ThresholdStatistic: String, Sendable, CaseIterable {
    case n, mean, min, p50, p90, p95, p99, max

    func value(of distribution: Distribution) -> Double? {
        switch self {
        case .n: Double(distribution.n)
        case .mean: distribution.mean
        case .min: distribution.min
        case .p50: distribution.p50
        case .p90: distribution.p90
        case .p95: distribution.p95
        case .p99: distribution.p99
        case .max: distribution.max
        }
    }
}

/// A per-request metric of the summary that has a distribution.
public enum DistributionMetric: String, Sendable, CaseIterable {
    case ttft, ttfb, connect, e2e, tpot, itl, queue
    case decodeTps = "decode_tps"
    case e2eTps = "e2e_tps"
    case completionTokens = "completion_tokens"
    case promptTokens = "prompt_tokens"

    /// Milliseconds: values may be written with `ms` or `s`.
    public var isDuration: Bool {
        switch self {
        case .ttft, .ttfb, .connect, .e2e, .tpot, .itl, .queue: true
        case .decodeTps, .e2eTps, .completionTokens, .promptTokens: false
        }
    }

    /// Throughput metrics, where more is better (the direction a baseline comparison needs).
    public var higherIsBetter: Bool { self == .decodeTps || self == .e2eTps }

    /// The name in summary.json and results.jsonl (`ttft_ms`, `decode_tps`).
    public var summaryKey: String { isDuration ? rawValue + "_ms" : rawValue }

    public func distribution(in summary: Summary) -> Distribution {
        switch self {
        case .ttft: summary.ttftMs
        case .ttfb: summary.ttfbMs
        case .connect: summary.connectMs
        case .e2e: summary.e2eMs
        case .tpot: summary.tpotMs
        case .itl: summary.itlMs
        case .queue: summary.queueMs
        case .decodeTps: summary.decodeTps
        case .e2eTps: summary.e2eTps
        case .completionTokens: summary.completionTokens
        case .promptTokens: summary.promptTokens
        }
    }
}

/// A limit on one figure of a run's summary, in the spirit of k6 thresholds:
/// `ttft.p95<800ms`, `stream.e2e.p50<=2s`, `error_rate<1%`, `finish_reason.length<=5%`, `decode_tps.p50>20`.
public struct Threshold: Sendable, Equatable {
    /// What the threshold looks at.
    public enum Subject: Sendable, Equatable {
        case distribution(DistributionMetric, ThresholdStatistic)
        /// Failed requests / requests, as a fraction.
        case errorRate
        /// Ok requests that finished with this reason / ok requests, as a fraction.
        case finishReason(String)
        case requestsPerS
        case outputTokensPerS
    }

    public enum Comparison: String, Sendable, Equatable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "=="

        func holds(_ actual: Double, _ limit: Double) -> Bool {
            switch self {
            case .less: actual < limit
            case .lessOrEqual: actual <= limit
            case .greater: actual > limit
            case .greaterOrEqual: actual >= limit
            case .equal: Swift.abs(actual - limit) <= 1e-9 * Swift.max(1, Swift.abs(limit))
            }
        }
    }

    /// The expression as the user wrote it (trimmed), for reports.
    public var expression: String
    /// nil: over every request of the run.
    public var mode: RequestMode?
    public var subject: Subject
    public var comparison: Comparison
    /// The limit in the metric's own unit: milliseconds, a fraction, tokens, per second.
    public var limit: Double

    /// Every metric name the grammar accepts, for error messages and help.
    public static let metricNames: [String] =
        DistributionMetric.allCases.map(\.rawValue) + ["error_rate", "finish_reason.REASON", "requests_per_s", "output_tokens_per_s"]

    /// Parses one expression; see `ThresholdError` for what a mistake looks like.
    public static func parse(_ expression: String) throws(ThresholdError) -> Threshold {
        try ThresholdParser.parse(expression)
    }

    /// Reads a thresholds file: one expression per line; blank lines and `#` comments skipped.
    public static func parseFile(_ text: String, path: String) throws(ThresholdError) -> [Threshold] {
        var thresholds: [Threshold] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix("//") { continue }
            do {
                thresholds.append(try parse(trimmed))
            } catch {
                var located = error
                located.location = "\(path):\(offset + 1)"
                throw located
            }
        }
        return thresholds
    }

    /// The figure this threshold looks at in `results`, or nil when there is none (no samples,
    /// no requests in the mode).
    public func actual<R: MeasuredRequest>(in results: [R]) -> Double? {
        let summary = Summary(results: results, mode: mode)
        switch subject {
        case .distribution(let metric, let statistic):
            return statistic.value(of: metric.distribution(in: summary))
        case .errorRate:
            return summary.errorRate
        case .finishReason(let reason):
            let ok = summary.countsByOutcome[Outcome.ok.rawValue] ?? 0
            return ok > 0 ? Double(summary.countsByFinishReason[reason] ?? 0) / Double(ok) : nil
        case .requestsPerS:
            return summary.requestsPerS
        case .outputTokensPerS:
            return summary.outputTokensPerS
        }
    }

    /// Checks the threshold against a run's results. No data fails: a limit on nothing must not pass silently.
    public func evaluate<R: MeasuredRequest>(_ results: [R]) -> ThresholdResult {
        let inScope = mode.map { m in results.contains { $0.mode == m } } ?? !results.isEmpty
        guard let actual = actual(in: results) else {
            let why = !inScope ? "no \(mode.map { "\($0.rawValue) " } ?? "")requests in this run" : "no samples of \(subjectName)"
            return ThresholdResult(expression: expression, passed: false, actual: nil, reason: "\(why), so the limit cannot hold")
        }
        let passed = comparison.holds(actual, limit)
        let reason = "\(subjectName) = \(format(actual)), limit \(comparison.rawValue) \(format(limit))"
        return ThresholdResult(expression: expression, passed: passed, actual: actual, reason: reason)
    }

    /// `stream.ttft.p95`, `error_rate`.
    public var subjectName: String {
        let prefix = mode.map { "\($0.rawValue)." } ?? ""
        switch subject {
        case .distribution(let metric, let statistic): return "\(prefix)\(metric.rawValue).\(statistic.rawValue)"
        case .errorRate: return prefix + "error_rate"
        case .finishReason(let reason): return "\(prefix)finish_reason.\(reason)"
        case .requestsPerS: return prefix + "requests_per_s"
        case .outputTokensPerS: return prefix + "output_tokens_per_s"
        }
    }

    /// A value of this threshold's subject with its unit: `812.3ms`, `1.5%`, `20.4`.
    public func format(_ value: Double) -> String {
        switch subject {
        case .distribution(let metric, let statistic):
            if statistic == .n { return String(Int(value)) }
            return metric.isDuration ? Self.decimal(value) + "ms" : Self.decimal(value)
        case .errorRate, .finishReason:
            return Self.decimal(value * 100) + "%"
        case .requestsPerS, .outputTokensPerS:
            return Self.decimal(value)
        }
    }

    static func decimal(_ value: Double) -> String {
        if value == value.rounded() && Swift.abs(value) < 1e15 { return String(Int(value)) }
        let text = String(format: "%.2f", value)
        // 812.30 -> 812.3; 0.25 stays.
        var trimmed = Substring(text)
        while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}

/// A threshold checked against a run.
public struct ThresholdResult: Sendable, Equatable {
    public var expression: String
    public var passed: Bool
    public var actual: Double?
    /// `ttft.p95 = 812.3ms, limit < 800ms`, or why there was nothing to compare.
    public var reason: String

    public init(expression: String, passed: Bool, actual: Double?, reason: String) {
        self.expression = expression
        self.passed = passed
        self.actual = actual
        self.reason = reason
    }
}
