# Generates the reference numbers pinned in Tests/CNNTests/OptimTests.swift and
# Tests/CNNTests/ScheduleTests.swift. Run with PyTorch 2.x (CPU) in a scratch venv:
#     python3 -m venv /tmp/venv && /tmp/venv/bin/pip install torch numpy
#     /tmp/venv/bin/python Tests/References/optim_schedules_pytorch.py
# The TensorFlow form of RMSProp has no PyTorch class; it is written out below from TF1's
# RMSPropOptimizer documentation (ms <- rho ms + (1-rho) g^2; mom <- mu mom + lr g / sqrt(ms + eps);
# w <- w - mom), in float64, independently of the Swift code.
import math
import torch
import numpy as np

torch.set_default_dtype(torch.float32)
A = torch.tensor([1.0, -2.0, 0.5, 3.0])
B = torch.tensor([0.5, 1.0, -1.0, 2.0])
W0 = [1.0, -1.0, 2.0, 0.25]

def fmt(xs):
    return "[" + ", ".join(repr(float(x)) for x in xs) + "]"

def run(make, steps=5, lr_at=None):
    w = torch.tensor(W0, requires_grad=True)
    opt = make([w])
    rows = []
    for t in range(steps):
        if lr_at is not None:
            for g in opt.param_groups:
                g["lr"] = lr_at(t)
        opt.zero_grad()
        loss = ((w * A - B) ** 2).sum()
        loss.backward()
        opt.step()
        rows.append(w.detach().clone().tolist())
    return rows

configs = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.05),
    "sgdMomentum": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
    "sgdDampening": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.5),
    "sgdNesterov": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
    "sgdWeightDecay": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=0.1),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9),
    "rmspropCenteredMomentum": lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, momentum=0.9, centered=True, weight_decay=0.1),
    "adam": lambda p: torch.optim.Adam(p, lr=0.1),
    "adamWeightDecay": lambda p: torch.optim.Adam(p, lr=0.1, weight_decay=0.1),
    "adamW": lambda p: torch.optim.AdamW(p, lr=0.1, weight_decay=0.1),
}
print("// optimizer trajectories: W after steps 1...5, loss sum((W*A - B)^2)")
for name, make in configs.items():
    print(f'"{name}": [' + ", ".join(fmt(r) for r in run(make)) + "],")
print('"sgdMomentumLRDrop": [' + ", ".join(fmt(r) for r in run(lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9), lr_at=lambda t: 0.05 if t < 2 else 0.005)) + "],")

# Two parameter groups: different lr and weight decay.
w1 = torch.tensor(W0[:2], requires_grad=True)
w2 = torch.tensor(W0[2:], requires_grad=True)
opt = torch.optim.SGD([{"params": [w1], "weight_decay": 0.1}, {"params": [w2], "lr": 0.01}], lr=0.05, momentum=0.9)
rows = []
for t in range(3):
    opt.zero_grad()
    w = torch.cat([w1, w2])
    ((w * A - B) ** 2).sum().backward()
    opt.step()
    rows.append(torch.cat([w1, w2]).detach().tolist())
print('"sgdGroups": [' + ", ".join(fmt(r) for r in rows) + "],")

def rmsprop_tf(lr, rho, mu, eps, init_ms, steps=5):
    w = np.array(W0, dtype=np.float64); a = A.double().numpy(); b = B.double().numpy()
    ms = np.full(4, init_ms); mom = np.zeros(4); rows = []
    for _ in range(steps):
        g = 2 * a * (w * a - b)
        ms = rho * ms + (1 - rho) * g * g
        mom = mu * mom + lr * g / np.sqrt(ms + eps)
        w = w - mom
        rows.append(w.tolist())
    return rows
print('"rmspropTF": [' + ", ".join(fmt(r) for r in rmsprop_tf(0.01, 0.9, 0.0, 1.0, 0.0)) + "],")
print('"rmspropTFMomentumInit1": [' + ", ".join(fmt(r) for r in rmsprop_tf(0.045, 0.9, 0.9, 1.0, 1.0)) + "],")

