/// `--mode both`: each prompt (and repetition) sent once streaming and once not, compared pair
/// by pair, so prompt-to-prompt differences cancel out.
public struct PairedComparison: Sendable, Codable, Equatable {
    /// One prompt's two requests, both `ok`.
    public struct Pair: Sendable, Codable, Equatable {
        public var id: String
        public var repetition: Int
        public var level: String?
        public var streamTtftMs: Double?
        public var streamE2eMs: Double
        public var nonStreamE2eMs: Double
        /// stream − non-stream: negative when streaming finished first.
        public var e2eDifferenceMs: Double

        enum CodingKeys: String, CodingKey {
            case id, repetition, level
            case streamTtftMs = "stream_ttft_ms"
            case streamE2eMs = "stream_e2e_ms"
            case nonStreamE2eMs = "non_stream_e2e_ms"
            case e2eDifferenceMs = "e2e_difference_ms"
        }
    }

    public var pairs: Int
    /// Pairs with a failed side are left out; how many.
    public var incompletePairs: Int
    public var e2eDifferenceMedianMs: Double?
    public var e2eDifferenceMeanMs: Double?
    /// 95% bootstrap interval (seeded, 2,000 resamples) of the mean difference.
    public var e2eDifferenceMeanCI: [Double]?
    /// Share of pairs where the streaming request finished first.
    public var streamFinishedFirstShare: Double?
    /// What a user waits before reading: streaming TTFT against the non-streaming full latency (medians).
    public var streamTtftMedianMs: Double?
    public var nonStreamE2eMedianMs: Double?
    public var pairList: [Pair]

    /// Pairs the results by (prompt id, repetition, sweep level); nil when fewer than one pair.
    public init?<R: MeasuredRequest>(results: [R]) {
        // Most runs have one mode: nothing to pair, and no reason to index every request.
        guard results.contains(where: { $0.mode == .stream }), results.contains(where: { $0.mode == .nonStream }) else { return nil }
        var stream: [PairKey: Int] = [:]
        var plain: [PairKey: Int] = [:]
        for i in results.indices where !results[i].isWarmup {
            let key = PairKey(id: results[i].id, repetition: results[i].repetition, level: results[i].sweepLevel)
            if results[i].mode == .stream { stream[key] = i } else { plain[key] = i }
        }
        let keys = Set(stream.keys).intersection(plain.keys)
        guard !keys.isEmpty else { return nil }
        var list: [Pair] = []
        var incomplete = 0
        for key in keys {
            guard let s = stream[key].map({ results[$0] }), let n = plain[key].map({ results[$0] }), s.outcome == .ok, n.outcome == .ok, let se = s.e2eMs, let ne = n.e2eMs else {
                incomplete += 1
                continue
            }
            list.append(Pair(id: key.id, repetition: key.repetition, level: key.level, streamTtftMs: s.ttftMs, streamE2eMs: se, nonStreamE2eMs: ne, e2eDifferenceMs: se - ne))
        }
        list.sort { ($0.level ?? "", $0.id, $0.repetition) < ($1.level ?? "", $1.id, $1.repetition) }
        pairs = list.count
        incompletePairs = incomplete
        pairList = list
        let differences = list.map(\.e2eDifferenceMs)
        e2eDifferenceMedianMs = Bootstrap.median(differences)
        e2eDifferenceMeanMs = Bootstrap.mean(differences)
        e2eDifferenceMeanCI = Bootstrap.interval(differences, statistic: Bootstrap.mean).map { [$0.low, $0.high] }
        streamFinishedFirstShare = list.isEmpty ? nil : Double(list.filter { $0.e2eDifferenceMs < 0 }.count) / Double(list.count)
        streamTtftMedianMs = Bootstrap.median(list.compactMap(\.streamTtftMs))
        nonStreamE2eMedianMs = Bootstrap.median(list.map(\.nonStreamE2eMs))
    }

    enum CodingKeys: String, CodingKey {
        case pairs
        case incompletePairs = "incomplete_pairs"
        case e2eDifferenceMedianMs = "e2e_difference_median_ms"
        case e2eDifferenceMeanMs = "e2e_difference_mean_ms"
        case e2eDifferenceMeanCI = "e2e_difference_mean_ci95_ms"
        case streamFinishedFirstShare = "stream_finished_first_share"
        case streamTtftMedianMs = "stream_ttft_median_ms"
        case nonStreamE2eMedianMs = "non_stream_e2e_median_ms"
        case pairList = "pair_list"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pairs, forKey: .pairs)
        try c.encode(incompletePairs, forKey: .incompletePairs)
        try c.encode(e2eDifferenceMedianMs, forKey: .e2eDifferenceMedianMs)
        try c.encode(e2eDifferenceMeanMs, forKey: .e2eDifferenceMeanMs)
        try c.encode(e2eDifferenceMeanCI, forKey: .e2eDifferenceMeanCI)
        try c.encode(streamFinishedFirstShare, forKey: .streamFinishedFirstShare)
        try c.encode(streamTtftMedianMs, forKey: .streamTtftMedianMs)
        try c.encode(nonStreamE2eMedianMs, forKey: .nonStreamE2eMedianMs)
        try c.encode(pairList, forKey: .pairList)
    }

    /// pairs.csv: one row per complete pair (RFC 4180; ids quoted when needed).
    public func csv() -> String {
        var lines = ["id,repetition,level,stream_ttft_ms,stream_e2e_ms,non_stream_e2e_ms,e2e_difference_ms"]
        for pair in pairList {
            lines.append([CSVReport.quote(pair.id), String(pair.repetition), CSVReport.quote(pair.level ?? ""), CSVReport.fixed(pair.streamTtftMs),
                          CSVReport.fixed(pair.streamE2eMs), CSVReport.fixed(pair.nonStreamE2eMs), CSVReport.fixed(pair.e2eDifferenceMs)].joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

/// What pairs a streaming request with its non-streaming twin.
struct PairKey: Hashable {
    var id: String
    var repetition: Int
    var level: String?
}
