import Testing

@testable import ChatBench

/// What chatbench must record for one mock fault in one mode.
struct FaultExpectation: Sendable, CustomTestStringConvertible {
    var fault: MockFault
    var mode: RequestMode
    var outcome: Outcome
    /// Text the `error` detail must contain (nil: no detail expected, the request is ok).
    var detail: String?
    /// The partial answer must be kept.
    var keepsText = false

    var testDescription: String { "\(fault) \(mode.rawValue) -> \(outcome.rawValue)" }
}

/// The fault -> outcome table of README "Failures and outcomes", in both modes.
let faultMatrix: [FaultExpectation] = {
    var rows: [FaultExpectation] = []
    func both(_ fault: MockFault, _ outcome: Outcome, _ detail: String?, keepsText: Bool = false) {
        rows.append(FaultExpectation(fault: fault, mode: .stream, outcome: outcome, detail: detail, keepsText: keepsText))
        rows.append(FaultExpectation(fault: fault, mode: .nonStream, outcome: outcome, detail: detail))
    }
    func one(_ fault: MockFault, _ mode: RequestMode, _ outcome: Outcome, _ detail: String?, keepsText: Bool = false) {
        rows.append(FaultExpectation(fault: fault, mode: mode, outcome: outcome, detail: detail, keepsText: keepsText))
    }
    both(.http400, .httpError, "HTTP 400 Bad Request: simulated bad request")
    both(.http401, .httpError, "HTTP 401 Unauthorized: Incorrect API key")
    both(.http404, .httpError, "HTTP 404 Not Found: The model does not exist")
    both(.http429, .httpError, "HTTP 429 Too Many Requests: Rate limit reached; please try again later (simulated) (Retry-After: 1)")
    both(.http500, .httpError, "HTTP 500 Internal Server Error: The server had an error")
    both(.http503, .httpError, "HTTP 503 Service Unavailable: The server is overloaded (simulated) (Retry-After: 1)")
    both(.htmlBody, .protocolError, "text/html")
    one(.plainJSON, .stream, .protocolError, "expected an event stream but got Content-Type application/json")
    one(.plainJSON, .nonStream, .ok, nil)
    both(.resetBeforeStatus, .connectionLost, "reset by peer before any response byte")
    both(.resetAfterHeaders, .connectionLost, "reset by peer after 0 body bytes")
    one(.resetMidStream, .stream, .connectionLost, "reset by peer after", keepsText: true)
    one(.resetMidStream, .nonStream, .connectionLost, "reset by peer after")
    one(.stallBeforeFirstToken, .stream, .firstTokenTimeout, "--first-token-timeout")
    one(.stallBeforeFirstToken, .nonStream, .totalTimeout, "--timeout")
    one(.stallMidStream, .stream, .idleTimeout, "--idle-timeout", keepsText: true)
    one(.stallMidStream, .nonStream, .idleTimeout, "--idle-timeout")
    one(.malformedJSON, .stream, .protocolError, "malformed JSON in stream event", keepsText: true)
    one(.malformedJSON, .nonStream, .protocolError, "response is not JSON")
    one(.errorEvent, .stream, .httpError, "error event in the stream after 4 chunks: the model crashed (simulated)", keepsText: true)
    one(.errorEvent, .nonStream, .httpError, "error in the response body: the model crashed (simulated)")
    both(.noDone, .ok, nil)
    one(.truncated, .stream, .protocolError, "stream ended without data: [DONE]", keepsText: true)
    one(.truncated, .nonStream, .protocolError, "response is not JSON")
    one(.endless, .stream, .totalTimeout, "--timeout", keepsText: true)
    one(.endless, .nonStream, .totalTimeout, "--timeout")
    one(.hugeLine, .stream, .protocolError, "exceeded 8 MiB")
    one(.hugeLine, .nonStream, .ok, nil)
    one(.invalidUTF8, .stream, .protocolError, "invalid UTF-8", keepsText: true)
    one(.invalidUTF8, .nonStream, .protocolError, "invalid UTF-8")
    one(.brokenChunked, .stream, .protocolError, "broken chunked encoding", keepsText: true)
    one(.brokenChunked, .nonStream, .protocolError, "broken chunked encoding")
    one(.shortContentLength, .stream, .protocolError, "stream ended inside an event", keepsText: true)
    one(.shortContentLength, .nonStream, .protocolError, "response is not JSON")
    one(.longContentLength, .stream, .connectionLost, "server closed the connection after", keepsText: true)
    one(.longContentLength, .nonStream, .connectionLost, "server closed the connection after")
    both(.drip, .ok, nil)
    both(.closeAfterResponse, .ok, nil)
    both(.closeOnReuse, .ok, nil)
    return rows
}()

/// Every mock fault against the real client over loopback, in both modes: the exact outcome,
/// a useful detail, the partial answer kept, and no connection left open on the client.
@Suite struct FaultMatrixTests {
    static let profile = MockProfile(timeToFirstToken: 1_000_000, interTokenLatency: 1_000_000, tokens: 6)

