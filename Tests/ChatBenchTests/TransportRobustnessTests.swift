import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import ChatBench

/// A loopback listener whose accept queue is full and never drained: the kernel drops further
/// SYNs, so a connect to it hangs — the one loopback way to meet an unresponsive host.
struct FullBacklogListener {
    let port: Int
    private let fds: [Int32]

    init() throws {
        let (listener, port) = try Socket.listenLoopback(port: 0, backlog: 0)
        var fds = [listener]
        // Fill the queue: connects that the kernel completes without anyone calling accept().
        for _ in 0..<4 {
            let fd = try Socket.makeStream(family: AF_INET)
            _ = try? Socket.startConnect(fd, to: SocketAddress.loopbackIPv4(port: port))
            fds.append(fd)
        }
        self.port = port
        self.fds = fds
    }

    func close() {
        for fd in fds { _ = Glibc.close(fd) }
    }
}

@Suite struct TransportRobustnessTests {
    @Test func connectDeadlineFiresOnAHostThatNeverAnswers() async throws {
        let listener = try FullBacklogListener()
        defer { listener.close() }
        let transport = try SocketTransport(host: "127.0.0.1", port: listener.port)
        defer { transport.shutdown() }
        var defaults = ChatRequestDefaults(model: "m")
        defaults.deadlines = Deadlines(connect: 100_000_000, firstToken: Deadlines.seconds(20), idle: Deadlines.seconds(20), total: Deadlines.seconds(30))
        let client = ChatClient(transport: transport, endpoint: try Endpoint(parsing: "http://127.0.0.1:\(listener.port)/v1"), defaults: defaults)
        for mode in RequestMode.allCases {
            let result = await client.send(userPrompt("hi"), mode: mode, index: 0, repetition: 0, scheduled: MonotonicClock.now(), runStart: MonotonicClock.now())
            #expect(result.outcome == .connectTimeout, "\(mode): \(result.outcome) \(result.error ?? "")")
            #expect(result.error?.contains("--connect-timeout") == true)
            // A lower bound, not a speed claim: the deadline cannot have fired early.
            #expect((result.e2eMs ?? 0) >= 100)
        }
    }

    @Test func unresponsiveTargetIsExitThreeAtTheConnectTimeout() async throws {
        let listener = try FullBacklogListener()
        defer { listener.close() }
        let (code, console) = await runCommand([
            "run", CommandLineTests.smokePath, "--base-url", "http://127.0.0.1:\(listener.port)/v1", "--model", "m",
            "--connect-timeout", "150ms",
        ])
        #expect(code == .targetUnusable)
        #expect(console.err.contains("within 150 ms (--connect-timeout)"), "\(console.err)")
    }

    @Test func abandonedStreamsTimeOutAndTheMockKeepsCountingSanely() async throws {
        let server = try MockServer(port: 0, profile: MockProfile(timeToFirstToken: 1_000_000, interTokenLatency: 2_000_000, tokens: 200))
        defer { server.shutdown() }
        let transport = try SocketTransport(host: "127.0.0.1", port: server.port)
        defer { transport.shutdown() }
        var defaults = ChatRequestDefaults(model: "mock-model")
        // Only the total deadline (30 ms) can end these 400 ms streams, however loaded the machine is.
        defaults.deadlines.idle = nil
        defaults.deadlines.total = 30_000_000
        let client = ChatClient(transport: transport, endpoint: try Endpoint(parsing: server.baseURL), defaults: defaults)
        // Every request is abandoned mid-stream by the total deadline, closing its connection.
        await withTaskGroup(of: Outcome.self) { group in
            for i in 0..<20 {
                group.addTask {
                    await client.send(userPrompt("hi"), mode: .stream, index: i, repetition: 0, scheduled: MonotonicClock.now(), runStart: MonotonicClock.now()).outcome
                }
            }
            for await outcome in group { #expect(outcome == .totalTimeout) }
        }
        // One more request on a fresh connection completes, and the books balance at its end.
        var quick = defaults
        quick.deadlines.total = Deadlines.seconds(10)
        let clean = ChatClient(transport: transport, endpoint: try Endpoint(parsing: server.baseURL), defaults: quick)
        let last = await clean.send(userPrompt("hi", extra: ["max_tokens": .int(2)]), mode: .stream, index: 99, repetition: 0, scheduled: MonotonicClock.now(), runStart: MonotonicClock.now())
        #expect(last.outcome == .ok)
        let stats = server.statistics
        #expect(stats.activeCompletions >= 0)
        #expect(stats.activeCompletions <= 20)  // closes of the abandoned streams may still be on their way
        #expect(stats.maxActiveCompletions <= 21)
    }

    @Test func durationsTooLargeForTheClockAreRejectedNotATrap() {
        #expect(parseDuration("1e12s") == nil)
        #expect(saturatingAdd(UInt64.max - 5, 10) == UInt64.max)
    }
}

@Suite struct ZeroDelayTests {
    /// Zero gaps make every token's timer due at the same instant as the one before it; each must
    /// still run (a timer due at the deadline that just fired once went unarmed and stalled).
    @Test func zeroDelayStreamsComplete() async throws {
        let server = try MockServer(port: 0, profile: MockProfile(timeToFirstToken: 0, interTokenLatency: 0, tokens: 50))
        defer { server.shutdown() }
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        var defaults = ChatRequestDefaults(model: "mock-model")
        // Generous for 50 zero-delay tokens, short enough that a stall fails the test quickly.
        defaults.deadlines = Deadlines(connect: Deadlines.seconds(5), firstToken: Deadlines.seconds(2), idle: Deadlines.seconds(2), total: Deadlines.seconds(3))
        let config = RunConfiguration(
            promptSet: promptSet([userPrompt("hello")]), endpoint: try Endpoint(parsing: server.baseURL), defaults: defaults,
            concurrency: 8, requestLimit: 40, outDir: out)
        let report = try await BenchmarkRun.execute(config)
        #expect(report.results.count == 40)
        #expect(report.results.allSatisfy { $0.outcome == .ok && $0.completionTokens == 50 }, "\(report.results.first { $0.outcome != .ok }?.error ?? "")")
    }
}
