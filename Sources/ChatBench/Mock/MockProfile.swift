/// How the simulated server behaves: time to first token, the gap between tokens, how many
/// tokens an answer has, seeded jitter, and whether it honours `stream_options.include_usage`.
/// Written on the command line as `ttft=200ms,itl=20ms,tokens=64,jitter=0.1,seed=7,usage=off`.
public struct MockProfile: Sendable, Equatable, CustomStringConvertible {
    /// Nanoseconds from the request to the first content token.
    public var timeToFirstToken: UInt64
    /// Nanoseconds between tokens.
    public var interTokenLatency: UInt64
    /// Tokens in a full answer (a request's `max_tokens` cuts it short, with `finish_reason: length`).
    public var tokens: Int
    /// Each delay is scaled by a factor drawn uniformly from `1 ± jitter`.
    public var jitter: Double
    public var seed: UInt64
    /// When false the server ignores `include_usage` and never reports token counts.
    public var sendsUsage: Bool
    /// The model name the server lists and answers as.
    public var model: String
    // Server-like behaviour (MockPresets): reasoning, chunking, quirks, model loading.
    /// Tokens of reasoning before the answer (`reasoning=20`); `max_tokens` counts them too.
    public var reasoningTokens: Int = 0
    /// How the reasoning is sent on the OpenAI route (`think=reasoning_content|reasoning|tags`).
    public var reasoningFormat: MockReasoningFormat = .reasoningContent
    /// Report `usage.completion_tokens_details.reasoning_tokens` (`reasoning_usage=on`), as vLLM does.
    public var reportsReasoningTokens = false
    /// Tokens per streamed chunk (`chunk=4`), as servers that batch tokens send them.
    public var tokensPerChunk = 1
    /// Also send empty-content deltas (`empty_deltas=on`), as llama.cpp's server does.
    public var sendsEmptyDeltas = false
    /// Hold the whole stream back and write it at the end (`buffered=on`), like a buffering proxy.
    public var buffered = false
    /// The first chat request waits this long for the model to load (`load=1s`); requests
    /// arriving during the load wait for its end, as Ollama's do. Reported as `load_duration`.
    public var loadTime: UInt64 = 0
    /// The preset this profile started from, if any (shown in the description).
    public var preset: String?
    /// `arithmetic=wrong`: arithmetic questions get an answer one too many (see `MockArithmetic`),
    /// so a prompt set's assertions can be shown failing on demand.
    public var answersArithmeticWrongly: Bool = false
    /// A misbehaviour for chat requests (`fault=NAME`); nil: behave.
    public var fault: MockFault?
    /// Only the first N chat requests get the fault (`fault-count=N`); nil: all of them.
    public var faultCount: Int?
    /// Seconds sent in `Retry-After` with 429 and 503 faults (`retry-after=S`).
    public var retryAfter: Int = 1

    public init(
        timeToFirstToken: UInt64 = 50_000_000, interTokenLatency: UInt64 = 5_000_000, tokens: Int = 48,
        jitter: Double = 0, seed: UInt64 = 1, sendsUsage: Bool = true, model: String = "mock-model"
    ) {
        self.timeToFirstToken = timeToFirstToken
        self.interTokenLatency = interTokenLatency
        self.tokens = tokens
        self.jitter = jitter
        self.seed = seed
        self.sendsUsage = sendsUsage
        self.model = model
    }

    /// The profile `--mock` uses when none is named: quick, so the zero-setup demo takes a second.
    public static let standard = MockProfile()

    public var description: String {
        var text = (preset.map { $0 + "," } ?? "") + "ttft=\(formatDuration(timeToFirstToken)),itl=\(formatDuration(interTokenLatency)),tokens=\(tokens),jitter=\(jitter),seed=\(seed),usage=\(sendsUsage ? "on" : "off"),model=\(model)"
        if answersArithmeticWrongly { text += ",arithmetic=wrong" }
        text += fault.map { ",fault=\($0)" + (faultCount.map { ",fault-count=\($0)" } ?? "") + ",retry-after=\(retryAfter)" } ?? ""
        text += serverBehaviourDescription
        return text
    }

