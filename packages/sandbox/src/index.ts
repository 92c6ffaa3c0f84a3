export {
  startSandbox,
  Sandbox,
  SandboxInputError,
  INSPECTION_PREFIX,
  type SandboxOptions,
  type SandboxVendorInfo,
  type SubscriptionView,
  type DeliveryFilter,
  type FireOptions,
  type HookInput,
} from './sandbox.js';
export type { DeliveryRecord, AttemptRecord, DeliveryState, FireResult } from './delivery.js';
export type { SubscriptionRecord } from './state.js';
export type { ApiRequestRecord } from './request-log.js';
export {
  deliveryBody,
  deliveryHeaders,
  postDelivery,
  newEventId,
  type OutgoingEvent,
  type SendResult,
} from './send.js';
export {
  FAULT_KINDS,
  mulberry32,
  type FaultSpec,
  type FaultRule,
  type FaultKind,
  type FaultsView,
  type InjectedFault,
} from './faults.js';
/** A fresh signing secret of the form the vendor signs with (a private key for public-key vendors). */
export { newSecret as newSigningSecret } from './rest.js';
/** The sandbox's commands (sandbox, fire, trigger, listen, verify): what the `hookpack` bin of @hookpack/cli runs. */
export { main as cliMain, mainHelp as cliHelp, SANDBOX_COMMANDS } from './cli/main.js';
export { EXIT, UsageError, processIo, type Io } from './cli/args.js';
