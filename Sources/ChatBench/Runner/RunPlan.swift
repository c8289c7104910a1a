/// Which requests a run makes and how many may be in flight: the load described as data, so one
/// loop serves every mode.
public struct RunPlan: Sendable {
    public var prompts: [Prompt]
    public var modes: [RequestMode]
    /// Each prompt is sent this many times per mode (`--repeat`).
    public var repeatCount: Int
    /// `--requests N`: stop after N requests, cycling through the prompts as needed.
    public var requestLimit: Int?
    /// The most requests in flight at once (`--concurrency`).
    public var concurrency: Int

    public init(prompts: [Prompt], modes: [RequestMode], repeatCount: Int = 1, requestLimit: Int? = nil, concurrency: Int = 1) {
        self.prompts = prompts
        self.modes = modes
        self.repeatCount = max(1, repeatCount)
        self.requestLimit = requestLimit
        self.concurrency = max(1, concurrency)
    }

    /// One request to make.
    public struct Item: Sendable, Equatable {
        public var prompt: Prompt
        public var mode: RequestMode
        public var index: Int
        public var repetition: Int
    }

    /// The number of requests the plan makes.
    public var count: Int {
        requestLimit ?? prompts.count * modes.count * repeatCount
    }

    /// Request `index` of the plan: repetitions outermost, then prompts, then modes, so that with
    /// `--mode both` the two modes of a prompt run side by side.
    public func item(_ index: Int) -> Item {
        let perRepetition = prompts.count * modes.count
        let repetition = index / perRepetition
        let within = index % perRepetition
        return Item(prompt: prompts[within / modes.count], mode: modes[within % modes.count], index: index, repetition: repetition)
    }
}
