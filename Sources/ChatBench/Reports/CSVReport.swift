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
        String(decoding: rowBytes(r), as: UTF8.self)
    }

    /// One record's row as UTF-8.
    public static func rowBytes(_ r: RequestResult) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(768 + r.answer.utf8.count + (r.reasoning?.utf8.count ?? 0))
        appendRow(r, to: &bytes)
        return bytes
    }

    /// Appends one record's row to `out`: written as bytes, since a million rows of fifty fields
    /// through `String(format:)` took longer than everything else in a report.
    public static func appendRow(_ r: RequestResult, to out: inout [UInt8]) {
        var first = true
        func text(_ field: String) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            appendQuoted(field, to: &out)
        }
        func number(_ value: Double?) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            if let value { appendFixed(value, to: &out) }
        }
        func integer(_ value: Int?) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            if let value { appendInteger(value, to: &out) }
        }
        func boolean(_ value: Bool?) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            if let value { out.append(contentsOf: value ? "true".utf8 : "false".utf8) }
        }
        text(r.id); integer(r.index); integer(r.repetition); text(r.mode.rawValue); text(r.model ?? "")
        number(r.startOffsetMs); number(r.queueMs); number(r.connectMs); boolean(r.reusedConnection)
        number(r.ttfbMs); number(r.ttftMs); number(r.lastTokenMs); number(r.e2eMs); number(r.tpotMs)
        number(r.itlMeanMs); number(r.itlMaxMs)
        integer(r.chunks); integer(r.textChunks); integer(r.promptTokens); integer(r.completionTokens)
        text(r.tokenSource?.rawValue ?? "")
        number(r.decodeTps); number(r.e2eTps); text(r.finishReason); integer(r.status); text(r.outcome.rawValue)
        boolean(r.isWarmup); text(r.sweepLevel ?? ""); number(r.scheduledOffsetMs); number(r.ttftFromScheduledMs)
        number(r.e2eFromScheduledMs); number(r.clientLagMs)
        text(r.responseId ?? "")
        number(r.ttfcMs); number(r.reasoningMs); integer(r.reasoningTokens); text(r.reasoningTokenSource?.rawValue ?? "")
        number(r.tokensPerChunk); boolean(r.buffered)
        number(r.serverTotalMs); number(r.serverLoadMs); number(r.serverPrefillMs); number(r.serverDecodeMs)
        number(r.serverPrefillTps); number(r.serverDecodeTps); number(r.serverGapMs); boolean(r.coldStart)
        text(r.reasoning ?? "")
        integer(r.attempts)
        text(r.error ?? ""); text(r.answer)
        out.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
    }

    /// Header and every row.
    public static func render(_ results: [RequestResult]) -> String {
        var out = Array(header().utf8)
        for r in results { appendRow(r, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// RFC 4180: quoted (with doubled quotes) only when the field holds a comma, quote or line break.
    static func appendQuoted(_ field: String, to out: inout [UInt8]) {
        let utf8 = field.utf8
        let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
        guard needsQuotes else {
            out.append(contentsOf: utf8)
            return
        }
        out.append(UInt8(ascii: "\""))
        for byte in utf8 {
            if byte == UInt8(ascii: "\"") { out.append(byte) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }

    static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        // Small integers make small (inline) strings: no allocation.
        out.append(contentsOf: String(value).utf8)
    }

    /// `%.3f`, byte for byte: `printf` rounds the exact binary value half to even. The fast path
    /// scales by 1000 and rounds; when the scaled value lands too close to a half for that to be
    /// certain (or is too large to scale exactly), `String(format:)` decides.
    static func appendFixed(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else { return }
        let scaled = value.magnitude * 1000
        if scaled < 1e15 {
            let floor = scaled.rounded(.down)
            let fraction = scaled - floor
            // The product carries at most half an ulp of error; stay clear of the tie by a margin.
            let margin = 4 * scaled.ulp
            if Swift.abs(fraction - 0.5) > margin {
                let units = UInt64(floor) + (fraction > 0.5 ? 1 : 0)
                if value.sign == .minus { out.append(UInt8(ascii: "-")) }
                appendInteger(Int(units / 1000), to: &out)
                out.append(UInt8(ascii: "."))
                let thousandths = Int(units % 1000)
                out.append(UInt8(ascii: "0") + UInt8(thousandths / 100))
                out.append(UInt8(ascii: "0") + UInt8(thousandths / 10 % 10))
                out.append(UInt8(ascii: "0") + UInt8(thousandths % 10))
                return
            }
        }
        out.append(contentsOf: String(format: "%.3f", value).utf8)
    }

    static func quote(_ field: String) -> String {
        var out: [UInt8] = []
        appendQuoted(field, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func fixed(_ value: Double?) -> String {
        guard let value else { return "" }
        var out: [UInt8] = []
        appendFixed(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
