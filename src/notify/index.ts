// The notify part's public surface for the controller and the CLI.
export { Notifier, originKeyOf, HEADLESS_ORIGIN, type NotifierDeps } from './notifier.js';
export {
  NotificationOptionsSchema,
  NOTIFICATION_STRATEGIES,
  COMMAND_PLACEHOLDERS,
  type NotificationOptions,
  type NotificationOptionsInput,
  type NotificationStrategy,
} from './options.js';
export type { Notification, Urgency, ChannelName, ChannelReport, ChannelHealth } from './notification.js';
