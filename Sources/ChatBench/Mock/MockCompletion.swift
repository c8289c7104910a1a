#if canImport(Glibc)
import Glibc
#endif

/// One simulated chat completion: its tokens, the delay before each, and the bytes of every
/// event, shaped like vLLM's and Ollama's OpenAI endpoints (role-only first chunk, a chunk per
/// token, a finish chunk, an optional usage chunk, `[DONE]`) or, when `native`, like Ollama's
/// `/api/chat` (MockOllamaRoutes.swift). A reasoning phase may precede the answer.
struct MockCompletion {
    let stream: Bool
    let includeUsage: Bool
    let model: String
    /// The answer's tokens.
    let tokens: [String]
    /// The reasoning tokens before the answer (with `<think>` tags when sent inline).
    let reasoningTokens: [String]
    let finishReason: String
    let promptTokens: Int
    /// What is streamed, in order: groups of `tokensPerChunk` tokens of one kind.
    let chunks: [MockChunk]
    /// Nanoseconds before each chunk: the first is the time to first token (plus any model load).
    let delays: [UInt64]
    /// Ollama's native `/api/chat` rather than the OpenAI route.
    let native: Bool
    let reasoningFormat: MockReasoningFormat
    let reportsReasoningTokens: Bool
    let sendsEmptyDeltas: Bool
    /// When the request arrived, how long it waited for the model to load, and its prefill time:
    /// the mock's own timings for Ollama's final object.
    let receivedAt: UInt64
    let loadWait: UInt64
    let prefillTime: UInt64
    /// The start of every stream chunk (id, created, model), built once for a stream; empty for
    /// a whole answer, which never needs it (see `prefixBytes`).
    private let chunkPrefixBytes: [UInt8]
    let id: String
    /// The server's request counter; the response id is `chatcmpl-mock-<number>`.
    let number: UInt64
    private let created: Int

    init(request: JSONValue, profile: MockProfile, number: UInt64, native: Bool = false, loadWait: UInt64 = 0, receivedAt: UInt64 = 0) {
        self.native = native
        self.loadWait = loadWait
        self.receivedAt = receivedAt
        reasoningFormat = profile.reasoningFormat
        reportsReasoningTokens = profile.reportsReasoningTokens
        sendsEmptyDeltas = profile.sendsEmptyDeltas && !native
        // Ollama streams unless told not to; OpenAI servers only when asked.
        stream = request["stream"]?.boolValue ?? native
        includeUsage = !native && profile.sendsUsage && (stream ? (request["stream_options"]?["include_usage"]?.boolValue ?? false) : true)
        model = request["model"]?.stringValue ?? profile.model
        let messages = request["messages"]?.arrayValue ?? []
        let lastUser = messages.last { $0["role"]?.stringValue == "user" }?["content"]?.stringValue ?? ""
        // The texts joined with spaces, counted in scalars, without building the joined string:
        // every UTF-8 byte that is not a continuation byte starts a scalar.
        let texts = messages.compactMap { $0["content"]?.stringValue }
        let scalars = texts.reduce(max(0, texts.count - 1)) { total, text in
            total + text.utf8.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        }
        promptTokens = max(1, scalars / 4)
        let limit = native
            ? request["options"]?["num_predict"]?.intValue
            : request["max_completion_tokens"]?.intValue ?? request["max_tokens"]?.intValue
        // `think: false` on Ollama's native API turns thinking off.
        let reasoningCount = native && request["think"]?.boolValue == false ? 0 : profile.reasoningTokens
        let inline = profile.reasoningFormat == .tags
        let plannedReasoning = MockAnswer.reasoning(count: reasoningCount, tagged: inline)
        // Arithmetic questions get their (deterministic) answer; everything else the fixed text.
        let plannedAnswer = MockArithmetic.answer(to: lastUser, wrong: profile.answersArithmeticWrongly)
            ?? MockAnswer.tokens(for: lastUser, count: profile.tokens)
        let full = plannedReasoning.count + plannedAnswer.count
        let count = min(full, max(0, limit ?? Int.max))
        reasoningTokens = Array(plannedReasoning.prefix(count))
        var answer = Array(plannedAnswer.prefix(count - reasoningTokens.count))
        if inline && !reasoningTokens.isEmpty && !answer.isEmpty { answer[0] = "\n\n" + answer[0] }
        tokens = answer
        finishReason = count < full ? "length" : "stop"

        var random = SeededRandom(seed: profile.seed &+ number &* 0x9E37_79B9)
        func jittered(_ base: UInt64) -> UInt64 {
            guard profile.jitter > 0 else { return base }
            let factor = 1 + profile.jitter * (2 * random.unit() - 1)
            return UInt64(Double(base) * factor)
        }
        let tokenDelays = (0..<count).map { $0 == 0 ? jittered(profile.timeToFirstToken) : jittered(profile.interTokenLatency) }
        prefillTime = tokenDelays.first ?? 0
        let kinds = reasoningTokens.map { MockChunk(reasoning: true, text: $0) } + tokens.map { MockChunk(reasoning: false, text: $0) }
        var chunks: [MockChunk] = []
        var delays: [UInt64] = []
        for (index, token) in kinds.enumerated() {
            let startsChunk = chunks.last.map { $0.reasoning != token.reasoning || $0.tokenCount >= profile.tokensPerChunk } ?? true
            if startsChunk {
                chunks.append(token)
                delays.append(tokenDelays[index])
            } else {
                chunks[chunks.count - 1].text += token.text
                chunks[chunks.count - 1].tokenCount += 1
                delays[delays.count - 1] += tokenDelays[index]
            }
        }
        if !delays.isEmpty { delays[0] += loadWait }
        self.chunks = chunks
        self.delays = delays

        self.number = number
        id = "chatcmpl-mock-\(number)"
        created = Int(time(nil))
        chunkPrefixBytes = stream ? Self.chunkPrefix(id: id, created: created, model: model) : []
    }

