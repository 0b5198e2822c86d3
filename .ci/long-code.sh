#!/usr/bin/env bash
# Lists C# files over 300 lines and methods over 60 lines (signature to closing brace) under host/ and plugins/,
# then the two counts. Report only: exits 0 whatever it finds. The method scan is rough brace counting (strings
# and comments blanked, raw string literals not understood), good enough to find what needs splitting.
# Usage: .ci/long-code.sh [FOLDER ...]   (default: host plugins)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 0
[ $# -gt 0 ] || set -- host plugins
find "$@" -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' | sort | python3 -c '
import re, sys

MAX_FILE, MAX_METHOD = 300, 60
CONTROL = {"if", "else", "for", "foreach", "while", "switch", "catch", "try", "finally", "using", "lock", "do",
           "fixed", "checked", "unchecked", "delegate", "return", "new", "get", "set", "init", "add", "remove"}
MODIFIERS = {"public", "private", "protected", "internal", "static", "override", "async", "virtual", "sealed",
             "unsafe", "extern", "partial", "readonly", "abstract"}
TYPE = re.compile(r"\b(class|struct|record|interface|enum|namespace)\b")
STRING = re.compile(r"@?\$?\"(?:[^\"\\]|\\.)*\"|\x27(?:[^\x27\\]|\\.)\x27")

def clean(line):
    line = STRING.sub("\"\"", line)
    return line.split("//", 1)[0]

def is_method(header):
    header = re.sub(r"^(\s*\[[^\]]*\])+", "", header).strip()
    if "(" not in header or "=>" in header or header.endswith("switch") or TYPE.search(header.split("(")[0]):
        return None
    words = header.split("(")[0].split()
    if not words or words[0] in CONTROL or "=" in header.split("(")[0]:
        return None
    # The name is the identifier right before its parameter list (a tuple return type opens a parenthesis first).
    names = [m.group(1) for m in re.finditer(r"(\w+)\s*(?:<[^()]*>)?\s*\(", header) if m.group(1) not in MODIFIERS]
    return names[0] if names else None

long_files, long_methods = 0, 0
for path in sys.stdin.read().split():
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    count = len(lines) - (1 if lines and lines[-1] == "" else 0)
    if count > MAX_FILE:
        long_files += 1
        print(f"file   {count:5d}  {path}")
    stack, header, header_line, in_block_comment = [], "", None, False
    for number, raw in enumerate(lines, 1):
        line = raw
        if in_block_comment:
            if "*/" not in line:
                continue
            line, in_block_comment = line.split("*/", 1)[1], False
        if "/*" in line and "*/" not in line.split("/*", 1)[1]:
            line, in_block_comment = line.split("/*", 1)[0], True
        for ch in clean(line):
            if ch == "{":
                name = is_method(header)
                parent_is_type = not stack or stack[-1][0] == "type"
                kind = "method" if name and parent_is_type else ("type" if TYPE.search(header) else "block")
                stack.append((kind, header_line or number, name))
                header, header_line = "", None
            elif ch == "}":
                if stack:
                    kind, start, name = stack.pop()
                    if kind == "method" and number - start + 1 > MAX_METHOD:
                        long_methods += 1
                        print(f"method {number - start + 1:5d}  {path}:{start} {name}")
                header, header_line = "", None
            elif ch == ";":
                header, header_line = "", None
            else:
                if not ch.isspace() and header_line is None:
                    header_line = number
                header += ch
        header += " "
print(f"files over {MAX_FILE} lines: {long_files}; methods over {MAX_METHOD} lines: {long_methods}")
'
exit 0
