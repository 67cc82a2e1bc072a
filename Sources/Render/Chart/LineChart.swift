import Foundation

/// A line chart: several series, markers, linear or log axes, a legend, text annotations with
/// arrows, and vertical event markers (e.g. learning-rate drops).
///
/// Non-finite points (and non-positive ones on a log axis) are skipped: the line breaks there and
/// the chart says how many were skipped in a note under the axes.
///
///     LineChart(title: "Training loss", xLabel: "epoch", yLabel: "loss", yScale: .log,
///               series: [.init("ResNet-20", x: [1, 2, 3], y: [2.1, 1.3, 0.9])],
///               events: [.init(x: 2, label: "lr ÷ 10")])
public struct LineChart: Graphic {
    public struct Series: Sendable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        public var color: Color?
        public var marker: MarkerShape?
        public var dashed: Bool
        public init(_ name: String, x: [Double], y: [Double], color: Color? = nil, marker: MarkerShape? = nil, dashed: Bool = false) {
            precondition(x.count == y.count, "LineChart.Series '\(name)': \(x.count) x values but \(y.count) y values")
            self.name = name; self.x = x; self.y = y; self.color = color; self.marker = marker; self.dashed = dashed
        }
        /// A series over x = 1, 2, 3, … (epochs, steps).
        public init(_ name: String, y: [Double], color: Color? = nil, marker: MarkerShape? = nil, dashed: Bool = false) {
            self.init(name, x: y.indices.map { Double($0 + 1) }, y: y, color: color, marker: marker, dashed: dashed)
        }
    }
    /// A text label pointing at a data point.
    public struct Annotation: Sendable {
        public var x: Double, y: Double, text: String
        /// Label offset from the point, in points (default: up and to the right).
        public var offset: Point
        public init(x: Double, y: Double, text: String, offset: Point = Point(24, -22)) {
            self.x = x; self.y = y; self.text = text; self.offset = offset
        }
    }
    /// A dashed vertical line with a label at the top.
    public struct Event: Sendable {
        public var x: Double, label: String
        public init(x: Double, label: String) { self.x = x; self.label = label }
    }

    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var xScale: AxisScale
    public var yScale: AxisScale
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var series: [Series]
    public var annotations: [Annotation]
    public var events: [Event]
    public var legend: LegendPosition
    public var preferredSize: Size

    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                xScale: AxisScale = .linear, yScale: AxisScale = .linear,
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                series: [Series], annotations: [Annotation] = [], events: [Event] = [],
                legend: LegendPosition = .topRight, size: Size = Size(360, 240)) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.xScale = xScale; self.yScale = yScale
        self.xRange = xRange; self.yRange = yRange; self.series = series; self.annotations = annotations
        self.events = events; self.legend = legend; self.preferredSize = size
    }

    /// The axes fitted to the data (and to event markers).
    public var axes: (x: Axis, y: Axis) {
        (Axis.fit(series.flatMap(\.x) + events.map(\.x), scale: xScale, fixed: xRange),
         Axis.fit(series.flatMap(\.y), scale: yScale, fixed: yRange))
    }

    var skippedCount: Int {
        let (ax, ay) = axes
        return series.reduce(0) { n, s in n + zip(s.x, s.y).filter { !ax.accepts($0.0) || !ay.accepts($0.1) }.count }
    }

    func decorations() -> AxesLayout {
        let (ax, ay) = axes
        return AxesLayout(title: title, xLabel: xLabel, yLabel: yLabel, note: skippedNote(skippedCount),
                          xTicks: ax.ticks.map { (ax.fraction($0), ax.tickLabel($0)) },
                          yTicks: ay.ticks.map { (ay.fraction($0), ay.tickLabel($0)) })
    }

    /// The plot area inside `rect` (where the axes' ranges map to), for placing or checking marks.
    public func plotFrame(in rect: Rect, measurer: any TextMeasurer, theme: Theme = .standard) -> PlotFrame {
        let (ax, ay) = axes
        return PlotFrame(rect: decorations().plotRect(in: rect, measurer: measurer, theme: theme), x: ax, y: ay)
    }

    public func draw(in rect: Rect, on b: any RenderBackend, theme: Theme) {
        let deco = decorations()
        let frame = plotFrame(in: rect, measurer: b.measurer, theme: theme)
        let plot = frame.rect
        deco.drawGrid(plot: plot, on: b, theme: theme)
        b.clipped(to: plot.inset(by: -theme.markerRadius - 1)) {
            for ev in events where frame.x.accepts(ev.x) {
                let x = frame.point(ev.x, frame.y.lo).x
                b.line(Point(x, plot.minY), Point(x, plot.maxY), StrokeStyle(color: theme.muted, width: 0.9, dash: [3, 2.5]))
            }
            for (i, s) in series.enumerated() {
                let color = s.color ?? theme.color(i)
                var run: [Point] = []
                func flush() {
                    b.stroke(.polyline(run), style: StrokeStyle(color: color, width: theme.lineWidth, dash: s.dashed ? [5, 3] : [], roundCaps: true))
                    run = []
                }
                for (x, y) in zip(s.x, s.y) {
                    if frame.x.accepts(x) && frame.y.accepts(y) { run.append(frame.point(x, y)) } else { flush() }
                }
                flush()
                if let m = s.marker {
                    for (x, y) in zip(s.x, s.y) where frame.x.accepts(x) && frame.y.accepts(y) {
                        drawMarker(m, at: frame.point(x, y), radius: theme.markerRadius, color: color, on: b)
                    }
                }
            }
        }
        for ev in events where frame.x.accepts(ev.x) && ev.x >= min(frame.x.lo, frame.x.hi) && ev.x <= max(frame.x.lo, frame.x.hi) {
            let x = frame.point(ev.x, frame.y.lo).x
            let t = TextBlock(plain: clipped(ev.label, 30), font: theme.noteFont, color: theme.muted)
            b.text(t, at: Point(x + 3, plot.minY + 2))
        }
        for a in annotations where frame.x.accepts(a.x) && frame.y.accepts(a.y) {
            let p = frame.point(a.x, a.y)
            let t = TextBlock(plain: clipped(a.text, 60), font: theme.tickFont, color: theme.ink)
            let m = b.measurer.measure(t)
            var labelAt = Point(p.x + a.offset.x, p.y + a.offset.y)
            // Keep the label inside the plot area.
            labelAt.x = min(max(labelAt.x, plot.minX + m.width / 2 + 2), plot.maxX - m.width / 2 - 2)
            labelAt.y = min(max(labelAt.y, plot.minY + m.height / 2 + 2), plot.maxY - m.height / 2 - 2)
            let tail = Point(labelAt.x, labelAt.y + (p.y > labelAt.y ? m.height / 2 : -m.height / 2))
            b.arrow(tail, Point(p.x + (tail.x - p.x) * 0.08, p.y + (tail.y - p.y) * 0.08), color: theme.ink, width: 0.7, head: 4.5)
            b.text(t, at: labelAt, anchor: (0.5, 0.5))
        }
        deco.drawDecorations(outer: rect, plot: plot, on: b, theme: theme)
        if series.allSatisfy({ $0.x.isEmpty }) {
            b.text(TextBlock(plain: "no data", font: theme.noteFont, color: theme.muted), at: plot.center, anchor: (0.5, 0.5))
        }
        drawLegend(series.enumerated().map { LegendEntry(name: $0.element.name, color: $0.element.color ?? theme.color($0.offset), line: true, marker: $0.element.marker, dash: $0.element.dashed ? [5, 3] : []) },
                   in: plot, position: legend, on: b, theme: theme)
    }
}
