import Foundation

/// The parts of the console and Markdown summaries that describe the load model: achieved rate
/// and warnings, the stream vs non-stream pairs, and the sweep table.
enum LoadReportSections {
    static func consoleLines<R: MeasuredRequest>(_ document: SummaryDocument, results: [R]) -> [String] {
        var lines: [String] = []
        let manifest = document.manifest
        let load = document.load ?? LoadSummary(results: results, targetRate: manifest.load?.rate)
        if let rate = manifest.load?.rate {
            // The overall summary leaves warmup requests out already.
            let fromScheduled = document.overall
            lines.append("")
            lines.append(String(format: "open loop: target %.2f req/s (%@), scheduled %@, achieved %@ req/s, client lag p99 %@ ms, queue p95 %@ ms",
                                rate, manifest.load?.arrival ?? "constant", ConsoleReport.rate(load.scheduledRate), ConsoleReport.rate(load.achievedRate),
                                ConsoleReport.oneDecimal(load.clientLagMs.p99), ConsoleReport.oneDecimal(load.queueMs.p95)))
            lines.append("from scheduled (what a user arriving on time waited):")
            lines.append(contentsOf: ConsoleReport.distributionTable([
                ("ttft_from_sched_ms", fromScheduled.ttftFromScheduledMs), ("e2e_from_sched_ms", fromScheduled.e2eFromScheduledMs),
            ]))
        }
        for warning in load.warnings { lines.append("WARNING: " + warning) }
        let warmups = results.reduce(0) { $0 + ($1.isWarmup ? 1 : 0) }
        if warmups > 0 { lines.append("warmup: \(warmups) requests run first, kept in results.jsonl, left out of every figure") }
        if let paired = document.paired {
            lines.append("")
            lines.append("stream vs non-stream, \(paired.pairs) pairs\(paired.incompletePairs > 0 ? " (\(paired.incompletePairs) with a failed side left out)" : ""):")
            lines.append(contentsOf: pairedFindings(paired).map { "  " + $0 })
        }
        if let levels = document.sweep {
            lines.append("")
            lines.append("sweep:")
            lines.append(contentsOf: SweepLevel.table(levels).map { "  " + $0 })
            for level in levels {
                for warning in level.load.warnings { lines.append("WARNING (\(level.level)): " + warning) }
            }
        }
        return lines
    }

    /// The paired comparison's findings, one sentence each (the console indents them, Markdown lists them).
    static func pairedFindings(_ paired: PairedComparison) -> [String] {
        let ci = paired.e2eDifferenceMeanCI.map { String(format: " (95%% CI %.1f to %.1f)", $0[0], $0[1]) } ?? ""
        return [
            "e2e stream − non-stream: median \(ConsoleReport.oneDecimal(paired.e2eDifferenceMedianMs)) ms, mean \(ConsoleReport.oneDecimal(paired.e2eDifferenceMeanMs)) ms\(ci)",
            "streaming finished first in \(paired.streamFinishedFirstShare.map { String(format: "%.0f%%", $0 * 100) } ?? "-") of pairs",
            "a reader waits: stream ttft p50 \(ConsoleReport.oneDecimal(paired.streamTtftMedianMs)) ms vs non-stream e2e p50 \(ConsoleReport.oneDecimal(paired.nonStreamE2eMedianMs)) ms",
        ]
    }

    static func markdownLines(_ document: SummaryDocument) -> [String] {
        var lines: [String] = []
        let manifest = document.manifest
        let load = document.load ?? LoadSummary(results: [ResultRow](), targetRate: manifest.load?.rate)
        if let rate = manifest.load?.rate {
            let measured = document.overall
            lines.append("")
            lines.append("## Open loop")
            lines.append("")
            lines.append(String(format: "Target %.2f req/s (%@), scheduled %@ req/s, achieved %@ req/s; client lag p99 %@ ms; queue p95 %@ ms.", rate,
                                manifest.load?.arrival ?? "constant", ConsoleReport.rate(load.scheduledRate), ConsoleReport.rate(load.achievedRate),
                                ConsoleReport.oneDecimal(load.clientLagMs.p99), ConsoleReport.oneDecimal(load.queueMs.p95)))
            lines.append("")
            lines.append("| from scheduled | n | p50 | p95 | p99 |")
            lines.append("|---|--:|--:|--:|--:|")
            for (name, d) in [("ttft_from_scheduled_ms", measured.ttftFromScheduledMs), ("e2e_from_scheduled_ms", measured.e2eFromScheduledMs)] {
                lines.append("| \(name) | \(d.n) | \(ConsoleReport.oneDecimal(d.p50)) | \(ConsoleReport.oneDecimal(d.p95)) | \(ConsoleReport.oneDecimal(d.p99)) |")
            }
        }
        for warning in load.warnings { lines.append("\n> **WARNING:** \(warning)") }
        if let paired = document.paired {
            lines.append("")
            lines.append("## Stream vs non-stream (\(paired.pairs) pairs)")
            lines.append("")
            lines.append(contentsOf: pairedFindings(paired).map { "- " + $0 })
        }
        if let levels = document.sweep {
            lines.append("")
            lines.append("## Sweep")
            lines.append("")
            lines.append("| level | req/s | out tok/s | ttft p50 | ttft p95 | e2e p50 | e2e p95 | errors |")
            lines.append("|---|--:|--:|--:|--:|--:|--:|--:|")
            for level in levels {
                let s = level.summary
                lines.append("| \(level.level) | \(ConsoleReport.rate(s.requestsPerS)) | \(ConsoleReport.rate(s.outputTokensPerS)) | \(ConsoleReport.oneDecimal(s.ttftMs.p50)) | \(ConsoleReport.oneDecimal(s.ttftMs.p95)) | \(ConsoleReport.oneDecimal(s.e2eMs.p50)) | \(ConsoleReport.oneDecimal(s.e2eMs.p95)) | \(s.errorRate.map { String(format: "%.1f%%", $0 * 100) } ?? "-") |")
            }
        }
        return lines
    }
}
