/// Where requests go: scheme, host, port and base path of an OpenAI-compatible API, parsed from
/// `--base-url`. Credentials in the URL are kept out of everything chatbench prints or writes.
public struct Endpoint: Sendable, Equatable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int
    /// Base path without a trailing slash, e.g. `/v1`.
    public var basePath: String

    /// Accepts `http://host:port/v1`, `https://...`, `host:port` (Ollama's `OLLAMA_HOST` style,
    /// which also gets `/v1` added), and URLs with or without the `/v1` suffix.
    public init(parsing text: String) throws(EndpointError) {
        var rest = text.trimmingSpaces
        // The query or fragment goes first, so that neither a `?` nor an `@` in it can be taken
        // for part of the authority (`http://h:8000?x=a@evil` must not connect to `evil`).
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = String(rest[..<query]) }
        if rest.isEmpty { throw .invalid(text, "empty URL") }
        var scheme = "http"
        if let range = rest.range(of: "://") {
            scheme = rest[..<range.lowerBound].lowercased()
            rest = String(rest[range.upperBound...])
        } else {
            // A bare host:port (OLLAMA_HOST=0.0.0.0:11434) names an Ollama server's root.
            rest += rest.contains("/") ? "" : "/v1"
        }
        guard scheme == "http" || scheme == "https" else { throw .invalid(text, "scheme must be http or https") }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = String(rest[..<slash])
        var path = String(rest[slash...])
        if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
        while path.hasSuffix("/") { path.removeLast() }
        // `http://localhost:11434` names the server, not an API root: every OpenAI-compatible
        // server (Ollama, vLLM, llama.cpp) serves the API under /v1.
        if path.isEmpty { path = "/v1" }
        var host = authority
        var port = scheme == "https" ? 443 : 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalid(text, "unclosed [ in IPv6 host") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (1...65535).contains(p) else { throw .invalid(text, "bad port") }
                port = p
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else {
                throw .invalid(text, "bad port")
            }
            port = p
        }
        if host.isEmpty { throw .invalid(text, "no host") }
        if host == "0.0.0.0" { host = "127.0.0.1" }  // a listen address, as in OLLAMA_HOST, reached on loopback
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = path
    }

    /// `basePath` + `/` + `suffix`.
    public func path(appending suffix: String) -> String {
        basePath + "/" + suffix
    }

    /// The URL without credentials, for display and for the manifest.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost):\(port)\(basePath)"
    }
}

/// A `--base-url` that cannot be used.
public enum EndpointError: Error, Equatable, CustomStringConvertible {
    case invalid(String, String)

    public var description: String {
        switch self {
        case .invalid(_, let reason): "invalid --base-url: \(reason) (expected e.g. http://localhost:11434/v1)"
        }
    }
}

/// The version chatbench reports in its User-Agent and manifests.
public enum ChatBenchVersion {
    public static let current = "0.1.0"
}
