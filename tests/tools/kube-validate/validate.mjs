// Validates Kubernetes manifests offline, for the tests of `tend export kubernetes`:
//   node validate.mjs FILE.yaml...
// Each document is checked twice:
// 1. by kubernetes-models' validate(), compiled from the Kubernetes OpenAPI JSON Schemas
//    (types, formats, required fields, enums);
// 2. by a strictness walk of our own, because those schemas allow any extra property: a
//    mistyped field (`readinesProbe`) would pass step 1 and be dropped by the API server. The
//    walk reads the property names of every type from the package's .d.ts files (generated
//    from the same schemas) and rejects a key that its type does not have.
// Prints one line per problem as FILE: KIND/NAME: PATH: MESSAGE; exit 1 when any, 2 on bad usage.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const modelsRoot = dirname(require.resolve("kubernetes-models/package.json"));
const machineryRoot = dirname(require.resolve("@kubernetes-models/apimachinery/package.json"));

// Which model validates which apiVersion/kind: the ones tend writes.
const kinds = {
  "apps/v1/Deployment": "apps/v1/Deployment.js",
  "batch/v1/Job": "batch/v1/Job.js",
  "v1/Service": "v1/Service.js",
  "v1/ConfigMap": "v1/ConfigMap.js",
  "v1/ServiceAccount": "v1/ServiceAccount.js",
  "rbac.authorization.k8s.io/v1/Role": "rbac.authorization.k8s.io/v1/Role.js",
  "rbac.authorization.k8s.io/v1/RoleBinding": "rbac.authorization.k8s.io/v1/RoleBinding.js",
};

// Global type name (IIoK8s...) -> { property -> type text }.
const types = new Map();
function readTypes(root) {
  for (const entry of readdirSync(root)) {
    const path = join(root, entry);
    if (entry === "node_modules" || entry === "_schemas") continue;
    if (statSync(path).isDirectory()) { readTypes(path); continue; }
    if (!entry.endsWith(".d.ts")) continue;
    const text = readFileSync(path, "utf8");
    const locals = new Map();
    for (const match of text.matchAll(/^export interface (I\w+)(?: extends [\w, ]+)? \{\n([\s\S]*?)\n\}/gm)) {
      const props = {};
      for (const line of match[2].split("\n")) {
        const prop = /^    "([^"]+)"\??: (.*?);?$/.exec(line);
        if (prop) props[prop[1]] = prop[2];
      }
      locals.set(match[1], props);
    }
    for (const alias of text.matchAll(/export type \{ (I\w+) as (I\w+)/g)) {
      if (locals.has(alias[1])) types.set(alias[2], locals.get(alias[1]));
    }
  }
}
readTypes(modelsRoot);
readTypes(machineryRoot);

function strict(value, typeText, path, problems) {
  if (value === null || typeof value !== "object") return;
  const array = /^Array<(I\w+)>$/.exec(typeText);
  if (array) {
    if (Array.isArray(value)) value.forEach((item, i) => strict(item, array[1], `${path}[${i}]`, problems));
    return;
  }
  const props = types.get(typeText);
  if (!props || Array.isArray(value)) return; // maps, quantities, int-or-string: no fixed keys
  for (const [key, child] of Object.entries(value)) {
    if (!(key in props)) {
      problems.push(`${path}/${key}: unknown field (not in ${typeText.replace(/^IIoK8s/, "")})`);
      continue;
    }
    strict(child, props[key], `${path}/${key}`, problems);
  }
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE.yaml...");
  process.exit(2);
}

let failed = 0;
let count = 0;
for (const file of files) {
  const documents = parseAllDocuments(readFileSync(file, "utf8"));
  for (const document of documents) {
    if (document.errors.length > 0) {
      for (const error of document.errors) console.log(`${file}: YAML: ${error.message}`);
      failed++;
      continue;
    }
    const data = document.toJSON();
    if (data === null) continue;
    count++;
    const where = `${file}: ${data.kind}/${data.metadata?.name}`;
    const key = `${data.apiVersion}/${data.kind}`;
    if (!(key in kinds)) {
      console.log(`${where}: no model for ${key}`);
      failed++;
      continue;
    }
    const module = await import(join(modelsRoot, kinds[key]));
    const Model = module[data.kind];
    const problems = [];
    try {
      new Model(data).validate();
    } catch (error) {
      for (const detail of error.errors ?? [{ instancePath: "", message: error.message }]) {
        problems.push(`${detail.instancePath || "/"}: ${detail.message}${detail.params?.additionalProperty ? ` (${detail.params.additionalProperty})` : ""}`);
      }
    }
    const rootType = rootTypeOf(key);
    strict(data, rootType, "", problems);
    for (const problem of problems) console.log(`${where}: ${problem}`);
    if (problems.length > 0) failed++;
  }
}

function rootTypeOf(key) {
  const [group, kind] = [key.slice(0, key.lastIndexOf("/")), key.slice(key.lastIndexOf("/") + 1)];
  const prefix = { "apps/v1": "IIoK8sApiAppsV1", "batch/v1": "IIoK8sApiBatchV1", "v1": "IIoK8sApiCoreV1", "rbac.authorization.k8s.io/v1": "IIoK8sApiRbacV1" }[group];
  return prefix + kind;
}

console.log(`${count} manifest${count === 1 ? "" : "s"} checked, ${failed} with problems`);
process.exit(failed > 0 ? 1 : 0);
