// Reads vCard text on stdin with ical.js (Mozilla's parser, independent of the vobject that wrote it)
// and prints each card's properties as JSON: [{"fn": ["…"], "org": [["…", "…"]], …}, …].
import ICAL from "ical.js";

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  let parsed = ICAL.parse(input);
  // One card parses to a single jCard; several to a list of them.
  if (parsed.length && typeof parsed[0] === "string") parsed = [parsed];
  const cards = parsed.map((jcard) => {
    const component = new ICAL.Component(jcard);
    if (component.name !== "vcard") throw new Error(`not a vCard: ${component.name}`);
    const out = {};
    for (const property of component.getAllProperties()) {
      const values = property.getValues().map((v) => (Array.isArray(v) || typeof v !== "object" || v === null ? v : v.toString()));
      (out[property.name] ||= []).push(values.length === 1 ? values[0] : values);
      if (property.getParameter("type")) (out[`${property.name};type`] ||= []).push(property.getParameter("type"));
    }
    return out;
  });
  process.stdout.write(JSON.stringify(cards));
});
