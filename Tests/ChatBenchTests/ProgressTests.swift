import Foundation
import Synchronization
import Testing

@testable import ChatBench
@testable import ChatBenchCLI

/// A fake terminal that keeps every byte written to it.
final class CapturedTerminal: Sendable {
    private let text = Mutex("")
    var terminal: Terminal { Terminal(write: { t in self.text.withLock { $0 += t } }, columns: { nil }) }
    var written: String { text.withLock { $0 } }
}

@Suite struct ProgressTests {
    static let snapshot = ProgressSnapshot(planned: 120, done: 37, inFlight: 8, ok: 35, failed: 2, ttftP50: 201.4,
                                           outputTokensPerS: 412.3, elapsedS: 7.4, etaS: 16.6)

    @Test func lineShowsEveryFigure() {
        #expect(ProgressLine.render(Self.snapshot, colour: false)
            == "37/120 · 8 in flight · 35 ok · 2 failed · TTFT p50 201 ms · 412 tok/s · 0:07 elapsed · ETA 0:17")
        let empty = ProgressSnapshot(planned: 5, done: 0, inFlight: 0, ok: 0, failed: 0, ttftP50: nil, outputTokensPerS: nil, elapsedS: 0, etaS: nil)
        #expect(ProgressLine.render(empty, colour: false) == "0/5 · 0 in flight · 0 ok · 0 failed · TTFT p50 - · - tok/s · 0:00 elapsed · ETA -")
    }

    @Test func colourOnlyWhenAllowedAndNeverWiderThanTheTerminal() {
        let coloured = ProgressLine.render(Self.snapshot, colour: true)
        #expect(coloured.contains("\u{1B}[31m2 failed\u{1B}[0m"))
        #expect(!ProgressLine.render(Self.snapshot, colour: false).contains("\u{1B}"))
        let cut = ProgressLine.render(Self.snapshot, colour: true, columns: 40)
        #expect(cut.count == 39)
        #expect(!cut.contains("\u{1B}"))
        #expect(ProgressLine.clock(3725) == "1:02:05")
        #expect(ProgressLine.clock(59.6) == "1:00")
    }

    @Test func trackerCountsAndKeepsARollingMedian() {
        let tracker = ProgressTracker()
        tracker.planned(300)
        for _ in 0..<203 { tracker.started() }
        for i in 0..<200 {
            var r = RequestResult(id: "p", index: i, repetition: 0, mode: .stream)
            r.ttftMs = i < 100 ? 1000 : Double(i)  // the first 100 fall out of the window
            r.completionTokens = 3
            tracker.finished(r)
        }
        var failed = RequestResult(id: "p", index: 200, repetition: 0, mode: .stream)
        failed.outcome = .idleTimeout
        tracker.finished(failed)
        let s = tracker.snapshot()
        #expect(s.done == 201 && s.ok == 200 && s.failed == 1 && s.inFlight == 2 && s.planned == 300)
        #expect(s.ttftP50 == 149.5)
    }

    private func smokeRun(_ extra: [String], environment: [String: String] = [:]) async -> (ExitCode, String, CapturedConsole) {
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let captured = CapturedConsole(), screen = CapturedTerminal()
        var console = captured.console
        console.terminal = screen.terminal
        let code = await ChatBenchCommand.main(
            arguments: ["run", CommandLineTests.smokePath, "--mock=ttft=1ms,itl=100us,tokens=4", "--out", out] + extra,
            environment: environment, console: console)
        return (code, screen.written, captured)
    }

    @Test func progressIsDrawnOnATerminalAndClearedAtTheEnd() async {
        let (code, screen, console) = await smokeRun([])
        #expect(code == .success, "\(console.err)")
        #expect(screen.hasPrefix("\r"))
        #expect(screen.contains(" in flight"))
        #expect(screen.hasSuffix("\r\u{1B}[K"))  // the line is gone before the table is printed
        #expect(!console.err.contains("in flight"))
        let (_, plain, _) = await smokeRun([], environment: ["NO_COLOR": "1"])
        #expect(plain.replacingOccurrences(of: "\u{1B}[K", with: "").contains("\u{1B}") == false)
    }

    @Test(arguments: [["--no-progress"], ["--quiet"]])
    func optingOutDrawsNothing(flags: [String]) async {
        let (code, screen, _) = await smokeRun(flags)
        #expect(code == .success)
        #expect(screen.isEmpty)
    }
}
