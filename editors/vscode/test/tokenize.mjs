// Tokenizes ruleset files with the extension's TextMate grammar, as VS Code does
// (vscode-textmate + vscode-oniguruma), and compares every token with the role
// indikator's own parser gives it (tests/editor_tokens.py writes them as JSON).
//
//   node test/tokenize.mjs ROLES.json
//
// Exits 1, listing the first problems, when a keyword is not scoped as a keyword, a
// comment, string or number is not scoped as one, a definition's name or a built-in
// call is not marked, or any character is left with no scope but the file's (a broken
// rule). `nox -s vscode` runs it on every shipped ruleset.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import oniguruma from "vscode-oniguruma";
import textmate from "vscode-textmate";

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const GRAMMAR = join(HERE, "..", "syntaxes", "indikator.tmLanguage.json");
const ROOT_SCOPE = "source.indikator";

// Each role, the scope prefix its token must carry (on every character of the token).
const EXPECTED = {
  keyword: ["keyword."],
  constant: ["constant.language."],
  comment: ["comment.line.number-sign."],
  string: ["string.quoted.double."],
  label: ["string.quoted.double.label."],
  option: ["string.quoted.double.option."],
  number: ["constant.numeric."],
  percent: ["constant.numeric.percent."],
  date: ["constant.other.date."],
  sign: ["constant.numeric.", "keyword.operator."],
  operator: ["keyword.operator."],
  interval: ["punctuation.section.interval."],
  definition: ["entity.name."],
  builtin: ["support.function.builtin."],
  call: ["entity.name.function.call."],
};
// A plain name must not look like a keyword, a string or a comment: that would be a
// rule running past its end.
const FORBIDDEN_FOR_NAMES = ["keyword.", "string.", "comment.", "constant."];

async function loadGrammar() {
  const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === ROOT_SCOPE
        ? textmate.parseRawGrammar(readFileSync(GRAMMAR, "utf-8"), GRAMMAR)
        : null,
  });
  return registry.loadGrammar(ROOT_SCOPE);
}

// The scopes of every character, line by line: scopes[line][column] is a list.
function scopesOf(grammar, text) {
  let stack = textmate.INITIAL;
  const lines = text.split("\n");
  const scopes = lines.map((line) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    const perChar = new Array(line.length);
    for (const token of result.tokens) {
      for (let c = token.startIndex; c < Math.min(token.endIndex, line.length); c++) {
        perChar[c] = token.scopes;
      }
    }
    return perChar;
  });
  const top = grammar.tokenizeLine("", textmate.INITIAL).ruleStack;
  return { lines, scopes, endsAtTop: stack.equals(top) };
}

function checkFile(grammar, file, roles) {
  const text = readFileSync(file, "utf-8").replace(/^\uFEFF/, "");
  const { lines, scopes, endsAtTop } = scopesOf(grammar, text);
  const problems = [];
  const where = (line, column) => `${file}:${line + 1}:${column + 1}`;
  if (!endsAtTop) problems.push(`${file}: a begin/end rule is still open at the end of the file`);
  lines.forEach((line, l) => {
    [...line].forEach((ch, c) => {
      if (/\s/.test(ch)) return;
      const s = scopes[l][c] ?? [];
      if (s.length < 2) problems.push(`${where(l, c)}: '${ch}' has no scope but ${ROOT_SCOPE}`);
    });
  });
  for (const role of roles) {
    const want = EXPECTED[role.role];
    const length = role.end - role.start;
    for (let c = role.column; c < role.column + length && !role.text.includes("\n"); c++) {
      const s = scopes[role.line][c] ?? [];
      const bad =
        role.role === "name"
          ? s.some((x) => FORBIDDEN_FOR_NAMES.some((p) => x.startsWith(p)))
          : want !== undefined && !s.some((x) => want.some((p) => x.startsWith(p)));
      if (bad) {
        problems.push(
          `${where(role.line, role.column)}: ${role.role} ${JSON.stringify(role.text)} is scoped ${s.join(" ")}`,
        );
        break;
      }
    }
  }
  return problems;
}

async function main() {
  const [rolesFile] = process.argv.slice(2);
  if (!rolesFile) {
    console.error("usage: node test/tokenize.mjs ROLES.json");
    process.exit(2);
  }
  const roles = JSON.parse(readFileSync(rolesFile, "utf-8"));
  const grammar = await loadGrammar();
  let problems = [];
  let tokens = 0;
  for (const [file, fileRoles] of Object.entries(roles)) {
    problems = problems.concat(checkFile(grammar, file, fileRoles));
    tokens += fileRoles.length;
  }
  const files = Object.keys(roles).length;
  if (problems.length) {
    console.error(problems.slice(0, 40).join("\n"));
    console.error(`${problems.length} problem(s) in ${files} file(s)`);
    process.exit(1);
  }
  console.log(`${files} file(s), ${tokens} tokens: every one scoped as its role`);
}

await main();
