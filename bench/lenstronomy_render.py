"""lenstronomy side of bench/lensing-render.bench.ts: the same LenSiam scene distribution,
rendered with lenstronomy's ImageModel on one thread, timed in rounds on request.

Protocol (one JSON object per line on stdout; started once, kept alive between rounds so that
rounds of ours and lenstronomy's can alternate without paying the import each time):
  stdin  "<supersampling> <seconds>"   -> stdout {"ss": s, "images": k, "seconds": t, "imagesPerSecond": k/t,
                                          "cpuSeconds": c, "imagesPerCpuSecond": k/c}  (c: process CPU time)
  stdin  "quit" (or EOF)               -> exits
On start it prints {"ready": true, "lenstronomy": version, "numpy": version}.

Scene (as in the TypeScript benchmark's randomScene): 110 x 110 pixels at 0.05"/pixel; EPL +
SHEAR lens with theta_E U(0.8, 1.6), gamma U(1.8, 2.2), e1/e2 U(-0.2, 0.2), centre U(-0.05, 0.05),
shear gamma1/gamma2 U(-0.05, 0.05); SERSIC_ELLIPSE source amp U(10, 30), R_sersic U(0.1, 0.4),
n_sersic U(0.8, 3), e1/e2 U(-0.3, 0.3), centre U(-0.2, 0.2); SERSIC_ELLIPSE lens light amp U(2, 8),
R_sersic U(0.5, 1.2), n_sersic U(2, 5), e1/e2 U(-0.2, 0.2) at the lens centre; GAUSSIAN PSF FWHM
0.1", truncation 5; supersampling_factor s (supersampling_convolution False); noise as
simulation_util.simulate_simple (background_rms 0.05 + Gaussian Poisson term, exposure 1000 s);
each image normalised to a maximum of 1. Every image draws fresh parameters.

Run with OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 and PYTHONPATH=<checkout>.
"""
import json
import os
import sys
import time

import numpy as np

import lenstronomy
from lenstronomy.Data.imaging_data import ImageData
from lenstronomy.Data.psf import PSF
from lenstronomy.ImSim.image_model import ImageModel
from lenstronomy.LensModel.lens_model import LensModel
from lenstronomy.LightModel.light_model import LightModel
import lenstronomy.Util.simulation_util as sim_util
from lenstronomy.Util import image_util

NUM_PIX = 110
DELTA_PIX = 0.05
FWHM = 0.1
BACKGROUND_RMS = 0.05
EXPOSURE = 1000.0


def build(ss):
    kwargs_data = sim_util.data_configure_simple(NUM_PIX, DELTA_PIX, EXPOSURE, BACKGROUND_RMS, inverse=False)
    data = ImageData(**kwargs_data)
    psf = PSF(psf_type="GAUSSIAN", fwhm=FWHM, truncation=5)
    numerics = {"supersampling_factor": ss, "supersampling_convolution": False}
    return ImageModel(
        data, psf,
        lens_model_class=LensModel(["EPL", "SHEAR"]),
        source_model_class=LightModel(["SERSIC_ELLIPSE"]),
        lens_light_model_class=LightModel(["SERSIC_ELLIPSE"]),
        kwargs_numerics=numerics,
    )


def draw(rng):
    u = rng.uniform
    lx, ly = u(-0.05, 0.05), u(-0.05, 0.05)
    kl = [
        {"theta_E": u(0.8, 1.6), "gamma": u(1.8, 2.2), "e1": u(-0.2, 0.2), "e2": u(-0.2, 0.2), "center_x": lx, "center_y": ly},
        {"gamma1": u(-0.05, 0.05), "gamma2": u(-0.05, 0.05), "ra_0": 0, "dec_0": 0},
    ]
    ks = [{"amp": u(10, 30), "R_sersic": u(0.1, 0.4), "n_sersic": u(0.8, 3), "e1": u(-0.3, 0.3), "e2": u(-0.3, 0.3),
           "center_x": u(-0.2, 0.2), "center_y": u(-0.2, 0.2)}]
    kll = [{"amp": u(2, 8), "R_sersic": u(0.5, 1.2), "n_sersic": u(2, 5), "e1": u(-0.2, 0.2), "e2": u(-0.2, 0.2),
            "center_x": lx, "center_y": ly}]
    return kl, ks, kll


def one(model, rng):
    kl, ks, kll = draw(rng)
    image = model.image(kl, ks, kll)
    image = image + image_util.add_background(image, BACKGROUND_RMS) + image_util.add_poisson(image, EXPOSURE)
    return image / np.max(image)


def main():
    seed = int(os.environ.get("BENCH_SEED", "1"))
    np.random.seed(seed)
    rng = np.random.default_rng(seed)
    models = {}
    print(json.dumps({"ready": True, "lenstronomy": lenstronomy.__version__, "numpy": np.__version__}), flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        ss, seconds = int(parts[0]), float(parts[1])
        if ss not in models:
            models[ss] = build(ss)
            t = time.perf_counter()
            while time.perf_counter() - t < 0.3:  # warm-up (first calls build caches)
                one(models[ss], rng)
        model = models[ss]
        count = 0
        c0 = time.process_time()
        t0 = time.perf_counter()
        while True:
            one(model, rng)
            count += 1
            dt = time.perf_counter() - t0
            if dt >= seconds:
                break
        cpu = time.process_time() - c0
        print(json.dumps({"ss": ss, "images": count, "seconds": dt, "imagesPerSecond": count / dt,
                          "cpuSeconds": cpu, "imagesPerCpuSecond": count / cpu}), flush=True)


if __name__ == "__main__":
    main()
