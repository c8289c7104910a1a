import Testing

@testable import ChatBench

@Suite struct ThresholdTests {
    @Test(arguments: [
        ("ttft.p95<800ms", nil, Threshold.Subject.distribution(.ttft, .p95), Threshold.Comparison.less, 800.0),
        ("e2e.p50<=2s", nil, .distribution(.e2e, .p50), .lessOrEqual, 2000),
        ("error_rate<1%", nil, .errorRate, .less, 0.01),
        ("error_rate < 0.05", nil, .errorRate, .less, 0.05),
        ("decode_tps.p50>20", nil, .distribution(.decodeTps, .p50), .greater, 20),
        ("finish_reason.length<=5%", nil, .finishReason("length"), .lessOrEqual, 0.05),
        ("stream.ttft.p95<1s", RequestMode.stream, .distribution(.ttft, .p95), .less, 1000),
        ("non-stream.e2e.max >= .5s", .nonStream, .distribution(.e2e, .max), .greaterOrEqual, 500),
        ("ttft_ms.avg<250", nil, .distribution(.ttft, .mean), .less, 250),
        ("completion_tokens.n==10", nil, .distribution(.completionTokens, .n), .equal, 10),
        ("requests_per_s>=3.5", nil, .requestsPerS, .greaterOrEqual, 3.5),
        ("stream.output_tokens_per_s>100", .stream, .outputTokensPerS, .greater, 100),
        ("itl.p99<50", nil, .distribution(.itl, .p99), .less, 50),
        ("queue.p95<5ms", nil, .distribution(.queue, .p95), .less, 5),
    ] as [(String, RequestMode?, Threshold.Subject, Threshold.Comparison, Double)])
    func validExpressions(text: String, mode: RequestMode?, subject: Threshold.Subject, comparison: Threshold.Comparison, limit: Double) throws {
        let threshold = try Threshold.parse(text)
        #expect(threshold.mode == mode)
        #expect(threshold.subject == subject)
        #expect(threshold.comparison == comparison)
        #expect(abs(threshold.limit - limit) < 1e-12)
        #expect(threshold.expression == text)
    }

    /// The caret line marks exactly the bad part: (expression, caret line under it, message start).
    @Test(arguments: [
        ("ttfx.p95<800ms", "^^^^", "unknown metric \"ttfx\""),
        ("ttft.p96<800ms", "     ^^^", "unknown statistic \"p96\""),
        ("ttft<800ms", "    ^", "ttft needs a statistic"),
        ("ttft.p95<800kg", "            ^^", "unknown unit \"kg\" for ttft"),
        ("decode_tps.p50>20ms", "                 ^^", "decode_tps is not a duration"),
        ("error_rate<1ms", "            ^^", "unknown unit \"ms\" for a rate"),
        ("ttft.p95=800", "        ^", "unknown comparison \"=\""),
        ("ttft.p95 800", "         ^^^", "expected <, <=, >, >= or =="),
        ("ttft.p95<", "         ^", "expected a number after <"),
        ("ttft.p95", "        ^", "missing the comparison and limit"),
        ("error_rate.p95<1%", "           ^^^", "error_rate is a single figure"),
        ("finish_reason<5%", "^^^^^^^^^^^^^", "finish_reason needs a reason"),
        ("stream<1", "^^^^^^", "stream needs a metric after it"),
        ("ttft.p95<800ms and more", "               ^^^^^^^^", "unexpected text after the limit"),
        ("ttft.p95<8.0.0", "         ^^^^^", "\"8.0.0\" is not a number"),
        ("", "^", "empty threshold"),
        ("ttft.p95 < 1s $", "              ^", "unexpected \"$\""),
    ])
    func errorsPointAtTheBadPart(text: String, carets: String, message: String) {
        do {
            _ = try Threshold.parse(text)
            Issue.record("\(text.debugDescription) parsed")
        } catch {
            #expect(error.message.hasPrefix(message), "\(error.message)")
            #expect(error.pointer == "  \(text)\n  \(carets)", "\n\(error.pointer)")
            #expect(error.description.contains("metrics: ttft, ttfb, connect, e2e, tpot, itl, queue, decode_tps"))
            #expect(error.description.contains("finish_reason.REASON"))
        }
    }

    @Test func fileSkipsCommentsAndLocatesErrors() throws {
        let list = try Threshold.parseFile("# latency\nttft.p95<800ms\n\nerror_rate<1%\n", path: "t.txt")
        #expect(list.map(\.expression) == ["ttft.p95<800ms", "error_rate<1%"])
        #expect(throws: ThresholdError.self) { try Threshold.parseFile("ttft.p95<1s\nbogus<1\n", path: "t.txt") }
        do {
            _ = try Threshold.parseFile("ttft.p95<1s\nbogus<1\n", path: "t.txt")
        } catch {
            #expect(error.description.hasPrefix("t.txt:2: bad threshold: unknown metric \"bogus\""))
        }
    }

    static func results() -> [RequestResult] {
        var list: [RequestResult] = []
        for i in 0..<10 {
            var r = RequestResult(id: "p\(i)", index: i, repetition: 0, mode: i < 8 ? .stream : .nonStream)
            r.outcome = i == 9 ? .httpError : .ok
            r.ttftMs = i < 8 ? Double(100 + i * 10) : nil
            r.e2eMs = 1000
            r.startOffsetMs = Double(i) * 100
            r.completionTokens = 20
            r.finishReason = i == 0 ? "length" : "stop"
            list.append(r)
        }
        return list
    }

    @Test func evaluatesAgainstTheSummary() throws {
        let results = Self.results()
        func check(_ text: String) throws -> ThresholdResult { try Threshold.parse(text).evaluate(results) }
        // ttft over 100...170: p95 = 166.5.
        #expect(try check("ttft.p95<170ms").passed)
        #expect(try !check("ttft.p95<166ms").passed)
        #expect(try check("ttft.p95<166ms").reason == "ttft.p95 = 166.5ms, limit < 166ms")
        #expect(try check("error_rate<=10%").passed)
        #expect(try !check("error_rate<10%").passed)
        #expect(try check("non-stream.error_rate==50%").passed)
        #expect(try check("finish_reason.length<=12%").passed)  // 1 of the 9 ok requests
        #expect(try !check("finish_reason.length<11%").passed)    // 1/9 = 11.1%
        #expect(try check("stream.ttft.n==8").passed)
        #expect(try check("requests_per_s>5").passed)              // 10 requests over 1.9 s
        #expect(try !check("requests_per_s>5.3").passed)
        let empty = try check("non-stream.ttft.p50<1s")
        #expect(!empty.passed && empty.reason.hasPrefix("no samples of non-stream.ttft.p50"))
        let noMode = try Threshold.parse("stream.ttft.p50<1s").evaluate(results.filter { $0.mode == .nonStream })
        #expect(!noMode.passed && noMode.reason.hasPrefix("no stream requests in this run"))
    }
}
