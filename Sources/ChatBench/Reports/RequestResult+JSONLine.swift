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
            try r.assign(field: field, member.value, seen: &seen)
        }
        try Self.checkRequired(seen)
        self = r
    }

    /// Sets the field at `field` (its position in `ResultJSON.fieldKeys`) from one member's value,
    /// wherever the value came from: a parsed tree, or the scanner's fast path.
    mutating func assign<V: ResultFieldValue>(field: Int, _ v: V, seen: inout UInt64) throws(ResultJSONError) {
        seen |= 1 << UInt64(field)
        switch field {
        case 0:
            guard !v.isNull else { throw .valueNotFound("answer") }
            self.answer = try v.string("answer")
        case 1:
            guard !v.isNull else { throw .valueNotFound("attempts") }
            self.attempts = try v.int("attempts")
        case 2: self.buffered = v.isNull ? nil : try v.bool("buffered")
        case 3: self.checks = v.isNull ? nil : try v.checks("checks")
        case 4:
            guard !v.isNull else { throw .valueNotFound("chunks") }
            self.chunks = try v.int("chunks")
        case 5: self.clientLagMs = v.isNull ? nil : try v.double("client_lag_ms")
        case 6: self.coldStart = v.isNull ? nil : try v.bool("cold_start")
        case 7: self.completionTokens = v.isNull ? nil : try v.int("completion_tokens")
        case 8: self.connectMs = v.isNull ? nil : try v.double("connect_ms")
        case 9: self.decodeTps = v.isNull ? nil : try v.double("decode_tps")
        case 10: self.e2eFromScheduledMs = v.isNull ? nil : try v.double("e2e_from_scheduled_ms")
        case 11: self.e2eMs = v.isNull ? nil : try v.double("e2e_ms")
        case 12: self.e2eTps = v.isNull ? nil : try v.double("e2e_tps")
        case 13: self.error = v.isNull ? nil : try v.string("error")
        case 14:
            guard !v.isNull else { throw .valueNotFound("finish_reason") }
            self.finishReason = try v.string("finish_reason")
        case 15:
            guard !v.isNull else { throw .valueNotFound("id") }
            self.id = try v.string("id")
        case 16:
            guard !v.isNull else { throw .valueNotFound("index") }
            self.index = try v.int("index")
        case 17: self.itlMaxMs = v.isNull ? nil : try v.double("itl_max_ms")
        case 18: self.itlMeanMs = v.isNull ? nil : try v.double("itl_mean_ms")
        case 19:
            guard !v.isNull else { throw .valueNotFound("itl_ms") }
            self.itlMs = try v.doubles("itl_ms")
        case 20: self.lastTokenMs = v.isNull ? nil : try v.double("last_token_ms")
        case 21:
            guard !v.isNull else { throw .valueNotFound("mode") }
            self.mode = try v.enumValue("mode", RequestMode.self)
        case 22: self.model = v.isNull ? nil : try v.string("model")
        case 23:
            guard !v.isNull else { throw .valueNotFound("outcome") }
            self.outcome = try v.enumValue("outcome", Outcome.self)
        case 24: self.promptTokens = v.isNull ? nil : try v.int("prompt_tokens")
        case 25:
            guard !v.isNull else { throw .valueNotFound("queue_ms") }
            self.queueMs = try v.double("queue_ms")
        case 26: self.reasoning = v.isNull ? nil : try v.string("reasoning")
        case 27: self.reasoningMs = v.isNull ? nil : try v.double("reasoning_ms")
        case 28: self.reasoningTokenSource = v.isNull ? nil : try v.enumValue("reasoning_token_source", TokenSource.self)
        case 29: self.reasoningTokens = v.isNull ? nil : try v.int("reasoning_tokens")
        case 30:
            guard !v.isNull else { throw .valueNotFound("repetition") }
            self.repetition = try v.int("repetition")
        case 31: self.responseId = v.isNull ? nil : try v.string("response_id")
        case 32:
            guard !v.isNull else { throw .valueNotFound("retried_attempts") }
            self.retriedAttempts = try v.attempts("retried_attempts")
        case 33:
            guard !v.isNull else { throw .valueNotFound("reused_connection") }
            self.reusedConnection = try v.bool("reused_connection")
        case 34: self.scheduledOffsetMs = v.isNull ? nil : try v.double("scheduled_offset_ms")
        case 35: self.serverDecodeMs = v.isNull ? nil : try v.double("server_decode_ms")
        case 36: self.serverDecodeTps = v.isNull ? nil : try v.double("server_decode_tps")
        case 37: self.serverGapMs = v.isNull ? nil : try v.double("server_gap_ms")
        case 38: self.serverLoadMs = v.isNull ? nil : try v.double("server_load_ms")
        case 39: self.serverPrefillMs = v.isNull ? nil : try v.double("server_prefill_ms")
        case 40: self.serverPrefillTps = v.isNull ? nil : try v.double("server_prefill_tps")
        case 41: self.serverTotalMs = v.isNull ? nil : try v.double("server_total_ms")
        case 42:
            guard !v.isNull else { throw .valueNotFound("start_offset_ms") }
            self.startOffsetMs = try v.double("start_offset_ms")
        case 43: self.status = v.isNull ? nil : try v.int("status")
        case 44: self.sweepLevel = v.isNull ? nil : try v.string("sweep_level")
        case 45: self.temperature = v.isNull ? nil : try v.double("temperature")
        case 46:
            guard !v.isNull else { throw .valueNotFound("text_chunks") }
            self.textChunks = try v.int("text_chunks")
        case 47: self.tokenSource = v.isNull ? nil : try v.enumValue("token_source", TokenSource.self)
        case 48: self.tokensPerChunk = v.isNull ? nil : try v.double("tokens_per_chunk")
        case 49: self.tpotMs = v.isNull ? nil : try v.double("tpot_ms")
        case 50: self.ttfbMs = v.isNull ? nil : try v.double("ttfb_ms")
        case 51: self.ttfcMs = v.isNull ? nil : try v.double("ttfc_ms")
        case 52: self.ttftFromScheduledMs = v.isNull ? nil : try v.double("ttft_from_scheduled_ms")
        case 53: self.ttftMs = v.isNull ? nil : try v.double("ttft_ms")
        case 54: self.warmup = v.isNull ? nil : try v.bool("warmup")
        default: break
        }
    }

    static func checkRequired(_ seen: UInt64) throws(ResultJSONError) {
        let required: [(Int, String)] = [(0, "answer"), (1, "attempts"), (4, "chunks"), (14, "finish_reason"), (15, "id"), (16, "index"), (19, "itl_ms"), (21, "mode"), (23, "outcome"), (25, "queue_ms"), (30, "repetition"), (32, "retried_attempts"), (33, "reused_connection"), (42, "start_offset_ms"), (46, "text_chunks")]
        for (field, name) in required where seen & (1 << UInt64(field)) == 0 { throw .keyNotFound(name) }
    }
}

