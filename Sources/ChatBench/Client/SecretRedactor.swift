/// Keeps credentials out of what chatbench writes: some servers repeat the API key they were
/// sent in their error message ("Incorrect API key provided: sk-…"), and that message goes into
/// `error`, the reports and the console. Every occurrence of the API key, and of the value of a
/// credential-like header, is replaced by `[redacted]`.
struct SecretRedactor: Sendable {
    let secrets: [String]

    static let credentialHeaders: Set<String> = ["authorization", "proxy-authorization", "api-key", "x-api-key", "cookie"]

    init(defaults: ChatRequestDefaults) {
        var secrets: [String] = []
        if let key = defaults.apiKey, !key.isEmpty { secrets.append(key) }
        for header in defaults.headers where Self.credentialHeaders.contains(header.name.lowercased()) {
            let value = header.value.trimmingSpaces
            secrets.append(value)
            // `Bearer sk-…`: the token alone is as secret as the whole value.
            if let space = value.firstIndex(of: " ") { secrets.append(String(value[value.index(after: space)...]).trimmingSpaces) }
        }
        // Longest first, so a token inside a longer secret does not leave the rest behind; very
        // short values would redact ordinary words and protect nothing.
        self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    func redact(_ text: String) -> String {
        var text = text
        for secret in secrets where text.contains(secret) {
            text = text.replacing(secret, with: "[redacted]")
        }
        return text
    }
}
