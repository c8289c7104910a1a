import Foundation
import Testing

@testable import ChatBench
@testable import ChatBenchCLI

/// A quick reasoning profile: `reasoning` tokens of thought, then `tokens` of answer.
private func reasoningProfile(_ format: MockReasoningFormat, reasoning: Int = 6, tokens: Int = 5, edit: (inout MockProfile) -> Void = { _ in }) -> MockProfile {
    var profile = MockProfile(timeToFirstToken: 2_000_000, interTokenLatency: 500_000, tokens: tokens)
    profile.reasoningTokens = reasoning
    profile.reasoningFormat = format
    edit(&profile)
    return profile
}

private func ollamaHarness(_ profile: MockProfile, edit: (inout ChatRequestDefaults) -> Void = { _ in }) throws -> MockHarness {
    var defaults = ChatRequestDefaults(model: "mock-model")
    defaults.api = .ollama
    edit(&defaults)
    return try MockHarness(profile: profile, defaults: defaults)
}

@Suite struct ReasoningTests {
    @Test(arguments: MockReasoningFormat.allCases)
    func streamedReasoningIsSplitFromTheAnswerAndTimedApart(format: MockReasoningFormat) async throws {
        // Gaps wide enough (4 × 40 ms of reasoning) that the answer cannot share a read() with
        // the first reasoning chunk even when a busy machine stalls the mock or the client.
        let harness = try MockHarness(profile: reasoningProfile(format, reasoning: 4, tokens: 2) { $0.interTokenLatency = 40_000_000 })
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.outcome == .ok, "\(result.error ?? "")")
        #expect(result.answer == MockAnswer.tokens(for: "hello", count: 2).joined())
        let reasoning = try #require(result.reasoning)
        #expect(!result.answer.contains("Okay") && !result.answer.contains("<"), "answer holds reasoning: \(result.answer)")
        #expect(!reasoning.contains("Sure"))
        #expect(reasoning.contains(format == .tags ? "Okay," : "Okay, the user"))
        #expect(result.reasoningTokens == 4)
        #expect(result.reasoningTokenSource == .chunks)
        #expect(result.completionTokens == 6)
        let ttft = try #require(result.ttftMs)
        let ttfc = try #require(result.ttfcMs)
        let thinking = try #require(result.reasoningMs)
        #expect(ttft < ttfc)
        #expect(thinking > 0 && thinking <= ttfc - ttft + 0.001)
        #expect(result.error == nil)
    }

    @Test(arguments: MockReasoningFormat.allCases)
    func wholeResponsesAreSplitToo(format: MockReasoningFormat) async throws {
        let harness = try MockHarness(profile: reasoningProfile(format))
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"), .nonStream)
        #expect(result.outcome == .ok, "\(result.error ?? "")")
        #expect(result.answer == MockAnswer.tokens(for: "hello", count: 5).joined())
        #expect(result.reasoning?.contains("Okay, the user") == true)
        #expect(result.ttfcMs == nil && result.reasoningMs == nil)
    }

    @Test func vllmReportsReasoningTokensInUsage() async throws {
        let harness = try MockHarness(profile: reasoningProfile(.reasoningContent) { $0.reportsReasoningTokens = true })
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.reasoningTokens == 6)
        #expect(result.reasoningTokenSource == .usage)
        #expect(result.tokensPerChunk == 1)
    }

    @Test func withoutReasoningTtfcIsTtft() async throws {
        let harness = try MockHarness()
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.ttfcMs == result.ttftMs)
        #expect(result.reasoning == nil && result.reasoningTokens == nil && result.reasoningMs == nil)
        #expect(result.buffered != nil)  // decided for every ok stream (bufferedStreamRule() tests the rule itself)
    }

    @Test func runningOutOfTokensInsideThinkLeavesNoAnswerAndSaysSo() async throws {
        let harness = try MockHarness(profile: reasoningProfile(.tags))
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello", extra: ["max_tokens": .int(4)]))
        #expect(result.outcome == .ok)
        #expect(result.answer.isEmpty)
        #expect(result.ttfcMs == nil)
        #expect(result.finishReason == "length")
        #expect(result.error?.contains("ended inside <think>") == true, "\(result.error ?? "")")
        #expect(result.error?.contains("raise max_tokens") == true)
        #expect(Summary(results: [result], mode: nil).reasoningWithoutAnswer == 1)
    }

    @Test func multiTokenChunksAreReportedAsTokensPerChunk() async throws {
        let harness = try MockHarness(profile: reasoningProfile(.tags, reasoning: 6, tokens: 9) { $0.tokensPerChunk = 3 })
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.outcome == .ok)
        #expect(result.completionTokens == 15)
        #expect(result.textChunks == 5)
        #expect(result.tokensPerChunk == 3)
        #expect(result.answer == MockAnswer.tokens(for: "hello", count: 9).joined())
        let summary = Summary(results: [result], mode: nil)
        #expect(ReasoningReportNotes.notes(summary).contains { $0.contains("3.0 tokens per chunk") })
    }

    @Test func bufferedStreamIsFlagged() async throws {
        var profile = MockProfile(timeToFirstToken: 1_000_000, interTokenLatency: 300_000, tokens: 12)
        profile.buffered = true
        let harness = try MockHarness(profile: profile)
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.outcome == .ok)
        #expect(result.textChunks == 12)
        #expect(result.buffered == true)
        let summary = Summary(results: [result], mode: nil)
        #expect(summary.bufferedStreams == 1)
        #expect(ReasoningReportNotes.notes(summary).contains { $0.hasPrefix("warning: 1 stream(s) arrived in one burst") })
    }

    @Test func bufferedStreamRule() {
        #expect(BufferedStreamRule.isBuffered(textChunks: 20, ttftMs: 500, lastTokenMs: 500.5, e2eMs: 501))
        // A long prefill followed by real decoding is not a burst.
        #expect(!BufferedStreamRule.isBuffered(textChunks: 8, ttftMs: 500, lastTokenMs: 535, e2eMs: 536))
        // Too short an answer to tell.
        #expect(!BufferedStreamRule.isBuffered(textChunks: 3, ttftMs: 500, lastTokenMs: 500, e2eMs: 500))
    }

    @Test func llamacppEmptyDeltasAreNoTokensAndCountsAreEstimates() async throws {
        let harness = try MockHarness(profile: try MockProfile.parse("llamacpp,ttft=1ms,itl=200us,tokens=9"))
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"))
        #expect(result.outcome == .ok)
        #expect(result.tokenSource == .chunks)
        #expect(result.completionTokens == 9)
        #expect(result.textChunks == 9)
        #expect(result.chunks > 9 + 2)  // role, empty deltas, finish
        #expect(result.tokensPerChunk == nil)
    }
}

