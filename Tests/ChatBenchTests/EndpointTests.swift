import Testing

@testable import ChatBench

@Suite struct EndpointTests {
    @Test func fullHTTPURL() throws {
        let endpoint = try Endpoint(parsing: "http://localhost:11434/v1")
        #expect(endpoint.scheme == "http")
        #expect(endpoint.host == "localhost")
        #expect(endpoint.port == 11434)
        #expect(endpoint.basePath == "/v1")
        #expect(endpoint.description == "http://localhost:11434/v1")
    }

    @Test(arguments: ["http://localhost:11434/v1/", "http://localhost:11434/v1//", "  http://localhost:11434/v1/  "])
    func trailingSlashesAndSurroundingSpacesAreDropped(text: String) throws {
        let endpoint = try Endpoint(parsing: text)
        #expect(endpoint.basePath == "/v1")
        #expect(endpoint == (try Endpoint(parsing: "http://localhost:11434/v1")))
    }

    @Test func noPathMeansTheV1Root() throws {
        // `http://localhost:11434` (OLLAMA_HOST style with a scheme) names the server; the API is under /v1.
        let endpoint = try Endpoint(parsing: "http://localhost:8080")
        #expect(endpoint.basePath == "/v1")
        #expect(endpoint.port == 8080)
        #expect(endpoint.path(appending: "chat/completions") == "/v1/chat/completions")
        #expect(endpoint.description == "http://localhost:8080/v1")

        let slashOnly = try Endpoint(parsing: "http://localhost:8080/")
        #expect(slashOnly.basePath == "/v1")
        #expect(try Endpoint(parsing: "http://localhost:8080/api/openai").basePath == "/api/openai")
    }

    @Test func defaultPortsFollowTheScheme() throws {
        let openAI = try Endpoint(parsing: "https://api.openai.com/v1")
        #expect(openAI.scheme == "https")
        #expect(openAI.host == "api.openai.com")
        #expect(openAI.port == 443)
        #expect(openAI.basePath == "/v1")
        #expect(openAI.description == "https://api.openai.com:443/v1")

        let plain = try Endpoint(parsing: "http://example.com/v1")
        #expect(plain.port == 80)
    }

    @Test func schemeIsCaseInsensitive() throws {
        let endpoint = try Endpoint(parsing: "HTTPS://Example.com:8443/v1")
        #expect(endpoint.scheme == "https")
        #expect(endpoint.port == 8443)
    }

    @Test func ollamaHostStyleGetsHTTPAndV1() throws {
        let endpoint = try Endpoint(parsing: "localhost:11434")
        #expect(endpoint.scheme == "http")
        #expect(endpoint.host == "localhost")
        #expect(endpoint.port == 11434)
        #expect(endpoint.basePath == "/v1")
        #expect(endpoint == (try Endpoint(parsing: "http://localhost:11434/v1")))

        // A bare host:port with its own path keeps that path.
        let withPath = try Endpoint(parsing: "gpu-box:8000/openai/v1")
        #expect(withPath.host == "gpu-box")
        #expect(withPath.basePath == "/openai/v1")
    }

    @Test func listenAddressIsReachedOnLoopback() throws {
        let endpoint = try Endpoint(parsing: "0.0.0.0:11434")
        #expect(endpoint.host == "127.0.0.1")
        #expect(endpoint.port == 11434)
        #expect(endpoint.basePath == "/v1")
        #expect(try Endpoint(parsing: "http://0.0.0.0:8000/v1").host == "127.0.0.1")
    }

    @Test func credentialsAreDroppedFromEverythingShown() throws {
        let endpoint = try Endpoint(parsing: "http://user:secret@host:8000/v1")
        #expect(endpoint.host == "host")
        #expect(endpoint.port == 8000)
        #expect(endpoint.basePath == "/v1")
        #expect(endpoint.description == "http://host:8000/v1")
        #expect(!endpoint.description.contains("secret"))
        #expect(!endpoint.description.contains("user"))
        #expect(!String(describing: endpoint).contains("secret"))

        // An @ inside the password is still part of the credentials.
        let atInPassword = try Endpoint(parsing: "https://me:p@ss@api.example.com/v1")
        #expect(atInPassword.host == "api.example.com")
        #expect(!atInPassword.description.contains("ss"))
    }

    @Test func errorsDoNotEchoCredentials() {
        let error = #expect(throws: EndpointError.self) {
            _ = try Endpoint(parsing: "http://user:secret@host:99999/v1")
        }
        let text = error.map { String(describing: $0) } ?? ""
        #expect(text.contains("bad port"))
        #expect(!text.contains("secret"))
    }

    @Test func ipv6Host() throws {
        let endpoint = try Endpoint(parsing: "http://[::1]:8000/v1")
        #expect(endpoint.host == "::1")
        #expect(endpoint.port == 8000)
        #expect(endpoint.basePath == "/v1")
        #expect(endpoint.description == "http://[::1]:8000/v1")

        let noPort = try Endpoint(parsing: "https://[2001:db8::1]/v1")
        #expect(noPort.host == "2001:db8::1")
        #expect(noPort.port == 443)
        #expect(noPort.description == "https://[2001:db8::1]:443/v1")
    }

    @Test(arguments: ["http://h:8000/v1?api-version=2024", "http://h:8000/v1#frag", "http://h:8000/v1/?x=1&y=2"])
    func queryAndFragmentAreDropped(text: String) throws {
        let endpoint = try Endpoint(parsing: text)
        #expect(endpoint.basePath == "/v1")
        #expect(endpoint.description == "http://h:8000/v1")
    }

    @Test
    func queryWithoutPathIsDropped() throws {
        // A query right after the authority must not become part of the port or host.
        let endpoint = try Endpoint(parsing: "http://h:8000?key=secret")
        #expect(endpoint.host == "h")
        #expect(endpoint.port == 8000)
        #expect(endpoint.basePath == "/v1")
        // Worse, without a port an @ in the query is taken for credentials and the host changes.
        let host = try Endpoint(parsing: "http://real-host?user=a@evil.example")
        #expect(host.host == "real-host")
    }

    @Test(arguments: [
        ("ftp://x", "scheme must be http or https"),
        ("http://:80", "no host"),
        ("http://h:99999", "bad port"),
        ("http://h:0/v1", "bad port"),
        ("http://h:/v1", "bad port"),
        ("http://h:eighty/v1", "bad port"),
        ("http://[::1]:70000/v1", "bad port"),
        ("http://[::1/v1", "unclosed [ in IPv6 host"),
        ("", "empty URL"),
        ("   ", "empty URL"),
        ("http:///v1", "no host"),
    ])
    func invalidURLs(text: String, reason: String) {
        #expect(throws: EndpointError.invalid(text, reason)) {
            _ = try Endpoint(parsing: text)
        }
    }

    @Test func errorDescriptionGivesTheReasonAndAnExample() {
        let description = EndpointError.invalid("ftp://x", "scheme must be http or https").description
        #expect(description.contains("scheme must be http or https"))
        #expect(description.contains("http://localhost:11434/v1"))
    }

    @Test func pathAppending() throws {
        let endpoint = try Endpoint(parsing: "http://localhost:11434/v1")
        #expect(endpoint.path(appending: "chat/completions") == "/v1/chat/completions")
        #expect(endpoint.path(appending: "models") == "/v1/models")
        let nested = try Endpoint(parsing: "https://gw.example.com/team/openai/v1/")
        #expect(nested.path(appending: "models") == "/team/openai/v1/models")
    }
}
