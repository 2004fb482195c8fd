import { call, startStack } from "../../apps/api/test/harness";
import { seedHistory } from "./seed-history";
const stack = await startStack();
try {
  await seedHistory(stack, Date.now());
  const r = await call(stack, "GET", "/api/v1/reports/indicators?window=year&service=accounts&region=prod-eu");
  console.log(r.status, JSON.stringify(r.body!.depletion.map((d: any) => [d.name, new Date(d.period.start).toISOString().slice(0,10), d.remainingAtEnd, d.complete])));
  const p = await call(stack, "GET", "/api/v1/reports/periods?team=identity&periods=6");
  console.log(JSON.stringify(p.body!.rows.map((r: any) => [r.name, r.cells.map((c: any) => c.adherence)])));
} finally { await stack.stop(); }
