/**
 * The common part of our fused recurrent layers: options, weights laid out exactly as tf.layers.lstm /
 * tf.layers.gru (kernel, recurrent_kernel, bias; same shapes and order, so weights copy across and
 * checkpoints stay compatible), Keras defaults, seeded initialisation and dropout, masking, initial and
 * final states. Subclasses supply the gate count and the sequence kernel.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../rng.js";
import { ShapeError } from "../errors.js";
import { bool, inRange, nonNegativeNumber, oneOf, positiveInt } from "../validate.js";
import { KERNEL_INITIALIZERS, RECURRENT_INITIALIZERS, initialValues, type InitializerName } from "./initial-values.js";
import type { SequenceMasks } from "./sequence-steps.js";
import { freshSeed } from "./fresh-seed.js";
import { dropoutRng } from "./dropout-key.js";
import { dropoutMask } from "./dropout-mask.js";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Kwargs = Record<string, unknown>;

/** Options of FusedLSTM and FusedGRU (plus the usual layer options: name, inputShape, ...). */
export interface FusedRecurrentArgs extends LayerArgs {
  /** Size of the hidden state. */
  units: number;
  /** Output the hidden state of every step ([B, T, H]) instead of the last one ([B, H]). @default false */
  returnSequences?: boolean;
  /** Also output the final states (h, and c for LSTM) after the output. @default false */
  returnState?: boolean;
  /** Process the steps from last to first (outputs stay in processing order, as tf.layers). @default false */
  goBackwards?: boolean;
  /** Fraction of the inputs dropped during training (one mask per sequence, as Keras; fresh for every batch). @default 0 */
  dropout?: number;
  /** Fraction of the recurrent state dropped during training (one mask per sequence; fresh for every batch). @default 0 */
  recurrentDropout?: number;
  /** @default "glorotUniform" (Keras' default, Xavier) */
  kernelInitializer?: InitializerName;
  /** @default "orthogonal" */
  recurrentInitializer?: InitializerName;
  /** @default true */
  useBias?: boolean;
  /** LSTM: start the forget-gate bias at 1 (Keras' unit_forget_bias). @default true */
  unitForgetBias?: boolean;
  /** L1 penalty on kernel, recurrent kernel and bias. @default 0 */
  l1?: number;
  /** L2 penalty on kernel, recurrent kernel and bias. @default 0 */
  l2?: number;
  /** Seed for the initial weights, and for the dropout masks outside train() (inside, train's seed keys them). @default null */
  seed?: number | null;
}

/** The resolved recurrent options (everything but the generic layer options). */
export type FusedRecurrentOptions = Omit<Required<Omit<FusedRecurrentArgs, keyof LayerArgs>>, "seed"> & {
  seed: number;
};

const DEFAULTS: Omit<FusedRecurrentOptions, "units" | "seed"> = {
  returnSequences: false,
  returnState: false,
  goBackwards: false,
  dropout: 0,
  recurrentDropout: 0,
  kernelInitializer: "glorotUniform",
  recurrentInitializer: "orthogonal",
  useBias: true,
  unitForgetBias: true,
  l1: 0,
  l2: 0,
};


/** Validates the recurrent options; errors name the option and the value. */
export function resolveRecurrentOptions(args: FusedRecurrentArgs): FusedRecurrentOptions {
  const r: FusedRecurrentOptions = {
    units: args.units,
    returnSequences: args.returnSequences ?? DEFAULTS.returnSequences,
    returnState: args.returnState ?? DEFAULTS.returnState,
    goBackwards: args.goBackwards ?? DEFAULTS.goBackwards,
    dropout: args.dropout ?? DEFAULTS.dropout,
    recurrentDropout: args.recurrentDropout ?? DEFAULTS.recurrentDropout,
    kernelInitializer: args.kernelInitializer ?? DEFAULTS.kernelInitializer,
    recurrentInitializer: args.recurrentInitializer ?? DEFAULTS.recurrentInitializer,
    useBias: args.useBias ?? DEFAULTS.useBias,
    unitForgetBias: args.unitForgetBias ?? DEFAULTS.unitForgetBias,
    l1: args.l1 ?? DEFAULTS.l1,
    l2: args.l2 ?? DEFAULTS.l2,
    seed: args.seed ?? freshSeed(),
  };
  positiveInt("units", r.units);
  bool("returnSequences", r.returnSequences);
  bool("returnState", r.returnState);
  bool("goBackwards", r.goBackwards);
  checkCellOptions(r);
  bool("useBias", r.useBias);
  return r;
}

