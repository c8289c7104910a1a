import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@testable import ChatBench
@testable import ChatBenchCLI

/// The last non-empty line a command printed: the verdict.
func lastLine(_ text: String) -> String {
    text.split(separator: "\n").last.map(String.init) ?? ""
}

@Suite struct ChecksCommandLineTests {
    static let regressionPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("prompts/regression.jsonl").path
    static let quick = "ttft=2ms,itl=200us"

    @Test func cleanRegressionRunPassesWithJUnitAndExitZero() async throws {
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (code, console) = await runCommand(["run", Self.regressionPath, "--mock=\(Self.quick)", "--out", out, "--mode", "both",
                                                "--threshold", "error_rate<1%", "--threshold", "stream.ttft.p95<10s"])
        #expect(code == .success, "\(console.out)\(console.err)")
        #expect(lastLine(console.out) == "PASS: 25 assertions passed; 2 thresholds passed", "\(console.out)")
        let junit = try String(contentsOfFile: out + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("failures=\"0\""))
        #expect(junit.contains("<testsuite name=\"regression.non-stream\""))
        let results = try ResultsLog.read(path: out + "/results.jsonl")
        #expect(results.allSatisfy { ($0.checks ?? []).allSatisfy(\.passed) && $0.checks != nil })
        #expect(try String(contentsOfFile: out + "/summary.md", encoding: .utf8).contains("## Checks: PASS"))
    }

