import Testing
@testable import ChatBench

// MARK: - Fixtures (recorded shapes of real servers' streams)

/// vLLM / OpenAI `/v1/chat/completions` with `stream_options.include_usage`, LF line endings,
/// a keep-alive comment between chunks, multi-byte content (CJK, emoji).
private let vllmStream = """
data: {"id":"chatcmpl-7f3a","object":"chat.completion.chunk","created":1717000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-7f3a","object":"chat.completion.chunk","created":1717000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":"你好，"},"logprobs":null,"finish_reason":null}]}

: keep-alive

data: {"id":"chatcmpl-7f3a","object":"chat.completion.chunk","created":1717000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":"我是助手。"},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-7f3a","object":"chat.completion.chunk","created":1717000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":" 😀"},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-7f3a","object":"chat.completion.chunk","created":1717000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}

data: {"id":"chatcmpl-7f3a","object":"chat.completion.chunk","created":1717000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[],"usage":{"prompt_tokens":14,"total_tokens":20,"completion_tokens":6}}

data: [DONE]


"""

private let vllmExpected: [SSEEvent] = [
    #"{"id":"chatcmpl-7f3a","object":"chat.completion.chunk","created":1717000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}"#,
    #"{"id":"chatcmpl-7f3a","object":"chat.completion.chunk","created":1717000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":"你好，"},"logprobs":null,"finish_reason":null}]}"#,
    #"{"id":"chatcmpl-7f3a","object":"chat.completion.chunk","created":1717000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":"我是助手。"},"logprobs":null,"finish_reason":null}]}"#,
    #"{"id":"chatcmpl-7f3a","object":"chat.completion.chunk","created":1717000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":" 😀"},"logprobs":null,"finish_reason":null}]}"#,
    #"{"id":"chatcmpl-7f3a","object":"chat.completion.chunk","created":1717000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}"#,
    #"{"id":"chatcmpl-7f3a","object":"chat.completion.chunk","created":1717000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[],"usage":{"prompt_tokens":14,"total_tokens":20,"completion_tokens":6}}"#,
    "[DONE]",
].map { SSEEvent(data: Array($0.utf8)) }

/// Ollama's OpenAI-compatible endpoint / llama.cpp server style, sent with CRLF line endings
/// (converted below), opening with a comment ping.
private let ollamaStreamLF = """
: ping

data: {"id":"chatcmpl-412","object":"chat.completion.chunk","created":1717000100,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"Grüß"},"finish_reason":null}]}

data: {"id":"chatcmpl-412","object":"chat.completion.chunk","created":1717000100,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":" dich 😀"},"finish_reason":null}]}

data: {"id":"chatcmpl-412","object":"chat.completion.chunk","created":1717000100,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop"}]}

data: {"id":"chatcmpl-412","object":"chat.completion.chunk","created":1717000100,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[],"usage":{"prompt_tokens":26,"completion_tokens":4,"total_tokens":30}}

data: [DONE]


"""
private let ollamaStreamCRLF = ollamaStreamLF.split(separator: "\n", omittingEmptySubsequences: false)
    .joined(separator: "\r\n")

private let ollamaExpected: [SSEEvent] = [
    #"{"id":"chatcmpl-412","object":"chat.completion.chunk","created":1717000100,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"Grüß"},"finish_reason":null}]}"#,
    #"{"id":"chatcmpl-412","object":"chat.completion.chunk","created":1717000100,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":" dich 😀"},"finish_reason":null}]}"#,
    #"{"id":"chatcmpl-412","object":"chat.completion.chunk","created":1717000100,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop"}]}"#,
    #"{"id":"chatcmpl-412","object":"chat.completion.chunk","created":1717000100,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[],"usage":{"prompt_tokens":26,"completion_tokens":4,"total_tokens":30}}"#,
    "[DONE]",
].map { SSEEvent(data: Array($0.utf8)) }

/// A proxy-style stream with named events, a multi-line `data:` event, `id:`/`retry:` fields and
/// an in-band error event (as vLLM and LiteLLM send when generation fails mid-stream).
private let namedEventsStream = """
retry: 3000
: keep-alive
event: message
id: 1
data: {"text":
data:  "line one"}

: keep-alive
data: first
data:
data: third

event: error
data: {"error":{"message":"The model `gpt-x` does not exist.","type":"NotFoundError","param":null,"code":404}}


"""

