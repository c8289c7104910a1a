/// When a stream counts as buffered: a server or proxy that claims to stream but delivers the
/// text in one burst at the end, so its time to first token is really its end-to-end time.
///
/// The rule: at least `minimumTextChunks` text chunks, the first of them at or after
/// `ttftShareOfE2E` of the end-to-end time, and a mean gap between them under `maximumMeanGapMs`
/// (faster than any model decodes, so the chunks were held back). A short answer, or a long
/// prefill followed by real token-by-token decoding, is not flagged.
public enum BufferedStreamRule {
    public static let minimumTextChunks = 8
    public static let ttftShareOfE2E = 0.9
    public static let maximumMeanGapMs = 1.0

    public static func isBuffered(textChunks: Int, ttftMs: Double?, lastTokenMs: Double?, e2eMs: Double?) -> Bool {
        guard textChunks >= minimumTextChunks, let ttft = ttftMs, let last = lastTokenMs, let e2e = e2eMs, e2e > 0 else { return false }
        let meanGap = (last - ttft) / Double(textChunks - 1)
        return ttft >= ttftShareOfE2E * e2e && meanGap < maximumMeanGapMs
    }
}

extension RequestResult {
    /// Reasoning split, token honesty, buffered-stream flag and Ollama's server timings; called
    /// by `record` once the common metrics are in.
    mutating func recordReasoningAndServerTimings(_ recorder: some CompletionRecording, start: UInt64) {
        func ms(_ t: UInt64?) -> Double? { t.map { MonotonicClock.milliseconds(from: start, to: $0) } }
        let timeline = recorder.timeline
        if !timeline.reasoning.isEmpty { reasoning = timeline.reasoning }
        if recorder.streaming {
            ttfcMs = ms(timeline.firstAnswerAt)
            reasoningMs = timeline.reasoningNanoseconds.map { Double($0) / 1_000_000 }
        }
        if let counted = recorder.reasoningTokens {
            reasoningTokens = counted
            reasoningTokenSource = .usage
        } else if recorder.streaming && timeline.reasoningChunks > 0 {
            reasoningTokens = timeline.reasoningChunks
            reasoningTokenSource = .chunks
        }
        if outcome == .ok && answer.isEmpty && reasoning != nil {
            let why = recorder.endedInsideThink
                ? "the response ended inside <think>: no answer after the reasoning"
                : "no answer after the reasoning"
            let hint = finishReason == "length" ? " (finish_reason length: raise max_tokens)" : ""
            error = error.map { "\($0); \(why)\(hint)" } ?? why + hint
        }
        if recorder.streaming, tokenSource == .usage, let tokens = completionTokens, textChunks > 0 {
            tokensPerChunk = Double(tokens) / Double(textChunks)
        }
        if recorder.streaming && outcome == .ok {
            buffered = BufferedStreamRule.isBuffered(textChunks: textChunks, ttftMs: ttftMs, lastTokenMs: lastTokenMs, e2eMs: e2eMs)
        }
        if let server = recorder.serverTimings {
            func serverMs(_ ns: UInt64?) -> Double? { ns.map { Double($0) / 1_000_000 } }
            serverTotalMs = serverMs(server.totalDuration)
            serverLoadMs = serverMs(server.loadDuration)
            serverPrefillMs = serverMs(server.promptEvalDuration)
            serverDecodeMs = serverMs(server.evalDuration)
            if let count = server.promptEvalCount, let duration = server.promptEvalDuration, duration > 0 {
                serverPrefillTps = Double(count) / Double(duration) * 1e9
            }
            if let count = server.evalCount, let duration = server.evalDuration, duration > 0 {
                serverDecodeTps = Double(count) / Double(duration) * 1e9
            }
            if let e2e = e2eMs, let total = serverTotalMs { serverGapMs = e2e - total }
            if let load = serverLoadMs { coldStart = load >= OllamaServerTimings.coldStartThresholdMs }
        }
    }
}
