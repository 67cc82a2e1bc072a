import Foundation
import Render

/// The grader's PDFs: exercise sheets, per-student feedback and the class summary.
public enum GraderDocuments {
    /// Writes `sheet.zh.pdf` and `sheet.en.pdf` for one student into `folder`.
    public static func writeSheetPDFs(_ sheet: SheetFile, folder: URL) throws {
        for lang in Language.allCases {
            var doc = Document(title: title(sheet.assignment, lang), subtitle: "\(sheet.student.id) · \(sheet.student.name)",
                               language: lang == .zh ? .zh : .en, footer: sheet.assignment)
            doc.append(.callout(.note, lang == .zh
                ? "在 `answers.toml` 中填写答案：每道题一个表，每小题一个键。整数写成 `105415200`，小数写成 `0.5`，列表写成 `[96, 55, 55]`。代码题提交所给文件名的 Swift 文件。"
                : "Fill in `answers.toml`: one table per exercise, one key per part. Write integers as `105415200`, reals as `0.5`, lists as `[96, 55, 55]`. For code exercises, hand in a Swift file with the given name."))
            for ex in sheet.exercises {
                doc.append(.heading(ex.title.text(lang), level: 1))
                doc.append(.paragraph(escape(ex.prompt.text(lang))))
                doc.append(.table(Table(header: lang == .zh ? ["键", "问题", "分值"] : ["Key", "Question", "Points"],
                                        rows: ex.parts.map { ["`\(ex.id).\($0.id)`", escape($0.prompt.text(lang)), Value.format($0.points)] },
                                        alignment: [.left, .left, .right])))
            }
            for c in sheet.codeExercises {
                doc.append(.heading(c.title.text(lang), level: 1))
                doc.append(.paragraph(escape(c.prompt.text(lang))))
                doc.append(.paragraph(lang == .zh ? "提交文件 `\(c.fileName)`（\(Value.format(c.points)) 分），实现：" : "Hand in `\(c.fileName)` (\(Value.format(c.points)) points) implementing:"))
                doc.append(.code(c.signature + " {\n    // …\n}", language: .swift))
            }
            _ = try doc.write(to: folder.appendingPathComponent("sheet.\(lang.rawValue).pdf"))
        }
    }

    /// Writes one feedback PDF per student (`feedback/<id>.pdf`) and `summary.pdf`.
    public static func writeReports(_ outcome: GradingRun.Outcome, assignment: Assignment, to output: URL,
                                     language: Language = .zh) throws {
        let feedback = output.appendingPathComponent("feedback", isDirectory: true)
        for r in outcome.reports {
            _ = try feedbackDocument(r, assignment: assignment, language: language)
                .write(to: feedback.appendingPathComponent("\(r.student.id).pdf"))
        }
        _ = try summaryDocument(outcome, assignment: assignment, language: language).write(to: output.appendingPathComponent("summary.pdf"))
    }

    static func feedbackDocument(_ r: StudentReport, assignment: Assignment, language lang: Language) -> Document {
        let zh = lang == .zh
        var doc = Document(title: title(assignment.id, lang), subtitle: "\(r.student.id) · \(r.student.name)",
                           language: zh ? .zh : .en, footer: assignment.id)
        doc.append(.paragraph(zh ? "**总分：\(Value.format(r.total)) / \(Value.format(r.maximum))**" : "**Total: \(Value.format(r.total)) / \(Value.format(r.maximum))**"))
        for w in r.warnings { doc.append(.callout(.warning, escape(w))) }
        let ids = assignment.exercises.map { ($0.id, $0.title) } + assignment.codeExercises.map { ($0.id, $0.title) }
        for (id, t) in ids {
            let checks = r.checks.filter { $0.exercise == id }
            guard !checks.isEmpty else { continue }
            let got = checks.reduce(0) { $0 + $1.points }, max = checks.reduce(0) { $0 + $1.maxPoints }
            doc.append(.heading("\(t.text(lang)) — \(Value.format(got)) / \(Value.format(max))", level: 1))
            doc.append(.table(Table(
                header: zh ? ["小题", "结果", "你的答案", "正确答案", "得分", "说明"] : ["Part", "Result", "Given", "Expected", "Points", "Note"],
                rows: checks.map { c in
                    [c.part, statusText(c.status, lang), escape(c.given ?? "—"), escape(c.expected),
                     "\(Value.format(c.points))/\(Value.format(c.maxPoints))", escape(c.note(lang) ?? "")]
                },
                alignment: [.left, .left, .right, .right, .right, .left])))
        }
        return doc
    }

