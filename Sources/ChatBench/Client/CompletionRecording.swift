/// What a response recorder saw of one chat completion, whatever the wire protocol: the
/// common ground from which `RequestResult.record` fills the metrics.
public protocol CompletionRecording: ResponseRecorder {
    var streaming: Bool { get }
    var status: Int? { get }
    var headAt: UInt64? { get }
    /// The end of the completion in the protocol (`[DONE]`, Ollama's `done: true`), if seen.
    var doneAt: UInt64? { get }
    var endAt: UInt64? { get }
    var chunks: Int { get }
    var timeline: TokenTimeline { get }
    var endedInsideThink: Bool { get }
    var finishReason: String? { get }
    var promptTokens: Int? { get }
    var completionTokens: Int? { get }
    var reasoningTokens: Int? { get }
    var failure: TransportFailure? { get }
    /// Ollama's own timings from its final object; nil for OpenAI-compatible servers.
    var serverTimings: OllamaServerTimings? { get }
    /// The server's id for the completion (`chatcmpl-...`), when it sends one.
    var responseID: String? { get }
}

extension CompletionRecording {
    public var firstTokenAt: UInt64? { timeline.firstTokenAt }
    public var lastTokenAt: UInt64? { timeline.lastTokenAt }
    public var gaps: [UInt64] { timeline.gaps }
    public var textChunks: Int { timeline.textChunks }
    public var answer: String { timeline.answer }
    public var reasoning: String { timeline.reasoning }
}

extension ChatResponseRecorder: CompletionRecording {
    public var serverTimings: OllamaServerTimings? { nil }
}

/// The timings Ollama reports in the final object of `/api/chat` (nanoseconds on the wire).
public struct OllamaServerTimings: Sendable, Equatable {
    public var totalDuration: UInt64?
    public var loadDuration: UInt64?
    public var promptEvalCount: Int?
    public var promptEvalDuration: UInt64?
    public var evalCount: Int?
    public var evalDuration: UInt64?

    /// A `load_duration` at or above this means Ollama loaded the model for the request. A warm
    /// request's load_duration is a few ms to a few tens of ms; loading even a 1B model from the
    /// page cache takes longer than this.
    public static let coldStartThresholdMs = 250.0

    public init(totalDuration: UInt64? = nil, loadDuration: UInt64? = nil, promptEvalCount: Int? = nil,
                promptEvalDuration: UInt64? = nil, evalCount: Int? = nil, evalDuration: UInt64? = nil) {
        self.totalDuration = totalDuration
        self.loadDuration = loadDuration
        self.promptEvalCount = promptEvalCount
        self.promptEvalDuration = promptEvalDuration
        self.evalCount = evalCount
        self.evalDuration = evalDuration
    }

    /// Reads the timing fields of a final `/api/chat` object; nil when it has none.
    init?(_ json: JSONValue) {
        func nanoseconds(_ key: String) -> UInt64? {
            json[key]?.intValue.flatMap { $0 >= 0 ? UInt64($0) : nil }
        }
        totalDuration = nanoseconds("total_duration")
        loadDuration = nanoseconds("load_duration")
        promptEvalCount = json["prompt_eval_count"]?.intValue
        promptEvalDuration = nanoseconds("prompt_eval_duration")
        evalCount = json["eval_count"]?.intValue
        evalDuration = nanoseconds("eval_duration")
        if totalDuration == nil && loadDuration == nil && evalCount == nil && evalDuration == nil && promptEvalCount == nil {
            return nil
        }
    }
}
