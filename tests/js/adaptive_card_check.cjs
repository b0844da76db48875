// Reads an Adaptive Card (JSON) on stdin and prints, as JSON, every problem Microsoft's own Adaptive Cards
// library reports while parsing and validating it: {"version": "1.4", "problems": ["…", …]}.
"use strict";
const AC = require("adaptivecards/dist/adaptivecards.js");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const problems = [];
  let payload;
  try {
    payload = JSON.parse(input);
  } catch (error) {
    console.log(JSON.stringify({ version: null, problems: [`not JSON: ${error.message}`] }));
    return;
  }
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(payload, context);
  for (let i = 0; i < context.eventCount; i++) {
    problems.push(`parse: ${context.getEventAt(i).message}`);
  }
  const results = card.validateProperties();
  for (const event of results.validationEvents) {
    problems.push(`validate: ${event.message}`);
  }
  console.log(JSON.stringify({ version: card.version ? card.version.toString() : null, problems }));
});
