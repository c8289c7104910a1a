import Foundation
import Synchronization

/// One condition from a prompt line's `expect` object, checked against each request of that prompt.
public enum Assertion: Sendable, Equatable {
    /// The answer contains every one of the strings.
    case contains([String])
    /// The answer contains none of the strings.
    case notContains([String])
    /// The pattern (NSRegularExpression syntax) matches somewhere in the answer.
    case regex(String)
    /// The answer, without surrounding whitespace, is exactly this text.
    case equals(String)
    /// The answer parses as JSON (a surrounding Markdown code fence is allowed); when keys are
    /// given it must be an object holding every one of them.
    case json(requiredKeys: [String])
    case finishReason(String)
    /// Time to first token at most this many milliseconds (streaming requests only).
    case maxTTFT(Double)
    /// End-to-end time at most this many milliseconds.
    case maxLatency(Double)
    case minTokens(Int)
    case maxTokens(Int)

    /// Compiled patterns, shared by every request of a run: compiling one cost more than the rest
    /// of a request's checks (each request of a prompt with a `regex` compiled it twice).
    private static let compiled = Mutex<[String: NSRegularExpression]>([:])

    /// The compiled pattern, or nil when it is not a valid regular expression.
    static func expression(_ pattern: String) -> NSRegularExpression? {
        if let expression = compiled.withLock({ $0[pattern] }) { return expression }
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return nil }
        compiled.withLock { $0[pattern] = expression }
        return expression
    }

    /// The `expect` option that makes text assertions include the reasoning text.
    public static let includeReasoningKey = "include_reasoning"

    /// The `expect` keys, in the order their checks are reported.
    public static let knownKeys = [
        "contains", "not_contains", "regex", "equals", "json", "finish_reason", "max_ttft_ms", "max_latency_ms",
        "min_tokens", "max_tokens",
    ]

    /// The key this assertion was written with: its check's name.
    public var name: String {
        switch self {
        case .contains: "contains"
        case .notContains: "not_contains"
        case .regex: "regex"
        case .equals: "equals"
        case .json: "json"
        case .finishReason: "finish_reason"
        case .maxTTFT: "max_ttft_ms"
        case .maxLatency: "max_latency_ms"
        case .minTokens: "min_tokens"
        case .maxTokens: "max_tokens"
        }
    }

    /// Reads an `expect` object; every problem is an error naming the key and what to write instead.
    public static func parse(expect: JSONObject) throws(AssertionError) -> [Assertion] {
        var assertions: [Assertion] = []
        for (key, value) in expect.members {
            switch key {
            case Self.includeReasoningKey:
                // An option, not an assertion: see `checks(for:result:)`.
                guard value.boolValue != nil else { throw AssertionError(key: key, message: "expects true or false") }
            case "contains": assertions.append(.contains(try strings(value, key)))
            case "not_contains": assertions.append(.notContains(try strings(value, key)))
            case "regex":
                guard let pattern = value.stringValue else { throw AssertionError(key: key, message: "expects a string pattern") }
                guard expression(pattern) != nil else {
                    throw AssertionError(key: key, message: "\(pattern.debugDescription) is not a valid regular expression")
                }
                assertions.append(.regex(pattern))
            case "equals":
                guard let text = value.stringValue else { throw AssertionError(key: key, message: "expects a string") }
                assertions.append(.equals(text))
            case "json":
                assertions.append(.json(requiredKeys: try jsonKeys(value)))
            case "finish_reason":
                guard let reason = value.stringValue else { throw AssertionError(key: key, message: "expects a string such as \"stop\"") }
                assertions.append(.finishReason(reason))
            case "max_ttft_ms", "max_latency_ms":
                guard let limit = value.doubleValue, limit.isFinite, limit >= 0 else {
                    throw AssertionError(key: key, message: "expects a number of milliseconds")
                }
                assertions.append(key == "max_ttft_ms" ? .maxTTFT(limit) : .maxLatency(limit))
            case "min_tokens", "max_tokens":
                guard let count = value.intValue, count >= 0 else { throw AssertionError(key: key, message: "expects a whole number of tokens") }
                assertions.append(key == "min_tokens" ? .minTokens(count) : .maxTokens(count))
            default:
                throw AssertionError(key: key, message: "is not a known assertion; known: \(knownKeys.joined(separator: ", "))")
            }
        }
        return assertions
    }

    private static func strings(_ value: JSONValue, _ key: String) throws(AssertionError) -> [String] {
        if let text = value.stringValue { return [text] }
        if let items = value.arrayValue, !items.isEmpty {
            let texts = items.compactMap(\.stringValue)
            if texts.count == items.count { return texts }
        }
        throw AssertionError(key: key, message: "expects a string or a non-empty list of strings")
    }

    private static func jsonKeys(_ value: JSONValue) throws(AssertionError) -> [String] {
        if value.boolValue == true { return [] }
        if value.arrayValue != nil { return try strings(value, "json") }
        if let object = value.objectValue, object.keys == ["required"], let required = object["required"] {
            return try strings(required, "json.required")
        }
        throw AssertionError(key: "json", message: "expects true, a list of required keys, or {\"required\": [keys]}")
    }

    /// Checks one request. A request that failed fails every assertion, with its error as the reason.
    public func evaluate(_ result: RequestResult) -> CheckResult {
        guard result.outcome == .ok else {
            var reason = "request failed: \(result.outcome.rawValue)"
            if let error = result.error, !error.isEmpty { reason += ": \(error)" }
            return CheckResult(name: name, passed: false, reason: reason)
        }
        let answer = result.answer
        let (passed, reason): (Bool, String)
        switch self {
        case .contains(let needles):
            let missing = needles.filter { !answer.contains($0) }
            passed = missing.isEmpty
            reason = passed
                ? "answer contains \(Self.list(needles))"
                : "expected to contain \(Self.list(missing)), answer was \(Self.excerpt(answer))"
        case .notContains(let needles):
            let found = needles.filter { answer.contains($0) }
            passed = found.isEmpty
            reason = passed
                ? "answer does not contain \(Self.list(needles))"
                : "expected not to contain \(Self.list(found)), answer was \(Self.excerpt(answer))"
        case .regex(let pattern):
            let matched = Self.expression(pattern).map { expression in
                expression.firstMatch(in: answer, range: NSRange(answer.startIndex..., in: answer)) != nil
            } ?? false
            passed = matched
            reason = passed
                ? "answer matches /\(pattern)/"
                : "expected to match /\(pattern)/, answer was \(Self.excerpt(answer))"
        case .equals(let expected):
            let trimmed = answer.trimmingCharacters(in: .whitespacesAndNewlines)
            passed = trimmed == expected.trimmingCharacters(in: .whitespacesAndNewlines)
            reason = passed
                ? "answer equals \(expected.debugDescription)"
                : "expected to equal \(expected.debugDescription), answer was \(Self.excerpt(answer))"
        case .json(let keys):
            (passed, reason) = Self.checkJSON(answer, requiredKeys: keys)
        case .finishReason(let expected):
            passed = result.finishReason == expected
            reason = passed ? "finish_reason is \(expected)" : "expected finish_reason \(expected), got \(result.finishReason)"
        case .maxTTFT(let limit):
            guard let ttft = result.ttftMs else {
                return CheckResult(name: name, passed: false, reason: "expected ttft ≤ \(Self.number(limit)) ms, but no token arrived")
            }
            passed = ttft <= limit
            reason = "ttft \(Self.number(ttft)) ms, limit \(Self.number(limit)) ms"
        case .maxLatency(let limit):
            guard let e2e = result.e2eMs else {
                return CheckResult(name: name, passed: false, reason: "expected e2e ≤ \(Self.number(limit)) ms, but the request has no end time")
            }
            passed = e2e <= limit
            reason = "e2e \(Self.number(e2e)) ms, limit \(Self.number(limit)) ms"
        case .minTokens(let minimum):
            let tokens = result.completionTokens ?? 0
            passed = tokens >= minimum
            reason = "\(tokens) completion tokens, minimum \(minimum)"
        case .maxTokens(let maximum):
            let tokens = result.completionTokens ?? 0
            passed = tokens <= maximum
            reason = "\(tokens) completion tokens, maximum \(maximum)"
        }
        return CheckResult(name: name, passed: passed, reason: reason)
    }

    /// Whether this assertion means anything for a request in `mode`: non-streaming requests have no TTFT.
    public func applies(to mode: RequestMode) -> Bool {
        if case .maxTTFT = self { return mode == .stream }
        return true
    }

    private static func checkJSON(_ answer: String, requiredKeys: [String]) -> (Bool, String) {
        var text = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        // Models often wrap JSON in a Markdown fence even when told not to; the JSON is still right.
        if text.hasPrefix("```"), text.hasSuffix("```"), text.count >= 6 {
            text = String(text.dropFirst(3).dropLast(3))
            if let newline = text.firstIndex(of: "\n") { text = String(text[text.index(after: newline)...]) }
            text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            return (false, "expected JSON, but it does not parse (\(error)): \(excerpt(answer))")
        }
        guard !requiredKeys.isEmpty else { return (true, "answer is valid JSON") }
        guard let object = value.objectValue else {
            return (false, "expected a JSON object with keys \(list(requiredKeys)), answer was \(excerpt(answer))")
        }
        let missing = requiredKeys.filter { object[$0] == nil }
        if missing.isEmpty { return (true, "answer is a JSON object with keys \(list(requiredKeys))") }
        return (false, "expected JSON keys \(list(missing)), object has \(object.keys.isEmpty ? "none" : list(object.keys))")
    }

    static func list(_ texts: [String]) -> String {
        texts.map(\.debugDescription).joined(separator: ", ")
    }

    /// The answer in quotes, cut to a readable length for a reason line.
    static func excerpt(_ answer: String, limit: Int = 80) -> String {
        if answer.isEmpty { return "empty" }
        let flat = answer.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= limit ? flat.debugDescription : String(flat.prefix(limit)).debugDescription + " …"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.1f", value)
    }
}