    @Test func failingAssertionExitsOneAndJUnitNamesThePromptAndReason() async throws {
        let out = temporaryFolder()
        let stepSummary = try writeTemporary("# earlier step\n", name: "step-summary.md")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (code, console) = await runCommand(["run", Self.regressionPath, "--mock=\(Self.quick),arithmetic=wrong", "--out", out],
                                               environment: ["GITHUB_STEP_SUMMARY": stepSummary])
        #expect(code == .checksFailed)
        #expect(console.out.contains("sum regex (stream): expected to match /\\b42\\b/, answer was \"43\""))
        #expect(lastLine(console.out) == "FAIL: 2 of 13 assertions failed (sum regex, sum equals)", "\(console.out)")
        let junit = try String(contentsOfFile: out + "/junit.xml", encoding: .utf8)
        let parser = XMLParser(data: Data(junit.utf8))
        let collector = JUnitCollector()
        parser.delegate = collector
        #expect(parser.parse())
        #expect(collector.failures.map(\.test) == ["sum regex", "sum equals"])
        #expect(collector.failures[0].message == "expected to match /\\b42\\b/, answer was \"43\"")
        // The record keeps each check, and the step summary got summary.md appended after what was there.
        let sum = try #require(ResultsLog.read(path: out + "/results.jsonl").first { $0.id == "sum" })
        #expect(sum.checks?.first { $0.name == "equals" } == CheckResult(name: "equals", passed: false, reason: "expected to equal \"42\", answer was \"43\""))
        let summary = try String(contentsOfFile: stepSummary, encoding: .utf8)
        #expect(summary.hasPrefix("# earlier step\n# chatbench run:"))
        #expect(summary.contains("## Checks: FAIL"))
        // summary.json carries the verdict and each failure too.
        let document = try SummaryDocument.decode(Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")))
        let checks = try #require(document.checks)
        #expect(!checks.passed)
        #expect(checks.assertionsFailed == 2 && checks.assertionsPassed == 11)
        #expect(checks.failures.first?.reason == "expected to match /\\b42\\b/, answer was \"43\"")
    }

    @Test func failingThresholdExitsOne() async throws {
        let out = temporaryFolder()
        let junitPath = out + "-junit.xml"
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: junitPath)
        }
        let thresholds = try writeTemporary("# must fail: the mock takes 2 ms to the first token\nttft.p50<0.001ms\n", name: "thresholds.txt")
        let (code, console) = await runCommand(["run", CommandLineTests.smokePath, "--mock=\(Self.quick)", "--out", out,
                                                "--thresholds-file", thresholds, "--junit", junitPath])
        #expect(code == .checksFailed, "\(console.err)")
        #expect(console.out.contains("FAIL  ttft.p50<0.001ms"))
        let junit = try String(contentsOfFile: junitPath, encoding: .utf8)
        #expect(junit.contains("<testcase classname=\"smoke.thresholds\" name=\"ttft.p50&lt;0.001ms\">"))
        #expect(!FileManager.default.fileExists(atPath: out + "/junit.xml"))
    }

    @Test func thresholdParseErrorIsExitTwoWithACaretAndTheMetricNames() async {
        let (code, console) = await runCommand(["run", Self.regressionPath, "--mock", "--threshold", "ttft.p95<800kg"])
        #expect(code == .usage)
        #expect(console.err.contains("bad threshold: unknown unit \"kg\" for ttft"))
        #expect(console.err.contains("  ttft.p95<800kg\n              ^^\n"), "\(console.err)")
        #expect(console.err.contains("metrics: ttft, ttfb,"))
    }

    @Test(arguments: [
        (["--pass-rate", "1.5"], "--pass-rate expects a fraction"),
        (["--tolerance", "ten"], "--tolerance expects a fraction"),
        (["--baseline", "/nonexistent/run"], "/nonexistent/run does not exist"),
    ])
    func checkFlagErrorsAreExitTwo(flags: [String], message: String) async {
        let (code, console) = await runCommand(["run", Self.regressionPath, "--mock"] + flags)
        #expect(code == .usage)
        #expect(console.err.contains(message), "\(console.err)")
    }

    @Test func badExpectIsExitTwoBeforeAnyRequest() async throws {
        let path = try writeTemporary("{\"prompt\": \"hi\", \"expect\": {\"contain\": \"x\"}}\n")
        let (code, console) = await runCommand(["run", path, "--mock"])
        #expect(code == .usage)
        #expect(console.err.contains("\(path):1:1: expect.contain is not a known assertion"))
    }

    @Test func passRateLetsAFlakyAssertionThrough() async throws {
        // max_ttft_ms does not apply to non-stream requests, so with --mode both a limit the stream
        // requests miss fails exactly half of the prompt's requests... per mode it is all or nothing.
        // A 50% pass rate across repetitions needs a flaky answer; the mock is deterministic, so
        // this checks the flag's wiring: a failing assertion still fails at any rate above 0.
        let path = try writeTemporary("{\"id\": \"q\", \"prompt\": \"Say hi\", \"max_tokens\": 4, \"expect\": {\"max_tokens\": 3}}\n")
        var folders: [String] = []
        defer { for folder in folders { try? FileManager.default.removeItem(atPath: folder) } }
        for rate in ["1.0", "50%"] {
            folders.append(temporaryFolder())
            let (code, console) = await runCommand(["run", path, "--mock=\(Self.quick)", "--repeat", "2", "--out", folders.last!, "--pass-rate", rate])
            #expect(code == .checksFailed)
            #expect(console.out.contains("q max_tokens (stream): passed 0 of 2\(rate == "50%" ? " (pass rate 50% required)" : "")"), "\(console.out)")
        }
        let (zero, console) = await runCommand(["run", path, "--mock", "--pass-rate", "0%"])
        #expect(zero == .usage)
        #expect(console.err.contains("--pass-rate expects a fraction"))
    }

    /// A finished run folder with made-up but realistic timings: TTFT drawn around `ttft` ms with
    /// ±10% seeded noise, so the verdicts are tested on known data, not on this machine's timing.
    static func syntheticRun(ttft: Double, seed: UInt64, requests: Int = 200) throws -> String {
        let out = temporaryFolder()
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var random = SeededRandom(seed: seed)
        var results: [RequestResult] = []
        let log = try ResultsLog(path: out + "/results.jsonl")
        for i in 0..<requests {
            var r = RequestResult(id: "q", index: i, repetition: i, mode: .stream)
            r.outcome = .ok
            r.startOffsetMs = Double(i) * 10
            r.ttftMs = ttft * (0.9 + 0.2 * random.unit())
            r.lastTokenMs = r.ttftMs! + 60
            r.e2eMs = r.lastTokenMs! + 1
            r.completionTokens = 4
            r.tokenSource = .usage
            r.tpotMs = 20
            r.itlMs = [20, 20, 20]
            r.finishReason = "stop"
            r.answer = "hi"
            try log.append(r)
            results.append(r)
        }
        log.close()
        let manifest = RunManifest(
            toolVersion: "test", startedAt: "2026-01-01T00:00:00Z", targetURL: "http://127.0.0.1:1/v1", model: "m",
            promptSetPath: "synthetic.jsonl", promptSetSHA256: "0", promptCount: 1, modes: ["stream"], concurrency: 1, maxInFlight: 1,
            repeatCount: requests, requests: requests, options: [:], interrupted: false, mock: true)
        try RunReportFiles.write(folder: out, manifest: manifest, results: results)
        return out
    }

    /// Two runs from one distribution (different seeds) and one with 30% slower first tokens, on
    /// synthetic data: the verdict is about the statistics, not about this machine's timing.
    @Test func compareSeesNoChangeBetweenSameProfileRunsAndARegressionAtThirtyPercent() async throws {
        let base = try Self.syntheticRun(ttft: 200, seed: 1)
        let same = try Self.syntheticRun(ttft: 200, seed: 2)
        let slower = try Self.syntheticRun(ttft: 260, seed: 3)
        defer { for run in [base, same, slower] { try? FileManager.default.removeItem(atPath: run) } }

        let (sameCode, sameConsole) = await runCommand(["compare", base, same + "/results.jsonl"])
        #expect(sameCode == .success, "\(sameConsole.out)")
        #expect(lastLine(sameConsole.out) == "PASS: baseline: no significant change", "\(sameConsole.out)")

        let junit = slower + "/compare.xml"
        let (slowerCode, slowerConsole) = await runCommand(["compare", base, slower, "--junit", junit])
        #expect(slowerCode == .checksFailed, "\(slowerConsole.out)")
        let ttftLine = try #require(slowerConsole.out.split(separator: "\n").first { $0.contains("stream  ttft.p50") })
        #expect(ttftLine.contains("regressed ["), "\(ttftLine)")
        // The interval, "[+a … +b ms]", lies wholly above zero.
        let interval = ttftLine.split(separator: "[").last.map(String.init) ?? ""
        #expect(interval.hasPrefix("+") && interval.contains("… +"), "\(ttftLine)")
        #expect(slowerConsole.out.contains("FAIL: baseline: regressed — stream ttft.p50 +"))
        #expect(try String(contentsOfFile: junit, encoding: .utf8).contains("name=\"stream ttft.p50\">"))
    }

    /// `run --baseline` against a mock that cannot be as fast as the baseline (20 ms vs 260 ms).
    @Test func runWithABaselineFailsOnARegression() async throws {
        let base = try Self.syntheticRun(ttft: 20, seed: 1, requests: 40)
        let path = try writeTemporary("{\"id\": \"q\", \"prompt\": \"Say hi\", \"max_tokens\": 4}\n")
        let out = temporaryFolder()
        defer { for run in [base, out] { try? FileManager.default.removeItem(atPath: run) } }
        let (code, console) = await runCommand(["run", path, "--mock=ttft=260ms,itl=1ms", "--repeat", "40", "--concurrency", "40",
                                                "--out", out, "--baseline", base])
        #expect(code == .checksFailed)
        #expect(console.out.contains("FAIL: baseline: regressed — stream ttft.p50 +"), "\(console.out)")
        #expect(try String(contentsOfFile: out + "/summary.md", encoding: .utf8).contains("| stream | ttft.p50 |"))
    }

    @Test func compareUsageAndHelp() async {
        let (code, console) = await runCommand(["compare", "only-one"])
        #expect(code == .usage)
        #expect(console.err.contains("expected two runs"))
        let (helpCode, help) = await runCommand(["help", "compare"])
        #expect(helpCode == .success)
        #expect(help.out.contains("Usage: chatbench compare BASE NEW"))
        #expect(help.out.contains("--tolerance"))
    }
}
