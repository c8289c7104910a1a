/// What every request of a run shares: model and sampling defaults (a prompt line's own
/// fields win), headers, credentials, and deadlines.
public struct ChatRequestDefaults: Sendable {
    public var model: String?
    public var maxTokens: Int?
    public var temperature: Double?
    public var seed: Int?
    /// Extra headers from `--header`.
    public var headers: [(name: String, value: String)]
    /// Sent as `Authorization: Bearer`; never written to any output.
    public var apiKey: String?
    /// `--connect-timeout`, `--first-token-timeout`, `--idle-timeout`, `--timeout`, in nanoseconds.
    public var deadlines: Deadlines
    /// `--api`: the wire protocol.
    public var api: ChatAPI = .openai
    /// `--think` (Ollama): sent as `think` when a prompt line does not set it.
    public var think: JSONValue?
    /// `--keep-alive` (Ollama): sent as `keep_alive` when a prompt line does not set it.
    public var keepAlive: String?
    /// `--retries`: which failures are sent again, and the wait before each retry.
    public var retry = RetryPolicy.none

    public init(
        model: String? = nil, maxTokens: Int? = nil, temperature: Double? = nil, seed: Int? = nil,
        headers: [(name: String, value: String)] = [], apiKey: String? = nil,
        deadlines: Deadlines = Deadlines(
            connect: Deadlines.seconds(10), firstToken: Deadlines.seconds(300), idle: Deadlines.seconds(60),
            total: Deadlines.seconds(600))
    ) {
        self.model = model
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.seed = seed
        self.headers = headers
        self.apiKey = apiKey
        self.deadlines = deadlines
    }
}

/// One request in, one `RequestResult` out. Never throws: a server's fault is a result row.
public struct ChatClient: Sendable {
    public let transport: any HTTPTransport
    public let endpoint: Endpoint
    public let defaults: ChatRequestDefaults

    public init(transport: any HTTPTransport, endpoint: Endpoint, defaults: ChatRequestDefaults) {
        self.transport = transport
        self.endpoint = endpoint
        self.defaults = defaults
    }

    /// The request body chatbench sends for a prompt: the line's fields, then the run's
    /// defaults for whatever the line leaves out, and the mode's `stream` settings.
    public func body(for prompt: Prompt, mode: RequestMode) -> JSONObject {
        var body = prompt.body
        if body["model"] == nil, let model = defaults.model { body["model"] = .string(model) }
        if body["max_tokens"] == nil && body["max_completion_tokens"] == nil, let maxTokens = defaults.maxTokens {
            body["max_tokens"] = .int(maxTokens)
        }
        if body["temperature"] == nil, let temperature = defaults.temperature { body["temperature"] = .double(temperature) }
        if body["seed"] == nil, let seed = defaults.seed { body["seed"] = .int(seed) }
        body["stream"] = .bool(mode == .stream)
        if mode == .stream {
            // Ask for the server's own token count; servers that ignore this leave us counting chunks.
            var options = body["stream_options"]?.objectValue ?? JSONObject()
            options["include_usage"] = .bool(true)
            body["stream_options"] = .object(options)
        } else {
            body["stream_options"] = nil
        }
        return body
    }

