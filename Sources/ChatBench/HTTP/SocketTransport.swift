#if os(Linux)
import CEpoll
import Glibc
import Synchronization

/// HTTP/1.1 over non-blocking sockets on one epoll thread, for `http://` targets: keep-alive
/// pool, chunked / Content-Length / close-delimited bodies, sub-millisecond deadlines, and time
/// stamped right after `read()`. All connection state lives on the loop thread; the only
/// cross-thread state is the request id counter, behind a Mutex.
public final class SocketTransport: HTTPTransport, @unchecked Sendable {
    public let host: String
    public let port: Int
    let addresses: [SocketAddress]
    let loop: EventLoop
    private let nextID = Mutex<UInt64>(0)

    // Loop-confined state.
    var idle: [HTTPConnection] = []
    var exchanges: [UInt64: Exchange] = [:]
    private var stopped = false
    /// Connections open right now, pooled or in use (see `openConnectionCount`).
    var openConnections = 0
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    /// `Host: host:port` and its line end, built once (requests are serialized on callers' threads).
    private let hostLine: [UInt8]

    /// Resolves the host now (blocking), so that no DNS lookup ever happens on the I/O thread.
    public init(host: String, port: Int) throws {
        self.host = host
        self.port = port
        addresses = try SocketAddress.resolve(host: host, port: port)
        let hostHeader = host.utf8.contains(UInt8(ascii: ":")) && !host.hasPrefix("[") ? "[\(host)]" : host
        hostLine = Array("Host: \(hostHeader):\(port)\r\n".utf8)
        loop = EventLoop(name: "chatbench-client-io")
    }

    deinit {
        readBuffer.deallocate()
    }

    /// CPU time the transport's I/O thread has used, in nanoseconds.
    public func ioThreadCPUTime() async -> UInt64 { await loop.threadCPUTime() }

    public func shutdown() {
        loop.execute { [self] in
            stopped = true
            let now = MonotonicClock.now()
            for exchange in Array(exchanges.values) {
                finish(exchange, .failed(TransportFailure(.cancelled, "the transport shut down")), at: now)
            }
            for connection in idle { connection.close() }
            idle.removeAll()
            loop.shutdown()
        }
    }

