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
    let loop: EventLoop
    private let listenFD: Int32
    private let counters = Mutex(MockServerStatistics())

    // Loop-confined.
    var connections: [Int32: MockConnection] = [:]
    private var acceptor: MockAcceptor?
    var requestCounter: UInt64 = 0
    private var profileFaultsTaken = 0
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    /// Listens on 127.0.0.1:`port` (0 picks a free port; read it back from `port`).
    public init(port: Int = 0, profile: MockProfile = .standard) throws {
        let (fd, bound) = try Socket.listenLoopback(port: port)
        listenFD = fd
        self.port = bound
        self.profile = profile
        loop = EventLoop(name: "chatbench-mock-io")
        loop.execute { [self] in
            let acceptor = MockAcceptor(server: self, fd: fd)
            self.acceptor = acceptor
            loop.register(fd: fd, events: UInt32(EPOLLIN.rawValue), handler: acceptor)
        }
    }

    deinit { readBuffer.deallocate() }

    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

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
