/// Turns one OpenAI chat-completions response, as its bytes arrive, into timings and content:
/// SSE events for streaming, one JSON body otherwise. Runs on the transport's I/O thread, so
/// every timestamp is the moment the bytes were read.
public struct ChatResponseRecorder: ResponseRecorder {
    public let streaming: Bool
    public private(set) var head: HTTPResponseHead?
    public private(set) var headAt: UInt64?
    public private(set) var doneAt: UInt64?
    public private(set) var endAt: UInt64?
    public private(set) var chunks = 0
    /// Token arrivals, split into reasoning (`reasoning_content`, `reasoning`, `<think>` tags) and answer.
    public private(set) var timeline = TokenTimeline()
    // firstTokenAt, lastTokenAt, gaps, textChunks, answer and reasoning come from the timeline
    // (CompletionRecording), shared with the Ollama recorder.
    /// True when the content ended inside `<think>` (non-streaming: set from the whole body).
    public private(set) var endedInsideThink = false
    public private(set) var finishReason: String?
    /// The server's id for the completion (`chatcmpl-...`), from the first chunk or the body.
    public private(set) var responseID: String?
    public private(set) var promptTokens: Int?
    public private(set) var completionTokens: Int?
    /// `usage.completion_tokens_details.reasoning_tokens`, when the server reports it.
    public private(set) var reasoningTokens: Int?
    public private(set) var failure: TransportFailure?
    public private(set) var wantsToStop = false

    private var decoder = SSEDecoder()
    /// Non-streaming bodies, and error bodies, collected whole (bounded).
    private var body = ResponseBody()

    public init(streaming: Bool) {
        self.streaming = streaming
    }

    public var status: Int? { head?.status }
    private var isSuccess: Bool { (head?.status ?? 0) / 100 == 2 }

    public var isFinished: Bool { doneAt != nil }

