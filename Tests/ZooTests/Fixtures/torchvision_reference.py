"""Reference figures for the zoo tests, computed with PyTorch/torchvision.

Writes torchvision_reference.json next to this file: for every torchvision model of the zoo,
the parameter and buffer counts, the conv + linear multiply-accumulates of one image at the
model's native input size (counted by forward hooks), and the state_dict manifest
("key:d0,d1,..." in state_dict order). Run it in a scratch venv: `pip install torch torchvision`.
"""
import json
import os

import torch
import torchvision.models as tvm

MODELS = [
    ("alexnet", {}, 224), ("vgg11", {}, 224), ("vgg11_bn", {}, 224), ("vgg13", {}, 224),
    ("vgg13_bn", {}, 224), ("vgg16", {}, 224), ("vgg16_bn", {}, 224), ("vgg19", {}, 224),
    ("vgg19_bn", {}, 224), ("googlenet", {"aux_logits": False, "init_weights": False}, 224),
    ("inception_v3", {"aux_logits": False, "init_weights": False}, 299),
    ("resnet18", {}, 224), ("resnet34", {}, 224), ("resnet50", {}, 224), ("resnet101", {}, 224),
    ("resnet152", {}, 224), ("densenet121", {}, 224), ("densenet169", {}, 224), ("densenet201", {}, 224),
]


def conv_linear_macs(model, size):
    """One multiply-add per weight use: conv = out elements x (C/groups) x kh x kw, linear = in x out."""
    total = [0]

    def conv_hook(m, inp, out):
        total[0] += out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]

    def linear_hook(m, inp, out):
        total[0] += out.numel() * m.in_features

    handles = []
    for m in model.modules():
        if isinstance(m, torch.nn.Conv2d):
            handles.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, torch.nn.Linear):
            handles.append(m.register_forward_hook(linear_hook))
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, size, size))
    for h in handles:
        h.remove()
    return total[0]


def main():
    torch.manual_seed(0)
    out = {"torch": torch.__version__, "models": {}}
    for name, kwargs, size in MODELS:
        model = getattr(tvm, name)(weights=None, **kwargs)
        entry = {
            "input": [3, size, size],
            "parameters": sum(p.numel() for p in model.parameters()),
            "buffers": sum(b.numel() for b in model.buffers()),
            "macs": conv_linear_macs(model, size),
            "state_dict": [k + ":" + ",".join(str(d) for d in v.shape) for k, v in model.state_dict().items()],
        }
        if name == "inception_v3":
            entry["parameters_with_aux"] = sum(p.numel() for p in tvm.inception_v3(weights=None, aux_logits=True, init_weights=False).parameters())
        if name == "googlenet":
            entry["parameters_with_aux"] = sum(p.numel() for p in tvm.googlenet(weights=None, aux_logits=True, init_weights=False).parameters())
        out["models"][name] = entry
        print(name, entry["parameters"], entry["macs"], len(entry["state_dict"]))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torchvision_reference.json")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(out, f, indent=0, separators=(",", ":"))
    os.replace(tmp, path)


if __name__ == "__main__":
    main()
