import Foundation

/// Iso-lines of a scalar field by marching squares, with each level labelled; the field is shaded
/// faintly underneath (loss landscapes).
public struct ContourPlot: Graphic {
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    /// Samples; column c is x = xRange.lower + c·Δx, row r is y = yRange.lower + r·Δy.
    public var grid: Grid
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>
    /// Contour values; nil picks nice 1-2-5 values across the data range.
    public var levels: [Double]?
    public var colormap: Colormap
    public var preferredSize: Size

    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, grid: Grid,
                xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, levels: [Double]? = nil,
                colormap: Colormap = .viridis, size: Size = Size(320, 280)) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.grid = grid; self.xRange = xRange
        self.yRange = yRange; self.levels = levels; self.colormap = colormap; self.preferredSize = size
    }

    /// The levels drawn: the given ones, or nice values strictly inside the finite data range.
    public var contourLevels: [Double] {
        if let levels { return levels }
        let (lo, hi) = grid.finiteRange
        guard hi > lo else { return [] }
        return Ticks.linear(lo, hi, target: 8, snap: false).ticks.filter { $0 > lo && $0 < hi }
    }

    /// Marching squares: the line segments where the bilinear field crosses `level`, in grid
    /// coordinates (x = column, y = row). Cells with a non-finite corner are skipped.
    /// Saddle cells are resolved by the cell-centre average.
    public static func segments(_ g: Grid, level: Double) -> [(Point, Point)] {
        var out: [(Point, Point)] = []
        guard g.rows > 1, g.columns > 1 else { return out }
        for r in 0..<(g.rows - 1) {
            for c in 0..<(g.columns - 1) {
                let v = [g[r, c], g[r, c + 1], g[r + 1, c + 1], g[r + 1, c]]  // corners counter-clockwise from (c, r)
                guard v.allSatisfy(\.isFinite) else { continue }
                let p = [Point(Double(c), Double(r)), Point(Double(c + 1), Double(r)), Point(Double(c + 1), Double(r + 1)), Point(Double(c), Double(r + 1))]
                // Crossing point on edge i (between corner i and i+1).
                func edge(_ i: Int) -> Point {
                    let a = v[i], b = v[(i + 1) % 4], t = a == b ? 0.5 : (level - a) / (b - a)
                    return Point(p[i].x + (p[(i + 1) % 4].x - p[i].x) * t, p[i].y + (p[(i + 1) % 4].y - p[i].y) * t)
                }
                let crossed = (0..<4).filter { (v[$0] >= level) != (v[($0 + 1) % 4] >= level) }
                if crossed.count == 2 {
                    out.append((edge(crossed[0]), edge(crossed[1])))
                } else if crossed.count == 4 {
                    let centreAbove = v.reduce(0, +) / 4 >= level
                    // Connect edges so the centre stays on its own side.
                    if centreAbove == (v[0] >= level) { out.append((edge(0), edge(3))); out.append((edge(1), edge(2))) }
                    else { out.append((edge(0), edge(1))); out.append((edge(2), edge(3))) }
                }
            }
        }
        return out
    }

    public func draw(in rect: Rect, on b: any RenderBackend, theme: Theme) {
        let ax = Axis.fit([], scale: .linear, fixed: xRange), ay = Axis.fit([], scale: .linear, fixed: yRange)
        let bad = grid.values.filter { !$0.isFinite }.count
        let deco = AxesLayout(title: title, xLabel: xLabel, yLabel: yLabel, note: skippedNote(bad, what: "non-finite"),
                              xTicks: ax.ticks.map { (ax.fraction($0), ax.tickLabel($0)) },
                              yTicks: ay.ticks.map { (ay.fraction($0), ay.tickLabel($0)) }, yGrid: false)
        let plot = deco.plotRect(in: rect, measurer: b.measurer, theme: theme)
        let (lo, hi) = grid.finiteRange
        // Faint field underneath: the colour map blended 55 % towards white; image rows flipped so y grows upwards.
        var flipped: [Double] = []
        for r in (0..<grid.rows).reversed() { for c in 0..<grid.columns { flipped.append(grid[r, c]) } }
        var img = colormap.image(flipped, width: grid.columns, height: grid.rows, lo: lo, hi: hi)
        for i in stride(from: 0, to: img.rgba.count, by: 4) { for k in 0..<3 { img.rgba[i + k] = UInt8(Double(img.rgba[i + k]) * 0.45 + 255 * 0.55) } }
        b.drawImage(img, in: plot, smooth: true)
        func toPage(_ q: Point) -> Point {
            Point(plot.minX + q.x / Double(max(grid.columns - 1, 1)) * plot.width, plot.maxY - q.y / Double(max(grid.rows - 1, 1)) * plot.height)
        }
        var labels: [(Point, Double, String)] = []
        var taken: [Point] = []
        for (i, level) in contourLevels.enumerated() {
            let segs = Self.segments(grid, level: level).map { (toPage($0.0), toPage($0.1)) }
            guard !segs.isEmpty else { continue }
            let color = colormap.color((level - lo) / max(hi - lo, 1e-12)).mixed(with: .black, 0.35)
            var path = Path()
            for (a, c) in segs { path.move(to: a); path.line(to: c) }
            b.stroke(path, style: StrokeStyle(color: color, width: 0.9, roundCaps: true))
            // Label at the segment farthest from the frame and from earlier labels.
            let best = segs.max { s1, s2 in
                func score(_ s: (Point, Point)) -> Double {
                    let m = Point((s.0.x + s.1.x) / 2, (s.0.y + s.1.y) / 2)
                    let edge = min(m.x - plot.minX, plot.maxX - m.x, m.y - plot.minY, plot.maxY - m.y)
                    let near = taken.map { hypot($0.x - m.x, $0.y - m.y) }.min() ?? 200
                    return min(edge, 45) * 1.5 + min(near, 70)
                }
                return score(s1) < score(s2)
            }!
            let mid = Point((best.0.x + best.1.x) / 2, (best.0.y + best.1.y) / 2)
            var angle = atan2(best.1.y - best.0.y, best.1.x - best.0.x)
            if angle > .pi / 2 { angle -= .pi } else if angle < -.pi / 2 { angle += .pi }
            taken.append(mid)
            labels.append((mid, angle, Ticks.label(level, step: contourLevels.count > 1 ? contourLevels[1] - contourLevels[0] : nil)))
        }
        for (p, angle, s) in labels {
            let t = TextBlock(plain: s, font: Font(.sans, size: 7), color: theme.ink)
            let m = b.measurer.measure(t)
            // A small pad behind the label hides the line under it, as in printed contour maps.
            let pad = Rect(x: p.x - m.width / 2 - 1.5, y: p.y - m.height / 2, width: m.width + 3, height: m.height)
            if abs(angle) < 0.15 { b.fill(.roundedRect(pad, radius: 2), color: Color.white.withAlpha(0.85)) }
            else { b.fill(.circle(center: p, radius: m.width / 2 + 1.5), color: Color.white.withAlpha(0.85)) }
            b.text(t, at: p, anchor: (0.5, 0.5), angle: angle)
        }
        b.strokeRect(plot, StrokeStyle(color: theme.axis, width: theme.axisWidth))
        deco.drawDecorations(outer: rect, plot: plot, on: b, theme: theme)
    }
}
