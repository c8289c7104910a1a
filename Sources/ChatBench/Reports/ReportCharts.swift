import Foundation

/// The charts of report.html, built from results as `SVGChart` values: the benchmark knowledge
/// (which metric, which mode, how failures are shown) lives here; the drawing in `SVGChart`.
enum ReportCharts {
    static func colour(_ mode: RequestMode) -> String {
        mode == .stream ? SVGChart.palette[0] : SVGChart.palette[1]
    }

    /// The n-th failed outcome present in a chart gets the n-th colour and shape, so "timeouts late
    /// in the run" reads at a glance; none of these colours is used for successful requests.
    static func failureStyle(_ n: Int) -> (colour: String, marker: ChartMarker) {
        let colours = ["#D55E00", "#000000", "#CC79A7", "#8C564B", "#7F7F7F"]
        let markers: [ChartMarker] = [.cross, .triangle, .square, .diamond]
        return (colours[n % colours.count], markers[n % markers.count])
    }

    /// The empirical CDF as a step line: share of samples (in %) at or below each value.
    /// Large sets are thinned to 1,000 evenly spaced quantiles, which no screen can tell apart.
    static func cdf(_ samples: [Double]) -> [ChartPoint] {
        let sorted = samples.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return [] }
        let n = Double(sorted.count)
        let steps = min(sorted.count, 1000)
        var points: [ChartPoint] = [ChartPoint(x: sorted[0], y: 0)]
        for step in 0..<steps {
            let index = steps == sorted.count ? step : Int((Double(step + 1) / Double(steps) * n).rounded(.up)) - 1
            let previous = points[points.count - 1].y
            points.append(ChartPoint(x: sorted[index], y: previous))
            points.append(ChartPoint(x: sorted[index], y: Double(index + 1) / n * 100))
        }
        return points
    }

    /// A CDF chart of one metric with a line per mode that has samples; nil when no mode has any.
    static func cdfChart<R: MeasuredRequest>(title: String, axis: String, results: [R], modes: [RequestMode],
                         value: (borrowing R) -> Double?) -> SVGChart? {
        var series: [ChartSeries] = []
        for mode in modes {
            var samples: [Double] = []
            results.withUnsafeBufferPointer { all in
                for i in all.indices where all[i].mode == mode && all[i].outcome == .ok {
                    if let v = value(all[i]) { samples.append(v) }
                }
            }
            guard !samples.isEmpty else { continue }
            let d = Distribution(samples)
            let name = "\(mode.rawValue): p50 \(ConsoleReport.oneDecimal(d.p50)), p95 \(ConsoleReport.oneDecimal(d.p95)), n \(d.n)"
            series.append(ChartSeries(name: name, points: cdf(samples), style: .line, colour: colour(mode)))
        }
        guard !series.isEmpty else { return nil }
        // The x axis fits the data rather than starting at 0: the shape of the distribution is the point.
        return SVGChart(title: title, x: ChartAxis(label: axis, includeZero: false), y: ChartAxis(label: "requests at or below (%)", fixed: 0...100), series: series)
    }

    /// Latency against when the request started: TTFT for streams, E2E for non-streaming requests
    /// (they have no first token), and every failure at the time it failed, marked by outcome.
    static func overTime<R: MeasuredRequest>(results: [R], modes: [RequestMode]) -> SVGChart {
        var series: [ChartSeries] = []
        let hasStream = modes.contains(.stream), hasNonStream = modes.contains(.nonStream)
        for mode in modes {
            var points: [ChartPoint] = []
            results.withUnsafeBufferPointer { all in
                for i in all.indices where all[i].mode == mode && all[i].outcome == .ok {
                    if let y = mode == .stream ? all[i].ttftMs : all[i].e2eMs { points.append(ChartPoint(x: all[i].startOffsetMs / 1000, y: y)) }
                }
            }
            let metric = mode == .stream ? "TTFT" : "E2E"
            let (drawn, note) = thinned(points)
            series.append(ChartSeries(name: "\(mode.rawValue) \(metric)\(note)", points: drawn, style: .points(.circle), colour: colour(mode)))
        }
        var failed: [Outcome: [ChartPoint]] = [:]
        results.withUnsafeBufferPointer { all in
            for i in all.indices where all[i].outcome != .ok {
                failed[all[i].outcome, default: []].append(ChartPoint(x: all[i].startOffsetMs / 1000, y: all[i].e2eMs ?? all[i].ttfbMs ?? 0))
            }
        }
        for (n, outcome) in failed.keys.sorted().enumerated() {
            let (colour, marker) = failureStyle(n)
            let points = failed[outcome]!
            let (drawn, note) = thinned(points)
            series.append(ChartSeries(name: "\(outcome.rawValue) (\(points.count))\(note)", points: drawn, style: .points(marker), colour: colour))
        }
        let title: String
        let axis: String
        switch (hasStream, hasNonStream) {
        case (true, false): title = "TTFT over the run (failures at their time to failure)"; axis = "TTFT (ms)"
        case (false, true): title = "E2E latency over the run (failures at their time to failure)"; axis = "E2E (ms)"
        default: title = "Latency over the run: stream TTFT, non-stream E2E, failures"; axis = "latency (ms)"
        }
        return SVGChart(title: title, x: ChartAxis(label: "request start (s since the run began)"), y: ChartAxis(label: axis), series: series,
                        width: 1140, height: 380)
    }

    /// Most points a scatter series draws: beyond this the page grows by megabytes and no reader
    /// can tell the dots apart.
    static let scatterLimit = 4000

    /// A long series thinned to every k-th point in run order plus every point at or above its
    /// 99th percentile, so the outliers a reader looks for are all still there; the note says so.
    static func thinned(_ points: [ChartPoint]) -> (points: [ChartPoint], note: String) {
        guard points.count > scatterLimit else { return (points, "") }
        let step = (points.count + scatterLimit - 1) / scatterLimit
        guard let high = Distribution(points.map(\.y)).p99 else { return (points, "") }
        var kept: [ChartPoint] = []
        for (i, point) in points.enumerated() where i % step == 0 || point.y >= high { kept.append(point) }
        return (kept, ", 1 in \(step) drawn, plus all at or above p99")
    }

    /// For a `--sweep`: latency percentiles and throughput against the level (concurrency or
    /// rate), one point per level, so the knee of the curve is visible.
    static func sweepCharts(_ levels: [SweepLevel]) -> [SVGChart] {
        let values: [(Double, SweepLevel)] = levels.compactMap { level in
            level.level.split(separator: "=").last.flatMap { Double($0) }.map { ($0, level) }
        }
        guard values.count >= 2, let dimension = levels.first?.level.split(separator: "=").first else { return [] }
        let axis = dimension == "rate" ? "target rate (requests/s)" : "concurrency (requests in flight)"
        func series(_ name: String, _ colour: String, _ marker: ChartMarker, _ value: (SweepLevel) -> Double?) -> ChartSeries? {
            let points = values.compactMap { x, level in value(level).map { ChartPoint(x: x, y: $0) } }
            return points.isEmpty ? nil : ChartSeries(name: name, points: points, style: .lineWithPoints(marker), colour: colour)
        }
        let palette = SVGChart.palette
        let latency = [
            series("TTFT p50", palette[0], .circle, { $0.summary.ttftMs.p50 }),
            series("TTFT p95", palette[4], .square, { $0.summary.ttftMs.p95 }),
            series("E2E p50", palette[1], .circle, { $0.summary.e2eMs.p50 }),
            series("E2E p95", palette[5], .square, { $0.summary.e2eMs.p95 }),
        ].compactMap { $0 }
        let throughput = [
            series("output tokens/s", palette[2], .circle, { $0.summary.outputTokensPerS }),
        ].compactMap { $0 }
        let requests = [
            series("requests/s", palette[3], .triangle, { $0.summary.requestsPerS }),
        ].compactMap { $0 }
        var charts: [SVGChart] = []
        if !latency.isEmpty {
            charts.append(SVGChart(title: "Latency by sweep level", x: ChartAxis(label: axis), y: ChartAxis(label: "latency (ms)"), series: latency))
        }
        if !throughput.isEmpty {
            charts.append(SVGChart(title: "Output throughput by sweep level", x: ChartAxis(label: axis), y: ChartAxis(label: "output tokens/s"), series: throughput))
        }
        if !requests.isEmpty {
            charts.append(SVGChart(title: "Requests by sweep level", x: ChartAxis(label: axis), y: ChartAxis(label: "requests/s"), series: requests))
        }
        return charts
    }
}
