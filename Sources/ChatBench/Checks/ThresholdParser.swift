/// Turns a threshold expression into a `Threshold`:
///
///     threshold := path comparison number unit?
///     path      := [ "stream" "." | "non-stream" "." ] metric [ "." (statistic | reason) ]
///
/// Every error carries the position of the token at fault.
enum ThresholdParser {
    static func parse(_ raw: String) throws(ThresholdError) -> Threshold {
        let expression = raw.trimmingSpaces
        let tokens = try ThresholdLexer.tokens(expression)
        var position = 0

        func fail(_ token: ThresholdToken, _ message: String) -> ThresholdError {
            ThresholdError(expression: expression, start: token.start, length: token.length, message: message)
        }
        func spanError(_ first: ThresholdToken, _ last: ThresholdToken, _ message: String) -> ThresholdError {
            ThresholdError(expression: expression, start: first.start, length: last.start + last.length - first.start, message: message)
        }

        // The dotted path before the comparison.
        var segments: [(name: String, token: ThresholdToken)] = []
        while true {
            let token = tokens[position]
            guard case .identifier(let name) = token.kind else {
                if segments.isEmpty {
                    throw fail(token, token.kind == .end ? "empty threshold; write e.g. ttft.p95<800ms" : "expected a metric name")
                }
                throw fail(token, "expected a name after \".\"")
            }
            segments.append((name, token))
            position += 1
            guard tokens[position].kind == .dot else { break }
            position += 1
        }

        var mode: RequestMode?
        var index = 0
        if let m = RequestMode(rawValue: segments[0].name) ?? (segments[0].name == "nonstream" ? .nonStream : nil) {
            mode = m
            index = 1
            guard index < segments.count else {
                throw fail(segments[0].token, "\(segments[0].name) needs a metric after it, e.g. \(m.rawValue).ttft.p95")
            }
        }
        let metricToken = segments[index].token
        let metricName = segments[index].name
        let rest = Array(segments[(index + 1)...])
        let subject: Threshold.Subject
        switch metricName {
        case "error_rate", "requests_per_s", "output_tokens_per_s":
            if let extra = rest.first {
                throw spanError(extra.token, rest.last!.token, "\(metricName) is a single figure and takes no statistic")
            }
            subject = metricName == "error_rate" ? .errorRate : metricName == "requests_per_s" ? .requestsPerS : .outputTokensPerS
        case "finish_reason":
            guard let reason = rest.first else {
                throw fail(metricToken, "finish_reason needs a reason, e.g. finish_reason.length<=5%")
            }
            if rest.count > 1 { throw spanError(rest[1].token, rest.last!.token, "finish_reason takes one reason") }
            subject = .finishReason(reason.name)
        default:
            // `ttft_ms` as summary.json spells it is accepted too.
            let bare = metricName.hasSuffix("_ms") ? String(metricName.dropLast(3)) : metricName
            guard let metric = DistributionMetric(rawValue: bare), metricName == bare || metric.isDuration else {
                throw fail(metricToken, "unknown metric \(metricName.debugDescription)")
            }
            guard let statisticSegment = rest.first else {
                throw ThresholdError(expression: expression, start: metricToken.start + metricToken.length, length: 1,
                                     message: "\(metricName) needs a statistic, e.g. \(metricName).p95")
            }
            guard let statistic = ThresholdStatistic(rawValue: statisticSegment.name == "avg" ? "mean" : statisticSegment.name) else {
                throw fail(statisticSegment.token, "unknown statistic \(statisticSegment.name.debugDescription)")
            }
            if rest.count > 1 { throw spanError(rest[1].token, rest.last!.token, "nothing may follow the statistic") }
            subject = .distribution(metric, statistic)
        }

        let comparisonToken = tokens[position]
        guard case .comparison(let symbol) = comparisonToken.kind, let comparison = Threshold.Comparison(rawValue: symbol) else {
            throw fail(comparisonToken, comparisonToken.kind == .end ? "missing the comparison and limit, e.g. <800ms" : "expected <, <=, >, >= or ==")
        }
        position += 1
        let numberToken = tokens[position]
        guard case .number(let number) = numberToken.kind else {
            throw fail(numberToken, "expected a number after \(symbol)")
        }
        position += 1
        var limit = number
        if case .unit(let unit) = tokens[position].kind {
            let unitToken = tokens[position]
            position += 1
            switch (unit, subject) {
            case ("ms", .distribution(let metric, let statistic)) where metric.isDuration && statistic != .n:
                limit = number
            case ("s", .distribution(let metric, let statistic)) where metric.isDuration && statistic != .n:
                limit = number * 1000
            case ("%", .errorRate), ("%", .finishReason):
                limit = number / 100
            default:
                throw fail(unitToken, unitMessage(unit, subject))
            }
        }
        let trailing = tokens[position]
        guard trailing.kind == .end else {
            throw spanError(trailing, tokens[tokens.count - 2], "unexpected text after the limit")
        }
        return Threshold(expression: expression, mode: mode, subject: subject, comparison: comparison, limit: limit)
    }

    private static func unitMessage(_ unit: String, _ subject: Threshold.Subject) -> String {
        switch subject {
        case .distribution(let metric, let statistic):
            if statistic == .n { return "\(unit.debugDescription) does not fit a count (n); write a bare number" }
            return metric.isDuration
                ? "unknown unit \(unit.debugDescription) for \(metric.rawValue); use ms or s (a bare number is ms)"
                : "\(metric.rawValue) is not a duration; write a bare number"
        case .errorRate, .finishReason:
            return "unknown unit \(unit.debugDescription) for a rate; use % (or a bare fraction such as 0.01)"
        case .requestsPerS, .outputTokensPerS:
            return "this metric is per second already; write a bare number"
        }
    }
}
