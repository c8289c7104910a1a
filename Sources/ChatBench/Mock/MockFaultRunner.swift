#if os(Linux)
import Glibc

/// Runs fault scripts on a mock connection (loop-confined, like the connection itself).
extension MockConnection {
    /// Answers the request with a fault when one is asked for (header, `metadata.mock_fault`, or
    /// the profile); an unknown fault name gets a 400 naming the known ones. False: answer normally.
    func answeredWithFault(header: String?, request: JSONValue, completion: MockCompletion, authorization: String?) -> Bool {
        let named = header ?? request["metadata"]?["mock_fault"]?.stringValue
        let fault: MockFault
        if let named {
            guard let known = MockFault(rawValue: named.trimmingSpaces) else {
                respondError(400, "unknown mock fault \(named.debugDescription); known: \(MockFault.names)", close: false)
                return true
            }
            fault = known
        } else if let profileFault = server.profile.fault {
            let take = server.takeProfileFault()
            guard take else { return false }
            fault = profileFault
        } else {
            return false
        }
        server.update { $0.faultsInjected += 1 }
        var steps = MockFaultScript.steps(
            for: fault, completion: completion, profile: server.profile, reusedConnection: requestsOnConnection > 1)
        if fault == .http401 {
            steps = [.send(MockFaultScript.errorResponse(401, profile: server.profile, authorization: authorization)), .finish]
        }
        busy = true
        server.update {
            $0.activeCompletions += 1
            $0.maxActiveCompletions = max($0.maxActiveCompletions, $0.activeCompletions)
        }
        run(steps[...])
        return true
    }

    /// Runs steps until a wait (which schedules the rest) or the end of the script.
    private func run(_ steps: ArraySlice<MockStep>) {
        var index = steps.startIndex
        while index < steps.endIndex {
            if closed { return }
            switch steps[index] {
            case .send(let bytes):
                write(bytes)
            case .wait(let ns):
                let rest = steps[(index + 1)...]
                schedule(at: MonotonicClock.now() &+ ns) { [self] in run(rest) }
                return
            case .finish:
                completionEnded()
                responseFinished()
                return
            case .close:
                completionEnded()
                busy = false
                close()
                return
            case .reset:
                completionEnded()
                busy = false
                // SO_LINGER 0: close sends RST instead of FIN and drops anything unsent.
                var option = linger(l_onoff: 1, l_linger: 0)
                _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
                close()
                return
            case .stall:
                // The answer is over for the server's books; the connection stays busy (and
                // silent) until the client gives up and closes it.
                completionEnded()
                return
            case .repeatEvery(let interval, let bytes):
                repeatForever(interval, bytes)
                return
            }
            index += 1
        }
        completionEnded()
        responseFinished()
    }

    private func repeatForever(_ interval: UInt64, _ bytes: [UInt8]) {
        schedule(at: MonotonicClock.now() &+ interval) { [self] in
            guard !closed else { return }
            write(bytes)
            repeatForever(interval, bytes)
        }
    }
}
#endif
