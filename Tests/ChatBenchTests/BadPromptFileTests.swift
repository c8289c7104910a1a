import Foundation
import Testing

@testable import ChatBench
@testable import ChatBenchCLI

/// Hostile or careless prompt files: each is refused with FILE:LINE:COL, or accepted where harmless.
@Suite struct BadPromptFileTests {
    let path = "bad.jsonl"

    func errors(_ bytes: [UInt8]) -> [String] {
        do {
            _ = try PromptSet.decode(bytes: bytes, path: path, skipInvalid: false)
            Issue.record("expected the file to be refused")
            return []
        } catch {
            guard case .invalidLines(let lines) = error else { return ["\(error)"] }
            return lines.map(\.description)
        }
    }

    func errors(_ text: String) -> [String] { errors(Array(text.utf8)) }

    @Test func bomAndCRLFAreAccepted() throws {
        let set = try PromptSet.decode(bytes: [0xEF, 0xBB, 0xBF] + Array("{\"prompt\": \"a\"}\r\n{\"prompt\": \"b\"}\r\n".utf8), path: path, skipInvalid: false)
        #expect(set.prompts.map { $0.body["messages"]?.arrayValue?.first?["content"] } == [.string("a"), .string("b")])
    }

    @Test func emptyFileSaysWhatToWrite() {
        #expect(throws: PromptSetError.empty(path)) { try PromptSet.decode(bytes: [], path: path, skipInvalid: false) }
        #expect(PromptSetError.empty(path).description.contains("one JSON object per line"))
    }

    @Test func hugeLineIsAccepted() throws {
        let text = String(repeating: "很长的问题 ", count: 60_000)  // about 1 MB on one line
        let set = try PromptSet.decode(text: "{\"prompt\": \"\(text)\"}\n", path: path, skipInvalid: false)
        #expect(set.prompts[0].body["messages"]?.arrayValue?.first?["content"]?.stringValue?.count == text.count)
    }

    @Test func invalidUTF8PointsAtTheByte() {
        // Column 13 counts the characters before the bad byte: `{"prompt": "` and `é`.
        let bytes = Array("{\"prompt\": \"é".utf8) + [0xFF] + Array("\"}\n".utf8)
        #expect(errors(Array("{\"prompt\": \"ok\"}\n".utf8) + bytes) == ["bad.jsonl:2:14: invalid UTF-8 (byte 0xFF); save the file as UTF-8"])
        // A lone surrogate encoded in UTF-8 (CESU) is not UTF-8 either.
        #expect(errors([0x7B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D]).first?.hasPrefix("bad.jsonl:1:3: invalid UTF-8") == true)
    }

    @Test func jsonArrayFileGetsOneErrorWithTheFix() {
        let pretty = "[\n  {\"prompt\": \"a\"},\n  {\"prompt\": \"b\"}\n]\n"
        #expect(errors(pretty) == ["bad.jsonl:1:1: " + PromptSet.arrayFileMessage])
        #expect(errors("// a comment first\n  [{\"prompt\": \"a\"}]\n") == ["bad.jsonl:2:3: " + PromptSet.arrayFileMessage])
    }

    static let wrongTypes: [(line: String, expected: String)] = [
        (#"{"prompt": "a", "max_tokens": "ten"}"#, #"1:31: "max_tokens" must be a positive integer, got "ten""#),
        (#"{"prompt": "a", "max_tokens": 0}"#, #"1:31: "max_tokens" must be a positive integer, got 0"#),
        (#"{"prompt": "a", "max_tokens": 1.5}"#, #"1:31: "max_tokens" must be a positive integer, got 1.5"#),
        (#"{"prompt": "a", "temperature": "hot"}"#, #"1:32: "temperature" must be a number, got "hot""#),
        (#"{"prompt": "a", "top_p": null}"#, #"1:26: "top_p" must be a number, got null"#),
        (#"{"prompt": "a", "seed": 1e3}"#, #"1:25: "seed" must be an integer, got 1e3"#),
        (#"{"prompt": "a", "stream": "yes"}"#, #"1:27: "stream" must be true or false, got "yes""#),
        (#"{"prompt": "a", "stop": [1]}"#, #"1:25: "stop" must be a string, an array of strings or null, got [1]"#),
        (#"{"prompt": "a", "model": 7}"#, #"1:26: "model" must be a string, got 7"#),
        (#"{"custom_id": "c", "body": {"messages": [{"role": "user", "content": "x"}], "max_tokens": "ten"}}"#,
         #"1:28: "body.max_tokens" must be a positive integer, got "ten""#),
        (#"{"messages": [{"role": "robot", "content": "x"}]}"#,
         #"1:14: messages[0].role "robot" is not one of system, developer, user, assistant, tool, function"#),
        (#"{"messages": []}"#, #"1:14: "messages" must not be empty"#),
    ]

    @Test(arguments: wrongTypes)
    func wrongTypeIsReportedAtTheValue(_ row: (line: String, expected: String)) {
        #expect(errors(row.line) == ["bad.jsonl:" + row.expected])
    }

    @Test func goodTypesAndUnknownFieldsPass() throws {
        let line = #"{"prompt": "a", "max_tokens": 8, "temperature": 0, "top_p": 0.9, "seed": -1, "stop": ["\n"], "stream": true, "my_server_option": {"x": 1}}"#
        #expect(try PromptSet.decode(text: line, path: path, skipInvalid: false).prompts.count == 1)
    }

    @Test func commandLineReportsTheLineAndSendsNothing() async throws {
        let file = try writeTemporary("{\"prompt\": \"a\", \"max_tokens\": \"ten\"}\n")
        let (code, console) = await runCommand(["run", file, "--mock"])
        #expect(code == .usage)
        #expect(console.err.contains("\(file):1:31: \"max_tokens\" must be a positive integer"), "\(console.err)")
        #expect(!console.err.contains("mock server on"))
    }
}
