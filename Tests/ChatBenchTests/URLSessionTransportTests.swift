// The mock server is Linux-only (epoll), and so is the loopback setup below.
#if os(Linux)
import Foundation
import Glibc
import Testing

@testable import ChatBench

/// Records what the transport hands it, so the tests can check order, content and the end.
private struct CollectingRecorder: ResponseRecorder {
    var streaming: Bool
    /// Asks the transport to stop once this many body bytes have arrived.
    var stopAfterBytes: Int?
    /// Told when the head arrives, so a test can cancel a request that is surely in flight.
    var headSignal: AsyncStream<Void>.Continuation?
    var status: Int?
    var body: [UInt8] = []
    var times: [UInt64] = []
    var ends: [TransportEnd] = []
    private var sawContentToken = false

    init(streaming: Bool, stopAfterBytes: Int? = nil, headSignal: AsyncStream<Void>.Continuation? = nil) {
        self.streaming = streaming
        self.stopAfterBytes = stopAfterBytes
        self.headSignal = headSignal
    }

    mutating func receiveHead(_ head: HTTPResponseHead, at time: UInt64) {
        status = head.status
        times.append(time)
        headSignal?.yield()
    }

    mutating func receiveBody(_ bytes: UnsafeRawBufferPointer, at time: UInt64) {
        body.append(contentsOf: bytes)
        times.append(time)
        // The role event carries `"delta":{"role":...`; only real tokens start with content.
        if streaming, !sawContentToken {
            sawContentToken = text.contains("\"delta\":{\"content\":")
        }
    }

    mutating func receiveEnd(_ end: TransportEnd, at time: UInt64) {
        ends.append(end)
    }

    var hasFirstToken: Bool { streaming ? sawContentToken : status != nil }
    var wantsToStop: Bool { stopAfterBytes.map { body.count >= $0 } ?? false }
    var text: String { String(decoding: body, as: UTF8.self) }

    var outcome: Outcome? {
        guard case .failed(let failure)? = ends.first else { return nil }
        return failure.outcome
    }
}

private func chatRequest(stream: Bool) -> HTTPRequest {
    let body = "{\"model\":\"m\",\"stream\":\(stream),\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
    return HTTPRequest(
        method: "POST", path: "/v1/chat/completions",
        headers: [(name: "Content-Type", value: "application/json")], body: Array(body.utf8))
}

private let generous = Deadlines(
    connect: Deadlines.seconds(5), firstToken: Deadlines.seconds(20), idle: Deadlines.seconds(20),
    total: Deadlines.seconds(60))

private func transport(port: Int) throws -> URLSessionTransport {
    let url = try #require(URL(string: "http://127.0.0.1:\(port)"))
    return URLSessionTransport(baseURL: url, maxConnections: 4)
}

/// A loopback port that was just free: bound, read back, closed.
private func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    try #require(bound)
    return Int(UInt16(bigEndian: address.sin_port))
}

@Suite("URLSessionTransport over loopback")
struct URLSessionTransportTests {
    @Test("a streamed completion arrives in order and ends complete")
    func streaming() async throws {
        let server = try MockServer(
            port: 0, profile: MockProfile(timeToFirstToken: 50_000_000, interTokenLatency: 5_000_000, tokens: 10))
        defer { server.shutdown() }
        let client = try transport(port: server.port)
        defer { client.shutdown() }

        let (recorder, timings) = await client.execute(
            chatRequest(stream: true), deadlines: generous, recorder: CollectingRecorder(streaming: true))

        #expect(recorder.status == 200)
        #expect(recorder.text.contains("data: [DONE]"))
        #expect(recorder.hasFirstToken)
        #expect(recorder.ends == [.complete])
        #expect(recorder.times.first.map { $0 >= timings.start } == true)
        #expect(zip(recorder.times, recorder.times.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(timings.bytesReceived == recorder.body.count)
    }

