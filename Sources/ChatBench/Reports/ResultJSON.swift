import Foundation

/// Why one results.jsonl line is not a valid record, worded like the Codable errors it replaces.
enum ResultJSONError: Error, CustomStringConvertible {
    case notJSON
    case keyNotFound(String)
    case valueNotFound(String)
    case typeMismatch(String)
    case dataCorrupted(String)

    var description: String {
        switch self {
        case .notJSON: "not valid JSON"
        case .keyNotFound(let key): "missing field \"\(key)\""
        case .valueNotFound(let key), .typeMismatch(let key): "wrong type at \"\(key)\""
        case .dataCorrupted(let key): "bad value at \"\(key)\""
        }
    }
}

/// The value formatting and reading behind `RequestResult+JSONLine.swift`: results.jsonl written
/// and read without JSONEncoder/JSONDecoder, which cost tens of microseconds per record (a run
/// of 20,000 requests/s, and `chatbench report` over a million records, spent most of their time
/// there). Output is byte-identical to JSONEncoder with `.sortedKeys, .withoutEscapingSlashes`.
enum ResultJSON {
    static func string(_ value: String, _ b: inout [UInt8]) { JSONValue.writeString(value, into: &b) }
    static func int(_ value: Int, _ b: inout [UInt8]) { b.append(contentsOf: String(value).utf8) }
    static func bool(_ value: Bool, _ b: inout [UInt8]) { b.append(contentsOf: (value ? "true" : "false").utf8) }

    /// As JSONEncoder writes a Double: Swift's shortest round-trip text without a trailing `.0`.
    static func double(_ value: Double, _ b: inout [UInt8]) {
        if value == value.rounded(.towardZero), abs(value) < 1e15 {
            if value == 0 && value.sign == .minus {
                b.append(contentsOf: "-0".utf8)
            } else {
                b.append(contentsOf: String(Int(value)).utf8)
            }
            return
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        b.append(contentsOf: text.utf8)
    }

    static func doubles(_ values: [Double], _ b: inout [UInt8]) {
        b.append(UInt8(ascii: "["))
        for (position, value) in values.enumerated() {
            if position > 0 { b.append(UInt8(ascii: ",")) }
            double(value, &b)
        }
        b.append(UInt8(ascii: "]"))
    }

    /// Written by hand like the rest (sorted keys: name, passed, reason): a regression set has
    /// checks on every request, and JSONEncoder here cost more than the rest of the line.
    static func checks(_ values: [CheckResult], _ b: inout [UInt8]) {
        b.append(UInt8(ascii: "["))
        for (position, check) in values.enumerated() {
            if position > 0 { b.append(UInt8(ascii: ",")) }
            b.append(contentsOf: #"{"name":"#.utf8)
            string(check.name, &b)
            b.append(contentsOf: #","passed":"#.utf8)
            bool(check.passed, &b)
            b.append(contentsOf: #","reason":"#.utf8)
            string(check.reason, &b)
            b.append(UInt8(ascii: "}"))
        }
        b.append(UInt8(ascii: "]"))
    }

    /// Retried attempts are rare; they keep going through Codable, with the same formatting.
    static func attempts(_ values: [AttemptRecord], _ b: inout [UInt8]) {
        if values.isEmpty {
            b.append(contentsOf: "[]".utf8)
            return
        }
        encoded(values, &b)
    }

    private static func encoded<T: Encodable>(_ value: T, _ b: inout [UInt8]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Non-finite doubles in an attempt: written as null rather than losing the record.
        b.append(contentsOf: (try? encoder.encode(value)).map { [UInt8]($0) } ?? Array("null".utf8))
    }

    // MARK: reading

    static func string(_ v: JSONValue, _ key: String) throws(ResultJSONError) -> String {
        guard case .string(let text) = v else { throw .typeMismatch(key) }
        return text
    }

    static func int(_ v: JSONValue, _ key: String) throws(ResultJSONError) -> Int {
        guard case .number(let text) = v else { throw .typeMismatch(key) }
        if let value = Int(text) { return value }
        if let d = Double(text), d == d.rounded(), abs(d) < 9e15 { return Int(d) }
        throw .dataCorrupted(key)
    }

    static func double(_ v: JSONValue, _ key: String) throws(ResultJSONError) -> Double {
        guard case .number(let text) = v, let value = Double(text) else { throw .typeMismatch(key) }
        return value
    }

    static func bool(_ v: JSONValue, _ key: String) throws(ResultJSONError) -> Bool {
        guard case .bool(let value) = v else { throw .typeMismatch(key) }
        return value
    }

    static func enumValue<E: RawRepresentable>(_ v: JSONValue, _ key: String, _ type: E.Type) throws(ResultJSONError) -> E where E.RawValue == String {
        guard case .string(let text) = v else { throw .typeMismatch(key) }
        guard let value = E(rawValue: text) else { throw .dataCorrupted(key) }
        return value
    }

    static func doubles(_ v: JSONValue, _ key: String) throws(ResultJSONError) -> [Double] {
        guard case .array(let elements) = v else { throw .typeMismatch(key) }
        var values: [Double] = []
        values.reserveCapacity(elements.count)
        for element in elements { values.append(try double(element, key)) }
        return values
    }

    /// Read by hand from the tree, with the checks JSONDecoder made (every member present and
    /// of its type; unknown members ignored).
    static func checks(_ v: JSONValue, _ key: String) throws(ResultJSONError) -> [CheckResult] {
        // Any problem reads as it did through JSONDecoder: a bad value at "checks".
        guard case .array(let elements) = v else { throw .dataCorrupted(key) }
        var checks: [CheckResult] = []
        checks.reserveCapacity(elements.count)
        for element in elements {
            guard case .object(let object) = element, case .string(let name)? = object["name"], case .bool(let passed)? = object["passed"],
                  case .string(let reason)? = object["reason"]
            else { throw .dataCorrupted(key) }
            checks.append(CheckResult(name: name, passed: passed, reason: reason))
        }
        return checks
    }

    static func attempts(_ v: JSONValue, _ key: String) throws(ResultJSONError) -> [AttemptRecord] {
        if case .array(let elements) = v, elements.isEmpty { return [] }
        return try decoded(v, key)
    }

    private static func decoded<T: Decodable>(_ v: JSONValue, _ key: String) throws(ResultJSONError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(v.serialized().utf8))
        } catch {
            throw .dataCorrupted(key)
        }
    }
}
