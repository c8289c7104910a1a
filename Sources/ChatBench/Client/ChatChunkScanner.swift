#if canImport(Glibc)
import Glibc
#endif

/// The few fields of one ordinary OpenAI stream chunk that the recorder uses, read straight from
/// the event's bytes.
struct ChatChunkFields {
    var id: String?
    var finishReason: String?
    var content: String?
    var reasoningContent: String?
    var reasoning: String?
    /// The first choice has a `delta` member (of any value): only then does the recorder look at the text.
    var hasDelta = false
    /// Whole (non-streaming) responses: the first choice has a `message` member (of any value).
    var hasMessage = false
    /// Whole responses: `choices` is an array with at least one element.
    var hasChoice = false
    /// Whole responses: `usage.prompt_tokens`, `usage.completion_tokens` and
    /// `usage.completion_tokens_details.reasoning_tokens`, read as `JSONValue.intValue` would.
    var promptTokens: Int?
    var completionTokens: Int?
    var reasoningTokens: Int?
    /// Some string in the chunk has a byte above 0x7F (the only place JSON allows one), so its
    /// UTF-8 needs checking.
    var nonASCII = false
}

/// Reads `id`, `choices[0].finish_reason` and `choices[0].delta.{content, reasoning_content,
/// reasoning}` from a chunk without building a `JSONValue` tree: the recorder runs on the I/O
/// thread for every streamed event, and the tree (an array of members per object, a String per
/// key and number) was most of its cost.
///
/// It validates the whole document with the same RFC 8259 grammar as `JSONParser`, and answers
/// nil for anything it does not handle exactly like `JSONParser` + `JSONValue` lookups would:
/// malformed or deeply nested JSON, a top level that is not an object, an `error` member, a
/// non-null `usage`, escaped or repeated keys among those it reads. The caller then uses the
/// full parser, which also produces the error message.
enum ChatChunkScanner {
    static func scan(_ bytes: UnsafeRawBufferPointer) -> ChatChunkFields? {
        guard let base = bytes.baseAddress else { return nil }
        var scanner = Scanner(base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        return scanner.document()
    }

    /// The same for a whole non-streaming response: `choices[0].message` instead of `delta`,
    /// and an object `usage` is read too (`readUsage`'s three numbers).
    static func scanWholeResponse(_ bytes: UnsafeRawBufferPointer) -> ChatChunkFields? {
        guard let base = bytes.baseAddress else { return nil }
        var scanner = Scanner(base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        scanner.wholeResponse = true
        return scanner.document()
    }
}

private struct Scanner {
    let base: UnsafePointer<UInt8>
    let count: Int
    var index = 0
    var depth = 0
    var fields = ChatChunkFields()
    /// Reading a whole response rather than a stream chunk.
    var wholeResponse = false

    /// Well below `JSONParser.maximumDepth`: deeper documents go to the full parser.
    static let depthLimit = 64

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    mutating func skipWhitespace() {
        while index < count {
            switch base[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// The next byte after whitespace, or nil at the end.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < count ? base[index] : nil
    }

    mutating func document() -> ChatChunkFields? {
        guard peek() == UInt8(ascii: "{") else { return nil }
        var seen: UInt8 = 0
        let ok = members { scanner, key in
            switch key {
            case .id:
                guard seen & 1 == 0 else { return false }
                seen |= 1
                var text: String?
                guard scanner.stringOrOther(&text) else { return false }
                scanner.fields.id = text
                return true
            case .choices:
                guard seen & 2 == 0 else { return false }
                seen |= 2
                return scanner.choices()
            case .usage:
                guard seen & 4 == 0 else { return false }
                seen |= 4
                if scanner.wholeResponse {
                    return scanner.peek() == UInt8(ascii: "{") ? scanner.usage() : scanner.skipValue()
                }
                // Usage arrives once per stream; its numbers go through the full parser.
                guard scanner.peek() == UInt8(ascii: "n") else { return false }
                return scanner.skipValue()
            case .error, .escaped:
                return false
            default:
                return scanner.skipValue()
            }
        }
        guard ok else { return nil }
        skipWhitespace()
        return index == count ? fields : nil
    }

    /// `choices`: only the first element is read, as `json["choices"]?.arrayValue?.first` does.
    mutating func choices() -> Bool {
        guard peek() == UInt8(ascii: "[") else { return skipValue() }
        guard enter() else { return false }
        index += 1
        if peek() == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return true
        }
        var first = true
        fields.hasChoice = true
        while true {
            guard let next = peek(), next != UInt8(ascii: "]") else { return false }
            if first && next == UInt8(ascii: "{") {
                guard choice() else { return false }
            } else {
                guard skipValue() else { return false }
            }
            first = false
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return true
            default: return false
            }
        }
    }

    mutating func choice() -> Bool {
        var seen: UInt8 = 0
        return members { scanner, key in
            switch key {
            case .finishReason:
                guard seen & 1 == 0 else { return false }
                seen |= 1
                var text: String?
                guard scanner.stringOrOther(&text) else { return false }
                scanner.fields.finishReason = text
                return true
            case .delta where !scanner.wholeResponse:
                guard seen & 2 == 0 else { return false }
                seen |= 2
                scanner.fields.hasDelta = true
                return scanner.peek() == UInt8(ascii: "{") ? scanner.delta() : scanner.skipValue()
            case .message where scanner.wholeResponse:
                guard seen & 2 == 0 else { return false }
                seen |= 2
                scanner.fields.hasMessage = true
                return scanner.peek() == UInt8(ascii: "{") ? scanner.delta() : scanner.skipValue()
            case .escaped:
                return false
            default:
                return scanner.skipValue()
            }
        }
    }

    mutating func delta() -> Bool {
        var seen: UInt8 = 0
        return members { scanner, key in
            switch key {
            case .content:
                return scanner.readTextOnce(into: \.content, bit: 1, seen: &seen)
            case .reasoningContent:
                return scanner.readTextOnce(into: \.reasoningContent, bit: 2, seen: &seen)
            case .reasoning:
                return scanner.readTextOnce(into: \.reasoning, bit: 4, seen: &seen)
            case .escaped:
                return false
            default:
                return scanner.skipValue()
            }
        }
    }

    /// `usage` of a whole response: its numbers, read once each (a repeated key goes to the full parser).
    mutating func usage() -> Bool {
        var seen: UInt8 = 0
        return members { scanner, key in
            switch key {
            case .promptTokens:
                guard seen & 1 == 0 else { return false }
                seen |= 1
                return scanner.integer(into: \.promptTokens)
            case .completionTokens:
                guard seen & 2 == 0 else { return false }
                seen |= 2
                return scanner.integer(into: \.completionTokens)
            case .completionTokensDetails:
                guard seen & 4 == 0 else { return false }
                seen |= 4
                guard scanner.peek() == UInt8(ascii: "{") else { return scanner.skipValue() }
                var seenDetail = false
                return scanner.members { scanner, key in
                    switch key {
                    case .reasoningTokens:
                        guard !seenDetail else { return false }
                        seenDetail = true
                        return scanner.integer(into: \.reasoningTokens)
                    case .escaped:
                        return false
                    default:
                        return scanner.skipValue()
                    }
                }
            case .escaped:
                return false
            default:
                return scanner.skipValue()
            }
        }
    }

    /// A number is stored as `JSONValue.number(literal).intValue` would give it; any other value
    /// is skipped, leaving nil.
    mutating func integer(into field: WritableKeyPath<ChatChunkFields, Int?>) -> Bool {
        guard index < count, base[index] == UInt8(ascii: "-") || isDigit(base[index]) else { return skipValue() }
        let start = index
        guard number() else { return false }
        fields[keyPath: field] = JSONValue.number(String(decoding: UnsafeBufferPointer(start: base + start, count: index - start), as: UTF8.self)).intValue
        return true
    }

    /// The keys the recorder reads; `escaped` for a key with a backslash (it might decode to one).
    enum Key {
        case id, choices, usage, error, finishReason, delta, content, reasoningContent, reasoning, other, escaped
        case message, promptTokens, completionTokens, completionTokensDetails, reasoningTokens
    }

    /// Walks the members of the object at `index` (which is `{`), calling `member` with the
    /// scanner positioned at each value; false when anything is off.
    mutating func members(_ member: (inout Scanner, Key) -> Bool) -> Bool {
        guard enter() else { return false }
        index += 1
        if peek() == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return true
        }
        while true {
            guard peek() == Self.quote, let key = key() else { return false }
            guard peek() == UInt8(ascii: ":") else { return false }
            index += 1
            skipWhitespace()
            guard member(&self, key) else { return false }
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return true
            default: return false
            }
        }
    }

