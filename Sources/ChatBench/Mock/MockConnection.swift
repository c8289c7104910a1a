#if os(Linux)
import CEpoll
import Glibc

/// One client connection to the mock server (loop-confined): reads requests, answers them,
/// keeps the connection alive between requests as real servers do.
final class MockConnection: EventLoopHandler {
    let fd: Int32
    unowned let server: MockServer
    private var input: [UInt8] = []
    /// How much of `input` has been searched for the end of the head without finding it.
    private var headScanned = 0
    private var output: [UInt8] = []
    private var outputOffset = 0
    private(set) var closed = false
    private var wantsWrite = false
    /// The next timer of the completion being answered, cancelled if the client goes away.
    var pendingTimer: TimerHeap.ID?
    var busy = false
    /// A completion is being answered: counted once in `activeCompletions`, uncounted exactly once.
    private var completionActive = false
    /// When the last request bytes were read (the loop's wake-up stamp), for the timing log.
    private var readAt: UInt64 = 0
    /// Send times of the completion being answered, when the server keeps a timing log.
    private var timing: MockTiming?
    private var closeAfterResponse = false
    /// Requests this connection has read, for faults that depend on keep-alive reuse.
    var requestsOnConnection = 0

    private static let headLimit = 64 * 1024
    private static let bodyLimit = 16 << 20

    init(fd: Int32, server: MockServer) {
        self.fd = fd
        self.server = server
    }

    func handle(events: UInt32, at now: UInt64) {
        if closed { return }
        readAt = now
        if events & UInt32(EPOLLOUT.rawValue) != 0 { flush() }
        if closed { return }
        if events & (UInt32(EPOLLIN.rawValue) | UInt32(EPOLLHUP.rawValue) | UInt32(EPOLLERR.rawValue) | UInt32(EPOLLRDHUP.rawValue)) != 0 {
            receive()
        }
    }

    private func receive() {
        let buffer = server.readBuffer
        let n = read(fd, buffer.baseAddress, buffer.count)
        if n > 0 {
            input.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            if !busy { processInput() }
            return
        }
        if n < 0 && (errno == EAGAIN || errno == EINTR) { return }
        if busy { server.update { $0.clientDisconnects += 1 } }
        close()
    }

    /// Parses one complete request from `input`, if there is one, and starts answering it.
    /// The head is read as bytes: the mock shares the cores with the client it serves, so every
    /// microsecond it spends per request is one the client does not get.
    private func processInput() {
        guard let headEnd = findHeadEnd() else {
            if input.count > Self.headLimit { respondError(431, "request headers too large", close: true) }
            return
        }
        let head = input.withUnsafeBytes { Self.parseHead(UnsafeRawBufferPointer(rebasing: $0[0..<headEnd])) }
        guard let head else {
            respondError(400, "malformed request line", close: true)
            return
        }
        guard head.contentLength >= 0, head.contentLength <= Self.bodyLimit else {
            respondError(413, "bad or too large Content-Length", close: true)
            return
        }
        let contentLength = head.contentLength
        let bodyStart = headEnd + 4
        guard input.count >= bodyStart + contentLength else { return }
        let body = Array(input[bodyStart..<(bodyStart + contentLength)])
        input.removeFirst(bodyStart + contentLength)
        headScanned = 0
        closeAfterResponse = head.connectionClose
        server.update { $0.requests += 1 }
        requestsOnConnection += 1
        route(method: head.method, path: head.path, body: body, faultHeader: head.faultHeader, authorization: head.authorization)
    }

    /// What the mock reads from a request head.
    struct RequestHead {
        var method: String
        var path: String
        var contentLength = 0
        var connectionClose: Bool
        var faultHeader: String?
        var authorization: String?
    }