    var completionTokens: Int { reasoningTokens.count + tokens.count }

    private static func chunkPrefix(id: String, created: Int, model: String) -> [UInt8] {
        Array("{\"id\":\"\(id)\",\"object\":\"chat.completion.chunk\",\"created\":\(created),\"model\":\(JSONValue.string(model).serialized()),\"choices\":[".utf8)
    }

    private var prefixBytes: [UInt8] {
        chunkPrefixBytes.isEmpty ? Self.chunkPrefix(id: id, created: created, model: model) : chunkPrefixBytes
    }

    private var chunkPrefix: String { String(decoding: prefixBytes, as: UTF8.self) }

    /// The response's Content-Type when streaming.
    var streamContentType: String { native ? "application/x-ndjson" : "text/event-stream" }

    private func event(_ json: String) -> [UInt8] {
        Array("data: \(json)\n\n".utf8)
    }

    /// The role-only first chunk (none on Ollama's native route).
    func roleEvent() -> [UInt8] {
        if native { return [] }
        return event(chunkPrefix + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}")
    }

    /// Chunk `index` of `chunks`, as an SSE event (or an NDJSON line when native).
    func tokenEvent(_ index: Int) -> [UInt8] {
        if native { return ollamaLine(index) }
        let chunk = chunks[index]
        let field = chunk.reasoning && reasoningFormat != .tags ? reasoningFormat.rawValue : "content"
        var bytes: [UInt8] = []
        if sendsEmptyDeltas && index % 4 == 0 {
            // llama.cpp's server interleaves deltas with empty content; they are no tokens.
            bytes += event(chunkPrefix + "{\"index\":0,\"delta\":{\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}")
        }
        // Built straight into bytes: the mock shares the cores with the client it measures.
        let prefix = prefixBytes
        bytes.reserveCapacity(bytes.count + prefix.count + chunk.text.utf8.count + 96)
        bytes.append(contentsOf: "data: ".utf8)
        bytes.append(contentsOf: prefix)
        bytes.append(contentsOf: "{\"index\":0,\"delta\":{\"".utf8)
        bytes.append(contentsOf: field.utf8)
        bytes.append(contentsOf: "\":".utf8)
        JSONValue.writeString(chunk.text, into: &bytes)
        bytes.append(contentsOf: "},\"logprobs\":null,\"finish_reason\":null}]}\n\n".utf8)
        return bytes
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

    /// The finish chunk, the usage chunk when asked for, and `[DONE]` (Ollama's final object when
    /// native, with timings measured up to `now`).
    func closingEvents(at now: UInt64) -> [[UInt8]] {
        if native { return [ollamaFinalLine(at: now)] }
        var events = [event(chunkPrefix + "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"\(finishReason)\"}]}")]
        if includeUsage {
            events.append(event(chunkPrefix + "],\"usage\":\(usage.serialized())}"))
        }
        events.append(Array("data: [DONE]\n\n".utf8))
        return events
    }

    var usage: JSONValue {
        var object: JSONObject = [
            "prompt_tokens": .int(promptTokens),
            "completion_tokens": .int(completionTokens),
            "total_tokens": .int(promptTokens + completionTokens),
        ]
        if reportsReasoningTokens {
            object["completion_tokens_details"] = .object(["reasoning_tokens": .int(reasoningTokens.count)])
        }
        return .object(object)
    }

    /// `fullResponse(at:)` serialized, written straight as bytes for the OpenAI route (no tree
    /// of JSON values per request: the mock shares the cores with the client).
    func fullResponseBytes(at now: UInt64) -> [UInt8] {
        if native { return fullResponse(at: now).bytes() }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + tokens.count * 8)
        bytes.append(contentsOf: #"{"id":"#.utf8)
        JSONValue.writeString(id, into: &bytes)
        bytes.append(contentsOf: #","object":"chat.completion","created":"#.utf8)
        bytes.append(contentsOf: String(created).utf8)
        bytes.append(contentsOf: #","model":"#.utf8)
        JSONValue.writeString(model, into: &bytes)
        bytes.append(contentsOf: #","choices":[{"index":0,"message":{"role":"assistant","content":"#.utf8)
        if reasoningFormat == .tags {
            JSONValue.writeString((reasoningTokens + tokens).joined(), into: &bytes)
        } else {
            JSONValue.writeString(tokens.joined(), into: &bytes)
            if !reasoningTokens.isEmpty {
                bytes.append(UInt8(ascii: ","))
                JSONValue.writeString(reasoningFormat.rawValue, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                JSONValue.writeString(reasoningTokens.joined(), into: &bytes)
            }
        }
        bytes.append(contentsOf: #"},"logprobs":null,"finish_reason":"#.utf8)
        JSONValue.writeString(finishReason, into: &bytes)
        bytes.append(contentsOf: "}]".utf8)
        if includeUsage {
            bytes.append(contentsOf: #","usage":"#.utf8)
            usage.write(into: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// The non-streaming response body (Ollama's single object when native).
    func fullResponse(at now: UInt64) -> JSONValue {
        if native { return ollamaFullResponse(at: now) }
        var message: JSONObject = ["role": .string("assistant")]
        if reasoningFormat == .tags {
            message["content"] = .string((reasoningTokens + tokens).joined())
        } else {
            message["content"] = .string(tokens.joined())
            if !reasoningTokens.isEmpty { message[reasoningFormat.rawValue] = .string(reasoningTokens.joined()) }
        }
        var object: JSONObject = [
            "id": .string(id),
            "object": .string("chat.completion"),
            "created": .int(created),
            "model": .string(model),
            "choices": .array([
                .object([
                    "index": .int(0),
                    "message": .object(message),
                    "logprobs": .null,
                    "finish_reason": .string(finishReason),
                ])
            ]),
        ]
        if includeUsage { object["usage"] = usage }
        return .object(object)
    }
}

/// One streamed piece of a simulated completion: one or more tokens of reasoning or of answer.
struct MockChunk {
    var reasoning: Bool
    var text: String
    var tokenCount = 1
}
