import ChatBench

/// `chatbench report RUN_DIR|results.jsonl [--out DIR]`: rebuild a run's reports from its recorded results.
enum ReportCommand {
    static func main(_ arguments: [String], console: Console) -> ExitCode {
        var scanner = ArgumentScanner(arguments)
        let path: String
        let outDir: String?
        let quiet: Bool
        do {
            outDir = try scanner.value("--out")
            quiet = scanner.flag("--quiet").present
            let positionals = try scanner.positionals()
            guard positionals.count == 1 else {
                throw UsageError(positionals.isEmpty ? "missing the run folder (or its results.jsonl)" : "expected one run folder, got \(positionals.count) arguments")
            }
            path = positionals[0]
        } catch {
            console.err("chatbench report: \(error)\n\n\(HelpText.reportUsage)")
            return .usage
        }
        do {
            let rebuilt = try RunReportFiles.rebuild(from: path, outFolder: outDir)
            if let line = rebuilt.truncatedLine {
                console.err("warning: skipped the incomplete last line \(line) of results.jsonl (the run was killed mid-write)")
            }
            if !quiet {
                console.out(ConsoleReport.render(rebuilt.document, results: rebuilt.rows, outDir: rebuilt.folder))
            }
            return .success
        } catch {
            console.err("chatbench report: \(error)")
            return .usage
        }
    }
}

/// `chatbench merge DIR... --out DIR`: combine the shard folders of one distributed run.
enum MergeCommand {
    static func main(_ arguments: [String], console: Console) -> ExitCode {
        var scanner = ArgumentScanner(arguments)
        let folders: [String]
        let outDir: String
        let quiet: Bool
        let json: Bool
        do {
            guard let out = try scanner.value("--out") else { throw UsageError("missing --out DIR for the merged run") }
            outDir = out
            quiet = scanner.flag("--quiet").present
            json = scanner.flag("--json").present
            folders = try scanner.positionals()
            guard !folders.isEmpty else { throw UsageError("missing the shard folders to merge") }
        } catch {
            console.err("chatbench merge: \(error)\n\n\(HelpText.mergeUsage)")
            return .usage
        }
        do {
            let merged = try ShardMerge.merge(folders: folders, outDir: outDir)
            if !merged.missingShards.isEmpty {
                let count = merged.missingShards.count + (merged.manifest.mergedShards ?? 0)
                console.err("warning: shards \(merged.missingShards.map { "\($0)/\(count)" }.joined(separator: ", ")) are missing; the merged run covers only part of the plan")
            }
            if json {
                console.out(SummaryJSONReport.render(manifest: merged.manifest, results: merged.results))
            } else if !quiet {
                console.out(ConsoleReport.render(manifest: merged.manifest, results: merged.results, outDir: merged.outDir))
            }
            return merged.manifest.interrupted ? .interrupted : .success
        } catch {
            console.err("chatbench merge: \(error)")
            return .usage
        }
    }
}