@Suite struct OllamaNativeTests {
    @Test func streamingRecordsServerTimingsAndFlagsTheColdStart() async throws {
        var profile = reasoningProfile(.reasoning, reasoning: 2, tokens: 2)
        profile.loadTime = 300_000_000  // above the 250 ms threshold
        profile.interTokenLatency = 40_000_000  // so ttfc is a later read() than ttft, as above
        let harness = try ollamaHarness(profile)
        defer { harness.stop() }
        let cold = await harness.send(userPrompt("hello"))
        let warm = await harness.send(userPrompt("hello"))
        for result in [cold, warm] {
            #expect(result.outcome == .ok, "\(result.error ?? "")")
            #expect(result.tokenSource == .usage)
            #expect(result.completionTokens == 4)
            #expect(result.reasoningTokens == 2 && result.reasoningTokenSource == .chunks)
            #expect(result.answer == MockAnswer.tokens(for: "hello", count: 2).joined())
            #expect(result.reasoning?.contains("Okay") == true)
            #expect(try #require(result.ttftMs) < (try #require(result.ttfcMs)))
            #expect(result.serverTotalMs != nil && result.serverDecodeTps != nil && result.serverPrefillTps != nil)
            #expect(result.promptTokens != nil)
            // The server's total is inside the client's end-to-end time.
            #expect(try #require(result.serverGapMs) >= 0)
            #expect(result.finishReason == "stop")
        }
        #expect(cold.coldStart == true)
        #expect(try #require(cold.serverLoadMs) >= 250)
        #expect(warm.coldStart == false)
        let summary = Summary(results: [cold, warm], mode: nil)
        #expect(summary.coldStarts == 1)
        #expect(summary.warmTtftMs.n == 1)
        #expect(ReasoningReportNotes.notes(summary).contains { $0.contains("1 cold start(s)") && $0.contains("--warmup") })
        #expect(harness.server.statistics.requests == 2)
    }

    @Test func nonStreamingAndThinkFalse() async throws {
        let harness = try ollamaHarness(reasoningProfile(.reasoning)) { $0.think = .bool(false) }
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello"), .nonStream)
        #expect(result.outcome == .ok, "\(result.error ?? "")")
        #expect(result.reasoning == nil)
        #expect(result.completionTokens == 5)
        #expect(result.serverDecodeTps != nil)
        #expect(result.ttftMs == nil)
    }

