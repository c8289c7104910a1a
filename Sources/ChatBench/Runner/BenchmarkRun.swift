import Foundation

/// Everything one `chatbench run` needs, as data: the CLI builds it from flags, tests build it directly.
public struct RunConfiguration: Sendable {
    public var promptSet: PromptSet
    public var endpoint: Endpoint
    /// When set, an in-process mock server with this profile is started and used as the target.
    public var mock: MockProfile?
    public var defaults: ChatRequestDefaults
    public var modes: [RequestMode]
    public var concurrency: Int
    public var repeatCount: Int
    public var requestLimit: Int?
    /// `--out`: the run folder, which must not exist yet. nil: `reportsRoot/<UTC time>-<prompt set>`.
    public var outDir: String?
    public var reportsRoot: String
    /// The effective options, as the user would write them, for the manifest (never credentials).
    public var options: [String: String]

    public init(
        promptSet: PromptSet, endpoint: Endpoint, mock: MockProfile? = nil, defaults: ChatRequestDefaults = ChatRequestDefaults(),
        modes: [RequestMode] = [.stream], concurrency: Int = 1, repeatCount: Int = 1, requestLimit: Int? = nil,
        outDir: String? = nil, reportsRoot: String = "reports", options: [String: String] = [:]
    ) {
        self.promptSet = promptSet
        self.endpoint = endpoint
        self.mock = mock
        self.defaults = defaults
        self.modes = modes
        self.concurrency = concurrency
        self.repeatCount = repeatCount
        self.requestLimit = requestLimit
        self.outDir = outDir
        self.reportsRoot = reportsRoot
        self.options = options
    }
}

/// What a finished (or interrupted) run wrote and measured.
public struct RunReport: Sendable {
    public var outDir: String
    public var manifest: RunManifest
    public var results: [RequestResult]
    public var interrupted: Bool { manifest.interrupted }
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

    public init(message: @escaping @Sendable (String) -> Void = { _ in }, result: @escaping @Sendable (RequestResult) -> Void = { _ in }) {
        self.message = message
        self.result = result
    }
}

/// One benchmark run from configuration to report files: target set-up (mock, transport, model
/// check), the run loop, `results.jsonl` as results land, then `results.csv`, `summary.json` and `summary.md`.
/// Cancelling the calling task interrupts the run; what finished is still reported.
public enum BenchmarkRun {
    public static func execute(_ config: RunConfiguration, observer: RunObserver = RunObserver()) async throws(RunError) -> RunReport {
        let startedAt = Date()
        let files = FileDescriptorLimit.raiseToHard()
        if let problem = FileDescriptorLimit.problem(concurrency: config.concurrency, mock: config.mock != nil, soft: files.soft, hard: files.hard) {
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
            transport = try makeTransport(endpoint, concurrency: config.concurrency)
        } catch {
            throw .unreachable("cannot use \(endpoint): \(error)")
        }
        defer { transport.shutdown() }

        let needsModel = config.promptSet.prompts.contains { $0.body["model"] == nil }
        defaults.model = try await ModelCheck.resolve(
            requested: defaults.model, needed: needsModel, endpoint: endpoint, transport: transport, deadlines: defaults.deadlines)

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
            requestLimit: config.requestLimit, concurrency: config.concurrency)
        let client = ChatClient(transport: transport, endpoint: endpoint, defaults: defaults)
        var writeFailed = false
        let output = await Runner(client: client).run(plan) { result in
            do {
                try log.append(result)
            } catch {
                if !writeFailed { observer.message("warning: cannot append to results.jsonl: \(error)") }
                writeFailed = true
            }
            observer.result(result)
        }

        var options = config.options
        if let profile = config.mock { options["mock"] = profile.description }
        let manifest = RunManifest(
            toolVersion: ChatBenchVersion.current,
            startedAt: iso8601(startedAt),
            targetURL: endpoint.description,
            model: defaults.model,
            promptSetPath: config.promptSet.path,
            promptSetSHA256: config.promptSet.sha256,
            promptCount: config.promptSet.prompts.count,
            modes: config.modes.map(\.rawValue),
            concurrency: plan.concurrency,
            maxInFlight: output.maxInFlight,
            repeatCount: plan.repeatCount,
            requests: plan.count,
            options: options,
            interrupted: output.interrupted || Task.isCancelled,
            mock: config.mock != nil)
        try write(outDir + "/results.csv", CSVReport.render(output.results))
        try write(outDir + "/summary.json", SummaryJSONReport.render(manifest: manifest, results: output.results))
        try write(outDir + "/summary.md", MarkdownReport.render(manifest: manifest, results: output.results))
        return RunReport(outDir: outDir, manifest: manifest, results: output.results)
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

    static func write(_ path: String, _ text: String) throws(RunError) {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .output("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

/// `2026-11-25T13:30:08Z`.
func iso8601(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
}
