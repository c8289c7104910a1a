/// The aggregate of a set of request results (one mode, or all): counts, distributions and
/// throughput, as one section of summary.json.
public struct Summary: Sendable, Codable, Equatable {
    public var requests: Int
    /// Every outcome, including those that never happened (as 0), so readers need not guess.
    public var countsByOutcome: [String: Int]
    /// Over ok requests only: a failed request's finish reason says nothing about the model.
    public var countsByFinishReason: [String: Int]
    /// Over ok requests: how many completion-token counts came from `usage` and how many were estimated from chunks.
    public var tokenSource: [String: Int]
    /// Non-ok requests / requests; nil when there were no requests.
    public var errorRate: Double?
    /// Requests sent more than once (`--retries`), and the extra attempts they took.
    public var retriedRequests: Int
    public var retryAttempts: Int

    // Over ok requests only: failed requests never enter latency distributions.
    public var ttftMs: Distribution
    public var ttfbMs: Distribution
    public var connectMs: Distribution
    public var e2eMs: Distribution
    public var tpotMs: Distribution
    /// Pooled: every inter-token gap of every ok request.
    public var itlMs: Distribution
    public var decodeTps: Distribution
    public var e2eTps: Distribution
    /// Over all requests: the client's own delay happens whether or not the server fails.
    public var queueMs: Distribution
    public var completionTokens: Distribution
    public var promptTokens: Distribution
    /// Over ok requests: latency as seen from when each request was due (coordinated omission).
    public var ttftFromScheduledMs: Distribution
    public var e2eFromScheduledMs: Distribution
    /// Over all requests: how late the client released requests that were due and had a slot.
    public var clientLagMs: Distribution

    /// Last end minus first start, in seconds (0 with no requests).
    public var durationS: Double
    public var requestsPerS: Double?
    public var okRequestsPerS: Double?
    public var outputTokensPerS: Double?

    // Reasoning models, token honesty, buffered streams, Ollama's server timings (over ok requests).
    /// Time to the first answer token, after any reasoning.
    public var ttfcMs: Distribution
    public var reasoningMs: Distribution
    public var reasoningTokens: Distribution
    /// The server's token count per text chunk: above 1.2, `itl_ms` measures chunks, not tokens.
    public var tokensPerChunk: Distribution
    /// Ok requests whose reasoning was followed by no answer.
    public var reasoningWithoutAnswer: Int
    /// Streams that arrived in one burst (`buffered`): their TTFT means nothing.
    public var bufferedStreams: Int
    public var serverPrefillTps: Distribution
    public var serverDecodeTps: Distribution
    /// `e2e_ms − server_total_ms`: network plus client overhead.
    public var serverGapMs: Distribution
    /// Requests for which Ollama loaded the model, and its load times.
    public var coldStarts: Int
    public var coldStartLoadMs: Distribution
    /// TTFT without the cold starts.
    public var warmTtftMs: Distribution

