import Foundation

/// One point of a chart series.
public struct ChartPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A marker shape for point series; shapes as well as colours tell series apart (colour-blind readers, print).
public enum ChartMarker: String, Sendable, CaseIterable {
    case circle, cross, triangle, square, diamond
}

/// A named set of points, drawn as a line (CDFs, sweep curves: latency against concurrency or
/// rate) or as markers (scatter plots), optionally both.
public struct ChartSeries: Sendable {
    public enum Style: Sendable {
        case line
        case points(ChartMarker)
        case lineWithPoints(ChartMarker)
    }

    public var name: String
    public var points: [ChartPoint]
    public var style: Style
    /// A CSS colour; see `SVGChart.palette`.
    public var colour: String

    public init(name: String, points: [ChartPoint], style: Style = .line, colour: String) {
        self.name = name
        self.points = points
        self.style = style
        self.colour = colour
    }
}

/// An axis: its label (with the unit, e.g. "TTFT (ms)") and how its range is chosen.
public struct ChartAxis: Sendable {
    public var label: String
    /// Start the axis at zero even when the data does not reach it (latencies, counts).
    public var includeZero: Bool
    /// A fixed range instead of one fitted to the data (e.g. 0…100 for a percentage).
    public var fixed: ClosedRange<Double>?

    public init(label: String, includeZero: Bool = true, fixed: ClosedRange<Double>? = nil) {
        self.label = label
        self.includeZero = includeZero
        self.fixed = fixed
    }
}

