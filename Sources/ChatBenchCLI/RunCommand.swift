import ChatBench

/// `chatbench run PROMPTS.jsonl [options]`: flags -> `RunConfiguration` -> `BenchmarkRun`.
enum RunCommand {
    static func main(_ arguments: [String], environment: [String: String], interrupts: Interrupts, console: Console) async -> ExitCode {
        let parsed: Parsed
        do {
            parsed = try parse(arguments, environment: environment)
        } catch {
            console.err("chatbench run: \(error)\n\n\(HelpText.runUsage)")
            return .usage
        }
        let promptSet: PromptSet
        do {
            promptSet = try PromptSet.load(path: parsed.promptsPath, skipInvalid: parsed.skipInvalid)
        } catch {
            var text = "\(error)"
            if case .invalidLines = error, !parsed.skipInvalid {
                text += "\nno request was sent; fix the lines above, or pass --skip-invalid to run the valid ones"
            }
            console.err(text)
            return .usage
        }
        for bad in promptSet.invalidLines { console.err("skipped \(bad)") }

        var config = parsed.configuration
        config.promptSet = promptSet
        let quiet = parsed.quiet
        let observer = RunObserver(message: { text in if !quiet { console.err(text) } })
        let task = Task { [config] in
            try await BenchmarkRun.execute(config, observer: observer)
        }
        interrupts.onInterrupt {
            console.err("interrupted: cancelling requests in flight and writing the reports for what finished (Ctrl-C again to quit at once)")
            task.cancel()
        }
        let report: RunReport
        do {
            report = try await task.value
        } catch let error as RunError {
            console.err("chatbench run: \(error)")
            switch error {
            case .unreachable: return .targetUnusable
            case .model(_, let usage): return usage ? .usage : .targetUnusable
            case .output, .mock, .limits: return .usage
            case .interrupted: return .interrupted
            }
        } catch {
            console.err("chatbench run: \(error)")
            return .usage
        }
        if parsed.json {
            console.out(SummaryJSONReport.render(manifest: report.manifest, results: report.results))
        } else if !parsed.quiet {
            console.out(ConsoleReport.render(manifest: report.manifest, results: report.results, outDir: report.outDir))
        }
        return report.interrupted ? .interrupted : .success
    }

    struct Parsed {
        var promptsPath: String
        var skipInvalid: Bool
        var quiet: Bool
        var json: Bool
        var configuration: RunConfiguration
    }

