import Testing
import CNN
import Analysis

@Suite("Receptive-field arithmetic")
struct ReceptiveFieldTests {
    /// Two stacked 3x3 convs see 5x5, three see 7x7 (the VGG argument).
    @Test func stackedThreeByThree() {
        #expect(receptiveFieldSizes([.conv3x3, .conv3x3]) == [3, 5])
        #expect(receptiveFieldSizes([.conv3x3, .conv3x3, .conv3x3]) == [3, 5, 7])
    }

    /// VGG-16 by the lecture's formula: conv5_3 = 196, pool5 = 212.
    @Test func vgg16ByHand() {
        var layers: [WindowLayer] = []
        for convs in [2, 2, 3, 3, 3] { layers += Array(repeating: .conv3x3, count: convs) + [.pool2x2] }
        let sizes = receptiveFieldSizes(layers)
        #expect(sizes[sizes.count - 2] == 196)
        #expect(sizes.last == 212)
    }

    /// AlexNet by the formula: conv1 11/4, pool 3/2, conv2 5, pool 3/2, conv3-5 3, pool 3/2.
    @Test func alexNetByHand() {
        let pool = WindowLayer(kernel: 3, stride: 2)
        let layers = [WindowLayer(kernel: 11, stride: 4), pool, WindowLayer(kernel: 5, padding: 2), pool,
                      .conv3x3, .conv3x3, .conv3x3, pool]
        let sizes = receptiveFieldSizes(layers)
        #expect(sizes == [11, 19, 51, 67, 99, 131, 163, 195])
    }

    /// Jump and start: a 3x3 conv with padding 1 keeps the centre at 0.5; a 2x2/2 pool moves it to 1.
    @Test func jumpAndStart() {
        let fields = receptiveFields([.conv3x3, .pool2x2])
        #expect(fields[0] == ReceptiveField(size: 3, jump: 1, start: 0.5))
        #expect(fields[1] == ReceptiveField(size: 4, jump: 2, start: 1.0))
    }
}
