import Foundation

/// One member's value of a results.jsonl line, read as the field it belongs to. The generated
/// field switch (`RequestResult.assign`) reads through this, so the parsed-tree path and the
/// scanner's fast path share one definition of every field.
protocol ResultFieldValue {
    var isNull: Bool { get }
    func string(_ key: String) throws(ResultJSONError) -> String
    func int(_ key: String) throws(ResultJSONError) -> Int
    func double(_ key: String) throws(ResultJSONError) -> Double
    func bool(_ key: String) throws(ResultJSONError) -> Bool
    func enumValue<E: RawRepresentable>(_ key: String, _ type: E.Type) throws(ResultJSONError) -> E where E.RawValue == String
    func doubles(_ key: String) throws(ResultJSONError) -> [Double]
    func checks(_ key: String) throws(ResultJSONError) -> [CheckResult]
    func attempts(_ key: String) throws(ResultJSONError) -> [AttemptRecord]
}

extension JSONValue: ResultFieldValue {
    func string(_ key: String) throws(ResultJSONError) -> String { try ResultJSON.string(self, key) }
    func int(_ key: String) throws(ResultJSONError) -> Int { try ResultJSON.int(self, key) }
    func double(_ key: String) throws(ResultJSONError) -> Double { try ResultJSON.double(self, key) }
    func bool(_ key: String) throws(ResultJSONError) -> Bool { try ResultJSON.bool(self, key) }
    func enumValue<E: RawRepresentable>(_ key: String, _ type: E.Type) throws(ResultJSONError) -> E where E.RawValue == String {
        try ResultJSON.enumValue(self, key, type)
    }
    func doubles(_ key: String) throws(ResultJSONError) -> [Double] { try ResultJSON.doubles(self, key) }
    func checks(_ key: String) throws(ResultJSONError) -> [CheckResult] { try ResultJSON.checks(self, key) }
    func attempts(_ key: String) throws(ResultJSONError) -> [AttemptRecord] { try ResultJSON.attempts(self, key) }
}

/// The fast path for reading results.jsonl: walks a line as written by chatbench (sorted keys,
/// no whitespace, though whitespace is allowed) and reads each value straight into its field,
/// without building a JSON tree or a String per key and number. It is deliberately partial:
/// anything it does not handle exactly as `JSONParser` would (an odd number, an invalid escape,
/// invalid UTF-8, a syntax error) makes it give up, and the line goes through the full parser,
/// which stays the one authority on what is valid and on every error message.
enum ResultLineScanner {
    /// Keys as bytes, in field order.
    private static let keys: [[UInt8]] = ResultJSON.fieldKeys.map { Array($0.utf8) }

    /// The record, or nil when the line needs the full parser.
    static func record(_ line: UnsafeRawBufferPointer) -> RequestResult? {
        var cursor = Cursor(bytes: line)
        var r = RequestResult(id: "", index: 0, repetition: 0, mode: .stream)
        var seen: UInt64 = 0
        var expected = 0
        do {
            cursor.skipSpace()
            guard cursor.take(UInt8(ascii: "{")) else { return nil }
            cursor.skipSpace()
            if !cursor.take(UInt8(ascii: "}")) {
                while true {
                    guard let key = cursor.plainString() else { return nil }
                    cursor.skipSpace()
                    guard cursor.take(UInt8(ascii: ":")) else { return nil }
                    cursor.skipSpace()
                    let start = cursor.position
                    guard cursor.skipValue() else { return nil }
                    let value = ScannedValue(bytes: UnsafeRawBufferPointer(rebasing: line[start..<cursor.position]))
                    if let field = field(of: key, expected: &expected) {
                        try r.assign(field: field, value, seen: &seen)
                    } else if (try? JSONParser.parse(value.bytes)) == nil {
                        // An unknown member is ignored, but the line must still be JSON.
                        return nil
                    }
                    cursor.skipSpace()
                    if cursor.take(UInt8(ascii: ",")) {
                        cursor.skipSpace()
                        continue
                    }
                    guard cursor.take(UInt8(ascii: "}")) else { return nil }
                    break
                }
            }
            cursor.skipSpace()
            guard cursor.atEnd else { return nil }
            try RequestResult.checkRequired(seen)
        } catch {
            return nil
        }
        return r
    }