    static func parse(_ arguments: [String], environment: [String: String]) throws -> Parsed {
        var scanner = ArgumentScanner(arguments)
        let mockFlag = scanner.flag("--mock")
        let baseURLText = try scanner.value("--base-url")
            ?? environment["CHATBENCH_BASE_URL"] ?? environment["OPENAI_BASE_URL"]
            ?? environment["OLLAMA_HOST"] ?? "http://localhost:11434/v1"
        let api = try scanner.value("--api") ?? "openai"
        guard api == "openai" else { throw UsageError("--api \(api) is not supported yet; use --api openai (Ollama serves it at /v1)") }
        var defaults = ChatRequestDefaults()
        defaults.model = try scanner.value("--model")
        defaults.apiKey = try scanner.value("--api-key") ?? environment["OPENAI_API_KEY"]
        defaults.maxTokens = try scanner.int("--max-tokens", range: 1...Int.max)
        defaults.temperature = try scanner.double("--temperature")
        defaults.seed = try scanner.int("--seed", range: Int.min...Int.max)
        for header in try scanner.values("--header") {
            guard let colon = header.firstIndex(of: ":"), colon != header.startIndex else {
                // The text is not repeated: a mistyped header may well be a credential.
                throw UsageError("--header expects 'Name: value' (a name, a colon, then the value)")
            }
            let name = String(header[..<colon])
            let value = String(header[header.index(after: colon)...]).drop { $0 == " " }
            defaults.headers.append((name, String(value)))
        }
        defaults.deadlines.connect = try scanner.duration("--connect-timeout") ?? defaults.deadlines.connect
        defaults.deadlines.firstToken = try scanner.duration("--first-token-timeout") ?? defaults.deadlines.firstToken
        defaults.deadlines.idle = try scanner.duration("--idle-timeout") ?? defaults.deadlines.idle
        defaults.deadlines.total = try scanner.duration("--timeout") ?? defaults.deadlines.total
        defaults.retry.maxRetries = try scanner.int("--retries", range: 0...100) ?? 0
        defaults.retry.baseDelay = try scanner.duration("--retry-backoff") ?? defaults.retry.baseDelay
        defaults.retry.maxDelay = try scanner.duration("--retry-max-wait") ?? defaults.retry.maxDelay

        let modes: [RequestMode]
        switch try scanner.value("--mode") ?? "stream" {
        case "stream": modes = [.stream]
        case "non-stream", "nonstream": modes = [.nonStream]
        case "both": modes = [.stream, .nonStream]
        case let other: throw UsageError("--mode expects stream, non-stream or both, got \(other.debugDescription)")
        }
        let concurrency = try scanner.int("--concurrency", range: 1...100_000) ?? 1
        let repeatCount = try scanner.int("--repeat", range: 1...1_000_000) ?? 1
        let requestLimit = try scanner.int("--requests", range: 1...100_000_000)
        if requestLimit != nil && arguments.contains(where: { $0 == "--repeat" || $0.hasPrefix("--repeat=") }) {
            throw UsageError("give --requests or --repeat, not both")
        }
        let outDir = try scanner.value("--out")
        let quiet = scanner.flag("--quiet").present
        let json = scanner.flag("--json").present
        _ = scanner.flag("--no-progress")
        let skipInvalid = scanner.flag("--skip-invalid").present
        let positionals = try scanner.positionals()
        guard positionals.count == 1 else {
            throw UsageError(positionals.isEmpty ? "missing the prompt file (PROMPTS.jsonl)" : "expected one prompt file, got \(positionals.count) arguments")
        }

        let mock = mockFlag.present ? try MockProfile.parse(mockFlag.value ?? "") : nil
        let endpoint: Endpoint
        do {
            endpoint = try Endpoint(parsing: baseURLText)
        } catch {
            throw UsageError("\(error)")
        }
        var options: [String: String] = [
            "mode": modes.map(\.rawValue).joined(separator: ","),
            "concurrency": String(concurrency),
            "connect_timeout": formatDuration(defaults.deadlines.connect),
            "first_token_timeout": formatDuration(defaults.deadlines.firstToken ?? 0),
            "idle_timeout": formatDuration(defaults.deadlines.idle ?? 0),
            "timeout": formatDuration(defaults.deadlines.total),
        ]
        if let requestLimit { options["requests"] = String(requestLimit) } else { options["repeat"] = String(repeatCount) }
        if defaults.retry.maxRetries > 0 {
            options["retries"] = String(defaults.retry.maxRetries)
            options["retry_backoff"] = formatDuration(defaults.retry.baseDelay)
            options["retry_max_wait"] = formatDuration(defaults.retry.maxDelay)
        }
        if let maxTokens = defaults.maxTokens { options["max_tokens"] = String(maxTokens) }
        if let temperature = defaults.temperature { options["temperature"] = String(temperature) }
        if let seed = defaults.seed { options["seed"] = String(seed) }
        if !defaults.headers.isEmpty { options["headers"] = defaults.headers.map(\.name).joined(separator: ",") }  // names only: values may be secrets
        let placeholder = PromptSet(path: positionals[0], name: "", sha256: "", prompts: [])
        let configuration = RunConfiguration(
            promptSet: placeholder, endpoint: endpoint, mock: mock, defaults: defaults, modes: modes,
            concurrency: concurrency, repeatCount: repeatCount, requestLimit: requestLimit, outDir: outDir, options: options)
        return Parsed(promptsPath: positionals[0], skipInvalid: skipInvalid, quiet: quiet, json: json, configuration: configuration)
    }
}
