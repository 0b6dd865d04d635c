/**
 * The errors lstm-lab throws. Every message names the option or column and the value,
 * and where it helps, what would be right.
 */

/**
 * Base class of every error lstm-lab throws on purpose.
 * @example
 * try { fitScaler(dataset("seattle-weather"), ["no_such_column"]); } catch (e) { if (e instanceof LabError) console.log(e.message); }
 */
export class LabError extends Error {
  override name = "LabError";
}

/**
 * An option or argument has a wrong value: `\`lookback\` must be a positive integer, got 0.`
 * @example
 * try { buildModel({ inputShape: [30, 4], units: [0] }); } catch (e) { console.log(e instanceof ConfigError); } // true: units must be positive
 */
export class ConfigError extends LabError {
  override name = "ConfigError";
}

/**
 * The data itself is unusable: a missing column, NaN values, too few rows.
 * @example
 * try { fitScaler(dataset("seattle-weather"), ["no_such_column"]); } catch (e) { console.log(e instanceof DataError); }
 */
export class DataError extends LabError {
  override name = "DataError";
}

/**
 * Tensor or table shapes do not fit together.
 * @example
 * declare const model: tf.LayersModel, x: tf.Tensor;
 * try { predict(model, x); } catch (e) { if (e instanceof ShapeError) console.log(e.message); } // names the expected and the given shape
 */
export class ShapeError extends LabError {
  override name = "ShapeError";
}

/**
 * Training produced NaN or Infinity, or another numeric failure.
 * @example
 * declare const model: tf.LayersModel, data: TrainData;
 * try { await train(model, data, { learningRate: 1e3 }); } catch (e) { if (e instanceof NumericError) console.log("diverged:", e.message); }
 */
export class NumericError extends LabError {
  override name = "NumericError";
}
