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

    @Test func handWrittenChecksAreByteIdenticalToJSONEncoder() throws {
        var r = RequestResult(id: "c", index: 1, repetition: 0, mode: .stream)
        for checks in [[], [CheckResult(name: "regex", passed: true, reason: "answer matches /\\b42\\b/")],
                       [CheckResult(name: "contains", passed: false, reason: "no \"你好\" in\n\"x\" 😀 \u{1}"), CheckResult(name: "json", passed: true, reason: "")]] {
            r.checks = checks
            #expect(r.jsonLine() == (try encoderLine(r)))
        }
    }

    /// The scanner (fast path) must read exactly what the full parser reads, and take every line
    /// chatbench itself writes.
    func scanned(_ line: String) -> RequestResult? {
        Array(line.utf8).withUnsafeBytes { ResultLineScanner.record($0) }
    }

    @Test func scannerReadsWhatTheParserReads() throws {
        var emoji = everyField()
        emoji.answer = "你好 😀 \u{0} \u{1F} \"quoted\" \\ /slash/"
        emoji.reasoning = "\u{FFFF}\u{10FFFF}"
        var plain = RequestResult(id: "a", index: 0, repetition: 0, mode: .stream)
        plain.itlMs = [20.013457, 0.000123, 1e-7, 123456.789012345678, Double.leastNonzeroMagnitude, 0.1 + 0.2]
        for r in [everyField(), emoji, plain] {
            let line = r.jsonLine()
            let fast = try #require(scanned(line), "the scanner gave up on a line chatbench wrote: \(line)")
            let full = try RequestResult(jsonLine: try #require(try JSONParser.parse(line).objectValue))
            #expect(fast == full)
            #expect(fast.jsonLine() == line)
        }
    }

    @Test func scannedNumbersAreBitForBitThoseOfTheParser() throws {
        var random = SeededRandom(seed: 5)
        var r = RequestResult(id: "n", index: 0, repetition: 0, mode: .stream)
        for _ in 0..<200 {
            r.itlMs = (0..<200).map { _ in
                let bits = random.next()
                switch bits % 4 {
                case 0: return Double(bitPattern: bits >> 2 | 0x3F00_0000_0000_0000) // around 1
                case 1: return Double(bits % 100_000_000_000) / 1e6  // nanoseconds as milliseconds
                case 2: return Double(bits % 1000) / 7
                default: return Double(bitPattern: (bits >> 12) | 0x4000_0000_0000_0000) * 1e-9
                }
            }
            let fast = try #require(scanned(r.jsonLine()))
            #expect(fast.itlMs.map(\.bitPattern) == r.itlMs.map(\.bitPattern))
        }
    }

    @Test func scannerLeavesUnusualLinesToTheParser() throws {
        let line = everyField().jsonLine()
        // Malformed in a member the record does not know: still not JSON, so not a record.
        #expect(scanned("{\"zzz\":tru," + line.dropFirst()) == nil)
        #expect(scanned(String(line.dropLast())) == nil)
        #expect(scanned(line.replacingOccurrences(of: "\"index\":7", with: "\"index\":07")) == nil)
        #expect(scanned(line.replacingOccurrences(of: "\"answer\":\"", with: "\"answer\":\"\\ud800")) == nil)
        // Whitespace and an integer written as 7.0 are fine for the full parser; the result must match.
        let spaced = line.replacingOccurrences(of: "\"index\":7", with: "\"index\" : 7.0")
        let viaLog = try ResultsLogRoundTrip.read([spaced])
        #expect(viaLog == [try RequestResult(jsonLine: try #require(try JSONParser.parse(spaced).objectValue))])
    }
}

/// Writes lines to a temporary results.jsonl and reads them back through `ResultsLog`.
enum ResultsLogRoundTrip {
    static func read(_ lines: [String]) throws -> [RequestResult] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chatbench-lines-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try lines.map { $0 + "\n" }.joined().write(toFile: path, atomically: true, encoding: .utf8)
        return try ResultsLog.read(path: path)
    }
}
