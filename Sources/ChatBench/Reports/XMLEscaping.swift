/// Escapes text for XML 1.0 (junit.xml, report.html, SVG), replacing the characters XML cannot
/// carry even escaped with U+FFFD: an answer can contain anything. In attributes (`attribute:
/// true`), line breaks and tabs are kept as character references so parsers do not fold them.
public func escapeXML(_ text: String, attribute: Bool = false) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        case "\n" where attribute: out += "&#10;"
        case "\t" where attribute: out += "&#9;"
        case "\r": out += "&#13;"
        case "\n", "\t": out.unicodeScalars.append(scalar)
        default:
            let v = scalar.value
            let allowed = v >= 0x20 && v != 0xFFFE && v != 0xFFFF
            if allowed { out.unicodeScalars.append(scalar) } else { out += "\u{FFFD}" }
        }
    }
    return out
}
