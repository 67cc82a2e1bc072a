import Foundation

/// A network drawn as a stack of blocks (input at the top), each with its output shape beside it.
/// Takes plain data, not engine modules, so any model description can feed it.
///
///     LayerStackDiagram(title: "LeNet-5", layers: [
///         .init("input", kind: .input, outputShape: [1, 1, 28, 28]),
///         .init("conv1", kind: .conv, detail: "5×5, 6, pad 2", outputShape: [1, 6, 28, 28])])
public struct LayerStackDiagram: Graphic {
    public struct Layer: Sendable {
        public var name: String
        public var kind: BlockKind
        public var detail: String?
        public var outputShape: [Int]
        public init(_ name: String, kind: BlockKind, detail: String? = nil, outputShape: [Int] = []) {
            self.name = name; self.kind = kind; self.detail = detail; self.outputShape = outputShape
        }
    }
    public var title: String?
    public var layers: [Layer]
    public var preferredSize: Size

    public init(title: String? = nil, layers: [Layer], size: Size? = nil) {
        self.title = title; self.layers = layers
        let perColumn = 14
        let columns = max(1, (layers.count + perColumn - 1) / perColumn)
        self.preferredSize = size ?? Size(Double(columns) * 250, Double(min(layers.count, perColumn)) * 31 + 40)
    }

    public func draw(in rect: Rect, on b: any RenderBackend, theme: Theme) {
        let r = diagramTitle(title, in: rect, on: b, theme: theme)
        guard !layers.isEmpty else { return }
        // Long stacks flow into several columns so each block keeps a readable height.
        let perColumn = max(1, min(layers.count, Int(r.height / 24)))
        let columns = (layers.count + perColumn - 1) / perColumn
        let colW = r.width / Double(columns)
        let step = r.height / Double(perColumn)
        let boxH = min(24, step * 0.72)
        let boxW = min(150, colW * 0.58)
        var previous: Rect? = nil
        for (i, layer) in layers.enumerated() {
            let col = i / perColumn, row = i % perColumn
            let cx = r.minX + colW * Double(col) + boxW / 2 + 4
            let cy = r.minY + step * (Double(row) + 0.5)
            let detail = layer.detail.map { " <span size=\"smaller\" foreground=\"#444444\">\(Markup.escape(clipped($0, 40)))</span>" } ?? ""
            let box = drawBox("<b>\(Markup.escape(clipped(layer.name, 24)))</b>" + detail, kind: layer.kind, center: Point(cx, cy),
                              size: Size(boxW, boxH), on: b, font: Font(.sans, size: 8))
            if !layer.outputShape.isEmpty {
                b.text(TextBlock(plain: shapeLabel(layer.outputShape), font: Font(.mono, size: 7.5), color: theme.muted),
                       at: Point(box.maxX + 6, box.midY), anchor: (0, 0.5))
            }
            if let p = previous {
                if row == 0 {
                    // Continue from the bottom of the previous column to the top of this one.
                    let mid = (p.maxX + box.minX) / 2 + boxW * 0.2
                    var path = Path()
                    path.move(to: Point(p.midX, p.maxY)); path.line(to: Point(p.midX, p.maxY + 6))
                    path.line(to: Point(mid, p.maxY + 6)); path.line(to: Point(mid, box.minY - 6)); path.line(to: Point(box.midX, box.minY - 6))
                    b.stroke(path, style: StrokeStyle(color: theme.muted, width: 0.8, dash: [2, 2]))
                    b.arrow(Point(box.midX, box.minY - 6), Point(box.midX, box.minY), color: theme.muted, width: 0.8, head: 4)
                } else {
                    b.arrow(Point(p.midX, p.maxY), Point(box.midX, box.minY), color: theme.axis, width: 0.8, head: 4)
                }
            }
            previous = box
        }
    }
}
