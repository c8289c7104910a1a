import Testing

@testable import ChatBench

/// Feeds `pieces` to a fresh splitter and returns the joined reasoning and answer.
private func split(_ pieces: [String]) -> (reasoning: String, answer: String, insideThink: Bool, reclassified: Bool) {
    var splitter = ThinkTagSplitter()
    var reasoning = ""
    var answer = ""
    var reclassified = false
    for piece in pieces {
        let out = splitter.feed(piece)
        if out.reclassifiedAnswer {
            reclassified = true
            reasoning += answer
            answer = ""
        }
        reasoning += out.reasoning
        answer += out.answer
    }
    let end = splitter.finish()
    return (reasoning + end.reasoning, answer + end.answer, splitter.endedInsideThink, reclassified)
}

/// Every way to cut `text` into two pieces, and into three.
private func everySplit(of text: String) -> [[String]] {
    let characters = Array(text)
    var result: [[String]] = [[text]]
    for i in 0...characters.count {
        result.append([String(characters[..<i]), String(characters[i...])])
        for j in i...characters.count {
            result.append([String(characters[..<i]), String(characters[i..<j]), String(characters[j...])])
        }
    }
    return result
}

@Suite struct ThinkTagSplitterTests {
    @Test func reasoningAndAnswerAreSeparatedAtEverySplitPoint() {
        let text = "<think>\nLet me add 17 and 25.\n</think>\n\nThe answer is 42."
        for pieces in everySplit(of: text) {
            let out = split(pieces)
            #expect(out.reasoning == "\nLet me add 17 and 25.\n", "pieces \(pieces)")
            #expect(out.answer == "The answer is 42.", "pieces \(pieces)")
            #expect(!out.insideThink)
        }
    }

    @Test func everyCharacterAsItsOwnPiece() {
        let text = "  <think>思考一下</think>  你好 <b>x</b>"
        let out = split(text.map { String($0) })
        #expect(out.reasoning == "思考一下")
        #expect(out.answer == "你好 <b>x</b>")
    }

    @Test func textWithoutTagsIsAllAnswerIncludingLeadingWhitespace() {
        for pieces in everySplit(of: "\nSure, a < b and <thin ice>.") {
            let out = split(pieces)
            #expect(out.answer == "\nSure, a < b and <thin ice>.", "pieces \(pieces)")
            #expect(out.reasoning.isEmpty)
        }
    }

    @Test func streamEndingInsideThinkHasNoAnswer() {
        for pieces in everySplit(of: "<think>still thinking</thi") {
            let out = split(pieces)
            #expect(out.reasoning == "still thinking</thi", "pieces \(pieces)")
            #expect(out.answer.isEmpty)
            #expect(out.insideThink)
        }
    }

    @Test func closingTagWithoutOpeningTagMakesTheTextBeforeItReasoning() {
        for pieces in everySplit(of: "Okay, the user wants 42.</think>\n\n42") {
            let out = split(pieces)
            #expect(out.reasoning == "Okay, the user wants 42.", "pieces \(pieces)")
            #expect(out.answer == "42", "pieces \(pieces)")
            #expect(out.reclassified)
        }
    }

    @Test func partialTagAtTheEndOfAnAnswerIsKept() {
        let out = split(["The tag is <thi"])
        #expect(out.answer == "The tag is <thi")
        #expect(out.reasoning.isEmpty)
    }

    @Test func secondThinkBlockIsReasoningToo() {
        let out = split(["<think>a</think>b<think>c</think>d"])
        #expect(out.reasoning == "ac")
        #expect(out.answer == "bd")
    }

    @Test func partialTagSuffixLength() {
        #expect(ThinkTagSplitter.partialTagSuffixLength("abc<th", "<think>") == 3)
        #expect(ThinkTagSplitter.partialTagSuffixLength("abc<think", "<think>") == 6)
        #expect(ThinkTagSplitter.partialTagSuffixLength("abc", "<think>") == 0)
        #expect(ThinkTagSplitter.partialTagSuffixLength("<", "</think>") == 1)
        #expect(ThinkTagSplitter.partialTagSuffixLength("</think>", "</think>") == 0)
    }
}

