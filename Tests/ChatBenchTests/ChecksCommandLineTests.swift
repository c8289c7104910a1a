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

    /// Two runs of one profile with different jitter seeds, and one with 30% slower first tokens.
    /// Latency is real here (loopback, mock timers), on a machine shared with parallel tests and
    /// builds that can stall a whole run by tens of milliseconds, so the figures are generous: a
    /// 200 ms TTFT and 20 ms gaps with ±10% jitter, against 260 ms; 40 requests each, 20 at a time
    /// (about 0.5 s per run), compared at 20% tolerance. With 40 requests only medians are judged.
    @Test func compareSeesNoChangeBetweenSameProfileRunsAndARegressionAtThirtyPercent() async throws {
        let path = try writeTemporary("{\"id\": \"q\", \"prompt\": \"Say hi\", \"max_tokens\": 4}\n")
        var runs: [String] = []
        defer { for run in runs { try? FileManager.default.removeItem(atPath: run) } }
        for (ttft, seed) in [(200, 1), (200, 2), (260, 3)] {
            let out = temporaryFolder()
            runs.append(out)
            let (code, console) = await runCommand(["run", path, "--mock=ttft=\(ttft)ms,itl=20ms,jitter=0.1,seed=\(seed)", "--repeat", "40",
                                                    "--concurrency", "20", "--out", out, "--quiet"])
            #expect(code == .success, "\(console.err)")
        }
        let (same, sameConsole) = await runCommand(["compare", runs[0], runs[1] + "/results.jsonl", "--tolerance", "20%"])
        #expect(same == .success, "\(sameConsole.out)")
        #expect(lastLine(sameConsole.out) == "PASS: baseline: no significant change", "\(sameConsole.out)")

        let junit = runs[2] + "/compare.xml"
        let (slower, slowerConsole) = await runCommand(["compare", runs[0], runs[2], "--junit", junit, "--tolerance", "20%"])
        #expect(slower == .checksFailed, "\(slowerConsole.out)")
        let ttftLine = try #require(slowerConsole.out.split(separator: "\n").first { $0.contains("stream  ttft.p50") })
        #expect(ttftLine.contains("regressed ["), "\(ttftLine)")
        // The interval, "[+a … +b ms]", lies wholly above zero.
        let interval = ttftLine.split(separator: "[").last.map(String.init) ?? ""
        #expect(interval.hasPrefix("+") && interval.contains("… +"), "\(ttftLine)")
        #expect(slowerConsole.out.contains("FAIL: baseline: regressed — stream ttft.p50 +"))
        #expect(try String(contentsOfFile: junit, encoding: .utf8).contains("name=\"stream ttft.p50\">"))

        // The same through `run --baseline`: the run exits 1 and says why.
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (code, console) = await runCommand(["run", path, "--mock=ttft=260ms,itl=20ms,jitter=0.1,seed=4", "--repeat", "40", "--concurrency", "20",
                                                "--out", out, "--baseline", runs[0], "--tolerance", "20%"])
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
