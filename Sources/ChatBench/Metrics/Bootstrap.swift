/// Seeded bootstrap confidence intervals: resample with replacement, recompute the statistic,
/// take the percentile interval. Seeded, so the same samples always give the same interval.
public enum Bootstrap {
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
            for i in 0..<samples.count { resample[i] = samples[Int(random.next() % UInt64(samples.count))] }
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
}
