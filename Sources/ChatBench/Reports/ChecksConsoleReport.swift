/// The checks as plain text for the console: what failed, the baseline comparison, and the
/// one-line verdict that ends the output.
public enum ChecksConsoleReport {
    /// Failures and the baseline's judged figures, then the verdict line (always last).
    public static func render(_ report: CheckReport) -> String {
        var lines: [String] = []
        let failedAssertions = report.failedAssertions
        if !failedAssertions.isEmpty {
            lines.append("")
            lines.append("failed assertions (\(failedAssertions.count) of \(report.assertions.count)):")
            for outcome in failedAssertions.prefix(20) {
                lines.append("  \(outcome.prompt) \(outcome.name) (\(outcome.mode.rawValue)): \(outcome.reason)")
            }
            if failedAssertions.count > 20 { lines.append("  … and \(failedAssertions.count - 20) more (summary.md, junit.xml)") }
        }
        if !report.thresholds.isEmpty {
            lines.append("")
            lines.append("thresholds:")
            for result in report.thresholds {
                lines.append("  \(result.passed ? "pass" : "FAIL")  \(result.expression)  (\(result.reason))")
            }
        }
        if let comparison = report.comparison {
            lines.append("")
            lines.append(contentsOf: comparisonLines(comparison, judgedOnly: true))
        }
        lines.append("")
        lines.append(report.verdict)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The side-by-side table (every figure, or only those given a verdict), flips and changed answers.
    public static func comparisonLines(_ comparison: BaselineComparison, judgedOnly: Bool) -> [String] {
        var lines = ["baseline \(comparison.baseLabel) → \(comparison.newLabel) (tolerance \(AssertionOutcome.percent(comparison.tolerance)), 95% bootstrap CI of the difference)"]
        var cells: [[String]] = [["mode", "metric", "base", "new", "delta", "delta %", "verdict"]]
        for row in comparison.rows where !judgedOnly || row.verdict != nil {
            var verdict = row.verdict?.rawValue ?? ""
            if let interval = row.interval { verdict += " [\(BaselineComparison.format(interval, unit: row.unit))]" }
            cells.append([
                row.mode, row.metric, ChecksMarkdownReport.value(row.base, row.unit), ChecksMarkdownReport.value(row.new, row.unit),
                ChecksMarkdownReport.signed(row.delta), BaselineComparison.signedPercent(row.relativeDelta), verdict,
            ])
        }
        let widths = cells[0].indices.map { column in cells.map { $0[column].count }.max() ?? 0 }
        for line in cells {
            let text = line.enumerated().map { column, text in
                let padding = String(repeating: " ", count: widths[column] - text.count)
                return column <= 1 || column == 6 ? text + padding : padding + text
            }.joined(separator: "  ")
            lines.append("  " + String(text.reversed().drop { $0 == " " }.reversed()))
        }
        for flip in comparison.flips {
            lines.append("  \(flip.isRegression ? "pass → FAIL" : "fail → pass")  \(flip.prompt) \(flip.check) (\(flip.mode.rawValue)): \(flip.reason)")
        }
        for change in comparison.changedAnswers {
            lines.append("  changed answer (temperature 0)  \(change.prompt) (\(change.mode.rawValue)): \(Assertion.excerpt(change.base)) → \(Assertion.excerpt(change.new))")
        }
        return lines
    }
}
