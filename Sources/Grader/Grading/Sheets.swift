import Foundation

/// The machine-readable sheet of one student: what the PDF shows, for other tools.
public struct SheetFile: Codable, Sendable {
    public let assignment: String
    public let student: Student
    public let exercises: [Entry]
    public let codeExercises: [CodeEntry]

    public struct Entry: Codable, Sendable {
        public let id: String
        public let title: Localized
        public let lesson: String
        public let parameters: Parameters
        public let prompt: Localized
        public let parts: [PartEntry]
    }
    public struct PartEntry: Codable, Sendable {
        public let id: String
        public let prompt: Localized
        public let points: Double
        public let kind: AnswerKind
    }
    public struct CodeEntry: Codable, Sendable {
        public let id: String
        public let title: Localized
        public let fileName: String
        public let signature: String
        public let prompt: Localized
        public let points: Double
    }

    public init(assignment: Assignment, student: Student) {
        self.assignment = assignment.id
        self.student = student
        exercises = assignment.exercises.map { ex in
            let p = ex.parameters(assignment: assignment.id, student: student.id)
            return Entry(id: ex.id, title: ex.title, lesson: ex.lesson, parameters: p, prompt: ex.prompt(p),
                         parts: ex.parts.map { PartEntry(id: $0.id, prompt: $0.prompt(p), points: $0.points, kind: $0.kind) })
        }
        codeExercises = assignment.codeExercises.map {
            CodeEntry(id: $0.id, title: $0.title, fileName: $0.fileName, signature: $0.signature, prompt: $0.prompt, points: $0.points)
        }
    }
}

extension Assignment {
    /// Writes each student's sheet.json and answers.toml (and, through `documents`, the PDFs)
    /// under `output/<id>/`. Returns the folders written.
    @discardableResult
    public func writeSheets(roster: Roster, to output: URL,
                            documents: (SheetFile, URL) throws -> Void = { _, _ in }) throws -> [URL] {
        var folders: [URL] = []
        for s in roster.students {
            let folder = output.appendingPathComponent(s.id, isDirectory: true)
            let sheet = SheetFile(assignment: self, student: s)
            try atomicWrite(JSONEncoder.pretty.encode(sheet), to: folder.appendingPathComponent("sheet.json"))
            try atomicWrite(Data(AnswerFile.template(assignment: self, student: s).utf8), to: folder.appendingPathComponent("answers.toml"))
            try documents(sheet, folder)
            folders.append(folder)
        }
        return folders
    }

    /// Every exercise's key for one student, as text for `course key`.
    public func keyText(student: String) -> String {
        var out = "\(title.en) — key for \(student)\n"
        for ex in exercises {
            let k = ex.key(assignment: id, student: student)
            out += "\n[\(ex.id)]  \(ex.title.en)\n"
            out += "  " + k.parameters.entries.map { "\($0.name) = \($0.value)" }.joined(separator: ", ") + "\n"
            for p in k.parts { out += "  \(p.part) = \(p.value)    (\(p.tolerance), \(Value.format(p.points)) pt)\n" }
        }
        return out
    }
}
