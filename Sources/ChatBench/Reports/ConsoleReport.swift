import Foundation

/// The compact plain-text summary printed to stdout at the end of a run: no colours, no box
/// drawing, so it survives logs, pipes and CI consoles.
public enum ConsoleReport {
    /// A header line, then per mode present a percentile table, counts, throughput and notes.
    public static func render<R: MeasuredRequest>(manifest: RunManifest, results: [R], outDir: String?) -> String {
        render(SummaryDocument(manifest: manifest, results: results), results: results, outDir: outDir)
    }

    /// From an already computed document (what a run and `chatbench report` do).
    public static func render<R: MeasuredRequest>(_ document: SummaryDocument, results: [R], outDir: String?) -> String {
        let manifest = document.manifest
        let overall = document.overall
        let okCount = overall.countsByOutcome[Outcome.ok.rawValue] ?? 0
        var lines: [String] = []
        var head = "chatbench: model \(manifest.model ?? "-")  target \(manifest.targetURL)"
        head += "  requests \(okCount) ok / \(overall.requests - okCount) failed"
        head += "  duration \(String(format: "%.1f", overall.durationS))s"
        if manifest.interrupted { head += "  (interrupted)" }
        lines.append(head)

        for mode in RequestMode.allCases {
            guard let summary = document.modes[mode.rawValue] else { continue }
            lines.append("")
            lines.append("\(mode.rawValue) (\(summary.requests) requests)")
            lines.append(contentsOf: table(summary))

            let outcomes = Outcome.allCases.compactMap { outcome -> String? in
                let count = summary.countsByOutcome[outcome.rawValue] ?? 0
                return count > 0 ? "\(outcome.rawValue) \(count)" : nil
            }
            lines.append("outcomes: " + outcomes.joined(separator: ", "))
            if summary.retriedRequests > 0 {
                lines.append("retried: \(summary.retriedRequests) requests, \(summary.retryAttempts) extra attempts (statistics use each request's final attempt)")
            }
            if !summary.countsByFinishReason.isEmpty {
                let reasons = summary.countsByFinishReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                lines.append("finish_reason: " + reasons.joined(separator: ", "))
            }
            lines.append("throughput: \(rate(summary.requestsPerS)) req/s, \(rate(summary.outputTokensPerS)) output tok/s")
            if (summary.tokenSource[TokenSource.chunks.rawValue] ?? 0) > 0 {
                lines.append("note: completion_tokens estimated from chunks (server sent no usage)")
            }
            lines.append(contentsOf: ReasoningReportNotes.notes(summary))
        }
        lines.append(contentsOf: LoadReportSections.consoleLines(document, results: results))
        for warning in manifest.warnings ?? [] { lines.append("WARNING: " + warning) }
        if let outDir {
            lines.append("")
            lines.append("reports: \(outDir)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func table(_ summary: Summary) -> [String] {
        // The metrics worth a glance; everything else is in summary.json.
        distributionTable([
            ("ttft_ms", summary.ttftMs), ("e2e_ms", summary.e2eMs), ("tpot_ms", summary.tpotMs),
            ("itl_ms", summary.itlMs), ("decode_tps", summary.decodeTps),
        ] + ReasoningReportNotes.rows(summary))
    }

    /// Rows of n and percentiles, aligned.
    static func distributionTable(_ rows: [(name: String, distribution: Distribution)]) -> [String] {
        let header = ["metric", "n", "p50", "p90", "p95", "p99", "max"]
        var cells: [[String]] = [header]
        for (name, d) in rows {
            cells.append([name, String(d.n)] + [d.p50, d.p90, d.p95, d.p99, d.max].map(oneDecimal))
        }
        return TextTable.render(cells)
    }

    static func oneDecimal(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        return String(format: "%.1f", value)
    }

    static func rate(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        return String(format: "%.2f", value)
    }
}
