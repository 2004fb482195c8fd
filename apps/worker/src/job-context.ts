/** What the worker tells a job's handler besides its payload. */
export interface JobContext {
  /** The job's id in the queue. */
  jobId?: string;
  /**
   * Puts the job back in the queue to run again in `delayMs`, without spending one of its tries (it is waiting
   * for something, it did not fail). Never returns: the handler stops here. Absent when the handler is called
   * outside a queue (tests), where the handler falls back on failing.
   */
  runAgainIn?: (delayMs: number) => Promise<never>;
}