/// A small, dependency-free SVG chart: title, legend, x/y axes with nice ticks, grid, and series.
/// It knows nothing about benchmarks, so the same code draws CDFs, scatter plots and sweep curves.
/// The output is well-formed XML with every text escaped, and deterministic for the same input.
public struct SVGChart: Sendable {
    /// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
    public static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]

    public var title: String
    public var x: ChartAxis
    public var y: ChartAxis
    public var series: [ChartSeries]
    public var width: Double
    public var height: Double
    /// Horizontal reference lines (e.g. a threshold), labelled at their right end.
    public var guides: [(value: Double, label: String)]

    public init(title: String, x: ChartAxis, y: ChartAxis, series: [ChartSeries], width: Double = 560, height: Double = 320,
                guides: [(value: Double, label: String)] = []) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.width = width
        self.height = height
        self.guides = guides
    }

    // Plot area margins: room for tick labels on the left, the axis label below, title and legend on top.
    private let left = 64.0, right = 20.0, bottom = 48.0

    private var top: Double { series.count > 1 || hasNamedSingleSeries ? 54 : 36 }
    private var hasNamedSingleSeries: Bool { series.count == 1 && !series[0].name.isEmpty }

    /// The chart as an `<svg>` element.
    public func render() -> String {
        let points = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let xScale = scale(axis: x, values: points.map(\.x))
        let yScale = scale(axis: y, values: points.map(\.y) + guides.map(\.value))
        let plotLeft = left, plotRight = width - right, plotTop = top, plotBottom = height - bottom
        func px(_ v: Double) -> String { number(xScale.position(v, from: plotLeft, to: plotRight)) }
        func py(_ v: Double) -> String { number(yScale.position(v, from: plotBottom, to: plotTop)) }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(number(width)) \(number(height))\" width=\"\(number(width))\" height=\"\(number(height))\" role=\"img\" aria-label=\"\(escapeXML(title))\" font-family=\"system-ui, sans-serif\" font-size=\"11\">"
        svg += "<title>\(escapeXML(title))</title>"
        svg += "<text x=\"\(number(plotLeft))\" y=\"18\" font-size=\"13\" font-weight=\"600\">\(escapeXML(title))</text>"

        // Grid and ticks.
        svg += "<g class=\"grid\" stroke=\"#e3e3e3\" stroke-width=\"1\">"
        for tick in yScale.ticks { svg += "<line x1=\"\(number(plotLeft))\" x2=\"\(number(plotRight))\" y1=\"\(py(tick))\" y2=\"\(py(tick))\"/>" }
        for tick in xScale.ticks { svg += "<line x1=\"\(px(tick))\" x2=\"\(px(tick))\" y1=\"\(number(plotTop))\" y2=\"\(number(plotBottom))\"/>" }
        svg += "</g>"
        svg += "<g class=\"axes\" stroke=\"#555\" stroke-width=\"1\"><line x1=\"\(number(plotLeft))\" x2=\"\(number(plotRight))\" y1=\"\(number(plotBottom))\" y2=\"\(number(plotBottom))\"/><line x1=\"\(number(plotLeft))\" x2=\"\(number(plotLeft))\" y1=\"\(number(plotTop))\" y2=\"\(number(plotBottom))\"/>"
        for tick in yScale.ticks { svg += "<line x1=\"\(number(plotLeft - 4))\" x2=\"\(number(plotLeft))\" y1=\"\(py(tick))\" y2=\"\(py(tick))\"/>" }
        for tick in xScale.ticks { svg += "<line x1=\"\(px(tick))\" x2=\"\(px(tick))\" y1=\"\(number(plotBottom))\" y2=\"\(number(plotBottom + 4))\"/>" }
        svg += "</g>"
        svg += "<g class=\"tick-labels\" fill=\"#333\">"
        for tick in yScale.ticks {
            svg += "<text x=\"\(number(plotLeft - 7))\" y=\"\(py(tick))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(escapeXML(yScale.label(tick)))</text>"
        }
        for tick in xScale.ticks {
            svg += "<text x=\"\(px(tick))\" y=\"\(number(plotBottom + 16))\" text-anchor=\"middle\">\(escapeXML(xScale.label(tick)))</text>"
        }
        svg += "</g>"
        // Axis labels: x centred below, y rotated along the left edge.
        svg += "<text class=\"axis-label\" x=\"\(number((plotLeft + plotRight) / 2))\" y=\"\(number(height - 10))\" text-anchor=\"middle\" font-size=\"12\">\(escapeXML(x.label))</text>"
        svg += "<text class=\"axis-label\" transform=\"translate(14 \(number((plotTop + plotBottom) / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">\(escapeXML(y.label))</text>"

        for guide in guides where guide.value.isFinite {
            svg += "<line class=\"guide\" x1=\"\(number(plotLeft))\" x2=\"\(number(plotRight))\" y1=\"\(py(guide.value))\" y2=\"\(py(guide.value))\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>"
            svg += "<text x=\"\(number(plotRight - 2))\" y=\"\(number(yScale.position(guide.value, from: plotBottom, to: plotTop) - 3))\" text-anchor=\"end\" fill=\"#666\">\(escapeXML(guide.label))</text>"
        }

        if points.isEmpty {
            svg += "<text x=\"\(number((plotLeft + plotRight) / 2))\" y=\"\(number((plotTop + plotBottom) / 2))\" text-anchor=\"middle\" fill=\"#888\">no data</text>"
        }
        for item in series {
            let finite = item.points.filter { $0.x.isFinite && $0.y.isFinite }
            guard !finite.isEmpty else { continue }
            svg += "<g class=\"series\" data-name=\"\(escapeXML(item.name))\">"
            switch item.style {
            case .line:
                svg += path(finite, px: px, py: py, colour: item.colour)
            case .points(let marker):
                svg += markers(finite, marker, px: px, py: py, colour: item.colour)
            case .lineWithPoints(let marker):
                svg += path(finite, px: px, py: py, colour: item.colour)
                svg += markers(finite, marker, px: px, py: py, colour: item.colour)
            }
            svg += "</g>"
        }
        svg += legend()
        svg += "</svg>"
        return svg
    }

    private func scale(axis: ChartAxis, values: [Double]) -> AxisScale {
        if let fixed = axis.fixed { return AxisScale(low: fixed.lowerBound, high: fixed.upperBound, includeZero: axis.includeZero) }
        let finite = values.filter(\.isFinite)
        return AxisScale(low: finite.min() ?? 0, high: finite.max() ?? 1, includeZero: axis.includeZero)
    }

    private func path(_ points: [ChartPoint], px: (Double) -> String, py: (Double) -> String, colour: String) -> String {
        var d = ""
        for (i, p) in points.enumerated() { d += (i == 0 ? "M" : "L") + px(p.x) + " " + py(p.y) }
        return "<path d=\"\(d)\" fill=\"none\" stroke=\"\(escapeXML(colour))\" stroke-width=\"1.8\" stroke-linejoin=\"round\"/>"
    }

    private func markers(_ points: [ChartPoint], _ marker: ChartMarker, px: (Double) -> String, py: (Double) -> String, colour: String) -> String {
        var out = ""
        for p in points { out += Self.marker(marker, x: px(p.x), y: py(p.y), colour: colour) }
        return out
    }

    static func marker(_ marker: ChartMarker, x: String, y: String, colour: String, size: Double = 3) -> String {
        let c = escapeXML(colour)
        let s = number(size)
        switch marker {
        case .circle:
            return "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"\(s)\" fill=\"\(c)\" fill-opacity=\"0.6\"/>"
        case .cross:
            return "<path transform=\"translate(\(x) \(y))\" d=\"M-\(s) -\(s)L\(s) \(s)M-\(s) \(s)L\(s) -\(s)\" stroke=\"\(c)\" stroke-width=\"1.8\"/>"
        case .triangle:
            return "<path transform=\"translate(\(x) \(y))\" d=\"M0 -\(number(size * 1.2))L\(s) \(s)L-\(s) \(s)Z\" fill=\"\(c)\"/>"
        case .square:
            return "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(number(size * 2))\" height=\"\(number(size * 2))\" transform=\"translate(-\(s) -\(s))\" fill=\"\(c)\"/>"
        case .diamond:
            return "<path transform=\"translate(\(x) \(y))\" d=\"M0 -\(number(size * 1.3))L\(number(size * 1.3)) 0L0 \(number(size * 1.3))L-\(number(size * 1.3)) 0Z\" fill=\"\(c)\"/>"
        }
    }

    /// One row of swatches under the title.
    private func legend() -> String {
        guard series.count > 1 || hasNamedSingleSeries else { return "" }
        var out = "<g class=\"legend\">"
        var xPos = left
        let yPos = 36.0
        for item in series {
            switch item.style {
            case .line:
                out += "<line x1=\"\(number(xPos))\" x2=\"\(number(xPos + 16))\" y1=\"\(number(yPos))\" y2=\"\(number(yPos))\" stroke=\"\(escapeXML(item.colour))\" stroke-width=\"2.5\"/>"
            case .points(let marker), .lineWithPoints(let marker):
                out += Self.marker(marker, x: number(xPos + 8), y: number(yPos), colour: item.colour, size: 4)
            }
            out += "<text x=\"\(number(xPos + 21))\" y=\"\(number(yPos))\" dominant-baseline=\"middle\">\(escapeXML(item.name))</text>"
            // A rough width: the legend need not be exact, only not overlap.
            xPos += 30 + Double(item.name.count) * 6.2
        }
        out += "</g>"
        return out
    }
}

/// A coordinate with at most one decimal: plenty for a screen, and short, deterministic output.
func number(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let rounded = (value * 10).rounded() / 10
    if rounded == rounded.rounded() { return String(Int(rounded)) }
    return String(format: "%.1f", rounded)
}

