import ChatBenchCLI
import Dispatch
import Foundation

// The process wiring: signals in, exit code out. Everything else is in ChatBenchCLI/ChatBench.
let interrupts = Interrupts()
signal(SIGINT, SIG_IGN)
signal(SIGTERM, SIG_IGN)
signal(SIGPIPE, SIG_IGN)
let signalSources = [SIGINT, SIGTERM].map { number in
    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
    source.setEventHandler {
        if interrupts.fire() > 1 { exit(ExitCode.interrupted.rawValue) }
    }
    source.resume()
    return source
}

let code = await ChatBenchCommand.main(
    arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment, interrupts: interrupts)
withExtendedLifetime(signalSources) {}
exit(code.rawValue)
