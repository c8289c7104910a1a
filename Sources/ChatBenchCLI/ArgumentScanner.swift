/// A command-line usage mistake: shown with the command's usage line, exit code 2.
public struct UsageError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Walks argv for one command: `--flag value`, `--flag=value`, boolean `--flag`, and positionals.
/// Each command asks for the flags it knows; anything left over is an error naming it.
struct ArgumentScanner {
    private var tokens: [String]

    init(_ arguments: [String]) {
        tokens = arguments
    }

    /// Removes every occurrence of `--name VALUE` / `--name=VALUE` and returns the values in order.
    mutating func values(_ name: String) throws(UsageError) -> [String] {
        var found: [String] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if token == "--" { break }
            if token == name {
                guard index + 1 < tokens.count, !tokens[index + 1].hasPrefix("--") || tokens[index + 1].count == 2 else {
                    throw UsageError("\(name) needs a value")
                }
                found.append(tokens[index + 1])
                tokens.removeSubrange(index...(index + 1))
                continue
            }
            if token.hasPrefix(name + "=") {
                found.append(String(token.dropFirst(name.count + 1)))
                tokens.remove(at: index)
                continue
            }
            index += 1
        }
        return found
    }

    /// The last value given for `--name`, if any (later flags win, as in most tools).
    mutating func value(_ name: String) throws(UsageError) -> String? {
        try values(name).last
    }

    /// A boolean flag; `--name=VALUE` is also accepted and returned as the value (for `--mock=PROFILE`).
    mutating func flag(_ name: String) -> (present: Bool, value: String?) {
        var present = false
        var value: String?
        var index = 0
        while index < tokens.count {
            if tokens[index] == "--" { break }
            if tokens[index] == name {
                present = true
                tokens.remove(at: index)
            } else if tokens[index].hasPrefix(name + "=") {
                present = true
                value = String(tokens[index].dropFirst(name.count + 1))
                tokens.remove(at: index)
            } else {
                index += 1
            }
        }
        return (present, value)
    }

    /// What is left once the flags are taken: positionals; an unknown flag is an error.
    mutating func positionals() throws(UsageError) -> [String] {
        var result: [String] = []
        var afterDashes = false
        for token in tokens {
            if afterDashes { result.append(token); continue }
            if token == "--" { afterDashes = true; continue }
            if token.hasPrefix("-") && token.count > 1 {
                throw UsageError("unknown option \(token)")
            }
            result.append(token)
        }
        tokens.removeAll()
        return result
    }
}

extension ArgumentScanner {
    mutating func int(_ name: String, range: ClosedRange<Int> = 0...Int.max) throws(UsageError) -> Int? {
        guard let text = try value(name) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw UsageError("\(name) expects a whole number\(range.lowerBound > 0 ? " of at least \(range.lowerBound)" : ""), got \(text.debugDescription)")
        }
        return number
    }

    mutating func double(_ name: String) throws(UsageError) -> Double? {
        guard let text = try value(name) else { return nil }
        guard let number = Double(text), number.isFinite else { throw UsageError("\(name) expects a number, got \(text.debugDescription)") }
        return number
    }

    /// A duration like `500ms`, `2s`, `5m` (a bare number is seconds), in nanoseconds.
    mutating func duration(_ name: String) throws(UsageError) -> UInt64? {
        guard let text = try value(name) else { return nil }
        guard let ns = parseDurationFlag(text), ns > 0 else {
            throw UsageError("\(name) expects a duration such as 500ms, 30s or 5m, got \(text.debugDescription)")
        }
        return ns
    }
}

import ChatBench

func parseDurationFlag(_ text: String) -> UInt64? { parseDuration(text) }
