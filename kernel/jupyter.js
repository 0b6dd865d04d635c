// @ts-check
"use strict";
/**
 * The Jupyter messaging protocol (v5.3) over ZeroMQ, written for lstm-lab in place of tslab's.
 *
 * What it does that tslab's layer does not: execute_result with a full MIME bundle and execution
 * counts; errors as iopub `error` messages with ename / evalue / traceback, also in the reply;
 * `aborted` only for execute requests already queued behind a failed cell whose client asked
 * for stop_on_error (never for one that arrives later); display bundles of several MIME types
 * with display_id updates; a complete kernel_info_reply; comm_info, history and is_complete
 * (complete / incomplete / invalid) replies; interrupt by SIGINT or interrupt_request.
 */
const crypto = require("node:crypto");
const fs = require("node:fs");
const { TextDecoder } = require("node:util");
const { represent } = require("../dist/src/represent.js");

const DELIM = Buffer.from("<IDS|MSG>");
const PROTOCOL_VERSION = "5.3";

/** Serialises sends on one socket: zeromq.js allows one pending send per socket. */
class SendQueue {
  /** @param {{ send(frames: Buffer[]): Promise<unknown> }} sock */
  constructor(sock) {
    this.sock = sock;
    /** @type {Promise<unknown>} */
    this.tail = Promise.resolve();
  }
  /** @param {Buffer[]} frames */
  send(frames) {
    this.tail = this.tail.then(() => this.sock.send(frames)).catch(() => {
      // A closed socket at shutdown is not worth crashing for.
    });
    return this.tail;
  }
}

/**
 * The parts of a message; header, parent header, metadata and content are JSON as the client sent it.
 * @typedef {object} MessageFields
 * @property {Buffer[]} identities
 * @property {Record<string, any>} header
 * @property {Record<string, any>} parent
 * @property {Record<string, any>} metadata
 * @property {Record<string, any>} content
 * @property {Buffer[]} buffers
 */

class Message {
  /** @param {MessageFields} fields */
  constructor(fields) {
    Object.assign(this, fields);
    /** @type {Buffer[]} */
    this.identities;
    /** @type {Record<string, any>} */
    this.header;
    /** @type {Record<string, any>} */
    this.content;
  }

  /**
   * @param {string} key
   * @param {Buffer[]} frames
   */
  static parse(key, frames) {
    const delim = frames.findIndex((f) => f.equals(DELIM));
    if (delim < 0) throw new Error("message missing <IDS|MSG> delimiter");
    const identities = frames.slice(0, delim);
    const signature = frames[delim + 1].toString();
    const parts = frames.slice(delim + 2);
    if (key) {
      const h = crypto.createHmac("sha256", key);
      for (const p of parts.slice(0, 4)) h.update(p);
      const want = h.digest("hex");
      if (signature.length !== want.length || !crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(want))) {
        throw new Error("invalid message signature");
      }
    }
    return new Message({
      identities,
      header: JSON.parse(parts[0].toString()),
      parent: JSON.parse(parts[1].toString()),
      metadata: JSON.parse(parts[2].toString()),
      content: JSON.parse(parts[3].toString()),
      buffers: parts.slice(4),
    });
  }
}

class Session {
  /** @param {string} key */
  constructor(key) {
    this.key = key;
    this.id = crypto.randomUUID();
  }

  /**
   * Frames for a message of `msgType` in reply to (or caused by) `parent`.
   * @param {string} msgType
   * @param {object} content
   * @param {Message | null} parent
   * @param {Buffer[]} [identities]
   * @param {object} [metadata]
   */
  frames(msgType, content, parent, identities = [], metadata = {}) {
    const header = {
      msg_id: crypto.randomUUID(),
      username: (parent && parent.header.username) || "kernel",
      session: this.id,
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    };
    const parts = [header, parent ? parent.header : {}, metadata, content].map((p) => Buffer.from(JSON.stringify(p)));
    let signature = "";
    if (this.key) {
      const h = crypto.createHmac("sha256", this.key);
      for (const p of parts) h.update(p);
      signature = h.digest("hex");
    }
    return [...identities, DELIM, Buffer.from(signature), ...parts];
  }
}

/**
 * One execute_request: waiting, running or done.
 * @typedef {{ msg: Message, queue: SendQueue, controller: AbortController, finished: boolean }} Job
 */

