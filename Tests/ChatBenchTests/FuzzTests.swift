import Testing

@testable import ChatBench

/// Seeded property tests: real-world-shaped streams split at random decode exactly as whole, and
/// random or mutated bytes never crash a decoder nor make it buffer past its bound. Seeds are
/// fixed, so a failure reproduces; the libFuzzer target in Tests/Fuzz goes further.
@Suite struct FuzzTests {
    /// A vLLM/Ollama-shaped stream with the awkward parts servers really send: a BOM, CRLF and
    /// lone-CR line ends, `:` keep-alives, multi-line data, named events, multi-byte text.
    static let recordedStream: [UInt8] = {
        var text = "\u{FEFF}: keep-alive\r\n\r\n"
        text += "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
        let tokens = ["你好", "，", "world", " 😀", "\\n", "\\\"quoted\\\"", " é"]
        for (i, token) in tokens.enumerated() {
            let ending = i % 3 == 0 ? "\r\n" : i % 3 == 1 ? "\n" : "\r"
            text += "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\(token)\"},\"finish_reason\":null}]}\(ending)\(ending)"
            if i == 3 { text += ":ping\n\nid: 7\nretry: 10\n\n" }
        }
        text += "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"think\"},\n"
        text += "data: \"finish_reason\":null}]}\n\n"
        text += "event: message\ndata: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
        text += "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":8,\"total_tokens\":13}}\n\n"
        text += "data: [DONE]\n\n"
        return Array(text.utf8)
    }()

