/// The checks a prompt line's request fields get before anything is sent: the types of the
/// well-known OpenAI fields (a `"max_tokens": "ten"` would otherwise reach the server and fail
/// every request of a run), the message roles, and UTF-8. Unknown fields are still forwarded
/// unchanged: servers have their own extensions.
enum PromptFieldRules {
    static let roles = ["system", "developer", "user", "assistant", "tool", "function"]

    enum Kind {
        case positiveInteger, integer, number, boolean, string, object, array, stop
        var description: String {
            switch self {
            case .positiveInteger: "a positive integer"
            case .integer: "an integer"
            case .number: "a number"
            case .boolean: "true or false"
            case .string: "a string"
            case .object: "an object"
            case .array: "an array"
            case .stop: "a string, an array of strings or null"
            }
        }
    }

    static let fields: [(key: String, kind: Kind)] = [
        ("model", .string), ("max_tokens", .positiveInteger), ("max_completion_tokens", .positiveInteger), ("n", .positiveInteger),
        ("temperature", .number), ("top_p", .number), ("frequency_penalty", .number), ("presence_penalty", .number),
        ("seed", .integer), ("stream", .boolean), ("logprobs", .boolean), ("top_logprobs", .integer), ("stop", .stop),
        ("stream_options", .object), ("response_format", .object), ("metadata", .object), ("logit_bias", .object), ("tools", .array),
    ]

    /// The first well-known field of `object` with the wrong type: its key and a message.
    static func typeProblem(in object: JSONObject, prefix: String) -> (key: String, text: String)? {
        for (key, kind) in fields {
            guard let value = object[key], !matches(value, kind) else { continue }
            let shown = value.serialized()
            let literal = shown.count > 40 ? String(shown.prefix(40)) + "…" : shown
            return (key, "\"\(prefix)\(key)\" must be \(kind.description), got \(literal)")
        }
        return nil
    }

    static func matches(_ value: JSONValue, _ kind: Kind) -> Bool {
        switch (kind, value) {
        case (.positiveInteger, .number(let text)): return isInteger(text) && !text.hasPrefix("-") && text != "0"
        case (.integer, .number(let text)): return isInteger(text)
        case (.number, .number): return true
        case (.boolean, .bool): return true
        case (.string, .string): return true
        case (.object, .object): return true
        case (.array, .array): return true
        case (.stop, .string), (.stop, .null): return true
        case (.stop, .array(let items)): return items.allSatisfy { $0.stringValue != nil }
        default: return false
        }
    }

    private static func isInteger(_ text: String) -> Bool {
        !text.isEmpty && !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
    }

    /// Byte offset of the first byte that does not start or continue a valid UTF-8 sequence
    /// (overlong forms, surrogates and code points past U+10FFFF included); nil when valid.
    static func firstInvalidUTF8(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return index
            }
            guard index + length <= count else { return index }
            let second = bytes[index + 1]
            if second < low || second > high { return index }
            for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 { return index }
            index += length
        }
        return nil
    }
}
