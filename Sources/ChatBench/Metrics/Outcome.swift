/// How a request ended: a bounded set of kinds for counting (as wrk does); the detail string
/// on the result says what exactly happened.
public enum Outcome: String, Sendable, Codable, CaseIterable, Comparable {
    case ok
    case httpError = "http_error"
    case connectError = "connect_error"
    case connectTimeout = "connect_timeout"
    case firstTokenTimeout = "first_token_timeout"
    case idleTimeout = "idle_timeout"
    case totalTimeout = "total_timeout"
    case protocolError = "protocol_error"
    case connectionLost = "connection_lost"
    case cancelled

    public static func < (lhs: Outcome, rhs: Outcome) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Whether `completion_tokens` is the server's own count or our estimate from chunks.
public enum TokenSource: String, Sendable, Codable {
    case usage
    case chunks
}

/// Streaming (SSE) or one JSON body.
public enum RequestMode: String, Sendable, Codable, CaseIterable {
    case stream
    case nonStream = "non-stream"
}
