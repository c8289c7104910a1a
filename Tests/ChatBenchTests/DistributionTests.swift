import Foundation
import Testing
@testable import ChatBench

private func close(_ a: Double?, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance
}

@Suite struct DistributionTests {
    @Test func percentilesOfOneToTenMatchNumpy() {
        // numpy.percentile(range(1, 11), q): h = 9 * p
        // p50: h = 4.5  -> x[4] + 0.5 * (x[5] - x[4]) = 5 + 0.5  = 5.5
        // p90: h = 8.1  -> 9 + 0.1 * 1  = 9.1
        // p95: h = 8.55 -> 9 + 0.55 * 1 = 9.55
        // p99: h = 8.91 -> 9 + 0.91 * 1 = 9.91
        let d = Distribution((1...10).map(Double.init).shuffled())
        #expect(d.n == 10)
        #expect(close(d.mean, 5.5))
        #expect(d.min == 1)
        #expect(close(d.p50, 5.5))
        #expect(close(d.p90, 9.1))
        #expect(close(d.p95, 9.55))
        #expect(close(d.p99, 9.91))
        #expect(d.max == 10)
    }

    @Test func unevenSpacingInterpolatesBetweenNeighbours() {
        // sorted [1, 2, 4, 8, 100]; numpy: p50 h = 2 -> 4; p90 h = 3.6 -> 8 + 0.6 * 92 = 63.2;
        // p95 h = 3.8 -> 8 + 0.8 * 92 = 81.6; p99 h = 3.96 -> 8 + 0.96 * 92 = 96.32
        let d = Distribution([100, 4, 1, 8, 2])
        #expect(close(d.p50, 4))
        #expect(close(d.p90, 63.2))
        #expect(close(d.p95, 81.6))
        #expect(close(d.p99, 96.32))
        #expect(close(d.mean, 23))
    }

    @Test func singleSampleIsEveryStatistic() {
        let d = Distribution([42.5])
        #expect(d.n == 1)
        for value in [d.mean, d.min, d.p50, d.p90, d.p95, d.p99, d.max] {
            #expect(value == 42.5)
        }
    }

    @Test func twoSamples() {
        // [10, 20]: h = p -> 10 + p * 10: p50 15, p90 19, p95 19.5, p99 19.9
        let d = Distribution([20, 10])
        #expect(close(d.p50, 15))
        #expect(close(d.p90, 19))
        #expect(close(d.p95, 19.5))
        #expect(close(d.p99, 19.9))
        #expect(d.min == 10 && d.max == 20)
    }

    @Test func nonFiniteSamplesAreIgnored() {
        let d = Distribution([.nan, 3, .infinity, 1, -.infinity])
        #expect(d.n == 2)
        #expect(close(d.mean, 2))
    }

    @Test func percentileEdges() {
        #expect(Distribution.percentile(sorted: [], 0.5) == nil)
        #expect(Distribution.percentile(sorted: [1, 2, 3], 0) == 1)
        #expect(Distribution.percentile(sorted: [1, 2, 3], 1) == 3)
    }

    @Test func emptyEncodesEveryKeyAsNull() throws {
        let d = Distribution([])
        #expect(d.n == 0)
        #expect(d.mean == nil && d.p50 == nil && d.max == nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(d), as: UTF8.self)
        #expect(json == #"{"max":null,"mean":null,"min":null,"n":0,"p50":null,"p90":null,"p95":null,"p99":null}"#)
        #expect(try JSONDecoder().decode(Distribution.self, from: Data(json.utf8)) == d)
    }
}

@Suite struct SummaryTests {
    static func result(_ index: Int, mode: RequestMode = .stream, outcome: Outcome = .ok, start: Double,
                       e2e: Double?, ttft: Double?, itl: [Double] = [], queue: Double = 0,
                       tokens: Int? = nil, source: TokenSource? = nil, finish: String = "stop") -> RequestResult {
        var r = RequestResult(id: "p\(index)", index: index, repetition: 0, mode: mode)
        r.outcome = outcome
        r.startOffsetMs = start
        r.e2eMs = e2e
        r.ttftMs = ttft
        r.itlMs = itl
        r.queueMs = queue
        r.completionTokens = tokens
        r.tokenSource = source
        r.finishReason = finish
        return r
    }

    static let sample: [RequestResult] = [
        result(0, start: 0, e2e: 1000, ttft: 100, itl: [10, 20], queue: 1, tokens: 10, source: .usage),
        result(1, start: 500, e2e: 1500, ttft: 300, itl: [30], queue: 2, tokens: 20, source: .chunks, finish: "length"),
        // A failure: its huge ttft must not enter the distribution, its queue must.
        result(2, outcome: .idleTimeout, start: 600, e2e: 9000, ttft: 5000, itl: [999], queue: 30,
               tokens: 500, finish: "missing"),
        result(3, mode: .nonStream, start: 100, e2e: 900, ttft: nil, queue: 3, tokens: 5, source: .usage),
    ]

    @Test func failedRequestsStayOutOfLatencyButQueueCountsAll() {
        let s = Summary(results: Self.sample, mode: .stream)
        #expect(s.requests == 3)
        #expect(s.ttftMs.n == 2)
        #expect(s.ttftMs.max == 300)
        #expect(s.itlMs.n == 3) // pooled: 10, 20, 30
        #expect(s.itlMs.p50 == 20)
        #expect(s.queueMs.n == 3)
        #expect(s.queueMs.max == 30)
        #expect(s.completionTokens.n == 2)
        #expect(s.e2eMs.max == 1500)
    }

    @Test func countsIncludeZerosAndFinishReasonsOnlyForOk() {
        let s = Summary(results: Self.sample, mode: .stream)
        #expect(s.countsByOutcome.count == Outcome.allCases.count)
        #expect(s.countsByOutcome["ok"] == 2)
        #expect(s.countsByOutcome["idle_timeout"] == 1)
        #expect(s.countsByOutcome["http_error"] == 0)
        #expect(s.countsByFinishReason == ["stop": 1, "length": 1])
        #expect(s.tokenSource == ["usage": 1, "chunks": 1])
        #expect(s.errorRate == 1.0 / 3.0)
    }

    @Test func throughputUsesFirstStartToLastEnd() throws {
        // Stream: first start 0, last end max(1000, 2000, 9600) = 9600 ms -> 9.6 s.
        let s = Summary(results: Self.sample, mode: .stream)
        #expect(close(s.durationS, 9.6))
        #expect(close(s.requestsPerS, 3 / 9.6))
        #expect(close(s.okRequestsPerS, 2 / 9.6))
        #expect(close(s.outputTokensPerS, 30 / 9.6)) // ok tokens only: 10 + 20
        // All modes: tokens 10 + 20 + 5 = 35 over the same 9.6 s.
        let all = Summary(results: Self.sample, mode: nil)
        #expect(all.requests == 4)
        #expect(close(all.outputTokensPerS, 35 / 9.6))
        // A failure without e2e ends at its start.
        var lone = Self.result(0, outcome: .connectError, start: 250, e2e: nil, ttft: nil)
        lone.queueMs = 0
        let zero = Summary(results: [lone], mode: nil)
        #expect(zero.durationS == 0)
        #expect(zero.requestsPerS == nil)
    }

    @Test func emptySetHasNilRates() {
        let s = Summary(results: [RequestResult](), mode: nil)
        #expect(s.requests == 0)
        #expect(s.errorRate == nil)
        #expect(s.ttftMs.n == 0)
        #expect(s.countsByOutcome["ok"] == 0)
        #expect(s.outputTokensPerS == nil)
    }
}
