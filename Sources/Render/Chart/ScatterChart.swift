import Foundation

/// A scatter plot with optional point labels (e.g. models by parameters vs. top-1 error).
///
///     ScatterChart(title: "Cost vs. accuracy", xLabel: "parameters", yLabel: "top-1 error (%)", xScale: .log,
///                  points: [.init(x: 61.1e6, y: 42.6, label: "AlexNet"), .init(x: 138e6, y: 28.4, label: "VGG-16")])
public struct ScatterChart: Graphic {
    public struct Point2: Sendable {
        public var x: Double, y: Double, label: String?, group: Int
        public init(x: Double, y: Double, label: String? = nil, group: Int = 0) { self.x = x; self.y = y; self.label = label; self.group = group }
    }
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var xScale: AxisScale
    public var yScale: AxisScale
    public var points: [Point2]
    /// Legend names of the groups (index = `Point2.group`); empty hides the legend.
    public var groups: [String]
    public var preferredSize: Size

    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, xScale: AxisScale = .linear,
                yScale: AxisScale = .linear, points: [Point2], groups: [String] = [], size: Size = Size(360, 260)) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.xScale = xScale; self.yScale = yScale
        self.points = points; self.groups = groups; self.preferredSize = size
    }

    public func draw(in rect: Rect, on b: any RenderBackend, theme: Theme) {
        let ax = Axis.fit(points.map(\.x), scale: xScale), ay = Axis.fit(points.map(\.y), scale: yScale)
        let ok = points.filter { ax.accepts($0.x) && ay.accepts($0.y) }
        let deco = AxesLayout(title: title, xLabel: xLabel, yLabel: yLabel, note: skippedNote(points.count - ok.count),
                              xTicks: ax.ticks.map { (ax.fraction($0), ax.tickLabel($0)) },
                              yTicks: ay.ticks.map { (ay.fraction($0), ay.tickLabel($0)) }, xGrid: true)
        let frame = PlotFrame(rect: deco.plotRect(in: rect, measurer: b.measurer, theme: theme), x: ax, y: ay)
        deco.drawGrid(plot: frame.rect, on: b, theme: theme)
        var placed: [Rect] = []
        for p in ok {
            let q = frame.point(p.x, p.y)
            drawMarker(.circle, at: q, radius: theme.markerRadius + 0.6, color: theme.color(p.group), on: b)
            placed.append(Rect(x: q.x - 3, y: q.y - 3, width: 6, height: 6))
        }
        // Labels go right of the point, or left/above/below when that spot is taken.
        for p in ok {
            guard let label = p.label, !label.isEmpty else { continue }
            let q = frame.point(p.x, p.y)
            let t = TextBlock(plain: clipped(label, 32), font: theme.tickFont, color: theme.ink)
            let m = b.measurer.measure(t)
            let candidates = [Point(q.x + 5, q.y - m.height / 2), Point(q.x - 5 - m.width, q.y - m.height / 2),
                              Point(q.x - m.width / 2, q.y - 5 - m.height), Point(q.x - m.width / 2, q.y + 5)]
            let boxes = candidates.map { Rect(origin: $0, size: Size(m.width, m.height)) }
            let best = boxes.first { box in frame.rect.inset(by: -2).contains(Point(box.minX, box.minY)) && frame.rect.inset(by: -2).contains(Point(box.maxX, box.maxY)) && !placed.contains { $0.intersects(box) } }
                ?? boxes.first { frame.rect.contains(Point($0.maxX, $0.maxY)) && frame.rect.contains(Point($0.minX, $0.minY)) } ?? boxes[0]
            placed.append(best)
            b.text(t, at: Point(best.minX, best.minY))
        }
        deco.drawDecorations(outer: rect, plot: frame.rect, on: b, theme: theme)
        drawLegend(groups.enumerated().map { LegendEntry(name: $0.element, color: theme.color($0.offset), line: false, marker: .circle) },
                   in: frame.rect, position: groups.isEmpty ? .none : .topRight, on: b, theme: theme)
    }
}
