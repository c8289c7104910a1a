import Testing
@testable import ChatBench

/// Non-streaming responses read by the byte scanner must give what the JSONValue path gives,
/// or be handed back to it.
@Suite struct WholeResponseScannerTests {
    func scan(_ text: String) -> ChatChunkFields? {
        Array(text.utf8).withUnsafeBytes { ChatChunkScanner.scanWholeResponse($0) }
    }

    struct Read: Equatable {
        var id, finish, content, reasoningContent, reasoning: String?
        var hasChoice, hasMessage: Bool
        var promptTokens, completionTokens, reasoningTokens: Int?
    }

    /// What `decodeWholeBody`'s tree path reads from the same document.
    func tree(_ text: String) -> Read {
        let json = try! JSONParser.parse(text)
        let choice = json["choices"]?.arrayValue?.first
        let message = choice?["message"]
        let usage = json["usage"].flatMap { $0.isNull ? nil : $0 }
        return Read(
            id: json["id"]?.stringValue, finish: choice?["finish_reason"]?.stringValue, content: message?["content"]?.stringValue,
            reasoningContent: message?["reasoning_content"]?.stringValue, reasoning: message?["reasoning"]?.stringValue,
            hasChoice: choice != nil, hasMessage: message != nil,
            promptTokens: usage?["prompt_tokens"]?.intValue, completionTokens: usage?["completion_tokens"]?.intValue,
            reasoningTokens: usage?["completion_tokens_details"]?["reasoning_tokens"]?.intValue)
    }

    func read(_ fields: ChatChunkFields) -> Read {
        Read(
            id: fields.id, finish: fields.finishReason, content: fields.content, reasoningContent: fields.reasoningContent,
            reasoning: fields.reasoning, hasChoice: fields.hasChoice, hasMessage: fields.hasMessage,
            promptTokens: fields.promptTokens, completionTokens: fields.completionTokens, reasoningTokens: fields.reasoningTokens)
    }

    @Test(arguments: [
        #"{"id":"chatcmpl-mock-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}"#,
        #"{"choices":[{"message":{"content":"a\nb \"q\" \u00e9","reasoning_content":"why"},"finish_reason":"length"}],"usage":{"prompt_tokens":1.0,"completion_tokens":2e1,"completion_tokens_details":{"reasoning_tokens":7}}}"#,
        #"{"choices":[{"message":{"content":null,"reasoning":"r"}}],"usage":null}"#,
        #"{"choices":[]}"#,
        #"{"id":"x"}"#,
        #"{"choices":[1,{"message":{"content":"second"}}]}"#,
        #"{"choices":{"message":{"content":"not an array"}}}"#,
        #"{"choices":[{"message":"text","finish_reason":3}]}"#,
        #"{"choices":[{"delta":{"content":"a stream chunk"}}]}"#,
        #"{"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":"3","completion_tokens":-4,"completion_tokens_details":5}}"#,
        #"{"choices":[{"message":{"content":"x"}}],"usage":[1,2]}"#,
        #"{"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":12345678901234567890}}"#,
        #"{"choices":[{"message":{"content":"é ü 中文 <think>hm</think>"}}]}"#,
    ])
    func readsWhatTheTreeReads(_ text: String) throws {
        let fields = try #require(scan(text))
        #expect(read(fields) == tree(text))
    }

    @Test(arguments: [
        #"{"error":{"message":"overloaded"}}"#,
        #"{"choices":[{"message":{"content":"a","content":"b"}}]}"#,
        #"{"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":1,"prompt_tokens":2}}"#,
        #"{"choices":[{"message":{"content":"x"}}],"usage":{"prompt\u005ftokens":1}}"#,
        #"{"choices":[{"message":{"content":"x"}}]"#,
        #"not json"#,
    ])
    func handsBackWhatItDoesNotHandle(_ text: String) {
        #expect(scan(text) == nil)
    }

    /// End to end: the mock's non-streaming answer through the recorder gives the same result
    /// as the tree path would (content, usage, finish reason, id).
    @Test func recorderReadsAWholeResponse() {
        let body = #"{"id":"chatcmpl-7","choices":[{"index":0,"message":{"role":"assistant","content":"  Paris","reasoning_content":"capital"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":4,"completion_tokens_details":{"reasoning_tokens":1}}}"#
        var recorder = ChatResponseRecorder(streaming: false)
        recorder.receiveHead(HTTPResponseHead(status: 200, reason: "OK", headers: [("Content-Type", "application/json")], version: "HTTP/1.1"), at: 1)
        Array(body.utf8).withUnsafeBytes { recorder.receiveBody($0, at: 2) }
        recorder.receiveEnd(.complete, at: 3)
        #expect(recorder.failure == nil)
        #expect(recorder.answer == "  Paris")
        #expect(recorder.reasoning == "capital")
        #expect(recorder.promptTokens == 9 && recorder.completionTokens == 4 && recorder.reasoningTokens == 1)
        #expect(recorder.finishReason == "stop" && recorder.responseID == "chatcmpl-7" && recorder.chunks == 1)
    }

    @Test func responseWithoutChoicesFailsAsBefore() {
        var recorder = ChatResponseRecorder(streaming: false)
        recorder.receiveHead(HTTPResponseHead(status: 200, reason: "OK", headers: [], version: "HTTP/1.1"), at: 1)
        Array(#"{"id":"x","choices":[]}"#.utf8).withUnsafeBytes { recorder.receiveBody($0, at: 2) }
        recorder.receiveEnd(.complete, at: 3)
        #expect(recorder.failure?.outcome == .protocolError)
        #expect(recorder.failure?.detail.hasPrefix("response has no choices") == true)
    }
}

/// The mock writes its non-streaming answer as bytes; they must be the tree's serialization.
@Suite struct MockFullResponseBytesTests {
    @Test(arguments: ["", "reasoning=20,think=reasoning_content", "reasoning=5,think=tags", "reasoning=4,think=reasoning", "usage=off", "reasoning=3,reasoning_usage=on", "tokens=40"])
    func bytesAreTheTreeSerialized(_ extra: String) throws {
        let profile = try MockProfile.parse("ttft=0ms,itl=0ms,tokens=7" + (extra.isEmpty ? "" : "," + extra))
        let request = try JSONParser.parse(#"{"model":"m \"q\"","messages":[{"role":"user","content":"What is 2 + 3?"}],"max_tokens":30}"#)
        let completion = MockCompletion(request: request, profile: profile, number: 42)
        #expect(completion.fullResponseBytes(at: 5) == completion.fullResponse(at: 5).bytes())
    }
}
