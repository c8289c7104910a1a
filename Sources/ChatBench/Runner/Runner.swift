/// Runs a plan: THE run loop for every load model. A task group holds the requests in flight
/// (never more than the plan's concurrency) plus at most one timer for the next due arrival; the
/// parent task is the one consumer of results and hands each to `onResult` as it finishes.
/// Cancelling the calling task stops new requests and cancels those in flight; they come back as
/// `cancelled` results and are still handed to `onResult`.
public struct Runner: Sendable {
    public let client: ChatClient

    public init(client: ChatClient) {
        self.client = client
    }

    /// Marks every result of one call to `run` (warmup requests, a sweep level).
    public struct Phase: Sendable, Equatable {
        public var warmup: Bool
        public var level: String?

        public init(warmup: Bool = false, level: String? = nil) {
            self.warmup = warmup
            self.level = level
        }

        public static let measured = Phase()
    }

    /// What a run produced.
    /// (The results themselves went to `onResult`: the loop keeps none.)
    public struct Output: Sendable {
        /// The most requests that were ever in flight at once.
        public var maxInFlight: Int
        /// True when the run was cancelled before every planned request was made.
        public var interrupted: Bool
        /// Monotonic ns at the start of the run (the zero of `start_offset_ms`).
        public var start: UInt64
    }

    private enum Event: Sendable {
        case finished(RequestResult)
        case due
        case graceOver
    }

    /// `onStart` is called as each request is handed to the client, `onResult` as each finishes;
    /// both on the calling task, so observers never run on the I/O thread.
    public func run(
        _ plan: RunPlan, phase: Phase = .measured, runStart: UInt64? = nil, onStart: (RunPlan.Item) -> Void = { _ in },
        onResult: (RequestResult) -> Void
    ) async -> Output {
        let start = MonotonicClock.now()
        let runStart = runStart ?? start
        let client = self.client
        let load = plan.load
        var items = plan.items()
        var pending = items.next()
        var arrivals = load.rate.map { ArrivalProcess(rate: $0, pattern: load.arrival, seed: plan.seed) }
        // When the pending item is due (open loop), in monotonic ns.
        var pendingDue: UInt64?
        if arrivals != nil { pendingDue = start &+ arrivals!.next() }
        let stopReleasingAt = load.duration.map { start &+ $0 }
        var inFlight = 0
        var maxInFlight = 0
        var timerArmed = false
        var graceArmed = false
        var durationArmed = false
        var releasing = true
        // When the last slot was freed: a request that waited for a slot is late from then on,
        // not from its due time, when it comes to blaming the client.
        var slotFreedAt: UInt64 = start

        await withTaskGroup(of: Event.self) { group in
            while true {
                var now = MonotonicClock.now()
                if Task.isCancelled { releasing = false }
                if let stopReleasingAt, now >= stopReleasingAt, releasing {
                    releasing = false
                }
                while releasing, let item = pending, inFlight < load.slots {
                    // Closed loop: due the moment its slot was freed (stamped as soon as the
                    // finished request reached this loop, before its result was written).
                    let due = pendingDue ?? slotFreedAt
                    if due > now { break }
                    let readyAt = max(due, slotFreedAt)
                    group.addTask {
                        var result = await client.send(
                            item.prompt, mode: item.mode, index: item.index, repetition: item.repetition,
                            scheduled: due, runStart: runStart)
                        result.markSchedule(phase: phase, due: due, readyAt: readyAt, runStart: runStart)
                        return .finished(result)
                    }
                    onStart(item)
                    inFlight += 1
                    maxInFlight = max(maxInFlight, inFlight)
                    pending = items.next()
                    if arrivals != nil { pendingDue = start &+ arrivals!.next() }
                    now = MonotonicClock.now()
                }
                if pending == nil { releasing = false }
                if !releasing && inFlight == 0 { break }
                if releasing, !timerArmed, pending != nil, inFlight < load.slots, let due = pendingDue, due > now {
                    timerArmed = true
                    group.addTask {
                        try? await Task.sleep(nanoseconds: due - MonotonicClock.now())
                        return .due
                    }
                }
                if releasing, !durationArmed, let stopReleasingAt {
                    // Wake at the end of the duration even if every slot is busy.
                    durationArmed = true
                    group.addTask {
                        let now = MonotonicClock.now()
                        if stopReleasingAt > now { try? await Task.sleep(nanoseconds: stopReleasingAt - now) }
                        return .due
                    }
                }
                if !releasing, !graceArmed, let stopReleasingAt, !Task.isCancelled {
                    graceArmed = true
                    let graceEnd = stopReleasingAt &+ load.grace
                    group.addTask {
                        let now = MonotonicClock.now()
                        if graceEnd > now { try? await Task.sleep(nanoseconds: graceEnd - now) }
                        return .graceOver
                    }
                }
                guard let event = await group.next() else { break }
                switch event {
                case .finished(let result):
                    inFlight -= 1
                    slotFreedAt = MonotonicClock.now()
                    onResult(result)
                case .due:
                    // Either the next arrival's timer or the duration's; re-arming is cheap.
                    timerArmed = false
                case .graceOver:
                    // The duration is over and the grace period too: what is still running is cancelled
                    // (and recorded as such), as if interrupted.
                    if inFlight > 0 { group.cancelAll() }
                }
            }
            group.cancelAll()
        }
        let unfinished = pending != nil && (plan.count != nil || stopReleasingAt == nil)
        return Output(maxInFlight: maxInFlight, interrupted: unfinished || Task.isCancelled, start: runStart)
    }
}

extension RequestResult {
    /// Schedule bookkeeping: when the request was due, the latencies a user waiting since then
    /// saw (coordinated omission), and how late the client itself was.
    mutating func markSchedule(phase: Runner.Phase, due: UInt64, readyAt: UInt64, runStart: UInt64) {
        if phase.warmup { warmup = true }
        sweepLevel = phase.level
        scheduledOffsetMs = MonotonicClock.milliseconds(from: runStart, to: due)
        ttftFromScheduledMs = ttftMs.map { $0 + queueMs }
        e2eFromScheduledMs = e2eMs.map { $0 + queueMs }
        let started = startOffsetMs - MonotonicClock.milliseconds(from: runStart, to: readyAt)
        clientLagMs = max(0, started)
    }
}
