// Fonts, colours and spacing of the handouts, in one place. Points everywhere.
import Foundation
import Notebook
import Render

/// The look of a handout page.
public struct HandoutStyle: Sendable {
    public var pageSize = Size.a4
    /// Left and right margins; top and bottom leave room for the running header and footer.
    public var margin = 56.0
    public var topMargin = 62.0
    public var bottomMargin = 62.0
    public var body = Font(.serif, size: 10.5)
    public var code = Font(.mono, size: 8)
    public var caption = Font(.sans, size: 9)
    public var small = Font(.sans, size: 7.5)
    public var titleFont = Font(.sans, size: 20, bold: true)
    public var headingSizes = [1: 16.0, 2: 13.5, 3: 11.5, 4: 10.5]
    public var ink = Color(hex: 0x1A1A1A)
    public var muted = Color(hex: 0x666666)
    public var accent = Color(hex: 0x0072B2)
    public var codeFill = Color(hex: 0xF3F4F6)
    public var outputFill = Color(hex: 0xEAF3EA)
    public var outputBar = Color(hex: 0x009E73)
    public var noteFill = Color(hex: 0xE8F1F8)
    public var exerciseFill = Color(hex: 0xFDF1E0)
    public var exerciseBar = Color(hex: 0xE69F00)
    /// Line spacing of prose as a fraction of the font size.
    public var leading = 0.3
    /// A figure is at most this fraction of the text height tall.
    public var figureMaxHeight = 0.55
    public init() {}
    public static let standard = HandoutStyle()

    /// The text area of a page.
    public var content: Rect {
        Rect(x: margin, y: topMargin, width: pageSize.width - 2 * margin, height: pageSize.height - topMargin - bottomMargin)
    }

    func heading(_ level: Int) -> Font { Font(.sans, size: headingSizes[level] ?? body.size, bold: true) }
}

/// Words the handout prints itself, per language.
enum Words {
    static func figure(_ l: Language) -> String { l == .zh ? "图" : "Figure" }
    static func table(_ l: Language) -> String { l == .zh ? "表" : "Table" }
    static func note(_ l: Language) -> String { l == .zh ? "注" : "Note" }
    static func exercise(_ l: Language) -> String { l == .zh ? "练习" : "Exercise" }
    static func graded(_ l: Language) -> String { l == .zh ? "自动评分练习编号" : "graded exercise id" }
    static func output(_ l: Language) -> String { l == .zh ? "输出" : "Output" }
    static func folded(_ l: Language) -> String { l == .zh ? "代码已折叠" : "code folded" }
    static func contents(_ l: Language) -> String { l == .zh ? "目录" : "Contents" }
    static func provenance(_ l: Language) -> String { l == .zh ? "来源" : "Provenance" }
    static func problems(_ l: Language) -> String { l == .zh ? "运行中的问题" : "Problems in the run" }
    static func missingFigure(_ l: Language) -> String { l == .zh ? "图文件缺失" : "figure file missing" }
    static func bookTitle(_ l: Language) -> String { l == .zh ? "卷积神经网络架构 · 课程讲义" : "CNN Architectures · Course Handouts" }
    static func bookSubtitle(_ l: Language) -> String {
        l == .zh ? "LeNet-5、AlexNet、VGG、GoogLeNet、ResNet、DenseNet" : "LeNet-5, AlexNet, VGG, GoogLeNet, ResNet, DenseNet"
    }
    /// "图 1：" / "Figure 1: ".
    static func numbered(_ word: String, _ n: Int, _ l: Language) -> String { l == .zh ? "\(word) \(n)：" : "\(word) \(n): " }
}

extension RenderBackend {
    /// Draws a whole text block with its top-left corner at `origin`. It passes an explicit line
    /// range: Render's `drawText(…, lines: nil)` draws at Cairo's current point, which a previous
    /// line-range draw leaves behind (reported to the Render owner), so text landed in the wrong place.
    func place(_ text: TextBlock, at origin: Point) {
        drawText(text, at: origin, angle: 0, lines: 0..<Int.max)
    }
}
