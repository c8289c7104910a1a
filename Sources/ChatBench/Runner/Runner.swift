/// Runs a plan: a task group that never has more than `concurrency` requests in flight, with the
/// parent task as the one consumer of results (it hands each to `onResult` as it finishes).
/// Cancelling the calling task stops new requests and cancels those in flight; they come back as
/// `cancelled` results and are still handed to `onResult`.
public struct Runner: Sendable {
    public let client: ChatClient

    public init(client: ChatClient) {
        self.client = client
    }

    /// What a run produced.
    public struct Output: Sendable {
        public var results: [RequestResult]
        /// The most requests that were ever in flight at once.
        public var maxInFlight: Int
        /// True when the run was cancelled before every planned request was made.
        public var interrupted: Bool
        /// Monotonic ns at the start of the run (the zero of `start_offset_ms`).
        public var start: UInt64
    }

    /// `onStart` is called as each request is handed to the client, `onResult` as each finishes;
    /// both on the calling task, so observers never run on the I/O thread.
    public func run(_ plan: RunPlan, onStart: (RunPlan.Item) -> Void = { _ in }, onResult: (RequestResult) -> Void) async -> Output {
        let runStart = MonotonicClock.now()
        let client = self.client
        let total = plan.count
        var results: [RequestResult] = []
        results.reserveCapacity(total)
        var next = 0
        var inFlight = 0
        var maxInFlight = 0
        await withTaskGroup(of: RequestResult.self) { group in
            while true {
                // Fill every free slot; a slot's `scheduled` time is the moment it was free.
                while inFlight < plan.concurrency && next < total && !Task.isCancelled {
                    let item = plan.item(next)
                    let scheduled = MonotonicClock.now()
                    group.addTask {
                        await client.send(
                            item.prompt, mode: item.mode, index: item.index, repetition: item.repetition,
                            scheduled: scheduled, runStart: runStart)
                    }
                    onStart(item)
                    next += 1
                    inFlight += 1
                    maxInFlight = max(maxInFlight, inFlight)
                }
                guard let result = await group.next() else { break }
                inFlight -= 1
                results.append(result)
                onResult(result)
            }
        }
        return Output(results: results, maxInFlight: maxInFlight, interrupted: next < total, start: runStart)
    }
}