    public func request(for prompt: Prompt, mode: RequestMode) -> HTTPRequest {
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"),
            ("Accept", mode == .stream ? (defaults.api == .ollama ? "application/x-ndjson" : "text/event-stream") : "application/json"),
            // Compression would make a proxy or server batch events; time must reflect tokens.
            ("Accept-Encoding", "identity"),
            ("User-Agent", "chatbench/\(ChatBenchVersion.current)"),
        ]
        if let key = defaults.apiKey, !key.isEmpty { headers.append(("Authorization", "Bearer \(key)")) }
        headers += defaults.headers
        var bytes: [UInt8] = []
        JSONValue.object(wireBody(for: prompt, mode: mode)).write(into: &bytes)
        return HTTPRequest(method: "POST", path: chatPath, headers: headers, body: bytes)
    }

    /// Sends one prompt once and measures it (`send` adds the retries), with the server's
    /// `Retry-After` if it sent one.
    func attempt(_ prompt: Prompt, mode: RequestMode, index: Int, repetition: Int, scheduled: UInt64, runStart: UInt64) async -> (RequestResult, retryAfter: String?) {
        var deadlines = defaults.deadlines
        if mode == .nonStream { deadlines.firstToken = nil }
        let request = request(for: prompt, mode: mode)
        var result = RequestResult(id: prompt.id, index: index, repetition: repetition, mode: mode)
        result.model = prompt.body["model"]?.stringValue ?? defaults.model
        let retryAfter: String?
        if defaults.api == .ollama {
            let (recorder, timings) = await transport.execute(
                request, deadlines: deadlines, recorder: OllamaResponseRecorder(streaming: mode == .stream))
            result.record(recorder, timings: timings, scheduled: scheduled, runStart: runStart)
            retryAfter = recorder.head?.header("Retry-After")
        } else {
            let (recorder, timings) = await transport.execute(
                request, deadlines: deadlines, recorder: ChatResponseRecorder(streaming: mode == .stream))
            result.record(recorder, timings: timings, scheduled: scheduled, runStart: runStart)
            retryAfter = recorder.head?.header("Retry-After")
        }
        result.error = result.error.map(SecretRedactor(defaults: defaults).redact)
        result.temperature = prompt.body["temperature"]?.doubleValue ?? defaults.temperature
        result.checks = Assertion.checks(for: prompt, result: result)
        return (result, retryAfter)
    }
}

extension RequestResult {
    /// Fills the metrics from what the recorder saw, following the DESIGN metric table.
    mutating func record(_ recorder: some CompletionRecording, timings: TransportTimings, scheduled: UInt64, runStart: UInt64) {
        let start = timings.start
        func ms(_ t: UInt64?) -> Double? { t.map { MonotonicClock.milliseconds(from: start, to: $0) } }
        startOffsetMs = MonotonicClock.milliseconds(from: runStart, to: start)
        queueMs = max(0, MonotonicClock.milliseconds(from: scheduled, to: start))
        reusedConnection = timings.reusedConnection
        connectMs = timings.reusedConnection ? 0 : ms(timings.connected)
        ttfbMs = ms(recorder.headAt)
        status = recorder.status
        answer = recorder.answer
        chunks = recorder.chunks
        textChunks = recorder.textChunks
        finishReason = recorder.finishReason ?? "missing"
        responseId = recorder.responseID
        promptTokens = recorder.promptTokens
        if let failure = recorder.failure {
            outcome = failure.outcome
            error = failure.detail
        } else {
            outcome = .ok
        }
        if timings.retriedStaleConnection {
            let note = "retried once on a new connection: the kept-alive one had been closed by the server"
            error = error.map { "\($0); \(note)" } ?? note
        }
        if recorder.streaming {
            ttftMs = ms(recorder.firstTokenAt)
            lastTokenMs = ms(recorder.lastTokenAt)
            e2eMs = ms(recorder.doneAt ?? recorder.endAt)
            itlMs = recorder.gaps.map { Double($0) / 1_000_000 }
            if !itlMs.isEmpty {
                itlMeanMs = itlMs.reduce(0, +) / Double(itlMs.count)
                itlMaxMs = itlMs.max()
            }
        } else {
            e2eMs = ms(recorder.endAt)
        }
        if let count = recorder.completionTokens {
            completionTokens = count
            tokenSource = .usage
        } else if recorder.streaming && (outcome == .ok || recorder.textChunks > 0) {
            completionTokens = recorder.textChunks
            tokenSource = .chunks
        }
        if let tokens = completionTokens {
            if tokens >= 2, let first = ttftMs, let last = lastTokenMs, last > first {
                tpotMs = (last - first) / Double(tokens - 1)
                decodeTps = Double(tokens - 1) / (last - first) * 1000
            }
            if let e2e = e2eMs, e2e > 0, outcome == .ok { e2eTps = Double(tokens) / e2e * 1000 }
        }
        recordReasoningAndServerTimings(recorder, start: start)
    }
}
