import Foundation

/// A new run set against a baseline run, from the two runs' request records: every summary
/// figure side by side, a bootstrap verdict for the latency percentiles, assertion flips per
/// prompt and, where both ran at temperature 0, changed answers.
public struct BaselineComparison: Sendable {
    /// What the comparison concluded about one figure.
    public enum Verdict: String, Sendable, Equatable {
        case regressed
        case improved
        case noSignificantChange = "no significant change"
        /// Too few samples on a side for this percentile (see `BaselineComparison.hasEnoughSamples`).
        case tooFewSamples = "too few samples"
    }

    /// One figure of one mode in both runs.
    public struct Row: Sendable, Equatable {
        /// `stream`, `non-stream`.
        public var mode: String
        /// `ttft.p95`, `error_rate`, `requests_per_s`.
        public var metric: String
        /// `ms`, `%`, `tok/s`, `req/s`, or empty.
        public var unit: String
        public var base: Double?
        public var new: Double?
        /// Only for the figures judged by bootstrap.
        public var verdict: Verdict?
        public var interval: BootstrapInterval?

        public var delta: Double? {
            guard let base, let new else { return nil }
            return new - base
        }

        /// The change relative to the base, as a fraction; nil when the base is 0 or missing.
        public var relativeDelta: Double? {
            guard let base, let delta, base != 0 else { return nil }
            return delta / Swift.abs(base)
        }
    }

    /// An assertion of a prompt that passed in one run and failed in the other.
    public struct Flip: Sendable, Equatable {
        public var prompt: String
        public var mode: RequestMode
        public var check: String
        /// True for pass → fail (a regression); false for fail → pass.
        public var isRegression: Bool
        /// The failing side's reason.
        public var reason: String
    }

    /// A temperature-0 prompt whose answer differs between the runs.
    public struct ChangedAnswer: Sendable, Equatable {
        public var prompt: String
        public var mode: RequestMode
        public var base: String
        public var new: String
    }

    /// A percentile is judged only with at least this many samples beyond it on each side:
    /// p50 needs 10 requests per run, p95 needs 100. Bootstrap intervals of a tail percentile
    /// from a few dozen samples are too narrow to trust, and would flag noise as change.
    public static let minimumSamplesBeyondPercentile = 5.0

    static func hasEnoughSamples(_ count: Int, quantile: Double) -> Bool {
        Double(count) * Swift.min(quantile, 1 - quantile) >= minimumSamplesBeyondPercentile
    }
    /// A latency change smaller than this many milliseconds is never a verdict: sub-millisecond
    /// figures (a server's first byte) swing by large percentages on scheduler noise alone.
    public static let minimumDurationChangeMs = 1.0

    public var baseLabel: String
    public var newLabel: String
    /// A latency change smaller than this fraction is never a regression, however certain.
    public var tolerance: Double
    public var rows: [Row]
    public var flips: [Flip]
    public var changedAnswers: [ChangedAnswer]

    /// Figures that regressed beyond tolerance and noise.
    public var regressedRows: [Row] { rows.filter { $0.verdict == .regressed } }
    public var regressiveFlips: [Flip] { flips.filter(\.isRegression) }
    /// No regressed figure and no assertion that went from pass to fail.
    public var passed: Bool { regressedRows.isEmpty && regressiveFlips.isEmpty }

