/**
 * Optimizers whose whole state is ours: every slot (momentum, Adam moments, RMS averages), the
 * step counter and the running bias-correction powers are returned by `getWeights()` under stable
 * names and restored by `setWeights()` exactly, so a resumed run is bit-identical to an
 * uninterrupted one. (tfjs's Adam keeps its β-powers outside `getWeights()` and recomputes them
 * with `pow()` on load, which rounds differently.)
 *
 * Subclasses extend tfjs's `Optimizer`, so `minimize`, `computeGradients` and the checkpoint code
 * (`optimizerTensors` / `loadOptimizerTensors`) work unchanged. Slots are kept per position in
 * the gradient list, as tfjs does (the order of a model's trainable weights is deterministic).
 *
 * Weight decay is explicit: `coupled` adds `decay * w` to the gradient before the update (L2
 * penalty, `torch.optim.SGD(weight_decay=...)`); `decoupled` shrinks the weights by
 * `lr * decay * w` before the update (Loshchilov & Hutter 2019, `torch.optim.AdamW`). `applyTo`
 * says which variables it touches: `all`, or `kernels` (not biases nor normalisation scales and
 * offsets: names ending in bias, beta, gamma, moving_mean or moving_variance).
 */
import * as tf from '@tensorflow/tfjs';

/** A named tensor, as tfjs's optimizers' `getWeights()` returns. */
export interface NamedTensor { name: string; tensor: tf.Tensor }

export type WeightDecayMode = 'coupled' | 'decoupled';
export type WeightDecayTarget = 'all' | 'kernels';

export interface WeightDecay {
  value: number;
  mode: WeightDecayMode;
  applyTo: WeightDecayTarget;
}

export const NO_WEIGHT_DECAY: WeightDecay = { value: 0, mode: 'coupled', applyTo: 'all' };

const NOT_KERNEL = /(^|[/_])(bias|beta|gamma|moving_mean|moving_variance)(_\d+)?$/;

/** Whether weight decay applies to a variable of this name. */
export function decays(name: string, target: WeightDecayTarget): boolean {
  return target === 'all' || !NOT_KERNEL.test(name);
}

/** One variable's slots, created on its first update (or by `setWeights`). */
interface SlotSet { varName: string; slots: tf.Variable[] }

export abstract class OwnedOptimizer extends tf.Optimizer {
  /** Slot names of one variable, in order (`m`, `v`, ...); the checkpoint names are `<var>/<slot>`. */
  protected abstract readonly slotNames: readonly string[];
  /** Scalar state besides the slots (e.g. Adam's β-powers), with their initial values. */
  protected scalars: Record<string, tf.Variable> = {};
  private readonly slotSets: SlotSet[] = [];
  /** Updates applied so far. */
  step = 0;

  constructor(public learningRate: number, public readonly weightDecay: WeightDecay = NO_WEIGHT_DECAY) {
    super();
    if (!(learningRate >= 0) || !Number.isFinite(learningRate)) throw new Error(`optimizer lr: expected a finite number >= 0, got ${learningRate}`);
    if (!(weightDecay.value >= 0) || !Number.isFinite(weightDecay.value)) throw new Error(`optimizer weightDecay: expected a finite number >= 0, got ${weightDecay.value}`);
  }

  setLearningRate(lr: number): void {
    if (!(lr >= 0) || !Number.isFinite(lr)) throw new Error(`optimizer lr: expected a finite number >= 0, got ${lr}`);
    this.learningRate = lr;
  }

  /** The update of one variable given its gradient (weight decay already applied when coupled); inside a tidy. */
  protected abstract update(value: tf.Variable, gradient: tf.Tensor, slots: tf.Variable[]): tf.Tensor;

  /** Called once per step before the variables are updated (inside a tidy), e.g. for bias-correction terms. */
  protected beginStep(): void {}