    public func execute<R: ResponseRecorder>(_ request: HTTPRequest, deadlines: Deadlines, recorder: R) async -> (R, TransportTimings) {
        let id = nextID.withLock { value -> UInt64 in
            value += 1
            return value
        }
        let bytes = serialize(request)
        let cancellation = RequestCancellation()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<(R, TransportTimings), Never>) in
                let box = TypedRecorderBox(recorder, continuation)
                loop.execute { [self] in
                    start(Exchange(id: id, request: bytes, deadlines: deadlines, recorder: box), cancellation)
                }
            }
        } onCancel: {
            // Only a request that has started needs the loop; one that has not sees the flag when it starts.
            if cancellation.cancel() { loop.execute { [self] in cancel(id) } }
        }
    }

    /// The request's bytes, appended straight into one array (no String per line).
    private func serialize(_ request: HTTPRequest) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(request.body.count + 256)
        bytes.append(contentsOf: request.method.utf8)
        bytes.append(0x20)
        bytes.append(contentsOf: request.path.utf8)
        bytes.append(contentsOf: " HTTP/1.1\r\n".utf8)
        bytes.append(contentsOf: hostLine)
        for header in request.headers {
            bytes.append(contentsOf: header.name.utf8)
            bytes.append(contentsOf: ": ".utf8)
            bytes.append(contentsOf: header.value.utf8)
            bytes.append(contentsOf: "\r\n".utf8)
        }
        if !request.body.isEmpty || request.method == "POST" {
            bytes.append(contentsOf: "Content-Length: ".utf8)
            bytes.append(contentsOf: String(request.body.count).utf8)
            bytes.append(contentsOf: "\r\n".utf8)
        }
        bytes.append(contentsOf: "\r\n".utf8)
        bytes.append(contentsOf: request.body)
        return bytes
    }

    // MARK: loop thread

    private func start(_ exchange: Exchange, _ cancellation: RequestCancellation) {
        if !cancellation.start() || stopped {
            exchange.timings.start = MonotonicClock.now()
            finish(exchange, .failed(TransportFailure(.cancelled, "cancelled before it was sent")), at: exchange.timings.start)
            return
        }
        let now = MonotonicClock.now()
        exchange.timings.start = now
        exchange.lastReadAt = now
        exchanges[exchange.id] = exchange
        armTimer(exchange, now: now)
        attach(exchange, allowReuse: true, now: now)
    }

    /// Puts the exchange on a pooled connection if one is idle, else on a new one.
    private func attach(_ exchange: Exchange, allowReuse: Bool, now: UInt64) {
        if allowReuse, let connection = idle.popLast() {
            exchange.timings.reusedConnection = true
            connection.begin(exchange)
            connection.send()
            return
        }
        exchange.timings.reusedConnection = false
        connect(exchange, addressIndex: 0, now: now)
    }

    func connect(_ exchange: Exchange, addressIndex: Int, now: UInt64) {
        let address = addresses[addressIndex]
        let fd: Int32
        do {
            fd = try Socket.makeStream(family: address.family)
        } catch {
            connectFailed(exchange, addressIndex: addressIndex, detail: "\(error)", now: now)
            return
        }
        let connection = HTTPConnection(fd: fd, transport: self, address: addressIndex)
        connection.begin(exchange)
        let done: Bool
        do {
            done = try Socket.startConnect(fd, to: address)
        } catch {
            // A connect that fails at once (e.g. no route) must not leave its socket open
            // when the next address is tried.
            exchange.connection = nil
            connection.close()
            connectFailed(exchange, addressIndex: addressIndex, detail: "\(error)", now: now)
            return
        }
        loop.register(fd: fd, events: UInt32(EPOLLOUT.rawValue) | UInt32(EPOLLIN.rawValue), handler: connection)
        if done {
            connection.connectFinished(at: MonotonicClock.now())
        } else {
            // Every attempt (first address, next address, stale-connection retry) gets the connect deadline.
            armTimer(exchange, now: now)
        }
    }

    /// Tries the next resolved address (e.g. ::1 after 127.0.0.1) before giving up.
    func connectFailed(_ exchange: Exchange, addressIndex: Int, detail: String, now: UInt64) {
        if addressIndex + 1 < addresses.count {
            connect(exchange, addressIndex: addressIndex + 1, now: now)
            return
        }
        let target = addresses.count == 1 ? "\(addresses[0])" : "\(host):\(port)"
        finish(exchange, .failed(TransportFailure(.connectError, "cannot connect to \(target): \(detail)")), at: now)
    }

    func returnToPool(_ connection: HTTPConnection) {
        idle.append(connection)
    }

    func removeFromPool(_ connection: HTTPConnection) {
        idle.removeAll { $0 === connection }
    }

    /// The single place an exchange ends: stops its timer, tells the recorder, resumes the caller.
    func finish(_ exchange: Exchange, _ end: TransportEnd, at time: UInt64) {
        guard !exchange.finished else { return }
        exchange.finished = true
        exchanges.removeValue(forKey: exchange.id)
        if let timer = exchange.timer { loop.cancelTimer(timer) }
        if case .failed = end, let connection = exchange.connection {
            connection.close()
        }
        exchange.connection = nil
        exchange.recorder.receiveEnd(end, at: time)
        exchange.recorder.resume(with: exchange.timings)
    }

    private func cancel(_ id: UInt64) {
        guard let exchange = exchanges[id] else { return }  // already finished
        finish(exchange, .failed(TransportFailure(.cancelled, "cancelled after \(exchange.timings.bytesReceived) bytes")), at: MonotonicClock.now())
    }

    /// One timer per exchange, always set to the nearest deadline that currently applies.
    func armTimer(_ exchange: Exchange, now: UInt64) {
        if let timer = exchange.timer { loop.cancelTimer(timer) }
        let next = nextDeadline(exchange)
        exchange.armedDeadline = next
        exchange.idleArmed = exchange.recorder.hasFirstToken
        exchange.finishArmed = exchange.recorder.isFinished
        exchange.timer = loop.schedule(at: next) { [self] in self.deadlineReached(exchange) }
    }

    private func nextDeadline(_ exchange: Exchange) -> UInt64 {
        let start = exchange.timings.start
        let d = exchange.deadlines
        var next = saturatingAdd(start, d.total)
        if exchange.connection?.isConnecting ?? false { next = min(next, saturatingAdd(exchange.connectStart, d.connect)) }
        if exchange.recorder.isFinished {
            // The answer is complete ([DONE]); only the end of the HTTP body is missing.
            next = min(next, saturatingAdd(exchange.lastReadAt, Self.drainAfterFinish))
        } else if exchange.recorder.hasFirstToken {
            if let idle = d.idle { next = min(next, saturatingAdd(exchange.lastReadAt, idle)) }
        } else if let firstToken = d.firstToken {
            next = min(next, saturatingAdd(start, firstToken))
        }
        return next
    }

    /// How long to wait for the end of the HTTP body once the recorder has its whole answer.
    static let drainAfterFinish: UInt64 = 2_000_000_000

    private func deadlineReached(_ exchange: Exchange) {
        exchange.timer = nil
        guard !exchange.finished else { return }
        let now = MonotonicClock.now()
        let start = exchange.timings.start
        let d = exchange.deadlines
        let received = exchange.timings.bytesReceived
        let failure: TransportFailure?
        if exchange.recorder.isFinished, now >= saturatingAdd(exchange.lastReadAt, Self.drainAfterFinish) {
            // A server (or proxy) that sent the whole answer but holds the body open: the answer
            // counts; the connection cannot be reused.
            exchange.connection?.close()
            exchange.connection = nil
            finish(exchange, .complete, at: now)
            return
        }
        if now >= saturatingAdd(start, d.total) {
            failure = TransportFailure(.totalTimeout, "no complete response within \(formatSeconds(d.total)) (--timeout); \(received) bytes received")
        } else if exchange.connection?.isConnecting ?? false, now >= saturatingAdd(exchange.connectStart, d.connect) {
            let target = exchange.connection.map { "\(addresses[$0.addressIndex])" } ?? "\(host):\(port)"
            failure = TransportFailure(.connectTimeout, "no TCP connection to \(target) within \(formatSeconds(d.connect)) (--connect-timeout)")
        } else if !exchange.recorder.hasFirstToken, let firstToken = d.firstToken, now >= saturatingAdd(start, firstToken) {
            failure = TransportFailure(.firstTokenTimeout, "no token within \(formatSeconds(firstToken)) (--first-token-timeout); \(received) bytes received")
        } else if exchange.recorder.hasFirstToken, let idle = d.idle, now >= saturatingAdd(exchange.lastReadAt, idle) {
            failure = TransportFailure(.idleTimeout, "no data for \(formatSeconds(idle)) (--idle-timeout) after \(received) bytes")
        } else {
            failure = nil
        }
        if let failure {
            finish(exchange, .failed(failure), at: now)
        } else {
            armTimer(exchange, now: now)
        }
    }
}

