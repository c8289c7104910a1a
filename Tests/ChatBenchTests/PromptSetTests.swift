import Foundation
import Testing
@testable import ChatBench

@Suite struct PromptSetTests {
    let path = "prompts/x.jsonl"

    func decode(_ text: String, skipInvalid: Bool = false) throws(PromptSetError) -> PromptSet {
        try PromptSet.decode(text: text, path: path, skipInvalid: skipInvalid)
    }

    /// The error lines of a set that must fail, as the user would see them.
    func errorLines(_ text: String) throws -> [String] {
        let error = try #require(throws: PromptSetError.self) { try decode(text) }
        guard case .invalidLines(let lines) = error else {
            Issue.record("expected invalidLines, got \(error)")
            return []
        }
        return lines.map(\.description)
    }

    @Test func promptShorthandBecomesUserMessageInPlace() throws {
        let set = try decode(#"{"model": "m", "prompt": "hi", "temperature": 0.70, "id": "a", "seed": 12345678901234567890}"#)
        let prompt = try #require(set.prompts.first)
        #expect(prompt.id == "a")
        #expect(prompt.line == 1)
        #expect(prompt.body.keys == ["model", "messages", "temperature", "seed"])
        #expect(prompt.body["messages"] == .array([.object(["role": .string("user"), "content": .string("hi")])]))
        #expect(prompt.body["temperature"] == .number("0.70"))
        #expect(prompt.body["seed"] == .number("12345678901234567890"))
        #expect(set.name == "x")
        #expect(set.path == path)
    }

    @Test func messagesFormForwardsEveryOtherFieldInOrder() throws {
        let line = #"{"stop": ["\n"], "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": [{"type": "text", "text": "t"}]}], "tags": ["a", "b"], "expect": {"contains": "x"}, "response_format": {"type": "json_object"}, "stream_options": {"include_usage": false}, "max_tokens": 8, "unknown_field": null}"#
        let prompt = try #require(try decode(line).prompts.first)
        #expect(prompt.body.keys == ["stop", "messages", "response_format", "stream_options", "max_tokens", "unknown_field"])
        #expect(prompt.tags == ["a", "b"])
        #expect(prompt.expect == ["contains": .string("x")])
        #expect(prompt.id == "1")
        #expect(prompt.body["stream_options"] == .object(["include_usage": .bool(false)]))
    }

    @Test func batchLineUsesBodyAsIsAndCustomID() throws {
        let line = #"{"custom_id": "batch-1", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "m", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 5}}"#
        let prompt = try #require(try decode(line).prompts.first)
        #expect(prompt.id == "batch-1")
        #expect(prompt.body.keys == ["model", "messages", "max_tokens"])
        #expect(prompt.body["model"] == .string("m"))
    }

    @Test func batchLineExplicitIDWinsOverCustomID() throws {
        let line = #"{"id": 7, "custom_id": "c", "body": {"messages": [{"role": "user", "content": "hi"}]}, "tags": ["t"]}"#
        let prompt = try #require(try decode(line).prompts.first)
        #expect(prompt.id == "7")
        #expect(prompt.tags == ["t"])
    }

    @Test func numericIDKeepsLiteral() throws {
        #expect(try decode(#"{"id": 1.50, "prompt": "x"}"#).prompts.first?.id == "1.50")
    }

    @Test func skipsCommentsBlankLinesAndHandlesCRLFAndBOM() throws {
        let text = "\u{FEFF}// header comment\r\n\r\n   # another comment\r\n{\"prompt\": \"a\"}\r\n  \t \r\n{\"prompt\": \"b\", \"id\": \"b\"}\r\n"
        let set = try decode(text)
        #expect(set.prompts.map(\.id) == ["4", "b"])
        #expect(set.prompts.map(\.line) == [4, 6])
        #expect(set.prompts[0].body["messages"]?.arrayValue?.first?["content"] == .string("a"))
        #expect(set.invalidLines.isEmpty)
    }

    @Test func sha256IsOverTheFileBytes() throws {
        let text = "{\"prompt\": \"abc\"}\n"
        #expect(try decode(text).sha256 == SHA256.hex(Array(text.utf8)))
    }

    @Test func syntaxErrorColumnCountsUnicodeScalars() throws {
        let text = "{\"prompt\": \"a\"}\n{\"prompt\": \"你好\" \"x\"}\n"
        #expect(try errorLines(text) == ["prompts/x.jsonl:2:17: expected ',' or '}' after object member"])
    }

    @Test func syntaxErrorMatchesDesignExample() throws {
        var lines = (1...16).map { #"{"id": "p\#($0)", "prompt": "p"}"# }
        lines.append(#"{"a"1}"#)
        #expect(try errorLines(lines.joined(separator: "\n")) == ["prompts/x.jsonl:17:5: expected ':' after object key"])
    }

    static let semanticErrors: [(line: String, expected: String)] = [
        (#"[1, 2]"#, "1:1: " + PromptSet.arrayFileMessage),
        (#"  "text""#, "1:3: expected a JSON object on each line, found a string"),
        (#"{"model": "m"}"#, #"1:1: line has neither "prompt" nor "messages""#),
        (#"{"prompt": "a", "messages": [{"role": "user", "content": "b"}]}"#, #"1:29: line has both "prompt" and "messages"; use one"#),
        (#"{"prompt": 5}"#, #"1:12: "prompt" must be a string"#),
        (#"{"messages": "hi"}"#, #"1:14: "messages" must be an array of message objects"#),
        (#"{"messages": []}"#, #"1:14: "messages" must not be empty"#),
        (#"{"messages": ["hi"]}"#, #"1:14: messages[0] must be an object"#),
        (#"{"messages": [{"content": "hi"}]}"#, #"1:14: messages[0] needs a string "role""#),
        (#"{"messages": [{"role": "user", "content": "a"}, {"role": "user"}]}"#, #"1:14: messages[1] needs a "content" (a string, an array or null)"#),
        (#"{"messages": [{"role": "user", "content": 3}]}"#, #"1:14: messages[0].content must be a string, an array or null"#),
        (#"{"prompt": "a", "tags": "zh"}"#, #"1:25: "tags" must be an array of strings"#),
        (#"{"prompt": "a", "tags": ["zh", 1]}"#, #"1:25: "tags" must be an array of strings"#),
        (#"{"prompt": "a", "expect": "42"}"#, #"1:27: "expect" must be an object"#),
        (#"{"prompt": "a", "id": true}"#, #"1:23: "id" must be a non-empty string or a number"#),
        (#"{"prompt": "a", "id": ""}"#, #"1:23: "id" must be a non-empty string or a number"#),
        (#"{"custom_id": "c", "method": "POST", "url": "/v1/embeddings", "body": {"messages": [{"role": "user", "content": "x"}]}}"#,
         #"1:45: "url" must be a chat completions path such as "/v1/chat/completions""#),
        (#"{"custom_id": "c", "method": "GET", "url": "/v1/chat/completions", "body": {"messages": [{"role": "user", "content": "x"}]}}"#,
         #"1:30: "method" must be "POST" on a Batch API line"#),
        (#"{"custom_id": "c", "body": {"model": "m"}}"#, #"1:28: "body" has no "messages""#),
        (#"{"custom_id": "c", "body": "x"}"#, #"1:28: "body" must be an object (the chat completions request body)"#),
        (#"{"custom_id": "c", "body": {"messages": []}}"#, #"1:28: "body.messages" must not be empty"#),
        (#"{"body": {"messages": [{"role": "user", "content": "x"}]}, "temperature": 0}"#,
         #"1:75: unexpected key "temperature" on a Batch API line; request fields belong inside "body""#),
    ]

    @Test(arguments: semanticErrors)
    func reportsSemanticErrorAtValue(_ testCase: (line: String, expected: String)) throws {
        #expect(try errorLines(testCase.line) == ["prompts/x.jsonl:" + testCase.expected])
    }

    @Test func toolCallMessageMayOmitContent() throws {
        let line = #"{"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "tool_calls": []}, {"role": "tool", "content": null}]}"#
        #expect(try decode(line).prompts.count == 1)
    }

    @Test func collectsEveryInvalidLineInOneError() throws {
        let text = """
            {"prompt": "ok"}
            {"prompt": 1}
            not json
            {"prompt": "also ok"}
            {"tags": []}
            """
        let error = try #require(throws: PromptSetError.self) { try decode(text) }
        #expect(error.description == """
            prompts/x.jsonl:2:12: "prompt" must be a string
            prompts/x.jsonl:3:1: invalid literal, expected 'null'
            prompts/x.jsonl:5:1: line has neither "prompt" nor "messages"
            """)
    }

    @Test func skipInvalidLoadsValidLinesAndKeepsTheRest() throws {
        let text = "{\"prompt\": \"ok\"}\n{\"prompt\": 1}\n{\"id\": \"b\", \"prompt\": \"fine\"}\n"
        let set = try decode(text, skipInvalid: true)
        #expect(set.prompts.map(\.id) == ["1", "b"])
        #expect(set.invalidLines == [PromptLineError(path: path, line: 2, column: 12, message: "\"prompt\" must be a string")])
    }

    @Test func skipInvalidWithNothingValidStillFails() throws {
        let error = try #require(throws: PromptSetError.self) { try decode("{\"prompt\": 1}\n", skipInvalid: true) }
        #expect(error == .invalidLines([PromptLineError(path: path, line: 1, column: 12, message: "\"prompt\" must be a string")]))
    }

    @Test func duplicateIDIsAnErrorOnTheLaterLine() throws {
        let text = """
            // ids
            {"prompt": "a"}
            {"id": "x", "prompt": "b"}
            {"prompt": "c", "id": "x"}
            {"id": "2", "prompt": "d"}
            """
        #expect(try errorLines(text) == [
            #"prompts/x.jsonl:4:23: duplicate id "x" (first on line 3)"#,
            #"prompts/x.jsonl:5:8: duplicate id "2" (first on line 2)"#,
        ])
    }

    @Test func defaultIDCollidingWithExplicitIDSuggestsAnID() throws {
        let text = "{\"id\": \"2\", \"prompt\": \"a\"}\n{\"prompt\": \"b\"}\n"
        #expect(try errorLines(text) == [
            #"prompts/x.jsonl:2:1: duplicate id "2" (first on line 1); give this line an explicit "id""#,
        ])
    }

    @Test(arguments: ["", "\n\n", "// only a comment\n# and another\n", "\u{FEFF}"])
    func emptySetIsAnError(_ text: String) throws {
        let error = try #require(throws: PromptSetError.self) { try decode(text) }
        #expect(error == .empty(path))
    }

    @Test func unreadableFileIsAnError() throws {
        let missing = "/nonexistent-chatbench-dir/none.jsonl"
        let error = try #require(throws: PromptSetError.self) { try PromptSet.load(path: missing, skipInvalid: false) }
        #expect(error == .unreadable(missing, "no such file"))
        #expect(error.description == "cannot read prompt set \(missing): no such file")
    }

    @Test func fileStem() {
        #expect(PromptSet.fileStem("prompts/smoke.jsonl") == "smoke")
        #expect(PromptSet.fileStem("/a/b.c/set.v2.jsonl") == "set.v2")
        #expect(PromptSet.fileStem("noext") == "noext")
        #expect(PromptSet.fileStem(".hidden") == ".hidden")
    }

    @Test func loadsTheShippedSmokeSet() throws {
        let smokePath = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("prompts/smoke.jsonl").path
        let set = try PromptSet.load(path: smokePath, skipInvalid: false)
        #expect(set.name == "smoke")
        #expect(set.prompts.count >= 5)
        #expect(set.invalidLines.isEmpty)
        let contents = try #require(FileManager.default.contents(atPath: smokePath))
        #expect(set.sha256 == SHA256.hex([UInt8](contents)))
        let greeting = try #require(set.prompts.first { $0.id == "greet-zh" })
        #expect(greeting.tags == ["zh", "smoke"])
        #expect(greeting.body["max_tokens"] == .number("64"))
        let messages = try #require(greeting.body["messages"]?.arrayValue)
        #expect(messages.first?["content"] == .string("Always answer in Simplified Chinese."))
        #expect(messages.last?["content"] == .string("你好"))
        let sum = try #require(set.prompts.first { $0.id == "sum" })
        #expect(sum.expect?["regex"] == .string(#"\b42\b"#))
        #expect(set.prompts.contains { $0.body["max_tokens"] == .number("512") })
        #expect(set.prompts.contains { ($0.body["messages"]?.arrayValue?.count ?? 0) >= 4 })
    }
}
