// URLSession transport: the only TLS chatbench has without third-party code, so it serves
// `https://` targets (and `http://` in tests). See /work/shared/notes/transport.md for why the
// socket transport is preferred for `http://`, and for the guard rails applied here.
//
// What FoundationNetworking on Linux (swift-corelibs-foundation 6.3.1, libcurl 7.88.1 with
// OpenSSL) does about certificates, from its sources (`_EasyHandle.setCARootBundlePath()` in
// Sources/FoundationNetworking/URLSession/libcurl/EasyHandle.swift) and from probes against an
// `openssl s_server` with a self-signed certificate:
//
// - CA bundle. libcurl's built-in default CAINFO is kept when it has one (Debian/Ubuntu:
//   /etc/ssl/certs/ca-certificates.crt). Only when libcurl has none does Foundation set
//   CURLOPT_CAINFO to the first existing file of /etc/ssl/certs/ca-certificates.crt,
//   /etc/pki/tls/certs/ca-bundle.crt, /usr/share/ssl/certs/ca-bundle.crt,
//   /usr/local/share/certs/ca-root-nss.crt, /etc/ssl/cert.pem. There is no API to pass another
//   bundle (no URLSessionConfiguration property touches CAINFO/CAPATH).
// - The environment variable `URLSessionCertificateAuthorityInfoFile` (a CA file, or
//   `INSECURE_SSL_NO_VERIFY` to switch verification off) is read only under `#if os(Android)`;
//   the string is not even in the Linux libFoundationNetworking.so. Setting it on Linux does
//   nothing (probed).
// - OpenSSL's `SSL_CERT_FILE` / `SSL_CERT_DIR` do not help either: libcurl loads the explicit
//   CAINFO and never falls back to OpenSSL's default paths (probed: still "self-signed
//   certificate").
// - So, on Linux, a private CA is trusted only by adding it to the system bundle
//   (e.g. copy to /usr/local/share/ca-certificates/ and run `update-ca-certificates`), or by
//   putting a TLS-terminating proxy in front and using the socket transport. A `--ca-cert` flag
//   cannot be implemented on top of FoundationNetworking.
// - Server-trust challenges never reach the delegate on Linux (probed: neither the session nor
//   the task `didReceive challenge` is called; libcurl fails the handshake itself), so
//   `insecure: true` cannot switch verification off there. It works on Darwin, where the
//   challenge is answered with `URLCredential(trust:)`. The CLI therefore refuses `--ca-cert`
//   and `--insecure` with the workarounds (TLSTrust.swift), and a certificate failure names them.
// - Certificate failures arrive as NSURLErrorDomain code -1 (unknown), not
//   `secureConnectionFailed`/`serverCertificate*`; the libcurl text ("SSL certificate problem:
//   self-signed certificate") is in the localized description, which is how they are recognised.
// - `URLSessionTaskMetrics` are never delivered on Linux (probed: `didFinishCollecting` is not
//   called, neither on success nor on failure), so `TransportTimings.connected` stays nil and
//   `reusedConnection` false.

import Dispatch
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends requests through one URLSession and streams each response to its recorder, enforcing
/// chatbench's own deadlines with sub-second resolution.
///
/// Deadlines: URLSession cannot tell connecting from waiting for the response head, and exposes
/// neither connect completion nor (on Linux) metrics, so `Deadlines.connect` is not enforced
/// separately. Until the recorder reports its first token, the first-token deadline applies if
/// set; otherwise only the total deadline does. After the first token the idle deadline applies
/// (longest silence between body reads). The total deadline always applies.
public final class URLSessionTransport: HTTPTransport {
    private let origin: String
    private let host: String
    private let insecure: Bool
    private let session: URLSession
    private let router: URLSessionRouter
    /// `dataTask`/`resume`/`cancel` block on URLSession's shared work queue; they run here so a
    /// backlog there never parks a cooperative-pool thread.
    let submitQueue = DispatchQueue(label: "chatbench.urlsession.submit")
    /// Deadline timers only look at state and cancel; one serial queue is plenty.
    let timerQueue = DispatchQueue(label: "chatbench.urlsession.deadlines")
    /// Set and read only on `submitQueue`, so no task is created on an invalidated session.
    private let isShutDown = Mutex(false)

    /// `baseURL` gives scheme, host and port; request paths are absolute (`/v1/chat/completions`).
    public init(baseURL: URL, maxConnections: Int, insecure: Bool = false) {
        var components = URLComponents()
        components.scheme = baseURL.scheme ?? "https"
        components.host = baseURL.host ?? "localhost"
        components.port = baseURL.port
        origin = components.string ?? "https://localhost"
        host = baseURL.host ?? "localhost"
        self.insecure = insecure
        router = URLSessionRouter(insecure: insecure)

        let configuration = URLSessionConfiguration.ephemeral
        // The default of 6 silently queues streams inside libcurl.
        configuration.httpMaximumConnectionsPerHost = max(1, maxConnections)
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        // An idle timeout in whole seconds; each request raises it above its own total deadline
        // so that chatbench's timers always fire first.
        configuration.timeoutIntervalForRequest = 3600
        session = URLSession(configuration: configuration, delegate: router, delegateQueue: nil)
    }

