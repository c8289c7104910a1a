import Testing
@testable import ChatBench

/// Ollama's native `/api/chat` stream: one JSON object per line, LF-terminated, the last one
/// carrying `done: true` and the timing fields.
private let ollamaChatLines: [String] = [
    #"{"model":"llama3.2","created_at":"2024-06-01T10:00:00.000000Z","message":{"role":"assistant","content":"你好，"},"done":false}"#,
    #"{"model":"llama3.2","created_at":"2024-06-01T10:00:00.050000Z","message":{"role":"assistant","content":"我是助手。"},"done":false}"#,
    #"{"model":"llama3.2","created_at":"2024-06-01T10:00:00.100000Z","message":{"role":"assistant","content":" 😀"},"done":false}"#,
    #"{"model":"llama3.2","created_at":"2024-06-01T10:00:00.150000Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"total_duration":512345678,"load_duration":1234567,"prompt_eval_count":26,"prompt_eval_duration":23456789,"eval_count":3,"eval_duration":150000000}"#,
]
private let ollamaChatStream = ollamaChatLines.map { $0 + "\n" }.joined()

private struct DecodedLines: Equatable {
    var lines: [String]
    var finalLines: [String]
}

private func decodeLines(_ chunks: [ArraySlice<UInt8>], maxLineBytes: Int = 8 << 20) throws -> DecodedLines {
    var decoder = NDJSONDecoder(maxLineBytes: maxLineBytes)
    var lines: [String] = []
    for chunk in chunks {
        try chunk.withUnsafeBytes { try decoder.feed($0) { lines.append(String(decoding: $0, as: UTF8.self)) } }
    }
    var finalLines: [String] = []
    try decoder.finish { finalLines.append(String(decoding: $0, as: UTF8.self)) }
    return DecodedLines(lines: lines, finalLines: finalLines)
}

private func decodeLines(_ text: String) throws -> DecodedLines {
    try decodeLines([ArraySlice(text.utf8)])
}

@Suite struct NDJSONDecoderTests {
    @Test func wholeStreamYieldsEachObjectLine() throws {
        let decoded = try decodeLines(ollamaChatStream)
        #expect(decoded.lines == ollamaChatLines)
        #expect(decoded.finalLines.isEmpty)
    }

    @Test(arguments: ["\n", "\r\n"])
    func everyTwoPieceSplitYieldsTheSameLines(_ terminator: String) throws {
        let bytes = Array(ollamaChatLines.map { $0 + terminator }.joined().utf8)
        for split in 0...bytes.count {
            let decoded = try decodeLines([bytes[..<split], bytes[split...]])
            #expect(decoded.lines == ollamaChatLines, "split at byte \(split)")
            #expect(decoded.finalLines.isEmpty, "split at byte \(split)")
        }
    }

    @Test func oneByteAtATimeYieldsTheSameLines() throws {
        let bytes = Array(ollamaChatLines.map { $0 + "\r\n" }.joined().utf8)
        let decoded = try decodeLines(bytes.indices.map { bytes[$0..<($0 + 1)] })
        #expect(decoded.lines == ollamaChatLines)
    }

    @Test func crlfIsStrippedAndLoneCarriageReturnIsNotALineEnd() throws {
        let decoded = try decodeLines("{\"a\":1}\r\n{\"b\":\r2}\n")
        #expect(decoded.lines == ["{\"a\":1}", "{\"b\":\r2}"])
    }

    @Test func blankAndWhitespaceOnlyLinesAreSkipped() throws {
        let decoded = try decodeLines("\n\r\n{\"a\":1}\n\n  \t\n\r\n{\"b\":2}\n\n")
        #expect(decoded.lines == ["{\"a\":1}", "{\"b\":2}"])
        #expect(decoded.finalLines.isEmpty)
    }

    @Test func leadingWhitespaceOfANonBlankLineIsKept() throws {
        #expect(try decodeLines("  {\"a\":1}\n").lines == ["  {\"a\":1}"])
    }

    @Test func finalUnterminatedLineIsDeliveredByFinish() throws {
        let text = ollamaChatLines.joined(separator: "\n")
        let bytes = Array(text.utf8)
        for split in [0, 1, bytes.count / 2, bytes.count - 1, bytes.count] {
            let decoded = try decodeLines([bytes[..<split], bytes[split...]])
            #expect(decoded.lines == Array(ollamaChatLines.dropLast()), "split at \(split)")
            #expect(decoded.finalLines == [ollamaChatLines.last!], "split at \(split)")
        }
        #expect(try decodeLines("{\"a\":1}\r").finalLines == ["{\"a\":1}"])
        #expect(try decodeLines("{\"a\":1}\n  ").finalLines.isEmpty)
    }

    @Test func finishResetsForANewStream() throws {
        var decoder = NDJSONDecoder()
        var lines: [String] = []
        try Array("{\"old\":".utf8).withUnsafeBytes { try decoder.feed($0) { _ in } }
        try decoder.finish { lines.append(String(decoding: $0, as: UTF8.self)) }
        try Array("{\"new\":1}\n".utf8).withUnsafeBytes {
            try decoder.feed($0) { lines.append(String(decoding: $0, as: UTF8.self)) }
        }
        try decoder.finish { _ in Issue.record("nothing pending") }
        #expect(lines == ["{\"old\":", "{\"new\":1}"])
        #expect(decoder.bytesFed == 7 + 10)
    }

    @Test func overlongLineFedInPiecesThrowsWithoutBufferingPastTheBound() throws {
        let limit = 1024
        let line = [UInt8](repeating: UInt8(ascii: "x"), count: 2000)
        var decoder = NDJSONDecoder(maxLineBytes: limit)
        var thrownAtPiece: Int?
        for (piece, start) in stride(from: 0, to: line.count, by: 100).enumerated() {
            do {
                try line[start..<(start + 100)].withUnsafeBytes {
                    try decoder.feed($0) { _ in Issue.record("no line expected") }
                }
            } catch let error as StreamDecodingError {
                #expect(error == .lineTooLong(limit: limit))
                thrownAtPiece = piece
                break
            }
            #expect(decoder.pendingLineByteCount <= limit)
        }
        #expect(thrownAtPiece == 10)
        #expect(decoder.pendingLineByteCount <= limit)
    }

    @Test func lineBoundIsTheSameWholeOrSplit() throws {
        let exact = String(repeating: "a", count: 1024)
        let exactBytes = Array((exact + "\n").utf8)
        for split in [0, 512, 1024, exactBytes.count] {
            #expect(try decodeLines([exactBytes[..<split], exactBytes[split...]], maxLineBytes: 1024).lines == [exact])
        }
        let overBytes = Array((exact + "a\n").utf8)
        for split in [0, 512, 1025, overBytes.count] {
            #expect(throws: StreamDecodingError.lineTooLong(limit: 1024)) {
                try decodeLines([overBytes[..<split], overBytes[split...]], maxLineBytes: 1024)
            }
        }
    }

    @Test func callbackErrorsPropagate() {
        struct Stop: Error {}
        var decoder = NDJSONDecoder()
        #expect(throws: Stop.self) {
            try Array("{}\n{}\n".utf8).withUnsafeBytes { try decoder.feed($0) { _ in throw Stop() } }
        }
    }
}
