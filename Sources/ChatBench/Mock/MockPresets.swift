/// How the simulated server sends reasoning on the OpenAI route.
public enum MockReasoningFormat: String, Sendable, CaseIterable {
    /// `delta.reasoning_content` (vLLM, DeepSeek, llama.cpp's server).
    case reasoningContent = "reasoning_content"
    /// `delta.reasoning` (Ollama's OpenAI endpoint in recent versions, OpenRouter).
    case reasoning
    /// Inline `<think>...</think>` inside `content` (older Ollama, raw models); also inside
    /// `message.content` on the native route instead of `message.thinking`.
    case tags
}

extension MockProfile {
    /// The named presets `--mock=NAME` selects; `key=value` pairs after the name override them.
    public static let presetNames = ["ollama", "vllm", "llamacpp", "buffered"]

    /// Keys beyond the basic timing ones, for the server-like behaviours.
    static let serverBehaviourKeys = ["reasoning", "think", "reasoning_usage", "chunk", "empty_deltas", "buffered", "load"]

    /// A profile that behaves like a real server:
    /// - `ollama`: a reasoning model (`deepseek-r1:1.5b`) whose first chat request loads it for
    ///   1s; native `/api/chat` NDJSON with `thinking` and timings, `/api/tags`, and the OpenAI
    ///   route with a `reasoning` field (`think=tags` for inline tags).
    /// - `vllm`: `reasoning_content`, usage with `completion_tokens_details.reasoning_tokens`
    ///   (`chunk=N` for multi-token chunks).
    /// - `llamacpp`: no usage chunk even when asked, empty-content deltas between tokens.
    /// - `buffered`: the whole stream written at once at the end.
    public static func preset(named name: String) -> MockProfile? {
        var profile = MockProfile(timeToFirstToken: 60_000_000, interTokenLatency: 8_000_000, tokens: 32)
        profile.preset = name
        switch name {
        case "ollama":
            profile.model = "deepseek-r1:1.5b"
            profile.reasoningTokens = 24
            profile.reasoningFormat = .reasoning
            profile.loadTime = 1_000_000_000
        case "vllm":
            profile.model = "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"
            profile.timeToFirstToken = 40_000_000
            profile.reasoningTokens = 24
            profile.reasoningFormat = .reasoningContent
            profile.reportsReasoningTokens = true
        case "llamacpp":
            profile.model = "qwen2.5-0.5b-instruct-q4_k_m.gguf"
            profile.sendsUsage = false
            profile.sendsEmptyDeltas = true
        case "buffered":
            profile.buffered = true
        default:
            return nil
        }
        return profile
    }

    mutating func setServerBehaviour(_ key: String, _ value: String) throws(MockProfileError) {
        func onOff() throws(MockProfileError) -> Bool {
            guard value == "on" || value == "off" else { throw .badValue(key, value) }
            return value == "on"
        }
        switch key {
        case "reasoning":
            guard let n = Int(value), n >= 0 else { throw .badValue(key, value) }
            reasoningTokens = n
        case "think":
            guard let format = MockReasoningFormat(rawValue: value) else { throw .badValue(key, value) }
            reasoningFormat = format
        case "reasoning_usage": reportsReasoningTokens = try onOff()
        case "chunk":
            guard let n = Int(value), n >= 1 else { throw .badValue(key, value) }
            tokensPerChunk = n
        case "empty_deltas": sendsEmptyDeltas = try onOff()
        case "buffered": buffered = try onOff()
        case "load":
            guard let ns = parseDuration(value) else { throw .badValue(key, value) }
            loadTime = ns
        default:
            throw .unknownKey(key)
        }
    }

    /// The non-default server behaviours, as `,key=value` text (empty for a plain profile).
    var serverBehaviourDescription: String {
        var text = ""
        if reasoningTokens > 0 { text += ",reasoning=\(reasoningTokens),think=\(reasoningFormat.rawValue)" }
        if reportsReasoningTokens { text += ",reasoning_usage=on" }
        if tokensPerChunk > 1 { text += ",chunk=\(tokensPerChunk)" }
        if sendsEmptyDeltas { text += ",empty_deltas=on" }
        if buffered { text += ",buffered=on" }
        if loadTime > 0 { text += ",load=\(formatDuration(loadTime))" }
        return text
    }
}
