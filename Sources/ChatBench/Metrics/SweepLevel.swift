/// One level of a `--sweep`: its own summary and the row of the combined table.
public struct SweepLevel: Sendable, Codable, Equatable {
    /// `concurrency=4` or `rate=2`.
    public var level: String
    public var summary: Summary
    public var load: LoadSummary

    public init<R: MeasuredRequest>(level: String, results: [R], targetRate: Double?) {
        self.level = level
        summary = Summary(results: results, mode: nil)
        load = LoadSummary(results: results, targetRate: targetRate)
    }

    /// The levels present in `results`, in the order they first appear; nil when not a sweep.
    public static func levels<R: MeasuredRequest>(of results: [R]) -> [SweepLevel]? {
        var order: [String] = []
        var grouped: [String: [R]] = [:]
        for r in results {
            guard let level = r.sweepLevel else { continue }
            if grouped[level] == nil { order.append(level) }
            grouped[level, default: []].append(r)
        }
        guard !order.isEmpty else { return nil }
        return order.map { level in
            let rate = level.hasPrefix("rate=") ? Double(level.dropFirst(5)) : nil
            return SweepLevel(level: level, results: grouped[level] ?? [], targetRate: rate)
        }
    }

    /// The combined table's header and one row per level (plain text, aligned).
    public static func table(_ levels: [SweepLevel]) -> [String] {
        let header = ["level", "req/s", "out tok/s", "ttft p50", "ttft p95", "e2e p50", "e2e p95", "errors"]
        var cells = [header]
        for level in levels {
            let s = level.summary
            cells.append([
                level.level, ConsoleReport.rate(s.requestsPerS), ConsoleReport.rate(s.outputTokensPerS),
                ConsoleReport.oneDecimal(s.ttftMs.p50), ConsoleReport.oneDecimal(s.ttftMs.p95),
                ConsoleReport.oneDecimal(s.e2eMs.p50), ConsoleReport.oneDecimal(s.e2eMs.p95),
                s.errorRate.map { String(format: "%.1f%%", $0 * 100) } ?? "-",
            ])
        }
        return TextTable.render(cells)
    }
}