    static func defaults(for fault: MockFault) -> ChatRequestDefaults {
        var defaults = ChatRequestDefaults(model: "mock-model")
        // Short only where the fault is a silence, so the stalls and the endless stream end in a
        // fraction of a second; long elsewhere, so that the whole matrix running in parallel on a
        // busy machine cannot turn a pass into a timeout.
        let short: UInt64 = 300_000_000, long = Deadlines.seconds(10)
        defaults.deadlines = Deadlines(
            connect: long,
            firstToken: fault == .stallBeforeFirstToken ? short : long,
            idle: fault == .stallMidStream ? short : long,
            // Non-streaming has no first-token deadline: its stall ends at the total, later.
            total: fault == .endless ? short : fault == .stallBeforeFirstToken ? 2 * short : long)
        return defaults
    }

    @Test(arguments: faultMatrix)
    func faultIsClassified(_ row: FaultExpectation) async throws {
        let harness = try MockHarness(profile: Self.profile, defaults: Self.defaults(for: row.fault))
        defer { harness.stop() }
        let prompt = userPrompt("hello", extra: ["metadata": .object(["mock_fault": .string(row.fault.rawValue)])])
        let result = await harness.send(prompt, row.mode)
        #expect(result.outcome == row.outcome, "\(result.error ?? "no error")")
        if let detail = row.detail {
            #expect(result.error?.contains(detail) == true, "\(result.error ?? "no error")")
        } else {
            #expect(result.error == nil)
        }
        if row.keepsText {
            #expect(!result.answer.isEmpty)
            #expect(result.ttftMs != nil)
        }
        if row.outcome != .ok {
            // A failed request never claims a usable speed.
            #expect(result.e2eTps == nil)
        }
        // A request reused on a connection the fault closed gets a second one (see the stale test).
        let second = await harness.send(userPrompt("again"), row.mode)
        #expect(second.outcome == .ok, "\(second.error ?? "")")
        #expect(harness.server.statistics.faultsInjected == 1)
        // Whatever happened, the client holds no connection but the one kept alive for reuse.
        #expect(await harness.transport.openConnectionCount() <= 1)
    }

    @Test(arguments: [RequestMode.stream, .nonStream])
    func staleKeptAliveConnectionIsRetriedOnceAndNoted(_ mode: RequestMode) async throws {
        let harness = try MockHarness(profile: Self.profile)
        defer { harness.stop() }
        let fault: JSONObject = ["metadata": .object(["mock_fault": .string(MockFault.closeOnReuse.rawValue)])]
        let first = await harness.send(userPrompt("one", extra: fault), mode)
        #expect(first.outcome == .ok)
        #expect(first.error == nil)
        // The server closes the connection this request arrives on: not a server failure.
        let second = await harness.send(userPrompt("two", extra: fault), mode)
        #expect(second.outcome == .ok, "\(second.error ?? "")")
        #expect(second.error?.contains("retried once on a new connection") == true)
        #expect(second.answer == MockAnswer.tokens(for: "two", count: 6).joined())
        #expect(harness.server.statistics.connectionsAccepted == 2)
    }

    @Test func faultFromHeaderAndFromProfileWithCount() async throws {
        var profile = Self.profile
        profile.fault = .http503
        profile.faultCount = 1
        profile.retryAfter = 7
        var defaults = ChatRequestDefaults(model: "mock-model")
        defaults.headers = [("X-Mock-Fault", "http-404")]
        let harness = try MockHarness(profile: profile, defaults: defaults)
        defer { harness.stop() }
        // The header wins over the profile.
        let fromHeader = await harness.send(userPrompt("a"))
        #expect(fromHeader.status == 404)
        let plain = try MockHarness(profile: profile)
        defer { plain.stop() }
        let first = await plain.send(userPrompt("a"))
        #expect(first.status == 503)
        #expect(first.error?.contains("Retry-After: 7") == true)
        let second = await plain.send(userPrompt("a"))
        #expect(second.outcome == .ok)
    }

    @Test func unknownFaultNameIsABadRequestNamingTheKnownOnes() async throws {
        let harness = try MockHarness(profile: Self.profile)
        defer { harness.stop() }
        let result = await harness.send(userPrompt("a", extra: ["metadata": .object(["mock_fault": .string("explode")])]))
        #expect(result.status == 400)
        #expect(result.error?.contains("reset-mid-stream") == true)
    }

    @Test func profileParsesFaultKeys() throws {
        let profile = try MockProfile.parse("fault=http-429,fault-count=3,retry-after=0")
        #expect(profile.fault == .http429)
        #expect(profile.faultCount == 3)
        #expect(profile.retryAfter == 0)
        #expect(profile.description.contains("fault=http-429,fault-count=3,retry-after=0"))
        #expect(throws: MockProfileError.unknownFault("nope")) { try MockProfile.parse("fault=nope") }
    }
}
