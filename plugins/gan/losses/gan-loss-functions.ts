/**
 * GAN objectives as pure functions of critic outputs ("logits", any shape [B] or [B, 1]; the
 * mean is over every element). Each returns a scalar to MINIMISE. Real and fake logits are
 * paired element by element where a loss compares pairs (RSGAN), so they must have the same size.
 *
 * softplus(t) = log(1 + e^t) is used for -log sigmoid(-t) so that large logits do not overflow.
 */
import * as tf from '@tensorflow/tfjs';

function flat(x: tf.Tensor, what: string): tf.Tensor1D {
  if (x.size === 0) throw new Error(`${what}: expected at least one critic output, got an empty tensor of shape [${x.shape}]`);
  return tf.reshape(x, [-1]) as tf.Tensor1D;
}

function paired(real: tf.Tensor, fake: tf.Tensor, what: string): [tf.Tensor1D, tf.Tensor1D] {
  if (real.size !== fake.size) {
    throw new Error(`${what}: expected real and fake critic outputs of the same size (pairs are compared), got [${real.shape}] and [${fake.shape}]`);
  }
  return [flat(real, `${what}: realLogits`), flat(fake, `${what}: fakeLogits`)];
}

const mean = (x: tf.Tensor): tf.Scalar => tf.mean(x) as tf.Scalar;

/**
 * Standard GAN with the non-saturating generator loss (Goodfellow et al. 2014, §3):
 *   L_D = E[-log σ(D(x))] + E[-log(1 - σ(D(G(z))))] = E[softplus(-D(x))] + E[softplus(D(G(z)))],
 *   L_G = E[-log σ(D(G(z)))] = E[softplus(-D(G(z)))].
 */
export function nonSaturatingD(real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.add(mean(tf.softplus(tf.neg(flat(real, 'non-saturating: realLogits')))), mean(tf.softplus(flat(fake, 'non-saturating: fakeLogits')))) as tf.Scalar);
}
export function nonSaturatingG(_real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => mean(tf.softplus(tf.neg(flat(fake, 'non-saturating: fakeLogits')))));
}

/**
 * Hinge loss of the geometric GAN (Lim & Ye 2017, arXiv:1705.02894; the paper's §5.1.1):
 *   L_D = E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))],   L_G = -E[D(G(z))].
 * (The paper's printed L_G has D(x^(i)) where D(g(z^(i))) is meant; only the fake term depends on G.)
 */
export function hingeD(real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.add(mean(tf.relu(tf.sub(1, flat(real, 'hinge: realLogits')))), mean(tf.relu(tf.add(1, flat(fake, 'hinge: fakeLogits'))))) as tf.Scalar);
}
export function hingeG(_real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(mean(flat(fake, 'hinge: fakeLogits'))));
}

/**
 * Relativistic standard GAN, RSGAN (Jolicoeur-Martineau 2018, arXiv:1807.00734, Eq. 6-7), with
 * C the critic output and pairs (x_r, x_f) taken element by element:
 *   L_D = E[-log σ(C(x_r) - C(x_f))] = E[softplus(C(x_f) - C(x_r))],
 *   L_G = E[-log σ(C(x_f) - C(x_r))] = E[softplus(C(x_r) - C(x_f))].
 */
export function relativisticD(real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => { const [r, f] = paired(real, fake, 'relativistic'); return mean(tf.softplus(tf.sub(f, r))); });
}
export function relativisticG(real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => { const [r, f] = paired(real, fake, 'relativistic'); return mean(tf.softplus(tf.sub(r, f))); });
}

/**
 * Relativistic average standard GAN, RaSGAN (Jolicoeur-Martineau 2018, Eq. 9-10):
 *   L_D = E_r[softplus(-(C(x_r) - E_f C(x_f)))] + E_f[softplus(C(x_f) - E_r C(x_r))],
 *   L_G = E_f[softplus(-(C(x_f) - E_r C(x_r)))] + E_r[softplus(C(x_r) - E_f C(x_f))].
 * The batch means E_f C, E_r C are taken over the batch passed in (sizes may differ).
 */
export function relativisticAverageD(real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const r = flat(real, 'relativistic-average: realLogits'), f = flat(fake, 'relativistic-average: fakeLogits');
    return tf.add(mean(tf.softplus(tf.neg(tf.sub(r, tf.mean(f))))), mean(tf.softplus(tf.sub(f, tf.mean(r))))) as tf.Scalar;
  });
}
export function relativisticAverageG(real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const r = flat(real, 'relativistic-average: realLogits'), f = flat(fake, 'relativistic-average: fakeLogits');
    return tf.add(mean(tf.softplus(tf.neg(tf.sub(f, tf.mean(r))))), mean(tf.softplus(tf.sub(r, tf.mean(f))))) as tf.Scalar;
  });
}

/**
 * Wasserstein GAN critic and generator losses (Arjovsky et al. 2017; Gulrajani et al. 2017, Alg. 1):
 *   L_D = E[C(G(z))] - E[C(x)],   L_G = -E[C(G(z))]. The gradient penalty is added separately
 * ({@link gradientPenalty}).
 */
export function wassersteinD(real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sub(mean(flat(fake, 'wgan: fakeLogits')), mean(flat(real, 'wgan: realLogits'))) as tf.Scalar);
}
export function wassersteinG(_real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(mean(flat(fake, 'wgan: fakeLogits'))));
}
