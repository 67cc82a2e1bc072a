"""Generates the CheckpointTests fixtures with PyTorch, and checks kit-written files load in PyTorch.

    python make_fixtures.py            # writes the fixtures next to this script
    python make_fixtures.py --check [DIR]  # loads kit_mlp.safetensors / kit_mlp.pth (written by the kit's
                                       # test with CHECKPOINT_KIT_EXPORT set) into PyTorch, compares logits;
                                       # also kit_resnet20.safetensors from DIR when present
    python make_fixtures.py --classify     # the tiny classifier fixtures for InferenceTests (committed)
    python make_fixtures.py --resnet18 DIR # a random-weight torchvision ResNet-18 (45 MB, not committed):
                                       # resnet18.pth, resnet18_input.safetensors, resnet18_expected.json,
                                       # resnet18_image.png; point COURSEKIT_RESNET18_PTH at resnet18.pth
    python make_fixtures.py --imagenet-classes OUT.swift   # the 1000 ImageNet class names from torchvision

Needs torch (a CPU wheel from PyPI) and numpy; --classify/--resnet18/--imagenet-classes also torchvision and Pillow. The safetensors files are written here with struct
and json (the format is small), not with the `safetensors` package, so the fixture is independent of
the kit's writer.
"""
import json, os, struct, sys
from collections import OrderedDict

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64", torch.int64: "I64"}


def write_safetensors(path, tensors, metadata=None):
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        raw = t.view(torch.uint8).numpy().tobytes() if t.dim() > 0 else t.reshape(1).view(torch.uint8).numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    blob = json.dumps(header, separators=(",", ":")).encode()
    blob += b" " * (-(8 + len(blob)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(blob)) + blob + b"".join(chunks))


def floats(t):
    return [float(v) for v in t.detach().float().reshape(-1).tolist()]


def mlp():
    return nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 4))


def randomize_bn(bn, g):
    with torch.no_grad():
        bn.weight.copy_(torch.rand(bn.weight.shape, generator=g) + 0.5)
        bn.bias.copy_(torch.randn(bn.bias.shape, generator=g) * 0.2)
        bn.running_mean.copy_(torch.randn(bn.running_mean.shape, generator=g) * 0.3)
        bn.running_var.copy_(torch.rand(bn.running_var.shape, generator=g) + 0.5)
        bn.num_batches_tracked.fill_(7)