/// An `expect` object that cannot be read: the key and what is wrong with it.
public struct AssertionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var key: String
    public var message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "expect.\(key) \(message)" }
}

extension Assertion {
    /// The checks of one request of `prompt`; nil when the prompt has no `expect`. An `expect`
    /// that cannot be read (the CLI refuses those before the run) fails with the reason.
    public static func checks(for prompt: Prompt, result: RequestResult) -> [CheckResult]? {
        guard let expect = prompt.expect else { return nil }
        // Text assertions look at the answer alone; `"include_reasoning": true` makes them look at
        // the reasoning (thinking) followed by the answer.
        var checked = result
        if expect[Self.includeReasoningKey]?.boolValue == true, let reasoning = result.reasoning, !reasoning.isEmpty {
            checked.answer = reasoning + "\n" + result.answer
        }
        do {
            return try parse(expect: expect).filter { $0.applies(to: result.mode) }.map { $0.evaluate(checked) }
        } catch {
            return [CheckResult(name: "expect", passed: false, reason: error.description)]
        }
    }

    /// Every unreadable `expect` of a prompt set, as `PATH:LINE:1: expect.KEY ...` lines.
    public static func problems(in promptSet: PromptSet) -> [PromptLineError] {
        promptSet.prompts.compactMap { prompt -> PromptLineError? in
            guard let expect = prompt.expect else { return nil }
            do {
                _ = try parse(expect: expect)
                return nil
            } catch {
                return PromptLineError(path: promptSet.path, line: prompt.line, column: 1, message: "\(error)")
            }
        }
    }
}