private let namedEventsExpected: [SSEEvent] = [
    SSEEvent(name: "message", data: Array("{\"text\":\n \"line one\"}".utf8)),
    SSEEvent(name: nil, data: Array("first\n\nthird".utf8)),
    SSEEvent(name: "error", data: Array(#"{"error":{"message":"The model `gpt-x` does not exist.","type":"NotFoundError","param":null,"code":404}}"#.utf8)),
]

private struct Fixture: CustomTestStringConvertible, Sendable {
    var label: String
    var bytes: [UInt8]
    var expected: [SSEEvent]
    var comments: Int
    var testDescription: String { label }
}

private let fixtures: [Fixture] = [
    Fixture(label: "vLLM, LF", bytes: Array(vllmStream.utf8), expected: vllmExpected, comments: 1),
    Fixture(label: "Ollama, CRLF", bytes: Array(ollamaStreamCRLF.utf8), expected: ollamaExpected, comments: 1),
    Fixture(label: "named events, LF", bytes: Array(namedEventsStream.utf8), expected: namedEventsExpected, comments: 2),
]

// MARK: - Helpers

private struct Decoded: Equatable {
    var events: [SSEEvent]
    var comments: Int
    var final: SSEEvent?
}

private func decode(_ chunks: [ArraySlice<UInt8>], maxLineBytes: Int = 8 << 20) throws -> Decoded {
    var decoder = SSEDecoder(maxLineBytes: maxLineBytes)
    var events: [SSEEvent] = []
    for chunk in chunks {
        try chunk.withUnsafeBytes { try decoder.feed($0) { events.append($0) } }
    }
    let comments = decoder.commentCount
    return Decoded(events: events, comments: comments, final: decoder.finish())
}

private func decode(_ bytes: [UInt8]) throws -> Decoded {
    try decode([bytes[...]])
}

private func decode(_ text: String) throws -> Decoded {
    try decode(Array(text.utf8))
}

private func event(_ text: String, name: String? = nil) -> SSEEvent {
    SSEEvent(name: name, data: Array(text.utf8))
}

// MARK: - Fixtures, whole and split

@Suite struct SSEDecoderFixtureTests {
    @Test(arguments: fixtures)
    fileprivate func wholeFeedProducesExpectedEvents(_ fixture: Fixture) throws {
        let decoded = try decode(fixture.bytes)
        #expect(decoded.events == fixture.expected)
        #expect(decoded.comments == fixture.comments)
        #expect(decoded.final == nil)
        #expect(decoded.events.last?.isDone == fixture.expected.last?.isDone)
    }

    @Test(arguments: fixtures)
    fileprivate func everyTwoPieceSplitProducesTheSameEvents(_ fixture: Fixture) throws {
        let bytes = fixture.bytes
        for split in 0...bytes.count {
            let decoded = try decode([bytes[..<split], bytes[split...]])
            #expect(decoded.events == fixture.expected, "split at byte \(split)")
            #expect(decoded.comments == fixture.comments, "split at byte \(split)")
            #expect(decoded.final == nil, "split at byte \(split)")
        }
    }

    @Test(arguments: fixtures)
    fileprivate func oneByteAtATimeProducesTheSameEvents(_ fixture: Fixture) throws {
        let chunks = fixture.bytes.indices.map { fixture.bytes[$0..<($0 + 1)] }
        let decoded = try decode(chunks)
        #expect(decoded.events == fixture.expected)
        #expect(decoded.comments == fixture.comments)
        #expect(decoded.final == nil)
    }

    @Test func multiByteContentComesOutWhole() throws {
        let decoded = try decode(Array(vllmStream.utf8))
        let texts = decoded.events.map(\.text)
        #expect(texts[1].contains("你好，"))
        #expect(texts[2].contains("我是助手。"))
        #expect(texts[3].contains("😀"))
        #expect(!texts.joined().contains("\u{FFFD}"))
    }

    @Test func bytesFedCountsEveryByte() throws {
        var decoder = SSEDecoder()
        let bytes = Array(vllmStream.utf8)
        try bytes[..<100].withUnsafeBytes { try decoder.feed($0) { _ in } }
        try bytes[100...].withUnsafeBytes { try decoder.feed($0) { _ in } }
        #expect(decoder.bytesFed == bytes.count)
    }
}

// MARK: - Line endings and framing

@Suite struct SSEDecoderLineEndingTests {
    @Test func crlfSplitBetweenCRAndLFDoesNotDispatchAnExtraBlankLine() throws {
        // If the LF after a feed-final CR were taken as its own line, "a" would be dispatched
        // early as its own event instead of being joined with "b".
        let decoded = try decode(["data: a\r", "\ndata: b\r\n\r\n"].map { ArraySlice($0.utf8) })
        #expect(decoded.events == [event("a\nb")])
    }

    @Test func crlfSplitBetweenCRAndLFOfTheBlankLine() throws {
        let decoded = try decode(["data: a\r\n\r", "\n", "data: b\r\n\r\n"].map { ArraySlice($0.utf8) })
        #expect(decoded.events == [event("a"), event("b")])
    }

    @Test func loneCarriageReturnsEndLines() throws {
        let decoded = try decode("data: one\r\rdata: two\rdata: three\r\r")
        #expect(decoded.events == [event("one"), event("two\nthree")])
    }

    @Test func loneCarriageReturnAtFeedEndFollowedByNonLineFeed() throws {
        let decoded = try decode(["data: x\r", "\r", "data: y\r", "\r"].map { ArraySlice($0.utf8) })
        #expect(decoded.events == [event("x"), event("y")])
    }

    @Test func mixedLineEndings() throws {
        let decoded = try decode("data: a\n\rdata: b\r\n\ndata: c\r\r\n")
        #expect(decoded.events == [event("a"), event("b"), event("c")])
    }

    @Test func byteOrderMarkAtStreamStartIsSkipped() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("data: hi\n\n".utf8)
        #expect(try decode(bytes).events == [event("hi")])
        for split in 0...bytes.count {
            #expect(try decode([bytes[..<split], bytes[split...]]).events == [event("hi")], "split at \(split)")
        }
    }

    @Test func byteOrderMarkLaterInTheStreamIsContent() throws {
        let bytes = Array("data: a\n\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("data: b\n\n".utf8)
        // The second line's field name is "\u{FEFF}data", an unknown field, so only "a" is dispatched.
        #expect(try decode(bytes).events == [event("a")])
    }

    @Test func partialByteOrderMarkIsKeptAsContent() throws {
        // EF BB followed by something else is not a BOM; the bytes belong to the first field name,
        // which then is unknown, and the next event still parses.
        let bytes: [UInt8] = [0xEF, 0xBB] + Array("x: 1\n\ndata: ok\n\n".utf8)
        var decoder = SSEDecoder()
        var events: [SSEEvent] = []
        try bytes[..<1].withUnsafeBytes { try decoder.feed($0) { events.append($0) } }
        try bytes[1...].withUnsafeBytes { try decoder.feed($0) { events.append($0) } }
        #expect(events == [event("ok")])
        #expect(decoder.finish() == nil)

        // A lone EF before ":" makes the line a field named "\u{EF}", not a comment: the byte was kept.
        let tricky: [UInt8] = [0xEF] + Array(": comment\n".utf8)
        var commentDecoder = SSEDecoder()
        try tricky.withUnsafeBytes { try commentDecoder.feed($0) { _ in } }
        #expect(commentDecoder.commentCount == 0, "\\xEF: is a field named \\xEF, not a comment")
    }
}

// MARK: - Fields

@Suite struct SSEDecoderFieldTests {
    @Test func commentsAreCountedAndIgnored() throws {
        let decoded = try decode(": keep-alive\n:\n: another\ndata: x\n\n: trailing\n")
        #expect(decoded.events == [event("x")])
        #expect(decoded.comments == 4)
    }

    @Test func fieldWithoutColonIsANameWithEmptyValue() throws {
        // "data" alone appends an empty data line; "event" alone sets an empty name (default type).
        let decoded = try decode("data\n\nevent\ndata: y\n\ndata: a\ndata\n\n")
        #expect(decoded.events == [event(""), event("y"), event("a\n")])
    }

    @Test func dataWithoutSpaceAfterColon() throws {
        let decoded = try decode("data:x\n\ndata:  two spaces\n\n")
        #expect(decoded.events == [event("x"), event(" two spaces")])
    }

    @Test func emptyDataLineDispatchesAnEventWithEmptyData() throws {
        let decoded = try decode("data:\n\ndata: \n\n")
        #expect(decoded.events == [event(""), event("")])
    }

    @Test func eventWithoutDataIsNotDispatchedAndItsNameDoesNotLeak() throws {
        let decoded = try decode("event: error\n\ndata: after\n\nevent: ping\nid: 7\nretry: 10\n\n")
        #expect(decoded.events == [event("after")])
        #expect(decoded.final == nil)
    }

    @Test func eventNameApplesOnlyToItsOwnEvent() throws {
        let decoded = try decode("event: error\ndata: {}\n\ndata: plain\n\n")
        #expect(decoded.events == [event("{}", name: "error"), event("plain")])
    }

    @Test func lastEventLineWins() throws {
        let decoded = try decode("event: a\nevent: b\ndata: x\n\n")
        #expect(decoded.events == [event("x", name: "b")])
    }

    @Test func unknownFieldsAndColonInValueAreHandled() throws {
        let decoded = try decode("foo: bar\ndata: http://x:8000/v1\n\n")
        #expect(decoded.events == [event("http://x:8000/v1")])
    }

    @Test func doneDetection() throws {
        #expect(event("[DONE]").isDone)
        #expect(event("[DONE] \r\n").isDone)
        #expect(!event("[DONE]x").isDone)
        #expect(!event("[done]").isDone)
        #expect(!event("").isDone)
        #expect(!event(#"{"content":"[DONE]"}"#).isDone)
        #expect(try decode("data: [DONE]\n\n").events.map(\.isDone) == [true])
    }

    @Test func textDecodesUTF8() {
        #expect(event("你好，我是助手。😀").text == "你好，我是助手。😀")
    }
}

// MARK: - finish()

@Suite struct SSEDecoderFinishTests {
    @Test func unterminatedEventIsReturnedByFinish() throws {
        let decoded = try decode("data: a\n\ndata: b\ndata: c\n")
        #expect(decoded.events == [event("a")])
        #expect(decoded.final == event("b\nc"))
    }

    @Test func partialDataLineIsReturnedByFinish() throws {
        let decoded = try decode("data: a\n\nevent: error\ndata: {\"partial\"")
        #expect(decoded.events == [event("a")])
        #expect(decoded.final == event("{\"partial\"", name: "error"))
    }

    @Test func finishReturnsNothingWithoutData() throws {
        #expect(try decode("data: a\n\nevent: x\n: comment").final == nil)
        #expect(try decode("").final == nil)
        #expect(try decode("data: a\n\n").final == nil)
    }

    @Test func finishResetsForANewStream() throws {
        var decoder = SSEDecoder()
        var events: [SSEEvent] = []
        try Array("data: one\r".utf8).withUnsafeBytes { try decoder.feed($0) { events.append($0) } }
        #expect(decoder.finish() == event("one"))
        // A new stream starting with LF must not be swallowed as the tail of the old CRLF,
        // and may start with a BOM again.
        let next: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("data: two\n\n".utf8)
        try next.withUnsafeBytes { try decoder.feed($0) { events.append($0) } }
        #expect(events == [event("two")])
        #expect(decoder.finish() == nil)
    }
}

// MARK: - Memory bound

@Suite struct SSEDecoderLineBoundTests {
    @Test func overlongLineFedInPiecesThrowsWithoutBufferingPastTheBound() throws {
        let limit = 1024
        let line = Array("data: ".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 2000 - 6)
        var decoder = SSEDecoder(maxLineBytes: limit)
        var thrownAtPiece: Int?
        for (piece, start) in stride(from: 0, to: line.count, by: 100).enumerated() {
            do {
                try line[start..<min(start + 100, line.count)].withUnsafeBytes {
                    try decoder.feed($0) { _ in Issue.record("no event expected") }
                }
            } catch let error as StreamDecodingError {
                #expect(error == .lineTooLong(limit: limit))
                thrownAtPiece = piece
                break
            }
            #expect(decoder.pendingLineByteCount <= limit)
        }
        // 10 pieces (1000 bytes) fit; the 11th would make 1100 > 1024.
        #expect(thrownAtPiece == 10)
        #expect(decoder.pendingLineByteCount <= limit)
    }

    @Test func overlongLineInsideOneFeedThrows() throws {
        let text = "data: " + String(repeating: "y", count: 2000) + "\n\n"
        #expect(throws: StreamDecodingError.lineTooLong(limit: 1024)) {
            try decode([ArraySlice(text.utf8)], maxLineBytes: 1024)
        }
    }

    @Test func lineOfExactlyTheBoundIsAccepted() throws {
        let value = String(repeating: "z", count: 1024 - 6)
        let bytes = Array("data: \(value)\r\n\r\n".utf8)
        for split in [0, 10, 1023, 1024, 1025, bytes.count] {
            let decoded = try decode([bytes[..<split], bytes[split...]], maxLineBytes: 1024)
            #expect(decoded.events == [event(value)], "split at \(split)")
        }
        let tooLong = Array("data: \(value)z\n\n".utf8)
        #expect(throws: StreamDecodingError.lineTooLong(limit: 1024)) {
            try decode([tooLong[..<500], tooLong[500...]], maxLineBytes: 1024)
        }
    }

    @Test func errorMessageNamesTheLimit() {
        #expect(StreamDecodingError.lineTooLong(limit: 8 << 20).description
            .hasPrefix("a stream line exceeded 8 MiB without a line break"))
        #expect(StreamDecodingError.lineTooLong(limit: 1000).description.contains("1000 bytes"))
    }
}
