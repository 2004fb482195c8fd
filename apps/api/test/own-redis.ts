import { freePort, startOwnRedis, type OwnRedis as Server } from "../../../scripts/chaos/lib";

export { freePort };

/**
 * A redis-server of the test's own on a random loopback port, with no persistence, so a test can kill and
 * restart it (a restart starts empty, as after a crash) without touching the machine's shared Redis. The same
 * server as `pnpm chaos` uses (scripts/chaos/lib.ts).
 */
export class OwnRedis {
  private constructor(private readonly server: Server) {}
  get url(): string {
    return this.server.url;
  }
  get port(): number {
    return this.server.port;
  }
  static async start(): Promise<OwnRedis> {
    return new OwnRedis(await startOwnRedis());
  }
  /** Starts the server again on the same port (killing it first if it runs) and waits until it accepts. */
  async restart(): Promise<void> {
    await this.server.restart();
  }
  /** SIGKILL: the server vanishes as in a crash. */
  async kill(): Promise<void> {
    await this.server.kill();
  }
}