    public func execute<R: ResponseRecorder>(
        _ request: HTTPRequest, deadlines: Deadlines, recorder: R
    ) async -> (R, TransportTimings) {
        let start = MonotonicClock.now()
        let exchange = URLSessionExchange(recorder: recorder, deadlines: deadlines, start: start, transport: self)
        guard let urlRequest = makeRequest(request, deadlines: deadlines) else {
            exchange.end(.failed(TransportFailure(.connectError, "cannot form a URL from \(origin) and path \(request.path.debugDescription)")))
            return exchange.result
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                exchange.begin(continuation, request: urlRequest)
            }
        } onCancel: {
            exchange.end(.failed(TransportFailure(.cancelled, "the request was cancelled by chatbench")))
        }
    }

    /// Cancels every request in flight (their recorders see `.cancelled`); later requests end
    /// in `.cancelled` at once.
    public func shutdown() {
        submitQueue.sync {
            isShutDown.withLock { $0 = true }
            session.invalidateAndCancel()
        }
    }

    deinit {
        // Exchanges keep the transport alive, so nothing is in flight here; without invalidation
        // the session would keep its delegate forever.
        session.finishTasksAndInvalidate()
    }

    // MARK: internals used by the exchanges

    func submit(_ exchange: some URLSessionExchangeHandler, request: URLRequest) {
        submitQueue.async { [self] in
            guard !exchange.hasEnded else { return }
            if isShutDown.withLock({ $0 }) {
                exchange.end(.failed(TransportFailure(.cancelled, "the transport was shut down before the request started")), taskIsOver: true)
                return
            }
            let task = session.dataTask(with: request)
            router.register(task.taskIdentifier, exchange)
            if exchange.attach(task) {
                task.resume()
                exchange.markSent(at: MonotonicClock.now())
            } else {
                router.unregister(task.taskIdentifier)
            }
        }
    }

    func cancel(_ task: URLSessionDataTask) {
        router.unregister(task.taskIdentifier)
        submitQueue.async { task.cancel() }
    }

    func failure(for error: any Error, bytesReceived: Int) -> TransportFailure {
        let nsError = error as NSError
        let text = (nsError.userInfo[NSLocalizedDescriptionKey] as? String) ?? nsError.localizedDescription
        let received = "after \(bytesReceived) body bytes"
        guard nsError.domain == NSURLErrorDomain else {
            return TransportFailure(.connectionLost, "\(text) (\(received))")
        }
        let looksLikeTLS = text.localizedCaseInsensitiveContains("SSL") || text.localizedCaseInsensitiveContains("certificate")
        switch URLError.Code(rawValue: nsError.code) {
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed:
            return TransportFailure(.connectError, "cannot connect to \(host): \(text)")
        case .networkConnectionLost:
            return TransportFailure(.connectionLost, "connection to \(host) lost \(received): \(text)")
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected,
            .clientCertificateRequired:
            return TransportFailure(.connectError, tlsDetail(text))
        case .cancelled:
            return TransportFailure(.cancelled, "URLSession cancelled the request \(received) (session shut down?)")
        case .timedOut:
            return TransportFailure(.idleTimeout, "URLSession's own idle timer fired \(received): \(text)")
        default:
            if looksLikeTLS { return TransportFailure(.connectError, tlsDetail(text)) }
            return TransportFailure(.connectionLost, "\(text) (URL error \(nsError.code), \(received))")
        }
    }

    private func tlsDetail(_ text: String) -> String {
        #if canImport(Darwin)
        return TLSTrust.detailPrefix + "\(text) (host \(host))"
        #else
        return TLSTrust.failureDetail(text, host: host)
        #endif
    }

    private func makeRequest(_ request: HTTPRequest, deadlines: Deadlines) -> URLRequest? {
        guard let url = URL(string: origin + request.path) else { return nil }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        // Whole seconds only (truncated inside corelibs) and an idle timer: keep it well above
        // chatbench's own total deadline so it never fires first.
        urlRequest.timeoutInterval = (Double(deadlines.total) / 1e9).rounded(.up) + 60
        urlRequest.cachePolicy = .reloadIgnoringLocalCacheData
        urlRequest.httpShouldHandleCookies = false
        for (name, value) in request.headers {
            urlRequest.addValue(value, forHTTPHeaderField: name)
        }
        // A compressing server or proxy could batch SSE events; also keeps byte counts honest.
        urlRequest.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        if !request.body.isEmpty { urlRequest.httpBody = Data(request.body) }
        return urlRequest
    }
}

