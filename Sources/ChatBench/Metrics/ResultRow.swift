/// The part of a finished request that reports need, once its full record is in results.jsonl:
/// numbers and a few short strings, no answer or reasoning text (except the one answer per prompt
/// a baseline comparison may need; see `ReportAccumulator`), so a long run's memory grows by a
/// few hundred bytes per request plus 8 per inter-token gap (which exact pooled percentiles need).
/// Optional figures are stored as NaN (8 bytes instead of an optional's 16).
public struct ResultRow: MeasuredRequest, Equatable {
    public var id: String
    public var index: Int
    public var repetition: Int
    public var mode: RequestMode
    public var outcome: Outcome
    public var finishReason: String
    public var error: String?
    public var answer: String
    public var checks: [CheckResult]?
    public var sweepLevel: String?
    public var itlMs: [Double]
    public var startOffsetMs: Double
    public var queueMs: Double

    private var statusValue: Int32
    private var attemptsValue: Int32
    private var textChunksValue: Int32
    private var completionTokensValue: Int32
    private var promptTokensValue: Int32
    private var reasoningTokensValue: Int32
    private var flags: UInt16
    private var temperatureValue: Double
    private var connect: Double
    private var ttfb: Double
    private var ttft: Double
    private var e2e: Double
    private var tpot: Double
    private var decode: Double
    private var e2eRate: Double
    private var scheduledOffset: Double
    private var ttftFromScheduled: Double
    private var e2eFromScheduled: Double
    private var clientLag: Double
    private var ttfc: Double
    private var reasoning: Double
    private var perChunk: Double
    private var serverLoad: Double
    private var serverPrefillRate: Double
    private var serverDecodeRate: Double
    private var serverGap: Double

    /// The row of `result`; `keepAnswer` false drops the answer text.
    public init(_ r: some MeasuredRequest, keepAnswer: Bool = true) {
        id = r.id
        index = r.index
        repetition = r.repetition
        mode = r.mode
        outcome = r.outcome
        finishReason = r.finishReason
        error = r.outcome == .ok ? nil : r.error
        answer = keepAnswer ? r.answer : ""
        checks = r.checks
        sweepLevel = r.sweepLevel
        itlMs = r.outcome == .ok ? r.itlMs : []  // pooled gaps are over ok requests only
        startOffsetMs = r.startOffsetMs
        queueMs = r.queueMs
        statusValue = Self.pack(r.status)
        attemptsValue = Int32(clamping: r.attempts)
        textChunksValue = Int32(clamping: r.textChunks)
        completionTokensValue = Self.pack(r.completionTokens)
        promptTokensValue = Self.pack(r.promptTokens)
        reasoningTokensValue = Self.pack(r.reasoningTokens)
        var flags: UInt16 = 0
        if r.isWarmup { flags |= Flag.warmup }
        if let b = r.buffered { flags |= Flag.bufferedKnown | (b ? Flag.buffered : 0) }
        if let c = r.coldStart { flags |= Flag.coldStartKnown | (c ? Flag.coldStart : 0) }
        if r.reasoningWithoutAnswer { flags |= Flag.reasoningWithoutAnswer }
        switch r.tokenSource {
        case .usage?: flags |= Flag.tokensFromUsage
        case .chunks?: flags |= Flag.tokensFromChunks
        case nil: break
        }
        self.flags = flags
        temperatureValue = r.temperature ?? .nan
        connect = r.connectMs ?? .nan
        ttfb = r.ttfbMs ?? .nan
        ttft = r.ttftMs ?? .nan
        e2e = r.e2eMs ?? .nan
        tpot = r.tpotMs ?? .nan
        decode = r.decodeTps ?? .nan
        e2eRate = r.e2eTps ?? .nan
        scheduledOffset = r.scheduledOffsetMs ?? .nan
        ttftFromScheduled = r.ttftFromScheduledMs ?? .nan
        e2eFromScheduled = r.e2eFromScheduledMs ?? .nan
        clientLag = r.clientLagMs ?? .nan
        ttfc = r.ttfcMs ?? .nan
        reasoning = r.reasoningMs ?? .nan
        perChunk = r.tokensPerChunk ?? .nan
        serverLoad = r.serverLoadMs ?? .nan
        serverPrefillRate = r.serverPrefillTps ?? .nan
        serverDecodeRate = r.serverDecodeTps ?? .nan
        serverGap = r.serverGapMs ?? .nan
    }

    private enum Flag {
        static let warmup: UInt16 = 1
        static let bufferedKnown: UInt16 = 2
        static let buffered: UInt16 = 4
        static let coldStartKnown: UInt16 = 8
        static let coldStart: UInt16 = 16
        static let reasoningWithoutAnswer: UInt16 = 32
        static let tokensFromUsage: UInt16 = 64
        static let tokensFromChunks: UInt16 = 128
    }

