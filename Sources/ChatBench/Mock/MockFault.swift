/// A way the simulated server can misbehave, for testing what a client makes of hostile or broken
/// servers. Chosen for a whole run with the profile key `fault=NAME` (optionally `fault-count=N`:
/// only the first N chat requests), or per request with the header `X-Mock-Fault: NAME` or the
/// body field `metadata.mock_fault` (a prompt line's `"metadata": {"mock_fault": "NAME"}` is
/// forwarded unchanged). README "Failures and outcomes" lists what chatbench records for each.
public enum MockFault: String, Sendable, CaseIterable, CustomStringConvertible {
    /// HTTP errors with an OpenAI-style JSON error body; 429 and 503 also send `Retry-After`.
    case http400 = "http-400"
    case http401 = "http-401"
    case http404 = "http-404"
    case http429 = "http-429"
    case http500 = "http-500"
    case http503 = "http-503"
    /// 200 with an HTML error page, as a proxy in front of a dead server sends.
    case htmlBody = "html-body"
    /// 200 with a plain JSON completion, whatever `stream` asked for.
    case plainJSON = "plain-json"
    /// The connection is reset (RST) before the status line, after the head, or halfway through the answer.
    case resetBeforeStatus = "reset-before-status"
    case resetAfterHeaders = "reset-after-headers"
    case resetMidStream = "reset-mid-stream"
    /// The server goes silent (and keeps the connection open) before the first token, or halfway.
    case stallBeforeFirstToken = "stall-first-token"
    case stallMidStream = "stall-mid-stream"
    /// An event (or body) that is not valid JSON.
    case malformedJSON = "malformed-json"
    /// `event: error` with a JSON error after a few tokens (non-streaming: 200 with an error body).
    case errorEvent = "error-event"
    /// The finish chunk but no `data: [DONE]`, then a clean end.
    case noDone = "no-done"
    /// A clean end halfway through: neither a finish reason nor `[DONE]` (non-streaming: half a body, then close).
    case truncated = "truncated"
    /// Tokens forever; only the client's total timeout ends it.
    case endless = "endless"
    /// One event line of 8 MiB of content (non-streaming: an 8 MiB answer).
    case hugeLine = "huge-line"
    /// Bytes that are not UTF-8 inside the content.
    case invalidUTF8 = "invalid-utf8"
    /// A chunk-size line that is not hexadecimal.
    case brokenChunked = "broken-chunked"
    /// `Content-Length` smaller than the body (the rest follows anyway), or larger (then the server closes).
    case shortContentLength = "short-content-length"
    case longContentLength = "long-content-length"
    /// The normal answer, one byte per write.
    case drip = "drip"
    /// The normal answer (keep-alive advertised), then the server closes the idle connection.
    case closeAfterResponse = "close-after-response"
    /// A request arriving on a connection that already served one is met with a close and no
    /// answer: the race of a server's keep-alive timeout with the client's next request.
    case closeOnReuse = "close-on-reuse"

    public var description: String { rawValue }

    /// Every name, for messages about an unknown one.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The HTTP status of the `http-NNN` faults.
    var status: Int? {
        switch self {
        case .http400: 400
        case .http401: 401
        case .http404: 404
        case .http429: 429
        case .http500: 500
        case .http503: 503
        default: nil
        }
    }
}

/// One step of a scripted (faulty) response, run in order by the connection.
enum MockStep {
    case send([UInt8])
    case wait(UInt64)
    /// End of the script: the response is over and the connection stays open for the next request.
    case finish
    /// Close the connection with a FIN.
    case close
    /// Close the connection with an RST (SO_LINGER 0).
    case reset
    /// Send nothing more and keep the connection open until the client leaves.
    case stall
    /// Send these bytes every interval until the client leaves.
    case repeatEvery(UInt64, [UInt8])
}

/// The steps of each fault, built from the completion the server would otherwise have sent.
enum MockFaultScript {
    static let hugeLineBytes = 8 << 20