/** The cell options a layer and a model config share. */
export type CellOptions = Pick<
  FusedRecurrentOptions,
  "dropout" | "recurrentDropout" | "kernelInitializer" | "recurrentInitializer" | "unitForgetBias" | "l1" | "l2"
>;

/** Checks the cell options of a recurrent layer or of a model config; errors name the option and the value. */
export function checkCellOptions(r: CellOptions): void {
  inRange("dropout", r.dropout, 0, 1, { highOpen: true });
  inRange("recurrentDropout", r.recurrentDropout, 0, 1, { highOpen: true });
  oneOf("kernelInitializer", r.kernelInitializer, KERNEL_INITIALIZERS);
  oneOf("recurrentInitializer", r.recurrentInitializer, RECURRENT_INITIALIZERS);
  bool("unitForgetBias", r.unitForgetBias);
  nonNegativeNumber("l1", r.l1);
  nonNegativeNumber("l2", r.l2);
}

/** Base class of FusedLSTM and FusedGRU. */
export abstract class FusedRecurrent extends tf.layers.Layer {
  readonly o: FusedRecurrentOptions;
  /** Number of gate blocks in the kernels: 4 for LSTM, 3 for GRU. */
  protected abstract readonly gates: number;
  /** Number of states: 2 for LSTM (h, c), 1 for GRU (h). */
  protected abstract readonly stateCount: number;
  kernel: tf.LayerVariable | null = null;
  recurrentKernel: tf.LayerVariable | null = null;
  bias: tf.LayerVariable | null = null;
  readonly #dropRng: Rng;

  constructor(args: FusedRecurrentArgs) {
    super(args);
    this.o = resolveRecurrentOptions(args);
    this.supportsMasking = true;
    // The two directions of a Bidirectional wrapper are built from one config: keep their draws apart.
    this.#dropRng = new Rng(this.o.seed).fork(this.o.goBackwards ? "dropout-backward" : "dropout");
  }

  get units(): number {
    return this.o.units;
  }
  get returnSequences(): boolean {
    return this.o.returnSequences;
  }
  get returnState(): boolean {
    return this.o.returnState;
  }

  /** Initial bias values (LSTM overrides for the unit forget bias). */
  protected initialBias(): Float32Array {
    return new Float32Array(this.gates * this.o.units);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const f = shape[shape.length - 1] as number;
    const h = this.o.units;
    const g = this.gates * h;
    const reg = this.o.l1 > 0 || this.o.l2 > 0 ? tf.regularizers.l1l2({ l1: this.o.l1, l2: this.o.l2 }) : undefined;
    const zeros = tf.initializers.zeros();
    const rng = new Rng(this.o.seed).fork(this.o.goBackwards ? "init-backward" : "init");
    this.kernel = this.addWeight("kernel", [f, g], "float32", zeros, reg, true);
    this.recurrentKernel = this.addWeight("recurrent_kernel", [h, g], "float32", zeros, reg, true);
    if (this.o.useBias) this.bias = this.addWeight("bias", [g], "float32", zeros, reg, true);
    // In a tidy: the variables keep the data, the temporary tensors go.
    tf.tidy(() => {
      this.kernel?.write(tf.tensor2d(initialValues(this.o.kernelInitializer, f, g, rng.fork("kernel")), [f, g]));
      this.recurrentKernel?.write(
        tf.tensor2d(initialValues(this.o.recurrentInitializer, h, g, rng.fork("recurrent")), [h, g]),
      );
      this.bias?.write(tf.tensor1d(this.initialBias()));
    });
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const h = this.o.units;
    const out: tf.Shape = this.o.returnSequences ? [shape[0] ?? null, shape[1] ?? null, h] : [shape[0] ?? null, h];
    if (!this.o.returnState) return out;
    return [out, ...Array.from({ length: this.stateCount }, (): tf.Shape => [shape[0] ?? null, h])];
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    const m = Array.isArray(mask) ? mask[0] : mask;
    const outMask = (this.o.returnSequences ? m ?? null : null) as tf.Tensor;
    if (!this.o.returnState) return outMask;
    return [outMask, ...Array.from({ length: this.stateCount }, () => null as unknown as tf.Tensor)];
  }