    /// Parses `key=value` pairs separated by commas; unknown keys are an error naming the known ones.
    public static func parse(_ text: String) throws(MockProfileError) -> MockProfile {
        var profile = MockProfile.standard
        if text.isEmpty || text == "default" { return profile }
        for (position, pair) in text.split(separator: ",").enumerated() {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if parts.count == 1, position == 0, let name = parts.first, MockProfile.preset(named: name.trimmingSpaces) != nil || !name.contains(where: { !$0.isLetter }) {
                // A leading bare name picks a preset (`vllm,ttft=100ms`); later pairs override it.
                guard let preset = MockProfile.preset(named: parts[0].trimmingSpaces) else { throw .unknownPreset(parts[0]) }
                profile = preset
                continue
            }
            guard parts.count == 2, !parts[0].trimmingSpaces.isEmpty, !parts[1].trimmingSpaces.isEmpty else { throw .malformed(String(pair)) }
            let (key, value) = (parts[0].trimmingSpaces, parts[1].trimmingSpaces)
            switch key {
            case "ttft": profile.timeToFirstToken = try duration(value, key)
            case "itl": profile.interTokenLatency = try duration(value, key)
            case "tokens":
                guard let n = Int(value), n >= 0 else { throw .badValue(key, value) }
                profile.tokens = n
            case "jitter":
                guard let j = Double(value), j >= 0, j <= 1 else { throw .badValue(key, value) }
                profile.jitter = j
            case "seed":
                guard let s = UInt64(value) else { throw .badValue(key, value) }
                profile.seed = s
            case "usage":
                guard value == "on" || value == "off" else { throw .badValue(key, value) }
                profile.sendsUsage = value == "on"
            case "model":
                profile.model = value
            case "arithmetic":
                guard value == "right" || value == "wrong" else { throw .badValue(key, value) }
                profile.answersArithmeticWrongly = value == "wrong"
            case "fault":
                guard let fault = MockFault(rawValue: value) else { throw .unknownFault(value) }
                profile.fault = fault
            case "fault-count":
                guard let n = Int(value), n >= 0 else { throw .badValue(key, value) }
                profile.faultCount = n
            case "retry-after":
                guard let n = Int(value), n >= 0 else { throw .badValue(key, value) }
                profile.retryAfter = n
            default:
                try profile.setServerBehaviour(key, value)
            }
        }
        return profile
    }

    private static func duration(_ text: String, _ key: String) throws(MockProfileError) -> UInt64 {
        guard let ns = parseDuration(text) else { throw .badValue(key, text) }
        return ns
    }
}

/// A mock profile that could not be read.
public enum MockProfileError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case unknownKey(String)
    case badValue(String, String)
    case unknownPreset(String)
    case unknownFault(String)

    public var description: String {
        switch self {
        case .malformed(let pair): "mock profile: expected key=value, got \(pair.debugDescription)"
        case .unknownPreset(let name): "mock profile: unknown preset \(name.debugDescription) (known: \(MockProfile.presetNames.joined(separator: ", ")); a preset comes first, e.g. vllm,ttft=100ms)"
        case .unknownKey(let key): "mock profile: unknown key \(key.debugDescription) (known: ttft, itl, tokens, jitter, seed, usage, model, arithmetic, fault, fault-count, retry-after, \(MockProfile.serverBehaviourKeys.joined(separator: ", ")))"
        case .badValue(let key, let value): "mock profile: bad value \(value.debugDescription) for \(key)"
        case .unknownFault(let name): "mock profile: unknown fault \(name.debugDescription) (known: \(MockFault.names))"
        }
    }
}

/// Parses `250ms`, `1.5s`, `2m`, `800us`, or a bare number of seconds, into nanoseconds.
public func parseDuration(_ text: String) -> UInt64? {
    let units: [(String, Double)] = [("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9)]
    let trimmed = text.trimmingSpaces
    // Rounded, not truncated: 4.1 s is 4_100_000_000 ns, not 1 ns less. Values past what a
    // UInt64 of nanoseconds holds (about 584 years) are rejected rather than trapping.
    func nanoseconds(_ value: Double, _ scale: Double) -> UInt64? {
        let ns = (value * scale).rounded()
        return ns < 1.8e19 ? UInt64(ns) : nil
    }
    for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
        if let value = Double(trimmed.dropLast(suffix.count)), value >= 0, value.isFinite { return nanoseconds(value, scale) }
    }
    if let value = Double(trimmed), value >= 0, value.isFinite { return nanoseconds(value, 1e9) }
    return nil
}

/// Nanoseconds as a short human duration: `200ms`, `1.5s`, `800us`.
public func formatDuration(_ ns: UInt64) -> String {
    if ns >= 1_000_000_000 && ns % 1_000_000 == 0 {
        let s = Double(ns) / 1e9
        return s == s.rounded() ? "\(Int(s))s" : "\(s)s"
    }
    if ns % 1_000_000 == 0 { return "\(ns / 1_000_000)ms" }
    if ns % 1000 == 0 { return "\(ns / 1000)us" }
    return "\(ns)ns"
}