    static func steps(for fault: MockFault, completion c: MockCompletion, profile: MockProfile, reusedConnection: Bool) -> [MockStep] {
        let generation = c.delays.reduce(0, &+)
        let half = max(1, c.tokens.count / 2)
        let body = Array(c.fullResponse(at: MonotonicClock.now()).serialized().utf8)
        let halfBody = Array(body.prefix(body.count / 2))

        if let status = fault.status {
            return [.send(errorResponse(status, profile: profile, authorization: nil)), .finish]
        }
        switch fault {
        case .http400, .http401, .http404, .http429, .http500, .http503:
            return []  // handled above
        case .htmlBody:
            let page = Array("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>\n".utf8)
            return [.send(head(200, "text/html; charset=utf-8", length: page.count) + page), .finish]
        case .plainJSON:
            return [.wait(generation), .send(head(200, "application/json", length: body.count) + body), .finish]
        case .resetBeforeStatus:
            return [.wait(c.stream ? 0 : generation), .reset]
        case .resetAfterHeaders:
            return c.stream
                ? [.send(sseHead()), .reset]
                : [.wait(generation), .send(head(200, "application/json", length: body.count)), .reset]
        case .resetMidStream:
            return c.stream
                ? [.send(sseHead())] + chunked(timeline(c, tokens: half)) + [.reset]
                : [.wait(generation), .send(head(200, "application/json", length: body.count) + halfBody), .reset]
        case .stallBeforeFirstToken:
            return c.stream ? [.send(sseHead() + chunk(c.roleEvent())), .stall] : [.stall]
        case .stallMidStream:
            return c.stream
                ? [.send(sseHead())] + chunked(timeline(c, tokens: half)) + [.stall]
                : [.wait(generation), .send(head(200, "application/json", length: body.count) + halfBody), .stall]
        case .malformedJSON:
            let broken = Array("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"oops\"}".utf8)
            if c.stream {
                return [.send(sseHead())] + chunked(timeline(c, tokens: half))
                    + [.send(chunk(Array("data: ".utf8) + broken + [10, 10]))]
                    + chunked(closing(c)) + [.send(lastChunk), .finish]
            }
            return [.wait(generation), .send(head(200, "application/json", length: broken.count) + broken), .finish]
        case .errorEvent:
            let error = Array("{\"error\":{\"message\":\"the model crashed (simulated)\",\"type\":\"server_error\",\"code\":500}}".utf8)
            if c.stream {
                return [.send(sseHead())] + chunked(timeline(c, tokens: half))
                    + [.send(chunk(Array("event: error\ndata: ".utf8) + error + [10, 10])), .send(lastChunk), .finish]
            }
            return [.wait(generation), .send(head(200, "application/json", length: error.count) + error), .finish]
        case .noDone:
            if c.stream {
                let events = closing(c).filter { step in
                    if case .send(let bytes) = step { return !bytes.elementsEqual("data: [DONE]\n\n".utf8) }
                    return true
                }
                return [.send(sseHead())] + chunked(timeline(c, tokens: c.tokens.count)) + chunked(events) + [.send(lastChunk), .finish]
            }
            return [.wait(generation), .send(head(200, "application/json", length: body.count) + body), .finish]
        case .truncated:
            if c.stream {
                return [.send(sseHead())] + chunked(timeline(c, tokens: half)) + [.send(lastChunk), .finish]
            }
            // No Content-Length: the body ends where the server closes, so a short body is not a framing error.
            let closeHead = Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".utf8)
            return [.wait(generation), .send(closeHead + halfBody), .close]
        case .endless:
            let interval = max(profile.interTokenLatency, 100_000)
            if c.stream {
                return [.send(sseHead())] + chunked(timeline(c, tokens: c.tokens.count))
                    + [.repeatEvery(interval, chunk(c.contentEvent(" more")))]
            }
            let opening = Array("{\"id\":\"chatcmpl-endless\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"".utf8)
            return [.send(chunkedHead("application/json") + chunk(opening)), .repeatEvery(interval, chunk(Array(" more".utf8)))]
        case .hugeLine:
            // Raw bytes, not serialised: building 8 MiB through the JSON writer would stall the mock's loop.
            let text = [UInt8](repeating: UInt8(ascii: "a"), count: hugeLineBytes)
            if c.stream {
                return [.send(sseHead() + chunk(c.roleEvent()) + chunk(c.contentEvent(rawContent: text)))] + chunked(closing(c)) + [.send(lastChunk), .finish]
            }
            let marker = "@@HUGE@@"
            let huge = replace(marker, in: Array(replacingContent(of: c, with: marker).utf8), with: text)
            return [.wait(generation), .send(head(200, "application/json", length: huge.count) + huge), .finish]
        case .invalidUTF8:
            let bad: [UInt8] = Array("bad bytes: ".utf8) + [0xFF, 0xC3, 0x28, 0xED, 0xA0, 0x80]
            if c.stream {
                return [.send(sseHead())] + chunked(timeline(c, tokens: half))
                    + [.send(chunk(c.contentEvent(rawContent: bad)))] + chunked(closing(c)) + [.send(lastChunk), .finish]
            }
            let marker = "@@INVALID-UTF8@@"
            let text = Array(replacingContent(of: c, with: marker).utf8)
            return [.wait(generation), .send(head(200, "application/json", length: text.count - marker.utf8.count + bad.count) + replace(marker, in: text, with: bad)), .finish]
        case .brokenChunked:
            let garbage = Array("zz-not-hex\r\n".utf8)
            if c.stream {
                return [.send(sseHead())] + chunked(timeline(c, tokens: half)) + [.send(garbage), .finish]
            }
            return [.wait(generation), .send(chunkedHead("application/json") + chunk(halfBody) + garbage), .finish]
        case .shortContentLength, .longContentLength:
            let delta = fault == .shortContentLength ? -1 : 1
            if c.stream {
                let steps = timeline(c, tokens: c.tokens.count) + closing(c)
                let total = steps.reduce(0) { sum, step in
                    if case .send(let bytes) = step { return sum + bytes.count }
                    return sum
                }
                // Short: cut in the middle of the answer; long: promise more than will ever come.
                let length = delta < 0 ? total / 2 : total + 100
                return [.send(sseHead(length: length))] + steps + [delta < 0 ? .finish : .close]
            }
            let length = delta < 0 ? body.count - 10 : body.count + 100
            return [.wait(generation), .send(head(200, "application/json", length: length) + body), delta < 0 ? .finish : .close]
        case .drip:
            let bytes: [UInt8]
            if c.stream {
                var all = sseHead()
                for step in [MockStep.send(c.roleEvent())] + (0..<c.tokens.count).map({ .send(c.tokenEvent($0)) }) + closing(c) {
                    if case .send(let event) = step { all += chunk(event) }
                }
                bytes = all + lastChunk
            } else {
                bytes = head(200, "application/json", length: body.count) + body
            }
            var steps: [MockStep] = [.wait(c.stream ? 0 : generation)]
            steps.reserveCapacity(bytes.count * 2 + 2)
            for byte in bytes {
                steps.append(.send([byte]))
                steps.append(.wait(20_000))
            }
            return steps + [.finish]
        case .closeAfterResponse:
            return normal(c, body: body, generation: generation) + [.close]
        case .closeOnReuse:
            if reusedConnection { return [.close] }
            return normal(c, body: body, generation: generation) + [.finish]
        }
    }

    /// The response without a fault, as steps (without its final step).
    static func normal(_ c: MockCompletion, body: [UInt8], generation: UInt64) -> [MockStep] {
        if c.stream {
            return [.send(sseHead())] + chunked(timeline(c, tokens: c.tokens.count) + closing(c)) + [.send(lastChunk)]
        }
        return [.wait(generation), .send(head(200, "application/json", length: body.count) + body)]
    }

    /// An OpenAI-style error response. A 401 repeats the credentials it was sent, as some servers
    /// do, so tests can check that chatbench keeps them out of its reports anyway.
    static func errorResponse(_ status: Int, profile: MockProfile, authorization: String?) -> [UInt8] {
        let (type, message): (String, String)
        switch status {
        case 400: (type, message) = ("invalid_request_error", "simulated bad request: 'messages' is malformed")
        case 401: (type, message) = ("invalid_request_error", "Incorrect API key provided: \(authorization ?? "none"). (simulated)")
        case 404: (type, message) = ("not_found_error", "The model does not exist (simulated)")
        case 429: (type, message) = ("rate_limit_error", "Rate limit reached; please try again later (simulated)")
        case 503: (type, message) = ("server_error", "The server is overloaded (simulated)")
        default: (type, message) = ("server_error", "The server had an error while processing your request (simulated)")
        }
        let json: JSONValue = .object([
            "error": .object(["message": .string(message), "type": .string(type), "param": .null, "code": .int(status)])
        ])
        let body = Array(json.serialized().utf8)
        var text = "HTTP/1.1 \(status) \(reasonPhrase(status))\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        if status == 429 || status == 503 { text += "Retry-After: \(profile.retryAfter)\r\n" }
        return Array((text + "\r\n").utf8) + body
    }

    // MARK: building blocks

    static func head(_ status: Int, _ type: String, length: Int) -> [UInt8] {
        Array("HTTP/1.1 \(status) \(reasonPhrase(status))\r\nContent-Type: \(type)\r\nContent-Length: \(length)\r\n\r\n".utf8)
    }

    static func chunkedHead(_ type: String) -> [UInt8] {
        Array("HTTP/1.1 200 OK\r\nContent-Type: \(type)\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
    }

    static func sseHead(length: Int? = nil) -> [UInt8] {
        let framing = length.map { "Content-Length: \($0)" } ?? "Transfer-Encoding: chunked"
        return Array("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\(framing)\r\n\r\n".utf8)
    }

    static let lastChunk = Array("0\r\n\r\n".utf8)

    static func chunk(_ payload: [UInt8]) -> [UInt8] {
        Array(String(payload.count, radix: 16).utf8) + [13, 10] + payload + [13, 10]
    }

    static func chunked(_ steps: [MockStep]) -> [MockStep] {
        steps.map { step in
            if case .send(let bytes) = step { return .send(chunk(bytes)) }
            return step
        }
    }

    /// The role chunk, then the first `tokens` token events, each after its delay (unframed).
    static func timeline(_ c: MockCompletion, tokens: Int) -> [MockStep] {
        var steps: [MockStep] = [.send(c.roleEvent())]
        for index in 0..<min(tokens, c.tokens.count) {
            steps.append(.wait(c.delays[index]))
            steps.append(.send(c.tokenEvent(index)))
        }
        return steps
    }

    static func closing(_ c: MockCompletion) -> [MockStep] {
        c.closingEvents(at: MonotonicClock.now()).map { .send($0) }
    }

    /// The non-streaming response with its content replaced.
    static func replacingContent(of c: MockCompletion, with text: String) -> String {
        var json = c.fullResponse(at: MonotonicClock.now())
        if case .object(var object) = json, case .array(var choices)? = object["choices"], case .object(var choice)? = choices.first {
            choice["message"] = .object(["role": .string("assistant"), "content": .string(text)])
            choices[0] = .object(choice)
            object["choices"] = .array(choices)
            json = .object(object)
        }
        return json.serialized()
    }

    static func replace(_ marker: String, in bytes: [UInt8], with replacement: [UInt8]) -> [UInt8] {
        let needle = Array(marker.utf8)
        guard bytes.count >= needle.count else { return bytes }
        for start in 0...(bytes.count - needle.count) where bytes[start..<(start + needle.count)].elementsEqual(needle) {
            return Array(bytes[..<start]) + replacement + Array(bytes[(start + needle.count)...])
        }
        return bytes
    }
}
