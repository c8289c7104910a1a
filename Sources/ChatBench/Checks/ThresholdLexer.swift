/// One token of a threshold expression, with where it stands (character offsets) for carets.
struct ThresholdToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A name: `ttft`, `p95`, `non-stream`, `finish_reason`, `length`.
        case identifier(String)
        case dot
        /// `<`, `<=`, `>`, `>=`, `==`.
        case comparison(String)
        case number(Double)
        /// Letters or `%` written straight after a number: `ms`, `s`, `%`.
        case unit(String)
        case end
    }

    var kind: Kind
    /// 0-based character offset in the expression.
    var start: Int
    var length: Int
}

/// Splits a threshold expression such as `stream.ttft.p95 < 800ms` into tokens.
enum ThresholdLexer {
    static func tokens(_ expression: String) throws(ThresholdError) -> [ThresholdToken] {
        let characters = Array(expression)
        var tokens: [ThresholdToken] = []
        var i = 0
        func isNameStart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c == "_") }
        func isNamePart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-") }
        while i < characters.count {
            let c = characters[i]
            if c.isWhitespace {
                i += 1
                continue
            }
            let start = i
            if isNameStart(c) {
                while i < characters.count, isNamePart(characters[i]) { i += 1 }
                tokens.append(ThresholdToken(kind: .identifier(String(characters[start..<i])), start: start, length: i - start))
            } else if c == "." && !(i + 1 < characters.count && characters[i + 1].isASCII && characters[i + 1].isNumber && tokens.last.map(isOperator) == true) {
                i += 1
                tokens.append(ThresholdToken(kind: .dot, start: start, length: 1))
            } else if c == "<" || c == ">" || c == "=" || c == "!" {
                i += 1
                if i < characters.count, characters[i] == "=" { i += 1 }
                let text = String(characters[start..<i])
                guard ["<", "<=", ">", ">=", "=="].contains(text) else {
                    throw ThresholdError(expression: expression, start: start, length: i - start,
                                         message: "unknown comparison \(text.debugDescription); use <, <=, >, >= or ==")
                }
                tokens.append(ThresholdToken(kind: .comparison(text), start: start, length: i - start))
            } else if (c.isASCII && c.isNumber) || c == "." || c == "-" {
                i += 1
                while i < characters.count, characters[i].isASCII, characters[i].isNumber || characters[i] == "." { i += 1 }
                let text = String(characters[start..<i])
                guard let value = Double(text), value.isFinite else {
                    throw ThresholdError(expression: expression, start: start, length: i - start, message: "\(text.debugDescription) is not a number")
                }
                tokens.append(ThresholdToken(kind: .number(value), start: start, length: i - start))
                let unitStart = i
                while i < characters.count, characters[i].isLetter || characters[i] == "%" { i += 1 }
                if i > unitStart {
                    tokens.append(ThresholdToken(kind: .unit(String(characters[unitStart..<i])), start: unitStart, length: i - unitStart))
                }
            } else {
                throw ThresholdError(expression: expression, start: start, length: 1, message: "unexpected \(String(c).debugDescription)")
            }
        }
        tokens.append(ThresholdToken(kind: .end, start: characters.count, length: 1))
        return tokens
    }

    private static func isOperator(_ token: ThresholdToken) -> Bool {
        if case .comparison = token.kind { return true }
        return false
    }
}
