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
        case attempts
        case retriedAttempts = "retried_attempts"
    }
}
