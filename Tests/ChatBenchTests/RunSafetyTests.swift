import Foundation
import Testing

@testable import ChatBench
@testable import ChatBenchCLI

/// Run-level safety: signals to the real process, the open-files limit, and credentials that
/// must never reach an output file or a console stream.
@Suite struct RunSafetyTests {
    static func launch(_ arguments: [String], shell: String? = nil) throws -> (Process, Pipe, Pipe) {
        let binary = try #require(ProcessSignalTests.executable, "chatbench executable not found beside \(CommandLine.arguments[0])")
        let process = Process()
        if let shell {
            // `exec` keeps the pid, so a signal reaches chatbench itself.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", shell + "; exec \"$0\" \"$@\"", binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    @Test func sigtermCancelsWhatIsInFlightAndWritesReportsThatAgree() async throws {
        // An outside mock, so the test can see when both requests are being answered.
        let server = try MockServer(port: 0, profile: MockProfile(timeToFirstToken: 1_000_000, interTokenLatency: 10_000_000_000, tokens: 3))
        defer { server.shutdown() }
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        // Four prompts that each take 20 s (no arithmetic: the mock would answer that in one token).
        let prompts = try writeTemporary((1...4).map { "{\"prompt\": \"Tell me a story, part \($0).\"}" }.joined(separator: "\n") + "\n")
        let (process, stdout, stderr) = try Self.launch([
            "run", prompts, "--base-url", server.baseURL, "--model", "mock-model", "--concurrency", "2", "--out", out,
        ])
        while server.statistics.activeCompletions < 2 && process.isRunning { await Task.yield() }
        kill(process.processIdentifier, SIGTERM)
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        _ = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "\(errors)")
        #expect(process.terminationStatus == 130, "\(errors)")
        let results = try ResultsLog.read(path: out + "/results.jsonl")
        #expect(results.count == 2)
        #expect(results.allSatisfy { $0.outcome == .cancelled })
        let document = try SummaryDocument.decode(Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")))
        #expect(document.overall.requests == results.count)
        #expect(document.overall.countsByOutcome["cancelled"] == 2)
        #expect(document.manifest.interrupted)
    }

    @Test func concurrencyBeyondTheOpenFilesLimitIsRefusedBeforeAnything() throws {
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (process, _, stderr) = try Self.launch(
            ["run", CommandLineTests.smokePath, "--mock", "--concurrency", "500", "--out", out], shell: "ulimit -n 256")
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2, "\(errors)")
        #expect(errors.contains("--concurrency 500 needs about 1064 open files"), "\(errors)")
        #expect(errors.contains("use --concurrency 96 or less"), "\(errors)")
        #expect(!errors.contains("mock server on"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func limitArithmetic() {
        #expect(FileDescriptorLimit.problem(concurrency: 100, mock: false, soft: 1024, hard: 1024) == nil)
        #expect(FileDescriptorLimit.problem(concurrency: 1000, mock: false, soft: 1024, hard: 1024) != nil)
        #expect(FileDescriptorLimit.problem(concurrency: 480, mock: true, soft: 1024, hard: 1024) == nil)
        #expect(FileDescriptorLimit.problem(concurrency: 481, mock: true, soft: 1024, hard: 1024) != nil)
        let limits = FileDescriptorLimit.raiseToHard()
        #expect(limits.soft == limits.hard)
    }

    /// Every file of the run folder and both console streams, searched for each secret.
    static func expectNoSecret(_ secrets: [String], in out: String, console: CapturedConsole) throws {
        var texts = ["stdout": console.out, "stderr": console.err]
        if let files = try? FileManager.default.contentsOfDirectory(atPath: out) {
            for file in files { texts[file] = try String(contentsOfFile: out + "/" + file, encoding: .utf8) }
        }
        for secret in secrets {
            for (name, text) in texts {
                #expect(!text.contains(secret), "\(secret) found in \(name)")
            }
        }
    }

    @Test func apiKeyAndAuthorizationHeaderNeverReachAnyOutput() async throws {
        let key = "sk-test-SECRET-4f9a2c"
        let headerToken = "tok-HEADER-SECRET-77e1"
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        // The mock's 401 repeats the credentials it was sent, as some real servers do.
        let (code, console) = await runCommand([
            "run", CommandLineTests.smokePath, "--mock=ttft=1ms,itl=100us,tokens=2,fault=http-401", "--mode", "both",
            "--api-key", key, "--header", "Authorization: Bearer \(headerToken)", "--header", "X-Api-Key: \(key)", "--out", out,
        ])
        // The run completes; the smoke set's one assertion fails on the 401s, hence exit 1.
        #expect(code == .checksFailed, "\(console.err)")
        let results = try ResultsLog.read(path: out + "/results.jsonl")
        #expect(results.count == 2 * (try PromptSet.load(path: CommandLineTests.smokePath, skipInvalid: false)).prompts.count)
        #expect(results.allSatisfy { $0.outcome == .httpError && $0.status == 401 })
        #expect(results.allSatisfy { $0.error?.contains("Incorrect API key provided: [redacted]") == true }, "\(results.first?.error ?? "")")
        try Self.expectNoSecret([key, headerToken], in: out, console: console)
    }

    @Test func apiKeyStaysOutOfTheMessagesOfAnUnreachableTarget() async throws {
        let key = "sk-test-UNREACHABLE-91b3"
        let port = refusedLoopbackPort
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (code, console) = await runCommand([
            "run", CommandLineTests.smokePath, "--base-url", "http://user:\(key)@127.0.0.1:\(port)/v1", "--model", "m",
            "--api-key", key, "--connect-timeout", "200ms", "--out", out,
        ])
        #expect(code == .targetUnusable)
        #expect(console.err.contains("cannot reach"))
        try Self.expectNoSecret([key], in: out, console: console)
        // A malformed --header is not echoed: it may be a credential typed without its colon.
        let (usage, typo) = await runCommand(["run", CommandLineTests.smokePath, "--mock", "--header", "Authorization Bearer \(key)"])
        #expect(usage == .usage)
        try Self.expectNoSecret([key], in: out, console: typo)
    }
}
