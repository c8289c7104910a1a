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
        guard let afterPhrase = phraseEnd(in: text) else { return nil }
        var rest = Substring(text[afterPhrase...])
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

    /// Where the first "what is " (any letter case) ends. ASCII text, nearly every prompt, is
    /// searched as bytes; only other text pays for Foundation's case-insensitive search.
    private static func phraseEnd(in text: String) -> String.Index? {
        let utf8 = text.utf8
        guard !utf8.contains(where: { $0 >= 0x80 }) else {
            // No character outside ASCII folds to `w`: without one there is nothing to find.
            guard utf8.contains(where: { $0 | 0x20 == UInt8(ascii: "w") }) else { return nil }
            return text.range(of: "what is ", options: .caseInsensitive)?.upperBound
        }
        let pattern = Array("what is ".utf8)
        let lowered = utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        guard lowered.count >= pattern.count else { return nil }
        for start in 0...(lowered.count - pattern.count) where lowered[start] == pattern[0] {
            if lowered[start..<(start + pattern.count)].elementsEqual(pattern) {
                return utf8.index(utf8.startIndex, offsetBy: start + pattern.count)
            }
        }
        return nil
    }
}
