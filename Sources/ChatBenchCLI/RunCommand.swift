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
        let expectProblems = Assertion.problems(in: promptSet)
        if !expectProblems.isEmpty {
            console.err(expectProblems.map(\.description).joined(separator: "\n") + "\nno request was sent; fix the expect objects above")
            return .usage
        }

        var config = parsed.configuration
        config.promptSet = promptSet
        let quiet = parsed.quiet
        var observer = RunObserver(message: { text in if !quiet { console.err(text) } })
        let progress = ProgressDisplay.make(console: console, environment: environment, enabled: !quiet && !parsed.noProgress)
        if let progress { observer = progress.observe(observer) }
        progress?.start()
        let task = Task { [config, observer] in
            try await BenchmarkRun.execute(config, observer: observer)
        }
        interrupts.onInterrupt {
            progress?.stop()
            console.err("interrupted: cancelling requests in flight and writing the reports for what finished (Ctrl-C again to quit at once)")
            task.cancel()
        }
        let report: RunReport
        do {
            report = try await task.value
            progress?.stop()
        } catch let error as RunError {
            progress?.stop()
            console.err("chatbench run: \(error)")
            switch error {
            case .unreachable: return .targetUnusable
            case .model(_, let usage): return usage ? .usage : .targetUnusable
            case .output, .mock, .limits: return .usage
            case .interrupted: return .interrupted
            }
        } catch {
            progress?.stop()
            console.err("chatbench run: \(error)")
            return .usage
        }
        if parsed.json {
            console.out(SummaryJSONReport.render(report.document))
        } else if !parsed.quiet {
            console.out(ConsoleReport.render(report.document, results: report.rows, outDir: report.outDir))
        }
        return finishChecks(report, parsed: parsed, environment: environment, console: console)
    }

    struct Parsed {
        var promptsPath: String
        var skipInvalid: Bool
        var quiet: Bool
        var json: Bool
        var configuration: RunConfiguration
        var noProgress = false
    }

    /// `--rate`, `--arrival`, `--burstiness`, `--duration`, `--grace`, `--warmup`, `--sweep`,
    /// `--schedule-seed`, with `--concurrency`: the load model.
    static func parseLoad(_ scanner: inout ArgumentScanner, concurrency: Int?) throws -> (model: LoadModel, warmup: Warmup?, sweep: Sweep?, seed: UInt64) {
        let rate = try scanner.double("--rate")
        if let rate, rate <= 0 { throw UsageError("--rate expects requests per second above 0") }
        let burstiness = try scanner.double("--burstiness")
        let arrivalName = try scanner.value("--arrival")
        let arrival: ArrivalPattern
        switch arrivalName ?? (burstiness != nil ? "gamma" : "constant") {
        case "constant": arrival = .constant
        case "poisson": arrival = .poisson
        case "gamma":
            let shape = burstiness ?? 1
            guard shape > 0 else { throw UsageError("--burstiness expects a number above 0 (1 is Poisson)") }
            arrival = .gamma(burstiness: shape)
        case let other: throw UsageError("--arrival expects constant, poisson or gamma, got \(other.debugDescription)")
        }
        if burstiness != nil, arrivalName != nil, arrivalName != "gamma" {
            throw UsageError("--burstiness applies to --arrival gamma")
        }
        let sweep: Sweep?
        if let text = try scanner.value("--sweep") {
            do { sweep = try Sweep.parse(text) } catch { throw UsageError("\(error)") }
        } else {
            sweep = nil
        }
        let openLoop = rate != nil || sweep?.dimension == .rate
        if (arrivalName != nil || burstiness != nil) && !openLoop {
            throw UsageError("--arrival and --burstiness need --rate (or --sweep rate=...)")
        }
        let duration = try scanner.duration("--duration")
        let grace = try scanner.duration("--grace")
        if grace != nil && duration == nil { throw UsageError("--grace applies to --duration") }
        var warmup: Warmup?
        if let text = try scanner.value("--warmup"), text != "0" {
            guard let parsed = Warmup.parse(text) else {
                throw UsageError("--warmup expects a number of requests or a duration such as 10s, got \(text.debugDescription)")
            }
            warmup = parsed
        }
        let seed = try scanner.int("--schedule-seed", range: 0...Int.max).map(UInt64.init) ?? 1
        // Open loop without --concurrency has no cap: requests go out on schedule however many are in flight.
        let cap = openLoop ? concurrency : (concurrency ?? 1)
        var model = LoadModel(concurrency: cap, rate: rate, arrival: arrival, duration: duration)
        if let grace { model.grace = grace }
        return (model, warmup, sweep, seed)
    }

    static func parse(_ arguments: [String], environment: [String: String]) throws -> Parsed {
        var scanner = ArgumentScanner(arguments)
        let mockFlag = scanner.flag("--mock")
        let baseURLText = try scanner.value("--base-url")
            ?? environment["CHATBENCH_BASE_URL"] ?? environment["OPENAI_BASE_URL"]
            ?? environment["OLLAMA_HOST"] ?? "http://localhost:11434/v1"
        let apiText = try scanner.value("--api") ?? "openai"
        guard let api = ChatAPI(rawValue: apiText) else {
            throw UsageError("--api expects openai or ollama, got \(apiText.debugDescription)")
        }
        var defaults = ChatRequestDefaults()
        defaults.api = api
        if let think = try scanner.value("--think") {
            defaults.think = try ollamaThink(think)
        }
        defaults.keepAlive = try scanner.value("--keep-alive")
        if api != .ollama && (defaults.think != nil || defaults.keepAlive != nil) {
            throw UsageError("--think and --keep-alive are Ollama options; add --api ollama")
        }
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
        let caCert = try scanner.value("--ca-cert")
        let insecure = scanner.flag("--insecure").present
        if let message = TLSTrust.unsupportedFlagsMessage(caCert: caCert, insecure: insecure) { throw UsageError(message) }
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
        let concurrencyFlag = try scanner.int("--concurrency", range: 1...100_000)
        let repeatCount = try scanner.int("--repeat", range: 1...1_000_000) ?? 1
        let requestLimit = try scanner.int("--requests", range: 1...100_000_000)
        let repeatGiven = arguments.contains(where: { $0 == "--repeat" || $0.hasPrefix("--repeat=") })
        if requestLimit != nil && repeatGiven {
            throw UsageError("give --requests or --repeat, not both")
        }
        let load = try parseLoad(&scanner, concurrency: concurrencyFlag)
        if load.model.duration != nil && repeatGiven {
            throw UsageError("give --duration or --repeat, not both (--duration cycles through the prompts until time is up)")
        }
        let concurrency = load.model.concurrency ?? 0
        let outDir = try scanner.value("--out")
        let quiet = scanner.flag("--quiet").present
        let json = scanner.flag("--json").present
        let noProgress = scanner.flag("--no-progress").present
        let shard = try parseShard(&scanner, environment: environment)
        let skipInvalid = scanner.flag("--skip-invalid").present
        let checks = try CheckFlags.parse(&scanner)
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
            "concurrency": concurrency == 0 ? "unlimited" : String(concurrency),
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
        if api != .openai { options["api"] = api.rawValue }
        if let think = defaults.think { options["think"] = think.serialized() }
        if let keepAlive = defaults.keepAlive { options["keep_alive"] = keepAlive }
        if !defaults.headers.isEmpty { options["headers"] = defaults.headers.map(\.name).joined(separator: ",") }  // names only: values may be secrets
        let placeholder = PromptSet(path: positionals[0], name: "", sha256: "", prompts: [])
        if let rate = load.model.rate { options["rate"] = String(rate); options["arrival"] = load.model.arrival.description }
        if let duration = load.model.duration { options["duration"] = formatDuration(duration) }
        if let warmup = load.warmup { options["warmup"] = warmup.description }
        if let sweep = load.sweep { options["sweep"] = sweep.description }
        let configuration = RunConfiguration(
            promptSet: placeholder, endpoint: endpoint, mock: mock, defaults: defaults, modes: modes,
            load: load.model, seed: load.seed, warmup: load.warmup, sweep: load.sweep,
            repeatCount: repeatCount, requestLimit: requestLimit, outDir: outDir, options: options, shard: shard)
        var configured = configuration
        configured.checks = checks
        return Parsed(promptsPath: positionals[0], skipInvalid: skipInvalid, quiet: quiet, json: json, configuration: configured,
                      noProgress: noProgress)
    }

    /// `--think`: true/false, or an effort level (`low`, `medium`, `high`) for models that take one.
    static func ollamaThink(_ text: String) throws -> JSONValue {
        switch text.lowercased() {
        case "true", "on", "yes": return .bool(true)
        case "false", "off", "no": return .bool(false)
        case "low", "medium", "high": return .string(text.lowercased())
        default: throw UsageError("--think expects true, false, low, medium or high, got \(text.debugDescription)")
        }
    }
}
