import Foundation

/// The checks a run is held to beyond its prompts' own `expect`: thresholds, a baseline, the
/// pass rate, and where the JUnit file goes.
public struct CheckConfiguration: Sendable {
    public var thresholds: [Threshold]
    /// The fraction of a prompt's repetitions an assertion must pass on (`--pass-rate`).
    public var passRate: Double
    public var baseline: BaselineRun?
    /// `--tolerance`: latency changes within this fraction are never regressions.
    public var tolerance: Double
    public var bootstrapSeed: UInt64
    /// `--junit FILE`; nil: `junit.xml` in the run folder, when there are checks.
    public var junitPath: String?

    public init(thresholds: [Threshold] = [], passRate: Double = 1, baseline: BaselineRun? = nil, tolerance: Double = 0.10,
                bootstrapSeed: UInt64 = 1, junitPath: String? = nil) {
        self.thresholds = thresholds
        self.passRate = passRate
        self.baseline = baseline
        self.tolerance = tolerance
        self.bootstrapSeed = bootstrapSeed
        self.junitPath = junitPath
    }
}

/// A finished run's records, read back to serve as a baseline: from a run folder or its results.jsonl.
public struct BaselineRun: Sendable {
    /// As given on the command line.
    public var path: String
    public var results: [ResultRow]

    public init(path: String, results: [some MeasuredRequest]) {
        self.path = path
        self.results = results.map { ResultRow($0) }
    }

    public init(path: String, rows: [ResultRow]) {
        self.path = path
        self.results = rows
    }

    /// Reads `RUN_DIR/results.jsonl`, or the results.jsonl file named.
    public static func load(path: String) throws(BaselineError) -> BaselineRun {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw BaselineError(message: "\(path) does not exist; give a run folder (reports/…) or its results.jsonl")
        }
        let file = isDirectory.boolValue ? path + "/results.jsonl" : path
        if isDirectory.boolValue && !FileManager.default.fileExists(atPath: file) {
            throw BaselineError(message: "\(path) has no results.jsonl; is it a chatbench run folder?")
        }
        do {
            // Streamed into compact rows, as a run keeps its own.
            var accumulator = try ReportAccumulator(csvPath: nil)
            _ = try ResultsLog.stream(path: file, transform: { ReportAccumulator.Prepared($0, csv: false) }) { try accumulator.add($0) }
            let rows = try accumulator.finish()
            guard !rows.isEmpty else { throw BaselineError(message: "\(file) holds no results; the run it came from sent no request") }
            return BaselineRun(path: path, rows: rows)
        } catch let error as BaselineError {
            throw error
        } catch {
            throw BaselineError(message: "\(error)")
        }
    }
}

/// A baseline that cannot be used, and what to give instead.
public struct BaselineError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Every check of a run, evaluated: per-prompt assertions (aggregated over repetitions),
/// thresholds and the baseline comparison, and the verdict they add up to.
public struct CheckReport: Sendable {
    /// The prompt set's name: the JUnit suites are named after it.
    public var suiteName: String
    public var passRate: Double
    public var assertions: [AssertionOutcome]
    public var thresholds: [ThresholdResult]
    public var comparison: BaselineComparison?

    public init(suiteName: String, passRate: Double = 1, assertions: [AssertionOutcome] = [], thresholds: [ThresholdResult] = [],
                comparison: BaselineComparison? = nil) {
        self.suiteName = suiteName
        self.passRate = passRate
        self.assertions = assertions
        self.thresholds = thresholds
        self.comparison = comparison
    }

    /// Evaluates `configuration` against a run's results.
    public static func evaluate<R: MeasuredRequest>(_ configuration: CheckConfiguration, suiteName: String, results: [R], newLabel: String = "this run") -> CheckReport {
        CheckReport(
            suiteName: suiteName,
            passRate: configuration.passRate,
            assertions: AssertionOutcome.aggregate(results, passRate: configuration.passRate),
            thresholds: configuration.thresholds.map { $0.evaluate(results) },
            comparison: configuration.baseline.map { baseline in
                BaselineComparison.compare(
                    base: baseline.results, new: results, baseLabel: baseline.path, newLabel: newLabel,
                    tolerance: configuration.tolerance, passRate: configuration.passRate, seed: configuration.bootstrapSeed)
            })
    }

    /// True when there was anything to check.
    public var hasChecks: Bool { !assertions.isEmpty || !thresholds.isEmpty || comparison != nil }

    public var failedAssertions: [AssertionOutcome] { assertions.filter { !$0.passed } }
    public var failedThresholds: [ThresholdResult] { thresholds.filter { !$0.passed } }

    /// Every assertion and threshold held, and the baseline (if any) shows no regression.
    public var passed: Bool { failedAssertions.isEmpty && failedThresholds.isEmpty && (comparison?.passed ?? true) }

    /// The last line of the console output: `PASS` or `FAIL` and what the count was.
    public var verdict: String {
        guard hasChecks else {
            return "no checks: add \"expect\" to prompt lines, --threshold or --baseline to make this run a test"
        }
        var parts: [String] = []
        if !assertions.isEmpty {
            let failed = failedAssertions
            parts.append(failed.isEmpty
                ? "\(Self.count(assertions.count, "assertion")) passed"
                : "\(failed.count) of \(assertions.count) assertions failed (\(Self.names(failed.map { "\($0.prompt) \($0.name)" })))")
        }
        if !thresholds.isEmpty {
            let failed = failedThresholds
            parts.append(failed.isEmpty
                ? "\(Self.count(thresholds.count, "threshold")) passed"
                : "\(failed.count) of \(thresholds.count) thresholds failed (\(Self.names(failed.map(\.expression))))")
        }
        if let comparison {
            parts.append(comparison.verdictLine)
        }
        return (passed ? "PASS: " : "FAIL: ") + parts.joined(separator: "; ")
    }

    private static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }

    private static func names(_ items: [String]) -> String {
        var unique: [String] = []
        for item in items where !unique.contains(item) { unique.append(item) }
        let shown = unique.prefix(3).joined(separator: ", ")
        return unique.count > 3 ? shown + ", …" : shown
    }
}
