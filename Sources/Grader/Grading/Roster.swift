import Foundation

/// A student on the roster.
public struct Student: Codable, Sendable, Hashable {
    public let id: String
    public let name: String
    public let email: String?
    public init(id: String, name: String, email: String? = nil) { self.id = id; self.name = name; self.email = email }

    /// Ids become folder names: letters, digits, '_', '-', '.', not starting with '.'.
    public static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && !id.hasPrefix(".")
            && id.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "_-.".unicodeScalars.contains($0) }
    }
}

/// The class list: CSV with a header `id,name` and optionally `email`.
public struct Roster: Sendable {
    public let students: [Student]
    /// Rows that were skipped, with the reason (duplicate id, invalid id, short row).
    public let problems: [String]

    public init(students: [Student], problems: [String] = []) { self.students = students; self.problems = problems }

    public static func load(_ url: URL) throws -> Roster {
        guard let data = try? Data(contentsOf: url) else { throw GraderError("roster \(url.path): cannot be read") }
        guard let text = String(data: data, encoding: .utf8) else { throw GraderError("roster \(url.path): not UTF-8 text") }
        return try parse(text, name: url.lastPathComponent)
    }

    public static func parse(_ text: String, name: String = "roster.csv") throws -> Roster {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: true)
        guard let headerLine = lines.first else { throw GraderError("\(name): empty; expected a header line `id,name`") }
        let header = splitCSV(String(headerLine)).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let idCol = header.firstIndex(of: "id"), let nameCol = header.firstIndex(of: "name") else {
            throw GraderError("\(name): header is '\(headerLine)'; it must contain the columns id and name")
        }
        let emailCol = header.firstIndex(of: "email")
        var students: [Student] = [], problems: [String] = [], seen = Set<String>()
        for (i, line) in lines.dropFirst().enumerated() {
            let row = splitCSV(String(line))
            let lineNo = i + 2
            guard row.count > max(idCol, nameCol) else { problems.append("\(name) line \(lineNo): too few columns, skipped"); continue }
            let id = row[idCol].trimmingCharacters(in: .whitespaces)
            guard Student.isValidID(id) else { problems.append("\(name) line \(lineNo): invalid student id '\(id)' (letters, digits, _ - . only), skipped"); continue }
            guard seen.insert(id).inserted else { problems.append("\(name) line \(lineNo): duplicate student id '\(id)', skipped"); continue }
            let email = emailCol.flatMap { $0 < row.count ? row[$0].trimmingCharacters(in: .whitespaces) : nil }
            students.append(Student(id: id, name: row[nameCol].trimmingCharacters(in: .whitespaces), email: email?.isEmpty == true ? nil : email))
        }
        return Roster(students: students, problems: problems)
    }

    /// RFC 4180 fields: commas inside double quotes, doubled quotes as a literal quote.
    static func splitCSV(_ line: String) -> [String] {
        var fields: [String] = [], field = "", quoted = false
        var it = line.makeIterator()
        while let ch = it.next() {
            if quoted {
                if ch == "\"" {
                    if let next = it.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; if next == "," { fields.append(field); field = "" } else { field.append(next) } }
                    } else { quoted = false }
                } else { field.append(ch) }
            } else if ch == "\"" { quoted = true }
            else if ch == "," { fields.append(field); field = "" }
            else { field.append(ch) }
        }
        fields.append(field)
        return fields
    }

    /// A CSV field, quoted when it needs to be.
    static func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
