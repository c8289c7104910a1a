import Foundation
import Testing

@testable import ChatBench
@testable import ChatBenchCLI

@Suite struct DistributedRunTests {
    @Test func shardsPartitionThePlanExactlyAndKeepGlobalIndices() {
        let prompts = (0..<5).map { userPrompt("q\($0)", id: "q\($0)") }
        let whole = RunPlan(prompts: prompts, modes: [.stream, .nonStream], repeatCount: 2, load: .closed(concurrency: 1))
        let wholeItems = Array(whole.items())
        var seen: [Int] = []
        for i in 0..<3 {
            let plan = RunPlan(prompts: prompts, modes: [.stream, .nonStream], repeatCount: 2, load: .closed(concurrency: 1), shard: Shard(index: i, count: 3))
            let items = Array(plan.items())
            #expect(items.count == plan.count)
            #expect(items.allSatisfy { $0.index % 3 == i })
            for item in items { #expect(item == wholeItems[item.index]) }
            seen += items.map(\.index)
        }
        #expect(seen.sorted() == Array(0..<wholeItems.count))
        // More shards than requests: the extra shards have nothing to do.
        let tiny = RunPlan(prompts: [userPrompt("x")], modes: [.stream], load: .closed(concurrency: 1), shard: Shard(index: 1, count: 2))
        #expect(tiny.count == 0)
        #expect(Shard(index: 1, count: 4).perShard(rate: 10) == 2.5)
    }

    @Test(arguments: ["3/3", "-1/2", "1", "a/b", "0/0", "1/2/3"])
    func badShardTextIsRejected(text: String) {
        #expect(Shard(parsing: text) == nil)
    }

    @Test func shardComesFromJobCompletionIndex() throws {
        var scanner = ArgumentScanner(["--shards", "4"])
        #expect(try parseShard(&scanner, environment: ["JOB_COMPLETION_INDEX": "2"]) == Shard(index: 2, count: 4))
        var missing = ArgumentScanner(["--shards", "4"])
        #expect(throws: UsageError.self) { try parseShard(&missing, environment: [:]) }
        var outOfRange = ArgumentScanner(["--shards", "4"])
        #expect(throws: UsageError.self) { try parseShard(&outOfRange, environment: ["JOB_COMPLETION_INDEX": "4"]) }
        var both = ArgumentScanner(["--shards", "4", "--shard", "0/4"])
        #expect(throws: UsageError.self) { try parseShard(&both, environment: [:]) }
    }

    /// Three shards of one mock run, merged: the merged summary's percentiles are those of every record together.
    @Test func mergedShardsGiveThePercentilesOfAllRecords() async throws {
        let server = try MockServer(port: 0, profile: MockProfile(timeToFirstToken: 1_000_000, interTokenLatency: 100_000, tokens: 4, jitter: 0.5))
        defer { server.shutdown() }
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let prompts = (0..<7).map { userPrompt("question \($0)", id: "q\($0)", extra: ["max_tokens": .int(1 + $0 % 4)]) }
        var folders: [String] = []
        var union: [RequestResult] = []
        for i in 0..<3 {
            let config = RunConfiguration(
                promptSet: promptSet(prompts), endpoint: try Endpoint(parsing: server.baseURL),
                defaults: ChatRequestDefaults(model: "mock-model"), modes: [.stream, .nonStream], concurrency: 2,
                repeatCount: 2, outDir: "\(root)/shard-\(i)", options: ["concurrency": "2"], shard: Shard(index: i, count: 3))
            let report = try await BenchmarkRun.execute(config)
            #expect(report.manifest.shard == Shard(index: i, count: 3))
            #expect(report.manifest.runStartUnixMs != nil)
            folders.append(config.outDir!)
            union += report.results
        }
        #expect(union.count == 28)

        let (code, console) = await runCommand(["merge"] + folders.reversed() + ["--out", "\(root)/merged", "--quiet"])
        #expect(code == .success, "\(console.err)")
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(root)/merged/summary.json"))
        let merged = try SummaryDocument.decode(data)
        let expected = Summary(results: union, mode: nil)
        #expect(merged.overall.requests == 28)
        for (got, want) in [(merged.overall.ttftMs, expected.ttftMs), (merged.overall.e2eMs, expected.e2eMs),
                            (merged.overall.itlMs, expected.itlMs), (merged.overall.decodeTps, expected.decodeTps),
                            (merged.overall.completionTokens, expected.completionTokens)] {
            #expect(got == want)
        }
        #expect(merged.modes["non-stream"]?.e2eMs == Summary(results: union, mode: .nonStream).e2eMs)
        #expect(merged.manifest.mergedShards == 3)
        #expect(merged.manifest.shard == nil)
        #expect(merged.manifest.requests == 28)
        #expect(merged.manifest.concurrency == 6)
        let records = try ResultsLog.read(path: "\(root)/merged/results.jsonl")
        #expect(records.map(\.index) == Array(0..<28))
        // The merged folder is an ordinary run folder: re-reporting it reproduces its summary.json.
        _ = try RunReportFiles.rebuild(from: "\(root)/merged")
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(root)/merged/summary.json")) == data)
    }

    @Test func mergeRefusesDifferentPromptSetsOptionsAndDuplicates() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        func shardFolder(_ name: String, shard: Shard?, sha: String = "aa", options: [String: String] = ["concurrency": "1"]) throws -> String {
            let folder = "\(root)/\(name)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var manifest = RunManifest(
                toolVersion: "0", startedAt: "2025-01-01T00:00:00Z", targetURL: "http://h/v1", model: "m", promptSetPath: "p.jsonl",
                promptSetSHA256: sha, promptCount: 1, modes: ["stream"], concurrency: 1, maxInFlight: 1, repeatCount: 1, requests: 1,
                options: options, interrupted: false, mock: false)
            manifest.shard = shard
            try SummaryJSONReport.render(manifest: manifest, results: [RequestResult]()).write(toFile: folder + "/summary.json", atomically: true, encoding: .utf8)
            try "".write(toFile: folder + "/results.jsonl", atomically: true, encoding: .utf8)
            return folder
        }
        let a = try shardFolder("a", shard: Shard(index: 0, count: 2))
        let otherSet = try shardFolder("b", shard: Shard(index: 1, count: 2), sha: "bb")
        let otherOptions = try shardFolder("c", shard: Shard(index: 1, count: 2), options: ["concurrency": "8"])
        let duplicate = try shardFolder("d", shard: Shard(index: 0, count: 2))
        let plain = try shardFolder("e", shard: nil)
        let cases: [([String], String)] = [
            ([a, otherSet], "prompt set (sha256)"), ([a, otherOptions], "option concurrency (1 vs 8)"),
            ([a, duplicate], "both shard 0/2"), ([a, plain], "is not a shard"),
        ]
        for (folders, message) in cases {
            #expect {
                try ShardMerge.merge(folders: folders, outDir: "\(root)/out")
            } throws: { error in
                "\(error)".contains(message)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: "\(root)/out"))
        let partial = try ShardMerge.merge(folders: [a], outDir: "\(root)/out")
        #expect(partial.missingShards == [1])
    }
}

