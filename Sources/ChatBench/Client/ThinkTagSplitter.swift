/// Separates inline `<think>...</think>` reasoning from the answer in `content` text that arrives
/// in pieces (older Ollama, llama.cpp without a reasoning parser, raw reasoning models), so the
/// answer never contains reasoning.
///
/// The rules:
/// - Everything after `<think>` is reasoning until `</think>`; text outside the tags is answer.
///   A tag may arrive split across pieces (`<thi` + `nk>`): a piece's tail that could still
///   become a tag is held back until the next piece (or `finish`) decides.
/// - Whitespace that separates reasoning from the answer (before `<think>` at the very start,
///   right after `</think>`) belongs to neither, so the answer starts with its first real word.
/// - A stream that ends inside `<think>` has reasoning and no answer (`endedInsideThink`).
/// - A `</think>` before any `<think>` means the opening tag was part of the prompt (DeepSeek-R1
///   chat templates add it): everything before it was reasoning, which the piece reports with
///   `reclassifiedAnswer` so the caller moves the answer it already has. (An answer that quotes
///   a bare `</think>` with no `<think>` before it is misread this way; no model does so.)
public struct ThinkTagSplitter: Sendable, Equatable {
    /// What one piece of text contributed to each side.
    public struct Piece: Sendable, Equatable {
        public var reasoning: String
        public var answer: String
        /// True when this piece's `</think>` turned all earlier answer text into reasoning.
        public var reclassifiedAnswer: Bool

        public init(reasoning: String = "", answer: String = "", reclassifiedAnswer: Bool = false) {
            self.reasoning = reasoning
            self.answer = answer
            self.reclassifiedAnswer = reclassifiedAnswer
        }
    }

    static let open = "<think>"
    static let close = "</think>"

    /// True between `<think>` and `</think>`.
    public private(set) var insideThink = false
    /// True once any `<think>` or `</think>` was seen.
    public private(set) var sawTag = false
    /// Text held back: a possible partial tag, or leading whitespace whose side is not known yet.
    private var held = ""
    /// Nothing has gone to the answer yet, so leading whitespace is held, not emitted.
    private var answerStarted = false

    public init() {}

    /// True when the text ended inside a `<think>` block (call after `finish`).
    public var endedInsideThink: Bool { insideThink }

    /// Splits the next piece of content.
    public mutating func feed(_ text: String) -> Piece {
        // The common case, on the I/O thread for every token: mid-answer text with no `<` can
        // hold no tag nor the start of one, so it is all answer (the general path below costs a
        // substring search per tag per token).
        if answerStarted && !insideThink && held.isEmpty && !text.utf8.contains(UInt8(ascii: "<")) {
            return Piece(answer: text)
        }
        var piece = Piece()
        var rest = Substring(held + text)
        held = ""
        while !rest.isEmpty {
            if insideThink {
                if let range = rest.firstRange(of: Self.close) {
                    piece.reasoning += rest[..<range.lowerBound]
                    rest = rest[range.upperBound...]
                    insideThink = false
                    // The answer after a think block starts at its first non-whitespace character.
                    answerStarted = false
                    continue
                }
                let keep = Self.partialTagSuffixLength(rest, Self.close)
                piece.reasoning += rest.dropLast(keep)
                held = String(rest.suffix(keep))
                return piece
            }
            let openRange = rest.firstRange(of: Self.open)
            // An orphan `</think>` only counts before any tag and before the first `<think>`.
            let closeRange = sawTag ? nil : rest.firstRange(of: Self.close)
            if let closeRange, openRange.map({ closeRange.lowerBound < $0.lowerBound }) ?? true {
                // Everything so far was reasoning whose opening tag the server never sent.
                piece.reasoning += rest[..<closeRange.lowerBound]
                piece.reclassifiedAnswer = true
                piece.answer = ""
                rest = rest[closeRange.upperBound...]
                sawTag = true
                answerStarted = false
                continue
            }
            if let openRange {
                appendAnswer(rest[..<openRange.lowerBound], to: &piece, final: true)
                rest = rest[openRange.upperBound...]
                insideThink = true
                sawTag = true
                continue
            }
            let keep = max(Self.partialTagSuffixLength(rest, Self.open), sawTag ? 0 : Self.partialTagSuffixLength(rest, Self.close))
            appendAnswer(rest.dropLast(keep), to: &piece, final: false)
            held += rest.suffix(keep)
            return piece
        }
        return piece
    }

    /// Ends the text: a held-back fragment that never became a tag goes to the side it was on.
    public mutating func finish() -> Piece {
        var piece = Piece()
        let rest = held
        held = ""
        if insideThink {
            piece.reasoning = rest
        } else if answerStarted {
            piece.answer = rest
        } else if let first = rest.firstIndex(where: { !$0.isWhitespace }) {
            piece.answer = sawTag ? String(rest[first...]) : rest
            answerStarted = true
        }
        return piece
    }

    /// Outside a think block: leading whitespace waits in `held` until real text shows which
    /// side it separates; `final` means a tag follows, so waiting whitespace is dropped.
    private mutating func appendAnswer(_ text: Substring, to piece: inout Piece, final: Bool) {
        if answerStarted {
            piece.answer += text
            return
        }
        guard let first = text.firstIndex(where: { !$0.isWhitespace }) else {
            if !final { held += text }
            return
        }
        // Whitespace before the answer's first word is kept only at the very start of the text,
        // where no think block came before it.
        piece.answer += sawTag ? text[first...] : text
        answerStarted = true
    }

    /// The length of the longest suffix of `text` that is a proper prefix of `tag`.
    static func partialTagSuffixLength(_ text: Substring, _ tag: String) -> Int {
        let tagCharacters = Array(tag)
        let limit = min(tagCharacters.count - 1, text.count)
        guard limit > 0 else { return 0 }
        let tail = Array(text.suffix(limit))
        for length in stride(from: limit, through: 1, by: -1) where tail.suffix(length).elementsEqual(tagCharacters.prefix(length)) {
            return length
        }
        return 0
    }
}
