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

/// The bootstrap itself (see `BootstrapInterval`).
public enum Bootstrap {
    public static let defaultResamples = 2_000

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
        var differences: [Double] = []
        differences.reserveCapacity(max(1, resamples))
        var scratchBase = [Double](repeating: 0, count: baseSamples.count)
        var scratchNew = [Double](repeating: 0, count: newSamples.count)
        for _ in 0..<max(1, resamples) {
            let b = resampledPercentile(baseSamples, quantile, &scratchBase, &random)
            let n = resampledPercentile(newSamples, quantile, &scratchNew, &random)
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

    private static func resampledPercentile(_ samples: [Double], _ quantile: Double, _ scratch: inout [Double], _ random: inout SeededRandom) -> Double {
        for i in 0..<samples.count { scratch[i] = samples[random.index(below: samples.count)] }
        scratch.sort()
        return Distribution.percentile(sorted: scratch, quantile) ?? 0
    }
}