// MARK: - Delegate

/// What the session-wide delegate forwards to one request. Every method is called on
/// URLSession's delegate queue and must stay trivial: that queue is serial for all streams.
protocol URLSessionExchangeHandler: AnyObject, Sendable {
    var hasEnded: Bool { get }
    func attach(_ task: URLSessionDataTask) -> Bool
    func markSent(at time: UInt64)
    func receive(response: URLResponse, at time: UInt64)
    func receive(data: Data, at time: UInt64)
    func complete(error: (any Error)?)
    func end(_ end: TransportEnd, taskIsOver: Bool)
}

/// The one delegate of the session: routes callbacks by task identifier.
final class URLSessionRouter: NSObject, URLSessionDataDelegate, Sendable {
    private let handlers = Mutex<[Int: any URLSessionExchangeHandler]>([:])
    private let insecure: Bool

    init(insecure: Bool) {
        self.insecure = insecure
    }

    func register(_ id: Int, _ handler: any URLSessionExchangeHandler) {
        handlers.withLock { $0[id] = handler }
    }

    func unregister(_ id: Int) {
        _ = handlers.withLock { $0.removeValue(forKey: id) }
    }

    private func handler(_ task: URLSessionTask) -> (any URLSessionExchangeHandler)? {
        handlers.withLock { $0[task.taskIdentifier] }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        let time = MonotonicClock.now()
        handler(dataTask)?.receive(response: response, at: time)
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let time = MonotonicClock.now()
        handler(dataTask)?.receive(data: data, at: time)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let handler = handlers.withLock { $0.removeValue(forKey: task.taskIdentifier) }
        handler?.complete(error: error)
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        // Only reached on Darwin: corelibs never raises server-trust challenges (see the top).
        #if canImport(Darwin)
        if insecure, challenge.protectionSpace.authenticationMethod == NSURLAuthenticationMethodServerTrust,
            let trust = challenge.protectionSpace.serverTrust
        {
            completionHandler(.useCredential, URLCredential(trust: trust))
            return
        }
        #endif
        completionHandler(.performDefaultHandling, nil)
    }
}

// MARK: - One request

/// The state of one request: the recorder, the caller's continuation and the deadline timer,
/// all behind one lock so that completion, deadline and cancellation race safely and the
/// recorder sees `receiveEnd` exactly once.
final class URLSessionExchange<R: ResponseRecorder>: URLSessionExchangeHandler {
    private struct State {
        var recorder: R
        var timings = TransportTimings()
        var continuation: CheckedContinuation<(R, TransportTimings), Never>?
        var ended = false
        var task: URLSessionDataTask?
        var sawHead = false
        var firstToken = false
        /// Last head or body read: the idle deadline counts from here.
        var lastRead: UInt64
        var timer: (any DispatchSourceTimer)?
    }

    private let state: Mutex<State>
    private let deadlines: Deadlines
    private let start: UInt64
    private let transport: URLSessionTransport

    init(recorder: R, deadlines: Deadlines, start: UInt64, transport: URLSessionTransport) {
        var initial = State(recorder: recorder, lastRead: start)
        initial.timings.start = start
        state = Mutex(initial)
        self.deadlines = deadlines
        self.start = start
        self.transport = transport
    }

    /// The recorder and timings as they stand (final once the exchange has ended).
    var result: (R, TransportTimings) {
        state.withLock { ($0.recorder, $0.timings) }
    }

    var hasEnded: Bool { state.withLock { $0.ended } }

    func begin(_ continuation: CheckedContinuation<(R, TransportTimings), Never>, request: URLRequest) {
        let endedEarly = state.withLock { s -> (R, TransportTimings)? in
            if s.ended { return (s.recorder, s.timings) }
            s.continuation = continuation
            let timer = DispatchSource.makeTimerSource(queue: transport.timerQueue)
            timer.setEventHandler { [self] in checkDeadlines() }
            s.timer = timer
            schedule(timer, s)
            timer.resume()
            return nil
        }
        if let endedEarly {
            continuation.resume(returning: endedEarly)
            return
        }
        transport.submit(self, request: request)
    }

    func attach(_ task: URLSessionDataTask) -> Bool {
        state.withLock { s in
            if s.ended { return false }
            s.task = task
            return true
        }
    }

    func markSent(at time: UInt64) {
        state.withLock { s in
            if !s.ended { s.timings.requestSent = time }
        }
    }