  /** Runs the sequence kernel; returns [B, steps, H] packed as the kernel defines. A null state is zeros. */
  protected abstract runSequence(x: tf.Tensor3D, states: (tf.Tensor2D | null)[], masks: SequenceMasks): tf.Tensor3D;

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      const x = list[0] as tf.Tensor3D;
      this.checkInput(x);
      const given = list.length > 1 ? list.slice(1) : ((kwargs["initialState"] as tf.Tensor[] | undefined) ?? []);
      const [b, t, f] = x.shape;
      const h = this.o.units;
      // Zeros stay null: the wasm engine zeroes them in its memory (no tensor read, no gradient).
      const states = Array.from({ length: this.stateCount }, (_, i) => (given[i] as tf.Tensor2D | undefined) ?? null);
      const rawMask = kwargs["mask"] as tf.Tensor | tf.Tensor[] | undefined | null;
      const m = Array.isArray(rawMask) ? rawMask[0] : rawMask;
      const training = kwargs["training"] === true;
      const masks: SequenceMasks = {
        mask: m ? (tf.reshape(tf.cast(m, "float32"), [b, t]) as tf.Tensor2D) : null,
        inputMask: training && this.o.dropout > 0 ? (dropoutMask([b, f], this.o.dropout, this.maskRng("input")) as tf.Tensor2D) : null,
        recurrentMask:
          training && this.o.recurrentDropout > 0
            ? (dropoutMask([b, h], this.o.recurrentDropout, this.maskRng("recurrent")) as tf.Tensor2D)
            : null,
      };
      const packed = this.runSequence(x, states, masks);
      const n = this.o.returnSequences ? t : 1;
      if (!this.o.returnState) return this.o.returnSequences ? packed : tf.reshape(packed, [b, h]);
      const out = this.o.returnSequences ? tf.slice(packed, [0, 0, 0], [b, t, h]) : tf.reshape(tf.slice(packed, [0, 0, 0], [b, 1, h]), [b, h]);
      const finals = [tf.reshape(tf.slice(packed, [0, n - 1, 0], [b, 1, h]), [b, h])];
      if (this.stateCount === 2) finals.push(tf.reshape(tf.slice(packed, [0, n, 0], [b, 1, h]), [b, h]));
      return [out, ...finals];
    });
  }

  /**
   * The stream of one dropout mask: keyed by (seed, epoch, batch, layer) inside train(), so every batch
   * gets fresh masks that a resumed run draws again; elsewhere (model.fit, a manual training call) the
   * layer's own seeded stream, one draw per call.
   */
  private maskRng(part: "input" | "recurrent"): Rng {
    return dropoutRng(this, part) ?? new Rng(this.#dropRng.nextSeed());
  }

  /** Rank and feature count must fit the built kernel; tfjs would fail later with a bare matMul error. */
  private checkInput(x: tf.Tensor): void {
    const f = this.kernel?.shape[0];
    if (x.rank !== 3 || (f !== undefined && x.shape[2] !== f)) {
      const want = `[batch, steps, ${f ?? "features"}]`;
      throw new ShapeError(`Layer "${this.name}" expects input ${want}, got shape ${JSON.stringify(x.shape)}.`);
    }
  }

  /** Weight tensors as the kernels want them. */
  protected weights3(): [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D | null] {
    return [
      (this.kernel as tf.LayerVariable).read() as tf.Tensor2D,
      (this.recurrentKernel as tf.LayerVariable).read() as tf.Tensor2D,
      this.bias ? (this.bias.read() as tf.Tensor1D) : null,
    ];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...this.o, ...super.getConfig() };
  }
}