    @Test func inlineTagsOnTheNativeRoute() async throws {
        let harness = try ollamaHarness(reasoningProfile(.tags))
        defer { harness.stop() }
        let result = await harness.send(userPrompt("hello", extra: ["max_tokens": .int(8)]))
        #expect(result.outcome == .ok)
        #expect(result.completionTokens == 8)
        #expect(result.finishReason == "length")
        #expect(result.answer == MockAnswer.tokens(for: "hello", count: 2).joined())
        #expect(!(result.reasoning ?? "").contains("<think>"))
    }

    @Test func requestBodyMapsOpenAIFieldsToOllamasOptions() throws {
        let harness = try ollamaHarness(MockProfile()) {
            $0.maxTokens = 100
            $0.seed = 3
            $0.think = .string("high")
            $0.keepAlive = "10m"
        }
        defer { harness.stop() }
        let prompt = userPrompt("hi", extra: [
            "temperature": .number("0"), "options": .object(["num_ctx": .int(4096)]),
            "response_format": .object(["type": .string("json_object")]), "logprobs": .bool(true),
        ])
        let body = harness.client.wireBody(for: prompt, mode: .stream)
        #expect(body.keys == ["model", "messages", "stream", "options", "think", "keep_alive", "format"])
        #expect(body["stream"] == .bool(true))
        #expect(body["options"] == .object(["num_ctx": .int(4096), "num_predict": .int(100), "temperature": .number("0"), "seed": .int(3)]))
        #expect(body["think"] == .string("high"))
        #expect(body["keep_alive"] == .string("10m"))
        #expect(body["format"] == .string("json"))
        #expect(harness.client.request(for: prompt, mode: .stream).path == "/api/chat")
        #expect(OllamaRequestBody.make(from: [:], stream: false, think: nil, keepAlive: "-1")["keep_alive"] == .int(-1))
    }

    @Test(arguments: [
        ("http://localhost:11434/v1", "/api/chat"), ("http://localhost:11434", "/api/chat"),
        ("http://localhost:11434/api", "/api/chat"), ("http://proxy/ollama/v1", "/ollama/api/chat"),
    ])
    func nativePathsLiveAtTheHostRoot(url: String, path: String) throws {
        #expect(try Endpoint(parsing: url).ollamaPath("chat") == path)
    }

