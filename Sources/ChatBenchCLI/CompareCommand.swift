import ChatBench
import Foundation

/// `chatbench compare BASE NEW`: two finished runs side by side, with a verdict per latency
/// percentile, assertion flips and changed answers; exit 1 when NEW regressed.
enum CompareCommand {
    static func main(_ arguments: [String], environment: [String: String], console: Console) async -> ExitCode {
        var scanner = ArgumentScanner(arguments)
        let base: BaselineRun
        let new: BaselineRun
        let configuration: CheckConfiguration
        let quiet: Bool
        do {
            configuration = try CheckFlags.parse(&scanner, thresholdsAllowed: false, baselineAllowed: false)
            quiet = scanner.flag("--quiet").present
            let positionals = try scanner.positionals()
            guard positionals.count == 2 else {
                throw UsageError("expected two runs, BASE and NEW (run folders or results.jsonl files), got \(positionals.count)")
            }
            base = try BaselineRun.load(path: positionals[0])
            new = try BaselineRun.load(path: positionals[1])
        } catch {
            console.err("chatbench compare: \(error)\n\n\(HelpText.compareUsage)")
            return .usage
        }
        let comparison = BaselineComparison.compare(
            base: base.results, new: new.results, baseLabel: base.path, newLabel: new.path,
            tolerance: configuration.tolerance, passRate: configuration.passRate, seed: configuration.bootstrapSeed)
        let report = CheckReport(suiteName: "compare", passRate: configuration.passRate, comparison: comparison)
        if comparison.rows.isEmpty {
            console.err("chatbench compare: the runs share no mode (stream / non-stream); nothing to compare figure by figure")
        }
        if !quiet {
            console.out(ChecksConsoleReport.comparisonLines(comparison, judgedOnly: false).joined(separator: "\n") + "\n\n" + report.verdict)
        }
        if let junit = configuration.junitPath {
            do {
                try JUnitReport.render(report).write(toFile: junit, atomically: true, encoding: .utf8)
            } catch {
                console.err("chatbench compare: cannot write \(junit): \(error.localizedDescription)")
                return .usage
            }
        }
        CheckFlags.appendStepSummary(ChecksMarkdownReport.render(report), environment: environment, console: console)
        return comparison.passed ? .success : .checksFailed
    }
}
