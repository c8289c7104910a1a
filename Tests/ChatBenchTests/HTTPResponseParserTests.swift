import Testing

@testable import ChatBench

/// Everything observable after feeding a parser some pieces of a response.
private struct ParseOutcome: Equatable, CustomStringConvertible {
    var heads: [HTTPResponseHead] = []
    var body: [UInt8] = []
    var isComplete = false
    var keepAlive = true
    var framing = HTTPResponseParser.Framing.none
    var bodyBytes = 0
    /// `isComplete` before `endOfStream()` was called (only when it was).
    var completeBeforeEnd: Bool?
    /// What `endOfStream()` returned (only when it was called).
    var endOfStreamResult: Bool?

    var head: HTTPResponseHead? { heads.last }
    var bodyText: String { String(decoding: body, as: UTF8.self) }

    var description: String {
        "heads=\(heads.map { "\($0.status)" }) body=\(bodyText.debugDescription) complete=\(isComplete) "
            + "keepAlive=\(keepAlive) framing=\(framing) end=\(String(describing: endOfStreamResult))"
    }
}

/// Feeds `pieces` in order to one fresh parser, optionally signalling end of stream afterwards.
private func parseResponse(_ pieces: [[UInt8]], endOfStream: Bool = false) throws -> ParseOutcome {
    var parser = HTTPResponseParser()
    var outcome = ParseOutcome()
    for piece in pieces {
        try piece.withUnsafeBytes { buffer in
            try parser.feed(buffer, onHead: { outcome.heads.append($0) }, onBody: { outcome.body.append(contentsOf: $0) })
        }
    }
    if endOfStream {
        outcome.completeBeforeEnd = parser.isComplete
        outcome.endOfStreamResult = parser.endOfStream()
    }
    outcome.isComplete = parser.isComplete
    outcome.keepAlive = parser.keepAlive
    outcome.framing = parser.framing
    outcome.bodyBytes = parser.bodyBytes
    return outcome
}

/// The ways the network may deliver `bytes`: whole, cut in two at every position, one byte at a time.
private func splittings(of bytes: [UInt8]) -> [(label: String, pieces: [[UInt8]])] {
    var result: [(label: String, pieces: [[UInt8]])] = [("whole", [bytes])]
    for cut in 1..<max(bytes.count, 1) {
        result.append(("split at \(cut)", [Array(bytes[..<cut]), Array(bytes[cut...])]))
    }
    result.append(("byte by byte", bytes.map { [$0] }))
    return result
}

/// Parses `text` delivered every way `splittings` knows, checks all give the same outcome, returns it.
private func parseEveryWay(_ text: String, endOfStream: Bool = false) throws -> ParseOutcome {
    let bytes = Array(text.utf8)
    let whole = try parseResponse([bytes], endOfStream: endOfStream)
    for (label, pieces) in splittings(of: bytes).dropFirst() {
        let outcome = try parseResponse(pieces, endOfStream: endOfStream)
        #expect(outcome == whole, "\(label) differs from whole")
    }
    return whole
}

/// The error `text` fails with, checked to be the same whole and byte by byte.
private func parseErrorEveryWay(_ text: String) -> HTTPParseError? {
    let bytes = Array(text.utf8)
    var errors: [HTTPParseError] = []
    for pieces in [[bytes], bytes.map { [$0] }] {
        do {
            _ = try parseResponse(pieces)
            Issue.record("expected an error for \(text.prefix(80).debugDescription)")
        } catch let error as HTTPParseError {
            errors.append(error)
        } catch {
            Issue.record("unexpected error type \(error)")
        }
    }
    guard errors.count == 2 else { return nil }
    #expect(errors[0] == errors[1], "whole and byte-by-byte fail differently")
    return errors[0]
}

/// A chunked body with sizes computed from the UTF-8 byte counts.
private func chunkedBody(_ chunks: [String], trailers: String = "") -> String {
    chunks.map { String($0.utf8.count, radix: 16) + "\r\n" + $0 + "\r\n" }.joined() + "0\r\n" + trailers + "\r\n"
}

