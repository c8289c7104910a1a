#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

@testable import ChatBench

func temporaryFolder() -> String {
    let path = NSTemporaryDirectory() + "chatbench-test-" + UUID().uuidString
    return path
}

func promptSet(_ prompts: [Prompt]) -> PromptSet {
    PromptSet(path: "test.jsonl", name: "test", sha256: "0", prompts: prompts)
}

@Suite struct BenchmarkRunTests {
    @Test func runNeverExceedsConcurrencyAndWritesEveryReport() async throws {
        let server = try MockServer(port: 0, profile: MockProfile(timeToFirstToken: 2_000_000, interTokenLatency: 200_000, tokens: 5))
        defer { server.shutdown() }
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let prompts = (1...3).map { userPrompt("question \($0)", id: "q\($0)") }
        let config = RunConfiguration(
            promptSet: promptSet(prompts), endpoint: try Endpoint(parsing: server.baseURL),
            defaults: ChatRequestDefaults(model: "mock-model"), concurrency: 3, repeatCount: 8, outDir: out)
        let report = try await BenchmarkRun.execute(config)
        #expect(report.results.count == 24)
        #expect(report.results.allSatisfy { $0.outcome == .ok })
        #expect(report.manifest.maxInFlight == 3)
        #expect(report.manifest.interrupted == false)
        // The server's own count of simultaneous completions is the honest check of the bound.
        #expect(server.statistics.maxActiveCompletions <= 3)
        #expect(server.statistics.maxActiveCompletions >= 1)
        for file in ["results.jsonl", "results.csv", "summary.json", "summary.md"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(file)"), "\(file) missing")
        }
        let logged = try ResultsLog.read(path: "\(out)/results.jsonl")
        #expect(logged.count == 24)
        #expect(Set(logged.map(\.index)) == Set(0..<24))
        let document = try SummaryDocument.decode(Data(contentsOf: URL(fileURLWithPath: "\(out)/summary.json")))
        #expect(document.overall.requests == 24)
        #expect(document.overall.ttftMs.n == 24)
        #expect(document.modes["stream"]?.completionTokens.p50 == 5)
    }

    @Test func interruptedRunKeepsEveryFinishedResult() async throws {
        let server = try MockServer(port: 0, profile: MockProfile(timeToFirstToken: 1_000_000, interTokenLatency: 10_000_000_000, tokens: 5))
        defer { server.shutdown() }
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        // The first prompt ends after one token; the others would take 40 s.
        let fast = userPrompt("fast", id: "fast", extra: ["max_tokens": .int(1)])
        let slow = (1...4).map { userPrompt("slow", id: "slow\($0)") }
        let config = RunConfiguration(
            promptSet: promptSet([fast] + slow), endpoint: try Endpoint(parsing: server.baseURL),
            defaults: ChatRequestDefaults(model: "mock-model"), concurrency: 2, outDir: out)
        // Cancel the run's task (as Ctrl-C does) as soon as the first result lands: the observer
        // is called on that task.
        let observer = RunObserver(result: { _ in withUnsafeCurrentTask { $0?.cancel() } })
        let report = try await Task { try await BenchmarkRun.execute(config, observer: observer) }.value
        #expect(report.interrupted)
        #expect(report.results.first?.id == "fast")
        #expect(report.results.first?.outcome == .ok)
        let cancelled = report.results.filter { $0.outcome == .cancelled }
        #expect(cancelled.count == 1)  // the one slow request in flight
        #expect(report.results.count == 2)  // nothing new started after the interrupt
        let logged = try ResultsLog.read(path: "\(out)/results.jsonl")
        #expect(logged.map(\.id) == report.results.map(\.id))
        let document = try SummaryDocument.decode(Data(contentsOf: URL(fileURLWithPath: "\(out)/summary.json")))
        #expect(document.manifest.interrupted)
    }