    @Test("concurrent streams are routed to their own recorders")
    func concurrentStreams() async throws {
        let server = try MockServer(
            port: 0, profile: MockProfile(timeToFirstToken: 20_000_000, interTokenLatency: 2_000_000, tokens: 10))
        defer { server.shutdown() }
        let client = try transport(port: server.port)
        defer { client.shutdown() }

        let recorders = await withTaskGroup(of: CollectingRecorder.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    await client.execute(
                        chatRequest(stream: true), deadlines: generous, recorder: CollectingRecorder(streaming: true)
                    ).0
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }

        #expect(recorders.count == 16)
        for recorder in recorders {
            #expect(recorder.ends == [.complete])
            #expect(recorder.text.components(separatedBy: "data: [DONE]").count == 2)
        }
    }

    @Test("a non-streaming completion arrives as one JSON body")
    func nonStreaming() async throws {
        let server = try MockServer(
            port: 0, profile: MockProfile(timeToFirstToken: 20_000_000, interTokenLatency: 1_000_000, tokens: 5))
        defer { server.shutdown() }
        let client = try transport(port: server.port)
        defer { client.shutdown() }

        let (recorder, _) = await client.execute(
            chatRequest(stream: false), deadlines: generous, recorder: CollectingRecorder(streaming: false))

        #expect(recorder.status == 200)
        #expect(recorder.text.contains("\"chat.completion\""))
        #expect(!recorder.text.contains("[DONE]"))
        #expect(recorder.ends == [.complete])
    }

    @Test("a first token later than the first-token deadline ends in first_token_timeout")
    func firstTokenDeadline() async throws {
        let server = try MockServer(
            port: 0, profile: MockProfile(timeToFirstToken: 300_000_000, interTokenLatency: 5_000_000, tokens: 3))
        defer { server.shutdown() }
        let client = try transport(port: server.port)
        defer { client.shutdown() }
        let deadlines = Deadlines(
            connect: Deadlines.seconds(5), firstToken: 20_000_000, idle: Deadlines.seconds(20),
            total: Deadlines.seconds(60))

        let (recorder, _) = await client.execute(
            chatRequest(stream: true), deadlines: deadlines, recorder: CollectingRecorder(streaming: true))

        #expect(recorder.ends.count == 1)
        #expect(recorder.outcome == .firstTokenTimeout)
        #expect(!recorder.hasFirstToken)
    }

    @Test("silence after the first token longer than the idle deadline ends in idle_timeout")
    func idleDeadline() async throws {
        let server = try MockServer(
            port: 0, profile: MockProfile(timeToFirstToken: 10_000_000, interTokenLatency: 2_000_000_000, tokens: 3))
        defer { server.shutdown() }
        let client = try transport(port: server.port)
        defer { client.shutdown() }
        let deadlines = Deadlines(
            connect: Deadlines.seconds(5), firstToken: Deadlines.seconds(20), idle: 50_000_000,
            total: Deadlines.seconds(60))

        let (recorder, _) = await client.execute(
            chatRequest(stream: true), deadlines: deadlines, recorder: CollectingRecorder(streaming: true))

        #expect(recorder.hasFirstToken)
        #expect(recorder.ends.count == 1)
        #expect(recorder.outcome == .idleTimeout)
    }

    @Test("a stream longer than the total deadline ends in total_timeout")
    func totalDeadline() async throws {
        let server = try MockServer(
            port: 0, profile: MockProfile(timeToFirstToken: 10_000_000, interTokenLatency: 10_000_000, tokens: 1000))
        defer { server.shutdown() }
        let client = try transport(port: server.port)
        defer { client.shutdown() }
        let deadlines = Deadlines(
            connect: Deadlines.seconds(5), firstToken: Deadlines.seconds(20), idle: Deadlines.seconds(20),
            total: 150_000_000)

        let (recorder, _) = await client.execute(
            chatRequest(stream: true), deadlines: deadlines, recorder: CollectingRecorder(streaming: true))

        #expect(recorder.ends.count == 1)
        #expect(recorder.outcome == .totalTimeout)
    }

