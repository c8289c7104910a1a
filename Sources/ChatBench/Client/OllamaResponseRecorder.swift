/// Turns one Ollama native `/api/chat` response, as its bytes arrive, into timings and content:
/// NDJSON objects for streaming, one JSON object otherwise. Reads Ollama's own timings from the
/// final object (`done: true`). Runs on the transport's I/O thread, like `ChatResponseRecorder`.
public struct OllamaResponseRecorder: CompletionRecording {
    public let streaming: Bool
    public private(set) var head: HTTPResponseHead?
    public private(set) var headAt: UInt64?
    public private(set) var doneAt: UInt64?
    public private(set) var endAt: UInt64?
    /// Ollama's native API has no completion id.
    public var responseID: String? { nil }
    /// JSON objects received.
    public private(set) var chunks = 0
    /// Token arrivals: `message.thinking` (and `<think>` tags in `message.content`) as reasoning.
    public private(set) var timeline = TokenTimeline()
    public private(set) var endedInsideThink = false
    public private(set) var finishReason: String?
    public private(set) var promptTokens: Int?
    public private(set) var completionTokens: Int?
    /// Ollama reports no separate count of thinking tokens; reasoning chunks are counted instead.
    public var reasoningTokens: Int? { nil }
    public private(set) var serverTimings: OllamaServerTimings?
    public private(set) var failure: TransportFailure?
    public private(set) var wantsToStop = false

    private var decoder = NDJSONDecoder()
    private var body = ResponseBody()

    public init(streaming: Bool) {
        self.streaming = streaming
    }

    public var status: Int? { head?.status }
    private var isSuccess: Bool { (head?.status ?? 0) / 100 == 2 }

    public var hasFirstToken: Bool {
        streaming && isSuccess ? timeline.firstTokenAt != nil : head != nil
    }

    public mutating func receiveHead(_ head: HTTPResponseHead, at time: UInt64) {
        self.head = head
        headAt = time
    }

    public mutating func receiveBody(_ bytes: UnsafeRawBufferPointer, at time: UInt64) {
        guard !wantsToStop else { return }
        if !isSuccess {
            body.appendError(bytes)
            return
        }
        if !streaming {
            if !body.append(bytes) { fail(.protocolError, ResponseBody.tooLarge) }
            return
        }
        // Moved out while it calls back into self (exclusive access), as in ChatResponseRecorder.
        var active = decoder
        decoder = NDJSONDecoder()
        do {
            try active.feed(bytes) { line in handle(line, at: time) }
        } catch {
            fail(.protocolError, "\(error)")
        }
        decoder = active
    }

    public mutating func receiveEnd(_ end: TransportEnd, at time: UInt64) {
        endAt = time
        switch end {
        case .failed(let transportFailure):
            if failure == nil { failure = transportFailure }
        case .stoppedByRecorder:
            break
        case .complete:
            guard failure == nil else { return }
            if !isSuccess {
                failure = TransportFailure(.httpError, httpErrorDetail())
            } else if streaming {
                var active = decoder
                decoder = NDJSONDecoder()
                try? active.finish { line in handle(line, at: time) }
                timeline.finish()
                endedInsideThink = timeline.endedInsideThink
                if failure == nil && doneAt == nil {
                    let type = head?.header("Content-Type") ?? "none"
                    let what = chunks == 0 && !type.lowercased().contains("json")
                        ? "expected an NDJSON stream from /api/chat but got Content-Type \(type) — is this an Ollama server? (--api openai for OpenAI-compatible servers)"
                        : "stream ended without a final \"done\": true object after \(chunks) objects"
                    failure = TransportFailure(.protocolError, what)
                }
            } else {
                decodeWholeBody()
            }
        }
    }

    // MARK: streaming

    private mutating func handle(_ line: UnsafeRawBufferPointer, at time: UInt64) {
        guard !wantsToStop else { return }
        let json: JSONValue
        do {
            json = try JSONParser.parse(line)
        } catch {
            fail(.protocolError, "malformed JSON in stream line \(chunks + 1): \(error.message); line: \(String(decoding: line.prefix(200), as: UTF8.self).debugDescription)")
            return
        }
        if json["error"] != nil {
            fail(.httpError, "error in the stream after \(chunks) objects: \(ChatResponseRecorder.errorMessage(json) ?? "")")
            return
        }
        chunks += 1
        if let message = json["message"] {
            timeline.receive(content: message["content"]?.stringValue, reasoning: message["thinking"]?.stringValue, at: time)
        }
        if json["done"]?.boolValue == true {
            if doneAt == nil { doneAt = time }
            readFinal(json)
        }
    }

    private mutating func readFinal(_ json: JSONValue) {
        finishReason = json["done_reason"]?.stringValue ?? finishReason ?? "stop"
        serverTimings = OllamaServerTimings(json)
        if let prompt = json["prompt_eval_count"]?.intValue { promptTokens = prompt }
        if let completion = json["eval_count"]?.intValue { completionTokens = completion }
    }

    // MARK: non-streaming

    private mutating func decodeWholeBody() {
        let json: JSONValue
        do {
            json = try JSONParser.parse(body.bytes)
        } catch {
            let type = head?.header("Content-Type") ?? "none"
            fail(.protocolError, "response is not JSON (Content-Type \(type)): \(error.message); body: \(body.excerpt())")
            return
        }
        if json["error"] != nil {
            fail(.httpError, "error in the response body: \(ChatResponseRecorder.errorMessage(json) ?? "")")
            return
        }
        guard let message = json["message"] else {
            fail(.protocolError, "response has no message: \(body.excerpt())")
            return
        }
        chunks = 1
        let split = TokenTimeline.split(content: message["content"]?.stringValue ?? "", reasoning: message["thinking"]?.stringValue ?? "")
        timeline = TokenTimeline(answer: split.answer, reasoning: split.reasoning)
        endedInsideThink = split.endedInsideThink
        readFinal(json)
    }

    // MARK: errors

    private mutating func fail(_ outcome: Outcome, _ detail: String) {
        if failure == nil { failure = TransportFailure(outcome, detail) }
        wantsToStop = true
    }

    private func httpErrorDetail() -> String {
        var (detail, messageFound) = body.httpErrorDetail(head: head)
        if !messageFound && head?.status == 404 { detail += " — is this an Ollama server? (--api ollama needs Ollama's native /api/chat)" }
        return detail
    }
}