    static func summaryDocument(_ o: GradingRun.Outcome, assignment: Assignment, language lang: Language) -> Document {
        let zh = lang == .zh
        var doc = Document(title: title(assignment.id, lang), subtitle: zh ? "全班成绩汇总" : "Class summary",
                           language: zh ? .zh : .en, footer: assignment.id)
        let n = o.reports.count
        let totals = o.reports.map(\.total)
        let mean = n == 0 ? 0 : totals.reduce(0, +) / Double(n)
        let top = max(o.reports.first?.maximum ?? assignment.points, 1)
        doc.append(.paragraph(zh ? "学生 \(n) 人，平均分 \(Value.format((mean * 100).rounded() / 100)) / \(Value.format(top))。"
                                 : "\(n) students, mean score \(Value.format((mean * 100).rounded() / 100)) / \(Value.format(top))."))
        // Distribution of totals in ten bins.
        var bins = [Double](repeating: 0, count: 10)
        for t in totals { bins[min(9, Int(t / top * 10))] += 1 }
        let labels = (0..<10).map { String($0 * 10) }
        doc.append(.figure(Figure(BarChart(title: nil, categoryLabel: zh ? "总分占满分的百分比（每格 10%，标的是下界）" : "Total as % of full marks (bins of 10, lower bound shown)",
                                           valueLabel: zh ? "人数" : "Students", categories: labels, series: [.init(zh ? "人数" : "Students", bins)]),
                                  caption: zh ? "总分分布" : "Distribution of total scores", width: 0.9)))
        // Share of full marks per exercise.
        let ids = assignment.exercises.map(\.id) + assignment.codeExercises.map(\.id)
        let shares = ids.map { id -> Double in
            let got = o.reports.reduce(0) { $0 + $1.score(of: id) }
            let max = o.reports.reduce(0) { $0 + $1.checks.filter { $0.exercise == id }.reduce(0) { $0 + $1.maxPoints } }
            return max == 0 ? 0 : 100 * got / max
        }
        doc.append(.figure(Figure(BarChart(title: nil, categoryLabel: nil, valueLabel: zh ? "得分率 (%)" : "Score (%)", categories: ids,
                                           series: [.init(zh ? "得分率" : "Score", shares)], orientation: .horizontal),
                                  caption: zh ? "各题得分率" : "Share of full marks per exercise", width: 0.95)))
        // Most common recognised mistakes.
        var counts: [String: (Int, String)] = [:]
        for r in o.reports { for c in r.checks { if let m = c.mistake { counts["\(c.exercise) · \(m)", default: (0, "")].0 += 1; counts["\(c.exercise) · \(m)"]!.1 = c.note(lang) ?? "" } } }
        let common = counts.sorted { $0.value.0 > $1.value.0 }.prefix(12)
        doc.append(.heading(zh ? "最常见的错误" : "Most common mistakes", level: 1))
        if common.isEmpty { doc.append(.paragraph(zh ? "没有识别出已知错误。" : "No known mistake was recognised.")) }
        else {
            doc.append(.table(Table(header: zh ? ["题目 · 错误", "人数", "反馈"] : ["Exercise · mistake", "Students", "Feedback"],
                                    rows: common.map { [escape($0.key), String($0.value.0), escape($0.value.1)] }, alignment: [.left, .right, .left])))
        }
        if !o.warnings.isEmpty {
            doc.append(.heading(zh ? "提交问题" : "Submission problems", level: 1))
            doc.append(.paragraph(o.warnings.map { "- " + escape($0) }.joined(separator: "\n")))
        }
        return doc
    }

    static func title(_ assignment: String, _ lang: Language) -> String {
        (try? Bank.assignment(assignment).title.text(lang)) ?? assignment
    }

    static func statusText(_ s: CheckResult.Status, _ lang: Language) -> String {
        switch (s, lang) {
        case (.correct, .zh): return "正确"; case (.correct, .en): return "correct"
        case (.wrong, .zh): return "错误"; case (.wrong, .en): return "wrong"
        case (.missing, .zh): return "未作答"; case (.missing, .en): return "missing"
        case (.invalid, .zh): return "无效"; case (.invalid, .en): return "invalid"
        case (.error, .zh): return "评分出错"; case (.error, .en): return "grader error"
        }
    }

    /// Text from students or formulas, made safe for the Markdown subset of paragraphs.
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            if "*_`[]$^~\\@".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}
