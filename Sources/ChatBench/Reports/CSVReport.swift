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

    static func integer(_ value: Int?) -> String {
        value.map(String.init) ?? ""
    }
}
