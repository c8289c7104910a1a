import ChatBenchCLI
import Dispatch
import Foundation

/// Turns SIGINT/SIGTERM into `Interrupts`: the first asks the command to stop and report, the
/// second exits at once. Lives outside main.swift so its handlers are not main-actor isolated
/// (the handlers run on a Dispatch queue, and a main-actor closure there traps).
func installSignalHandlers(_ interrupts: Interrupts) -> [any DispatchSourceSignal] {
    signal(SIGPIPE, SIG_IGN)
    return [SIGINT, SIGTERM].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            if interrupts.fire() > 1 { exit(ExitCode.interrupted.rawValue) }
        }
        source.resume()
        return source
    }
}
