// Generated from RequestResult's CodingKeys: keys in sorted order, values formatted as JSONEncoder
// (.sortedKeys, .withoutEscapingSlashes) formats them, so lines are byte-identical to before.

extension RequestResult {
    /// Appends the record as one line of JSON (no newline), without JSONEncoder.
    func writeJSONLine(into b: inout [UInt8]) {
        b.append(UInt8(ascii: "{"))
        var first = true
        func key(_ name: StaticString, _ b: inout [UInt8]) {
            if !first { b.append(UInt8(ascii: ",")) }
            first = false
            b.append(UInt8(ascii: "\""))
            b.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            b.append(contentsOf: "\":".utf8)
        }
        key("answer", &b)
        ResultJSON.string(answer, &b)
        key("attempts", &b)
        ResultJSON.int(attempts, &b)
        if let value = buffered {
            key("buffered", &b)
            ResultJSON.bool(value, &b)
        }
        if let value = checks {
            key("checks", &b)
            ResultJSON.checks(value, &b)
        }
        key("chunks", &b)
        ResultJSON.int(chunks, &b)
        if let value = clientLagMs {
            key("client_lag_ms", &b)
            ResultJSON.double(value, &b)
        }
        if let value = coldStart {
            key("cold_start", &b)
            ResultJSON.bool(value, &b)
        }
        if let value = completionTokens {
            key("completion_tokens", &b)
            ResultJSON.int(value, &b)
        }
        if let value = connectMs {
            key("connect_ms", &b)
            ResultJSON.double(value, &b)
        }
        if let value = decodeTps {
            key("decode_tps", &b)
            ResultJSON.double(value, &b)
        }
        if let value = e2eFromScheduledMs {
            key("e2e_from_scheduled_ms", &b)
            ResultJSON.double(value, &b)
        }
        if let value = e2eMs {
            key("e2e_ms", &b)
            ResultJSON.double(value, &b)
        }
        if let value = e2eTps {
            key("e2e_tps", &b)
            ResultJSON.double(value, &b)
        }
        if let value = error {
            key("error", &b)
            ResultJSON.string(value, &b)
        }
        key("finish_reason", &b)
        ResultJSON.string(finishReason, &b)
        key("id", &b)
        ResultJSON.string(id, &b)
        key("index", &b)
        ResultJSON.int(index, &b)
        if let value = itlMaxMs {
            key("itl_max_ms", &b)
            ResultJSON.double(value, &b)
        }
        if let value = itlMeanMs {
            key("itl_mean_ms", &b)
            ResultJSON.double(value, &b)
        }
        key("itl_ms", &b)
        ResultJSON.doubles(itlMs, &b)
        if let value = lastTokenMs {
            key("last_token_ms", &b)
            ResultJSON.double(value, &b)
        }
        key("mode", &b)
        ResultJSON.string(mode.rawValue, &b)
        if let value = model {
            key("model", &b)
            ResultJSON.string(value, &b)
        }
        key("outcome", &b)
        ResultJSON.string(outcome.rawValue, &b)
        if let value = promptTokens {
            key("prompt_tokens", &b)
            ResultJSON.int(value, &b)
        }
        key("queue_ms", &b)
        ResultJSON.double(queueMs, &b)
        if let value = reasoning {
            key("reasoning", &b)
            ResultJSON.string(value, &b)
        }
        if let value = reasoningMs {
            key("reasoning_ms", &b)
            ResultJSON.double(value, &b)
        }
        if let value = reasoningTokenSource {
            key("reasoning_token_source", &b)
            ResultJSON.string(value.rawValue, &b)
        }
        if let value = reasoningTokens {
            key("reasoning_tokens", &b)
            ResultJSON.int(value, &b)
        }
        key("repetition", &b)
        ResultJSON.int(repetition, &b)
        if let value = responseId {
            key("response_id", &b)
            ResultJSON.string(value, &b)
        }
        key("retried_attempts", &b)
        ResultJSON.attempts(retriedAttempts, &b)
        key("reused_connection", &b)
        ResultJSON.bool(reusedConnection, &b)
        if let value = scheduledOffsetMs {
            key("scheduled_offset_ms", &b)
            ResultJSON.double(value, &b)
        }
        if let value = serverDecodeMs {
            key("server_decode_ms", &b)
            ResultJSON.double(value, &b)
        }
        if let value = serverDecodeTps {
            key("server_decode_tps", &b)
            ResultJSON.double(value, &b)
        }
        if let value = serverGapMs {
            key("server_gap_ms", &b)
            ResultJSON.double(value, &b)
        }
        if let value = serverLoadMs {
            key("server_load_ms", &b)
            ResultJSON.double(value, &b)
        }
        if let value = serverPrefillMs {
            key("server_prefill_ms", &b)
            ResultJSON.double(value, &b)
        }
        if let value = serverPrefillTps {
            key("server_prefill_tps", &b)
            ResultJSON.double(value, &b)
        }
        if let value = serverTotalMs {
            key("server_total_ms", &b)
            ResultJSON.double(value, &b)
        }
        key("start_offset_ms", &b)
        ResultJSON.double(startOffsetMs, &b)
        if let value = status {
            key("status", &b)
            ResultJSON.int(value, &b)
        }
        if let value = sweepLevel {
            key("sweep_level", &b)
            ResultJSON.string(value, &b)
        }
        if let value = temperature {
            key("temperature", &b)
            ResultJSON.double(value, &b)
        }
        key("text_chunks", &b)
        ResultJSON.int(textChunks, &b)
        if let value = tokenSource {
            key("token_source", &b)
            ResultJSON.string(value.rawValue, &b)
        }
        if let value = tokensPerChunk {
            key("tokens_per_chunk", &b)
            ResultJSON.double(value, &b)
        }
        if let value = tpotMs {
            key("tpot_ms", &b)
            ResultJSON.double(value, &b)
        }
        if let value = ttfbMs {
            key("ttfb_ms", &b)
            ResultJSON.double(value, &b)
        }
        if let value = ttfcMs {
            key("ttfc_ms", &b)
            ResultJSON.double(value, &b)
        }
        if let value = ttftFromScheduledMs {
            key("ttft_from_scheduled_ms", &b)
            ResultJSON.double(value, &b)
        }
        if let value = ttftMs {
            key("ttft_ms", &b)
            ResultJSON.double(value, &b)
        }
        if let value = warmup {
            key("warmup", &b)
            ResultJSON.bool(value, &b)
        }
        b.append(UInt8(ascii: "}"))
    }

