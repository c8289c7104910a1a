import ChatBench

/// `--shard I/N`, or `--shards N` with the index from `JOB_COMPLETION_INDEX` (Kubernetes Indexed Jobs).
/// The shard is kept out of the manifest's options on purpose: it is the one setting in which the
/// shards of a run differ, and merge compares the options.
func parseShard(_ scanner: inout ArgumentScanner, environment: [String: String]) throws(UsageError) -> Shard? {
    let explicit = try scanner.value("--shard")
    let count = try scanner.int("--shards", range: 1...1_000_000)
    switch (explicit, count) {
    case (nil, nil):
        return nil
    case (.some, .some):
        throw UsageError("give --shard I/N or --shards N, not both")
    case (.some(let text), nil):
        guard let shard = Shard(parsing: text) else {
            throw UsageError("--shard expects I/N with 0 <= I < N (the index counts from 0, like JOB_COMPLETION_INDEX), got \(text.debugDescription)")
        }
        return shard
    case (nil, .some(let count)):
        guard let text = environment["JOB_COMPLETION_INDEX"] else {
            throw UsageError("--shards \(count) takes this shard's index from JOB_COMPLETION_INDEX, which is not set; outside a Kubernetes Indexed Job use --shard I/\(count)")
        }
        guard let index = Int(text), index >= 0, index < count else {
            throw UsageError("JOB_COMPLETION_INDEX=\(text) is not an index in 0..<\(count); does the Job's completions match --shards?")
        }
        return Shard(index: index, count: count)
    }
}
