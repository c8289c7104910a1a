/// The checks section of `summary.md` (and so of `$GITHUB_STEP_SUMMARY`): the verdict, every
/// prompt assertion, every threshold and the baseline comparison.
public enum ChecksMarkdownReport {
    /// Empty when the run had no checks, so summary.md is unchanged for plain benchmarks.
    public static func render(_ report: CheckReport) -> String {
        guard report.hasChecks else { return "" }
        var lines: [String] = []
        lines.append("")
        lines.append("## Checks: \(report.passed ? "PASS" : "FAIL")")
        lines.append("")
        lines.append(cell(report.verdict))
        if !report.assertions.isEmpty {
            lines.append("")
            lines.append("### Assertions\(report.passRate < 1 ? " (pass rate \(AssertionOutcome.percent(report.passRate)))" : "")")
            lines.append("")
            lines.append("| prompt | mode | check | result | passed | detail |")
            lines.append("|---|---|---|---|--:|---|")
            // Failures first: they are what a reader of a red build came for.
            for outcome in report.assertions.filter({ !$0.passed }) + report.assertions.filter(\.passed) {
                lines.append("| `\(cell(outcome.prompt))` | \(outcome.mode.rawValue) | \(outcome.name) | \(outcome.passed ? "pass" : "**FAIL**") | \(outcome.passes)/\(outcome.total) | \(cell(outcome.reason)) |")
            }
        }
        if !report.thresholds.isEmpty {
            lines.append("")
            lines.append("### Thresholds")
            lines.append("")
            lines.append("| threshold | result | detail |")
            lines.append("|---|---|---|")
            for result in report.thresholds {
                lines.append("| `\(cell(result.expression))` | \(result.passed ? "pass" : "**FAIL**") | \(cell(result.reason)) |")
            }
        }
        if let comparison = report.comparison {
            lines.append("")
            lines.append(contentsOf: comparisonSection(comparison))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The baseline comparison in Markdown: the side-by-side table, flips and changed answers.
    public static func comparisonSection(_ comparison: BaselineComparison) -> [String] {
        var lines: [String] = []
        lines.append("### Baseline: `\(cell(comparison.baseLabel))` → `\(cell(comparison.newLabel))`")
        lines.append("")
        lines.append("\(cell(comparison.verdictLine)). Tolerance \(AssertionOutcome.percent(comparison.tolerance)); verdicts from a seeded bootstrap (\(Bootstrap.defaultResamples) resamples) of the difference, 95% interval.")
        lines.append("")
        lines.append("| mode | metric | base | new | delta | delta % | verdict |")
        lines.append("|---|---|--:|--:|--:|--:|---|")
        for row in comparison.rows {
            var verdict = row.verdict.map { $0 == .regressed ? "**regressed**" : $0.rawValue } ?? ""
            if let interval = row.interval { verdict += " (CI \(BaselineComparison.format(interval, unit: row.unit)))" }
            lines.append("| \(row.mode) | \(row.metric) | \(value(row.base, row.unit)) | \(value(row.new, row.unit)) | \(signed(row.delta)) | \(BaselineComparison.signedPercent(row.relativeDelta)) | \(verdict) |")
        }
        if !comparison.flips.isEmpty {
            lines.append("")
            lines.append("Assertion flips:")
            lines.append("")
            for flip in comparison.flips {
                lines.append("- `\(cell(flip.prompt))` \(flip.check) (\(flip.mode.rawValue)): \(flip.isRegression ? "**pass → fail**" : "fail → pass") — \(cell(flip.reason))")
            }
        }
        if !comparison.changedAnswers.isEmpty {
            lines.append("")
            lines.append("Changed answers (temperature 0):")
            lines.append("")
            for change in comparison.changedAnswers {
                lines.append("- `\(cell(change.prompt))` (\(change.mode.rawValue)): \(cell(Assertion.excerpt(change.base))) → \(cell(Assertion.excerpt(change.new)))")
            }
        }
        return lines
    }

    /// One judged row in words, for JUnit failures and the console.
    static func describe(_ row: BaselineComparison.Row) -> String {
        var text = "\(row.mode) \(row.metric) \(value(row.base, row.unit)) → \(value(row.new, row.unit)) \(row.unit) (\(BaselineComparison.signedPercent(row.relativeDelta)))"
        if let interval = row.interval { text += ", 95% CI of the difference \(BaselineComparison.format(interval, unit: row.unit))" }
        if let verdict = row.verdict { text += ": \(verdict.rawValue)" }
        return text
    }

    static func value(_ number: Double?, _ unit: String) -> String {
        ConsoleReport.oneDecimal(number)
    }

    static func signed(_ number: Double?) -> String {
        guard let number, number.isFinite else { return "-" }
        return String(format: "%+.1f", number)
    }

    /// Text made safe for one Markdown table cell.
    static func cell(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar == "|" {
                out += "\\|"
            } else if scalar.value < 0x20 || scalar.value == 0x7F {
                out += " "  // line breaks would end the table row; other controls are invisible
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
