import { z } from 'zod';
import { versionedScheme, type EventDefinition, type VendorDefinition, envelopeFields } from '@hookpack/core';

// Slack: the Events API over HTTP, set up by hand in the app's settings, signed with the app's
// Signing Secret. Modelled on https://api.slack.com/apis/events-api (Request URL, the
// `url_verification` handshake, the `event_callback` envelope, retries),
// https://api.slack.com/events/url_verification and
// https://api.slack.com/authentication/verifying-requests-from-slack, and the event pages of the
// types below (https://api.slack.com/events/<type>).
// From the docs: there is no API that registers the Request URL: the user enters it under Event
// Subscriptions, and Slack sends `{"token", "challenge", "type": "url_verification"}` at once; the URL
// must answer 200 with the challenge ("respond in plaintext with the challenge attribute value";
// x-www-form-urlencoded or JSON are also accepted) and the form is saved only once it did ("Your
// Event request URL must be confirmed before saving this form"). Every request is signed, the
// handshake too: `X-Slack-Signature: v0=<hex HMAC-SHA256>` of `v0:<X-Slack-Request-Timestamp>:<raw
// body>`, keyed with the app's Signing Secret (Basic Information → App Credentials); requests more
// than five minutes from the local clock are to be refused. Events arrive as
// `{"type": "event_callback", "team_id", "api_app_id", "event": {"type", …}, "event_id", "event_time"}`
// with `event_time` in unix seconds; a delivery fails without a 2xx within 3 seconds and is retried
// 3 times (nearly immediately, after 1 minute, after 5 minutes) with the same `event_id`, the retries
// carrying `X-Slack-Retry-Num` and `X-Slack-Retry-Reason`.
// Choices (the docs leave them to us, or hookpack decides): the handshake is answered as text/plain,
// the documented first form; the deadline is the 3 s of deliveries (the docs name none for the
// handshake).
//
// Not modelled: the other retry reasons the docs list (too_many_redirects, ssl_error, unknown_error);
// the `X-Slack-No-Retry: 1` answer; Slack switching event delivery off when more than 95 % of deliveries
// fail over 60 minutes; `app_rate_limited` envelopes; the deprecated `token` field (verification tokens
// are superseded by the signature); `authorizations`, `event_context` and other envelope fields the
// trigger does not read.

const SEC = 1000;
const MIN = 60 * SEC;

const slackId = z.string().min(1);
/** Message timestamps are strings like "1355517523.000005". */
const messageTs = z.string().regex(/^\d+\.\d+$/);

function event(
  type: string,
  displayName: string,
  description: string,
  schema: z.ZodType,
  sample: Record<string, unknown>,
): EventDefinition {
  return { type, displayName, description, schema, sample };
}

// Each inner event carries its own `type`, as Slack's do: the trigger reads the event type there.
const appMention = z.looseObject({
  type: z.literal('app_mention'),
  user: slackId,
  text: z.string(),
  ts: messageTs,
  channel: slackId,
  event_ts: messageTs,
});
const message = z.looseObject({
  type: z.literal('message'),
  channel: slackId,
  user: slackId.optional(),
  text: z.string().optional(),
  ts: messageTs,
  event_ts: messageTs.optional(),
  channel_type: z.enum(['channel', 'group', 'im', 'mpim', 'app_home']),
});
const reactionAdded = z.looseObject({
  type: z.literal('reaction_added'),
  user: slackId,
  reaction: z.string().min(1),
  item_user: slackId.optional(),
  item: z.looseObject({ type: z.string() }),
  event_ts: messageTs,
});
const memberJoinedChannel = z.looseObject({
  type: z.literal('member_joined_channel'),
  user: slackId,
  channel: slackId,
  channel_type: z.string(),
  team: slackId,
  inviter: slackId.optional(),
});
const channelCreated = z.looseObject({
  type: z.literal('channel_created'),
  channel: z.looseObject({ id: slackId, name: z.string(), created: z.number().int(), creator: slackId }),
});