    @Test("a recorder that wants to stop ends the request as stoppedByRecorder")
    func recorderStops() async throws {
        let server = try MockServer(
            port: 0, profile: MockProfile(timeToFirstToken: 10_000_000, interTokenLatency: 10_000_000, tokens: 1000))
        defer { server.shutdown() }
        let client = try transport(port: server.port)
        defer { client.shutdown() }

        let (recorder, _) = await client.execute(
            chatRequest(stream: true), deadlines: generous,
            recorder: CollectingRecorder(streaming: true, stopAfterBytes: 1))

        #expect(recorder.ends == [.stoppedByRecorder])
        #expect(!recorder.text.contains("[DONE]"))
    }

    @Test("cancelling the caller while the response streams ends in cancelled")
    func cancelInFlight() async throws {
        let server = try MockServer(
            port: 0, profile: MockProfile(timeToFirstToken: 30_000_000_000, interTokenLatency: 5_000_000, tokens: 2))
        defer { server.shutdown() }
        let client = try transport(port: server.port)
        defer { client.shutdown() }
        let (heads, headSignal) = AsyncStream.makeStream(of: Void.self)

        let request = Task {
            await client.execute(
                chatRequest(stream: true), deadlines: generous,
                recorder: CollectingRecorder(streaming: true, headSignal: headSignal))
        }
        for await _ in heads { break }
        request.cancel()
        let (recorder, _) = await request.value

        #expect(recorder.status == 200)
        #expect(recorder.ends.count == 1)
        #expect(recorder.outcome == .cancelled)
    }

    @Test("a caller cancelled before the request starts ends in cancelled")
    func cancelBeforeStart() async throws {
        let server = try MockServer(port: 0, profile: MockProfile(timeToFirstToken: 10_000_000, interTokenLatency: 1_000_000, tokens: 2))
        defer { server.shutdown() }
        let client = try transport(port: server.port)
        defer { client.shutdown() }

        let request = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await client.execute(
                chatRequest(stream: true), deadlines: generous, recorder: CollectingRecorder(streaming: true))
        }
        let (recorder, _) = await request.value

        #expect(recorder.ends.count == 1)
        #expect(recorder.outcome == .cancelled)
    }

    @Test("shutting the transport down cancels a request in flight and refuses new ones")
    func shutdownCancels() async throws {
        let server = try MockServer(
            port: 0, profile: MockProfile(timeToFirstToken: 30_000_000_000, interTokenLatency: 5_000_000, tokens: 2))
        defer { server.shutdown() }
        let client = try transport(port: server.port)
        let (heads, headSignal) = AsyncStream.makeStream(of: Void.self)

        let request = Task {
            await client.execute(
                chatRequest(stream: true), deadlines: generous,
                recorder: CollectingRecorder(streaming: true, headSignal: headSignal))
        }
        for await _ in heads { break }
        client.shutdown()
        let (inFlight, _) = await request.value
        let (later, _) = await client.execute(
            chatRequest(stream: true), deadlines: generous, recorder: CollectingRecorder(streaming: true))

        #expect(inFlight.ends.count == 1)
        #expect(inFlight.outcome == .cancelled)
        #expect(later.ends.count == 1)
        #expect(later.outcome == .cancelled)
    }

    @Test("a refused connection ends in connect_error")
    func connectionRefused() async throws {
        let client = try transport(port: try closedPort())
        defer { client.shutdown() }

        let (recorder, _) = await client.execute(
            chatRequest(stream: true), deadlines: generous, recorder: CollectingRecorder(streaming: true))

        #expect(recorder.status == nil)
        #expect(recorder.ends.count == 1)
        #expect(recorder.outcome == .connectError)
        if case .failed(let failure)? = recorder.ends.first {
            #expect(failure.detail.contains("127.0.0.1"))
        }
    }
}
#endif
