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
    /// `--shard I/N`: this process makes only its deterministic 1/N slice of the requests.
    public var shard: Shard?

    public init(prompts: [Prompt], modes: [RequestMode], repeatCount: Int = 1, requestLimit: Int? = nil, concurrency: Int = 1, shard: Shard? = nil) {
        self.prompts = prompts
        self.modes = modes
        self.repeatCount = max(1, repeatCount)
        self.requestLimit = requestLimit
        self.concurrency = max(1, concurrency)
        self.shard = shard
    }

    /// One request to make.
    public struct Item: Sendable, Equatable {
        public var prompt: Prompt
        public var mode: RequestMode
        public var index: Int
        public var repetition: Int
    }

    /// The number of requests the plan makes (this shard's share when sharded).
    public var count: Int {
        shard.map { $0.count(of: unshardedCount) } ?? unshardedCount
    }

    /// The number of requests of the whole plan, over every shard.
    public var unshardedCount: Int {
        requestLimit ?? prompts.count * modes.count * repeatCount
    }

    /// Request `position` of this process's plan. Sharded, it is request `shard.index + position * shard.count`
    /// of the whole plan and keeps that global index, so the shards' results merge without clashes.
    public func item(_ position: Int) -> Item {
        unshardedItem(shard.map { $0.globalIndex(position) } ?? position)
    }

    /// Request `index` of the whole plan: repetitions outermost, then prompts, then modes, so that with
    /// `--mode both` the two modes of a prompt run side by side.
    public func unshardedItem(_ index: Int) -> Item {
        let perRepetition = prompts.count * modes.count
        let repetition = index / perRepetition
        let within = index % perRepetition
        return Item(prompt: prompts[within / modes.count], mode: modes[within % modes.count], index: index, repetition: repetition)
    }
}

/// One of N deterministic slices of a plan (`--shard I/N`, 0-based like Kubernetes'
/// `JOB_COMPLETION_INDEX`): shard I makes the plan's requests I, I+N, I+2N, … Striding rather than
/// cutting blocks gives every shard the same mix of prompts and modes, and every shard of the same
/// plan agrees on the slicing without talking to the others.
public struct Shard: Sendable, Equatable, Codable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        precondition(count >= 1 && index >= 0 && index < count, "shard index must be in 0..<count")
        self.index = index
        self.count = count
    }

    /// Parses `I/N` with 0 <= I < N; nil when malformed or out of range.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 0, i < n else { return nil }
        self.init(index: i, count: n)
    }

    /// How many of `total` requests fall to this shard.
    public func count(of total: Int) -> Int {
        total > index ? (total - index + count - 1) / count : 0
    }

    /// The whole plan's index of this shard's `position`-th request.
    public func globalIndex(_ position: Int) -> Int {
        index + position * count
    }

    /// The rate one shard sends so that N shards together send `total` requests/s.
    /// Hook for open-loop load (`--rate R`): each shard must pace at `perShard(rate: R)`.
    public func perShard(rate total: Double) -> Double {
        total / Double(count)
    }

    public var description: String { "\(index)/\(count)" }
}
