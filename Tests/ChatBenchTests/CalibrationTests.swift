import Foundation
import Testing

@testable import ChatBench

@Suite struct CalibrationTests {
    @Test func calibrationComparesTheClientWithTheMocksOwnSendTimes() async throws {
        let settings = CalibrationSettings(levels: [1, 4], timeToFirstToken: 3_000_000, interTokenLatency: 500_000, tokens: 6, requestsPerSlot: 2)
        let levels = try await Calibration.run(settings)
        #expect(levels.map(\.concurrency) == [1, 4])
        for level in levels {
            #expect(level.failed == 0)
            #expect(level.requests == level.concurrency * 2)
            #expect(level.events == level.requests * 6)
            // Every request was matched to the mock's log: one TTFT error per request, five gaps each.
            #expect(level.ttftErrorMs.n == level.requests)
            #expect(level.itlErrorMs.n == level.requests * 5)
            #expect(level.deliveryMs.n == level.requests * 6)
            // Causality: no token is received before it was sent.
            #expect((level.deliveryMs.min ?? -1) >= 0)
            #expect(level.cpuExcludesMock)
        }
        let table = Calibration.render(levels)
        #expect(table.contains("this machine"))
        let json = try JSONSerialization.jsonObject(with: Data(Calibration.json(levels).utf8)) as? [String: Any]
        #expect((json?["levels"] as? [Any])?.count == 2)
    }

    @Test func verdictNamesTheLastLevelThatKeptUp() {
        func level(_ c: Int, keptUp: Bool, p99: Double) -> CalibrationLevel {
            CalibrationLevel(
                concurrency: c, requests: c, failed: 0, events: 100, wallSeconds: 1, eventsPerSecond: keptUp ? 100 : 10,
                demandEventsPerSecond: 100, clientCPUMicrosecondsPerEvent: 5, cpuExcludesMock: true, peakRSSMegabytes: 30,
                ttftErrorMs: Distribution([p99]), warmTtftErrorMs: Distribution([p99]), itlErrorMs: Distribution([0.1]), deliveryMs: Distribution([0.1]))
        }
        let verdict = Calibration.verdict([level(1, keptUp: true, p99: 0.5), level(64, keptUp: true, p99: 1.5), level(1024, keptUp: false, p99: 90)])
        #expect(verdict == "this machine measures TTFT within 1.5 ms (p99) up to 64 concurrent streams")
    }
}
