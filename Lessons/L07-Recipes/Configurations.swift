// The training configurations of the lecture's networks, as data: the facts come from the papers
// (section named in `source`) and from the lecture's summary slide; where the two disagree,
// the row says so.

/// How one network was trained, in the words of its paper (ImageNet set-up unless noted).
struct TrainingConfiguration {
    var network: String
    var batchSize: String
    var learningRate: String
    var schedule: String
    var optimizer: String
    var weightDecay: String
    var dropout: String
    var normalization: String
    var augmentation: String
    var source: String
}

/// AlexNet, VGG, GoogLeNet, Inception-v3, ResNet and DenseNet, in the order of the lecture.
let trainingConfigurations: [TrainingConfiguration] = [
    TrainingConfiguration(
        network: "AlexNet", batchSize: "128", learningRate: "0.01",
        schedule: "÷10 when val. error stalls (3×)", optimizer: "SGD, momentum 0.9",
        weightDecay: "5e-4", dropout: "0.5 (FC1, FC2)", normalization: "LRN",
        augmentation: "224 crops of 256, flips, PCA colour",
        source: "Krizhevsky 2012 §4.1, §5; slide"),
    TrainingConfiguration(
        network: "VGG", batchSize: "256", learningRate: "0.01",
        schedule: "÷10 when val. acc. stalls (3×)", optimizer: "SGD, momentum 0.9",
        weightDecay: "5e-4", dropout: "0.5 (FC1, FC2)", normalization: "none (LRN dropped)",
        augmentation: "scale jitter 256–512, crops, flips, RGB shift",
        source: "Simonyan 2015 §3.1, §4.1; slide"),
    TrainingConfiguration(
        network: "GoogLeNet", batchSize: "256 (slide)", learningRate: "0.01 (slide)",
        schedule: "×0.96 every 8 epochs", optimizer: "async SGD, momentum 0.9",
        weightDecay: "not stated", dropout: "0.4 (0.7 aux.)", normalization: "LRN",
        augmentation: "8–100% area crops, aspect 3/4–4/3, photometric",
        source: "Szegedy 2015 §5, §6; slide"),
    TrainingConfiguration(
        network: "Inception-v3", batchSize: "32 ×50 replicas", learningRate: "0.045",
        schedule: "×0.94 every 2 epochs", optimizer: "RMSProp, decay 0.9, ε = 1.0",
        weightDecay: "not stated", dropout: "not stated", normalization: "BN; label smoothing 0.1",
        augmentation: "not stated (clip grad. at 2.0)",
        source: "Szegedy 2016 §7, §8"),
    TrainingConfiguration(
        network: "ResNet", batchSize: "256", learningRate: "0.1 (0.01 warm-up, ResNet-110)",
        schedule: "÷10 when error plateaus", optimizer: "SGD, momentum 0.9",
        weightDecay: "1e-4 (slide: 1e-5)", dropout: "none", normalization: "BN",
        augmentation: "scale 256–480, 224 crops, flips, colour",
        source: "He 2016 §3.4, §4.2; slide"),
    TrainingConfiguration(
        network: "DenseNet", batchSize: "256", learningRate: "0.1",
        schedule: "÷10 at epochs 30, 60 (of 90)", optimizer: "SGD, Nesterov 0.9",
        weightDecay: "1e-4", dropout: "none (0.2 on CIFAR w/o aug.)", normalization: "BN",
        augmentation: "as ResNet (fb.resnet.torch)",
        source: "Huang 2017 §4.2; slide: as ResNet"),
]
