"""Jupyter's standard kernel conformance suite (Debian's python3-jupyter-kernel-test) against lstm-lab.

Run by test/kernel/conformance.test.ts with /usr/bin/python3, after the kernel has been installed
into a temporary JUPYTER_DATA_DIR.
"""
import unittest

import jupyter_kernel_test


class LstmLabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "lstm-lab"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = "console.log('hello, world')"
    code_stderr = "console.error('something went wrong')"

    completion_samples = [
        {"text": "Math.flo", "matches": {"floor"}},
        {"text": "const greeting = 'hi'; greeti", "matches": {"greeting"}},
    ]

    complete_code_samples = ["1 + 1", "const a = [1, 2, 3]", "function f(x: number) { return x }", "for (const i of [1]) {\n  i\n}"]
    incomplete_code_samples = ["function f(x: number) {", "const a = [1, 2,", "if (true) {\n  console.log(1)", "const s = `open template"]
    invalid_code_samples = ["1 +* 2", "const = 5", "let x: = 3"]

    code_display_data = [
        {"code": "import { display } from 'tslab'; display.html('<b>bold</b>')", "mime": "text/html"},
        {"code": "import { kernelHost } from 'lstm-lab'; kernelHost()!.display({'text/markdown': '# hi', 'text/plain': 'hi'})", "mime": "text/markdown"},
    ]

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "'a' + 'b'", "result": "'ab'"},
        {"code": "[1, 2].map((x: number) => x * 2)", "result": "[ 2, 4 ]"},
    ]
    code_history_pattern = "6 * 7"
    supported_history_operations = ("tail", "range", "search")

    code_generate_error = "throw new Error('boom')"

    code_inspect_sample = "Math.floor"

    # IPython-style help: `name?` pages the type and documentation.
    code_page_something = "Math.floor?"

    code_clear_output = "import { kernelHost } from 'lstm-lab'; console.log('gone'); kernelHost()!.clearOutput!()"


if __name__ == "__main__":
    unittest.main(verbosity=2)
