export { createZapierApp, type ZapierApp, type ZapierAppOptions } from './app.js';
export { triggerKey, triggerNoun, triggerDescription, isTitleCase, fieldLabel, appDirName } from './names.js';
export { toTriggerOutput, sampleOutput, outputFieldsFor, type TriggerOutput, type OutputField } from './output.js';
export { retryAfterSeconds, maskKey } from './auth.js';
export { SIGNING_SECRET_FIELD, type SubscribeData } from './triggers.js';
