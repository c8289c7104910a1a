import ChatBench

/// `chatbench mock`: serve the simulated OpenAI-compatible server until interrupted.
enum MockCommand {
    static func main(_ arguments: [String], interrupts: Interrupts, console: Console) async -> ExitCode {
        var scanner = ArgumentScanner(arguments)
        FileDescriptorLimit.raiseToHard()  // one socket per client connection
        let server: MockServer
        do {
            let port = try scanner.int("--port", range: 0...65535) ?? 8000
            let profileText = try scanner.value("--profile")
            let positionals = try scanner.positionals()
            guard positionals.count <= 1, profileText == nil || positionals.isEmpty else {
                throw UsageError("give at most one profile")
            }
            let profile = try MockProfile.parse(profileText ?? positionals.first ?? "")
            server = try MockServer(port: port, profile: profile)
            console.err("chatbench mock: serving \(server.baseURL) (model \(profile.model); \(profile)); Ctrl-C stops")
        } catch let error as UsageError {
            console.err("chatbench mock: \(error)\n\n\(HelpText.mockUsage)")
            return .usage
        } catch {
            console.err("chatbench mock: \(error)")
            return .usage
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            interrupts.onInterrupt { continuation.resume() }
        }
        server.shutdown()
        return .interrupted
    }
}
