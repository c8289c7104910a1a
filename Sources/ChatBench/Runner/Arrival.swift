#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How open-loop requests arrive: evenly spaced, as a Poisson process, or as a gamma process
/// whose burstiness is its shape (1 is Poisson, below 1 burstier, above 1 more regular — the
/// definition `vllm bench serve` uses).
public enum ArrivalPattern: Sendable, Equatable, CustomStringConvertible {
    case constant
    case poisson
    case gamma(burstiness: Double)

    public var description: String {
        switch self {
        case .constant: "constant"
        case .poisson: "poisson"
        case .gamma(let b): "gamma(burstiness=\(b))"
        }
    }
}

/// A seeded stream of arrival times: the open-loop schedule as data, reproducible from its seed,
/// so it can be tested without a clock.
public struct ArrivalProcess: Sendable {
    public let rate: Double
    public let pattern: ArrivalPattern
    private var random: SeededRandom
    private var elapsed: Double = 0
    private var count = 0

    /// `rate` in requests per second (> 0).
    public init(rate: Double, pattern: ArrivalPattern, seed: UInt64) {
        self.rate = rate
        self.pattern = pattern
        random = SeededRandom(seed: seed)
    }

    /// Nanoseconds from the start of the run at which the next request is due. The first request
    /// is due at 0, so a run starts at once.
    public mutating func next() -> UInt64 {
        defer { count += 1 }
        if count > 0 { elapsed += interval() }
        return UInt64(elapsed * 1e9)
    }

    /// Seconds to the next arrival.
    private mutating func interval() -> Double {
        let mean = 1 / rate
        switch pattern {
        case .constant:
            return mean
        case .poisson:
            return -log(1 - random.unit()) * mean
        case .gamma(let shape):
            return sampleGamma(shape: shape) * mean / shape
        }
    }

    /// Marsaglia and Tsang's method; shapes below 1 use the boost `G(a) = G(a+1) · U^(1/a)`.
    private mutating func sampleGamma(shape: Double) -> Double {
        if shape < 1 {
            let boosted = sampleGamma(shape: shape + 1)
            return boosted * pow(max(random.unit(), .leastNonzeroMagnitude), 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = standardNormal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = random.unit()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if log(max(u, .leastNonzeroMagnitude)) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// Box–Muller.
    private mutating func standardNormal() -> Double {
        let u1 = max(random.unit(), .leastNonzeroMagnitude)
        let u2 = random.unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}
