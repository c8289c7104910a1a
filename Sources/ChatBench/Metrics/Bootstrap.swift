/// A confidence interval for the difference of one percentile between two sets of samples
/// (`new - base`), by the percentile bootstrap: resample each set with replacement, take the
/// percentile of each resample, and read the interval off the spread of the differences.
/// Seeded, so the same two runs always give the same interval.
public struct BootstrapInterval: Sendable, Equatable {
    /// The difference of the percentile over the full samples.
    public var estimate: Double
    public var lower: Double
    public var upper: Double
    /// e.g. 0.95.
    public var confidence: Double

    public init(estimate: Double, lower: Double, upper: Double, confidence: Double) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
    }

    /// True when the whole interval lies on one side of zero.
    public var excludesZero: Bool { lower > 0 || upper < 0 }
}

/// Seeded bootstrap confidence intervals (see `BootstrapInterval`): resample with replacement,
/// recompute the statistic, read the interval off the spread. Seeded, so the same samples always
/// give the same interval.
public enum Bootstrap {
    public static let defaultResamples = 2_000

    /// A two-sided `level` interval (e.g. 0.95) of `statistic` over `samples`; nil with no samples.
    public static func interval(
        _ samples: [Double], level: Double = 0.95, resamples: Int = 2000, seed: UInt64 = 1,
        statistic: ([Double]) -> Double?
    ) -> (low: Double, high: Double)? {
        guard !samples.isEmpty else { return nil }
        var random = SeededRandom(seed: seed)
        var estimates: [Double] = []
        estimates.reserveCapacity(resamples)
        var resample = [Double](repeating: 0, count: samples.count)
        for _ in 0..<resamples {
            for i in 0..<samples.count { resample[i] = samples[random.index(below: samples.count)] }
            if let value = statistic(resample) { estimates.append(value) }
        }
        estimates.sort()
        let tail = (1 - level) / 2
        guard let low = Distribution.percentile(sorted: estimates, tail),
              let high = Distribution.percentile(sorted: estimates, 1 - tail) else { return nil }
        return (low, high)
    }

    public static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    public static func median(_ values: [Double]) -> Double? {
        Distribution.percentile(sorted: values.sorted(), 0.5)
    }

    /// The interval for `percentile(new, quantile) - percentile(base, quantile)`; nil when either side is empty.
    public static func percentileDifference(
        base: [Double], new: [Double], quantile: Double, resamples: Int = defaultResamples, confidence: Double = 0.95, seed: UInt64 = 1
    ) -> BootstrapInterval? {
        let baseSamples = base.filter(\.isFinite)
        let newSamples = new.filter(\.isFinite)
        guard let baseValue = Distribution.percentile(sorted: baseSamples.sorted(), quantile),
              let newValue = Distribution.percentile(sorted: newSamples.sorted(), quantile)
        else { return nil }
        var random = SeededRandom(seed: seed)
        let sortedBase = baseSamples.sorted()
        let sortedNew = newSamples.sorted()
        var differences: [Double] = []
        differences.reserveCapacity(max(1, resamples))
        var countsBase = [Int](repeating: 0, count: sortedBase.count)
        var countsNew = [Int](repeating: 0, count: sortedNew.count)
        for _ in 0..<max(1, resamples) {
            let b = resampledPercentile(sortedBase, quantile, &countsBase, &random)
            let n = resampledPercentile(sortedNew, quantile, &countsNew, &random)
            differences.append(n - b)
        }
        differences.sort()
        let tail = (1 - confidence) / 2
        return BootstrapInterval(
            estimate: newValue - baseValue,
            lower: Distribution.percentile(sorted: differences, tail) ?? 0,
            upper: Distribution.percentile(sorted: differences, 1 - tail) ?? 0,
            confidence: confidence)
    }

    /// The percentile of one resample, without sorting it: a resample of sorted samples is a
    /// count per position, and its order statistics are read off the running total. O(n) per
    /// resample, so 2,000 resamples of thousands of requests take milliseconds.
    private static func resampledPercentile(_ sorted: [Double], _ quantile: Double, _ counts: inout [Int], _ random: inout SeededRandom) -> Double {
        let n = sorted.count
        let h = Double(n - 1) * Swift.min(Swift.max(quantile, 0), 1)
        let lowerRank = Int(h.rounded(.down))
        let fraction = h - Double(lowerRank)
        return counts.withUnsafeMutableBufferPointer { counts in
            for i in 0..<n { counts[i] = 0 }
            for _ in 0..<n { counts[random.index(below: n)] += 1 }
            // Walk the positions in order until the ranks lowerRank and lowerRank + 1 are reached.
            var seen = 0
            var lower: Double?
            for i in 0..<n where counts[i] > 0 {
                seen += counts[i]
                if lower == nil && seen > lowerRank {
                    lower = sorted[i]
                    if seen > lowerRank + 1 || fraction == 0 { return sorted[i] }
                } else if let lower, seen > lowerRank + 1 {
                    return lower + fraction * (sorted[i] - lower)
                }
            }
            return lower ?? sorted[n - 1]
        }
    }
}
