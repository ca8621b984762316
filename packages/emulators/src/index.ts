export { runEmulatorsCli } from './cli.js';
export type { CognigyState } from './cognigy/emulator.js';
export type { CognigyConnection, CognigyOptions } from './cognigy/platform.js';
export type { Fault, FaultRule } from './common/faults.js';
export { bucketRefillPerSecond, type LimitBucket } from './common/limit-buckets.js';
export type { EmulatedPlatform, IntegerFlag, PlatformContext, PlatformEmulator } from './common/platform.js';
export type { LatencyOptions, RequestStats } from './common/platform-server.js';
export type { LoggedRequest } from './common/request-log.js';
export type { CxoneState } from './cxone/emulator.js';
export type { CxoneConnection, CxoneOptions } from './cxone/platform.js';
export type { GenesysState } from './genesys/emulator.js';
export { GenesysStateError } from './genesys/emulator.js';
export type {
  DeliveryStats,
  DestinationInput,
  DestinationView,
  UndeliverableEvent,
} from './genesys/events/destinations.js';
export {
  ATTRIBUTES_TOPIC,
  type AttributesEventBody,
  CUSTOMER_END_TOPIC,
  type CustomerEndEventBody,
  EVENT_TOPICS,
  type EventBridgeEvent,
  type EventTopic,
  type GenesysEvent,
  QUEUE_CONVERSATIONS_TOPIC,
  topicPattern,
} from './genesys/events/envelope.js';
export type {
  AttributeEventPlan,
  AttributeEventProgress,
  AttributeEventRun,
  GeneratedConversation,
} from './genesys/events/generator.js';
export type { GenesysEvents } from './genesys/events/hub.js';
export type { ChannelAnswer, ChannelView, NotificationCounters } from './genesys/events/notifications.js';
export type { DeliveryOptions, GenesysEventOptions, GenesysEventSettings } from './genesys/events/options.js';
export type { GenesysConnection, GenesysOptions } from './genesys/platform.js';
export { DOCUMENTED_LIMITS, type EmulatorOptions } from './options.js';
export { EMULATED_PLATFORMS, type EmulatedPlatformName, type LimitBucketName } from './platform-list.js';
export * from './seed/seed.js';
export { TRICKY_VALUES } from './seed/tricky-values.js';
export {
  type EmulatorConnection,
  type EmulatorStates,
  type Emulators,
  emulatorEnv,
  startEmulators,
} from './start.js';
