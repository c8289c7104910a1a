#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import Testing

@testable import ChatBench
@testable import ChatBenchCLI

/// Captures what a command prints.
final class CapturedConsole: Sendable {
    private let lines = Mutex<(out: String, err: String)>(("", ""))
    var console: Console {
        Console(out: { text in self.lines.withLock { $0.out += text + "\n" } }, err: { text in self.lines.withLock { $0.err += text + "\n" } })
    }
    var out: String { lines.withLock { $0.out } }
    var err: String { lines.withLock { $0.err } }
}

func runCommand(_ arguments: [String], environment: [String: String] = [:], interrupts: Interrupts = Interrupts()) async -> (ExitCode, CapturedConsole) {
    let captured = CapturedConsole()
    let code = await ChatBenchCommand.main(arguments: arguments, environment: environment, interrupts: interrupts, console: captured.console)
    return (code, captured)
}

func writeTemporary(_ text: String, name: String = "prompts.jsonl") throws -> String {
    let folder = temporaryFolder()
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite struct CommandLineTests {
    static let smokePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("prompts/smoke.jsonl").path

    @Test func mockRunOfTheSmokeSetSucceedsAndWritesTheReports() async throws {
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (code, console) = await runCommand(["run", Self.smokePath, "--mock=ttft=2ms,itl=200us,tokens=8", "--out", out, "--concurrency", "2"])
        #expect(code == .success, "\(console.err)")
        #expect(console.out.contains("ttft_ms"))
        #expect(console.out.contains("reports: \(out)"))
        for file in ["results.jsonl", "results.csv", "summary.json", "summary.md"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(file)"), "\(file) missing")
        }
    }

    @Test func badPromptLineIsExitTwoWithFileLineAndColumn() async throws {
        let path = try writeTemporary("{\"prompt\": \"ok\"}\n{\"prompt\" \"missing colon\"}\n")
        let (code, console) = await runCommand(["run", path, "--mock"])
        #expect(code == .usage)
        #expect(console.err.contains("\(path):2:11: "), "\(console.err)")
        #expect(console.err.contains("--skip-invalid"))
    }

    @Test func skipInvalidRunsTheValidLines() async throws {
        let path = try writeTemporary("{\"prompt\": \"ok\"}\n{\"prompt\" \"missing colon\"}\n")
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (code, console) = await runCommand(["run", path, "--mock=ttft=1ms,itl=100us,tokens=2", "--skip-invalid", "--out", out])
        #expect(code == .success, "\(console.err)")
        #expect(console.err.contains("skipped \(path):2:"))
        #expect(try ResultsLog.read(path: out + "/results.jsonl").count == 1)
    }

    @Test func unreachableTargetIsExitThree() async throws {
        let port = refusedLoopbackPort
        let (code, console) = await runCommand(["run", Self.smokePath, "--base-url", "http://127.0.0.1:\(port)/v1", "--model", "m"])
        #expect(code == .targetUnusable)
        #expect(console.err.contains("cannot reach http://127.0.0.1:\(port)/v1"))
    }

    @Test func baseURLComesFromTheEnvironment() async throws {
        let port = refusedLoopbackPort
        let (code, console) = await runCommand(["run", Self.smokePath, "--model", "m"], environment: ["OLLAMA_HOST": "127.0.0.1:\(port)"])
        #expect(code == .targetUnusable)
        #expect(console.err.contains("127.0.0.1:\(port)/v1"))
    }

    @Test func interruptBeforeTheRunIsExit130() async throws {
        let interrupts = Interrupts()
        interrupts.fire()
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (code, _) = await runCommand(["run", Self.smokePath, "--mock", "--out", out], interrupts: interrupts)
        #expect(code == .interrupted)
    }

    @Test(arguments: [
        (["run"], "missing the prompt file"),
        (["run", "x.jsonl", "--bogus"], "unknown option --bogus"),
        (["run", "x.jsonl", "--concurrency", "0"], "--concurrency expects a whole number of at least 1"),
        (["run", "x.jsonl", "--mode", "sideways"], "--mode expects stream, non-stream or both"),
        (["run", "x.jsonl", "--timeout", "soon"], "--timeout expects a duration"),
        (["run", "x.jsonl", "--mock=ttft=fast"], "bad value \"fast\" for ttft"),
        (["run", "x.jsonl", "--requests", "5", "--repeat", "2"], "not both"),
        (["frobnicate"], "unknown command"),
        (["run", "x.jsonl", "--arrival", "poisson"], "need --rate"),
        (["run", "x.jsonl", "--rate", "5", "--arrival", "poisson", "--burstiness", "2"], "--burstiness applies to --arrival gamma"),
        (["run", "x.jsonl", "--rate", "0"], "--rate expects requests per second above 0"),
        (["run", "x.jsonl", "--sweep", "threads=1,2"], "expected concurrency=LIST or rate=LIST"),
        (["run", "x.jsonl", "--warmup", "soon"], "--warmup expects a number of requests or a duration"),
        (["run", "x.jsonl", "--grace", "5s"], "--grace applies to --duration"),
        (["run", "x.jsonl", "--duration", "5s", "--repeat", "2"], "give --duration or --repeat"),
    ])
    func usageErrorsAreExitTwo(arguments: [String], message: String) async {
        let (code, console) = await runCommand(arguments)
        #expect(code == .usage)
        #expect(console.err.contains(message), "\(console.err)")
    }

    @Test func helpShowsExamples() async {
        let (code, console) = await runCommand(["run", "--help"])
        #expect(code == .success)
        #expect(console.out.contains("Examples:"))
        #expect(console.out.contains("--first-token-timeout"))
    }

    @Test func apiKeyIsSentButNeverWritten() async throws {
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let secret = "sk-test-DO-NOT-LEAK-1234"
        let (code, console) = await runCommand(
            ["run", Self.smokePath, "--mock=ttft=1ms,itl=100us,tokens=2", "--out", out, "--header", "X-Team: bench"],
            environment: ["OPENAI_API_KEY": secret])
        #expect(code == .success)
        #expect(!console.out.contains(secret) && !console.err.contains(secret))
        for file in try FileManager.default.contentsOfDirectory(atPath: out) {
            let text = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
            #expect(!text.contains(secret), "\(file) contains the API key")
        }
    }
}
