/// The status line and headers of an HTTP response.
public struct HTTPResponseHead: Sendable, Equatable {
    public var status: Int
    public var reason: String
    public var headers: [(name: String, value: String)]
    public var version: String

    /// First value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    public static func == (lhs: HTTPResponseHead, rhs: HTTPResponseHead) -> Bool {
        lhs.status == rhs.status && lhs.reason == rhs.reason && lhs.version == rhs.version
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }
}

/// Why a response could not be framed.
enum HTTPParseError: Error, Equatable, CustomStringConvertible {
    case headTooLarge(limit: Int)
    case malformedStatusLine(String)
    case malformedHeader(String)
    case badContentLength(String)
    case badChunk(String)

    var description: String {
        switch self {
        case .headTooLarge(let limit): "response headers exceed \(limit) bytes"
        case .malformedStatusLine(let line): "malformed status line: \(line.prefix(120).debugDescription)"
        case .malformedHeader(let line): "malformed header line: \(line.prefix(120).debugDescription)"
        case .badContentLength(let value): "bad Content-Length: \(value.prefix(40).debugDescription)"
        case .badChunk(let what): "broken chunked encoding: \(what)"
        }
    }
}

/// An incremental HTTP/1.1 response parser: bytes in any split, out come the head, body bytes
/// (de-chunked, without copying when they sit in the caller's buffer) and the end of the message.
/// Buffers only the head and chunk-size lines, both bounded.
struct HTTPResponseParser {
    enum Framing: Equatable {
        case contentLength(Int)
        case chunked
        /// No length: the body runs until the server closes the connection.
        case untilClose
        case none
    }

    private enum State {
        case head
        case body
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd  // expecting CRLF after chunk data
        case trailers
        case done
    }

    static let headLimit = 64 * 1024
    private static let chunkLineLimit = 4096

    private var state = State.head
    private var lineBuffer: [UInt8] = []
    private var headLines: [String] = []
    private var remaining = 0
    private(set) var framing = Framing.none
    private(set) var head: HTTPResponseHead?
    /// False when the server asked to close, or spoke HTTP/1.0 without keep-alive.
    private(set) var keepAlive = true
    private(set) var isComplete = false
    private(set) var bodyBytes = 0

    /// Whether the response uses close-delimited framing (end of stream = end of body).
    var endsAtClose: Bool { framing == .untilClose }

