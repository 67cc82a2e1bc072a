// How a lesson hands a Render graphic to the notebook: one call writes the figure as PDF (vector,
// for print), SVG (vector, for slides) and PNG (raster, embedded in the handouts) into the lesson's
// output folder, then registers it, so the transcript lists all three and `course figures` can
// publish them under Output/figures/<lesson>/.
import Foundation
import Notebook
import Render

extension Notebook {
    /// Writes `graphic` to `Output/<lesson>/<name>.pdf`, `.svg` and `.png` (each atomically) and
    /// records it with `caption`, placed under the code block of this call.
    ///
    /// ```swift
    /// nb.figure(LineChart(series: [.init("b", x: a, y: b)]), name: "fig-01-lrn-curve",
    ///           caption: Bilingual(zh: "b 随 a 的变化", en: "b against a"))
    /// ```
    /// A drawing error (a missing glyph, an unwritable folder) is recorded as a problem of the run
    /// (the figure is then registered as missing), so `finish()` fails the lesson visibly.
    public func figure(_ graphic: some Graphic, name: String, caption: Bilingual, size: Size? = nil,
                       pngScale: Double = 3, fileID: String = #fileID, line: Int = #line) {
        precondition(!name.isEmpty && !name.contains("/") && !name.contains("."),
                     "Notebook.figure: name '\(name)' must be a file stem (no '/' or extension)")
        var failure: String?
        for format in [OutputFormat.pdf, .svg, .png] {
            let url = figureURL("\(name).\(format.rawValue)")
            do {
                try graphic.write(to: url, size: size, format: format, pngScale: pngScale)
            } catch {
                failure = "\(url.lastPathComponent): \(error)"
                break
            }
        }
        if let failure {
            FileHandle.standardError.write(Data("\(self.name): figure \(name) could not be drawn: \(failure)\n".utf8))
            // Leave no partial set behind: the handout must not show a stale PNG next to a new PDF.
            for ext in ["pdf", "svg", "png"] { try? FileManager.default.removeItem(at: figureURL("\(name).\(ext)")) }
        }
        figure("\(name).pdf", caption: caption, fileID: fileID, line: line)
    }
}
