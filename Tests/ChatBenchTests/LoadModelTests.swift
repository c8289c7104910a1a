import Foundation
import Testing

@testable import ChatBench

/// The load models end to end: the one run loop against the mock over loopback.
@Suite struct LoadModelTests {
    func run(_ config: RunConfiguration) async throws -> (RunReport, SummaryDocument) {
        let report = try await BenchmarkRun.execute(config)
        let document = try SummaryDocument.decode(Data(contentsOf: URL(fileURLWithPath: report.outDir + "/summary.json")))
        return (report, document)
    }

    func configuration(_ server: MockServer, prompts: Int = 3, _ change: (inout RunConfiguration) -> Void) throws -> RunConfiguration {
        var config = RunConfiguration(
            promptSet: promptSet((0..<prompts).map { userPrompt("q\($0)", id: "q\($0)") }),
            endpoint: try Endpoint(parsing: server.baseURL), defaults: ChatRequestDefaults(model: "mock-model"),
            outDir: temporaryFolder())
        change(&config)
        return config
    }

    @Test func rateAboveWhatTheCapAllowsIsFlaggedAndShowsInFromScheduledLatency() async throws {
        let server = try MockServer(port: 0, profile: MockProfile(timeToFirstToken: 5_000_000, interTokenLatency: 1_000_000, tokens: 2))
        defer { server.shutdown() }
        // One slot, ~6 ms per request: at most ~170/s against 1,000/s asked.
        let config = try configuration(server) { $0.load = LoadModel(concurrency: 1, rate: 1000); $0.requestLimit = 40 }
        defer { try? FileManager.default.removeItem(atPath: config.outDir!) }
        let (report, document) = try await run(config)
        #expect(report.results.count == 40)
        let load = try #require(document.load)
        #expect(load.overloaded)
        #expect(load.warnings.contains { $0.hasPrefix("OVERLOADED") })
        let stream = try #require(document.modes["stream"])
        // Waiting for the slot is part of what a user arriving on schedule sees.
        let fromScheduled = try #require(stream.e2eFromScheduledMs.p95)
        let service = try #require(stream.e2eMs.p95)
        #expect(fromScheduled > service)
        #expect(report.results.allSatisfy { $0.scheduledOffsetMs != nil && $0.e2eFromScheduledMs != nil })
        #expect(document.manifest.load?.rate == 1000)
        #expect(server.statistics.maxActiveCompletions == 1)
    }

    @Test func bothModesArePairedPromptByPrompt() async throws {
        let server = try MockServer(port: 0, profile: MockProfile(timeToFirstToken: 2_000_000, interTokenLatency: 500_000, tokens: 4, jitter: 0.3))
        defer { server.shutdown() }
        let config = try configuration(server, prompts: 4) { $0.modes = [.stream, .nonStream]; $0.repeatCount = 2; $0.load = .closed(concurrency: 2) }
        defer { try? FileManager.default.removeItem(atPath: config.outDir!) }
        let (report, document) = try await run(config)
        #expect(report.results.count == 16)
        let paired = try #require(document.paired)
        #expect(paired.pairs == 8)
        #expect(paired.incompletePairs == 0)
        #expect(paired.pairList.allSatisfy { abs($0.e2eDifferenceMs - ($0.streamE2eMs - $0.nonStreamE2eMs)) < 1e-9 })
        let ci = try #require(paired.e2eDifferenceMeanCI)
        #expect(ci[0] <= ci[1])
        let csv = try String(contentsOfFile: config.outDir! + "/pairs.csv", encoding: .utf8)
        #expect(csv.split(separator: "\r\n").count == 9)  // header + 8 pairs
        #expect(document.modes.keys.sorted() == ["non-stream", "stream"])
    }

    @Test func sweepWritesOneSummaryPerLevel() async throws {
        let server = try MockServer(port: 0, profile: MockProfile(timeToFirstToken: 1_000_000, interTokenLatency: 200_000, tokens: 3))
        defer { server.shutdown() }
        let config = try configuration(server) { $0.sweep = Sweep(dimension: .concurrency, levels: [1, 2, 4]); $0.repeatCount = 4 }
        defer { try? FileManager.default.removeItem(atPath: config.outDir!) }
        let (report, document) = try await run(config)
        #expect(report.results.count == 36)
        let levels = try #require(document.sweep)
        #expect(levels.map(\.level) == ["concurrency=1", "concurrency=2", "concurrency=4"])
        #expect(levels.allSatisfy { $0.summary.requests == 12 })
        #expect(document.overall.requests == 36)
        #expect(report.manifest.maxInFlight == 4)
        let markdown = try String(contentsOfFile: config.outDir! + "/summary.md", encoding: .utf8)
        #expect(markdown.contains("| concurrency=4 |"))
        let html = try String(contentsOfFile: config.outDir! + "/report.html", encoding: .utf8)
        #expect(html.contains("Latency by sweep level"))
        #expect(html.contains("concurrency (requests in flight)"))
    }

    @Test func warmupRequestsAreLoggedButNeverCounted() async throws {
        let server = try MockServer(port: 0, profile: MockProfile(timeToFirstToken: 1_000_000, interTokenLatency: 200_000, tokens: 3))
        defer { server.shutdown() }
        let config = try configuration(server) { $0.warmup = .requests(5) }
        defer { try? FileManager.default.removeItem(atPath: config.outDir!) }
        let (_, document) = try await run(config)
        let logged = try ResultsLog.read(path: config.outDir! + "/results.jsonl")
        #expect(logged.count == 8)
        #expect(logged.prefix(5).allSatisfy { $0.isWarmup })
        #expect(logged.suffix(3).allSatisfy { !$0.isWarmup })
        #expect(document.overall.requests == 3)
        #expect(document.overall.ttftMs.n == 3)
        #expect(document.manifest.requests == 3)
    }

    @Test func durationStopsReleasingAndCancelsWhatOutlivesTheGrace() async throws {
        // Every request takes 20 s; the run lasts 50 ms plus 50 ms of grace.
        let server = try MockServer(port: 0, profile: MockProfile(timeToFirstToken: 1_000_000, interTokenLatency: 10_000_000_000, tokens: 3))
        defer { server.shutdown() }
        let config = try configuration(server) { $0.load = LoadModel(concurrency: 2, duration: 50_000_000, grace: 50_000_000) }
        defer { try? FileManager.default.removeItem(atPath: config.outDir!) }
        let (report, document) = try await run(config)
        #expect(report.results.count == 2)
        #expect(report.results.allSatisfy { $0.outcome == .cancelled })
        #expect(!report.interrupted)  // the duration ended the run, not the user
        #expect(document.overall.countsByOutcome["cancelled"] == 2)
        #expect(document.manifest.load?.durationS == 0.05)
    }
}