class JupyterKernel {
  /**
   * @param {object} o
   * @param {string} o.connectionFile
   * @param {ReturnType<import("./executor").createExecutor>} o.executor
   * @param {{ implementationVersion: string, typescriptVersion: string, banner: string }} o.info
   * @param {(code: number) => void} [o.exit]  ends the process (cells cannot: process.exit throws there)
   */
  constructor({ connectionFile, executor, info, exit = (code) => process.exit(code) }) {
    this.conn = JSON.parse(fs.readFileSync(connectionFile, "utf8"));
    this.session = new Session(this.conn.key || "");
    this.executor = executor;
    this.info = info;
    this.exit = exit;
    this.executionCount = 0;
    /** @type {Array<[number, number, string, string | null]>} */
    this.history = [];
    this.historySession = 1;
    /** @type {Job[]} */
    this.queue = [];
    /** @type {Job | null} */
    this.running = null;
    /** The request whose outputs stdout/stderr/display go to (the last cell, as in IPython). @type {Message | null} */
    this.outputParent = null;
    /** Errors no cell awaited, raised while no cell ran: shown in the next cell. @type {string[]} */
    this.pendingErrors = [];
    /** When an interrupt came in with no cell running (see enqueue). */
    this.idleInterruptAt = -Infinity;
    this.decoder = new TextDecoder();
    /** Set by kernel.js: the process's own stderr writer, for messages that must not go to a cell. @type {((text: string) => boolean) | undefined} */
    this.realStderrWrite;
    /** Set by kernel.js: what to do as a cell begins (route stdout/stderr to it). @type {{ beginCell(msg: unknown): void }} */
    this.hooks;
    /** Set by start(), before any message is read. @type {SendQueue} */
    this.iopub;
    /** @type {import("zeromq").Publisher} */
    this.iopubSock;
    /** @type {import("zeromq").Router} */
    this.shellSock;
    /** @type {import("zeromq").Router} */
    this.controlSock;
    /** @type {import("zeromq").Router} */
    this.stdinSock;
    /** @type {import("zeromq").Reply} */
    this.hbSock;
  }

  async start() {
    const zmq = require("zeromq");
    const c = this.conn;
    const addr = (/** @type {number} */ port) => `${c.transport}://${c.ip}:${port}`;
    this.iopubSock = new zmq.Publisher();
    this.shellSock = new zmq.Router();
    this.controlSock = new zmq.Router();
    this.stdinSock = new zmq.Router();
    this.hbSock = new zmq.Reply();
    await Promise.all([
      this.iopubSock.bind(addr(c.iopub_port)),
      this.shellSock.bind(addr(c.shell_port)),
      this.controlSock.bind(addr(c.control_port)),
      this.stdinSock.bind(addr(c.stdin_port)),
      this.hbSock.bind(addr(c.hb_port)),
    ]);
    this.iopub = new SendQueue(this.iopubSock);
    this.shell = new SendQueue(this.shellSock);
    this.control = new SendQueue(this.controlSock);
    this.loop(this.shellSock, this.shell);
    this.loop(this.controlSock, this.control);
    (async () => {
      for await (const frames of this.hbSock) await this.hbSock.send(frames);
    })().catch(() => {});
    this.publish("status", { execution_state: "starting" }, null);
  }

  /**
   * @param {AsyncIterable<Buffer[]>} sock
   * @param {SendQueue} queue
   */
  loop(sock, queue) {
    (async () => {
      for await (const frames of sock) {
        let msg;
        try {
          msg = Message.parse(this.session.key, frames);
        } catch (e) {
          process.stderr.write(`lstm-lab kernel: dropped a message: ${/** @type {Error} */ (e).message}\n`);
          continue;
        }
        this.dispatch(msg, queue).catch((/** @type {Error | undefined} */ e) => this.writeRealStderr(`lstm-lab kernel: ${e && e.stack}\n`));
      }
    })().catch(() => {});
  }

  /** @param {string} text */
  writeRealStderr(text) {
    if (this.realStderrWrite) this.realStderrWrite(text);
    else process.stderr.write(text);
  }

  /**
   * @param {string} msgType
   * @param {object} content
   * @param {Message | null} parent
   */
  publish(msgType, content, parent) {
    return this.iopub.send(this.session.frames(msgType, content, parent));
  }

  /**
   * @param {SendQueue} queue
   * @param {Message} parent
   * @param {string} msgType
   * @param {object} content
   */
  reply(queue, parent, msgType, content) {
    return queue.send(this.session.frames(msgType, content, parent, parent.identities));
  }