    /// `bytes` cut at random points (1 to 4 % of the time per byte, so pieces of every size).
    static func randomSplit(_ bytes: [UInt8], _ random: inout SeededRandom) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var current: [UInt8] = []
        let rate = 0.01 + 0.03 * random.unit()
        for byte in bytes {
            current.append(byte)
            if random.unit() < rate || random.next() % 97 == 0 {
                pieces.append(current)
                current = []
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    static func sseEvents(_ pieces: [[UInt8]], maxLine: Int = 8 << 20) throws -> [SSEEvent] {
        var decoder = SSEDecoder(maxLineBytes: maxLine)
        var events: [SSEEvent] = []
        for piece in pieces {
            try piece.withUnsafeBytes { try decoder.feed($0) { events.append($0) } }
        }
        if let last = decoder.finish() { events.append(last) }
        return events
    }

    /// What the chat recorder makes of a stream body delivered in these pieces.
    static func recorded(_ pieces: [[UInt8]]) -> ChatResponseRecorder {
        var recorder = ChatResponseRecorder(streaming: true)
        recorder.receiveHead(HTTPResponseHead(status: 200, reason: "OK", headers: [("Content-Type", "text/event-stream")], version: "HTTP/1.1"), at: 1)
        for (i, piece) in pieces.enumerated() {
            piece.withUnsafeBytes { recorder.receiveBody($0, at: UInt64(10 + i)) }
        }
        recorder.receiveEnd(.complete, at: 1000)
        return recorder
    }

    @Test func randomSplitsOfARecordedStreamDecodeIdentically() throws {
        let whole = try Self.sseEvents([Self.recordedStream])
        #expect(whole.count == 12)
        let reference = Self.recorded([Self.recordedStream])
        #expect(reference.failure == nil)
        #expect(reference.answer == "你好，world 😀\n\"quoted\" é")
        #expect(reference.finishReason == "stop")
        #expect(reference.completionTokens == 8)
        var random = SeededRandom(seed: 20_261_125)
        for _ in 0..<100 {
            let pieces = Self.randomSplit(Self.recordedStream, &random)
            #expect(try Self.sseEvents(pieces) == whole)
            let split = Self.recorded(pieces)
            #expect(split.answer == reference.answer)
            #expect(split.reasoning == reference.reasoning)
            #expect(split.chunks == reference.chunks && split.textChunks == reference.textChunks)
            #expect(split.finishReason == reference.finishReason && split.doneAt != nil && split.failure == nil)
        }
        // One byte at a time, the worst split of all.
        #expect(try Self.sseEvents(Self.recordedStream.map { [$0] }) == whole)
    }

    @Test func randomSplitsOfAChunkedResponseGiveTheSameBody() throws {
        var response = Array("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        var random = SeededRandom(seed: 3)
        var offset = 0
        while offset < Self.recordedStream.count {
            let size = min(Int(random.next() % 300) + 1, Self.recordedStream.count - offset)
            response += Array(String(size, radix: 16).utf8) + [13, 10] + Self.recordedStream[offset..<(offset + size)] + [13, 10]
            offset += size
        }
        response += Array("0\r\n\r\n".utf8)
        for _ in 0..<60 {
            var parser = HTTPResponseParser()
            var body: [UInt8] = []
            for piece in Self.randomSplit(response, &random) {
                try piece.withUnsafeBytes { try parser.feed($0, onHead: { _ in }, onBody: { body.append(contentsOf: $0) }) }
            }
            #expect(parser.isComplete)
            #expect(body == Self.recordedStream)
        }
    }

    /// Valid input with a few bytes flipped, inserted or deleted, or plain noise.
    static func mutated(_ seed: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        if random.next() % 8 == 0 {
            return (0..<Int(random.next() % 512)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        }
        var bytes = seed
        let interesting: [UInt8] = [0x0A, 0x0D, 0x3A, 0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x00, 0xFF, 0xC3, 0xED, 0xF4, 0x20]
        for _ in 0..<(1 + Int(random.next() % 8)) {
            let at = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
            let byte = random.next() % 2 == 0 ? interesting[Int(random.next() % UInt64(interesting.count))] : UInt8(truncatingIfNeeded: random.next())
            switch random.next() % 3 {
            case 0 where !bytes.isEmpty: bytes[at] = byte
            case 1: bytes.insert(byte, at: at)
            default: if !bytes.isEmpty { bytes.remove(at: at) }
            }
        }
        return bytes
    }

    @Test func mutatedStreamsNeverCrashTheDecodersOrOutgrowTheirBound() {
        var random = SeededRandom(seed: 42)
        let bound = 256
        for _ in 0..<250 {
            let bytes = Self.mutated(Self.recordedStream, &random)
            let pieces = Self.randomSplit(bytes, &random)
            var sse = SSEDecoder(maxLineBytes: bound)
            var ndjson = NDJSONDecoder(maxLineBytes: bound)
            var sseFailed = false, ndjsonFailed = false
            for piece in pieces {
                piece.withUnsafeBytes { buffer in
                    if !sseFailed {
                        do { try sse.feed(buffer) { event in _ = try? JSONParser.parse(event.data) } } catch { sseFailed = true }
                        #expect(sse.pendingLineByteCount <= bound)
                    }
                    if !ndjsonFailed {
                        do { try ndjson.feed(buffer) { line in _ = try? JSONParser.parse(line) } } catch { ndjsonFailed = true }
                    }
                }
            }
            if !sseFailed { _ = sse.finish() }
            if !ndjsonFailed { try? ndjson.finish { _ in } }
            // The whole recorder path too: whatever the bytes, a classified end, never a crash.
            let recorder = Self.recorded(pieces)
            #expect(recorder.failure != nil || recorder.finishReason != nil || recorder.doneAt != nil)
        }
    }

    @Test func mutatedJSONNeverCrashesTheParser() {
        let documents = [
            #"{"a": [1, -2.5e3, true, false, null, "\u00e9\ud83d\ude00\n"], "b": {"c": {}}, "d": []}"#,
            #"{"choices":[{"delta":{"content":"你好"},"finish_reason":null}],"usage":{"completion_tokens":3}}"#,
            String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
        ].map { Array($0.utf8) }
        var random = SeededRandom(seed: 7)
        var parsed = 0
        for i in 0..<1000 {
            let bytes = Self.mutated(documents[i % documents.count], &random)
            if (try? JSONParser.parse(bytes)) != nil { parsed += 1 }
        }
        #expect(parsed > 0)  // the mutations are not all fatal: both paths are exercised
    }

    @Test func mutatedPromptFilesNeverCrashAndErrorsPointInsideTheFile() {
        let file = Array("""
            {"id": "a", "prompt": "你好", "max_tokens": 8, "tags": ["zh"]}
            // comment
            {"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "x"}], "temperature": 0.5}
            {"custom_id": "b", "method": "POST", "url": "/v1/chat/completions", "body": {"messages": [{"role": "user", "content": "hi"}]}}

            """.utf8)
        var random = SeededRandom(seed: 11)
        for _ in 0..<500 {
            let bytes = Self.mutated(file, &random)
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
            do {
                let set = try PromptSet.decode(bytes: bytes, path: "f", skipInvalid: true)
                #expect(!set.prompts.isEmpty)
            } catch {
                if case .invalidLines(let problems) = error {
                    #expect(problems.allSatisfy { $0.line >= 1 && $0.line <= lines && $0.column >= 1 })
                }
            }
        }
    }

    @Test func randomBytesNeverCrashTheHTTPParser() {
        var random = SeededRandom(seed: 5)
        let seed = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n".utf8)
        for _ in 0..<800 {
            var parser = HTTPResponseParser()
            for piece in Self.randomSplit(Self.mutated(seed, &random), &random) {
                let ok = piece.withUnsafeBytes { buffer in
                    (try? parser.feed(buffer, onHead: { _ in }, onBody: { _ in })) != nil
                }
                if !ok { break }
            }
        }
    }
}
