// Event bodies as Genesys Cloud and EventBridge send them (shapes from the SDK's types and the
// EventBridge partner-event envelope), for the tests of this folder.

export const CONVERSATION_ID = '7f6c6a0e-2f5c-4c1e-9d3b-1a2b3c4d5e6f';
export const CONTACT_ID = '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';
export const QUEUE_ID = 'a1b2c3d4-e5f6-4789-8abc-def012345678';
export const EVENT_TIME_MS = Date.parse('2025-03-04T10:11:12.345Z');

export function attributesBody(overrides: Record<string, unknown> = {}) {
  return {
    eventTime: EVENT_TIME_MS,
    conversationId: CONVERSATION_ID,
    participantId: 'p-1',
    attributes: { loyalty_tier: 'gold', intent: 'billing' },
    conversationExternalContactIds: [CONTACT_ID],
    conversationExternalOrganizationIds: [],
    communications: [{ id: 'comm-1', mediaType: 'VOICE' }],
    ...overrides,
  };
}

export function notification(topicName: string, eventBody: unknown, correlationId = 'corr-1') {
  return { topicName, version: '2', eventBody, metadata: { CorrelationId: correlationId } };
}

export function eventBridge(detail: unknown, id = 'eb-1') {
  return {
    version: '0',
    id,
    'detail-type': 'v2.detail.events.conversation.{id}.attributes',
    source: 'aws.partner/genesys.com/cloud/org-1/cx-profile-sync',
    account: '123456789012',
    time: '2025-03-04T10:11:13Z',
    region: 'eu-west-1',
    resources: [],
    detail,
  };
}

export const attributesTopic = (id = CONVERSATION_ID) => `v2.detail.events.conversation.${id}.attributes`;
export const customerEndTopic = (id = CONVERSATION_ID) => `v2.detail.events.conversation.${id}.customer.end`;
export const contactTopic = (id = CONTACT_ID) => `v2.externalcontacts.contacts.${id}`;
export const queueTopic = (id = QUEUE_ID) => `v2.routing.queues.${id}.conversations`;

/** One EventBridge attributes event, as an API destination posts it. */
export function attributesEvent(id = 'eb-1', bodyOverrides: Record<string, unknown> = {}) {
  return eventBridge(
    {
      ...notification(attributesTopic(), attributesBody(bodyOverrides)),
      timestamp: '2025-03-04T10:11:12.900Z',
    },
    id,
  );
}

export function contactBody(overrides: Record<string, unknown> = {}) {
  return {
    id: CONTACT_ID,
    firstName: 'Ada',
    lastName: 'Lovelace',
    modifyDate: '2025-03-04T09:00:00.000Z',
    customFields: { loyalty_tier_text: 'gold' },
    schema: { id: 'schema-1', version: 2 },
    ...overrides,
  };
}

export function queueConversationBody(overrides: Record<string, unknown> = {}) {
  return {
    id: CONVERSATION_ID,
    participants: [
      { id: 'p-1', purpose: 'customer', attributes: { loyalty_tier: 'gold' }, queueId: QUEUE_ID },
      { id: 'p-2', purpose: 'acd', attributes: {} },
    ],
    ...overrides,
  };
}

export const HEARTBEAT_FRAME = JSON.stringify({
  topicName: 'channel.metadata',
  eventBody: { message: 'WebSocket Heartbeat' },
});
export const SOCKET_CLOSING_FRAME = JSON.stringify({
  topicName: 'v2.system.socket_closing',
  eventBody: { message: 'the socket closes for maintenance' },
});
