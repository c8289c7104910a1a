import Foundation
import Testing

@testable import ChatBench

private func okResult(_ answer: String, id: String = "p", mode: RequestMode = .stream, index: Int = 0, repetition: Int = 0) -> RequestResult {
    var r = RequestResult(id: id, index: index, repetition: repetition, mode: mode)
    r.answer = answer
    r.outcome = .ok
    r.finishReason = "stop"
    r.ttftMs = 120
    r.e2eMs = 900
    r.completionTokens = 10
    return r
}

private func assertions(_ json: String) throws -> [Assertion] {
    let value = try JSONParser.parse(json)
    return try Assertion.parse(expect: try #require(value.objectValue))
}

@Suite struct AssertionTests {
    @Test(arguments: [
        (#"{"contains": "42"}"#, "The answer is 42.", true),
        (#"{"contains": "42"}"#, "The answer is 41.", false),
        (#"{"contains": ["The", "42"]}"#, "The answer is 42.", true),
        (#"{"contains": ["The", "43"]}"#, "The answer is 42.", false),
        (#"{"not_contains": "sorry"}"#, "The answer is 42.", true),
        (#"{"not_contains": ["x", "answer"]}"#, "The answer is 42.", false),
        (#"{"regex": "\\b42\\b"}"#, "The answer is 42.", true),
        (#"{"regex": "\\b42\\b"}"#, "The answer is 420.", false),
        (#"{"regex": "^你好"}"#, "你好，世界", true),
        (#"{"equals": "42"}"#, "  42\n", true),
        (#"{"equals": "42"}"#, "42.", false),
        (#"{"json": true}"#, #"{"a": 1}"#, true),
        (#"{"json": true}"#, "```json\n[1, 2]\n```", true),
        (#"{"json": true}"#, "{a: 1}", false),
        (#"{"json": ["name", "age"]}"#, #"{"name": "x", "age": 3}"#, true),
        (#"{"json": {"required": ["name", "age"]}}"#, #"{"name": "x"}"#, false),
        (#"{"json": ["name"]}"#, "[1]", false),
        (#"{"finish_reason": "stop"}"#, "x", true),
        (#"{"finish_reason": "length"}"#, "x", false),
        (#"{"max_ttft_ms": 200}"#, "x", true),
        (#"{"max_ttft_ms": 100}"#, "x", false),
        (#"{"max_latency_ms": 900}"#, "x", true),
        (#"{"max_latency_ms": 899.5}"#, "x", false),
        (#"{"min_tokens": 10}"#, "x", true),
        (#"{"min_tokens": 11}"#, "x", false),
        (#"{"max_tokens": 10}"#, "x", true),
        (#"{"max_tokens": 9}"#, "x", false),
    ])
    func eachKindPassesAndFails(expect: String, answer: String, passes: Bool) throws {
        let list = try assertions(expect)
        #expect(list.count == 1)
        let check = list[0].evaluate(okResult(answer))
        #expect(check.passed == passes, "\(expect) on \(answer.debugDescription): \(check.reason)")
        #expect(check.name == String(expect.dropFirst(2).prefix { $0 != "\"" }))
    }

    @Test func failureReasonQuotesWhatWasExpectedAndTheAnswer() throws {
        let check = try assertions(#"{"contains": "42"}"#)[0].evaluate(okResult("41 is my answer"))
        #expect(check.reason == #"expected to contain "42", answer was "41 is my answer""#)
        let long = try assertions(#"{"regex": "x"}"#)[0].evaluate(okResult(String(repeating: "a", count: 200)))
        #expect(long.reason.hasSuffix("\" …"))
    }

    @Test func aFailedRequestFailsEveryAssertionWithItsError() throws {
        var failed = okResult("")
        failed.outcome = .firstTokenTimeout
        failed.error = "no token within 5s"
        for assertion in try assertions(#"{"not_contains": "x", "max_tokens": 100}"#) {
            let check = assertion.evaluate(failed)
            #expect(!check.passed)
            #expect(check.reason == "request failed: first_token_timeout: no token within 5s")
        }
    }

    @Test func maxTTFTDoesNotApplyToNonStreamingRequests() throws {
        let prompt = Prompt(id: "p", body: [:], expect: ["max_ttft_ms": .int(10), "contains": .string("a")], line: 1)
        var result = okResult("a", mode: .nonStream)
        result.ttftMs = nil
        let checks = try #require(Assertion.checks(for: prompt, result: result))
        #expect(checks.map(\.name) == ["contains"])
        #expect(Assertion.checks(for: Prompt(id: "q", body: [:], line: 2), result: result) == nil)
    }

    @Test(arguments: [
        (#"{"contians": "x"}"#, "expect.contians is not a known assertion; known: contains"),
        (#"{"regex": "("}"#, "expect.regex \"(\" is not a valid regular expression"),
        (#"{"contains": 3}"#, "expect.contains expects a string or a non-empty list of strings"),
        (#"{"max_ttft_ms": "fast"}"#, "expect.max_ttft_ms expects a number of milliseconds"),
        (#"{"min_tokens": 1.5}"#, "expect.min_tokens expects a whole number"),
        (#"{"json": "yes"}"#, "expect.json expects true, a list of required keys"),
    ])
    func badExpectObjectsAreNamed(expect: String, message: String) throws {
        #expect {
            _ = try assertions(expect)
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    @Test func problemsPointAtThePromptLine() throws {
        let set = try PromptSet.decode(text: "{\"prompt\": \"a\"}\n{\"prompt\": \"b\", \"expect\": {\"regex\": \"[\"}}\n", path: "x.jsonl", skipInvalid: false)
        let problems = Assertion.problems(in: set)
        #expect(problems.map(\.description) == ["x.jsonl:2:1: expect.regex \"[\" is not a valid regular expression"])
    }

    @Test func passRateAggregatesRepetitionsPerPromptModeAndCheck() {
        func result(_ index: Int, _ repetition: Int, _ passed: Bool, mode: RequestMode = .stream) -> RequestResult {
            var r = okResult("x", mode: mode, index: index, repetition: repetition)
            r.checks = [CheckResult(name: "contains", passed: passed, reason: passed ? "ok" : "missing \(index)")]
            return r
        }
        // Four of five repetitions pass in stream mode; the one non-stream request fails.
        let results = [result(4, 2, false), result(0, 0, true), result(2, 1, true), result(6, 3, true), result(8, 4, true),
                       result(1, 0, false, mode: .nonStream)]
        let strict = AssertionOutcome.aggregate(results, passRate: 1)
        #expect(strict.count == 2)
        #expect(strict[0].mode == .stream && strict[0].passes == 4 && strict[0].total == 5 && !strict[0].passed)
        #expect(strict[0].reason == "passed 4 of 5; first failure: missing 4")
        #expect(strict[0].failedIndexes == [4])
        #expect(strict[1].mode == .nonStream && !strict[1].passed && strict[1].reason == "missing 1")
        let lenient = AssertionOutcome.aggregate(results, passRate: 0.8)
        #expect(lenient[0].passed)
        #expect(lenient[0].reason == "passed 4 of 5 (pass rate 80% required); first failure: missing 4")
        #expect(!AssertionOutcome.aggregate(results, passRate: 0.81)[0].passed)
        #expect(AssertionOutcome.meets(passes: 2, total: 3, rate: 2.0 / 3.0))
    }

    @Test func mockAnswersArithmeticRightOrWrongOnDemand() {
        #expect(MockArithmetic.answer(to: "What is 17 + 25? Answer with the number only.", wrong: false) == ["42"])
        #expect(MockArithmetic.answer(to: "what is 6 * 7", wrong: false) == ["42"])
        #expect(MockArithmetic.answer(to: "What is 50 - 8?", wrong: true) == ["43"])
        #expect(MockArithmetic.answer(to: "What is TCP?", wrong: false) == nil)
        #expect(MockArithmetic.answer(to: "Say hello", wrong: false) == nil)
    }
}

@Suite struct ReasoningAssertionTests {
    @Test func textAssertionsSeeTheAnswerUnlessAskedToIncludeTheReasoning() {
        var result = RequestResult(id: "r", index: 0, repetition: 0, mode: .stream)
        result.outcome = .ok
        result.answer = "The answer is 42."
        result.reasoning = "Let me add 17 and 25."
        let plain = Prompt(id: "r", body: [:], expect: ["contains": .string("17 and 25")], line: 1)
        #expect(Assertion.checks(for: plain, result: result)?.first?.passed == false)
        let withReasoning = Prompt(id: "r", body: [:], expect: ["contains": .string("17 and 25"), "include_reasoning": .bool(true)], line: 1)
        let checks = Assertion.checks(for: withReasoning, result: result)
        #expect(checks?.count == 1)
        #expect(checks?.first?.passed == true)
        let bad = Prompt(id: "r", body: [:], expect: ["include_reasoning": .string("yes")], line: 1)
        #expect(Assertion.checks(for: bad, result: result)?.first?.passed == false)
    }
}
