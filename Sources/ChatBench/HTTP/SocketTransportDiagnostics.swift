#if os(Linux)
extension SocketTransport {
    /// How many connections are open right now, pooled or in use, read on the I/O thread. After
    /// every request has returned, only kept-alive pooled connections may remain: a failed or
    /// timed-out request must have closed its own.
    public func openConnectionCount() async -> Int {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
            loop.execute { [self] in continuation.resume(returning: openConnections) }
        }
    }

    /// Requests the transport is working on right now.
    public func inFlightCount() async -> Int {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
            loop.execute { [self] in continuation.resume(returning: exchanges.count) }
        }
    }
}
#endif
