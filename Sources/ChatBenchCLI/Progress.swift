import ChatBench
import Synchronization

/// What the live progress line shows at one instant.
struct ProgressSnapshot: Sendable, Equatable {
    var planned: Int
    var done: Int
    var inFlight: Int
    var ok: Int
    var failed: Int
    /// Median TTFT of the most recent successful streams (`ProgressTracker.window` of them).
    var ttftP50: Double?
    var outputTokensPerS: Double?
    var elapsedS: Double
    /// Seconds to go at the rate so far; nil before the first result.
    var etaS: Double?
}

/// Counts a run as it goes. Fed from the run loop's task through `RunObserver` (never from the I/O
/// thread) and read by the redraw task, so its state sits behind a Mutex; each update is a few
/// additions, cheap enough to sit beside every result.
final class ProgressTracker: Sendable {
    /// How many recent TTFTs the rolling median covers.
    static let window = 100

    private struct State {
        var planned = 0
        var started = 0
        var ok = 0
        var failed = 0
        var outputTokens = 0
        var recentTTFT: [Double] = []
        var next = 0
        var firstStart: UInt64?
    }

    private let state = Mutex(State())

    func planned(_ count: Int) {
        state.withLock { $0.planned = count }
    }

    func started() {
        let now = MonotonicClock.now()
        state.withLock { s in
            s.started += 1
            if s.firstStart == nil { s.firstStart = now }
        }
    }

    func finished(_ result: RequestResult) {
        state.withLock { s in
            guard result.outcome == .ok else { s.failed += 1; return }
            s.ok += 1
            s.outputTokens += result.completionTokens ?? 0
            if let ttft = result.ttftMs {
                if s.recentTTFT.count < Self.window {
                    s.recentTTFT.append(ttft)
                } else {
                    s.recentTTFT[s.next] = ttft
                    s.next = (s.next + 1) % Self.window
                }
            }
        }
    }

    func snapshot(now: UInt64 = MonotonicClock.now()) -> ProgressSnapshot {
        let s = state.withLock { $0 }
        let done = s.ok + s.failed
        let elapsed = s.firstStart.map { MonotonicClock.milliseconds(from: $0, to: now) / 1000 } ?? 0
        let eta: Double? = s.planned > 0 && done > 0 && elapsed > 0 ? Double(max(0, s.planned - done)) * elapsed / Double(done) : nil
        return ProgressSnapshot(
            planned: s.planned, done: done, inFlight: max(0, s.started - done), ok: s.ok, failed: s.failed,
            ttftP50: Distribution.percentile(sorted: s.recentTTFT.sorted(), 0.5),
            outputTokensPerS: elapsed > 0 ? Double(s.outputTokens) / elapsed : nil, elapsedS: elapsed, etaS: eta)
    }
}

/// The progress line's text: a pure function, so its format is tested without a terminal.
enum ProgressLine {
    static func render(_ p: ProgressSnapshot, colour: Bool, columns: Int? = nil) -> String {
        func dim(_ text: String) -> String { colour ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
        let failed = p.failed > 0 && colour ? "\u{1B}[31m\(p.failed) failed\u{1B}[0m" : "\(p.failed) failed"
        let ttft = p.ttftP50.map { $0 < 100 ? String(format: "%.1f ms", $0) : String(format: "%.0f ms", $0) } ?? "-"
        let rate = p.outputTokensPerS.map { String(format: "%.0f", $0) } ?? "-"
        let parts = [
            // A run bounded only by --duration has no planned count.
            p.planned > 0 ? "\(p.done)/\(p.planned)" : "\(p.done) done",
            "\(p.inFlight) in flight",
            "\(p.ok) ok",
            failed,
            "TTFT p50 \(ttft)",
            "\(rate) tok/s",
            "\(clock(p.elapsedS)) elapsed",
            "ETA \(p.etaS.map(clock) ?? "-")",
        ]
        let plain = parts.joined(separator: " · ")
        // A line wider than the terminal wraps, and "\r" then only redraws its last row: cut it instead.
        if let columns, plain.count >= columns {
            return String(parts.map { $0.replacingOccurrences(of: "\u{1B}[31m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "") }
                .joined(separator: " · ").prefix(max(0, columns - 1)))
        }
        return parts.joined(separator: dim(" · "))
    }

    /// `m:ss`, or `h:mm:ss` from an hour.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60)
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
    }
}

/// Draws the progress line on a terminal at most 10 times a second from its own task, so no
/// drawing ever happens on the run loop's task or the I/O thread. Messages printed meanwhile
/// clear the line first so they never land in the middle of it.
final class ProgressDisplay: Sendable {
    let tracker = ProgressTracker()
    private let terminal: Terminal
    private let colour: Bool
    /// Serialises the redraw task's writes with messages; true while a line is on screen.
    private let drawn = Mutex(false)
    private let redraw = Mutex<Task<Void, Never>?>(nil)

    /// A display, or nil when there is nothing to draw on or the user opted out: stderr is not a
    /// terminal, `--no-progress`, or `--quiet`. `NO_COLOR` (any non-empty value) or `TERM=dumb` turn colour off.
    static func make(console: Console, environment: [String: String], enabled: Bool) -> ProgressDisplay? {
        guard enabled, let terminal = console.terminal else { return nil }
        let colour = (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        return ProgressDisplay(terminal: terminal, colour: colour)
    }

    init(terminal: Terminal, colour: Bool) {
        self.terminal = terminal
        self.colour = colour
    }

    /// Hooks the tracker into a run's observer.
    func observe(_ observer: RunObserver) -> RunObserver {
        var hooked = observer
        let tracker = self.tracker
        let message = observer.message, result = observer.result
        hooked.planned = { tracker.planned($0) }
        hooked.started = { _ in tracker.started() }
        hooked.result = { r in tracker.finished(r); result(r) }
        hooked.message = { [self] text in clearing { message(text) } }
        return hooked
    }

    /// Draws once now, then every 100 ms until `stop`.
    func start() {
        draw()
        let task = Task { [self] in
            while !Task.isCancelled {
                draw()
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        redraw.withLock { $0 = task }
    }

    /// Stops redrawing and removes the line, leaving the terminal as it was.
    func stop() {
        redraw.withLock { $0?.cancel(); $0 = nil }
        clearing {}
    }

    func draw() {
        let line = ProgressLine.render(tracker.snapshot(), colour: colour, columns: terminal.columns())
        drawn.withLock { drawn in
            terminal.write("\r" + line + "\u{1B}[K")
            drawn = true
        }
    }

    /// Runs `body` (which prints a message) with the line cleared; the next redraw puts it back.
    func clearing(_ body: () -> Void) {
        drawn.withLock { drawn in
            if drawn { terminal.write("\r\u{1B}[K") }
            drawn = false
            body()
        }
    }
}