  /**
   * @param {Message} msg
   * @param {SendQueue} queue
   */
  async dispatch(msg, queue) {
    const type = msg.header.msg_type;
    if (type === "execute_request") {
      this.enqueue(msg, queue);
      return;
    }
    // Other requests are answered at once, even while a cell runs (completion during training).
    // Status messages for them are only sent while idle, so the kernel never looks idle mid-cell.
    const idle = this.running === null;
    if (idle) this.publish("status", { execution_state: "busy" }, msg);
    try {
      switch (type) {
        case "kernel_info_request":
          await this.reply(queue, msg, "kernel_info_reply", this.kernelInfo());
          break;
        case "is_complete_request":
          await this.reply(queue, msg, "is_complete_reply", isComplete(msg.content.code ?? ""));
          break;
        case "complete_request":
          await this.reply(queue, msg, "complete_reply", this.complete(msg.content));
          break;
        case "inspect_request":
          await this.reply(queue, msg, "inspect_reply", this.inspect(msg.content));
          break;
        case "history_request":
          await this.reply(queue, msg, "history_reply", this.historyReply(msg.content));
          break;
        case "comm_info_request":
          await this.reply(queue, msg, "comm_info_reply", { status: "ok", comms: {} });
          break;
        case "interrupt_request":
          this.interrupt();
          await this.reply(queue, msg, "interrupt_reply", { status: "ok" });
          break;
        case "shutdown_request":
          await this.reply(queue, msg, "shutdown_reply", { status: "ok", restart: !!msg.content.restart });
          if (idle) await this.publish("status", { execution_state: "idle" }, msg);
          setTimeout(() => this.shutdown(), 50);
          return;
        case "comm_open":
        case "comm_msg":
        case "comm_close":
          // No comm targets: ignore, as the protocol allows.
          break;
        default:
          this.writeRealStderr(`lstm-lab kernel: unsupported message type ${type}\n`);
      }
    } finally {
      if (idle && this.running === null) this.publish("status", { execution_state: "idle" }, msg);
    }
  }

  kernelInfo() {
    return {
      status: "ok",
      protocol_version: PROTOCOL_VERSION,
      implementation: "lstm-lab",
      implementation_version: this.info.implementationVersion,
      language_info: {
        name: "typescript",
        version: this.info.typescriptVersion,
        mimetype: "text/typescript",
        file_extension: ".ts",
        pygments_lexer: "typescript",
        codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
      },
      banner: this.info.banner,
      debugger: false,
      help_links: [
        { text: "lstm-lab README", url: "https://www.npmjs.com/package/lstm-lab" },
        { text: "TensorFlow.js API", url: "https://js.tensorflow.org/api/latest/" },
        { text: "Arquero API", url: "https://idl.uw.edu/arquero/api/" },
      ],
    };
  }

  /** @param {Record<string, any>} request a complete_request's content: { code, cursor_pos } */
  complete({ code, cursor_pos }) {
    try {
      const info = this.executor.complete(code, cursor_pos);
      return { status: "ok", matches: info.candidates, cursor_start: info.start, cursor_end: info.end, metadata: {} };
    } catch {
      return { status: "ok", matches: [], cursor_start: cursor_pos, cursor_end: cursor_pos, metadata: {} };
    }
  }

  /**
   * @param {Record<string, any>} request an inspect_request's content: { code, cursor_pos }
   * @returns {{ status: string, found: boolean, data: Record<string, unknown>, metadata: object }}
   */
  inspect({ code, cursor_pos }) {
    let info = null;
    try {
      info = this.executor.inspect(code, cursor_pos);
    } catch {
      info = null;
    }
    if (!info) return { status: "ok", found: false, data: {}, metadata: {} };
    const { printQuickInfo } = require("tslab/dist/inspect");
    return { status: "ok", found: true, data: { "text/plain": printQuickInfo(info) }, metadata: {} };
  }

