import Foundation

/// `chatbench calibrate`: how precise and how cheap is the client on this machine? Drives the
/// client against a mock with a known cadence at rising concurrency and compares what the client
/// measured with what the mock actually did (both stamp the same monotonic clock).
public struct CalibrationSettings: Sendable {
    public var levels: [Int]
    public var timeToFirstToken: UInt64
    public var interTokenLatency: UInt64
    public var tokens: Int
    /// Requests per stream slot: the first on a new connection (cold), the rest kept alive (warm).
    public var requestsPerSlot: Int
    /// An external server to drive instead of the in-process mock; it must answer with the
    /// cadence above (e.g. `chatbench mock` with the same profile). Errors are then measured
    /// against the configured cadence instead of the mock's own send times.
    public var baseURL: String?

    public init(levels: [Int] = [1, 16, 64, 256, 1024], timeToFirstToken: UInt64 = 200_000_000, interTokenLatency: UInt64 = 20_000_000,
                tokens: Int = 50, requestsPerSlot: Int = 2, baseURL: String? = nil) {
        self.levels = levels
        self.timeToFirstToken = timeToFirstToken
        self.interTokenLatency = interTokenLatency
        self.tokens = tokens
        self.requestsPerSlot = requestsPerSlot
        self.baseURL = baseURL
    }
}

/// What one concurrency level measured.
public struct CalibrationLevel: Sendable, Codable, Equatable {
    public var concurrency: Int
    public var requests: Int
    public var failed: Int
    /// Text-bearing events received.
    public var events: Int
    public var wallSeconds: Double
    public var eventsPerSecond: Double
    /// What the load asked for: concurrency × one stream's events over its duration
    /// (time to first token plus the gaps), so a client that keeps up reaches it.
    public var demandEventsPerSecond: Double
    /// Client CPU (the process minus the in-process mock's I/O thread) per event, in microseconds.
    public var clientCPUMicrosecondsPerEvent: Double
    /// True when the mock ran in-process and its thread's CPU was subtracted.
    public var cpuExcludesMock: Bool
    public var peakRSSMegabytes: Double
    /// Client TTFT minus the server's own TTFT (first token sent − request read), all requests.
    public var ttftErrorMs: Distribution
    /// The same, for requests on kept-alive connections only.
    public var warmTtftErrorMs: Distribution
    /// |client gap − server gap| for every pair of consecutive tokens.
    public var itlErrorMs: Distribution
    /// Token received − token sent, per event (in-process mock only).
    public var deliveryMs: Distribution

    enum CodingKeys: String, CodingKey {
        case concurrency, requests, failed, events
        case wallSeconds = "wall_s"
        case eventsPerSecond = "events_per_s"
        case demandEventsPerSecond = "demand_events_per_s"
        case clientCPUMicrosecondsPerEvent = "client_cpu_us_per_event"
        case cpuExcludesMock = "cpu_excludes_mock"
        case peakRSSMegabytes = "peak_rss_mb"
        case ttftErrorMs = "ttft_error_ms"
        case warmTtftErrorMs = "warm_ttft_error_ms"
        case itlErrorMs = "itl_error_ms"
        case deliveryMs = "delivery_ms"
    }

    /// Kept up: delivered at least 95% of the events per second the load asked for, none failed.
    public var keptUp: Bool { failed == 0 && eventsPerSecond >= 0.95 * demandEventsPerSecond }
}

public enum Calibration {
    /// Runs every level in turn; `progress` hears about each as it finishes.
    public static func run(_ settings: CalibrationSettings, progress: @Sendable (CalibrationLevel) -> Void = { _ in }) async throws -> [CalibrationLevel] {
        let profile = MockProfile(timeToFirstToken: settings.timeToFirstToken, interTokenLatency: settings.interTokenLatency, tokens: settings.tokens)
        let server: MockServer? = settings.baseURL == nil ? try MockServer(port: 0, profile: profile, recordTimings: true) : nil
        defer { server?.shutdown() }
        let endpoint = try Endpoint(parsing: settings.baseURL ?? server!.baseURL)
        let prompt = Prompt(
            id: "calibrate",
            body: ["messages": .array([.object(["role": .string("user"), "content": .string("calibrate")])]), "max_tokens": .int(settings.tokens)],
            line: 1)
        var levels: [CalibrationLevel] = []
        for concurrency in settings.levels {
            let transport = try BenchmarkRun.makeTransport(endpoint, concurrency: concurrency)
            defer { transport.shutdown() }
            var defaults = ChatRequestDefaults(model: profile.model)
            defaults.deadlines.total = Deadlines.seconds(120)
            let runner = Runner(client: ChatClient(transport: transport, endpoint: endpoint, defaults: defaults))
            let plan = RunPlan(prompts: [prompt], modes: [.stream], requestLimit: concurrency * settings.requestsPerSlot, concurrency: concurrency)
            server?.timingLog?.removeAll()
            let mockCPUBefore = await server?.ioThreadCPUTime() ?? 0
            let before = ProcessUsage.now()
            var results: [RequestResult] = []
            results.reserveCapacity(concurrency * settings.requestsPerSlot)
            let output = await runner.run(plan) { results.append($0) }
            let after = ProcessUsage.now()
            let mockCPUAfter = await server?.ioThreadCPUTime() ?? 0
            let level = measure(
                output, results: results, concurrency: concurrency, settings: settings, log: server?.timingLog,
                clientCPU: (after.cpuNanoseconds - before.cpuNanoseconds) - (mockCPUAfter - mockCPUBefore),
                peakRSS: after.peakResidentBytes, excludesMock: server != nil)
            levels.append(level)
            progress(level)
            if Task.isCancelled { break }
        }
        return levels
    }