    /// Compares `new` against `base`. `seed` makes the bootstrap reproducible.
    public static func compare(
        base: [some MeasuredRequest], new: [some MeasuredRequest], baseLabel: String = "base", newLabel: String = "new",
        tolerance: Double = 0.10, passRate: Double = 1, resamples: Int = Bootstrap.defaultResamples, seed: UInt64 = 1
    ) -> BaselineComparison {
        var rows: [Row] = []
        let modes = RequestMode.allCases.filter { mode in base.contains { $0.mode == mode } && new.contains { $0.mode == mode } }
        for mode in modes {
            let baseSummary = Summary(results: base, mode: mode)
            let newSummary = Summary(results: new, mode: mode)
            let baseOK = base.filter { $0.mode == mode && $0.outcome == .ok }
            let newOK = new.filter { $0.mode == mode && $0.outcome == .ok }
            for (metric, statistics) in tableLayout {
                for statistic in statistics {
                    var row = Row(
                        mode: mode.rawValue, metric: "\(metric.rawValue).\(statistic.rawValue)", unit: unit(metric),
                        base: statistic.value(of: metric.distribution(in: baseSummary)),
                        new: statistic.value(of: metric.distribution(in: newSummary)))
                    if let quantile = judged[metric]?[statistic] {
                        judge(&row, metric: metric, quantile: quantile, base: samples(metric, baseOK), new: samples(metric, newOK),
                              tolerance: tolerance, resamples: resamples, seed: seed)
                    }
                    rows.append(row)
                }
            }
            rows.append(Row(mode: mode.rawValue, metric: "error_rate", unit: "%",
                            base: baseSummary.errorRate.map { $0 * 100 }, new: newSummary.errorRate.map { $0 * 100 }))
            rows.append(Row(mode: mode.rawValue, metric: "requests_per_s", unit: "req/s", base: baseSummary.requestsPerS, new: newSummary.requestsPerS))
            rows.append(Row(mode: mode.rawValue, metric: "output_tokens_per_s", unit: "tok/s",
                            base: baseSummary.outputTokensPerS, new: newSummary.outputTokensPerS))
        }
        return BaselineComparison(
            baseLabel: baseLabel, newLabel: newLabel, tolerance: tolerance, rows: rows,
            flips: flips(base: base, new: new, passRate: passRate), changedAnswers: changedAnswers(base: base, new: new))
    }

    /// The figures in the side-by-side table, in order.
    static let tableLayout: [(DistributionMetric, [ThresholdStatistic])] = [
        (.ttft, [.p50, .p95, .p99]), (.ttfb, [.p50, .p95, .p99]), (.e2e, [.p50, .p95, .p99]), (.tpot, [.p50, .p95, .p99]),
        (.itl, [.p50, .p95, .p99]), (.decodeTps, [.p50, .p95]), (.e2eTps, [.p50]), (.queue, [.p50, .p95]),
        (.completionTokens, [.mean, .p50]),
    ]

    /// The figures given a bootstrap verdict: per-request latencies at the median and p95 (p99 of
    /// a few dozen requests is one or two samples: no interval would mean anything), and decode speed.
    /// Pooled inter-token gaps are left out (their samples are not independent; tpot carries the
    /// same signal), and so is ttfb (mostly transport overhead: noise that would raise false alarms).
    static let judged: [DistributionMetric: [ThresholdStatistic: Double]] = [
        .ttft: [.p50: 0.5, .p95: 0.95], .e2e: [.p50: 0.5, .p95: 0.95],
        .tpot: [.p50: 0.5, .p95: 0.95], .decodeTps: [.p50: 0.5],
    ]

    private static func unit(_ metric: DistributionMetric) -> String {
        if metric.isDuration { return "ms" }
        if metric.higherIsBetter { return "tok/s" }
        return ""
    }

    private static func samples<R: MeasuredRequest>(_ metric: DistributionMetric, _ results: [R]) -> [Double] {
        switch metric {
        case .ttft: results.compactMap(\.ttftMs)
        case .e2e: results.compactMap(\.e2eMs)
        case .tpot: results.compactMap(\.tpotMs)
        case .decodeTps: results.compactMap(\.decodeTps)
        default: []
        }
    }

    /// Regressed: worse by more than `tolerance` (and, for latencies, by at least
    /// `minimumDurationChangeMs`) and the interval lies wholly on the worse side of zero.
    /// Improved: the mirror image. Anything else is within noise or tolerance.
    private static func judge(
        _ row: inout Row, metric: DistributionMetric, quantile: Double, base: [Double], new: [Double],
        tolerance: Double, resamples: Int, seed: UInt64
    ) {
        guard hasEnoughSamples(base.count, quantile: quantile), hasEnoughSamples(new.count, quantile: quantile),
              let interval = Bootstrap.percentileDifference(base: base, new: new, quantile: quantile, resamples: resamples, seed: seed)
        else {
            row.verdict = .tooFewSamples
            return
        }
        row.interval = interval
        let direction: Double = metric.higherIsBetter ? -1 : 1
        let worse = (row.relativeDelta ?? 0) * direction
        if metric.isDuration, Swift.abs(row.delta ?? 0) < minimumDurationChangeMs {
            row.verdict = .noSignificantChange
        } else if worse > tolerance && interval.lower * direction > 0 && interval.upper * direction > 0 {
            row.verdict = .regressed
        } else if -worse > tolerance && interval.lower * direction < 0 && interval.upper * direction < 0 {
            row.verdict = .improved
        } else {
            row.verdict = .noSignificantChange
        }
    }

