import Foundation

/// Everything one `chatbench run` needs, as data: the CLI builds it from flags, tests build it directly.
public struct RunConfiguration: Sendable {
    public var promptSet: PromptSet
    public var endpoint: Endpoint
    /// When set, an in-process mock server with this profile is started and used as the target.
    public var mock: MockProfile?
    public var defaults: ChatRequestDefaults
    public var modes: [RequestMode]
    /// Closed or open loop, duration, grace (`--concurrency`, `--rate`, `--arrival`, `--duration`).
    public var load: LoadModel
    /// Seeds arrivals and the order of stream/non-stream pairs (`--schedule-seed`).
    public var seed: UInt64
    /// Requests (or time) run first and left out of the statistics (`--warmup`).
    public var warmup: Warmup?
    /// One sub-run per level (`--sweep`).
    public var sweep: Sweep?
    public var repeatCount: Int
    public var requestLimit: Int?
    /// `--out`: the run folder, which must not exist yet. nil: `reportsRoot/<UTC time>-<prompt set>`.
    public var outDir: String?
    public var reportsRoot: String
    /// The effective options, as the user would write them, for the manifest (never credentials).
    public var options: [String: String]
    /// `--shard I/N`: make only this slice of the plan (recorded in the manifest).
    public var shard: Shard?
    /// Thresholds, baseline, pass rate and the JUnit path; the prompts' own `expect` needs nothing here.
    public var checks: CheckConfiguration = CheckConfiguration()

    public init(
        promptSet: PromptSet, endpoint: Endpoint, mock: MockProfile? = nil, defaults: ChatRequestDefaults = ChatRequestDefaults(),
        modes: [RequestMode] = [.stream], concurrency: Int = 1, load: LoadModel? = nil, seed: UInt64 = 1,
        warmup: Warmup? = nil, sweep: Sweep? = nil, repeatCount: Int = 1, requestLimit: Int? = nil,
        outDir: String? = nil, reportsRoot: String = "reports", options: [String: String] = [:], shard: Shard? = nil
    ) {
        self.promptSet = promptSet
        self.endpoint = endpoint
        self.mock = mock
        self.defaults = defaults
        self.modes = modes
        self.load = load ?? .closed(concurrency: concurrency)
        self.seed = seed
        self.warmup = warmup
        self.sweep = sweep
        self.repeatCount = repeatCount
        self.requestLimit = requestLimit
        self.outDir = outDir
        self.reportsRoot = reportsRoot
        self.options = options
        self.shard = shard
    }
}

/// What a finished (or interrupted) run wrote and measured.
public struct RunReport: Sendable {
    public var outDir: String
    public var manifest: RunManifest
    /// The compact rows the reports were built from (no answer text).
    public var rows: [ResultRow]
    /// summary.json's contents.
    public var document: SummaryDocument
    public var interrupted: Bool { manifest.interrupted }
    /// Every check of the run, evaluated (also written to summary.md and junit.xml).
    public var checks: CheckReport? = nil

    /// The full records, read back from the run's results.jsonl (a run keeps only `rows` in
    /// memory); empty when the file cannot be read.
    public var results: [RequestResult] {
        (try? ResultsLog.read(path: outDir + "/results.jsonl")) ?? []
    }
}

/// Why a run could not start or finish, each with what to do about it.
public enum RunError: Error, CustomStringConvertible {
    /// The target could not be used at all (exit 3).
    case unreachable(String)
    /// The server does not have the model, or no model was named (exit 3 / 2).
    case model(String, usage: Bool)
    /// The report folder or files could not be written.
    case output(String)
    case mock(String)
    /// Interrupted before the first request went out.
    case interrupted
    /// The run cannot fit in the process's limits (open files for `--concurrency`); exit 2.
    case limits(String)

    public var description: String {
        switch self {
        case .unreachable(let text), .output(let text), .mock(let text), .limits(let text): text
        case .interrupted: "interrupted before any request was sent"
        case .model(let text, _): text
        }
    }
}

/// Receives progress from a run: messages for a person (stderr) and each result as it lands.
public struct RunObserver: Sendable {
    public var message: @Sendable (String) -> Void
    public var result: @Sendable (RequestResult) -> Void
    /// Once, just before the first request: how many requests the run plans to make (0 when only
    /// a duration bounds it).
    public var planned: @Sendable (Int) -> Void
    /// Each time a request is handed to the client (from the run loop's task, never the I/O thread).
    public var started: @Sendable (RunPlan.Item) -> Void

    public init(message: @escaping @Sendable (String) -> Void = { _ in }, result: @escaping @Sendable (RequestResult) -> Void = { _ in },
                planned: @escaping @Sendable (Int) -> Void = { _ in }, started: @escaping @Sendable (RunPlan.Item) -> Void = { _ in }) {
        self.message = message
        self.result = result
        self.planned = planned
        self.started = started
    }
}

