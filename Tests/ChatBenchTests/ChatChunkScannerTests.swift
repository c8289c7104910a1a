import Testing
@testable import ChatBench

/// The byte scanner must read exactly what the JSONValue path reads, or hand the chunk back.
@Suite struct ChatChunkScannerTests {
    func scan(_ text: String) -> ChatChunkFields? {
        Array(text.utf8).withUnsafeBytes { ChatChunkScanner.scan($0) }
    }

    /// What the tree path reads from the same document.
    func tree(_ text: String) -> (id: String?, finish: String?, content: String?, reasoningContent: String?, reasoning: String?, hasDelta: Bool) {
        let json = try! JSONParser.parse(text)
        let choice = json["choices"]?.arrayValue?.first
        let delta = choice?["delta"]
        return (json["id"]?.stringValue, choice?["finish_reason"]?.stringValue, delta?["content"]?.stringValue,
                delta?["reasoning_content"]?.stringValue, delta?["reasoning"]?.stringValue, delta != nil)
    }

    @Test(arguments: [
        #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}]}"#,
        #"{"id":"x","choices":[{"index":0,"delta":{"reasoning_content":"think","content":null},"finish_reason":null}]}"#,
        #"{"choices":[{"delta":{"reasoning":"a\nb \"q\" \u00e9 \ud83d\ude00"}}], "usage": null}"#,
        #"{"choices":[{"delta":{},"finish_reason":"stop"},{"delta":{"content":"second"}}]}"#,
        #"{"choices":[]}"#,
        #"{"choices":[1, {"delta":{"content":"no"}}]}"#,
        #"{"choices":{"delta":{"content":"not an array"}}}"#,
        #"{"choices":[{"delta":"text","finish_reason":3}]}"#,
        #" { "id" : 5 , "extra" : [ true , false , null , -1.5e+3 , { "k" : [ ] } ] , "choices" : [ { "delta" : { "content" : "x" } } ] } "#,
        #"{"choices":[{"delta":{"content":"é ü 中文"}}]}"#,
    ])
    func readsWhatTheTreeReads(_ text: String) throws {
        let fields = try #require(scan(text))
        let expected = tree(text)
        #expect(fields.id == expected.id)
        #expect(fields.finishReason == expected.finish)
        #expect(fields.content == expected.content)
        #expect(fields.reasoningContent == expected.reasoningContent)
        #expect(fields.reasoning == expected.reasoning)
        #expect(fields.hasDelta == expected.hasDelta)
    }

    @Test(arguments: [
        #"{"choices":[{"delta":{"content":"cut"#,
        #"{"choices":[{"delta":{"content":"x"}}]} trailing"#,
        #"{"choices":[{"delta":{"content":"x",}}]}"#,
        #"{"choices":[{"delta":{"content":"bad \q escape"}}]}"#,
        "{\"choices\":[{\"delta\":{\"content\":\"raw \u{01} control\"}}]}",
        #"{"error":{"message":"overloaded"}}"#,
        #"{"error":null,"choices":[]}"#,
        #"{"usage":{"prompt_tokens":3},"choices":[]}"#,
        #"{"choices":[{"delta":{"content":"a","content":"b"}}]}"#,
        #"{"choices":[{"delta":{"con\u0074ent":"escaped key"}}]}"#,
        #"["not an object"]"#,
        #"{"n": 01}"#,
        #"{"n": 1.}"#,
        #"{"n": tru}"#,
    ])
    func handsBackWhatItDoesNotHandle(_ text: String) {
        #expect(scan(text) == nil)
    }

    @Test func deepNestingGoesToTheFullParser() {
        let deep = #"{"x":"# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"
        #expect(scan(deep) == nil)
        #expect((try? JSONParser.parse(deep)) != nil)
    }
}
