import Synchronization

/// Ctrl-C, as the process wiring reports it: the first one asks the running command to stop and
/// write what it has; the executable exits at once on the second.
public final class Interrupts: Sendable {
    private let state = Mutex<(count: Int, handlers: [@Sendable () -> Void])>((0, []))

    public init() {}

    /// Runs `handler` on the next interrupt (at once if one already happened).
    public func onInterrupt(_ handler: @escaping @Sendable () -> Void) {
        let already = state.withLock { s -> Bool in
            if s.count > 0 { return true }
            s.handlers.append(handler)
            return false
        }
        if already { handler() }
    }

    /// Returns how many interrupts there have been, including this one.
    @discardableResult
    public func fire() -> Int {
        let (count, handlers) = state.withLock { s -> (Int, [@Sendable () -> Void]) in
            s.count += 1
            let taken = s.handlers
            s.handlers.removeAll()
            return (s.count, taken)
        }
        for handler in handlers { handler() }
        return count
    }

    public var interrupted: Bool { state.withLock { $0.count > 0 } }
}
