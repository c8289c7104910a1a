import Foundation
import Testing

/// The executable's own wiring: a real SIGINT to a real `chatbench run` process.
@Suite struct ProcessSignalTests {
    /// `swift build --build-tests` puts the executable beside the test bundle.
    static var executable: URL? {
        let bundleFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for folder in [bundleFolder, bundleFolder.deletingLastPathComponent()] {
            let candidate = folder.appendingPathComponent("chatbench")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    @Test func ctrlCEndsTheRunWithExit130AndAnInterruptedReport() throws {
        let binary = try #require(Self.executable, "chatbench executable not found beside \(CommandLine.arguments[0])")
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let process = Process()
        process.executableURL = binary
        process.arguments = [
            "run", CommandLineTests.smokePath, "--mock=ttft=1ms,itl=10s,tokens=3", "--concurrency", "2", "--out", out,
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        // Wait (by reading, not sleeping) until the run has started its server, then interrupt.
        var seen = ""
        while !seen.contains("mock server on") {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            seen += String(decoding: data, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGINT)
        let rest = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        seen += String(decoding: rest, as: UTF8.self)
        #expect(process.terminationReason == .exit, "\(seen)")
        #expect(process.terminationStatus == 130, "\(seen)")
        #expect(seen.contains("interrupted"))
        #expect(!seen.contains("crashed"))
    }
}
