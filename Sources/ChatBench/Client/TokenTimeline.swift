/// When each text-bearing chunk of a stream arrived and whether it carried reasoning or answer:
/// the bookkeeping behind `ttft_ms`, `ttfc_ms`, inter-token gaps and reasoning duration, shared
/// by the OpenAI and Ollama recorders. Reasoning comes from a separate field (`reasoning_content`,
/// `reasoning`, Ollama's `thinking`) or from `<think>` tags inside the content.
public struct TokenTimeline: Sendable {
    public private(set) var firstTokenAt: UInt64?
    public private(set) var lastTokenAt: UInt64?
    /// Gaps between consecutive text-bearing chunks, in nanoseconds.
    public private(set) var gaps: [UInt64] = []
    /// Chunks with non-empty content or reasoning text.
    public private(set) var textChunks = 0
    public private(set) var reasoningChunks = 0
    public private(set) var answerChunks = 0
    /// The first chunk that carried answer text: the time to first content token.
    public private(set) var firstAnswerAt: UInt64?
    public private(set) var firstReasoningAt: UInt64?
    public private(set) var lastReasoningAt: UInt64?
    /// The answer text, without any reasoning.
    public private(set) var answer = ""
    public private(set) var reasoning = ""

    private var splitter = ThinkTagSplitter()
    /// Text chunks whose side is not known yet: only whitespace or part of a tag so far.
    private var pendingChunks = 0
    private var firstPendingAt: UInt64?
    private var lastPendingAt: UInt64?

    public init() {}

    /// A whole (non-streaming) response's texts, already split: no arrival times.
    public init(answer: String, reasoning: String) {
        self.answer = answer
        self.reasoning = reasoning
    }

    /// True when the content ended inside a `<think>` block (after `finish`).
    public var endedInsideThink: Bool { splitter.endedInsideThink }

    /// One chunk's texts, stamped when its bytes were read.
    public mutating func receive(content: String?, reasoning thought: String?, at time: UInt64) {
        let content = content ?? ""
        let thought = thought ?? ""
        guard !content.isEmpty || !thought.isEmpty else { return }
        textChunks += 1
        if let last = lastTokenAt { gaps.append(time - last) }
        if firstTokenAt == nil { firstTokenAt = time }
        lastTokenAt = time

        var piece = ThinkTagSplitter.Piece(reasoning: thought)
        if !content.isEmpty {
            let split = splitter.feed(content)
            if split.reclassifiedAnswer { moveAnswerToReasoning() }
            piece.reasoning += split.reasoning
            piece.answer = split.answer
        }
        apply(piece, at: time)
    }

    /// Ends the stream: text held back as a possible tag goes to its side.
    public mutating func finish() {
        let piece = splitter.finish()
        reasoning += piece.reasoning
        answer += piece.answer
        guard pendingChunks > 0 || !piece.answer.isEmpty else { return }
        if !piece.answer.isEmpty && firstAnswerAt == nil, let last = lastTokenAt {
            // The held text arrived with the last chunk, which was counted as undecided or reasoning.
            if pendingChunks > 0 {
                pendingChunks -= 1
            } else if reasoningChunks > 0 {
                reasoningChunks -= 1
            }
            answerChunks += 1
            firstAnswerAt = last
        }
        resolvePending(asReasoning: !reasoning.isEmpty || splitter.sawTag)
    }

    /// Splits a whole (non-streaming) content string.
    public static func split(content: String, reasoning: String) -> (answer: String, reasoning: String, endedInsideThink: Bool) {
        // Without `<` there is no tag nor part of one: the splitter would hand back the content
        // whole, or nothing when it is only whitespace (its substring searches cost more than
        // the rest of a non-streaming response).
        if !content.utf8.contains(UInt8(ascii: "<")) {
            return (content.contains { !$0.isWhitespace } ? content : "", reasoning, false)
        }
        var splitter = ThinkTagSplitter()
        let piece = splitter.feed(content)
        let end = splitter.finish()
        return (piece.answer + end.answer, reasoning + piece.reasoning + end.reasoning, splitter.endedInsideThink)
    }

    private mutating func apply(_ piece: ThinkTagSplitter.Piece, at time: UInt64) {
        reasoning += piece.reasoning
        answer += piece.answer
        if !piece.answer.isEmpty {
            // Undecided chunks before the answer were the whitespace or tags around reasoning,
            // unless there never was any reasoning: then they were the answer's own start.
            let hadReasoning = !reasoning.isEmpty || splitter.sawTag
            resolvePending(asReasoning: hadReasoning)
            if !piece.reasoning.isEmpty {
                // A chunk that ends the reasoning and starts the answer counts once, as answer.
                if firstReasoningAt == nil { firstReasoningAt = time }
                lastReasoningAt = time
            }
            answerChunks += 1
            if firstAnswerAt == nil { firstAnswerAt = time }
        } else if !piece.reasoning.isEmpty || splitter.insideThink {
            resolvePending(asReasoning: true)
            markReasoning(at: time)
        } else if !answer.isEmpty {
            // Mid-answer text held back as a possible tag (`a <` …) is still answer.
            answerChunks += 1
        } else {
            pendingChunks += 1
            if firstPendingAt == nil { firstPendingAt = time }
            lastPendingAt = time
        }
    }

    private mutating func markReasoning(at time: UInt64) {
        reasoningChunks += 1
        if firstReasoningAt == nil { firstReasoningAt = time }
        lastReasoningAt = time
    }

    private mutating func resolvePending(asReasoning: Bool) {
        guard pendingChunks > 0, let first = firstPendingAt, let last = lastPendingAt else { return }
        if asReasoning {
            reasoningChunks += pendingChunks
            firstReasoningAt = min(firstReasoningAt ?? first, first)
            lastReasoningAt = max(lastReasoningAt ?? last, last)
        } else {
            answerChunks += pendingChunks
            firstAnswerAt = min(firstAnswerAt ?? first, first)
        }
        pendingChunks = 0
        firstPendingAt = nil
        lastPendingAt = nil
    }

    /// A `</think>` with no opening tag: what looked like answer was reasoning all along.
    private mutating func moveAnswerToReasoning() {
        resolvePending(asReasoning: true)
        reasoning += answer
        answer = ""
        if let first = firstAnswerAt {
            firstReasoningAt = min(firstReasoningAt ?? first, first)
            lastReasoningAt = max(lastReasoningAt ?? first, lastTokenAt ?? first)
        }
        reasoningChunks += answerChunks
        answerChunks = 0
        firstAnswerAt = nil
    }

    /// From the first reasoning chunk to the first answer chunk after it (the wait a reader sits
    /// through), or to the last reasoning chunk when no answer followed; nil without reasoning.
    public var reasoningNanoseconds: UInt64? {
        guard let start = firstReasoningAt else { return nil }
        if let answerAt = firstAnswerAt, answerAt >= start { return answerAt - start }
        return (lastReasoningAt ?? start) - start
    }
}
