/// Before a run: is the target there, and does it serve the model? Lists `/models` once, so an
/// unreachable server or a misspelt model stops the run before any request, with the names the
/// server does have.
enum ModelCheck {
    static func resolve(requested: String?, needed: Bool, endpoint: Endpoint, transport: any HTTPTransport, deadlines: Deadlines, api: ChatAPI = .openai) async throws(RunError) -> String? {
        var limits = deadlines
        limits.firstToken = nil
        limits.total = min(deadlines.total, deadlines.connect &+ Deadlines.seconds(30))
        // Ollama's native model list is /api/tags at the host root (see ModelList).
        let listPath = api == .ollama ? endpoint.ollamaPath("tags") : endpoint.path(appending: "models")
        let request = HTTPRequest(method: "GET", path: listPath, headers: [("Accept", "application/json")])
        let (recorder, _) = await transport.execute(request, deadlines: limits, recorder: BodyRecorder())
        if let failure = recorder.failure {
            switch failure.outcome {
            case .connectError where failure.detail.hasPrefix(TLSTrust.detailPrefix):
                // The server answered; its certificate is the problem, and the detail says what to do.
                throw .unreachable("cannot reach \(endpoint): \(failure.detail)")
            case .connectError, .connectTimeout:
                throw .unreachable("cannot reach \(endpoint): \(failure.detail) — is the server (e.g. `ollama serve`) running? Try --mock for a simulated server.")
            case .cancelled:
                throw .interrupted
            default:
                throw .unreachable("\(endpoint) did not answer GET \(listPath): \(failure.detail)")
            }
        }
        // Servers without a model list (404) still get a run; nothing can be checked then.
        let available: [String]? = recorder.status == 200
            ? (try? JSONParser.parse(recorder.body)).flatMap { ModelList.names(in: $0, api: api) }
            : nil
        guard let requested else {
            guard needed else { return nil }
            if let available, available.count == 1 { return available[0] }
            let names = available.map { $0.isEmpty ? " (the server lists none)" : ": " + $0.joined(separator: ", ") } ?? ""
            throw .model("no --model given and the prompts do not name one; choose one of the server's models\(names)", usage: true)
        }
        if let available, !available.isEmpty {
            // Ollama treats `name` and `name:latest` as the same model.
            let known = available.contains { $0 == requested || $0 == requested + ":latest" || $0 + ":latest" == requested }
            if !known {
                throw .model("model \(requested.debugDescription) is not served by \(endpoint); available: \(available.joined(separator: ", "))", usage: false)
            }
        }
        return requested
    }
}

/// Collects a small response body whole (bounded), for requests like `GET /models`.
struct BodyRecorder: ResponseRecorder {
    var status: Int?
    var body: [UInt8] = []
    var failure: TransportFailure?
    var wantsToStop = false
    var hasFirstToken: Bool { status != nil }

    mutating func receiveHead(_ head: HTTPResponseHead, at time: UInt64) { status = head.status }
    mutating func receiveBody(_ bytes: UnsafeRawBufferPointer, at time: UInt64) {
        if body.count + bytes.count > 16 << 20 {
            failure = TransportFailure(.protocolError, "response larger than 16 MiB")
            wantsToStop = true
            return
        }
        body.append(contentsOf: bytes)
    }
    mutating func receiveEnd(_ end: TransportEnd, at time: UInt64) {
        if case .failed(let f) = end, failure == nil { failure = f }
    }
}

/// The model names in a model-list response: OpenAI's `{"data": [{"id": ...}]}` or Ollama's
/// `/api/tags` `{"models": [{"name": ...}]}`.
enum ModelList {
    static func names(in json: JSONValue, api: ChatAPI) -> [String]? {
        switch api {
        case .openai:
            return json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        case .ollama:
            return json["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue ?? $0["model"]?.stringValue }
        }
    }
}
