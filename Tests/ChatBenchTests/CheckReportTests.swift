import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@testable import ChatBench

/// Compares `text` with `Tests/ChatBenchTests/Golden/NAME`; with CHATBENCH_RECORD_GOLDEN=1 the
/// file is (re)written instead, so a deliberate format change is one command and a reviewed diff.
func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/" + name).path
    if ProcessInfo.processInfo.environment["CHATBENCH_RECORD_GOLDEN"] == "1" {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return
    }
    let golden = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text == golden, "differs from Golden/\(name); re-record with CHATBENCH_RECORD_GOLDEN=1 swift test if intended", sourceLocation: sourceLocation)
}

/// A report with a bit of everything: failing and passing assertions in both modes (one reason
/// full of characters XML must escape), thresholds both ways, and a regressed baseline.
func sampleCheckReport() throws -> CheckReport {
    let assertions = [
        AssertionOutcome(prompt: "sum", mode: .stream, name: "regex", passes: 0, total: 2, passed: false,
                         reason: "passed 0 of 2; first failure: expected to match /\\b42\\b/, answer was \"<43> & 'more' | \u{1}\"",
                         failedIndexes: [0, 2]),
        AssertionOutcome(prompt: "sum", mode: .stream, name: "finish_reason", passes: 2, total: 2, passed: true, reason: "finish_reason is stop"),
        AssertionOutcome(prompt: "greet-zh", mode: .stream, name: "contains", passes: 2, total: 2, passed: true, reason: "answer contains \"你好\""),
        AssertionOutcome(prompt: "sum", mode: .nonStream, name: "regex", passes: 2, total: 2, passed: true, reason: "answer matches /\\b42\\b/"),
    ]
    let results = syntheticRun(ttft: 130, seed: 2)
    let thresholds = [
        try Threshold.parse("ttft.p95<1s").evaluate(results),
        try Threshold.parse("ttft.p50<120ms").evaluate(results),
    ]
    let comparison = BaselineComparison.compare(
        base: syntheticRun(ttft: 100, seed: 1, checkPassed: true), new: syntheticRun(ttft: 130, seed: 2, answer: "43", checkPassed: false),
        baseLabel: "reports/base", newLabel: "reports/new")
    return CheckReport(suiteName: "regression", assertions: assertions, thresholds: thresholds, comparison: comparison)
}

@Suite struct CheckReportTests {
    @Test func junitMatchesTheGoldenFile() throws {
        try expectGolden(JUnitReport.render(try sampleCheckReport()), "junit.xml")
    }

    @Test func markdownMatchesTheGoldenFile() throws {
        try expectGolden(ChecksMarkdownReport.render(try sampleCheckReport()), "checks.md")
    }

    @Test func junitIsWellFormedAndCountsFailures() throws {
        let xml = JUnitReport.render(try sampleCheckReport())
        let parser = XMLParser(data: Data(xml.utf8))
        let collector = JUnitCollector()
        parser.delegate = collector
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(collector.suites == ["regression.stream", "regression.non-stream", "regression.thresholds", "regression.baseline"])
        #expect(collector.failures.contains { $0.test == "sum regex" && $0.message.contains("answer was \"<43> & 'more' | \u{FFFD}\"") })
        #expect(collector.failures.contains { $0.test == "ttft.p50<120ms" })
        #expect(collector.failures.contains { $0.test == "stream ttft.p50" && $0.message.contains("regressed") })
        #expect(collector.failures.contains { $0.test == "p equals (stream) vs baseline" })
        #expect(collector.rootFailures == String(collector.failures.count))
    }

    @Test func xmlEscapingCoversMarkupQuotesAndControlCharacters() {
        #expect(escapeXML("a<b>&\"c'\n\u{0}\u{7}", attribute: true) == "a&lt;b&gt;&amp;&quot;c&#39;&#10;\u{FFFD}\u{FFFD}")
        #expect(escapeXML("line1\nline2\t") == "line1\nline2\t")
    }

    @Test func noChecksMeansNoSectionAndAPlainVerdict() {
        let empty = CheckReport(suiteName: "smoke")
        #expect(ChecksMarkdownReport.render(empty) == "")
        #expect(!empty.hasChecks && empty.passed)
        #expect(empty.verdict.hasPrefix("no checks"))
    }

    @Test func verdictLineNamesWhatFailed() throws {
        let report = try sampleCheckReport()
        #expect(!report.passed)
        #expect(report.verdict.hasPrefix("FAIL: 1 of 4 assertions failed (sum regex); 1 of 2 thresholds failed (ttft.p50<120ms); baseline: regressed — stream ttft.p50 +"))
        let console = ChecksConsoleReport.render(report)
        #expect(console.hasSuffix(report.verdict + "\n"))
        #expect(console.contains("  sum regex (stream): passed 0 of 2"))
    }
}

/// Collects suite names and failures from a JUnit document.
final class JUnitCollector: NSObject, XMLParserDelegate, @unchecked Sendable {
    var suites: [String] = []
    var failures: [(test: String, message: String)] = []
    var rootFailures = ""
    private var currentTest = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "testsuites": rootFailures = attributes["failures"] ?? ""
        case "testsuite": suites.append(attributes["name"] ?? "")
        case "testcase": currentTest = attributes["name"] ?? ""
        case "failure": failures.append((currentTest, attributes["message"] ?? ""))
        default: break
        }
    }
}