export const slack: VendorDefinition = {
  id: 'slack',
  displayName: 'Slack',
  description: 'Slack workspace events through the Events API: mentions, messages, reactions, members and channels.',
  docsUrl: 'https://api.slack.com/apis/events-api',
  auth: { kind: 'none' },
  manualSetup: {
    instructions:
      "In Slack, open your app's settings (api.slack.com/apps), choose Event Subscriptions, turn Enable Events on, enter the URL as the Request URL (Slack verifies it at once) and subscribe to the bot events.",
    secretField: 'Signing Secret',
    secretHelp: "Slack shows the app's Signing Secret under Basic Information → App Credentials.",
  },
  subscriptionOptions: [],
  signature: {
    scheme: versionedScheme({
      header: 'X-Slack-Signature',
      timestampHeader: 'X-Slack-Request-Timestamp',
      version: 'v0',
      toleranceSeconds: 5 * 60, // "more than five minutes from local time"
    }),
    secretRequired: true, // Slack signs every request
    secretSource: 'user', // the app's Signing Secret, copied into the credential
  },
  handshake: {
    recognise: { bodyField: 'type', value: 'url_verification' },
    challenge: { in: 'body', name: 'challenge' },
    answer: { format: 'text' }, // choice: the documented first form, "respond in plaintext"
    signed: true, // "verify the request's authenticity and then respond"
    timing: 'after-create', // when the user enters the Request URL, before the form is saved
    deadlineMs: 3 * SEC, // choice: the docs give deliveries 3 s and name no other wait
    // Slack's settings page shows this and does not save the URL.
    failure: { status: 200, message: "Your URL didn't respond with the value of the challenge parameter." },
  },
  envelope: {
    schema: z.looseObject({
      type: z.literal('event_callback'),
      event_id: z.string().min(1),
      event_time: z.number().int().nonnegative(),
      event: z.looseObject({ type: z.string().min(1) }),
    }),
    ...envelopeFields({
      // Fixed for one app in one workspace; the docs' example ids.
      constants: { type: 'event_callback', team_id: 'T123ABC456', api_app_id: 'A123ABC456' },
      data: 'event',
      type: 'event.type',
      id: 'event_id',
      createdAt: { path: 'event_time', unit: 'unix-seconds' },
    }),
  },
  events: [
    event('app_mention', 'App Mention', 'someone mentions the app in a conversation it is in', appMention, {
      type: 'app_mention',
      user: 'U061F7AUR',
      text: '<@U0LAN0Z89> is it everything a river should be?',
      ts: '1515449522.000016',
      channel: 'C123ABC456',
      event_ts: '1515449522.000016',
    }),
    // The message.channels, .groups, .im and .mpim subscriptions all deliver `type: "message"`,
    // told apart by `channel_type`.
    event('message', 'New Message', 'a message is posted in a conversation the app is in', message, {
      type: 'message',
      channel: 'C123ABC456',
      user: 'U123ABC456',
      text: 'Live long and prospect.',
      ts: '1355517523.000005',
      event_ts: '1355517523.000005',
      channel_type: 'channel',
    }),
    event('reaction_added', 'Reaction Added', 'a member adds an emoji reaction to an item', reactionAdded, {
      type: 'reaction_added',
      user: 'U123ABC456',
      reaction: 'thumbsup',
      item_user: 'U222222222',
      item: { type: 'message', channel: 'C123ABC456', ts: '1360782400.498405' },
      event_ts: '1360782804.083113',
    }),
    event(
      'member_joined_channel',
      'Member Joined Channel',
      'a user joins a public or private channel',
      memberJoinedChannel,
      {
        type: 'member_joined_channel',
        user: 'W123ABC456',
        channel: 'C123ABC456',
        channel_type: 'C',
        team: 'T123ABC456',
        inviter: 'U123456789',
      },
    ),
    event('channel_created', 'Channel Created', 'a channel is created', channelCreated, {
      type: 'channel_created',
      channel: { id: 'C024BE91L', name: 'fun', created: 1360782804, creator: 'U024BE7LH' },
    }),
  ],
  delivery: {
    timeoutMs: 3 * SEC,
    retryDelaysMs: [1 * SEC, 1 * MIN, 5 * MIN], // "nearly immediately" taken as 1 s
    afterRetries: 'drop',
    staticHeaders: { 'Content-Type': 'application/json' },
    deliveryIdIsStable: false,
    dedupe: ['eventId'], // a retry carries the same event_id
    retryHeaders: {
      number: 'X-Slack-Retry-Num',
      reason: {
        header: 'X-Slack-Retry-Reason',
        timeout: 'http_timeout',
        httpError: 'http_error',
        connectionFailed: 'connection_failed',
      },
    },
  },
};
