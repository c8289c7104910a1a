/// Which wire protocol chatbench speaks to the target (`--api`).
public enum ChatAPI: String, Sendable, CaseIterable {
    /// `POST {base}/chat/completions` with SSE streaming: every OpenAI-compatible server.
    case openai
    /// Ollama's native `POST /api/chat` with NDJSON streaming and server-side timings.
    case ollama
}

extension Endpoint {
    /// A path of Ollama's native API, which lives at the host root whatever the base URL says:
    /// `http://localhost:11434/v1` and `http://localhost:11434` both give `/api/<suffix>`.
    public func ollamaPath(_ suffix: String) -> String {
        var root = basePath
        if root.hasSuffix("/v1") {
            root.removeLast(3)
        } else if root.hasSuffix("/api") {
            root.removeLast(4)
        }
        return root + "/api/" + suffix
    }
}

/// Builds Ollama `/api/chat` bodies from the OpenAI-style body chatbench assembles for a prompt.
enum OllamaRequestBody {
    /// OpenAI sampling fields that Ollama takes inside `options`, under the same name.
    static let optionFields = ["temperature", "seed", "top_p", "top_k", "min_p", "stop", "frequency_penalty", "presence_penalty", "repeat_penalty", "num_ctx"]
    /// Ollama's own top-level fields, forwarded as the prompt line gives them.
    static let nativeFields = ["format", "tools", "think", "keep_alive"]

    /// `model`, `messages`, `stream`; sampling fields and `max_tokens` (as `num_predict`) moved
    /// into `options` (a line's own `options` win); `think` and `keep_alive` from the line, else
    /// the run's defaults; `response_format` as `format`. Other OpenAI-only fields are dropped.
    static func make(from openAI: JSONObject, stream: Bool, think: JSONValue?, keepAlive: String?) -> JSONObject {
        var body = JSONObject()
        if let model = openAI["model"] { body["model"] = model }
        body["messages"] = openAI["messages"] ?? .array([])
        body["stream"] = .bool(stream)
        var options = openAI["options"]?.objectValue ?? JSONObject()
        if options["num_predict"] == nil, let limit = openAI["max_tokens"] ?? openAI["max_completion_tokens"] {
            options["num_predict"] = limit
        }
        for field in optionFields where options[field] == nil {
            if let value = openAI[field] { options[field] = value }
        }
        if !options.isEmpty { body["options"] = .object(options) }
        for field in nativeFields {
            if let value = openAI[field] { body[field] = value }
        }
        if body["think"] == nil, let think { body["think"] = think }
        if body["keep_alive"] == nil, let keepAlive {
            // Ollama reads a bare number as seconds (-1: forever) but a string only with a unit.
            body["keep_alive"] = Int(keepAlive).map { .int($0) } ?? .string(keepAlive)
        }
        if body["format"] == nil, let format = openAI["response_format"] {
            switch format["type"]?.stringValue {
            case "json_object": body["format"] = .string("json")
            case "json_schema":
                if let schema = format["json_schema"]?["schema"] { body["format"] = schema }
            default: break
            }
        }
        return body
    }
}

extension ChatClient {
    /// The request body for the configured API.
    public func wireBody(for prompt: Prompt, mode: RequestMode) -> JSONObject {
        let openAI = body(for: prompt, mode: mode)
        guard defaults.api == .ollama else { return openAI }
        return OllamaRequestBody.make(from: openAI, stream: mode == .stream, think: defaults.think, keepAlive: defaults.keepAlive)
    }

    /// `/v1/chat/completions`-style for OpenAI, `/api/chat` at the host root for Ollama.
    var chatPath: String {
        defaults.api == .ollama ? endpoint.ollamaPath("chat") : endpoint.path(appending: "chat/completions")
    }
}
