// Reads a PDF with Debian's pdf.js (libjs-pdf) in node: every page's text and structure tree,
// and every warning or error pdf.js reports. Prints one line:
//   pages=N chars=N structtree_pages=N tables=N warnings=N
// then the first warnings; exits 1 when pdf.js warned, 2 when it could not read the file.
// Usage: node pdfjs_read.js FILE.pdf
const pdfjs = require("/usr/share/javascript/pdf/build/pdf.js");
const fs = require("fs");
const warnings = [];
const print = console.log;
console.warn = (...a) => warnings.push(a.join(" "));
console.log = (...a) => warnings.push(a.join(" "));
console.error = (...a) => warnings.push(a.join(" "));

function count(node, role) {
  if (!node) return 0;
  return (node.role === role ? 1 : 0) +
    (node.children || []).reduce((n, c) => n + count(c, role), 0);
}

(async () => {
  const data = new Uint8Array(fs.readFileSync(process.argv[2]));
  const doc = await pdfjs.getDocument({data, verbosity: 1, isEvalSupported: false}).promise;
  let chars = 0, trees = 0, tables = 0;
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const text = await page.getTextContent();
    chars += text.items.reduce((n, i) => n + i.str.length, 0);
    const tree = await page.getStructTree();
    if (tree && tree.children && tree.children.length) trees++;
    tables += count(tree, "Table");
  }
  print(`pages=${doc.numPages} chars=${chars} structtree_pages=${trees} tables=${tables} warnings=${warnings.length}`);
  for (const w of warnings.slice(0, 10)) print("  " + w);
  process.exit(warnings.length ? 1 : 0);
})().catch(e => { print("error: " + e); process.exit(2); });