    /// Summarises the results of `mode`, or of every mode when `mode` is nil.
    public init(results allResults: [RequestResult], mode: RequestMode?) {
        // Warmup requests are kept in results.jsonl but never counted.
        // Filtering copies every record (and retains its strings and arrays); skip it when nothing
        // would be filtered out, the usual case for large single-mode runs.
        let measured = allResults.contains(where: \.isWarmup) ? allResults.filter { !$0.isWarmup } : allResults
        let results = mode.map { m in measured.allSatisfy { $0.mode == m } ? measured : measured.filter { $0.mode == m } } ?? measured
        let ok = results.allSatisfy { $0.outcome == .ok } ? results : results.filter { $0.outcome == .ok }

        requests = results.count
        var outcomes = Dictionary(uniqueKeysWithValues: Outcome.allCases.map { ($0.rawValue, 0) })
        for r in results { outcomes[r.outcome.rawValue, default: 0] += 1 }
        countsByOutcome = outcomes
        var reasons: [String: Int] = [:]
        for r in ok { reasons[r.finishReason, default: 0] += 1 }
        countsByFinishReason = reasons
        var sources: [String: Int] = ["usage": 0, "chunks": 0]
        for r in ok { if let s = r.tokenSource { sources[s.rawValue, default: 0] += 1 } }
        tokenSource = sources
        errorRate = results.isEmpty ? nil : Double(results.count - ok.count) / Double(results.count)
        retriedRequests = results.reduce(0) { $0 + ($1.attempts > 1 ? 1 : 0) }
        retryAttempts = results.reduce(0) { $0 + max(0, $1.attempts - 1) }

        ttftMs = Distribution(ok.compactMap(\.ttftMs))
        ttfbMs = Distribution(ok.compactMap(\.ttfbMs))
        connectMs = Distribution(ok.compactMap(\.connectMs))
        e2eMs = Distribution(ok.compactMap(\.e2eMs))
        tpotMs = Distribution(ok.compactMap(\.tpotMs))
        itlMs = Distribution(ok.flatMap(\.itlMs))
        decodeTps = Distribution(ok.compactMap(\.decodeTps))
        e2eTps = Distribution(ok.compactMap(\.e2eTps))
        queueMs = Distribution(results.map(\.queueMs))
        completionTokens = Distribution(ok.compactMap { $0.completionTokens.map(Double.init) })
        promptTokens = Distribution(ok.compactMap { $0.promptTokens.map(Double.init) })
        ttftFromScheduledMs = Distribution(ok.compactMap(\.ttftFromScheduledMs))
        e2eFromScheduledMs = Distribution(ok.compactMap(\.e2eFromScheduledMs))
        clientLagMs = Distribution(results.compactMap(\.clientLagMs))

        ttfcMs = Distribution(ok.compactMap(\.ttfcMs))
        reasoningMs = Distribution(ok.compactMap(\.reasoningMs))
        reasoningTokens = Distribution(ok.compactMap { $0.reasoningTokens.map(Double.init) })
        tokensPerChunk = Distribution(ok.compactMap(\.tokensPerChunk))
        reasoningWithoutAnswer = ok.reduce(0) { $0 + ($1.reasoning != nil && $1.answer.isEmpty ? 1 : 0) }
        bufferedStreams = ok.reduce(0) { $0 + ($1.buffered == true ? 1 : 0) }
        serverPrefillTps = Distribution(ok.compactMap(\.serverPrefillTps))
        serverDecodeTps = Distribution(ok.compactMap(\.serverDecodeTps))
        serverGapMs = Distribution(ok.compactMap(\.serverGapMs))
        let cold = ok.filter { $0.coldStart == true }
        coldStarts = cold.count
        coldStartLoadMs = Distribution(cold.compactMap(\.serverLoadMs))
        warmTtftMs = Distribution(ok.filter { $0.coldStart != true }.compactMap(\.ttftMs))

        let firstStart = results.map(\.startOffsetMs).min()
        let lastEnd = results.map { $0.startOffsetMs + ($0.e2eMs ?? 0) }.max()
        if let firstStart, let lastEnd, lastEnd > firstStart {
            durationS = (lastEnd - firstStart) / 1000
        } else {
            durationS = 0
        }
        if durationS > 0 {
            requestsPerS = Double(results.count) / durationS
            okRequestsPerS = Double(ok.count) / durationS
            outputTokensPerS = Double(ok.reduce(0) { $0 + ($1.completionTokens ?? 0) }) / durationS
        }
    }

