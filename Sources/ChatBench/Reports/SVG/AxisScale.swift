import Foundation

/// A linear axis with "nice" round ticks (1, 2 or 5 times a power of ten) covering the data,
/// as a person would draw it by hand: 0, 50, 100, 150 rather than 0, 47.3, 94.6.
public struct AxisScale: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var step: Double
    /// Digits after the decimal point that the tick labels need to tell ticks apart.
    public var decimals: Int

    /// Ticks over `[low, high]` (widened to include 0 when `includeZero`), about `target` of them.
    public init(low: Double, high: Double, includeZero: Bool = true, target: Int = 6) {
        var lo = low.isFinite ? low : 0
        var hi = high.isFinite ? high : 1
        if includeZero { lo = Swift.min(lo, 0); hi = Swift.max(hi, 0) }
        if hi < lo { swap(&lo, &hi) }
        if hi == lo {
            // One value: give it room rather than dividing by zero.
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            hi += pad
            if !includeZero || lo != 0 { lo -= pad }
        }
        step = Self.nice((hi - lo) / Double(Swift.max(1, target - 1)), round: true)
        lower = (lo / step).rounded(.down) * step
        upper = (hi / step).rounded(.up) * step
        decimals = Swift.max(0, Int(-log10(step).rounded(.down)))
    }

    /// The tick values from `lower` to `upper`, computed from integers so no float drift creeps in.
    public var ticks: [Double] {
        let count = Int(((upper - lower) / step).rounded())
        return (0...count).map { lower + Double($0) * step }
    }

    /// A tick value as its label.
    public func label(_ value: Double) -> String {
        // A tick computed as -0.0000001 must read 0, not -0.
        String(format: "%.\(decimals)f", abs(value) < step / 1e6 ? 0 : value)
    }

    /// Where `value` falls between `from` (at `lower`) and `to` (at `upper`).
    public func position(_ value: Double, from: Double, to: Double) -> Double {
        from + (value - lower) / (upper - lower) * (to - from)
    }

    /// Heckbert's nice numbers: the closest (`round`) or next larger 1, 2, 5 × 10^k.
    static func nice(_ x: Double, round: Bool) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let exponent = log10(x).rounded(.down)
        let power = pow(10, exponent)
        let fraction = x / power
        let niceFraction: Double
        if round {
            niceFraction = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            niceFraction = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        return niceFraction * power
    }
}
