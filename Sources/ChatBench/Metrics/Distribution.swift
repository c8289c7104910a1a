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

    /// `samples` is consumed: selection reorders it in place, so a caller that hands over its
    /// array (tens of millions of pooled gaps) does not pay for a second copy.
    public init(_ samples: consuming [Double]) {
        var values = samples
        if !values.allSatisfy(\.isFinite) { values.removeAll { !$0.isFinite } }
        n = values.count
        guard !values.isEmpty else { return }
        mean = Self.exactSum(values) / Double(values.count)
        if mean?.isFinite != true {
            // The sum overflowed (samples near Double's limit, from a hostile or corrupt file):
            // the mean of the scaled samples still exists.
            let count = Double(values.count)
            mean = Self.plainFinite(values.reduce(0) { $0 + $1 / count })
        }
        min = values.min()
        max = values.max()
        // Exact order statistics by selection (linear time) rather than a full sort: a run's pooled
        // inter-token gaps run to tens of millions. Each quantile is selected in the part above
        // the previous one, so the four together cost a few passes.
        var low = 0
        for (p, store) in [(0.50, \Distribution.p50), (0.90, \.p90), (0.95, \.p95), (0.99, \.p99)] as [(Double, WritableKeyPath<Distribution, Double?>)] {
            let h = Double(values.count - 1) * p
            let lower = Int(h.rounded(.down))
            Self.select(&values, lower, from: low)
            var value = values[lower]
            if lower + 1 < values.count, h > Double(lower) {
                // The next order statistic is the least value above position `lower`.
                var next = values[lower + 1]
                for v in values[(lower + 1)...] where v < next { next = v }
                let fraction = h - Double(lower)
                let interpolated = value + fraction * (next - value)
                // `next - value` can overflow for samples of opposite sign near Double's limit.
                value = interpolated.isFinite ? interpolated : value * (1 - fraction) + next * fraction
            }
            self[keyPath: store] = value
            low = lower
        }
    }

    private static func plainFinite(_ value: Double) -> Double? { value.isFinite ? value : nil }

    /// The sum of `values` correctly rounded (Shewchuk's exact partial sums, as Python's
    /// `math.fsum`): the same whatever the order, so a merged or re-read run reports the same mean
    /// to the last digit however its records were ordered.
    static func exactSum(_ values: [Double]) -> Double {
        // Partial sums that overflow end in infinity or NaN, never a wrong finite sum; the mean
        // falls back to scaled samples then.
        var partials: [Double] = []
        partials.reserveCapacity(32)
        for value in values {
            var x = value
            var kept = 0
            for j in 0..<partials.count {
                var y = partials[j]
                if Swift.abs(x) < Swift.abs(y) { swap(&x, &y) }
                let high = x + y
                let low = y - (high - x)
                if low != 0 {
                    partials[kept] = low
                    kept += 1
                }
                x = high
            }
            partials.removeSubrange(kept...)
            partials.append(x)
        }
        // Add the partials from the largest, stopping where the rest can no longer change the
        // result, and round half-way cases the way the exact sum says.
        guard var n = partials.indices.last else { return 0 }
        var high = partials[n]
        var low = 0.0
        while n > 0 {
            let x = high
            n -= 1
            let y = partials[n]
            high = x + y
            low = y - (high - x)
            if low != 0 { break }
        }
        if n > 0, (low < 0 && partials[n - 1] < 0) || (low > 0 && partials[n - 1] > 0) {
            let y = low * 2
            let x = high + y
            if y == x - high { high = x }
        }
        return high
    }

    /// Rearranges `values[from...]` so that position `k` holds the value a sort would put there,
    /// with nothing smaller after it and nothing larger before it (Hoare's selection, median of
    /// three; a plain sort of what is left if partitioning keeps going badly).
    static func select(_ values: inout [Double], _ k: Int, from: Int) {
        var lo = from, hi = values.count - 1
        var rounds = 0
        values.withUnsafeMutableBufferPointer { v in
            while hi > lo {
                rounds += 1
                if rounds > 64 {
                    v[lo...hi].sort()
                    return
                }
                let mid = lo + (hi - lo) / 2
                if v[mid] < v[lo] { v.swapAt(mid, lo) }
                if v[hi] < v[lo] { v.swapAt(hi, lo) }
                if v[hi] < v[mid] { v.swapAt(hi, mid) }
                let pivot = v[mid]
                var i = lo, j = hi
                while i <= j {
                    while v[i] < pivot { i += 1 }
                    while pivot < v[j] { j -= 1 }
                    if i <= j {
                        v.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                // Now v[lo...j] <= pivot <= v[i...hi], and anything between equals the pivot.
                if k <= j {
                    hi = j
                } else if k >= i {
                    lo = i
                } else {
                    return
                }
            }
        }
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
