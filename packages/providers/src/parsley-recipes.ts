import { z } from 'zod';
import { hmacHexScheme, type EventDefinition, type VendorDefinition, envelopeFields } from '@hookpack/core';
import { isoDateTime } from './mapping.js';

// Parsley Recipes: recipe and event management. No REST API: the user pastes the webhook
// URL into the vendor's UI and may set a signing secret there. Spec: shared seeds 003.

const recipePayload = z.object({
  recipeId: z.number().int(),
  recipeItemNumber: z.string().nullable().optional(),
  timestamp: isoDateTime,
});
const eventPayload = z.object({
  eventId: z.number().int(),
  eventType: z.enum(['event', 'cafe-hot-bar', 'sale']),
  timestamp: isoDateTime,
});

function recipeEvent(type: string, displayName: string, description: string, sample: object): EventDefinition {
  return { type, displayName, description, schema: recipePayload, sample: { ...sample } };
}
function calendarEvent(type: string, displayName: string, description: string, sample: object): EventDefinition {
  return { type, displayName, description, schema: eventPayload, sample: { ...sample } };
}

export const parsleyRecipes: VendorDefinition = {
  id: 'parsleyRecipes',
  displayName: 'Parsley Recipes',
  description: 'Recipe and event management: recipes and events created, modified or removed.',
  auth: { kind: 'none' },
  manualSetup: {
    // The docs call the product "Parsley" in their menus ("In Parsley → Settings → Webhooks").
    instructions: 'In Parsley Recipes, open Settings → Webhooks and click Add.',
    secretField: 'Signing Secret',
  },
  subscriptionOptions: [],
  signature: {
    scheme: hmacHexScheme({ header: 'x-hub-signature-256', prefix: 'sha256=' }),
    secretRequired: false, // the vendor makes the secret optional; unsigned deliveries are accepted only when none is configured
    secretSource: 'user',
  },
  envelope: {
    schema: z.looseObject({ event: z.string().min(1), payload: z.record(z.string(), z.unknown()) }),
    // The time is the payload's own `timestamp` (read from it, never written over it).
    ...envelopeFields({ type: 'event', createdAt: 'payload.timestamp', data: 'payload' }),
  },
  events: [
    recipeEvent('RecipeCreated', 'Recipe Created', 'a recipe is created', {
      recipeId: 14257,
      recipeItemNumber: 'ITM-REC-0021',
      timestamp: '2025-10-16T18:42:10Z',
    }),
    recipeEvent('RecipeModified', 'Recipe Modified', 'a recipe is modified', {
      recipeId: 14257,
      recipeItemNumber: 'ITM-REC-0021',
      timestamp: '2025-10-16T19:03:27Z',
    }),
    recipeEvent(
      'RecipeCreatedSync',
      'Recipe Created (Sync)',
      'a sync creates a recipe (its own event type; the docs do not say which syncs send it)',
      {
        recipeId: 88012,
        recipeItemNumber: null,
        timestamp: '2025-10-16T20:11:09Z',
      },
    ),
    recipeEvent(
      'RecipeModifiedSync',
      'Recipe Modified (Sync)',
      'a sync modifies a recipe (its own event type; the docs do not say which syncs send it)',
      {
        recipeId: 88012,
        recipeItemNumber: null,
        timestamp: '2025-10-16T20:25:33Z',
      },
    ),
    recipeEvent(
      'RecipeRemovedSync',
      'Recipe Removed (Sync)',
      'a sync removes a recipe (its own event type; the docs do not say which syncs send it)',
      {
        recipeId: 88012,
        recipeItemNumber: null,
        timestamp: '2025-10-16T20:30:02Z',
      },
    ),
    calendarEvent('EventCreated', 'Event Created', 'an event is created', {
      eventId: 5319,
      eventType: 'event',
      timestamp: '2025-10-16T18:44:01Z',
    }),
    calendarEvent('EventModified', 'Event Modified', 'an event is modified', {
      eventId: 5319,
      eventType: 'cafe-hot-bar',
      timestamp: '2025-10-16T19:10:42Z',
    }),
    calendarEvent('EventRemoved', 'Event Removed', 'an event is removed', {
      eventId: 5319,
      eventType: 'sale',
      timestamp: '2025-10-16T19:45:00Z',
    }),
  ],
  delivery: {
    // Neither timeout nor retries are documented: we assume one attempt, 10 s.
    timeoutMs: 10_000,
    retryDelaysMs: [],
    afterRetries: 'drop',
    staticHeaders: { 'Content-Type': 'application/json' }, // "Do you send any extra headers? No."
    deliveryIdIsStable: false,
  },
};