  /** @param {Record<string, any>} c the history_request's content */
  historyReply(c) {
    const output = !!c.output;
    const row = (/** @type {[number, number, string, string | null]} */ [session, line, input, out]) => [session, line, output ? [input, out] : input];
    let rows = this.history;
    if (c.hist_access_type === "tail") {
      rows = c.n ? rows.slice(-c.n) : rows;
    } else if (c.hist_access_type === "range") {
      const start = c.start ?? 0;
      const stop = c.stop ?? Infinity;
      rows = rows.filter(([s, l]) => (c.session === undefined || c.session === 0 || s === c.session) && l >= start && l < stop);
    } else if (c.hist_access_type === "search") {
      // Glob like IPython: * any run, ? one character; matches anywhere when the pattern has no anchors.
      const re = new RegExp("^" + String(c.pattern ?? "*").split("").map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("") + "$", "s");
      rows = rows.filter((r) => re.test(r[2]));
      if (c.unique) {
        const seen = new Set();
        /** @type {typeof rows} */
        const kept = [];
        for (let i = rows.length - 1; i >= 0; i--) {
          if (!seen.has(rows[i][2])) {
            seen.add(rows[i][2]);
            kept.unshift(rows[i]);
          }
        }
        rows = kept;
      }
      if (c.n) rows = rows.slice(-c.n);
    }
    return { status: "ok", history: rows.map(row) };
  }

  /**
   * Interrupts the running cell, whatever it is doing: waiting its turn, compiling, importing or
   * running. With no cell running it interrupts a request sent before it that has not arrived yet
   * (see enqueue).
   */
  interrupt() {
    if (this.running) this.running.controller.abort();
    else this.idleInterruptAt = Date.now();
  }

  /**
   * @param {Message} msg
   * @param {SendQueue} queue
   */
  enqueue(msg, queue) {
    const controller = new AbortController();
    // A SIGINT overtakes the execute_request it was meant for, which still travels the shell
    // socket: an interrupt that came in while idle, less than a second ago, interrupts a request
    // the client sent before it (header dates; client and kernel share a clock in practice).
    const sent = Date.parse(msg.header.date);
    if (Date.now() - this.idleInterruptAt < 1000 && sent <= this.idleInterruptAt) {
      this.idleInterruptAt = -Infinity;
      controller.abort();
    }
    this.queue.push({ msg, queue, controller, finished: false });
    if (this.running === null) this.drain();
  }

  /**
   * An error no cell awaited (thrown in a timer, an unhandled rejection). It goes to the cell still
   * running, else to the next cell: output sent to a finished cell is lost to nbconvert.
   */
  /** @param {string} text */
  reportBackgroundError(text) {
    if (this.running && !this.running.finished) this.publish("stream", { name: "stderr", text }, this.running.msg);
    else this.pendingErrors.push(text);
  }

  async drain() {
    while (this.queue.length > 0) {
      const job = /** @type {Job} */ (this.queue.shift()); // the loop runs while the queue has jobs
      this.running = job;
      try {
        const toAbort = await this.execute(job);
        for (const w of toAbort) await this.abort(w.msg, w.queue);
      } catch (e) {
        this.writeRealStderr(`lstm-lab kernel: ${e && /** @type {Error} */ (e).stack}\n`);
      } finally {
        this.running = null;
      }
    }
  }

  /**
   * @param {Message} msg
   * @param {SendQueue} queue
   */
  async abort(msg, queue) {
    this.publish("status", { execution_state: "busy" }, msg);
    // As ipykernel: the reply says only "aborted"; the cell keeps no execution count.
    await this.reply(queue, msg, "execute_reply", { status: "aborted" });
    this.publish("status", { execution_state: "idle" }, msg);
  }

