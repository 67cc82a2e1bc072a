// Receptive-field arithmetic (the lecture's VGG slide; Araujo, Norris & Sim, "Computing Receptive
// Fields of Convolutional Neural Networks", Distill 2019, for jump and start).
import CNN

/// The receptive field of one output unit along one axis.
///
/// size: how many input pixels it sees; jump: the input distance between neighbouring units
/// (the product of the strides so far); start: the centre of the first unit's field in input
/// coordinates, pixel i spanning [i, i + 1) so the first pixel's centre is 0.5.
public struct ReceptiveField: Equatable, Sendable, CustomStringConvertible {
    public var size: Int
    public var jump: Int
    public var start: Double

    /// A single input pixel: size 1, jump 1, start 0.5.
    public static let pixel = ReceptiveField(size: 1, jump: 1, start: 0.5)

    public init(size: Int, jump: Int, start: Double) { self.size = size; self.jump = jump; self.start = start }

    /// The field after a window of `kernel` (dilated extent), `stride`, `padding`:
    /// size' = size + (extent − 1)·jump, jump' = jump·stride, start' = start + ((extent − 1)/2 − padding)·jump.
    public func through(kernel: Int, stride: Int, padding: Int = 0, dilation: Int = 1) -> ReceptiveField {
        let extent = dilation * (kernel - 1) + 1
        return ReceptiveField(size: size + (extent - 1) * jump, jump: jump * stride,
                              start: start + (Double(extent - 1) / 2 - Double(padding)) * Double(jump))
    }

    /// The larger of two fields (the longest path where branches meet in an add or a concat).
    public static func widest(_ a: ReceptiveField, _ b: ReceptiveField) -> ReceptiveField {
        a.size != b.size ? (a.size > b.size ? a : b) : (a.jump >= b.jump ? a : b)
    }

    public var description: String { "\(size) (jump \(jump), start \(formatStart(start)))" }
}

/// One sliding-window layer for the hand formula: kernel f, stride s (padding only moves the start).
public struct WindowLayer: Sendable, Equatable {
    public var kernel: Int, stride: Int, padding: Int
    public init(kernel: Int, stride: Int = 1, padding: Int = 0) { self.kernel = kernel; self.stride = stride; self.padding = padding }
    /// A 3x3 stride-1 conv.
    public static let conv3x3 = WindowLayer(kernel: 3, padding: 1)
    /// A 2x2 stride-2 max pool.
    public static let pool2x2 = WindowLayer(kernel: 2, stride: 2)
}

/// The receptive-field size after each layer, by the lecture's formula
/// l_k = l_{k−1} + (f_k − 1) · Π_{i<k} s_i, with l_0 = 1.
///
///     receptiveFieldSizes([.conv3x3, .conv3x3, .conv3x3])   // [3, 5, 7]
public func receptiveFieldSizes(_ layers: [WindowLayer]) -> [Int] {
    var l = 1, product = 1
    return layers.map { layer in
        l += (layer.kernel - 1) * product
        product *= layer.stride
        return l
    }
}

/// Size, jump and start after each layer (`ReceptiveField.through` applied in turn).
public func receptiveFields(_ layers: [WindowLayer]) -> [ReceptiveField] {
    var field = ReceptiveField.pixel
    return layers.map { field = field.through(kernel: $0.kernel, stride: $0.stride, padding: $0.padding); return field }
}

/// 0.5 → "0.5", 2.0 → "2".
func formatStart(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
