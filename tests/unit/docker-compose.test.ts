/**
 * docker-compose.yml cannot be run in CI (no Docker engine), so this checks that it agrees with the apps:
 * env vars against the zod config schemas, ports, healthchecks, service names in URLs, Dockerfile paths
 * and the web service's nginx proxy.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { z } from "zod";
import { ApiConfig } from "../../apps/api/src/config";
import { WorkerConfig } from "../../apps/worker/src/config";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

type Env = Record<string, string | null>;
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; target?: string };
  ports?: (string | number | { target: number; published?: string | number })[];
  environment?: Env | string[];
  healthcheck?: { test?: string | string[] };
  depends_on?: string[] | Record<string, { condition?: string }>;
}
const compose = parse(read("docker-compose.yml")) as { services?: Record<string, Service> };
const services = compose.services ?? {};

function service(name: string): Service {
  const s = services[name];
  if (!s) throw new Error(`docker-compose.yml has no service "${name}"`);
  return s;
}

/** The environment as written: map or list form; null means "passed through from the shell, else unset". */
function envOf(name: string): Env {
  const env = service(name).environment ?? {};
  if (!Array.isArray(env))
    return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v == null ? null : String(v)]));
  return Object.fromEntries(
    env.map((entry) => {
      const i = entry.indexOf("=");
      return i < 0 ? [entry, null] : [entry.slice(0, i), entry.slice(i + 1)];
    }),
  );
}

/** Compose interpolation with nothing set in the shell or .env: ${VAR:-default}, ${VAR-default}, ${VAR}, $$. */
function interpolate(value: string): string {
  return value.replace(/\$\$|\$\{(\w+)(?::?-([^}]*))?\}/g, (m, _name: string, fallback?: string) =>
    m === "$$" ? "$" : (fallback ?? ""),
  );
}

/** What the container gets when the user sets nothing: pass-through variables are left unset. */
function effectiveEnv(name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(envOf(name))) if (v !== null) out[k] = interpolate(v);
  return out;
}

function requiredKeys(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([key]) => key);
}

/** Container ports that are published on the host, as [host, container]. */
function publishedPorts(name: string): [number, number][] {
  return (service(name).ports ?? []).map((p) => {
    if (typeof p === "object") return [Number(p.published), Number(p.target)];
    const parts = String(p).split("/")[0]!.split(":");
    return [Number(parts.at(-2)), Number(parts.at(-1))];
  });
}

function healthcheckCommand(name: string): string {
  const test = service(name).healthcheck?.test;
  return Array.isArray(test) ? test.join(" ") : (test ?? "");
}

function dependsOn(name: string): Record<string, string> {
  const d = service(name).depends_on ?? {};
  if (Array.isArray(d)) return Object.fromEntries(d.map((s) => [s, "service_started"]));
  return Object.fromEntries(Object.entries(d).map(([s, v]) => [s, v?.condition ?? "service_started"]));
}

function dockerfileOf(name: string): string {
  const build = service(name).build;
  if (!build) throw new Error(`service "${name}" has no build`);
  const context = typeof build === "string" ? build : (build.context ?? ".");
  const dockerfile = typeof build === "string" ? "Dockerfile" : (build.dockerfile ?? "Dockerfile");
  return path.relative(root, path.resolve(root, context, dockerfile));
}

const apiPort = () => Number(effectiveEnv("api").PORT ?? ApiConfig.shape.PORT.parse(undefined));

