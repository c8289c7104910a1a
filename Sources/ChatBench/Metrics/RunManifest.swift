import Foundation

/// What was run, against what, from where: the provenance block of summary.json that makes a
/// result reproducible and comparable.
public struct RunManifest: Sendable, Codable, Equatable {
    /// The machine the benchmark ran on, since client load and core count shape the figures.
    public struct HostInfo: Sendable, Codable, Equatable {
        public var hostname: String
        public var os: String
        public var cpuCount: Int

        public init(hostname: String, os: String, cpuCount: Int) {
            self.hostname = hostname
            self.os = os
            self.cpuCount = cpuCount
        }

        /// This machine, as ProcessInfo sees it.
        public static func current() -> HostInfo {
            let info = ProcessInfo.processInfo
            return HostInfo(hostname: info.hostName, os: info.operatingSystemVersionString,
                            cpuCount: info.activeProcessorCount)
        }

        enum CodingKeys: String, CodingKey {
            case hostname, os
            case cpuCount = "cpu_count"
        }
    }

    public var tool: String
    public var toolVersion: String
    /// ISO-8601 UTC, supplied by the caller so the manifest stays a pure value.
    public var startedAt: String
    /// Must already be stripped of credentials by the caller.
    public var targetURL: String
    public var api: String
    public var model: String?
    public var promptSetPath: String
    public var promptSetSHA256: String
    public var promptCount: Int
    public var modes: [String]
    public var concurrency: Int
    /// Observed, not configured: the most requests that were actually in flight at once.
    public var maxInFlight: Int
    /// How many times each prompt was sent (`--repeat`).
    public var repeatCount: Int
    /// Planned requests; fewer results than this means the run was cut short.
    public var requests: Int
    public var options: [String: String]
    public var host: HostInfo
    public var interrupted: Bool
    public var mock: Bool
    /// The load model beyond a plain closed loop (rate, arrivals, duration, warmup, sweep).
    public var load: LoadDescription?
    /// `--shard I/N`: which slice of the plan this run made; nil for a whole run.
    public var shard: Shard?
    /// Wall-clock start of the run loop (Unix ms): the zero of `start_offset_ms`, so merged shards
    /// share one time axis. Written only for shard runs.
    public var runStartUnixMs: Double?
    /// For a merged run: how many shard folders it was merged from.
    public var mergedShards: Int?
    /// Conditions that may make the figures describe the client rather than the server (e.g.
    /// an https:// run above the measured ceiling); nil when there are none.
    public var warnings: [String]?

    public init(tool: String = "chatbench", toolVersion: String, startedAt: String, targetURL: String,
                api: String = "openai", model: String?, promptSetPath: String, promptSetSHA256: String,
                promptCount: Int, modes: [String], concurrency: Int, maxInFlight: Int, repeatCount: Int,
                requests: Int, options: [String: String], host: HostInfo = .current(),
                interrupted: Bool, mock: Bool) {
        self.tool = tool
        self.toolVersion = toolVersion
        self.startedAt = startedAt
        self.targetURL = targetURL
        self.api = api
        self.model = model
        self.promptSetPath = promptSetPath
        self.promptSetSHA256 = promptSetSHA256
        self.promptCount = promptCount
        self.modes = modes
        self.concurrency = concurrency
        self.maxInFlight = maxInFlight
        self.repeatCount = repeatCount
        self.requests = requests
        self.options = options
        self.host = host
        self.interrupted = interrupted
        self.mock = mock
    }

    enum CodingKeys: String, CodingKey {
        case tool
        case toolVersion = "tool_version"
        case startedAt = "started_at"
        case targetURL = "target_url"
        case api, model
        case promptSetPath = "prompt_set_path"
        case promptSetSHA256 = "prompt_set_sha256"
        case promptCount = "prompt_count"
        case modes, concurrency
        case maxInFlight = "max_in_flight"
        case repeatCount = "repeat"
        case requests, options, host, interrupted, mock, load
        case shard
        case runStartUnixMs = "run_start_unix_ms"
        case mergedShards = "merged_shards"
        case warnings
    }

    // Written out so that a missing model appears as `null` rather than vanishing.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tool, forKey: .tool)
        try c.encode(toolVersion, forKey: .toolVersion)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(targetURL, forKey: .targetURL)
        try c.encode(api, forKey: .api)
        try c.encode(model, forKey: .model)
        try c.encode(promptSetPath, forKey: .promptSetPath)
        try c.encode(promptSetSHA256, forKey: .promptSetSHA256)
        try c.encode(promptCount, forKey: .promptCount)
        try c.encode(modes, forKey: .modes)
        try c.encode(concurrency, forKey: .concurrency)
        try c.encode(maxInFlight, forKey: .maxInFlight)
        try c.encode(repeatCount, forKey: .repeatCount)
        try c.encode(requests, forKey: .requests)
        try c.encode(options, forKey: .options)
        try c.encode(host, forKey: .host)
        try c.encode(interrupted, forKey: .interrupted)
        try c.encode(mock, forKey: .mock)
        try c.encodeIfPresent(load, forKey: .load)
        // Only distributed runs carry these, so a plain run's summary.json is unchanged.
        try c.encodeIfPresent(shard, forKey: .shard)
        try c.encodeIfPresent(runStartUnixMs, forKey: .runStartUnixMs)
        try c.encodeIfPresent(mergedShards, forKey: .mergedShards)
        try c.encodeIfPresent(warnings, forKey: .warnings)
    }
}
