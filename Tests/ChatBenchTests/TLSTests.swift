import Dispatch
import Foundation
import Testing

@testable import ChatBench

/// Where the TLS tests find their certificates and tools. `.ci/run` makes the certificates with
/// Tests/TLS/make-certs.sh, installs the name-constrained test CA in the system store (the only
/// store URLSession on Linux reads) and exports CHATBENCH_TLS_TEST_DIR; without that, or without
/// python3 for the front, the https:// tests are skipped with this reason.
enum TLSTestEnvironment {
    static let directory = ProcessInfo.processInfo.environment["CHATBENCH_TLS_TEST_DIR"]
    static let python = executable(named: "python3")
    static let frontScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TLS/tls_front.py").path

    static var available: Bool {
        guard let directory, python != nil else { return false }
        return ["ca.crt", "server.crt", "server.key", "untrusted.crt", "untrusted.key"].allSatisfy {
            FileManager.default.fileExists(atPath: directory + "/" + $0)
        }
    }

    static let skipReason: Comment = """
        needs CHATBENCH_TLS_TEST_DIR (certificates from Tests/TLS/make-certs.sh, with ca.crt installed in the \
        system CA store) and python3; .ci/run sets both up
        """

    static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Which certificate the front presents.
enum TLSTestCertificate: String {
    /// Signed by the test CA that .ci/run puts in the system store.
    case trusted = "server"
    /// Self-signed, trusted by nothing.
    case untrusted
}

struct TLSFrontError: Error, CustomStringConvertible {
    var description: String
}

/// Tests/TLS/tls_front.py as a child process: TLS on an ephemeral loopback port, forwarded to a
/// plain-HTTP port. Its port is read from its first line of output; closing its stdin ends it.
struct TLSFront {
    let port: Int
    private let process: Process
    private let input: Pipe

    init(forwardingTo targetPort: Int, certificate: TLSTestCertificate = .trusted) async throws {
        guard let directory = TLSTestEnvironment.directory, let python = TLSTestEnvironment.python else {
            throw TLSFrontError(description: "TLS test environment missing")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            TLSTestEnvironment.frontScript, "--cert", "\(directory)/\(certificate.rawValue).crt",
            "--key", "\(directory)/\(certificate.rawValue).key", "--target-port", String(targetPort),
        ]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let line = await Self.firstLine(output.fileHandleForReading)
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            let stderr = String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
            throw TLSFrontError(description: "tls_front.py did not print its port (got \(line.debugDescription)): \(stderr)")
        }
        self.port = port
        self.process = process
        self.input = input
    }

    /// Blocking reads happen on a Dispatch thread, never on the cooperative pool.
    private static func firstLine(_ handle: FileHandle) async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var bytes: [UInt8] = []
                while !bytes.contains(UInt8(ascii: "\n")) {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    bytes += chunk
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
        }
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.terminate()
    }
}

/// The mock behind the TLS front, and a client that reaches it through the https:// transport
/// exactly as `chatbench run --base-url https://localhost:PORT/v1` would.
struct TLSHarness {
    let server: MockServer
    let front: TLSFront
    let transport: any HTTPTransport
    let client: ChatClient

    init(profile: MockProfile = MockProfile(timeToFirstToken: 5_000_000, interTokenLatency: 1_000_000, tokens: 12),
         defaults: ChatRequestDefaults = ChatRequestDefaults(model: "mock-model"), basePath: String = "/v1",
         certificate: TLSTestCertificate = .trusted, concurrency: Int = 4) async throws {
        server = try MockServer(port: 0, profile: profile)
        do {
            front = try await TLSFront(forwardingTo: server.port, certificate: certificate)
        } catch {
            server.shutdown()
            throw error
        }
        let endpoint = try Endpoint(parsing: "https://localhost:\(front.port)\(basePath)")
        transport = try BenchmarkRun.makeTransport(endpoint, concurrency: concurrency)
        client = ChatClient(transport: transport, endpoint: endpoint, defaults: defaults)
    }

    func send(_ prompt: Prompt, _ mode: RequestMode = .stream) async -> RequestResult {
        await client.send(prompt, mode: mode, index: 0, repetition: 0, scheduled: MonotonicClock.now(), runStart: MonotonicClock.now())
    }

    func stop() {
        transport.shutdown()
        front.stop()
        server.shutdown()
    }
}

/// The checks ClientTests and TransportRobustnessTests make over http://, made over https://
/// through a local TLS front.
@Suite(.enabled(if: TLSTestEnvironment.available, TLSTestEnvironment.skipReason))
struct TLSTests {
    @Test func httpsTargetsUseTheURLSessionTransport() async throws {
        let harness = try await TLSHarness()
        defer { harness.stop() }
        #expect(harness.transport is URLSessionTransport)
    }