    @Test func unreachableTargetStopsBeforeAnyRequest() async throws {
        let port = refusedLoopbackPort
        let out = temporaryFolder()
        let config = RunConfiguration(
            promptSet: promptSet([userPrompt("hi")]), endpoint: try Endpoint(parsing: "http://127.0.0.1:\(port)/v1"),
            defaults: ChatRequestDefaults(model: "m"), outDir: out)
        await #expect(throws: RunError.self) { try await BenchmarkRun.execute(config) }
        do {
            _ = try await BenchmarkRun.execute(config)
        } catch {
            guard case .unreachable(let text) = error else { Issue.record("expected unreachable, got \(error)"); return }
            #expect(text.contains("127.0.0.1:\(port)"))
            #expect(text.contains("--mock"))
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func unknownModelNamesTheAvailableOnes() async throws {
        let server = try MockServer(port: 0)
        defer { server.shutdown() }
        let config = RunConfiguration(
            promptSet: promptSet([userPrompt("hi")]), endpoint: try Endpoint(parsing: server.baseURL),
            defaults: ChatRequestDefaults(model: "llama9:70b"), outDir: temporaryFolder())
        do {
            _ = try await BenchmarkRun.execute(config)
            Issue.record("expected a model error")
        } catch {
            guard case .model(let text, let usage) = error else { Issue.record("expected model error, got \(error)"); return }
            #expect(!usage)
            #expect(text.contains("mock-model"))
        }
        #expect(server.statistics.requests == 1)  // only the model list, no completion
    }

    @Test func singleServedModelIsUsedWhenNoneIsNamed() async throws {
        let server = try MockServer(port: 0, profile: MockProfile(timeToFirstToken: 1_000_000, interTokenLatency: 100_000, tokens: 2, model: "only-one"))
        defer { server.shutdown() }
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let config = RunConfiguration(promptSet: promptSet([userPrompt("hi")]), endpoint: try Endpoint(parsing: server.baseURL), outDir: out)
        let report = try await BenchmarkRun.execute(config)
        #expect(report.manifest.model == "only-one")
        #expect(report.results.first?.model == "only-one")
    }

    @Test func existingOutputFolderIsNeverOverwritten() async throws {
        let server = try MockServer(port: 0)
        defer { server.shutdown() }
        let out = temporaryFolder()
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: out) }
        let config = RunConfiguration(
            promptSet: promptSet([userPrompt("hi")]), endpoint: try Endpoint(parsing: server.baseURL),
            defaults: ChatRequestDefaults(model: "mock-model"), outDir: out)
        do {
            _ = try await BenchmarkRun.execute(config)
            Issue.record("expected an output error")
        } catch {
            guard case .output(let text) = error else { Issue.record("expected output error, got \(error)"); return }
            #expect(text.contains("never overwrites"))
        }
        #expect(server.statistics.requests <= 1)
    }

    @Test func defaultFoldersOfRunsInTheSameSecondDiffer() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let config = RunConfiguration(promptSet: promptSet([userPrompt("hi")]), endpoint: try Endpoint(parsing: "http://x:1/v1"), reportsRoot: root)
        let now = Date()
        let first = try BenchmarkRun.makeOutputFolder(config, startedAt: now)
        let second = try BenchmarkRun.makeOutputFolder(config, startedAt: now)
        #expect(first != second)
        #expect(first.hasSuffix("-test"))
        #expect(second.hasSuffix("-test-2"))
    }

    @Test func singleModePlanKeepsFileOrderAndCyclesForRequestLimit() {
        let prompts = [userPrompt("a", id: "a"), userPrompt("b", id: "b"), userPrompt("c", id: "c")]
        let plan = RunPlan(prompts: prompts, modes: [.stream], repeatCount: 2, concurrency: 1)
        #expect(plan.count == 6)
        let items = Array(plan.items())
        #expect(items.map(\.prompt.id) == ["a", "b", "c", "a", "b", "c"])
        #expect(items.map(\.repetition) == [0, 0, 0, 1, 1, 1])
        #expect(items.map(\.index) == Array(0..<6))
        let limited = RunPlan(prompts: prompts, modes: [.stream], requestLimit: 5, concurrency: 1)
        #expect(limited.items().map(\.prompt.id) == ["a", "b", "c", "a", "b"])
    }
}

/// A loopback port nothing listens on: 1 is outside the ephemeral range, so no other test's mock
/// server can be handed it. (Closing a listener and using its port raced with parallel tests:
/// once a mock server got the freed port between the close and the connect.)
let refusedLoopbackPort = 1
