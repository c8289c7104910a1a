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
    public init<R: MeasuredRequest>(results allResults: [R], mode: RequestMode?) {
        // Warmup requests are kept in results.jsonl but never counted. The subsets are lists of
        // positions, and records are read in place: copying a million rows (and retaining their
        // strings) to filter them cost more than the statistics.
        var scope: [Int] = []
        var ok: [Int] = []
        var requestCount = 0, okCount = 0, retried = 0, extraAttempts = 0, outputTokens = 0
        var outcomes = Dictionary(uniqueKeysWithValues: Outcome.allCases.map { ($0.rawValue, 0) })
        var reasons: [String: Int] = [:]
        var sources: [String: Int] = ["usage": 0, "chunks": 0]
        var firstStart = Double.infinity, lastEnd = -Double.infinity
        var withoutAnswer = 0, bufferedCount = 0, coldCount = 0
        allResults.withUnsafeBufferPointer { all in
            for i in all.indices where !all[i].isWarmup && (mode == nil || all[i].mode == mode) {
                scope.append(i)
                requestCount += 1
                outcomes[all[i].outcome.rawValue, default: 0] += 1
                let attempts = all[i].attempts
                if attempts > 1 { retried += 1 }
                extraAttempts += max(0, attempts - 1)
                firstStart = Swift.min(firstStart, all[i].startOffsetMs)
                lastEnd = Swift.max(lastEnd, all[i].startOffsetMs + (all[i].e2eMs ?? 0))
                guard all[i].outcome == .ok else { continue }
                ok.append(i)
                okCount += 1
                reasons[all[i].finishReason, default: 0] += 1
                if let s = all[i].tokenSource { sources[s.rawValue, default: 0] += 1 }
                outputTokens += all[i].completionTokens ?? 0
                if all[i].reasoningWithoutAnswer { withoutAnswer += 1 }
                if all[i].buffered == true { bufferedCount += 1 }
                if all[i].coldStart == true { coldCount += 1 }
            }
        }
        requests = requestCount
        countsByOutcome = outcomes
        countsByFinishReason = reasons
        tokenSource = sources
        errorRate = requestCount == 0 ? nil : Double(requestCount - okCount) / Double(requestCount)
        retriedRequests = retried
        retryAttempts = extraAttempts

        func over(_ subset: [Int], _ value: (borrowing R) -> Double?) -> Distribution {
            var samples: [Double] = []
            samples.reserveCapacity(subset.count)
            allResults.withUnsafeBufferPointer { all in
                for i in subset { if let v = value(all[i]) { samples.append(v) } }
            }
            return Distribution(samples)
        }
        func overAll(_ value: (borrowing R) -> Double?) -> Distribution { over(scope, value) }
        ttftMs = over(ok) { $0.ttftMs }
        ttfbMs = over(ok) { $0.ttfbMs }
        connectMs = over(ok) { $0.connectMs }
        e2eMs = over(ok) { $0.e2eMs }
        tpotMs = over(ok) { $0.tpotMs }
        var gaps: [Double] = []
        allResults.withUnsafeBufferPointer { all in
            // Sized exactly first: growing by doubling would hold two copies of the largest array here.
            gaps.reserveCapacity(ok.reduce(0) { $0 + all[$1].itlMs.count })
            for i in ok { gaps.append(contentsOf: all[i].itlMs) }
        }
        itlMs = Distribution(consume gaps)
        decodeTps = over(ok) { $0.decodeTps }
        e2eTps = over(ok) { $0.e2eTps }
        queueMs = overAll { $0.queueMs }
        completionTokens = over(ok) { $0.completionTokens.map(Double.init) }
        promptTokens = over(ok) { $0.promptTokens.map(Double.init) }
        ttftFromScheduledMs = over(ok) { $0.ttftFromScheduledMs }
        e2eFromScheduledMs = over(ok) { $0.e2eFromScheduledMs }
        clientLagMs = overAll { $0.clientLagMs }

        ttfcMs = over(ok) { $0.ttfcMs }
        reasoningMs = over(ok) { $0.reasoningMs }
        reasoningTokens = over(ok) { $0.reasoningTokens.map(Double.init) }
        tokensPerChunk = over(ok) { $0.tokensPerChunk }
        reasoningWithoutAnswer = withoutAnswer
        bufferedStreams = bufferedCount
        serverPrefillTps = over(ok) { $0.serverPrefillTps }
        serverDecodeTps = over(ok) { $0.serverDecodeTps }
        serverGapMs = over(ok) { $0.serverGapMs }
        coldStarts = coldCount
        coldStartLoadMs = over(ok) { $0.coldStart == true ? $0.serverLoadMs : nil }
        warmTtftMs = over(ok) { $0.coldStart != true ? $0.ttftMs : nil }

        if requestCount > 0, lastEnd > firstStart {
            durationS = (lastEnd - firstStart) / 1000
        } else {
            durationS = 0
        }
        if durationS > 0 {
            requestsPerS = Double(requestCount) / durationS
            okRequestsPerS = Double(okCount) / durationS
            outputTokensPerS = Double(outputTokens) / durationS
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