    @Test func streamingRequestIsMeasuredAndCountedFromUsage() async throws {
        let harness = try await TLSHarness()
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.outcome == .ok, "\(result.error ?? "")")
        #expect(result.status == 200)
        #expect(result.completionTokens == 12)
        #expect(result.tokenSource == .usage)
        #expect(result.textChunks == 12)
        #expect(result.finishReason == "stop")
        #expect(result.answer == MockAnswer.tokens(for: "hello", count: 12).joined())
        let ttft = try #require(result.ttftMs)
        let last = try #require(result.lastTokenMs)
        let e2e = try #require(result.e2eMs)
        let ttfb = try #require(result.ttfbMs)
        #expect(ttfb <= ttft && ttft <= last && last <= e2e)
        #expect(result.itlMs.count == 11)
    }

    @Test func chineseAnswerArrivesWhole() async throws {
        let harness = try await TLSHarness()
        defer { harness.stop() }
        let result = await harness.send(userPrompt("你好"))
        #expect(result.outcome == .ok, "\(result.error ?? "")")
        #expect(result.answer.hasPrefix("你好！我是一个模拟助手"))
        #expect(!result.answer.contains("\u{FFFD}"))
    }

    @Test func nonStreamingHasNoTimeToFirstToken() async throws {
        let harness = try await TLSHarness()
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"), .nonStream)
        #expect(result.outcome == .ok, "\(result.error ?? "")")
        #expect(result.ttftMs == nil)
        #expect(result.e2eMs != nil)
        #expect(result.completionTokens == 12)
        #expect(result.answer == MockAnswer.tokens(for: "hello", count: 12).joined())
    }

    @Test func httpErrorKeepsTheServersMessage() async throws {
        let harness = try await TLSHarness(basePath: "/nope")
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.outcome == .httpError)
        #expect(result.status == 404)
        #expect(result.error?.contains("no route for POST /nope/chat/completions") == true, "\(result.error ?? "")")
    }

    @Test func subSecondFirstTokenDeadlineIsEnforcedByChatbench() async throws {
        var defaults = ChatRequestDefaults(model: "mock-model")
        // URLSession would truncate 0.3 s to 0; chatbench's own timer must fire, and only it.
        defaults.deadlines = Deadlines(connect: Deadlines.seconds(5), firstToken: 300_000_000, idle: 10_000_000, total: Deadlines.seconds(30))
        let harness = try await TLSHarness(profile: MockProfile(timeToFirstToken: 5_000_000_000, interTokenLatency: 1_000_000, tokens: 3), defaults: defaults)
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.outcome == .firstTokenTimeout, "\(result.error ?? "")")
        #expect(result.error?.contains("--first-token-timeout") == true)
        #expect((result.e2eMs ?? 0) >= 300)  // a lower bound: the deadline cannot have fired early
    }

    @Test func stallAfterFirstTokenIsAnIdleTimeoutAndKeepsThePartialAnswer() async throws {
        var defaults = ChatRequestDefaults(model: "mock-model")
        defaults.deadlines = Deadlines(connect: Deadlines.seconds(5), firstToken: Deadlines.seconds(5), idle: 200_000_000, total: Deadlines.seconds(30))
        let harness = try await TLSHarness(profile: MockProfile(timeToFirstToken: 1_000_000, interTokenLatency: 5_000_000_000, tokens: 3), defaults: defaults)
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.outcome == .idleTimeout, "\(result.error ?? "")")
        #expect(result.error?.contains("--idle-timeout") == true)
        #expect(result.answer == MockAnswer.tokens(for: "hello", count: 1).joined())
        #expect(result.ttftMs != nil)
    }

    @Test func totalDeadlineAppliesToNonStreaming() async throws {
        var defaults = ChatRequestDefaults(model: "mock-model")
        defaults.deadlines = Deadlines(connect: Deadlines.seconds(5), firstToken: 1_000_000, idle: 1_000_000, total: 400_000_000)
        let harness = try await TLSHarness(profile: MockProfile(timeToFirstToken: 5_000_000_000, interTokenLatency: 1_000_000, tokens: 3), defaults: defaults)
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"), .nonStream)
        #expect(result.outcome == .totalTimeout, "\(result.error ?? "")")
        #expect(result.error?.contains("--timeout") == true)
    }

    @Test func cancellingTheTaskCancelsTheRequest() async throws {
        let harness = try await TLSHarness(profile: MockProfile(timeToFirstToken: 10_000_000_000, interTokenLatency: 1_000_000, tokens: 3))
        defer { harness.stop() }
        let client = harness.client
        let task = Task {
            await client.send(userPrompt("hello"), mode: .stream, index: 0, repetition: 0, scheduled: MonotonicClock.now(), runStart: MonotonicClock.now())
        }
        task.cancel()
        let result = await task.value
        #expect(result.outcome == .cancelled)
    }

    @Test func concurrentStreamsGetOneConnectionEachUpToTheConcurrency() async throws {
        // httpMaximumConnectionsPerHost defaults to 6, which would queue two of these inside
        // libcurl: the mock would never see more than six at once. Every request outlives the
        // total deadline, so all of them are in flight together until it fires.
        var defaults = ChatRequestDefaults(model: "mock-model")
        defaults.deadlines.total = Deadlines.seconds(3)
        let harness = try await TLSHarness(profile: MockProfile(timeToFirstToken: 30_000_000_000, interTokenLatency: 1_000_000, tokens: 3), defaults: defaults, concurrency: 8)
        defer { harness.stop() }
        let client = harness.client
        await withTaskGroup(of: Outcome.self) { group in
            for i in 0..<8 {
                group.addTask {
                    await client.send(userPrompt("hi"), mode: .stream, index: i, repetition: 0, scheduled: MonotonicClock.now(), runStart: MonotonicClock.now()).outcome
                }
            }
            for await outcome in group { #expect(outcome == .totalTimeout) }
        }
        #expect(harness.server.statistics.maxActiveCompletions == 8)
    }

    @Test func concurrentStreamsAreRoutedToTheirOwnRequests() async throws {
        let harness = try await TLSHarness(concurrency: 6)
        defer { harness.stop() }
        let client = harness.client
        let prompts = ["hello", "你好", "what is two plus two", "bonjour", "hola", "ciao"]
        let answers = await withTaskGroup(of: (String, RequestResult).self) { group in
            for (i, text) in prompts.enumerated() {
                group.addTask {
                    (text, await client.send(userPrompt(text), mode: .stream, index: i, repetition: 0, scheduled: MonotonicClock.now(), runStart: MonotonicClock.now()))
                }
            }
            var answers: [(String, RequestResult)] = []
            for await answer in group { answers.append(answer) }
            return answers
        }
        for (text, result) in answers {
            #expect(result.outcome == .ok, "\(result.error ?? "")")
            #expect(result.answer == MockAnswer.tokens(for: text, count: 12).joined())
        }
    }

    @Test func refusedConnectionIsAConnectError() async throws {
        let port = refusedLoopbackPort
        let endpoint = try Endpoint(parsing: "https://localhost:\(port)/v1")
        let transport = try BenchmarkRun.makeTransport(endpoint, concurrency: 1)
        defer { transport.shutdown() }
        let client = ChatClient(transport: transport, endpoint: endpoint, defaults: ChatRequestDefaults(model: "m"))
        let result = await client.send(userPrompt("hi"), mode: .stream, index: 0, repetition: 0, scheduled: MonotonicClock.now(), runStart: MonotonicClock.now())
        #expect(result.outcome == .connectError, "\(result.outcome): \(result.error ?? "")")
    }

    @Test func untrustedCertificateIsAConnectErrorNamingTheWorkarounds() async throws {
        let harness = try await TLSHarness(certificate: .untrusted)
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.outcome == .connectError, "\(result.outcome): \(result.error ?? "")")
        let error = result.error ?? ""
        #expect(error.contains("certificate"), "\(error)")
        #expect(error.contains("update-ca-certificates"))
        #expect(error.contains("http://"))
        #expect(error.contains("--ca-cert and --insecure cannot work"))
        #expect(harness.server.statistics.requests == 0)
    }

    @Test func runAgainstAnHTTPSTargetSucceeds() async throws {
        let server = try MockServer(port: 0, profile: MockProfile(timeToFirstToken: 2_000_000, interTokenLatency: 500_000, tokens: 8))
        defer { server.shutdown() }
        let front = try await TLSFront(forwardingTo: server.port)
        defer { front.stop() }
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (code, console) = await runCommand([
            "run", CommandLineTests.smokePath, "--base-url", "https://localhost:\(front.port)/v1", "--concurrency", "2", "--out", out,
        ])
        #expect(code == .success, "\(console.err)")
        #expect(console.out.contains("target https://localhost:\(front.port)/v1"))
        #expect(!console.out.contains("HTTPS CLIENT LIMIT"))
        let document = try JSONParser.parse(String(contentsOfFile: out + "/summary.json", encoding: .utf8))
        #expect(document["manifest"]?["target_url"]?.stringValue == "https://localhost:\(front.port)/v1")
        #expect(document["manifest"]?["warnings"] == nil)
    }

    @Test func runWithAnUntrustedCertificateStopsWithExitThreeAndTheWorkarounds() async throws {
        let server = try MockServer(port: 0, profile: MockProfile(timeToFirstToken: 2_000_000, interTokenLatency: 500_000, tokens: 8))
        defer { server.shutdown() }
        let front = try await TLSFront(forwardingTo: server.port, certificate: .untrusted)
        defer { front.stop() }
        let (code, console) = await runCommand([
            "run", CommandLineTests.smokePath, "--base-url", "https://localhost:\(front.port)/v1", "--model", "mock-model",
            "--out", temporaryFolder(),
        ])
        #expect(code == .targetUnusable)
        #expect(console.err.contains("update-ca-certificates"), "\(console.err)")
        #expect(console.err.contains("http://"))
        // The server is there; the "is it running?" hint would send the user the wrong way.
        #expect(!console.err.contains("ollama serve"))
    }

    @Test func concurrencyAboveTheHTTPSCeilingIsWarnedAboutInConsoleAndSummary() async throws {
        let server = try MockServer(port: 0, profile: MockProfile(timeToFirstToken: 2_000_000, interTokenLatency: 500_000, tokens: 8))
        defer { server.shutdown() }
        let front = try await TLSFront(forwardingTo: server.port)
        defer { front.stop() }
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let asked = HTTPSLimits.streamsPerProcess + 1
        let (code, console) = await runCommand([
            "run", CommandLineTests.smokePath, "--base-url", "https://localhost:\(front.port)/v1", "--concurrency", String(asked),
            "--requests", "2", "--out", out,
        ])
        #expect(code == .success, "\(console.err)")
        #expect(console.err.contains("warning: HTTPS CLIENT LIMIT: --concurrency \(asked)"))
        #expect(console.out.contains("WARNING: HTTPS CLIENT LIMIT"))
        let document = try JSONParser.parse(String(contentsOfFile: out + "/summary.json", encoding: .utf8))
        let warnings = try #require(document["manifest"]?["warnings"]?.arrayValue)
        #expect(warnings.count == 1)
        #expect(warnings.first?.stringValue?.contains("shards") == true)
        #expect(warnings.first?.stringValue?.contains("http://") == true)
    }
}

