import { z } from 'zod';

/** The one shape every vendor's delivery is normalized to. */
export const webhookEventSchema = z.object({
  /** Stable event id: the envelope id, else the vendor's delivery id, else `sha256:<hex of body>`. */
  id: z.string(),
  /** Vendor event type, e.g. `violation.new`, `RecipeCreated`. Unknown types pass through. */
  type: z.string(),
  /** ISO-8601 time the vendor says the event happened, or null when it does not say. */
  createdAt: z.string().nullable(),
  /** The event-specific payload. */
  data: z.unknown(),
  /** Vendor id, e.g. `parley`. */
  provider: z.string(),
  livemode: z.boolean().optional(),
  /** The vendor's delivery(-attempt) id header, when it sends one. */
  deliveryId: z.string().optional(),
});
export type WebhookEvent = z.infer<typeof webhookEventSchema>;
