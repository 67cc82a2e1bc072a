import Foundation
import TOMLKit

/// The answer file a student fills in: TOML, one table per exercise, one key per part, each
/// preceded by comments that repeat the question.
public enum AnswerFile {
    /// Largest answer file read (a 50 MB file is refused with a message, not parsed).
    public static let maximumBytes = 1 << 20

    /// The template for one student: every key present with a placeholder value.
    public static func template(assignment: Assignment, student: Student) -> String {
        var out = "# \(assignment.title.zh) / \(assignment.title.en)\n"
        out += "# 学生 Student: \(student.id) \(student.name)\n"
        out += "# 把每个 0 / [] 换成你的答案。Replace each 0 / [] with your answer.\n"
        out += "# 整数写成 105415200，小数写成 0.5，形状写成 [96, 55, 55]。Integers as 105415200, reals as 0.5, shapes as [96, 55, 55].\n"
        for ex in assignment.exercises {
            let p = ex.parameters(assignment: assignment.id, student: student.id)
            out += "\n[\(ex.id)]\n"
            out += comment(ex.prompt(p).zh) + comment(ex.prompt(p).en)
            for part in ex.parts {
                out += comment("\(part.prompt(p).zh) / \(part.prompt(p).en)")
                out += "\(part.id) = \(part.kind.templateValue)\n"
            }
        }
        return out
    }

    private static func comment(_ text: String) -> String {
        text.split(separator: "\n").map { "# \($0)\n" }.joined()
    }

    /// What a student's answer file says, or why it cannot be read.
    public enum Contents: Sendable {
        case answers([String: [String: Given]], warnings: [String])
        case unreadable(String)
    }

    /// A value as written by the student, before it is checked against the expected kind.
    public enum Given: Sendable, Equatable, CustomStringConvertible {
        case integer(Int)
        case real(Double)
        case array([Given])
        case other(String)   // a string, a boolean, a table, a date: the type name

        public var description: String {
            switch self {
            case .integer(let i): return String(i)
            case .real(let d): return Value.format(d)
            case .array(let a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
            case .other(let t): return "<\(t)>"
            }
        }
    }

    /// Reads and parses `url`, never throwing: every problem becomes a readable message.
    public static func read(_ url: URL, assignment: Assignment) -> Contents {
        let path = url.lastPathComponent
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else {
            return .unreadable("\(path) is missing")
        }
        if (attributes[.type] as? FileAttributeType) != .typeRegular { return .unreadable("\(path) is not a regular file") }
        let size = (attributes[.size] as? Int) ?? 0
        if size > maximumBytes {
            return .unreadable("\(path) is \(size / 1_000_000) MB; the limit is \(maximumBytes / 1024) KB — was the right file submitted?")
        }
        guard let data = try? Data(contentsOf: url) else { return .unreadable("\(path) cannot be read") }
        if data.isEmpty { return .unreadable("\(path) is empty") }
        guard let text = String(data: data, encoding: .utf8) else {
            let offset = firstInvalidUTF8Offset(data)
            return .unreadable("\(path) is not UTF-8 text (invalid byte 0x\(String(data[offset], radix: 16)) at offset \(offset)); save it as UTF-8")
        }
        return parse(text, fileName: path, assignment: assignment)
    }

    /// Parses answer-file text (separate from `read` so tests can feed strings).
    public static func parse(_ text: String, fileName: String = "answers.toml", assignment: Assignment) -> Contents {
        if text.contains("\0") { return .unreadable("\(fileName) contains NUL bytes; it is not a text file") }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let e as TOMLParseError {
            return .unreadable("\(fileName), line \(e.source.begin.line), column \(e.source.begin.column): \(e.description)")
        } catch {
            return .unreadable("\(fileName): \(error)")
        }
        var answers: [String: [String: Given]] = [:]
        var warnings: [String] = []
        let known = Dictionary(uniqueKeysWithValues: assignment.exercises.map { ($0.id, Set($0.parts.map(\.id))) })
        for key in table.keys {
            guard let parts = known[key] else { warnings.append("unknown key '\(key)' ignored"); continue }
            guard let sub = table[key]?.tomlValue.table else {
                warnings.append("'\(key)' should be a table [\(key)], it is not; ignored"); continue
            }
            var values: [String: Given] = [:]
            for partKey in sub.keys {
                guard parts.contains(partKey) else { warnings.append("unknown key '\(key).\(partKey)' ignored"); continue }
                if let v = sub[partKey]?.tomlValue { values[partKey] = given(v) }
            }
            answers[key] = values
        }
        return .answers(answers, warnings: warnings)
    }

    static func given(_ v: TOMLValue) -> Given {
        switch v.type {
        case .int: return .integer(v.int ?? 0)
        case .double: return .real(v.double ?? .nan)
        case .array: return .array((v.array ?? TOMLArray()).map { given($0.tomlValue) })
        default: return .other(v.type.rawValue)
        }
    }

    static func firstInvalidUTF8Offset(_ data: Data) -> Int {
        var lo = 0, hi = data.count
        while lo < hi {   // the longest valid prefix, by bisection on decodability
            let mid = (lo + hi + 1) / 2
            if String(data: data.prefix(mid), encoding: .utf8) != nil { lo = mid } else { hi = mid - 1 }
        }
        return min(lo, data.count - 1)
    }
}
