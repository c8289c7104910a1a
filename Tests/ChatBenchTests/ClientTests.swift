import Testing
#if canImport(Glibc)
import Glibc
#endif

@testable import ChatBench

/// A mock server and a client pointed at it, over real loopback sockets.
struct MockHarness {
    let server: MockServer
    let transport: SocketTransport
    let client: ChatClient

    init(profile: MockProfile = MockProfile(timeToFirstToken: 5_000_000, interTokenLatency: 1_000_000, tokens: 12),
         defaults: ChatRequestDefaults = ChatRequestDefaults(model: "mock-model"), basePath: String = "/v1") throws {
        server = try MockServer(port: 0, profile: profile)
        transport = try SocketTransport(host: "127.0.0.1", port: server.port)
        let endpoint = try Endpoint(parsing: "http://127.0.0.1:\(server.port)\(basePath)")
        client = ChatClient(transport: transport, endpoint: endpoint, defaults: defaults)
    }

    func send(_ prompt: Prompt, _ mode: RequestMode = .stream) async -> RequestResult {
        await client.send(prompt, mode: mode, index: 0, repetition: 0, scheduled: MonotonicClock.now(), runStart: MonotonicClock.now())
    }

    func stop() {
        transport.shutdown()
        server.shutdown()
    }
}

func userPrompt(_ text: String, id: String = "p", extra: JSONObject = [:]) -> Prompt {
    var body: JSONObject = ["messages": .array([.object(["role": .string("user"), "content": .string(text)])])]
    for member in extra.members { body[member.key] = member.value }
    return Prompt(id: id, body: body, line: 1)
}

