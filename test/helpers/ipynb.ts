/** The parts of an executed .ipynb file (nbformat 4) that the notebook tests read. */

/** One cell output: a stream (name, text), an error (ename, evalue) or a display/result (data). */
export interface Output {
  output_type: string;
  ename?: string;
  evalue?: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}

export interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
}
