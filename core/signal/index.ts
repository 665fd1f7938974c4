/** Signal processing on 2-D maps: FFTs of any size, radial power spectra, Gaussian smoothing. */
export { fft, ifft, fft2d, ifft2d, fftfreq, type ComplexArray } from './fft.js';
export { radialPowerSpectrum, type RadialPowerSpectrum, type RadialPowerSpectrumOptions } from './radial-power-spectrum.js';
export { gaussianSmooth, gaussianKernel1d, type BoundaryMode, type GaussianSmoothOptions } from './gaussian-smooth.js';