@Suite struct ClientTests {
    @Test func streamingRequestIsMeasuredAndCountedFromUsage() async throws {
        let harness = try MockHarness()
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.outcome == .ok, "\(result.error ?? "")")
        #expect(result.status == 200)
        #expect(result.completionTokens == 12)
        #expect(result.tokenSource == .usage)
        #expect(result.textChunks == 12)
        #expect(result.finishReason == "stop")
        #expect(result.answer == MockAnswer.tokens(for: "hello", count: 12).joined())
        let ttft = try #require(result.ttftMs)
        let last = try #require(result.lastTokenMs)
        let e2e = try #require(result.e2eMs)
        let ttfb = try #require(result.ttfbMs)
        // The role-only first chunk arrives with the head; the first token comes later.
        #expect(ttfb <= ttft && ttft <= last && last <= e2e)
        #expect(result.itlMs.count == 11)
        // On a loaded machine several tokens can arrive in one read; per-token time then has no span.
        #expect((result.tpotMs != nil) == (last > ttft))
        #expect((result.decodeTps != nil) == (last > ttft))
        #expect(result.e2eTps != nil)
        #expect(result.chunks > result.textChunks)  // role chunk, finish chunk and usage chunk carry no text
    }

    @Test func maxTokensCutsTheAnswerWithFinishReasonLength() async throws {
        let harness = try MockHarness()
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello", extra: ["max_tokens": .int(3)]))
        #expect(result.outcome == .ok)
        #expect(result.completionTokens == 3)
        #expect(result.finishReason == "length")
    }

    @Test func serverWithoutUsageGivesChunkEstimate() async throws {
        let harness = try MockHarness(profile: MockProfile(timeToFirstToken: 1_000_000, interTokenLatency: 500_000, tokens: 7, sendsUsage: false))
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.outcome == .ok)
        #expect(result.completionTokens == 7)
        #expect(result.tokenSource == .chunks)
    }

    @Test func nonStreamingHasNoTimeToFirstToken() async throws {
        let harness = try MockHarness()
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"), .nonStream)
        #expect(result.outcome == .ok, "\(result.error ?? "")")
        #expect(result.ttftMs == nil)
        #expect(result.e2eMs != nil)
        #expect(result.completionTokens == 12)
        #expect(result.tokenSource == .usage)
        #expect(result.answer == MockAnswer.tokens(for: "hello", count: 12).joined())
        #expect(result.finishReason == "stop")
    }

    @Test func chineseAnswerArrivesWhole() async throws {
        let harness = try MockHarness()
        defer { harness.stop() }
        let result = await harness.send(userPrompt("你好"))
        #expect(result.outcome == .ok)
        #expect(result.answer.hasPrefix("你好！我是一个模拟助手"))
        #expect(!result.answer.contains("\u{FFFD}"))
    }

    @Test func keepAliveReusesOneConnection() async throws {
        let harness = try MockHarness()
        defer { harness.stop() }
        var reused = 0
        for _ in 0..<5 {
            let result = await harness.send(userPrompt("hello"))
            #expect(result.outcome == .ok)
            if result.reusedConnection { reused += 1 }
        }
        #expect(reused == 4)
        #expect(harness.server.statistics.connectionsAccepted == 1)
    }

    @Test func httpErrorKeepsTheServersMessage() async throws {
        let harness = try MockHarness(basePath: "/nope")
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.outcome == .httpError)
        #expect(result.status == 404)
        #expect(result.error?.contains("no route for POST /nope/chat/completions") == true)
        #expect(result.ttftMs == nil)
    }

    @Test func refusedConnectionIsAConnectError() async throws {
        // Bind a port, then close it, so nothing listens there.
        let port = refusedLoopbackPort
        let transport = try SocketTransport(host: "127.0.0.1", port: port)
        defer { transport.shutdown() }
        let client = ChatClient(transport: transport, endpoint: try Endpoint(parsing: "http://127.0.0.1:\(port)/v1"), defaults: ChatRequestDefaults(model: "m"))
        let result = await client.send(userPrompt("hi"), mode: .stream, index: 0, repetition: 0, scheduled: MonotonicClock.now(), runStart: MonotonicClock.now())
        #expect(result.outcome == .connectError)
        #expect(result.error?.contains("refused") == true)
    }

    @Test func slowFirstTokenTripsOnlyTheFirstTokenDeadline() async throws {
        var defaults = ChatRequestDefaults(model: "mock-model")
        defaults.deadlines = Deadlines(connect: Deadlines.seconds(5), firstToken: 50_000_000, idle: 10_000_000, total: Deadlines.seconds(30))
        let harness = try MockHarness(profile: MockProfile(timeToFirstToken: 5_000_000_000, interTokenLatency: 1_000_000, tokens: 3), defaults: defaults)
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        // The idle deadline (10 ms) is shorter, but it must not apply before the first token.
        #expect(result.outcome == .firstTokenTimeout)
        #expect(result.error?.contains("--first-token-timeout") == true)
    }

    @Test func stallAfterFirstTokenIsAnIdleTimeoutAndKeepsThePartialAnswer() async throws {
        var defaults = ChatRequestDefaults(model: "mock-model")
        defaults.deadlines = Deadlines(connect: Deadlines.seconds(5), firstToken: Deadlines.seconds(5), idle: 50_000_000, total: Deadlines.seconds(30))
        let harness = try MockHarness(profile: MockProfile(timeToFirstToken: 1_000_000, interTokenLatency: 5_000_000_000, tokens: 3), defaults: defaults)
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.outcome == .idleTimeout)
        #expect(result.answer == MockAnswer.tokens(for: "hello", count: 1).joined())
        #expect(result.ttftMs != nil)
    }

    @Test func totalDeadlineAppliesToNonStreaming() async throws {
        var defaults = ChatRequestDefaults(model: "mock-model")
        defaults.deadlines = Deadlines(connect: Deadlines.seconds(5), firstToken: 1_000_000, idle: 1_000_000, total: 60_000_000)
        let harness = try MockHarness(profile: MockProfile(timeToFirstToken: 5_000_000_000, interTokenLatency: 1_000_000, tokens: 3), defaults: defaults)
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"), .nonStream)
        // Neither the first-token nor the idle deadline applies while a non-streaming answer is generated.
        #expect(result.outcome == .totalTimeout)
    }

    @Test func cancellingTheTaskCancelsTheRequest() async throws {
        let harness = try MockHarness(profile: MockProfile(timeToFirstToken: 10_000_000_000, interTokenLatency: 1_000_000, tokens: 3))
        defer { harness.stop() }
        let task = Task { await harness.send(userPrompt("hello")) }
        task.cancel()
        let result = await task.value
        #expect(result.outcome == .cancelled)
    }

    @Test func requestBodyForwardsLineFieldsAndFillsDefaults() throws {
        let harness = try MockHarness(defaults: ChatRequestDefaults(model: "default-model", maxTokens: 100, temperature: 0.5, seed: 7))
        defer { harness.stop() }
        let prompt = userPrompt("hi", extra: ["temperature": .number("0"), "stop": .array([.string("\n")])])
        let body = harness.client.body(for: prompt, mode: .stream)
        #expect(body["model"] == .string("default-model"))
        #expect(body["temperature"] == .number("0"))  // the line wins
        #expect(body["max_tokens"] == .int(100))
        #expect(body["seed"] == .int(7))
        #expect(body["stop"] == .array([.string("\n")]))
        #expect(body["stream"] == .bool(true))
        #expect(body["stream_options"]?["include_usage"] == .bool(true))
        let plain = harness.client.body(for: prompt, mode: .nonStream)
        #expect(plain["stream"] == .bool(false))
        #expect(plain["stream_options"] == nil)
    }
}
