import ChatBench

/// `chatbench calibrate`: measure this machine's own ceiling and timing error.
enum CalibrateCommand {
    static func main(_ arguments: [String], interrupts: Interrupts, console: Console) async -> ExitCode {
        var settings = CalibrationSettings()
        let json: Bool
        do {
            var scanner = ArgumentScanner(arguments)
            if let levels = try scanner.value("--levels") {
                let parsed = levels.split(separator: ",").compactMap { Int($0) }
                guard !parsed.isEmpty, parsed.count == levels.split(separator: ",").count, parsed.allSatisfy({ $0 > 0 }) else {
                    throw UsageError("--levels expects whole numbers like 1,16,64")
                }
                settings.levels = parsed
            }
            settings.timeToFirstToken = try scanner.duration("--ttft") ?? settings.timeToFirstToken
            settings.interTokenLatency = try scanner.duration("--itl") ?? settings.interTokenLatency
            settings.tokens = try scanner.int("--tokens", range: 2...100_000) ?? settings.tokens
            settings.requestsPerSlot = try scanner.int("--requests-per-stream", range: 1...1000) ?? settings.requestsPerSlot
            settings.baseURL = try scanner.value("--base-url")
            json = scanner.flag("--json").present
            let rest = try scanner.positionals()
            guard rest.isEmpty else { throw UsageError("unexpected argument \(rest[0].debugDescription)") }
        } catch {
            console.err("chatbench calibrate: \(error)\n\nUsage: chatbench calibrate [--levels 1,16,64,256,1024] [--ttft 200ms] [--itl 20ms] [--tokens 50] [--json]")
            return .usage
        }
        if !json {
            console.err("calibrating: \(settings.levels.count) levels, mock ttft \(formatDuration(settings.timeToFirstToken)), itl \(formatDuration(settings.interTokenLatency)), \(settings.tokens) tokens per answer")
        }
        let task = Task {
            try await Calibration.run(settings) { level in
                if !json { console.err("  \(level.concurrency) streams: \(Int(level.eventsPerSecond)) events/s") }
            }
        }
        interrupts.onInterrupt { task.cancel() }
        do {
            let levels = try await task.value
            if json {
                console.out(Calibration.json(levels))
            } else {
                console.out(Calibration.render(levels))
            }
            return interrupts.interrupted ? .interrupted : .success
        } catch {
            console.err("chatbench calibrate: \(error)")
            return .targetUnusable
        }
    }
}
