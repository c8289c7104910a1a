/// A threshold expression that cannot be read: what is wrong and exactly where, shown with a
/// caret under the bad part and the metric names that do exist.
public struct ThresholdError: Error, Sendable, Equatable, CustomStringConvertible {
    public var expression: String
    /// 0-based character offset of the bad part, and how many characters it spans.
    public var start: Int
    public var length: Int
    public var message: String
    /// `FILE:LINE` when the expression came from `--thresholds-file`.
    public var location: String?

    public init(expression: String, start: Int, length: Int, message: String, location: String? = nil) {
        self.expression = expression
        self.start = start
        self.length = max(1, length)
        self.message = message
        self.location = location
    }

    /// The two lines that point at the problem: the expression, and carets under the bad part.
    public var pointer: String {
        "  \(expression)\n  \(String(repeating: " ", count: start))\(String(repeating: "^", count: length))"
    }

    public var description: String {
        let prefix = location.map { "\($0): " } ?? ""
        return """
            \(prefix)bad threshold: \(message)
            \(pointer)
            form: [stream.|non-stream.]METRIC[.STAT] OP VALUE[UNIT], e.g. ttft.p95<800ms, error_rate<1%
            metrics: \(Threshold.metricNames.joined(separator: ", "))
            stats: \(ThresholdStatistic.allCases.map(\.rawValue).joined(separator: ", "))
            """
    }
}
