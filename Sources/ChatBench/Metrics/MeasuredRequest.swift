/// What every summary, chart, check and comparison reads of a request. Both the full
/// `RequestResult` (as the client records it) and the compact `ResultRow` (what a run keeps once
/// the record is on disk) provide it, so one implementation of each statistic serves both: tests
/// and small callers pass records, runs and `chatbench report` pass rows.
public protocol MeasuredRequest: Sendable {
    var id: String { get }
    var index: Int { get }
    var repetition: Int { get }
    var mode: RequestMode { get }
    var outcome: Outcome { get }
    var finishReason: String { get }
    var status: Int? { get }
    var error: String? { get }
    /// The answer text; a `ResultRow` keeps it only where a baseline comparison can need it.
    var answer: String { get }
    var temperature: Double? { get }
    var checks: [CheckResult]? { get }
    var isWarmup: Bool { get }
    var sweepLevel: String? { get }
    var attempts: Int { get }
    var textChunks: Int { get }

    var startOffsetMs: Double { get }
    var queueMs: Double { get }
    var connectMs: Double? { get }
    var ttfbMs: Double? { get }
    var ttftMs: Double? { get }
    var e2eMs: Double? { get }
    var tpotMs: Double? { get }
    /// Every gap between consecutive text-bearing chunks (pooled into `itl_ms`).
    var itlMs: [Double] { get }
    var decodeTps: Double? { get }
    var e2eTps: Double? { get }
    var completionTokens: Int? { get }
    var promptTokens: Int? { get }
    var tokenSource: TokenSource? { get }
    var scheduledOffsetMs: Double? { get }
    var ttftFromScheduledMs: Double? { get }
    var e2eFromScheduledMs: Double? { get }
    var clientLagMs: Double? { get }

    var ttfcMs: Double? { get }
    var reasoningMs: Double? { get }
    var reasoningTokens: Int? { get }
    var tokensPerChunk: Double? { get }
    var buffered: Bool? { get }
    var serverLoadMs: Double? { get }
    var serverPrefillTps: Double? { get }
    var serverDecodeTps: Double? { get }
    var serverGapMs: Double? { get }
    var coldStart: Bool? { get }
    /// Reasoning came back but no answer followed it.
    var reasoningWithoutAnswer: Bool { get }
}

extension RequestResult: MeasuredRequest {
    public var reasoningWithoutAnswer: Bool { reasoning != nil && answer.isEmpty }
}

/// A prompt in one mode: what per-prompt tables, kept answers and changed answers group by.
struct PromptModeKey: Hashable {
    var prompt: String
    var mode: RequestMode
}
