import Testing

@testable import ChatBench

/// `count` ok streaming results of one prompt whose TTFT is uniform in `ttft ± 10%` (seeded).
func syntheticRun(count: Int = 40, ttft: Double, seed: UInt64, id: String = "p", answer: String = "42", temperature: Double? = 0,
                  checkPassed: Bool? = nil) -> [RequestResult] {
    var random = SeededRandom(seed: seed)
    return (0..<count).map { i in
        var r = RequestResult(id: id, index: i, repetition: i, mode: .stream)
        r.outcome = .ok
        r.finishReason = "stop"
        let first = ttft * (0.9 + 0.2 * random.unit())
        r.ttftMs = first
        r.lastTokenMs = first + 90
        r.e2eMs = first + 91
        r.completionTokens = 10
        r.tpotMs = 10
        r.decodeTps = 100
        r.startOffsetMs = Double(i) * 50
        r.answer = answer
        r.temperature = temperature
        if let checkPassed { r.checks = [CheckResult(name: "equals", passed: checkPassed, reason: checkPassed ? "answer equals \"42\"" : "expected to equal \"42\", answer was \"43\"")] }
        return r
    }
}

@Suite struct BaselineComparisonTests {
    @Test func bootstrapIsSeededAndDeterministic() throws {
        let base = syntheticRun(ttft: 100, seed: 1).compactMap(\.ttftMs)
        let new = syntheticRun(ttft: 100, seed: 2).compactMap(\.ttftMs)
        let a = try #require(Bootstrap.percentileDifference(base: base, new: new, quantile: 0.5, seed: 7))
        let b = try #require(Bootstrap.percentileDifference(base: base, new: new, quantile: 0.5, seed: 7))
        let c = try #require(Bootstrap.percentileDifference(base: base, new: new, quantile: 0.5, seed: 8))
        #expect(a == b)
        #expect(a.lower != c.lower || a.upper != c.upper)
        #expect(a.lower <= a.estimate && a.estimate <= a.upper)
        #expect(Bootstrap.percentileDifference(base: [], new: new, quantile: 0.5) == nil)
    }

    @Test func samePopulationIsNoSignificantChange() {
        let comparison = BaselineComparison.compare(base: syntheticRun(count: 120, ttft: 100, seed: 1), new: syntheticRun(count: 120, ttft: 100, seed: 2))
        let judged = comparison.rows.filter { $0.verdict != nil }
        #expect(judged.map(\.metric) == ["ttft.p50", "ttft.p95", "e2e.p50", "e2e.p95", "tpot.p50", "tpot.p95", "decode_tps.p50"])
        #expect(judged.allSatisfy { $0.verdict == .noSignificantChange }, "\(judged)")
        #expect(comparison.passed)
        #expect(comparison.verdictLine == "baseline: no significant change")
    }

    @Test func thirtyPercentSlowerFirstTokenIsARegressionWithAnIntervalExcludingZero() throws {
        let comparison = BaselineComparison.compare(base: syntheticRun(ttft: 100, seed: 1), new: syntheticRun(ttft: 130, seed: 2))
        let row = try #require(comparison.rows.first { $0.metric == "ttft.p50" })
        #expect(row.verdict == .regressed)
        let interval = try #require(row.interval)
        #expect(interval.excludesZero && interval.lower > 0)
        #expect(interval.lower < 30 && 30 < interval.upper + 5)
        #expect(!comparison.passed)
        #expect(comparison.verdictLine.hasPrefix("baseline: regressed — stream ttft.p50 +"))
        // Reversed, it is an improvement and passes.
        let reversed = BaselineComparison.compare(base: syntheticRun(ttft: 130, seed: 2), new: syntheticRun(ttft: 100, seed: 1))
        #expect(reversed.rows.first { $0.metric == "ttft.p50" }?.verdict == .improved)
        #expect(reversed.passed)
    }

    @Test func aCertainChangeWithinToleranceIsNotARegression() throws {
        // +5%: the interval excludes zero, but the change is inside the 10% tolerance.
        let comparison = BaselineComparison.compare(base: syntheticRun(count: 150, ttft: 100, seed: 1), new: syntheticRun(count: 150, ttft: 105, seed: 2))
        let row = try #require(comparison.rows.first { $0.metric == "ttft.p50" })
        #expect(try #require(row.interval).excludesZero)
        #expect(row.verdict == .noSignificantChange)
        let strict = BaselineComparison.compare(base: syntheticRun(count: 150, ttft: 100, seed: 1), new: syntheticRun(count: 150, ttft: 105, seed: 2), tolerance: 0.02)
        #expect(strict.rows.first { $0.metric == "ttft.p50" }?.verdict == .regressed)
    }

    @Test func fewSamplesGetNoVerdict() {
        // p50 needs 10 samples a side, p95 needs 100.
        let comparison = BaselineComparison.compare(base: syntheticRun(count: 9, ttft: 100, seed: 1), new: syntheticRun(count: 9, ttft: 200, seed: 2))
        #expect(comparison.rows.first { $0.metric == "ttft.p50" }?.verdict == .tooFewSamples)
        #expect(comparison.passed)
        let some = BaselineComparison.compare(base: syntheticRun(count: 99, ttft: 100, seed: 1), new: syntheticRun(count: 99, ttft: 200, seed: 2))
        #expect(some.rows.first { $0.metric == "ttft.p50" }?.verdict == .regressed)
        #expect(some.rows.first { $0.metric == "ttft.p95" }?.verdict == .tooFewSamples)
        #expect(!some.passed)
    }

    @Test func assertionFlipsAndChangedAnswers() {
        let base = syntheticRun(count: 3, ttft: 100, seed: 1, checkPassed: true)
        let new = syntheticRun(count: 3, ttft: 100, seed: 1, answer: "43", checkPassed: false)
        let comparison = BaselineComparison.compare(base: base, new: new)
        #expect(comparison.flips == [BaselineComparison.Flip(prompt: "p", mode: .stream, check: "equals", isRegression: true,
                                                             reason: "passed 0 of 3; first failure: expected to equal \"42\", answer was \"43\"")])
        #expect(comparison.changedAnswers == [BaselineComparison.ChangedAnswer(prompt: "p", mode: .stream, base: "42", new: "43")])
        #expect(!comparison.passed)
        let fixed = BaselineComparison.compare(base: new, new: base)
        #expect(fixed.flips.count == 1 && !fixed.flips[0].isRegression && fixed.passed)
        // Sampled answers are expected to differ: no changed answer is reported above temperature 0.
        let warm = BaselineComparison.compare(base: syntheticRun(count: 3, ttft: 100, seed: 1, temperature: 0.7),
                                              new: syntheticRun(count: 3, ttft: 100, seed: 1, answer: "43", temperature: 0.7))
        #expect(warm.changedAnswers.isEmpty)
    }
}
