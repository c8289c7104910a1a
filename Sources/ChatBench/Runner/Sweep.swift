/// `--warmup`: a number of requests, or a time, run before the measured run.
public enum Warmup: Sendable, Equatable, CustomStringConvertible {
    case requests(Int)
    case duration(UInt64)

    /// `5` (requests) or `10s` (a duration).
    public static func parse(_ text: String) -> Warmup? {
        if let n = Int(text), n >= 0 { return n == 0 ? nil : .requests(n) }
        if let ns = parseDuration(text), ns > 0, Double(text) == nil { return .duration(ns) }
        return nil
    }

    public var description: String {
        switch self {
        case .requests(let n): "\(n)"
        case .duration(let ns): formatDuration(ns)
        }
    }
}

/// `--sweep concurrency=1,2,4` or `--sweep rate=1,2,4`: the same prompts at each level in turn.
public struct Sweep: Sendable, Equatable, CustomStringConvertible {
    public enum Dimension: String, Sendable {
        case concurrency
        case rate
    }

    public var dimension: Dimension
    public var levels: [Double]

    public init(dimension: Dimension, levels: [Double]) {
        self.dimension = dimension
        self.levels = levels
    }

    public static func parse(_ text: String) throws(SweepError) -> Sweep {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let dimension = Dimension(rawValue: parts[0]) else {
            throw SweepError(text: text, reason: "expected concurrency=LIST or rate=LIST")
        }
        var levels: [Double] = []
        for item in parts[1].split(separator: ",") {
            guard let value = Double(item), value > 0, value.isFinite else {
                throw SweepError(text: text, reason: "\(item.debugDescription) is not a positive number")
            }
            if dimension == .concurrency && value != value.rounded() {
                throw SweepError(text: text, reason: "concurrency levels are whole numbers")
            }
            levels.append(value)
        }
        guard !levels.isEmpty else { throw SweepError(text: text, reason: "no levels") }
        return Sweep(dimension: dimension, levels: levels)
    }

    /// `concurrency=4`, `rate=2.5`.
    public func label(_ level: Double) -> String {
        let number = level == level.rounded() ? String(Int(level)) : String(level)
        return "\(dimension.rawValue)=\(number)"
    }

    /// The most requests a level can have in flight, to size connection pools.
    var maxConcurrency: Int? {
        dimension == .concurrency ? levels.map { Int($0) }.max() : nil
    }

    public var description: String {
        "\(dimension.rawValue)=" + levels.map { $0 == $0.rounded() ? String(Int($0)) : String($0) }.joined(separator: ",")
    }
}

/// A `--sweep` value that cannot be used.
public struct SweepError: Error, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "--sweep \(text.debugDescription): \(reason)" }
}
