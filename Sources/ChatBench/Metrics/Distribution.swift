/// Exact statistics over every sample of one metric, as summary.json reports them.
/// An empty set reports `n = 0` and null statistics, never 0, so "no data" cannot pass for "instant".
public struct Distribution: Sendable, Codable, Equatable {
    public var n: Int
    public var mean: Double?
    public var min: Double?
    public var p50: Double?
    public var p90: Double?
    public var p95: Double?
    public var p99: Double?
    public var max: Double?

    public init(_ samples: [Double]) {
        let sorted = samples.filter(\.isFinite).sorted()
        n = sorted.count
        guard !sorted.isEmpty else { return }
        mean = sorted.reduce(0, +) / Double(sorted.count)
        min = sorted.first
        p50 = Self.percentile(sorted: sorted, 0.50)
        p90 = Self.percentile(sorted: sorted, 0.90)
        p95 = Self.percentile(sorted: sorted, 0.95)
        p99 = Self.percentile(sorted: sorted, 0.99)
        max = sorted.last
    }

    /// The `p`-quantile (`p` in 0...1) of ascending samples, interpolating linearly between the
    /// closest ranks exactly as numpy's default method does; nil for no samples.
    public static func percentile(sorted: [Double], _ p: Double) -> Double? {
        guard let first = sorted.first, let last = sorted.last else { return nil }
        guard p.isFinite else { return nil }
        if p <= 0 { return first }
        if p >= 1 { return last }
        let h = Double(sorted.count - 1) * p
        let lower = h.rounded(.down)
        let index = Int(lower)
        if index >= sorted.count - 1 { return last }
        return sorted[index] + (h - lower) * (sorted[index + 1] - sorted[index])
    }

    enum CodingKeys: String, CodingKey {
        case n, mean, min, p50, p90, p95, p99, max
    }

    // Written out so that nil statistics appear as `null`: readers of summary.json can rely on
    // every key being present.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(n, forKey: .n)
        try container.encode(mean, forKey: .mean)
        try container.encode(min, forKey: .min)
        try container.encode(p50, forKey: .p50)
        try container.encode(p90, forKey: .p90)
        try container.encode(p95, forKey: .p95)
        try container.encode(p99, forKey: .p99)
        try container.encode(max, forKey: .max)
    }
}