describe("docker-compose.yml", () => {
  it("defines the five services", () => {
    expect(Object.keys(services).sort()).toEqual(
      expect.arrayContaining(["api", "postgres", "redis", "web", "worker"]),
    );
  });

  describe.each([
    ["api", ApiConfig as z.ZodObject],
    ["worker", WorkerConfig as z.ZodObject],
  ])("%s environment", (name, schema) => {
    it("only sets variables its config schema knows", () => {
      const unknown = Object.keys(envOf(name)).filter((k) => !(k in schema.shape));
      expect(unknown, `not in ${name}'s config schema`).toEqual([]);
    });

    it("sets every required variable", () => {
      const env = envOf(name);
      const missing = requiredKeys(schema).filter((k) => env[k] == null);
      expect(missing, `required by ${name}'s config schema`).toEqual([]);
    });

    it("passes the config schema with nothing set in the shell (no empty strings for optional values)", () => {
      const parsed = schema.safeParse(effectiveEnv(name));
      expect(parsed.error?.issues ?? []).toEqual([]);
    });

    it("points DATABASE_URL at the postgres service and its credentials", () => {
      const url = new URL(effectiveEnv(name).DATABASE_URL!);
      const pg = service(url.hostname);
      expect(pg.image ?? "").toMatch(/^postgres:/);
      const pgEnv = effectiveEnv(url.hostname);
      expect(url.protocol).toMatch(/^postgres(ql)?:$/);
      expect(Number(url.port || 5432)).toBe(5432);
      expect(decodeURIComponent(url.username)).toBe(pgEnv.POSTGRES_USER ?? "postgres");
      expect(decodeURIComponent(url.password)).toBe(pgEnv.POSTGRES_PASSWORD);
      expect(url.pathname.slice(1)).toBe(pgEnv.POSTGRES_DB ?? pgEnv.POSTGRES_USER ?? "postgres");
    });

    it("points REDIS_URL at the redis service", () => {
      const url = new URL(effectiveEnv(name).REDIS_URL!);
      expect(url.hostname).toBe("redis");
      expect(service(url.hostname).image ?? "").toMatch(/^redis:/);
      expect(Number(url.port || 6379)).toBe(6379);
    });
  });

  it("publishes the api's PORT and sets PUBLIC_URL to the published port", () => {
    const published = publishedPorts("api");
    const port = apiPort();
    const mapping = published.find(([, container]) => container === port);
    expect(mapping, `api listens on ${port}; ports: ${JSON.stringify(published)}`).toBeDefined();
    const publicUrl = new URL(effectiveEnv("api").PUBLIC_URL!);
    expect(Number(publicUrl.port || 80)).toBe(mapping![0]);
    expect(new URL(effectiveEnv("worker").PUBLIC_URL!).origin).toBe(publicUrl.origin);
  });

  it("has healthchecks on postgres, redis and api, and api's hits /healthz on its PORT", () => {
    for (const name of ["postgres", "redis", "api"])
      expect(healthcheckCommand(name), `${name} healthcheck`).not.toBe("");
    expect(healthcheckCommand("api")).toContain(`:${apiPort()}/healthz`);
    expect(read("apps/api/src/routes/system.ts")).toContain('"/healthz"');
  });

  it("starts services in order: api after healthy postgres and redis, worker after a healthy (migrated) api", () => {
    expect(dependsOn("api")).toMatchObject({ postgres: "service_healthy", redis: "service_healthy" });
    expect(dependsOn("worker")).toMatchObject({ api: "service_healthy" });
    expect(Object.keys(dependsOn("web"))).toContain("api");
  });

  describe("Dockerfiles", () => {
    const built = Object.keys(services).filter((name) => services[name]!.build);
    const manifests = ["apps", "packages"].flatMap((dir) =>
      fs
        .readdirSync(path.join(root, dir))
        .filter((p) => fs.existsSync(path.join(root, dir, p, "package.json")))
        .map((p) => `${dir}/${p}/package.json`),
    );

    it("builds api, worker and web", () => {
      expect(built.sort()).toEqual(["api", "web", "worker"]);
    });

    it.each(["api", "worker", "web"])(
      "%s: build.dockerfile exists, has the build's target stage, and copies every workspace manifest",
      (name) => {
        const file = dockerfileOf(name);
        expect(fs.existsSync(path.join(root, file)), `${file} does not exist`).toBe(true);
        const text = read(file);
        const build = service(name).build;
        const target = typeof build === "object" ? build.target : undefined;
        if (target) expect(text).toMatch(new RegExp(`^FROM \\S+ AS ${target}$`, "m"));
        // pnpm install --frozen-lockfile needs every importer of the lockfile.
        const missing = ["package.json", "pnpm-workspace.yaml", "pnpm-lock.yaml", ...manifests].filter(
          (m) => !new RegExp(`^COPY\\b.*\\s${m.replace(/[.*]/g, "\\$&")}\\s`, "m").test(text),
        );
        expect(missing, `${file} does not COPY these`).toEqual([]);
        expect(text).toContain("pnpm install --frozen-lockfile");
      },
    );

    it("api image builds the web UI it serves and exposes its PORT", () => {
      const text = read(dockerfileOf("api"));
      expect(text).toContain("pnpm --filter @burnrate/db generate");
      expect(text).toContain("pnpm --filter @burnrate/web build");
      expect(text).toMatch(new RegExp(`^EXPOSE ${apiPort()}$`, "m"));
    });
  });

  describe("web nginx.conf", () => {
    const conf = read("apps/web/nginx.conf");
    const locations = new Map(
      [...conf.matchAll(/location\s+(?:=\s*)?(\S+)\s*\{([^}]*)\}/g)].map((m) => [m[1]!, m[2]!]),
    );

    it("is the config the web image installs", () => {
      expect(read(dockerfileOf("web"))).toMatch(
        /^COPY apps\/web\/nginx\.conf \/etc\/nginx\/conf\.d\/default\.conf$/m,
      );
    });

    it("proxies /api/ (and the other API paths) to the api service's port", () => {
      const target = `http://api:${apiPort()}`;
      expect(service("api")).toBeDefined();
      for (const loc of ["/api/", "/v1/", "/docs", "/healthz", "/readyz", "/metrics"]) {
        expect(locations.get(loc), `location ${loc}`).toMatch(new RegExp(`proxy_pass\\s+${target}/?;`));
      }
      const targets = [...conf.matchAll(/proxy_pass\s+([^;\s]+)/g)].map((m) => m[1]!.replace(/\/$/, ""));
      expect(new Set(targets)).toEqual(new Set([target]));
    });

    it("serves the SPA with an index.html fallback", () => {
      expect(locations.get("/")).toMatch(/try_files\s+\$uri\s+\/index\.html;/);
    });
  });
});
