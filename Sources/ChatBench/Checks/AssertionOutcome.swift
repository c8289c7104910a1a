/// One assertion of one prompt in one mode over every repetition: it passes when at least
/// `passRate` of its requests passed (1.0: every one), because models are not deterministic and
/// a team must be able to say how much flakiness is acceptable.
public struct AssertionOutcome: Sendable, Equatable {
    public var prompt: String
    public var mode: RequestMode
    /// The check's name (`contains`, `regex`, ...).
    public var name: String
    public var passes: Int
    public var total: Int
    public var passed: Bool
    /// The first failing request's reason, or the passing reason when every request passed.
    public var reason: String
    /// Indexes (run order) of the requests that failed, for finding them in results.jsonl.
    public var failedIndexes: [Int]

    public init(prompt: String, mode: RequestMode, name: String, passes: Int, total: Int, passed: Bool, reason: String, failedIndexes: [Int] = []) {
        self.prompt = prompt
        self.mode = mode
        self.name = name
        self.passes = passes
        self.total = total
        self.passed = passed
        self.reason = reason
        self.failedIndexes = failedIndexes
    }

    /// Groups the `checks` of every result by prompt, mode and check name, in order of first
    /// appearance in the prompt set (results arrive in completion order, so they are sorted by index first).
    public static func aggregate<R: MeasuredRequest>(_ results: [R], passRate: Double) -> [AssertionOutcome] {
        var order: [CheckKey] = []
        var groups: [CheckKey: [(index: Int, check: CheckResult)]] = [:]
        // Only requests with checks are sorted (most benchmark runs have none), by position: the
        // rows themselves are not copied.
        let ordered = results.indices.filter { results[$0].checks != nil }
            .sorted { (results[$0].repetition, results[$0].index) < (results[$1].repetition, results[$1].index) }
        for position in ordered {
            let result = results[position]
            for check in result.checks ?? [] {
                let key = CheckKey(prompt: result.id, mode: result.mode, name: check.name)
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append((result.index, check))
            }
        }
        return order.map { key in
            let checks = groups[key] ?? []
            let passes = checks.filter(\.check.passed).count
            let failures = checks.filter { !$0.check.passed }
            let passed = meets(passes: passes, total: checks.count, rate: passRate)
            var reason = failures.first?.check.reason ?? checks.first?.check.reason ?? ""
            if checks.count > 1 && !failures.isEmpty {
                reason = "passed \(passes) of \(checks.count)\(passRate < 1 ? " (pass rate \(percent(passRate)) required)" : ""); first failure: \(reason)"
            }
            return AssertionOutcome(
                prompt: key.prompt, mode: key.mode, name: key.name, passes: passes, total: checks.count, passed: passed,
                reason: reason, failedIndexes: failures.map(\.index))
        }
    }

    /// `passes / total >= rate`, exact for fractions such as 2/3 against 0.666….
    static func meets(passes: Int, total: Int, rate: Double) -> Bool {
        guard total > 0 else { return false }
        return Double(passes) + 1e-9 >= rate * Double(total)
    }

    static func percent(_ fraction: Double) -> String {
        let value = fraction * 100
        return value == value.rounded() ? "\(Int(value))%" : String(format: "%.1f%%", value)
    }
}

/// One assertion of one prompt in one mode: what assertion outcomes are grouped and matched by.
struct CheckKey: Hashable {
    var prompt: String
    var mode: RequestMode
    var name: String
}
