/// Graphics drawn next to each other, each in a column as wide as its share of the preferred
/// widths (a naive and a bottleneck module, two heatmaps to compare).
public struct SideBySide: Graphic {
    public var panels: [any Graphic]

    public init(panels: [any Graphic]) { self.panels = panels }

    public var preferredSize: Size {
        Size(panels.reduce(0) { $0 + $1.preferredSize.width }, panels.map(\.preferredSize.height).max() ?? 0)
    }

    public func draw(in rect: Rect, on backend: any RenderBackend, theme: Theme) {
        let total = panels.reduce(0) { $0 + $1.preferredSize.width }
        guard total > 0 else { return }
        var x = rect.x
        for p in panels {
            let w = rect.width * p.preferredSize.width / total
            p.draw(in: Rect(x: x, y: rect.y, width: w, height: rect.height), on: backend, theme: theme)
            x += w
        }
    }
}