    /// The record from one parsed line; the same checks as the synthesized Decodable init.
    init(jsonLine object: JSONObject) throws(ResultJSONError) {
        var r = RequestResult(id: "", index: 0, repetition: 0, mode: .stream)
        var seen: UInt64 = 0
        for member in object.members {
            guard let field = ResultJSON.fieldIndex[member.key] else { continue }
            let v = member.value
            seen |= 1 << UInt64(field)
            switch field {
            case 0:
                guard !v.isNull else { throw .valueNotFound("answer") }
                r.answer = try ResultJSON.string(v, "answer")
            case 1:
                guard !v.isNull else { throw .valueNotFound("attempts") }
                r.attempts = try ResultJSON.int(v, "attempts")
            case 2: r.buffered = v.isNull ? nil : try ResultJSON.bool(v, "buffered")
            case 3: r.checks = v.isNull ? nil : try ResultJSON.checks(v, "checks")
            case 4:
                guard !v.isNull else { throw .valueNotFound("chunks") }
                r.chunks = try ResultJSON.int(v, "chunks")
            case 5: r.clientLagMs = v.isNull ? nil : try ResultJSON.double(v, "client_lag_ms")
            case 6: r.coldStart = v.isNull ? nil : try ResultJSON.bool(v, "cold_start")
            case 7: r.completionTokens = v.isNull ? nil : try ResultJSON.int(v, "completion_tokens")
            case 8: r.connectMs = v.isNull ? nil : try ResultJSON.double(v, "connect_ms")
            case 9: r.decodeTps = v.isNull ? nil : try ResultJSON.double(v, "decode_tps")
            case 10: r.e2eFromScheduledMs = v.isNull ? nil : try ResultJSON.double(v, "e2e_from_scheduled_ms")
            case 11: r.e2eMs = v.isNull ? nil : try ResultJSON.double(v, "e2e_ms")
            case 12: r.e2eTps = v.isNull ? nil : try ResultJSON.double(v, "e2e_tps")
            case 13: r.error = v.isNull ? nil : try ResultJSON.string(v, "error")
            case 14:
                guard !v.isNull else { throw .valueNotFound("finish_reason") }
                r.finishReason = try ResultJSON.string(v, "finish_reason")
            case 15:
                guard !v.isNull else { throw .valueNotFound("id") }
                r.id = try ResultJSON.string(v, "id")
            case 16:
                guard !v.isNull else { throw .valueNotFound("index") }
                r.index = try ResultJSON.int(v, "index")
            case 17: r.itlMaxMs = v.isNull ? nil : try ResultJSON.double(v, "itl_max_ms")
            case 18: r.itlMeanMs = v.isNull ? nil : try ResultJSON.double(v, "itl_mean_ms")
            case 19:
                guard !v.isNull else { throw .valueNotFound("itl_ms") }
                r.itlMs = try ResultJSON.doubles(v, "itl_ms")
            case 20: r.lastTokenMs = v.isNull ? nil : try ResultJSON.double(v, "last_token_ms")
            case 21:
                guard !v.isNull else { throw .valueNotFound("mode") }
                r.mode = try ResultJSON.enumValue(v, "mode", RequestMode.self)
            case 22: r.model = v.isNull ? nil : try ResultJSON.string(v, "model")
            case 23:
                guard !v.isNull else { throw .valueNotFound("outcome") }
                r.outcome = try ResultJSON.enumValue(v, "outcome", Outcome.self)
            case 24: r.promptTokens = v.isNull ? nil : try ResultJSON.int(v, "prompt_tokens")
            case 25:
                guard !v.isNull else { throw .valueNotFound("queue_ms") }
                r.queueMs = try ResultJSON.double(v, "queue_ms")
            case 26: r.reasoning = v.isNull ? nil : try ResultJSON.string(v, "reasoning")
            case 27: r.reasoningMs = v.isNull ? nil : try ResultJSON.double(v, "reasoning_ms")
            case 28: r.reasoningTokenSource = v.isNull ? nil : try ResultJSON.enumValue(v, "reasoning_token_source", TokenSource.self)
            case 29: r.reasoningTokens = v.isNull ? nil : try ResultJSON.int(v, "reasoning_tokens")
            case 30:
                guard !v.isNull else { throw .valueNotFound("repetition") }
                r.repetition = try ResultJSON.int(v, "repetition")
            case 31: r.responseId = v.isNull ? nil : try ResultJSON.string(v, "response_id")
            case 32:
                guard !v.isNull else { throw .valueNotFound("retried_attempts") }
                r.retriedAttempts = try ResultJSON.attempts(v, "retried_attempts")
            case 33:
                guard !v.isNull else { throw .valueNotFound("reused_connection") }
                r.reusedConnection = try ResultJSON.bool(v, "reused_connection")
            case 34: r.scheduledOffsetMs = v.isNull ? nil : try ResultJSON.double(v, "scheduled_offset_ms")
            case 35: r.serverDecodeMs = v.isNull ? nil : try ResultJSON.double(v, "server_decode_ms")
            case 36: r.serverDecodeTps = v.isNull ? nil : try ResultJSON.double(v, "server_decode_tps")
            case 37: r.serverGapMs = v.isNull ? nil : try ResultJSON.double(v, "server_gap_ms")
            case 38: r.serverLoadMs = v.isNull ? nil : try ResultJSON.double(v, "server_load_ms")
            case 39: r.serverPrefillMs = v.isNull ? nil : try ResultJSON.double(v, "server_prefill_ms")
            case 40: r.serverPrefillTps = v.isNull ? nil : try ResultJSON.double(v, "server_prefill_tps")
            case 41: r.serverTotalMs = v.isNull ? nil : try ResultJSON.double(v, "server_total_ms")
            case 42:
                guard !v.isNull else { throw .valueNotFound("start_offset_ms") }
                r.startOffsetMs = try ResultJSON.double(v, "start_offset_ms")
            case 43: r.status = v.isNull ? nil : try ResultJSON.int(v, "status")
            case 44: r.sweepLevel = v.isNull ? nil : try ResultJSON.string(v, "sweep_level")
            case 45: r.temperature = v.isNull ? nil : try ResultJSON.double(v, "temperature")
            case 46:
                guard !v.isNull else { throw .valueNotFound("text_chunks") }
                r.textChunks = try ResultJSON.int(v, "text_chunks")
            case 47: r.tokenSource = v.isNull ? nil : try ResultJSON.enumValue(v, "token_source", TokenSource.self)
            case 48: r.tokensPerChunk = v.isNull ? nil : try ResultJSON.double(v, "tokens_per_chunk")
            case 49: r.tpotMs = v.isNull ? nil : try ResultJSON.double(v, "tpot_ms")
            case 50: r.ttfbMs = v.isNull ? nil : try ResultJSON.double(v, "ttfb_ms")
            case 51: r.ttfcMs = v.isNull ? nil : try ResultJSON.double(v, "ttfc_ms")
            case 52: r.ttftFromScheduledMs = v.isNull ? nil : try ResultJSON.double(v, "ttft_from_scheduled_ms")
            case 53: r.ttftMs = v.isNull ? nil : try ResultJSON.double(v, "ttft_ms")
            case 54: r.warmup = v.isNull ? nil : try ResultJSON.bool(v, "warmup")
            default: break
            }
        }
        let required: [(Int, String)] = [(0, "answer"), (1, "attempts"), (4, "chunks"), (14, "finish_reason"), (15, "id"), (16, "index"), (19, "itl_ms"), (21, "mode"), (23, "outcome"), (25, "queue_ms"), (30, "repetition"), (32, "retried_attempts"), (33, "reused_connection"), (42, "start_offset_ms"), (46, "text_chunks")]
        for (field, name) in required where seen & (1 << UInt64(field)) == 0 { throw .keyNotFound(name) }
        self = r
    }
}