    /// Keys come in sorted order, so the next one is almost always at or just after the last.
    private static func field(of key: UnsafeRawBufferPointer, expected: inout Int) -> Int? {
        func matches(_ i: Int) -> Bool {
            keys[i].count == key.count && keys[i].withUnsafeBytes { memcmp($0.baseAddress!, key.baseAddress!, key.count) == 0 }
        }
        for i in expected..<keys.count where matches(i) {
            expected = i + 1
            return i
        }
        for i in 0..<min(expected, keys.count) where matches(i) { return i }
        return nil
    }
}

/// A position in a line.
private struct Cursor {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    var atEnd: Bool { position >= bytes.count }

    mutating func skipSpace() {
        while position < bytes.count {
            let b = bytes[position]
            guard b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { return }
            position += 1
        }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// A string without escapes (a key), as the bytes between its quotes.
    mutating func plainString() -> UnsafeRawBufferPointer? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = position
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                position += 1
                return UnsafeRawBufferPointer(rebasing: bytes[start..<(position - 1)])
            }
            if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
            position += 1
        }
        return nil
    }

    /// Moves past one value (balancing brackets outside strings); false on anything malformed
    /// enough to stop the fast path. The value itself is checked when its field reads it.
    mutating func skipValue() -> Bool {
        var depth = 0
        while position < bytes.count {
            let b = bytes[position]
            switch b {
            case UInt8(ascii: "\""):
                position += 1
                while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
                    position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard position < bytes.count else { return false }
                position += 1
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                position += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if depth == 0 { return true }
                depth -= 1
                position += 1
            case UInt8(ascii: ","):
                if depth == 0 { return true }
                position += 1
            default:
                position += 1
            }
            if depth == 0, b == UInt8(ascii: "\"") || b == UInt8(ascii: "]") || b == UInt8(ascii: "}") { return true }
        }
        return depth == 0
    }
}

/// One scanned value: the exact bytes of a JSON value. Every read is strict; whatever it cannot
/// read the way `JSONParser` would, it refuses (the line then takes the full parser).
struct ScannedValue: ResultFieldValue {
    let bytes: UnsafeRawBufferPointer

    var isNull: Bool { bytes.elementsEqual("null".utf8) }

    func string(_ key: String) throws(ResultJSONError) -> String {
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") else { throw .typeMismatch(key) }
        let inner = UnsafeRawBufferPointer(rebasing: bytes[1..<(bytes.count - 1)])
        var ascii = true
        for b in inner {
            if b == UInt8(ascii: "\\") || b < 0x20 || b == UInt8(ascii: "\"") { return try unescaped(inner, key) }
            if b >= 0x80 { ascii = false }
        }
        if ascii { return String(decoding: inner, as: UTF8.self) }
        guard let text = String(validating: inner, as: UTF8.self) else { throw .dataCorrupted(key) }
        return text
    }

    private func unescaped(_ inner: UnsafeRawBufferPointer, _ key: String) throws(ResultJSONError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(inner.count)
        var i = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= inner.count else { return nil }
            var value: UInt32 = 0
            for b in inner[at..<(at + 4)] {
                let digit: UInt32
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value << 4 | digit
            }
            return value
        }
        while i < inner.count {
            let b = inner[i]
            if b < 0x20 || b == UInt8(ascii: "\"") { throw .dataCorrupted(key) }
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            guard i + 1 < inner.count else { throw .dataCorrupted(key) }
            let e = inner[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(i) else { throw .dataCorrupted(key) }
                i += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    // A surrogate pair; a lone half is left to the full parser.
                    guard i + 6 <= inner.count, inner[i] == UInt8(ascii: "\\"), inner[i + 1] == UInt8(ascii: "u"),
                          let low = hex4(i + 2), (0xDC00..<0xE000).contains(low) else { throw .dataCorrupted(key) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw .dataCorrupted(key)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw .dataCorrupted(key) }
                out.append(contentsOf: String(Character(unicode)).utf8)
            default:
                throw .dataCorrupted(key)
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else { throw .dataCorrupted(key) }
        return text
    }

    func int(_ key: String) throws(ResultJSONError) -> Int {
        var value = 0
        var negative = false
        var i = 0
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            i = 1
        }
        // Plain integers of up to 18 digits; anything else (a fraction, an exponent) is rare.
        guard i < bytes.count, bytes.count - i <= 18, bytes[i] != UInt8(ascii: "0") || bytes.count - i == 1 else { throw .typeMismatch(key) }
        while i < bytes.count {
            let b = bytes[i]
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { throw .typeMismatch(key) }
            value = value * 10 + Int(b - UInt8(ascii: "0"))
            i += 1
        }
        return negative ? -value : value
    }

