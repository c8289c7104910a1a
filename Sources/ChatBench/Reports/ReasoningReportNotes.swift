import Foundation

/// The extra table rows and notes for reasoning models, token honesty, buffered streams and
/// Ollama's server timings, shared by the console and Markdown summaries.
enum ReasoningReportNotes {
    /// Above this many server tokens per text chunk, inter-token gaps measure chunks, not tokens.
    static let tokensPerChunkWarning = 1.2

    /// Rows worth showing only when the run has such data: answer and reasoning timing, server timings.
    static func rows(_ summary: Summary) -> [(name: String, distribution: Distribution)] {
        var rows: [(String, Distribution)] = []
        if summary.reasoningMs.n > 0 {
            rows += [("ttfc_ms", summary.ttfcMs), ("reasoning_ms", summary.reasoningMs), ("reasoning_tokens", summary.reasoningTokens)]
        }
        if summary.serverDecodeTps.n > 0 || summary.serverPrefillTps.n > 0 {
            rows += [("server_prefill_tps", summary.serverPrefillTps), ("server_decode_tps", summary.serverDecodeTps), ("server_gap_ms", summary.serverGapMs)]
        }
        return rows
    }

    /// Notes and warnings, each one line, without a prefix.
    static func notes(_ summary: Summary) -> [String] {
        var notes: [String] = []
        if summary.bufferedStreams > 0 {
            notes.append("warning: \(summary.bufferedStreams) stream(s) arrived in one burst at the end (buffered=true): their ttft_ms is really their e2e_ms; look for a buffering proxy or server setting (e.g. nginx proxy_buffering)")
        }
        if summary.coldStarts > 0 {
            let load = ConsoleReport.oneDecimal(summary.coldStartLoadMs.p50)
            let warm = ConsoleReport.oneDecimal(summary.warmTtftMs.p50)
            notes.append("note: \(summary.coldStarts) cold start(s): Ollama loaded the model (load_duration p50 \(load) ms), included in the figures above; warm ttft_ms p50 \(warm) (n \(summary.warmTtftMs.n)). Send warmup requests first (--warmup) or keep the model loaded (--keep-alive)")
        }
        if let perChunk = summary.tokensPerChunk.mean, perChunk > tokensPerChunkWarning {
            notes.append("note: the server sent \(String(format: "%.1f", perChunk)) tokens per chunk: itl_ms measures gaps between chunks, not tokens (tpot_ms is per token)")
        }
        if summary.reasoningWithoutAnswer > 0 {
            notes.append("warning: \(summary.reasoningWithoutAnswer) request(s) reasoned but gave no answer (too small max_tokens for the reasoning?)")
        }
        return notes
    }
}