extension ResultJSON {
    /// results.jsonl key -> position in the generated switch above.
    static let fieldIndex: [String: Int] = ["answer": 0, "attempts": 1, "buffered": 2, "checks": 3, "chunks": 4, "client_lag_ms": 5, "cold_start": 6, "completion_tokens": 7, "connect_ms": 8, "decode_tps": 9, "e2e_from_scheduled_ms": 10, "e2e_ms": 11, "e2e_tps": 12, "error": 13, "finish_reason": 14, "id": 15, "index": 16, "itl_max_ms": 17, "itl_mean_ms": 18, "itl_ms": 19, "last_token_ms": 20, "mode": 21, "model": 22, "outcome": 23, "prompt_tokens": 24, "queue_ms": 25, "reasoning": 26, "reasoning_ms": 27, "reasoning_token_source": 28, "reasoning_tokens": 29, "repetition": 30, "response_id": 31, "retried_attempts": 32, "reused_connection": 33, "scheduled_offset_ms": 34, "server_decode_ms": 35, "server_decode_tps": 36, "server_gap_ms": 37, "server_load_ms": 38, "server_prefill_ms": 39, "server_prefill_tps": 40, "server_total_ms": 41, "start_offset_ms": 42, "status": 43, "sweep_level": 44, "temperature": 45, "text_chunks": 46, "token_source": 47, "tokens_per_chunk": 48, "tpot_ms": 49, "ttfb_ms": 50, "ttfc_ms": 51, "ttft_from_scheduled_ms": 52, "ttft_ms": 53, "warmup": 54]
}