    static func measure(
        _ output: Runner.Output, results: [RequestResult], concurrency: Int, settings: CalibrationSettings, log: MockTimingLog?,
        clientCPU: UInt64, peakRSS: UInt64, excludesMock: Bool
    ) -> CalibrationLevel {
        var ttftErrors: [Double] = []
        var warmErrors: [Double] = []
        var itlErrors: [Double] = []
        var delivery: [Double] = []
        let configuredTTFT = Double(settings.timeToFirstToken) / 1e6
        let configuredITL = Double(settings.interTokenLatency) / 1e6
        for result in results where result.outcome == .ok {
            guard let ttft = result.ttftMs else { continue }
            if let log, let id = result.responseId, let timing = log.timing(responseID: id), let firstSent = timing.tokensSent.first {
                let serverTTFT = MonotonicClock.milliseconds(from: timing.received, to: firstSent)
                ttftErrors.append(ttft - serverTTFT)
                if result.reusedConnection { warmErrors.append(ttft - serverTTFT) }
                // The client's receive times, rebuilt exactly from its own stamps.
                let start = output.start &+ UInt64(result.startOffsetMs * 1e6)
                var received = Double(start) / 1e6 + ttft
                let sent = timing.tokensSent.map { Double($0) / 1e6 }
                delivery.append(received - sent[0])
                for (index, gap) in result.itlMs.enumerated() where index + 1 < sent.count {
                    received += gap
                    delivery.append(received - sent[index + 1])
                    itlErrors.append(abs(gap - (sent[index + 1] - sent[index])))
                }
            } else {
                ttftErrors.append(ttft - configuredTTFT)
                if result.reusedConnection { warmErrors.append(ttft - configuredTTFT) }
                itlErrors += result.itlMs.map { abs($0 - configuredITL) }
            }
        }
        let events = results.reduce(0) { $0 + $1.textChunks }
        let first = results.map(\.startOffsetMs).min() ?? 0
        let last = results.map { $0.startOffsetMs + ($0.e2eMs ?? 0) }.max() ?? 0
        let wall = max(0.001, (last - first) / 1000)
        return CalibrationLevel(
            concurrency: concurrency, requests: results.count, failed: results.filter { $0.outcome != .ok }.count,
            events: events, wallSeconds: wall, eventsPerSecond: Double(events) / wall,
            demandEventsPerSecond: Double(concurrency) * Double(settings.tokens) * 1e9
                / Double(max(1, settings.timeToFirstToken + UInt64(max(0, settings.tokens - 1)) * settings.interTokenLatency)),
            clientCPUMicrosecondsPerEvent: events > 0 ? Double(clientCPU) / 1000 / Double(events) : 0,
            cpuExcludesMock: excludesMock, peakRSSMegabytes: Double(peakRSS) / 1_048_576,
            ttftErrorMs: Distribution(ttftErrors), warmTtftErrorMs: Distribution(warmErrors),
            itlErrorMs: Distribution(itlErrors), deliveryMs: Distribution(delivery))
    }

    /// The table `chatbench calibrate` prints, and its one-line verdict.
    public static func render(_ levels: [CalibrationLevel]) -> String {
        let header = ["streams", "events/s", "demand", "cpu µs/ev", "rss MB", "ttft err p50", "p99", "warm p99", "itl err p50", "p99", "failed"]
        var cells = [header]
        for l in levels {
            cells.append([
                String(l.concurrency), String(format: "%.0f", l.eventsPerSecond), String(format: "%.0f", l.demandEventsPerSecond),
                String(format: "%.1f", l.clientCPUMicrosecondsPerEvent), String(format: "%.1f", l.peakRSSMegabytes),
                ms(l.ttftErrorMs.p50), ms(l.ttftErrorMs.p99), ms(l.warmTtftErrorMs.p99), ms(l.itlErrorMs.p50), ms(l.itlErrorMs.p99),
                String(l.failed),
            ])
        }
        var lines = TextTable.render(cells, leftAligned: 0)
        lines.append("(errors in ms: client-measured minus the server's own timing; cpu µs/ev is the client's \(levels.first?.cpuExcludesMock == true ? "alone, mock thread excluded" : "whole process"))")
        lines.append(verdict(levels))
        return lines.joined(separator: "\n") + "\n"
    }

    /// "this machine measures TTFT within X ms up to N concurrent streams".
    public static func verdict(_ levels: [CalibrationLevel]) -> String {
        var reached: CalibrationLevel?
        var worst = 0.0
        for level in levels.sorted(by: { $0.concurrency < $1.concurrency }) {
            guard level.keptUp, let p99 = level.ttftErrorMs.p99 else { break }
            worst = max(worst, p99)
            reached = level
        }
        guard let reached else { return "this machine could not keep up with even the first level; results are client-bound" }
        return String(format: "this machine measures TTFT within %.1f ms (p99) up to %d concurrent streams", worst, reached.concurrency)
    }

    /// The levels and the verdict as JSON.
    public static func json(_ levels: [CalibrationLevel]) -> String {
        struct Document: Encodable {
            var levels: [CalibrationLevel]
            var verdict: String
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = (try? encoder.encode(Document(levels: levels, verdict: verdict(levels)))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static func ms(_ value: Double?) -> String {
        value.map { String(format: "%.2f", $0) } ?? "-"
    }
}
