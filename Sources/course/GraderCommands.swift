import ArgumentParser
import Foundation
import Grader

struct SheetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sheets",
        abstract: "Write each student's exercise sheet (PDF, zh and en), answer template (TOML) and sheet.json.")

    @Option(help: "Assignment id (cnn-architectures).") var assignment = "cnn-architectures"
    @Option(help: "Roster CSV with a header id,name[,email].") var roster: String
    @Option(help: "Folder for the sheets, one subfolder per student.") var out = "Output/grades/sheets"

    func run() throws {
        let a = try Bank.assignment(assignment)
        let r = try Roster.load(URL(fileURLWithPath: roster))
        for p in r.problems { print("warning: \(p)") }
        let folders = try a.writeSheets(roster: r, to: URL(fileURLWithPath: out), documents: GraderDocuments.writeSheetPDFs)
        print("wrote sheets for \(folders.count) students under \(out)/")
    }
}

struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grade",
        abstract: "Grade a folder of submissions into a gradebook, results.json and feedback PDFs.")

    @Option(help: "Assignment id.") var assignment = "cnn-architectures"
    @Option(help: "Roster CSV.") var roster: String
    @Option(help: "Folder with one subfolder per student id (answers.toml, code files).") var submissions: String
    @Option(help: "Output folder.") var out = "Output/grades"
    @Flag(help: "Recompute every key with the current engine, regrade everyone, report whose scores change.") var regrade = false
    @Flag(help: "Skip the code exercises (no sandbox runs).") var noCode = false
    @Flag(help: "Skip the PDF reports.") var noPDF = false

    func run() throws {
        let a = try Bank.assignment(assignment)
        let r = try Roster.load(URL(fileURLWithPath: roster))
        var run = GradingRun(assignment: a, roster: r, submissions: URL(fileURLWithPath: submissions), output: URL(fileURLWithPath: out))
        run.gradeCode = !noCode
        let start = Date()
        let outcome = try run.run(regrade: regrade) { print($0) }
        for w in outcome.warnings { print("warning: \(w)") }
        if regrade {
            print(outcome.changes.isEmpty ? "regrade: no score changed" : "regrade: \(outcome.changes.count) scores changed")
            for c in outcome.changes { print("  \(c)") }
        }
        if !noPDF { try GraderDocuments.writeReports(outcome, assignment: a, to: URL(fileURLWithPath: out)) }
        let mean = outcome.reports.isEmpty ? 0 : outcome.reports.reduce(0) { $0 + $1.total } / Double(outcome.reports.count)
        print(String(format: "graded %d, resumed %d, %d students, mean %.2f / %.0f, %.1f s → %@/gradebook.csv",
                     outcome.graded, outcome.resumed, outcome.reports.count, mean, outcome.reports.first?.maximum ?? a.points, Date().timeIntervalSince(start), out))
    }
}

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "key", abstract: "Print one student's answer key.")
    @Option(help: "Assignment id.") var assignment = "cnn-architectures"
    @Option(help: "Student id.") var student: String
    func run() throws { print(try Bank.assignment(assignment).keyText(student: student)) }
}
