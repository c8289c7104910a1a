/// Everything measured about one request: one row of `results.jsonl` and `results.csv`.
/// Times are milliseconds from `started` on the monotonic clock, stamped when bytes were read,
/// except `startOffsetMs` (from the start of the run) and `queueMs` (`started - scheduled`).
public struct RequestResult: Sendable, Codable, Equatable {
    /// The prompt's id (its `id`, `custom_id`, or line number).
    public var id: String
    /// Position of this request in the run's order of issue (0-based).
    public var index: Int
    /// Which repetition of the prompt this is (0-based, `--repeat`).
    public var repetition: Int
    public var mode: RequestMode
    public var model: String?

    /// When the request started, measured from the start of the run.
    public var startOffsetMs: Double
    public var queueMs: Double
    public var connectMs: Double?
    /// True when the request went out on a kept-alive connection.
    public var reusedConnection: Bool
    public var ttfbMs: Double?
    public var ttftMs: Double?
    public var lastTokenMs: Double?
    public var e2eMs: Double?
    public var tpotMs: Double?
    public var itlMeanMs: Double?
    public var itlMaxMs: Double?
    /// Every gap between consecutive text-bearing chunks, for pooled inter-token statistics.
    public var itlMs: [Double]

    /// Chunks (SSE events with a JSON payload) received; text-bearing ones are `textChunks`.
    public var chunks: Int
    public var textChunks: Int
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var tokenSource: TokenSource?
    public var decodeTps: Double?
    public var e2eTps: Double?

    /// As the server sent it, or `missing`.
    public var finishReason: String
    public var status: Int?
    public var outcome: Outcome
    /// What went wrong, in words a person can act on (the server's own message for 4xx/5xx).
    public var error: String?
    /// The answer text.
    public var answer: String
    /// The sampling temperature the request was sent with (the prompt's own, else `--temperature`);
    /// nil when the server's default applied. Baselines compare answers only at temperature 0.
    public var temperature: Double?
    /// The prompt's `expect` assertions evaluated on this request; nil when the prompt has none.
    public var checks: [CheckResult]?

    /// A warmup request: kept in results.jsonl, left out of every statistic.
    public var warmup: Bool?
    /// The sweep level the request belongs to, e.g. `concurrency=4` (`--sweep`).
    public var sweepLevel: String?
    /// When the request was due, from the start of the run: its arrival time (rate mode) or when
    /// a concurrency slot was free.
    public var scheduledOffsetMs: Double?
    /// `queue_ms + ttft_ms` and `queue_ms + e2e_ms`: what a user who arrived on schedule waited,
    /// so a slow client or an overloaded server cannot hide queueing (coordinated omission).
    public var ttftFromScheduledMs: Double?
    public var e2eFromScheduledMs: Double?
    /// How late the client itself released the request once it was due and a slot was free.
    public var clientLagMs: Double?

    /// The server's id for the completion (`chatcmpl-...`), to find it in server logs.
    public var responseId: String?

    public var isWarmup: Bool { warmup ?? false }
    // Reasoning models, token honesty, buffered streams and Ollama's own timings (README
    // "Benchmarking a reasoning model on Ollama"). All optional: absent means not applicable.
    /// First answer (content) token, after any reasoning; equals `ttft_ms` without reasoning. Streaming only.
    public var ttfcMs: Double?
    /// Reasoning text (`reasoning_content`, `reasoning`, Ollama's `thinking`, or inside `<think>`); never part of `answer`.
    public var reasoning: String?
    /// `usage.completion_tokens_details.reasoning_tokens` (`reasoning_token_source=usage`), else reasoning chunks (`chunks`).
    public var reasoningTokens: Int?
    public var reasoningTokenSource: TokenSource?
    /// From the first reasoning chunk to the first answer chunk (or the last reasoning chunk when no answer came).
    public var reasoningMs: Double?
    /// The server's completion token count per text-bearing chunk; above 1, `itl_ms` measures chunks, not tokens.
    public var tokensPerChunk: Double?
    /// Streaming: the text arrived in one burst at the end (see `BufferedStreamRule`), so TTFT means nothing.
    public var buffered: Bool?
    /// Ollama's `total_duration`, `load_duration`, `prompt_eval_duration`, `eval_duration`, in ms.
    public var serverTotalMs: Double?
    public var serverLoadMs: Double?
    public var serverPrefillMs: Double?
    public var serverDecodeMs: Double?
    /// `prompt_eval_count / prompt_eval_duration` and `eval_count / eval_duration`, per second.
    public var serverPrefillTps: Double?
    public var serverDecodeTps: Double?
    /// `e2e_ms − server_total_ms`: network plus client overhead.
    public var serverGapMs: Double?
    /// Ollama loaded the model for this request (`load_duration` at or above `OllamaServerTimings.coldStartThresholdMs`).
    public var coldStart: Bool?
    /// How many times the request was sent: 1, or more when `--retries` sent it again.
    public var attempts: Int
    /// The attempts before the final one, oldest first (the metrics above are the final one's).
    public var retriedAttempts: [AttemptRecord]

    public init(id: String, index: Int, repetition: Int, mode: RequestMode) {
        self.id = id
        self.index = index
        self.repetition = repetition
        self.mode = mode
        startOffsetMs = 0
        queueMs = 0
        reusedConnection = false
        itlMs = []
        chunks = 0
        textChunks = 0
        finishReason = "missing"
        outcome = .ok
        answer = ""
        attempts = 1
        retriedAttempts = []
    }

    enum CodingKeys: String, CodingKey {
        case id, index, repetition, mode, model
        case startOffsetMs = "start_offset_ms"
        case queueMs = "queue_ms"
        case connectMs = "connect_ms"
        case reusedConnection = "reused_connection"
        case ttfbMs = "ttfb_ms"
        case ttftMs = "ttft_ms"
        case lastTokenMs = "last_token_ms"
        case e2eMs = "e2e_ms"
        case tpotMs = "tpot_ms"
        case itlMeanMs = "itl_mean_ms"
        case itlMaxMs = "itl_max_ms"
        case itlMs = "itl_ms"
        case chunks
        case textChunks = "text_chunks"
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case tokenSource = "token_source"
        case decodeTps = "decode_tps"
        case e2eTps = "e2e_tps"
        case finishReason = "finish_reason"
        case status, outcome, error, answer
        case warmup
        case sweepLevel = "sweep_level"
        case scheduledOffsetMs = "scheduled_offset_ms"
        case ttftFromScheduledMs = "ttft_from_scheduled_ms"
        case e2eFromScheduledMs = "e2e_from_scheduled_ms"
        case clientLagMs = "client_lag_ms"
        case responseId = "response_id"
        case ttfcMs = "ttfc_ms"
        case reasoning
        case reasoningTokens = "reasoning_tokens"
        case reasoningTokenSource = "reasoning_token_source"
        case reasoningMs = "reasoning_ms"
        case tokensPerChunk = "tokens_per_chunk"
        case buffered
        case serverTotalMs = "server_total_ms"
        case serverLoadMs = "server_load_ms"
        case serverPrefillMs = "server_prefill_ms"
        case serverDecodeMs = "server_decode_ms"
        case serverPrefillTps = "server_prefill_tps"
        case serverDecodeTps = "server_decode_tps"
        case serverGapMs = "server_gap_ms"
        case coldStart = "cold_start"
        case temperature, checks
        case attempts
        case retriedAttempts = "retried_attempts"
    }
}
