/// The deterministic answer text of the simulated server, one token at a time. Chinese prompts get
/// Chinese answers, so multi-byte text is exercised end to end.
enum MockAnswer {
    static let english: [String] = [
        "Sure", ",", " here", " is", " a", " simulated", " answer", " from", " the", " chatbench", " mock",
        " server", ".", " It", " streams", " one", " token", " at", " a", " time", ",", " at", " a", " steady",
        " pace", ",", " so", " that", " latency", " figures", " are", " known", " in", " advance", ".",
        " 你好", "，", "世界", "！", " The", " answer", " is", " 42", ".",
    ]
    static let chinese: [String] = [
        "你好", "！", "我", "是", "一个", "模拟", "助手", "，", "用于", "测试", "流式", "输出", "。",
        "每个", "词", "都", "单独", "发送", "，", "包括", "中文", "字符", "和", "标点", "。", " 😀",
    ]

    static let thinking: [String] = [
        "Okay", ",", " the", " user", " asks", " a", " question", ".", " Let", " me", " think", " it", " through",
        " step", " by", " step", " before", " I", " answer", ".", " First", ",", " what", " is", " asked", "?",
    ]

    /// `count` tokens of reasoning; `tagged` wraps them in `<think>` and `</think>` tokens (which count).
    static func reasoning(count: Int, tagged: Bool) -> [String] {
        guard count > 0 else { return [] }
        guard tagged else { return (0..<count).map { thinking[$0 % thinking.count] } }
        if count == 1 { return ["<think></think>"] }
        return ["<think>"] + (0..<(count - 2)).map { thinking[$0 % thinking.count] } + ["</think>"]
    }

    /// The first `count` tokens of the answer for a prompt whose last user message is `text`.
    static func tokens(for text: String, count: Int) -> [String] {
        let corpus = text.unicodeScalars.contains(where: { $0.value >= 0x4E00 && $0.value <= 0x9FFF }) ? chinese : english
        return (0..<count).map { corpus[$0 % corpus.count] }
    }
}
