#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

@testable import ChatBench

@Suite struct RetryTests {
    static func harness(fault: MockFault, count: Int?, retries: Int, retryAfter: Int = 0) throws -> MockHarness {
        var profile = MockProfile(timeToFirstToken: 1_000_000, interTokenLatency: 500_000, tokens: 4)
        profile.fault = fault
        profile.faultCount = count
        profile.retryAfter = retryAfter
        var defaults = ChatRequestDefaults(model: "mock-model")
        defaults.retry = RetryPolicy(maxRetries: retries, baseDelay: 1_000_000, maxDelay: 20_000_000)
        return try MockHarness(profile: profile, defaults: defaults)
    }

    @Test(arguments: [MockFault.http429, .http503])
    func overloadIsRetriedAndEveryAttemptRecorded(_ fault: MockFault) async throws {
        let harness = try Self.harness(fault: fault, count: 2, retries: 3)
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.outcome == .ok, "\(result.error ?? "")")
        #expect(result.attempts == 3)
        #expect(result.retriedAttempts.map(\.outcome) == [.httpError, .httpError])
        #expect(result.retriedAttempts.map(\.status) == [fault.status, fault.status])
        #expect(result.retriedAttempts.allSatisfy { $0.error?.contains("Retry-After: 0") == true })
        // The final attempt's own timings, after the earlier attempts.
        #expect(result.ttftMs != nil)
        #expect(result.startOffsetMs >= result.retriedAttempts[1].startOffsetMs)
        #expect(harness.server.statistics.requests == 3)
    }

    @Test func givesUpAfterTheLastRetryWithTheFinalFailure() async throws {
        let harness = try Self.harness(fault: .http429, count: nil, retries: 2)
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.outcome == .httpError)
        #expect(result.status == 429)
        #expect(result.attempts == 3)
        #expect(result.retriedAttempts.count == 2)
        #expect(harness.server.statistics.requests == 3)
    }

    @Test(arguments: [MockFault.http500, .resetMidStream, .http400])
    func failuresWhereTheServerMayHaveWorkedAreNotRetried(_ fault: MockFault) async throws {
        let harness = try Self.harness(fault: fault, count: 1, retries: 3)
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.outcome != .ok)
        #expect(result.attempts == 1)
        #expect(result.retriedAttempts.isEmpty)
        #expect(harness.server.statistics.requests == 1)
    }

    @Test func noRetriesByDefault() async throws {
        var profile = MockProfile(timeToFirstToken: 1_000_000, interTokenLatency: 500_000, tokens: 4)
        profile.fault = .http429
        profile.faultCount = 1
        let harness = try MockHarness(profile: profile)
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.outcome == .httpError)
        #expect(result.attempts == 1)
    }

    @Test func refusedConnectionIsRetried() async throws {
        let port = refusedLoopbackPort
        let transport = try SocketTransport(host: "127.0.0.1", port: port)
        defer { transport.shutdown() }
        var defaults = ChatRequestDefaults(model: "m")
        defaults.retry = RetryPolicy(maxRetries: 2, baseDelay: 1_000_000, maxDelay: 5_000_000)
        let client = ChatClient(transport: transport, endpoint: try Endpoint(parsing: "http://127.0.0.1:\(port)/v1"), defaults: defaults)
        let result = await client.send(userPrompt("hi"), mode: .stream, index: 0, repetition: 0, scheduled: MonotonicClock.now(), runStart: MonotonicClock.now())
        #expect(result.outcome == .connectError)
        #expect(result.attempts == 3)
        // Exponential: 1 ms, then 2 ms.
        #expect(result.retriedAttempts.map(\.waitMs) == [1, 2])
    }

    @Test func cancellingDuringTheBackoffEndsAsCancelled() async throws {
        let harness = try Self.harness(fault: .http429, count: nil, retries: 5, retryAfter: 60)
        defer { harness.stop() }
        var defaults = harness.client.defaults
        defaults.retry = RetryPolicy(maxRetries: 5, baseDelay: 60_000_000_000, maxDelay: 60_000_000_000)
        let client = ChatClient(transport: harness.transport, endpoint: harness.client.endpoint, defaults: defaults)
        let task = Task {
            await client.send(userPrompt("hello"), mode: .stream, index: 0, repetition: 0, scheduled: MonotonicClock.now(), runStart: MonotonicClock.now())
        }
        // Cancel once the first attempt has come back (its 429 read): the task is then in, or
        // about to enter, the 60 s backoff.
        while true {
            if harness.server.statistics.requests > 0, await harness.transport.inFlightCount() == 0 { break }
            await Task.yield()
        }
        task.cancel()
        let result = await task.value
        #expect(result.outcome == .cancelled)
        #expect(result.attempts == 1)
        #expect(result.error?.hasPrefix("cancelled while waiting to retry; attempt 1 ended: HTTP 429") == true, "\(result.error ?? "")")
    }

    @Test func backoffDoublesAndIsCappedAndRetryAfterWinsButIsCapped() {
        let policy = RetryPolicy(maxRetries: 10, baseDelay: 100, maxDelay: 1000)
        #expect((1...6).map { policy.delay(afterAttempt: $0, retryAfter: nil) } == [100, 200, 400, 800, 1000, 1000])
        #expect(policy.delay(afterAttempt: 1, retryAfter: 50) == 50)
        #expect(policy.delay(afterAttempt: 1, retryAfter: 5000) == 1000)
        #expect(policy.delay(afterAttempt: 200, retryAfter: nil) == 1000)
    }

    @Test func retryAfterParsesSecondsAndDates() {
        #expect(RetryPolicy.retryAfter("120") == 120_000_000_000)
        #expect(RetryPolicy.retryAfter(" 0 ") == 0)
        #expect(RetryPolicy.retryAfter("1.5") == 1_500_000_000)
        let now = Date(timeIntervalSince1970: 1_445_412_470)  // 2015-10-21 07:27:50 GMT
        #expect(RetryPolicy.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == 10_000_000_000)
        #expect(RetryPolicy.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now.addingTimeInterval(60)) == 0)
        #expect(RetryPolicy.retryAfter("soon") == nil)
        #expect(RetryPolicy.retryAfter("-3") == nil)
    }

    @Test func summaryCountsRetriedRequestsAndUsesTheFinalAttempt() {
        var retried = RequestResult(id: "a", index: 0, repetition: 0, mode: .stream)
        retried.attempts = 3
        retried.e2eMs = 10
        var plain = RequestResult(id: "b", index: 1, repetition: 0, mode: .stream)
        plain.e2eMs = 20
        let summary = Summary(results: [retried, plain], mode: nil)
        #expect(summary.retriedRequests == 1)
        #expect(summary.retryAttempts == 2)
        #expect(summary.e2eMs.n == 2)
    }

    @Test func commandLineRetriesRunAgainstAnOverloadedMock() async throws {
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (code, console) = await runCommand([
            "run", CommandLineTests.smokePath, "--mock=ttft=1ms,itl=100us,tokens=3,fault=http-429,fault-count=2,retry-after=0",
            "--retries", "2", "--retry-backoff", "1ms", "--out", out,
        ])
        #expect(code == .success, "\(console.err)")
        #expect(console.out.contains("retried: "), "\(console.out)")
        let results = try ResultsLog.read(path: out + "/results.jsonl")
        #expect(results.allSatisfy { $0.outcome == .ok })
        #expect(results.reduce(0) { $0 + $1.attempts } == results.count + 2)
        let summary = try String(contentsOfFile: out + "/summary.json", encoding: .utf8)
        #expect(summary.contains("\"retried_requests\""))
    }
}
