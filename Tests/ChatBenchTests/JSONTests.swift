import Testing
@testable import ChatBench

@Suite struct JSONParserTests {
    @Test func parsesNestedDocumentKeepingKeyOrder() throws {
        let value = try JSONParser.parse(#" { "b": [1, -2.5e3, true, false, null], "a": {"x": "y"}, "c": {} } "#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["b", "a", "c"])
        #expect(value["b"] == .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]))
        #expect(value["a"]?["x"] == .string("y"))
        #expect(value["c"] == .object(JSONObject()))
    }

    @Test func parsesScalarsAtTopLevel() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse(" \"s\" ") == .string("s"))
        #expect(try JSONParser.parse("0") == .number("0"))
        #expect(try JSONParser.parse("[]") == .array([]))
        #expect(try JSONParser.parse([UInt8]("true".utf8)) == .bool(true))
    }

    @Test(arguments: ["12345678901234567890123", "-0", "0.1000", "1E+2", "1e-7", "-12.50e010", "9007199254740993"])
    func keepsNumberLiteralExactly(_ literal: String) throws {
        #expect(try JSONParser.parse(literal) == .number(literal))
        #expect(try JSONParser.parse("[\(literal)]") == .array([.number(literal)]))
    }

    @Test func bigIntegerSurvivesRoundTrip() throws {
        let text = #"{"seed":18446744073709551616}"#
        #expect(try JSONParser.parse(text).serialized() == text)
    }

    @Test func decodesEscapes() throws {
        let value = try JSONParser.parse(#""a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\u4F60""#)
        #expect(value == .string("a\"b\\c/d\u{08}\u{0C}\n\r\tAé你"))
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONParser.parse(#""x\uD834\uDD1Ey""#) == .string("x𝄞y"))
    }

    @Test func loneSurrogatesBecomeReplacementCharacter() throws {
        #expect(try JSONParser.parse(#""\ud83d""#) == .string("\u{FFFD}"))
        #expect(try JSONParser.parse(#""\ude00x""#) == .string("\u{FFFD}x"))
        // A high surrogate followed by a non-surrogate escape keeps the second escape.
        #expect(try JSONParser.parse(#""\ud83d\u0041""#) == .string("\u{FFFD}A"))
    }

    @Test func keepsRawUTF8AndReplacesInvalidBytes() throws {
        #expect(try JSONParser.parse("\"你好 мир\"") == .string("你好 мир"))
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0x22]
        #expect(try JSONParser.parse(bytes) == .string("a\u{FFFD}b"))
        let withEscape: [UInt8] = [0x22, 0xC3, 0x5C, 0x6E, 0x22]  // truncated sequence then \n
        #expect(try JSONParser.parse(withEscape) == .string("\u{FFFD}\n"))
    }

    @Test func nestingLimit() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONParser.parse(ok) }
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = try #require(throws: JSONParseError.self) { try JSONParser.parse(tooDeep) }
        #expect(error.message == "nesting deeper than 512 levels")
        #expect(error.offset == 512)
    }

    struct ErrorCase: Sendable, CustomStringConvertible {
        var input: String
        var message: String
        var line: Int
        var column: Int
        var description: String { input }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(input: #"{"a" 1}"#, message: "expected ':' after object key", line: 1, column: 6),
        ErrorCase(input: #"{"a": 1 "b": 2}"#, message: "expected ',' or '}' after object member", line: 1, column: 9),
        ErrorCase(input: "[1 2]", message: "expected ',' or ']' after array element", line: 1, column: 4),
        ErrorCase(input: "{a: 1}", message: "expected '\"' to start an object key", line: 1, column: 2),
        ErrorCase(input: "[1,]", message: "trailing comma before ']'", line: 1, column: 4),
        ErrorCase(input: #"{"a":1,}"#, message: "trailing comma before '}'", line: 1, column: 8),
        ErrorCase(input: #"{"a": "b"#, message: "unterminated string", line: 1, column: 7),
        ErrorCase(input: #"{"a": "#, message: "unexpected end of input", line: 1, column: 7),
        ErrorCase(input: "", message: "unexpected end of input", line: 1, column: 1),
        ErrorCase(input: "   ", message: "unexpected end of input", line: 1, column: 4),
        ErrorCase(input: "[x]", message: "unexpected character 'x'", line: 1, column: 2),
        ErrorCase(input: "{} x", message: "unexpected character 'x' after the JSON value", line: 1, column: 4),
        ErrorCase(input: "[tru]", message: "invalid literal, expected 'true'", line: 1, column: 2),
        ErrorCase(input: "[nul", message: "unexpected end of input", line: 1, column: 5),
        ErrorCase(input: "01", message: "invalid number: leading zeros are not allowed", line: 1, column: 1),
        ErrorCase(input: "-a", message: "invalid number: expected a digit after '-'", line: 1, column: 2),
        ErrorCase(input: "1.e5", message: "invalid number: expected a digit after '.'", line: 1, column: 3),
        ErrorCase(input: "1e+", message: "unexpected end of input", line: 1, column: 4),
        ErrorCase(input: "[1ex]", message: "invalid number: expected a digit in the exponent", line: 1, column: 4),
        ErrorCase(input: "[+1]", message: "unexpected character '+'", line: 1, column: 2),
        ErrorCase(input: "\"a\tb\"", message: "unescaped control character U+0009 in string", line: 1, column: 3),
        ErrorCase(input: #""\x""#, message: #"invalid escape sequence '\x' in string"#, line: 1, column: 2),
        ErrorCase(input: #""\u12G4""#, message: #"invalid \u escape: expected 4 hex digits"#, line: 1, column: 2),
        ErrorCase(input: "{\n  \"a\": 1,\n  \"b\" 2\n}", message: "expected ':' after object key", line: 3, column: 7),
        // Columns count Unicode scalars, not bytes: "你好" is 2 columns, 6 bytes.
        ErrorCase(input: #"{"你好": 1 x}"#, message: "expected ',' or '}' after object member", line: 1, column: 10),
        ErrorCase(input: "[é]", message: "unexpected character 'é' (U+00E9)", line: 1, column: 2),
    ]

    @Test(arguments: errorCases)
    func reportsErrorWithLocation(_ testCase: ErrorCase) throws {
        let error = try #require(throws: JSONParseError.self) { try JSONParser.parse(testCase.input) }
        #expect(error.message == testCase.message)
        #expect(error.line == testCase.line)
        #expect(error.column == testCase.column)
        #expect(error.description == "\(testCase.line):\(testCase.column): \(testCase.message)")
    }

    @Test func errorOffsetIsInBytes() throws {
        let error = try #require(throws: JSONParseError.self) { try JSONParser.parse(#"{"你好": 1 x}"#) }
        #expect(error.offset == 13)
        #expect(error.column == 10)
    }

    @Test func recordsTopLevelMemberValueOffsets() throws {
        let text = #"{"a": 1, "b": {"c": 2}, "d":"x"}"#
        let result = try [UInt8](text.utf8).withUnsafeBytes { buffer in
            try JSONParser.parseRecordingMemberOffsets(buffer)
        }
        #expect(result.memberValueOffsets == [6, 14, 28])
    }
}

@Suite struct JSONWriterTests {
    @Test func writesCompactInOrder() {
        let value: JSONValue = .object([
            "z": .int(1), "a": .array([.bool(true), .null, .number("1.50")]), "s": .string("x"),
        ])
        #expect(value.serialized() == #"{"z":1,"a":[true,null,1.50],"s":"x"}"#)
    }

    @Test func escapesStrings() {
        let value = JSONValue.string("q\"b\\s/n\nr\rt\tb\u{08}f\u{0C}c\u{01}\u{1F}é你😀")
        #expect(value.serialized() == #""q\"b\\s/n\nr\rt\tb\bf\fc\u0001\u001fé你😀""#)
    }

    @Test func writeIntoAppends() {
        var bytes = Array("data: ".utf8)
        JSONValue.object(["k": .string("v")]).write(into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"data: {"k":"v"}"#)
    }

    @Test func writesPretty() {
        let value: JSONValue = .object(["a": .int(1), "b": .array([.int(2), .object([:])]), "c": .array([])])
        let expected = """
            {
              "a": 1,
              "b": [
                2,
                {}
              ],
              "c": []
            }
            """
        #expect(value.serialized(pretty: true) == expected)
    }

    static let roundTripValues: [JSONValue] = [
        .null, .bool(false), .number("-0.0e-5"), .string(""), .string("line\nbreak \u{0}\u{7F} 你好 😀"),
        .array([]), .object(JSONObject()),
        .object(["model": .string("m"), "messages": .array([.object(["role": .string("user"), "content": .null])]),
                 "nested": .object(["deep": .array([.array([.number("12345678901234567890")])])])]),
    ]

    @Test(arguments: roundTripValues)
    func roundTrips(_ value: JSONValue) throws {
        #expect(try JSONParser.parse(value.serialized()) == value)
        #expect(try JSONParser.parse(value.serialized(pretty: true)) == value)
    }
}

@Suite struct SHA256Tests {
    @Test func standardVectors() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8)
            == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    @Test func incrementalUpdatesMatchOneShot() {
        let bytes = [UInt8]((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        var hasher = SHA256()
        hasher.update(bytes[..<63])
        hasher.update(bytes[63..<64])
        hasher.update(bytes[64...])
        #expect(hasher.finalize() == SHA256.hash(bytes))
        #expect(SHA256.hash(bytes).count == 32)
    }
}
