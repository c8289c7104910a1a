/// `summary.md`: the human summary as Markdown, fit for a pull request or `$GITHUB_STEP_SUMMARY`.
public enum MarkdownReport {
    public static func render<R: MeasuredRequest>(manifest: RunManifest, results: [R]) -> String {
        render(SummaryDocument(manifest: manifest, results: results), results: results)
    }

    /// From an already computed document; `results` supply the failure details.
    public static func render<R: MeasuredRequest>(_ document: SummaryDocument, results: [R]) -> String {
        let manifest = document.manifest
        var lines: [String] = []
        lines.append("# chatbench run: \(manifest.promptSetPath)")
        lines.append("")
        lines.append("| | |")
        lines.append("|---|---|")
        lines.append("| target | `\(manifest.targetURL)`\(manifest.mock ? " (mock)" : "") |")
        lines.append("| model | `\(manifest.model ?? "-")` |")
        lines.append("| started | \(manifest.startedAt) |")
        lines.append("| prompts | \(manifest.promptCount) (sha256 `\(manifest.promptSetSHA256.prefix(12))`) |")
        lines.append("| load | \(manifest.modes.joined(separator: ", ")), concurrency \(manifest.concurrency) (max in flight \(manifest.maxInFlight)), \(manifest.requests) requests |")
        if manifest.interrupted { lines.append("| **interrupted** | partial results |") }
        for mode in RequestMode.allCases {
            guard let summary = document.modes[mode.rawValue] else { continue }
            lines.append("")
            lines.append("## \(mode.rawValue): \(summary.requests) requests")
            lines.append("")
            lines.append("| metric | n | mean | p50 | p90 | p95 | p99 | max |")
            lines.append("|---|--:|--:|--:|--:|--:|--:|--:|")
            let rows: [(String, Distribution)] = [
                ("ttft_ms", summary.ttftMs), ("e2e_ms", summary.e2eMs), ("tpot_ms", summary.tpotMs), ("itl_ms", summary.itlMs),
                ("decode_tps", summary.decodeTps), ("e2e_tps", summary.e2eTps), ("queue_ms", summary.queueMs),
                ("completion_tokens", summary.completionTokens),
            ] + ReasoningReportNotes.rows(summary)
            for (name, d) in rows {
                let cells = [d.mean, d.p50, d.p90, d.p95, d.p99, d.max].map { ConsoleReport.oneDecimal($0) }
                lines.append("| \(name) | \(d.n) | " + cells.joined(separator: " | ") + " |")
            }
            lines.append("")
            let outcomes = Outcome.allCases.compactMap { outcome -> String? in
                let count = summary.countsByOutcome[outcome.rawValue] ?? 0
                return count > 0 ? "\(outcome.rawValue) \(count)" : nil
            }
            lines.append("- outcomes: " + outcomes.joined(separator: ", "))
            if summary.retriedRequests > 0 {
                lines.append("- retried: \(summary.retriedRequests) requests, \(summary.retryAttempts) extra attempts (statistics use each request's final attempt)")
            }
            if !summary.countsByFinishReason.isEmpty {
                lines.append("- finish_reason: " + summary.countsByFinishReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            lines.append("- throughput: \(ConsoleReport.rate(summary.requestsPerS)) req/s, \(ConsoleReport.rate(summary.outputTokensPerS)) output tok/s")
            if (summary.tokenSource[TokenSource.chunks.rawValue] ?? 0) > 0 {
                lines.append("- completion_tokens are estimates counted from chunks (`token_source=chunks`): the server sent no usage")
            }
            lines.append(contentsOf: ReasoningReportNotes.notes(summary).map { "- " + $0 })
            let failures = results.indices.lazy.filter { results[$0].mode == mode && results[$0].outcome != .ok }.prefix(10).map { results[$0] }
            if !failures.isEmpty {
                lines.append("")
                lines.append("Failed requests (first \(failures.count)):")
                lines.append("")
                for failure in failures {
                    let detail = (failure.error ?? "").replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
                    lines.append("- `\(failure.id)` #\(failure.index): \(failure.outcome.rawValue) — \(detail)")
                }
            }
        }
        lines.append(contentsOf: LoadReportSections.markdownLines(document))
        for warning in manifest.warnings ?? [] { lines.append("\n> **WARNING:** \(warning)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