def make():
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    io = {}

    # Tiny MLP with batch norm: Linear -> BatchNorm1d -> ReLU -> Linear, eval mode.
    model = mlp()
    randomize_bn(model[1], g)
    model.eval()
    x = torch.randn(3, 6, generator=g)
    sd = model.state_dict()
    torch.save(sd, os.path.join(HERE, "mlp.pth"))
    write_safetensors(os.path.join(HERE, "mlp.safetensors"), sd, {"source": "make_fixtures.py", "model": "mlp"})
    with torch.no_grad():
        io["mlp"] = {"input_shape": list(x.shape), "input": floats(x), "logits": floats(model(x))}
    # Reduced-precision copies: weights rounded to the dtype, logits computed in float32 from the rounded weights.
    for dtype, tag in [(torch.float16, "f16"), (torch.bfloat16, "bf16"), (torch.float64, "f64")]:
        low = OrderedDict((k, v.to(dtype) if v.is_floating_point() else v) for k, v in sd.items())
        write_safetensors(os.path.join(HERE, f"mlp_{tag}.safetensors"), low)
        if tag == "f16":
            torch.save(low, os.path.join(HERE, "mlp_f16.pth"))
        rounded = mlp()
        rounded.load_state_dict(OrderedDict((k, v.to(torch.float32) if v.is_floating_point() else v) for k, v in low.items()))
        rounded.eval()
        with torch.no_grad():
            io[f"mlp_{tag}"] = {"logits": floats(rounded(x))}

    # Tiny CNN: conv -> BN -> ReLU -> max-pool -> flatten -> linear, eval mode.
    cnn = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Flatten(), nn.Linear(4 * 4 * 4, 5))
    randomize_bn(cnn[1], g)
    cnn.eval()
    xc = torch.randn(2, 3, 8, 8, generator=g)
    csd = cnn.state_dict()
    torch.save(csd, os.path.join(HERE, "cnn.pth"))
    write_safetensors(os.path.join(HERE, "cnn.safetensors"), csd)
    with torch.no_grad():
        io["cnn"] = {"input_shape": list(xc.shape), "input": floats(xc), "logits": floats(cnn(xc)),
                     "keys": {k: list(v.shape) for k, v in csd.items()}}

    # Views sharing one storage: a transpose (non-contiguous strides) and a row at an offset.
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    views = OrderedDict([("base", base), ("transposed", base.t()), ("row", base[1]), ("scalar", torch.tensor(2.5))])
    torch.save(views, os.path.join(HERE, "views.pth"))
    io["views"] = {k: {"shape": list(v.shape), "values": floats(v)} for k, v in views.items()}

    # A training checkpoint dict wrapping a state_dict with non-tensor entries.
    torch.save({"epoch": 3, "state_dict": sd, "note": "wrapped"}, os.path.join(HERE, "wrapped.pth"))

    # Hostile files: a pickle that would call os.system on load, and one nested 200 lists deep.
    class Evil:
        def __reduce__(self):
            return (os.system, ("echo this-must-never-run",))
    torch.save({"weight": torch.zeros(2), "payload": Evil()}, os.path.join(HERE, "evil.pth"))
    deep = []
    for _ in range(200):
        deep = [deep]
    torch.save({"weight": torch.zeros(2), "deep": deep}, os.path.join(HERE, "deep.pth"))
    # The MLP's raw data.pkl, as the seed of the unpickler fuzz test.
    import zipfile
    # A storage record shorter than its dtype and numel say: 0.bias (8 floats) cut to 28 bytes.
    with zipfile.ZipFile(os.path.join(HERE, "mlp.pth")) as src, \
            zipfile.ZipFile(os.path.join(HERE, "badsize.pth"), "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, data[:28] if info.filename == "mlp/data/1" else data)
    with zipfile.ZipFile(os.path.join(HERE, "mlp.pth")) as z:
        with open(os.path.join(HERE, "mlp_data.pkl"), "wb") as f:
            f.write(z.read("mlp/data.pkl"))

    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(io, f)
    print("torch", torch.__version__, "fixtures written to", HERE)


def check():
    """Loads the kit-written files into PyTorch with strict load_state_dict and compares logits."""
    with open(os.path.join(HERE, "kit_mlp.json")) as f:
        expected = json.load(f)
    x = torch.tensor(expected["input"]).reshape(expected["input_shape"])
    for name in ["kit_mlp.safetensors", "kit_mlp.pth"]:
        path = os.path.join(HERE, name)
        if name.endswith(".pth"):
            sd = torch.load(path, weights_only=True)
        else:
            with open(path, "rb") as f:
                data = f.read()
            (n,) = struct.unpack("<Q", data[:8])
            header = json.loads(data[8:8 + n])
            sd = OrderedDict()
            names = {"F32": torch.float32, "I64": torch.int64}
            for key, info in header.items():
                if key == "__metadata__":
                    continue
                b, e = info["data_offsets"]
                raw = bytearray(data[8 + n + b:8 + n + e])
                sd[key] = torch.frombuffer(raw, dtype=names[info["dtype"]]).reshape(info["shape"]).clone()
        model = mlp()
        result = model.load_state_dict(sd, strict=True)
        model.eval()
        with torch.no_grad():
            logits = model(x)
        got = torch.tensor(expected["logits"]).reshape(logits.shape)
        err = ((logits - got).abs() / (got.abs() + 1e-6)).max().item()
        assert err < 1e-4, f"{name}: logits differ (max relative {err})"
        assert model[1].num_batches_tracked.dtype == torch.int64
        print(f"{name}: load_state_dict(strict=True) -> {result}; num_batches_tracked={model[1].num_batches_tracked.item()}; "
              f"logits match, max relative difference {err:.2e}")


# ---------------------------------------------------------------------------------------------
# Classification fixtures: torchvision's ImageNet preprocessing on PIL images, softmax, top-5.

INFERENCE_FIXTURES = os.path.join(os.path.dirname(os.path.dirname(HERE)), "InferenceTests", "Fixtures")


def test_image(height, width, seed, grey=False, noise=25):
    """A smooth colour pattern plus seeded noise, as 8-bit PIL image (RGB, or L when grey)."""
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    chans = [128 + 90 * np.sin(x / (17 + 7 * c) + y / (23 + 5 * c) + c) for c in range(1 if grey else 3)]
    a = np.stack(chans, axis=-1) + rng.normal(0, noise, (height, width, len(chans)))
    a = np.clip(np.rint(a), 0, 255).astype(np.uint8)
    return Image.fromarray(a[:, :, 0] if grey else a, "L" if grey else "RGB")


def classify_expectations(model, image, k=5, with_logits=True):
    """Top-k for one PIL image, preprocessed two ways: on the 8-bit PIL image as the lecture's example
    does (Resize(256) on PIL rounds to 8 bits after each pass), and on the float tensor (ToTensor first,
    then antialiased bilinear resize without rounding, which is what the kit computes)."""
    from torchvision import transforms as T
    norm = T.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
    pil = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(), norm])
    tensor = T.Compose([T.ToTensor(), T.Resize(256, antialias=True), T.CenterCrop(224), norm])
    out = {}
    rgb = image.convert("RGB")
    for name, pipeline in [("pil", pil), ("tensor", tensor)]:
        x = pipeline(rgb).unsqueeze(0)
        with torch.no_grad():
            logits = model(x)[0]
        p = torch.softmax(logits, 0)
        top = torch.topk(p, k)
        out[name] = {"indices": top.indices.tolist(), "probabilities": [float(v) for v in top.values]}
        if with_logits:
            out[name]["logits"] = floats(logits)
    return out


