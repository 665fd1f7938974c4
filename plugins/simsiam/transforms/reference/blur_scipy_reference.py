# Reference values for gaussian-blur.test.ts: scipy.ndimage.gaussian_filter (scipy 1.10.1,
# float64) on a deterministic [2, 6, 7, 2] NHWC batch x[k] = sin(0.7 k) + 0.3 cos(1.9 k) (k the
# flat index), sigma 1.2 for sample 0 and 0.7 for sample 1, truncate 4, channels separate.
# Run: /usr/bin/python3 blur_scipy_reference.py > values (pasted into blur-parity.fixture.ts).
import numpy as np
from scipy.ndimage import gaussian_filter

k = np.arange(2 * 6 * 7 * 2, dtype=np.float64)
x = (np.sin(0.7 * k) + 0.3 * np.cos(1.9 * k)).reshape(2, 6, 7, 2)
sigmas = [1.2, 0.7]
modes = {'reflect': 'mirror', 'symmetric': 'reflect', 'edge': 'nearest'}  # numpy.pad name -> scipy name
for ours, theirs in modes.items():
    out = np.stack([gaussian_filter(x[b], sigma=(s, s, 0), mode=theirs, truncate=4.0) for b, s in enumerate(sigmas)])
    vals = ', '.join(f'{v:.7f}' for v in out.ravel())
    print(f'export const BLUR_{ours.upper()}: number[] = [{vals}];')
