// Paces campaign sends to SEND_RATE_PER_SEC within a worker process. Pacing happens before a
// delivery is claimed, so a claim is taken only when its message can go out at once: a worker killed
// mid-campaign leaves as few claimed-but-unsent recipients as possible.
export class SendPacer {
  private nextFree = 0;

  constructor(private readonly ratePerSec: number) {}

  /** How many messages to claim at a time: a tenth of a second's worth when paced. */
  chunkSize(unpaced: number): number {
    return this.ratePerSec > 0 ? Math.max(1, Math.min(unpaced, Math.floor(this.ratePerSec / 10))) : unpaced;
  }

  /** Resolves when `count` more messages fit the rate. */
  async take(count: number): Promise<void> {
    if (this.ratePerSec <= 0) return;
    const now = Date.now();
    const start = Math.max(now, this.nextFree);
    this.nextFree = start + (count * 1000) / this.ratePerSec;
    if (start > now) await new Promise((resolve) => setTimeout(resolve, start - now));
  }
}