@Suite struct HTTPResponseParserTests {
    @Test func contentLengthBody() throws {
        let body = #"{"id":"chatcmpl-1","object":"chat.completion"}"#
        let response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Date: Mon, 01 Jan 2024 00:00:00 GMT\r\n\r\n" + body
        let outcome = try parseEveryWay(response)
        let head = try #require(outcome.head)
        #expect(outcome.heads.count == 1)
        #expect(head.status == 200)
        #expect(head.reason == "OK")
        #expect(head.version == "HTTP/1.1")
        #expect(head.headers.map(\.name) == ["Content-Type", "Content-Length", "Date"])
        #expect(head.headers.map(\.value) == ["application/json", "\(body.utf8.count)", "Mon, 01 Jan 2024 00:00:00 GMT"])
        #expect(outcome.bodyText == body)
        #expect(outcome.bodyBytes == body.utf8.count)
        #expect(outcome.isComplete)
        #expect(outcome.keepAlive)
        #expect(outcome.framing == .contentLength(body.utf8.count))
    }

    @Test func headerLookupIsCaseInsensitiveTrimmedAndReturnsTheFirstValue() throws {
        let response = "HTTP/1.1 200 OK\r\ncontent-TYPE:   text/event-stream \t\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\n"
            + "X-Empty:\r\nContent-Length: 0\r\n\r\n"
        let head = try #require(try parseEveryWay(response).head)
        #expect(head.header("Content-Type") == "text/event-stream")
        #expect(head.header("content-type") == "text/event-stream")
        #expect(head.header("CONTENT-TYPE") == "text/event-stream")
        #expect(head.header("SET-COOKIE") == "a=1")
        #expect(head.header("X-Empty") == "")
        #expect(head.header("Content-Typ") == nil)
        #expect(head.header("Transfer-Encoding") == nil)
        // Original spelling of names is kept.
        #expect(head.headers.first?.name == "content-TYPE")
    }

