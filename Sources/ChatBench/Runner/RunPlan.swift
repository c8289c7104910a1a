/// How requests are released: the load model as data, so one loop serves every model.
/// Closed loop: `concurrency` requests in flight, the next one due the moment a slot frees.
/// Open loop: requests due at the times of an `ArrivalProcess` at `rate`, optionally capped by
/// `concurrency` (a request that finds no free slot waits, and the wait is recorded).
public struct LoadModel: Sendable, Equatable {
    /// The most requests in flight at once; nil only in open loop, meaning no cap.
    public var concurrency: Int?
    /// Requests per second (open loop); nil for closed loop.
    public var rate: Double?
    public var arrival: ArrivalPattern
    /// Stop releasing requests this many nanoseconds after the start (`--duration`).
    public var duration: UInt64?
    /// After `duration`, how long requests in flight may still finish before they are cancelled.
    public var grace: UInt64

    public init(concurrency: Int? = 1, rate: Double? = nil, arrival: ArrivalPattern = .constant, duration: UInt64? = nil, grace: UInt64 = 30_000_000_000) {
        self.concurrency = concurrency.map { max(1, $0) }
        self.rate = rate
        self.arrival = arrival
        self.duration = duration
        self.grace = grace
    }

    /// Free slots to fill: `concurrency`, or unbounded.
    public var slots: Int { concurrency ?? Int.max }
    public var isOpenLoop: Bool { rate != nil }

    public static func closed(concurrency: Int) -> LoadModel { LoadModel(concurrency: concurrency) }
}

/// Which requests a run makes, in which order, and under which load model.
public struct RunPlan: Sendable {
    public var prompts: [Prompt]
    public var modes: [RequestMode]
    /// Each prompt is sent this many times per mode (`--repeat`).
    public var repeatCount: Int
    /// `--requests N`: stop after N requests, cycling through the prompts as needed.
    public var requestLimit: Int?
    public var load: LoadModel
    /// Seeds the arrival times and, with several modes, the order of the pairs.
    public var seed: UInt64
    /// `--shard I/N`: this process makes only its deterministic 1/N slice of the requests.
    public var shard: Shard?

    public init(
        prompts: [Prompt], modes: [RequestMode], repeatCount: Int = 1, requestLimit: Int? = nil,
        load: LoadModel = .closed(concurrency: 1), seed: UInt64 = 1, shard: Shard? = nil
    ) {
        self.prompts = prompts
        self.modes = modes
        self.repeatCount = max(1, repeatCount)
        self.requestLimit = requestLimit
        self.load = load
        self.seed = seed
        self.shard = shard
    }

    /// Convenience for a closed loop.
    public init(prompts: [Prompt], modes: [RequestMode], repeatCount: Int = 1, requestLimit: Int? = nil, concurrency: Int, shard: Shard? = nil) {
        self.init(
            prompts: prompts, modes: modes, repeatCount: repeatCount, requestLimit: requestLimit, load: .closed(concurrency: concurrency),
            shard: shard)
    }

    /// One request to make.
    public struct Item: Sendable, Equatable {
        public var prompt: Prompt
        public var mode: RequestMode
        public var index: Int
        public var repetition: Int
    }

    /// The number of requests this process makes (its shard's share); nil when only
    /// `--duration` bounds it.
    public var count: Int? {
        unshardedCount.map { total in shard.map { $0.count(of: total) } ?? total }
    }

    /// The number of requests of the whole plan, over every shard.
    public var unshardedCount: Int? {
        if let requestLimit { return requestLimit }
        if load.duration != nil { return nil }
        return prompts.count * modes.count * repeatCount
    }

    /// The requests in order: repetitions outermost, then prompts, then modes. With several
    /// modes (`--mode both`) each prompt's requests stay adjacent as a pair, the pairs of each
    /// repetition are shuffled with the seed and the mode that goes first alternates, so slow
    /// drift in the server hits both modes equally. Sharded, this process walks the whole plan
    /// and keeps requests I, I+N, I+2N, … with their whole-plan index, so shards merge cleanly.
    public func items() -> Items { Items(plan: self) }

    /// A stateful walk through the plan (each repetition's shuffle is computed once).
    public struct Items: Sendable, Sequence, IteratorProtocol {
        let plan: RunPlan
        private var index = 0
        private var repetition = -1
        private var order: [Int] = []

        init(plan: RunPlan) { self.plan = plan }

        public mutating func next() -> Item? {
            while let item = nextOfWholePlan() {
                guard let shard = plan.shard else { return item }
                if item.index % shard.count == shard.index { return item }
            }
            return nil
        }

        private mutating func nextOfWholePlan() -> Item? {
            if let count = plan.unshardedCount, index >= count { return nil }
            guard !plan.prompts.isEmpty, !plan.modes.isEmpty else { return nil }
            let perRepetition = plan.prompts.count * plan.modes.count
            let rep = index / perRepetition
            if rep != repetition {
                repetition = rep
                order = Array(plan.prompts.indices)
                if plan.modes.count > 1 {
                    var random = SeededRandom(seed: plan.seed &+ UInt64(rep) &* 0x9E37_79B9_7F4A_7C15)
                    random.shuffle(&order)
                }
            }
            let within = index % perRepetition
            let pair = within / plan.modes.count
            var modeIndex = within % plan.modes.count
            if plan.modes.count > 1 && (rep * plan.prompts.count + pair) % 2 == 1 {
                modeIndex = plan.modes.count - 1 - modeIndex
            }
            defer { index += 1 }
            return Item(prompt: plan.prompts[order[pair]], mode: plan.modes[modeIndex], index: index, repetition: rep)
        }
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