@Suite struct ReReportTests {
    @Test func reportReproducesTheRunsSummaryByteForByte() async throws {
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (code, console) = await runCommand(["run", CommandLineTests.smokePath, "--mock=ttft=2ms,itl=200us,tokens=8,jitter=0.3", "--out", out, "--mode", "both", "--quiet"])
        #expect(code == .success, "\(console.err)")
        var before: [String: Data] = [:]
        for file in RunReportFiles.derivedFiles {
            before[file] = try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(file)"))
            try FileManager.default.removeItem(atPath: "\(out)/\(file)")
        }
        // Only summary.json is needed (for the manifest); put it back and rebuild from results.jsonl.
        try before["summary.json"]!.write(to: URL(fileURLWithPath: "\(out)/summary.json"))
        let (again, reported) = await runCommand(["report", out + "/results.jsonl", "--quiet"])
        #expect(again == .success, "\(reported.err)")
        for file in RunReportFiles.derivedFiles {
            let after = try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(file)"))
            #expect(after == before[file], "\(file) differs after chatbench report")
        }
    }

    @Test func reportOfAFolderWithoutSummaryExplains() async throws {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (code, console) = await runCommand(["report", folder])
        #expect(code == .usage)
        #expect(console.err.contains("summary.json"))
    }
}
