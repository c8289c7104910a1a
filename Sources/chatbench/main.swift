import ChatBenchCLI
import Foundation

// The process wiring: signals in, exit code out. Everything else is in ChatBenchCLI/ChatBench.
let interrupts = Interrupts()
let signalSources = installSignalHandlers(interrupts)
let code = await ChatBenchCommand.main(
    arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment, interrupts: interrupts)
withExtendedLifetime(signalSources) {}
exit(code.rawValue)