/// Deadlines far in the future must not wrap around to the past.
func saturatingAdd(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? .max : sum
}

/// Whether the caller cancelled a request, and whether it had started on the loop by then;
/// shared by the two so that neither order of events leaves anything behind.
final class RequestCancellation: Sendable {
    private let state = Mutex<(cancelled: Bool, started: Bool)>((false, false))

    /// Marks the request started; false when it was already cancelled.
    func start() -> Bool {
        state.withLock { s in
            s.started = true
            return !s.cancelled
        }
    }

    /// Marks the request cancelled; true when it had started (the loop must cancel it).
    func cancel() -> Bool {
        state.withLock { s in
            s.cancelled = true
            return s.started
        }
    }
}

func formatSeconds(_ ns: UInt64) -> String {
    let s = Double(ns) / 1e9
    if s < 1 { return "\(Int((s * 1000).rounded())) ms" }
    return s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
}

/// One request on its way through the transport (loop-confined).
final class Exchange {
    let id: UInt64
    let request: [UInt8]
    let deadlines: Deadlines
    /// A class box: the recorder is mutated in place on every read, never copied out.
    let recorder: RecorderBox
    var timings = TransportTimings()
    var connection: HTTPConnection?
    var timer: TimerHeap.ID?
    var armedDeadline: UInt64 = 0
    var idleArmed = false
    var finishArmed = false
    var lastReadAt: UInt64 = 0
    var connectStart: UInt64 = 0
    var finished = false

    init(id: UInt64, request: [UInt8], deadlines: Deadlines, recorder: RecorderBox) {
        self.id = id
        self.request = request
        self.deadlines = deadlines
        self.recorder = recorder
    }
}

