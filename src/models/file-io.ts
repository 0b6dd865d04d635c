/**
 * fileIO: a tf.io.IOHandler that saves and loads the standard TF.js layers format (model.json + a
 * binary weights file, what tfjs-node's file:// and the converter read) on disk without tfjs-node.
 *
 * Saves are atomic: the weights go to a new file named after their content hash, then model.json is
 * written to a temp file, fsynced and renamed over the old one, and only then are weight files that
 * model.json no longer names removed. A crash at any point leaves either the old save or the new one,
 * never a mix.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createHash } from "node:crypto";
import * as tf from "@tensorflow/tfjs";
import { DataError } from "../errors.js";

/** Our part of model.json's userDefinedMetadata. */
export const METADATA_KEY = "lstmLab";

function writeDurably(file: string, data: string | Uint8Array): void {
  const fd = fs.openSync(file, "w");
  try {
    if (typeof data === "string") fs.writeSync(fd, data);
    else fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some file systems cannot fsync a directory; the renames are still atomic.
  }
}

function weightBytes(data: tf.io.ModelArtifacts["weightData"]): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

/**
 * `transformTopology` rewrites the topology before it is written (saveModel's `portable` uses it).
 * @example
 * declare const model: tf.LayersModel;
 * await model.save(fileIO("runs/best"));  const m = await tf.loadLayersModel(fileIO("runs/best"));
 */
export function fileIO(
  dir: string,
  userDefinedMetadata: Record<string, {}> = {},
  transformTopology: (t: tf.io.ModelArtifacts["modelTopology"]) => tf.io.ModelArtifacts["modelTopology"] = (t) => t,
): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      fs.mkdirSync(dir, { recursive: true });
      const bytes = weightBytes(artifacts.weightData);
      const weightsName = `weights-${createHash("sha256").update(bytes).digest("hex").slice(0, 16)}.bin`;
      const weightsPath = path.join(dir, weightsName);
      if (!fs.existsSync(weightsPath)) {
        const tmp = `${weightsPath}.tmp-${process.pid}`;
        writeDurably(tmp, bytes);
        fs.renameSync(tmp, weightsPath);
      }
      const modelJson = {
        modelTopology: transformTopology(artifacts.modelTopology),
        format: artifacts.format ?? "layers-model",
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [weightsName], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        userDefinedMetadata: { ...(artifacts.userDefinedMetadata ?? {}), ...userDefinedMetadata },
      };
      const jsonPath = path.join(dir, "model.json");
      const tmpJson = `${jsonPath}.tmp-${process.pid}`;
      const text = JSON.stringify(modelJson);
      writeDurably(tmpJson, text);
      fs.renameSync(tmpJson, jsonPath);
      fsyncDir(dir);
      for (const f of fs.readdirSync(dir)) {
        if (/^weights-[0-9a-f]+\.bin$/.test(f) && f !== weightsName) fs.rmSync(path.join(dir, f), { force: true });
      }
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: "JSON",
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology ?? null).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes: bytes.byteLength,
        },
      };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = path.join(dir, "model.json");
      if (!fs.existsSync(jsonPath)) throw new DataError(`No saved model at "${dir}": ${jsonPath} does not exist.`);
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(fs.readFileSync(jsonPath, "utf8")) as Record<string, unknown>;
      } catch (e) {
        throw new DataError(`"${jsonPath}" is not valid JSON: ${(e as Error).message}`);
      }
      const manifest = (json["weightsManifest"] ?? []) as tf.io.WeightsManifestConfig;
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Uint8Array[] = [];
      for (const group of manifest) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          const file = path.join(dir, p);
          if (!fs.existsSync(file)) throw new DataError(`"${jsonPath}" names weights file "${p}", which is missing.`);
          buffers.push(fs.readFileSync(file));
        }
      }
      const total = buffers.reduce((n, b) => n + b.byteLength, 0);
      const joined = new Uint8Array(total);
      let off = 0;
      for (const b of buffers) {
        joined.set(b, off);
        off += b.byteLength;
      }
      return {
        modelTopology: json["modelTopology"] as tf.io.ModelArtifacts["modelTopology"],
        weightSpecs: specs,
        weightData: joined.buffer,
        format: json["format"] as string | undefined,
        generatedBy: json["generatedBy"] as string | undefined,
        convertedBy: json["convertedBy"] as string | null | undefined,
        trainingConfig: json["trainingConfig"] as tf.io.TrainingConfig | undefined,
        userDefinedMetadata: json["userDefinedMetadata"] as tf.io.ModelArtifacts["userDefinedMetadata"],
      };
    },
  };
}
