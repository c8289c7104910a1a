#if canImport(Glibc)
import Glibc
#endif
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
    /// The head's lines so far (status line first), as bytes: one flat buffer and where each line ends.
    private var headBytes: [UInt8] = []
    private var headLineEnds: [Int] = []
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
                // Lines are read as bytes (no String per line): this runs once per response.
                let line = takeLine(input, from: &index) { parser, line -> (empty: Bool, tooLarge: Bool) in
                    if line.isEmpty { return (true, false) }
                    parser.headBytes.append(contentsOf: line)
                    parser.headLineEnds.append(parser.headBytes.count)
                    return (false, parser.headBytes.count > Self.headLimit)
                }
                guard let line else {
                    if headBytes.count + lineBuffer.count > Self.headLimit {
                        throw .headTooLarge(limit: Self.headLimit)
                    }
                    return
                }
                if line.tooLarge { throw .headTooLarge(limit: Self.headLimit) }
                if line.empty {
                    if headLineEnds.isEmpty { continue }  // tolerate leading blank lines
                    let parsed = try parseHead()
                    if parsed.status >= 100 && parsed.status < 200 {
                        continue  // interim response: the real one follows
                    }
                    head = parsed
                    onHead(parsed)
                    try chooseFraming(parsed)
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
                let parsed = takeLine(input, from: &index) { _, line -> Result<Int, HTTPParseError> in Self.chunkSize(line) }
                guard let parsed else {
                    if lineBuffer.count > Self.chunkLineLimit { throw .badChunk("chunk-size line too long") }
                    return
                }
                let size = try parsed.get()
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let left):
                let take = min(left, count - index)
                onBody(UnsafeRawBufferPointer(rebasing: input[index..<(index + take)]))
                bodyBytes += take
                index += take
                state = left - take == 0 ? .chunkDataEnd : .chunkData(remaining: left - take)
            case .chunkDataEnd:
                if lineBuffer.isEmpty, index + 1 < count, input[index] == 0x0D, input[index + 1] == 0x0A {
                    // The usual CRLF, whole in this read.
                    index += 2
                    state = .chunkSize
                    continue
                }
                guard let empty = takeLine(input, from: &index, { $1.isEmpty }) else {
                    if lineBuffer.count > 2 { throw .badChunk("missing CRLF after chunk data") }
                    return
                }
                if !empty { throw .badChunk("missing CRLF after chunk data") }
                state = .chunkSize
            case .trailers:
                guard let empty = takeLine(input, from: &index, { $1.isEmpty }) else {
                    if lineBuffer.count > Self.chunkLineLimit { throw .badChunk("trailer line too long") }
                    return
                }
                if empty { finish() }
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

    /// Takes one line if complete and hands its bytes (without CRLF/LF) to `use`; otherwise
    /// buffers the tail and returns nil. A line whole in `input` is read in place.
    private mutating func takeLine<R>(
        _ input: UnsafeRawBufferPointer, from index: inout Int, _ use: (inout HTTPResponseParser, UnsafeRawBufferPointer) -> R
    ) -> R? {
        let start = index
        let count = input.count
        guard let base = input.baseAddress, start < count else { return nil }
        guard let found = memchr(base + start, 0x0A, count - start) else {
            lineBuffer.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: count - start))
            index = count
            return nil
        }
        let cursor = base.distance(to: UnsafeRawPointer(found))
        index = cursor + 1
        if lineBuffer.isEmpty {
            var end = cursor
            if end > start && input[end - 1] == 0x0D { end -= 1 }
            return use(&self, UnsafeRawBufferPointer(start: base + start, count: end - start))
        }
        lineBuffer.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: cursor - start))
        if lineBuffer.last == 0x0D { lineBuffer.removeLast() }
        var line: [UInt8] = []
        swap(&line, &lineBuffer)
        let result = line.withUnsafeBytes { use(&self, $0) }
        line.removeAll(keepingCapacity: true)
        swap(&line, &lineBuffer)
        return result
    }

    /// A chunk-size line: hex digits, optionally `;extensions`, spaces or tabs around the size.
    private static func chunkSize(_ line: UnsafeRawBufferPointer) -> Result<Int, HTTPParseError> {
        // The usual line is bare hex digits; anything else takes the general path below.
        if !line.isEmpty && line.count <= 15 {
            var size = 0
            var plain = true
            for byte in line {
                let digit: Int
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(byte &- UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = Int(byte &- UInt8(ascii: "a")) + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = Int(byte &- UInt8(ascii: "A")) + 10
                default: digit = -1
                }
                if digit < 0 {
                    plain = false
                    break
                }
                size = size << 4 | digit
            }
            if plain { return .success(size) }
        }
        let text = String(decoding: line, as: UTF8.self)
        let hex = text.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces } ?? ""
        guard !hex.isEmpty, hex.count <= 15, let size = Int(hex, radix: 16), size >= 0 else {
            return .failure(.badChunk("bad chunk size \(text.prefix(40).debugDescription)"))
        }
        return .success(size)
    }

    /// Builds the head from the collected lines and forgets them (an interim 1xx head is followed by another).
    private mutating func parseHead() throws(HTTPParseError) -> HTTPResponseHead {
        defer {
            headBytes.removeAll(keepingCapacity: true)
            headLineEnds.removeAll(keepingCapacity: true)
        }
        let result = headBytes.withUnsafeBytes { bytes in Self.parseHead(bytes, lineEnds: headLineEnds) }
        return try result.get()
    }

    private static func parseHead(_ bytes: UnsafeRawBufferPointer, lineEnds headLineEnds: [Int]) -> Result<HTTPResponseHead, HTTPParseError> {
        do throws(HTTPParseError) {
            var lineStart = 0
            var statusLine = ""
            var status: (version: String, status: Int, reason: String)?
            var headers: [(name: String, value: String)] = []
            headers.reserveCapacity(headLineEnds.count - 1)
            for (number, lineEnd) in headLineEnds.enumerated() {
                let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd])
                lineStart = lineEnd
                if number == 0 {
                    statusLine = String(decoding: line, as: UTF8.self)
                    status = Self.plainStatusLine(line)
                    continue
                }
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                    throw .malformedHeader(String(decoding: line, as: UTF8.self))
                }
                let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
                if name.isEmpty || name.contains(UInt8(ascii: " ")) {
                    throw .malformedHeader(String(decoding: line, as: UTF8.self))
                }
                var valueStart = colon + 1
                var valueEnd = line.count
                while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
                while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 { valueEnd -= 1 }
                headers.append((
                    String(decoding: name, as: UTF8.self),
                    String(decoding: UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self)))
            }
            if let status {
                return .success(HTTPResponseHead(status: status.status, reason: status.reason, headers: headers, version: status.version))
            }
            let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]), (100...999).contains(status) else {
                throw .malformedStatusLine(statusLine)
            }
            return .success(HTTPResponseHead(
                status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers, version: String(parts[0])))
        } catch {
            return .failure(error)
        }
    }

    /// The usual status line, `HTTP/1.1 200 OK`, read from bytes: `HTTP/` and a version without
    /// spaces, one space, three digits, then nothing or one space and a reason that does not start
    /// with a space. Anything else (nil) takes the general split, which gives the same for these.
    private static func plainStatusLine(_ line: UnsafeRawBufferPointer) -> (version: String, status: Int, reason: String)? {
        guard line.count >= 12, line.starts(with: "HTTP/".utf8), let space = line.firstIndex(of: 0x20),
              space + 4 <= line.count else { return nil }
        var status = 0
        for index in (space + 1)...(space + 3) {
            let digit = line[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            status = status * 10 + Int(digit)
        }
        guard status >= 100 else { return nil }
        let afterStatus = space + 4
        var reason = ""
        if afterStatus < line.count {
            guard line[afterStatus] == 0x20, afterStatus + 1 < line.count, line[afterStatus + 1] != 0x20 else { return nil }
            reason = String(decoding: UnsafeRawBufferPointer(rebasing: line[(afterStatus + 1)...]), as: UTF8.self)
        }
        return (String(decoding: UnsafeRawBufferPointer(rebasing: line[..<space]), as: UTF8.self), status, reason)
    }

    private mutating func chooseFraming(_ head: HTTPResponseHead) throws(HTTPParseError) {
        let connection = head.header("Connection")?.lowercased() ?? ""
        if head.version == "HTTP/1.0" {
            keepAlive = connection.utf8.containsASCII("keep-alive")
        } else if connection.utf8.containsASCII("close") {
            keepAlive = false
        }
        if head.status == 204 || head.status == 304 {
            framing = .none
            finish()
            return
        }
        if let encoding = head.header("Transfer-Encoding"), encoding.lowercased().utf8.containsASCII("chunked") {
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

extension String.UTF8View {
    /// Whether `needle` (ASCII) occurs in these bytes: `String.contains(String)` goes through
    /// Foundation's `range(of:)`, which costs more than the whole header it searches.
    func containsASCII(_ needle: StaticString) -> Bool {
        let length = needle.utf8CodeUnitCount
        guard length > 0 else { return true }
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: length)
        var probe = self[...]
        while probe.count >= length {
            if probe.starts(with: pattern) { return true }
            probe = probe.dropFirst()
        }
        return false
    }
}