/// The recorder of one exchange behind a class reference (loop-confined). Held as an existential
/// `any ResponseRecorder`, every `exchange.recorder.hasFirstToken` read copied the whole recorder
/// (its arrays and strings retained and released) on every network read; the typed subclass
/// keeps it in place and hands it back, with its own type, through its continuation. The flags
/// the transport checks after every read are copied out once per call into stored properties
/// (a getter on the generic recorder copied it too).
class RecorderBox: @unchecked Sendable {
    final var hasFirstToken = false
    final var wantsToStop = false
    final var isFinished = false

    func receiveHead(_ head: HTTPResponseHead, at time: UInt64) { fatalError("abstract") }
    func receiveBody(_ bytes: UnsafeRawBufferPointer, at time: UInt64) { fatalError("abstract") }
    func receiveEnd(_ end: TransportEnd, at time: UInt64) { fatalError("abstract") }
    func resume(with timings: TransportTimings) { fatalError("abstract") }
}

final class TypedRecorderBox<R: ResponseRecorder>: RecorderBox, @unchecked Sendable {
    private var recorder: R
    private let continuation: CheckedContinuation<(R, TransportTimings), Never>

    init(_ recorder: R, _ continuation: CheckedContinuation<(R, TransportTimings), Never>) {
        self.recorder = recorder
        self.continuation = continuation
        super.init()
        refreshFlags()
    }

    override func receiveHead(_ head: HTTPResponseHead, at time: UInt64) {
        recorder.receiveHead(head, at: time)
        refreshFlags()
    }

    override func receiveBody(_ bytes: UnsafeRawBufferPointer, at time: UInt64) {
        recorder.receiveBody(bytes, at: time)
        refreshFlags()
    }

    override func receiveEnd(_ end: TransportEnd, at time: UInt64) {
        recorder.receiveEnd(end, at: time)
        refreshFlags()
    }

    override func resume(with timings: TransportTimings) { continuation.resume(returning: (recorder, timings)) }

    private func refreshFlags() {
        (hasFirstToken, wantsToStop, isFinished) = Self.flags(of: &recorder)
    }

    /// Read through `inout`, so the getters run on the recorder in place.
    private static func flags(of recorder: inout R) -> (Bool, Bool, Bool) {
        (recorder.hasFirstToken, recorder.wantsToStop, recorder.isFinished)
    }
}

/// One TCP connection of the pool (loop-confined).
final class HTTPConnection: EventLoopHandler {
    let fd: Int32
    unowned let transport: SocketTransport
    let addressIndex: Int
    private(set) var isConnecting = true
    private var closed = false
    private var exchange: Exchange?
    private var parser = HTTPResponseParser()
    private var writeOffset = 0
    private var wantsWrite = true

    init(fd: Int32, transport: SocketTransport, address: Int) {
        self.fd = fd
        self.transport = transport
        self.addressIndex = address
        transport.openConnections += 1
    }

    func begin(_ exchange: Exchange) {
        self.exchange = exchange
        exchange.connection = self
        if isConnecting { exchange.connectStart = MonotonicClock.now() }
        parser = HTTPResponseParser()
        writeOffset = 0
    }

    func handle(events: UInt32, at now: UInt64) {
        if closed { return }
        if isConnecting {
            let code = Socket.pendingError(fd)
            if code != 0 {
                let exchange = self.exchange
                close()
                if let exchange {
                    exchange.connection = nil
                    transport.connectFailed(exchange, addressIndex: addressIndex, detail: errnoText(code), now: now)
                }
                return
            }
            if events & UInt32(EPOLLOUT.rawValue) == 0 && events & UInt32(EPOLLIN.rawValue) == 0 { return }
            connectFinished(at: now)
            return
        }
        if events & UInt32(EPOLLOUT.rawValue) != 0, wantsWrite { send() }
        if closed { return }
        if events & (UInt32(EPOLLIN.rawValue) | UInt32(EPOLLHUP.rawValue) | UInt32(EPOLLERR.rawValue) | UInt32(EPOLLRDHUP.rawValue)) != 0 {
            receive(now: now)
        }
    }

    func connectFinished(at now: UInt64) {
        isConnecting = false
        guard let exchange else { return }
        exchange.timings.connected = now
        // Now only the first-token/idle/total deadlines apply.
        transport.armTimer(exchange, now: now)
        send()
    }