extension ResultJSON {
    /// results.jsonl key -> position in the generated switch above.
    static let fieldIndex: [String: Int] = Dictionary(uniqueKeysWithValues: fieldKeys.enumerated().map { ($1, $0) })

    /// The keys in the order of the switch above, which is also the sorted order lines are written in.
    static let fieldKeys: [String] = ["answer", "attempts", "buffered", "checks", "chunks", "client_lag_ms", "cold_start", "completion_tokens", "connect_ms", "decode_tps", "e2e_from_scheduled_ms", "e2e_ms", "e2e_tps", "error", "finish_reason", "id", "index", "itl_max_ms", "itl_mean_ms", "itl_ms", "last_token_ms", "mode", "model", "outcome", "prompt_tokens", "queue_ms", "reasoning", "reasoning_ms", "reasoning_token_source", "reasoning_tokens", "repetition", "response_id", "retried_attempts", "reused_connection", "scheduled_offset_ms", "server_decode_ms", "server_decode_tps", "server_gap_ms", "server_load_ms", "server_prefill_ms", "server_prefill_tps", "server_total_ms", "start_offset_ms", "status", "sweep_level", "temperature", "text_chunks", "token_source", "tokens_per_chunk", "tpot_ms", "ttfb_ms", "ttfc_ms", "ttft_from_scheduled_ms", "ttft_ms", "warmup"]
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
