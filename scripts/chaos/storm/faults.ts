/**
 * The storm's worker kills (SIGKILL; the process starts again by itself): half land 0–30 ms after Slack stored
 * a post, before or after the database recorded it; the other half at random moments. Also the time of the last
 * fault of any kind (the Redis and Postgres restarts are noted here by the caller), from which the drain counts.
 */
import { SECOND_MS } from "../../../packages/slo-core/src/time-units.ts";
import { sleep } from "../lib.ts";
import type { Respawning } from "./respawning.ts";

export class WorkerKills {
  kills = 0;
  killsAfterPost = 0;
  pendingKills = 0;
  /** Set once the acks are done: from then on the timer may make up the count. */
  acksDone = false;
  faultsOver = false;
  lastFaultAt = Date.now();
  constructor(
    private workers: Respawning[],
    /** How many kills in all. */
    private total: number,
    /** The mean pause between kills at random moments is about this. */
    private gapMs: number,
  ) {}

  private killOne(): boolean {
    const live = this.workers.filter((w) => w.child && Date.now() - w.startedAt > 1.5 * SECOND_MS);
    const w = live[Math.floor(Math.random() * live.length)];
    if (!w || !w.kill()) return false;
    this.kills++;
    this.lastFaultAt = Date.now();
    return true;
  }

  /** For the fake Slack's `onPosted`: sometimes a kill 0–30 ms after a post, up to half of them. */
  readonly afterPost = () => {
    if (
      this.faultsOver ||
      this.killsAfterPost + this.pendingKills >= this.total / 2 ||
      this.kills + this.pendingKills >= this.total
    )
      return;
    if (Math.random() > 0.3) return;
    this.pendingKills++;
    setTimeout(
      () => {
        this.pendingKills--;
        if (this.killOne()) this.killsAfterPost++;
      },
      Math.floor(Math.random() * 31),
    );
  };

  /** Kills at random moments until there were `total` in all. */
  async atRandom(): Promise<void> {
    while (!this.faultsOver && this.kills + this.pendingKills < this.total) {
      await sleep(500 + Math.random() * 2 * this.gapMs);
      // Half are left to the post hook until the acks are done; then the timer makes up the count.
      const timerKills = this.kills - this.killsAfterPost;
      if (this.kills + this.pendingKills < this.total && (timerKills < this.total / 2 || this.acksDone))
        this.killOne();
    }
  }

  /** A fault other than a kill (a Redis or Postgres restart) just ended. */
  faultNow(): void {
    this.lastFaultAt = Date.now();
  }
}
