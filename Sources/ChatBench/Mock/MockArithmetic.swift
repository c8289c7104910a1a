import Foundation

/// The one thing the simulated server knows: small integer arithmetic. A prompt such as
/// "What is 17 + 25? Answer with the number only." gets the answer `42` (one token, finish
/// reason `stop`), so example prompt sets can carry honest assertions that the mock passes.
/// The profile key `arithmetic=wrong` makes it answer one too many, to show a red CI run.
enum MockArithmetic {
    /// The answer tokens for an arithmetic question, or nil when `text` is not one.
    static func answer(to text: String, wrong: Bool) -> [String]? {
        guard let (lhs, op, rhs) = question(in: text) else { return nil }
        let value: Int?
        switch op {
        case "+": value = lhs.addingReportingOverflow(rhs).overflow ? nil : lhs + rhs
        case "-": value = lhs.subtractingReportingOverflow(rhs).overflow ? nil : lhs - rhs
        case "*", "×", "x": value = lhs.multipliedReportingOverflow(by: rhs).overflow ? nil : lhs * rhs
        default: value = nil
        }
        guard let value else { return nil }
        return [String(wrong ? value &+ 1 : value)]
    }

    /// Finds `what is A op B` (any case) and returns its operands and operator.
    private static func question(in text: String) -> (Int, Character, Int)? {
        // Most prompts are plain ASCII without the phrase: a byte scan rejects them without
        // Foundation's case-insensitive search (the mock answers every request on one thread).
        if !mayAsk(text) { return nil }
        guard let range = text.range(of: "what is ", options: .caseInsensitive) else { return nil }
        var rest = Substring(text[range.upperBound...])
        func integer() -> Int? {
            rest = rest.drop { $0 == " " }
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 12, let value = Int(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            return value
        }
        guard let lhs = integer() else { return nil }
        rest = rest.drop { $0 == " " }
        guard let op = rest.first, "+-*×x".contains(op) else { return nil }
        rest = rest.dropFirst()
        guard let rhs = integer() else { return nil }
        return (lhs, op, rhs)
    }

    /// False only when `text` is ASCII and has no "what is " in any letter case.
    private static func mayAsk(_ text: String) -> Bool {
        let pattern = Array("what is ".utf8)
        var lowered: [UInt8] = []
        lowered.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if byte >= 0x80 { return true }
            lowered.append(byte >= 65 && byte <= 90 ? byte + 32 : byte)
        }
        guard lowered.count >= pattern.count else { return false }
        for start in 0...(lowered.count - pattern.count) where lowered[start] == pattern[0] {
            if lowered[start..<(start + pattern.count)].elementsEqual(pattern) { return true }
        }
        return false
    }
}