@Suite struct TokenTimelineTests {
    @Test func tagReasoningThenAnswerGivesTtfcAfterTtft() {
        var timeline = TokenTimeline()
        let chunks = ["<think>", "\n", "hmm", "\n", "</think>", "\n\n", "Hello", " there"]
        for (i, chunk) in chunks.enumerated() {
            timeline.receive(content: chunk, reasoning: nil, at: UInt64(100 + i * 10))
        }
        timeline.finish()
        #expect(timeline.answer == "Hello there")
        #expect(timeline.reasoning == "\nhmm\n")
        #expect(timeline.firstTokenAt == 100)
        #expect(timeline.firstAnswerAt == 160)
        #expect(timeline.reasoningChunks == 6)
        #expect(timeline.answerChunks == 2)
        #expect(timeline.textChunks == 8)
        #expect(timeline.reasoningNanoseconds == 60)
    }

    @Test func fieldReasoningThenAnswer() {
        var timeline = TokenTimeline()
        timeline.receive(content: "", reasoning: "Think", at: 10)
        timeline.receive(content: nil, reasoning: " more", at: 20)
        timeline.receive(content: "", reasoning: nil, at: 25)  // an empty delta is no token
        timeline.receive(content: "Answer", reasoning: nil, at: 30)
        timeline.finish()
        #expect(timeline.textChunks == 3)
        #expect(timeline.reasoningChunks == 2)
        #expect(timeline.firstAnswerAt == 30)
        #expect(timeline.reasoning == "Think more")
        #expect(timeline.answer == "Answer")
        #expect(timeline.gaps == [10, 10])
    }

    @Test func leadingWhitespaceOfAPlainAnswerIsAnswer() {
        var timeline = TokenTimeline()
        timeline.receive(content: "\n", reasoning: nil, at: 10)
        timeline.receive(content: "Hi", reasoning: nil, at: 20)
        timeline.receive(content: " <", reasoning: nil, at: 30)
        timeline.receive(content: "<", reasoning: nil, at: 40)
        timeline.finish()
        #expect(timeline.answer == "\nHi <<")
        #expect(timeline.reasoningChunks == 0)
        #expect(timeline.answerChunks == 4)
        #expect(timeline.firstAnswerAt == 10)
        #expect(timeline.reasoningNanoseconds == nil)
    }

    @Test func orphanClosingTagMovesEarlierAnswerChunksToReasoning() {
        var timeline = TokenTimeline()
        timeline.receive(content: "Okay", reasoning: nil, at: 10)
        timeline.receive(content: " so", reasoning: nil, at: 20)
        timeline.receive(content: "</think>", reasoning: nil, at: 30)
        timeline.receive(content: "\n\n", reasoning: nil, at: 40)
        timeline.receive(content: "42", reasoning: nil, at: 50)
        timeline.finish()
        #expect(timeline.reasoning == "Okay so")
        #expect(timeline.answer == "42")
        #expect(timeline.firstAnswerAt == 50)
        #expect(timeline.reasoningChunks == 4)
        #expect(timeline.answerChunks == 1)
        #expect(timeline.reasoningNanoseconds == 40)
    }

    @Test func streamEndingInThinkHasNoFirstAnswer() {
        var timeline = TokenTimeline()
        timeline.receive(content: "<think>", reasoning: nil, at: 10)
        timeline.receive(content: "hm", reasoning: nil, at: 20)
        timeline.finish()
        #expect(timeline.endedInsideThink)
        #expect(timeline.firstAnswerAt == nil)
        #expect(timeline.answer.isEmpty)
        #expect(timeline.reasoningNanoseconds == 10)
    }
}