    /// `memcmp` against the literal: the generic `elementsEqual` over a String's UTF-8 view cost
    /// more than the rest of the key lookup.
    @inline(__always)
    static func equals(_ key: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        key.count == literal.utf8CodeUnitCount && memcmp(key.baseAddress!, literal.utf8Start, key.count) == 0
    }

    mutating func key() -> Key? {
        guard let (start, end, escaped) = stringBounds() else { return nil }
        if escaped { return .escaped }
        let key = UnsafeBufferPointer(start: base + start, count: end - start)
        switch key.count {
        case 2 where Self.equals(key, "id"): return .id
        case 7 where Self.equals(key, "choices"): return .choices
        case 5 where Self.equals(key, "usage"): return .usage
        case 5 where Self.equals(key, "error"): return .error
        case 13 where Self.equals(key, "finish_reason"): return .finishReason
        case 5 where Self.equals(key, "delta"): return .delta
        case 7 where Self.equals(key, "content"): return .content
        case 17 where Self.equals(key, "reasoning_content"): return .reasoningContent
        case 9 where Self.equals(key, "reasoning"): return .reasoning
        case 7 where Self.equals(key, "message"): return .message
        case 13 where Self.equals(key, "prompt_tokens"): return .promptTokens
        case 17 where Self.equals(key, "completion_tokens"): return .completionTokens
        case 25 where Self.equals(key, "completion_tokens_details"): return .completionTokensDetails
        case 16 where Self.equals(key, "reasoning_tokens"): return .reasoningTokens
        default: return .other
        }
    }

