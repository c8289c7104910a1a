import Foundation
import Testing
@testable import ChatBench

/// results.jsonl is written and read by hand; it must stay byte-identical to JSONEncoder's lines
/// and read back into the same records, so old files and other tools keep working.
@Suite struct ResultJSONTests {
    func encoderLine(_ r: RequestResult) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(r), as: UTF8.self)
    }

    func everyField() -> RequestResult {
        var r = RequestResult(id: "p/1 \"x\"", index: 7, repetition: 2, mode: .nonStream)
        r.model = "m"
        r.startOffsetMs = 1e-7
        r.queueMs = 123456789.123
        r.connectMs = 0.1
        r.reusedConnection = true
        r.ttfbMs = 1e16
        r.ttftMs = -0.0
        r.lastTokenMs = 3.0000000000000004
        r.e2eMs = 100
        r.tpotMs = 1.7976931348623157e308
        r.itlMeanMs = 2.5
        r.itlMaxMs = 999999999999999
        r.itlMs = [0, 1, 0.5, 1e21, 12345678.12345679]
        r.chunks = 3
        r.textChunks = 2
        r.promptTokens = 4
        r.completionTokens = 5
        r.tokenSource = .chunks
        r.decodeTps = 1.5
        r.e2eTps = 2.5
        r.finishReason = "length"
        r.status = 429
        r.outcome = .httpError
        r.error = "tab\there \u{1} \u{7F} é \u{2028}"
        r.answer = "line\nline\r\\"
        r.temperature = 0
        r.checks = [CheckResult(name: "contains", passed: false, reason: "no \"x\"")]
        r.warmup = false
        r.sweepLevel = "concurrency=4"
        r.scheduledOffsetMs = 0.25
        r.ttftFromScheduledMs = 1
        r.e2eFromScheduledMs = 2
        r.clientLagMs = 0.001
        r.responseId = "chatcmpl-1"
        r.ttfcMs = 3
        r.reasoning = "hmm"
        r.reasoningTokens = 9
        r.reasoningTokenSource = .usage
        r.reasoningMs = 4
        r.tokensPerChunk = 1.25
        r.buffered = true
        r.serverTotalMs = 5
        r.serverLoadMs = 6
        r.serverPrefillMs = 7
        r.serverDecodeMs = 8
        r.serverPrefillTps = 9
        r.serverDecodeTps = 10
        r.serverGapMs = 11
        r.coldStart = false
        r.attempts = 2
        r.retriedAttempts = [AttemptRecord(outcome: .idleTimeout, status: nil, error: "slow", startOffsetMs: 1, e2eMs: 2.5, waitMs: 3)]
        return r
    }

    @Test func linesAreByteIdenticalToJSONEncoder() throws {
        let plain = RequestResult(id: "a", index: 0, repetition: 0, mode: .stream)
        for r in [everyField(), plain] {
            #expect(r.jsonLine() == (try encoderLine(r)))
        }
    }

    @Test func linesReadBackIntoTheSameRecord() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatbench-resultjson-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("results.jsonl").path
        let records = (0..<3000).map { n -> RequestResult in
            var r = n % 2 == 0 ? everyField() : RequestResult(id: "r\(n)", index: n, repetition: 0, mode: .stream)
            r.index = n
            return r
        }
        let log = try ResultsLog(path: path)
        for r in records { try log.append(r) }
        log.close()
        #expect(try ResultsLog.read(path: path) == records)
        let decoded = try JSONDecoder().decode(RequestResult.self, from: Data(everyField().jsonLine().utf8))
        #expect(decoded == everyField())
    }

    @Test func wrongTypesAndMissingFieldsAreNamed() throws {
        #expect(throws: ResultJSONError.self) { try RequestResult(jsonLine: ["id": .string("x")]) }
        var object = try #require(try JSONParser.parse(everyField().jsonLine()).objectValue)
        object["ttft_ms"] = .string("fast")
        do {
            _ = try RequestResult(jsonLine: object)
            Issue.record("a string ttft_ms was accepted")
        } catch {
            #expect(error.description == #"wrong type at "ttft_ms""#)
        }
    }
}
