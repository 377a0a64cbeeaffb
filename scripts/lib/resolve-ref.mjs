// Follows local `$ref`s (`#/components/…`, JSON-pointer escapes included) in a bundled spec, so every
// script reads parameters, responses and schemas the same way.
export function resolveRef(doc, node) {
  let value = node;
  for (let hops = 0; value && typeof value === "object" && typeof value.$ref === "string" && hops < 32; hops++) {
    value = value.$ref
      .replace(/^#\//, "")
      .split("/")
      .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((parent, key) => parent?.[key], doc);
  }
  return value;
}