# Schedules: lr of epochs 0..29 (the value in the group while epoch e runs).
def sched_values(make, base, epochs=30):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=base)
    s = make(opt)
    out = []
    for e in range(epochs):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        s.step()
    return out

L = torch.optim.lr_scheduler
schedules = {
    "step8x096": (lambda o: L.StepLR(o, step_size=8, gamma=0.96), 0.01),
    "multiStep": (lambda o: L.MultiStepLR(o, milestones=[10, 20, 25], gamma=0.1), 0.1),
    "exponential": (lambda o: L.ExponentialLR(o, gamma=0.9), 0.1),
    "cosine": (lambda o: L.CosineAnnealingLR(o, T_max=30, eta_min=0.001), 0.1),
    "cosineShortPeriod": (lambda o: L.CosineAnnealingLR(o, T_max=10), 0.1),
    "linear": (lambda o: L.LinearLR(o, start_factor=0.25, total_iters=4), 0.1),
    "resnet110Warmup": (lambda o: L.SequentialLR(o, [L.ConstantLR(o, factor=0.1, total_iters=2),
                                                     L.MultiStepLR(o, milestones=[13, 23], gamma=0.1)], milestones=[2]), 0.1),
    "linearWarmupCosine": (lambda o: L.SequentialLR(o, [L.LinearLR(o, start_factor=0.1, total_iters=5),
                                                        L.CosineAnnealingLR(o, T_max=25)], milestones=[5]), 0.1),
}
print("// schedules, epochs 0..29")
for name, (make, base) in schedules.items():
    print(f'"{name}": ' + fmt(sched_values(make, base)) + ",")

# ReduceLROnPlateau on a fixed metric trace: lr used in epoch e (entry 0 = initial).
trace_loss = [1.0, 0.8, 0.7, 0.69, 0.695, 0.7, 0.68, 0.6, 0.6, 0.6, 0.6, 0.6, 0.59, 0.595,
              0.6, 0.61, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
trace_acc = [0.3, 0.5, 0.6, 0.65, 0.66, 0.66, 0.655, 0.7, 0.7, 0.702, 0.71, 0.7, 0.7, 0.7,
             0.75, 0.75, 0.75, 0.75, 0.75, 0.76, 0.76, 0.76, 0.76, 0.76, 0.76, 0.76, 0.76, 0.76, 0.76, 0.76]
plateaus = {
    "plateauMinRel": (trace_loss, dict(mode="min", factor=0.5, patience=2, threshold=0.01, threshold_mode="rel")),
    "plateauMinAbsCooldown": (trace_loss, dict(mode="min", factor=0.1, patience=1, threshold=0.005, threshold_mode="abs", cooldown=2, min_lr=0.0005)),
    "plateauMaxRel": (trace_acc, dict(mode="max", factor=0.1, patience=3, threshold=1e-4, threshold_mode="rel")),
    "plateauMaxAbsEps": (trace_acc, dict(mode="max", factor=0.5, patience=0, threshold=0.02, threshold_mode="abs", min_lr=0.02, eps=0.01)),
}
print("// ReduceLROnPlateau, lr in epochs 0..30")
for name, (trace, kw) in plateaus.items():
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1)
    s = L.ReduceLROnPlateau(opt, **kw)
    out = [opt.param_groups[0]["lr"]]
    for m in trace:
        s.step(m)
        out.append(opt.param_groups[0]["lr"])
    print(f'"{name}": ' + fmt(out) + ",")

# Label smoothing: cross-entropy with PyTorch's label_smoothing, to check the target vectors.
logits = torch.tensor([[2.0, -1.0, 0.5, 0.0], [0.1, 0.2, 3.0, -2.0], [-1.0, 0.0, 1.0, 2.0]])
labels = torch.tensor([0, 2, 1])
for eps in (0.0, 0.1, 0.3):
    print(f"// cross_entropy(label_smoothing={eps}) =", repr(float(torch.nn.functional.cross_entropy(logits, labels, label_smoothing=eps))))