    /// `noBody` is for HEAD requests; chatbench never sends them, but 204/304 have no body either.
    mutating func feed(
        _ input: UnsafeRawBufferPointer,
        onHead: (HTTPResponseHead) -> Void,
        onBody: (UnsafeRawBufferPointer) -> Void
    ) throws(HTTPParseError) {
        var index = 0
        let count = input.count
        while index < count {
            switch state {
            case .head:
                guard let end = takeLine(input, from: &index, limit: Self.headLimit) else {
                    if headLines.reduce(0, { $0 + $1.utf8.count }) + lineBuffer.count > Self.headLimit {
                        throw .headTooLarge(limit: Self.headLimit)
                    }
                    return
                }
                if end.isEmpty {
                    if headLines.isEmpty { continue }  // tolerate leading blank lines
                    let parsed = try parseHead()
                    if parsed.status >= 100 && parsed.status < 200 {
                        headLines.removeAll()  // interim response: the real one follows
                        continue
                    }
                    head = parsed
                    onHead(parsed)
                    try chooseFraming(parsed)
                } else {
                    headLines.append(end)
                    if headLines.reduce(0, { $0 + $1.utf8.count }) > Self.headLimit {
                        throw .headTooLarge(limit: Self.headLimit)
                    }
                }
            case .body:
                let take: Int
                if case .contentLength = framing { take = min(remaining, count - index) } else { take = count - index }
                onBody(UnsafeRawBufferPointer(rebasing: input[index..<(index + take)]))
                bodyBytes += take
                index += take
                if case .contentLength = framing {
                    remaining -= take
                    if remaining == 0 { finish() }
                }
            case .chunkSize:
                guard let line = takeLine(input, from: &index, limit: Self.chunkLineLimit) else {
                    if lineBuffer.count > Self.chunkLineLimit { throw .badChunk("chunk-size line too long") }
                    return
                }
                let hex = line.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces } ?? ""
                guard !hex.isEmpty, hex.count <= 15, let size = Int(hex, radix: 16), size >= 0 else {
                    throw .badChunk("bad chunk size \(line.prefix(40).debugDescription)")
                }
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let left):
                let take = min(left, count - index)
                onBody(UnsafeRawBufferPointer(rebasing: input[index..<(index + take)]))
                bodyBytes += take
                index += take
                state = left - take == 0 ? .chunkDataEnd : .chunkData(remaining: left - take)
            case .chunkDataEnd:
                guard let line = takeLine(input, from: &index, limit: 2) else {
                    if lineBuffer.count > 2 { throw .badChunk("missing CRLF after chunk data") }
                    return
                }
                if !line.isEmpty { throw .badChunk("missing CRLF after chunk data") }
                state = .chunkSize
            case .trailers:
                guard let line = takeLine(input, from: &index, limit: Self.chunkLineLimit) else {
                    if lineBuffer.count > Self.chunkLineLimit { throw .badChunk("trailer line too long") }
                    return
                }
                if line.isEmpty { finish() }
            case .done:
                // Bytes after a complete response on a connection we did not pipeline on: the
                // connection can no longer be trusted for reuse.
                keepAlive = false
                return
            }
        }
    }

    /// End of stream from the server. Returns true when that legitimately ends the body.
    mutating func endOfStream() -> Bool {
        if case .body = state, framing == .untilClose {
            finish()
            return true
        }
        return isComplete
    }

    private mutating func finish() {
        state = .done
        isComplete = true
    }

    /// Takes one line (without CRLF/LF) if complete; otherwise buffers the tail and returns nil.
    private mutating func takeLine(_ input: UnsafeRawBufferPointer, from index: inout Int, limit: Int) -> String? {
        let start = index
        var cursor = index
        let count = input.count
        while cursor < count && input[cursor] != 0x0A { cursor += 1 }
        if cursor == count {
            lineBuffer.append(contentsOf: input[start..<count])
            index = count
            return nil
        }
        var bytes: [UInt8]
        if lineBuffer.isEmpty {
            bytes = Array(input[start..<cursor])
        } else {
            lineBuffer.append(contentsOf: input[start..<cursor])
            bytes = lineBuffer
            lineBuffer.removeAll(keepingCapacity: true)
        }
        index = cursor + 1
        if bytes.last == 0x0D { bytes.removeLast() }
        _ = limit
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func parseHead() throws(HTTPParseError) -> HTTPResponseHead {
        let statusLine = headLines[0]
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]), (100...999).contains(status) else {
            throw .malformedStatusLine(statusLine)
        }
        var headers: [(name: String, value: String)] = []
        for line in headLines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw .malformedHeader(line) }
            let name = String(line[..<colon])
            if name.isEmpty || name.contains(" ") { throw .malformedHeader(line) }
            headers.append((name, String(line[line.index(after: colon)...]).trimmingSpaces))
        }
        headLines.removeAll()
        return HTTPResponseHead(
            status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers, version: String(parts[0]))
    }

    private mutating func chooseFraming(_ head: HTTPResponseHead) throws(HTTPParseError) {
        let connection = head.header("Connection")?.lowercased() ?? ""
        if head.version == "HTTP/1.0" {
            keepAlive = connection.contains("keep-alive")
        } else if connection.contains("close") {
            keepAlive = false
        }
        if head.status == 204 || head.status == 304 {
            framing = .none
            finish()
            return
        }
        if let encoding = head.header("Transfer-Encoding"), encoding.lowercased().contains("chunked") {
            framing = .chunked
            state = .chunkSize
            return
        }
        if let lengthText = head.header("Content-Length") {
            guard let length = Int(lengthText), length >= 0 else { throw .badContentLength(lengthText) }
            framing = .contentLength(length)
            remaining = length
            if length == 0 { finish() } else { state = .body }
            return
        }
        framing = .untilClose
        keepAlive = false
        state = .body
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let first = s.first, first == " " || first == "\t" { s = s.dropFirst() }
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return String(s)
    }

    func caseInsensitiveEquals(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y {
            let lx = x >= 65 && x <= 90 ? x + 32 : x
            let ly = y >= 65 && y <= 90 ? y + 32 : y
            if lx != ly { return false }
        }
        return true
    }
}
