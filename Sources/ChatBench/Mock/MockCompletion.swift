#if canImport(Glibc)
import Glibc
#endif

/// One simulated chat completion: its tokens, the delay before each, and the bytes of every
/// event, shaped like vLLM's and Ollama's OpenAI endpoints (role-only first chunk, a chunk per
/// token, a finish chunk, an optional usage chunk, `[DONE]`).
struct MockCompletion {
    let stream: Bool
    let includeUsage: Bool
    let model: String
    let tokens: [String]
    let finishReason: String
    let promptTokens: Int
    /// Nanoseconds before each token: the first is the time to first token.
    let delays: [UInt64]
    private let chunkPrefix: String
    private let id: String
    private let created: Int

    init(request: JSONValue, profile: MockProfile, number: UInt64) {
        stream = request["stream"]?.boolValue ?? false
        includeUsage = profile.sendsUsage && (stream ? (request["stream_options"]?["include_usage"]?.boolValue ?? false) : true)
        model = request["model"]?.stringValue ?? profile.model
        let messages = request["messages"]?.arrayValue ?? []
        let lastUser = messages.last { $0["role"]?.stringValue == "user" }?["content"]?.stringValue ?? ""
        let allText = messages.compactMap { $0["content"]?.stringValue }.joined(separator: " ")
        promptTokens = max(1, allText.unicodeScalars.count / 4)
        let limit = request["max_completion_tokens"]?.intValue ?? request["max_tokens"]?.intValue
        let count = min(profile.tokens, max(0, limit ?? Int.max))
        tokens = MockAnswer.tokens(for: lastUser, count: count)
        finishReason = (limit.map { $0 < profile.tokens } ?? false) ? "length" : "stop"

        var random = SeededRandom(seed: profile.seed &+ number &* 0x9E37_79B9)
        func jittered(_ base: UInt64) -> UInt64 {
            guard profile.jitter > 0 else { return base }
            let factor = 1 + profile.jitter * (2 * random.unit() - 1)
            return UInt64(Double(base) * factor)
        }
        var delays = (0..<count).map { $0 == 0 ? jittered(profile.timeToFirstToken) : jittered(profile.interTokenLatency) }
        if count == 0 { delays = [] }
        self.delays = delays

        id = "chatcmpl-mock-\(number)"
        created = Int(time(nil))
        chunkPrefix = "{\"id\":\"\(id)\",\"object\":\"chat.completion.chunk\",\"created\":\(created),\"model\":\(JSONValue.string(model).serialized()),\"choices\":["
    }

    var completionTokens: Int { tokens.count }

    private func event(_ json: String) -> [UInt8] {
        Array("data: \(json)\n\n".utf8)
    }

    func roleEvent() -> [UInt8] {
        event(chunkPrefix + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}")
    }

    func tokenEvent(_ index: Int) -> [UInt8] {
        event(chunkPrefix + "{\"index\":0,\"delta\":{\"content\":\(JSONValue.string(tokens[index]).serialized())},\"logprobs\":null,\"finish_reason\":null}]}")
    }

    /// A content chunk with any text (for scripted faults).
    func contentEvent(_ text: String) -> [UInt8] {
        event(chunkPrefix + "{\"index\":0,\"delta\":{\"content\":\(JSONValue.string(text).serialized())},\"logprobs\":null,\"finish_reason\":null}]}")
    }

    /// A content chunk whose content bytes go out as given, unescaped (for scripted faults).
    func contentEvent(rawContent: [UInt8]) -> [UInt8] {
        Array("data: \(chunkPrefix){\"index\":0,\"delta\":{\"content\":\"".utf8) + rawContent
            + Array("\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n".utf8)
    }

    /// The finish chunk, the usage chunk when asked for, and `[DONE]`.
    func closingEvents() -> [[UInt8]] {
        var events = [event(chunkPrefix + "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"\(finishReason)\"}]}")]
        if includeUsage {
            events.append(event(chunkPrefix + "],\"usage\":\(usage.serialized())}"))
        }
        events.append(Array("data: [DONE]\n\n".utf8))
        return events
    }

    var usage: JSONValue {
        .object([
            "prompt_tokens": .int(promptTokens),
            "completion_tokens": .int(completionTokens),
            "total_tokens": .int(promptTokens + completionTokens),
        ])
    }

    /// The non-streaming response body.
    func fullResponse() -> JSONValue {
        var object: JSONObject = [
            "id": .string(id),
            "object": .string("chat.completion"),
            "created": .int(created),
            "model": .string(model),
            "choices": .array([
                .object([
                    "index": .int(0),
                    "message": .object(["role": .string("assistant"), "content": .string(tokens.joined())]),
                    "logprobs": .null,
                    "finish_reason": .string(finishReason),
                ])
            ]),
        ]
        if includeUsage { object["usage"] = usage }
        return .object(object)
    }
}
