import ChatBench
import Foundation

/// The check flags `run` and `compare` share: `--threshold`, `--thresholds-file`, `--pass-rate`,
/// `--baseline`, `--tolerance`, `--bootstrap-seed`, `--junit`.
enum CheckFlags {
    static func parse(_ scanner: inout ArgumentScanner, thresholdsAllowed: Bool = true, baselineAllowed: Bool = true) throws -> CheckConfiguration {
        var configuration = CheckConfiguration()
        if thresholdsAllowed {
            for expression in try scanner.values("--threshold") {
                configuration.thresholds.append(try Threshold.parse(expression))
            }
            for path in try scanner.values("--thresholds-file") {
                let text: String
                do {
                    text = try String(contentsOfFile: path, encoding: .utf8)
                } catch {
                    throw UsageError("cannot read --thresholds-file \(path): \(error.localizedDescription)")
                }
                configuration.thresholds += try Threshold.parseFile(text, path: path)
            }
        }
        if let text = try scanner.value("--pass-rate") {
            configuration.passRate = try fraction(text, flag: "--pass-rate", allowZero: false)
        }
        if let text = try scanner.value("--tolerance") {
            configuration.tolerance = try fraction(text, flag: "--tolerance", allowZero: true)
        }
        if let seed = try scanner.value("--bootstrap-seed") {
            guard let value = UInt64(seed) else { throw UsageError("--bootstrap-seed expects a whole number, got \(seed.debugDescription)") }
            configuration.bootstrapSeed = value
        }
        configuration.junitPath = try scanner.value("--junit")
        if baselineAllowed, let path = try scanner.value("--baseline") {
            configuration.baseline = try BaselineRun.load(path: path)
        }
        return configuration
    }

    /// `90%` or `0.9`; a bare number above 1 is refused rather than guessed at.
    static func fraction(_ text: String, flag: String, allowZero: Bool) throws(UsageError) -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let value: Double?
        if trimmed.hasSuffix("%") {
            value = Double(trimmed.dropLast()).map { $0 / 100 }
        } else {
            value = Double(trimmed)
        }
        guard let value, value.isFinite, value <= 1, allowZero ? value >= 0 : value > 0 else {
            throw UsageError("\(flag) expects a fraction such as 0.9 or a percentage such as 90%, got \(text.debugDescription)")
        }
        return value
    }

    /// Appends the Markdown to the file `$GITHUB_STEP_SUMMARY` names, as GitHub Actions expects.
    static func appendStepSummary(_ markdown: String, environment: [String: String], console: Console) {
        guard let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return }
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            console.err("warning: cannot append to $GITHUB_STEP_SUMMARY (\(path))")
            return
        }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(markdown.utf8))
        } catch {
            console.err("warning: cannot append to $GITHUB_STEP_SUMMARY (\(path)): \(error.localizedDescription)")
        }
    }
}
