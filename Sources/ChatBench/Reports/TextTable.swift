/// Plain-text tables for the console: columns padded to their widest cell, two spaces apart.
enum TextTable {
    /// The first `leftAligned` columns read left to right (names); the rest line up on their last
    /// character (numbers).
    static func render(_ rows: [[String]], leftAligned: Int = 1) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, text in
                let padding = String(repeating: " ", count: widths[column] - text.count)
                return column < leftAligned ? text + padding : padding + text
            }.joined(separator: "  ")
        }
    }
}