    /// A string value is passed to `store` (decoded exactly as `JSONParser` would); any other
    /// value is skipped, leaving the field nil, as `stringValue` would.
    /// Reads a delta's text member into `field`; a repeated key sends the chunk to the full parser.
    mutating func readTextOnce(into field: WritableKeyPath<ChatChunkFields, String?>, bit: UInt8, seen: inout UInt8) -> Bool {
        guard seen & bit == 0 else { return false }
        seen |= bit
        var text: String?
        guard stringOrOther(&text) else { return false }
        fields[keyPath: field] = text
        return true
    }

    mutating func stringOrOther(_ text: inout String?) -> Bool {
        guard index < count, base[index] == Self.quote else { return skipValue() }
        let quoteAt = index
        guard let (start, end, escaped) = stringBounds() else { return false }
        if escaped {
            let literal = UnsafeRawBufferPointer(start: base + quoteAt, count: index - quoteAt)
            guard let decoded = (try? JSONParser.parse(literal))?.stringValue else { return false }
            text = decoded
        } else {
            text = (String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self))
        }
        return true
    }

    /// Expects `index` at an opening quote; leaves it after the closing one. Validates escapes
    /// and rejects raw control characters, as `JSONParser` does.
    mutating func stringBounds() -> (start: Int, end: Int, escaped: Bool)? {
        index += 1
        let start = index
        var escaped = false
        while index < count {
            let byte = base[index]
            if byte == Self.quote {
                index += 1
                return (start, index - 1, escaped)
            }
            if byte < 0x20 { return nil }
            if byte >= 0x80 { fields.nonASCII = true }
            if byte == Self.backslash {
                escaped = true
                index += 1
                guard index < count else { return nil }
                switch base[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 1
                case UInt8(ascii: "u"):
                    guard index + 4 < count else { return nil }
                    for offset in 1...4 where !Self.isHex(base[index + offset]) { return nil }
                    index += 5
                default:
                    return nil
                }
                continue
            }
            index += 1
        }
        return nil
    }

    static func isHex(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): true
        default: false
        }
    }

    mutating func enter() -> Bool {
        depth += 1
        return depth <= Self.depthLimit
    }

    /// Skips one value at `index`, validating it.
    mutating func skipValue() -> Bool {
        guard index < count else { return false }
        switch base[index] {
        case Self.quote: return stringBounds() != nil
        case UInt8(ascii: "{"): return members { scanner, _ in scanner.skipValue() }
        case UInt8(ascii: "["): return skipArray()
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
        default: return false
        }
    }

    mutating func skipArray() -> Bool {
        guard enter() else { return false }
        index += 1
        if peek() == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return true
        }
        while true {
            guard let next = peek(), next != UInt8(ascii: "]"), skipValue() else { return false }
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return true
            default: return false
            }
        }
    }

    mutating func literal(_ text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        guard index + length <= count else { return false }
        for offset in 0..<length where base[index + offset] != text.utf8Start[offset] { return false }
        index += length
        return true
    }

    func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    mutating func skipDigits() {
        while index < count, isDigit(base[index]) { index += 1 }
    }

    mutating func number() -> Bool {
        if base[index] == UInt8(ascii: "-") { index += 1 }
        guard index < count else { return false }
        switch base[index] {
        case UInt8(ascii: "0"):
            index += 1
            if index < count, isDigit(base[index]) { return false }
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            skipDigits()
        default:
            return false
        }
        if index < count, base[index] == UInt8(ascii: ".") {
            index += 1
            guard index < count, isDigit(base[index]) else { return false }
            skipDigits()
        }
        if index < count, base[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < count, base[index] == UInt8(ascii: "+") || base[index] == UInt8(ascii: "-") { index += 1 }
            guard index < count, isDigit(base[index]) else { return false }
            skipDigits()
        }
        return true
    }
}
