import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@testable import ChatBench

/// A fixed run: both modes, jittered latencies, every kind of text that needs escaping, and failures.
func fixedReportInput() -> (RunManifest, [RequestResult]) {
    let manifest = RunManifest(
        toolVersion: "0.1.0", startedAt: "2025-01-02T03:04:05Z", targetURL: "http://127.0.0.1:8000/v1", model: "mock<&>\"model'",
        promptSetPath: "prompts/<odd> & \"set\".jsonl", promptSetSHA256: String(repeating: "ab", count: 32), promptCount: 4,
        modes: ["stream", "non-stream"], concurrency: 4, maxInFlight: 4, repeatCount: 3, requests: 24,
        options: ["concurrency": "4", "mock": "ttft=200ms"], host: .init(hostname: "bench", os: "Linux", cpuCount: 2),
        interrupted: false, mock: true)
    var results: [RequestResult] = []
    let ids = ["greet-zh", "sum", "<script>alert(1)</script>", "long & \"quoted\""]
    for index in 0..<24 {
        let mode: RequestMode = index % 2 == 0 ? .stream : .nonStream
        var r = RequestResult(id: ids[(index / 2) % ids.count], index: index, repetition: index / 8, mode: mode)
        let wobble = Double((index * 37) % 11) * 4.5
        r.startOffsetMs = Double(index) * 180.25
        r.ttfbMs = 0.4
        r.e2eMs = 700 + wobble * 3
        r.completionTokens = 24 + index % 5
        r.tokenSource = .usage
        r.finishReason = index % 3 == 0 ? "length" : "stop"
        r.e2eTps = Double(r.completionTokens!) / r.e2eMs! * 1000
        r.status = 200
        r.answer = "answer \(index)"
        if mode == .stream {
            r.ttftMs = 190 + wobble
            r.lastTokenMs = r.e2eMs! - 1
            r.itlMs = (0..<(r.completionTokens! - 1)).map { 18 + Double(($0 * 7 + index) % 9) * 0.6 }
            r.decodeTps = Double(r.completionTokens! - 1) / (r.lastTokenMs! - r.ttftMs!) * 1000
        }
        if index == 5 || index == 13 {
            r.outcome = .httpError
            r.status = 500
            r.error = "server said: <b>boom</b> & \"more\""
        }
        if index == 20 {
            r.outcome = .firstTokenTimeout
            r.ttftMs = nil
            r.e2eMs = 230
            r.error = "no token within 230 ms"
        }
        results.append(r)
    }
    return (manifest, results)
}

@Suite struct HTMLReportTests {
    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test func reportMatchesTheGoldenFile() throws {
        let (manifest, results) = fixedReportInput()
        let html = HTMLReport.render(manifest: manifest, results: results)
        let golden = Self.goldenFolder.appendingPathComponent("report.html")
        if ProcessInfo.processInfo.environment["CHATBENCH_RECORD_GOLDEN"] == "1" {
            try html.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(html == expected, "report.html differs from Golden/report.html; if the change is intended, re-record with CHATBENCH_RECORD_GOLDEN=1 swift test --filter HTMLReportTests and look at the diff")
    }

    @Test func reportIsWellFormedSelfContainedAndEscaped() throws {
        let (manifest, results) = fixedReportInput()
        let html = HTMLReport.render(manifest: manifest, results: results)
        let document = try XMLDocument(data: Data(html.utf8), options: [])
        let root = try #require(document.rootElement())
        #expect(root.name == "html")
        // Nothing runs and nothing is fetched: no scripts, no src/href attributes at all.
        #expect(try root.nodes(forXPath: "//*[local-name()='script']").isEmpty)
        #expect(try root.nodes(forXPath: "//@src | //@href").isEmpty)
        #expect(!html.contains("@import") && !html.contains("url("))
        // Hostile text arrives as text, not markup.
        let cells = try root.nodes(forXPath: "//*[local-name()='td']").compactMap(\.stringValue)
        #expect(cells.contains("<script>alert(1)</script>"))
        #expect(cells.contains { $0.contains("server said: <b>boom</b> & \"more\"") })
        #expect(try root.nodes(forXPath: "//*[local-name()='b']").isEmpty)

        let charts = try root.nodes(forXPath: "//*[local-name()='svg']")
        #expect(charts.count == 5)  // TTFT, E2E, decode and inter-token CDFs, and latency over the run
        for chart in charts {
            let texts = try chart.nodes(forXPath: ".//*[local-name()='text']").compactMap(\.stringValue)
            let labels = try chart.nodes(forXPath: ".//*[local-name()='text' and @class='axis-label']").compactMap(\.stringValue)
            #expect(labels.count == 2, "each chart labels both axes")
            #expect(labels.allSatisfy { $0.contains("(") && $0.contains(")") }, "axis labels carry units: \(labels)")
            #expect(texts.count > 8, "ticks are labelled")
            #expect(try !chart.nodes(forXPath: ".//*[local-name()='title']").isEmpty)
        }
        let overTime = try #require(charts.last as? XMLElement)
        let series = try overTime.nodes(forXPath: ".//*[local-name()='g' and @class='series']/@data-name").compactMap(\.stringValue)
        #expect(series == ["stream TTFT", "non-stream E2E", "http_error (2)", "first_token_timeout (1)"])
        #expect(html.contains("Stream vs non-stream"))
    }

    @Test func singleModeRunHasNoComparison() throws {
        let (manifest, all) = fixedReportInput()
        let html = HTMLReport.render(manifest: manifest, results: all.filter { $0.mode == .nonStream })
        _ = try XMLDocument(data: Data(html.utf8), options: [])
        #expect(!html.contains("Stream vs non-stream"))
        #expect(!html.contains("Time to first token"))  // non-streaming requests have no first token
        #expect(html.contains("End-to-end latency"))
    }

    @Test func emptyRunStillRendersWellFormed() throws {
        let (manifest, _) = fixedReportInput()
        let html = HTMLReport.render(manifest: manifest, results: [RequestResult]())
        _ = try XMLDocument(data: Data(html.utf8), options: [])
        #expect(html.contains("no data"))
    }
}

@Suite struct AxisScaleTests {
    @Test func ticksAreNiceNumbersCoveringTheData() {
        let scale = AxisScale(low: 12, high: 257)
        #expect(scale.ticks == [0, 50, 100, 150, 200, 250, 300])
        #expect(scale.label(150) == "150")
        let fitted = AxisScale(low: 47.3, high: 51.9, includeZero: false)
        #expect(fitted.ticks == [47, 48, 49, 50, 51, 52])
        let small = AxisScale(low: 0.12, high: 0.43, includeZero: false)
        #expect(small.ticks.map(small.label) == ["0.10", "0.15", "0.20", "0.25", "0.30", "0.35", "0.40", "0.45"])
        let one = AxisScale(low: 5, high: 5, includeZero: false)
        #expect(one.lower < 5 && one.upper > 5)
        let negative = AxisScale(low: -0.3, high: 0.2, includeZero: true)
        #expect(negative.ticks.map(negative.label).contains("0.0"))
        #expect(!negative.ticks.map(negative.label).contains("-0.0"))
    }

    @Test func textIsEscapedForXML() {
        #expect(escapeXML("<a href=\"x\">&'</a>\u{1}") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;\u{FFFD}")
    }
}