    @Test func modelListsOfBothAPIs() throws {
        let tags = try JSONParser.parse(#"{"models":[{"name":"deepseek-r1:1.5b","model":"deepseek-r1:1.5b"},{"name":"llama3.2:latest"}]}"#)
        #expect(ModelList.names(in: tags, api: .ollama) == ["deepseek-r1:1.5b", "llama3.2:latest"])
        let models = try JSONParser.parse(#"{"data":[{"id":"m1"}]}"#)
        #expect(ModelList.names(in: models, api: .openai) == ["m1"])
    }

    @Test func aWrongServerForTheNativeAPIIsAnHTTPErrorWithAHint() async throws {
        let harness = try ollamaHarness(MockProfile()) { _ in }
        defer { harness.stop() }
        // The mock answers /api/chat; a base path under another prefix does not exist.
        let client = ChatClient(transport: harness.transport, endpoint: try Endpoint(parsing: "http://127.0.0.1:\(harness.server.port)/other"), defaults: harness.client.defaults)
        let result = await client.send(userPrompt("hi"), mode: .stream, index: 0, repetition: 0, scheduled: MonotonicClock.now(), runStart: MonotonicClock.now())
        #expect(result.outcome == .httpError)
        #expect(result.status == 404)
    }
}

@Suite struct MockPresetTests {
    @Test func presetsAndOverrides() throws {
        let vllm = try MockProfile.parse("vllm,ttft=100ms,chunk=4")
        #expect(vllm.preset == "vllm")
        #expect(vllm.timeToFirstToken == 100_000_000)
        #expect(vllm.tokensPerChunk == 4)
        #expect(vllm.reasoningFormat == .reasoningContent && vllm.reportsReasoningTokens)
        #expect(try MockProfile.parse("ollama").loadTime == 1_000_000_000)
        #expect(try MockProfile.parse("ollama,think=tags").reasoningFormat == .tags)
        #expect(try MockProfile.parse("llamacpp").sendsUsage == false)
        #expect(try MockProfile.parse("buffered").buffered)
        // The description reads back as the same profile.
        #expect(try MockProfile.parse(vllm.description) == vllm)
    }

    @Test(arguments: [
        ("sglang", "unknown preset \"sglang\""), ("ttft=1ms,vllm", "expected key=value"),
        ("think=xml", "bad value \"xml\" for think"), ("chunk=0", "bad value \"0\" for chunk"),
    ])
    func badPresetsSayWhatIsKnown(text: String, message: String) {
        #expect(throws: MockProfileError.self) { try MockProfile.parse(text) }
        do {
            _ = try MockProfile.parse(text)
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }
}

@Suite struct ReasoningCommandLineTests {
    @Test func unknownOllamaModelIsExitThreeWithTheNames() async throws {
        let (code, console) = await runCommand(["run", CommandLineTests.smokePath, "--mock=ollama,load=0", "--api", "ollama", "--model", "llama3.2"])
        #expect(code == .targetUnusable)
        #expect(console.err.contains("\"llama3.2\" is not served"), "\(console.err)")
        #expect(console.err.contains("available: deepseek-r1:1.5b"))
    }

    @Test func ollamaRunReportsServerTimingsAndReasoningRows() async throws {
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (code, console) = await runCommand([
            "run", CommandLineTests.smokePath, "--mock=ollama,ttft=2ms,itl=200us,load=0,reasoning=4", "--api", "ollama",
            "--model", "deepseek-r1:1.5b", "--think", "true", "--keep-alive", "5m", "--out", out,
        ])
        #expect(code == .success, "\(console.err)")
        for row in ["ttfc_ms", "reasoning_ms", "server_decode_tps", "server_gap_ms"] {
            #expect(console.out.contains(row), "\(row) missing:\n\(console.out)")
        }
        let results = try ResultsLog.read(path: out + "/results.jsonl")
        #expect(results.allSatisfy { $0.serverTotalMs != nil && $0.coldStart == false })
        let markdown = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
        #expect(markdown.contains("| ttfc_ms |"))
        let document = try SummaryDocument.decode(Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")))
        #expect(document.overall.serverDecodeTps.n == 5)
        #expect(document.manifest.options["api"] == "ollama")
    }

    @Test func llamacppRunNotesChunkEstimates() async throws {
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (code, console) = await runCommand(["run", CommandLineTests.smokePath, "--mock=llamacpp,ttft=1ms,itl=100us,tokens=8", "--out", out])
        #expect(code == .success, "\(console.err)")
        #expect(console.out.contains("note: completion_tokens estimated from chunks"))
        let results = try ResultsLog.read(path: out + "/results.jsonl")
        #expect(results.allSatisfy { $0.tokenSource == .chunks })
    }

    @Test func bufferedRunWarns() async throws {
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (code, console) = await runCommand(["run", CommandLineTests.smokePath, "--mock=buffered,ttft=100ms,itl=100us,tokens=10", "--concurrency", "5", "--out", out])
        #expect(code == .success, "\(console.err)")
        // Four of the five smoke answers have 8+ chunks; the arithmetic one is a single token, too short to judge.
        #expect(console.out.contains("warning: 4 stream(s) arrived in one burst"), "\(console.out)")
    }

    @Test(arguments: [
        (["run", "x.jsonl", "--api", "grpc"], "--api expects openai or ollama"),
        (["run", "x.jsonl", "--think", "true"], "add --api ollama"),
        (["run", "x.jsonl", "--api", "ollama", "--think", "maybe"], "--think expects"),
    ])
    func usageErrors(arguments: [String], message: String) async {
        let (code, console) = await runCommand(arguments)
        #expect(code == .usage)
        #expect(console.err.contains(message), "\(console.err)")
    }
}

@Suite struct ReasoningReportTests {
    @Test func everyNewFieldIsACSVColumn() throws {
        var r = RequestResult(id: "r", index: 0, repetition: 0, mode: .stream)
        r.fillReasoningAndServerFields()
        let object = try #require(JSONSerialization.jsonObject(with: Data(r.jsonLine().utf8)) as? [String: Any])
        // Arrays stay in results.jsonl only.
        #expect(Set(object.keys).subtracting(["itl_ms", "retried_attempts", "checks"]).subtracting(CSVReport.columns).isEmpty)
        let row = CSVReport.row(r)
        #expect(row.contains(",1.000,3.000,2,usage,1.000,false,4.000,5.000,6.000,7.000,8.000,9.000,10.000,true,hm,"))
    }
}

extension RequestResult {
    /// Sets every field this issue added, so column tests see them all.
    mutating func fillReasoningAndServerFields() {
        ttfcMs = 1; reasoning = "hm"; reasoningTokens = 2; reasoningTokenSource = .usage; reasoningMs = 3
        tokensPerChunk = 1; buffered = false; serverTotalMs = 4; serverLoadMs = 5; serverPrefillMs = 6
        serverDecodeMs = 7; serverPrefillTps = 8; serverDecodeTps = 9; serverGapMs = 10; coldStart = true
    }
}

@Suite struct ReasoningFieldTests {
    @Test func serversSendingBothFieldsCountOnce() throws {
        #expect(ChatResponseRecorder.reasoningText(try JSONParser.parse(#"{"reasoning_content":"a","reasoning":"a"}"#)) == "a")
        #expect(ChatResponseRecorder.reasoningText(try JSONParser.parse(#"{"reasoning_content":null,"reasoning":"b"}"#)) == "b")
        #expect(ChatResponseRecorder.reasoningText(try JSONParser.parse(#"{"reasoning_content":"","reasoning":"c"}"#)) == "c")
        #expect(ChatResponseRecorder.reasoningText(try JSONParser.parse(#"{"content":"x"}"#)) == nil)
    }
}

@Suite struct OllamaRecorderTests {
    static let stream = """
        {"model":"deepseek-r1:1.5b","message":{"role":"assistant","content":"<thi"},"done":false}
        {"model":"deepseek-r1:1.5b","message":{"role":"assistant","content":"nk>\\nPonder"},"done":false}
        {"model":"deepseek-r1:1.5b","message":{"role":"assistant","content":"ing.</th"},"done":false}
        {"model":"deepseek-r1:1.5b","message":{"role":"assistant","content":"ink>\\n\\n"},"done":false}
        {"model":"deepseek-r1:1.5b","message":{"role":"assistant","content":"四十二"},"done":false}
        {"model":"deepseek-r1:1.5b","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"total_duration":2000000000,"load_duration":1500000000,"prompt_eval_count":10,"prompt_eval_duration":100000000,"eval_count":5,"eval_duration":50000000}

        """

    /// Feeds `text` in pieces of `size` bytes, each stamped one millisecond later.
    private func record(_ text: String, pieceSize size: Int, complete: Bool = true) -> OllamaResponseRecorder {
        var recorder = OllamaResponseRecorder(streaming: true)
        recorder.receiveHead(HTTPResponseHead(status: 200, reason: "OK", headers: [("Content-Type", "application/x-ndjson")], version: "HTTP/1.1"), at: 0)
        let bytes = Array(text.utf8)
        var time: UInt64 = 0
        for start in stride(from: 0, to: bytes.count, by: size) {
            time += 1_000_000
            bytes[start..<min(start + size, bytes.count)].withUnsafeBytes { recorder.receiveBody($0, at: time) }
        }
        recorder.receiveEnd(complete ? .complete : .failed(TransportFailure(.connectionLost, "closed")), at: time + 1_000_000)
        return recorder
    }

    @Test(arguments: [1, 2, 3, 7, 64, 10_000])
    func splitAnywhereGivesTheSameRecord(pieceSize: Int) {
        let recorder = record(Self.stream, pieceSize: pieceSize)
        #expect(recorder.failure == nil)
        #expect(recorder.answer == "四十二")
        #expect(recorder.reasoning == "\nPondering.")
        #expect(recorder.chunks == 6)
        #expect(recorder.textChunks == 5)
        #expect(recorder.timeline.reasoningChunks == 4)
        #expect(recorder.finishReason == "stop")
        #expect(recorder.completionTokens == 5 && recorder.promptTokens == 10)
        #expect(recorder.serverTimings?.loadDuration == 1_500_000_000)
        #expect(recorder.doneAt != nil)
        if let first = recorder.firstTokenAt, let answer = recorder.timeline.firstAnswerAt { #expect(first <= answer) }
    }

    @Test func streamWithoutTheFinalObjectIsAProtocolError() {
        let lines = Self.stream.split(separator: "\n")
        let recorder = record(lines.dropLast().joined(separator: "\n") + "\n", pieceSize: 50)
        #expect(recorder.failure?.outcome == .protocolError)
        #expect(recorder.failure?.detail.contains("\"done\": true") == true)
    }

    @Test func errorObjectInTheStreamIsAnHTTPError() {
        let recorder = record(#"{"error":"model runner has unexpectedly stopped"}"# + "\n", pieceSize: 8)
        #expect(recorder.failure?.outcome == .httpError)
        #expect(recorder.failure?.detail.contains("unexpectedly stopped") == true)
    }
}
