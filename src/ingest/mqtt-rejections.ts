/**
 * Rejection notices: MQTT 3.1.1 has no negative PUBACK, and behind an external broker MANTIS is only a
 * subscriber, so MANTIS tells a gateway of each rejected reading or message on a topic of its own, as AWS IoT
 * does with its `…/rejected` topics: `mantis-rejected/{site}/{asset}/{sensor}` for a message published to
 * `mantis/{site}/{asset}/{sensor}`. The prefix is outside the ingest subscription `mantis/+/+/+`, so a notice
 * is never ingested.
 */

/** First topic level of every rejection notice. */
export const REJECTED_PREFIX = 'mantis-rejected';

/** Longest reason a notice carries: reasons quote values, which must not make a notice a copy of the payload. */
export const NOTICE_REASON_CHARS = 300;

/** What a gateway learns of one rejected reading (index in its message) or message (index null). */
export interface RejectionNotice {
  /** The topic the rejected message was published to. */
  topic: string;
  /** Position of the reading in the message's array (0 for a single reading); null for the whole message. */
  index: number | null;
  /** The field that failed, as in the dead letter: `value`, `ts`, `sensorId`, `payload`, `topic`, … */
  field: string;
  reason: string;
  /** When MANTIS received the message (ISO 8601, UTC). */
  receivedAt: string;
}

/**
 * The notice topic of a message topic: its first level replaced by `mantis-rejected`
 * (`mantis/plant/press/press.temp` → `mantis-rejected/plant/press/press.temp`); a one-level topic gives
 * `mantis-rejected`.
 */
export function rejectionTopic(topic: string): string {
  const slash = topic.indexOf('/');
  return slash < 0 ? REJECTED_PREFIX : `${REJECTED_PREFIX}${topic.slice(slash)}`;
}

/** A notice for one rejection, its reason cut to NOTICE_REASON_CHARS (with "…"). */
export function rejectionNotice(
  topic: string,
  rejection: { index: number | null; field: string; reason: string },
  receivedAt: Date,
): RejectionNotice {
  const { index, field, reason } = rejection;
  return {
    topic,
    index,
    field,
    reason: reason.length > NOTICE_REASON_CHARS ? `${reason.slice(0, NOTICE_REASON_CHARS - 1)}…` : reason,
    receivedAt: receivedAt.toISOString(),
  };
}

/**
 * At most `perSecond` notices per notice topic in each one-second window (fixed windows), so that a flood
 * of bad messages cannot be amplified into a flood of notices. Remembers only the topics of the current
 * window: its memory is bounded by what one second brings.
 */
export class NoticeBudget {
  private readonly perSecond: number;
  private windowStart = Number.NEGATIVE_INFINITY;
  private readonly used = new Map<string, number>();

  /** perSecond: notices allowed per topic and second; 0 sends none. */
  constructor(perSecond: number) {
    this.perSecond = perSecond;
  }

  /** Whether one more notice may go to `topic` now (epoch ms); counts it when it may. */
  take(topic: string, now = Date.now()): boolean {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.used.clear();
    }
    const used = this.used.get(topic) ?? 0;
    if (used >= this.perSecond) return false;
    this.used.set(topic, used + 1);
    return true;
  }
}
