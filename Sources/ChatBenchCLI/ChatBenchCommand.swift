import ChatBench

/// The `chatbench` command line: picks the subcommand, runs it, and turns every error into a
/// message and an exit code. The executable only wires signals and the process around this.
public enum ChatBenchCommand {
    public static func main(
        arguments: [String], environment: [String: String], interrupts: Interrupts = Interrupts(), console: Console = .standard
    ) async -> ExitCode {
        guard let command = arguments.first else {
            console.err(HelpText.overview)
            return .usage
        }
        let rest = Array(arguments.dropFirst())
        switch command {
        case "run":
            if rest.contains("--help") || rest.contains("-h") { console.out(HelpText.run); return .success }
            return await RunCommand.main(rest, environment: environment, interrupts: interrupts, console: console)
        case "mock":
            if rest.contains("--help") || rest.contains("-h") { console.out(HelpText.mock); return .success }
            return await MockCommand.main(rest, interrupts: interrupts, console: console)
        case "calibrate":
            if rest.contains("--help") || rest.contains("-h") { console.out(HelpText.calibrate); return .success }
            return await CalibrateCommand.main(rest, interrupts: interrupts, console: console)
        case "report":
            if rest.contains("--help") || rest.contains("-h") { console.out(HelpText.report); return .success }
            return ReportCommand.main(rest, console: console)
        case "merge":
            if rest.contains("--help") || rest.contains("-h") { console.out(HelpText.merge); return .success }
            return MergeCommand.main(rest, console: console)
        case "compare":
            if rest.contains("--help") || rest.contains("-h") { console.out(HelpText.compare); return .success }
            return await CompareCommand.main(rest, environment: environment, console: console)
        case "help", "--help", "-h":
            switch rest.first {
            case "run": console.out(HelpText.run)
            case "mock": console.out(HelpText.mock)
            case "calibrate": console.out(HelpText.calibrate)
            case "report": console.out(HelpText.report)
            case "merge": console.out(HelpText.merge)
            case "compare": console.out(HelpText.compare)
            default: console.out(HelpText.overview)
            }
            return .success
        case "--version", "version":
            console.out("chatbench \(ChatBenchVersion.current)")
            return .success
        default:
            console.err("chatbench: unknown command \(command.debugDescription)\n\n\(HelpText.overview)")
            return .usage
        }
    }
}