/// One benchmark run from configuration to report files: target set-up (mock, transport, model
/// check), the run loop, `results.jsonl` as results land, then `results.csv`, `summary.json` and `summary.md`.
/// Cancelling the calling task interrupts the run; what finished is still reported.
public enum BenchmarkRun {
    public static func execute(_ config: RunConfiguration, observer: RunObserver = RunObserver()) async throws(RunError) -> RunReport {
        let startedAt = Date()
        let files = FileDescriptorLimit.raiseToHard()
        if let problem = FileDescriptorLimit.problem(concurrency: config.sweep?.maxConcurrency ?? config.load.concurrency ?? 1, mock: config.mock != nil, soft: files.soft, hard: files.hard) {
            throw .limits(problem)
        }
        var endpoint = config.endpoint
        var defaults = config.defaults
        var mockServer: MockServer?
        if let profile = config.mock {
            do {
                let server = try MockServer(port: 0, profile: profile)
                mockServer = server
                endpoint = try Endpoint(parsing: server.baseURL)
                if defaults.model == nil { defaults.model = profile.model }
                observer.message("mock server on \(server.baseURL) (\(profile))")
            } catch {
                throw .mock("cannot start the mock server: \(error)")
            }
        }
        defer { mockServer?.shutdown() }

        let transport: any HTTPTransport
        do {
            transport = try makeTransport(endpoint, concurrency: config.sweep?.maxConcurrency ?? config.load.concurrency ?? 1024)
        } catch {
            throw .unreachable("cannot use \(endpoint): \(error)")
        }
        defer { transport.shutdown() }
        var warnings: [String] = []
        if let warning = HTTPSLimits.plannedWarning(endpoint: endpoint, concurrency: config.sweep?.maxConcurrency ?? config.load.concurrency) {
            warnings.append(warning)
            observer.message("warning: " + warning)
        }

        let needsModel = config.promptSet.prompts.contains { $0.body["model"] == nil }
        defaults.model = try await ModelCheck.resolve(
            requested: defaults.model, needed: needsModel, endpoint: endpoint, transport: transport, deadlines: defaults.deadlines,
            api: defaults.api)

        let outDir = try makeOutputFolder(config, startedAt: startedAt)
        let log: ResultsLog
        do {
            log = try ResultsLog(path: outDir + "/results.jsonl")
        } catch {
            throw .output("cannot write \(outDir)/results.jsonl: \(error)")
        }
        defer { log.close() }

        let plan = RunPlan(
            prompts: config.promptSet.prompts, modes: config.modes, repeatCount: config.repeatCount,
            requestLimit: config.requestLimit, load: config.load, seed: config.seed, shard: config.shard)
        let runner = Runner(client: ChatClient(transport: transport, endpoint: endpoint, defaults: defaults))
        // Each result goes to results.jsonl and results.csv as it lands; only its compact row stays.
        var accumulator = try ReportAccumulator(csvPath: outDir + "/results.csv")
        var writeFailed = false
        var requestCount = 0
        let record: (RequestResult) -> Void = { result in
            // Separately: a failed write must not take the request out of the figures.
            do {
                try log.append(result)
            } catch {
                if !writeFailed { observer.message("warning: cannot append to results.jsonl: \(error)") }
                writeFailed = true
            }
            do {
                try accumulator.add(result)
            } catch {
                if !writeFailed { observer.message("warning: cannot append to results.csv: \(error)") }
                writeFailed = true
            }
            if !result.isWarmup { requestCount += 1 }
            observer.result(result)
        }
        let runStart = MonotonicClock.now()
        var maxInFlight = 0
        var interrupted = false
        // Phases run one after another through the same loop: warmup, then the measured run (or
        // each sweep level in turn).
        let allPhases = phases(plan, config: config)
        let counts = allPhases.map(\.0.count)
        let planned = counts.contains(nil) ? 0 : counts.reduce(0) { $0 + ($1 ?? 0) }
        observer.planned(planned)
        // Rows reserved up front: growing the array by doubling held two copies of it at the end
        // of a long run. Pages of the reservation that are never used are never touched.
        accumulator.reserveCapacity(min(planned, 4_000_000))
        for (phasePlan, phase) in allPhases {
            if Task.isCancelled {
                interrupted = true
                break
            }
            if let level = phase.level { observer.message("sweep level \(level)") }
            let output = await runner.run(phasePlan, phase: phase, runStart: runStart, onStart: observer.started, onResult: record)
            if !phase.warmup { maxInFlight = max(maxInFlight, output.maxInFlight) }
            if output.interrupted { interrupted = true }
        }

        // The wall-clock instant of the loop's monotonic zero, so shards can share one time axis.
        let runStartUnixMs = Date().timeIntervalSince1970 * 1000 - MonotonicClock.milliseconds(from: runStart, to: MonotonicClock.now())
        var options = config.options
        if let profile = config.mock { options["mock"] = profile.description }
        RunReportFiles.record(config.checks, in: &options)
        var manifest = RunManifest(
            toolVersion: ChatBenchVersion.current,
            startedAt: iso8601(startedAt),
            targetURL: endpoint.description,
            model: defaults.model,
            promptSetPath: config.promptSet.path,
            promptSetSHA256: config.promptSet.sha256,
            promptCount: config.promptSet.prompts.count,
            modes: config.modes.map(\.rawValue),
            concurrency: config.load.concurrency ?? 0,
            maxInFlight: maxInFlight,
            repeatCount: plan.repeatCount,
            requests: requestCount,
            options: options,
            interrupted: interrupted || Task.isCancelled,
            mock: config.mock != nil)
        if config.load.isOpenLoop || config.load.duration != nil || config.warmup != nil || config.sweep != nil || config.modes.count > 1 {
            manifest.load = LoadDescription(
                rate: config.load.rate, arrival: config.load.rate == nil ? nil : config.load.arrival.description,
                concurrencyCap: config.load.concurrency, durationS: config.load.duration.map { Double($0) / 1e9 },
                graceS: config.load.duration == nil ? nil : Double(config.load.grace) / 1e9,
                warmup: config.warmup?.description, sweep: config.sweep?.description, seed: config.seed)
        }
        manifest.shard = config.shard
        if config.shard != nil { manifest.runStartUnixMs = (runStartUnixMs * 1000).rounded() / 1000 }
        if warnings.isEmpty, let warning = HTTPSLimits.observedWarning(endpoint: endpoint, maxInFlight: maxInFlight) {
            warnings.append(warning)
        }
        if !warnings.isEmpty { manifest.warnings = warnings }
        let rows = try accumulator.finish()
        let written = try RunReportFiles.write(
            folder: outDir, manifest: manifest, rows: rows, checks: config.checks, junitPath: config.checks.junitPath)
        return RunReport(outDir: outDir, manifest: manifest, rows: rows, document: written.document, checks: written.checks)
    }