    /// Writes the request; keeps EPOLLOUT interest only while bytes remain.
    func send() {
        guard let exchange, !closed else { return }
        let total = exchange.request.count
        while writeOffset < total {
            let n = exchange.request.withUnsafeBytes { buffer in
                Glibc.send(fd, buffer.baseAddress! + writeOffset, total - writeOffset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                writeOffset += n
                continue
            }
            let code = errno
            if n < 0 && (code == EAGAIN || code == EWOULDBLOCK) {
                setInterest(write: true)
                return
            }
            if n < 0 && code == EINTR { continue }
            lost(detail: "sending the request failed: \(errnoText(code))", now: MonotonicClock.now(), resetLike: true)
            return
        }
        exchange.timings.requestSent = MonotonicClock.now()
        setInterest(write: false)
    }

    private func setInterest(write: Bool) {
        guard write != wantsWrite else { return }
        wantsWrite = write
        var events = UInt32(EPOLLIN.rawValue) | UInt32(EPOLLRDHUP.rawValue)
        if write { events |= UInt32(EPOLLOUT.rawValue) }
        transport.loop.modify(fd: fd, events: events)
    }

    private func receive(now: UInt64) {
        let buffer = transport.readBuffer
        let n = read(fd, buffer.baseAddress, buffer.count)
        // The timestamp every metric is built from: taken as soon as the bytes are ours.
        let time = MonotonicClock.now()
        if n > 0 {
            guard let exchange else {
                // Bytes (or a close) on an idle pooled connection: it cannot be reused.
                transport.removeFromPool(self)
                close()
                return
            }
            exchange.lastReadAt = time
            exchange.timings.bytesReceived += n
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            do {
                try parser.feed(
                    bytes,
                    onHead: { head in exchange.recorder.receiveHead(head, at: time) },
                    onBody: { body in exchange.recorder.receiveBody(body, at: time) })
            } catch {
                transport.finish(exchange, .failed(TransportFailure(.protocolError, "\(error) after \(exchange.timings.bytesReceived) bytes")), at: time)
                return
            }
            if exchange.recorder.wantsToStop {
                close()
                exchange.connection = nil
                transport.finish(exchange, .stoppedByRecorder, at: time)
                return
            }
            if parser.isComplete {
                complete(exchange, at: time)
                return
            }
            if (exchange.recorder.hasFirstToken && !exchange.idleArmed) || (exchange.recorder.isFinished && !exchange.finishArmed) {
                transport.armTimer(exchange, now: time)
            }
            return
        }
        if n < 0 {
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return }
            lost(detail: "connection error: \(errnoText(code))", now: time, resetLike: true)
            return
        }
        // n == 0: the server closed its side.
        guard let exchange else {
            transport.removeFromPool(self)
            close()
            return
        }
        if parser.endOfStream() {
            complete(exchange, at: time)
            return
        }
        lost(detail: "server closed the connection", now: time, resetLike: true)
    }

    private func complete(_ exchange: Exchange, at time: UInt64) {
        self.exchange = nil
        exchange.connection = nil
        if parser.keepAlive && !parser.endsAtClose {
            transport.returnToPool(self)
        } else {
            close()
        }
        transport.finish(exchange, .complete, at: time)
    }

    /// The connection broke. A request that went out on a reused connection and got no byte back
    /// met a keep-alive connection the server had already dropped: retry it once on a new one.
    private func lost(detail: String, now: UInt64, resetLike: Bool) {
        let exchange = self.exchange
        self.exchange = nil
        close()
        guard let exchange else { return }
        exchange.connection = nil
        if resetLike, exchange.timings.reusedConnection, exchange.timings.bytesReceived == 0, !exchange.timings.retriedStaleConnection {
            exchange.timings.retriedStaleConnection = true
            exchange.timings.reusedConnection = false
            transport.connect(exchange, addressIndex: 0, now: now)
            return
        }
        let what: String
        if parser.head == nil {
            what = exchange.timings.bytesReceived == 0 ? "before any response byte" : "inside the response head"
        } else {
            what = "after \(parser.bodyBytes) body bytes"
        }
        transport.finish(exchange, .failed(TransportFailure(.connectionLost, "\(detail) \(what)")), at: now)
    }

    func close() {
        guard !closed else { return }
        closed = true
        transport.openConnections -= 1
        transport.loop.unregister(fd: fd)
        Glibc.close(fd)
    }
}
#endif
