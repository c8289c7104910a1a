import Foundation
import Testing
@testable import ChatBench

private func manifest(interrupted: Bool = false) -> RunManifest {
    RunManifest(toolVersion: "0.1.0", startedAt: "2025-01-02T03:04:05Z", targetURL: "http://localhost:11434/v1",
                model: "qwen3:0.6b", promptSetPath: "prompts.jsonl", promptSetSHA256: String(repeating: "ab", count: 32),
                promptCount: 2, modes: ["stream", "non-stream"], concurrency: 4, maxInFlight: 3, repeatCount: 1,
                requests: 3, options: ["timeout": "60s", "temperature": "0"],
                host: .init(hostname: "bench", os: "Linux", cpuCount: 2), interrupted: interrupted, mock: true)
}

private func fullResult() -> RequestResult {
    var r = RequestResult(id: "q,1", index: 2, repetition: 1, mode: .stream)
    r.model = "qwen3:0.6b"
    r.startOffsetMs = 12.5
    r.queueMs = 0.25
    r.connectMs = 1.0004
    r.reusedConnection = true
    r.ttfbMs = 100.1
    r.ttftMs = 201.3374
    r.lastTokenMs = 900
    r.e2eMs = 950.0006
    r.tpotMs = 7.1
    r.itlMeanMs = 7
    r.itlMaxMs = 30
    r.itlMs = [5, 7, 30]
    r.chunks = 101
    r.textChunks = 99
    r.promptTokens = 12
    r.completionTokens = 100
    r.tokenSource = .usage
    r.decodeTps = 142.857
    r.e2eTps = 105.26
    r.finishReason = "stop"
    r.status = 200
    r.outcome = .ok
    r.error = nil
    r.answer = "你好, \"world\"\nline2"
    return r
}

private func results() -> [RequestResult] {
    var failed = RequestResult(id: "q2", index: 1, repetition: 0, mode: .stream)
    failed.outcome = .httpError
    failed.status = 500
    failed.error = "server said: boom"
    failed.startOffsetMs = 5
    var plain = RequestResult(id: "q3", index: 0, repetition: 0, mode: .nonStream)
    plain.e2eMs = 400
    plain.completionTokens = 8
    plain.tokenSource = .chunks
    plain.finishReason = "length"
    return [fullResult(), failed, plain]
}

@Suite struct CSVReportTests {
    @Test func columnsMatchResultKeysExceptTheItlArray() throws {
        #expect(!CSVReport.columns.contains("itl_ms"))
        #expect(Array(CSVReport.columns.suffix(2)) == ["error", "answer"])
        #expect(Set(CSVReport.columns).count == CSVReport.columns.count)
        // Every scalar key that a result encodes must be a column.
        var r = fullResult()
        r.error = "e"
        r.warmup = true
        r.sweepLevel = "concurrency=2"
        r.scheduledOffsetMs = 12
        r.ttftFromScheduledMs = 201.5
        r.e2eFromScheduledMs = 950.2
        r.clientLagMs = 0.01
        r.responseId = "chatcmpl-1"
        r.fillReasoningAndServerFields()
        let object = try #require(JSONSerialization.jsonObject(with: Data(r.jsonLine().utf8)) as? [String: Any])
        #expect(Set(object.keys).subtracting(["itl_ms", "retried_attempts"]) == Set(CSVReport.columns))
    }

    @Test func exactRowWithQuoting() {
        let expected = "\"q,1\",2,1,stream,qwen3:0.6b,12.500,0.250,1.000,true,100.100,201.337,900.000,950.001,7.100,"
            // warmup false, six empty schedule/id fields, fifteen empty reasoning/server fields, one attempt, no error
            + "7.000,30.000,101,99,12,100,usage,142.857,105.260,stop,200,ok,false" + String(repeating: ",", count: 6 + 15)
            + ",1,,\"你好, \"\"world\"\"\nline2\"\r\n"
        #expect(CSVReport.row(fullResult()) == expected)
    }

    @Test func nilFieldsAreEmptyAndLinesEndInCRLF() {
        let r = RequestResult(id: "x", index: 0, repetition: 0, mode: .nonStream)
        let row = CSVReport.row(r)
        #expect(row == "x,0,0,non-stream,,0.000,0.000,,false,,,,,,,,0,0,,,,,,missing,,ok,false" + String(repeating: ",", count: 6 + 15) + ",1,,\r\n")
        #expect(row.split(separator: ",", omittingEmptySubsequences: false).count == CSVReport.columns.count)
        let all = CSVReport.render(results())
        #expect(all.hasPrefix(CSVReport.header()))
        #expect(CSVReport.header().hasPrefix("id,index,repetition,mode,"))
        #expect(CSVReport.header().hasSuffix("error,answer\r\n"))
    }

    @Test func quotesCarriageReturnAndQuotes() {
        #expect(CSVReport.quote("a\rb") == "\"a\rb\"")
        #expect(CSVReport.quote("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVReport.quote("中文") == "中文")
    }
}

