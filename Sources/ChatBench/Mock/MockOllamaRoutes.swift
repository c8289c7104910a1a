/// Ollama's native API as the simulated server speaks it: `/api/chat` objects (one NDJSON line
/// per chunk, a final `done: true` object with Ollama's timings) and the `/api/tags` model list.
extension MockCompletion {
    private static let createdAt = "2025-01-01T00:00:00Z"

    private func ollamaMessage(content: String, thinking: String) -> JSONValue {
        var message: JSONObject = ["role": .string("assistant"), "content": .string(content)]
        if !thinking.isEmpty { message["thinking"] = .string(thinking) }
        return .object(message)
    }

    /// Chunk `index` as one NDJSON line: reasoning in `message.thinking`, unless sent as tags.
    func ollamaLine(_ index: Int) -> [UInt8] {
        let chunk = chunks[index]
        let asThinking = chunk.reasoning && reasoningFormat != .tags
        let object: JSONValue = .object([
            "model": .string(model),
            "created_at": .string(Self.createdAt),
            "message": ollamaMessage(content: asThinking ? "" : chunk.text, thinking: asThinking ? chunk.text : ""),
            "done": .bool(false),
        ])
        return Array((object.serialized() + "\n").utf8)
    }

    /// Ollama's timing fields, from what the mock really did: the load wait, the first token's
    /// delay as prefill, the rest as decode, all up to `now`.
    private func ollamaTimings(at now: UInt64) -> [(key: String, value: JSONValue)] {
        let total = now > receivedAt ? now - receivedAt : 0
        let load = min(loadWait, total)
        let prefill = min(prefillTime, total - load)
        let decode = total - load - prefill
        return [
            ("total_duration", .number(String(total))),
            ("load_duration", .number(String(load))),
            ("prompt_eval_count", .int(promptTokens)),
            ("prompt_eval_duration", .number(String(prefill))),
            ("eval_count", .int(completionTokens)),
            ("eval_duration", .number(String(decode))),
        ]
    }

    /// The final `done: true` line with `done_reason` and the timings.
    func ollamaFinalLine(at now: UInt64) -> [UInt8] {
        var object: JSONObject = [
            "model": .string(model),
            "created_at": .string(Self.createdAt),
            "message": ollamaMessage(content: "", thinking: ""),
            "done_reason": .string(finishReason),
            "done": .bool(true),
        ]
        object.members += ollamaTimings(at: now)
        return Array((JSONValue.object(object).serialized() + "\n").utf8)
    }

    /// The non-streaming `/api/chat` body: the whole message and the timings.
    func ollamaFullResponse(at now: UInt64) -> JSONValue {
        let inline = reasoningFormat == .tags
        var object: JSONObject = [
            "model": .string(model),
            "created_at": .string(Self.createdAt),
            "message": ollamaMessage(
                content: inline ? (reasoningTokens + tokens).joined() : tokens.joined(),
                thinking: inline ? "" : reasoningTokens.joined()),
            "done_reason": .string(finishReason),
            "done": .bool(true),
        ]
        object.members += ollamaTimings(at: now)
        return .object(object)
    }
}

/// The `/api/tags` body: the profile's one model, shaped like Ollama's list.
enum MockOllamaTags {
    static func body(model: String) -> JSONValue {
        .object([
            "models": .array([
                .object([
                    "name": .string(model),
                    "model": .string(model),
                    "modified_at": .string("2025-01-01T00:00:00Z"),
                    "size": .int(1_117_322_768),
                    "digest": .string(String(repeating: "0", count: 64)),
                    "details": .object([
                        "format": .string("gguf"), "family": .string("qwen2"),
                        "parameter_size": .string("1.8B"), "quantization_level": .string("Q4_K_M"),
                    ]),
                ])
            ])
        ])
    }
}
