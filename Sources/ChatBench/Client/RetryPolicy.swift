import Foundation

/// When a failed request is sent again (`--retries N`) and how long chatbench waits first.
/// Only failures where the server did no work are retried: 429 and 503 (the server said "later")
/// and connection failures (the request never arrived). A request that was cut off or timed out
/// may have been generated in part, so it is recorded, not repeated. The wait doubles from
/// `baseDelay` per attempt, without jitter (runs stay reproducible), up to `maxDelay`; a server's
/// `Retry-After` replaces it, capped by the same `maxDelay`.
public struct RetryPolicy: Sendable, Equatable {
    /// Extra attempts after the first (0: never retry).
    public var maxRetries: Int
    /// Nanoseconds before the first retry.
    public var baseDelay: UInt64
    /// The longest wait before any retry, whatever `Retry-After` asks for.
    public var maxDelay: UInt64

    public init(maxRetries: Int = 0, baseDelay: UInt64 = 500_000_000, maxDelay: UInt64 = 30_000_000_000) {
        self.maxRetries = max(0, maxRetries)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static let none = RetryPolicy()

    /// Whether a request that ended like `result` is worth sending again.
    public func isRetryable(_ result: RequestResult) -> Bool {
        switch result.outcome {
        case .connectError, .connectTimeout: true
        case .httpError: result.status == 429 || result.status == 503
        default: false
        }
    }

    /// Nanoseconds to wait after failed attempt number `attempt` (1-based).
    public func delay(afterAttempt attempt: Int, retryAfter: UInt64?) -> UInt64 {
        if let retryAfter { return min(retryAfter, maxDelay) }
        let exponent = UInt64(min(max(attempt - 1, 0), 40))
        let (scaled, overflow) = baseDelay.multipliedReportingOverflow(by: 1 << exponent)
        return overflow ? maxDelay : min(scaled, maxDelay)
    }

    /// `Retry-After` in nanoseconds: delta-seconds (`120`, also `1.5`) or an HTTP date
    /// (`Wed, 21 Oct 2015 07:28:00 GMT`, a past date is 0). nil when unreadable.
    public static func retryAfter(_ value: String, now: Date = Date()) -> UInt64? {
        let text = value.trimmingSpaces
        if let seconds = Double(text) {
            guard seconds.isFinite, seconds >= 0 else { return nil }
            return UInt64(min(seconds, 1e9) * 1e9)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now))
        return UInt64(min(seconds, 1e9) * 1e9)
    }
}

extension ChatClient {
    /// Sends one prompt and measures it, retrying as `defaults.retry` allows. `scheduled` is when
    /// the request was due (monotonic ns) and `runStart` the start of the run, for `queue_ms` and
    /// `start_offset_ms`. The result's metrics are the final attempt's; earlier attempts are in
    /// `retriedAttempts`. Cancelling the task while it waits to retry ends it as `cancelled`.
    public func send(_ prompt: Prompt, mode: RequestMode, index: Int, repetition: Int, scheduled: UInt64, runStart: UInt64) async -> RequestResult {
        let policy = defaults.retry
        var history: [AttemptRecord] = []
        var firstQueueMs: Double?
        var number = 1
        while true {
            var (result, retryAfter) = await attempt(prompt, mode: mode, index: index, repetition: repetition, scheduled: scheduled, runStart: runStart)
            // The client's own delay is the wait before the first attempt; the backoff is recorded per attempt.
            firstQueueMs = firstQueueMs ?? result.queueMs
            result.queueMs = firstQueueMs ?? result.queueMs
            result.attempts = number
            result.retriedAttempts = history
            // A cancelled task fails the sleep below at once, so it ends as `cancelled` there.
            guard number <= policy.maxRetries, policy.isRetryable(result) else { return result }
            let wait = policy.delay(afterAttempt: number, retryAfter: retryAfter.flatMap { RetryPolicy.retryAfter($0) })
            do {
                try await Task.sleep(nanoseconds: wait)
            } catch {
                result.outcome = .cancelled
                result.error = "cancelled while waiting to retry; attempt \(number) ended: \(result.error ?? result.outcome.rawValue)"
                return result
            }
            history.append(AttemptRecord(
                outcome: result.outcome, status: result.status, error: result.error,
                startOffsetMs: result.startOffsetMs, e2eMs: result.e2eMs, waitMs: Double(wait) / 1_000_000))
            number += 1
        }
    }
}
