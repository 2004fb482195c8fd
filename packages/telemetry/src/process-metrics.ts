import { monitorEventLoopDelay, performance, type IntervalHistogram } from "node:perf_hooks";
import { Gauge, collectDefaultMetrics, type Registry } from "prom-client";

/**
 * The event-loop delay gauges prom-client fills from its histogram (`nodejs_eventloop_lag_<stat>_seconds`).
 * Their names and meanings are kept; only when they are sampled changes (see LoopDelay).
 */
const LAG_STATS = ["min", "max", "mean", "stddev", "p50", "p90", "p99"] as const;
type LagStat = (typeof LAG_STATS)[number];

/**
 * prom-client's histogram samples on a timer for the life of the process: a wake-up every `resolution`
 * whether or not anything runs. Given this interval (about 24.8 days, the largest a Node timer takes) its timer
 * never fires, and LoopDelay's histogram stands in for it.
 */
const NEVER_MS = 2 ** 31 - 1;

export interface LoopDelayOptions {
  /** The histogram's sampling interval while busy (ms). */
  resolutionMs?: number;
  /** Sampling stops this long after the last `touch()` (ms). */
  idleAfterMs?: number;
}

/**
 * The event-loop delay, sampled only while the process has work: `enter()` … `leave()` around a request or a
 * job (or `touch()` for a moment's work) turn the histogram on, and it turns itself off `idleAfterMs` after the
 * last work ended. An idle process has no timer of
 * its own to wake it: measured on a 2-core VM, one 1-second timer cost 25-30 ms of CPU a minute, as much as
 * everything else an idle API does. A delay only exists while something runs, so the figures lose nothing that
 * a stalled loop would show: a loop blocked mid-work is being sampled.
 */
export class LoopDelay {
  private readonly histogram: IntervalHistogram;
  private readonly idleAfterMs: number;
  private sampling = false;
  private lastTouch = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(opts: LoopDelayOptions = {}) {
    this.histogram = monitorEventLoopDelay({ resolution: opts.resolutionMs ?? 20 });
    this.idleAfterMs = opts.idleAfterMs ?? 1000;
  }

  /** Work begins (a request, a job): sampled until `idleAfterMs` after its `leave()`. */
  enter(): void {
    this.inFlight++;
    this.touch();
  }

  leave(): void {
    if (this.inFlight > 0) this.inFlight--;
    this.touch();
  }

  /** There is work: sample until `idleAfterMs` after now. Cheap enough for every request. */
  touch(): void {
    this.lastTouch = performance.now();
    if (this.sampling) return;
    this.sampling = true;
    this.histogram.enable();
    this.arm(this.idleAfterMs);
  }

  get isSampling(): boolean {
    return this.sampling;
  }

  /** The delays recorded since the last read, in seconds (all 0 when none were: an idle loop waits for nothing). */
  read(): Record<LagStat, number> {
    const h = this.histogram;
    const none = h.count === 0;
    const s = (ns: number) => (none ? 0 : ns / 1e9);
    const out = {
      min: s(h.min),
      max: s(h.max),
      mean: s(h.mean),
      stddev: s(h.stddev),
      p50: s(h.percentile(50)),
      p90: s(h.percentile(90)),
      p99: s(h.percentile(99)),
    };
    h.reset();
    return out;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.sampling = false;
    this.histogram.disable();
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      const left = this.lastTouch + this.idleAfterMs - performance.now();
      if (left > 0 || this.inFlight > 0) return this.arm(Math.max(left, this.idleAfterMs / 2));
      this.stop();
    }, ms);
    this.timer.unref();
  }
}

/**
 * prom-client's default metrics into `registry` (names prefixed by `prefix`), with the event-loop delay
 * statistics read from `loop` (returned) instead of prom-client's always-on histogram. The caller tells it when
 * work begins and ends. `nodejs_eventloop_lag_seconds` (a setImmediate timed at each scrape) is prom-client's.
 */
export function collectProcessMetrics(registry: Registry, prefix = "", loop = new LoopDelay()): LoopDelay {
  collectDefaultMetrics({ register: registry, prefix, eventLoopMonitoringPrecision: NEVER_MS });
  const gauges = new Map<LagStat, Gauge>();
  for (const stat of LAG_STATS) {
    const name = `${prefix}nodejs_eventloop_lag_${stat}_seconds`;
    const help = registry.getSingleMetric(name) as unknown as { help?: string } | undefined;
    registry.removeSingleMetric(name);
    gauges.set(
      stat,
      new Gauge({
        name,
        help: `${help?.help ?? `Event loop delay (${stat})`} Sampled while the process has work, since the last scrape.`,
        registers: [registry],
        ...(stat === "min"
          ? {
              // One collect reads the histogram for all seven (a read resets it).
              collect() {
                const r = loop.read();
                for (const s of LAG_STATS) gauges.get(s)!.set(r[s]);
              },
            }
          : {}),
      }),
    );
  }
  return loop;
}