def tiny_classifier():
    """Conv(3, 8, 5, stride 4) -> BN -> ReLU -> global average pool -> flatten -> Linear(8, 1000)."""
    return nn.Sequential(nn.Conv2d(3, 8, 5, stride=4), nn.BatchNorm2d(8), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(8, 1000))


def make_classify():
    os.makedirs(INFERENCE_FIXTURES, exist_ok=True)
    torch.manual_seed(3)
    g = torch.Generator().manual_seed(4)
    model = tiny_classifier()
    randomize_bn(model[1], g)
    with torch.no_grad():
        model[5].weight.mul_(20)   # spread the logits so the top-5 order is not decided by rounding
    model.eval()
    write_safetensors(os.path.join(INFERENCE_FIXTURES, "tiny_classifier.safetensors"), model.state_dict(),
                      {"source": "make_fixtures.py --classify"})
    expected = {}
    for name, image in [("colour.png", test_image(240, 320, 5, noise=6)), ("grey.png", test_image(260, 200, 6, grey=True, noise=6))]:
        image.save(os.path.join(INFERENCE_FIXTURES, name))
        expected[name] = classify_expectations(model, image, with_logits=False)
    with open(os.path.join(INFERENCE_FIXTURES, "tiny_classify.json"), "w") as f:
        json.dump(expected, f)
    print("torch", torch.__version__, "classify fixtures written to", INFERENCE_FIXTURES)


def make_resnet18(directory):
    import torchvision
    os.makedirs(directory, exist_ok=True)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(18)
    model = torchvision.models.resnet18()   # random weights (torchvision's initialisation)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            randomize_bn(m, g)              # non-trivial running statistics, so eval mode is exercised
    model.eval()
    torch.save(model.state_dict(), os.path.join(directory, "resnet18.pth"))
    x = torch.randn(2, 3, 224, 224, generator=g)
    write_safetensors(os.path.join(directory, "resnet18_input.safetensors"), {"input": x})
    with torch.no_grad():
        logits = model(x)
    image = test_image(375, 500, 7)
    image.save(os.path.join(directory, "resnet18_image.png"))
    expected = {"torch": torch.__version__, "torchvision": torchvision.__version__, "logits_shape": list(logits.shape),
                "logits": floats(logits), "classify": classify_expectations(model, image)}
    with open(os.path.join(directory, "resnet18_expected.json"), "w") as f:
        json.dump(expected, f)
    print("ResNet-18 fixtures written to", directory, "- set COURSEKIT_RESNET18_PTH to", os.path.join(directory, "resnet18.pth"))