    private static func flips(base: [some MeasuredRequest], new: [some MeasuredRequest], passRate: Double) -> [Flip] {
        var before: [CheckKey: AssertionOutcome] = [:]
        for outcome in AssertionOutcome.aggregate(base, passRate: passRate) {
            before[CheckKey(prompt: outcome.prompt, mode: outcome.mode, name: outcome.name)] = outcome
        }
        return AssertionOutcome.aggregate(new, passRate: passRate).compactMap { now in
            guard let then = before[CheckKey(prompt: now.prompt, mode: now.mode, name: now.name)], then.passed != now.passed else { return nil }
            return Flip(prompt: now.prompt, mode: now.mode, check: now.name, isRegression: then.passed,
                        reason: then.passed ? now.reason : then.reason)
        }
    }

    private static func changedAnswers(base: [some MeasuredRequest], new: [some MeasuredRequest]) -> [ChangedAnswer] {
        typealias Key = PromptModeKey
        // The first repetition's answer stands for the prompt; at temperature 0 they should all agree.
        func firstAnswers<R: MeasuredRequest>(_ results: [R]) -> (order: [Key], answers: [Key: String], deterministic: Set<Key>) {
            // One pass, keeping the earliest ok request per prompt: rows need not be sorted.
            var first: [Key: (repetition: Int, index: Int, position: Int, answer: String)] = [:]
            var nonzero: Set<Key> = []
            for (position, r) in results.enumerated() {
                let key = Key(prompt: r.id, mode: r.mode)
                if r.temperature != 0 { nonzero.insert(key) }
                guard r.outcome == .ok else { continue }
                if let held = first[key], (held.repetition, held.index) <= (r.repetition, r.index) { continue }
                first[key] = (r.repetition, r.index, position, r.answer)
            }
            // Ties (only in hand-made or concatenated files) keep the order of the input.
            let order = first.sorted {
                ($0.value.repetition, $0.value.index, $0.value.position) < ($1.value.repetition, $1.value.index, $1.value.position)
            }.map(\.key)
            return (order, first.mapValues(\.answer), Set(order).subtracting(nonzero))
        }
        let before = firstAnswers(base)
        let after = firstAnswers(new)
        return after.order.compactMap { key in
            guard after.deterministic.contains(key), before.deterministic.contains(key),
                  let then = before.answers[key], let now = after.answers[key], then != now
            else { return nil }
            return ChangedAnswer(prompt: key.prompt, mode: key.mode, base: then, new: now)
        }
    }

    /// One line: `baseline: regressed — stream ttft.p50 +30.1% (95% CI +5.8 … +6.4 ms)` or `baseline: no significant change`.
    public var verdictLine: String {
        var parts: [String] = []
        for row in regressedRows {
            parts.append("\(row.mode) \(row.metric) \(Self.signedPercent(row.relativeDelta))\(row.interval.map { " (95% CI \(Self.format($0, unit: row.unit)))" } ?? "")")
        }
        for flip in regressiveFlips { parts.append("\(flip.prompt) \(flip.check) now fails") }
        if !parts.isEmpty { return "baseline: regressed — " + parts.joined(separator: "; ") }
        let improved = rows.filter { $0.verdict == .improved }
        if !improved.isEmpty {
            return "baseline: improved — " + improved.map { "\($0.mode) \($0.metric) \(Self.signedPercent($0.relativeDelta))" }.joined(separator: "; ")
        }
        return "baseline: no significant change"
    }

    static func signedPercent(_ fraction: Double?) -> String {
        guard let fraction, fraction.isFinite else { return "-" }
        return String(format: "%+.1f%%", fraction * 100)
    }

    /// `+5.8 … +6.4 ms`.
    static func format(_ interval: BootstrapInterval, unit: String) -> String {
        String(format: "%+.1f … %+.1f", interval.lower, interval.upper) + (unit.isEmpty ? "" : " \(unit)")
    }
}