    // Int32.min stands for "none": token counts and statuses never come near it.
    private static func pack(_ value: Int?) -> Int32 { value.map { Int32(clamping: $0) } ?? .min }
    private static func unpack(_ value: Int32) -> Int? { value == .min ? nil : Int(value) }
    // NaN stands for "none"; a non-finite figure is never a sample anyway (`Distribution` drops it).
    private static func unpack(_ value: Double) -> Double? { value.isNaN ? nil : value }

    public var status: Int? { Self.unpack(statusValue) }
    public var attempts: Int { Int(attemptsValue) }
    public var textChunks: Int { Int(textChunksValue) }
    public var completionTokens: Int? { Self.unpack(completionTokensValue) }
    public var promptTokens: Int? { Self.unpack(promptTokensValue) }
    public var reasoningTokens: Int? { Self.unpack(reasoningTokensValue) }
    public var isWarmup: Bool { flags & Flag.warmup != 0 }
    public var buffered: Bool? { flags & Flag.bufferedKnown != 0 ? flags & Flag.buffered != 0 : nil }
    public var coldStart: Bool? { flags & Flag.coldStartKnown != 0 ? flags & Flag.coldStart != 0 : nil }
    public var reasoningWithoutAnswer: Bool { flags & Flag.reasoningWithoutAnswer != 0 }
    public var tokenSource: TokenSource? {
        if flags & Flag.tokensFromUsage != 0 { return .usage }
        if flags & Flag.tokensFromChunks != 0 { return .chunks }
        return nil
    }
    public var temperature: Double? { Self.unpack(temperatureValue) }
    public var connectMs: Double? { Self.unpack(connect) }
    public var ttfbMs: Double? { Self.unpack(ttfb) }
    public var ttftMs: Double? { Self.unpack(ttft) }
    public var e2eMs: Double? { Self.unpack(e2e) }
    public var tpotMs: Double? { Self.unpack(tpot) }
    public var decodeTps: Double? { Self.unpack(decode) }
    public var e2eTps: Double? { Self.unpack(e2eRate) }
    public var scheduledOffsetMs: Double? { Self.unpack(scheduledOffset) }
    public var ttftFromScheduledMs: Double? { Self.unpack(ttftFromScheduled) }
    public var e2eFromScheduledMs: Double? { Self.unpack(e2eFromScheduled) }
    public var clientLagMs: Double? { Self.unpack(clientLag) }
    public var ttfcMs: Double? { Self.unpack(ttfc) }
    public var reasoningMs: Double? { Self.unpack(reasoning) }
    public var tokensPerChunk: Double? { Self.unpack(perChunk) }
    public var serverLoadMs: Double? { Self.unpack(serverLoad) }
    public var serverPrefillTps: Double? { Self.unpack(serverPrefillRate) }
    public var serverDecodeTps: Double? { Self.unpack(serverDecodeRate) }
    public var serverGapMs: Double? { Self.unpack(serverGap) }

    /// Drops the answer text (it was kept as a prompt's first answer and another took its place).
    mutating func dropAnswer() { answer = "" }

    public static func == (a: ResultRow, b: ResultRow) -> Bool {
        // Field-wise, with NaN ("none") equal to NaN.
        func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
        return a.id == b.id && a.index == b.index && a.repetition == b.repetition && a.mode == b.mode && a.outcome == b.outcome
            && a.finishReason == b.finishReason && a.error == b.error && a.answer == b.answer && a.checks == b.checks
            && a.sweepLevel == b.sweepLevel && a.itlMs == b.itlMs && a.startOffsetMs == b.startOffsetMs && a.queueMs == b.queueMs
            && a.statusValue == b.statusValue && a.attemptsValue == b.attemptsValue && a.textChunksValue == b.textChunksValue
            && a.completionTokensValue == b.completionTokensValue && a.promptTokensValue == b.promptTokensValue
            && a.reasoningTokensValue == b.reasoningTokensValue && a.flags == b.flags
            && [a.temperatureValue, a.connect, a.ttfb, a.ttft, a.e2e, a.tpot, a.decode, a.e2eRate, a.scheduledOffset, a.ttftFromScheduled,
                a.e2eFromScheduled, a.clientLag, a.ttfc, a.reasoning, a.perChunk, a.serverLoad, a.serverPrefillRate, a.serverDecodeRate, a.serverGap]
            .elementsEqual([b.temperatureValue, b.connect, b.ttfb, b.ttft, b.e2e, b.tpot, b.decode, b.e2eRate, b.scheduledOffset, b.ttftFromScheduled,
                            b.e2eFromScheduled, b.clientLag, b.ttfc, b.reasoning, b.perChunk, b.serverLoad, b.serverPrefillRate, b.serverDecodeRate, b.serverGap],
                           by: same)
    }
}
