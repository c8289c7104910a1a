import Foundation

/// `chatbench merge`: combines the folders of a distributed run's shards (`--shard I/N`) into one
/// run folder whose reports are computed over the union of the shards' results — exact
/// percentiles over every record, never an average of per-shard percentiles.
public enum ShardMerge {
    /// The merged run, and what the caller should tell the user.
    public struct Merged: Sendable {
        public var outDir: String
        public var manifest: RunManifest
        public var results: [RequestResult]
        /// Shard indices of 0..<N that were not among the folders (the merge covers less than the whole plan).
        public var missingShards: [Int]
    }

    /// One shard folder as read from disk.
    struct Part {
        var folder: String
        var manifest: RunManifest
        var results: [RequestResult]
    }

    /// Reads every folder, checks they are shards of one run, and writes the merged run to `outDir`
    /// (which must not exist): results.jsonl (by plan index, times on one axis) and every report.
    public static func merge(folders: [String], outDir: String) throws(RunError) -> Merged {
        guard !folders.isEmpty else { throw .output("give the shard folders to merge") }
        var parts: [Part] = []
        for folder in folders {
            let manifest = try RunReportFiles.readManifest(folder + "/summary.json")
            let results: [RequestResult]
            do {
                results = try ResultsLog.read(path: folder + "/results.jsonl")
            } catch {
                throw .output("\(error)")
            }
            parts.append(Part(folder: folder, manifest: manifest, results: results))
        }
        let (manifest, missing) = try mergedManifest(parts)
        let results = mergedResults(parts)

        if FileManager.default.fileExists(atPath: outDir) {
            throw .output("\(outDir) already exists; chatbench never overwrites a run — choose another --out")
        }
        do {
            try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
            let log = try ResultsLog(path: outDir + "/results.jsonl")
            defer { log.close() }
            for result in results { try log.append(result) }
        } catch let error as RunError {
            throw error
        } catch {
            throw .output("cannot write \(outDir)/results.jsonl: \(error)")
        }
        try RunReportFiles.write(folder: outDir, manifest: manifest, results: results)
        return Merged(outDir: outDir, manifest: manifest, results: results, missingShards: missing)
    }

    /// The manifest of the whole run: the shards' common settings, their loads added up.
    /// Refuses folders that are not shards of one run, naming the first difference.
    static func mergedManifest(_ parts: [Part]) throws(RunError) -> (RunManifest, missing: [Int]) {
        let sorted = parts.sorted { ($0.manifest.shard?.index ?? -1) < ($1.manifest.shard?.index ?? -1) }
        let first = sorted[0]
        for part in sorted {
            guard part.manifest.shard != nil else {
                throw .output("\(part.folder) is not a shard (its summary.json has no \"shard\"); merge combines the folders of runs made with --shard I/N or --shards N")
            }
        }
        let count = first.manifest.shard!.count
        var seen: [Int: String] = [:]
        for part in sorted {
            let m = part.manifest
            func differs(_ what: String, _ a: String, _ b: String) -> RunError {
                .output("cannot merge: \(first.folder) and \(part.folder) differ in \(what) (\(a) vs \(b)); shards of one run must use the same prompt set and options")
            }
            if m.promptSetSHA256 != first.manifest.promptSetSHA256 {
                throw differs("prompt set (sha256)", "\(first.manifest.promptSetPath) \(first.manifest.promptSetSHA256.prefix(12))", "\(m.promptSetPath) \(m.promptSetSHA256.prefix(12))")
            }
            if m.options != first.manifest.options {
                let keys = Set(m.options.keys).union(first.manifest.options.keys).sorted()
                let key = keys.first { m.options[$0] != first.manifest.options[$0] } ?? "options"
                throw differs("option \(key)", first.manifest.options[key] ?? "unset", m.options[key] ?? "unset")
            }
            if m.modes != first.manifest.modes { throw differs("modes", first.manifest.modes.joined(separator: ","), m.modes.joined(separator: ",")) }
            if m.model != first.manifest.model { throw differs("model", first.manifest.model ?? "none", m.model ?? "none") }
            if m.api != first.manifest.api { throw differs("api", first.manifest.api, m.api) }
            if m.repeatCount != first.manifest.repeatCount { throw differs("repeat", "\(first.manifest.repeatCount)", "\(m.repeatCount)") }
            let shard = m.shard!
            if shard.count != count { throw differs("shard count", "\(first.manifest.shard!)", "\(shard)") }
            if let other = seen[shard.index] {
                throw .output("cannot merge: \(other) and \(part.folder) are both shard \(shard); give each shard's folder once")
            }
            seen[shard.index] = part.folder
        }

        var manifest = first.manifest
        manifest.startedAt = sorted.map(\.manifest.startedAt).min()!
        manifest.concurrency = sorted.reduce(0) { $0 + $1.manifest.concurrency }
        // The shards' peaks need not have coincided: this is the most that can have been in flight.
        manifest.maxInFlight = sorted.reduce(0) { $0 + $1.manifest.maxInFlight }
        manifest.requests = sorted.reduce(0) { $0 + $1.manifest.requests }
        manifest.interrupted = sorted.contains { $0.manifest.interrupted }
        manifest.targetURL = unique(sorted.map(\.manifest.targetURL))
        manifest.host.hostname = unique(sorted.map(\.manifest.host.hostname))
        manifest.host.cpuCount = sorted.reduce(0) { $0 + $1.manifest.host.cpuCount }
        manifest.shard = nil
        manifest.runStartUnixMs = sorted.compactMap(\.manifest.runStartUnixMs).min()
        manifest.mergedShards = sorted.count
        let missing = (0..<count).filter { seen[$0] == nil }
        return (manifest, missing)
    }

    /// Every shard's results on one time axis (each shard's offsets moved by how much later than
    /// the earliest shard its run loop started), in plan order.
    static func mergedResults(_ parts: [Part]) -> [RequestResult] {
        let zero = parts.compactMap(\.manifest.runStartUnixMs).min() ?? 0
        var all: [RequestResult] = []
        for part in parts {
            let shift = (part.manifest.runStartUnixMs ?? zero) - zero
            all += part.results.map { result in
                var moved = result
                moved.startOffsetMs += shift
                return moved
            }
        }
        return all.sorted { ($0.index, $0.mode.rawValue) < ($1.index, $1.mode.rawValue) }
    }

    private static func unique(_ values: [String]) -> String {
        var seen: [String] = []
        for value in values where !seen.contains(value) { seen.append(value) }
        return seen.joined(separator: ", ")
    }
}