  /**
   * Runs one execute_request. Returns the queued requests to abort: when the cell failed and its
   * client asked for stop_on_error, those already waiting when the failure is known, taken before
   * the error reply goes out, so a request that arrives after the reply is never aborted.
   */
  /**
   * @param {Job} job
   * @returns {Promise<Job[]>}
   */
  async execute(job) {
    const { msg, queue } = job;
    const c = msg.content;
    const code = String(c.code ?? "");
    const silent = !!c.silent;
    const storeHistory = c.store_history !== undefined ? !!c.store_history : !silent;
    this.publish("status", { execution_state: "busy" }, msg);
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    if (!silent) this.publish("execute_input", { code, execution_count: count }, msg);
    this.outputParent = msg;
    this.hooks.beginCell(msg);
    for (const text of this.pendingErrors.splice(0)) this.publish("stream", { name: "stderr", text }, msg);
    const help = /^\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\?\s*$/.exec(code);
    if (help) {
      // IPython's `name?`: show the type and documentation in the pager.
      const info = this.inspect({ code: help[1], cursor_pos: help[1].length });
      const text = info.found ? info.data["text/plain"] : `Object \`${help[1]}\` not found.`;
      const payload = [{ source: "page", data: { "text/plain": text }, start: 0 }];
      if (storeHistory) this.history.push([this.historySession, count, code, null]);
      job.finished = true;
      await this.reply(queue, msg, "execute_reply", { status: "ok", execution_count: count, payload, user_expressions: {} });
      this.publish("status", { execution_state: "idle" }, msg);
      return [];
    }
    let result;
    try {
      result = await this.executor.execute(code, job.controller.signal);
    } catch (e) {
      result = { ok: false, error: require("./executor").describeThrown(e) };
    }
    /** @type {string | null} */
    let textOut = null;
    let content;
    if (result.ok) {
      if (result.hasValue && !silent) {
        /** @type {Record<string, unknown>} */
        let data;
        try {
          data = represent(result.value);
        } catch (e) {
          data = { "text/plain": `<value could not be displayed: ${e && /** @type {Error} */ (e).message}>` };
        }
        textOut = typeof data["text/plain"] === "string" ? data["text/plain"] : null;
        this.publish("execute_result", { execution_count: count, data, metadata: {} }, msg);
      }
      content = { status: "ok", execution_count: count, payload: [], user_expressions: {} };
    } else {
      const { ename, evalue, traceback } = result.error;
      this.publish("error", { ename, evalue, traceback }, msg);
      content = { status: "error", execution_count: count, ename, evalue, traceback };
    }
    if (storeHistory) this.history.push([this.historySession, count, code, textOut]);
    const toAbort = !result.ok && c.stop_on_error !== false ? this.queue.splice(0) : [];
    job.finished = true;
    await this.reply(queue, msg, "execute_reply", content);
    this.publish("status", { execution_state: "idle" }, msg);
    return toAbort;
  }

  /**
   * Sends a display (or its update) from the running cell.
   * @param {Record<string, unknown>} data
   * @param {{ displayId?: string, update?: boolean, metadata?: Record<string, unknown> }} [options]
   */
  display(data, { displayId, update = false, metadata = {} } = {}) {
    const parent = this.outputParent;
    const content = { data, metadata, transient: displayId ? { display_id: displayId } : {} };
    if (update && !displayId) throw new Error("update: true needs a displayId");
    this.publish(update ? "update_display_data" : "display_data", content, parent);
  }

  /** Clears the running cell's output (with `wait`, when the next output arrives). */
  clearOutput(wait = false) {
    this.publish("clear_output", { wait: !!wait }, this.outputParent);
  }

  /**
   * @param {string} name
   * @param {string} text
   */
  stream(name, text) {
    if (!text) return;
    this.publish("stream", { name, text }, this.outputParent);
  }

  shutdown() {
    try {
      this.executor.close();
    } catch {
      // closing the compiler's watchers cannot fail in a way worth reporting at exit
    }
    for (const s of [this.iopubSock, this.shellSock, this.controlSock, this.stdinSock, this.hbSock]) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
    this.exit(0);
  }
}

/**
 * is_complete for TypeScript: "incomplete" when the parser stops at the end wanting more (an open
 * brace, bracket, template or expression), "invalid" for any other syntax error, else "complete".
 * Two trailing blank lines force "complete", as in tslab and IPython.
 */
/** @param {string} code */
function isComplete(code) {
  const ts = require("@tslab/typescript-for-tslab");
  if (/(^|\n)\s*\n\s*$/.test(code)) return { status: "complete" };
  const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  // parseDiagnostics is internal to TypeScript (not in its .d.ts): the parser's own errors
  const diags = /** @type {{ parseDiagnostics?: readonly { start?: number, messageText: unknown }[] }} */ (/** @type {unknown} */ (sf)).parseDiagnostics || [];
  if (diags.length === 0) return { status: "complete" };
  const end = code.length;
  const trimmedEnd = code.replace(/\s+$/, "").length;
  const atEnd = diags.some((d) => (d.start === end || d.start === trimmedEnd) && typeof d.messageText === "string" && (d.messageText.endsWith(" expected.") || d.messageText.startsWith("Unterminated template")));
  if (atEnd) {
    const line = code.slice(code.lastIndexOf("\n") + 1);
    const current = (line.match(/^\s*/) || [""])[0];
    const indent = /[{([]\s*$/.test(line) ? current + "  " : current;
    return { status: "incomplete", indent };
  }
  return { status: "invalid" };
}

module.exports = { JupyterKernel, isComplete, Message, Session, PROTOCOL_VERSION };
