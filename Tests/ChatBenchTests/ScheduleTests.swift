import Testing

@testable import ChatBench

/// The load model as data: arrival processes and plan order, tested without a clock.
@Suite struct ScheduleTests {
    func offsets(_ pattern: ArrivalPattern, rate: Double, count: Int, seed: UInt64 = 42) -> [Double] {
        var process = ArrivalProcess(rate: rate, pattern: pattern, seed: seed)
        return (0..<count).map { _ in Double(process.next()) / 1e9 }
    }

    func intervals(_ offsets: [Double]) -> [Double] {
        zip(offsets.dropFirst(), offsets).map { $0 - $1 }
    }

    @Test func constantArrivalsHitTheTargetRate() {
        let times = offsets(.constant, rate: 50, count: 1000)
        #expect(times.first == 0)
        let achieved = Double(times.count - 1) / times.last!
        #expect(abs(achieved - 50) / 50 < 0.02)
        #expect(intervals(times).allSatisfy { abs($0 - 0.02) < 1e-6 })
    }

    @Test(arguments: [UInt64(1), 7, 12345])
    func poissonArrivalsHaveMeanOneOverRateAndUnitCoefficientOfVariation(seed: UInt64) {
        // 10,000 gaps: the mean's standard error is 1%, so the 5% bound is five standard errors.
        let gaps = intervals(offsets(.poisson, rate: 50, count: 10_001, seed: seed))
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let variance = gaps.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(gaps.count - 1)
        let cv = variance.squareRoot() / mean
        #expect(abs(mean - 0.02) / 0.02 < 0.05, "mean \(mean)")
        #expect(cv > 0.9 && cv < 1.1, "cv \(cv)")
    }

    @Test(arguments: [0.5, 1.0, 4.0])
    func gammaArrivalsKeepTheRateAndScaleBurstiness(burstiness: Double) {
        let gaps = intervals(offsets(.gamma(burstiness: burstiness), rate: 20, count: 20_001))
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let variance = gaps.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(gaps.count - 1)
        let cv = variance.squareRoot() / mean
        #expect(abs(mean - 0.05) / 0.05 < 0.06, "mean \(mean)")
        // A gamma process with shape k has coefficient of variation 1/sqrt(k).
        let expected = 1 / burstiness.squareRoot()
        #expect(abs(cv - expected) / expected < 0.1, "cv \(cv), expected \(expected)")
    }

    @Test func arrivalsAreReproducibleFromTheSeed() {
        #expect(offsets(.poisson, rate: 10, count: 50, seed: 3) == offsets(.poisson, rate: 10, count: 50, seed: 3))
        #expect(offsets(.poisson, rate: 10, count: 50, seed: 3) != offsets(.poisson, rate: 10, count: 50, seed: 4))
    }

    @Test func pairedPlanKeepsPairsAdjacentShufflesAndAlternates() {
        let prompts = (0..<20).map { userPrompt("p\($0)", id: "p\($0)") }
        let plan = RunPlan(prompts: prompts, modes: [.stream, .nonStream], repeatCount: 2, load: .closed(concurrency: 1), seed: 9)
        let items = Array(plan.items())
        #expect(items.count == 80)
        // Each pair is one prompt in both modes, side by side.
        for pair in stride(from: 0, to: items.count, by: 2) {
            #expect(items[pair].prompt.id == items[pair + 1].prompt.id)
            #expect(Set([items[pair].mode, items[pair + 1].mode]) == [.stream, .nonStream])
            #expect(items[pair].repetition == items[pair + 1].repetition)
        }
        // Every prompt appears once per repetition, in a shuffled order.
        let firstRepetition = stride(from: 0, to: 40, by: 2).map { items[$0].prompt.id }
        #expect(Set(firstRepetition).count == 20)
        #expect(firstRepetition != prompts.map(\.id))
        // Which mode goes first alternates pair by pair.
        let firstModes = stride(from: 0, to: items.count, by: 2).map { items[$0].mode }
        #expect(firstModes.filter { $0 == .stream }.count == 20)
        #expect(zip(firstModes, firstModes.dropFirst()).allSatisfy { $0 != $1 })
        // Same seed, same order.
        #expect(Array(plan.items()) == items)
    }

    @Test func durationPlansAreUnbounded() {
        let plan = RunPlan(prompts: [userPrompt("a")], modes: [.stream], load: LoadModel(concurrency: 1, duration: 1_000_000_000))
        #expect(plan.count == nil)
        var items = plan.items()
        for _ in 0..<1000 { #expect(items.next() != nil) }
    }

    @Test func sweepAndWarmupParse() throws {
        let sweep = try Sweep.parse("concurrency=1,2,4")
        #expect(sweep.levels == [1, 2, 4])
        #expect(sweep.label(4) == "concurrency=4")
        #expect(try Sweep.parse("rate=0.5,2").label(0.5) == "rate=0.5")
        #expect(throws: SweepError.self) { try Sweep.parse("threads=1") }
        #expect(throws: SweepError.self) { try Sweep.parse("concurrency=1.5") }
        #expect(Warmup.parse("5") == .requests(5))
        #expect(Warmup.parse("10s") == .duration(10_000_000_000))
        #expect(Warmup.parse("soon") == nil)
    }
}
