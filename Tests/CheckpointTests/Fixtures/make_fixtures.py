"""Generates the CheckpointTests fixtures with PyTorch, and checks kit-written files load in PyTorch.

    python make_fixtures.py            # writes the fixtures next to this script
    python make_fixtures.py --check    # loads kit_mlp.safetensors / kit_mlp.pth (written by the kit's
                                       # test with CHECKPOINT_KIT_EXPORT set) into PyTorch, compares logits

Needs torch (a CPU wheel from PyPI) and numpy. The safetensors files are written here with struct
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


if __name__ == "__main__":
    check() if "--check" in sys.argv else make()