    func receive(response: URLResponse, at time: UInt64) {
        guard let http = response as? HTTPURLResponse else { return }
        var headers: [(name: String, value: String)] = []
        for (name, value) in http.allHeaderFields {
            headers.append((name: "\(name)", value: "\(value)"))
        }
        let head = HTTPResponseHead(
            status: http.statusCode, reason: HTTPURLResponse.localizedString(forStatusCode: http.statusCode),
            headers: headers, version: "HTTP/1.1")
        let stop = state.withLock { s -> Bool in
            if s.ended { return false }
            s.sawHead = true
            s.lastRead = time
            s.recorder.receiveHead(head, at: time)
            noteFirstToken(&s)
            return s.recorder.wantsToStop
        }
        if stop { end(.stoppedByRecorder) }
    }

    func receive(data: Data, at time: UInt64) {
        let stop = state.withLock { s -> Bool in
            if s.ended { return false }
            s.lastRead = time
            s.timings.bytesReceived += data.count
            data.withUnsafeBytes { s.recorder.receiveBody($0, at: time) }
            noteFirstToken(&s)
            return s.recorder.wantsToStop
        }
        if stop { end(.stoppedByRecorder) }
    }

    func complete(error: (any Error)?) {
        guard let error else {
            end(.complete, taskIsOver: true)
            return
        }
        let bytes = state.withLock { $0.timings.bytesReceived }
        end(.failed(transport.failure(for: error, bytesReceived: bytes)), taskIsOver: true)
    }

    /// Ends the request once: tells the recorder, stops the timer, cancels the URLSession task
    /// unless it already finished, and resumes the caller.
    func end(_ end: TransportEnd, taskIsOver: Bool = false) {
        let now = MonotonicClock.now()
        let finished = state.withLock { s -> (CheckedContinuation<(R, TransportTimings), Never>?, (R, TransportTimings), URLSessionDataTask?)? in
            if s.ended { return nil }
            s.ended = true
            s.recorder.receiveEnd(end, at: now)
            s.timer?.cancel()
            s.timer = nil
            let continuation = s.continuation
            s.continuation = nil
            let task = s.task
            s.task = nil
            return (continuation, (s.recorder, s.timings), task)
        }
        guard let (continuation, result, task) = finished else { return }
        if let task, !taskIsOver {
            transport.cancel(task)
        }
        continuation?.resume(returning: result)
    }

    // MARK: deadlines

    private func noteFirstToken(_ s: inout State) {
        guard !s.firstToken, s.recorder.hasFirstToken else { return }
        s.firstToken = true
        // The first-token deadline may lie far beyond the idle one: re-arm now, not when it fires.
        if let timer = s.timer { schedule(timer, s) }
    }

    private func nextDeadline(_ s: State) -> UInt64 {
        var next = saturatingAdd(start, deadlines.total)
        if !s.firstToken {
            if let firstToken = deadlines.firstToken { next = min(next, saturatingAdd(start, firstToken)) }
        } else if let idle = deadlines.idle {
            next = min(next, saturatingAdd(s.lastRead, idle))
        }
        return next
    }

    private func schedule(_ timer: any DispatchSourceTimer, _ s: State) {
        let now = MonotonicClock.now()
        let next = nextDeadline(s)
        let wait = next > now ? next - now : 0
        timer.schedule(deadline: .now() + .nanoseconds(Int(min(wait, UInt64(Int.max)))), leeway: .microseconds(200))
    }

    private func checkDeadlines() {
        let now = MonotonicClock.now()
        let failure = state.withLock { s -> TransportFailure? in
            if s.ended { return nil }
            let elapsed = Self.milliseconds(now - min(now, start))
            let progress = s.sawHead ? "response head received, \(s.timings.bytesReceived) body bytes" : "no response head, no bytes"
            if now >= saturatingAdd(start, deadlines.total) {
                return TransportFailure(.totalTimeout, "request exceeded the total deadline of \(Self.milliseconds(deadlines.total)) ms (--timeout) after \(elapsed) ms (\(progress))")
            }
            if !s.firstToken, let firstToken = deadlines.firstToken, now >= saturatingAdd(start, firstToken) {
                return TransportFailure(.firstTokenTimeout, "no first token within \(Self.milliseconds(firstToken)) ms (--first-token-timeout; \(progress))")
            }
            if s.firstToken, let idle = deadlines.idle, now >= saturatingAdd(s.lastRead, idle) {
                return TransportFailure(.idleTimeout, "no bytes for \(Self.milliseconds(now - s.lastRead)) ms, idle limit \(Self.milliseconds(idle)) ms (--idle-timeout; \(s.timings.bytesReceived) body bytes so far)")
            }
            if let timer = s.timer { schedule(timer, s) }
            return nil
        }
        if let failure { end(.failed(failure)) }
    }

    private static func milliseconds(_ ns: UInt64) -> String {
        let ms = Double(ns) / 1e6
        return ms >= 100 ? String(Int(ms.rounded())) : String(Double(Int(ms * 10)) / 10)
    }
}