    enum CodingKeys: String, CodingKey {
        case requests
        case countsByOutcome = "counts_by_outcome"
        case countsByFinishReason = "counts_by_finish_reason"
        case tokenSource = "token_source"
        case errorRate = "error_rate"
        case retriedRequests = "retried_requests"
        case retryAttempts = "retry_attempts"
        case ttftMs = "ttft_ms"
        case ttfbMs = "ttfb_ms"
        case connectMs = "connect_ms"
        case e2eMs = "e2e_ms"
        case tpotMs = "tpot_ms"
        case itlMs = "itl_ms"
        case decodeTps = "decode_tps"
        case e2eTps = "e2e_tps"
        case queueMs = "queue_ms"
        case completionTokens = "completion_tokens"
        case promptTokens = "prompt_tokens"
        case ttftFromScheduledMs = "ttft_from_scheduled_ms"
        case e2eFromScheduledMs = "e2e_from_scheduled_ms"
        case clientLagMs = "client_lag_ms"
        case durationS = "duration_s"
        case requestsPerS = "requests_per_s"
        case okRequestsPerS = "ok_requests_per_s"
        case outputTokensPerS = "output_tokens_per_s"
        case ttfcMs = "ttfc_ms"
        case reasoningMs = "reasoning_ms"
        case reasoningTokens = "reasoning_tokens"
        case tokensPerChunk = "tokens_per_chunk"
        case reasoningWithoutAnswer = "reasoning_without_answer"
        case bufferedStreams = "buffered_streams"
        case serverPrefillTps = "server_prefill_tps"
        case serverDecodeTps = "server_decode_tps"
        case serverGapMs = "server_gap_ms"
        case coldStarts = "cold_starts"
        case coldStartLoadMs = "cold_start_load_ms"
        case warmTtftMs = "warm_ttft_ms"
    }

    // Written out so that nil figures appear as `null` rather than vanishing from the schema.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(requests, forKey: .requests)
        try c.encode(countsByOutcome, forKey: .countsByOutcome)
        try c.encode(countsByFinishReason, forKey: .countsByFinishReason)
        try c.encode(tokenSource, forKey: .tokenSource)
        try c.encode(errorRate, forKey: .errorRate)
        try c.encode(retriedRequests, forKey: .retriedRequests)
        try c.encode(retryAttempts, forKey: .retryAttempts)
        try c.encode(ttftMs, forKey: .ttftMs)
        try c.encode(ttfbMs, forKey: .ttfbMs)
        try c.encode(connectMs, forKey: .connectMs)
        try c.encode(e2eMs, forKey: .e2eMs)
        try c.encode(tpotMs, forKey: .tpotMs)
        try c.encode(itlMs, forKey: .itlMs)
        try c.encode(decodeTps, forKey: .decodeTps)
        try c.encode(e2eTps, forKey: .e2eTps)
        try c.encode(queueMs, forKey: .queueMs)
        try c.encode(completionTokens, forKey: .completionTokens)
        try c.encode(promptTokens, forKey: .promptTokens)
        try c.encode(ttftFromScheduledMs, forKey: .ttftFromScheduledMs)
        try c.encode(e2eFromScheduledMs, forKey: .e2eFromScheduledMs)
        try c.encode(clientLagMs, forKey: .clientLagMs)
        try c.encode(durationS, forKey: .durationS)
        try c.encode(requestsPerS, forKey: .requestsPerS)
        try c.encode(okRequestsPerS, forKey: .okRequestsPerS)
        try c.encode(outputTokensPerS, forKey: .outputTokensPerS)
        try c.encode(ttfcMs, forKey: .ttfcMs)
        try c.encode(reasoningMs, forKey: .reasoningMs)
        try c.encode(reasoningTokens, forKey: .reasoningTokens)
        try c.encode(tokensPerChunk, forKey: .tokensPerChunk)
        try c.encode(reasoningWithoutAnswer, forKey: .reasoningWithoutAnswer)
        try c.encode(bufferedStreams, forKey: .bufferedStreams)
        try c.encode(serverPrefillTps, forKey: .serverPrefillTps)
        try c.encode(serverDecodeTps, forKey: .serverDecodeTps)
        try c.encode(serverGapMs, forKey: .serverGapMs)
        try c.encode(coldStarts, forKey: .coldStarts)
        try c.encode(coldStartLoadMs, forKey: .coldStartLoadMs)
        try c.encode(warmTtftMs, forKey: .warmTtftMs)
    }
}