    /// Exact by Clinger's fast path: at most 15 significant digits and a power of ten of at most
    /// 22 are both exact doubles, so one correctly rounded multiply or divide gives the correctly
    /// rounded value, as `strtod` would. Longer numbers go through `Double(String)`.
    func double(_ key: String) throws(ResultJSONError) -> Double {
        var i = 0
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            i = 1
        }
        let intStart = i
        var mantissa: UInt64 = 0
        var digits = 0
        while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
            mantissa = mantissa &* 10 &+ UInt64(bytes[i] - UInt8(ascii: "0"))
            if mantissa != 0 { digits += 1 }
            i += 1
        }
        let intDigits = i - intStart
        // JSON: at least one digit, and no leading zero before another digit.
        guard intDigits > 0, !(bytes[intStart] == UInt8(ascii: "0") && intDigits > 1) else { throw .typeMismatch(key) }
        var exponent = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let fracStart = i
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
                mantissa = mantissa &* 10 &+ UInt64(bytes[i] - UInt8(ascii: "0"))
                if mantissa != 0 { digits += 1 }
                exponent -= 1
                i += 1
            }
            guard i > fracStart else { throw .typeMismatch(key) }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            // JSON's exponent, to the end: `Double(String)` would stop early at a NUL byte.
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            let expStart = i
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
            guard i > expStart, i == bytes.count else { throw .typeMismatch(key) }
            return try slow(key)
        }
        guard i == bytes.count else { throw .typeMismatch(key) }
        guard digits <= 15, exponent >= -22 else { return try slow(key) }
        let magnitude = Double(mantissa) / ResultLineScanner.powersOfTen[-exponent]
        return negative ? -magnitude : magnitude
    }

    private func slow(_ key: String) throws(ResultJSONError) -> Double {
        guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else { throw .typeMismatch(key) }
        return value
    }

    func bool(_ key: String) throws(ResultJSONError) -> Bool {
        if bytes.elementsEqual("true".utf8) { return true }
        if bytes.elementsEqual("false".utf8) { return false }
        throw .typeMismatch(key)
    }

    func enumValue<E: RawRepresentable>(_ key: String, _ type: E.Type) throws(ResultJSONError) -> E where E.RawValue == String {
        guard let value = E(rawValue: try string(key)) else { throw .dataCorrupted(key) }
        return value
    }

    func doubles(_ key: String) throws(ResultJSONError) -> [Double] {
        guard bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") else { throw .typeMismatch(key) }
        var values: [Double] = []
        var start = 1
        let end = bytes.count - 1
        // Only the compact form chatbench writes: numbers separated by bare commas.
        if start == end { return values }
        values.reserveCapacity(end / 4)
        var i = start
        while i <= end {
            if i == end || bytes[i] == UInt8(ascii: ",") {
                values.append(try ScannedValue(bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<i])).double(key))
                start = i + 1
            }
            i += 1
        }
        return values
    }

    /// Nested records are rare (assertions, retries): the full parser reads them.
    func checks(_ key: String) throws(ResultJSONError) -> [CheckResult] { try tree(key).checks(key) }
    func attempts(_ key: String) throws(ResultJSONError) -> [AttemptRecord] {
        if bytes.elementsEqual("[]".utf8) { return [] }
        return try tree(key).attempts(key)
    }

    private func tree(_ key: String) throws(ResultJSONError) -> JSONValue {
        guard let value = try? JSONParser.parse(bytes) else { throw .typeMismatch(key) }
        return value
    }
}

extension ResultLineScanner {
    /// 10^0 ... 10^22, each exact in a Double.
    static let powersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }
}
