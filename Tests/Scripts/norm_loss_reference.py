"""Reference numbers for Tests/CNNTests/{LRNReference,BatchNormReference,LossReference}Tests.swift.

Run with PyTorch 2.x (CPU) and numpy: `python norm_loss_reference.py`. It prints Swift literals
that the tests pin. Inputs are closed-form (computed in float64, rounded to float32) so the
Swift side rebuilds exactly the same tensors without a fixture file:

    x[i] = float32(scale * sin(a * i + b))       (i = row-major index)
"""
import math
import numpy as np
import torch
import torch.nn.functional as F

def wave(shape, scale, a, b):
    n = int(np.prod(shape))
    v = np.array([scale * math.sin(a * i + b) for i in range(n)], dtype=np.float64).astype(np.float32)
    return torch.tensor(v.reshape(shape))

def lit(t):
    # shortest decimal that round-trips as float32
    return "[" + ", ".join(str(np.float32(v)) for v in t.detach().double().reshape(-1).tolist()) + "]"

torch.set_printoptions(precision=9)

# --- LRN with AlexNet's constants (k=2, n=5, alpha=1e-4, beta=0.75) on [2, 7, 3, 3] ------------
x = wave([2, 7, 3, 3], 20.0, 0.7, 0.3)
# PyTorch's convention: the library itself.
y_pt = F.local_response_norm(x, size=5, alpha=1e-4, beta=0.75, k=2.0)
# Krizhevsky's form, written out independently of torch (float64 loops over the window).
xd = x.double().numpy()
y_kr = np.zeros_like(xd)
C = xd.shape[1]
for i in range(C):
    lo, hi = max(0, i - 5 // 2), min(C - 1, i + 5 // 2)
    s = (xd[:, lo:hi + 1] ** 2).sum(axis=1)
    y_kr[:, i] = xd[:, i] / (2.0 + 1e-4 * s) ** 0.75
# ... and the same through torch with alpha multiplied by n (the documented translation, odd n).
y_kr_torch = F.local_response_norm(x, size=5, alpha=5 * 1e-4, beta=0.75, k=2.0)
assert np.allclose(y_kr, y_kr_torch.double().numpy(), rtol=1e-6, atol=1e-6)
# Gradient of sum(y * r) for PyTorch's convention, r a closed-form projection.
xg = x.clone().requires_grad_(True)
r = wave([2, 7, 3, 3], 1.0, 1.3, -0.2)
(F.local_response_norm(xg, size=5, alpha=1e-4, beta=0.75, k=2.0) * r).sum().backward()
print("// LRN pytorch forward\n", lit(y_pt))
print("// LRN krizhevsky forward\n", lit(torch.tensor(y_kr)))
print("// LRN pytorch grad of sum(y*r)\n", lit(xg.grad))
# Even size (4): the asymmetric PyTorch window.
y_even = F.local_response_norm(x, size=4, alpha=1e-2, beta=0.75, k=1.0)
print("// LRN pytorch size 4, alpha 1e-2, k 1\n", lit(y_even))

# --- BatchNorm2d: running statistics after two training steps ------------------------------------
bn = torch.nn.BatchNorm2d(3, momentum=0.1, eps=1e-5)
with torch.no_grad():
    bn.weight.copy_(torch.tensor([1.5, -0.5, 2.0]))
    bn.bias.copy_(torch.tensor([0.1, 0.2, -0.3]))
bn.train()
x1 = wave([4, 3, 2, 2], 3.0, 0.9, 0.1) + 1.0
x2 = wave([4, 3, 2, 2], 2.0, 0.45, 1.2) - 0.5
bn(x1)
y2 = bn(x2)
print("// BN running_mean after 2 steps\n", lit(bn.running_mean))
print("// BN running_var after 2 steps\n", lit(bn.running_var))
print("// BN num_batches_tracked", int(bn.num_batches_tracked))
print("// BN train output, step 2\n", lit(y2))
bn.eval()
print("// BN eval output on x1\n", lit(bn(x1)))

# --- Cross-entropy with label smoothing ------------------------------------------------------------
logits = wave([4, 5], 2.5, 0.61, 0.4)
labels = torch.tensor([0, 3, 4, 1])
for eps in (0.0, 0.1):
    lg = logits.clone().requires_grad_(True)
    loss = F.cross_entropy(lg, labels, label_smoothing=eps)
    loss.backward()
    print(f"// CE uniform eps={eps}: loss {np.float32(loss.item())}\n", lit(lg.grad))
# The lecture's form: 1 - eps on the true class, eps/(K-1) elsewhere, as probability targets.
eps, K = 0.1, 5
target = torch.full((4, K), eps / (K - 1))
target[torch.arange(4), labels] = 1 - eps
lg = logits.clone().requires_grad_(True)
loss = F.cross_entropy(lg, target)
loss.backward()
print(f"// CE otherClasses eps={eps}: loss {np.float32(loss.item())}\n", lit(lg.grad))
print("// softmax\n", lit(F.softmax(logits, dim=1)))
print("// log_softmax\n", lit(F.log_softmax(logits, dim=1)))