def write_imagenet_classes(path):
    import torchvision
    names = torchvision.models.ResNet18_Weights.IMAGENET1K_V1.meta["categories"]
    assert len(names) == 1000
    lines = ["// The 1000 ImageNet-1k (ILSVRC 2012) class names in class-index order, as torchvision lists them",
             "// (`ResNet18_Weights.IMAGENET1K_V1.meta[\"categories\"]`). Generated by",
             "// Tests/CheckpointTests/Fixtures/make_fixtures.py --imagenet-classes; do not edit.", "",
             "extension ImageNet {",
             "    /// The class names, index i = output i of a torchvision ImageNet model.",
             "    public static let classNames: [String] = ["]
    lines += ["        " + json.dumps(n) + "," for n in names]
    lines += ["    ]", "}", ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))
    print("wrote", len(names), "names to", path)


# ---------------------------------------------------------------------------------------------
# The CIFAR ResNet-20 (He et al. 2016, Sec. 4.2, option-A shortcuts) with the zoo's keys, to load
# the kit-trained kit_resnet20.safetensors (torchvision has no CIFAR ResNets).

class CIFARBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.stride, self.cout = stride, cout

    def forward(self, x):
        y = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        s = x[:, :, ::self.stride, ::self.stride]
        if s.shape[1] != self.cout:   # option A: zero channels appended after the existing ones
            s = torch.nn.functional.pad(s, (0, 0, 0, 0, 0, self.cout - s.shape[1]))
        return torch.relu(y + s)


class CIFARResNet20(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        stages, cin = [], 16
        for i, width in enumerate([16, 32, 64]):
            blocks = []
            for b in range(3):
                blocks.append(CIFARBlock(cin, width, 2 if i > 0 and b == 0 else 1))
                cin = width
            stages.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3 = stages
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    sd = OrderedDict()
    names = {"F32": torch.float32, "I64": torch.int64}
    for key, info in header.items():
        if key == "__metadata__":
            continue
        b, e = info["data_offsets"]
        raw = bytearray(data[8 + n + b:8 + n + e])
        sd[key] = torch.frombuffer(raw, dtype=names[info["dtype"]]).reshape(info["shape"]).clone()
    return sd


def check_resnet20(directory):
    path = os.path.join(directory, "kit_resnet20.safetensors")
    if not os.path.exists(path):
        print(f"{path} absent: run the CheckpointTests with CHECKPOINT_KIT_EXPORT={directory} to write it")
        return
    with open(os.path.join(directory, "kit_resnet20.json")) as f:
        expected = json.load(f)
    model = CIFARResNet20()
    result = model.load_state_dict(read_safetensors(path), strict=True)
    model.eval()
    x = torch.tensor(expected["input"]).reshape(expected["input_shape"])
    with torch.no_grad():
        logits = model(x)
    got = torch.tensor(expected["logits"]).reshape(logits.shape)
    err = ((logits - got).abs() / (got.abs() + 1e-6)).max().item()
    assert err < 1e-4, f"kit_resnet20.safetensors: logits differ (max relative {err})"
    print(f"kit_resnet20.safetensors: load_state_dict(strict=True) -> {result}; "
          f"num_batches_tracked={model.bn1.num_batches_tracked.item()}; eval logits match the kit's, max relative difference {err:.2e}")


if __name__ == "__main__":
    if "--check" in sys.argv:
        check()
        rest = sys.argv[sys.argv.index("--check") + 1:]
        check_resnet20(rest[0] if rest else HERE)
    elif "--classify" in sys.argv:
        make_classify()
    elif "--resnet18" in sys.argv:
        make_resnet18(sys.argv[sys.argv.index("--resnet18") + 1])
    elif "--imagenet-classes" in sys.argv:
        write_imagenet_classes(sys.argv[sys.argv.index("--imagenet-classes") + 1])
    else:
        make()
