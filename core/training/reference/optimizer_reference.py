# Reference values for core/training/optimizers.test.ts (REF): float64 numpy implementation of the
# update rules as torch.optim documents them. Run: python3 core/training/reference/optimizer_reference.py
# (never run by the tests; its output is pasted into the test).
# float64 reference of the update rules as documented for torch.optim (SGD, Adam, AdamW, RMSprop)
import numpy as np, json, math
def grads(t, n): return np.array([math.sin(0.7 * t + 1.3 * i) * (1 + 0.1 * i) for i in range(n)])
w0 = np.array([0.5 - 0.1 * i for i in range(6)])
def sgd(lr, mom, nesterov=False, wd=0.0):
  w = w0.copy(); b = np.zeros(6)
  for t in range(20):
    g = grads(t, 6) + wd * w
    b = mom * b + g
    w = w - lr * (g + mom * b if nesterov else b)
  return w
def adam(lr, b1, b2, eps, wd=0.0, decoupled=False):
  w = w0.copy(); m = np.zeros(6); v = np.zeros(6)
  for t in range(1, 21):
    g = grads(t - 1, 6)
    if decoupled: w = w - lr * wd * w
    else: g = g + wd * w
    m = b1 * m + (1 - b1) * g; v = b2 * v + (1 - b2) * g * g
    mh = m / (1 - b1 ** t); vh = v / (1 - b2 ** t)
    w = w - lr * mh / (np.sqrt(vh) + eps)
  return w
def rmsprop(lr, alpha, eps, mom=0.0, centered=False):
  w = w0.copy(); sq = np.zeros(6); ga = np.zeros(6); b = np.zeros(6)
  for t in range(20):
    g = grads(t, 6)
    sq = alpha * sq + (1 - alpha) * g * g
    if centered:
      ga = alpha * ga + (1 - alpha) * g; d = np.sqrt(sq - ga * ga) + eps
    else: d = np.sqrt(sq) + eps
    if mom > 0: b = mom * b + g / d; w = w - lr * b
    else: w = w - lr * g / d
  return w
out = {
  'sgd': sgd(0.1, 0.9), 'sgd_nesterov_wd': sgd(0.05, 0.8, True, 0.01),
  'adam': adam(0.01, 0.9, 0.99, 1e-8), 'adam_wd': adam(0.01, 0.9, 0.99, 1e-8, 0.1), 'adamw': adam(0.01, 0.9, 0.99, 1e-8, 0.1, True),
  'rmsprop': rmsprop(0.01, 0.9, 1e-8), 'rmsprop_centered_momentum': rmsprop(0.01, 0.9, 1e-8, 0.5, True),
}
print(json.dumps({k: [float('%.12g' % x) for x in v] for k, v in out.items()}))
