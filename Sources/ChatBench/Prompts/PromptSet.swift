import Foundation

/// The prompts of one JSONL file, with the file's digest so a report says exactly what was sent.
public struct PromptSet: Sendable {
    public var path: String
    /// The file name without its extension, e.g. `smoke` for `prompts/smoke.jsonl`.
    public var name: String
    /// SHA-256 of the file's bytes as read, in lowercase hex.
    public var sha256: String
    public var prompts: [Prompt]
    /// Lines skipped because `skipInvalid` was set; always empty otherwise.
    public var invalidLines: [PromptLineError]

    public init(path: String, name: String, sha256: String, prompts: [Prompt], invalidLines: [PromptLineError] = []) {
        self.path = path
        self.name = name
        self.sha256 = sha256
        self.prompts = prompts
        self.invalidLines = invalidLines
    }

    /// Reads and decodes the file at `path`; see `decode(bytes:path:skipInvalid:)` for the rules.
    public static func load(path: String, skipInvalid: Bool) throws(PromptSetError) -> PromptSet {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(path, "no such file")
        }
        if isDirectory.boolValue { throw .unreadable(path, "it is a directory, not a .jsonl file") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path, error.localizedDescription)
        }
        return try decode(bytes: [UInt8](data), path: path, skipInvalid: skipInvalid)
    }

    public static func decode(text: String, path: String, skipInvalid: Bool) throws(PromptSetError) -> PromptSet {
        try decode(bytes: Array(text.utf8), path: path, skipInvalid: skipInvalid)
    }

    /// Decodes JSONL: one object per line; blank, `//` and `#` lines skipped; CRLF and a leading
    /// BOM accepted. Without `skipInvalid` every bad line is reported together in one error.
    public static func decode(bytes: [UInt8], path: String, skipInvalid: Bool) throws(PromptSetError) -> PromptSet {
        var prompts: [Prompt] = []
        var invalid: [PromptLineError] = []
        var firstLineOfID: [String: Int] = [:]
        var seenContent = false

        bytes.withUnsafeBytes { buffer in
            var lineStart = 0
            if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { lineStart = 3 }
            var lineNumber = 1
            while lineStart <= buffer.count {
                var lineEnd = lineStart
                while lineEnd < buffer.count, buffer[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                let nextStart = lineEnd + 1
                if lineEnd > lineStart, buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                let line = UnsafeRawBufferPointer(rebasing: buffer[lineStart..<lineEnd])
                defer {
                    lineStart = nextStart
                    lineNumber += 1
                }
                if isSkippable(line) { continue }
                // A JSON array file (often pretty-printed) would otherwise fail on every line.
                if !seenContent, let bracket = firstByteColumn(line, is: UInt8(ascii: "[")) {
                    invalid.append(PromptLineError(path: path, line: lineNumber, column: bracket, message: Self.arrayFileMessage))
                    break
                }
                seenContent = true
                switch decodeLine(line, lineNumber: lineNumber) {
                case .failure(let problem):
                    invalid.append(PromptLineError(path: path, line: lineNumber, column: problem.column, message: problem.message))
                case .success(let decoded):
                    if let firstLine = firstLineOfID[decoded.prompt.id] {
                        let hint = decoded.idIsExplicit ? "" : "; give this line an explicit \"id\""
                        invalid.append(PromptLineError(
                            path: path, line: lineNumber, column: decoded.idColumn,
                            message: "duplicate id \"\(decoded.prompt.id)\" (first on line \(firstLine))\(hint)"))
                    } else {
                        firstLineOfID[decoded.prompt.id] = lineNumber
                        prompts.append(decoded.prompt)
                    }
                }
            }
        }

        if !invalid.isEmpty && (!skipInvalid || prompts.isEmpty) { throw .invalidLines(invalid) }
        if prompts.isEmpty { throw .empty(path) }
        return PromptSet(
            path: path, name: fileStem(path), sha256: SHA256.hex(bytes),
            prompts: prompts, invalidLines: invalid)
    }

    static func fileStem(_ path: String) -> String {
        let fileName = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
        guard let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex else { return fileName }
        return String(fileName[..<dot])
    }

    static let arrayFileMessage = "the file is a JSON array, but a prompt set is JSONL: one JSON object per line (convert it with: jq -c '.[]' FILE > FILE.jsonl)"

    /// The 1-based column of the line's first non-blank byte when it is `byte`.
    private static func firstByteColumn(_ line: UnsafeRawBufferPointer, is byte: UInt8) -> Int? {
        var index = 0
        while index < line.count, line[index] == 0x20 || line[index] == 0x09 { index += 1 }
        return index < line.count && line[index] == byte ? index + 1 : nil
    }

    private static func isSkippable(_ line: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index < line.count, line[index] == 0x20 || line[index] == 0x09 { index += 1 }
        if index == line.count { return true }
        if line[index] == UInt8(ascii: "#") { return true }
        return index + 1 < line.count && line[index] == UInt8(ascii: "/") && line[index + 1] == UInt8(ascii: "/")
    }

    private struct LineProblem: Error {
        var column: Int
        var message: String
    }

    private struct DecodedLine {
        var prompt: Prompt
        var idIsExplicit: Bool
        var idColumn: Int
    }

    private static let batchEnvelopeKeys: Set<String> = ["custom_id", "method", "url", "body", "id", "tags", "expect"]

    private static func decodeLine(_ line: UnsafeRawBufferPointer, lineNumber: Int) -> Result<DecodedLine, LineProblem> {
        if let bad = PromptFieldRules.firstInvalidUTF8(line) {
            return .failure(LineProblem(
                column: JSONParser.location(of: bad, in: line).column,
                message: "invalid UTF-8 (byte 0x\(String(line[bad], radix: 16, uppercase: true))); save the file as UTF-8"))
        }
        let object: JSONObject
        let valueOffsets: [Int]
        do {
            let parsed = try JSONParser.parseRecordingMemberOffsets(line)
            guard case .object(let parsedObject) = parsed.value else {
                var start = 0
                while start < line.count, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
                return .failure(LineProblem(
                    column: start + 1, message: "expected a JSON object on each line, found \(kind(of: parsed.value))"))
            }
            object = parsedObject
            valueOffsets = parsed.memberValueOffsets
        } catch {
            return .failure(LineProblem(column: error.column, message: error.message))
        }

        func column(of key: String) -> Int {
            guard let index = object.members.firstIndex(where: { $0.key == key }), index < valueOffsets.count else {
                return 1
            }
            return JSONParser.location(of: valueOffsets[index], in: line).column
        }
        func problem(_ key: String?, _ message: String) -> Result<DecodedLine, LineProblem> {
            .failure(LineProblem(column: key.map(column(of:)) ?? 1, message: message))
        }

        var id: String?
        var idKey = "id"
        if let value = object["id"] {
            guard let text = idText(value) else { return problem("id", "\"id\" must be a non-empty string or a number") }
            id = text
        }
        var tags: [String] = []
        if let value = object["tags"] {
            let strings = value.arrayValue?.compactMap(\.stringValue)
            guard let strings, strings.count == value.arrayValue?.count else {
                return problem("tags", "\"tags\" must be an array of strings")
            }
            tags = strings
        }
        var expect: JSONObject?
        if let value = object["expect"] {
            guard let expectObject = value.objectValue else { return problem("expect", "\"expect\" must be an object") }
            expect = expectObject
        }

        let hasPrompt = object["prompt"] != nil
        let hasMessages = object["messages"] != nil
        var body = JSONObject()

        if object["body"] != nil && !hasPrompt && !hasMessages {
            // OpenAI Batch API line: the envelope is ours to check, the body goes out as is.
            for member in object.members where !batchEnvelopeKeys.contains(member.key) {
                return problem(member.key, "unexpected key \"\(member.key)\" on a Batch API line; request fields belong inside \"body\"")
            }
            if let method = object["method"], method.stringValue?.uppercased() != "POST" {
                return problem("method", "\"method\" must be \"POST\" on a Batch API line")
            }
            if let url = object["url"] {
                let path = url.stringValue.map { String($0.prefix { $0 != "?" }) } ?? ""
                guard path.hasSuffix("/chat/completions") else {
                    return problem("url", "\"url\" must be a chat completions path such as \"/v1/chat/completions\"")
                }
            }
            if let customID = object["custom_id"] {
                guard let text = idText(customID) else { return problem("custom_id", "\"custom_id\" must be a non-empty string") }
                if id == nil {
                    id = text
                    idKey = "custom_id"
                }
            }
            guard let requestBody = object["body"]?.objectValue else {
                return problem("body", "\"body\" must be an object (the chat completions request body)")
            }
            guard let messages = requestBody["messages"] else {
                return problem("body", "\"body\" has no \"messages\"")
            }
            if let message = messagesProblem(messages, name: "body.messages") { return problem("body", message) }
            if let message = PromptFieldRules.typeProblem(in: requestBody, prefix: "body.") { return problem("body", message.text) }
            body = requestBody
        } else {
            if !hasPrompt && !hasMessages { return problem(nil, "line has neither \"prompt\" nor \"messages\"") }
            if hasPrompt && hasMessages {
                let later = column(of: "prompt") > column(of: "messages") ? "prompt" : "messages"
                return problem(later, "line has both \"prompt\" and \"messages\"; use one")
            }
            if let prompt = object["prompt"], prompt.stringValue == nil {
                return problem("prompt", "\"prompt\" must be a string")
            }
            if let messages = object["messages"], let message = messagesProblem(messages, name: "messages") {
                return problem("messages", message)
            }
            if let message = PromptFieldRules.typeProblem(in: object, prefix: "") { return problem(message.key, message.text) }
            for member in object.members {
                switch member.key {
                case "id", "tags", "expect": continue
                case "prompt":
                    let userMessage: JSONObject = ["role": .string("user"), "content": member.value]
                    body.members.append((key: "messages", value: .array([.object(userMessage)])))
                default:
                    body.members.append(member)
                }
            }
        }

        let prompt = Prompt(id: id ?? String(lineNumber), body: body, tags: tags, expect: expect, line: lineNumber)
        return .success(DecodedLine(prompt: prompt, idIsExplicit: id != nil, idColumn: id != nil ? column(of: idKey) : 1))
    }

    private static func idText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text) where !text.isEmpty: return text
        case .number(let text): return text
        default: return nil
        }
    }

    private static func messagesProblem(_ value: JSONValue, name: String) -> String? {
        guard let messages = value.arrayValue else { return "\"\(name)\" must be an array of message objects" }
        if messages.isEmpty { return "\"\(name)\" must not be empty" }
        for (index, message) in messages.enumerated() {
            guard let object = message.objectValue else { return "\(name)[\(index)] must be an object" }
            guard let role = object["role"]?.stringValue else { return "\(name)[\(index)] needs a string \"role\"" }
            if !PromptFieldRules.roles.contains(role) {
                return "\(name)[\(index)].role \(role.debugDescription) is not one of \(PromptFieldRules.roles.joined(separator: ", "))"
            }
            switch object["content"] {
            case .string?, .array?, .null?: continue
            case nil:
                if object["tool_calls"] != nil { continue }
                return "\(name)[\(index)] needs a \"content\" (a string, an array or null)"
            default:
                return "\(name)[\(index)].content must be a string, an array or null"
            }
        }
        return nil
    }

    private static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