    @Test func reasonPhraseMayHaveSpacesOrBeMissing() throws {
        let notFound = try #require(try parseEveryWay("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n").head)
        #expect(notFound.status == 404)
        #expect(notFound.reason == "Not Found")
        let bare = try #require(try parseEveryWay("HTTP/1.1 503\r\nContent-Length: 0\r\n\r\n").head)
        #expect(bare.status == 503)
        #expect(bare.reason == "")
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() throws {
        let response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
            + "5;ext=1\r\nhello\r\n"
            + "7 ; name=\"quoted\"\r\n, world\r\n"
            + "A\r\n0123456789\r\n"
            + "0;last=yes\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n"
        let outcome = try parseEveryWay(response)
        #expect(outcome.heads.count == 1)
        #expect(outcome.bodyText == "hello, world0123456789")
        #expect(outcome.bodyBytes == 22)
        #expect(outcome.framing == .chunked)
        #expect(outcome.isComplete)
        #expect(outcome.keepAlive)
    }

    @Test func chunkedTakesPrecedenceOverContentLengthAndIgnoresCase() throws {
        let response = "HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\nContent-Length: 999\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        let outcome = try parseEveryWay(response)
        #expect(outcome.framing == .chunked)
        #expect(outcome.bodyText == "abc")
        #expect(outcome.isComplete)
    }

    @Test func chunkedServerSentEventsWithChineseText() throws {
        let events = [
            #"data: {"choices":[{"delta":{"role":"assistant","content":""}}]}"# + "\n\n",
            #"data: {"choices":[{"delta":{"content":"你好，"}}]}"# + "\n\n",
            #"data: {"choices":[{"delta":{"content":"世界！这是一个测试。"}}]}"# + "\n\n"
                + #"data: {"choices":[{"delta":{"content":"中文"}}]}"# + "\n\n",
            #"data: {"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":7}}"# + "\n\n",
            "data: [DONE]\n\n",
        ]
        let response = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n" + chunkedBody(events)
        let outcome = try parseEveryWay(response)
        #expect(outcome.head?.header("content-type") == "text/event-stream; charset=utf-8")
        #expect(outcome.bodyText == events.joined())
        #expect(outcome.body == Array(events.joined().utf8))
        #expect(outcome.bodyText.contains("世界！这是一个测试。"))
        #expect(outcome.bodyBytes == events.joined().utf8.count)
        #expect(outcome.framing == .chunked)
        #expect(outcome.isComplete)
        #expect(outcome.keepAlive)
    }

    @Test func closeDelimitedBodyEndsOnlyAtEndOfStream() throws {
        let body = "data: {\"x\":1}\n\ndata: [DONE]\n\n"
        let response = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n" + body
        let open = try parseEveryWay(response)
        #expect(open.bodyText == body)
        #expect(open.framing == .untilClose)
        #expect(!open.isComplete)
        #expect(!open.keepAlive)

        let closed = try parseEveryWay(response, endOfStream: true)
        #expect(closed.completeBeforeEnd == false)
        #expect(closed.endOfStreamResult == true)
        #expect(closed.isComplete)
        #expect(closed.bodyText == body)
        #expect(closed.bodyBytes == body.utf8.count)

        var parser = HTTPResponseParser()
        #expect(!parser.endsAtClose)
        try Array(response.utf8).withUnsafeBytes { try parser.feed($0, onHead: { _ in }, onBody: { _ in }) }
        #expect(parser.endsAtClose)
    }

    @Test func closeDelimitedEmptyBodyEndsAtEndOfStream() throws {
        let outcome = try parseEveryWay("HTTP/1.1 200 OK\r\nServer: x\r\n\r\n", endOfStream: true)
        #expect(outcome.framing == .untilClose)
        #expect(outcome.endOfStreamResult == true)
        #expect(outcome.isComplete)
        #expect(outcome.body.isEmpty)
    }

    @Test func endOfStreamBeforeTheEndIsNotACompleteResponse() throws {
        let truncatedLength = try parseResponse([Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".utf8)], endOfStream: true)
        #expect(truncatedLength.endOfStreamResult == false)
        #expect(!truncatedLength.isComplete)
        #expect(truncatedLength.bodyText == "abc")

        let truncatedChunked = try parseResponse(
            [Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel".utf8)], endOfStream: true)
        #expect(truncatedChunked.endOfStreamResult == false)
        #expect(!truncatedChunked.isComplete)

        let noFinalChunk = try parseResponse(
            [Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n".utf8)], endOfStream: true)
        #expect(noFinalChunk.endOfStreamResult == false)

        let midHead = try parseResponse([Array("HTTP/1.1 200 OK\r\nContent-Le".utf8)], endOfStream: true)
        #expect(midHead.endOfStreamResult == false)
        #expect(midHead.heads.isEmpty)

        let complete = try parseResponse([Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8)], endOfStream: true)
        #expect(complete.endOfStreamResult == true)
    }

    @Test func noContentHasNoBody() throws {
        let outcome = try parseEveryWay("HTTP/1.1 204 No Content\r\nDate: today\r\n\r\n")
        #expect(outcome.head?.status == 204)
        #expect(outcome.head?.reason == "No Content")
        #expect(outcome.framing == .none)
        #expect(outcome.isComplete)
        #expect(outcome.body.isEmpty)
        #expect(outcome.keepAlive)

        let notModified = try parseEveryWay("HTTP/1.1 304 Not Modified\r\nContent-Length: 42\r\n\r\n")
        #expect(notModified.framing == .none)
        #expect(notModified.isComplete)
    }

    @Test func zeroContentLengthIsCompleteAtTheHead() throws {
        let outcome = try parseEveryWay("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        #expect(outcome.framing == .contentLength(0))
        #expect(outcome.isComplete)
        #expect(outcome.body.isEmpty)
        #expect(outcome.keepAlive)
    }

    @Test func connectionCloseEndsKeepAlive() throws {
        let outcome = try parseEveryWay("HTTP/1.1 500 Internal Server Error\r\nConnection: Close\r\nContent-Length: 5\r\n\r\noops!")
        #expect(outcome.head?.status == 500)
        #expect(outcome.head?.reason == "Internal Server Error")
        #expect(outcome.bodyText == "oops!")
        #expect(outcome.isComplete)
        #expect(!outcome.keepAlive)
    }

    @Test func http10KeepsAliveOnlyWhenAsked() throws {
        let plain = try parseEveryWay("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi")
        #expect(plain.head?.version == "HTTP/1.0")
        #expect(plain.bodyText == "hi")
        #expect(plain.isComplete)
        #expect(!plain.keepAlive)

        let asked = try parseEveryWay("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nhi")
        #expect(asked.isComplete)
        #expect(asked.keepAlive)
    }

    @Test func interimContinueIsSkippedForTheRealResponse() throws {
        let response = "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 201 Created\r\nContent-Length: 4\r\nLocation: /x\r\n\r\ndone"
        let outcome = try parseEveryWay(response)
        #expect(outcome.heads.count == 1)
        #expect(outcome.head?.status == 201)
        #expect(outcome.head?.reason == "Created")
        #expect(outcome.head?.header("Location") == "/x")
        #expect(outcome.bodyText == "done")
        #expect(outcome.isComplete)
        #expect(outcome.keepAlive)
    }

    @Test func lineFeedOnlyLineEndings() throws {
        let plain = try parseEveryWay("HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 3\n\nabc")
        #expect(plain.head?.header("content-type") == "text/plain")
        #expect(plain.head?.reason == "OK")
        #expect(plain.bodyText == "abc")
        #expect(plain.isComplete)

        let chunked = try parseEveryWay("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3;x\nabc\n2\nde\n0\nT: 1\n\n")
        #expect(chunked.bodyText == "abcde")
        #expect(chunked.isComplete)
        #expect(chunked.keepAlive)
    }

    @Test func leadingBlankLinesBeforeTheStatusLineAreTolerated() throws {
        let outcome = try parseEveryWay("\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx")
        #expect(outcome.head?.status == 200)
        #expect(outcome.bodyText == "x")
        #expect(outcome.isComplete)
    }

    @Test func bodyBytesAreNotMistakenForHeadLines() throws {
        // A body that looks like a head must come out verbatim.
        let body = "HTTP/1.1 404 Nope\r\n\r\n0\r\n\r\n"
        let outcome = try parseEveryWay("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
        #expect(outcome.heads.count == 1)
        #expect(outcome.bodyText == body)
    }

    // MARK: Bytes after the end

    @Test(arguments: [
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        "HTTP/1.1 204 No Content\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    ])
    func bytesAfterACompleteResponseEndKeepAlive(response: String) throws {
        let clean = try parseResponse([Array(response.utf8)])
        #expect(clean.isComplete)
        #expect(clean.keepAlive)

        let extra = Array("HTTP/1.1 200 OK\r\n".utf8)
        let sameRead = try parseResponse([Array(response.utf8) + extra])
        #expect(sameRead.isComplete)
        #expect(!sameRead.keepAlive)
        #expect(sameRead.heads.count == 1)
        #expect(sameRead.body == clean.body)

        let laterRead = try parseResponse([Array(response.utf8), extra])
        #expect(laterRead.isComplete)
        #expect(!laterRead.keepAlive)
        #expect(laterRead.body == clean.body)
    }

    // MARK: Errors

    @Test(arguments: ["HTTX/1.1 200 OK", "HTTP/1.1 abc OK", "HTTP/1.1", "garbage", "HTTP/1.1 99 Low", "HTTP/1.1 1000 High"])
    func malformedStatusLine(statusLine: String) {
        let error = parseErrorEveryWay(statusLine + "\r\nContent-Length: 0\r\n\r\n")
        #expect(error == .malformedStatusLine(statusLine))
    }

    @Test func headerWithoutColon() {
        let error = parseErrorEveryWay("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nthis is not a header\r\n\r\n")
        #expect(error == .malformedHeader("this is not a header"))
    }

    @Test func headerNameWithSpaceOrEmpty() {
        #expect(parseErrorEveryWay("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n") == .malformedHeader("Bad Name: x"))
        #expect(parseErrorEveryWay("HTTP/1.1 200 OK\r\n: novalue\r\n\r\n") == .malformedHeader(": novalue"))
    }

    @Test(arguments: ["abc", "-1", "5, 5", "1.5", "", "99999999999999999999999"])
    func badContentLength(value: String) {
        let error = parseErrorEveryWay("HTTP/1.1 200 OK\r\nContent-Length: \(value)\r\n\r\nhello")
        #expect(error == .badContentLength(value))
    }

    @Test(arguments: ["zz", "g", "", ";ext", "0x5", "1234567890abcdef0"])
    func badChunkSize(sizeLine: String) {
        let error = parseErrorEveryWay("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\(sizeLine)\r\nhello\r\n0\r\n\r\n")
        guard case .badChunk(let what) = error else {
            Issue.record("expected badChunk, got \(String(describing: error))")
            return
        }
        #expect(what.contains("chunk size"))
    }

    @Test func missingLineEndAfterChunkData() {
        // The chunk says 3 bytes, but 5 follow before the line end.
        let tooLong = parseErrorEveryWay("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n")
        #expect(tooLong == .badChunk("missing CRLF after chunk data"))
        // The next chunk's size line follows the data directly.
        let glued = parseErrorEveryWay("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello5\r\nworld\r\n0\r\n\r\n")
        #expect(glued == .badChunk("missing CRLF after chunk data"))
    }

    @Test func headLargerThanTheLimitFailsWithOneHugeHeader() {
        let huge = String(repeating: "a", count: HTTPResponseParser.headLimit + 10)
        let response = "HTTP/1.1 200 OK\r\nX-Huge: \(huge)\r\nContent-Length: 0\r\n\r\n"
        #expect(parseErrorEveryWay(response) == .headTooLarge(limit: 64 * 1024))
        // A head that never ends must not be buffered without bound either.
        let unterminated = "HTTP/1.1 200 OK\r\nX-Huge: \(huge)"
        #expect(throws: HTTPParseError.headTooLarge(limit: 64 * 1024)) {
            _ = try parseResponse([Array(unterminated.utf8)])
        }
    }

    @Test func headLargerThanTheLimitFailsWithManyHeaders() throws {
        let line = "X-Filler: " + String(repeating: "b", count: 90) + "\r\n"
        let count = HTTPResponseParser.headLimit / 100 + 10
        let response = "HTTP/1.1 200 OK\r\n" + String(repeating: line, count: count) + "Content-Length: 0\r\n\r\n"
        #expect(throws: HTTPParseError.headTooLarge(limit: 64 * 1024)) {
            _ = try parseResponse([Array(response.utf8)])
        }
        // The same head delivered in 1000-byte reads.
        let bytes = Array(response.utf8)
        let reads = stride(from: 0, to: bytes.count, by: 1000).map { Array(bytes[$0..<min($0 + 1000, bytes.count)]) }
        #expect(throws: HTTPParseError.headTooLarge(limit: 64 * 1024)) {
            _ = try parseResponse(reads)
        }
    }

    @Test func headJustUnderTheLimitIsAccepted() throws {
        let value = String(repeating: "c", count: 60 * 1024)
        let outcome = try parseResponse([Array("HTTP/1.1 200 OK\r\nX-Big: \(value)\r\nContent-Length: 1\r\n\r\nz".utf8)])
        #expect(outcome.head?.header("x-big")?.utf8.count == 60 * 1024)
        #expect(outcome.bodyText == "z")
        #expect(outcome.isComplete)
    }

    @Test func errorDescriptionsSayWhatWentWrong() {
        #expect(HTTPParseError.headTooLarge(limit: 65536).description.contains("65536"))
        #expect(HTTPParseError.badContentLength("abc").description.contains("abc"))
        #expect(HTTPParseError.malformedHeader("xyz").description.contains("xyz"))
        #expect(HTTPParseError.malformedStatusLine("FOO").description.contains("FOO"))
        #expect(HTTPParseError.badChunk("bad chunk size").description.contains("bad chunk size"))
    }
}
