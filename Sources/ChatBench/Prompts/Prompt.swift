/// One request to make, decoded from a line of a JSONL prompt set.
public struct Prompt: Sendable, Equatable {
    /// `id`, else the Batch API `custom_id`, else the line number as text.
    public var id: String
    /// The OpenAI request body fields from the line, in order, except chatbench's own keys
    /// (`id`, `prompt`, `tags`, `expect`) — `messages` plus anything else (`temperature`,
    /// `stop`, `response_format`, ...) to be forwarded unchanged. `prompt` has already been
    /// turned into `messages: [{"role": "user", "content": ...}]`.
    public var body: JSONObject
    public var tags: [String]
    /// The line's `expect` object, kept for the checks.
    public var expect: JSONObject?
    /// Where the prompt came from, for messages: 1-based line number in the file.
    public var line: Int

    public init(id: String, body: JSONObject, tags: [String] = [], expect: JSONObject? = nil, line: Int) {
        self.id = id
        self.body = body
        self.tags = tags
        self.expect = expect
        self.line = line
    }
}
