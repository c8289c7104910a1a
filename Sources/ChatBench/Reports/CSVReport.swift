import Foundation

/// Writes results.csv: one row per request with stable columns, quoted per RFC 4180 so
/// spreadsheets and pandas read answers containing commas, quotes and newlines intact.
public enum CSVReport {
    /// Column names match `RequestResult`'s JSON keys; the per-gap `itl_ms` and the
    /// `retried_attempts` arrays are left out (they live in results.jsonl), and the long
    /// free-text fields come last.
    public static let columns: [String] = [
        "id", "index", "repetition", "mode", "model",
        "start_offset_ms", "queue_ms", "connect_ms", "reused_connection",
        "ttfb_ms", "ttft_ms", "last_token_ms", "e2e_ms", "tpot_ms", "itl_mean_ms", "itl_max_ms",
        "chunks", "text_chunks", "prompt_tokens", "completion_tokens", "token_source",
        "decode_tps", "e2e_tps", "finish_reason", "status", "outcome",
        "warmup", "sweep_level", "scheduled_offset_ms", "ttft_from_scheduled_ms", "e2e_from_scheduled_ms", "client_lag_ms",
        "response_id",
        "ttfc_ms", "reasoning_ms", "reasoning_tokens", "reasoning_token_source", "tokens_per_chunk", "buffered",
        "server_total_ms", "server_load_ms", "server_prefill_ms", "server_decode_ms", "server_prefill_tps",
        "server_decode_tps", "server_gap_ms", "cold_start", "reasoning",
        "attempts",
        "error", "answer",
    ]

    /// The header line, CRLF-terminated.
    public static func header() -> String {
        columns.map(quote).joined(separator: ",") + "\r\n"
    }

    /// One record, CRLF-terminated, fields in the order of `columns`.
    public static func row(_ r: RequestResult) -> String {
        let fields: [String] = [
            r.id, String(r.index), String(r.repetition), r.mode.rawValue, r.model ?? "",
            fixed(r.startOffsetMs), fixed(r.queueMs), fixed(r.connectMs), r.reusedConnection ? "true" : "false",
            fixed(r.ttfbMs), fixed(r.ttftMs), fixed(r.lastTokenMs), fixed(r.e2eMs), fixed(r.tpotMs),
            fixed(r.itlMeanMs), fixed(r.itlMaxMs),
            String(r.chunks), String(r.textChunks), integer(r.promptTokens), integer(r.completionTokens),
            r.tokenSource?.rawValue ?? "",
            fixed(r.decodeTps), fixed(r.e2eTps), r.finishReason, integer(r.status), r.outcome.rawValue,
            r.isWarmup ? "true" : "false", r.sweepLevel ?? "", fixed(r.scheduledOffsetMs), fixed(r.ttftFromScheduledMs),
            fixed(r.e2eFromScheduledMs), fixed(r.clientLagMs),
            r.responseId ?? "",
            fixed(r.ttfcMs), fixed(r.reasoningMs), integer(r.reasoningTokens), r.reasoningTokenSource?.rawValue ?? "",
            fixed(r.tokensPerChunk), boolean(r.buffered),
            fixed(r.serverTotalMs), fixed(r.serverLoadMs), fixed(r.serverPrefillMs), fixed(r.serverDecodeMs),
            fixed(r.serverPrefillTps), fixed(r.serverDecodeTps), fixed(r.serverGapMs), boolean(r.coldStart),
            r.reasoning ?? "",
            String(r.attempts),
            r.error ?? "", r.answer,
        ]
        return fields.map(quote).joined(separator: ",") + "\r\n"
    }

    /// Header and every row.
    public static func render(_ results: [RequestResult]) -> String {
        var out = header()
        for r in results { out += row(r) }
        return out
    }

    static func quote(_ field: String) -> String {
        let needsQuotes = field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func fixed(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return String(format: "%.3f", value)
    }

    static func boolean(_ value: Bool?) -> String {
        value.map { $0 ? "true" : "false" } ?? ""
    }

    static func integer(_ value: Int?) -> String {
        value.map(String.init) ?? ""
    }
}
