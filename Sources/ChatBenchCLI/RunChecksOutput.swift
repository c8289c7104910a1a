import ChatBench

extension RunCommand {
    /// After the reports: the checks' console block and verdict line, the step summary for
    /// GitHub Actions, and the exit code (1 when any check failed).
    static func finishChecks(_ report: RunReport, parsed: Parsed, environment: [String: String], console: Console) -> ExitCode {
        let checks = report.checks ?? CheckReport(suiteName: report.manifest.promptSetPath)
        if parsed.json {
            // stdout carries the JSON document alone; the verdict goes where people look.
            console.err(checks.verdict)
        } else if !parsed.quiet {
            console.out(ChecksConsoleReport.render(checks))
        }
        if let markdown = try? String(contentsOfFile: report.outDir + "/summary.md", encoding: .utf8) {
            CheckFlags.appendStepSummary(markdown, environment: environment, console: console)
        }
        if report.interrupted { return .interrupted }
        return checks.passed ? .success : .checksFailed
    }
}