    /// The plans to run in order, each with its phase: the warmup (if any) first, then the
    /// measured plan, or one plan per sweep level.
    static func phases(_ plan: RunPlan, config: RunConfiguration) -> [(RunPlan, Runner.Phase)] {
        // N shards together send the rate asked for: each paces at R/N.
        let perShard: (Double) -> Double = { rate in config.shard?.perShard(rate: rate) ?? rate }
        var phases: [(RunPlan, Runner.Phase)] = []
        if let warmup = config.warmup {
            var warm = plan
            warm.load = LoadModel(concurrency: plan.load.concurrency ?? 1)
            switch warmup {
            case .requests(let n):
                warm.requestLimit = n
            case .duration(let ns):
                warm.requestLimit = nil
                warm.load.duration = ns
                warm.load.grace = plan.load.grace
            }
            phases.append((warm, Runner.Phase(warmup: true)))
        }
        if let sweep = config.sweep {
            for level in sweep.levels {
                var levelPlan = plan
                switch sweep.dimension {
                case .concurrency: levelPlan.load.concurrency = max(1, Int(level))
                case .rate: levelPlan.load.rate = perShard(level)
                }
                phases.append((levelPlan, Runner.Phase(level: sweep.label(level))))
            }
        } else {
            var measured = plan
            measured.load.rate = plan.load.rate.map(perShard)
            phases.append((measured, .measured))
        }
        return phases
    }

    static func makeTransport(_ endpoint: Endpoint, concurrency: Int) throws -> any HTTPTransport {
        if endpoint.scheme == "https" {
            return try makeTLSTransport(endpoint, concurrency: concurrency)
        }
        return try SocketTransport(host: endpoint.host, port: endpoint.port)
    }

    /// Creates the run folder; an existing folder is never reused, so no run overwrites another.
    static func makeOutputFolder(_ config: RunConfiguration, startedAt: Date) throws(RunError) -> String {
        let manager = FileManager.default
        if let explicit = config.outDir {
            if manager.fileExists(atPath: explicit) {
                throw .output("\(explicit) already exists; chatbench never overwrites a run — choose another --out")
            }
            do {
                try manager.createDirectory(atPath: explicit, withIntermediateDirectories: true)
            } catch {
                throw .output("cannot create \(explicit): \(error.localizedDescription)")
            }
            return explicit
        }
        let stamp = iso8601(startedAt).replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        let base = "\(config.reportsRoot)/\(stamp)-\(config.promptSet.name)"
        do {
            try manager.createDirectory(atPath: config.reportsRoot, withIntermediateDirectories: true)
        } catch {
            throw .output("cannot create \(config.reportsRoot): \(error.localizedDescription)")
        }
        for attempt in 1...1000 {
            let candidate = attempt == 1 ? base : "\(base)-\(attempt)"
            // mkdir fails if the folder exists: two runs started in the same second get different folders.
            if mkdir(candidate, 0o755) == 0 { return candidate }
            if errno != EEXIST { throw .output("cannot create \(candidate): \(String(cString: strerror(errno)))") }
        }
        throw .output("cannot find a free folder name under \(config.reportsRoot)")
    }

}

/// `2026-11-25T13:30:08Z`.
func iso8601(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
}
