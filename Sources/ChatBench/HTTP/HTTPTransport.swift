/// An HTTP request as chatbench sends it: small, fully built before it goes out.
public struct HTTPRequest: Sendable {
    public var method: String
    /// Path and query, e.g. `/v1/chat/completions`.
    public var path: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, path: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }
}

/// How long each phase of a request may take, in nanoseconds. The first-token deadline runs
/// from the start until the recorder reports its first token; only then does the idle deadline
/// (longest silence between reads) take over, so a slow first token never trips the idle timer.
public struct Deadlines: Sendable, Equatable {
    public var connect: UInt64
    /// nil: no separate first-token limit (non-streaming: only the total applies until the head).
    public var firstToken: UInt64?
    public var idle: UInt64?
    public var total: UInt64

    public init(connect: UInt64, firstToken: UInt64?, idle: UInt64?, total: UInt64) {
        self.connect = connect
        self.firstToken = firstToken
        self.idle = idle
        self.total = total
    }

    public static func seconds(_ s: Double) -> UInt64 { UInt64(max(0, s) * 1_000_000_000) }
}

/// Why the transport gave up on a request: one of the outcome kinds, with details for a person.
public struct TransportFailure: Error, Sendable, Equatable {
    public var outcome: Outcome
    public var detail: String

    public init(_ outcome: Outcome, _ detail: String) {
        self.outcome = outcome
        self.detail = detail
    }
}

/// How the transport ended a response.
public enum TransportEnd: Sendable, Equatable {
    /// The response was complete according to HTTP framing.
    case complete
    /// The recorder asked to stop reading (it has already classified what it saw).
    case stoppedByRecorder
    case failed(TransportFailure)
}

/// Consumes one response as it arrives. Called on the transport's I/O thread with timestamps
/// taken right after `read()` returned; it must do little work and never block.
public protocol ResponseRecorder: Sendable {
    mutating func receiveHead(_ head: HTTPResponseHead, at time: UInt64)
    mutating func receiveBody(_ bytes: UnsafeRawBufferPointer, at time: UInt64)
    mutating func receiveEnd(_ end: TransportEnd, at time: UInt64)
    /// True once the first token (streaming) or the response head (non-streaming) has arrived:
    /// from then on the idle deadline applies instead of the first-token deadline.
    var hasFirstToken: Bool { get }
    /// True when the recorder has seen enough (e.g. a protocol error) and reading should stop.
    var wantsToStop: Bool { get }
    /// True once the recorder has the whole answer (e.g. `data: [DONE]`) even if the HTTP body
    /// has not ended: a server that then holds the body open gets a short grace, not a timeout.
    var isFinished: Bool { get }
}

extension ResponseRecorder {
    public var isFinished: Bool { false }
}

/// Connection-level timings of one request, all monotonic nanoseconds.
public struct TransportTimings: Sendable, Equatable {
    /// When the transport began the request (on its I/O thread).
    public var start: UInt64 = 0
    /// Connect finished (nil on a reused connection or when it never connected).
    public var connected: UInt64?
    public var requestSent: UInt64?
    public var reusedConnection = false
    /// The request first went out on a pooled connection the server had already closed, and was
    /// retried once on a fresh connection (as browsers and curl do).
    public var retriedStaleConnection = false
    public var bytesReceived = 0

    public init() {}
}

/// Sends requests to one target and feeds the responses to recorders. Implementations: the
/// socket transport for `http://`, URLSession for `https://`.
public protocol HTTPTransport: Sendable {
    /// Never throws: every failure reaches the recorder as `receiveEnd(.failed)`.
    /// Cancelling the calling task cancels the request (the recorder sees `.cancelled`).
    func execute<R: ResponseRecorder>(_ request: HTTPRequest, deadlines: Deadlines, recorder: R) async -> (R, TransportTimings)
    /// Closes pooled connections and stops I/O threads.
    func shutdown()
}
