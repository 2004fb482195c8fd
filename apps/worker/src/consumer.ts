import { LockManager, Worker } from "bullmq";

/**
 * How long (s) an idle consumer's blocking wait for a job lasts before it asks again (BullMQ's default is 5): a
 * new job wakes it at once (BullMQ's marker) and a delayed one is waited for until it is due, so a longer wait
 * costs no latency, only fewer wake-ups of an idle worker.
 */
export const IDLE_WAIT_S = 30;

/**
 * BullMQ's lock renewal, with its timer running only while the worker holds a job. BullMQ's runs every
 * `lockRenewTime / 2` (7.5 s with a 30 s lock) for the life of the worker, held jobs or not: 16 of an idle
 * worker's wake-ups a minute, for its two consumers. Renewal itself is BullMQ's, unchanged: the timer starts
 * when a job is taken (its first renewal comes at the same time after the job's start as BullMQ's would at
 * the latest) and stops at its first run with no job held.
 *
 * BullMQ's timer method is private: it is replaced on the instance, and where a later BullMQ has no such method
 * the default behaviour stays (`consumer.int.test.ts` checks both the sleep and the renewal of a long job).
 */
export class LazyLockManager extends LockManager {
  private started = false;

  constructor(...args: ConstructorParameters<typeof LockManager>) {
    super(...args);
    const self = this as unknown as { startLockExtenderTimer?: () => void };
    const arm = self.startLockExtenderTimer?.bind(this);
    if (!arm) return;
    self.startLockExtenderTimer = () => {
      if (this.trackedJobs.size > 0) return arm();
      clearTimeout(this.lockRenewalTimer);
      this.lockRenewalTimer = undefined;
    };
  }

  override start(): void {
    this.started = true;
    super.start();
  }

  override trackJob(jobId: string, token: string, ts: number, shouldCreateController?: boolean) {
    const controller = super.trackJob(jobId, token, ts, shouldCreateController);
    if (this.started && !this.closed && this.lockRenewalTimer === undefined) super.start();
    return controller;
  }

  /** Whether the renewal timer is armed (tests). */
  get timerArmed(): boolean {
    return this.lockRenewalTimer !== undefined;
  }
}

/**
 * A BullMQ worker that sleeps while idle:
 * - its blocking wait lasts up to IDLE_WAIT_S while a delayed job is queued (the next tick always is), not
 *   BullMQ's 10 s. BullMQ capped it for connections that hung on a reconnect (its #1658); its wait now races a
 *   watchdog that resets such a connection at the timeout plus a second, so a longer wait only moves that
 *   recovery later. Each wait that ends also wakes the process once more, at its watchdog's cleared time.
 * - its lock renewal timer runs only while it holds a job (LazyLockManager).
 */
export class Consumer<T = unknown, R = unknown> extends Worker<T, R> {
  override get maximumBlockTimeout(): number {
    return IDLE_WAIT_S;
  }

  protected override createLockManager(): void {
    // BullMQ passes the worker itself; its declared context type differs from Worker's only in trace()'s.
    const context = this as unknown as ConstructorParameters<typeof LockManager>[0];
    this.lockManager = new LazyLockManager(context, {
      lockRenewTime: this.opts.lockRenewTime!,
      lockDuration: this.opts.lockDuration!,
      workerId: this.id,
      workerName: this.opts.name,
    });
  }

  /** The lock manager (tests). */
  get locks(): LazyLockManager {
    return this.lockManager as LazyLockManager;
  }
}