    /// The request line (three space-separated words) and the headers the mock acts on; nil for
    /// a malformed request line. Header names compare case-insensitively, values lose the
    /// spaces and tabs around them.
    static func parseHead(_ head: UnsafeRawBufferPointer) -> RequestHead? {
        func text(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }
        func lineEnd(from start: Int) -> Int {
            var index = start
            while index + 1 < head.count, !(head[index] == 13 && head[index + 1] == 10) { index += 1 }
            return index + 1 < head.count ? index : head.count
        }
        let requestLineEnd = lineEnd(from: 0)
        var words: [UnsafeRawBufferPointer] = []
        var wordStart = -1
        for index in 0...requestLineEnd {
            let isSpace = index == requestLineEnd || head[index] == 0x20
            if isSpace {
                if wordStart >= 0 { words.append(UnsafeRawBufferPointer(rebasing: head[wordStart..<index])) }
                wordStart = -1
            } else if wordStart < 0 {
                wordStart = index
            }
            if words.count > 3 { return nil }
        }
        guard words.count == 3 else { return nil }
        var result = RequestHead(method: text(words[0]), path: text(words[1]), connectionClose: words[2].elementsEqual("HTTP/1.0".utf8))
        var start = requestLineEnd + 2
        while start <= head.count {
            let end = lineEnd(from: start)
            let line = UnsafeRawBufferPointer(rebasing: head[min(start, head.count)..<end])
            start = end + 2
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
            var valueStart = colon + 1
            var valueEnd = line.count
            while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
            while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 { valueEnd -= 1 }
            let value = UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd])
            if asciiCaseInsensitiveEquals(name, "content-length") {
                result.contentLength = Int(text(value)) ?? -1
            } else if asciiCaseInsensitiveEquals(name, "connection") {
                result.connectionClose = asciiCaseInsensitiveEquals(value, "close")
            } else if asciiCaseInsensitiveEquals(name, "x-mock-fault") {
                result.faultHeader = text(value)
            } else if asciiCaseInsensitiveEquals(name, "authorization") {
                result.authorization = text(value)
            }
        }
        return result
    }

    private static func asciiCaseInsensitiveEquals(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        for index in 0..<bytes.count {
            var byte = bytes[index]
            if byte >= 65 && byte <= 90 { byte += 32 }
            if byte != expected[index] { return false }
        }
        return true
    }

    /// Where the head's CRLFCRLF starts; the search resumes where the previous one stopped.
    private func findHeadEnd() -> Int? {
        guard input.count >= 4 else { return nil }
        let from = max(0, headScanned - 3)
        let found = input.withUnsafeBytes { bytes -> Int? in
            guard let base = bytes.baseAddress else { return nil }
            var index = from
            while index + 4 <= bytes.count {
                guard let hit = memchr(base + index, 13, bytes.count - 3 - index) else { return nil }
                index = base.distance(to: UnsafeRawPointer(hit))
                if bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 { return index }
                index += 1
            }
            return nil
        }
        if found == nil { headScanned = input.count }
        return found
    }

    private func route(method: String, path: String, body: [UInt8], faultHeader: String?, authorization: String?) {
        let bare = path.utf8.contains(UInt8(ascii: "?")) ? path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path : path
        switch (method, bare) {
        case ("GET", "/v1/models"), ("GET", "/models"):
            let model = server.profile.model
            let json: JSONValue = .object([
                "object": .string("list"),
                "data": .array([.object(["id": .string(model), "object": .string("model"), "owned_by": .string("chatbench-mock")])]),
            ])
            respond(200, contentType: "application/json", body: Array(json.serialized().utf8))
        case ("GET", "/api/tags"):
            respond(200, contentType: "application/json", body: Array(MockOllamaTags.body(model: server.profile.model).serialized().utf8))
        case ("POST", "/api/chat"):
            startNativeChat(body)
        case ("POST", "/v1/chat/completions"), ("POST", "/chat/completions"):
            let request: JSONValue
            do {
                request = try JSONParser.parse(body)
            } catch {
                respondError(400, "request body is not valid JSON: \(error)", close: false)
                return
            }
            guard request["messages"]?.arrayValue != nil else {
                respondError(400, "'messages' is a required property", close: false)
                return
            }
            let now = MonotonicClock.now()
            let completion = MockCompletion(
                request: request, profile: server.profile, number: nextRequestNumber(), loadWait: server.modelLoadWait(at: now), receivedAt: now)
            if answeredWithFault(header: faultHeader, request: request, completion: completion, authorization: authorization) { return }
            startCompletion(completion)
        default:
            respondError(404, "no route for \(method) \(bare)", close: false)
        }
    }

    /// Ollama's `/api/chat`: errors are `{"error": "..."}`, as Ollama writes them.
    private func startNativeChat(_ body: [UInt8]) {
        guard let request = try? JSONParser.parse(body), request["messages"]?.arrayValue != nil else {
            let json: JSONValue = .object(["error": .string("invalid request: 'messages' is required and the body must be JSON")])
            respond(400, contentType: "application/json", body: Array(json.serialized().utf8))
            return
        }
        let now = MonotonicClock.now()
        startCompletion(MockCompletion(
            request: request, profile: server.profile, number: nextRequestNumber(), native: true,
            loadWait: server.modelLoadWait(at: now), receivedAt: now))
    }

    private func nextRequestNumber() -> UInt64 {
        server.requestCounter += 1
        return server.requestCounter
    }

    // MARK: answering

    private func startCompletion(_ completion: MockCompletion) {
        guard !closed else { return }
        busy = true
        completionActive = true
        server.update {
            $0.activeCompletions += 1
            $0.maxActiveCompletions = max($0.maxActiveCompletions, $0.activeCompletions)
        }
        let start = MonotonicClock.now()
        if server.timingLog != nil {
            timing = MockTiming(number: completion.number, received: readAt, tokensSent: [])
            timing?.tokensSent.reserveCapacity(completion.delays.count)
        }
        if !completion.stream {
            let at = start &+ completion.delays.reduce(0, &+)
            if at <= start {
                // Nothing to wait for: answered now, not on the next turn of the loop.
                answerWhole(completion)
            } else {
                schedule(at: at) { [self] in answerWhole(completion) }
            }
            return
        }
        if server.profile.buffered {
            startBufferedStream(completion, start: start)
            return
        }
        writeStreamHead(completion)
        emitToken(0, of: completion, dueAt: start)
    }

    private func answerWhole(_ completion: MockCompletion) {
        guard !closed else { return }
        completionEnded()
        respond(200, contentType: "application/json", body: completion.fullResponseBytes(at: MonotonicClock.now()))
    }

    private func writeStreamHead(_ completion: MockCompletion) {
        write(streamHead(completion))
    }

    private func streamHead(_ completion: MockCompletion) -> [UInt8] {
        var head = "HTTP/1.1 200 OK\r\nContent-Type: \(completion.streamContentType)\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n"
        if closeAfterResponse { head += "Connection: close\r\n" }
        head += "\r\n"
        var bytes = Array(head.utf8)
        let role = completion.roleEvent()
        if !role.isEmpty { bytes += chunkBytes(role) }
        return bytes
    }

    /// Like a buffering proxy: nothing until the whole answer is ready, then everything in one write.
    private func startBufferedStream(_ completion: MockCompletion, start: UInt64) {
        schedule(at: start &+ completion.delays.reduce(0, &+)) { [self] in
            var bytes = streamHead(completion)
            for index in completion.chunks.indices { bytes += chunkBytes(completion.tokenEvent(index)) }
            for event in completion.closingEvents(at: MonotonicClock.now()) { bytes += chunkBytes(event) }
            bytes += Array("0\r\n\r\n".utf8)
            write(bytes)
            completionEnded()
            responseFinished()
        }
    }

    private func finishStream(_ completion: MockCompletion) {
        for event in completion.closingEvents(at: MonotonicClock.now()) { writeChunk(event) }
        write(Array("0\r\n\r\n".utf8))
        completionEnded()
        responseFinished()
    }

    /// Token `index` is due `delays[index]` after the previous one; each token schedules the
    /// next, so a stream holds one timer at a time and events can never overtake each other.
    private func emitToken(_ index: Int, of completion: MockCompletion, dueAt previous: UInt64) {
        guard !closed else { return }
        guard index < completion.delays.count else {
            finishStream(completion)
            return
        }
        let due = previous &+ completion.delays[index]
        schedule(at: due) { [self] in
            guard !closed else { return }
            // Stamped before send(): on loopback the client can read the bytes before send() returns.
            if timing != nil { timing?.tokensSent.append(MonotonicClock.now()) }
            writeChunk(completion.tokenEvent(index))
            emitToken(index + 1, of: completion, dueAt: due)
        }
    }

    func schedule(at deadline: UInt64, _ action: @escaping () -> Void) {
        pendingTimer = server.loop.schedule(at: deadline, action)
    }

    func completionEnded() {
        pendingTimer = nil
        if let finished = timing {
            server.timingLog?.record(finished)
            timing = nil
        }
        guard completionActive else { return }
        completionActive = false
        server.update { $0.activeCompletions -= 1 }
    }

    func responseFinished() {
        guard !closed else { return }
        busy = false
        if closeAfterResponse {
            flush()
            close()
            return
        }
        if !input.isEmpty { processInput() }
    }

    func respondError(_ status: Int, _ message: String, close: Bool) {
        closeAfterResponse = closeAfterResponse || close
        let type = status == 404 ? "not_found_error" : "invalid_request_error"
        let json: JSONValue = .object([
            "error": .object(["message": .string(message), "type": .string(type), "code": .int(status)])
        ])
        respond(status, contentType: "application/json", body: json.bytes())
    }

    private func respond(_ status: Int, contentType: String, body: [UInt8]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(body.count + 128)
        bytes.append(contentsOf: "HTTP/1.1 ".utf8)
        bytes.append(contentsOf: String(status).utf8)
        bytes.append(0x20)
        bytes.append(contentsOf: reasonPhrase(status).utf8)
        bytes.append(contentsOf: "\r\nContent-Type: ".utf8)
        bytes.append(contentsOf: contentType.utf8)
        bytes.append(contentsOf: "\r\nContent-Length: ".utf8)
        bytes.append(contentsOf: String(body.count).utf8)
        bytes.append(contentsOf: "\r\n".utf8)
        if closeAfterResponse { bytes.append(contentsOf: "Connection: close\r\n".utf8) }
        bytes.append(contentsOf: "\r\n".utf8)
        bytes.append(contentsOf: body)
        write(bytes)
        responseFinished()
    }

    private func writeChunk(_ payload: [UInt8]) {
        guard !closed else { return }
        if output.count == outputOffset {
            output.removeAll(keepingCapacity: true)
            outputOffset = 0
        }
        // Framed straight into the output buffer: no intermediate array per event.
        output.append(contentsOf: String(payload.count, radix: 16).utf8)
        output.append(13)
        output.append(10)
        output.append(contentsOf: payload)
        output.append(13)
        output.append(10)
        flush()
    }

    private func chunkBytes(_ payload: [UInt8]) -> [UInt8] {
        var bytes = Array(String(payload.count, radix: 16).utf8)
        bytes += [13, 10]
        bytes += payload
        bytes += [13, 10]
        return bytes
    }

    // MARK: output

    func write(_ bytes: [UInt8]) {
        guard !closed else { return }
        if output.count == outputOffset {
            output.removeAll(keepingCapacity: true)
            outputOffset = 0
        }
        output += bytes
        flush()
    }

    private func flush() {
        while outputOffset < output.count {
            let n = output.withUnsafeBytes { buffer in
                Glibc.send(fd, buffer.baseAddress! + outputOffset, output.count - outputOffset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                outputOffset += n
                continue
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                setWriteInterest(true)
                return
            }
            if busy { server.update { $0.clientDisconnects += 1 } }
            close()
            return
        }
        setWriteInterest(false)
    }

    private func setWriteInterest(_ on: Bool) {
        guard on != wantsWrite, !closed else { return }
        wantsWrite = on
        var events = UInt32(EPOLLIN.rawValue) | UInt32(EPOLLRDHUP.rawValue)
        if on { events |= UInt32(EPOLLOUT.rawValue) }
        server.loop.modify(fd: fd, events: events)
    }

    func close() {
        guard !closed else { return }
        closed = true
        if let timer = pendingTimer { server.loop.cancelTimer(timer) }
        completionEnded()
        server.loop.unregister(fd: fd)
        server.connections.removeValue(forKey: fd)
        Glibc.close(fd)
    }
}

func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 200: "OK"
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 404: "Not Found"
    case 413: "Payload Too Large"
    case 429: "Too Many Requests"
    case 431: "Request Header Fields Too Large"
    case 500: "Internal Server Error"
    case 503: "Service Unavailable"
    default: "Status \(status)"
    }
}
#endif