  /** Called once per step after every variable was updated (inside a tidy). */
  protected endStep(): void {}

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    tf.tidy(() => {
      this.beginStep();
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        if (!value) throw new Error(`optimizer: no variable named "${name}"`);
        const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        const set = this.slotsFor(i, value);
        if (gradient == null) return;
        const wd = this.weightDecay;
        const decayed = wd.value > 0 && decays(name, wd.applyTo);
        const g = decayed && wd.mode === 'coupled' ? tf.add(gradient, tf.mul(wd.value, value)) : gradient;
        if (decayed && wd.mode === 'decoupled') value.assign(tf.sub(value, tf.mul(this.learningRate * wd.value, value)));
        value.assign(this.update(value, g, set.slots));
      });
      this.endStep();
    });
    this.step++;
    this.incrementIterations();
  }

  private slotsFor(i: number, value: tf.Variable): SlotSet {
    let set = this.slotSets[i];
    if (!set) {
      set = { varName: value.name, slots: this.slotNames.map(() => tf.tidy(() => tf.zerosLike(value).variable(false))) };
      this.slotSets[i] = set;
    } else if (set.slots.length > 0 && !tf.util.arraysEqual(set.slots[0].shape, value.shape)) {
      throw new Error(`optimizer: slot ${i} (${set.varName}/${this.slotNames[0]}) has shape [${set.slots[0].shape}] but variable "${value.name}" has [${value.shape}]; the checkpoint's optimizer state belongs to another model`);
    }
    return set;
  }

  async getWeights(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [{ name: 'step', tensor: tf.scalar(this.step, 'int32') }];
    for (const [k, v] of Object.entries(this.scalars)) out.push({ name: k, tensor: v });
    for (const set of this.slotSets) set.slots.forEach((s, j) => out.push({ name: `${set.varName}/${this.slotNames[j]}`, tensor: s }));
    return out;
  }

  /** Scalar state as tfjs would have recomputed it from `iterations` (checkpoints written by tfjs's optimizers). */
  protected legacyScalars(_iterations: number): void {}

  /**
   * tfjs's own optimizer layout (`iter`, then every variable's first slot, then every second
   * slot, ...), as checkpoints written before these optimizers hold it.
   */
  private async setLegacyWeights(weights: NamedTensor[], what: string): Promise<void> {
    this.step = (await weights[0].tensor.data())[0];
    this.iterations_ = this.step;
    this.legacyScalars(this.step);
    const rest = weights.slice(1);
    const per = this.slotNames.length;
    const bySlot = this.slotNames.map((slot) => rest.filter((w) => w.name.endsWith(`/${slot}`)));
    if (per === 0 ? rest.length > 0 : bySlot.some((l) => l.length !== bySlot[0].length) || bySlot[0].length * per !== rest.length) {
      throw new Error(`${what}: the ${rest.length} tensors of this tfjs checkpoint are not ${this.slotNames.join(' + ') || 'no'} slots per variable (a checkpoint of another optimizer?)`);
    }
    for (const set of this.slotSets.splice(0)) set.slots.forEach((x) => x.dispose());
    for (let i = 0; per > 0 && i < bySlot[0].length; i++) {
      const varName = bySlot[0][i].name.slice(0, bySlot[0][i].name.lastIndexOf('/'));
      this.slotSets[i] = { varName, slots: bySlot.map((l) => tf.tidy(() => l[i].tensor.clone().variable(false))) };
    }
  }

  async setWeights(weights: NamedTensor[]): Promise<void> {
    const what = `${this.getClassName()} state`;
    if (weights[0]?.name === 'iter') return this.setLegacyWeights(weights, what);
    if (weights[0]?.name !== 'step') throw new Error(`${what}: expected "step" first, got ${JSON.stringify(weights[0]?.name)} (a checkpoint of another optimizer?)`);
    this.step = (await weights[0].tensor.data())[0];
    this.iterations_ = this.step;
    const scalarNames = Object.keys(this.scalars);
    for (const [j, k] of scalarNames.entries()) {
      const w = weights[1 + j];
      if (w?.name !== k) throw new Error(`${what}: expected "${k}" at position ${1 + j}, got ${JSON.stringify(w?.name)}`);
      this.scalars[k].assign(w.tensor);
    }
    const rest = weights.slice(1 + scalarNames.length);
    const per = this.slotNames.length;
    rest.forEach((w, i) => {
      const slot = this.slotNames[i % Math.max(1, per)];
      if (per === 0 || !w.name.endsWith(`/${slot}`)) {
        throw new Error(`${what}: "${w.name}" is not a slot of this optimizer (expected ${per === 0 ? 'none' : `"<variable>/${slot}"`}; a checkpoint of another optimizer?)`);
      }
    });
    if (per === 0) {
      if (rest.length > 0) throw new Error(`${what}: expected no slot tensors, got ${rest.length} (a checkpoint of another optimizer?)`);
      return;
    }
    if (rest.length % per !== 0) throw new Error(`${what}: ${rest.length} slot tensors is not a multiple of ${per} (${this.slotNames.join(', ')})`);
    for (const set of this.slotSets.splice(0)) set.slots.forEach((s) => s.dispose());
    for (let i = 0; i < rest.length / per; i++) {
      const group = rest.slice(i * per, (i + 1) * per);
      const varName = group[0].name.slice(0, group[0].name.lastIndexOf('/'));
      group.forEach((w, j) => {
        if (w.name !== `${varName}/${this.slotNames[j]}`) throw new Error(`${what}: expected "${varName}/${this.slotNames[j]}", got "${w.name}"`);
      });
      this.slotSets[i] = { varName, slots: group.map((w) => tf.tidy(() => w.tensor.clone().variable(false))) };
    }
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, weightDecay: this.weightDecay.value, weightDecayMode: this.weightDecay.mode, weightDecayApplyTo: this.weightDecay.applyTo };
  }

  dispose(): void {
    for (const set of this.slotSets.splice(0)) set.slots.forEach((s) => s.dispose());
    for (const v of Object.values(this.scalars)) v.dispose();
    super.dispose();
  }
}
