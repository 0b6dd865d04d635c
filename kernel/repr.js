// @ts-check
"use strict";
/**
 * The MIME bundle for a cell's value (execute_result): the library's own `represent`, so a value
 * looks the same as a cell's value and through `display()`. See src/represent.ts.
 */
const { represent, MIME_BUNDLE, JUPYTER_DISPLAY } = require("../dist/src/represent.js");

module.exports = { mimeBundle: represent, MIME_BUNDLE, JUPYTER_DISPLAY };