@Suite struct SummaryJSONReportTests {
    @Test func deterministicAndDecodesBack() throws {
        let first = SummaryJSONReport.render(manifest: manifest(), results: results())
        let second = SummaryJSONReport.render(manifest: manifest(), results: results().reversed())
        #expect(first == second)
        let document = try SummaryDocument.decode(Data(first.utf8))
        #expect(document.schemaVersion == 1)
        #expect(document.manifest == manifest())
        #expect(document.modes.keys.sorted() == ["non-stream", "stream"])
        #expect(document.overall == Summary(results: results(), mode: nil))
        #expect(SummaryJSONReport.render(document) == first)
    }

    @Test func keysAreSnakeCaseAndNullsPresent() throws {
        let json = SummaryJSONReport.render(manifest: manifest(), results: results())
        #expect(json.contains(#""schema_version" : 1"#))
        #expect(json.contains(#""repeat" : 1"#))
        #expect(json.contains(#""target_url" : "http://localhost:11434/v1""#))
        #expect(json.contains(#""cpu_count" : 2"#))
        #expect(json.contains(#""output_tokens_per_s""#))
        // non-stream has no ttft: the distribution is there with null statistics.
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let modes = try #require(object["modes"] as? [String: Any])
        let nonStream = try #require(modes["non-stream"] as? [String: Any])
        let ttft = try #require(nonStream["ttft_ms"] as? [String: Any])
        #expect(ttft["n"] as? Int == 0)
        #expect(ttft["p99"] is NSNull)
    }

    @Test func onlyModesPresent() throws {
        let streamOnly = results().filter { $0.mode == .stream }
        let document = try SummaryDocument.decode(Data(SummaryJSONReport.render(manifest: manifest(), results: streamOnly).utf8))
        #expect(Array(document.modes.keys) == ["stream"])
    }
}

@Suite struct ConsoleReportTests {
    @Test func showsFiguresCountsAndNotes() throws {
        let text = ConsoleReport.render(manifest: manifest(), results: results(), outDir: "runs/x")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].contains("model qwen3:0.6b"))
        #expect(lines[0].contains("target http://localhost:11434/v1"))
        #expect(lines[0].contains("requests 2 ok / 1 failed"))
        // Run spans 0 ms .. 12.5 + 950.0006 ms.
        #expect(lines[0].contains("duration 1.0s"))
        #expect(text.contains("stream (2 requests)"))
        #expect(text.contains("non-stream (1 requests)"))
        let ttft = try #require(lines.first { $0.hasPrefix("ttft_ms") })
        // One ok stream sample: n 1, every percentile 201.3.
        #expect(ttft.split(separator: " ") == ["ttft_ms", "1", "201.3", "201.3", "201.3", "201.3", "201.3"])
        #expect(lines.contains { $0.hasPrefix("ttft_ms") && $0.hasSuffix("-") }) // non-stream
        #expect(text.contains("outcomes: ok 1, http_error 1"))
        #expect(text.contains("finish_reason: length 1"))
        #expect(text.contains("note: completion_tokens estimated from chunks (server sent no usage)"))
        #expect(text.hasSuffix("reports: runs/x\n"))
        #expect(!text.contains("\u{1B}"))
    }

    @Test func noNoteWhenUsageEverywhere() {
        let text = ConsoleReport.render(manifest: manifest(), results: [fullResult()], outDir: nil)
        #expect(!text.contains("estimated from chunks"))
        #expect(!text.contains("reports:"))
        #expect(text.contains("throughput: "))
    }
}

@Suite struct ResultsLogTests {
    private func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("chatbench-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func appendAndReadBack() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("results.jsonl").path
        let log = try ResultsLog(path: path)
        for r in results() { try log.append(r) }
        log.close()
        #expect(throws: ResultsLogError.closed(path: path)) { try log.append(fullResult()) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 3)
        #expect(try ResultsLog.read(path: path) == results())
        // Appending reopens without clobbering.
        let again = try ResultsLog(path: path)
        try again.append(fullResult())
        again.close()
        #expect(try ResultsLog.read(path: path).count == 4)
    }

    @Test func truncatedFinalLineIsSkippedAndReported() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("results.jsonl").path
        let whole = fullResult().jsonLine()
        let cut = String(whole.prefix(whole.count / 2))
        try (whole + "\n" + cut).write(toFile: path, atomically: false, encoding: .utf8)
        let contents = try ResultsLog.readDetailed(path: path)
        #expect(contents.results == [fullResult()])
        #expect(contents.truncatedLine == 2)
    }

    @Test func badLineInTheMiddleNamesItsNumber() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("results.jsonl").path
        let whole = fullResult().jsonLine()
        try (whole + "\n{\"id\": 1}\n" + whole + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        #expect {
            try ResultsLog.read(path: path)
        } throws: { error in
            guard case ResultsLogError.badLine(_, let line, _) = error else { return false }
            return line == 2
        }
    }

    @Test func jsonLineIsOneLine() {
        let line = fullResult().jsonLine()
        #expect(!line.contains("\n"))
        #expect(line.hasPrefix(#"{"answer":"#))
    }

    @Test func openFailureSaysWhere() {
        #expect(throws: ResultsLogError.self) { try ResultsLog(path: "/nonexistent-dir-chatbench/results.jsonl") }
    }
}