/// What needs no TLS front: the flags that cannot work, and the ceiling's arithmetic.
@Suite struct TLSTrustTests {
    @Test func caCertAndInsecureAreRefusedWithTheWorkarounds() async throws {
        for flags in [["--ca-cert", "/tmp/ca.crt"], ["--insecure"], ["--ca-cert", "/tmp/ca.crt", "--insecure"]] {
            let (code, console) = await runCommand(["run", CommandLineTests.smokePath, "--base-url", "https://localhost:1/v1"] + flags)
            #expect(code == .usage, "\(flags)")
            #expect(console.err.contains("cannot be honoured"), "\(console.err)")
            #expect(console.err.contains("cp ca.crt /usr/local/share/ca-certificates/ && update-ca-certificates"))
            #expect(console.err.contains("http://"))
            for flag in flags where flag.hasPrefix("--") { #expect(console.err.contains(flag)) }
        }
    }

    @Test func theCeilingAppliesToHTTPSOnly() throws {
        let https = try Endpoint(parsing: "https://example.test/v1")
        let http = try Endpoint(parsing: "http://example.test/v1")
        let ceiling = HTTPSLimits.streamsPerProcess
        #expect(HTTPSLimits.plannedWarning(endpoint: https, concurrency: ceiling) == nil)
        #expect(HTTPSLimits.plannedWarning(endpoint: https, concurrency: ceiling + 1) != nil)
        #expect(HTTPSLimits.plannedWarning(endpoint: https, concurrency: nil) == nil)
        #expect(HTTPSLimits.plannedWarning(endpoint: http, concurrency: ceiling * 10) == nil)
        #expect(HTTPSLimits.observedWarning(endpoint: https, maxInFlight: ceiling + 1)?.contains("\(ceiling + 1) requests in flight") == true)
        #expect(HTTPSLimits.observedWarning(endpoint: http, maxInFlight: ceiling * 10) == nil)
    }

    @Test func certificateFailuresNameTheWorkaroundsAndOtherTLSFailuresDoNot() {
        let certificate = TLSTrust.failureDetail("SSL certificate problem: self-signed certificate", host: "h")
        #expect(certificate.hasPrefix(TLSTrust.detailPrefix))
        #expect(certificate.contains("update-ca-certificates"))
        let handshake = TLSTrust.failureDetail("SSL connect error", host: "h")
        #expect(handshake.hasPrefix(TLSTrust.detailPrefix))
        #expect(!handshake.contains("update-ca-certificates"))
    }
}
