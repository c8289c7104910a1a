#if os(Linux)
import CEpoll
import Glibc
import Synchronization

/// A simulated OpenAI-compatible server on loopback, on its own epoll thread with precise
/// timers, so it can pace thousands of streams without becoming what the client measures.
/// Serves `GET /v1/models` and `POST /v1/chat/completions` (streaming and not).
public final class MockServer: @unchecked Sendable {
    public let port: Int
    public let profile: MockProfile
    /// When and what the server sent, per completion (nil unless asked for: calibration).
    public let timingLog: MockTimingLog?
    let loop: EventLoop
    private let listenFD: Int32
    private let counters = Mutex(MockServerStatistics())

    // Loop-confined.
    var connections: [Int32: MockConnection] = [:]
    private var acceptor: MockAcceptor?
    var requestCounter: UInt64 = 0
    /// When the simulated model finished (or will finish) loading; nil before the first chat request.
    private var modelReadyAt: UInt64?
    private var profileFaultsTaken = 0
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    /// Listens on 127.0.0.1:`port` (0 picks a free port; read it back from `port`).
    public init(port: Int = 0, profile: MockProfile = .standard, recordTimings: Bool = false) throws {
        let (fd, bound) = try Socket.listenLoopback(port: port)
        listenFD = fd
        self.port = bound
        self.profile = profile
        timingLog = recordTimings ? MockTimingLog() : nil
        loop = EventLoop(name: "chatbench-mock-io")
        loop.execute { [self] in
            let acceptor = MockAcceptor(server: self, fd: fd)
            self.acceptor = acceptor
            loop.register(fd: fd, events: UInt32(EPOLLIN.rawValue), handler: acceptor)
        }
    }

    deinit { readBuffer.deallocate() }

    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// CPU time the mock's I/O thread has used, in nanoseconds (to tell client CPU from mock CPU
    /// when both share a process).
    public func ioThreadCPUTime() async -> UInt64 { await loop.threadCPUTime() }

    /// What the server has seen so far (safe from any thread).
    public var statistics: MockServerStatistics { counters.withLock { $0 } }

    func update(_ change: (inout MockServerStatistics) -> Void) {
        counters.withLock { change(&$0) }
    }

    public func shutdown() {
        loop.execute { [self] in
            loop.unregister(fd: listenFD)
            close(listenFD)
            for connection in connections.values { connection.close() }
            connections.removeAll()
            loop.shutdown()
        }
    }

    /// How long a chat request arriving `now` waits for the model: the first one starts the
    /// load (`profile.loadTime`); those arriving before it ends wait for the rest, as on Ollama.
    func modelLoadWait(at now: UInt64) -> UInt64 {
        let ready = modelReadyAt ?? (now &+ profile.loadTime)
        modelReadyAt = ready
        return ready > now ? ready - now : 0
    }

    /// Whether the next chat request gets the profile's fault (`fault-count` limits how many do).
    func takeProfileFault() -> Bool {
        if let limit = profile.faultCount, profileFaultsTaken >= limit { return false }
        profileFaultsTaken += 1
        return true
    }

    func accept() {
        while true {
            let fd = Glibc.accept(listenFD, nil, nil)
            if fd < 0 { return }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let connection = MockConnection(fd: fd, server: self)
            connections[fd] = connection
            loop.register(fd: fd, events: UInt32(EPOLLIN.rawValue) | UInt32(EPOLLRDHUP.rawValue), handler: connection)
            update { $0.connectionsAccepted += 1 }
        }
    }
}

/// The server side of one streamed completion, on the shared monotonic clock: when its request
/// was read and when each token was handed to `send`.
public struct MockTiming: Sendable, Equatable {
    public var number: UInt64
    public var received: UInt64
    public var tokensSent: [UInt64]
}

/// Completions' send times, published once per completion (one lock per request, not per token).
public final class MockTimingLog: Sendable {
    private let entries = Mutex<[UInt64: MockTiming]>([:])

    func record(_ timing: MockTiming) {
        entries.withLock { $0[timing.number] = timing }
    }

    /// The timing of the completion whose response id was `chatcmpl-mock-<number>`.
    public func timing(responseID: String) -> MockTiming? {
        guard responseID.hasPrefix("chatcmpl-mock-"), let number = UInt64(responseID.dropFirst(14)) else { return nil }
        return entries.withLock { $0[number] }
    }

    /// Forgets every entry (between calibration levels).
    public func removeAll() {
        entries.withLock { $0.removeAll() }
    }
}

/// Counters the tests read: how many connections and requests, and the most requests that were
/// ever being answered at the same moment.
public struct MockServerStatistics: Sendable, Equatable {
    public var connectionsAccepted = 0
    public var requests = 0
    public var activeCompletions = 0
    public var maxActiveCompletions = 0
    /// Requests that ended because the client went away first.
    public var clientDisconnects = 0
    /// Chat requests answered with a fault (see `MockFault`).
    public var faultsInjected = 0
}

final class MockAcceptor: EventLoopHandler {
    unowned let server: MockServer
    let fd: Int32
    init(server: MockServer, fd: Int32) {
        self.server = server
        self.fd = fd
    }
    func handle(events: UInt32, at now: UInt64) { server.accept() }
}
#endif
