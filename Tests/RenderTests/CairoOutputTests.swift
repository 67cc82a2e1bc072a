import Foundation
import Testing
import Render

/// End-to-end output through Cairo and Pango: files, fonts, extracted text and pixels.
/// A class so that each test's scratch folder is removed when the test's instance goes away.
@Suite(.serialized) final class CairoOutputTests {
    let dir: URL = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("RenderTests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }()
    deinit { try? FileManager.default.removeItem(at: dir) }

    func run(_ tool: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func magic(_ url: URL, _ n: Int = 8) throws -> [UInt8] { Array(try Data(contentsOf: url).prefix(n)) }

    /// The sample document: the gallery (every chart and diagram, the bilingual handout with its
    /// code listing) plus a long table.
    func sampleDocument() -> Document {
        var doc = Gallery.document()
        doc.append(.heading("Long table · 长表格"))
        doc.append(.table(Table(header: ["Epoch 轮次", "Learning rate", "Loss"],
                                rows: (1...90).map { ["\($0)", Ticks.label(0.1 * pow(0.1, Double($0 / 30)), step: 1e-4), String(format: "%.4f", 2.3 * exp(-Double($0) / 20))] },
                                alignment: [.right, .right, .right], caption: "训练日志 Training log")))
        return doc
    }

    @Test func sampleDocumentPDFHasChineseAndEnglishTextAndEmbeddedFonts() throws {
        let url = dir.appendingPathComponent("sample.pdf")
        try sampleDocument().write(to: url)
        #expect(try magic(url, 5) == Array("%PDF-".utf8))
        let text = try run("pdftotext", ["-enc", "UTF-8", url.path, "-"])
        for phrase in ["乘加次数", "感受野", "The first layer of AlexNet", "Convolution cost of AlexNet", "convMACs", "训练日志", "Every chart and diagram type"] {
            #expect(text.contains(phrase), "pdftotext lacks '\(phrase)'")
        }
        // The long table continues on a later page with its header repeated.
        #expect(text.components(separatedBy: "Learning rate").count - 1 >= 2)
        let fonts = try run("pdffonts", [url.path]).split(separator: "\n").dropFirst(2)
        #expect(fonts.count >= 4)
        for line in fonts {
            let cols = line.split(separator: " ", omittingEmptySubsequences: true)
            #expect(cols.count >= 7 && cols[cols.count - 5] == "yes", "font not embedded: \(line)")
            #expect(cols.count >= 7 && cols[cols.count - 4] == "yes", "font not subset: \(line)")
        }
        #expect(fonts.contains { $0.contains("NotoSansCJK") || $0.contains("NotoSerifCJK") })
        #expect(fonts.contains { $0.contains("DejaVuSansMono") })
    }

    @Test func sampleDocumentPagesRenderToPNGAndSVG() throws {
        var doc = Gallery.sampleHandout()
        doc.append(.paragraph("结束。The end."))
        let pngs = try doc.write(to: dir.appendingPathComponent("handout.png"))
        let svgs = try doc.write(to: dir.appendingPathComponent("handout.svg"))
        #expect(pngs.count >= 2 && pngs.count == svgs.count)
        for u in pngs { #expect(try magic(u, 4) == [0x89, 0x50, 0x4E, 0x47]) }
        for u in svgs { #expect(try String(contentsOf: u, encoding: .utf8).contains("<svg")) }
        let page = try Bitmap.read(png: pngs[0])
        #expect(page.width == Int((Size.a4.width * 2).rounded(.up)))
    }

    @Test func everyChartAndDiagramWritesPDFPNGAndSVG() throws {
        for (name, g) in Gallery.samples() {
            for format in OutputFormat.allCases {
                let url = dir.appendingPathComponent("\(name).\(format.rawValue)")
                try g.write(to: url, pngScale: 1)
                let head = try magic(url, 5)
                switch format {
                case .pdf: #expect(head == Array("%PDF-".utf8), "\(name).pdf")
                case .png: #expect(Array(head.prefix(4)) == [0x89, 0x50, 0x4E, 0x47], "\(name).png")
                case .svg: #expect(try String(contentsOf: url, encoding: .utf8).contains("<svg"), "\(name).svg")
                }
            }
        }
    }

    func isClose(_ a: Color, _ b: Color, _ tol: Double = 0.12) -> Bool {
        abs(a.red - b.red) < tol && abs(a.green - b.green) < tol && abs(a.blue - b.blue) < tol
    }

    @Test func lineGoesThroughItsDataPointsInThePNG() throws {
        let chart = LineChart(xRange: 0...10, yRange: 0...10, series: [.init("y = x", x: [0, 10], y: [0, 10])], legend: .none)
        let size = Size(360, 240), scale = 2.0
        let url = dir.appendingPathComponent("line-check.png")
        try chart.write(to: url, size: size, pngScale: scale)
        let bmp = try Bitmap.read(png: url)
        let plot = chart.plotFrame(in: Rect(x: 0, y: 0, width: size.width, height: size.height), measurer: PangoMeasurer()).rect
        // Map data to pixels by hand: x over 0…10 across the plot, y over 0…10 bottom to top.
        func pixel(_ x: Double, _ y: Double) -> Color {
            bmp.color(x: Int(((plot.minX + x / 10 * plot.width) * scale).rounded(.down)), y: Int(((plot.maxY - y / 10 * plot.height) * scale).rounded(.down)))
        }
        let blue = Theme.standard.color(0)
        for v in [1.0, 2.5, 5, 7.5, 9] { #expect(isClose(pixel(v, v), blue), "no line at (\(v), \(v)): \(pixel(v, v))") }
        for (x, y) in [(3.0, 7.0), (7.0, 3.0), (1.0, 9.0)] { #expect(isClose(pixel(x, y), .white), "stray ink at (\(x), \(y))") }
    }

    @Test func barHasItsDataHeightInThePNG() throws {
        let chart = BarChart(categories: ["a", "b"], series: [.init("v", [5, 10])])
        let size = Size(360, 240), scale = 2.0
        let bmp = try chart.bitmap(size: size, scale: scale)
        let plot = chart.plotRect(in: Rect(x: 0, y: 0, width: size.width, height: size.height), measurer: PangoMeasurer())
        let blue = Theme.standard.color(0)
        // Scan down the centre of the first band for the top edge of the bar.
        let px = Int((plot.minX + plot.width / 4) * scale)
        var top: Int? = nil
        for y in 0..<bmp.height where isClose(bmp.color(x: px, y: y), blue) { top = y; break }
        let expected = (plot.maxY - plot.height * 5 / 10) * scale   // value 5 on a 0…10 axis
        #expect(top != nil)
        #expect(abs(Double(top ?? 0) - expected) <= 1.5, "bar top at \(top ?? -1) px, expected \(expected)")
        // And it stands on the axis: the pixel just above the baseline is bar-coloured.
        #expect(isClose(bmp.color(x: px, y: Int(plot.maxY * scale) - 2), blue))
    }

    @Test func missingGlyphFailsNamingTheCharacterAndWritesNothing() throws {
        let url = dir.appendingPathComponent("tofu.pdf")
        let chart = LineChart(title: "Loss \u{13000} curve", series: [.init("s", y: [1, 2])])
        do {
            try chart.write(to: url)
            Issue.record("expected a missing-glyph error")
        } catch let e as RenderError {
            #expect(e.missingScalar == 0x13000)
            #expect(e.description.contains("U+13000") && e.description.contains("Loss"))
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)

        var doc = Document(title: "Doc", blocks: [.paragraph("fine"), .pageBreak, .paragraph("bad \u{13000} here")])
        doc.header = "h"
        do { try doc.write(to: dir.appendingPathComponent("tofu-doc.pdf")); Issue.record("expected an error") } catch let e as RenderError {
            #expect(e.description.contains("U+13000") && e.description.contains("page 2"))
        }
    }

    @Test func unknownFontIsAClearError() throws {
        #expect(throws: RenderError.self) { try FontCatalog.validate("No Such Family 12345") }
        try FontCatalog.validate(FontRole.sans.familyList)
        try FontCatalog.validate(FontRole.mono.familyList)
        struct Label: Graphic {
            var preferredSize: Size { Size(100, 40) }
            func draw(in rect: Rect, on b: any RenderBackend, theme: Theme) {
                b.text(TextBlock(plain: "hi", font: Font(.custom("No Such Family 12345"), size: 10)), at: rect.center)
            }
        }
        let url = dir.appendingPathComponent("font.svg")
        do { try Label().write(to: url); Issue.record("expected an unknown-font error") } catch let e as RenderError {
            #expect(e.description.contains("No Such Family 12345"))
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test func badPathsAndFormatsThrow() {
        #expect(throws: RenderError.self) { try LineChart(series: []).write(to: dir.appendingPathComponent("x.gif")) }
        #expect(throws: RenderError.self) { try LineChart(series: []).write(to: URL(fileURLWithPath: "/proc/none/x.pdf")) }
        #expect(throws: RenderError.self) { try LineChart(series: []).write(to: dir.appendingPathComponent("z.pdf"), size: Size(0, 10)) }
    }
}