extension RequestResult {
    /// False when some measurement is NaN or infinite, which JSON cannot carry.
    var allDoublesFinite: Bool {
        startOffsetMs.isFinite
            && queueMs.isFinite
            && (connectMs?.isFinite ?? true)
            && (ttfbMs?.isFinite ?? true)
            && (ttftMs?.isFinite ?? true)
            && (lastTokenMs?.isFinite ?? true)
            && (e2eMs?.isFinite ?? true)
            && (tpotMs?.isFinite ?? true)
            && (itlMeanMs?.isFinite ?? true)
            && (itlMaxMs?.isFinite ?? true)
            && (decodeTps?.isFinite ?? true)
            && (e2eTps?.isFinite ?? true)
            && (temperature?.isFinite ?? true)
            && (scheduledOffsetMs?.isFinite ?? true)
            && (ttftFromScheduledMs?.isFinite ?? true)
            && (e2eFromScheduledMs?.isFinite ?? true)
            && (clientLagMs?.isFinite ?? true)
            && (ttfcMs?.isFinite ?? true)
            && (reasoningMs?.isFinite ?? true)
            && (tokensPerChunk?.isFinite ?? true)
            && (serverTotalMs?.isFinite ?? true)
            && (serverLoadMs?.isFinite ?? true)
            && (serverPrefillMs?.isFinite ?? true)
            && (serverDecodeMs?.isFinite ?? true)
            && (serverPrefillTps?.isFinite ?? true)
            && (serverDecodeTps?.isFinite ?? true)
            && (serverGapMs?.isFinite ?? true)
            && itlMs.allSatisfy(\.isFinite)
    }
}
