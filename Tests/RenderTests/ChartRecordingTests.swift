import Foundation
import Testing
import Render

/// Charts drawn into the recording backend: assertions on the commands, no Cairo, no fonts.
@Suite struct ChartRecordingTests {
    func texts(_ list: DisplayList) -> [String] { list.texts.map(\.text) }

    @Test func nonFiniteAndNonPositivePointsAreSkippedAndNoted() {
        let chart = LineChart(yScale: .log, series: [.init("s", x: [1, 2, 3, 4, 5], y: [1, .nan, 10, -1, .infinity])], legend: .none)
        let list = chart.record()
        #expect(texts(list).contains("Note: 3 non-finite points skipped"))
        // The line breaks at the gaps: no polyline has more than one point from the valid set {1, 3}.
        let polylines = list.commands.compactMap { c -> Int? in
            if case let .stroke(p, s) = c, s.width == Theme.standard.lineWidth { return p.elements.count }
            return nil
        }
        #expect(polylines.allSatisfy { $0 <= 1 })
    }

    @Test func emptyInputDrawsWithoutCrashing() {
        #expect(texts(LineChart(series: []).record()).contains("no data"))
        #expect(texts(LineChart(series: [.init("empty", x: [], y: [])]).record()).contains("no data"))
        _ = BarChart(categories: [], series: []).record()
        _ = ScatterChart(points: []).record()
        _ = SmallMultiples(panels: []).record()
        _ = ImageGrid(tiles: []).record()
        _ = Heatmap(grid: Grid(rows: 1, columns: 1, values: [.nan])).record()
        _ = ContourPlot(grid: Grid(rows: 1, columns: 1, values: [0]), xRange: 0...1, yRange: 0...1).record()
        _ = SurfacePlot(grid: Grid(rows: 1, columns: 1, values: [0])).record()
    }

    @Test func zeroRangeDataGetsAUsableAxis() {
        let chart = LineChart(series: [.init("flat", x: [1, 2, 3], y: [5, 5, 5])])
        let (_, y) = chart.axes
        #expect(y.lo < 5 && y.hi > 5)
        let frame = chart.plotFrame(in: Rect(x: 0, y: 0, width: 360, height: 240), measurer: FixedAdvanceMeasurer())
        let p = frame.point(2, 5)
        #expect(p.y.isFinite && p.y > frame.rect.minY && p.y < frame.rect.maxY)
    }

    @Test func veryLongLabelsAreClipped() {
        let long = String(repeating: "very long category name ", count: 20)
        let list = BarChart(title: long, categories: [long, "b"], series: [.init(long, [1, 2])]).record()
        let drawn = texts(list)
        #expect(drawn.contains { $0.hasSuffix("…") && $0.count <= 28 })
        // The title wraps inside the chart instead of running off it.
        for case let .text(_, origin, _, _) in list.commands { #expect(origin.x >= -1 && origin.x <= 360) }
    }

    @Test func barHeightsFollowTheData() {
        let chart = BarChart(categories: ["a", "b"], series: [.init("v", [5, 10])])
        let size = Size(360, 240)
        let plot = chart.plotRect(in: Rect(x: 0, y: 0, width: size.width, height: size.height), measurer: FixedAdvanceMeasurer())
        let bars = chart.record(size: size).commands.compactMap { c -> Rect? in
            if case let .fill(path, color) = c, color == Theme.standard.color(0), case let .move(p0) = path.elements[0], case let .line(p2) = path.elements[2] {
                return Rect(x: p0.x, y: p0.y, width: p2.x - p0.x, height: p2.y - p0.y)
            }
            return nil
        }
        #expect(bars.count == 2)
        // Axis 0…10: the 5-bar is half the plot height, the 10-bar all of it, both standing on the bottom.
        #expect(abs(bars[0].height - plot.height / 2) < 1e-6)
        #expect(abs(bars[1].height - plot.height) < 1e-6)
        #expect(abs(bars[0].maxY - plot.maxY) < 1e-6)
    }

    @Test func marchingSquaresTracesACircle() {
        // f = distance from the centre of a 41×41 grid; the level-10 contour is a circle of radius 10 cells.
        let g = Grid(rows: 41, columns: 41, values: (0..<(41 * 41)).map { i in
            let x = Double(i % 41) - 20, y = Double(i / 41) - 20
            return (x * x + y * y).squareRoot()
        })
        let segments = ContourPlot.segments(g, level: 10)
        #expect(segments.count > 40)
        for (a, b) in segments {
            for p in [a, b] {
                let r = ((p.x - 20) * (p.x - 20) + (p.y - 20) * (p.y - 20)).squareRoot()
                #expect(abs(r - 10) < 0.1)  // linear interpolation on a cone is within 0.1 cell of the circle
            }
        }
    }

    @Test func everyGallerySampleRecords() {
        for (name, g) in Gallery.samples() {
            let list = g.record()
            #expect(!list.commands.isEmpty, "\(name) drew nothing")
        }
    }

    @Test func lrnWindowClampsAtTheEdges() {
        #expect(LRNWindowDiagram(channels: 8, size: 5, focus: 3).window == 1...5)
        #expect(LRNWindowDiagram(channels: 8, size: 5, focus: 0).window == 0...2)
        #expect(LRNWindowDiagram(channels: 4, size: 5, focus: 3).window == 1...3)
    }
}
