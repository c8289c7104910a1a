#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import ChatBench

/// Each deadline fires as named, not before its value (the recorded e2e is a lower-bound check,
/// never a speed assertion), with sub-second values, and releases the connection.
@Suite struct TimeoutTests {
    static func deadlines(connect: UInt64 = Deadlines.seconds(10), firstToken: UInt64 = Deadlines.seconds(10),
                          idle: UInt64 = Deadlines.seconds(10), total: UInt64 = Deadlines.seconds(20)) -> ChatRequestDefaults {
        var defaults = ChatRequestDefaults(model: "mock-model")
        defaults.deadlines = Deadlines(connect: connect, firstToken: firstToken, idle: idle, total: total)
        return defaults
    }

    static func send(_ fault: MockFault, _ mode: RequestMode, _ defaults: ChatRequestDefaults) async throws -> (RequestResult, openAfter: Int) {
        let harness = try MockHarness(profile: MockProfile(timeToFirstToken: 1_000_000, interTokenLatency: 1_000_000, tokens: 6), defaults: defaults)
        defer { harness.stop() }
        let prompt = userPrompt("hello", extra: ["metadata": .object(["mock_fault": .string(fault.rawValue)])])
        let result = await harness.send(prompt, mode)
        return (result, await harness.transport.openConnectionCount())
    }

    /// A listening socket whose accept queue is full and never drained: the kernel drops further
    /// SYNs, so a connect to it hangs as one to a blackholed host does (loopback only, no root).
    static func blackhole() throws -> (fd: Int32, port: Int, fillers: [Int32]) {
        let (fd, port) = try Socket.listenLoopback(port: 0, backlog: 0)
        var fillers: [Int32] = []
        // With backlog 0 the queue holds one connection; a few more make sure it is full.
        for _ in 0..<3 {
            let filler = try Socket.makeStream(family: AF_INET)
            _ = try? Socket.startConnect(filler, to: SocketAddress.loopbackIPv4(port: port))
            fillers.append(filler)
        }
        return (fd, port, fillers)
    }

    @Test func connectTimeoutFiresOnAConnectThatNeverCompletes() async throws {
        let hole = try Self.blackhole()
        defer {
            for filler in hole.fillers { close(filler) }
            close(hole.fd)
        }
        let transport = try SocketTransport(host: "127.0.0.1", port: hole.port)
        defer { transport.shutdown() }
        let client = ChatClient(
            transport: transport, endpoint: try Endpoint(parsing: "http://127.0.0.1:\(hole.port)/v1"),
            defaults: Self.deadlines(connect: 150_000_000))
        for mode in RequestMode.allCases {
            let result = await client.send(userPrompt("hi"), mode: mode, index: 0, repetition: 0, scheduled: MonotonicClock.now(), runStart: MonotonicClock.now())
            #expect(result.outcome == .connectTimeout, "\(result.error ?? "")")
            #expect(result.error?.contains("within 150 ms (--connect-timeout)") == true, "\(result.error ?? "")")
            #expect(try #require(result.e2eMs) >= 150)
        }
        #expect(await transport.openConnectionCount() == 0)
    }

    @Test(arguments: RequestMode.allCases)
    func firstTokenTimeoutFiresNotBeforeItsValue(_ mode: RequestMode) async throws {
        let (result, open) = try await Self.send(.stallBeforeFirstToken, mode, Self.deadlines(firstToken: 120_000_000, total: 240_000_000))
        // Non-streaming has no tokens to wait for: its silence ends at the total deadline.
        #expect(result.outcome == (mode == .stream ? .firstTokenTimeout : .totalTimeout), "\(result.error ?? "")")
        #expect(try #require(result.e2eMs) >= (mode == .stream ? 120 : 240))
        #expect(open == 0)
    }

    @Test(arguments: RequestMode.allCases)
    func idleTimeoutFiresNotBeforeItsValueAfterTheLastByte(_ mode: RequestMode) async throws {
        let (result, open) = try await Self.send(.stallMidStream, mode, Self.deadlines(idle: 100_000_000))
        #expect(result.outcome == .idleTimeout, "\(result.error ?? "")")
        let e2e = try #require(result.e2eMs)
        // Silence is measured from the last read: at least the idle time after the last token (or the head).
        #expect(e2e >= (result.lastTokenMs ?? result.ttfbMs ?? 0) + 100)
        #expect(open == 0)
    }

    @Test(arguments: RequestMode.allCases)
    func totalTimeoutEndsAStreamThatNeverEnds(_ mode: RequestMode) async throws {
        let (result, open) = try await Self.send(.endless, mode, Self.deadlines(total: 200_000_000))
        #expect(result.outcome == .totalTimeout, "\(result.error ?? "")")
        #expect(try #require(result.e2eMs) >= 200)
        if mode == .stream { #expect(result.answer.contains(" more")) }
        #expect(open == 0)
    }

    @Test func aBatchOfStallsReleasesEveryConnectionOnBothSides() async throws {
        let harness = try MockHarness(
            profile: MockProfile(timeToFirstToken: 1_000_000, interTokenLatency: 1_000_000, tokens: 6),
            defaults: Self.deadlines(firstToken: 80_000_000, idle: 80_000_000))
        defer { harness.stop() }
        let faults: [MockFault] = [.stallBeforeFirstToken, .stallMidStream, .resetMidStream, .longContentLength]
        let results = await withTaskGroup(of: RequestResult.self) { group in
            for index in 0..<24 {
                let prompt = userPrompt("q\(index)", extra: ["metadata": .object(["mock_fault": .string(faults[index % faults.count].rawValue)])])
                group.addTask { await harness.send(prompt) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 24)
        #expect(results.allSatisfy { $0.outcome != .ok })
        #expect(await harness.transport.openConnectionCount() == 0)
        #expect(await harness.transport.inFlightCount() == 0)
    }
}