    public var hasFirstToken: Bool {
        streaming && isSuccess ? firstTokenAt != nil : head != nil
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
        // Move the decoder out while it calls back into self (exclusive access), without a
        // copy-on-write of its buffers; events are read in place, without an array each.
        var active = SSEDecoder.placeholder
        swap(&active, &decoder)
        do {
            try active.feedBorrowing(bytes) { name, data in handle(name: name, data: data, at: time) }
        } catch {
            fail(.protocolError, "\(error)")
        }
        swap(&active, &decoder)
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
                if let pending = decoder.finish() {
                    handle(pending, at: time)
                    if let cut = failure, cut.outcome == .protocolError {
                        failure = TransportFailure(.protocolError, "stream ended inside an event (after \(chunks) whole events, no [DONE]): \(cut.detail)")
                    }
                }
                timeline.finish()
                endedInsideThink = timeline.endedInsideThink
                if failure == nil && doneAt == nil && finishReason == nil {
                    let type = head?.header("Content-Type") ?? "none"
                    let what = chunks == 0 && !type.lowercased().contains("event-stream")
                        ? "expected an event stream but got Content-Type \(type)"
                        : "stream ended without data: [DONE] after \(chunks) events"
                    failure = TransportFailure(.protocolError, what)
                }
            } else {
                decodeWholeBody()
            }
        }
    }

    // MARK: streaming

    /// An event read in place: the usual ones (`[DONE]`, ordinary chunks) without copying it.
    private mutating func handle(name: UnsafeRawBufferPointer?, data: UnsafeRawBufferPointer, at time: UInt64) {
        guard !wantsToStop else { return }
        if name == nil {
            if SSEEvent.isDone(data) {
                if doneAt == nil { doneAt = time }
                return
            }
            if let fields = ChatChunkScanner.scan(data) {
                handle(fields, data: data, at: time)
                return
            }
        }
        handle(SSEEvent(name: name.map { String(decoding: $0, as: UTF8.self) }, data: [UInt8](data)), at: time)
    }

    private mutating func handle(_ event: SSEEvent, at time: UInt64) {
        guard !wantsToStop else { return }
        if event.isDone {
            if doneAt == nil { doneAt = time }
            return
        }
        if event.name == nil, event.data.withUnsafeBytes({ data in
            guard let fields = ChatChunkScanner.scan(data) else { return false }
            handle(fields, data: data, at: time)
            return true
        }) {
            return
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(event.data)
        } catch {
            if event.name == "error" {
                fail(.httpError, "error event in the stream after \(chunks) chunks: \(event.text.prefix(300))")
                return
            }
            fail(.protocolError, "malformed JSON in stream event \(chunks + 1): \(error.message); data: \(event.text.prefix(200).debugDescription)")
            return
        }
        if event.name == "error" || json["error"] != nil {
            fail(.httpError, "error event in the stream after \(chunks) chunks: \(Self.errorMessage(json) ?? event.text)")
            return
        }
        chunks += 1
        if responseID == nil { responseID = json["id"]?.stringValue }
        if let usage = json["usage"], !usage.isNull { readUsage(usage) }
        guard let choice = json["choices"]?.arrayValue?.first else { return }
        if let reason = choice["finish_reason"]?.stringValue { finishReason = reason }
        guard let delta = choice["delta"] else { return }
        timeline.receive(content: delta["content"]?.stringValue, reasoning: Self.reasoningText(delta), at: time)
        if !Self.isValidUTF8(event.data) {
            fail(.protocolError, "invalid UTF-8 in stream event \(chunks) (the text is kept with U+FFFD in place of the bad bytes)")
        }
    }

    /// An ordinary chunk, read without building a JSON tree (ChatChunkScanner.swift); the same
    /// steps as the tree path below.
    private mutating func handle(_ fields: ChatChunkFields, data: UnsafeRawBufferPointer, at time: UInt64) {
        chunks += 1
        if responseID == nil { responseID = fields.id }
        if let reason = fields.finishReason { finishReason = reason }
        guard fields.hasDelta else { return }
        var thought: String?
        if let text = fields.reasoningContent, !text.isEmpty {
            thought = text
        } else if let text = fields.reasoning, !text.isEmpty {
            thought = text
        }
        timeline.receive(content: fields.content, reasoning: thought, at: time)
        // Bytes above 0x7F can only sit inside strings, which the scanner noted.
        if fields.nonASCII && String(validating: data.assumingMemoryBound(to: UInt8.self), as: UTF8.self) == nil {
            fail(.protocolError, "invalid UTF-8 in stream event \(chunks) (the text is kept with U+FFFD in place of the bad bytes)")
        }
    }

    /// JSON must be UTF-8 (RFC 8259); the parser replaces bad bytes, so a server sending them
    /// would otherwise pass for a good one.
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        guard bytes.contains(where: { $0 >= 0x80 }) else { return true }
        return String(validating: bytes, as: UTF8.self) != nil
    }

    private mutating func readUsage(_ usage: JSONValue) {
        if let prompt = usage["prompt_tokens"]?.intValue { promptTokens = prompt }
        if let completion = usage["completion_tokens"]?.intValue { completionTokens = completion }
        if let thinking = usage["completion_tokens_details"]?["reasoning_tokens"]?.intValue { reasoningTokens = thinking }
    }

    // MARK: non-streaming

    private mutating func decodeWholeBody() {
        // The usual response is read by the byte scanner (no JSONValue tree); anything it does
        // not handle exactly (errors, escaped keys, malformed JSON) takes the path below.
        if let fields = body.bytes.withUnsafeBytes({ ChatChunkScanner.scanWholeResponse($0) }) {
            decodeWholeBody(fields)
            return
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(body.bytes)
        } catch {
            let type = head?.header("Content-Type") ?? "none"
            fail(.protocolError, "response is not JSON (Content-Type \(type)): \(error.message); body: \(body.excerpt())")
            return
        }
        if json["error"] != nil {
            fail(.httpError, "error in the response body: \(Self.errorMessage(json) ?? "")")
            return
        }
        chunks = 1
        responseID = json["id"]?.stringValue
        if let usage = json["usage"], !usage.isNull { readUsage(usage) }
        guard let choice = json["choices"]?.arrayValue?.first else {
            fail(.protocolError, "response has no choices: \(body.excerpt())")
            return
        }
        finishReason = choice["finish_reason"]?.stringValue
        if let message = choice["message"] {
            let thought = Self.reasoningText(message) ?? ""
            let split = TokenTimeline.split(content: message["content"]?.stringValue ?? "", reasoning: thought)
            timeline = TokenTimeline(answer: split.answer, reasoning: split.reasoning)
            endedInsideThink = split.endedInsideThink
        }
        if !Self.isValidUTF8(body.bytes) {
            fail(.protocolError, "invalid UTF-8 in the response body (the text is kept with U+FFFD in place of the bad bytes)")
        }
    }

    /// The steps of the tree path below, from the scanner's fields.
    private mutating func decodeWholeBody(_ fields: ChatChunkFields) {
        chunks = 1
        responseID = fields.id
        if let prompt = fields.promptTokens { promptTokens = prompt }
        if let completion = fields.completionTokens { completionTokens = completion }
        if let thinking = fields.reasoningTokens { reasoningTokens = thinking }
        guard fields.hasChoice else {
            fail(.protocolError, "response has no choices: \(body.excerpt())")
            return
        }
        finishReason = fields.finishReason
        if fields.hasMessage {
            var thought = ""
            if let text = fields.reasoningContent, !text.isEmpty {
                thought = text
            } else if let text = fields.reasoning, !text.isEmpty {
                thought = text
            }
            let split = TokenTimeline.split(content: fields.content ?? "", reasoning: thought)
            timeline = TokenTimeline(answer: split.answer, reasoning: split.reasoning)
            endedInsideThink = split.endedInsideThink
        }
        if fields.nonASCII && !Self.isValidUTF8(body.bytes) {
            fail(.protocolError, "invalid UTF-8 in the response body (the text is kept with U+FFFD in place of the bad bytes)")
        }
    }

    /// `reasoning_content` or `reasoning`, whichever has text: some servers send both with the
    /// same text during their rename, which must not count twice.
    static func reasoningText(_ object: JSONValue) -> String? {
        for key in ["reasoning_content", "reasoning"] {
            if let text = object[key]?.stringValue, !text.isEmpty { return text }
        }
        return nil
    }

    // MARK: errors

    private mutating func fail(_ outcome: Outcome, _ detail: String) {
        if failure == nil { failure = TransportFailure(outcome, detail) }
        wantsToStop = true
    }

    private func httpErrorDetail() -> String {
        body.httpErrorDetail(head: head).detail
    }

    /// The human message in OpenAI (`{"error": {"message": ...}}`) and Ollama (`{"error": "..."}`) error bodies.
    static func errorMessage(_ json: JSONValue) -> String? {
        if let text = json["error"]?.stringValue { return text }
        if let message = json["error"]?["message"]?.stringValue { return message }
        if let message = json["message"]?.stringValue { return message }
        if let detail = json["detail"]?.stringValue { return detail }
        return nil
    }
}
